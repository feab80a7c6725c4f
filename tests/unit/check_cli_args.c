/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command line parser on whole command lines: bundled flags, long
 * abbreviations, the expression words and "--", process filters,
 * interfaces, --context, -F, plugin flags, stopping at -h, parsing twice,
 * the prescan and the usage text (check_cli has the flag tables).  Every
 * error text is tcpdump 4.99.3's for the same arguments (with "tcpdump: "
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
	Suite *s = suite_create("cli-args");
	TCase *tc = cli_tcase("parse");

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
	return suite_run(cli_suite());
}
