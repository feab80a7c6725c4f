/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reverse lookups for a live capture, off the packet path.
 *
 * The printer asks nd_resolver_lookup() for an address; the answer is what
 * is known now (a name, "no name", or "not yet"), never a wait.  Unknown
 * addresses go into a bounded request queue that a few worker threads
 * drain with the lookup function (getnameinfo by default); when the queue
 * is full the request is dropped and counted, and a later packet asks
 * again.  Answers come back through a result ring that the printer takes
 * over on its next call, so the cache itself is touched by the printer's
 * thread only and needs no lock; the lock guards the two rings and is held
 * for constant-time copies, never across a lookup.
 *
 * The cache holds a bounded number of addresses, least recently used
 * first out; "no name" answers are believed for negative_ttl_ns, then the
 * address is looked up again.
 *
 * Shutdown (nd_resolver_free) waits at most shutdown_wait_ns for workers
 * busy in a lookup.  A worker still inside one after that is detached,
 * not cancelled: cancelling a thread inside the C library's resolver can
 * leave its internal locks held.  The detached worker finds the stop flag
 * when its lookup returns and frees the shared state if it is the last
 * user; the module holding its code is pinned in memory so that unloading
 * the plugin cannot pull the code from under it.
 */
#ifndef PTD_TEXT_RESOLVER_H
#define PTD_TEXT_RESOLVER_H

#include <stddef.h>
#include <stdint.h>

/* Looks addr (4 bytes for AF_INET, 16 for AF_INET6) up; 0 with the name
 * in name[size], non-zero when the address has no name.  Runs on a worker
 * thread. */
typedef int (*nd_resolve_fn)(void *arg, int family, const uint8_t *addr,
			     char *name, size_t size);

struct nd_resolver_config {
	unsigned threads;          /* workers, 1..4 (0: 2) */
	unsigned cache_entries;    /* addresses remembered (0: 4096) */
	unsigned queue_len;        /* requests waiting for a worker (0: 256) */
	uint64_t negative_ttl_ns;  /* "no name" is believed this long (0: 5 min) */
	uint64_t shutdown_wait_ns; /* free waits this long for busy workers (0: 200 ms) */
	nd_resolve_fn resolve;     /* NULL: nd_host_lookup (getnameinfo) */
	void *resolve_arg;
	uint64_t (*clock_ns)(void *arg); /* NULL: CLOCK_MONOTONIC */
	void *clock_arg;
};

enum nd_resolve_state {
	ND_RES_PENDING = 0, /* asked (or the queue was full): print the number */
	ND_RES_NAME = 1,    /* *name holds the name */
	ND_RES_NONE = 2,    /* the address has no name: print the number */
};

struct nd_resolver_stats {
	uint64_t requested; /* requests queued for a worker */
	uint64_t dropped;   /* requests refused because the queue was full */
	uint64_t named;     /* answers with a name */
	uint64_t unnamed;   /* answers without one */
	uint64_t evicted;   /* cache entries pushed out by newer ones */
	uint64_t expired;   /* "no name" entries looked up again */
	unsigned cached;    /* entries in the cache now */
	unsigned queued;    /* requests waiting now */
};

struct nd_resolver;

/* cfg may be NULL (defaults).  No thread runs before nd_resolver_start. */
int nd_resolver_new(const struct nd_resolver_config *cfg,
		    struct nd_resolver **out);
/* Starts the workers; 0, or -errno when none could be started. */
int nd_resolver_start(struct nd_resolver *r);
/* Stops the workers (see the shutdown policy above) and frees.  NULL ok. */
void nd_resolver_free(struct nd_resolver *r);

/* What is known about addr now; never blocks on a lookup.  With
 * ND_RES_NAME, *name stays valid until the next call on r. */
enum nd_resolve_state nd_resolver_lookup(struct nd_resolver *r, int family,
					 const uint8_t *addr,
					 const char **name);

/* Waits until the workers have answered at least n requests in total, or
 * timeout_ns passed.  0, or -ETIMEDOUT.  For tests and tools that need a
 * deterministic point; the printer never waits. */
int nd_resolver_wait_answers(struct nd_resolver *r, uint64_t n,
			     uint64_t timeout_ns);

void nd_resolver_stats(struct nd_resolver *r, struct nd_resolver_stats *st);

/* The system's reverse lookup (getnameinfo, a name required): 0 with the
 * name, non-zero without.  Blocks; the file replay path calls it directly. */
int nd_host_lookup(void *arg, int family, const uint8_t *addr, char *name,
		   size_t size);

/* Hands r to the address printers (addrtoname.c); r outlives names. */
struct nd_names;
void nd_names_set_resolver(struct nd_names *names, struct nd_resolver *r);

#endif
