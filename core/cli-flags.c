/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The flag table and its handlers: one entry per flag, tcpdump's and
 * ptcpdump's, each saying whether the capability behind it exists yet, and
 * the value parsers that check an argument the way tcpdump does.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cli-int.h"

#define CLI_OFF(field) offsetof(struct ptd_cli, field)

static int h_count(struct cli_state *, const struct cli_flag *, const char *);
static int h_true(struct cli_state *, const struct cli_flag *, const char *);
static int h_false(struct cli_state *, const struct cli_flag *, const char *);
static int h_string(struct cli_state *, const struct cli_flag *, const char *);
static int h_stop(struct cli_state *, const struct cli_flag *, const char *);
static int h_dump(struct cli_state *, const struct cli_flag *, const char *);
static int h_tstamp(struct cli_state *, const struct cli_flag *, const char *);
static int h_packets(struct cli_state *, const struct cli_flag *, const char *);
static int h_file_size(struct cli_state *, const struct cli_flag *, const char *);
static int h_file_count(struct cli_state *, const struct cli_flag *, const char *);
static int h_buffer_size(struct cli_state *, const struct cli_flag *, const char *);
static int h_rotate(struct cli_state *, const struct cli_flag *, const char *);
static int h_snaplen(struct cli_state *, const struct cli_flag *, const char *);
static int h_direction(struct cli_state *, const struct cli_flag *, const char *);
static int h_precision(struct cli_state *, const struct cli_flag *, const char *);
static int h_interface(struct cli_state *, const struct cli_flag *, const char *);
static int h_context(struct cli_state *, const struct cli_flag *, const char *);
static int h_pid(struct cli_state *, const struct cli_flag *, const char *);
static int h_uid(struct cli_state *, const struct cli_flag *, const char *);
static int h_pname(struct cli_state *, const struct cli_flag *, const char *);

#define YES(l, s, a, h, field, text) \
	{ l, s, a, CLI_YES, h, CLI_OFF(field), text }
#define NOT_YET(l, s, a, text) \
	{ l, s, a, CLI_NO, NULL, 0, text }
#define PLUGIN(l, text) \
	{ l, 0, "string", CLI_PLUGIN, cli_handle_plugin, 0, text }

/*
 * The one table.  To enable a flag once its capability exists, give it a
 * handler (and a field) and turn NOT_YET into YES.  The pseudo-entry with
 * neither name nor letter is "-- command [args]".
 */
