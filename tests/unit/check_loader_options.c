/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A good plugin's options, as the loader fills them: defaults first, then
 * plugins.d, then the command line; and the errors for unknown keys, bad
 * values and settings no loaded plugin takes.  The fixture is check_loader's
 * (loader_harness.h).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/loader_harness.h"
#include "tests/unit/suite_run.h"
#include "tests/plugins/good.h"

#define GOOD_KEYS "path, enabled, label, flag, offset, count, buffer, timeout, mode, note"

/* ------------------------------------------------------------------------ */
/* Options: defaults < plugins.d < command line */

static const struct good_config *good_config(void)
{
	for (size_t i = 0; i < reg.n; i++)
		if (strcmp(reg.inst[i].log_prefix, "printer:good") == 0)
			return reg.inst[i].config;
	ck_abort_msg("no printer:good instance");
	return NULL;
}

START_TEST(test_defaults)
{
	const struct good_config *c;

	conf_put("50-test.conf", "[printer.good]\npath = good.so\n");
	ck_ok(load(0));
	ck_ok(configure(NULL, 0));
	c = good_config();
	ck_assert_str_eq(c->label, "default");
	ck_assert_int_eq(c->flag, 0);
	ck_assert_int_eq(c->offset, -5);
	ck_assert_uint_eq(c->count, 7);
	ck_assert_uint_eq(c->buffer, 64000);
	ck_assert_uint_eq(c->timeout, 2000);
	ck_assert_int_eq(c->mode, GOOD_MODE_FAST);
	ck_assert_ptr_null(c->note);
}
END_TEST

START_TEST(test_ini_overrides_defaults)
{
	const struct good_config *c;

	conf_put("50-test.conf",
		 "[printer.good]\npath = good.so\n"
		 "label = from ini\nflag = yes\noffset = 12\ncount = 3\n"
		 "buffer = 1MiB\ntimeout = 250ms\nmode = slow\nnote = n\n");
	ck_ok(load(0));
	ck_ok(configure(NULL, 0));
	c = good_config();
	ck_assert_str_eq(c->label, "from ini");
	ck_assert_int_eq(c->flag, 1);
	ck_assert_int_eq(c->offset, 12);
	ck_assert_uint_eq(c->count, 3);
	ck_assert_uint_eq(c->buffer, 1048576);
	ck_assert_uint_eq(c->timeout, 250);
	ck_assert_int_eq(c->mode, GOOD_MODE_SLOW);
	ck_assert_str_eq(c->note, "n");
}
END_TEST

/* The flags as the command line parser would record them. */
static struct ptd_cli_plugin_flag *flags;
static size_t n_flags;

static struct ptd_cli_setting flag_setting(const char *flag, const char *value)
{
	for (size_t i = 0; i < n_flags; i++) {
		if (strcmp(flags[i].flag, flag + 2) == 0)
			return (struct ptd_cli_setting){
				.section = flags[i].section, .key = flags[i].key,
				.value = value, .flag = flag,
			};
	}
	ck_abort_msg("no plugin declares %s", flag);
	return (struct ptd_cli_setting){ 0 };
}

static void free_flags(void)
{
	free(flags);
	flags = NULL;
	n_flags = 0;
}

START_TEST(test_cli_flags_declared)
{
	conf_put("50-test.conf", "[printer.good]\npath = good.so\n"
		 "[printer.baddefault]\npath = bad-default.so\n");
	ck_ok(load(0));
	ck_ok(ptd_registry_cli_flags(&reg, &flags, &n_flags));
	ck_assert_uint_eq(n_flags, 4);
	ck_assert_str_eq(flags[0].flag, "good-label");
	ck_assert_str_eq(flags[0].section, "printer:good");
	ck_assert_str_eq(flags[0].key, "label");
	ck_assert_int_eq(flags[0].is_bool, 0);
	ck_assert_str_eq(flags[1].flag, "good-flag");
	ck_assert_str_eq(flags[1].key, "flag");
	ck_assert_int_eq(flags[1].is_bool, 1);
	ck_assert_str_eq(flags[2].flag, "good-count");
	ck_assert_str_eq(flags[3].flag, "good-mode");
	ck_assert_int_eq(flags[3].is_bool, 0);
}
END_TEST

START_TEST(test_no_cli_flags)
{
	conf_put("50-test.conf", "[printer.baddefault]\npath = bad-default.so\n");
	ck_ok(load(0));
	ck_ok(ptd_registry_cli_flags(&reg, &flags, &n_flags));
	ck_assert_uint_eq(n_flags, 0);
	ck_assert_ptr_null(flags);
}
END_TEST

START_TEST(test_cli_overrides_ini)
{
	const struct good_config *c;
	struct ptd_cli_setting st[3];

	conf_put("50-test.conf",
		 "[printer.good]\npath = good.so\nlabel = from ini\ncount = 3\n"
		 "mode = slow\n");
	ck_ok(load(0));
	ck_ok(ptd_registry_cli_flags(&reg, &flags, &n_flags));
	st[0] = flag_setting("--good-label", "from cli");
	st[1] = flag_setting("--good-flag", "true");
	/* a flag given twice: the last one wins, as in tcpdump */
	st[2] = flag_setting("--good-label", "from cli, again");
	ck_ok(configure(st, 3));
	c = good_config();
	ck_assert_str_eq(c->label, "from cli, again");  /* default < ini < cli */
	ck_assert_int_eq(c->flag, 1);                    /* default < cli */
	ck_assert_uint_eq(c->count, 3);                  /* default < ini */
	ck_assert_int_eq(c->mode, GOOD_MODE_SLOW);
	ck_assert_uint_eq(c->timeout, 2000);             /* default */
}
END_TEST

