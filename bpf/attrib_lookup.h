/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The packet path's half of attribution: the owner maps and the lookups a
 * tc (or cgroup_skb) program runs per packet.  Included by attrib.bpf.c,
 * which fills the maps, and by the capture programs, which read them: user
 * space loads attrib.bpf.o first and hands its map fds to the capture
 * object with bpf_map__reuse_fd() (map names and layouts must match, which
 * one definition here guarantees).
 *
 * Never take the owner from bpf_get_current_pid_tgid() in a packet hook: on
 * ingress that is whoever runs the softirq.  The owner comes from the
 * socket (its cookie), or from the packet's tuple.
 */
#ifndef PTD_BPF_ATTRIB_LOOKUP_H
#define PTD_BPF_ATTRIB_LOOKUP_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "attrib.h"

#ifndef AF_INET
#define AF_INET 2
#endif
#ifndef AF_INET6
#define AF_INET6 10
#endif

/* LRU: cookies and tuples of dead sockets age out on their own, and a
 * full map never makes an update fail. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PTD_ATTRIB_SOCKS_MAX);
	__type(key, __u64);
	__type(value, struct ptd_attrib_owner);
} ptd_attrib_socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PTD_ATTRIB_TUPLES_MAX);
	__type(key, struct ptd_attrib_tuple);
	__type(value, struct ptd_attrib_owner);
} ptd_attrib_tuples SEC(".maps");

/*
 * Per socket, what the hooks that run on every send and receive last did:
 * which thread they saw, whether the socket's tuple is recorded for it, and
 * (PTD_ATTRIB_SKC_OWNER) a copy of the owner entry they left in
 * ptd_attrib_socks.  Socket-local storage costs a pointer walk where the
 * owner map costs a cookie and a hash lookup, so the steady state (the
 * same thread again) returns after one, and a packet hook that holds the
 * sending socket reads its owner here.  The owner map stays the truth:
 * every hook that rewrites an owner (bind, connect) clears this, and the
 * copy is only ever written together with that entry.
 */
#define PTD_ATTRIB_SKC_OWNER (1u << 16) /* owner is set */

struct ptd_attrib_skc {
	__u32 pid;
	__u32 tid;
	__u32 flags; /* PTD_ATTRIB_F_TUPLE, PTD_ATTRIB_SKC_OWNER */
	__u32 pad;
	struct ptd_attrib_owner owner;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ptd_attrib_skc);
} ptd_attrib_skcache SEC(".maps");

/* Fragments after the first carry no ports: they take the owner their
 * first fragment had, keyed by (namespace, addresses, protocol, IP id;
 * the id in lport/rport, pad all ones).  Only the packet path uses it. */
#define PTD_ATTRIB_FRAGS_MAX 4096
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PTD_ATTRIB_FRAGS_MAX);
	__type(key, struct ptd_attrib_tuple);
	__type(value, struct ptd_attrib_owner);
} ptd_attrib_frags SEC(".maps");

/* ptd_attrib_skb_tuple() results besides 0 and -ENOENT (-2). */
#define PTD_ATTRIB_FRAG_FIRST 1  /* ports there, and *frag is its group */
#define PTD_ATTRIB_FRAG_LATER 2  /* no ports: *frag is its group */

static __always_inline int ptd_attrib_addr_zero(const __u32 *a)
{
	return !(a[0] | a[1] | a[2] | a[3]);
}

static __always_inline int ptd_attrib_addr_v4mapped(const __u32 *a)
{
	return a[0] == 0 && a[1] == 0 && a[2] == bpf_htonl(0x0000ffff);
}

/* A dual-stack socket talking IPv4 sends IPv4 packets: key it so. */
static __always_inline void ptd_attrib_tuple_fold_v4(struct ptd_attrib_tuple *t)
{
	if (t->family != AF_INET6 || !ptd_attrib_addr_v4mapped(t->laddr))
		return;
	if (!ptd_attrib_addr_v4mapped(t->raddr) && !ptd_attrib_addr_zero(t->raddr))
		return;
	t->family = AF_INET;
	t->laddr[0] = t->laddr[3];
	t->laddr[1] = t->laddr[2] = t->laddr[3] = 0;
	t->raddr[0] = t->raddr[3];
	t->raddr[1] = t->raddr[2] = t->raddr[3] = 0;
}

