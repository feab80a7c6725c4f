/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command line parser's acceptance list.  Every error text below is the
 * one tcpdump 4.99.3 prints for the same arguments (with "tcpdump: " left
 * out), except for flags tcpdump does not have.
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

#include "core/cli.h"

#define MAX_WORDS 16
#define OFF(field) offsetof(struct ptd_cli, field)

static struct ptd_cli cli;
static char err[1024];

static int parse_list_x(const struct ptd_cli_plugin_flag *extra, size_t n_extra,
			const char *const *words)
{
	static char *argv[MAX_WORDS + 2];
	int argc = 0;

	argv[argc++] = (char *)"ptcpdump";
	while (*words && argc <= MAX_WORDS)
		argv[argc++] = (char *)*words++;
	argv[argc] = NULL;
	ptd_cli_free(&cli);
	return ptd_cli_parse(&cli, argc, argv, extra, n_extra, err, sizeof(err));
}

static int parse_list(const char *const *words)
{
	return parse_list_x(NULL, 0, words);
}

#define PARSE(...) parse_list((const char *const[]){ __VA_ARGS__, NULL })
#define PARSE_X(x, n, ...) \
	parse_list_x(x, n, (const char *const[]){ __VA_ARGS__, NULL })

#define ck_parse_ok(ret) \
	ck_assert_msg((ret) == 0, "parse failed: %s", err)

static void teardown(void)
{
	ptd_cli_free(&cli);
}

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

/* ------------------------------------------------------------------------ */

START_TEST(test_combined_flags)
{
	ck_parse_ok(PARSE("-nnvX", "-c5", "-AqeS"));
	ck_assert_int_eq(cli.opts.numeric, 2);
	ck_assert_int_eq(cli.opts.verbose, 1);
	ck_assert_int_eq(cli.opts.hex_ascii, 1);
	ck_assert_uint_eq(cli.max_packets, 5);
	ck_assert_int_eq(cli.opts.ascii, 1);
	ck_assert_int_eq(cli.opts.quiet, 1);
	ck_assert_int_eq(cli.opts.link_header, 1);
	ck_assert_int_eq(cli.opts.absolute_seq, 1);

	/* the last letter of a bundle may take the next word */
	ck_parse_ok(PARSE("-vvvc", "3", "-nis", "100"));
	ck_assert_int_eq(cli.opts.verbose, 3);
	ck_assert_uint_eq(cli.max_packets, 3);
	ck_assert_int_eq(cli.opts.numeric, 1);
	ck_assert_uint_eq(cli.n_ifaces, 1);
	ck_assert_str_eq(cli.ifaces[0], "s");
	ck_assert_str_eq(cli.expression, "100");
	ck_assert_str_eq(cli.opts.interfaces[0], "s");

	ck_parse_ok(PARSE("-ttttnnXXxx"));
	ck_assert_int_eq(cli.opts.tstamp, PTD_TS_DATE);
	ck_assert_int_eq(cli.opts.numeric, 2);
	ck_assert_int_eq(cli.opts.hex_ascii, 2);
	ck_assert_int_eq(cli.opts.hex, 2);
}
END_TEST

START_TEST(test_long_abbreviations)
{
	ck_parse_ok(PARSE("--rec=5", "--snap", "96", "--immed", "--nan"));
	ck_assert_uint_eq(cli.max_packets, 5);
	ck_assert_uint_eq(cli.opts.snaplen, 96);
	ck_assert_int_eq(cli.opts.immediate, 1);
	ck_assert_int_eq(cli.opts.nano, 1);
}
END_TEST

START_TEST(test_expression_words)
{
	ck_parse_ok(PARSE("tcp", "-i", "lo", "and", "-n", "port", "80"));
	ck_assert_str_eq(cli.expression, "tcp and port 80");
	ck_assert_int_eq(cli.opts.numeric, 1);
	ck_assert_str_eq(cli.ifaces[0], "lo");

	ck_parse_ok(PARSE("-n", "tcp and port 80", "or", "udp"));
	ck_assert_str_eq(cli.expression, "tcp and port 80 or udp");

	ck_parse_ok(PARSE("tcp[tcpflags] & (tcp-syn|tcp-fin) != 0"));
	ck_assert_str_eq(cli.expression, "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0");

	/* "-" alone is a word, as in tcpdump */
	ck_parse_ok(PARSE("-", "x"));
	ck_assert_str_eq(cli.expression, "- x");

	ck_parse_ok(PARSE(""));
	ck_assert_str_eq(cli.expression, "");
}
END_TEST

