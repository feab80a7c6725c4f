/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Savefile names under -C/-G/-W, as tcpdump 4.99 makes them:
 *
 *   -C only:      NAME, NAME1, NAME2, ...
 *   -C with -W K: NAME0 .. NAME(K-1), zero-padded to the digits of K-1,
 *                 then wrapping to NAME0 (a ring of K files)
 *   -G:           strftime(NAME) at the start of each period; with -C the
 *                 count restarts at 0 each period and is appended as above
 *
 * A name is only numbered when -C is on; -W alone changes nothing.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "writer.h"

int wr_count_width(uint32_t file_count)
{
	int width = 0;

	/* Enough digits for the largest name, count - 1. */
	for (file_count = file_count ? file_count - 1 : 0; file_count > 0;
	     file_count /= 10)
		width++;
	return width;
}

int wr_file_name(char *buf, size_t size, const char *tmpl, int use_strftime,
		 time_t t, uint32_t count, int width)
{
	char base[4096];
	struct tm tm;
	int n;

	if (!tmpl || !*tmpl)
		return -EINVAL;
	if (use_strftime) {
		if (!localtime_r(&t, &tm))
			return -EOVERFLOW;
		/* The user's -w name is the format, by design (-G). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		n = (int)strftime(base, sizeof(base), tmpl, &tm);
#pragma GCC diagnostic pop
		/* The template is not empty, so 0 can only mean "no room"
		 * (or a template of nothing but empty conversions). */
		if (n == 0)
			return -ENAMETOOLONG;
	} else {
		if (strlen(tmpl) >= sizeof(base))
			return -ENAMETOOLONG;
		strcpy(base, tmpl);
	}

	if (count == 0 && width == 0)
		n = snprintf(buf, size, "%s", base);
	else
		n = snprintf(buf, size, "%s%0*u", base, width, count);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}