static __always_inline void ptd_attrib_tuple_swap(struct ptd_attrib_tuple *t)
{
	__u32 a;
	__u16 p;
	int i;

#pragma unroll
	for (i = 0; i < 4; i++) {
		a = t->laddr[i];
		t->laddr[i] = t->raddr[i];
		t->raddr[i] = a;
	}
	p = t->lport;
	t->lport = t->rport;
	t->rport = p;
}

/*
 * The owner of a tuple: the connected socket first, then a socket bound to
 * the local address and port (a listener, an unconnected UDP socket), then
 * one bound to the wildcard address, then (IPv4 packets) a dual-stack
 * socket bound to ::.  *t is the key to try first; it is changed.
 */
static __always_inline struct ptd_attrib_owner *
ptd_attrib_tuple_lookup(struct ptd_attrib_tuple *t)
{
	struct ptd_attrib_owner *o;

	o = bpf_map_lookup_elem(&ptd_attrib_tuples, t);
	if (o)
		return o;
	t->raddr[0] = t->raddr[1] = t->raddr[2] = t->raddr[3] = 0;
	t->rport = 0;
	o = bpf_map_lookup_elem(&ptd_attrib_tuples, t);
	if (o)
		return o;
	t->laddr[0] = t->laddr[1] = t->laddr[2] = t->laddr[3] = 0;
	o = bpf_map_lookup_elem(&ptd_attrib_tuples, t);
	if (o || t->family != AF_INET)
		return o;
	t->family = AF_INET6;
	return bpf_map_lookup_elem(&ptd_attrib_tuples, t);
}

/*
 * The packet's tuple as sent: laddr/lport are its source.  l3_off is where
 * the IP header starts (ETH_HLEN on Ethernet-like devices and lo, 0 on
 * devices without a link header).  Up to PTD_ATTRIB_IPV6_EXT_MAX IPv6
 * extension headers are skipped.  0; for a fragmented datagram
 * PTD_ATTRIB_FRAG_FIRST (its first fragment) or PTD_ATTRIB_FRAG_LATER (no
 * ports), with *frag its fragment group; -ENOENT (-2) for anything else.
 */
#define PTD_ATTRIB_IPV6_EXT_MAX 4

static __always_inline void ptd_attrib_frag_key(struct ptd_attrib_tuple *frag,
						const struct ptd_attrib_tuple *t,
						__u8 proto, __u32 id)
{
	__builtin_memcpy(frag, t, sizeof(*frag));
	frag->proto = proto;
	frag->lport = id >> 16;
	frag->rport = (__u16)id;
	frag->pad = 0xffff;
}

/* ptd_attrib_skb_tuple(), also telling where the TCP or UDP header starts
 * (*l4_off, set when the result is 0 or PTD_ATTRIB_FRAG_FIRST). */
static __always_inline int ptd_attrib_skb_tuple_l4(struct __sk_buff *skb,
						   __u32 l3_off,
						   __u64 netns_cookie,
						   struct ptd_attrib_tuple *t,
						   struct ptd_attrib_tuple *frag,
						   __u32 *l4_off_out)
{
	__u16 ports[2];
	__u32 l4_off, frag_id = 0;
	__u8 proto;
	int frag_rc = 0;

	__builtin_memset(t, 0, sizeof(*t));
	t->netns_cookie = netns_cookie;
	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, l3_off, &ip, sizeof(ip)) < 0)
			return -2; /* -ENOENT */
		proto = ip.protocol;
		l4_off = l3_off + ip.ihl * 4;
		t->family = AF_INET;
		t->laddr[0] = ip.saddr;
		t->raddr[0] = ip.daddr;
		if (ip.frag_off & bpf_htons(0x3fff)) { /* MF or an offset */
			frag_id = bpf_ntohs(ip.id);
			frag_rc = (ip.frag_off & bpf_htons(0x1fff)) ?
				PTD_ATTRIB_FRAG_LATER : PTD_ATTRIB_FRAG_FIRST;
		}
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr ip6;

		if (bpf_skb_load_bytes(skb, l3_off, &ip6, sizeof(ip6)) < 0)
			return -2;
		proto = ip6.nexthdr;
		l4_off = l3_off + sizeof(ip6);
		t->family = AF_INET6;
		__builtin_memcpy(t->laddr, &ip6.saddr, 16);
		__builtin_memcpy(t->raddr, &ip6.daddr, 16);
		/* Hop-by-hop, routing and destination options are skipped,
		 * and a fragment header.  Bounded, as the verifier wants. */
