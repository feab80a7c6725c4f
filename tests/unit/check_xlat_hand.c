/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The classic-to-eBPF translator on classic programs written by hand: the
 * corners libpcap's compiler does not reach (division by zero, shifts past
 * 31 bits, loads past 2 GiB, loops, uninitialised scratch memory) and
 * every Linux ancillary load, run in the kernel with BPF_PROG_TEST_RUN on
 * the DLT_EN10MB captures of tests/xlat-data and compared with
 * pcap_offline_filter() or a fixed expectation; each translated with the
 * direct packet loads and with bpf_skb_load_bytes only.
 *
 * Needs root and a kernel that loads BPF; without, the exit status is 77
 * (skipped).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_packet.h>
#include <pcap/dlt.h> /* macros only: no struct bpf_insn */

#include "tests/unit/xlat_harness.h"

/* ------------------------------------------------- hand-made programs */

#define MAX_HAND 16

/* kernel verdicts compared, for the summary */
static unsigned int verdicts;

#define ORACLE_PCAP UINT32_MAX /* want: whatever pcap_offline_filter says */

/* Both ways of loading packet bytes. */
static const uint32_t load_paths[] = { 0, PTD_XLAT_F_NO_DIRECT };
#define N_LOAD_PATHS (sizeof(load_paths) / sizeof(load_paths[0]))

struct hand_case {
	const char *name;
	struct ptd_cbpf_insn insns[MAX_HAND];
	uint32_t want;
};

