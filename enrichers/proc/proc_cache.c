/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The process cache: a fixed array of entries allocated once, a hash on pid
 * chained through indices, and an LRU list (most recent at the head) that
 * picks the entry to reuse when the array is full.  Indices instead of
 * pointers keep the whole structure in two allocations.
 *
 * Freshness is checked lazily: a cached process is re-read from
 * /proc/PID/stat at most once per revalidation interval; only when its start
 * time moved (pid reuse) or its name changed (exec) is it read in full
 * again.  A stat read that fails means the process is gone, which changes
 * nothing but the exited flag: its packets may still be queued.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enrichers/proc/proc_cache.h"
#include "enrichers/proc/proc_read.h"

#define NIL (-1)
/* Threads remembered per process: packets of one process mostly come from
 * one or two threads, and a miss costs one small read. */
#define THREAD_SLOTS 4

struct proc_thread {
	uint32_t tid;                /* 0 = free slot */
	int known;                   /* name was read at least once */
	uint64_t checked_ns;
	uint64_t gen;
	char name[PTD_COMM_LEN + 1];
};

struct proc_entry {
	struct proc_info info;       /* what lookups hand out */
	char stat_comm[PTD_COMM_LEN + 1]; /* stat's comm at load: exec detector */
	uint64_t checked_ns;         /* last look at /proc */
	uint64_t gen;                /* last generation that handed it out */
	int32_t hash_next;           /* bucket chain, or free list */
	int32_t lru_prev, lru_next;
	int in_use;
	int recheck;                 /* look at /proc on the next lookup */
	int stale;                   /* and read it in full even if unchanged */
	unsigned thread_hand;
	struct proc_thread threads[THREAD_SLOTS];
};

struct proc_cache {
	int rootfd;
	uint64_t revalidate_ns;
	uint32_t capacity;
	uint32_t bucket_mask;
	int32_t *buckets;
	struct proc_entry *entries;
	int32_t lru_head, lru_tail;
	int32_t free_head;
	uint64_t gen;
	struct proc_cache_stats st;
};

static struct proc_entry *entry_of(const struct proc_info *pi)
{
	return (struct proc_entry *)((char *)pi - offsetof(struct proc_entry, info));
}

static int32_t index_of(const struct proc_cache *c, const struct proc_entry *e)
{
	return (int32_t)(e - c->entries);
}

static uint32_t bucket_of(const struct proc_cache *c, uint32_t pid)
{
	/* pids are dense and sequential: mix them before masking */
	pid ^= pid >> 16;
	pid *= 0x45d9f3bu;
	pid ^= pid >> 16;
	return pid & c->bucket_mask;
}

/* ------------------------------------------------------------ structure */

static struct proc_entry *find(const struct proc_cache *c, uint32_t pid)
{
	int32_t i = c->buckets[bucket_of(c, pid)];

	while (i != NIL) {
		if (c->entries[i].info.pid == pid)
			return &c->entries[i];
		i = c->entries[i].hash_next;
	}
	return NULL;
}

static void hash_insert(struct proc_cache *c, struct proc_entry *e)
{
	uint32_t b = bucket_of(c, e->info.pid);

	e->hash_next = c->buckets[b];
	c->buckets[b] = index_of(c, e);
}

static void hash_remove(struct proc_cache *c, struct proc_entry *e)
{
	int32_t *link = &c->buckets[bucket_of(c, e->info.pid)];
	int32_t self = index_of(c, e);

	while (*link != NIL && *link != self)
		link = &c->entries[*link].hash_next;
	if (*link == self)
		*link = e->hash_next;
	e->hash_next = NIL;
}

static void lru_unlink(struct proc_cache *c, struct proc_entry *e)
{
	if (e->lru_prev != NIL)
		c->entries[e->lru_prev].lru_next = e->lru_next;
	else
		c->lru_head = e->lru_next;
	if (e->lru_next != NIL)
		c->entries[e->lru_next].lru_prev = e->lru_prev;
	else
		c->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NIL;
}

static void lru_push_head(struct proc_cache *c, struct proc_entry *e)
{
	int32_t self = index_of(c, e);

	e->lru_prev = NIL;
	e->lru_next = c->lru_head;
	if (c->lru_head != NIL)
		c->entries[c->lru_head].lru_prev = self;
	c->lru_head = self;
	if (c->lru_tail == NIL)
		c->lru_tail = self;
}

