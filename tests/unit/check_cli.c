/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command line parser's acceptance list, flag by flag (check_cli_args
 * has whole command lines: bundles, expressions, process filters, -F,
 * plugin flags, the prescan and the usage text).  Every error text below is
 * the one tcpdump 4.99.3 prints for the same arguments (with "tcpdump: "
 * left out), except for flags tcpdump does not have.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/cli_harness.h"
#include "tests/unit/suite_run.h"

#define OFF(field) offsetof(struct ptd_cli, field)

static int int_at(size_t off)
{
	return *(int *)((char *)&cli + off);
}

/* ------------------------------------------------------------------------ */

START_TEST(test_defaults)
{
	ck_parse_ok(parse_list((const char *const[]){ NULL }));
	ck_assert_uint_eq(cli.opts.size, sizeof(struct ptd_options));
	ck_assert_uint_eq(cli.opts.snaplen, 262144);
	ck_assert_uint_eq(cli.opts.context, PTD_CTX_ALL);
	ck_assert_int_eq(cli.opts.direction, PTD_Q_INOUT);
	ck_assert_int_eq(cli.opts.tstamp, PTD_TS_DEFAULT);
	ck_assert_int_eq(cli.log_level, PTD_LOG_WARN);
	ck_assert_ptr_nonnull(cli.opts.interfaces);
	ck_assert_ptr_null(cli.opts.interfaces[0]);
	ck_assert_uint_eq(cli.n_ifaces, 0);
	ck_assert_ptr_null(cli.expression);
	ck_assert_ptr_null(cli.command);
	ck_assert_uint_eq(cli.max_packets, 0);
	ck_assert_uint_eq(cli.opts.file_size, 0);
	ck_assert_ptr_null(cli.backend);
	ck_assert_uint_eq(cli.n_settings, 0);
}
END_TEST

