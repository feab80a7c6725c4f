/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * enricher "proc": names the process behind a packet from /proc.
 *
 * From the kernel's facts (pid, tid, uid, ppid, comm) it fills the process
 * part of struct ptd_meta: command path, arguments, comm, thread name, uid
 * and user name, and the parent's pid, comm, command and arguments.
 *
 * Strings put into the meta point into the process cache and stay valid
 * until the next enrich() call, which is longer than the SDK promises
 * (until the printers have returned for this packet).
 *
 * Packets without a pid (replayed files) leave the meta untouched at the
 * cost of one flag test: the core runs every enricher on every packet.
 * Nothing here blocks beyond /proc reads, except the first name lookup of
 * each uid (getpwuid_r), which -n skips.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ptcpdump/plugin.h>

#include "enrichers/proc/proc_cache.h"
#include "enrichers/proc/proc_read.h"
#include "enrichers/proc/proc_users.h"

struct proc_config {
	uint64_t cache_size;
	uint64_t revalidate_ms;
	char *proc_root;
};

struct proc_enricher {
	const struct ptd_host *host;
	struct proc_cache *cache;
	struct proc_users users;
	char *proc_root;
	int numeric;                     /* -n: no user names */
	char pkt_comm[PTD_COMM_LEN + 1]; /* the packet's comm, terminated */
};

static const struct ptd_option proc_options[] = {
	{
		.key = "cache_size", .type = PTD_OPT_UINT, .def = "4096",
		.offset = offsetof(struct proc_config, cache_size),
		.help = "processes remembered (2 to 1048576); the least recently seen is forgotten first",
	},
	{
		.key = "revalidate", .type = PTD_OPT_MILLIS, .def = "1000ms",
		.offset = offsetof(struct proc_config, revalidate_ms),
		.help = "how often a remembered process is checked against /proc for pid reuse and exec",
	},
	{
		.key = "proc_root", .type = PTD_OPT_STRING, .def = "/proc",
		.offset = offsetof(struct proc_config, proc_root),
		.help = "where procfs is mounted",
	},
	{ 0 }
};

static void proc_fini(void *state)
{
	struct proc_enricher *st = state;

	if (!st)
		return;
	proc_cache_free(st->cache);
	proc_users_clear(&st->users);
	free(st->proc_root);
	free(st);
}

static int proc_init(const struct ptd_host *host, const void *config,
		     void **state, char *err)
{
	const struct proc_config *cfg = config;
	struct proc_enricher *st;
	int ret;

	*state = NULL;
	if (cfg->cache_size < PROC_CACHE_MIN || cfg->cache_size > PROC_CACHE_MAX) {
		/* the core prints this alone: name the section */
		snprintf(err, PTD_ERRBUF_SIZE,
			 "[%s.%s] cache_size %llu is out of range (%u to %u)",
			 host->kind_name, host->name,
			 (unsigned long long)cfg->cache_size,
			 PROC_CACHE_MIN, PROC_CACHE_MAX);
		return -EINVAL;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		ret = -ENOMEM;
		goto fail;
	}
	st->host = host;
	st->numeric = host->opts && host->opts->numeric > 0;
	proc_users_init(&st->users);
	st->proc_root = strdup(cfg->proc_root && cfg->proc_root[0] ?
			       cfg->proc_root : "/proc");
	if (!st->proc_root) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = proc_cache_new((uint32_t)cfg->cache_size,
			     cfg->revalidate_ms * 1000000ull, &st->cache);
	if (ret < 0)
		goto fail;
	*state = st;
	return 0;
fail:
	snprintf(err, PTD_ERRBUF_SIZE, "%s", strerror(-ret));
	proc_fini(st);
	return ret;
}

static int proc_start(void *state, char *err)
{
	struct proc_enricher *st = state;
	int ret = proc_cache_set_root(st->cache, st->proc_root);

	if (ret < 0)
		snprintf(err, PTD_ERRBUF_SIZE,
			 "[%s.%s] cannot open proc_root %s: %s",
			 st->host->kind_name, st->host->name, st->proc_root,
			 strerror(-ret));
	return ret;
}

