/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcap-filter expressions to classic BPF, through libpcap.
 *
 * <pcap/bpf.h> and <linux/bpf.h> both define `struct bpf_insn`, with
 * different layouts, so no file may include both.  This header includes
 * neither: classic programs cross it as struct ptd_cbpf_insn, which has the
 * layout of libpcap's struct bpf_insn and of the kernel's struct
 * sock_filter.  bpf_compile.c is the only file that sees <pcap.h>;
 * bpf_xlat.c is the one that sees <linux/bpf.h>.
 *
 * Which link type to compile for depends on where the packet bytes start at
 * the hook that will run the filter:
 *
 *   tc (cls_bpf, TCX)   L2: an Ethernet header, also on lo (whose header is
 *                       all zeroes): DLT_EN10MB.
 *   cgroup-skb          L3: the IPv4 or IPv6 header: DLT_RAW.  Expressions
 *                       about link-layer headers (`ether host`, `ether
 *                       broadcast`, `vlan`, ...) cannot compile there;
 *                       ptd_cbpf_compile() says so (see below).
 *   user space (-r)     the savefile's link type, e.g. DLT_LINUX_SLL2 for
 *                       captures of `-i any`.
 */
#ifndef PTD_CORE_BPF_COMPILE_H
#define PTD_CORE_BPF_COMPILE_H

#include <stddef.h>
#include <stdint.h>

/* One classic BPF instruction: libpcap's struct bpf_insn, bit for bit. */
struct ptd_cbpf_insn {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

struct ptd_cbpf_prog {
	struct ptd_cbpf_insn *insns;
	size_t len;
};

struct ptd_cbpf_compile_req {
	const char *expression; /* NULL or "" matches every packet */
	int linktype;           /* DLT_* (not LINKTYPE_*: DLT_RAW is 12 here) */
	uint32_t snaplen;       /* what accepting rules return; 0: 262144 */
	int optimize;           /* 0 for tcpdump's -O */
	uint32_t netmask;       /* for `ip broadcast`; 0 when unknown, as tcpdump */
};

/*
 * Compiles req->expression as tcpdump would for a capture of that link type.
 * Returns 0 and fills *out (free with ptd_cbpf_prog_free), or:
 *   -EINVAL  the expression does not compile; err holds libpcap's message,
 *            exactly what tcpdump prints after "tcpdump: ".
 *   -EPROTONOSUPPORT  req->linktype is DLT_RAW and the expression needs a
 *            link-layer header (it compiles for Ethernet): err holds
 *            libpcap's message followed by an explanation.
 *   -ENOMEM, or -EINVAL for an unknown link type (libpcap's message).
 */
int ptd_cbpf_compile(const struct ptd_cbpf_compile_req *req,
		     struct ptd_cbpf_prog *out, char *err, size_t errlen);

/* Frees what ptd_cbpf_compile() allocated; accepts NULL and empty programs. */
void ptd_cbpf_prog_free(struct ptd_cbpf_prog *prog);

/*
 * Runs prog on one packet in user space with libpcap's own interpreter
 * (pcap_offline_filter): the verdict tcpdump -r gives.  Returns the
 * program's return value: 0 rejects, anything else accepts (and is the
 * snap length).  libpcap knows nothing of the Linux ancillary loads
 * (`inbound`, `ifindex`, ... on DLT_EN10MB and DLT_RAW): they reject.
 */
uint32_t ptd_cbpf_filter(const struct ptd_cbpf_prog *prog, const uint8_t *pkt,
			 uint32_t wirelen, uint32_t caplen);

/* Writes libpcap's disassembly of prog (bpf_dump's -d format) to a string.
 * Returns 0, -ENOMEM or -ENOSPC (output truncated). */
int ptd_cbpf_dump(const struct ptd_cbpf_prog *prog, char *buf, size_t buflen);

#endif /* PTD_CORE_BPF_COMPILE_H */
