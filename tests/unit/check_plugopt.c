/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Plugin option tables (core/plugopt.h) at unit level: defaults, every
 * type's parsing, and every rejected value with the exact line the user
 * will read.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plugopt.h"

static char err[1024];

struct every {
	char *str;
	int flag;
	int64_t num;
	uint64_t unum;
	uint64_t bytes;
	uint64_t millis;
	int choice;
	char *nodef;
};

static const char *const colours[] = { "red", "green", "blue", NULL };

#define EV(f) offsetof(struct every, f)
static const struct ptd_option every_opts[] = {
	{ .key = "str", .type = PTD_OPT_STRING, .def = "hello", .offset = EV(str) },
	{ .key = "flag", .type = PTD_OPT_BOOL, .def = "yes", .offset = EV(flag) },
	{ .key = "num", .type = PTD_OPT_INT, .def = "-3", .offset = EV(num) },
	{ .key = "unum", .type = PTD_OPT_UINT, .def = "12", .offset = EV(unum) },
	{ .key = "bytes", .type = PTD_OPT_BYTES, .def = "4k", .offset = EV(bytes) },
	{ .key = "millis", .type = PTD_OPT_MILLIS, .def = "250ms", .offset = EV(millis) },
	{ .key = "choice", .type = PTD_OPT_ENUM, .def = "green", .offset = EV(choice),
	  .choices = colours },
	{ .key = "nodef", .type = PTD_OPT_STRING, .offset = EV(nodef) },
	{ 0 }
};

static struct every ev;

static void opt_teardown(void)
{
	ptd_option_free_all(every_opts, &ev);
	memset(&ev, 0, sizeof(ev));
}

static int set(const char *key, const char *text)
{
	const struct ptd_option *o = ptd_option_find(every_opts, key);

	ck_assert_ptr_nonnull(o);
	err[0] = '\0';
	return ptd_option_set(o, &ev, text, err, sizeof(err));
}

#define ck_set_ok(key, text) \
	ck_assert_msg(set(key, text) == 0, "%s=%s: %s", key, text, err)
#define ck_set_bad(key, text, expect) do { \
		ck_assert_int_eq(set(key, text), -EINVAL); \
		ck_assert_str_eq(err, expect); \
	} while (0)

START_TEST(test_opt_defaults)
{
	memset(&ev, 0, sizeof(ev));
	ck_assert_int_eq(ptd_option_defaults(every_opts, &ev, err, sizeof(err)), 0);
	ck_assert_str_eq(ev.str, "hello");
	ck_assert_int_eq(ev.flag, 1);
	ck_assert_int_eq(ev.num, -3);
	ck_assert_uint_eq(ev.unum, 12);
	ck_assert_uint_eq(ev.bytes, 4000);
	ck_assert_uint_eq(ev.millis, 250);
	ck_assert_int_eq(ev.choice, 1);
	ck_assert_ptr_null(ev.nodef);
}
END_TEST