static void proc_stop(void *state)
{
	struct proc_enricher *st = state;
	struct proc_cache_stats s;

	if (!st || !st->cache)
		return;
	proc_cache_get_stats(st->cache, &s);
	if (!s.lookups)
		return; /* a replay: nothing to report */
	ptd_debug(st->host,
		  "%llu lookups, %llu hits, %llu loads, %llu rechecks, %llu reused pids, %llu evictions, %u/%u processes, %zu bytes of strings",
		  (unsigned long long)s.lookups, (unsigned long long)s.hits,
		  (unsigned long long)s.loads,
		  (unsigned long long)s.revalidations,
		  (unsigned long long)s.reused,
		  (unsigned long long)s.evictions, s.entries, s.capacity,
		  s.string_bytes);
}

static const char *packet_comm(struct proc_enricher *st,
			       const struct ptd_packet *pkt)
{
	/* the packet's array need not be terminated */
	memcpy(st->pkt_comm, pkt->comm, PTD_COMM_LEN);
	st->pkt_comm[PTD_COMM_LEN] = '\0';
	proc_sanitize(st->pkt_comm);
	return st->pkt_comm[0] ? st->pkt_comm : NULL;
}

static void fill_parent(struct proc_enricher *st, struct ptd_process_meta *pm,
			uint64_t now)
{
	const struct proc_info *pp = proc_cache_lookup(st->cache, pm->ppid, now);

	if (!pp)
		return;
	pm->parent_comm = pp->comm[0] ? pp->comm : NULL;
	pm->parent_cmd = pp->cmd;
	pm->parent_args = pp->args;
}

static int proc_enrich(void *state, const struct ptd_packet *pkt,
		       struct ptd_meta *meta)
{
	struct proc_enricher *st = state;
	struct ptd_process_meta *pm = &meta->process;
	const struct proc_info *pi;
	uint64_t now;

	if (!(pkt->flags & PTD_PKT_HAVE_PID) || pkt->pid == 0)
		return 0;
	now = st->host->clock_ns(st->host, CLOCK_MONOTONIC);
	proc_cache_begin(st->cache);
	pi = proc_cache_lookup(st->cache, pkt->pid, now);

	pm->pid = pkt->pid;
	pm->tid = pkt->tid;
	if (pi) {
		pm->comm = pi->comm[0] ? pi->comm : NULL;
		pm->cmd = pi->cmd;
		pm->args = pi->args;
		pm->ppid = pi->ppid;
		pm->uid = pi->uid;
		pm->have_uid = pi->have_uid;
		pm->thread_name = proc_cache_thread_name(st->cache, pi,
							 pkt->tid, now);
	}
	if (!pm->comm && (pkt->flags & PTD_PKT_HAVE_COMM))
		pm->comm = packet_comm(st, pkt);
	/* the kernel saw the uid at send time; /proc only says it now */
	if (pkt->flags & PTD_PKT_HAVE_UID) {
		pm->uid = pkt->uid;
		pm->have_uid = 1;
	}
	if (!pm->ppid && (pkt->flags & PTD_PKT_HAVE_PPID))
		pm->ppid = pkt->ppid;
	if (pm->ppid && pm->ppid != pm->pid)
		fill_parent(st, pm, now);
	if (pm->have_uid && !st->numeric)
		pm->user_name = proc_users_name(&st->users, pm->uid);
	return 0;
}

/* The backend saw an exec or an exit: learn a new program while it is
 * alive (a short-lived one may be gone by its first packet), and keep an
 * exited one's names for the packets still on their way. */
static void proc_process_event(void *state, const struct ptd_process_event *ev)
{
	struct proc_enricher *st = state;

	if (!st->cache || !ev->pid)
		return;
	if (ev->type == PTD_PROC_EXEC)
		proc_cache_note_exec(st->cache, ev->pid, ev->ppid, ev->comm,
				     ev->cmd, ev->args,
				     st->host->clock_ns(st->host, CLOCK_MONOTONIC));
	else if (ev->type == PTD_PROC_EXIT)
		proc_cache_note_exit(st->cache, ev->pid);
}

PTD_PLUGIN_DEFINE(struct ptd_enricher_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_ENRICHER,
					 struct ptd_enricher_plugin),
		.name = "proc",
		.version = PACKAGE_VERSION,
		.summary = "process command, arguments, thread, user and parent from /proc",
		.options = proc_options,
		.config_size = sizeof(struct proc_config),
		.init = proc_init,
		.start = proc_start,
		.stop = proc_stop,
		.fini = proc_fini,
	},
	.enrich = proc_enrich,
	.process_event = proc_process_event,
};
