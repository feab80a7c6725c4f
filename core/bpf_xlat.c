/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Classic BPF to eBPF for __sk_buff programs: see bpf_xlat.h for the
 * contract.  The only file that includes <linux/bpf.h> next to the classic
 * opcode definitions (<linux/filter.h>); it never sees <pcap.h>.
 *
 * One pass finds the reachable classic instructions (the verifier refuses
 * eBPF code it cannot reach) and the loops, one pass emits code for them
 * in order and records every jump as a fixup naming its classic target,
 * then the packet loads' helper paths follow (emit_slow_loads), and a
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
#include <linux/if_packet.h>

#include "core/bpf_xlat.h"

/* Register and stack layout of the translated code. */
#define REG_CTX  BPF_REG_6 /* the skb, kept across helper calls */
#define REG_A    BPF_REG_7
#define REG_X    BPF_REG_8

/*
 * Stack, below R10: the buffer bpf_skb_load_bytes writes (4 bytes used),
 * M[0..15], then one 8-byte counter per loop (backward-jump target): the
 * iterations it has left.
 */
#define LOADBUF_OFF (-8)
#define MEM_OFF(i) (-8 - 4 * (BPF_MEMWORDS - (int)(i)))
#define MEM_END 72
#define LOOP_OFF(n) (-MEM_END - 8 * ((int)(n) + 1))
#define MAX_LOOPS ((512 - MEM_END) / 8)

/* Fixup target meaning "the shared reject exit", not a classic insn. */
#define LABEL_REJECT SIZE_MAX

#define INT_MAX_U32 0x7fffffffu

/* The verifier's bound on packet offsets (MAX_PACKET_OFF): a load whose
 * last byte lies further than this from skb->data has no direct path. */
#define DIRECT_MAX_END 0xffffu

struct fixup {
	size_t at;     /* eBPF jump to patch */
	size_t target; /* classic insn index, LABEL_REJECT, or an eBPF index */
	bool ebpf;     /* target is an eBPF index */
};

/*
 * A packet load's helper path, emitted after all the classic code so
 * that the direct path falls through: the jumps to it, what it loads,
 * and where it jumps back to.
 */
struct slow_load {
	size_t jumps[2];
	size_t n_jumps;
	size_t resume;
	uint32_t k;
	uint8_t size, dst;
	bool indirect;
};

struct xlat {
	const struct ptd_cbpf_insn *in;
	size_t n_in;
	uint32_t flags;
	uint32_t max_back;

	bool *reachable;
	bool *in_loop; /* between a backward jump and its target */
	size_t *start; /* eBPF index of each classic insn's code */
	size_t cur;    /* the classic insn being translated */
	size_t loop_target[MAX_LOOPS]; /* classic insns that loops jump back to */
	size_t n_loops;
	bool uses_load;
	uint32_t mem_read; /* M[] slots some insn reads */
	uint32_t mem_used;

