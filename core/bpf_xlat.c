/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Classic BPF to eBPF for __sk_buff programs: see bpf_xlat.h for the
 * contract.  With bpf_xlat_load.c (the loads and stores) and
 * bpf_xlat_emit.h (the state and the emitters they share), the only files
 * that include <linux/bpf.h> next to the classic opcode definitions
 * (<linux/filter.h>); they never see <pcap.h>.
 *
 * One pass finds the reachable classic instructions (the verifier refuses
 * eBPF code it cannot reach) and the loops, one pass emits code for them
 * in order and records every jump as a fixup naming its classic target,
 * then the packet loads' helper paths follow (bpf_xlat_load.c), and a
 * last pass turns fixups into offsets once every target's position is
 * known.
 */
#include <errno.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>
#include <linux/filter.h>

#include "core/bpf_xlat_emit.h"

/* ------------------------------------------------------------ analysis */

/* Where control goes after classic insn i: up to two successors.  Returns
 * their number, or -errno for a jump that leaves the program. */
static int successors(struct xlat *x, size_t i, size_t succ[2])
{
	const struct ptd_cbpf_insn *f = &x->in[i];
	int64_t t;

	switch (BPF_CLASS(f->code)) {
	case BPF_RET:
		return 0;
	case BPF_JMP:
		break;
	default:
		if (i + 1 >= x->n_in)
			return fail(x, -EINVAL, "insn %zu: code runs off the "
				    "end of the program", i);
		succ[0] = i + 1;
		return 1;
	}

	switch (f->code) {
	case BPF_JMP | BPF_JA:
		t = (int64_t)i + 1 + (int32_t)f->k;
		if (t < 0 || t >= (int64_t)x->n_in)
			return fail(x, -EINVAL, "insn %zu: jump to %lld, "
				    "outside the program", i, (long long)t);
		succ[0] = (size_t)t;
		return 1;
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		if (i + 1 + f->jt >= x->n_in || i + 1 + f->jf >= x->n_in)
			return fail(x, -EINVAL, "insn %zu: conditional jump "
				    "outside the program", i);
		succ[0] = i + 1 + f->jt;
		succ[1] = i + 1 + f->jf;
		return 2;
	default:
		return fail(x, -EOPNOTSUPP, "insn %zu: unsupported jump "
			    "opcode 0x%02x", i, f->code);
	}
}

/* The counter slot of the loop that jumps back to target, or -1. */
static int loop_slot(const struct xlat *x, size_t target)
{
	size_t n;

	for (n = 0; n < x->n_loops; n++)
		if (x->loop_target[n] == target)
			return (int)n;
	return -1;
}

static int add_loop(struct xlat *x, size_t from, size_t target)
{
	if (!x->max_back)
		return fail(x, -EOPNOTSUPP, "insn %zu: backward jump (libpcap "
			    "emits them for protochain), and loops are not "
			    "allowed", from);
	if (loop_slot(x, target) >= 0)
		return 0;
	if (x->n_loops == MAX_LOOPS)
		return fail(x, -E2BIG, "insn %zu: more than %d loops", from,
			    MAX_LOOPS);
	x->loop_target[x->n_loops++] = target;
	return 0;
}

/* Marks what runs from insn 0 on; notes loops and which M[] slots are
 * read, as the prologue must initialize those for the verifier. */
static int analyze(struct xlat *x)
{
	size_t *stack, depth = 0, succ[2], i;
	int n, k, ret = 0;

	stack = calloc(x->n_in, sizeof(*stack));
	if (!stack)
		return fail(x, -ENOMEM, "out of memory");
	x->reachable[0] = true;
	stack[depth++] = 0;
	while (depth) {
		i = stack[--depth];
		n = successors(x, i, succ);
		if (n < 0) {
			ret = n;
			goto out;
		}
		for (k = 0; k < n; k++) {
			if (succ[k] <= i) {
				ret = add_loop(x, i, succ[k]);
				if (ret < 0)
					goto out;
				/* all other jumps go forward: every cycle
				 * lies within the union of these spans */
				memset(&x->in_loop[succ[k]], true,
				       (i - succ[k] + 1) * sizeof(*x->in_loop));
			}
			if (!x->reachable[succ[k]]) {
				x->reachable[succ[k]] = true;
				stack[depth++] = succ[k];
			}
		}
	}
	for (i = 0; i < x->n_in; i++) {
		uint16_t c = x->in[i].code;

		if (x->reachable[i] && x->in[i].k < BPF_MEMWORDS &&
		    (c == (BPF_LD | BPF_MEM) || c == (BPF_LDX | BPF_MEM)))
			x->mem_read |= 1u << x->in[i].k;
	}
out:
	free(stack);
	return ret;
}

