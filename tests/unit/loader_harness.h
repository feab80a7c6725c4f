/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the loader suites (check_loader, check_loader_options) share: each
 * test gets a fresh temporary directory holding a plugins.d and a plugin
 * directory with copies of the test plugins, mode 0644, so the privileged
 * rules see files shaped the way the test wants them; then plugins.d is
 * read and the registry loaded and configured from there.
 */
#ifndef PTD_TESTS_LOADER_HARNESS_H
#define PTD_TESTS_LOADER_HARNESS_H

#include <check.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/conf.h"
#include "core/loader.h"

/* Short enough that every path and message below fits its buffer. */
#define TMPLEN 200
#define PATHLEN 512

extern char tmp[TMPLEN];
extern char confdir[TMPLEN + 32];
extern char plugdir[TMPLEN + 32];
extern char err[2048];
extern char want[4096];
extern struct ptd_conf conf;
extern struct ptd_registry reg;

void copy_file(const char *from, const char *to, mode_t mode);
/* Copies test plugin name (without .so) to plugdir/as. */
void install_plugin(const char *name, const char *as, mode_t mode);
/* A test case whose tests each run in fresh directories holding the
 * plugin copies, removed afterwards with whatever was loaded. */
TCase *loader_tcase(const char *name);
/* Writes plugins.d/name; returns its path (static: copy it if needed). */
const char *conf_put(const char *name, const char *text);
/* Reads plugins.d (which must succeed) and loads the registry from it. */
int load(int privileged);
int configure(const struct ptd_cli_setting *settings, size_t n);
/* Back to nothing loaded, for a second attempt within one test. */
void unload(void);

#define ck_err(...) do { \
		snprintf(want, sizeof(want), __VA_ARGS__); \
		ck_assert_str_eq(err, want); \
	} while (0)

#define ck_ok(expr) do { \
		int rc_ = (expr); \
		ck_assert_msg(rc_ == 0, "%s = %d: %s", #expr, rc_, err); \
	} while (0)

#endif
