// SPDX-License-Identifier: BSD-2-Clause
/*
 * Socket -> process attribution without kprobes or fentry: who owns each
 * socket, and which process each pid is, kept in maps the packet path
 * reads (bpf/attrib_lookup.h).
 *
 *   processes  tp_btf sched_process_fork/exec/exit -> ptd_attrib_procs,
 *              and exec/exit records in ptd_attrib_events for user space;
 *   sockets    cgroup-v2 socket hooks at the root cgroup run in the
 *              owner's context (creation, connect, bind, release): socket
 *              cookie -> owner.  Not the UDP sendmsg/recvmsg hooks: they
 *              lock the socket around every datagram (~80 ns each on a
 *              UDP flood) and tell nothing sock_send_length and
 *              sock_recv_length do not, but for one case: a process that
 *              sends on a UDP socket another process made (inherited over
 *              fork) shows as that other process for its first datagram;
 *   tuples     tp_btf inet_sock_set_state gives TCP sockets their tuple
 *              (listen, established; an accepted child inherits its
 *              listener's owner), sock_send_length/sock_recv_length run in
 *              the sender's and reader's context for every protocol;
 *   seeding    an iter/task_file program walks every open file of every
 *              task once at start and records the sockets that already
 *              exist, in every network namespace.
 *
 * Every program is optional: user space probes each one and loads what
 * the kernel accepts.  The SCHED_CLS programs at the end run the packet
 * path's lookup for tests only (BPF_PROG_TEST_RUN, and TCX on a test
 * device); they load only when asked for.  The cgroup hooks always return 1: they observe and
 * never refuse.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "ptd_vmlinux.h"
#include "attrib.h"
#include "attrib_lookup.h"
#include "proc_filter.h"

#define PTD_TCP_ESTABLISHED 1
#define PTD_TCP_LISTEN 10

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, PTD_ATTRIB_PROCS_MAX);
	__type(key, __u32);
	__type(value, struct ptd_attrib_proc);
} ptd_attrib_procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20); /* ~1200 exec records */
} ptd_attrib_events SEC(".maps");

struct ptd_attrib_stats ptd_attrib_stats = {};

/* Process filters (bpf/proc_filter.h), set by user space before load:
 * a pid set is in use; its processes' children join it (-f). */
const volatile __u8 ptd_attrib_pid_filter = 0;
const volatile __u8 ptd_attrib_follow_forks = 0;

/* The self-test program's input and output (see ptd_attrib_test_lookup). */
__u64 ptd_attrib_test_netns = 0;
__u32 ptd_attrib_test_egress = 0;
__s32 ptd_attrib_test_rc = 0;
struct ptd_attrib_owner ptd_attrib_test_owner = {};

/* ------------------------------------------------------------ owners */

/* The current task as an owner: right in process context only (the
 * cgroup socket hooks, syscall-side tracepoints), never in softirq. */
static __always_inline void owner_from_current(struct ptd_attrib_owner *o,
					       __u64 cookie, __u8 source)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 uid_gid = bpf_get_current_uid_gid();
	struct ptd_attrib_proc *p;

	__builtin_memset(o, 0, sizeof(*o));
	o->pid = pid_tgid >> 32;
	o->tid = (__u32)pid_tgid;
	o->uid = (__u32)uid_gid;
	o->gid = uid_gid >> 32;
	o->cgroup_id = bpf_get_current_cgroup_id();
	o->flags = PTD_ATTRIB_F_CGROUP;
	o->cookie = cookie;
	o->source = source;
	o->updated_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(o->comm, sizeof(o->comm));
	p = bpf_map_lookup_elem(&ptd_attrib_procs, &o->pid);
	if (p) {
		o->ppid = p->ppid;
		o->flags |= PTD_ATTRIB_F_PPID;
	}
}

