/* SPDX-License-Identifier: BSD-2-Clause */
/* The command line suites' shared parse helpers (cli_harness.h). */
#include "config.h"

#include <stddef.h>

#include "tests/unit/cli_harness.h"

#define MAX_WORDS 16

struct ptd_cli cli;
char err[1024];

int parse_list_x(const struct ptd_cli_plugin_flag *extra, size_t n_extra,
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

int parse_list(const char *const *words)
{
	return parse_list_x(NULL, 0, words);
}

static void teardown(void)
{
	ptd_cli_free(&cli);
}

TCase *cli_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, NULL, teardown);
	return tc;
}