/* Flags that set (or count into) an int field. */
static const struct {
	const char *args[6];
	size_t off;
	int want;
} int_cases[] = {
	{ { "-A" }, OFF(opts.ascii), 1 },
	{ { "--print-data-in-ascii" }, OFF(opts.ascii), 1 },
	{ { "-e" }, OFF(opts.link_header), 1 },
	{ { "-l" }, OFF(opts.line_buffered), 1 },
	{ { "-U" }, OFF(opts.packet_buffered), 1 },
	{ { "--packet-buffered" }, OFF(opts.packet_buffered), 1 },
	{ { "-p" }, OFF(opts.no_promisc), 1 },
	{ { "--no-promiscuous-mode" }, OFF(opts.no_promisc), 1 },
	{ { "-q" }, OFF(opts.quiet), 1 },
	{ { "--quiet" }, OFF(opts.quiet), 1 },
	{ { "-S" }, OFF(opts.absolute_seq), 1 },
	{ { "--absolute-tcp-sequence-numbers" }, OFF(opts.absolute_seq), 1 },
	{ { "-K" }, OFF(opts.no_verify_checksums), 1 },
	{ { "--dont-verify-checksums" }, OFF(opts.no_verify_checksums), 1 },
	{ { "-#" }, OFF(opts.print_number), 1 },
	{ { "--number" }, OFF(opts.print_number), 1 },
	{ { "--oneline" }, OFF(opts.oneline), 1 },
	{ { "--print" }, OFF(opts.print), 1 },
	{ { "--immediate-mode" }, OFF(opts.immediate), 1 },
	{ { "--count" }, OFF(count_only), 1 },
	{ { "-D" }, OFF(list_interfaces), 1 },
	{ { "--list-interfaces" }, OFF(list_interfaces), 1 },
	{ { "-O" }, OFF(no_optimize), 1 },
	{ { "--no-optimize" }, OFF(no_optimize), 1 },
	{ { "-v" }, OFF(opts.verbose), 1 },
	{ { "-vv" }, OFF(opts.verbose), 2 },
	{ { "-vvv" }, OFF(opts.verbose), 3 },
	{ { "-v", "-v" }, OFF(opts.verbose), 2 },
	{ { "--verbose", "--verbose", "-v" }, OFF(opts.verbose), 3 },
	{ { "-n" }, OFF(opts.numeric), 1 },
	{ { "-nn" }, OFF(opts.numeric), 2 },
	{ { "--no-convert-addr" }, OFF(opts.numeric), 1 },
	{ { "-x" }, OFF(opts.hex), 1 },
	{ { "-xx" }, OFF(opts.hex), 2 },
	{ { "--print-data-in-hex" }, OFF(opts.hex), 1 },
	{ { "-X" }, OFF(opts.hex_ascii), 1 },
	{ { "-XX" }, OFF(opts.hex_ascii), 2 },
	{ { "--print-data-in-hex-ascii" }, OFF(opts.hex_ascii), 1 },
	{ { "-d" }, OFF(dump_filter), 1 },
	{ { "-dd" }, OFF(dump_filter), 2 },
	{ { "-ddd" }, OFF(dump_filter), 3 },
	{ { "-dddd" }, OFF(dump_filter), 3 },
	{ { "-t" }, OFF(opts.tstamp), PTD_TS_NONE },
	{ { "-tt" }, OFF(opts.tstamp), PTD_TS_UNIX },
	{ { "-ttt" }, OFF(opts.tstamp), PTD_TS_DELTA_PREV },
	{ { "-tttt" }, OFF(opts.tstamp), PTD_TS_DATE },
	{ { "-ttttt" }, OFF(opts.tstamp), PTD_TS_DELTA_FIRST },
	{ { "-tt", "-t" }, OFF(opts.tstamp), PTD_TS_DELTA_PREV },
	{ { "--print-timestamp" }, OFF(opts.tstamp), PTD_TS_NONE },
	{ { "--nano" }, OFF(opts.nano), 1 },
	{ { "--nano", "--micro" }, OFF(opts.nano), 0 },
	{ { "--time-stamp-precision=nano" }, OFF(opts.nano), 1 },
	{ { "--time-stamp-precision", "nano" }, OFF(opts.nano), 1 },
	{ { "--nano", "--time-stamp-precision=micro" }, OFF(opts.nano), 0 },
	{ { "-Q", "in" }, OFF(opts.direction), PTD_Q_IN },
	{ { "-Qout" }, OFF(opts.direction), PTD_Q_OUT },
	{ { "-Q", "IN" }, OFF(opts.direction), PTD_Q_IN },
	{ { "-Q", "out", "--direction=inout" }, OFF(opts.direction), PTD_Q_INOUT },
	{ { "--direction", "Out" }, OFF(opts.direction), PTD_Q_OUT },
	{ { "--log-level", "debug" }, OFF(log_level), PTD_LOG_DEBUG },
	{ { "--log-level=info" }, OFF(log_level), PTD_LOG_INFO },
	{ { "--log-level=warn" }, OFF(log_level), PTD_LOG_WARN },
	{ { "--log-level=error" }, OFF(log_level), PTD_LOG_ERROR },
	{ { "--log-level=fatal" }, OFF(log_level), PTD_LOG_ERROR },
	{ { "--log-level=DEBUG" }, OFF(log_level), PTD_LOG_DEBUG },
	{ { "-h" }, OFF(help), 1 },
	{ { "--help" }, OFF(help), 1 },
	{ { "--version" }, OFF(version), 1 },
	/* tcpdump accepts -a and does nothing with it */
	{ { "-a" }, OFF(help), 0 },
};

START_TEST(test_int_flag)
{
	const char *const *args = int_cases[_i].args;

	ck_parse_ok(parse_list(args));
	ck_assert_msg(int_at(int_cases[_i].off) == int_cases[_i].want,
		      "%s %s: got %d, want %d", args[0], args[1] ? args[1] : "",
		      int_at(int_cases[_i].off), int_cases[_i].want);
}
END_TEST

