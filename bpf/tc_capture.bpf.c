// SPDX-License-Identifier: BSD-2-Clause
/*
 * tc capture: SCHED_CLS programs for the ingress and egress hooks of a
 * network device (TCX links, or clsact + cls_bpf on older kernels).  Each
 * packet becomes one ring buffer record: struct ptd_tc_event, then up to
 * snaplen bytes.  The programs never change the packet's fate: they return
 * TC_ACT_UNSPEC, which is TCX_NEXT for TCX and "continue" for cls_bpf, so
 * whatever else sits on the hook still runs.
 *
 * Only uapi types are used (struct __sk_buff is a stable ABI the verifier
 * rewrites), so no kernel BTF is needed to build this; see bpf/README.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#include "tc_capture.h"
#include "attrib_lookup.h"
#include "proc_filter.h"

/* Set by user space between open and load. */
const volatile __u32 ptd_snaplen = PTD_TC_SNAPLEN_MAX;
/* 1: run ptd_filter() on each packet; 0: the verifier drops the call. */
const volatile __u8 ptd_filtering = 0;
/* Wake the reader once this many bytes wait; 0: let the kernel decide
 * (a wake-up whenever the reader had caught up: lowest latency). */
const volatile __u64 ptd_wakeup_bytes = 0;
/* 1: look up each packet's owner in the attribution maps, which user
 * space then shares with the attribution object (bpf_map__reuse_fd());
 * 0: the verifier drops the lookup. */
const volatile __u8 ptd_attrib = 0;
/* Where the IP header starts: 14 (ETH_HLEN) for this set's Ethernet-like
 * devices, 0 for raw-IP ones. */
const volatile __u32 ptd_l3_off = 14;
/* The cookie of the devices' network namespace (see attrib_lookup.h). */
const volatile __u64 ptd_netns_cookie = 0;
/* Process filters (proc_filter.h): PTD_PF_* bits, 0 for none (the
 * verifier then drops the test); the --pname comm, NUL padded.  Needs
 * ptd_attrib: a packet whose owner is unknown never matches. */
const volatile __u32 ptd_proc_filter = 0;
const volatile char ptd_proc_comm[16] = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20); /* user space sets the real size */
} ptd_tc_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ptd_tc_counters);
} ptd_tc_counters SEC(".maps");

/*
 * Between every reader wake-up and none at all: waking the reader for each
 * record costs more than the copy itself, so wake only when enough data
 * waits.  The reader also drains on a short timer, so records left behind
 * without a wake-up are not stranded.
 */
/* At most one early wake-up per this many ns (see wakeup_flags()). */
#define PTD_WAKE_GAP_NS (5ull * 1000 * 1000)
/* When the last early wake-up was asked for (CLOCK_MONOTONIC); racy
 * across CPUs, which costs at most an extra wake-up. */
__u64 ptd_last_wake_ns = 0;

