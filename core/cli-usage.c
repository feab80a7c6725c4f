/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * --help: a tcpdump-style synopsis, then one line per flag, the plugins'
 * flags included.  Flags that exist only as names are listed, and marked.
 */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli-int.h"

static bool flag_enabled(const struct cli_flag *f,
			 const struct ptd_cli_plugin_flag *extra, size_t n_extra)
{
	if (f->support == CLI_PLUGIN)
		return cli_find_extra(extra, n_extra, f->name) != NULL;
	return f->support == CLI_YES && f->handle != cli_handle_noop;
}

/* tcpdump's order for the bundle of letters: by letter, lower case
 * first, '#' last. */
static int letter_cmp(const void *a, const void *b)
{
	int x = *(const char *)a, y = *(const char *)b;
	int kx = x == '#' ? 1000 : tolower(x) * 2 + !!isupper(x);
	int ky = y == '#' ? 1000 : tolower(y) * 2 + !!isupper(y);

	return kx - ky;
}

static void synopsis_item(FILE *out, int *col, const char *item)
{
	int len = (int)strlen(item);

	if (*col + 1 + len > 78) {
		fputs("\n\t\t", out);
		*col = 16;
	} else {
		fputc(' ', out);
		(*col)++;
	}
	fputs(item, out);
	*col += len;
}

static void print_synopsis(FILE *out, const struct ptd_cli_plugin_flag *extra,
			   size_t n_extra)
{
	char letters[64], item[128];
	size_t i, n = 0;
	int col;

	for (i = 0; i < cli_n_flags; i++)
		if (cli_flags[i].short_opt && !cli_flags[i].arg &&
		    flag_enabled(&cli_flags[i], extra, n_extra))
			letters[n++] = (char)cli_flags[i].short_opt;
	qsort(letters, n, 1, letter_cmp);
	letters[n] = '\0';
	col = fprintf(out, "Usage: ptcpdump [-%s]", letters);
	for (i = 0; i < cli_n_flags; i++) {
		const struct cli_flag *f = &cli_flags[i];

		if (!flag_enabled(f, extra, n_extra) || cli_flag_is_command(f) ||
		    (f->short_opt && !f->arg))
			continue;
		if (f->short_opt)
			snprintf(item, sizeof(item), "[ -%c %s ]", f->short_opt, f->arg);
		else if (f->arg)
			snprintf(item, sizeof(item), "[ --%s %s ]", f->name, f->arg);
		else
			snprintf(item, sizeof(item), "[ --%s ]", f->name);
		synopsis_item(out, &col, item);
	}
	synopsis_item(out, &col, "[ expression ]");
	if (flag_enabled(cli_command_flag(), extra, n_extra))
		synopsis_item(out, &col, "[ -- command [args] ]");
	fputc('\n', out);
}

static void flag_usage_label(const struct cli_flag *f, char *buf, size_t len)
{
	const char *arg = f->arg ? f->arg : "";
	const char *sp = f->arg ? " " : "";

	if (cli_flag_is_command(f))
		snprintf(buf, len, "  -- %s", arg);
	else if (f->short_opt && f->name)
		snprintf(buf, len, "  -%c, --%s%s%s", f->short_opt, f->name, sp, arg);
	else if (f->short_opt)
		snprintf(buf, len, "  -%c%s%s", f->short_opt, sp, arg);
	else
		snprintf(buf, len, "      --%s%s%s", f->name, sp, arg);
}

static void flag_usage_line(FILE *out, const struct cli_flag *f,
			    const char *help, bool enabled)
{
	char label[128];
	int len;

	flag_usage_label(f, label, sizeof(label));
	len = fprintf(out, "%s", label);
	fprintf(out, "%*s%s%s\n",
		len + 2 < CLI_HELP_COLUMN ? CLI_HELP_COLUMN - len : 2, "",
		help, enabled ? "" : " (not supported yet)");
}

void ptd_cli_usage(FILE *out, const struct ptd_cli_plugin_flag *extra,
		   size_t n_extra)
{
	char help[256];
	size_t i;

	if (!extra)
		n_extra = 0;
	print_synopsis(out, extra, n_extra);
	fputs("\nFlags:\n", out);
	for (i = 0; i < cli_n_flags; i++) {
		const struct cli_flag *f = &cli_flags[i];

		flag_usage_line(out, f, f->help,
				f->handle == cli_handle_noop || flag_enabled(f, extra, n_extra));
	}
	for (i = 0; i < n_extra; i++) {
		struct cli_flag f = {
			.name = extra[i].flag,
			.arg = extra[i].is_bool ? NULL : "string",
		};

		if (!f.name || cli_builtin_by_name(f.name) ||
		    cli_find_extra(extra, i, f.name))
			continue;
		snprintf(help, sizeof(help), "Set %s.%s", extra[i].section,
			 extra[i].key);
		flag_usage_line(out, &f, help, true);
	}
	fputs("\nExpression: see \"man 7 pcap-filter\"\n", out);
}