static const struct {
	const char *flag;
	const char *value;
	const char *message;
} bad_flags[] = {
	{ "--good-count", "many",
	  "--good-count: bad value 'many': expected a non-negative integer" },
	{ "--good-mode", "turbo",
	  "--good-mode: bad value 'turbo': expected one of: fast, slow, off" },
	{ "--good-flag", "sometimes",
	  "--good-flag: bad value 'sometimes': expected true or false" },
};

START_TEST(test_cli_bad_value)
{
	struct ptd_cli_setting st;

	conf_put("50-test.conf", "[printer.good]\npath = good.so\n");
	ck_ok(load(0));
	ck_ok(ptd_registry_cli_flags(&reg, &flags, &n_flags));
	st = flag_setting(bad_flags[_i].flag, bad_flags[_i].value);
	ck_assert_int_eq(configure(&st, 1), -EINVAL);
	ck_assert_str_eq(err, bad_flags[_i].message);
}
END_TEST

START_TEST(test_cli_setting_without_plugin)
{
	struct ptd_cli_setting st = {
		.section = "enricher:docker", .key = "address",
		.value = "unix:///x", .flag = "--docker-address",
	};

	conf_put("50-test.conf", "[printer.good]\npath = good.so\n");
	ck_ok(load(0));
	ck_assert_int_eq(configure(&st, 1), -EINVAL);
	ck_assert_str_eq(err, "--docker-address: no loaded plugin takes this option");
	unload();
	ck_ok(load(0));
	st.section = "printer:good";
	st.key = "nope";
	st.flag = "--good-nope";
	ck_assert_int_eq(configure(&st, 1), -EINVAL);
	ck_assert_str_eq(err, "--good-nope: no loaded plugin takes this option");
}
END_TEST

START_TEST(test_unknown_key)
{
	char conffile[PATHLEN];

	snprintf(conffile, sizeof(conffile), "%s", conf_put("50-test.conf",
		 "[printer.good]\npath = good.so\nlabel = x\ncolour = red\n"));
	ck_ok(load(0));
	ck_assert_int_eq(configure(NULL, 0), -EINVAL);
	ck_err("%s:4: unknown key 'colour' in [printer.good] (known keys: " GOOD_KEYS ")",
	       conffile);
}
END_TEST

START_TEST(test_disabled_section_keys_unchecked)
{
	/* a disabled section's plugin is never opened: its keys are unknown
	 * and must not fail the run */
	conf_put("50-test.conf",
		 "[printer.good]\npath = good.so\n[backend.x]\nenabled = 0\nfoo = 1\n");
	ck_ok(load(0));
	ck_ok(configure(NULL, 0));
}
END_TEST

static const struct {
	const char *key;
	const char *value;
	const char *why;
} bad_values[] = {
	{ "flag", "maybe", "expected true or false" },
	{ "offset", "1.5", "expected an integer" },
	{ "count", "-1", "expected a non-negative integer" },
	{ "buffer", "lots", "expected a size such as 4096, 64k, 10MB or 1G" },
	{ "timeout", "5y", "expected a duration such as 250ms, 2s, 1m" },
	{ "mode", "turbo", "expected one of: fast, slow, off" },
};

START_TEST(test_bad_value)
{
	char conffile[PATHLEN], text[256];

	snprintf(text, sizeof(text), "[printer.good]\npath = good.so\n\n%s = %s\n",
		 bad_values[_i].key, bad_values[_i].value);
	snprintf(conffile, sizeof(conffile), "%s", conf_put("50-test.conf", text));
	ck_ok(load(0));
	ck_assert_int_eq(configure(NULL, 0), -EINVAL);
	ck_err("%s:4: bad value '%s' for '%s' in [printer.good]: %s", conffile,
	       bad_values[_i].value, bad_values[_i].key, bad_values[_i].why);
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *s = suite_create("loader-options");
	TCase *tc;

	tc = loader_tcase("options");
	tcase_add_checked_fixture(tc, NULL, free_flags);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_ini_overrides_defaults);
	tcase_add_test(tc, test_cli_flags_declared);
	tcase_add_test(tc, test_no_cli_flags);
	tcase_add_test(tc, test_cli_overrides_ini);
	tcase_add_loop_test(tc, test_cli_bad_value, 0,
			    sizeof(bad_flags) / sizeof(bad_flags[0]));
	tcase_add_test(tc, test_cli_setting_without_plugin);
	tcase_add_test(tc, test_unknown_key);
	tcase_add_test(tc, test_disabled_section_keys_unchecked);
	tcase_add_loop_test(tc, test_bad_value, 0,
			    sizeof(bad_values) / sizeof(bad_values[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return suite_run(loader_suite());
}