#pragma unroll
		for (int i = 0; i < PTD_ATTRIB_IPV6_EXT_MAX; i++) {
			__u8 ext[2];

			if (proto != 0 && proto != 43 && proto != 60 && proto != 44)
				break;
			if (bpf_skb_load_bytes(skb, l4_off, ext, sizeof(ext)) < 0)
				return -2;
			if (proto == 44) {
				struct { __be16 off; __be32 id; } __attribute__((packed)) fh;

				if (bpf_skb_load_bytes(skb, l4_off + 2, &fh, sizeof(fh)) < 0)
					return -2;
				frag_id = bpf_ntohl(fh.id);
				frag_rc = (fh.off & bpf_htons(0xfff8)) ?
					PTD_ATTRIB_FRAG_LATER : PTD_ATTRIB_FRAG_FIRST;
				l4_off += 8;
			} else {
				l4_off += (ext[1] + 1) * 8;
			}
			proto = ext[0];
		}
	} else {
		return -2;
	}
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -2;
	if (frag_rc) {
		if (!frag)
			return -2;
		ptd_attrib_frag_key(frag, t, proto, frag_id);
		if (frag_rc == PTD_ATTRIB_FRAG_LATER)
			return frag_rc;
	}
	if (bpf_skb_load_bytes(skb, l4_off, ports, sizeof(ports)) < 0)
		return -2;
	t->proto = proto;
	t->lport = bpf_ntohs(ports[0]);
	t->rport = bpf_ntohs(ports[1]);
	if (l4_off_out)
		*l4_off_out = l4_off;
	return frag_rc;
}

static __always_inline int ptd_attrib_skb_tuple(struct __sk_buff *skb,
						__u32 l3_off,
						__u64 netns_cookie,
						struct ptd_attrib_tuple *t,
						struct ptd_attrib_tuple *frag)
{
	return ptd_attrib_skb_tuple_l4(skb, l3_off, netns_cookie, t, frag,
				       NULL);
}

/*
 * Remember that this tuple (the socket's view, local first) belongs to
 * owner, unless it already says so: the reply, which reaches tc ingress
 * without a socket, then resolves too.  Written only on a change, so a
 * steady flow costs one lookup.
 */
static __always_inline void ptd_attrib_learn(const struct ptd_attrib_tuple *t,
					     const struct ptd_attrib_owner *owner)
{
	struct ptd_attrib_owner *cur, upd;

	cur = bpf_map_lookup_elem(&ptd_attrib_tuples, t);
	if (cur && cur->pid == owner->pid && cur->tid == owner->tid)
		return;
	__builtin_memcpy(&upd, owner, sizeof(upd));
	upd.source = PTD_ATTRIB_SRC_EGRESS;
	upd.updated_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&ptd_attrib_tuples, t, &upd, BPF_ANY);
}

/*
 * The owner the sending thread's send hook left in the storage of skb's
 * socket, when skb holds a full socket (on egress: the sender's).  0 with
 * *out filled, or -ENOENT (-2).
 */
static __always_inline int ptd_attrib_skc_owner(struct __sk_buff *skb,
						struct ptd_attrib_owner *out)
{
	struct bpf_sock *sk = skb->sk;
	struct ptd_attrib_skc *c;

