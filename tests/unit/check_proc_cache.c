/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The "proc" enricher's cache: its bound, what it pins, exec and exit
 * events (on a fake /proc tree); and the plugin reading the real /proc
 * about this very process.  check_proc has the rest of the plugin.
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

static Suite *proc_suite(void)
{
	Suite *s = suite_create("enricher-proc-cache");
	TCase *tc;

	tc = proc_tcase("cache");
	tcase_add_test(tc, test_cache_bound);
	tcase_add_test(tc, test_cache_pins_current_generation);
	tcase_add_test(tc, test_note_exec_exit);
	suite_add_tcase(s, tc);

	tc = proc_tcase("real-proc");
	tcase_add_test(tc, test_real_self);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return suite_run(proc_suite());
}

