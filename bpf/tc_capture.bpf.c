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

static __always_inline __u64 wakeup_flags(void)
{
	__u64 now;

	if (!ptd_wakeup_bytes)
		return 0;
	if (bpf_ringbuf_query(&ptd_tc_events, BPF_RB_AVAIL_DATA) > ptd_wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	/* Below the threshold, still wake the reader if it has not been
	 * woken for a while: the first packet after a quiet spell shows at
	 * once instead of at the next poll, and a flood pays for at most
	 * 200 such wake-ups a second. */
	now = bpf_ktime_get_ns();
	if (now - ptd_last_wake_ns > PTD_WAKE_GAP_NS) {
		ptd_last_wake_ns = now;
		return BPF_RB_FORCE_WAKEUP;
	}
	return BPF_RB_NO_WAKEUP;
}

/*
 * bpf_ringbuf_reserve() takes a constant size only, so records come in
 * size classes (steps of 1.5x and 2x); the caller picks the smallest class
 * that holds caplen.  Reserving in the ring and copying straight into it
 * avoids a per-CPU scratch buffer of snaplen bytes and a second copy.
 */
static __always_inline void copy_out(struct __sk_buff *skb,
				     const struct ptd_tc_event *meta,
				     __u64 caplen, const __u32 room,
				     struct ptd_tc_counters *cnt)
{
	struct ptd_tc_event *ev;

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
	bpf_ringbuf_submit(ev, wakeup_flags());
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

/* Loopback's ifindex in every network namespace (LOOPBACK_IFINDEX). */
#define PTD_LOOPBACK_IFINDEX 1

/*
 * On lo each packet is captured once, at ingress, and both of its ends
 * are local: its owner is the process that sent it, the socket bound to
 * its source (lo orphans the skb, so only the tuple tells).  Never the
 * other orientation there: that is the receiver.  Elsewhere an ingress
 * packet belongs to its local receiver (attrib_lookup.h).
 */
static __always_inline int loopback_sender(struct __sk_buff *skb,
					   struct ptd_attrib_owner *out)
{
	struct ptd_attrib_owner *o;
	struct ptd_attrib_tuple t, frag;
	int rc;

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

/* A function of its own: inlined, its registers crowd capture(). */
static __noinline void owner_of(struct __sk_buff *skb, __u8 dir,
				struct ptd_tc_event *meta)
{
	struct ptd_attrib_owner o;
	int rc;

	if (skb->ifindex == PTD_LOOPBACK_IFINDEX)
		rc = loopback_sender(skb, &o);
	else
		rc = ptd_attrib_skb_owner(skb, ptd_l3_off,
					  dir == PTD_TC_DIR_OUT,
					  ptd_netns_cookie, &o);
	if (rc < 0 || !o.pid)
		return;
	meta->flags |= PTD_TC_F_OWNER;
	meta->pid = o.pid;
	meta->tid = o.tid;
	meta->uid = o.uid;
	meta->gid = o.gid;
	__builtin_memcpy(meta->comm, o.comm, sizeof(meta->comm));
	if (o.flags & PTD_ATTRIB_F_PPID) {
		meta->flags |= PTD_TC_F_PPID;
		meta->ppid = o.ppid;
	}
	if (o.flags & PTD_ATTRIB_F_CGROUP) {
		meta->flags |= PTD_TC_F_CGROUP;
		meta->cgroup_id = o.cgroup_id;
	}
}

#define PTD_TRY_ROOM(room) \
	if (caplen <= (room)) { \
		copy_out(skb, &meta, caplen, (room), cnt); \
		return; \
	}

static __always_inline void capture(struct __sk_buff *skb, __u8 dir)
{
	struct ptd_tc_event meta = {};
	struct ptd_tc_counters *cnt;
	__u32 key = 0;
	/* 64 bits, and opaque to clang once clamped: else it may check a
	 * zero-extended copy against the size classes, whose bounds then
	 * never reach the register the copy uses. */
	__u64 caplen;

	if (ptd_filtering && !ptd_filter(skb))
		return;
	if (ptd_attrib)
		owner_of(skb, dir, &meta);
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
	 * and stamps it: copy_out() stamps it after the copy.
	 */
	if (dir == PTD_TC_DIR_IN && skb->tstamp) {
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
	PTD_TRY_ROOM(96)
	PTD_TRY_ROOM(128)
	PTD_TRY_ROOM(192)
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
	capture(skb, PTD_TC_DIR_IN);
	return TC_ACT_UNSPEC;
}

SEC("ptd_tc")
int ptd_tc_egress(struct __sk_buff *skb)
{
	capture(skb, PTD_TC_DIR_OUT);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
