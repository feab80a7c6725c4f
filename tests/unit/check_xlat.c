/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The classic-to-eBPF translator without the kernel: the programs it
 * refuses and why, loops, the shape of what it emits, and compiling
 * pcap-filter expressions with libpcap.  Its verdicts in the kernel are
 * checked by check_xlat_corpus and check_xlat_hand.
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h> /* macros only: no struct bpf_insn */

#include "tests/unit/xlat_harness.h"

/* ------------------------------------------- translation, no kernel */

struct bad_case {
	const char *name;
	struct ptd_cbpf_insn insns[4];
	size_t n;
	int ret;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "empty", { RET_K(0) }, 0, -EINVAL, "empty program" },
	{ "opcode 0xff", { I(0xff, 0, 0, 0), RET_K(0) }, 2, -EOPNOTSUPP,
	  "insn 0: unsupported opcode 0xff" },
	{ "eBPF mov in classic", { LD_IMM(1), I(BPF_ALU | BPF_MOV | BPF_K, 0, 0, 1),
	  RET_A }, 3, -EOPNOTSUPP, "insn 1: unsupported opcode 0xb4" },
	{ "neg X", { I(BPF_ALU | BPF_NEG | BPF_X, 0, 0, 0), RET_A }, 2,
	  -EOPNOTSUPP, "unsupported opcode 0x8c" },
	{ "ret X", { I(BPF_RET | BPF_X, 0, 0, 0) }, 1, -EOPNOTSUPP,
	  "unsupported opcode 0x0e" },
	{ "ld mode 0xe0", { I(BPF_LD | 0xe0, 0, 0, 0), RET_A }, 2, -EOPNOTSUPP,
	  "unsupported opcode 0xe0" },
	{ "jne", { I(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0), RET_K(0) }, 2,
	  -EOPNOTSUPP, "insn 0: unsupported jump opcode 0x55" },
	{ "jump out", { I(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0), RET_K(0) }, 2,
	  -EINVAL, "insn 0: conditional jump outside the program" },
	{ "ja out", { I(BPF_JMP | BPF_JA, 0, 0, 7), RET_K(0) }, 2, -EINVAL,
	  "insn 0: jump to 8, outside the program" },
	{ "ja before 0", { RET_K(0), I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-3) },
	  2, 0, NULL }, /* unreachable: never looked at */
	{ "runs off the end", { LD_IMM(1) }, 1, -EINVAL,
	  "insn 0: code runs off the end of the program" },
	{ "M[16]", { I(BPF_ST, 0, 0, 16), RET_K(0) }, 2, -EINVAL,
	  "insn 0: scratch memory M[16] does not exist" },
	{ "div by constant 0", { ALU_K(BPF_DIV, 0), RET_A }, 2, -EINVAL,
	  "insn 0: division by constant zero" },
	{ "mod by constant 0", { ALU_K(BPF_MOD, 0), RET_A }, 2, -EINVAL,
	  "division by constant zero" },
	{ "lsh by 32", { ALU_K(BPF_LSH, 32), RET_A }, 2, -EINVAL,
	  "insn 0: shift by constant 32, more than 31 bits" },
	{ "SKF_AD_HATYPE", { ANC(SKF_AD_HATYPE), RET_A }, 2, -EOPNOTSUPP,
	  "insn 0: unsupported Linux ancillary load SKF_AD_OFF+28" },
	{ "SKF_AD_PAY_OFFSET", { ANC(SKF_AD_PAY_OFFSET), RET_A }, 2,
	  -EOPNOTSUPP, "unsupported Linux ancillary load SKF_AD_OFF+52" },
	{ "SKF_NET_OFF", { LDB((uint32_t)SKF_NET_OFF + 9), RET_A }, 2,
	  -EOPNOTSUPP, "insn 0: unsupported load relative to the network header" },
	{ "SKF_LL_OFF", { LDB((uint32_t)SKF_LL_OFF), RET_A }, 2, -EOPNOTSUPP,
	  "relative to the link header" },
};
#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

START_TEST(test_bad_programs)
{
	const struct bad_case *bc = &bad_cases[_i];
	struct ptd_ebpf_prog out;
	char err[256] = "";
	int ret;

	ret = ptd_xlat_cbpf(bc->insns, bc->n, &out, err, sizeof(err));
	ck_assert_msg(ret == bc->ret, "%s: returned %d (%s)", bc->name, ret, err);
	if (bc->msg)
		ck_assert_msg(strstr(err, bc->msg), "%s: '%s' lacks '%s'",
			      bc->name, err, bc->msg);
	if (ret < 0)
		ck_assert_ptr_null(out.insns);
	ptd_ebpf_prog_free(&out);
}
END_TEST