START_TEST(test_double_dash)
{
	/* "--" with nothing after it ends the flags and starts no command */
	ck_parse_ok(PARSE("-n", "tcp", "--"));
	ck_assert_str_eq(cli.expression, "tcp");
	ck_assert_ptr_null(cli.command);

	/* an option's argument "--" is not the separator */
	ck_parse_ok(PARSE("-w", "--", "udp"));
	ck_assert_str_eq(cli.opts.write_file, "--");
	ck_assert_str_eq(cli.expression, "udp");
	ck_assert_ptr_null(cli.command);

	/* what follows "--" is never parsed as flags */
	ck_parse_ok(PARSE("tcp", "--", "--pid", "1"));
	ck_assert_str_eq(cli.expression, "tcp");
	ck_assert_ptr_nonnull(cli.command);
	ck_assert_str_eq(cli.command[0], "--pid");
	ck_assert_str_eq(cli.command[1], "1");
	ck_assert_ptr_null(cli.command[2]);
	ck_assert_uint_eq(cli.n_pids, 0);
	ck_assert_int_eq(PARSE("-c", "0", "--", "curl"), -EINVAL);
	ck_assert_str_eq(err, "invalid packet count 0");
	ck_assert_int_eq(PARSE("-r", "x.pcap", "--", "curl"), -EINVAL);
	ck_assert_str_eq(err, "-- command: cannot be used with -r (it captures live)");
}
END_TEST

START_TEST(test_process_filters)
{
	ck_parse_ok(PARSE("--pid", "1234", "--pid=5,6", "-f", "--uid", "0",
			  "--uid", "1000,65534", "--pname", "curl"));
	ck_assert_uint_eq(cli.n_pids, 3);
	ck_assert_uint_eq(cli.pids[0], 1234);
	ck_assert_uint_eq(cli.pids[1], 5);
	ck_assert_uint_eq(cli.pids[2], 6);
	ck_assert_ptr_eq(cli.opts.pids, cli.pids);
	ck_assert_uint_eq(cli.opts.n_pids, 3);
	ck_assert_uint_eq(cli.opts.n_uids, 3);
	ck_assert_uint_eq(cli.opts.uids[0], 0);
	ck_assert_uint_eq(cli.opts.uids[2], 65534);
	ck_assert_int_eq(cli.opts.follow_forks, 1);
	ck_assert_str_eq(cli.opts.pname, "curl");

	ck_parse_ok(PARSE("-nf", "-i", "any", "--", "curl", "ubuntu.com"));
	ck_assert_int_eq(cli.opts.follow_forks, 1);
	ck_assert_str_eq(cli.command[0], "curl");
	ck_assert_str_eq(cli.command[1], "ubuntu.com");
	ck_parse_ok(PARSE("--pname", "123456789012345"));

	ck_assert_int_eq(PARSE("--pid", "abc"), -EINVAL);
	ck_assert_str_eq(err, "--pid: invalid process id `abc' (a number from 1 to 4194304)");
	ck_assert_int_eq(PARSE("--pid", "1,,2"), -EINVAL);
	ck_assert_str_eq(err, "--pid: invalid process id `' (a number from 1 to 4194304)");
	ck_assert_int_eq(PARSE("--pid", "0"), -EINVAL);
	ck_assert_int_eq(PARSE("--pid", "+5"), -EINVAL);
	ck_assert_int_eq(PARSE("--pid", "4194305"), -EINVAL);
	ck_assert_int_eq(PARSE("--uid", "-1"), -EINVAL);
	ck_assert_str_eq(err, "--uid: invalid user id `-1' (a number from 0 to 4294967294)");
	ck_assert_int_eq(PARSE("--uid", "4294967295"), -EINVAL);
	ck_assert_int_eq(PARSE("--uid", "root"), -EINVAL);
	ck_assert_int_eq(PARSE("--pname", "1234567890123456"), -EINVAL);
	ck_assert_str_eq(err, "--pname: `1234567890123456' is longer than the 15 characters the kernel keeps of a process name");
	ck_assert_int_eq(PARSE("--pname", ""), -EINVAL);
	ck_assert_str_eq(err, "--pname: the process name is empty");
	ck_assert_int_eq(PARSE("-f"), -EINVAL);
	ck_assert_str_eq(err, "-f: follows the children of the processes --pid or -- command selects: give one of them");
	ck_assert_int_eq(PARSE("--pid", "1", "-r", "x.pcap"), -EINVAL);
	ck_assert_str_eq(err, "--pid, --pname and --uid filter a live capture: they cannot be used with -r");
}
END_TEST