static const struct hand_case hand_cases[] = {
	{ "div by X = 0", { LD_IMM(10), LDX_IMM(0), ALU_X(BPF_DIV), RET_K(1) },
	  ORACLE_PCAP },
	{ "mod by X = 0", { LD_IMM(10), LDX_IMM(0), ALU_X(BPF_MOD), RET_K(1) },
	  ORACLE_PCAP },
	{ "div and mod by X", { LDB(14), LDX_IMM(3), ALU_X(BPF_DIV),
	  I(BPF_ST, 0, 0, 0), LDB(15), LDX_IMM(7), ALU_X(BPF_MOD),
	  I(BPF_LDX | BPF_MEM, 0, 0, 0), ALU_X(BPF_ADD), ALU_K(BPF_ADD, 1),
	  RET_A }, ORACLE_PCAP },
	{ "lsh by X = 33", { LD_IMM(1), LDX_IMM(33), ALU_X(BPF_LSH),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), RET_K(5), RET_K(7) },
	  ORACLE_PCAP },
	{ "rsh by X = 31, 32", { LD_IMM(0x80000000), LDX_IMM(31), ALU_X(BPF_RSH),
	  I(BPF_ST, 0, 0, 1), LD_IMM(0x80000000), LDX_IMM(32), ALU_X(BPF_RSH),
	  I(BPF_LDX | BPF_MEM, 0, 0, 1), ALU_X(BPF_ADD), ALU_K(BPF_ADD, 100),
	  RET_A }, ORACLE_PCAP },
	{ "shift by packet byte", { LDB(14), ALU_K(BPF_AND, 0x3f), TAX,
	  LD_IMM(0x12345678), ALU_X(BPF_LSH), ALU_X(BPF_RSH), RET_A },
	  ORACLE_PCAP },
	{ "indirect load past 4 GiB", { LDX_IMM(0xffffffff),
	  I(BPF_LD | BPF_B | BPF_IND, 0, 0, 2), RET_K(9) }, ORACLE_PCAP },
	/* X + k past 4 GiB whose low 32 bits are an offset in every packet:
	 * still rejected, on the direct path's fallback too */
	{ "indirect load wrapping to byte 14", { LDX_IMM(0xfffffff0),
	  I(BPF_LD | BPF_B | BPF_IND, 0, 0, 0x1e), RET_K(9) }, 0 },
	{ "indirect word wrapping to byte 12", { LDX_IMM(0x80000000),
	  I(BPF_LD | BPF_W | BPF_IND, 0, 0, 0x8000000c), RET_K(9) }, 0 },
	{ "indirect X + k = INT_MAX + 1", { LDX_IMM(0x7fffffff),
	  I(BPF_LD | BPF_B | BPF_IND, 0, 0, 1), RET_K(9) }, ORACLE_PCAP },
	/* X from a packet byte, beyond what the verifier's packet offsets
	 * take (X + k + size > 0xffff) and just within: both past the end */
	{ "indirect past 0xffff", { LDB(23), ALU_K(BPF_OR, 0xff00), TAX,
	  I(BPF_LD | BPF_H | BPF_IND, 0, 0, 0xff), RET_K(9) }, 0 },
	{ "indirect ending at 0xffff", { LDB(23), ALU_K(BPF_OR, 0xff00), TAX,
	  TXA, ALU_K(BPF_SUB, 0xff), ALU_X(BPF_SUB), ALU_K(BPF_ADD, 0xfffd),
	  TAX, I(BPF_LD | BPF_H | BPF_IND, 0, 0, 0xff), RET_K(9) }, 0 },
	/* X + k from packet bytes, within every packet: the direct path */
	{ "indirect from packet bytes", { I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 14),
	  I(BPF_LD | BPF_H | BPF_IND, 0, 0, 14), TAX,
	  I(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0), ALU_K(BPF_SUB, 1), ALU_X(BPF_AND),
	  TAX, I(BPF_LD | BPF_B | BPF_IND, 0, 0, 0), ALU_K(BPF_ADD, 1), RET_A },
	  ORACLE_PCAP },
	{ "indirect load with k past INT_MAX", { LDX_IMM(0),
	  I(BPF_LD | BPF_H | BPF_IND, 0, 0, 0x80000001), RET_K(9) }, ORACLE_PCAP },
	{ "indirect byte at len", { I(BPF_LDX | BPF_W | BPF_LEN, 0, 0, 0),
	  I(BPF_LD | BPF_B | BPF_IND, 0, 0, 0), RET_K(9) }, ORACLE_PCAP },
	{ "last byte, half, word", { I(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),
	  ALU_K(BPF_SUB, 4), TAX, I(BPF_LD | BPF_W | BPF_IND, 0, 0, 0),
	  I(BPF_ST, 0, 0, 2), I(BPF_LD | BPF_H | BPF_IND, 0, 0, 2),
	  I(BPF_LDX | BPF_MEM, 0, 0, 2), ALU_X(BPF_XOR),
	  I(BPF_LD | BPF_B | BPF_IND, 0, 0, 3), ALU_K(BPF_OR, 0x100), RET_A },
	  ORACLE_PCAP },
	{ "half past the end", { I(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),
	  ALU_K(BPF_SUB, 1), TAX, I(BPF_LD | BPF_H | BPF_IND, 0, 0, 0),
	  RET_K(9) }, ORACLE_PCAP },
	{ "absolute load at INT_MAX", { I(BPF_LD | BPF_W | BPF_ABS, 0, 0,
	  0x7ffffffe), RET_K(9) }, ORACLE_PCAP },
	{ "absolute byte at 2 GiB", { LDB(0x80000000), RET_K(9) }, ORACLE_PCAP },
	{ "msh", { I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 14), TXA,
	  ALU_K(BPF_ADD, 1), RET_A }, ORACLE_PCAP },
	/* libpcap 1.10 reads stack garbage here (1.11 zeroes M[]) */
	{ "M[] before any store", { I(BPF_LD | BPF_MEM, 0, 0, 3),
	  I(BPF_LDX | BPF_MEM, 0, 0, 15), ALU_X(BPF_OR),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), RET_K(11), RET_K(12) }, 11 },
	{ "return A = 0xffffffff", { LD_IMM(0xffffffff), RET_A }, ORACLE_PCAP },
	{ "neg", { LDB(14), I(BPF_ALU | BPF_NEG, 0, 0, 0), RET_A }, ORACLE_PCAP },
	{ "len, tax, txa", { I(BPF_LDX | BPF_W | BPF_LEN, 0, 0, 0), TXA,
	  ALU_X(BPF_ADD), TAX, TXA, RET_A }, ORACLE_PCAP },
	{ "jset true falls through", { LDB(14),
	  I(BPF_JMP | BPF_JSET | BPF_K, 0, 1, 0x40), RET_K(21), RET_K(22) },
	  ORACLE_PCAP },
	{ "jgt/jge/jeq true falls through", { LDB(14),
	  I(BPF_JMP | BPF_JGT | BPF_K, 0, 4, 0x44),
	  I(BPF_JMP | BPF_JGE | BPF_K, 0, 2, 0x46),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0x60), RET_K(1), RET_K(2),
	  RET_K(3), RET_K(4) }, ORACLE_PCAP },
	{ "jumps on X", { LDB(14), LDX_IMM(0x40),
	  I(BPF_JMP | BPF_JGT | BPF_X, 1, 0, 0), RET_K(1),
	  I(BPF_JMP | BPF_JGE | BPF_X, 1, 0, 0), RET_K(2),
	  I(BPF_JMP | BPF_JSET | BPF_X, 1, 0, 0), RET_K(3),
	  I(BPF_JMP | BPF_JEQ | BPF_X, 0, 1, 0), RET_K(4), RET_K(5) },
	  ORACLE_PCAP },
	{ "ALU with K", { LD_IMM(1000), ALU_K(BPF_ADD, 7), ALU_K(BPF_SUB, 3),
	  ALU_K(BPF_MUL, 3), ALU_K(BPF_DIV, 7), ALU_K(BPF_MOD, 100),
	  ALU_K(BPF_AND, 0xff), ALU_K(BPF_OR, 0x100), ALU_K(BPF_XOR, 5),
	  ALU_K(BPF_LSH, 4), ALU_K(BPF_RSH, 2), ALU_K(BPF_SUB, 0x80000000),
	  ALU_K(BPF_DIV, 0x90000000), ALU_K(BPF_ADD, 3), RET_A }, ORACLE_PCAP },
	{ "ALU with X", { LDB(23), TAX, LD_IMM(1000), ALU_X(BPF_ADD),
	  ALU_X(BPF_MUL), ALU_X(BPF_SUB), ALU_X(BPF_OR), ALU_X(BPF_XOR),
	  ALU_X(BPF_AND), ALU_K(BPF_ADD, 1), RET_A }, ORACLE_PCAP },
	{ "ja over code", { I(BPF_JMP | BPF_JA, 0, 0, 1), RET_K(1), RET_K(2) },
	  ORACLE_PCAP },
	{ "both branches to one place", { LDB(0),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 5), RET_K(1), RET_K(2) },
	  ORACLE_PCAP },
	{ "both branches fall through", { LDB(0),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 5), RET_K(3) }, ORACLE_PCAP },
	{ "unreachable code", { I(BPF_JMP | BPF_JA, 0, 0, 2), LDB(0), RET_K(1),
	  RET_K(4) }, ORACLE_PCAP },
	/* loops: libpcap 1.10 has no bound, so fixed expectations */
	{ "ja to itself", { I(BPF_JMP | BPF_JA, 0, 0, 0xffffffff) }, 0 },
	{ "64 backward jumps", { LD_IMM(0), ALU_K(BPF_ADD, 1),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 65),
	  I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-3), RET_A }, 65 },
	{ "65 backward jumps", { LD_IMM(0), ALU_K(BPF_ADD, 1),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 66),
	  I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-3), RET_A }, 0 },
	/* ancillary loads: see check_ancillary for their expectations */
};
#define N_HAND (sizeof(hand_cases) / sizeof(hand_cases[0]))