static __always_inline void note_cookie_current(__u64 cookie, __u8 source)
{
	struct ptd_attrib_owner o, *cur;
	__u64 pid_tgid;

	if (!cookie)
		return;
	/* Sends and receives repeat: write only when the thread changed. */
	pid_tgid = bpf_get_current_pid_tgid();
	cur = bpf_map_lookup_elem(&ptd_attrib_socks, &cookie);
	if (cur && cur->pid == pid_tgid >> 32 && cur->tid == (__u32)pid_tgid &&
	    source >= PTD_ATTRIB_SRC_SENDMSG)
		return;
	owner_from_current(&o, cookie, source);
	bpf_map_update_elem(&ptd_attrib_socks, &cookie, &o, BPF_ANY);
}

/* Whether skc says this thread already did what a send/receive hook
 * does; otherwise NULL or the entry to update afterwards. */
static __always_inline int skc_same_thread(const struct ptd_attrib_skc *c,
					   __u64 pid_tgid)
{
	return c && c->pid == pid_tgid >> 32 && c->tid == (__u32)pid_tgid;
}

/* Records that this thread did it, and the owner entry that says so
 * (cur: the socket's entry in ptd_attrib_socks, now this thread's). */
static __always_inline void skc_set(struct ptd_attrib_skc *c, __u64 pid_tgid,
				    const struct ptd_attrib_owner *cur)
{
	if (!c)
		return;
	c->pid = pid_tgid >> 32;
	c->tid = (__u32)pid_tgid;
	__builtin_memcpy(&c->owner, cur, sizeof(c->owner));
	c->flags = PTD_ATTRIB_F_TUPLE | PTD_ATTRIB_SKC_OWNER;
}

/* An owner rewritten (socket creation, bind, connect): forget the cache. */
static __always_inline void skc_clear(struct ptd_attrib_skc *c)
{
	if (c) {
		c->pid = 0;
		c->tid = 0;
		c->flags = 0;
	}
}


/* ------------------------------------------------------- cgroup hooks */

static __always_inline int inet_family(__u32 family)
{
	return family == AF_INET || family == AF_INET6;
}

SEC("cgroup/sock_create")
int ptd_attrib_sock_create(struct bpf_sock *sk)
{
	if (inet_family(sk->family))
		note_cookie_current(bpf_get_socket_cookie(sk), PTD_ATTRIB_SRC_CREATE);
	return 1;
}

/* The socket may outlive close() (TCP's FIN, TIME_WAIT): its tuple entry
 * stays for those packets, the cookie entry goes. */
SEC("cgroup/sock_release")
int ptd_attrib_sock_release(struct bpf_sock *sk)
{
	__u64 cookie;

	if (!inet_family(sk->family))
		return 1;
	cookie = bpf_get_socket_cookie(sk);
	bpf_map_delete_elem(&ptd_attrib_socks, &cookie);
	return 1;
}

/* post_bind4 may not read src_ip6, nor post_bind6 src_ip4: v6 is a
 * constant, so each program keeps only its own branch. */
static __always_inline void note_bind(struct bpf_sock *sk, const int v6)
{
	struct ptd_attrib_tuple t = {};
	struct ptd_attrib_owner o;
	__u64 cookie = bpf_get_socket_cookie(sk);

	t.netns_cookie = bpf_get_netns_cookie(sk);
	t.proto = sk->protocol;
	t.lport = sk->src_port;
	if (v6) {
		t.family = AF_INET6;
		t.laddr[0] = sk->src_ip6[0];
		t.laddr[1] = sk->src_ip6[1];
		t.laddr[2] = sk->src_ip6[2];
		t.laddr[3] = sk->src_ip6[3];
	} else {
		t.family = AF_INET;
		t.laddr[0] = sk->src_ip4;
	}
	ptd_attrib_tuple_fold_v4(&t);
	skc_clear(bpf_sk_storage_get(&ptd_attrib_skcache, sk, 0, 0));
	owner_from_current(&o, cookie, PTD_ATTRIB_SRC_BIND);
	bpf_map_update_elem(&ptd_attrib_socks, &cookie, &o, BPF_ANY);
	if (t.lport)
		bpf_map_update_elem(&ptd_attrib_tuples, &t, &o, BPF_ANY);
}

