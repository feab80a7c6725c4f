/* SPDX-License-Identifier: BSD-2-Clause */
/* The loader suites' shared fixture and helpers (loader_harness.h). */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/loader_harness.h"

#ifndef PTD_TEST_PLUGIN_BUILD_DIR
#error "PTD_TEST_PLUGIN_BUILD_DIR must name where libtool put the test plugins"
#endif

static const char *const test_plugins[] = {
	"good", "abi-major", "abi-minor-newer", "wrong-kind", "too-small",
	"no-symbol", "name-mismatch", "missing-print", "bad-option-table",
	"bad-default",
};

char tmp[TMPLEN];
char confdir[TMPLEN + 32];
char plugdir[TMPLEN + 32];
char err[2048];
char want[4096];
struct ptd_conf conf;
struct ptd_registry reg;

void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out;

	ck_assert_msg(in >= 0, "%s: %s (are the test plugins built?)", from,
		      strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_msg(out >= 0, "%s: %s", to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	/* explicit: the umask must not decide what the privileged rules see */
	ck_assert_int_eq(fchmod(out, mode), 0);
	close(in);
	ck_assert_int_eq(close(out), 0);
}

void install_plugin(const char *name, const char *as, mode_t mode)
{
	char from[PATHLEN], to[PATHLEN];

	snprintf(from, sizeof(from), "%s/%s.so", PTD_TEST_PLUGIN_BUILD_DIR, name);
	snprintf(to, sizeof(to), "%s/%s", plugdir, as);
	copy_file(from, to, mode);
}

static void setup(void)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	ck_assert_msg(strlen(base) < TMPLEN - 32, "TMPDIR is too long for this suite");
	snprintf(tmp, sizeof(tmp), "%s/check_loader.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	snprintf(confdir, sizeof(confdir), "%s/plugins.d", tmp);
	snprintf(plugdir, sizeof(plugdir), "%s/lib", tmp);
	ck_assert_int_eq(mkdir(confdir, 0755), 0);
	ck_assert_int_eq(mkdir(plugdir, 0755), 0);
	umask(022);
	for (size_t i = 0; i < sizeof(test_plugins) / sizeof(test_plugins[0]); i++) {
		char as[64];

		snprintf(as, sizeof(as), "%s.so", test_plugins[i]);
		install_plugin(test_plugins[i], as, 0644);
	}
	memset(&conf, 0, sizeof(conf));
	memset(&reg, 0, sizeof(reg));
	err[0] = '\0';
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	return remove(path);
}

static void teardown(void)
{
	ptd_registry_free(&reg);
	ptd_conf_free(&conf);
	nftw(tmp, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *conf_put(const char *name, const char *text)
{
	static char path[PATHLEN];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", confdir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(text, fp) < 0, 0);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

int load(int privileged)
{
	int rc = ptd_conf_load_dir(&conf, confdir, err, sizeof(err));

	ck_assert_msg(rc == 0, "plugins.d: %s", err);
	return ptd_registry_load(&reg, &conf, plugdir, privileged, err, sizeof(err));
}

int configure(const struct ptd_cli_setting *settings, size_t n)
{
	return ptd_registry_configure(&reg, settings, n, err, sizeof(err));
}

void unload(void)
{
	ptd_registry_free(&reg);
	ptd_conf_free(&conf);
}

TCase *loader_tcase(const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_add_checked_fixture(tc, setup, teardown);
	return tc;
}