	if (!sk)
		return -2;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return -2;
	c = bpf_sk_storage_get(&ptd_attrib_skcache, sk, 0, 0);
	if (!c || !(c->flags & PTD_ATTRIB_SKC_OWNER))
		return -2;
	__builtin_memcpy(out, &c->owner, sizeof(*out));
	return 0;
}

/*
 * The owner of the packet in skb, seen on a device of the network
 * namespace whose cookie is netns_cookie.  Take it from user space
 * (ptd_attrib_netns_cookie() where the device was attached), not from
 * bpf_get_netns_cookie(skb): in tc that is skb->sk's namespace whenever
 * the skb carries a socket, and veth keeps the sender's socket when it
 * hands a packet to another namespace.  0 with *out filled, or -ENOENT.
 * In order:
 *
 *  - ingress: the socket of this namespace the packet is for (tuple, local
 *    end = destination), so a reply is the receiver's even when the
 *    sender's socket came along with the skb (veth keeps skb->sk);
 *  - egress: the owner in skb->sk's storage, when its send hook left one
 *    there (its tuple is then recorded already: nothing to learn);
 *  - skb->sk, when it is a full socket: its cookie (egress; a device the
 *    sender's skb crossed, like a container's veth seen from the host).
 *    Its tuple is then learned for the replies, which reach tc ingress
 *    without a socket.  A request socket (the SYN-ACK) or a time-wait
 *    socket has no cookie entry of its own: tuple lookup;
 *  - the tuple, the packet's source as local end on egress first (its
 *    destination on ingress), then the other orientation.
 */
static __always_inline int ptd_attrib_skb_owner(struct __sk_buff *skb,
						__u32 l3_off, int egress,
						__u64 netns_cookie,
						struct ptd_attrib_owner *out)
{
	struct ptd_attrib_owner *o = NULL;
	struct ptd_attrib_tuple t, key, frag;
	struct bpf_sock *sk;
	int have_tuple, rc;
	__u64 cookie;

	if (egress && ptd_attrib_skc_owner(skb, out) == 0)
		return 0;
	rc = ptd_attrib_skb_tuple(skb, l3_off, netns_cookie, &t, &frag);
	have_tuple = rc == 0 || rc == PTD_ATTRIB_FRAG_FIRST;
	if (rc == PTD_ATTRIB_FRAG_LATER)
		o = bpf_map_lookup_elem(&ptd_attrib_frags, &frag);
	if (have_tuple && !egress) {
		__builtin_memcpy(&key, &t, sizeof(key));
		ptd_attrib_tuple_swap(&key);
		o = ptd_attrib_tuple_lookup(&key);
	}
	sk = o ? NULL : skb->sk;
	if (sk)
		sk = bpf_sk_fullsock(sk);
	if (sk) {
		cookie = bpf_get_socket_cookie(skb);
		o = bpf_map_lookup_elem(&ptd_attrib_socks, &cookie);
		/* Learn in the socket's orientation: it owns the end whose
		 * port is its own, in its own namespace (a socket that came
		 * over a veth from another one says nothing of this one's). */
		if (o && have_tuple) {
			__builtin_memcpy(&key, &t, sizeof(key));
			key.netns_cookie = bpf_get_netns_cookie(skb);
			if (sk->src_port != key.lport)
				ptd_attrib_tuple_swap(&key);
			if (sk->src_port == key.lport)
				ptd_attrib_learn(&key, o);
		}
	}
	if (!o && have_tuple) {
		__builtin_memcpy(&key, &t, sizeof(key));
		if (!egress)
			ptd_attrib_tuple_swap(&key);
		o = ptd_attrib_tuple_lookup(&key);
		if (!o) {
			__builtin_memcpy(&key, &t, sizeof(key));
			if (egress)
				ptd_attrib_tuple_swap(&key);
			o = ptd_attrib_tuple_lookup(&key);
		}
	}
	if (!o)
		return -2;
	__builtin_memcpy(out, o, sizeof(*out));
	if (rc == PTD_ATTRIB_FRAG_FIRST)
		bpf_map_update_elem(&ptd_attrib_frags, &frag, out, BPF_ANY);
	return 0;
}

#endif /* PTD_BPF_ATTRIB_LOOKUP_H */