const struct cli_flag cli_flags[] = {
	YES(NULL, 'a', NULL, cli_handle_noop, help,
	    "Ignored, as tcpdump ignores it"),
	YES("print-data-in-ascii", 'A', NULL, h_true, opts.ascii,
	    "Print each packet (minus its link level header) in ASCII"),
	NOT_YET(NULL, 'b', NULL,
		"Print the AS number in BGP packets in ASDOT notation"),
	YES("buffer-size", 'B', "buffer_size", h_buffer_size, opts.buffer_size,
	    "Set the operating system capture buffer size, in KiB"),
	YES("receive-count", 'c', "count", h_packets, max_packets,
	    "Exit after receiving count packets"),
	YES("file-size", 'C', "file_size", h_file_size, opts.file_size,
	    "Rotate the -w file when larger than file_size (millions of bytes, or with a k/kb, m/mb, g/gb suffix)"),
	YES(NULL, 'd', NULL, h_dump, dump_filter,
	    "Dump the compiled packet-matching code and stop (-dd: as C, -ddd: as decimal)"),
	YES("list-interfaces", 'D', NULL, h_true, list_interfaces,
	    "Print the list of the network interfaces available on the system"),
	YES(NULL, 'e', NULL, h_true, opts.link_header,
	    "Print the link-level header on each dump line"),
	NOT_YET(NULL, 'E', "spi@ipaddr algo:secret",
		"Decrypt IPsec ESP packets with this secret"),
	YES("follow-forks", 'f', NULL, h_true, opts.follow_forks,
	    "Trace child processes as they are created by currently traced processes when filter by process"),
	YES("expression-file", 'F', "file", h_string, expression_file,
	    "Use file as input for the filter expression. An additional expression given on the command line is ignored"),
	YES(NULL, 'G', "rotate_seconds", h_rotate, opts.rotate_seconds,
	    "Rotate the -w file every rotate_seconds seconds"),
	YES("help", 'h', NULL, h_stop, help,
	    "Print the usage message and exit"),
	NOT_YET(NULL, 'H', NULL,
		"Attempt to detect 802.11s draft mesh headers"),
	YES("interface", 'i', "interface", h_interface, ifaces,
	    "Interfaces to capture, repeatable or comma separated"),
	NOT_YET("monitor-mode", 'I', NULL,
		"Put the interface in monitor mode"),
	NOT_YET("time-stamp-type", 'j', "tstamp_type",
		"Set the time stamp type for the capture"),
	NOT_YET("list-time-stamp-types", 'J', NULL,
		"List the supported time stamp types for the interface and exit"),
	YES("dont-verify-checksums", 'K', NULL, h_true, opts.no_verify_checksums,
	    "Don't attempt to verify IP, TCP, or UDP checksums"),
	YES(NULL, 'l', NULL, h_true, opts.line_buffered,
	    "Make stdout line buffered"),
	NOT_YET("list-data-link-types", 'L', NULL,
		"List the known data link types for the interface and exit"),
	NOT_YET(NULL, 'm', "module",
		"Load SMI MIB module definitions from file module"),
	NOT_YET(NULL, 'M', "secret",
		"Shared secret for validating TCP-MD5 digests"),
	YES("no-convert-addr", 'n', NULL, h_count, opts.numeric,
	    "Don't convert addresses (i.e., host addresses, port numbers, etc.) to names"),
	NOT_YET(NULL, 'N', NULL,
		"Don't print domain name qualification of host names"),
	YES("no-optimize", 'O', NULL, h_true, no_optimize,
	    "Do not run the packet-matching code optimizer"),
	YES("no-promiscuous-mode", 'p', NULL, h_true, opts.no_promisc,
	    "Don't put the interface into promiscuous mode"),
	YES("quiet", 'q', NULL, h_true, opts.quiet,
	    "Quiet output. Print less protocol information so output lines are shorter"),
	YES("direction", 'Q', "in|out|inout", h_direction, opts.direction,
	    "Choose send/receive direction for which packets should be captured"),
	YES("read-file", 'r', "file", h_string, opts.read_file,
	    "Read packets from file (which was created with the -w option)"),
	YES("snapshot-length", 's', "snaplen", h_snaplen, opts.snaplen,
	    "Snarf snaplen bytes of data from each packet rather than the default of 262144 bytes"),
	YES("absolute-tcp-sequence-numbers", 'S', NULL, h_true, opts.absolute_seq,
	    "Print absolute, rather than relative, TCP sequence numbers"),
	YES("print-timestamp", 't', NULL, h_tstamp, opts.tstamp,
	    "-t: no time stamp, -tt: seconds since the epoch, -ttt: delta, -tttt: date, -ttttt: delta since the first packet"),
	NOT_YET(NULL, 'T', "type",
		"Force packets selected by the expression to be interpreted as type"),
	NOT_YET(NULL, 'u', NULL,
		"Print undecoded NFS handles"),
	YES("packet-buffered", 'U', NULL, h_true, opts.packet_buffered,
	    "Make the output packet-buffered"),
	YES("verbose", 'v', NULL, h_count, opts.verbose,
	    "When parsing and printing, produce (slightly more) verbose output"),
	NOT_YET(NULL, 'V', "file",
		"Read a list of filenames from file"),
	YES("write-file", 'w', "file", h_string, opts.write_file,
	    "Write the raw packets to file rather than parsing and printing them out ('-' is standard output)"),
	YES("file-count", 'W', "filecount", h_file_count, opts.file_count,
	    "Limit the number of files created with -C or -G"),
	YES("print-data-in-hex", 'x', NULL, h_count, opts.hex,
	    "Print the data of each packet in hex (-xx: with its link level header)"),
	YES("print-data-in-hex-ascii", 'X', NULL, h_count, opts.hex_ascii,
	    "Print the data of each packet in hex and ASCII (-XX: with its link level header)"),
	NOT_YET("linktype", 'y', "datalinktype",
		"Set the data link type to use while capturing packets"),
	YES(NULL, 'z', "postrotate-command", h_string, opts.postrotate_cmd,
	    "Run \"postrotate-command file\" after each rotation"),
	YES("relinquish-privileges", 'Z', "user", h_string, relinquish_user,
	    "Drop privileges to user after opening the capture"),
	YES("number", '#', NULL, h_true, opts.print_number,
	    "Print an optional packet number at the beginning of the line"),

	YES("backend", 0, "name", h_string, backend,
	    "Backend capturing the packets (a backend plugin's name)"),
	YES("config-dir", 0, "dir", h_string, config_dir,
	    "Read the plugins' configuration from dir"),
	YES("context", 0, "list", h_context, opts.context,
	    "Context to print: process,thread,parentproc,user,container,pod (repeatable, default all)"),
	YES("count", 0, NULL, h_true, count_only,
	    "Print only the packet count when reading capture files"),
	YES("immediate-mode", 0, NULL, h_true, opts.immediate,
	    "Deliver packets as soon as they arrive"),
	YES("log-level", 0, "level", cli_handle_log_level, log_level,
	    "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")"),
	YES("micro", 0, NULL, h_false, opts.nano,
	    "Shorthand for --time-stamp-precision=micro"),
	YES("nano", 0, NULL, h_true, opts.nano,
	    "Shorthand for --time-stamp-precision=nano"),
	YES("oneline", 0, NULL, h_true, opts.oneline,
	    "Print parsed packet output in a single line"),
	YES("plugin-dir", 0, "dir", h_string, plugin_dir,
	    "Load the plugins from dir"),
	YES("print", 0, NULL, h_true, opts.print,
	    "Print parsed packet output, even if the raw packets are being saved to a file with -w"),
	YES("time-stamp-precision", 0, "micro|nano", h_precision, opts.nano,
	    "Set the time stamp precision"),
	YES("version", 0, NULL, h_stop, version,
	    "Print the version strings and exit"),

	NOT_YET("container-id", 0, "id",
		"Filter by container id"),
	NOT_YET("container-name", 0, "name",
		"Filter by container name"),
	NOT_YET("delay-before-handle-packet-events", 0, "duration",
		"Delay some durations before handle packet events"),
	NOT_YET("embed-keylog-to-pcapng", 0, NULL,
		"Embed the TLS key log into the pcapng file (with -- command)"),
	NOT_YET("event-chan-size", 0, "uint",
		"Size of event chan"),
	NOT_YET("exec-events-worker-number", 0, "uint",
		"Number of worker to handle exec events"),
	NOT_YET("kernel-btf", 0, "file",
		"Specify the kernel BTF file"),
	NOT_YET("netns", 0, "path",
		"Path to a network namespace file or name (repeatable)"),
	YES("pid", 0, "pid", h_pid, pids,
	    "Filter by process IDs (repeatable, or comma separated)"),
	YES("pname", 0, "name", h_pname, opts.pname,
	    "Filter by process name (the kernel's comm: at most 15 characters)"),
	NOT_YET("pod-name", 0, "name.namespace",
		"Filter by pod name"),
	YES("uid", 0, "uid", h_uid, uids,
	    "Filter by user IDs (repeatable, or comma separated)"),
	NOT_YET("write-keylog-file", 0, "file",
		"Write the TLS key log to this path (with -- command)"),

	PLUGIN("containerd-address", "Address of containerd service"),
	PLUGIN("cri-runtime-address", "Address of CRI container runtime service"),
	PLUGIN("docker-address", "Address of Docker Engine service"),

	YES(NULL, 0, "command [args]", cli_handle_noop, command,
	    "Capture the traffic of this command and its children only, started by ptcpdump; stop when it exits"),
};