	struct bpf_insn *out;
	size_t len, cap;
	struct fixup *fix;
	size_t n_fix, cap_fix;
	struct slow_load *slow;
	size_t n_slow, cap_slow;
	int ret; /* first emission failure (-ENOMEM) */

	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct xlat *x, int ret, const char *fmt, ...)
{
	va_list ap;

	if (x->err && x->errlen) {
		va_start(ap, fmt);
		vsnprintf(x->err, x->errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/* ---------------------------------------------------------------- emit */

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src,
			    int16_t off, int32_t imm)
{
	struct bpf_insn i = {
		.code = code, .dst_reg = dst, .src_reg = src,
		.off = off, .imm = imm,
	};
	return i;
}

/* Appends one instruction; a failure is remembered in x->ret so that
 * sequences need not check every call. */
static void emit(struct xlat *x, struct bpf_insn i)
{
	struct bpf_insn *grown;
	size_t cap;

	if (x->ret)
		return;
	if (x->len == x->cap) {
		cap = x->cap ? 2 * x->cap : 64;
		grown = realloc(x->out, cap * sizeof(*grown));
		if (!grown) {
			x->ret = -ENOMEM;
			return;
		}
		x->out = grown;
		x->cap = cap;
	}
	x->out[x->len++] = i;
}

/* Records that the jump at eBPF index at goes to target (a classic insn,
 * LABEL_REJECT, or with ebpf an eBPF index). */
static void add_fixup(struct xlat *x, size_t at, size_t target, bool ebpf)
{
	struct fixup *grown;
	size_t cap;

	if (x->ret)
		return;
	if (x->n_fix == x->cap_fix) {
		cap = x->cap_fix ? 2 * x->cap_fix : 32;
		grown = realloc(x->fix, cap * sizeof(*grown));
		if (!grown) {
			x->ret = -ENOMEM;
			return;
		}
		x->fix = grown;
		x->cap_fix = cap;
	}
	x->fix[x->n_fix].at = at;
	x->fix[x->n_fix].target = target;
	x->fix[x->n_fix].ebpf = ebpf;
	x->n_fix++;
}

/* Emits a jump whose offset the last pass fills in. */
static void emit_jump(struct xlat *x, struct bpf_insn i, size_t target)
{
	emit(x, i);
	if (!x->ret)
		add_fixup(x, x->len - 1, target, false);
}

static void alu32_imm(struct xlat *x, uint8_t op, uint8_t dst, uint32_t imm)
{
	emit(x, insn(BPF_ALU | op | BPF_K, dst, 0, 0, (int32_t)imm));
}

static void alu32_reg(struct xlat *x, uint8_t op, uint8_t dst, uint8_t src)
{
	emit(x, insn(BPF_ALU | op | BPF_X, dst, src, 0, 0));
}

static void mov64_reg(struct xlat *x, uint8_t dst, uint8_t src)
{
	emit(x, insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0));
}

static void ldx_mem(struct xlat *x, uint8_t size, uint8_t dst, uint8_t src,
		    int16_t off)
{
	emit(x, insn(BPF_LDX | BPF_MEM | size, dst, src, off, 0));
}

static void stx_mem(struct xlat *x, uint8_t size, uint8_t dst, uint8_t src,
		    int16_t off)
{
	emit(x, insn(BPF_STX | BPF_MEM | size, dst, src, off, 0));
}

/* Converts the low `bits` of reg from big-endian to host order. */
static void be_to_host(struct xlat *x, uint8_t reg, int bits)
{
	emit(x, insn(BPF_ALU | BPF_END | BPF_TO_BE, reg, 0, 0, bits));
}

static void call_helper(struct xlat *x, int32_t id)
{
	emit(x, insn(BPF_JMP | BPF_CALL, 0, 0, 0, id));
}

static void ret_reg_or_imm(struct xlat *x, bool is_reg, uint32_t k)
{
	if (is_reg)
		alu32_reg(x, BPF_MOV, BPF_REG_0, REG_A);
	else
		alu32_imm(x, BPF_MOV, BPF_REG_0, k);
	emit(x, insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

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

/* ------------------------------------------------------------- loads */

static const uint8_t ldx_size[] = { [1] = BPF_B, [2] = BPF_H, [4] = BPF_W };

/*
 * The helper path: dst = the size-byte big-endian value at packet offset
 * k (+ X when indirect), or reject the packet when that is beyond its
 * end, as libpcap does.  bpf_skb_load_bytes copes with non-linear skbs
 * and fails for offsets past INT_MAX, so an absolute k needs no check of
 * its own.
 */
static void emit_helper_load(struct xlat *x, int size, uint32_t k,
			     bool indirect, uint8_t dst)
{
	x->uses_load = true;
	mov64_reg(x, BPF_REG_1, REG_CTX);
	alu32_imm(x, BPF_MOV, BPF_REG_2, k);
	if (indirect) {
		/* X + k in 64 bits: a sum past 4 GiB must not wrap to a
		 * small offset when the helper truncates it to u32. */
		emit(x, insn(BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_2, REG_X, 0, 0));
		emit_jump(x, insn(BPF_JMP | BPF_JGT | BPF_K, BPF_REG_2, 0, 0,
				  INT_MAX_U32), LABEL_REJECT);
	}
	mov64_reg(x, BPF_REG_3, BPF_REG_10);
	emit(x, insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, LOADBUF_OFF));
	emit(x, insn(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, size));
	call_helper(x, BPF_FUNC_skb_load_bytes);
	emit_jump(x, insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 0, 0),
		  LABEL_REJECT);
	ldx_mem(x, ldx_size[size], dst, BPF_REG_10, LOADBUF_OFF);
	if (size > 1)
		be_to_host(x, dst, size * 8);
}

/* Emits a conditional jump to the helper path of s, filled in later. */
static void jump_to_slow(struct xlat *x, struct slow_load *s,
			 struct bpf_insn i)
{
	emit(x, i);
	s->jumps[s->n_jumps++] = x->len - 1;
}

/*
 * The direct path: when the bytes lie in the linear area (between
 * skb->data and skb->data_end, which the verifier lets us read after a
 * comparison), load them from there; else, and for an X + k too large
 * for the verifier's packet offsets, take the helper path, queued for
 * emit_slow_loads().  data and data_end are read from the context at
 * each load: no packet pointer lives across a helper call or a loop.
 *
 *     absolute                        indirect
 *     r2 = skb->data                  r1 = k
 *     r3 = skb->data_end              r1 += X
 *     r1 = r2                         if r1 > 0xffff - size goto slow
 *     r1 += k + size                  r2 = skb->data
 *     if r1 > r3 goto slow            r3 = skb->data_end
 *     dst = *(size *)(r2 + k)         r2 += r1
 *                                     r1 = r2
 *                                     r1 += size
 *                                     if r1 > r3 goto slow
 *                                     dst = *(size *)(r2 + 0)
 *     byte swap; resume:
 *
 * X + k is bounded in a register of its own: were X compared itself, the
 * verifier would keep the two paths' different ranges of X apart, and in
 * a loop (protochain) their combinations multiply.  An absolute k past
 * what the offset field holds is added to r2 first.
 */
static void emit_direct_load(struct xlat *x, int size, uint32_t k,
			     bool indirect, uint8_t dst)
{
	struct slow_load s = {
		.k = k, .size = (uint8_t)size, .dst = dst, .indirect = indirect,
	};
	struct slow_load *grown;
	uint32_t off = indirect ? 0 : k;
	size_t cap;

	if (indirect) {
		alu32_imm(x, BPF_MOV, BPF_REG_1, k);
		emit(x, insn(BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_1, REG_X, 0, 0));
		jump_to_slow(x, &s, insn(BPF_JMP | BPF_JGT | BPF_K, BPF_REG_1,
					 0, 0, (int32_t)(DIRECT_MAX_END - size)));
	}
	ldx_mem(x, BPF_W, BPF_REG_2, REG_CTX, offsetof(struct __sk_buff, data));
	ldx_mem(x, BPF_W, BPF_REG_3, REG_CTX,
		offsetof(struct __sk_buff, data_end));
	if (indirect)
		emit(x, insn(BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_2, BPF_REG_1, 0, 0));
	if (off + size > INT16_MAX) {
		emit(x, insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0,
			     (int32_t)off));
		off = 0;
	}
	mov64_reg(x, BPF_REG_1, BPF_REG_2);
	emit(x, insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0,
		     (int32_t)(off + size)));
	jump_to_slow(x, &s, insn(BPF_JMP | BPF_JGT | BPF_X, BPF_REG_1,
				 BPF_REG_3, 0, 0));
	ldx_mem(x, ldx_size[size], dst, BPF_REG_2, (int16_t)off);
	if (size > 1)
		be_to_host(x, dst, size * 8);
	s.resume = x->len;
	if (x->ret)
		return;
	if (x->n_slow == x->cap_slow) {
		cap = x->cap_slow ? 2 * x->cap_slow : 16;
		grown = realloc(x->slow, cap * sizeof(*grown));
		if (!grown) {
			x->ret = -ENOMEM;
			return;
		}
		x->slow = grown;
		x->cap_slow = cap;
	}
	x->slow[x->n_slow++] = s;
}