START_TEST(test_loops_refused)
{
	const struct ptd_cbpf_insn prog[] = {
		LD_IMM(0), ALU_K(BPF_ADD, 1), I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 3),
		I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-3), RET_A,
	};
	struct ptd_xlat_opts opts = { .max_backward_jumps = 0 };
	struct ptd_ebpf_prog out;
	char err[256];

	ck_assert_int_eq(ptd_xlat_cbpf_opts(prog, 5, &opts, &out, err,
					    sizeof(err)), -EOPNOTSUPP);
	ck_assert_str_eq(err, "insn 3: backward jump (libpcap emits them for "
			 "protochain), and loops are not allowed");
	opts.max_backward_jumps = 8;
	ck_assert_int_eq(ptd_xlat_cbpf_opts(prog, 5, &opts, &out, err,
					    sizeof(err)), 0);
	ck_assert_uint_eq(out.stack_depth, 80); /* one loop counter */
	ptd_ebpf_prog_free(&out);
}
END_TEST

static bool is_exit(const struct bpf_insn *i)
{
	return i->code == (BPF_JMP | BPF_EXIT);
}

/* How many times the code reads the __sk_buff field at off. */
static size_t ctx_reads(const struct ptd_ebpf_prog *p, size_t off)
{
	size_t i, n = 0;

	for (i = 0; i < p->len; i++)
		n += p->insns[i].code == (BPF_LDX | BPF_MEM | BPF_W) &&
		     p->insns[i].src_reg != BPF_REG_10 &&
		     p->insns[i].off == (int16_t)off;
	return n;
}

static size_t helper_calls(const struct ptd_ebpf_prog *p, int32_t id)
{
	size_t i, n = 0;

	for (i = 0; i < p->len; i++)
		n += p->insns[i].code == (BPF_JMP | BPF_CALL) &&
		     p->insns[i].imm == id;
	return n;
}

static int xlat_flags(const struct ptd_cbpf_insn *in, size_t n,
		      uint32_t flags, struct ptd_ebpf_prog *out, char *err,
		      size_t errlen)
{
	struct ptd_xlat_opts opts = {
		.flags = flags,
		.max_backward_jumps = PTD_XLAT_DEFAULT_BACKWARD_JUMPS,
	};

	return ptd_xlat_cbpf_opts(in, n, &opts, out, err, errlen);
}

#define DATA_OFF offsetof(struct __sk_buff, data)
#define DATA_END_OFF offsetof(struct __sk_buff, data_end)

START_TEST(test_shape)
{
	const struct ptd_cbpf_insn ret0[] = { RET_K(0) };
	const struct ptd_cbpf_insn load[] = { LDB(0), RET_A };
	const struct ptd_cbpf_insn dead[] = {
		I(BPF_JMP | BPF_JA, 0, 0, 1), LDB(0), RET_K(7),
	};
	struct ptd_ebpf_prog out;
	char err[256];
	size_t i, exits = 0;

	/* prologue (ctx, A, X) and the return; no reject exit nobody uses */
	ck_assert_int_eq(ptd_xlat_cbpf(ret0, 1, &out, err, sizeof(err)), 0);
	ck_assert_uint_eq(out.len, 5);
	ck_assert_uint_eq(out.stack_depth, 0);
	ck_assert(is_exit(&out.insns[4]));
	ptd_ebpf_prog_free(&out);

	/* a packet load shares one reject exit at the end */
	ck_assert_int_eq(ptd_xlat_cbpf(load, 2, &out, err, sizeof(err)), 0);
	for (i = 0; i < out.len; i++)
		exits += is_exit(&out.insns[i]);
	ck_assert_uint_eq(exits, 2);
	ck_assert(is_exit(&out.insns[out.len - 1]));
	ck_assert_int_eq(out.insns[out.len - 2].imm, 0);
	ck_assert_uint_eq(out.stack_depth, 8);
	ptd_ebpf_prog_free(&out);

	/* the direct path reads data and data_end before each load and
	 * jumps to the helper path, after the code */
	ck_assert_int_eq(ptd_xlat_cbpf(load, 2, &out, err, sizeof(err)), 0);
	ck_assert_uint_eq(ctx_reads(&out, DATA_OFF), 1);
	ck_assert_uint_eq(ctx_reads(&out, DATA_END_OFF), 1);
	ck_assert_uint_eq(helper_calls(&out, BPF_FUNC_skb_load_bytes), 1);
	for (i = 0; i < out.len && !is_exit(&out.insns[i]); i++)
		ck_assert_uint_ne(out.insns[i].code, BPF_JMP | BPF_CALL);
	ck_assert_uint_lt(i, out.len - 2); /* the return of A, then more */
	ptd_ebpf_prog_free(&out);
	ck_assert_int_eq(xlat_flags(load, 2, PTD_XLAT_F_NO_DIRECT, &out, err,
				    sizeof(err)), 0);
	ck_assert_uint_eq(ctx_reads(&out, DATA_OFF), 0);
	ck_assert_uint_eq(ctx_reads(&out, DATA_END_OFF), 0);
	ck_assert_uint_eq(helper_calls(&out, BPF_FUNC_skb_load_bytes), 1);
	ck_assert_uint_eq(out.stack_depth, 8);
	ptd_ebpf_prog_free(&out);

	/* unreachable classic code emits nothing; a jump to the next
	 * instruction neither */
	ck_assert_int_eq(ptd_xlat_cbpf(dead, 3, &out, err, sizeof(err)), 0);
	ck_assert_uint_eq(out.len, 5);
	ck_assert_int_eq(out.insns[3].imm, 7);
	ptd_ebpf_prog_free(&out);
	ptd_ebpf_prog_free(NULL);
}
END_TEST

