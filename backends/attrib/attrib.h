/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Socket -> process attribution for the live backends (user space side of
 * bpf/attrib.bpf.c).  One lifecycle:
 *
 *   ptd_attrib_open()    open the object, probe each program, load what
 *                        the kernel accepts, attach the tracepoints and
 *                        the cgroup socket hooks at the cgroup v2 root
 *   ptd_attrib_seed()    record the sockets that already exist
 *   ptd_attrib_map_fd()  hand the maps to a capture program
 *                        (bpf_map__reuse_fd() before its load)
 *   ptd_attrib_drain()   exec/exit records, when events_fd() is readable
 *   ptd_attrib_close()
 *
 * Every link is a bpf_link owned by this process: all of it goes away when
 * the process dies, even by SIGKILL.  Functions return 0 or -errno.
 */
#ifndef PTD_BACKEND_ATTRIB_H
#define PTD_BACKEND_ATTRIB_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <ptcpdump/plugin.h>

#include "bpf/attrib.h"

enum ptd_attrib_map {
	PTD_ATTRIB_MAP_SOCKS,     /* cookie -> owner */
	PTD_ATTRIB_MAP_TUPLES,    /* struct ptd_attrib_tuple -> owner */
	PTD_ATTRIB_MAP_PROCS,     /* pid -> struct ptd_attrib_proc */
	PTD_ATTRIB_MAP_EVENTS,    /* ring buffer of struct ptd_attrib_event */
	PTD_ATTRIB_MAP_FILTER_PIDS, /* pid set of the process filter (bpf/proc_filter.h) */
	PTD_ATTRIB_MAP_FILTER_UIDS, /* uid set of the process filter */
	PTD_ATTRIB_MAP_SKCACHE,   /* socket storage: struct ptd_attrib_skc */
};

typedef void (*ptd_attrib_log_fn)(void *arg, enum ptd_log_level level,
				  const char *fmt, va_list ap);
/* One exec or exit record; a negative return stops the drain with it. */
typedef int (*ptd_attrib_event_fn)(void *arg, const struct ptd_attrib_event *ev);

struct ptd_attrib_config {
	const char *cgroup_path;  /* NULL: the cgroup v2 mount, from /proc/self/mounts */
	uint32_t socks_max;       /* 0: PTD_ATTRIB_SOCKS_MAX */
	uint32_t tuples_max;      /* 0: PTD_ATTRIB_TUPLES_MAX */
	uint32_t procs_max;       /* 0: PTD_ATTRIB_PROCS_MAX */
	int with_selftest;        /* load ptd_attrib_test_lookup too */
	int seed_sock_diag;       /* seed from sock_diag + /proc even when the
				   * iterator works (tests) */
	ptd_attrib_log_fn log;    /* NULL: silent */
	void *log_arg;
	ptd_attrib_event_fn on_event;
	void *event_arg;
	/* Process filters (bpf/proc_filter.h), in their maps before any hook
	 * is attached.  With pids, the fork tracepoint keeps the pid set
	 * (follow_forks: children join it) and must attach, or the open
	 * fails with -ENOTSUP. */
	const uint32_t *filter_pids;
	size_t n_filter_pids;
	const uint32_t *filter_uids;
	size_t n_filter_uids;
	int follow_forks;
};

struct ptd_attrib;

int ptd_attrib_open(const struct ptd_attrib_config *cfg, struct ptd_attrib **out);
void ptd_attrib_close(struct ptd_attrib *a);

/* Records the sockets that exist, in every network namespace: a BPF
 * task_file iterator walks every task's files once; without it,
 * NETLINK_SOCK_DIAG in each namespace plus the socket links in
 * /proc/PID/fd.  *found (may be NULL): sockets recorded. */
int ptd_attrib_seed(struct ptd_attrib *a, uint64_t *found);

/* The map's fd, or -ENOENT. */
int ptd_attrib_map_fd(const struct ptd_attrib *a, enum ptd_attrib_map which);

/* Readable when exec/exit records wait; -ENOENT without the tracepoints. */
int ptd_attrib_events_fd(const struct ptd_attrib *a);
/* Hands waiting records to cfg->on_event; the number handed or -errno. */
int ptd_attrib_drain(struct ptd_attrib *a);

int ptd_attrib_lookup_cookie(const struct ptd_attrib *a, uint64_t cookie,
			     struct ptd_attrib_owner *out);
/* Exact key only; the packet path's fallbacks live in bpf/attrib_lookup.h. */
int ptd_attrib_lookup_tuple(const struct ptd_attrib *a,
			    const struct ptd_attrib_tuple *key,
			    struct ptd_attrib_owner *out);
int ptd_attrib_lookup_proc(const struct ptd_attrib *a, uint32_t pid,
			   struct ptd_attrib_proc *out);

/* Runs the packet path's lookup (bpf/attrib_lookup.h) on an Ethernet
 * frame, as a tc program would at ingress or egress; netns_cookie 0 means
 * the caller's namespace.  -ENOENT when nothing owns it, -ENOTSUP when the
 * self-test program is not loaded. */
int ptd_attrib_selftest_lookup(struct ptd_attrib *a, const void *frame,
			       size_t len, int egress, uint64_t netns_cookie,
			       struct ptd_attrib_owner *out);

/* The cookie of the calling thread's network namespace, the key half of
 * every tuple of its devices: a capture program gets it from user space
 * (bpf_get_netns_cookie(skb) in tc answers with skb->sk's namespace when
 * the skb carries a socket, which veth keeps across namespaces). */
int ptd_attrib_netns_cookie(uint64_t *cookie);

/* The self-test's live half: attaches the lookup (TCX links, ingress and
 * egress) to device ifname of the network namespace at netns_path (NULL:
 * ours); then _seen() tells the owner found for a packet of that wire
 * tuple (source first; netns_cookie the device's namespace) in that
 * direction.  -ENOTSUP without the self-test programs or TCX. */
int ptd_attrib_selftest_attach(struct ptd_attrib *a, const char *netns_path,
			       const char *ifname);
int ptd_attrib_selftest_seen(const struct ptd_attrib *a,
			     const struct ptd_attrib_tuple *wire, int egress,
			     struct ptd_attrib_owner *out);

void ptd_attrib_get_stats(const struct ptd_attrib *a, struct ptd_attrib_stats *out);

/* "attached: a b c; skipped: d" into buf. */
void ptd_attrib_describe(const struct ptd_attrib *a, char *buf, size_t len);

#endif /* PTD_BACKEND_ATTRIB_H */
