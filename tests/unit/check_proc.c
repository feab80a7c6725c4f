/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The "proc" enricher on a fake /proc tree built in a temporary directory
 * (the proc_root option), so pid reuse, exit and odd command lines can be
 * staged: what it fills in, when it rereads, its options.  check_proc_cache
 * has the cache itself and the real /proc.
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

#include "enrichers/proc/proc_cache.h"
#include "enrichers/proc/proc_read.h"
#include "tests/unit/proc_harness.h"
#include "tests/unit/suite_run.h"

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

static Suite *proc_suite(void)
{
	Suite *s = suite_create("enricher-proc");
	TCase *tc;

	tc = proc_tcase("fake-proc");
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
	return s;
}

int main(void)
{
	return suite_run(proc_suite());
}