static __always_inline __u64 wakeup_flags(__u64 now)
{
	if (!ptd_wakeup_bytes)
		return 0;
	if (bpf_ringbuf_query(&ptd_tc_events, BPF_RB_AVAIL_DATA) > ptd_wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	/* Below the threshold, still wake the reader if it has not been
	 * woken for a while: the first packet after a quiet spell shows at
	 * once instead of at the next poll, and a flood pays for at most
	 * 200 such wake-ups a second.  now is CLOCK_MONOTONIC, taken
	 * for the record's stamp when it had to be, else here: one clock
	 * read per packet at most. */
	if (!now)
		now = bpf_ktime_get_ns();
	if (now - ptd_last_wake_ns > PTD_WAKE_GAP_NS) {
		ptd_last_wake_ns = now;
		return BPF_RB_FORCE_WAKEUP;
	}
	return BPF_RB_NO_WAKEUP;
}

/*
 * bpf_ringbuf_reserve() takes a constant size only, so records come in
 * size classes (16 to 32 bytes apart up to 256, then steps of 1.5x and
 * 2x: small packets, the most frequent, waste the least ring); the caller
 * picks the smallest class that holds caplen.  Reserving in the ring and
 * copying straight into it avoids a per-CPU scratch buffer of snaplen
 * bytes and a second copy.
 */
static __always_inline void copy_out(struct __sk_buff *skb,
				     const struct ptd_tc_event *meta,
				     __u64 caplen, const __u32 room,
				     struct ptd_tc_counters *cnt)
{
	struct ptd_tc_event *ev;
	__u64 now = 0;

	ev = bpf_ringbuf_reserve(&ptd_tc_events, sizeof(*ev) + room, 0);
	if (!ev) {
		cnt->drops++;
		return;
	}
	__builtin_memcpy(ev, meta, sizeof(*ev));
	ev->caplen = caplen;
	if (bpf_skb_load_bytes(skb, 0, ev->data, caplen) < 0) {
		bpf_ringbuf_discard(ev, BPF_RB_NO_WAKEUP);
		cnt->drops++;
		return;
	}
	/* A sent packet reaches tcpdump's socket after this hook, and the
	 * socket stamps it only once it has copied it: stamping after our
	 * own copy of the same bytes comes closest (capture() says more). */
	if (meta->dir == PTD_TC_DIR_OUT)
		ev->ts_ns = bpf_ktime_get_ns();
	if (!(meta->flags & PTD_TC_F_TS_REAL))
		now = ev->ts_ns;
	bpf_ringbuf_submit(ev, wakeup_flags(now));
}

/*
 * The capture filter (tcpdump's expression): R0 != 0 keeps the packet.
 * User space replaces this body at load time with the expression compiled
 * for the device's link type and translated to eBPF (core/bpf_xlat.h),
 * finding it by its BTF name.  It must stay a real function: not inlined,
 * reading its argument (else clang drops the argument) and not returning a
 * constant (else clang folds the call away at the caller).
 */
static __noinline int ptd_filter(struct __sk_buff *skb)
{
	return skb->len;
}

/*
 * On lo each packet is captured once, as it leaves (the egress hook, see
 * ptd_tc_loopback()), and both of its ends are local: its owner is the
 * process that sent it.  There skb->sk is still the sender's socket (lo
 * orphans the skb only after): its cookie names the owner.  A packet
 * without a full socket (a SYN-ACK from a request socket, an ACK from a
 * time-wait one, a reset the kernel made) goes by its tuple, the socket
 * bound to its source; never the other orientation, which is the
 * receiver.
 */
static __always_inline int loopback_sender(struct __sk_buff *skb,
					   struct ptd_attrib_owner *out)
{
	struct ptd_attrib_owner *o = NULL;
	struct ptd_attrib_tuple t, frag;
	struct bpf_sock *sk;
	__u64 cookie;
	int rc;

	if (ptd_attrib_skc_owner(skb, out) == 0)
		return 0;
	sk = skb->sk;
	if (sk)
		sk = bpf_sk_fullsock(sk);
	if (sk) {
		cookie = bpf_get_socket_cookie(skb);
		o = bpf_map_lookup_elem(&ptd_attrib_socks, &cookie);
		if (o) {
			__builtin_memcpy(out, o, sizeof(*out));
			return 0;
		}
	}
	rc = ptd_attrib_skb_tuple(skb, ptd_l3_off, ptd_netns_cookie, &t, &frag);
	if (rc < 0)
		return -2;
	if (rc == PTD_ATTRIB_FRAG_LATER)
		o = bpf_map_lookup_elem(&ptd_attrib_frags, &frag);
	else
		o = ptd_attrib_tuple_lookup(&t);
	if (!o)
		return -2;
	__builtin_memcpy(out, o, sizeof(*out));
	if (rc == PTD_ATTRIB_FRAG_FIRST)
		bpf_map_update_elem(&ptd_attrib_frags, &frag, out, BPF_ANY);
	return 0;
}

static __always_inline void owner_to_meta(const struct ptd_attrib_owner *o,
					  struct ptd_tc_event *meta)
{
	if (!o->pid)
		return;
	meta->flags |= PTD_TC_F_OWNER;
	meta->pid = o->pid;
	meta->tid = o->tid;
	meta->uid = o->uid;
	meta->gid = o->gid;
	__builtin_memcpy(meta->comm, o->comm, sizeof(meta->comm));
	if (o->flags & PTD_ATTRIB_F_PPID) {
		meta->flags |= PTD_TC_F_PPID;
		meta->ppid = o->ppid;
	}
	if (o->flags & PTD_ATTRIB_F_CGROUP) {
		meta->flags |= PTD_TC_F_CGROUP;
		meta->cgroup_id = o->cgroup_id;
	}
}

/* A function of its own: inlined, its registers crowd capture(). */
static __noinline void owner_of(struct __sk_buff *skb, __u8 dir, int lo,
				struct ptd_tc_event *meta)
{
	struct ptd_attrib_owner o;
	int rc;

	if (lo)
		rc = loopback_sender(skb, &o);
	else
		rc = ptd_attrib_skb_owner(skb, ptd_l3_off,
					  dir == PTD_TC_DIR_OUT,
					  ptd_netns_cookie, &o);
	if (rc == 0)
		owner_to_meta(&o, meta);
}

/*
 * lo segments what it cannot take whole after the egress hook: a TCP
 * packet built larger than its GSO limit (64 KiB, "BIG TCP": the IPv4
 * length field then says 0) reaches its ingress, and tcpdump, as several.
 * Such a packet is not captured as it leaves: its sequence range is
 * recorded (ptd_lo_deferred), and lo's ingress hook captures the pieces
 * whose data falls in it, with the owner the sender had.  Every other
 * packet is captured as it leaves, and the ingress hook does no more than
 * read a per-CPU count while nothing is deferred.
 *
 * lo hands a packet to the ingress path of the CPU that sent it (netif_rx
 * queues it there; lo has no RPS by default), so ranges are kept per CPU:
 * each CPU's pieces arrive in the order it sent them, and the egress
 * program (bottom halves off) and the ingress one (a softirq) never run
 * at once on a CPU, so a range needs no lock.  A flow's packets can still
 * leave from two CPUs and arrive interleaved: each CPU's range covers the
 * bytes it sent, and counts them.
 */
#define PTD_LO_GSO_WHOLE_MAX 65535u
/* A range whose pieces never came (dropped after the egress hook) is
 * forgotten after this long. */
#define PTD_LO_DEFER_NS (100ull * 1000 * 1000)

struct ptd_lo_key {
	struct ptd_attrib_tuple t;
	__u32 cpu;
	__u32 pad;
};

struct ptd_lo_range {
	struct ptd_attrib_owner owner; /* pid 0: unknown */
	__u32 seq_lo;   /* the first byte deferred */
	__u32 seq_hi;   /* one past the last */
	__u32 bytes;    /* deferred in all (the range may have holes: bytes
			 * another CPU sent) */
	__u32 claimed;  /* of those, seen at ingress */
	__u64 last_ns;  /* CLOCK_MONOTONIC of the last change */
};

/* LRU: the range of a flow whose pieces were dropped after the egress
 * hook is never completed; it ages out instead of filling the map (with
 * no room, a packet lo is to split would be captured whole). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct ptd_lo_key);
	__type(value, struct ptd_lo_range);
} ptd_lo_deferred SEC(".maps");

/* Per CPU, that CPU's entries in ptd_lo_deferred (one the LRU evicted is
 * never taken off: that costs lo's ingress hook a lookup per packet from
 * then on, never a packet). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} ptd_lo_pending SEC(".maps");

/* The packet's key (tuple, source first; this CPU), TCP sequence number
 * and payload length; -1 for anything but TCP over IP. */
static __always_inline int lo_tcp_segment(struct __sk_buff *skb,
					  struct ptd_lo_key *k,
					  __u32 *seq, __u32 *payload)
{
	__u32 l4_off, hdr;
	__u8 th[13];

	__builtin_memset(k, 0, sizeof(*k));
	if (ptd_attrib_skb_tuple_l4(skb, ptd_l3_off, ptd_netns_cookie, &k->t,
				    NULL, &l4_off) != 0 ||
	    k->t.proto != IPPROTO_TCP)
		return -1;
	if (bpf_skb_load_bytes(skb, l4_off, th, sizeof(th)) < 0)
		return -1;
	hdr = l4_off + (th[12] >> 4) * 4;
	if (hdr > skb->len)
		return -1;
	*seq = ((__u32)th[4] << 24) | ((__u32)th[5] << 16) |
	       ((__u32)th[6] << 8) | th[7];
	*payload = skb->len - hdr;
	k->cpu = bpf_get_smp_processor_id();
	return 0;
}

/* At lo's egress, for a GSO packet larger than lo takes whole: 1 when the
 * packet is left to the ingress hook. */
static __noinline int lo_defer(struct __sk_buff *skb)
{
	struct ptd_lo_range *r, fresh = {};
	struct ptd_lo_key k;
	__u32 seq, payload, end, zero = 0;
	__u64 *pending, now;

	if (lo_tcp_segment(skb, &k, &seq, &payload) < 0 || !payload)
		return 0;
	pending = bpf_map_lookup_elem(&ptd_lo_pending, &zero);
	if (!pending)
		return 0;
	now = bpf_ktime_get_ns();
	r = bpf_map_lookup_elem(&ptd_lo_deferred, &k);
	if (r && now - r->last_ns <= PTD_LO_DEFER_NS) {
		/* Sequence space wraps: distances from the range's start.
		 * Data from before it (a retransmission) is not ours. */
		if (seq - r->seq_lo >= 0x80000000u)
			return 0;
		end = seq + payload;
		if (end - r->seq_lo > r->seq_hi - r->seq_lo)
			r->seq_hi = end;
		r->bytes += payload;
		r->last_ns = now;
		return 1;
	}
	if (ptd_attrib && loopback_sender(skb, &fresh.owner) < 0)
		fresh.owner.pid = 0;
	fresh.seq_lo = seq;
	fresh.seq_hi = seq + payload;
	fresh.bytes = payload;
	fresh.last_ns = now;
	if (bpf_map_update_elem(&ptd_lo_deferred, &k, &fresh, BPF_ANY) < 0)
		return 0; /* no memory: captured whole, here */
	if (!r) /* else a stale one, replaced: its count stands */
		(*pending)++;
	return 1;
}

/* At lo's ingress: 1 when the packet is one of those deferred, with *owner
 * the sender's (pid 0: unknown). */
static __noinline int lo_claim(struct __sk_buff *skb,
			       struct ptd_attrib_owner *owner, __u64 *pending)
{
	struct ptd_lo_range *r;
	struct ptd_lo_key k;
	__u32 seq, payload;
	__u64 now;

	if (lo_tcp_segment(skb, &k, &seq, &payload) < 0 || !payload)
		return 0;
	r = bpf_map_lookup_elem(&ptd_lo_deferred, &k);
	if (!r)
		return 0;
	now = bpf_ktime_get_ns();
	if (now - r->last_ns > PTD_LO_DEFER_NS) {
		if (bpf_map_delete_elem(&ptd_lo_deferred, &k) == 0 && *pending)
			(*pending)--;
		return 0;
	}
	if (seq - r->seq_lo >= r->seq_hi - r->seq_lo)
		return 0; /* not deferred: captured as it left */
	__builtin_memcpy(owner, &r->owner, sizeof(*owner));
	r->claimed += payload;
	if (r->claimed >= r->bytes) {
		if (bpf_map_delete_elem(&ptd_lo_deferred, &k) == 0 && *pending)
			(*pending)--;
	} else {
		r->last_ns = now;
	}
	return 1;
}

#define PTD_TRY_ROOM(room) \
	if (caplen <= (room)) { \
		copy_out(skb, &meta, caplen, (room), cnt); \
		return; \
	}

/* Which program capture() runs for: lo's two differ (see ptd_tc_loopback()). */
#define PTD_LO_NOT 0  /* any other device's hooks */
#define PTD_LO_OUT 1  /* lo's egress hook: its packets, as incoming */
#define PTD_LO_IN  2  /* lo's ingress hook: the deferred pieces only */

static __always_inline void capture(struct __sk_buff *skb, __u8 dir, int lo)
{
	struct ptd_tc_event meta;
	struct ptd_attrib_owner given;
	struct ptd_tc_counters *cnt;
	__u64 *pending;
	__u32 key = 0;
	/* 64 bits, and opaque to clang once clamped: else it may check a
	 * zero-extended copy against the size classes, whose bounds then
	 * never reach the register the copy uses. */
	__u64 caplen;

	/* Packets a check drops cost no more than the check: the record's
	 * header is cleared only after them. */
	if (lo == PTD_LO_IN) {
		pending = bpf_map_lookup_elem(&ptd_lo_pending, &key);
		if (!pending || !*pending || !lo_claim(skb, &given, pending))
			return;
	}
	if (lo == PTD_LO_OUT && skb->gso_size &&
	    skb->len > PTD_LO_GSO_WHOLE_MAX + ptd_l3_off && lo_defer(skb))
		return;
	if (ptd_filtering && !ptd_filter(skb))
		return;
	__builtin_memset(&meta, 0, sizeof(meta));
	if (ptd_attrib && lo == PTD_LO_IN)
		owner_to_meta(&given, &meta);
	else if (ptd_attrib)
		owner_of(skb, dir, lo == PTD_LO_OUT, &meta);
	if (ptd_proc_filter &&
	    (!(meta.flags & PTD_TC_F_OWNER) ||
	     !ptd_proc_filter_match(ptd_proc_filter, meta.pid, meta.uid,
				    meta.comm, ptd_proc_comm)))
		return;
	cnt = bpf_map_lookup_elem(&ptd_tc_counters, &key);
	if (!cnt)
		return;
	/* Per-CPU and not atomic: tc hooks run with bottom halves off, so one
	 * CPU never runs two of these at once (PREEMPT_RT may: a counter can
	 * then miss a step, nothing worse). */
	cnt->packets++; /* tcpdump's "received by filter": those that passed */

	/*
	 * tcpdump stamps a received packet when it was queued, if anyone
	 * turned receive time stamps on, and when it saw it otherwise.  The
	 * kernel's stamp is in skb->tstamp then (CLOCK_REALTIME; a program
	 * that does not ask for tstamp_type reads 0 instead of a sender's
	 * delivery time), and it can be well before this hook runs when the
	 * backlog is long; else now, the packet socket having seen it just
	 * before tc ingress.  A sent packet passes tc egress first, then the
	 * qdisc, then the packet socket (dev_queue_xmit_nit), which copies it
	 * and stamps it: copy_out() stamps it after the copy.  On lo the
	 * packet has not been queued yet (and skb->tstamp may be a sender's
	 * departure time): now, microseconds before tcpdump's stamp.
	 */
	if (dir == PTD_TC_DIR_IN && lo != PTD_LO_OUT && skb->tstamp) {
		meta.ts_ns = skb->tstamp;
		meta.flags |= PTD_TC_F_TS_REAL;
	} else {
		meta.ts_ns = bpf_ktime_get_ns();
	}
	meta.ifindex = skb->ifindex;
	meta.len = skb->len;
	meta.mark = skb->mark;
	meta.dir = dir;
	if (skb->vlan_present) {
		meta.flags |= PTD_TC_F_VLAN;
		meta.vlan_tci = skb->vlan_tci;
		meta.vlan_proto = skb->vlan_proto;
	}
	caplen = skb->len;
	if (caplen > ptd_snaplen)
		caplen = ptd_snaplen;
	/* One register from here on, checked and used as is. */
	asm volatile("" : "+r"(caplen));
	if (!caplen)
		return;

	PTD_TRY_ROOM(64)
	PTD_TRY_ROOM(80)
	PTD_TRY_ROOM(96)
	PTD_TRY_ROOM(112)
	PTD_TRY_ROOM(128)
	PTD_TRY_ROOM(160)
	PTD_TRY_ROOM(192)
	PTD_TRY_ROOM(224)
	PTD_TRY_ROOM(256)
	PTD_TRY_ROOM(384)
	PTD_TRY_ROOM(512)
	PTD_TRY_ROOM(768)
	PTD_TRY_ROOM(1024)
	PTD_TRY_ROOM(1536)
	PTD_TRY_ROOM(2048)
	PTD_TRY_ROOM(3072)
	PTD_TRY_ROOM(4096)
	PTD_TRY_ROOM(6144)
	PTD_TRY_ROOM(8192)
	PTD_TRY_ROOM(12288)
	PTD_TRY_ROOM(16384)
	PTD_TRY_ROOM(24576)
	PTD_TRY_ROOM(32768)
	PTD_TRY_ROOM(49152)
	PTD_TRY_ROOM(65536)
	PTD_TRY_ROOM(98304)
	PTD_TRY_ROOM(131072)
	PTD_TRY_ROOM(196608)
	PTD_TRY_ROOM(PTD_TC_SNAPLEN_MAX)
	cnt->drops++; /* snaplen above the largest class: user space refuses it */
}

/* Not SEC("tc"): user space registers its own handler for this section,
 * which splices the filter in after libbpf's relocations. */
SEC("ptd_tc")
int ptd_tc_ingress(struct __sk_buff *skb)
{
	capture(skb, PTD_TC_DIR_IN, PTD_LO_NOT);
	return TC_ACT_UNSPEC;
}

SEC("ptd_tc")
int ptd_tc_egress(struct __sk_buff *skb)
{
	capture(skb, PTD_TC_DIR_OUT, PTD_LO_NOT);
	return TC_ACT_UNSPEC;
}

/*
 * lo: every packet leaves and comes back in, and tcpdump shows it once,
 * incoming.  It is captured on the way out, where the sender's socket is
 * still attached (lo drops it before delivery) and a filter sees the same
 * bytes, pkt_type (PACKET_HOST: lo's frames are addressed to itself) and
 * ifindex as it would on the way in; the record says incoming.  Only the
 * packets lo splits in between are captured on the way in (lo_defer()).
 */
SEC("ptd_tc")
int ptd_tc_loopback(struct __sk_buff *skb)
{
	capture(skb, PTD_TC_DIR_IN, PTD_LO_OUT);
	return TC_ACT_UNSPEC;
}

SEC("ptd_tc")
int ptd_tc_loopback_in(struct __sk_buff *skb)
{
	capture(skb, PTD_TC_DIR_IN, PTD_LO_IN);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
