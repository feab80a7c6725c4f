/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The "proc" enricher: most cases run against a fake /proc tree built in a
 * temporary directory (the proc_root option), so pid reuse, exit and odd
 * command lines can be staged; one case reads the real /proc about this
 * very process.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ptcpdump/plugin.h>

#include "enrichers/proc/proc_cache.h"
#include "enrichers/proc/proc_read.h"
#include "tests/unit/fake_host.h"

extern const struct ptd_enricher_plugin ptcpdump_plugin;
#define PLUGIN (&ptcpdump_plugin)

/* ------------------------------------------------------------ fake /proc */

static char root[PATH_MAX];

struct fake_proc {
	uint32_t pid, ppid, uid;
	uint64_t start;
	const char *comm;
	const char *exe;      /* NULL: no exe link, as without privileges */
	const char *cmdline;  /* raw bytes, NULs included */
	size_t cmdline_len;
};

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

static void make_root(void)
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

/* Writes (or rewrites) ROOT/PID/{stat,comm,status,cmdline,exe}. */
static void fake_proc_write(const struct fake_proc *p)
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

static void fake_thread(uint32_t pid, uint32_t tid, const char *name)
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

static void fake_exit(uint32_t pid)
{
	char dir[PATH_MAX + 32];

	snprintf(dir, sizeof(dir), "%s/%u", root, pid);
	rm_tree(dir);
}

#define CMDLINE(s) .cmdline = (s), .cmdline_len = sizeof(s) - 1

/* ------------------------------------------------------------ the plugin */

static struct fake_host fh;
static void *state;
static struct ptd_meta meta;

/* Sets a key of the plugin's config through its option table, as the core
 * does, so the table's offsets are exercised too. */
static void set_opt(void *cfg, const char *key, const void *value)
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

