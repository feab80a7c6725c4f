/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The classic-to-eBPF translator's loads and stores (see bpf_xlat.c):
 * packet loads, each with a direct path through skb->data and a helper
 * path (bpf_skb_load_bytes) emitted after the classic code, Linux
 * ancillary loads, and the scratch memory M[].
 */
#include <errno.h>

#include <linux/if_packet.h>

#include "core/bpf_xlat_emit.h"

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
 * xlat_emit_slow_loads().  data and data_end are read from the context at
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
void xlat_emit_slow_loads(struct xlat *x)
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
int xlat_emit_load_store(struct xlat *x, size_t i)
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