/* ------------------------------------------------------ ALU and jumps */

static int emit_shift_by_x(struct xlat *x, uint8_t op)
{
	/* libpcap: a shift by 32 or more gives 0; eBPF would mask the count */
	emit(x, insn(BPF_JMP32 | BPF_JGE | BPF_K, REG_X, 0, 2, 32));
	alu32_reg(x, op, REG_A, REG_X);
	emit(x, insn(BPF_JMP | BPF_JA, 0, 0, 1, 0));
	alu32_imm(x, BPF_MOV, REG_A, 0);
	return 0;
}

static int emit_alu(struct xlat *x, size_t i)
{
	const struct ptd_cbpf_insn *f = &x->in[i];
	bool is_x = BPF_SRC(f->code) == BPF_X;
	uint8_t op = BPF_OP(f->code);

	switch (op) {
	case BPF_ADD: case BPF_SUB: case BPF_MUL:
	case BPF_OR: case BPF_AND: case BPF_XOR:
		break;
	case BPF_DIV: case BPF_MOD:
		if (is_x) {
			/* cBPF rejects the packet; eBPF would yield 0 or A */
			emit_jump(x, insn(BPF_JMP32 | BPF_JEQ | BPF_K, REG_X,
					  0, 0, 0), LABEL_REJECT);
		} else if (f->k == 0) {
			return fail(x, -EINVAL, "insn %zu: division by "
				    "constant zero", i);
		}
		break;
	case BPF_LSH: case BPF_RSH:
		if (is_x)
			return emit_shift_by_x(x, op);
		/* pcap_compile refuses these, libpcap 1.10's interpreter
		 * leaves them to C (undefined), the kernel refuses them */
		if (f->k >= 32)
			return fail(x, -EINVAL, "insn %zu: shift by constant "
				    "%u, more than 31 bits", i, f->k);
		break;
	case BPF_NEG:
		if (is_x)
			goto unsupported;
		emit(x, insn(BPF_ALU | BPF_NEG, REG_A, 0, 0, 0));
		return 0;
	default:
		goto unsupported;
	}
	if (is_x)
		alu32_reg(x, op, REG_A, REG_X);
	else
		alu32_imm(x, op, REG_A, f->k);
	return 0;
unsupported:
	return fail(x, -EOPNOTSUPP, "insn %zu: unsupported opcode 0x%02x", i,
		    f->code);
}

/*
 * A loop may run max_back times per packet, then the packet is rejected.
 * Each loop has its own counter: a shared one would reach the next loop
 * with any of max_back values, and the verifier would walk that loop once
 * for each.  A and X are passed through a byte swap twice (a no-op) so that
 * the verifier forgets their ranges: otherwise every path through the loop
 * body leaves different ranges, and it explores the paths of the following
 * iterations separately for each.
 */
static int emit_backward_jump(struct xlat *x, size_t target)
{
	int16_t off = (int16_t)LOOP_OFF(loop_slot(x, target));

	ldx_mem(x, BPF_DW, BPF_REG_0, BPF_REG_10, off);
	emit_jump(x, insn(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 0, 0),
		  LABEL_REJECT);
	emit(x, insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_0, 0, 0, -1));
	stx_mem(x, BPF_DW, BPF_REG_10, BPF_REG_0, off);
	be_to_host(x, REG_A, 32);
	be_to_host(x, REG_A, 32);
	be_to_host(x, REG_X, 32);
	be_to_host(x, REG_X, 32);
	emit_jump(x, insn(BPF_JMP | BPF_JA, 0, 0, 0, 0), target);
	return 0;
}

/* The eBPF condition that holds when op does not, or 0 if none does. */
static uint8_t negated(uint8_t op)
{
	switch (op) {
	case BPF_JEQ:
		return BPF_JNE;
	case BPF_JGT:
		return BPF_JLE;
	case BPF_JGE:
		return BPF_JLT;
	default:
		return 0; /* BPF_JSET */
	}
}