START_TEST(test_interfaces)
{
	ck_parse_ok(PARSE("-i", "eth0", "-i", "lo"));
	ck_assert_uint_eq(cli.n_ifaces, 2);
	ck_assert_str_eq(cli.ifaces[0], "eth0");
	ck_assert_str_eq(cli.ifaces[1], "lo");
	ck_assert_ptr_null(cli.ifaces[2]);
	ck_assert_ptr_eq(cli.opts.interfaces, (const char *const *)cli.ifaces);

	ck_parse_ok(PARSE("-i", "eth0,lo", "--interface=any", "-ieth1"));
	ck_assert_uint_eq(cli.n_ifaces, 4);
	ck_assert_str_eq(cli.opts.interfaces[0], "eth0");
	ck_assert_str_eq(cli.opts.interfaces[1], "lo");
	ck_assert_str_eq(cli.opts.interfaces[2], "any");
	ck_assert_str_eq(cli.opts.interfaces[3], "eth1");
	ck_assert_ptr_null(cli.opts.interfaces[4]);

	ck_parse_ok(PARSE("--interface", "veth0"));
	ck_assert_uint_eq(cli.n_ifaces, 1);
	ck_assert_str_eq(cli.ifaces[0], "veth0");
}
END_TEST

START_TEST(test_context)
{
	ck_parse_ok(PARSE("--context=process"));
	ck_assert_uint_eq(cli.opts.context, PTD_CTX_PROCESS);

	ck_parse_ok(PARSE("--context=process,parentproc,container,pod"));
	ck_assert_uint_eq(cli.opts.context, PTD_CTX_PROCESS | PTD_CTX_PARENTPROC |
			  PTD_CTX_CONTAINER | PTD_CTX_POD);

	ck_parse_ok(PARSE("--context=process", "--context", "thread",
			  "--context=user"));
	ck_assert_uint_eq(cli.opts.context, PTD_CTX_PROCESS | PTD_CTX_THREAD |
			  PTD_CTX_USER);

	ck_parse_ok(PARSE("--context=process,thread,parentproc,user,container,pod"));
	ck_assert_uint_eq(cli.opts.context, PTD_CTX_ALL);

	/* an empty list asks for no context at all */
	ck_parse_ok(PARSE("--context="));
	ck_assert_uint_eq(cli.opts.context, 0);
}
END_TEST

