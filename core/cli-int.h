/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the pieces of the command line parser share: the flag table's types,
 * the parse state, and the helpers more than one piece calls.  cli.c runs
 * getopt, cli-flags.c holds the table and its handlers, cli-usage.c prints
 * --help.  Not for use outside core/cli*.c.
 */
#ifndef PTD_CORE_CLI_INT_H
#define PTD_CORE_CLI_INT_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

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

/* The one table of flags (cli-flags.c). */
extern const struct cli_flag cli_flags[];
extern const size_t cli_n_flags;

/* Writes a message to st->err and returns -EINVAL. */
int cli_fail(struct cli_state *st, const char *fmt, ...) PTD_PRINTF(2, 3);
/* Says "out of memory" in st->err and returns -ENOMEM. */
int cli_nomem(struct cli_state *st);

/* The pseudo-flag "-- command [args]", and the test for it. */
bool cli_flag_is_command(const struct cli_flag *f);
const struct cli_flag *cli_command_flag(void);
/* How a flag is named in messages: the way it was typed. */
void cli_flag_label(const struct cli_flag *f, bool long_form, char *buf,
		    size_t len);
const struct ptd_cli_plugin_flag *
cli_find_extra(const struct ptd_cli_plugin_flag *extra, size_t n_extra,
	       const char *name);
const struct cli_flag *cli_builtin_by_name(const char *name);

/* Appends a copy of s[0..len) to the NULL-terminated vector *vec. */
int cli_push_string(char ***vec, size_t *n, const char *s, size_t len);

/* Handlers the other pieces refer to. */
int cli_handle_noop(struct cli_state *st, const struct cli_flag *f,
		    const char *arg);
int cli_handle_log_level(struct cli_state *st, const struct cli_flag *f,
			 const char *arg);
int cli_handle_plugin(struct cli_state *st, const struct cli_flag *f,
		      const char *arg);

#endif