START_TEST(test_opt_bad_default)
{
	static const struct ptd_option bad[] = {
		{ .key = "fine", .type = PTD_OPT_UINT, .def = "1", .offset = EV(unum) },
		{ .key = "when", .type = PTD_OPT_MILLIS, .def = "soon", .offset = EV(millis) },
		{ 0 }
	};

	ck_assert_int_eq(ptd_option_defaults(bad, &ev, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "default 'soon' of key 'when' is invalid: expected a duration such as 250ms, 2s, 1m");
	ck_assert_uint_eq(ev.unum, 1);
	ck_assert_int_eq(ptd_option_defaults(NULL, &ev, err, sizeof(err)), 0);
}
END_TEST

START_TEST(test_opt_string)
{
	ck_set_ok("str", "first");
	ck_assert_str_eq(ev.str, "first");
	/* a second value replaces (and frees) the first */
	ck_set_ok("str", "");
	ck_assert_str_eq(ev.str, "");
	ck_set_ok("nodef", "a b ; c");
	ck_assert_str_eq(ev.nodef, "a b ; c");
	ptd_option_free_all(every_opts, &ev);
	ck_assert_ptr_null(ev.str);
	ck_assert_ptr_null(ev.nodef);
	ptd_option_free_all(every_opts, NULL);
}
END_TEST

START_TEST(test_opt_bool)
{
	static const char *const yes[] = { "true", "yes", "on", "1", "TRUE", "Yes", "ON" };
	static const char *const no[] = { "false", "no", "off", "0", "FALSE", "No", "Off" };
	static const char *const bad[] = { "", "maybe", "2", "y", "n", "truee", " true" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		ev.flag = 0;
		ck_set_ok("flag", yes[i]);
		ck_assert_int_eq(ev.flag, 1);
		ck_set_ok("flag", no[i]);
		ck_assert_int_eq(ev.flag, 0);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_set_bad("flag", bad[i], "expected true or false");
}
END_TEST

START_TEST(test_opt_int)
{
	static const char *const bad[] = {
		"", "abc", "1x", "1.5", "0x10", "- 1", "9223372036854775808",
		"-9223372036854775809",
	};

	ck_set_ok("num", "42");
	ck_assert_int_eq(ev.num, 42);
	ck_set_ok("num", "-7");
	ck_assert_int_eq(ev.num, -7);
	ck_set_ok("num", "+8");
	ck_assert_int_eq(ev.num, 8);
	ck_set_ok("num", "9223372036854775807");
	ck_assert_int_eq(ev.num, INT64_MAX);
	ck_set_ok("num", "-9223372036854775808");
	ck_assert_int_eq(ev.num, INT64_MIN);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_set_bad("num", bad[i], "expected an integer");
}
END_TEST

START_TEST(test_opt_uint)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1k", "abc", "18446744073709551616",
	};

	ck_set_ok("unum", "0");
	ck_assert_uint_eq(ev.unum, 0);
	ck_set_ok("unum", "18446744073709551615");
	ck_assert_uint_eq(ev.unum, UINT64_MAX);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_set_bad("unum", bad[i], "expected a non-negative integer");
}
END_TEST

static const struct {
	const char *text;
	uint64_t bytes;
} good_sizes[] = {
	{ "0", 0 }, { "4096", 4096 }, { "100b", 100 }, { "100B", 100 },
	{ "10k", 10000 }, { "10K", 10000 }, { "10kb", 10000 }, { "10KB", 10000 },
	{ "10KiB", 10240 }, { "10kib", 10240 },
	{ "5m", 5000000 }, { "5M", 5000000 }, { "5MB", 5000000 },
	{ "5MiB", 5242880 },
	{ "1g", 1000000000 }, { "1G", 1000000000 }, { "1GB", 1000000000 },
	{ "1GiB", 1073741824 }, { "3gib", 3221225472u },
};