/* Numeric flags with tcpdump's parsing rules. */
static const struct {
	const char *args[6];
	size_t off;
	size_t size;
	uint64_t want;
} num_cases[] = {
	{ { "-c", "5" }, OFF(max_packets), 8, 5 },
	{ { "-c5" }, OFF(max_packets), 8, 5 },
	{ { "--receive-count=7" }, OFF(max_packets), 8, 7 },
	{ { "--receive-count", "7" }, OFF(max_packets), 8, 7 },
	{ { "-c", "5x" }, OFF(max_packets), 8, 5 },          /* atoi() */
	{ { "-c", " +5" }, OFF(max_packets), 8, 5 },
	{ { "-c", "2147483647" }, OFF(max_packets), 8, 2147483647 },
	{ { "-s", "100" }, OFF(opts.snaplen), 4, 100 },
	{ { "-s0" }, OFF(opts.snaplen), 4, 262144 },
	{ { "-s", "0x100" }, OFF(opts.snaplen), 4, 256 },   /* strtol base 0 */
	{ { "-s", "010" }, OFF(opts.snaplen), 4, 8 },
	{ { "-s", "262144" }, OFF(opts.snaplen), 4, 262144 },
	{ { "--snapshot-length=1500" }, OFF(opts.snaplen), 4, 1500 },
	{ { "-C", "1" }, OFF(opts.file_size), 8, 1000000 },
	{ { "-C", "100" }, OFF(opts.file_size), 8, 100000000 },
	{ { "-C", "100MB" }, OFF(opts.file_size), 8, 100ull << 20 },
	{ { "-C", "10kb" }, OFF(opts.file_size), 8, 10ull << 10 },
	{ { "-C", "10K" }, OFF(opts.file_size), 8, 10ull << 10 },
	{ { "-C", "2m" }, OFF(opts.file_size), 8, 2ull << 20 },
	{ { "-C", "1G" }, OFF(opts.file_size), 8, 1ull << 30 },
	{ { "-C", "1gb" }, OFF(opts.file_size), 8, 1ull << 30 },
	{ { "--file-size=3" }, OFF(opts.file_size), 8, 3000000 },
	{ { "-C", "9223372036854" }, OFF(opts.file_size), 8, 9223372036854000000ull },
	{ { "-W", "3" }, OFF(opts.file_count), 4, 3 },
	{ { "-W3x" }, OFF(opts.file_count), 4, 3 },
	{ { "--file-count", "4" }, OFF(opts.file_count), 4, 4 },
	{ { "-G", "60" }, OFF(opts.rotate_seconds), 4, 60 },
	{ { "-G", "0" }, OFF(opts.rotate_seconds), 4, 0 },
	{ { "-G", "abc" }, OFF(opts.rotate_seconds), 4, 0 },
	{ { "-B", "1024" }, OFF(opts.buffer_size), 8, 1024ull << 10 },
	{ { "-B4" }, OFF(opts.buffer_size), 8, 4ull << 10 },
	{ { "-B", "12abc" }, OFF(opts.buffer_size), 8, 12ull << 10 },   /* atoi() */
	{ { "-B", " +8" }, OFF(opts.buffer_size), 8, 8ull << 10 },
	{ { "-B", "2097151" }, OFF(opts.buffer_size), 8, 2097151ull << 10 },
	{ { "--buffer-size=2048" }, OFF(opts.buffer_size), 8, 2048ull << 10 },
	{ { "-n" }, OFF(opts.buffer_size), 8, 0 },
};

START_TEST(test_numeric_flag)
{
	const char *const *args = num_cases[_i].args;
	const char *p = (const char *)&cli + num_cases[_i].off;
	uint64_t got;

	ck_parse_ok(parse_list(args));
	if (num_cases[_i].size == 8) {
		got = *(const uint64_t *)p;
	} else {
		got = *(const uint32_t *)p;
	}
	ck_assert_msg(got == num_cases[_i].want, "%s %s: got %llu, want %llu",
		      args[0], args[1] ? args[1] : "", (unsigned long long)got,
		      (unsigned long long)num_cases[_i].want);
}
END_TEST

