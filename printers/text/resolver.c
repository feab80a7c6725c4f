// SPDX-License-Identifier: BSD-2-Clause
/*
 * Asynchronous reverse lookups for live captures; the contract and the
 * shutdown policy are described in resolver.h.
 *
 * Two halves: struct res_shared (the request queue, the result ring and
 * the workers' bookkeeping) is shared with the worker threads and guarded
 * by its lock; struct nd_resolver (the cache and the statistics) belongs
 * to the printer's thread alone.
 */
#include "config.h"

#include "resolver.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define RES_MAX_THREADS 4
#define RES_DEF_THREADS 2
#define RES_DEF_CACHE 4096
#define RES_DEF_QUEUE 256
#define RES_DEF_NEG_TTL (300ull * 1000000000ull)
#define RES_DEF_SHUTDOWN_WAIT (200ull * 1000000ull)

struct res_request {
	int family;
	uint8_t addr[16];
};

struct res_answer {
	int family;
	uint8_t addr[16];
	char *name; /* NULL: no name; owned by whoever holds the answer */
};

struct res_worker {
	struct res_shared *shared;
	pthread_t thread;
	int started;
	int exited; /* under lock: the thread left its loop */
};

struct res_shared {
	pthread_mutex_t lock;
	pthread_cond_t work;     /* a request arrived, or stop */
	pthread_cond_t answered; /* an answer arrived, or a worker left */
	struct res_request *queue;
	unsigned queue_cap, queue_head, queue_len;
	/* Holds queue_cap + threads answers: one per queued or in-flight
	 * request, so a worker never finds it full. */
	struct res_answer *answers;
	unsigned answers_cap, answers_head, answers_len;
	unsigned have_answers; /* atomic hint: answers_len != 0 */
	uint64_t answered_total;
	int stopping;
	unsigned running; /* workers still in their loop */
	unsigned refs;    /* the printer, plus each started worker */
	nd_resolve_fn resolve;
	void *resolve_arg;
	struct res_worker workers[RES_MAX_THREADS];
	unsigned nworkers;
};

enum entry_state { ENTRY_FREE, ENTRY_PENDING, ENTRY_NAME, ENTRY_NONE };

struct res_entry {
	struct res_entry *hnext;        /* hash chain */
	struct res_entry *prev, *next;  /* LRU list, most recent first */
	enum entry_state state;
	int family;
	uint8_t addr[16];
	char *name;
	uint64_t expires_ns; /* ENTRY_NONE */
};

struct nd_resolver {
	struct nd_resolver_config cfg;
	struct res_shared *shared;
	struct res_entry *entries;
	struct res_entry **buckets;
	unsigned nbuckets; /* power of two */
	struct res_entry *lru_head, *lru_tail, *free_list;
	unsigned cached;
	struct res_answer *drained; /* answers_cap, taken over under lock */
	struct nd_resolver_stats st;
};

int nd_host_lookup(void *arg, int family, const uint8_t *addr, char *name,
		   size_t size)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	(void)arg;
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		memcpy(&s6->sin6_addr, addr, 16);
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		memcpy(&s4->sin_addr, addr, 4);
		sl = sizeof(*s4);
	}
	return getnameinfo((struct sockaddr *)&ss, sl, name, (socklen_t)size,
			   NULL, 0, NI_NAMEREQD);
}

