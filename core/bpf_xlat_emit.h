/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside the classic-to-eBPF translator (core/bpf_xlat.c, bpf_xlat_load.c):
 * the translation state, the register and stack layout of the translated
 * code, and the instruction emitters both files use.  Not installed, not
 * part of bpf_xlat.h's contract.
 */
#ifndef PTD_CORE_BPF_XLAT_EMIT_H
#define PTD_CORE_BPF_XLAT_EMIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <linux/bpf.h>
#include <linux/filter.h>

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
static inline int fail(struct xlat *x, int ret, const char *fmt, ...)
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

static inline struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src,
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
static inline void emit(struct xlat *x, struct bpf_insn i)
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
static inline void add_fixup(struct xlat *x, size_t at, size_t target, bool ebpf)
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
static inline void emit_jump(struct xlat *x, struct bpf_insn i, size_t target)
{
	emit(x, i);
	if (!x->ret)
		add_fixup(x, x->len - 1, target, false);
}

static inline void alu32_imm(struct xlat *x, uint8_t op, uint8_t dst, uint32_t imm)
{
	emit(x, insn(BPF_ALU | op | BPF_K, dst, 0, 0, (int32_t)imm));
}

static inline void alu32_reg(struct xlat *x, uint8_t op, uint8_t dst, uint8_t src)
{
	emit(x, insn(BPF_ALU | op | BPF_X, dst, src, 0, 0));
}

static inline void mov64_reg(struct xlat *x, uint8_t dst, uint8_t src)
{
	emit(x, insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0));
}

static inline void ldx_mem(struct xlat *x, uint8_t size, uint8_t dst, uint8_t src,
		    int16_t off)
{
	emit(x, insn(BPF_LDX | BPF_MEM | size, dst, src, off, 0));
}

static inline void stx_mem(struct xlat *x, uint8_t size, uint8_t dst, uint8_t src,
		    int16_t off)
{
	emit(x, insn(BPF_STX | BPF_MEM | size, dst, src, off, 0));
}

/* Converts the low `bits` of reg from big-endian to host order. */
static inline void be_to_host(struct xlat *x, uint8_t reg, int bits)
{
	emit(x, insn(BPF_ALU | BPF_END | BPF_TO_BE, reg, 0, 0, bits));
}

static inline void call_helper(struct xlat *x, int32_t id)
{
	emit(x, insn(BPF_JMP | BPF_CALL, 0, 0, 0, id));
}

static inline void ret_reg_or_imm(struct xlat *x, bool is_reg, uint32_t k)
{
	if (is_reg)
		alu32_reg(x, BPF_MOV, BPF_REG_0, REG_A);
	else
		alu32_imm(x, BPF_MOV, BPF_REG_0, k);
	emit(x, insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}


/* bpf_xlat_load.c: the code for classic load and store insn i (ld, ldh,
 * ldb, ldx, st, stx); 0 or -errno with the reason in x->err. */
int xlat_emit_load_store(struct xlat *x, size_t i);
/* bpf_xlat_load.c: the packet loads' helper paths, after all the classic
 * code. */
void xlat_emit_slow_loads(struct xlat *x);

#endif /* PTD_CORE_BPF_XLAT_EMIT_H */