static size_t hand_len(const struct ptd_cbpf_insn *insns)
{
	size_t n = MAX_HAND;

	while (n && !insns[n - 1].code && !insns[n - 1].k &&
	       !insns[n - 1].jt && !insns[n - 1].jf)
		n--;
	return n;
}

/* Loads insns for hook; the caller closes the fd. */
static int load_cbpf(const struct ptd_cbpf_insn *insns, size_t n,
		     uint32_t flags, enum hook hook)
{
	struct ptd_xlat_opts opts = {
		.flags = flags,
		.max_backward_jumps = PTD_XLAT_DEFAULT_BACKWARD_JUMPS,
	};
	struct ptd_ebpf_prog body;
	char err[256];
	int ret, fd;

	ret = ptd_xlat_cbpf_opts(insns, n, &opts, &body, err, sizeof(err));
	ck_assert_msg(ret == 0, "translate: %s", err);
	fd = load_hook(&body, hook);
	ck_assert_msg(fd >= 0, "load: %s\n%s", strerror(-fd), verifier_log);
	ptd_ebpf_prog_free(&body);
	return fd;
}

/* Every DLT_EN10MB packet through hc translated with flags for hook. */
static void run_hand_case(const struct hand_case *hc,
			  const struct ptd_cbpf_prog *prog, uint32_t flags,
			  enum hook hook)
{
	uint32_t want, got;
	size_t k, i;
	int fd, ret;

	fd = load_cbpf(prog->insns, prog->len, flags, hook);
	for (k = 0; k < n_captures; k++) {
		const struct capture *c = &captures[k];

		if (c->dlt != DLT_EN10MB)
			continue;
		for (i = 0; i < c->n; i++) {
			const struct packet *p = &c->pkts[i];

			if (test_run_refuses(p->data, p->len))
				continue;
			want = hc->want;
			if (want == ORACLE_PCAP)
				want = ptd_cbpf_filter(prog, p->data, p->len,
						       p->len);
			ret = run_packet(fd, p->data, p->len, &got);
			ck_assert_msg(ret == 0, "%s: %s packet %zu: test_run: "
				      "%s", hook_names[hook], c->file, i + 1,
				      strerror(-ret));
			verdicts++;
			ck_assert_msg(got == want, "%s, %s, flags %#x: %s packet "
				      "%zu: want %u, got %u", hc->name,
				      hook_names[hook], flags, c->file, i + 1,
				      want, got);
		}
	}
	close(fd);
}

START_TEST(test_hand_made)
{
	const struct hand_case *hc = &hand_cases[_i];
	struct ptd_cbpf_prog prog = {
		.insns = (struct ptd_cbpf_insn *)hc->insns,
		.len = hand_len(hc->insns),
	};
	enum hook hook;
	size_t p;

	for (p = 0; p < N_LOAD_PATHS; p++)
		for (hook = HOOK_TC; hook <= HOOK_TC_CALLED; hook++)
			run_hand_case(hc, &prog, load_paths[p], hook);
}
END_TEST

