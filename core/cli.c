/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Command line parsing.  tcpdump 4.99 is the reference for every flag the two
 * programs share: the same letters, the same counted and combined forms, the
 * same validation and the same error texts.  ptcpdump's own flags come on
 * top, and "--" hands the rest of the line to a command.
 *
 * Every flag lives in one table, cli_flags[], which also says whether the
 * capability behind it exists yet: a flag we cannot honour is refused by name
 * ("--pid: not supported yet"), never silently ignored.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cli.h"

#define CLI_MAX_SNAPLEN 262144
/* getopt values of long options: above every possible short option, so a
 * returned value alone says which form the user typed. */
#define CLI_LONG_BASE 256
#define CLI_HELP_COLUMN 42

struct cli_state;
struct cli_flag;

typedef int (*cli_handler)(struct cli_state *st, const struct cli_flag *f,
			   const char *arg);

enum cli_support {
	CLI_NO = 0,     /* known, refused until the capability lands */
	CLI_YES,        /* parsed and stored */
	CLI_PLUGIN,     /* accepted only while a loaded plugin declares it */
};

struct cli_flag {
	const char *name;          /* long name without "--", NULL: short only */
	int short_opt;             /* 0: long only */
	const char *arg;           /* argument name for --help, NULL: none */
	enum cli_support support;
	cli_handler handle;        /* NULL only when support is CLI_NO */
	size_t off;                /* the field generic handlers write */
	const char *help;
};

struct cli_state {
	struct ptd_cli *cli;
	const struct ptd_cli_plugin_flag *extra;
	size_t n_extra;
	char *err;
	size_t errlen;

	const struct cli_flag **flags;  /* index = getopt value - CLI_LONG_BASE */
	size_t n_flags;
	struct cli_flag *extra_flags;   /* plugin flags the table lacks */
	struct option *longopts;
	char shortopts[128];

	const char **words;             /* expression words, borrowed from argv */
	size_t n_words;
	int t_count;
	bool context_given;
	bool stop;                      /* -h or --version: tcpdump exits there */
};

#define CLI_OFF(field) offsetof(struct ptd_cli, field)

static int h_count(struct cli_state *, const struct cli_flag *, const char *);
static int h_true(struct cli_state *, const struct cli_flag *, const char *);
static int h_false(struct cli_state *, const struct cli_flag *, const char *);
static int h_string(struct cli_state *, const struct cli_flag *, const char *);
static int h_noop(struct cli_state *, const struct cli_flag *, const char *);
static int h_stop(struct cli_state *, const struct cli_flag *, const char *);
static int h_dump(struct cli_state *, const struct cli_flag *, const char *);
static int h_tstamp(struct cli_state *, const struct cli_flag *, const char *);
static int h_packets(struct cli_state *, const struct cli_flag *, const char *);
static int h_file_size(struct cli_state *, const struct cli_flag *, const char *);
static int h_file_count(struct cli_state *, const struct cli_flag *, const char *);
static int h_rotate(struct cli_state *, const struct cli_flag *, const char *);
static int h_snaplen(struct cli_state *, const struct cli_flag *, const char *);
static int h_direction(struct cli_state *, const struct cli_flag *, const char *);
static int h_precision(struct cli_state *, const struct cli_flag *, const char *);
static int h_interface(struct cli_state *, const struct cli_flag *, const char *);
static int h_context(struct cli_state *, const struct cli_flag *, const char *);
static int h_log_level(struct cli_state *, const struct cli_flag *, const char *);
static int h_plugin(struct cli_state *, const struct cli_flag *, const char *);

#define YES(l, s, a, h, field, text) \
	{ l, s, a, CLI_YES, h, CLI_OFF(field), text }
#define NOT_YET(l, s, a, text) \
	{ l, s, a, CLI_NO, NULL, 0, text }
#define PLUGIN(l, text) \
	{ l, 0, "string", CLI_PLUGIN, h_plugin, 0, text }

/*
 * The one table.  To enable a flag once its capability exists, give it a
 * handler (and a field) and turn NOT_YET into YES.  The pseudo-entry with
 * neither name nor letter is "-- command [args]".
 */
