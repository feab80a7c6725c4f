/* -D: the interface list, in tcpdump's format:
 *   1.eth0 [Up, Running, Connected]
 *   2.any (Pseudo-device that captures on all interfaces) [Up, Running]  */
#include "config.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/log.h"

static void print_flags(FILE *out, bpf_u_int32 flags)
{
	const char *words[6];
	int n = 0;

	if (flags & PCAP_IF_UP)
		words[n++] = "Up";
	if (flags & PCAP_IF_RUNNING)
		words[n++] = "Running";
	if (flags & PCAP_IF_WIRELESS)
		words[n++] = "Wireless";
	if (flags & PCAP_IF_LOOPBACK) {
		words[n++] = "Loopback";
	} else {
		switch (flags & PCAP_IF_CONNECTION_STATUS) {
		case PCAP_IF_CONNECTION_STATUS_CONNECTED:
			words[n++] = "Connected";
			break;
		case PCAP_IF_CONNECTION_STATUS_DISCONNECTED:
			words[n++] = "Disconnected";
			break;
		default:
			break;
		}
	}
	fputs(" [", out);
	if (n == 0)
		fputs("none", out);
	for (int i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "", words[i]);
	fputc(']', out);
}

int ptd_list_interfaces(FILE *out)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *devs, *d;
	int i = 1;

	if (pcap_findalldevs(&devs, errbuf) < 0) {
		core_err("%s", errbuf);
		return -EIO;
	}
	if (!devs) {
		core_err("no interfaces available for capture");
		return -ENODEV;
	}
	for (d = devs; d; d = d->next, i++) {
		fprintf(out, "%d.%s", i, d->name);
		if (d->description)
			fprintf(out, " (%s)", d->description);
		print_flags(out, d->flags);
		fputc('\n', out);
	}
	pcap_freealldevs(devs);
	return 0;
}
