/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nd_printf() against the C library's snprintf.
 *
 * nd_printf formats a subset of printf itself and hands everything else to
 * vsnprintf; either way the text must be exactly what snprintf makes of
 * the same format and arguments.  Each case runs through both sinks: a
 * struct nd_buf (formatted in place) and a plain callback (formatted on
 * the stack), with text already in the buffer so appends are checked too.
 */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netdissect.h"

#define PREFIX "pre|"

struct capture {
	char text[4096];
	size_t len;
};

static void capture_sink(void *arg, const char *s, size_t n)
{
	struct capture *c = arg;

	ck_assert_uint_le(c->len + n, sizeof(c->text) - 1);
	memcpy(c->text + c->len, s, n);
	c->len += n;
	c->text[c->len] = '\0';
}

/* Compares one call through both sinks with snprintf; lengths count, so a
 * NUL written by %c is compared too. */
#define CHECK_FMT(...)                                                      \
	do {                                                                \
		char want[4096];                                            \
		int n = snprintf(want, sizeof(want), __VA_ARGS__);          \
		struct nd_ctx nd;                                           \
		struct nd_buf b = { 0 };                                    \
		struct capture cap = { "", 0 };                             \
                                                                            \
		ck_assert_int_ge(n, 0);                                     \
		ck_assert_int_lt(n, (int)sizeof(want));                     \
		memset(&nd, 0, sizeof(nd));                                 \
		nd_buf_append(&b, PREFIX, strlen(PREFIX));                  \
		nd.sink = nd_buf_sink;                                      \
		nd.sink_arg = &b;                                           \
		nd_printf(&nd, __VA_ARGS__);                                \
		ck_assert_msg(b.len == strlen(PREFIX) + (size_t)n &&        \
			      memcmp(b.data + strlen(PREFIX), want,         \
				     (size_t)n) == 0 &&                     \
			      b.data[b.len] == '\0',                        \
			      "nd_buf: %s gave [%s], snprintf [%s]",        \
			      #__VA_ARGS__, b.data + strlen(PREFIX), want); \
		free(b.data);                                               \
		nd.sink = capture_sink;                                     \
		nd.sink_arg = &cap;                                         \
		nd_printf(&nd, __VA_ARGS__);                                \
		ck_assert_msg(cap.len == (size_t)n &&                       \
			      memcmp(cap.text, want, (size_t)n) == 0,       \
			      "callback: %s gave [%s], snprintf [%s]",      \
			      #__VA_ARGS__, cap.text, want);                \
	} while (0)

static const unsigned uvals[] = {
	0, 1, 9, 10, 99, 100, 4095, 12345, 65535, 65536, 999999, 1000000,
	2147483647u, 2147483648u, 4294967295u,
};

static const int ivals[] = {
	0, 1, -1, 9, -9, 10, -10, 123456, -123456, INT_MAX, INT_MIN,
};

static const char *const svals[] = {
	"", "a", "hello", "a longer string than any width here",
};

START_TEST(test_unsigned)
{
	for (size_t i = 0; i < sizeof(uvals) / sizeof(uvals[0]); i++) {
		unsigned v = uvals[i];

		CHECK_FMT("%u", v);
		CHECK_FMT("%x", v);
		CHECK_FMT("%X", v);
		CHECK_FMT("%02x", v);
		CHECK_FMT("%04x", v);
		CHECK_FMT("%08x", v);
		CHECK_FMT("%02u", v);
		CHECK_FMT("%05u", v);
		CHECK_FMT("%06u ", v);
		CHECK_FMT("%09u", v);
		CHECK_FMT("%5u|", v);
		CHECK_FMT("%-5u|", v);
		CHECK_FMT("%.0u|", v);
		CHECK_FMT("%.3u", v);
		CHECK_FMT("%6.3u|", v);
		CHECK_FMT("%06.3u|", v);
		CHECK_FMT("%-6.3x|", v);
		CHECK_FMT("%0*u", 6, v);
		CHECK_FMT("%0*u|", -6, v);
		CHECK_FMT("%*u|", -6, v);
		CHECK_FMT("%.*u", -1, v);
		CHECK_FMT("%.*u", 0, v);
		CHECK_FMT("%.*u", 4, v);
		CHECK_FMT("%hu %hx %hhu %hhx", v, v, v, v);
		CHECK_FMT("%lu", (unsigned long)v * 7777u);
		CHECK_FMT("%lx", (unsigned long)v << 20);
		CHECK_FMT("%llu", (unsigned long long)v * 123456789ull);
		CHECK_FMT("%5llu  ", (unsigned long long)v);
		CHECK_FMT("%zu", (size_t)v);
		CHECK_FMT("%ju", (uintmax_t)v);
		CHECK_FMT("a%ub%uc", v, v + 1);
		/* outside the subset: handed to vsnprintf */
		CHECK_FMT("%#x", v);
		CHECK_FMT("%+d", (int)v);
		CHECK_FMT("% d", (int)v);
		CHECK_FMT("%o", v);
	}
}
END_TEST

START_TEST(test_signed)
{
	for (size_t i = 0; i < sizeof(ivals) / sizeof(ivals[0]); i++) {
		int v = ivals[i];

		CHECK_FMT("%d", v);
		CHECK_FMT("%i", v);
		CHECK_FMT("%5d|", v);
		CHECK_FMT("%-5d|", v);
		CHECK_FMT("%0-8d|", v);
		CHECK_FMT("%05d", v);
		CHECK_FMT("%02d", v);
		CHECK_FMT("%04d", v);
		CHECK_FMT("%.3d", v);
		CHECK_FMT("%08.3d", v);
		CHECK_FMT("%.0d|", v);
		CHECK_FMT("%hd %hhd", v, v);
		CHECK_FMT("%ld", (long)v * 100000);
		CHECK_FMT("%lld", (long long)v * -3);
		CHECK_FMT("%lld.%0*u ", (long long)v, 6, 12u);
	}
}
END_TEST

START_TEST(test_strings_and_chars)
{
	for (size_t i = 0; i < sizeof(svals) / sizeof(svals[0]); i++) {
		const char *s = svals[i];

		CHECK_FMT("%s", s);
		CHECK_FMT("[%5s]", s);
		CHECK_FMT("[%-5s]", s);
		CHECK_FMT("[%-3s]", s);
		CHECK_FMT("[%.2s]", s);
		CHECK_FMT("[%.*s]", 3, s);
		CHECK_FMT("[%.*s]", -1, s);
		CHECK_FMT("[%*s]", -7, s);
		CHECK_FMT("[%-*.*s]", 8, 2, s);
		CHECK_FMT("x%sy%sz", s, s);
		CHECK_FMT("%s%s%s%%", s, s, s);
		CHECK_FMT("[%05s]", s);
	}
	for (int c = 1; c < 256; c += 3) {
		CHECK_FMT("%c", c);
		CHECK_FMT("[%3c][%-3c]", c, c);
		CHECK_FMT("^%c", c ^ 0x40);
	}
	CHECK_FMT("%c", 0);
	CHECK_FMT("100%%");
	CHECK_FMT("%%%u%%", 3u);
	CHECK_FMT("plain text");
	CHECK_FMT("%s", "");
}
END_TEST

START_TEST(test_fallbacks)
{
	char big[600];

	CHECK_FMT("%p", (void *)big);
	CHECK_FMT("%5.1f|%u", 2.25, 7u);
	CHECK_FMT("%lc", 'a');
	CHECK_FMT("%5%|");
	/* longer than the in-place room: formatted again by vsnprintf */
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_FMT("%s", big);
	CHECK_FMT("x%sy%u", big, 5u);
	CHECK_FMT("%300u|", 5u);
	CHECK_FMT("%.*s|%u", 255, big, 1u);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nd_format");
	TCase *tc = tcase_create("printf");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_unsigned);
	tcase_add_test(tc, test_signed);
	tcase_add_test(tc, test_strings_and_chars);
	tcase_add_test(tc, test_fallbacks);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