/* The helper paths the direct paths jump to, each jumping back after. */
static void emit_slow_loads(struct xlat *x)
{
	const struct slow_load *s;
	size_t n, j;

	for (n = 0; n < x->n_slow && !x->ret; n++) {
		s = &x->slow[n];
		for (j = 0; j < s->n_jumps; j++)
			add_fixup(x, s->jumps[j], x->len, true);
		emit_helper_load(x, s->size, s->k, s->indirect, s->dst);
		emit(x, insn(BPF_JMP | BPF_JA, 0, 0, 0, 0));
		add_fixup(x, x->len - 1, s->resume, true);
	}
}

/*
 * dst = the size-byte big-endian value at packet offset k (+ X when
 * indirect), or reject the packet when that is beyond its end.
 *
 * An indirect load in a loop's body takes the helper path only: adding X
 * to a packet pointer makes the verifier track X's range exactly, and X
 * grows with each iteration, so it could no longer tell that the states
 * of different paths through an iteration are the same (protochain's
 * loop went from 40 thousand instructions verified to 400 thousand).
 */
static void emit_packet_load(struct xlat *x, int size, uint32_t k,
			     bool indirect, uint8_t dst)
{
	if (!(x->flags & PTD_XLAT_F_NO_DIRECT) &&
	    !(indirect && x->in_loop[x->cur]) &&
	    (uint64_t)k + (uint64_t)size <= DIRECT_MAX_END)
		emit_direct_load(x, size, k, indirect, dst);
	else
		emit_helper_load(x, size, k, indirect, dst);
}