/* skb->protocol as eth_type_trans() sets it for an Ethernet frame */
static uint32_t frame_protocol(const struct packet *p)
{
	uint32_t type = (uint32_t)p->data[12] << 8 | p->data[13];

	if (type >= 0x600)
		return type;
	if (p->len >= 16 && p->data[14] == 0xff && p->data[15] == 0xff)
		return 0x0001; /* ETH_P_802_3: raw IPX */
	return 0x0004;         /* ETH_P_802_2 */
}

struct anc_case {
	int32_t ad;
	uint32_t flags;
};

/* The value SKF_AD_OFF + ac->ad must yield for p; -1: any. */
static int64_t ancillary_want(const struct anc_case *ac,
			      const struct packet *p)
{
	struct skb_meta meta;

	switch (ac->ad) {
	case SKF_AD_PROTOCOL:
		return frame_protocol(p);
	case SKF_AD_PKTTYPE:
		if (ac->flags & PTD_XLAT_F_EGRESS)
			return PACKET_OUTGOING;
		ck_assert_int_eq(probe_meta(p->data, p->len, &meta), 0);
		return meta.pkt_type;
	case SKF_AD_IFINDEX:
		return 1;       /* lo, as test_run uses for ifindex <= 1 */
	case SKF_AD_MARK:
		return 0x1234;  /* run_packet's ctx_in */
	case SKF_AD_ALU_XOR_X:
		return 0x0ff0;
	case SKF_AD_CPU:
	case SKF_AD_RANDOM:
		return -1;
	default:
		return 0;       /* queue, hash, VLAN: test_run leaves them 0 */
	}
}

static const struct anc_case anc_cases[] = {
	{ .ad = SKF_AD_PROTOCOL }, { .ad = SKF_AD_PKTTYPE },
	{ .ad = SKF_AD_PKTTYPE, .flags = PTD_XLAT_F_EGRESS },
	{ .ad = SKF_AD_IFINDEX }, { .ad = SKF_AD_MARK }, { .ad = SKF_AD_QUEUE },
	{ .ad = SKF_AD_RXHASH }, { .ad = SKF_AD_CPU }, { .ad = SKF_AD_ALU_XOR_X },
	{ .ad = SKF_AD_VLAN_TAG }, { .ad = SKF_AD_VLAN_TAG_PRESENT },
	{ .ad = SKF_AD_RANDOM }, { .ad = SKF_AD_VLAN_TPID },
};
#define N_ANC (sizeof(anc_cases) / sizeof(anc_cases[0]))

START_TEST(test_ancillary)
{
	const struct anc_case *ac = &anc_cases[_i];
	const struct ptd_cbpf_insn prog[] = {
		LD_IMM(0x0f0f), LDX_IMM(0x00ff), ANC(ac->ad), RET_A,
	};
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	const struct capture *c = &captures[1]; /* special.pcap */
	enum hook hook;
	int64_t want;
	uint32_t got;
	size_t i;
	int fd;

	ck_assert_str_eq(c->file, "special.pcap");
	for (hook = HOOK_TC; hook <= HOOK_TC_CALLED; hook++) {
		fd = load_cbpf(prog, 4, ac->flags, hook);
		for (i = 0; i < c->n; i++) {
			const struct packet *p = &c->pkts[i];

			ck_assert_int_eq(run_packet(fd, p->data, p->len, &got), 0);
			verdicts++;
			want = ancillary_want(ac, p);
			if (ac->ad == SKF_AD_CPU)
				ck_assert_uint_lt(got, (uint32_t)cpus);
			else if (want >= 0)
				ck_assert_msg(got == want, "SKF_AD_OFF+%d flags "
					      "%#x %s packet %zu: want %lld, got "
					      "%u", ac->ad, ac->flags,
					      hook_names[hook], i + 1,
					      (long long)want, got);
		}
		close(fd);
	}
}
END_TEST

/* ---------------------------------------------------------------- main */

static Suite *xlat_hand_suite(void)
{
	Suite *s = suite_create("xlat-hand-made");

	tcase_add_loop_test(xlat_kernel_tcase(s, "hand-made"), test_hand_made,
			    0, N_HAND);
	tcase_add_loop_test(xlat_kernel_tcase(s, "ancillary"), test_ancillary,
			    0, N_ANC);
	return s;
}

static void print_verdicts(void)
{
	printf("xlat: %zu hand-made programs, %zu ancillary loads: %u verdicts "
	       "compared\n", N_HAND, N_ANC, verdicts);
}

int main(void)
{
	return xlat_kernel_main(xlat_hand_suite, print_verdicts);
}
