/* SPDX-License-Identifier: BSD-2-Clause */
/* Runs one Check suite and turns its verdict into the exit status. */
#ifndef PTD_TESTS_SUITE_RUN_H
#define PTD_TESTS_SUITE_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int suite_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