static int start_plugin(const char *proc_root, uint64_t cache_size,
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

static void stop_plugin(void)
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

/* Runs the enricher on a packet from pid/tid; flags beyond HAVE_PID and
 * the matching fields are the caller's to add through *extra. */
static const struct ptd_process_meta *enrich_full(const struct ptd_packet *extra)
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

static const struct ptd_process_meta *enrich(uint32_t pid, uint32_t tid)
{
	struct ptd_packet pkt = {
		.flags = PTD_PKT_HAVE_PID, .pid = pid, .tid = tid,
	};

	return enrich_full(&pkt);
}

static void assert_str(const char *got, const char *want)
{
	if (!want) {
		ck_assert_msg(got == NULL, "expected NULL, got \"%s\"", got);
		return;
	}
	ck_assert_msg(got != NULL, "expected \"%s\", got NULL", want);
	ck_assert_str_eq(got, want);
}

static const char *root_name(void)
{
	struct passwd *pw = getpwuid(0);

	return pw ? pw->pw_name : NULL;
}

static const struct fake_proc curl = {
	.pid = 4242, .ppid = 4200, .uid = 0, .start = 1000, .comm = "curl",
	.exe = "/usr/bin/curl", CMDLINE("curl\0-s\0http://example.com/\0"),
};
static const struct fake_proc bash = {
	.pid = 4200, .ppid = 1, .uid = 0, .start = 900, .comm = "bash",
	.exe = "/bin/bash", CMDLINE("-bash\0"),
};

/* ------------------------------------------------------------ cases */

START_TEST(test_fills_everything)
{
	const struct ptd_process_meta *pm;

	make_root();
	fake_proc_write(&curl);
	fake_proc_write(&bash);
	fake_thread(curl.pid, 4243, "resolver");
	ck_assert_int_eq(start_plugin(root, 4096, 0, 0), 0);

	pm = enrich(curl.pid, 4243);
	ck_assert_uint_eq(pm->pid, 4242);
	ck_assert_uint_eq(pm->tid, 4243);
	assert_str(pm->cmd, "/usr/bin/curl");
	assert_str(pm->args, "curl -s http://example.com/");
	assert_str(pm->comm, "curl");
	assert_str(pm->thread_name, "resolver");
	ck_assert_int_eq(pm->have_uid, 1);
	ck_assert_uint_eq(pm->uid, 0); /* the real uid, not the effective */
	assert_str(pm->user_name, root_name());
	ck_assert_uint_eq(pm->ppid, 4200);
	assert_str(pm->parent_comm, "bash");
	assert_str(pm->parent_cmd, "/bin/bash");
	assert_str(pm->parent_args, "-bash");

	/* the main thread is named like the process */
	pm = enrich(curl.pid, curl.pid);
	assert_str(pm->thread_name, "curl");
	/* and a cached second packet says the same */
	pm = enrich(curl.pid, 4243);
	assert_str(pm->thread_name, "resolver");
	assert_str(pm->parent_comm, "bash");
}
END_TEST

START_TEST(test_packet_uid_wins)
{
	struct ptd_packet pkt = {
		.flags = PTD_PKT_HAVE_PID | PTD_PKT_HAVE_UID,
		.pid = 4242, .tid = 4242, .uid = 65534,
	};
	const struct ptd_process_meta *pm;

	make_root();
	fake_proc_write(&curl);
	ck_assert_int_eq(start_plugin(root, 16, 0, 0), 0);
	pm = enrich_full(&pkt);
	ck_assert_int_eq(pm->have_uid, 1);
	ck_assert_uint_eq(pm->uid, 65534);
}
END_TEST

START_TEST(test_args_shapes)
{
	static const struct fake_proc gaps = {
		.pid = 100, .start = 1, .comm = "gaps", .exe = NULL,
		CMDLINE("/opt/gaps\0\0b\0c\0\0\0"),
	};
	static const struct fake_proc ctl = {
		.pid = 101, .start = 1, .comm = "ctl\x1b", .exe = "/bin/ctl",
		CMDLINE("ctl\0line\nbreak\0\x1b[31m\0"),
	};
	static const struct fake_proc title = {
		.pid = 102, .start = 1, .comm = "title", .exe = "/bin/title",
		CMDLINE("title: rewritten by setproctitle"),
	};
	static const struct fake_proc zombie = {
		.pid = 103, .start = 1, .comm = "zombie", .exe = NULL,
	};
	struct fake_proc big = {
		.pid = 104, .start = 1, .comm = "big", .exe = "/bin/big",
	};
	const struct ptd_process_meta *pm;
	char *longline;

	make_root();
	fake_proc_write(&gaps);
	fake_proc_write(&ctl);
	fake_proc_write(&title);
	fake_proc_write(&zombie);
	longline = malloc(3 * PROC_ARGS_MAX);
	ck_assert_ptr_nonnull(longline);
	for (int i = 0; i < 3 * PROC_ARGS_MAX; i++)
		longline[i] = i % 8 == 7 ? '\0' : 'x';
	big.cmdline = longline;
	big.cmdline_len = 3 * PROC_ARGS_MAX;
	fake_proc_write(&big);
	free(longline);
	ck_assert_int_eq(start_plugin(root, 16, 0, 0), 0);

	/* inner empty argument kept as a second space, trailing ones gone;
	 * no exe link: argv[0] stands in */
	pm = enrich(100, 0);
	assert_str(pm->args, "/opt/gaps  b c");
	assert_str(pm->cmd, "/opt/gaps");
	/* nothing a terminal would act on gets through */
	pm = enrich(101, 0);
	assert_str(pm->args, "ctl line?break ?[31m");
	assert_str(pm->comm, "ctl?");
	pm = enrich(102, 0);
	assert_str(pm->args, "title: rewritten by setproctitle");
	/* no command line, no exe: comm only */
	pm = enrich(103, 0);
	assert_str(pm->comm, "zombie");
	assert_str(pm->args, NULL);
	assert_str(pm->cmd, NULL);
	/* bounded */
	pm = enrich(104, 0);
	ck_assert_ptr_nonnull(pm->args);
	ck_assert_uint_le(strlen(pm->args), PROC_ARGS_MAX - 1);
	ck_assert_uint_ge(strlen(pm->args), PROC_ARGS_MAX - 8);
}
END_TEST

START_TEST(test_join_args)
{
	char a[] = "a\0b\0\0";
	char b[] = "\0\0";
	char c[] = "one";

	ck_assert_uint_eq(proc_join_args(a, sizeof(a) - 1), 3);
	ck_assert_str_eq(a, "a b");
	ck_assert_uint_eq(proc_join_args(b, sizeof(b) - 1), 0);
	ck_assert_str_eq(b, "");
	ck_assert_uint_eq(proc_join_args(c, 3), 3);
	ck_assert_str_eq(c, "one");
}
END_TEST

START_TEST(test_parse_stat)
{
	struct proc_stat_facts st;

	/* a comm holding ") (" must not shift the fields */
	ck_assert_int_eq(proc_parse_stat(
		"77 (a) (b c) R 5 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 123456 0 0\n",
		&st), 0);
	ck_assert_str_eq(st.comm, "a) (b c");
	ck_assert_uint_eq(st.ppid, 5);
	ck_assert_uint_eq(st.start_time, 123456);
	ck_assert_int_eq(proc_parse_stat("77 (x) R 5 77\n", &st), -EINVAL);
	ck_assert_int_eq(proc_parse_stat("77 x R 5\n", &st), -EINVAL);
}
END_TEST

START_TEST(test_pid_reuse)
{
	struct fake_proc p = {
		.pid = 5000, .ppid = 0, .start = 100, .comm = "old",
		.exe = "/bin/old", CMDLINE("old\0"),
	};
	const struct ptd_process_meta *pm;

	make_root();
	fake_proc_write(&p);
	ck_assert_int_eq(start_plugin(root, 16, 0, 0), 0);
	pm = enrich(5000, 0);
	assert_str(pm->cmd, "/bin/old");

	/* the pid now belongs to a newer process */
	p.start = 200;
	p.comm = "new";
	p.exe = "/bin/new";
	p.cmdline = "new\0--flag\0";
	p.cmdline_len = 11;
	fake_proc_write(&p);
	pm = enrich(5000, 0);
	assert_str(pm->cmd, "/bin/new");
	assert_str(pm->args, "new --flag");
	assert_str(pm->comm, "new");

	/* exec keeps the start time but changes the name */
	p.comm = "exec'd";
	p.exe = "/bin/execd";
	p.cmdline = "execd\0";
	p.cmdline_len = 6;
	fake_proc_write(&p);
	pm = enrich(5000, 0);
	assert_str(pm->cmd, "/bin/execd");
	assert_str(pm->comm, "exec'd");
}
END_TEST

START_TEST(test_revalidate_interval)
{
	struct fake_proc p = {
		.pid = 5001, .start = 100, .comm = "old", .exe = "/bin/old",
		CMDLINE("old\0"),
	};
	const struct ptd_process_meta *pm;

	make_root();
	fake_proc_write(&p);
	/* an hour: the change below must go unnoticed */
	ck_assert_int_eq(start_plugin(root, 16, 3600 * 1000, 0), 0);
	pm = enrich(5001, 0);
	assert_str(pm->cmd, "/bin/old");
	p.start = 200;
	p.exe = "/bin/new";
	fake_proc_write(&p);
	pm = enrich(5001, 0);
	assert_str(pm->cmd, "/bin/old");
}
END_TEST

START_TEST(test_exited_process_keeps_names)
{
	const struct ptd_process_meta *pm;

	make_root();
	fake_proc_write(&curl);
	fake_proc_write(&bash);
	fake_thread(curl.pid, 4244, "worker");
	ck_assert_int_eq(start_plugin(root, 16, 0, 0), 0);
	pm = enrich(curl.pid, 4244);
	assert_str(pm->thread_name, "worker");

	fake_exit(curl.pid);
	fake_exit(bash.pid);
	for (int i = 0; i < 3; i++) {
		pm = enrich(curl.pid, 4244);
		assert_str(pm->cmd, "/usr/bin/curl");
		assert_str(pm->args, "curl -s http://example.com/");
		assert_str(pm->comm, "curl");
		assert_str(pm->thread_name, "worker");
		ck_assert_uint_eq(pm->ppid, 4200);
		assert_str(pm->parent_comm, "bash");
		assert_str(pm->parent_args, "-bash");
	}
}
END_TEST

START_TEST(test_unknown_pid)
{
	struct ptd_packet pkt = {
		.flags = PTD_PKT_HAVE_PID | PTD_PKT_HAVE_COMM |
			 PTD_PKT_HAVE_UID | PTD_PKT_HAVE_PPID,
		.pid = 7000, .tid = 7001, .uid = 0, .ppid = 6999,
		.comm = "ghost",
	};
	struct ptd_packet full = pkt;
	const struct ptd_process_meta *pm;

	make_root();
	ck_assert_int_eq(start_plugin(root, 16, 0, 0), 0);
	for (int i = 0; i < 2; i++) { /* first sight, then the empty entry */
		pm = enrich_full(&pkt);
		ck_assert_uint_eq(pm->pid, 7000);
		ck_assert_uint_eq(pm->tid, 7001);
		assert_str(pm->comm, "ghost");
		assert_str(pm->cmd, NULL);
		assert_str(pm->args, NULL);
		assert_str(pm->thread_name, NULL);
		ck_assert_int_eq(pm->have_uid, 1);
		ck_assert_uint_eq(pm->uid, 0);
		ck_assert_uint_eq(pm->ppid, 6999);
		assert_str(pm->parent_comm, NULL);
	}
	/* a comm that fills the kernel's array has no NUL */
	memset(full.comm, 'z', sizeof(full.comm));
	full.pid = 7002;
	pm = enrich_full(&full);
	ck_assert_uint_eq(strlen(pm->comm), PTD_COMM_LEN);
	/* without the packet's comm there is nothing to say */
	pkt.flags = PTD_PKT_HAVE_PID;
	pm = enrich_full(&pkt);
	assert_str(pm->comm, NULL);
	ck_assert_uint_eq(pm->pid, 7000);
}
END_TEST

START_TEST(test_no_pid_no_change)
{
	struct ptd_packet pkt = {
		.size = sizeof(pkt), .flags = PTD_PKT_HAVE_COMM | PTD_PKT_HAVE_UID,
		.pid = 4242, .uid = 5, .comm = "x",
	};
	struct ptd_meta before;

	make_root();
	fake_proc_write(&curl);
	ck_assert_int_eq(start_plugin(root, 16, 0, 0), 0);
	memset(&meta, 0xa5, sizeof(meta));
	before = meta;
	ck_assert_int_eq(PLUGIN->enrich(state, &pkt, &meta), 0);
	ck_assert_int_eq(memcmp(&before, &meta, sizeof(meta)), 0);
	pkt.flags = PTD_PKT_HAVE_PID;
	pkt.pid = 0;
	ck_assert_int_eq(PLUGIN->enrich(state, &pkt, &meta), 0);
	ck_assert_int_eq(memcmp(&before, &meta, sizeof(meta)), 0);
}
END_TEST

START_TEST(test_numeric_no_user_name)
{
	const struct ptd_process_meta *pm;

	make_root();
	fake_proc_write(&curl);
	ck_assert_int_eq(start_plugin(root, 16, 0, 1), 0);
	pm = enrich(curl.pid, 0);
	ck_assert_int_eq(pm->have_uid, 1);
	ck_assert_uint_eq(pm->uid, 0);
	assert_str(pm->user_name, NULL);
}
END_TEST

START_TEST(test_bad_options)
{
	char missing[PATH_MAX + 16];

	make_root();
	ck_assert_int_eq(start_plugin(root, 1, 0, 0), -EINVAL);
	ck_assert_int_eq(start_plugin(root, PROC_CACHE_MAX + 1ull, 0, 0),
			 -EINVAL);
	snprintf(missing, sizeof(missing), "%s/nope", root);
	{
		char err[PTD_ERRBUF_SIZE] = "";
		void *cfg = calloc(1, PLUGIN->common.config_size);
		uint64_t size = 16, reval = 0;

		fake_host_init(&fh, "enricher", "proc");
		set_opt(cfg, "cache_size", &size);
		set_opt(cfg, "revalidate", &reval);
		set_opt(cfg, "proc_root", missing);
		ck_assert_int_eq(PLUGIN->common.init(&fh.host, cfg, &state, err), 0);
		free(cfg);
		ck_assert_int_eq(PLUGIN->common.start(state, err), -ENOENT);
		ck_assert_ptr_nonnull(strstr(err, "proc_root"));
	}
}
END_TEST

START_TEST(test_defaults_in_table)
{
	static const char *const want[][2] = {
		{ "cache_size", "4096" }, { "revalidate", "1000ms" },
		{ "proc_root", "/proc" },
	};
	const struct ptd_option *o = PLUGIN->common.options;

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++, o++) {
		ck_assert_str_eq(o->key, want[i][0]);
		ck_assert_str_eq(o->def, want[i][1]);
	}
	ck_assert_ptr_null(o->key);
	ck_assert_str_eq(PLUGIN->common.name, "proc");
}
END_TEST