/* Flags that store their argument as given. */
static const struct {
	const char *args[6];
	size_t off;
	const char *want;
} str_cases[] = {
	{ { "-r", "in.pcap" }, OFF(opts.read_file), "in.pcap" },
	{ { "-rin.pcap" }, OFF(opts.read_file), "in.pcap" },
	{ { "--read-file=in.pcapng" }, OFF(opts.read_file), "in.pcapng" },
	{ { "-r", "-" }, OFF(opts.read_file), "-" },
	{ { "-w", "out.pcapng" }, OFF(opts.write_file), "out.pcapng" },
	{ { "-w", "-" }, OFF(opts.write_file), "-" },
	{ { "--write-file", "x.pcap" }, OFF(opts.write_file), "x.pcap" },
	{ { "-w", "--" }, OFF(opts.write_file), "--" },
	{ { "-z", "gzip" }, OFF(opts.postrotate_cmd), "gzip" },
	{ { "-Z", "nobody" }, OFF(relinquish_user), "nobody" },
	{ { "--relinquish-privileges=root" }, OFF(relinquish_user), "root" },
	{ { "--backend", "cgroup-skb" }, OFF(backend), "cgroup-skb" },
	{ { "--backend=tc" }, OFF(backend), "tc" },
	{ { "--config-dir", "/etc/x" }, OFF(config_dir), "/etc/x" },
	{ { "--config-dir=/etc/y" }, OFF(config_dir), "/etc/y" },
	{ { "--plugin-dir", "/usr/lib/p" }, OFF(plugin_dir), "/usr/lib/p" },
	{ { "--plugin-dir=./plugins" }, OFF(plugin_dir), "./plugins" },
	{ { "-r", "a", "-r", "b" }, OFF(opts.read_file), "b" },
};

START_TEST(test_string_flag)
{
	const char *const *args = str_cases[_i].args;
	const char *got;

	ck_parse_ok(parse_list(args));
	got = *(const char *const *)((const char *)&cli + str_cases[_i].off);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, str_cases[_i].want);
}
END_TEST

/* The capabilities that do not exist yet are refused by name. */
static const struct {
	const char *args[6];
	const char *err;
} unsupported_cases[] = {
	{ { "--container-id", "36f0310403b1" }, "--container-id: not supported yet" },
	{ { "--container-name", "test" }, "--container-name: not supported yet" },
	{ { "--pod-name", "test.default" }, "--pod-name: not supported yet" },
	{ { "--netns", "/run/netns/foo" }, "--netns: not supported yet" },
	{ { "--kernel-btf", "/sys/kernel/btf/vmlinux" }, "--kernel-btf: not supported yet" },
	{ { "--embed-keylog-to-pcapng" }, "--embed-keylog-to-pcapng: not supported yet" },
	{ { "--write-keylog-file", "k.log" }, "--write-keylog-file: not supported yet" },
	{ { "--delay-before-handle-packet-events", "1s" },
	  "--delay-before-handle-packet-events: not supported yet" },
	{ { "--event-chan-size", "20" }, "--event-chan-size: not supported yet" },
	{ { "--exec-events-worker-number", "50" },
	  "--exec-events-worker-number: not supported yet" },
	{ { "-I" }, "-I: not supported yet" },
	{ { "--monitor-mode" }, "--monitor-mode: not supported yet" },
	{ { "-j", "adapter" }, "-j: not supported yet" },
	{ { "--time-stamp-type=host" }, "--time-stamp-type: not supported yet" },
	{ { "-J" }, "-J: not supported yet" },
	{ { "--list-time-stamp-types" }, "--list-time-stamp-types: not supported yet" },
	{ { "-L" }, "-L: not supported yet" },
	{ { "--list-data-link-types" }, "--list-data-link-types: not supported yet" },
	{ { "-m", "mib" }, "-m: not supported yet" },
	{ { "-M", "secret" }, "-M: not supported yet" },
	{ { "-N" }, "-N: not supported yet" },
	{ { "-T", "rtp" }, "-T: not supported yet" },
	{ { "-u" }, "-u: not supported yet" },
	{ { "-V", "files.txt" }, "-V: not supported yet" },
	{ { "-y", "EN10MB" }, "-y: not supported yet" },
	{ { "--linktype", "EN10MB" }, "--linktype: not supported yet" },
	{ { "-H" }, "-H: not supported yet" },
	{ { "-b" }, "-b: not supported yet" },
	{ { "-E", "secret" }, "-E: not supported yet" },
	{ { "-nvI" }, "-I: not supported yet" },
	{ { "--docker-address", "/var/run/docker.sock" }, "--docker-address: not supported yet" },
	{ { "--containerd-address=/run/c.sock" }, "--containerd-address: not supported yet" },
	{ { "--cri-runtime-address", "/run/crio.sock" }, "--cri-runtime-address: not supported yet" },
};

