/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the "proc" enricher suites (check_proc, check_proc_cache) share: a
 * fake /proc tree in a temporary directory, where pid reuse, exit and odd
 * command lines can be staged, and runs of the plugin's descriptor (its
 * source is linked into each suite).
 */
#ifndef PTD_TESTS_PROC_HARNESS_H
#define PTD_TESTS_PROC_HARNESS_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include <check.h>

#include <ptcpdump/plugin.h>

#include "tests/unit/fake_host.h"

extern const struct ptd_enricher_plugin ptcpdump_plugin;
#define PLUGIN (&ptcpdump_plugin)

/* ------------------------------------------------------------ fake /proc */

/* The fake tree's directory; empty when there is none. */
extern char root[PATH_MAX];

struct fake_proc {
	uint32_t pid, ppid, uid;
	uint64_t start;
	const char *comm;
	const char *exe;      /* NULL: no exe link, as without privileges */
	const char *cmdline;  /* raw bytes, NULs included */
	size_t cmdline_len;
};

/* Creates root (a new temporary directory). */
void make_root(void);
/* Writes (or rewrites) ROOT/PID/{stat,comm,status,cmdline,exe}. */
void fake_proc_write(const struct fake_proc *p);
void fake_thread(uint32_t pid, uint32_t tid, const char *name);
void fake_exit(uint32_t pid);

#define CMDLINE(s) .cmdline = (s), .cmdline_len = sizeof(s) - 1

/* ------------------------------------------------------------ the plugin */

extern struct fake_host fh;
extern void *state;
extern struct ptd_meta meta;

/* Sets a key of the plugin's config through its option table, as the core
 * does, so the table's offsets are exercised too. */
void set_opt(void *cfg, const char *key, const void *value);
int start_plugin(const char *proc_root, uint64_t cache_size,
		 uint64_t revalidate_ms, int numeric);
void stop_plugin(void);
/* Runs the enricher on a packet from pid/tid; flags beyond HAVE_PID and
 * the matching fields are the caller's to add through *extra. */
const struct ptd_process_meta *enrich_full(const struct ptd_packet *extra);
const struct ptd_process_meta *enrich(uint32_t pid, uint32_t tid);
/* got equals want, both NULL or both the same string. */
void assert_str(const char *got, const char *want);

/* A test case whose tests end with the plugin stopped and the tree
 * removed. */
TCase *proc_tcase(const char *name);

#endif
