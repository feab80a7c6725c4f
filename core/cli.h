/* Command line parsing: tcpdump's flags plus ptcpdump's, with getopt_long. */
#ifndef PTD_CORE_CLI_H
#define PTD_CORE_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ptcpdump/plugin.h>

/* A long flag contributed by a loaded plugin's option table (ptd_option.cli).
 * The parser records its value as a setting for section.key. */
struct ptd_cli_plugin_flag {
	const char *flag;    /* "docker-address" */
	const char *section; /* "enricher.docker" */
	const char *key;     /* "address" */
	int is_bool;         /* takes no argument; sets "true" */
};

/* value and flag are owned by the ptd_cli; section and key point into the
 * extra array handed to ptd_cli_parse. */
struct ptd_cli_setting {
	const char *section;
	const char *key;
	const char *value;   /* the argument, or "true" for a boolean flag */
	const char *flag;    /* for error messages: "--docker-address" */
};

struct ptd_cli {
	struct ptd_options opts;        /* handed to plugins; opts.interfaces points into ifaces */

	/* -i, repeatable, in order; NULL-terminated */
	char **ifaces;
	size_t n_ifaces;

	char *expression;               /* trailing words joined by ' ', or -F file contents; NULL = none */
	const char *expression_file;    /* -F */
	char **command;                 /* words after "--", NULL-terminated; NULL = none */

	/* process filters; opts.pids and opts.uids point here */
	uint32_t *pids;                 /* --pid, in order */
	size_t n_pids;
	uint32_t *uids;                 /* --uid */
	size_t n_uids;

	/* actions other than capturing */
	int help;                       /* -h, --help */
	int version;                    /* --version */
	int list_interfaces;            /* -D */
	int dump_filter;                /* -d count: 1 -d, 2 -dd, 3 -ddd */
	int count_only;                 /* --count */

	uint64_t max_packets;           /* -c; 0 = unlimited */
	int no_optimize;                /* -O */
	const char *backend;            /* --backend, NULL = default */
	const char *relinquish_user;    /* -Z */
	const char *config_dir;         /* --config-dir */
	const char *plugin_dir;         /* --plugin-dir */
	enum ptd_log_level log_level;   /* --log-level, default warn */

	struct ptd_cli_setting *settings; /* plugin options set by flags, in order */
	size_t n_settings;
};

/* Parse argv.  extra: the long flags of the loaded plugins (may be NULL).
 * Returns 0, or -EINVAL (-ENOMEM) with a one-line message in err (no
 * "ptcpdump: " prefix, no newline), e.g. "--pid: not supported yet" or
 * "invalid packet count abc"; err may be NULL.  *cli is initialised here and
 * left zeroed on failure.  As in tcpdump, -h and --version end the parse at
 * once: the flags after them are not read.  Strings taken from argv (-r, -w,
 * ...) point into argv; ifaces, command and expression are copies. */
int ptd_cli_parse(struct ptd_cli *cli, int argc, char **argv,
		  const struct ptd_cli_plugin_flag *extra, size_t n_extra,
		  char *err, size_t errlen);

/* Look for --config-dir, --plugin-dir and --log-level before plugins are
 * loaded (their flags are needed for the full parse).  Never fails: the full
 * parse reports errors. */
void ptd_cli_prescan(int argc, char **argv, const char **config_dir,
		     const char **plugin_dir, enum ptd_log_level *level);

/* Frees what ptd_cli_parse allocated; accepts a zeroed cli. */
void ptd_cli_free(struct ptd_cli *cli);

/* Writes the usage text (tcpdump-style synopsis plus every flag). */
void ptd_cli_usage(FILE *out, const struct ptd_cli_plugin_flag *extra,
		   size_t n_extra);

#endif