static char *write_temp(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/check_cli.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

START_TEST(test_expression_file)
{
	char *path = write_temp("# all web traffic\ntcp #only tcp\n  and port 80\n");

	ck_parse_ok(PARSE("-F", path));
	ck_assert_str_eq(cli.expression_file, path);
	/* comments are blanked to the end of their line, like tcpdump does */
	ck_assert_str_eq(cli.expression,
			 "                 \ntcp          \n  and port 80\n");

	/* the command line expression is ignored, as tcpdump documents */
	ck_parse_ok(PARSE("udp", "--expression-file", path, "or", "icmp"));
	ck_assert_str_eq(cli.expression,
			 "                 \ntcp          \n  and port 80\n");
	unlink(path);

	path = write_temp("");
	ck_parse_ok(PARSE("-F", path));
	ck_assert_str_eq(cli.expression, "");
	unlink(path);
}
END_TEST

START_TEST(test_expression_file_large)
{
	static char text[20000];
	char *path;

	memset(text, ' ', sizeof(text) - 5);
	memcpy(text + sizeof(text) - 5, "tcp\n", 5);
	path = write_temp(text);
	ck_parse_ok(PARSE("-F", path));
	ck_assert_str_eq(cli.expression, text);
	unlink(path);
}
END_TEST

static const struct ptd_cli_plugin_flag plugin_flags[] = {
	{ "docker-address", "enricher.docker", "address", 0 },
	{ "containerd-address", "enricher.containerd", "address", 0 },
	{ "cri-runtime-address", "enricher.cri", "address", 0 },
	{ "docker-debug", "enricher.docker", "debug", 1 },
	{ "pcapng-comment", "printer.pcapng", "comment", 0 },
};
#define N_PLUGIN_FLAGS (sizeof(plugin_flags) / sizeof(plugin_flags[0]))

START_TEST(test_plugin_flags)
{
	ck_parse_ok(PARSE_X(plugin_flags, N_PLUGIN_FLAGS,
			    "--docker-address", "/run/d.sock",
			    "--containerd-address=/run/c.sock",
			    "--cri-runtime-address", "/run/crio.sock",
			    "--docker-debug", "--pcapng-comment", "hi", "tcp"));
	ck_assert_uint_eq(cli.n_settings, 5);
	ck_assert_str_eq(cli.settings[0].section, "enricher.docker");
	ck_assert_str_eq(cli.settings[0].key, "address");
	ck_assert_str_eq(cli.settings[0].value, "/run/d.sock");
	ck_assert_str_eq(cli.settings[0].flag, "--docker-address");
	ck_assert_str_eq(cli.settings[1].section, "enricher.containerd");
	ck_assert_str_eq(cli.settings[1].value, "/run/c.sock");
	ck_assert_str_eq(cli.settings[2].section, "enricher.cri");
	ck_assert_str_eq(cli.settings[2].value, "/run/crio.sock");
	ck_assert_str_eq(cli.settings[3].key, "debug");
	ck_assert_str_eq(cli.settings[3].value, "true");
	ck_assert_str_eq(cli.settings[3].flag, "--docker-debug");
	ck_assert_str_eq(cli.settings[4].section, "printer.pcapng");
	ck_assert_str_eq(cli.settings[4].key, "comment");
	ck_assert_str_eq(cli.settings[4].value, "hi");
	ck_assert_str_eq(cli.settings[4].flag, "--pcapng-comment");
	ck_assert_str_eq(cli.expression, "tcp");

	/* a boolean plugin flag takes no value */
	ck_assert_int_eq(PARSE_X(plugin_flags, N_PLUGIN_FLAGS,
				 "--docker-debug=x"), -EINVAL);
	ck_assert_str_eq(err, "option '--docker-debug' doesn't allow an argument");
	ck_assert_int_eq(PARSE_X(plugin_flags, N_PLUGIN_FLAGS,
				 "--pcapng-comment"), -EINVAL);
	ck_assert_str_eq(err, "option '--pcapng-comment' requires an argument");

	/* only the loaded plugins' flags exist */
	ck_assert_int_eq(PARSE_X(plugin_flags, 1, "--cri-runtime-address", "x"),
			 -EINVAL);
	ck_assert_str_eq(err, "--cri-runtime-address: not supported yet");
	ck_assert_int_eq(PARSE_X(plugin_flags, 1, "--pcapng-comment", "x"),
			 -EINVAL);
	ck_assert_str_eq(err, "unrecognized option '--pcapng-comment'");
}
END_TEST

START_TEST(test_help_stops)
{
	/* tcpdump prints its usage at -h and reads no further */
	ck_parse_ok(PARSE("-h", "-c", "0", "--pid", "1"));
	ck_assert_int_eq(cli.help, 1);
	ck_parse_ok(PARSE("--version", "-c", "0"));
	ck_assert_int_eq(cli.version, 1);
	/* -D does not stop */
	ck_assert_int_eq(PARSE("-D", "-c", "0"), -EINVAL);
}
END_TEST

START_TEST(test_parse_twice)
{
	ck_parse_ok(PARSE("-c", "5", "-i", "a", "tcp"));
	ck_assert_uint_eq(cli.max_packets, 5);
	ck_assert_int_eq(PARSE("-c", "0"), -EINVAL);
	ck_parse_ok(PARSE("-nv", "udp"));
	ck_assert_uint_eq(cli.max_packets, 0);
	ck_assert_uint_eq(cli.n_ifaces, 0);
	ck_assert_int_eq(cli.opts.numeric, 1);
	ck_assert_str_eq(cli.expression, "udp");
	/* a parse in the middle of a bundle restarts cleanly */
	ck_assert_int_eq(PARSE("-nkv"), -EINVAL);
	ck_parse_ok(PARSE("-vv"));
	ck_assert_int_eq(cli.opts.verbose, 2);
	ck_assert_int_eq(cli.opts.numeric, 0);
}
END_TEST

START_TEST(test_error_buffer)
{
	char small[8];
	char *argv[] = { (char *)"ptcpdump", (char *)"-c", (char *)"0", NULL };
	struct ptd_cli c2;

	ck_assert_int_eq(ptd_cli_parse(&c2, 3, argv, NULL, 0, small, sizeof(small)),
			 -EINVAL);
	ck_assert_str_eq(small, "invalid");
	ck_assert_int_eq(ptd_cli_parse(&c2, 3, argv, NULL, 0, NULL, 0), -EINVAL);
	ptd_cli_free(&c2);
	ptd_cli_free(NULL);
}
END_TEST

START_TEST(test_prescan)
{
	char *argv[] = {
		(char *)"ptcpdump", (char *)"--config-dir", (char *)"/a",
		(char *)"-w", (char *)"--plugin-dir", (char *)"--plugin-dir=/b",
		(char *)"--docker-address", (char *)"/x", (char *)"--whatever",
		(char *)"--log-level", (char *)"debug", (char *)"-c", (char *)"0",
		(char *)"--", (char *)"--config-dir", (char *)"/z", NULL,
	};
	const char *config = NULL, *plugins = NULL;
	enum ptd_log_level level = PTD_LOG_WARN;

	ptd_cli_prescan(16, argv, &config, &plugins, &level);
	ck_assert_str_eq(config, "/a");
	ck_assert_str_eq(plugins, "/b");
	ck_assert_int_eq(level, PTD_LOG_DEBUG);
}
END_TEST

START_TEST(test_prescan_forms)
{
	char *argv[] = {
		(char *)"ptcpdump", (char *)"--config=/c", (char *)"--plugin-d",
		(char *)"/p", (char *)"--log-level=bogus", NULL,
	};
	char *argv2[] = {
		(char *)"ptcpdump", (char *)"--log-level=fatal", (char *)"--log-level",
		NULL,
	};
	const char *config = NULL, *plugins = NULL;
	enum ptd_log_level level = PTD_LOG_INFO;

	ptd_cli_prescan(5, argv, &config, &plugins, &level);
	ck_assert_str_eq(config, "/c");
	ck_assert_str_eq(plugins, "/p");
	ck_assert_int_eq(level, PTD_LOG_INFO);
	ptd_cli_prescan(3, argv2, NULL, NULL, &level);
	ck_assert_int_eq(level, PTD_LOG_ERROR);

	/* and the full parse still works afterwards */
	ck_parse_ok(PARSE("-c", "2"));
	ck_assert_uint_eq(cli.max_packets, 2);
}
END_TEST

static char *usage_text(const struct ptd_cli_plugin_flag *extra, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	ptd_cli_usage(fp, extra, n);
	fclose(fp);
	return buf;
}

static bool has_line(const char *text, const char *start, const char *end)
{
	const char *p = text;

	while ((p = strstr(p, start)) != NULL) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);

		if (len >= strlen(end) &&
		    !strncmp(p + len - strlen(end), end, strlen(end)))
			return true;
		p += strlen(start);
	}
	return false;
}