const size_t cli_n_flags = sizeof(cli_flags) / sizeof(cli_flags[0]);

bool cli_flag_is_command(const struct cli_flag *f)
{
	return !f->name && !f->short_opt;
}

const struct cli_flag *cli_command_flag(void)
{
	size_t i;

	for (i = 0; i < cli_n_flags; i++)
		if (cli_flag_is_command(&cli_flags[i]))
			return &cli_flags[i];
	return NULL;
}

/* How a flag is named in messages: the way it was typed. */
void cli_flag_label(const struct cli_flag *f, bool long_form, char *buf,
		    size_t len)
{
	if (cli_flag_is_command(f))
		snprintf(buf, len, "-- command");
	else if (long_form && f->name)
		snprintf(buf, len, "--%s", f->name);
	else
		snprintf(buf, len, "-%c", f->short_opt);
}

const struct ptd_cli_plugin_flag *
cli_find_extra(const struct ptd_cli_plugin_flag *extra, size_t n_extra,
	       const char *name)
{
	size_t i;

	for (i = 0; i < n_extra; i++)
		if (extra[i].flag && !strcmp(extra[i].flag, name))
			return &extra[i];
	return NULL;
}

const struct cli_flag *cli_builtin_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < cli_n_flags; i++)
		if (cli_flags[i].name && !strcmp(cli_flags[i].name, name))
			return &cli_flags[i];
	return NULL;
}