static void load_skb_field(struct xlat *x, int16_t off)
{
	ldx_mem(x, BPF_W, REG_A, REG_CTX, off);
}

/* A = a Linux ancillary value (ld [SKF_AD_OFF + n]). */
static int emit_ancillary(struct xlat *x, size_t i, uint32_t k)
{
	switch ((int32_t)k - SKF_AD_OFF) {
	case SKF_AD_PROTOCOL:
		load_skb_field(x, offsetof(struct __sk_buff, protocol));
		be_to_host(x, REG_A, 16);
		break;
	case SKF_AD_PKTTYPE:
		if (x->flags & PTD_XLAT_F_EGRESS)
			alu32_imm(x, BPF_MOV, REG_A, PACKET_OUTGOING);
		else
			load_skb_field(x, offsetof(struct __sk_buff, pkt_type));
		break;
	case SKF_AD_IFINDEX:
		load_skb_field(x, offsetof(struct __sk_buff, ifindex));
		break;
	case SKF_AD_MARK:
		load_skb_field(x, offsetof(struct __sk_buff, mark));
		break;
	case SKF_AD_QUEUE:
		load_skb_field(x, offsetof(struct __sk_buff, queue_mapping));
		break;
	case SKF_AD_RXHASH:
		load_skb_field(x, offsetof(struct __sk_buff, hash));
		break;
	case SKF_AD_VLAN_TAG:
		load_skb_field(x, offsetof(struct __sk_buff, vlan_tci));
		break;
	case SKF_AD_VLAN_TAG_PRESENT:
		load_skb_field(x, offsetof(struct __sk_buff, vlan_present));
		break;
	case SKF_AD_VLAN_TPID:
		load_skb_field(x, offsetof(struct __sk_buff, vlan_proto));
		be_to_host(x, REG_A, 16);
		break;
	case SKF_AD_CPU:
		call_helper(x, BPF_FUNC_get_smp_processor_id);
		alu32_reg(x, BPF_MOV, REG_A, BPF_REG_0);
		break;
	case SKF_AD_RANDOM:
		call_helper(x, BPF_FUNC_get_prandom_u32);
		alu32_reg(x, BPF_MOV, REG_A, BPF_REG_0);
		break;
	case SKF_AD_ALU_XOR_X:
		alu32_reg(x, BPF_XOR, REG_A, REG_X);
		break;
	default:
		return fail(x, -EOPNOTSUPP, "insn %zu: unsupported Linux "
			    "ancillary load SKF_AD_OFF%+d", i,
			    (int32_t)k - SKF_AD_OFF);
	}
	return 0;
}