/* ------------------------------------------------------------ the cache */

static struct fake_proc numbered(uint32_t pid)
{
	struct fake_proc p = {
		.pid = pid, .start = pid, .comm = "n", .exe = "/bin/numbered",
		CMDLINE("numbered\0--some\0--args\0"),
	};

	return p;
}

static struct proc_cache *cache_for_root(uint32_t capacity)
{
	struct proc_cache *c;

	ck_assert_int_eq(proc_cache_new(capacity, 0, &c), 0);
	ck_assert_int_eq(proc_cache_set_root(c, root), 0);
	return c;
}

static const struct proc_info *look(struct proc_cache *c, uint32_t pid)
{
	proc_cache_begin(c);
	return proc_cache_lookup(c, pid, 1);
}

START_TEST(test_cache_bound)
{
	enum { CAP = 8, EXTRA = 4, MANY = 64 };
	struct proc_cache_stats s;
	struct proc_cache *c;
	const struct proc_info *pi;
	size_t per_entry;

	make_root();
	for (uint32_t pid = 1000; pid < 1000 + MANY; pid++) {
		struct fake_proc p = numbered(pid);

		fake_proc_write(&p);
	}
	c = cache_for_root(CAP);
	for (uint32_t pid = 1000; pid < 1000 + CAP; pid++)
		ck_assert_ptr_nonnull(look(c, pid));
	ck_assert_ptr_nonnull(look(c, 1000)); /* recently used again */
	for (uint32_t pid = 2000; pid < 2000 + EXTRA; pid++)
		fake_proc_write(&(struct fake_proc){
			.pid = pid, .start = 1, .comm = "e", .exe = "/bin/e",
			CMDLINE("e\0") });
	for (uint32_t pid = 2000; pid < 2000 + EXTRA; pid++)
		ck_assert_ptr_nonnull(look(c, pid));
	proc_cache_get_stats(c, &s);
	ck_assert_uint_eq(s.entries, CAP);
	ck_assert_uint_eq(s.evictions, EXTRA);

	/* With /proc emptied, only what stayed cached can answer: the
	 * recently used 1000 did, 1001..1004 (the oldest) did not. */
	for (uint32_t pid = 1000; pid < 1000 + CAP; pid++)
		fake_exit(pid);
	pi = look(c, 1000);
	ck_assert_ptr_nonnull(pi);
	assert_str(pi->cmd, "/bin/numbered");
	pi = look(c, 1000 + CAP - 1);
	ck_assert_ptr_nonnull(pi);
	assert_str(pi->args, "numbered --some --args");
	for (uint32_t pid = 1001; pid <= 1000 + EXTRA; pid++)
		ck_assert_ptr_null(look(c, pid));

	/* Many more processes: entries and string memory stay bounded. */
	for (uint32_t pid = 1000 + CAP; pid < 1000 + MANY; pid++)
		look(c, pid);
	proc_cache_get_stats(c, &s);
	ck_assert_uint_eq(s.entries, CAP);
	per_entry = sizeof("/bin/numbered") + sizeof("numbered --some --args");
	ck_assert_uint_le(s.string_bytes, CAP * per_entry);
	ck_assert_uint_le(s.string_bytes, CAP * (size_t)(PROC_CMD_MAX + PROC_ARGS_MAX));
	proc_cache_free(c);
}
END_TEST