static uint64_t monotonic_ns(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static size_t addr_len(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* ------------------------------------------------------------------ */
/* The shared half                                                     */

static void shared_free(struct res_shared *s)
{
	unsigned i;

	if (!s)
		return;
	for (i = 0; i < s->answers_len; i++)
		free(s->answers[(s->answers_head + i) % s->answers_cap].name);
	pthread_cond_destroy(&s->answered);
	pthread_cond_destroy(&s->work);
	pthread_mutex_destroy(&s->lock);
	free(s->queue);
	free(s->answers);
	free(s);
}

static int shared_new(const struct nd_resolver_config *cfg,
		      struct res_shared **out)
{
	pthread_condattr_t ca;
	struct res_shared *s;
	int err = -ENOMEM;

	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->queue_cap = cfg->queue_len;
	s->answers_cap = cfg->queue_len + cfg->threads;
	s->queue = calloc(s->queue_cap, sizeof(*s->queue));
	s->answers = calloc(s->answers_cap, sizeof(*s->answers));
	if (!s->queue || !s->answers) {
		free(s->queue);
		free(s->answers);
		free(s);
		return -ENOMEM;
	}
	s->resolve = cfg->resolve;
	s->resolve_arg = cfg->resolve_arg;
	s->refs = 1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	err = pthread_cond_init(&s->work, NULL);
	if (!err)
		err = pthread_cond_init(&s->answered, &ca);
	pthread_condattr_destroy(&ca);
	if (err) {
		free(s->queue);
		free(s->answers);
		free(s);
		return -err;
	}
	*out = s;
	return 0;
}

static void *worker_main(void *arg)
{
	struct res_worker *w = arg;
	struct res_shared *s = w->shared;
	char name[NI_MAXHOST];
	int last;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping) {
		struct res_request req;
		struct res_answer *a;
		char *found = NULL;

		if (s->queue_len == 0) {
			pthread_cond_wait(&s->work, &s->lock);
			continue;
		}
		req = s->queue[s->queue_head];
		s->queue_head = (s->queue_head + 1) % s->queue_cap;
		s->queue_len--;
		pthread_mutex_unlock(&s->lock);

		if (s->resolve(s->resolve_arg, req.family, req.addr, name,
			       sizeof(name)) == 0) {
			name[sizeof(name) - 1] = '\0';
			found = strdup(name);
		}

		pthread_mutex_lock(&s->lock);
		if (s->stopping) {
			free(found);
			break;
		}
		if (s->answers_len == s->answers_cap) {
			/* Cannot happen (see answers_cap); never overrun. */
			free(found);
			continue;
		}
		a = &s->answers[(s->answers_head + s->answers_len) %
				s->answers_cap];
		a->family = req.family;
		memcpy(a->addr, req.addr, sizeof(a->addr));
		a->name = found;
		s->answers_len++;
		s->answered_total++;
		__atomic_store_n(&s->have_answers, 1, __ATOMIC_RELEASE);
		pthread_cond_broadcast(&s->answered);
	}
	w->exited = 1;
	s->running--;
	last = --s->refs == 0;
	pthread_cond_broadcast(&s->answered);
	pthread_mutex_unlock(&s->lock);
	if (last)
		shared_free(s);
	return NULL;
}

/* A detached worker may still run this module's code after the plugin is
 * closed: keep the module mapped until the process ends. */
static void pin_module(void)
{
	Dl_info info;

	if (dladdr((void *)worker_main, &info) && info.dli_fname)
		(void)dlopen(info.dli_fname,
			     RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
}

/* ------------------------------------------------------------------ */
/* The printer's half: the cache                                       */

static unsigned entry_hash(const struct nd_resolver *r, int family,
			   const uint8_t *addr)
{
	uint32_t h = 2166136261u ^ (uint32_t)family;
	size_t i, n = addr_len(family);

	for (i = 0; i < n; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h & (r->nbuckets - 1);
}

static struct res_entry *cache_find(struct nd_resolver *r, int family,
				    const uint8_t *addr)
{
	struct res_entry *e = r->buckets[entry_hash(r, family, addr)];

	for (; e; e = e->hnext)
		if (e->family == family &&
		    memcmp(e->addr, addr, addr_len(family)) == 0)
			return e;
	return NULL;
}

static void lru_unlink(struct nd_resolver *r, struct res_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		r->lru_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		r->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push_front(struct nd_resolver *r, struct res_entry *e)
{
	e->prev = NULL;
	e->next = r->lru_head;
	if (r->lru_head)
		r->lru_head->prev = e;
	r->lru_head = e;
	if (!r->lru_tail)
		r->lru_tail = e;
}

static void cache_remove(struct nd_resolver *r, struct res_entry *e)
{
	struct res_entry **pp = &r->buckets[entry_hash(r, e->family, e->addr)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(r, e);
	free(e->name);
	memset(e, 0, sizeof(*e));
	e->hnext = r->free_list;
	r->free_list = e;
	r->cached--;
}

/* A fresh entry for addr, evicting the least recently used when full. */
static struct res_entry *cache_insert(struct nd_resolver *r, int family,
				      const uint8_t *addr)
{
	struct res_entry *e;
	unsigned b;

	if (!r->free_list) {
		cache_remove(r, r->lru_tail);
		r->st.evicted++;
	}
	e = r->free_list;
	r->free_list = e->hnext;
	e->family = family;
	memcpy(e->addr, addr, addr_len(family));
	e->state = ENTRY_PENDING;
	b = entry_hash(r, family, addr);
	e->hnext = r->buckets[b];
	r->buckets[b] = e;
	lru_push_front(r, e);
	r->cached++;
	return e;
}

static void cache_touch(struct nd_resolver *r, struct res_entry *e)
{
	if (r->lru_head != e) {
		lru_unlink(r, e);
		lru_push_front(r, e);
	}
}

/* Takes the workers' answers over (under the lock: a copy of each slot),
 * then files them in the cache without the lock. */
static void drain_answers(struct nd_resolver *r)
{
	struct res_shared *s = r->shared;
	unsigned i, n;

	if (!s || !__atomic_load_n(&s->have_answers, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&s->lock);
	n = s->answers_len;
	for (i = 0; i < n; i++) {
		r->drained[i] = s->answers[s->answers_head];
		s->answers_head = (s->answers_head + 1) % s->answers_cap;
	}
	s->answers_len = 0;
	__atomic_store_n(&s->have_answers, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&s->lock);

	for (i = 0; i < n; i++) {
		struct res_answer *a = &r->drained[i];
		struct res_entry *e = cache_find(r, a->family, a->addr);

		if (!e)
			e = cache_insert(r, a->family, a->addr);
		else
			cache_touch(r, e);
		free(e->name);
		e->name = a->name;
		if (a->name) {
			e->state = ENTRY_NAME;
			r->st.named++;
		} else {
			e->state = ENTRY_NONE;
			e->expires_ns = r->cfg.clock_ns(r->cfg.clock_arg) +
					r->cfg.negative_ttl_ns;
			r->st.unnamed++;
		}
	}
}

/* Queues a request; 0, or -ENOSPC when the queue is full (or there are no
 * workers to serve it). */
static int request(struct nd_resolver *r, int family, const uint8_t *addr)
{
	struct res_shared *s = r->shared;
	struct res_request *q;
	int err = 0;

	if (!s || s->nworkers == 0)
		return -ENOSPC;
	pthread_mutex_lock(&s->lock);
	if (s->queue_len == s->queue_cap) {
		err = -ENOSPC;
	} else {
		q = &s->queue[(s->queue_head + s->queue_len) % s->queue_cap];
		q->family = family;
		memset(q->addr, 0, sizeof(q->addr));
		memcpy(q->addr, addr, addr_len(family));
		s->queue_len++;
		pthread_cond_signal(&s->work);
	}
	pthread_mutex_unlock(&s->lock);
	if (err)
		r->st.dropped++;
	else
		r->st.requested++;
	return err;
}

enum nd_resolve_state nd_resolver_lookup(struct nd_resolver *r, int family,
					 const uint8_t *addr,
					 const char **name)
{
	struct res_entry *e;

	drain_answers(r);
	e = cache_find(r, family, addr);
	if (e) {
		cache_touch(r, e);
		switch (e->state) {
		case ENTRY_NAME:
			*name = e->name;
			return ND_RES_NAME;
		case ENTRY_NONE:
			if (r->cfg.clock_ns(r->cfg.clock_arg) < e->expires_ns)
				return ND_RES_NONE;
			/* Believed long enough: ask again, and until a
			 * worker takes it, keep saying "no name". */
			if (request(r, family, addr) != 0)
				return ND_RES_NONE;
			r->st.expired++;
			e->state = ENTRY_PENDING;
			return ND_RES_PENDING;
		default:
			return ND_RES_PENDING;
		}
	}
	/* Not cached when the queue is full: the next packet asks again. */
	if (request(r, family, addr) == 0)
		cache_insert(r, family, addr);
	return ND_RES_PENDING;
}

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */

int nd_resolver_new(const struct nd_resolver_config *cfg,
		    struct nd_resolver **out)
{
	struct nd_resolver *r;
	unsigned i;
	int err;

	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	if (cfg)
		r->cfg = *cfg;
	if (r->cfg.threads == 0)
		r->cfg.threads = RES_DEF_THREADS;
	if (r->cfg.threads > RES_MAX_THREADS)
		r->cfg.threads = RES_MAX_THREADS;
	if (r->cfg.cache_entries == 0)
		r->cfg.cache_entries = RES_DEF_CACHE;
	if (r->cfg.queue_len == 0)
		r->cfg.queue_len = RES_DEF_QUEUE;
	if (r->cfg.negative_ttl_ns == 0)
		r->cfg.negative_ttl_ns = RES_DEF_NEG_TTL;
	if (r->cfg.shutdown_wait_ns == 0)
		r->cfg.shutdown_wait_ns = RES_DEF_SHUTDOWN_WAIT;
	if (!r->cfg.resolve)
		r->cfg.resolve = nd_host_lookup;
	if (!r->cfg.clock_ns)
		r->cfg.clock_ns = monotonic_ns;

	r->nbuckets = 1;
	while (r->nbuckets < r->cfg.cache_entries)
		r->nbuckets <<= 1;
	r->entries = calloc(r->cfg.cache_entries, sizeof(*r->entries));
	r->buckets = calloc(r->nbuckets, sizeof(*r->buckets));
	r->drained = calloc(r->cfg.queue_len + r->cfg.threads,
			    sizeof(*r->drained));
	err = -ENOMEM;
	if (!r->entries || !r->buckets || !r->drained)
		goto fail;
	for (i = r->cfg.cache_entries; i-- > 0;) {
		r->entries[i].hnext = r->free_list;
		r->free_list = &r->entries[i];
	}
	err = shared_new(&r->cfg, &r->shared);
	if (err)
		goto fail;
	*out = r;
	return 0;
fail:
	nd_resolver_free(r);
	return err;
}

int nd_resolver_start(struct nd_resolver *r)
{
	struct res_shared *s = r->shared;
	sigset_t all, old;
	unsigned i;
	int err = 0;

	/* Signals belong to the capture's loop: workers block them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = s->nworkers; i < r->cfg.threads; i++) {
		struct res_worker *w = &s->workers[i];

		w->shared = s;
		pthread_mutex_lock(&s->lock);
		s->refs++;
		s->running++;
		pthread_mutex_unlock(&s->lock);
		err = pthread_create(&w->thread, NULL, worker_main, w);
		if (err) {
			pthread_mutex_lock(&s->lock);
			s->refs--;
			s->running--;
			pthread_mutex_unlock(&s->lock);
			break;
		}
		w->started = 1;
		s->nworkers++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return s->nworkers ? 0 : -err;
}

static void deadline_after(struct timespec *ts, uint64_t ns)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ns += (uint64_t)ts->tv_nsec;
	ts->tv_sec += (time_t)(ns / 1000000000ull);
	ts->tv_nsec = (long)(ns % 1000000000ull);
}

int nd_resolver_wait_answers(struct nd_resolver *r, uint64_t n,
			     uint64_t timeout_ns)
{
	struct res_shared *s = r->shared;
	struct timespec deadline;
	int err = 0;

	deadline_after(&deadline, timeout_ns);
	pthread_mutex_lock(&s->lock);
	while (s->answered_total < n && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&s->answered, &s->lock, &deadline);
	err = s->answered_total >= n ? 0 : -ETIMEDOUT;
	pthread_mutex_unlock(&s->lock);
	return err;
}

void nd_resolver_stats(struct nd_resolver *r, struct nd_resolver_stats *st)
{
	drain_answers(r);
	*st = r->st;
	st->cached = r->cached;
	st->queued = 0;
	if (r->shared) {
		pthread_mutex_lock(&r->shared->lock);
		st->queued = r->shared->queue_len;
		pthread_mutex_unlock(&r->shared->lock);
	}
}

/* Stops the workers: those that leave within the wait are joined, those
 * stuck in a lookup are detached (resolver.h says why). */
static void shared_stop(struct res_shared *s, uint64_t wait_ns)
{
	struct timespec deadline;
	unsigned i, detached = 0;
	int last, err = 0;

	deadline_after(&deadline, wait_ns);
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	s->queue_len = 0;
	pthread_cond_broadcast(&s->work);
	while (s->running > 0 && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&s->answered, &s->lock, &deadline);
	for (i = 0; i < s->nworkers; i++) {
		struct res_worker *w = &s->workers[i];

		if (!w->started)
			continue;
		if (w->exited) {
			pthread_mutex_unlock(&s->lock);
			pthread_join(w->thread, NULL);
			pthread_mutex_lock(&s->lock);
		} else {
			pthread_detach(w->thread);
			detached++;
		}
		w->started = 0;
	}
	last = --s->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (detached)
		pin_module();
	if (last)
		shared_free(s);
}

void nd_resolver_free(struct nd_resolver *r)
{
	unsigned i;

	if (!r)
		return;
	if (r->shared) {
		drain_answers(r);
		shared_stop(r->shared, r->cfg.shutdown_wait_ns);
	}
	if (r->entries)
		for (i = 0; i < r->cfg.cache_entries; i++)
			free(r->entries[i].name);
	free(r->entries);
	free(r->buckets);
	free(r->drained);
	free(r);
}