static const struct cli_flag cli_flags[] = {
	YES(NULL, 'a', NULL, h_noop, help,
	    "Ignored, as tcpdump ignores it"),
	YES("print-data-in-ascii", 'A', NULL, h_true, opts.ascii,
	    "Print each packet (minus its link level header) in ASCII"),
	NOT_YET(NULL, 'b', NULL,
		"Print the AS number in BGP packets in ASDOT notation"),
	NOT_YET("buffer-size", 'B', "buffer_size",
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
	NOT_YET("follow-forks", 'f', NULL,
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
	YES("log-level", 0, "level", h_log_level, log_level,
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
	NOT_YET("pid", 0, "pid",
		"Filter by process IDs (repeatable)"),
	NOT_YET("pname", 0, "name",
		"Filter by process name"),
	NOT_YET("pod-name", 0, "name.namespace",
		"Filter by pod name"),
	NOT_YET("uid", 0, "uid",
		"Filter by user IDs (repeatable)"),
	NOT_YET("write-keylog-file", 0, "file",
		"Write the TLS key log to this path (with -- command)"),

	PLUGIN("containerd-address", "Address of containerd service"),
	PLUGIN("cri-runtime-address", "Address of CRI container runtime service"),
	PLUGIN("docker-address", "Address of Docker Engine service"),

	NOT_YET(NULL, 0, "command [args]",
		"Capture the traffic of this command, started by ptcpdump"),
};

#define N_CLI_FLAGS (sizeof(cli_flags) / sizeof(cli_flags[0]))

static int cli_fail(struct cli_state *st, const char *fmt, ...)
	PTD_PRINTF(2, 3);

static int cli_fail(struct cli_state *st, const char *fmt, ...)
{
	va_list ap;

	if (st->err && st->errlen) {
		va_start(ap, fmt);
		vsnprintf(st->err, st->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int cli_nomem(struct cli_state *st)
{
	if (st->err && st->errlen)
		snprintf(st->err, st->errlen, "out of memory");
	return -ENOMEM;
}

static bool flag_is_command(const struct cli_flag *f)
{
	return !f->name && !f->short_opt;
}

static const struct cli_flag *command_flag(void)
{
	size_t i;

	for (i = 0; i < N_CLI_FLAGS; i++)
		if (flag_is_command(&cli_flags[i]))
			return &cli_flags[i];
	return NULL;
}

/* How a flag is named in messages: the way it was typed. */
static void flag_label(const struct cli_flag *f, bool long_form, char *buf,
		       size_t len)
{
	if (flag_is_command(f))
		snprintf(buf, len, "-- command");
	else if (long_form && f->name)
		snprintf(buf, len, "--%s", f->name);
	else
		snprintf(buf, len, "-%c", f->short_opt);
}

static const struct ptd_cli_plugin_flag *
find_extra(const struct ptd_cli_plugin_flag *extra, size_t n_extra,
	   const char *name)
{
	size_t i;

	for (i = 0; i < n_extra; i++)
		if (extra[i].flag && !strcmp(extra[i].flag, name))
			return &extra[i];
	return NULL;
}

static const struct cli_flag *builtin_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < N_CLI_FLAGS; i++)
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

static int h_log_level(struct cli_state *st, const struct cli_flag *f,
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

static int h_noop(struct cli_state *st, const struct cli_flag *f,
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

static int push_string(char ***vec, size_t *n, const char *s, size_t len)
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

		if (push_string(&cli->ifaces, &cli->n_ifaces, p, len))
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

/* A plugin's flag: recorded as section.key = value for the plugin loader. */
static int h_plugin(struct cli_state *st, const struct cli_flag *f,
		    const char *arg)
{
	const struct ptd_cli_plugin_flag *pf;
	struct ptd_cli *cli = st->cli;
	struct ptd_cli_setting *grown, *s;
	char *flag, *value;

	pf = find_extra(st->extra, st->n_extra, f->name);
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

/* ------------------------------------------------------------------------ */
/* The getopt tables, built per parse because plugins add flags.            */

static int plugin_has_arg(const struct ptd_cli_plugin_flag *extra,
			  size_t n_extra, const char *name)
{
	const struct ptd_cli_plugin_flag *pf = find_extra(extra, n_extra, name);

	return pf && pf->is_bool ? no_argument : required_argument;
}

static int add_long(struct cli_state *st, const struct cli_flag *f)
{
	struct option *o = &st->longopts[st->n_flags];

	o->name = f->name;
	o->has_arg = f->arg ? required_argument : no_argument;
	if (f->support == CLI_PLUGIN)
		o->has_arg = plugin_has_arg(st->extra, st->n_extra, f->name);
	o->flag = NULL;
	o->val = CLI_LONG_BASE + (int)st->n_flags;
	st->flags[st->n_flags++] = f;
	return 0;
}

/* Plugin flags the table lacks become flags of their own. */
static void add_extra_flags(struct cli_state *st)
{
	size_t i, n = 0;

	for (i = 0; i < st->n_extra; i++) {
		const struct ptd_cli_plugin_flag *pf = &st->extra[i];
		struct cli_flag *f = &st->extra_flags[n];

		if (!pf->flag || !*pf->flag || builtin_by_name(pf->flag) ||
		    find_extra(st->extra, i, pf->flag))
			continue;
		f->name = pf->flag;
		f->short_opt = 0;
		f->arg = pf->is_bool ? NULL : "string";
		f->support = CLI_PLUGIN;
		f->handle = h_plugin;
		f->off = 0;
		f->help = NULL;
		n++;
		add_long(st, f);
	}
}

static int build_tables(struct cli_state *st)
{
	size_t i, max = N_CLI_FLAGS + st->n_extra;
	char *p = st->shortopts;

	st->flags = calloc(max, sizeof(*st->flags));
	st->longopts = calloc(max + 1, sizeof(*st->longopts));
	st->extra_flags = calloc(st->n_extra + 1, sizeof(*st->extra_flags));
	if (!st->flags || !st->longopts || !st->extra_flags)
		return cli_nomem(st);

	/* "-": words come back in order, so "--" keeps its place;
	 * ":": a missing argument is told apart from an unknown flag. */
	*p++ = '-';
	*p++ = ':';
	for (i = 0; i < N_CLI_FLAGS; i++) {
		const struct cli_flag *f = &cli_flags[i];

		if (f->name)
			add_long(st, f);
		if (f->short_opt) {
			*p++ = (char)f->short_opt;
			if (f->arg)
				*p++ = ':';
		}
	}
	*p = '\0';
	add_extra_flags(st);
	return 0;
}

static void free_tables(struct cli_state *st)
{
	free(st->flags);
	free(st->longopts);
	free(st->extra_flags);
	free(st->words);
}

/* ------------------------------------------------------------------------ */
/* getopt's complaints, in getopt's words (its own printing is off).        */

static int long_option_unknown(struct cli_state *st, const char *elem)
{
	const char *typed = elem + 2;
	size_t namelen = strcspn(typed, "="), i, used, n = 0;

	for (i = 0; st->longopts[i].name; i++)
		if (!strncmp(st->longopts[i].name, typed, namelen))
			n++;
	if (n < 2)
		return cli_fail(st, "unrecognized option '%s'", elem);

	cli_fail(st, "option '%s' is ambiguous; possibilities:", elem);
	used = st->err ? strlen(st->err) : 0;
	for (i = 0; st->longopts[i].name && used < st->errlen; i++) {
		if (strncmp(st->longopts[i].name, typed, namelen))
			continue;
		snprintf(st->err + used, st->errlen - used, " '--%s'",
			 st->longopts[i].name);
		used += strlen(st->err + used);
	}
	return -EINVAL;
}

static int getopt_failure(struct cli_state *st, int c, char **argv)
{
	int opt = optopt;

	if (opt > 0 && opt < CLI_LONG_BASE) {
		if (c == ':')
			return cli_fail(st, "option requires an argument -- '%c'", opt);
		return cli_fail(st, "invalid option -- '%c'", opt);
	}
	if (opt >= CLI_LONG_BASE) {
		const char *name = st->flags[opt - CLI_LONG_BASE]->name;

		if (c == ':')
			return cli_fail(st, "option '--%s' requires an argument", name);
		return cli_fail(st, "option '--%s' doesn't allow an argument", name);
	}
	/* Unknown or ambiguous: getopt has stepped past the element. */
	return long_option_unknown(st, argv[optind - 1]);
}

static const struct cli_flag *flag_for(struct cli_state *st, int c,
				       bool *long_form)
{
	size_t i;

	*long_form = c >= CLI_LONG_BASE;
	if (*long_form)
		return st->flags[c - CLI_LONG_BASE];
	for (i = 0; i < N_CLI_FLAGS; i++)
		if (cli_flags[i].short_opt == c)
			return &cli_flags[i];
	return NULL;
}

static int apply_flag(struct cli_state *st, const struct cli_flag *f,
		      bool long_form, const char *arg)
{
	char label[80];

	if (f->support == CLI_NO || !f->handle) {
		flag_label(f, long_form, label, sizeof(label));
		return cli_fail(st, "%s: not supported yet", label);
	}
	return f->handle(st, f, arg);
}

static int push_word(struct cli_state *st, const char *word)
{
	const char **grown = realloc(st->words,
				     (st->n_words + 1) * sizeof(*grown));

	if (!grown)
		return cli_nomem(st);
	st->words = grown;
	st->words[st->n_words++] = word;
	return 0;
}

/* Runs getopt over argv; *dash is set to the index after a "--" that ended
 * the options (not one that was an option's argument), or 0. */
static int run_getopt(struct cli_state *st, int argc, char **argv, int *dash)
{
	const struct cli_flag *f;
	bool long_form;
	int c, prev, ret;

	*dash = 0;
	optind = 0;     /* glibc: a full re-initialisation */
	opterr = 0;
	while (!st->stop) {
		prev = optind ? optind : 1;
		c = getopt_long(argc, argv, st->shortopts, st->longopts, NULL);
		if (c == -1) {
			if (prev < argc && !strcmp(argv[prev], "--"))
				*dash = prev + 1;
			return 0;
		}
		if (c == 1) {
			ret = push_word(st, optarg);
		} else if (c == '?' || c == ':') {
			ret = getopt_failure(st, c, argv);
		} else {
			f = flag_for(st, c, &long_form);
			ret = f ? apply_flag(st, f, long_form, optarg)
				: cli_fail(st, "invalid option -- '%c'", c);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* After the flags                                                          */

static char *join_words(const char *const *words, size_t n)
{
	size_t i, len = 1;
	char *s, *p;

	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	for (i = 0; i < n; i++) {
		if (i)
			*p++ = ' ';
		p = stpcpy(p, words[i]);
	}
	*p = '\0';
	return s;
}

/* -F: the whole file, with '#' comments blanked out to the end of their
 * line, as tcpdump does. */
static int read_expression_file(struct cli_state *st, const char *path)
{
	size_t len = 0, cap = 4096, n;
	char *buf = NULL, *grown, *p;
	FILE *fp;
	int ret = 0;

	fp = fopen(path, "r");
	if (!fp)
		return cli_fail(st, "can't open %s: %s", path, strerror(errno));
	do {
		grown = realloc(buf, cap + 1);
		if (!grown) {
			ret = cli_nomem(st);
			goto out;
		}
		buf = grown;
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		cap *= 2;
	} while (n && !ferror(fp));
	if (ferror(fp)) {
		ret = cli_fail(st, "read %s: %s", path, strerror(errno));
		goto out;
	}
	buf[len] = '\0';
	for (p = buf; (p = strchr(p, '#')) != NULL; )
		while (*p && *p != '\n')
			*p++ = ' ';
	st->cli->expression = buf;
	buf = NULL;
out:
	free(buf);
	fclose(fp);
	return ret;
}

static int take_command(struct cli_state *st, int argc, char **argv,
			int first)
{
	const struct cli_flag *f = command_flag();
	struct ptd_cli *cli = st->cli;
	size_t n = 0;
	int i;

	if (first >= argc)
		return 0;
	if (f->support == CLI_NO)
		return apply_flag(st, f, true, NULL);
	for (i = first; i < argc; i++)
		if (push_string(&cli->command, &n, argv[i], strlen(argv[i])))
			return cli_nomem(st);
	return 0;
}

static int finish(struct cli_state *st, int argc, char **argv, int dash)
{
	struct ptd_cli *cli = st->cli;
	int ret;

	if (st->t_count > PTD_TS_DELTA_FIRST)
		return cli_fail(st, "only -t, -tt, -ttt, -tttt and -ttttt are supported");
	cli->opts.tstamp = (enum ptd_tstamp_mode)st->t_count;

	if (dash) {
		ret = take_command(st, argc, argv, dash);
		if (ret)
			return ret;
	}
	/* As in tcpdump, -F wins and words on the command line are ignored. */
	if (cli->expression_file)
		return read_expression_file(st, cli->expression_file);
	if (st->n_words) {
		cli->expression = join_words(st->words, st->n_words);
		if (!cli->expression)
			return cli_nomem(st);
	}
	return 0;
}

static int cli_init(struct ptd_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->opts.size = sizeof(cli->opts);
	cli->opts.snaplen = CLI_MAX_SNAPLEN;
	cli->opts.context = PTD_CTX_ALL;
	cli->opts.direction = PTD_Q_INOUT;
	cli->opts.tstamp = PTD_TS_DEFAULT;
	cli->log_level = PTD_LOG_WARN;
	/* an empty interface list, never a NULL one */
	cli->ifaces = calloc(1, sizeof(*cli->ifaces));
	return cli->ifaces ? 0 : -ENOMEM;
}

int ptd_cli_parse(struct ptd_cli *cli, int argc, char **argv,
		  const struct ptd_cli_plugin_flag *extra, size_t n_extra,
		  char *err, size_t errlen)
{
	struct cli_state st = {
		.cli = cli, .extra = extra, .n_extra = extra ? n_extra : 0,
		.err = err, .errlen = errlen,
	};
	int dash = 0, ret;

	if (err && errlen)
		err[0] = '\0';
	if (cli_init(cli))
		return cli_nomem(&st);
	ret = build_tables(&st);
	if (!ret)
		ret = run_getopt(&st, argc, argv, &dash);
	if (!ret && !st.stop)
		ret = finish(&st, argc, argv, dash);
	free_tables(&st);
	if (ret) {
		ptd_cli_free(cli);
		return ret;
	}
	cli->opts.interfaces = (const char *const *)cli->ifaces;
	return 0;
}

/* ------------------------------------------------------------------------ */

static bool parse_level(const char *s, enum ptd_log_level *level)
{
	struct cli_state st = { 0 };
	struct ptd_cli tmp = { 0 };

	st.cli = &tmp;
	if (h_log_level(&st, NULL, s))
		return false;
	*level = tmp.log_level;
	return true;
}

/* The same getopt rules as the full parse, so "--config-dir=x", "-w
 * --config-dir" and abbreviations mean what they will mean there; every
 * complaint is left for the full parse. */
void ptd_cli_prescan(int argc, char **argv, const char **config_dir,
		     const char **plugin_dir, enum ptd_log_level *level)
{
	struct cli_state st = { 0 };
	struct ptd_cli scratch;
	const struct cli_flag *f;
	bool long_form;
	int c;

	st.cli = &scratch;
	if (build_tables(&st))
		goto out;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, st.shortopts, st.longopts,
				NULL)) != -1) {
		if (c < CLI_LONG_BASE)
			continue;
		f = flag_for(&st, c, &long_form);
		if (!strcmp(f->name, "config-dir") && config_dir)
			*config_dir = optarg;
		else if (!strcmp(f->name, "plugin-dir") && plugin_dir)
			*plugin_dir = optarg;
		else if (!strcmp(f->name, "log-level") && level)
			parse_level(optarg, level);
	}
out:
	free_tables(&st);
	optind = 0;
}

static void free_vector(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

void ptd_cli_free(struct ptd_cli *cli)
{
	size_t i;

	if (!cli)
		return;
	free_vector(cli->ifaces);
	free_vector(cli->command);
	free(cli->expression);
	for (i = 0; i < cli->n_settings; i++) {
		/* value and flag are ours; section and key belong to the plugin */
		free((char *)cli->settings[i].value);
		free((char *)cli->settings[i].flag);
	}
	free(cli->settings);
	memset(cli, 0, sizeof(*cli));
}

/* ------------------------------------------------------------------------ */
/* Usage                                                                    */

static bool flag_enabled(const struct cli_flag *f,
			 const struct ptd_cli_plugin_flag *extra, size_t n_extra)
{
	if (f->support == CLI_PLUGIN)
		return find_extra(extra, n_extra, f->name) != NULL;
	return f->support == CLI_YES && f->handle != h_noop;
}

/* tcpdump's order for the bundle of letters: by letter, lower case
 * first, '#' last. */
static int letter_cmp(const void *a, const void *b)
{
	int x = *(const char *)a, y = *(const char *)b;
	int kx = x == '#' ? 1000 : tolower(x) * 2 + !!isupper(x);
	int ky = y == '#' ? 1000 : tolower(y) * 2 + !!isupper(y);

	return kx - ky;
}

static void synopsis_item(FILE *out, int *col, const char *item)
{
	int len = (int)strlen(item);

	if (*col + 1 + len > 78) {
		fputs("\n\t\t", out);
		*col = 16;
	} else {
		fputc(' ', out);
		(*col)++;
	}
	fputs(item, out);
	*col += len;
}

static void print_synopsis(FILE *out, const struct ptd_cli_plugin_flag *extra,
			   size_t n_extra)
{
	char letters[64], item[128];
	size_t i, n = 0;
	int col;

	for (i = 0; i < N_CLI_FLAGS; i++)
		if (cli_flags[i].short_opt && !cli_flags[i].arg &&
		    flag_enabled(&cli_flags[i], extra, n_extra))
			letters[n++] = (char)cli_flags[i].short_opt;
	qsort(letters, n, 1, letter_cmp);
	letters[n] = '\0';
	col = fprintf(out, "Usage: ptcpdump [-%s]", letters);
	for (i = 0; i < N_CLI_FLAGS; i++) {
		const struct cli_flag *f = &cli_flags[i];

		if (!flag_enabled(f, extra, n_extra) || flag_is_command(f) ||
		    (f->short_opt && !f->arg))
			continue;
		if (f->short_opt)
			snprintf(item, sizeof(item), "[ -%c %s ]", f->short_opt, f->arg);
		else if (f->arg)
			snprintf(item, sizeof(item), "[ --%s %s ]", f->name, f->arg);
		else
			snprintf(item, sizeof(item), "[ --%s ]", f->name);
		synopsis_item(out, &col, item);
	}
	synopsis_item(out, &col, "[ expression ]");
	if (flag_enabled(command_flag(), extra, n_extra))
		synopsis_item(out, &col, "[ -- command [args] ]");
	fputc('\n', out);
}

static void flag_usage_label(const struct cli_flag *f, char *buf, size_t len)
{
	const char *arg = f->arg ? f->arg : "";
	const char *sp = f->arg ? " " : "";

	if (flag_is_command(f))
		snprintf(buf, len, "  -- %s", arg);
	else if (f->short_opt && f->name)
		snprintf(buf, len, "  -%c, --%s%s%s", f->short_opt, f->name, sp, arg);
	else if (f->short_opt)
		snprintf(buf, len, "  -%c%s%s", f->short_opt, sp, arg);
	else
		snprintf(buf, len, "      --%s%s%s", f->name, sp, arg);
}

static void flag_usage_line(FILE *out, const struct cli_flag *f,
			    const char *help, bool enabled)
{
	char label[128];
	int len;

	flag_usage_label(f, label, sizeof(label));
	len = fprintf(out, "%s", label);
	fprintf(out, "%*s%s%s\n",
		len + 2 < CLI_HELP_COLUMN ? CLI_HELP_COLUMN - len : 2, "",
		help, enabled ? "" : " (not supported yet)");
}

void ptd_cli_usage(FILE *out, const struct ptd_cli_plugin_flag *extra,
		   size_t n_extra)
{
	char help[256];
	size_t i;

	if (!extra)
		n_extra = 0;
	print_synopsis(out, extra, n_extra);
	fputs("\nFlags:\n", out);
	for (i = 0; i < N_CLI_FLAGS; i++) {
		const struct cli_flag *f = &cli_flags[i];

		flag_usage_line(out, f, f->help,
				f->handle == h_noop || flag_enabled(f, extra, n_extra));
	}
	for (i = 0; i < n_extra; i++) {
		struct cli_flag f = {
			.name = extra[i].flag,
			.arg = extra[i].is_bool ? NULL : "string",
		};

		if (!f.name || builtin_by_name(f.name) ||
		    find_extra(extra, i, f.name))
			continue;
		snprintf(help, sizeof(help), "Set %s.%s", extra[i].section,
			 extra[i].key);
		flag_usage_line(out, &f, help, true);
	}
	fputs("\nExpression: see \"man 7 pcap-filter\"\n", out);
}