START_TEST(test_cache_pins_current_generation)
{
	struct proc_cache *c;
	const struct proc_info *a, *b;
	struct fake_proc pa = numbered(10), pb = numbered(11);

	make_root();
	fake_proc_write(&pa);
	fake_proc_write(&pb);
	c = cache_for_root(2);
	look(c, 12); /* an empty entry for an unknown pid */
	/* two lookups in one generation: the second must not evict the first */
	proc_cache_begin(c);
	a = proc_cache_lookup(c, 10, 1);
	b = proc_cache_lookup(c, 11, 1);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(a->pid, 10);
	assert_str(a->cmd, "/bin/numbered");
	/* a third has no room left in this generation */
	ck_assert_ptr_null(proc_cache_lookup(c, 12, 1));
	ck_assert_uint_eq(a->pid, 10);
	ck_assert_int_eq(proc_cache_note_exec(c, 13, 1, "x", NULL, NULL, 1), -ENOSPC);
	proc_cache_free(c);
}
END_TEST

START_TEST(test_note_exec_exit)
{
	struct fake_proc p = numbered(300);
	struct proc_cache *c;
	const struct proc_info *pi;

	make_root();
	fake_proc_write(&p);
	ck_assert_int_eq(proc_cache_new(16, 3600ull * 1000000000ull, &c), 0);
	ck_assert_int_eq(proc_cache_set_root(c, root), 0);

	/* exec: read at once, while /proc still has it */
	ck_assert_int_eq(proc_cache_note_exec(c, 300, 1, "n", "/bin/event-path", "event args", 1), 0);
	fake_exit(300);
	pi = look(c, 300);
	ck_assert_ptr_nonnull(pi);
	assert_str(pi->cmd, "/bin/numbered");
	/* exit: the facts stay, the next lookup only rechecks */
	proc_cache_note_exit(c, 300);
	pi = look(c, 300);
	ck_assert_ptr_nonnull(pi);
	ck_assert_int_eq(pi->exited, 1);
	assert_str(pi->cmd, "/bin/numbered");

	/* exec of a process already gone: what the event says, made
	 * printable */
	ck_assert_int_eq(proc_cache_note_exec(c, 301, 42, "brief\x07",
					      "/usr/bin/brief\x1b", "brief -x\ty", 1), 0);
	pi = look(c, 301);
	ck_assert_ptr_nonnull(pi);
	assert_str(pi->comm, "brief?");
	ck_assert_uint_eq(pi->ppid, 42);
	assert_str(pi->cmd, "/usr/bin/brief?");
	assert_str(pi->args, "brief -x?y");
	/* exec of a process that has exited but is not reaped: /proc has
	 * its stat but neither command line nor exe link; the event fills
	 * them in */
	{
		static const struct fake_proc z = {
			.pid = 303, .ppid = 7, .start = 5, .comm = "quick",
			.exe = NULL, .cmdline = "", .cmdline_len = 0,
		};

		fake_proc_write(&z);
		ck_assert_int_eq(proc_cache_note_exec(c, 303, 7, "quick",
						      "/usr/bin/quick", "quick --once", 1), 0);
		pi = look(c, 303);
		ck_assert_ptr_nonnull(pi);
		assert_str(pi->comm, "quick");
		assert_str(pi->cmd, "/usr/bin/quick");
		assert_str(pi->args, "quick --once");
	}
	/* an event without path or arguments leaves them unknown */
	ck_assert_int_eq(proc_cache_note_exec(c, 302, 42, "bare", NULL, "", 1), 0);
	pi = look(c, 302);
	ck_assert_ptr_nonnull(pi);
	assert_str(pi->cmd, NULL);
	assert_str(pi->args, NULL);

	/* after an exit, a reused pid is picked up at once despite the hour */
	p.start = 999;
	p.exe = "/bin/reborn";
	fake_proc_write(&p);
	proc_cache_note_exit(c, 300);
	pi = look(c, 300);
	assert_str(pi->cmd, "/bin/reborn");
	ck_assert_int_eq(pi->exited, 0);
	ck_assert_int_eq(proc_cache_note_exec(c, 0, 0, NULL, NULL, NULL, 1), -EINVAL);
	proc_cache_free(c);
}
END_TEST