SEC("cgroup/post_bind4")
int ptd_attrib_post_bind4(struct bpf_sock *sk)
{
	note_bind(sk, 0);
	return 1;
}

SEC("cgroup/post_bind6")
int ptd_attrib_post_bind6(struct bpf_sock *sk)
{
	note_bind(sk, 1);
	return 1;
}

/* connect() may run in another thread or process than socket(). */
SEC("cgroup/connect4")
int ptd_attrib_connect4(struct bpf_sock_addr *ctx)
{
	note_cookie_current(bpf_get_socket_cookie(ctx), PTD_ATTRIB_SRC_CONNECT);
	if (ctx->sk)
		skc_clear(bpf_sk_storage_get(&ptd_attrib_skcache, ctx->sk, 0, 0));
	return 1;
}

SEC("cgroup/connect6")
int ptd_attrib_connect6(struct bpf_sock_addr *ctx)
{
	note_cookie_current(bpf_get_socket_cookie(ctx), PTD_ATTRIB_SRC_CONNECT);
	if (ctx->sk)
		skc_clear(bpf_sk_storage_get(&ptd_attrib_skcache, ctx->sk, 0, 0));
	return 1;
}

/* ------------------------------------------------- kernel sockets (BTF) */

/* The socket's tuple, local first; 0, or -1 for a socket that is not
 * TCP/UDP over IP or has no local port yet. */
static __always_inline int tuple_from_sk(const struct sock *sk,
					 struct ptd_attrib_tuple *t)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);
	__u16 proto = BPF_CORE_READ(sk, sk_protocol);

	__builtin_memset(t, 0, sizeof(*t));
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -1;
	if (family == AF_INET) {
		t->laddr[0] = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		t->raddr[0] = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	} else if (family == AF_INET6) {
		BPF_CORE_READ_INTO(&t->laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&t->raddr, sk, __sk_common.skc_v6_daddr);
	} else {
		return -1;
	}
	t->family = family;
	t->proto = proto;
	t->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	t->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	t->netns_cookie = BPF_CORE_READ(sk, __sk_common.skc_net.net, net_cookie);
	ptd_attrib_tuple_fold_v4(t);
	return t->lport ? 0 : -1;
}

static __always_inline void put_tuple(const struct ptd_attrib_tuple *t,
				      const struct ptd_attrib_owner *o)
{
	struct ptd_attrib_owner *cur;

	cur = bpf_map_lookup_elem(&ptd_attrib_tuples, t);
	if (cur && cur->pid == o->pid && cur->tid == o->tid &&
	    cur->cookie == o->cookie)
		return;
	bpf_map_update_elem(&ptd_attrib_tuples, t, o, BPF_ANY);
}

/* A child socket of a listener: the listener's owner, found by its bound
 * tuple (remote half zero). */
static __always_inline void note_accepted(struct sock *sk, __u64 cookie,
					  struct ptd_attrib_tuple *t)
{
	struct ptd_attrib_tuple key;
	struct ptd_attrib_owner *l, o;

	__builtin_memcpy(&key, t, sizeof(key));
	l = ptd_attrib_tuple_lookup(&key);
	if (!l) {
		__sync_fetch_and_add(&ptd_attrib_stats.accept_unowned, 1);
		return;
	}
	__builtin_memcpy(&o, l, sizeof(o));
	o.cookie = cookie;
	o.source = PTD_ATTRIB_SRC_ACCEPTED;
	o.updated_ns = bpf_ktime_get_ns();
	bpf_map_update_elem(&ptd_attrib_socks, &cookie, &o, BPF_NOEXIST);
	bpf_map_update_elem(&ptd_attrib_tuples, t, &o, BPF_ANY);
}

/* LISTEN is entered by listen(), in the owner's context; ESTABLISHED in
 * softirq for both ends, where only the socket tells who owns it. */
SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(ptd_attrib_set_state, struct sock *sk, int oldstate, int newstate)
{
	struct ptd_attrib_owner o, *cur;
	struct ptd_attrib_tuple t;
	__u64 cookie;

	if (newstate != PTD_TCP_LISTEN && newstate != PTD_TCP_ESTABLISHED)
		return 0;
	if (tuple_from_sk(sk, &t) < 0)
		return 0;
	cookie = bpf_get_socket_cookie(sk);
	if (newstate == PTD_TCP_LISTEN) {
		owner_from_current(&o, cookie, PTD_ATTRIB_SRC_LISTEN);
		bpf_map_update_elem(&ptd_attrib_socks, &cookie, &o, BPF_ANY);
		bpf_map_update_elem(&ptd_attrib_tuples, &t, &o, BPF_ANY);
		return 0;
	}
	cur = bpf_map_lookup_elem(&ptd_attrib_socks, &cookie);
	if (!cur) {
		note_accepted(sk, cookie, &t);
		return 0;
	}
	__builtin_memcpy(&o, cur, sizeof(o));
	o.source = PTD_ATTRIB_SRC_ESTABLISHED;
	bpf_map_update_elem(&ptd_attrib_tuples, &t, &o, BPF_ANY);
	return 0;
}

/* sock_sendmsg()/sock_recvmsg() return: the caller is the one reading or
 * writing, whatever process made the socket or accepted it.  Runs for
 * every send and receive of every socket, so the common case, the same
 * thread again on a socket whose tuple it already recorded, costs one
 * lookup; the full work happens when the owner or the tuple changes (a
 * rewritten owner entry, as connect() makes, starts without the flag). */