static void *field(struct cli_state *st, const struct cli_flag *f)
{
	return (char *)st->cli + f->off;
}

/* ------------------------------------------------------------------------ */
/* Value parsers: tcpdump's rules, tcpdump's words.                          */

/*
 * tcpdump reads -c, -W and -G with atoi(): leading blanks, a sign and
 * trailing junk are accepted, "abc" is 0.  Values outside int are refused
 * here rather than wrapped around.
 */
static bool atoi_value(const char *s, long *v)
{
	errno = 0;
	*v = strtol(s, NULL, 10);
	return errno != ERANGE && *v >= INT_MIN && *v <= INT_MAX;
}

static int h_packets(struct cli_state *st, const struct cli_flag *f,
		     const char *arg)
{
	long v;

	if (!atoi_value(arg, &v) || v <= 0)
		return cli_fail(st, "invalid packet count %s", arg);
	st->cli->max_packets = (uint64_t)v;
	return 0;
}

static int h_file_count(struct cli_state *st, const struct cli_flag *f,
			const char *arg)
{
	long v;

	if (!atoi_value(arg, &v) || v <= 0)
		return cli_fail(st, "invalid number of output files %s", arg);
	st->cli->opts.file_count = (uint32_t)v;
	return 0;
}

/* tcpdump multiplies atoi()'s KiB by 1024 in an int: what does not fit
 * is refused here rather than wrapped around. */
static int h_buffer_size(struct cli_state *st, const struct cli_flag *f,
			 const char *arg)
{
	long v;

	if (!atoi_value(arg, &v) || v <= 0 || v > INT_MAX / 1024)
		return cli_fail(st, "invalid packet buffer size %s", arg);
	st->cli->opts.buffer_size = (uint64_t)v * 1024;
	return 0;
}

static int h_rotate(struct cli_state *st, const struct cli_flag *f,
		    const char *arg)
{
	long v;

	if (!atoi_value(arg, &v) || v < 0)
		return cli_fail(st, "invalid number of seconds %s", arg);
	st->cli->opts.rotate_seconds = (uint32_t)v;
	return 0;
}

static int h_snaplen(struct cli_state *st, const struct cli_flag *f,
		     const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (end == arg || *end || errno == ERANGE || v < 0 ||
	    v > CLI_MAX_SNAPLEN)
		return cli_fail(st, "invalid snaplen %s (must be >= 0 and <= %d)",
				arg, CLI_MAX_SNAPLEN);
	/* 0 has meant "the default" since tcpdump 4.0. */
	st->cli->opts.snaplen = v ? (uint32_t)v : CLI_MAX_SNAPLEN;
	return 0;
}

/* A plain number counts millions of bytes, as in tcpdump; ptcpdump also
 * takes a binary unit ("100MB", "10kb", "1G"). */
static long size_unit(const char *suffix)
{
	static const struct { const char *s; long mult; } units[] = {
		{ "", 1000000L },
		{ "k", 1L << 10 }, { "kb", 1L << 10 },
		{ "m", 1L << 20 }, { "mb", 1L << 20 },
		{ "g", 1L << 30 }, { "gb", 1L << 30 },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcasecmp(suffix, units[i].s))
			return units[i].mult;
	return 0;
}

static int h_file_size(struct cli_state *st, const struct cli_flag *f,
		       const char *arg)
{
	char *end;
	long v, mult;

	errno = 0;
	v = strtol(arg, &end, 10);
	mult = end == arg ? 0 : size_unit(end);
	if (!mult || errno == ERANGE || v <= 0)
		return cli_fail(st, "invalid file size %s", arg);
	if (v > LONG_MAX / mult)
		return cli_fail(st, "file size %s is too large", arg);
	st->cli->opts.file_size = (uint64_t)v * (uint64_t)mult;
	return 0;
}