/* ------------------------------------------------------------ real /proc */

static char *read_line(const char *path)
{
	static char buf[4096];
	FILE *f = fopen(path, "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

START_TEST(test_real_self)
{
	const struct ptd_process_meta *pm;
	char exe[PATH_MAX], comm[32], pcomm[32], path[64];
	uint32_t tid = (uint32_t)syscall(SYS_gettid);
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	snprintf(comm, sizeof(comm), "%s", read_line("/proc/self/comm"));
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)getppid());
	snprintf(pcomm, sizeof(pcomm), "%s", read_line(path));

	ck_assert_int_eq(start_plugin("/proc", 4096, 1000, 0), 0);
	pm = enrich((uint32_t)getpid(), tid);
	ck_assert_uint_eq(pm->pid, (uint32_t)getpid());
	assert_str(pm->cmd, exe);
	assert_str(pm->comm, comm);
	ck_assert_ptr_nonnull(pm->args);
	ck_assert_msg(strstr(pm->args, "check_proc") != NULL, "args: %s",
		      pm->args);
	assert_str(pm->thread_name, comm);
	ck_assert_int_eq(pm->have_uid, 1);
	ck_assert_uint_eq(pm->uid, (uint32_t)getuid());
	ck_assert_uint_eq(pm->ppid, (uint32_t)getppid());
	assert_str(pm->parent_comm, pcomm);
	/* the second packet comes from the cache and says the same */
	pm = enrich((uint32_t)getpid(), tid);
	assert_str(pm->cmd, exe);
	ck_assert_uint_eq(pm->ppid, (uint32_t)getppid());
}
END_TEST

