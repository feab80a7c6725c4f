/* SPDX-License-Identifier: BSD-2-Clause */
/* The "pcapng" printer's rotation (-C, -W, -G, -z) checked against the
 * names and counts tcpdump 4.99 produces. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "writer.h"
#include "writer_harness.h"

/*
 * -C: before each packet, if the file is larger than the limit, start the
 * next one.  With 24 + 5 * 216 = 1104 > 1000 bytes after five packets,
 * every file holds five packets.  Names as tcpdump 4.99.3 makes them.
 */
static void rotate_by_size(uint32_t file_count, const char *const *names,
			   const int *counts, int nfiles)
{
	struct ptd_packet pkts[23];
	char path[PATH_MAX];
	struct run r;
	int i, f, first = 0;

	run_setup(&r, "out");
	r.fh.opts.file_size = 1000;
	r.fh.opts.file_count = file_count;
	run_start(&r);
	for (i = 0; i < 23; i++) {
		make_pkt(&pkts[i], i, &if_eth0, 200);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	ck_assert_int_eq(count_files(r.dir), nfiles);
	for (f = 0; f < nfiles; f++) {
		snprintf(path, sizeof(path), "%s/%s", r.dir, names[f]);
		/* counts[] lists which packets each file ends up holding. */
		first = counts[2 * f];
		expect_pcap(path, 0, pkts + first, counts[2 * f + 1]);
	}
}

START_TEST(test_rotate_C)
{
	static const char *const names[] = { "out", "out1", "out2", "out3", "out4" };
	static const int counts[] = { 0, 5, 5, 5, 10, 5, 15, 5, 20, 3 };

	rotate_by_size(0, names, counts, 5);
}
END_TEST

START_TEST(test_rotate_CW)
{
	/* A ring of three: the fourth and fifth files overwrite 0 and 1. */
	static const char *const names3[] = { "out0", "out1", "out2" };
	static const int counts3[] = { 15, 5, 20, 3, 10, 5 };
	static const char *const names11[] = { "out00", "out01", "out02", "out03", "out04" };
	static const int counts11[] = { 0, 5, 5, 5, 10, 5, 15, 5, 20, 3 };
	static const char *const names1[] = { "out" };
	static const int counts1[] = { 20, 3 };

	rotate_by_size(3, names3, counts3, 3);
	rotate_by_size(11, names11, counts11, 5);
	rotate_by_size(1, names1, counts1, 1);
}
END_TEST

/* Each rotated pcapng file is a section of its own: SHB, then IDBs. */
START_TEST(test_rotate_pcapng)
{
	struct ptd_packet pkts[8];
	char path[PATH_MAX];
	struct ng_summary s;
	struct run r;
	int i;

	run_setup(&r, "r.pcapng");
	r.fh.opts.file_size = 300;
	run_start(&r);
	for (i = 0; i < 8; i++) {
		make_pkt(&pkts[i], i, i % 2 ? &if_eth0 : &if_tun0, 100);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	ck_assert_int_ge(count_files(r.dir), 3);
	for (i = 0; i < count_files(r.dir); i++) {
		if (i == 0)
			snprintf(path, sizeof(path), "%s/r.pcapng", r.dir);
		else
			snprintf(path, sizeof(path), "%s/r.pcapng%d", r.dir, i);
		walk_pcapng(path, &s);
		ck_assert_int_eq(s.shbs, 1);
		ck_assert_int_ge(s.epbs, 1);
		ck_assert_int_eq(s.idbs, s.epbs >= 2 ? 2 : 1);
	}
}
END_TEST

static uint64_t fake_now_ns;

static uint64_t fake_clock(const struct ptd_host *h, clockid_t clock)
{
	return fake_now_ns;
}

static void expect_name_at(const struct run *r, const char *tmpl, time_t t,
			   const struct ptd_packet *pkts, int n)
{
	char name[128], path[PATH_MAX];
	struct tm tm;

	localtime_r(&t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	strftime(name, sizeof(name), tmpl, &tm);
#pragma GCC diagnostic pop
	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	expect_pcap(path, 0, pkts, n);
}

/* -G follows the wall clock (tcpdump calls time()), not packet stamps. */
START_TEST(test_rotate_G)
{
	const time_t t0 = 1700000000;
	struct ptd_packet pkts[6];
	struct run r;
	int i;

	run_setup(&r, "g_%H%M%S");
	r.fh.host.clock_ns = fake_clock;
	r.fh.opts.rotate_seconds = 2;
	fake_now_ns = (uint64_t)t0 * 1000000000ull;
	run_start(&r);
	/* At t0, t0+1.9 (same file), t0+2 (new), t0+3, t0+7, t0+7.5. */
	static const uint64_t at_ms[] = { 0, 1900, 2000, 3000, 7000, 7500 };
	for (i = 0; i < 6; i++) {
		fake_now_ns = (uint64_t)t0 * 1000000000ull + at_ms[i] * 1000000ull;
		make_pkt(&pkts[i], i, &if_eth0, 80);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	ck_assert_int_eq(count_files(r.dir), 3);
	expect_name_at(&r, "g_%H%M%S", t0, pkts, 2);
	expect_name_at(&r, "g_%H%M%S", t0 + 2, pkts + 2, 2);
	expect_name_at(&r, "g_%H%M%S", t0 + 7, pkts + 4, 2);
}
END_TEST

/* -G with -W K: after K files the run ends ("Maximum file limit reached"). */
START_TEST(test_rotate_GW)
{
	const time_t t0 = 1700000000;
	struct ptd_packet p[4];
	struct run r;

	run_setup(&r, "w_%H%M%S");
	r.fh.host.clock_ns = fake_clock;
	r.fh.opts.rotate_seconds = 1;
	r.fh.opts.file_count = 2;
	fake_now_ns = (uint64_t)t0 * 1000000000ull;
	run_start(&r);
	make_pkt(&p[0], 0, &if_eth0, 60);
	make_pkt(&p[1], 1, &if_eth0, 60);
	ck_assert_int_eq(run_print(&r, &p[0], NULL), 0);
	fake_now_ns += 1000000000ull;
	ck_assert_int_eq(run_print(&r, &p[1], NULL), 0);
	fake_now_ns += 1000000000ull;
	ck_assert_int_eq(run_print(&r, &p[0], NULL), PTD_PRINT_DONE);
	ck_assert_int_eq(run_print(&r, &p[0], NULL), PTD_PRINT_DONE);
	run_end(&r);
	ck_assert_ptr_nonnull(strstr(r.fh.log, "Maximum file limit reached: 2"));
	ck_assert_int_eq(count_files(r.dir), 2);
	expect_name_at(&r, "w_%H%M%S", t0, p, 1);
	expect_name_at(&r, "w_%H%M%S", t0 + 1, p + 1, 1);
}
END_TEST

/* -G with -C: a count per period, restarting at 0; -W only pads names. */
START_TEST(test_rotate_GC)
{
	const time_t t0 = 1700000000;
	struct ptd_packet p[7];
	struct run r;
	int i;

	run_setup(&r, "c_%H%M%S_");
	r.fh.host.clock_ns = fake_clock;
	r.fh.opts.rotate_seconds = 10;
	r.fh.opts.file_size = 300;
	r.fh.opts.file_count = 2;
	fake_now_ns = (uint64_t)t0 * 1000000000ull;
	run_start(&r);
	for (i = 0; i < 7; i++) {
		if (i == 5)
			fake_now_ns += 10000000000ull;
		make_pkt(&p[i], i, &if_eth0, 200);
		ck_assert_int_eq(run_print(&r, &p[i], NULL), 0);
	}
	run_end(&r);
	/* 24 + 216 = 240 <= 300, so two packets per file; the third file of
	 * the first period wraps to _0 under -W 2, and the new period starts
	 * again at _0. */
	ck_assert_int_eq(count_files(r.dir), 3);
	expect_name_at(&r, "c_%H%M%S_0", t0, p + 4, 1);
	expect_name_at(&r, "c_%H%M%S_1", t0, p + 2, 2);
	expect_name_at(&r, "c_%H%M%S_0", t0 + 10, p + 5, 2);
}
END_TEST

/* -z CMD: "CMD FILE" for each file closed by a rotation, not the last. */
START_TEST(test_postrotate)
{
	char script[PATH_MAX], marker[PATH_MAX + 8];
	struct ptd_packet p;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct run r;
	FILE *f;
	int i, waited;

	run_setup(&r, "z");
	snprintf(script, sizeof(script), "%s/post.sh", r.dir);
	f = fopen(script, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\n[ $# -eq 1 ] && touch \"$1.done\"\n");
	fclose(f);
	chmod(script, 0755);
	r.fh.opts.postrotate_cmd = script;
	r.fh.opts.file_size = 100;
	run_start(&r);
	make_pkt(&p, 0, &if_eth0, 100);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(run_print(&r, &p, NULL), 0);
	run_end(&r);

	/* Files z, z1, z2; z and z1 were rotated out. */
	for (i = 0; i < 2; i++) {
		snprintf(marker, sizeof(marker), "%s/z%.0d.done", r.dir, i);
		for (waited = 0; !file_exists(marker) && waited < 500; waited++)
			nanosleep(&tick, NULL);
		ck_assert_msg(file_exists(marker), "%s never appeared", marker);
	}
	snprintf(marker, sizeof(marker), "%s/z2.done", r.dir);
	ck_assert(!file_exists(marker));
}
END_TEST

static Suite *writer_rotate_suite(void)
{
	Suite *s = suite_create("writer-rotate");
	TCase *tc = tcase_create("rotate");

	tcase_add_checked_fixture(tc, NULL, remove_scratch);
	tcase_add_test(tc, test_rotate_C);
	tcase_add_test(tc, test_rotate_CW);
	tcase_add_test(tc, test_rotate_pcapng);
	tcase_add_test(tc, test_rotate_G);
	tcase_add_test(tc, test_rotate_GW);
	tcase_add_test(tc, test_rotate_GC);
	tcase_add_test(tc, test_postrotate);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(writer_rotate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
