/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A bounded cache of what /proc says about processes, keyed by pid and
 * checked against the process start time, so a reused pid is noticed.
 *
 * Lifetime of what lookups return: proc_cache_begin() opens a generation.
 * Entries used in the current generation are neither reloaded nor evicted,
 * so every pointer handed out (the proc_info and its strings) stays valid
 * until the next proc_cache_begin(), proc_cache_note_exec() or
 * proc_cache_note_exit() call.  The enricher begins a generation per packet;
 * the core runs enrichers and then printers for one packet before the next,
 * so strings put into struct ptd_meta outlive the printers' use of them.
 *
 * A process that exits keeps its entry: packets still queued from it get its
 * names.  The entry goes only when the cache needs room (least recently used
 * first) or when its pid turns out to belong to a newer process.
 *
 * Event feeds (exec/exit from BPF) call proc_cache_note_exec() and
 * proc_cache_note_exit(); without them the cache learns lazily from packets.
 */
#ifndef PTD_ENRICHER_PROC_CACHE_H
#define PTD_ENRICHER_PROC_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include <ptcpdump/packet.h>

#define PROC_CACHE_MIN 2
#define PROC_CACHE_MAX (1u << 20)

/* One process, as last seen. */
struct proc_info {
	uint32_t pid;
	uint32_t ppid;               /* 0 = unknown */
	uint32_t uid;                /* real uid, when have_uid */
	int have_uid;
	int have_proc;               /* these facts came from /proc */
	int exited;                  /* /proc/PID was gone at the last check */
	uint64_t start_time;         /* stat field 22; 0 = unknown */
	char comm[PTD_COMM_LEN + 1]; /* "" = unknown */
	char *cmd;                   /* executable path or argv[0]; NULL = unknown */
	char *args;                  /* command line; NULL = unknown or empty */
};

struct proc_cache_stats {
	uint64_t lookups;
	uint64_t hits;
	uint64_t loads;              /* full reads of a process from /proc */
	uint64_t revalidations;      /* stat reads of a cached process */
	uint64_t reused;             /* a cached pid belonged to a newer process */
	uint64_t evictions;
	uint32_t entries;
	uint32_t capacity;
	size_t string_bytes;         /* heap held by cmd and args strings */
};

struct proc_cache;

/* capacity is clamped to [PROC_CACHE_MIN, PROC_CACHE_MAX]; a cached process
 * is re-checked at most every revalidate_ns.  The cache reads nothing until
 * proc_cache_set_root() gives it a procfs.  0 or -errno. */
int proc_cache_new(uint32_t capacity, uint64_t revalidate_ns,
		   struct proc_cache **out);
void proc_cache_free(struct proc_cache *c);

/* Opens the procfs root ("/proc", or a fake tree).  0 or -errno. */
int proc_cache_set_root(struct proc_cache *c, const char *path);

/* Starts a generation: pointers returned before may now go stale. */
void proc_cache_begin(struct proc_cache *c);

/* The process with this pid, read from /proc on first sight and re-checked
 * when older than the revalidation interval.  NULL when nothing is known
 * (never seen and not in /proc).  now_ns is CLOCK_MONOTONIC. */
const struct proc_info *proc_cache_lookup(struct proc_cache *c, uint32_t pid,
					  uint64_t now_ns);

/* The name of thread tid of a process returned by proc_cache_lookup() in
 * this generation (the process name for its main thread), or NULL. */
const char *proc_cache_thread_name(struct proc_cache *c,
				   const struct proc_info *pi, uint32_t tid,
				   uint64_t now_ns);

/* pid has just called execve(): read it again now, while it is alive.
 * When /proc no longer has it, remember what the event said (ppid, comm,
 * the executable's path and the arguments; any may be 0/NULL) so its
 * packets still get names.  0 or -errno (-ENOSPC when every entry is in
 * use by the current generation). */
int proc_cache_note_exec(struct proc_cache *c, uint32_t pid, uint32_t ppid,
			 const char *comm, const char *cmd, const char *args,
			 uint64_t now_ns);

/* pid has exited: keep its facts for packets still in flight, but look at
 * /proc again on its next lookup, because the pid is free for reuse. */
void proc_cache_note_exit(struct proc_cache *c, uint32_t pid);

void proc_cache_get_stats(const struct proc_cache *c,
			  struct proc_cache_stats *out);

#endif
