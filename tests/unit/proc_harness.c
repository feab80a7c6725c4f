/* SPDX-License-Identifier: BSD-2-Clause */
/* The "proc" enricher suites' fake /proc and plugin runs (proc_harness.h). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/proc_harness.h"

char root[PATH_MAX];

static void put_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static void put_text(const char *path, const char *text)
{
	put_file(path, text, strlen(text));
}

void make_root(void)
{
	snprintf(root, sizeof(root), "%s/ptd-proc-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_msg(mkdtemp(root) != NULL, "mkdtemp: %s", strerror(errno));
}

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static void rm_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_root(void)
{
	if (root[0])
		rm_tree(root);
	root[0] = '\0';
}

void fake_proc_write(const struct fake_proc *p)
{
	char dir[PATH_MAX + 32], path[PATH_MAX + 64], text[1024];

	snprintf(dir, sizeof(dir), "%s/%u", root, p->pid);
	mkdir(dir, 0755);
	snprintf(path, sizeof(path), "%s/stat", dir);
	snprintf(text, sizeof(text),
		 "%u (%s) S %u %u %u 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 %llu 9000 100 0\n",
		 p->pid, p->comm, p->ppid, p->pid, p->pid,
		 (unsigned long long)p->start);
	put_text(path, text);
	snprintf(path, sizeof(path), "%s/comm", dir);
	snprintf(text, sizeof(text), "%s\n", p->comm);
	put_text(path, text);
	snprintf(path, sizeof(path), "%s/status", dir);
	snprintf(text, sizeof(text),
		 "Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%u\n"
		 "Ngid:\t0\nPid:\t%u\nPPid:\t%u\nTracerPid:\t0\n"
		 "Uid:\t%u\t%u\t%u\t%u\nGid:\t0\t0\t0\t0\n",
		 p->comm, p->pid, p->pid, p->ppid, p->uid, p->uid + 1,
		 p->uid + 2, p->uid + 3);
	put_text(path, text);
	snprintf(path, sizeof(path), "%s/cmdline", dir);
	put_file(path, p->cmdline ? p->cmdline : "",
		 p->cmdline ? p->cmdline_len : 0);
	snprintf(path, sizeof(path), "%s/exe", dir);
	unlink(path);
	if (p->exe)
		ck_assert_int_eq(symlink(p->exe, path), 0);
}

void fake_thread(uint32_t pid, uint32_t tid, const char *name)
{
	char path[PATH_MAX + 64], text[64];

	snprintf(path, sizeof(path), "%s/%u/task", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%u/task/%u", root, pid, tid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%u/task/%u/comm", root, pid, tid);
	snprintf(text, sizeof(text), "%s\n", name);
	put_text(path, text);
}

void fake_exit(uint32_t pid)
{
	char dir[PATH_MAX + 32];

	snprintf(dir, sizeof(dir), "%s/%u", root, pid);
	rm_tree(dir);
}

struct fake_host fh;
void *state;
struct ptd_meta meta;

void set_opt(void *cfg, const char *key, const void *value)
{
	const struct ptd_option *o;

	for (o = PLUGIN->common.options; o && o->key; o++) {
		if (strcmp(o->key, key) != 0)
			continue;
		if (o->type == PTD_OPT_STRING)
			*(const char **)((char *)cfg + o->offset) = value;
		else
			*(uint64_t *)((char *)cfg + o->offset) =
				*(const uint64_t *)value;
		return;
	}
	ck_abort_msg("no option %s", key);
}

int start_plugin(const char *proc_root, uint64_t cache_size,
		 uint64_t revalidate_ms, int numeric)
{
	char err[PTD_ERRBUF_SIZE] = "";
	void *cfg = calloc(1, PLUGIN->common.config_size);
	int r;

	ck_assert_ptr_nonnull(cfg);
	fake_host_init(&fh, "enricher", "proc");
	fh.opts.numeric = numeric;
	set_opt(cfg, "cache_size", &cache_size);
	set_opt(cfg, "revalidate", &revalidate_ms);
	set_opt(cfg, "proc_root", proc_root);
	r = PLUGIN->common.init(&fh.host, cfg, &state, err);
	free(cfg); /* the plugin keeps no pointer into its config */
	if (r < 0)
		return r;
	r = PLUGIN->common.start(state, err);
	ck_assert_msg(r == 0, "start: %s", err);
	return 0;
}

void stop_plugin(void)
{
	if (!state)
		return;
	PLUGIN->common.stop(state);
	PLUGIN->common.fini(state);
	state = NULL;
}

static void teardown(void)
{
	stop_plugin();
	remove_root();
}

const struct ptd_process_meta *enrich_full(const struct ptd_packet *extra)
{
	struct ptd_packet pkt;

	memset(&pkt, 0, sizeof(pkt));
	if (extra)
		pkt = *extra;
	pkt.size = sizeof(pkt);
	memset(&meta, 0, sizeof(meta));
	meta.size = sizeof(meta);
	ck_assert_int_eq(PLUGIN->enrich(state, &pkt, &meta), 0);
	return &meta.process;
}

const struct ptd_process_meta *enrich(uint32_t pid, uint32_t tid)
{
	struct ptd_packet pkt = {
		.flags = PTD_PKT_HAVE_PID, .pid = pid, .tid = tid,
	};

	return enrich_full(&pkt);
}

void assert_str(const char *got, const char *want)
{
	if (!want) {
		ck_assert_msg(got == NULL, "expected NULL, got \"%s\"", got);
		return;
	}
	ck_assert_msg(got != NULL, "expected \"%s\", got NULL", want);
	ck_assert_str_eq(got, want);
}

/* Fake trees are many small files: leave room for a busy machine. */
#define CASE_TIMEOUT 60

TCase *proc_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, CASE_TIMEOUT);
	return tc;
}