/* Which packet loads get a direct path. */
START_TEST(test_direct_loads)
{
	const struct ptd_cbpf_insn kinds[] = {
		I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 12),
		I(BPF_LD | BPF_H | BPF_IND, 0, 0, 14),
		I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 14),
		I(BPF_LD | BPF_H | BPF_ABS, 0, 0, 0xfffd), /* ends at 0xffff */
		I(BPF_LD | BPF_B | BPF_IND, 0, 0, 0xfffe),
		I(BPF_LD | BPF_H | BPF_ABS, 0, 0, 0xfffe), /* ends past it */
		I(BPF_LD | BPF_B | BPF_IND, 0, 0, 0xffff),
		I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 0x7fffffff),
		RET_A,
	};
	/* a loop over an indirect load, then one after it */
	const struct ptd_cbpf_insn loop[] = {
		I(BPF_LD | BPF_B | BPF_IND, 0, 0, 14),
		TAX, I(BPF_JMP | BPF_JGT | BPF_K, 1, 0, 20),
		I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-4),
		I(BPF_LD | BPF_B | BPF_IND, 0, 0, 15), RET_A,
	};
	struct ptd_ebpf_prog out;
	char err[256];

	ck_assert_int_eq(ptd_xlat_cbpf(kinds, 9, &out, err, sizeof(err)), 0);
	ck_assert_uint_eq(ctx_reads(&out, DATA_OFF), 5);
	ck_assert_uint_eq(ctx_reads(&out, DATA_END_OFF), 5);
	ck_assert_uint_eq(helper_calls(&out, BPF_FUNC_skb_load_bytes), 8);
	ptd_ebpf_prog_free(&out);

	ck_assert_int_eq(ptd_xlat_cbpf(loop, 6, &out, err, sizeof(err)), 0);
	ck_assert_uint_eq(ctx_reads(&out, DATA_OFF), 1);
	ck_assert_uint_eq(helper_calls(&out, BPF_FUNC_skb_load_bytes), 2);
	ptd_ebpf_prog_free(&out);
}
END_TEST

/* A program whose jumps fit eBPF's offsets only without the direct paths
 * still translates, without them; a longer one does not at all. */
START_TEST(test_too_far_for_direct)
{
	struct ptd_cbpf_insn *prog;
	struct ptd_ebpf_prog out;
	size_t n = 4500, i;
	char err[256];

	prog = calloc(n + 1, sizeof(*prog));
	ck_assert_ptr_nonnull(prog);
	for (i = 0; i < n; i++)
		prog[i] = (struct ptd_cbpf_insn)LDB(14);
	prog[n] = (struct ptd_cbpf_insn)RET_A;

	/* 8 instructions per load inline, its reject jump crossing the rest;
	 * with a direct path 6, and 9 at the end: the jumps between them
	 * cross 9 per load */
	ck_assert_int_eq(ptd_xlat_cbpf(prog + 600, 3901, &out, err,
				       sizeof(err)), 0);
	ck_assert_uint_eq(ctx_reads(&out, DATA_OFF), 0);
	ck_assert_uint_eq(helper_calls(&out, BPF_FUNC_skb_load_bytes), 3900);
	ptd_ebpf_prog_free(&out);

	ck_assert_int_eq(ptd_xlat_cbpf(prog, n + 1, &out, err, sizeof(err)),
			 -E2BIG);
	ck_assert_ptr_nonnull(strstr(err, "jump too far for eBPF"));
	ck_assert_ptr_null(out.insns);

	/* short enough for both: direct paths */
	ck_assert_int_eq(ptd_xlat_cbpf(prog + 3500, 1001, &out, err,
				       sizeof(err)), 0);
	ck_assert_uint_eq(ctx_reads(&out, DATA_OFF), 1000);
	ptd_ebpf_prog_free(&out);
	free(prog);
}
END_TEST