static int h_direction(struct cli_state *st, const struct cli_flag *f,
		       const char *arg)
{
	enum ptd_capture_dir *dir = field(st, f);

	if (!strcasecmp(arg, "in"))
		*dir = PTD_Q_IN;
	else if (!strcasecmp(arg, "out"))
		*dir = PTD_Q_OUT;
	else if (!strcasecmp(arg, "inout"))
		*dir = PTD_Q_INOUT;
	else
		return cli_fail(st, "unknown capture direction `%s'", arg);
	return 0;
}

static int h_precision(struct cli_state *st, const struct cli_flag *f,
		       const char *arg)
{
	if (!strcmp(arg, "micro"))
		st->cli->opts.nano = 0;
	else if (!strcmp(arg, "nano"))
		st->cli->opts.nano = 1;
	else
		return cli_fail(st, "unsupported time stamp precision");
	return 0;
}

int cli_handle_log_level(struct cli_state *st, const struct cli_flag *f,
			 const char *arg)
{
	static const struct { const char *name; enum ptd_log_level level; } lv[] = {
		{ "debug", PTD_LOG_DEBUG }, { "info", PTD_LOG_INFO },
		{ "warn", PTD_LOG_WARN }, { "error", PTD_LOG_ERROR },
		/* fatal-only logging does not exist here: errors are fatal. */
		{ "fatal", PTD_LOG_ERROR },
	};
	size_t i;

	for (i = 0; i < sizeof(lv) / sizeof(lv[0]); i++) {
		if (!strcasecmp(arg, lv[i].name)) {
			st->cli->log_level = lv[i].level;
			return 0;
		}
	}
	return cli_fail(st, "unknown log level `%s'", arg);
}

/* ------------------------------------------------------------------------ */
/* Generic handlers                                                         */

static int h_count(struct cli_state *st, const struct cli_flag *f,
		   const char *arg)
{
	(*(int *)field(st, f))++;
	return 0;
}

static int h_true(struct cli_state *st, const struct cli_flag *f,
		  const char *arg)
{
	*(int *)field(st, f) = 1;
	return 0;
}

static int h_false(struct cli_state *st, const struct cli_flag *f,
		   const char *arg)
{
	*(int *)field(st, f) = 0;
	return 0;
}

static int h_string(struct cli_state *st, const struct cli_flag *f,
		    const char *arg)
{
	*(const char **)field(st, f) = arg;
	return 0;
}

int cli_handle_noop(struct cli_state *st, const struct cli_flag *f,
		    const char *arg)
{
	return 0;
}

/* -h and --version act at once, as in tcpdump: later flags are not read. */
static int h_stop(struct cli_state *st, const struct cli_flag *f,
		  const char *arg)
{
	*(int *)field(st, f) = 1;
	st->stop = true;
	return 0;
}

static int h_dump(struct cli_state *st, const struct cli_flag *f,
		  const char *arg)
{
	/* -dddd prints what -ddd prints */
	if (st->cli->dump_filter < 3)
		st->cli->dump_filter++;
	return 0;
}