static int emit_ld_abs(struct xlat *x, size_t i, int size, uint32_t k)
{
	if (k >= (uint32_t)SKF_AD_OFF)
		return emit_ancillary(x, i, k);
	if (k >= (uint32_t)SKF_LL_OFF)
		return fail(x, -EOPNOTSUPP, "insn %zu: unsupported load "
			    "relative to the %s header (k = %#x)", i,
			    k >= (uint32_t)SKF_NET_OFF ? "network" : "link",
			    k);
	emit_packet_load(x, size, k, false, REG_A);
	return 0;
}

static int mem_slot(struct xlat *x, size_t i, uint32_t k, int16_t *off)
{
	if (k >= BPF_MEMWORDS)
		return fail(x, -EINVAL, "insn %zu: scratch memory M[%u] does "
			    "not exist", i, k);
	x->mem_used |= 1u << k;
	*off = (int16_t)MEM_OFF(k);
	return 0;
}

static int size_bytes(uint16_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_W:
		return 4;
	case BPF_H:
		return 2;
	default:
		return 1;
	}
}

/* M[] and A or X. */
static int emit_mem(struct xlat *x, size_t i)
{
	const struct ptd_cbpf_insn *f = &x->in[i];
	bool is_x = f->code == (BPF_LDX | BPF_MEM) || f->code == BPF_STX;
	int16_t off = 0;
	int ret;

	ret = mem_slot(x, i, f->k, &off);
	if (ret < 0)
		return ret;
	if (BPF_CLASS(f->code) == BPF_LD || BPF_CLASS(f->code) == BPF_LDX)
		ldx_mem(x, BPF_W, is_x ? REG_X : REG_A, BPF_REG_10, off);
	else
		stx_mem(x, BPF_W, BPF_REG_10, is_x ? REG_X : REG_A, off);
	return 0;
}

/* LD, LDX, ST and STX. */
static int emit_load_store(struct xlat *x, size_t i)
{
	const struct ptd_cbpf_insn *f = &x->in[i];

	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_H | BPF_ABS:
	case BPF_LD | BPF_B | BPF_ABS:
		return emit_ld_abs(x, i, size_bytes(f->code), f->k);
	case BPF_LD | BPF_W | BPF_IND:
	case BPF_LD | BPF_H | BPF_IND:
	case BPF_LD | BPF_B | BPF_IND:
		emit_packet_load(x, size_bytes(f->code), f->k, true, REG_A);
		return 0;
	case BPF_LDX | BPF_MSH | BPF_B:
		/* X = 4 * (P[k] & 0xf): an IPv4 header's length */
		emit_packet_load(x, 1, f->k, false, REG_X);
		alu32_imm(x, BPF_AND, REG_X, 0xf);
		alu32_imm(x, BPF_LSH, REG_X, 2);
		return 0;
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
		ldx_mem(x, BPF_W, BPF_CLASS(f->code) == BPF_LD ? REG_A : REG_X,
			REG_CTX, offsetof(struct __sk_buff, len));
		return 0;
	case BPF_LD | BPF_IMM:
		alu32_imm(x, BPF_MOV, REG_A, f->k);
		return 0;
	case BPF_LDX | BPF_IMM:
		alu32_imm(x, BPF_MOV, REG_X, f->k);
		return 0;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		return emit_mem(x, i);
	}
	return fail(x, -EOPNOTSUPP, "insn %zu: unsupported opcode 0x%02x", i,
		    f->code);
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
		return emit_load_store(x, i);
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
	emit_slow_loads(x);
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
