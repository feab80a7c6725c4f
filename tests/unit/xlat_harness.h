/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the translator's suites share: classic instructions written by hand,
 * the captures of tests/xlat-data, a reference interpreter of libpcap's
 * semantics, and loading and running translated programs in the kernel
 * with BPF_PROG_TEST_RUN.
 */
#ifndef PTD_TEST_XLAT_HARNESS_H
#define PTD_TEST_XLAT_HARNESS_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h>
#include <linux/filter.h>

#include "core/bpf_xlat.h"

/* ------------------------------------------- classic programs by hand */

#define I(code, jt, jf, k) { (code), (jt), (jf), (k) }
#define LD_IMM(k)   I(BPF_LD | BPF_IMM, 0, 0, k)
#define LDX_IMM(k)  I(BPF_LDX | BPF_IMM, 0, 0, k)
#define LDB(k)      I(BPF_LD | BPF_B | BPF_ABS, 0, 0, k)
#define ALU_K(op, k) I(BPF_ALU | (op) | BPF_K, 0, 0, k)
#define ALU_X(op)   I(BPF_ALU | (op) | BPF_X, 0, 0, 0)
#define RET_K(k)    I(BPF_RET | BPF_K, 0, 0, k)
#define RET_A       I(BPF_RET | BPF_A, 0, 0, 0)
#define TAX         I(BPF_MISC | BPF_TAX, 0, 0, 0)
#define TXA         I(BPF_MISC | BPF_TXA, 0, 0, 0)
#define ANC(n)      I(BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)(SKF_AD_OFF + (n)))

/* ------------------------------------------------------------ captures */

struct packet {
	uint8_t *data;
	uint32_t len;
};

struct capture {
	const char *file;
	int dlt;
	struct packet *pkts;
	size_t n;
};

/* lo.pcap, special.pcap (both DLT_EN10MB), any.pcap, special-sll2.pcap
 * (DLT_LINUX_SLL2), raw.pcap (DLT_RAW), in this order; read by
 * xlat_kernel_main(). */
extern struct capture captures[];
extern const size_t n_captures;

/* True for the frames BPF_PROG_TEST_RUN refuses. */
bool test_run_refuses(const uint8_t *frame, uint32_t len);

/* ----------------------------------------------- reference interpreter */

/* What the kernel knows about the skb; NULL: libpcap's view (none). */
struct skb_meta {
	uint32_t pkt_type;
	uint32_t ifindex;
	uint32_t protocol; /* host order */
	uint32_t mark;
};

/* libpcap 1.10's interpreter, plus the ancillary loads given meta. */
uint32_t ref_run(const struct ptd_cbpf_prog *prog, const uint8_t *p,
		 uint32_t len, const struct skb_meta *meta);
bool uses_ancillary(const struct ptd_cbpf_prog *prog);

/* -------------------------------------------------------------- kernel */

enum hook {
	HOOK_TC,        /* the body as the program: R1 = ctx, R0 = verdict */
	HOOK_TC_CALLED, /* the body as a function, as it is spliced */
	HOOK_CGROUP,    /* a function behind a caller returning 0 or 1 */
};

extern const char *const hook_names[];
/* The verifier's log of the last load_hook() that failed. */
extern char verifier_log[1 << 16];

/* Loads body as hook wants it.  Returns an fd, or -errno with the
 * verifier's log in verifier_log. */
int load_hook(const struct ptd_ebpf_prog *body, enum hook hook);
/* Runs one packet with ifindex 1 and mark 0x1234; 0 or -errno. */
int run_packet(int fd, const uint8_t *data, uint32_t len, uint32_t *retval);
/* pkt as a cgroup-skb test run wants it, behind a zeroed Ethernet header;
 * *len is set; the caller frees it. */
uint8_t *with_fake_l2(const struct packet *pkt, uint32_t *len);
/* pkt_type and ifindex as test_run sets them for these bytes. */
int probe_meta(const uint8_t *data, uint32_t len, struct skb_meta *m);

/* A test case of s with time for the kernel's test runs. */
TCase *xlat_kernel_tcase(Suite *s, const char *name);
/* main() of the suites that need the kernel: skips (77, the reason on
 * stdout) when it cannot load BPF; reads the captures, runs the suite
 * make() returns in one process (so that counters cover every test), then
 * summary().  Returns the exit status. */
int xlat_kernel_main(Suite *(*make)(void), void (*summary)(void));

#endif
