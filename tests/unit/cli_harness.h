/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the command line suites (check_cli, check_cli_args) share: one parse
 * of a word list into a struct ptd_cli, with the error text kept.
 */
#ifndef PTD_TESTS_CLI_HARNESS_H
#define PTD_TESTS_CLI_HARNESS_H

#include <check.h>
#include <stddef.h>

#include "core/cli.h"

extern struct ptd_cli cli;
extern char err[1024];

/* Parses "ptcpdump" followed by the NULL-terminated words, with the
 * plugin flags extra[0..n_extra); the previous parse is freed first. */
int parse_list_x(const struct ptd_cli_plugin_flag *extra, size_t n_extra,
		 const char *const *words);
int parse_list(const char *const *words);

#define PARSE(...) parse_list((const char *const[]){ __VA_ARGS__, NULL })
#define PARSE_X(x, n, ...) \
	parse_list_x(x, n, (const char *const[]){ __VA_ARGS__, NULL })

#define ck_parse_ok(ret) \
	ck_assert_msg((ret) == 0, "parse failed: %s", err)

/* A test case whose tests end with what the last parse left freed. */
TCase *cli_tcase(const char *name);

#endif
