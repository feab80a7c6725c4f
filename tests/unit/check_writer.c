/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the "pcapng" printer: the savefiles it writes are read back
 * with libpcap and, for pcapng, walked block by block; errors, flushing,
 * stdout and the file names.  Rotation is in check_writer_rotate. */
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


/* Micro (_i == 0) and nano (_i == 1) pcap: magic, header, every record. */
START_TEST(test_pcap)
{
	struct ptd_packet pkts[12];
	int nano = _i;
	struct run r;
	int i;

	run_setup(&r, "x.pcap");
	r.fh.opts.nano = nano;
	run_start(&r);
	for (i = 0; i < 12; i++) {
		make_pkt(&pkts[i], i, &if_eth0, 14 + (uint32_t)i * 37 % 1500);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	ck_assert_uint_eq(read_u32_at(r.path, 0), nano ? 0xa1b23c4d : 0xa1b2c3d4);
	ck_assert_uint_eq(read_u32_at(r.path, 16), 262144);
	ck_assert_uint_eq(read_u32_at(r.path, 20), 1);
	expect_pcap(r.path, nano, pkts, 12);
}
END_TEST

/* A pcap file holds one link type: the first packet's.  DLT_RAW is stored
 * as LINKTYPE_RAW; packets of other link types are counted, not written. */
START_TEST(test_pcap_linktypes)
{
	struct ptd_packet pkts[6], kept[3];
	struct run r;
	int i, n = 0;

	run_setup(&r, "mixed.pcap");
	run_start(&r);
	for (i = 0; i < 6; i++) {
		make_pkt(&pkts[i], i, i % 2 ? &if_eth0 : &if_tun0, 40 + (uint32_t)i);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
		if (i % 2 == 0)
			kept[n++] = pkts[i];
	}
	run_end(&r);
	ck_assert_uint_eq(read_u32_at(r.path, 20), 101);
	expect_pcap(r.path, 0, kept, n);
	/* One warning naming the interface, one summary at the end. */
	ck_assert_ptr_nonnull(strstr(r.fh.log, "eth0: link type 1 differs"));
	ck_assert_ptr_null(strstr(strstr(r.fh.log, "eth0: link type") + 1,
				  "eth0: link type"));
	ck_assert_ptr_nonnull(strstr(r.fh.log,
		"3 packets from interfaces of another link type not written"));
}
END_TEST

START_TEST(test_pcapng_libpcap)
{
	struct ptd_packet pkts[10];
	struct ng_summary s;
	int nano = _i;
	struct run r;
	int i;

	run_setup(&r, "x.pcapng");
	r.fh.opts.nano = nano;
	run_start(&r);
	for (i = 0; i < 10; i++) {
		make_pkt(&pkts[i], i, i % 3 ? &if_eth0 : &if_eth1, 60 + (uint32_t)i * 13);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	expect_pcap(r.path, nano, pkts, 10);
	walk_pcapng(r.path, &s);
	ck_assert_int_eq(s.shbs, 1);
	ck_assert_int_eq(s.idbs, 2);
	ck_assert_int_eq(s.epbs, 10);
	ck_assert_str_eq(s.idb_name[0], "eth1");
	ck_assert_str_eq(s.idb_name[1], "eth0");
	ck_assert_uint_eq(s.idb_tsresol[0], nano ? 9 : 6);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(s.epb_ts[i],
				  nano ? pkts[i].ts_ns : pkts[i].ts_ns / 1000);
}
END_TEST

/* Two link types, comments, directions, process metadata: walk it. */
START_TEST(test_pcapng_structure)
{
	struct ptd_packet pkts[6];
	struct ptd_meta meta;
	struct ng_summary s;
	struct run r;
	int i;

	memset(&meta, 0, sizeof(meta));
	meta.size = sizeof(meta);
	meta.process.pid = 1234;
	meta.process.cmd = "/usr/bin/curl";
	meta.process.args = "curl -s\nhttp://127.0.0.1/";
	meta.process.ppid = 1;
	meta.process.parent_cmd = "/sbin/init";
	meta.process.parent_args = "init";

	run_setup(&r, "s.pcapng");
	run_start(&r);
	for (i = 0; i < 6; i++) {
		make_pkt(&pkts[i], i, i < 3 ? &if_tun0 : &if_eth0, 21 + (uint32_t)i);
		if (i == 1)
			pkts[i].comment = "from the source";
		ck_assert_int_eq(run_print(&r, &pkts[i], i >= 4 ? &meta : NULL), 0);
	}
	run_end(&r);

	walk_pcapng(r.path, &s);
	ck_assert_str_eq(s.userappl, "ptcpdump " PACKAGE_VERSION);
	ck_assert_int_eq(s.idbs, 2);
	ck_assert_uint_eq(s.idb_linktype[0], 101);
	ck_assert_uint_eq(s.idb_linktype[1], 1);
	ck_assert_str_eq(s.idb_name[0], "tun0");
	ck_assert_int_eq(s.epbs, 6);
	for (i = 0; i < 6; i++) {
		ck_assert_uint_eq(s.epb_iface[i], i < 3 ? 0 : 1);
		ck_assert_uint_eq(s.epb_flags[i], (uint32_t)(i % 3));
	}
	ck_assert_str_eq(s.epb_comment[1], "from the source");
	ck_assert_int_eq(s.epb_ncomments[0], 0);
	ck_assert_str_eq(s.epb_comment[4],
		"PID: 1234\nCmd: /usr/bin/curl\nArgs: curl -s http://127.0.0.1/\n"
		"ParentPID: 1\nParentCmd: /sbin/init\nParentArgs: init");
}
END_TEST

START_TEST(test_meta_comment)
{
	struct ptd_meta m;
	char big[256], buf[64];
	size_t n;

	memset(&m, 0, sizeof(m));
	ck_assert_uint_eq(wr_meta_comment(big, sizeof(big), &m, PTD_CTX_ALL), 0);
	m.process.pid = 42;
	m.process.comm = "sh";
	m.process.tid = 43;
	m.process.thread_name = "worker";
	m.container.id = "abc";
	m.container.name = "web";
	/* Thread lines only when asked; the container group stands alone. */
	n = wr_meta_comment(big, sizeof(big), &m, PTD_CTX_PROCESS | PTD_CTX_CONTAINER);
	ck_assert_uint_eq(n, strlen(big));
	ck_assert_str_eq(big, "PID: 42\nCmd: sh\nArgs: \nContainerName: web\n"
			      "ContainerId: abc\nContainerImage: \nContainerLabels: ");
	/* Too long: cut, marked, terminated. */
	m.process.args = "0123456789012345678901234567890123456789012345678901234567890123456789";
	n = wr_meta_comment(buf, sizeof(buf), &m, PTD_CTX_PROCESS);
	ck_assert_uint_eq(n, sizeof(buf) - 1);
	ck_assert_str_eq(buf + n - 3, "...");
}
END_TEST

/* tcpdump: "tcpdump: /nonexistent/dir/f: No such file or directory". */
START_TEST(test_open_error)
{
	const struct ptd_plugin_common *c = &ptcpdump_plugin.common;
	struct run r;

	run_setup(&r, "/nonexistent/dir/f");
	ck_assert_int_eq(c->init(&r.fh.host, NULL, &r.st, r.err), 0);
	ck_assert_int_eq(c->start(r.st, r.err), -ENOENT);
	ck_assert_str_eq(r.err, "/nonexistent/dir/f: No such file or directory");
	c->stop(r.st);
	c->fini(r.st);
}
END_TEST

/* A full disk is reported once, and the run is told to stop. */
START_TEST(test_write_error)
{
	struct ptd_packet p;
	struct run r;
	int i, ret = 0;

	run_setup(&r, "/dev/full");
	run_start(&r);
	make_pkt(&p, 0, &if_eth0, 1500);
	for (i = 0; i < 200 && ret == 0; i++)
		ret = run_print(&r, &p, NULL);
	if (ret == 0)
		ret = ptcpdump_plugin.flush(r.st);
	ck_assert_int_eq(ret, -ENOSPC);
	ck_assert_int_eq(ptcpdump_plugin.flush(r.st), -ENOSPC);
	ck_assert_int_eq(run_print(&r, &p, NULL), -ENOSPC);
	ptcpdump_plugin.common.stop(r.st);
	ptcpdump_plugin.common.fini(r.st);
	/* The fake host keeps every level: look for the error line, once. */
	ck_assert_ptr_nonnull(strstr(r.fh.log, "\n/dev/full: No space left on device\n"));
	ck_assert_ptr_null(strstr(strstr(r.fh.log, "No space") + 1, "No space"));
}
END_TEST

/* -U: after flush() the bytes are in the file, before stop(). */
START_TEST(test_flush)
{
	struct ptd_packet p;
	struct run r;

	run_setup(&r, "u.pcap");
	r.fh.opts.packet_buffered = 1;
	run_start(&r);
	make_pkt(&p, 1, &if_eth0, 100);
	ck_assert_int_eq(run_print(&r, &p, NULL), 0);
	ck_assert_int_eq(ptcpdump_plugin.flush(r.st), 0);
	ck_assert_int_eq(file_size(r.path), 24 + 16 + 100);
	run_end(&r);
}
END_TEST

/* No packets: still a valid, empty savefile. */
START_TEST(test_empty)
{
	struct ng_summary s;
	struct run r, rn;

	run_setup(&r, "e.pcap");
	run_start(&r);
	run_end(&r);
	ck_assert_int_eq(file_size(r.path), 24);
	expect_pcap(r.path, 0, NULL, 0);

	run_setup(&rn, "e.pcapng");
	run_start(&rn);
	run_end(&rn);
	walk_pcapng(rn.path, &s);
	ck_assert_int_eq(s.shbs, 1);
	ck_assert_int_eq(s.idbs, 0);
}
END_TEST

START_TEST(test_stdout)
{
	struct ptd_packet pkts[3];
	char out[PATH_MAX];
	struct run r;
	int fd, saved, i;

	run_setup(&r, "-");
	snprintf(out, sizeof(out), "%s/stdout.pcap", r.dir);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	run_start(&r);
	for (i = 0; i < 3; i++) {
		make_pkt(&pkts[i], i, &if_eth0, 64);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	ck_assert(!file_exists("-"));
	expect_pcap(out, 0, pkts, 3);
}
END_TEST

START_TEST(test_name_helpers)
{
	char buf[128];
	struct tm tm = { .tm_year = 123, .tm_mon = 10, .tm_mday = 14,
			 .tm_hour = 22, .tm_min = 13, .tm_sec = 20, .tm_isdst = -1 };
	time_t t = mktime(&tm);

	ck_assert_int_eq(wr_count_width(0), 0);
	ck_assert_int_eq(wr_count_width(1), 0);
	ck_assert_int_eq(wr_count_width(2), 1);
	ck_assert_int_eq(wr_count_width(10), 1);
	ck_assert_int_eq(wr_count_width(11), 2);
	ck_assert_int_eq(wr_count_width(101), 3);
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "out", 0, t, 0, 0), 0);
	ck_assert_str_eq(buf, "out");
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "out", 0, t, 3, 0), 0);
	ck_assert_str_eq(buf, "out3");
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "out", 0, t, 0, 2), 0);
	ck_assert_str_eq(buf, "out00");
	/* Without -G a '%' is just a character. */
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "o%H", 0, t, 0, 0), 0);
	ck_assert_str_eq(buf, "o%H");
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "g_%Y%m%d_%H%M%S.pcap", 1, t, 1, 1), 0);
	ck_assert_str_eq(buf, "g_20231114_221320.pcap1");
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "", 0, t, 0, 0), -EINVAL);
	ck_assert_int_eq(wr_file_name(buf, 4, "longer", 0, t, 0, 0), -ENAMETOOLONG);
}
END_TEST


/* Loaded without -w: idle, harmless. */
START_TEST(test_inactive)
{
	struct ptd_packet p;
	struct run r;

	run_setup(&r, "unused");
	r.fh.opts.write_file = NULL;
	run_start(&r);
	make_pkt(&p, 0, &if_eth0, 60);
	ck_assert_int_eq(run_print(&r, &p, NULL), 0);
	run_end(&r);
	ck_assert_int_eq(count_files(r.dir), 0);
}
END_TEST

static Suite *writer_suite(void)
{
	Suite *s = suite_create("writer");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, NULL, remove_scratch);

	tcase_add_loop_test(tc, test_pcap, 0, 2);
	tcase_add_test(tc, test_pcap_linktypes);
	tcase_add_loop_test(tc, test_pcapng_libpcap, 0, 2);
	tcase_add_test(tc, test_pcapng_structure);
	tcase_add_test(tc, test_meta_comment);
	tcase_add_test(tc, test_open_error);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_flush);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_stdout);
	tcase_add_test(tc, test_name_helpers);
	tcase_add_test(tc, test_inactive);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(writer_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
