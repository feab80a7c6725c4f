/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Process filters (--pid, --pname, --uid, -f, -- command), evaluated in
 * the kernel: the tc programs emit a packet only when its owner matches,
 * and the fork tracepoint of bpf/attrib.bpf.c adds the children of
 * selected processes to the pid set when following forks.
 *
 * Included by attrib.bpf.c, which owns the maps, and by tc_capture.bpf.c,
 * which reads them; user space hands the maps over with
 * bpf_map__reuse_fd() as it does the owner maps (bpf/attrib_lookup.h).
 *
 * A packet matches when its owner is known and matches every kind of
 * filter given: its pid is in the pid set (a value of either kind below),
 * its comm equals --pname, its uid is in the uid set.  Unattributed
 * packets never match.
 */
#ifndef PTD_BPF_PROC_FILTER_H
#define PTD_BPF_PROC_FILTER_H

#include <linux/types.h>

/* Which kinds of filter are active: the tc programs' rodata. */
#define PTD_PF_PIDS (1u << 0)
#define PTD_PF_COMM (1u << 1)
#define PTD_PF_UIDS (1u << 2)

/* ptd_proc_filter_pids values */
#define PTD_PF_PID_GIVEN    1 /* named on the command line, or -- command */
#define PTD_PF_PID_FOLLOWED 2 /* a descendant, added at fork (-f) */

#define PTD_PF_PIDS_MAX 16384
#define PTD_PF_UIDS_MAX 256

#ifdef __bpf__
#include <bpf/bpf_helpers.h>

/* tgid -> PTD_PF_PID_* */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PTD_PF_PIDS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} ptd_proc_filter_pids SEC(".maps");

/* uid -> 1 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PTD_PF_UIDS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} ptd_proc_filter_uids SEC(".maps");

/* The comm filter compares as the kernel keeps comm: at most 15 bytes and
 * a NUL; what follows the NUL does not count. */
static __always_inline int ptd_proc_comm_equal(const char *a,
					       const volatile char *b)
{
	int i;

#pragma unroll
	for (i = 0; i < 16; i++) {
		if (a[i] != b[i])
			return 0;
		if (!a[i])
			return 1;
	}
	return 1;
}

static __always_inline int ptd_proc_filter_match(__u32 what, __u32 pid,
						 __u32 uid, const char *comm,
						 const volatile char *want_comm)
{
	if ((what & PTD_PF_PIDS) &&
	    !bpf_map_lookup_elem(&ptd_proc_filter_pids, &pid))
		return 0;
	if ((what & PTD_PF_UIDS) &&
	    !bpf_map_lookup_elem(&ptd_proc_filter_uids, &uid))
		return 0;
	if ((what & PTD_PF_COMM) && !ptd_proc_comm_equal(comm, want_comm))
		return 0;
	return 1;
}

/*
 * At fork (in the parent's context): a child of a selected process joins
 * the pid set when following forks; a new process that merely reuses the
 * pid of a selected one that is gone leaves it.  Its exec keeps it: the
 * set is keyed by tgid, which exec does not change.  A selected process's
 * own entry stays after it exits, for its sockets' last packets (the FIN
 * that exit sends), until its pid is reused.
 */
static __always_inline void ptd_proc_filter_fork(__u32 parent_tgid,
						 __u32 child_tgid, int follow)
{
	__u32 followed = PTD_PF_PID_FOLLOWED;
	int parent_in;

	parent_in = bpf_map_lookup_elem(&ptd_proc_filter_pids,
					&parent_tgid) != NULL;
	if (follow && parent_in)
		bpf_map_update_elem(&ptd_proc_filter_pids, &child_tgid,
				    &followed, BPF_ANY);
	else
		bpf_map_delete_elem(&ptd_proc_filter_pids, &child_tgid);
}
#endif /* __bpf__ */

#endif /* PTD_BPF_PROC_FILTER_H */
