/* --version.  Separate from main.c: <bpf/libbpf.h> and <pcap/pcap.h> both
 * define struct bpf_insn, so one file may include only one of them. */
#include "config.h"

#include <bpf/libbpf.h>
#include <stdio.h>

#include "core/core.h"

/* From libpcap; declared here to keep <pcap/pcap.h> out of this file. */
extern const char *pcap_lib_version(void);

void ptd_print_versions(FILE *out)
{
	fprintf(out, "ptcpdump version %s\n", PACKAGE_VERSION);
	fprintf(out, "%s\n", pcap_lib_version());
	fprintf(out, "libbpf version %u.%u\n", libbpf_major_version(),
		libbpf_minor_version());
}