static void lru_touch(struct proc_cache *c, struct proc_entry *e)
{
	if (c->lru_head == index_of(c, e))
		return;
	lru_unlink(c, e);
	lru_push_head(c, e);
}

static size_t str_cost(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Frees the facts, keeps the entry's place in the structure. */
static void forget_facts(struct proc_cache *c, struct proc_entry *e)
{
	uint32_t pid = e->info.pid;

	c->st.string_bytes -= str_cost(e->info.cmd) + str_cost(e->info.args);
	free(e->info.cmd);
	free(e->info.args);
	memset(&e->info, 0, sizeof(e->info));
	e->info.pid = pid;
	e->stat_comm[0] = '\0';
	memset(e->threads, 0, sizeof(e->threads));
	e->thread_hand = 0;
	e->recheck = 0;
	e->stale = 0;
}

static void release(struct proc_cache *c, struct proc_entry *e)
{
	hash_remove(c, e);
	lru_unlink(c, e);
	forget_facts(c, e);
	e->in_use = 0;
	e->info.pid = 0;
	e->hash_next = c->free_head;
	c->free_head = index_of(c, e);
	c->st.entries--;
}

/* A fresh entry for pid, linked in; the least recently used entry not
 * handed out in this generation makes room.  NULL if all are. */
static struct proc_entry *claim(struct proc_cache *c, uint32_t pid)
{
	struct proc_entry *e;
	int32_t i;

	if (c->free_head == NIL) {
		for (i = c->lru_tail; i != NIL; i = c->entries[i].lru_prev)
			if (c->entries[i].gen != c->gen)
				break;
		if (i == NIL)
			return NULL;
		release(c, &c->entries[i]);
		c->st.evictions++;
	}
	e = &c->entries[c->free_head];
	c->free_head = e->hash_next;
	memset(e, 0, sizeof(*e));
	e->in_use = 1;
	e->info.pid = pid;
	e->gen = c->gen - 1;
	hash_insert(c, e);
	e->lru_prev = e->lru_next = NIL;
	lru_push_head(c, e);
	c->st.entries++;
	return e;
}

/* Moves freshly read facts into e. */
static void install(struct proc_cache *c, struct proc_entry *e,
		    struct proc_info *fresh, const char *stat_comm,
		    uint64_t now_ns)
{
	forget_facts(c, e);
	e->info = *fresh;
	memcpy(e->stat_comm, stat_comm, sizeof(e->stat_comm));
	c->st.string_bytes += str_cost(e->info.cmd) + str_cost(e->info.args);
	e->checked_ns = now_ns;
}

/* ------------------------------------------------------------ reading */

static void free_strings(struct proc_info *pi)
{
	free(pi->cmd);
	free(pi->args);
	pi->cmd = pi->args = NULL;
}

/* Everything /proc says about pid, into *out (strings malloc'ed). */
static int load_process(struct proc_cache *c, uint32_t pid,
			struct proc_info *out, char stat_comm[PTD_COMM_LEN + 1])
{
	struct proc_stat_facts st, again;
	uint32_t uid, ppid;
	int have_uid, have_ppid, r;
	char *argv0;

	for (int attempt = 0;; attempt++) {
		r = proc_read_stat(c->rootfd, pid, &st);
		if (r < 0)
			return r;
		memset(out, 0, sizeof(*out));
		out->pid = pid;
		out->ppid = st.ppid;
		out->start_time = st.start_time;
		out->have_proc = 1;
		memcpy(out->comm, st.comm, sizeof(out->comm));
		memcpy(stat_comm, st.comm, sizeof(out->comm));
		/* each read below may fail alone (exe needs privileges, a
		 * zombie has no command line): keep whatever was readable */
		proc_read_comm(c->rootfd, pid, 0, out->comm);
		if (proc_read_status(c->rootfd, pid, &uid, &have_uid, &ppid,
				     &have_ppid) == 0) {
			out->uid = uid;
			out->have_uid = have_uid;
			if (have_ppid)
				out->ppid = ppid;
		}
		proc_read_cmdline(c->rootfd, pid, &out->args, &argv0);
		if (proc_read_exe(c->rootfd, pid, &out->cmd) < 0) {
			out->cmd = argv0;
			argv0 = NULL;
		}
		free(argv0);
		/* A pid reused between the reads would mix two processes; a
		 * process that exited meanwhile leaves what we got. */
		if (proc_read_stat(c->rootfd, pid, &again) < 0 ||
		    again.start_time == st.start_time || attempt > 0)
			break;
		free_strings(out);
	}
	c->st.loads++;
	return 0;
}

static void revalidate(struct proc_cache *c, struct proc_entry *e,
		       uint64_t now_ns)
{
	struct proc_stat_facts st;
	struct proc_info fresh;
	char stat_comm[PTD_COMM_LEN + 1];
	int reused;

	c->st.revalidations++;
	e->checked_ns = now_ns;
	e->recheck = 0;
	if (proc_read_stat(c->rootfd, e->info.pid, &st) < 0) {
		/* gone (or hidden from us): what we knew stays true for the
		 * packets it left behind */
		e->info.exited = 1;
		return;
	}
	reused = e->info.have_proc && st.start_time != e->info.start_time;
	if (e->info.have_proc && !reused && !e->stale &&
	    strcmp(st.comm, e->stat_comm) == 0) {
		e->info.exited = 0;
		e->info.ppid = st.ppid; /* reparented when its parent exits */
		return;
	}
	if (reused)
		c->st.reused++;
	e->stale = 0;
	if (load_process(c, e->info.pid, &fresh, stat_comm) == 0) {
		install(c, e, &fresh, stat_comm, now_ns);
		return;
	}
	/* It vanished between two reads.  After a reuse the old facts
	 * describe another process: drop them. */
	if (reused)
		forget_facts(c, e);
	e->info.exited = 1;
}

/* ------------------------------------------------------------ interface */

int proc_cache_new(uint32_t capacity, uint64_t revalidate_ns,
		   struct proc_cache **out)
{
	struct proc_cache *c;
	uint32_t nbuckets = 1;
	int ret = -ENOMEM;

	*out = NULL;
	if (capacity < PROC_CACHE_MIN)
		capacity = PROC_CACHE_MIN;
	if (capacity > PROC_CACHE_MAX)
		capacity = PROC_CACHE_MAX;
	while (nbuckets < capacity)
		nbuckets <<= 1;
	c = calloc(1, sizeof(*c));
	if (!c)
		goto out;
	c->rootfd = -1;
	c->revalidate_ns = revalidate_ns;
	c->capacity = capacity;
	c->bucket_mask = nbuckets - 1;
	c->buckets = malloc(nbuckets * sizeof(*c->buckets));
	c->entries = calloc(capacity, sizeof(*c->entries));
	if (!c->buckets || !c->entries)
		goto out;
	for (uint32_t i = 0; i < nbuckets; i++)
		c->buckets[i] = NIL;
	for (uint32_t i = 0; i < capacity; i++)
		c->entries[i].hash_next = i + 1 < capacity ? (int32_t)(i + 1) : NIL;
	c->free_head = 0;
	c->lru_head = c->lru_tail = NIL;
	c->gen = 1;
	c->st.capacity = capacity;
	*out = c;
	c = NULL;
	ret = 0;
out:
	proc_cache_free(c);
	return ret;
}

void proc_cache_free(struct proc_cache *c)
{
	if (!c)
		return;
	if (c->entries) {
		for (uint32_t i = 0; i < c->capacity; i++)
			free_strings(&c->entries[i].info);
	}
	if (c->rootfd >= 0)
		close(c->rootfd);
	free(c->entries);
	free(c->buckets);
	free(c);
}

int proc_cache_set_root(struct proc_cache *c, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (c->rootfd >= 0)
		close(c->rootfd);
	c->rootfd = fd;
	return 0;
}

void proc_cache_begin(struct proc_cache *c)
{
	c->gen++;
}

const struct proc_info *proc_cache_lookup(struct proc_cache *c, uint32_t pid,
					  uint64_t now_ns)
{
	struct proc_info fresh;
	char stat_comm[PTD_COMM_LEN + 1];
	struct proc_entry *e;

	if (!pid)
		return NULL;
	c->st.lookups++;
	e = find(c, pid);
	if (e) {
		c->st.hits++;
		lru_touch(c, e);
		if (e->gen != c->gen &&
		    (e->recheck || e->stale ||
		     now_ns - e->checked_ns >= c->revalidate_ns))
			revalidate(c, e, now_ns);
	} else {
		e = claim(c, pid);
		if (!e)
			return NULL;
		e->checked_ns = now_ns;
		/* A failed first read leaves an empty entry: packets of an
		 * unknown pid cost one failed open per interval, not each. */
		if (load_process(c, pid, &fresh, stat_comm) == 0)
			install(c, e, &fresh, stat_comm, now_ns);
		else
			e->info.exited = 1;
	}
	e->gen = c->gen;
	if (!e->info.have_proc && !e->info.comm[0])
		return NULL;
	return &e->info;
}

const char *proc_cache_thread_name(struct proc_cache *c,
				   const struct proc_info *pi, uint32_t tid,
				   uint64_t now_ns)
{
	struct proc_entry *e;
	struct proc_thread *t = NULL;

	if (!pi || !tid)
		return NULL;
	if (tid == pi->pid) /* the main thread's name is the process's */
		return pi->comm[0] ? pi->comm : NULL;
	e = entry_of(pi);
	for (int i = 0; i < THREAD_SLOTS; i++)
		if (e->threads[i].tid == tid)
			t = &e->threads[i];
	if (!t) {
		t = &e->threads[e->thread_hand++ % THREAD_SLOTS];
		memset(t, 0, sizeof(*t));
		t->tid = tid;
	} else if (t->gen == c->gen ||
		   now_ns - t->checked_ns < c->revalidate_ns) {
		return t->known ? t->name : NULL;
	}
	t->gen = c->gen;
	t->checked_ns = now_ns;
	/* a thread that is gone keeps the name it last had */
	if (proc_read_comm(c->rootfd, pi->pid, tid, t->name) == 0)
		t->known = 1;
	return t->known ? t->name : NULL;
}

/* A copy of an event's string, made printable; NULL for none. */
static char *event_str(const char *s)
{
	char *d;

	if (!s || !*s)
		return NULL;
	d = strdup(s);
	if (d)
		proc_sanitize(d);
	return d;
}

int proc_cache_note_exec(struct proc_cache *c, uint32_t pid, uint32_t ppid,
			 const char *comm, const char *cmd, const char *args,
			 uint64_t now_ns)
{
	struct proc_info fresh;
	char stat_comm[PTD_COMM_LEN + 1];
	struct proc_entry *e;

	if (!pid)
		return -EINVAL;
	e = find(c, pid);
	if (e)
		lru_touch(c, e);
	else
		e = claim(c, pid);
	if (!e)
		return -ENOSPC;
	e->checked_ns = now_ns;
	if (load_process(c, pid, &fresh, stat_comm) == 0) {
		/* A process that already exited but is not reaped yet (a
		 * zombie) has no command line nor exe link: the event has. */
		if (!fresh.cmd)
			fresh.cmd = event_str(cmd);
		if (!fresh.args)
			fresh.args = event_str(args);
		install(c, e, &fresh, stat_comm, now_ns);
		return 0;
	}
	/* Too late for /proc: what the event says is all there will be. */
	forget_facts(c, e);
	e->info.ppid = ppid;
	e->info.exited = 1;
	if (comm) {
		size_t len = strnlen(comm, PTD_COMM_LEN - 1);

		memcpy(e->info.comm, comm, len);
		e->info.comm[len] = '\0';
		proc_sanitize(e->info.comm);
	}
	e->info.cmd = event_str(cmd);
	e->info.args = event_str(args);
	c->st.string_bytes += str_cost(e->info.cmd) + str_cost(e->info.args);
	return 0;
}

void proc_cache_note_exit(struct proc_cache *c, uint32_t pid)
{
	struct proc_entry *e = pid ? find(c, pid) : NULL;

	if (!e)
		return;
	e->info.exited = 1;
	e->recheck = 1;
}

void proc_cache_get_stats(const struct proc_cache *c,
			  struct proc_cache_stats *out)
{
	*out = c->st;
}