/* --------------------------------------------------------- compiling */

static int compile(const char *expr, int dlt, struct ptd_cbpf_prog *prog,
		   char *err, size_t errlen)
{
	struct ptd_cbpf_compile_req req = {
		.expression = expr, .linktype = dlt, .optimize = 1,
	};

	return ptd_cbpf_compile(&req, prog, err, errlen);
}

START_TEST(test_compile)
{
	struct ptd_cbpf_compile_req req = {
		.expression = "", .linktype = DLT_EN10MB, .snaplen = 96,
	};
	struct ptd_cbpf_prog prog;
	char err[512], dump[1024];

	/* empty: accept with the snap length */
	ck_assert_int_eq(ptd_cbpf_compile(&req, &prog, err, sizeof(err)), 0);
	ck_assert_uint_eq(prog.len, 1);
	ck_assert_uint_eq(prog.insns[0].k, 96);
	ck_assert_int_eq(ptd_cbpf_dump(&prog, dump, sizeof(dump)), 0);
	ck_assert_str_eq(dump, "(000) ret      #96\n");
	ck_assert_int_eq(ptd_cbpf_dump(&prog, dump, 4), -ENOSPC);
	ptd_cbpf_prog_free(&prog);

	ck_assert_int_eq(compile("tcp", DLT_EN10MB, &prog, err, sizeof(err)), 0);
	ck_assert_uint_eq(prog.insns[prog.len - 2].k, 262144);
	ptd_cbpf_prog_free(&prog);

	/* libpcap's words, as tcpdump prints them */
	ck_assert_int_eq(compile("tcp port", DLT_EN10MB, &prog, err,
				 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "can't parse filter expression: syntax error");
	ck_assert_ptr_null(prog.insns);
	ck_assert_int_eq(compile("port 99999", DLT_EN10MB, &prog, err,
				 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "illegal port number 99999 > 65535");
	ck_assert_int_eq(compile("vlan", DLT_LINUX_SLL2, &prog, err,
				 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "no VLAN support for Linux cooked v2");
	ck_assert_int_eq(compile("ip and ip6", DLT_EN10MB, &prog, err,
				 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "expression rejects all packets");
	ck_assert_int_eq(compile("tcp", 12345, &prog, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unknown data link type"));
}
END_TEST

START_TEST(test_compile_l3)
{
	struct ptd_cbpf_prog prog;
	char err[512];

	ck_assert_int_eq(compile("ether host 1:2:3:4:5:6", DLT_RAW, &prog, err,
				 sizeof(err)), -EPROTONOSUPPORT);
	ck_assert_str_eq(err, "ethernet addresses supported only on "
			 "ethernet/FDDI/token ring/802.11/ATM LANE/Fibre "
			 "Channel (the expression needs a link-layer header, "
			 "but at this hook packets start at the IP header)");
	ck_assert_int_eq(compile("ether broadcast", DLT_RAW, &prog, err,
				 sizeof(err)), -EPROTONOSUPPORT);
	ck_assert_str_eq(err, "not a broadcast link (the expression needs a "
			 "link-layer header, but at this hook packets start "
			 "at the IP header)");
	/* wrong everywhere: libpcap's message alone */
	ck_assert_int_eq(compile("tcp port", DLT_RAW, &prog, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "can't parse filter expression: syntax error");
	/* `ip` at L3 tests the version nibble */
	ck_assert_int_eq(compile("ip", DLT_RAW, &prog, err, sizeof(err)), 0);
	ck_assert_uint_eq(prog.insns[0].code, BPF_LD | BPF_B | BPF_ABS);
	ck_assert_uint_eq(prog.insns[0].k, 0);
	ptd_cbpf_prog_free(&prog);
	ptd_cbpf_prog_free(NULL);
}
END_TEST

/* ---------------------------------------------------------------- main */

static Suite *xlat_suite(void)
{
	Suite *s = suite_create("xlat");
	TCase *tc = tcase_create("translate");

	tcase_add_loop_test(tc, test_bad_programs, 0, N_BAD);
	tcase_add_test(tc, test_loops_refused);
	tcase_add_test(tc, test_shape);
	tcase_add_test(tc, test_direct_loads);
	tcase_add_test(tc, test_too_far_for_direct);
	suite_add_tcase(s, tc);
	tc = tcase_create("compile");
	tcase_add_test(tc, test_compile);
	tcase_add_test(tc, test_compile_l3);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(xlat_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