static int h_tstamp(struct cli_state *st, const struct cli_flag *f,
		    const char *arg)
{
	st->t_count++;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* List-valued flags                                                        */

int cli_push_string(char ***vec, size_t *n, const char *s, size_t len)
{
	char **grown = realloc(*vec, (*n + 2) * sizeof(**vec));

	if (!grown)
		return -ENOMEM;
	*vec = grown;
	grown[*n] = strndup(s, len);
	if (!grown[*n])
		return -ENOMEM;
	grown[++*n] = NULL;
	return 0;
}

/* -i is repeatable, and like ptcpdump's string lists also splits on ','. */
static int h_interface(struct cli_state *st, const struct cli_flag *f,
		       const char *arg)
{
	struct ptd_cli *cli = st->cli;
	const char *p = arg;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (cli_push_string(&cli->ifaces, &cli->n_ifaces, p, len))
			return cli_nomem(st);
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static const char *const context_names[] = {
	"process", "thread", "parentproc", "user", "container", "pod",
};

/* The first --context replaces the default; the next ones add to it. */
static int h_context(struct cli_state *st, const struct cli_flag *f,
		     const char *arg)
{
	uint32_t *ctx = &st->cli->opts.context;
	const char *p = arg;
	char word[64];
	size_t i, len;

	if (!st->context_given)
		*ctx = 0;
	st->context_given = true;
	for (; *p; p += len + (p[len] == ',')) {
		len = strcspn(p, ",");
		if (!len)
			continue;
		for (i = 0; i < sizeof(context_names) / sizeof(*context_names); i++)
			if (strlen(context_names[i]) == len &&
			    !strncmp(p, context_names[i], len))
				break;
		if (i == sizeof(context_names) / sizeof(*context_names)) {
			snprintf(word, sizeof(word), "%.*s", (int)len, p);
			return cli_fail(st, "unknown context `%s' (choose from process, thread, parentproc, user, container, pod)",
					word);
		}
		*ctx |= 1u << i;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Process filters                                                          */

/*
 * One decimal id of a --pid or --uid list: digits only (no sign, no
 * blanks), at most max.  As upstream, a list may be comma separated.
 */
static int push_ids(struct cli_state *st, const char *flag, const char *what,
		    const char *arg, uint32_t min, uint32_t max,
		    uint32_t **vec, size_t *n)
{
	const char *p = arg;
	char word[32];

	for (;;) {
		size_t len = strcspn(p, ",");
		unsigned long long v = 0;
		uint32_t *grown;
		size_t i;

		for (i = 0; i < len && p[i] >= '0' && p[i] <= '9'; i++)
			if (v <= max)
				v = v * 10 + (unsigned long long)(p[i] - '0');
		if (!len || i < len || v < min || v > max) {
			snprintf(word, sizeof(word), "%.*s", (int)(len < 20 ? len : 20), p);
			return cli_fail(st, "%s: invalid %s `%s%s' (a number from %u to %u)",
					flag, what, word, len > 20 ? "..." : "",
					min, max);
		}
		grown = realloc(*vec, (*n + 1) * sizeof(**vec));
		if (!grown)
			return cli_nomem(st);
		*vec = grown;
		grown[(*n)++] = (uint32_t)v;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* The kernel's pid_max is at most 4194304 (PID_MAX_LIMIT). */
static int h_pid(struct cli_state *st, const struct cli_flag *f,
		 const char *arg)
{
	return push_ids(st, "--pid", "process id", arg, 1, 4194304,
			&st->cli->pids, &st->cli->n_pids);
}

/* (uid_t)-1 means "no change" to the kernel, never a user. */
static int h_uid(struct cli_state *st, const struct cli_flag *f,
		 const char *arg)
{
	return push_ids(st, "--uid", "user id", arg, 0, UINT32_MAX - 1,
			&st->cli->uids, &st->cli->n_uids);
}

/* The kernel keeps 15 bytes of a process name (TASK_COMM_LEN - 1): a
 * longer --pname could never match, so it is refused. */
static int h_pname(struct cli_state *st, const struct cli_flag *f,
		   const char *arg)
{
	if (!arg[0])
		return cli_fail(st, "--pname: the process name is empty");
	if (strlen(arg) > 15)
		return cli_fail(st, "--pname: `%s' is longer than the 15 characters the kernel keeps of a process name",
				arg);
	st->cli->opts.pname = arg;
	return 0;
}

/* A plugin's flag: recorded as section.key = value for the plugin loader. */
int cli_handle_plugin(struct cli_state *st, const struct cli_flag *f,
		      const char *arg)
{
	const struct ptd_cli_plugin_flag *pf;
	struct ptd_cli *cli = st->cli;
	struct ptd_cli_setting *grown, *s;
	char *flag, *value;

	pf = cli_find_extra(st->extra, st->n_extra, f->name);
	if (!pf)
		return cli_fail(st, "--%s: not supported yet", f->name);
	grown = realloc(cli->settings, (cli->n_settings + 1) * sizeof(*grown));
	if (!grown)
		return cli_nomem(st);
	cli->settings = grown;
	flag = malloc(strlen(f->name) + 3);
	value = strdup(arg ? arg : "true");
	if (!flag || !value) {
		free(flag);
		free(value);
		return cli_nomem(st);
	}
	sprintf(flag, "--%s", f->name);
	s = &cli->settings[cli->n_settings++];
	s->section = pf->section;
	s->key = pf->key;
	s->value = value;
	s->flag = flag;
	return 0;
}