START_TEST(test_usage)
{
	char *text = usage_text(NULL, 0);

	ck_assert_msg(!strncmp(text, "Usage: ptcpdump [-AdDefhKlnOpqStUvxX#] [ -B buffer_size ] [ -c count ]", 70),
		      "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "[ expression ]"));
	ck_assert(has_line(text, "  -c, --receive-count count ", "Exit after receiving count packets"));
	ck_assert(has_line(text, "  -G rotate_seconds ", "seconds"));
	ck_assert(has_line(text, "      --count ", "capture files"));
	ck_assert(has_line(text, "      --pid pid ", "Filter by process IDs (repeatable, or comma separated)"));
	ck_assert(has_line(text, "  -I, --monitor-mode ", "(not supported yet)"));
	ck_assert(has_line(text, "      --docker-address string ", "(not supported yet)"));
	ck_assert(has_line(text, "  -- command [args] ", "started by ptcpdump; stop when it exits"));
	ck_assert(has_line(text, "      --netns path ", "(not supported yet)"));
	ck_assert_ptr_null(strstr(text, "pcapng-comment"));
	free(text);

	text = usage_text(plugin_flags, N_PLUGIN_FLAGS);
	ck_assert(has_line(text, "      --docker-address string ", "Address of Docker Engine service"));
	ck_assert(has_line(text, "      --pcapng-comment string ", "Set printer.pcapng.comment"));
	ck_assert(has_line(text, "      --docker-debug ", "Set enricher.docker.debug"));
	ck_assert_ptr_nonnull(strstr(text, "[ --docker-address string ]"));
	free(text);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, NULL, teardown);
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
	tcase_add_test(tc, test_combined_flags);
	tcase_add_test(tc, test_long_abbreviations);
	tcase_add_test(tc, test_expression_words);
	tcase_add_test(tc, test_double_dash);
	tcase_add_test(tc, test_process_filters);
	tcase_add_test(tc, test_interfaces);
	tcase_add_test(tc, test_context);
	tcase_add_test(tc, test_expression_file);
	tcase_add_test(tc, test_expression_file_large);
	tcase_add_test(tc, test_plugin_flags);
	tcase_add_test(tc, test_help_stops);
	tcase_add_test(tc, test_parse_twice);
	tcase_add_test(tc, test_error_buffer);
	tcase_add_test(tc, test_prescan);
	tcase_add_test(tc, test_prescan_forms);
	tcase_add_test(tc, test_usage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cli_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
