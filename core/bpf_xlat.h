/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Classic BPF (what libpcap's pcap_compile produces) to eBPF, so that the
 * tc and cgroup-skb backends run tcpdump's pcap-filter expressions in the
 * kernel.
 *
 * The output is the body of a function
 *
 *     static __noinline int ptd_filter(struct __sk_buff *skb);
 *
 * to be spliced over such a placeholder in a loaded object:
 *
 *   in:   R1 = skb (the program's context)
 *   out:  R0 = the classic program's return value (32 bits): 0 rejects
 *         the packet, anything else accepts it and is the snap length the
 *         filter asked for (tcpdump's -s, 262144 by default).  Test it
 *         with != 0: as an int, values above INT_MAX are negative.
 *   uses: R6-R8 (callee-saved: the caller's are preserved by the calling
 *         convention; R9 is left alone), R1-R5 as scratch,
 *         out->stack_depth bytes below the frame pointer (at most 72,
 *         plus 8 per loop; it counts against the 512 bytes of the whole
 *         call chain), helper calls (bpf_skb_load_bytes;
 *         bpf_get_smp_processor_id and bpf_get_prandom_u32 only for
 *         SKF_AD_CPU and SKF_AD_RANDOM: none of them changes the packet,
 *         so the caller's packet pointers stay valid), and, unless
 *         PTD_XLAT_F_NO_DIRECT, the context fields skb->data and
 *         skb->data_end (direct packet access, read only).
 *   The code is also a valid program by itself (BPF_PROG_TYPE_SCHED_CLS);
 *   cgroup-skb programs must return 0 or 1, so there it needs a caller.
 *   Both program types allow the direct reads, cgroup-skb only to a loader
 *   with CAP_BPF (CAP_NET_ADMIN alone loads it): translate for such a
 *   loader, or for any other program type, with PTD_XLAT_F_NO_DIRECT.
 *
 * Semantics are libpcap's interpreter's (pcap_offline_filter):
 *   - A, X and the scratch memory M[] are 32-bit and start at 0 (libpcap
 *     1.10 leaves M[] uninitialized; its compiler never reads M[] first);
 *   - a packet load beyond the packet's end rejects;
 *   - packet loads (ld and ldx msh; absolute, and X + k) read the bytes
 *     from the skb's linear area when they lie there: the fast path, a
 *     comparison with skb->data_end and a load, a few nanoseconds.  Else
 *     they go through bpf_skb_load_bytes (several times slower), which
 *     also reads the paged part of non-linear skbs (GSO on lo) and knows
 *     the packet's true end.  Only the helper serves offsets whose last
 *     byte is past 0xffff (the verifier's bound on packet offsets),
 *     indirect loads inside a loop's body (the verifier would track X
 *     exactly there, and protochain's loop would cost it ten times the
 *     instructions), and programs whose jumps fit eBPF's 16-bit offsets
 *     only without the fast paths;
 *   - division or modulo by X == 0 rejects; shifts by X >= 32 yield 0
 *     (constant shifts >= 32 and divisions by constant 0 do not translate);
 *   - backward jumps (libpcap emits them for `protochain`) are allowed:
 *     each loop (jumps back to one instruction) may jump back
 *     opts->max_backward_jumps times per packet, then the packet is
 *     rejected.  libpcap 1.10 has no bound; 1.11 allows 64 per packet in
 *     all.  Each `protochain` is one loop, walking one extension header
 *     per iteration.
 *
 * Where the bytes start: see bpf_compile.h.  tc sees L2 (compile for
 * DLT_EN10MB, lo included); cgroup-skb sees L3 (DLT_RAW).  skb->len is the
 * length from that point, which is what `len`, `greater` and `less` test.
 *
 * Linux ancillary loads (ld [SKF_AD_OFF + n]) read __sk_buff fields.
 * libpcap 1.10.3, compiling on a dead handle as ptd_cbpf_compile does, emits
 * only two of them, and only for DLT_EN10MB and DLT_RAW: `inbound` /
 * `outbound` (SKF_AD_PKTTYPE) and `ifindex N` (SKF_AD_IFINDEX).  On
 * DLT_LINUX_SLL2 the same keywords read the SLL2 header instead, and `vlan`
 * always tests the bytes (libpcap uses SKF_AD_VLAN_TAG* only for live
 * captures): at tc a VLAN tag the NIC stripped into skb->vlan_tci is not in
 * the bytes, so `vlan` does not see it.  Supported:
 *
 *   SKF_AD_PROTOCOL          ntohs(skb->protocol)
 *   SKF_AD_PKTTYPE           skb->pkt_type, or PACKET_OUTGOING with
 *                            PTD_XLAT_F_EGRESS (see below)
 *   SKF_AD_IFINDEX           skb->ifindex
 *   SKF_AD_MARK              skb->mark
 *   SKF_AD_QUEUE             skb->queue_mapping
 *   SKF_AD_RXHASH            skb->hash
 *   SKF_AD_CPU               bpf_get_smp_processor_id()
 *   SKF_AD_ALU_XOR_X         A ^= X
 *   SKF_AD_VLAN_TAG          skb->vlan_tci
 *   SKF_AD_VLAN_TAG_PRESENT  skb->vlan_present
 *   SKF_AD_VLAN_TPID         ntohs(skb->vlan_proto)
 *   SKF_AD_RANDOM            bpf_get_prandom_u32()
 * Not supported (-EOPNOTSUPP): SKF_AD_HATYPE (no __sk_buff field),
 * SKF_AD_NLATTR*, SKF_AD_PAY_OFFSET, and loads relative to SKF_NET_OFF or
 * SKF_LL_OFF.
 *
 * inbound/outbound: tcpdump tests the pkt_type of the copy a packet socket
 * receives, which is PACKET_OUTGOING for transmitted packets.  At tc egress
 * skb->pkt_type is not (the kernel sets it only on that copy), so translate
 * programs for egress hooks with PTD_XLAT_F_EGRESS.  On lo tcpdump sees
 * each packet once, as inbound: lo's packets are captured as they leave,
 * where their pkt_type is PACKET_HOST as it is when they come back in (lo
 * addresses its frames to itself), so lo's programs take the ingress
 * translation.
 */
#ifndef PTD_CORE_BPF_XLAT_H
#define PTD_CORE_BPF_XLAT_H

#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h>

#include "core/bpf_compile.h"

/* Backward jumps per loop and packet before rejecting it (libpcap 1.11
 * allows 64 per packet). */
#define PTD_XLAT_DEFAULT_BACKWARD_JUMPS 64

/* SKF_AD_PKTTYPE yields PACKET_OUTGOING: the program runs at an egress hook. */
#define PTD_XLAT_F_EGRESS (1u << 0)
/* Packet loads only through bpf_skb_load_bytes: for a program that may
 * not read skb->data and skb->data_end (cgroup-skb without CAP_BPF), and
 * for tests of that path. */
#define PTD_XLAT_F_NO_DIRECT (1u << 1)

struct ptd_xlat_opts {
	uint32_t flags;              /* PTD_XLAT_F_* */
	/* per loop; 0: programs with loops are refused; at most INT32_MAX,
	 * and the verifier's limits bite long before that */
	uint32_t max_backward_jumps;
};

struct ptd_ebpf_prog {
	struct bpf_insn *insns;
	size_t len;
	uint32_t stack_depth; /* bytes below R10 the code uses */
};

/*
 * Translates the classic program in[0..n_in) into out (free with
 * ptd_ebpf_prog_free).  opts may be NULL: no flags and
 * PTD_XLAT_DEFAULT_BACKWARD_JUMPS.  Returns 0, or -errno with a one-line
 * reason naming the instruction in err:
 *   -EINVAL      not a valid classic program (jump out of range, code that
 *                runs off the end, M[] index >= 16, division by constant 0)
 *   -EOPNOTSUPP  an opcode or ancillary load we do not translate
 *   -E2BIG       the result does not fit eBPF's 16-bit jump offsets, or
 *                has more loops than the stack has counters for (55)
 *   -ENOMEM
 */
int ptd_xlat_cbpf_opts(const struct ptd_cbpf_insn *in, size_t n_in,
		       const struct ptd_xlat_opts *opts,
		       struct ptd_ebpf_prog *out, char *err, size_t errlen);

static inline int ptd_xlat_cbpf(const struct ptd_cbpf_insn *in, size_t n_in,
				struct ptd_ebpf_prog *out, char *err,
				size_t errlen)
{
	return ptd_xlat_cbpf_opts(in, n_in, NULL, out, err, errlen);
}

/* Frees what ptd_xlat_cbpf*() allocated; accepts NULL. */
void ptd_ebpf_prog_free(struct ptd_ebpf_prog *prog);

#endif /* PTD_CORE_BPF_XLAT_H */