static __always_inline void note_io(struct sock *sk, __u8 source)
{
	struct ptd_attrib_owner *cur;
	struct ptd_attrib_tuple t;
	struct ptd_attrib_skc *c;
	__u64 cookie, pid_tgid;
	__u16 family = sk->__sk_common.skc_family;

	if (family != AF_INET && family != AF_INET6)
		return;
	pid_tgid = bpf_get_current_pid_tgid();
	c = bpf_sk_storage_get(&ptd_attrib_skcache, sk, 0,
			       BPF_SK_STORAGE_GET_F_CREATE);
	if (skc_same_thread(c, pid_tgid) && (c->flags & PTD_ATTRIB_F_TUPLE))
		return;
	cookie = bpf_get_socket_cookie(sk);
	cur = bpf_map_lookup_elem(&ptd_attrib_socks, &cookie);
	if (cur && (cur->flags & PTD_ATTRIB_F_TUPLE) &&
	    cur->pid == pid_tgid >> 32 && cur->tid == (__u32)pid_tgid) {
		skc_set(c, pid_tgid, cur);
		return;
	}
	if (tuple_from_sk(sk, &t) < 0)
		return;
	note_cookie_current(cookie, source);
	cur = bpf_map_lookup_elem(&ptd_attrib_socks, &cookie);
	if (cur) {
		put_tuple(&t, cur);
		cur->flags |= PTD_ATTRIB_F_TUPLE;
		skc_set(c, pid_tgid, cur);
	}
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(ptd_attrib_send_length, struct sock *sk, int ret, int flags)
{
	note_io(sk, PTD_ATTRIB_SRC_SEND);
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(ptd_attrib_recv_length, struct sock *sk, int ret, int flags)
{
	note_io(sk, PTD_ATTRIB_SRC_RECV);
	return 0;
}

/* ---------------------------------------------------------- processes */

static __always_inline struct ptd_attrib_event *
emit_reserve(__u32 type, __u32 pid, __u32 tid, const struct ptd_attrib_proc *p)
{
	struct ptd_attrib_event *ev;

	ev = bpf_ringbuf_reserve(&ptd_attrib_events, sizeof(*ev), 0);
	if (!ev) {
		__sync_fetch_and_add(&ptd_attrib_stats.events_lost, 1);
		return NULL;
	}
	ev->type = type;
	ev->pid = pid;
	ev->tid = tid;
	ev->ppid = p->ppid;
	ev->uid = p->uid;
	ev->gid = p->gid;
	ev->cgroup_id = p->cgroup_id;
	ev->ts_ns = bpf_ktime_get_ns();
	__builtin_memcpy(ev->comm, p->comm, sizeof(ev->comm));
	ev->filename[0] = '\0';
	ev->args_len = 0;
	ev->reserved = 0;
	return ev;
}

static __always_inline void proc_from_current(struct ptd_attrib_proc *p)
{
	__u64 uid_gid = bpf_get_current_uid_gid();

	__builtin_memset(p, 0, sizeof(*p));
	p->uid = (__u32)uid_gid;
	p->gid = uid_gid >> 32;
	p->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(p->comm, sizeof(p->comm));
}

/* Runs in the parent: the child has its credentials, cgroup and name. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(ptd_attrib_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	struct ptd_attrib_proc p;
	__u32 pid = BPF_CORE_READ(child, tgid);

	if (BPF_CORE_READ(child, pid) != pid)
		return 0; /* a thread */
	proc_from_current(&p);
	p.ppid = BPF_CORE_READ(child, real_parent, tgid);
	p.start_ns = BPF_CORE_READ(child, start_time);
	bpf_map_update_elem(&ptd_attrib_procs, &pid, &p, BPF_ANY);
	if (ptd_attrib_pid_filter)
		ptd_proc_filter_fork(bpf_get_current_pid_tgid() >> 32, pid,
				     ptd_attrib_follow_forks);
	return 0;
}

/* Runs in the new program, its name already set; its arguments were just
 * copied to its stack, so they are there to read. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(ptd_attrib_exec, struct task_struct *task, int old_pid,
	     struct linux_binprm *bprm)
{
	struct ptd_attrib_event *ev;
	struct ptd_attrib_proc p;
	__u32 pid = BPF_CORE_READ(task, tgid);
	unsigned long start, end, len;

	proc_from_current(&p);
	p.ppid = BPF_CORE_READ(task, real_parent, tgid);
	p.start_ns = BPF_CORE_READ(task, start_time);
	bpf_map_update_elem(&ptd_attrib_procs, &pid, &p, BPF_ANY);
	ev = emit_reserve(PTD_ATTRIB_EV_EXEC, pid, BPF_CORE_READ(task, pid), &p);
	if (!ev)
		return 0;
	bpf_probe_read_kernel_str(ev->filename, sizeof(ev->filename),
				  BPF_CORE_READ(bprm, filename));
	start = BPF_CORE_READ(task, mm, arg_start);
	end = BPF_CORE_READ(task, mm, arg_end);
	len = end > start ? end - start : 0;
	if (len > sizeof(ev->args))
		len = sizeof(ev->args);
	if (len && bpf_probe_read_user(ev->args, len, (const void *)start) == 0)
		ev->args_len = len;
	bpf_ringbuf_submit(ev, 0);
	return 0;
}

/* Fires per thread.  do_exit() counts the thread out of signal->live
 * before the tracepoint, so the last thread of a process sees 0 there,
 * whichever thread it is.  Sockets keep their own copy of the owner, so
 * the process entry can go at once. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(ptd_attrib_exit, struct task_struct *task)
{
	struct ptd_attrib_event *ev;
	struct ptd_attrib_proc p, *cur;
	__u32 pid = BPF_CORE_READ(task, tgid);

	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	cur = bpf_map_lookup_elem(&ptd_attrib_procs, &pid);
	if (cur) {
		__builtin_memcpy(&p, cur, sizeof(p));
	} else {
		proc_from_current(&p);
		p.ppid = BPF_CORE_READ(task, real_parent, tgid);
	}
	ev = emit_reserve(PTD_ATTRIB_EV_EXIT, pid, BPF_CORE_READ(task, pid), &p);
	if (ev)
		bpf_ringbuf_submit(ev, 0);
	bpf_map_delete_elem(&ptd_attrib_procs, &pid);
	return 0;
}

/* ------------------------------------------------------------ seeding */

/*
 * Once per open file of every process, in every namespace: sockets that
 * existed before the hooks were attached.  What the hooks recorded since
 * is fresher, so the seed never overwrites (BPF_NOEXIST); with a socket
 * shared across fork(), the lowest pid is the owner.
 */
SEC("iter/task_file")
int ptd_attrib_seed(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct ptd_attrib_owner o = {};
	struct ptd_attrib_tuple t;
	struct socket *sock;
	struct sock *sk;

	if (!task || !file)
		return 0;
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	sk = sock->sk; /* a BTF pointer, as bpf_get_socket_cookie() wants */
	if (!sk || tuple_from_sk(sk, &t) < 0)
		return 0;
	o.pid = BPF_CORE_READ(task, tgid);
	o.tid = BPF_CORE_READ(task, pid);
	o.ppid = BPF_CORE_READ(task, real_parent, tgid);
	o.uid = BPF_CORE_READ(task, cred, uid.val);
	o.gid = BPF_CORE_READ(task, cred, gid.val);
	o.cgroup_id = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	o.flags = PTD_ATTRIB_F_PPID | PTD_ATTRIB_F_CGROUP;
	o.source = PTD_ATTRIB_SRC_SEED;
	o.updated_ns = bpf_ktime_get_ns();
	BPF_CORE_READ_STR_INTO(&o.comm, task, comm);
	o.cookie = bpf_get_socket_cookie(sk);
	if (!bpf_map_update_elem(&ptd_attrib_socks, &o.cookie, &o, BPF_NOEXIST))
		__sync_fetch_and_add(&ptd_attrib_stats.seeded_socks, 1);
	if (!bpf_map_update_elem(&ptd_attrib_tuples, &t, &o, BPF_NOEXIST))
		__sync_fetch_and_add(&ptd_attrib_stats.seeded_tuples, 1);
	return 0;
}

/* ---------------------------------------------------------- self-test */

/*
 * Runs the packet path's lookup on a packet handed in with
 * BPF_PROG_TEST_RUN (Ethernet framing), so the lookup is checked without
 * attaching to a device.  Loaded only when asked for.
 */
SEC("tc")
int ptd_attrib_test_lookup(struct __sk_buff *skb)
{
	__u64 netns = ptd_attrib_test_netns;

	if (!netns)
		netns = bpf_get_netns_cookie(skb);
	ptd_attrib_test_rc = ptd_attrib_skb_owner(skb, ETH_HLEN,
						  ptd_attrib_test_egress,
						  netns, &ptd_attrib_test_owner);
	return TC_ACT_UNSPEC;
}

/* The same lookup on live packets, for a test that attaches these to a
 * device: per packet (key: its tuple in wire order, the namespace cookie
 * the helper gave, the direction) the owner found. */
struct ptd_attrib_test_key {
	struct ptd_attrib_tuple t;
	__u32 egress;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, struct ptd_attrib_test_key);
	__type(value, struct ptd_attrib_owner);
} ptd_attrib_test_seen SEC(".maps");