/* The classic insn whose code follows insn i's: a jump there is none. */
static size_t next_emitted(const struct xlat *x, size_t i)
{
	while (++i < x->n_in && !x->reachable[i])
		;
	return i;
}

static int emit_jmp(struct xlat *x, size_t i)
{
	const struct ptd_cbpf_insn *f = &x->in[i];
	size_t next = next_emitted(x, i);
	size_t tt = i + 1 + f->jt, tf = i + 1 + f->jf;
	uint8_t src = BPF_SRC(f->code), op = BPF_OP(f->code);
	uint8_t sreg = src == BPF_X ? REG_X : 0;
	struct bpf_insn ja = insn(BPF_JMP | BPF_JA, 0, 0, 0, 0);

	if (f->code == (BPF_JMP | BPF_JA)) {
		tt = (size_t)((int64_t)i + 1 + (int32_t)f->k);
		if (tt <= i)
			return emit_backward_jump(x, tt);
		if (tt != next)
			emit_jump(x, ja, tt);
		return 0;
	}
	/* Conditions compare A as the 32-bit value it is (BPF_JMP32). */
	if (tt == tf) {
		if (tt != next)
			emit_jump(x, ja, tt);
	} else if (tf == next) {
		emit_jump(x, insn(BPF_JMP32 | op | src, REG_A, sreg, 0, f->k), tt);
	} else if (tt == next && negated(op)) {
		emit_jump(x, insn(BPF_JMP32 | negated(op) | src, REG_A, sreg, 0,
				  f->k), tf);
	} else if (tt == next) {
		emit(x, insn(BPF_JMP32 | op | src, REG_A, sreg, 1, f->k));
		emit_jump(x, ja, tf);
	} else {
		emit_jump(x, insn(BPF_JMP32 | op | src, REG_A, sreg, 0, f->k), tt);
		emit_jump(x, ja, tf);
	}
	return 0;
}

static int emit_insn(struct xlat *x, size_t i)
{
	const struct ptd_cbpf_insn *f = &x->in[i];

	switch (BPF_CLASS(f->code)) {
	case BPF_LD: case BPF_LDX: case BPF_ST: case BPF_STX:
		return xlat_emit_load_store(x, i);
	case BPF_ALU:
		return emit_alu(x, i);
	case BPF_JMP:
		return emit_jmp(x, i); /* analyze() vetted the opcode */
	case BPF_RET:
		if (f->code != (BPF_RET | BPF_K) && f->code != (BPF_RET | BPF_A))
			break;
		ret_reg_or_imm(x, f->code == (BPF_RET | BPF_A), f->k);
		return 0;
	case BPF_MISC:
		if (f->code == (BPF_MISC | BPF_TAX)) {
			alu32_reg(x, BPF_MOV, REG_X, REG_A);
			return 0;
		}
		if (f->code == (BPF_MISC | BPF_TXA)) {
			alu32_reg(x, BPF_MOV, REG_A, REG_X);
			return 0;
		}
		break;
	}
	return fail(x, -EOPNOTSUPP, "insn %zu: unsupported opcode 0x%02x", i,
		    f->code);
}

/* ------------------------------------------------------------- driver */

static void emit_prologue(struct xlat *x)
{
	uint32_t k;

	mov64_reg(x, REG_CTX, BPF_REG_1);
	alu32_imm(x, BPF_MOV, REG_A, 0);
	alu32_imm(x, BPF_MOV, REG_X, 0);
	/* The verifier refuses reads of stack never written; cBPF M[] reads
	 * before a store are rare but legal, and see 0 in libpcap. */
	for (k = 0; k < BPF_MEMWORDS; k++)
		if (x->mem_read & (1u << k))
			emit(x, insn(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0,
				     (int16_t)MEM_OFF(k), 0));
	for (k = 0; k < x->n_loops; k++)
		emit(x, insn(BPF_ST | BPF_MEM | BPF_DW, BPF_REG_10, 0,
			     (int16_t)LOOP_OFF(k), (int32_t)x->max_back));
}

/* Emits the shared reject exit if some jump wants it, then resolves every
 * jump's offset. */