START_TEST(test_unsupported_flag)
{
	ck_assert_int_eq(parse_list(unsupported_cases[_i].args), -EINVAL);
	ck_assert_str_eq(err, unsupported_cases[_i].err);
	/* a failed parse leaves nothing behind */
	ck_assert_ptr_null(cli.ifaces);
	ck_assert_ptr_null(cli.expression);
}
END_TEST

/* Validation and getopt errors: tcpdump 4.99.3's texts. */
static const struct {
	const char *args[6];
	const char *err;
} error_cases[] = {
	{ { "-c", "0" }, "invalid packet count 0" },
	{ { "-c", "abc" }, "invalid packet count abc" },
	{ { "-c", "-1" }, "invalid packet count -1" },
	{ { "-c", "-0" }, "invalid packet count -0" },
	{ { "-c", "" }, "invalid packet count " },
	{ { "-c", "0x10" }, "invalid packet count 0x10" },
	{ { "-c", "2147483648" }, "invalid packet count 2147483648" },
	{ { "-c", "99999999999999999999" }, "invalid packet count 99999999999999999999" },
	{ { "--receive-count=0" }, "invalid packet count 0" },
	{ { "-B", "0" }, "invalid packet buffer size 0" },
	{ { "-B", "-1" }, "invalid packet buffer size -1" },
	{ { "-B", "abc" }, "invalid packet buffer size abc" },
	{ { "-B", "" }, "invalid packet buffer size " },
	{ { "-B", "0x10" }, "invalid packet buffer size 0x10" },
	{ { "-B", "2097152" }, "invalid packet buffer size 2097152" },
	{ { "-B", "3000000" }, "invalid packet buffer size 3000000" },
	{ { "--buffer-size=0" }, "invalid packet buffer size 0" },
	{ { "-s", "abc" }, "invalid snaplen abc (must be >= 0 and <= 262144)" },
	{ { "-s", "-1" }, "invalid snaplen -1 (must be >= 0 and <= 262144)" },
	{ { "-s", "262145" }, "invalid snaplen 262145 (must be >= 0 and <= 262144)" },
	{ { "-s", "999999999" }, "invalid snaplen 999999999 (must be >= 0 and <= 262144)" },
	{ { "-s", "5x" }, "invalid snaplen 5x (must be >= 0 and <= 262144)" },
	{ { "-s", "08" }, "invalid snaplen 08 (must be >= 0 and <= 262144)" },
	{ { "-s", "1e3" }, "invalid snaplen 1e3 (must be >= 0 and <= 262144)" },
	{ { "-s", "" }, "invalid snaplen  (must be >= 0 and <= 262144)" },
	{ { "-C", "0" }, "invalid file size 0" },
	{ { "-C", "abc" }, "invalid file size abc" },
	{ { "-C", "-1" }, "invalid file size -1" },
	{ { "-C", "-0" }, "invalid file size -0" },
	{ { "-C", "5x" }, "invalid file size 5x" },
	{ { "-C", "0x10" }, "invalid file size 0x10" },
	{ { "-C", "1.5" }, "invalid file size 1.5" },
	{ { "-C", "" }, "invalid file size " },
	{ { "-C", "0MB" }, "invalid file size 0MB" },
	{ { "-C", "MB" }, "invalid file size MB" },
	{ { "-C", "99999999999999999999" }, "invalid file size 99999999999999999999" },
	{ { "-C", "9999999999999" }, "file size 9999999999999 is too large" },
	{ { "-C", "9223372036855" }, "file size 9223372036855 is too large" },
	{ { "-C", "9999999999999G" }, "file size 9999999999999G is too large" },
	{ { "-W", "0" }, "invalid number of output files 0" },
	{ { "-W", "abc" }, "invalid number of output files abc" },
	{ { "-W", "-1" }, "invalid number of output files -1" },
	{ { "-W", "" }, "invalid number of output files " },
	{ { "-W", "2147483648" }, "invalid number of output files 2147483648" },
	{ { "-G", "-1" }, "invalid number of seconds -1" },
	{ { "-G", "2147483648" }, "invalid number of seconds 2147483648" },
	{ { "-Q", "foo" }, "unknown capture direction `foo'" },
	{ { "-Q", "" }, "unknown capture direction `'" },
	{ { "--direction=bogus" }, "unknown capture direction `bogus'" },
	{ { "--time-stamp-precision=foo" }, "unsupported time stamp precision" },
	{ { "--time-stamp-precision=MICRO" }, "unsupported time stamp precision" },
	{ { "--time-stamp-precision", "" }, "unsupported time stamp precision" },
	{ { "-tttttt" }, "only -t, -tt, -ttt, -tttt and -ttttt are supported" },
	{ { "-ttt", "-ttt" }, "only -t, -tt, -ttt, -tttt and -ttttt are supported" },
	/* inline errors come first, as in tcpdump */
	{ { "-c", "0", "-tttttt" }, "invalid packet count 0" },
	{ { "-c", "0", "-h" }, "invalid packet count 0" },
	{ { "-k" }, "invalid option -- 'k'" },
	{ { "-nk" }, "invalid option -- 'k'" },
	{ { "-g" }, "invalid option -- 'g'" },
	{ { "-n-" }, "invalid option -- '-'" },
	{ { "--foo" }, "unrecognized option '--foo'" },
	{ { "--foo=bar" }, "unrecognized option '--foo=bar'" },
	{ { "--version=1" }, "option '--version' doesn't allow an argument" },
	{ { "--vers=1" }, "option '--version' doesn't allow an argument" },
	{ { "--help=1" }, "option '--help' doesn't allow an argument" },
	{ { "--immediate-mode=1" }, "option '--immediate-mode' doesn't allow an argument" },
	{ { "-c" }, "option requires an argument -- 'c'" },
	{ { "-nc" }, "option requires an argument -- 'c'" },
	{ { "-i" }, "option requires an argument -- 'i'" },
	{ { "-r" }, "option requires an argument -- 'r'" },
	{ { "-w" }, "option requires an argument -- 'w'" },
	{ { "-F" }, "option requires an argument -- 'F'" },
	{ { "-s" }, "option requires an argument -- 's'" },
	{ { "-Q" }, "option requires an argument -- 'Q'" },
	{ { "-z" }, "option requires an argument -- 'z'" },
	{ { "-Z" }, "option requires an argument -- 'Z'" },
	{ { "--interface" }, "option '--interface' requires an argument" },
	{ { "--time-stamp-precision" }, "option '--time-stamp-precision' requires an argument" },
	{ { "--direction" }, "option '--direction' requires an argument" },
	{ { "--rec" }, "option '--receive-count' requires an argument" },
	{ { "--no" }, "option '--no' is ambiguous; possibilities: "
		      "'--no-convert-addr' '--no-optimize' '--no-promiscuous-mode'" },
	{ { "--no=1" }, "option '--no=1' is ambiguous; possibilities: "
			"'--no-convert-addr' '--no-optimize' '--no-promiscuous-mode'" },
	{ { "--log-level=bogus" }, "unknown log level `bogus'" },
	{ { "--context=bogus" }, "unknown context `bogus' (choose from process, "
				 "thread, parentproc, user, container, pod)" },
	{ { "--context", "process,Pod" }, "unknown context `Pod' (choose from "
					  "process, thread, parentproc, user, container, pod)" },
	{ { "-F", "/nonexistent/filter" },
	  "can't open /nonexistent/filter: No such file or directory" },
	{ { "-F", "/" }, "read /: Is a directory" },
	{ { "--my-flag", "x" }, "unrecognized option '--my-flag'" },
};

START_TEST(test_error)
{
	ck_assert_int_eq(parse_list(error_cases[_i].args), -EINVAL);
	ck_assert_str_eq(err, error_cases[_i].err);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = cli_tcase("parse");

	tcase_add_test(tc, test_defaults);
	tcase_add_loop_test(tc, test_int_flag, 0,
			    sizeof(int_cases) / sizeof(int_cases[0]));
	tcase_add_loop_test(tc, test_numeric_flag, 0,
			    sizeof(num_cases) / sizeof(num_cases[0]));
	tcase_add_loop_test(tc, test_string_flag, 0,
			    sizeof(str_cases) / sizeof(str_cases[0]));
	tcase_add_loop_test(tc, test_unsupported_flag, 0,
			    sizeof(unsupported_cases) / sizeof(unsupported_cases[0]));
	tcase_add_loop_test(tc, test_error, 0,
			    sizeof(error_cases) / sizeof(error_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return suite_run(cli_suite());
}