/* Fake trees are many small files: leave room for a busy machine. */
#define CASE_TIMEOUT 60

static Suite *proc_suite(void)
{
	Suite *s = suite_create("enricher-proc");
	TCase *tc = tcase_create("fake-proc");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, CASE_TIMEOUT);
	tcase_add_test(tc, test_fills_everything);
	tcase_add_test(tc, test_packet_uid_wins);
	tcase_add_test(tc, test_args_shapes);
	tcase_add_test(tc, test_join_args);
	tcase_add_test(tc, test_parse_stat);
	tcase_add_test(tc, test_pid_reuse);
	tcase_add_test(tc, test_revalidate_interval);
	tcase_add_test(tc, test_exited_process_keeps_names);
	tcase_add_test(tc, test_unknown_pid);
	tcase_add_test(tc, test_no_pid_no_change);
	tcase_add_test(tc, test_numeric_no_user_name);
	tcase_add_test(tc, test_bad_options);
	tcase_add_test(tc, test_defaults_in_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, CASE_TIMEOUT);
	tcase_add_test(tc, test_cache_bound);
	tcase_add_test(tc, test_cache_pins_current_generation);
	tcase_add_test(tc, test_note_exec_exit);
	suite_add_tcase(s, tc);

	tc = tcase_create("real-proc");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_set_timeout(tc, CASE_TIMEOUT);
	tcase_add_test(tc, test_real_self);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(proc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