/* ifindex -> cookie of the device's namespace, from user space: in tc,
 * bpf_get_netns_cookie(skb) gives skb->sk's namespace when the skb has a
 * socket, and veth keeps the sender's socket across namespaces. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} ptd_attrib_test_ifnetns SEC(".maps");

static __always_inline void test_live(struct __sk_buff *skb, __u32 egress)
{
	struct ptd_attrib_test_key k = {};
	struct ptd_attrib_owner o;
	__u32 ifindex = skb->ifindex;
	__u64 netns, *known;

	known = bpf_map_lookup_elem(&ptd_attrib_test_ifnetns, &ifindex);
	netns = known ? *known : bpf_get_netns_cookie(skb);

	if (ptd_attrib_skb_tuple(skb, ETH_HLEN, netns, &k.t, NULL) < 0)
		return;
	k.egress = egress;
	if (ptd_attrib_skb_owner(skb, ETH_HLEN, egress, netns, &o) == 0)
		bpf_map_update_elem(&ptd_attrib_test_seen, &k, &o, BPF_ANY);
}

SEC("tc")
int ptd_attrib_test_tc_in(struct __sk_buff *skb)
{
	test_live(skb, 0);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int ptd_attrib_test_tc_out(struct __sk_buff *skb)
{
	test_live(skb, 1);
	return TC_ACT_UNSPEC;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