START_TEST(test_opt_bytes)
{
	static const char *const bad[] = {
		"", "k", "10x", "10 k", "10kk", "1.5M", "-1", "10T",
		"18446744073709551615k", "18446744073709551616",
	};

	for (size_t i = 0; i < sizeof(good_sizes) / sizeof(good_sizes[0]); i++) {
		ck_set_ok("bytes", good_sizes[i].text);
		ck_assert_msg(ev.bytes == good_sizes[i].bytes, "%s: got %" PRIu64,
			      good_sizes[i].text, ev.bytes);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_set_bad("bytes", bad[i], "expected a size such as 4096, 64k, 10MB or 1G");
}
END_TEST

START_TEST(test_parse_bytes_units)
{
	uint64_t v = 0;

	/* a bare number is in the caller's unit (tcpdump -C: millions) */
	ck_assert_int_eq(ptd_parse_bytes("10", 1000000, &v), 0);
	ck_assert_uint_eq(v, 10000000);
	ck_assert_int_eq(ptd_parse_bytes("10b", 1000000, &v), 0);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(ptd_parse_bytes("10k", 1000000, &v), 0);
	ck_assert_uint_eq(v, 10000);
	ck_assert_int_eq(ptd_parse_bytes("2MiB", 1, &v), 0);
	ck_assert_uint_eq(v, 2097152);
	ck_assert_int_eq(ptd_parse_bytes("18446744073709551615", 1, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(ptd_parse_bytes("18446744073709551615", 2, &v), -ERANGE);
	ck_assert_int_eq(ptd_parse_bytes("18446744073709551615g", 1, &v), -ERANGE);
	ck_assert_int_eq(ptd_parse_bytes("x", 1, &v), -EINVAL);
	ck_assert_int_eq(ptd_parse_bytes("1q", 1, &v), -EINVAL);
}
END_TEST

START_TEST(test_opt_millis)
{
	static const struct {
		const char *text;
		uint64_t ms;
	} ok[] = {
		{ "0", 0 }, { "250ms", 250 }, { "2s", 2000 }, { "2", 2000 },
		{ "1m", 60000 }, { "1h", 3600000 }, { "0ms", 0 },
	};
	static const char *const bad[] = {
		"", "ms", "2x", "2S", "2MS", "1.5s", "-1s", "2 s", "1d",
		"18446744073709551615s",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		ck_set_ok("millis", ok[i].text);
		ck_assert_msg(ev.millis == ok[i].ms, "%s: got %" PRIu64,
			      ok[i].text, ev.millis);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_set_bad("millis", bad[i], "expected a duration such as 250ms, 2s, 1m");
}
END_TEST

START_TEST(test_opt_enum)
{
	ck_set_ok("choice", "blue");
	ck_assert_int_eq(ev.choice, 2);
	ck_set_ok("choice", "red");
	ck_assert_int_eq(ev.choice, 0);
	ck_set_bad("choice", "Blue", "expected one of: red, green, blue");
	ck_set_bad("choice", "", "expected one of: red, green, blue");
	ck_set_bad("choice", "purple", "expected one of: red, green, blue");
	ck_assert_int_eq(ev.choice, 0);
}
END_TEST

START_TEST(test_opt_unknown_type)
{
	static const struct ptd_option odd = { .key = "odd", .type = 99 };

	ck_assert_int_eq(ptd_option_set(&odd, &ev, "1", err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "option has an unknown type 99");
}
END_TEST

START_TEST(test_opt_find_and_keys)
{
	char keys[256];

	ck_assert_ptr_eq(ptd_option_find(every_opts, "unum"), &every_opts[3]);
	ck_assert_ptr_null(ptd_option_find(every_opts, "Unum"));
	ck_assert_ptr_null(ptd_option_find(NULL, "unum"));
	ptd_option_keys(every_opts, keys, sizeof(keys));
	ck_assert_str_eq(keys, ", str, flag, num, unum, bytes, millis, choice, nodef");
	ptd_option_keys(NULL, keys, sizeof(keys));
	ck_assert_str_eq(keys, "");
	/* truncated, still terminated */
	ptd_option_keys(every_opts, keys, 12);
	ck_assert_str_eq(keys, ", str, flag");
}
END_TEST

static Suite *plugopt_suite(void)
{
	Suite *s = suite_create("plugopt");
	TCase *tc = tcase_create("options");

	tcase_add_checked_fixture(tc, NULL, opt_teardown);
	tcase_add_test(tc, test_opt_defaults);
	tcase_add_test(tc, test_opt_bad_default);
	tcase_add_test(tc, test_opt_string);
	tcase_add_test(tc, test_opt_bool);
	tcase_add_test(tc, test_opt_int);
	tcase_add_test(tc, test_opt_uint);
	tcase_add_test(tc, test_opt_bytes);
	tcase_add_test(tc, test_parse_bytes_units);
	tcase_add_test(tc, test_opt_millis);
	tcase_add_test(tc, test_opt_enum);
	tcase_add_test(tc, test_opt_unknown_type);
	tcase_add_test(tc, test_opt_find_and_keys);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(plugopt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