static int resolve_jumps(struct xlat *x)
{
	size_t reject_at = SIZE_MAX, k, dest;
	int64_t off;

	for (k = 0; k < x->n_fix; k++) {
		if (x->fix[k].ebpf || x->fix[k].target != LABEL_REJECT)
			continue;
		reject_at = x->len;
		ret_reg_or_imm(x, false, 0);
		break;
	}
	if (x->ret)
		return fail(x, x->ret, "out of memory");
	for (k = 0; k < x->n_fix; k++) {
		if (x->fix[k].ebpf)
			dest = x->fix[k].target;
		else if (x->fix[k].target == LABEL_REJECT)
			dest = reject_at;
		else
			dest = x->start[x->fix[k].target];
		off = (int64_t)dest - (int64_t)x->fix[k].at - 1;
		if (off < INT16_MIN || off > INT16_MAX)
			return fail(x, -E2BIG, "jump too far for eBPF (%lld "
				    "instructions)", (long long)off);
		x->out[x->fix[k].at].off = (int16_t)off;
	}
	return 0;
}

static int translate(struct xlat *x)
{
	size_t i;
	int ret;

	ret = analyze(x);
	if (ret < 0)
		return ret;
	emit_prologue(x);
	for (i = 0; i < x->n_in; i++) {
		if (!x->reachable[i])
			continue;
		x->start[i] = x->len;
		x->cur = i;
		ret = emit_insn(x, i);
		if (ret < 0)
			return ret;
		if (x->ret)
			return fail(x, x->ret, "out of memory");
	}
	xlat_emit_slow_loads(x);
	return resolve_jumps(x);
}

/* One translation with these flags into out (left alone on failure). */
static int xlat_once(const struct ptd_cbpf_insn *in, size_t n_in,
		     uint32_t flags, uint32_t max_back,
		     struct ptd_ebpf_prog *out, char *err, size_t errlen)
{
	struct xlat x = {
		.in = in, .n_in = n_in, .err = err, .errlen = errlen,
		.max_back = max_back, .flags = flags,
	};
	int ret;

	x.reachable = calloc(n_in, sizeof(*x.reachable));
	x.in_loop = calloc(n_in, sizeof(*x.in_loop));
	x.start = calloc(n_in, sizeof(*x.start));
	if (!x.reachable || !x.in_loop || !x.start) {
		ret = fail(&x, -ENOMEM, "out of memory");
		goto out;
	}
	ret = translate(&x);
	if (ret < 0)
		goto out;
	out->insns = x.out;
	out->len = x.len;
	out->stack_depth = x.n_loops ? -LOOP_OFF(x.n_loops - 1) :
		x.mem_used ? MEM_END : x.uses_load ? -LOADBUF_OFF : 0;
	x.out = NULL;
out:
	free(x.out);
	free(x.fix);
	free(x.slow);
	free(x.reachable);
	free(x.in_loop);
	free(x.start);
	return ret;
}

int ptd_xlat_cbpf_opts(const struct ptd_cbpf_insn *in, size_t n_in,
		       const struct ptd_xlat_opts *opts,
		       struct ptd_ebpf_prog *out, char *err, size_t errlen)
{
	uint32_t max_back = opts ? opts->max_backward_jumps :
		PTD_XLAT_DEFAULT_BACKWARD_JUMPS;
	uint32_t flags = opts ? opts->flags : 0;
	int ret;

	if (max_back > INT32_MAX)
		max_back = INT32_MAX; /* an imm field holds it */
	out->insns = NULL;
	out->len = 0;
	out->stack_depth = 0;
	if (!n_in) {
		if (err && errlen)
			snprintf(err, errlen, "empty program");
		return -EINVAL;
	}
	ret = xlat_once(in, n_in, flags, max_back, out, err, errlen);
	/* The direct paths make the code longer and their helper paths sit
	 * at its end, far from the loads: a program whose jumps fit only
	 * without them is still worth running in the kernel. */
	if (ret == -E2BIG && !(flags & PTD_XLAT_F_NO_DIRECT))
		ret = xlat_once(in, n_in, flags | PTD_XLAT_F_NO_DIRECT,
				max_back, out, err, errlen);
	return ret;
}

void ptd_ebpf_prog_free(struct ptd_ebpf_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	prog->insns = NULL;
	prog->len = 0;
}
