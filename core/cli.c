/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Command line parsing.  tcpdump 4.99 is the reference for every flag the two
 * programs share: the same letters, the same counted and combined forms, the
 * same validation and the same error texts.  ptcpdump's own flags come on
 * top, and "--" hands the rest of the line to a command.
 *
 * Every flag lives in one table, cli_flags[] (cli-flags.c), which also says
 * whether the capability behind it exists yet: a flag we cannot honour is
 * refused by name ("--pid: not supported yet"), never silently ignored.  This
 * file runs getopt over that table; cli-usage.c prints it for --help.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cli-int.h"

int cli_fail(struct cli_state *st, const char *fmt, ...)
{
	va_list ap;

	if (st->err && st->errlen) {
		va_start(ap, fmt);
		vsnprintf(st->err, st->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int cli_nomem(struct cli_state *st)
{
	if (st->err && st->errlen)
		snprintf(st->err, st->errlen, "out of memory");
	return -ENOMEM;
}

/* ------------------------------------------------------------------------ */
/* The getopt tables, built per parse because plugins add flags.            */

static int plugin_has_arg(const struct ptd_cli_plugin_flag *extra,
			  size_t n_extra, const char *name)
{
	const struct ptd_cli_plugin_flag *pf =
		cli_find_extra(extra, n_extra, name);

	return pf && pf->is_bool ? no_argument : required_argument;
}

static int add_long(struct cli_state *st, const struct cli_flag *f)
{
	struct option *o = &st->longopts[st->n_flags];

	o->name = f->name;
	o->has_arg = f->arg ? required_argument : no_argument;
	if (f->support == CLI_PLUGIN)
		o->has_arg = plugin_has_arg(st->extra, st->n_extra, f->name);
	o->flag = NULL;
	o->val = CLI_LONG_BASE + (int)st->n_flags;
	st->flags[st->n_flags++] = f;
	return 0;
}

/* Plugin flags the table lacks become flags of their own. */
static void add_extra_flags(struct cli_state *st)
{
	size_t i, n = 0;

	for (i = 0; i < st->n_extra; i++) {
		const struct ptd_cli_plugin_flag *pf = &st->extra[i];
		struct cli_flag *f = &st->extra_flags[n];

		if (!pf->flag || !*pf->flag || cli_builtin_by_name(pf->flag) ||
		    cli_find_extra(st->extra, i, pf->flag))
			continue;
		f->name = pf->flag;
		f->short_opt = 0;
		f->arg = pf->is_bool ? NULL : "string";
		f->support = CLI_PLUGIN;
		f->handle = cli_handle_plugin;
		f->off = 0;
		f->help = NULL;
		n++;
		add_long(st, f);
	}
}

static int build_tables(struct cli_state *st)
{
	size_t i, max = cli_n_flags + st->n_extra;
	char *p = st->shortopts;

	st->flags = calloc(max, sizeof(*st->flags));
	st->longopts = calloc(max + 1, sizeof(*st->longopts));
	st->extra_flags = calloc(st->n_extra + 1, sizeof(*st->extra_flags));
	if (!st->flags || !st->longopts || !st->extra_flags)
		return cli_nomem(st);

	/* "-": words come back in order, so "--" keeps its place;
	 * ":": a missing argument is told apart from an unknown flag. */
	*p++ = '-';
	*p++ = ':';
	for (i = 0; i < cli_n_flags; i++) {
		const struct cli_flag *f = &cli_flags[i];

		if (f->name)
			add_long(st, f);
		if (f->short_opt) {
			*p++ = (char)f->short_opt;
			if (f->arg)
				*p++ = ':';
		}
	}
	*p = '\0';
	add_extra_flags(st);
	return 0;
}

static void free_tables(struct cli_state *st)
{
	free(st->flags);
	free(st->longopts);
	free(st->extra_flags);
	free(st->words);
}

/* ------------------------------------------------------------------------ */
/* getopt's complaints, in getopt's words (its own printing is off).        */

static int long_option_unknown(struct cli_state *st, const char *elem)
{
	const char *typed = elem + 2;
	size_t namelen = strcspn(typed, "="), i, used, n = 0;

	for (i = 0; st->longopts[i].name; i++)
		if (!strncmp(st->longopts[i].name, typed, namelen))
			n++;
	if (n < 2)
		return cli_fail(st, "unrecognized option '%s'", elem);

	cli_fail(st, "option '%s' is ambiguous; possibilities:", elem);
	used = st->err ? strlen(st->err) : 0;
	for (i = 0; st->longopts[i].name && used < st->errlen; i++) {
		if (strncmp(st->longopts[i].name, typed, namelen))
			continue;
		snprintf(st->err + used, st->errlen - used, " '--%s'",
			 st->longopts[i].name);
		used += strlen(st->err + used);
	}
	return -EINVAL;
}

static int getopt_failure(struct cli_state *st, int c, char **argv)
{
	int opt = optopt;

	if (opt > 0 && opt < CLI_LONG_BASE) {
		if (c == ':')
			return cli_fail(st, "option requires an argument -- '%c'", opt);
		return cli_fail(st, "invalid option -- '%c'", opt);
	}
	if (opt >= CLI_LONG_BASE) {
		const char *name = st->flags[opt - CLI_LONG_BASE]->name;

		if (c == ':')
			return cli_fail(st, "option '--%s' requires an argument", name);
		return cli_fail(st, "option '--%s' doesn't allow an argument", name);
	}
	/* Unknown or ambiguous: getopt has stepped past the element. */
	return long_option_unknown(st, argv[optind - 1]);
}

static const struct cli_flag *flag_for(struct cli_state *st, int c,
				       bool *long_form)
{
	size_t i;

	*long_form = c >= CLI_LONG_BASE;
	if (*long_form)
		return st->flags[c - CLI_LONG_BASE];
	for (i = 0; i < cli_n_flags; i++)
		if (cli_flags[i].short_opt == c)
			return &cli_flags[i];
	return NULL;
}

static int apply_flag(struct cli_state *st, const struct cli_flag *f,
		      bool long_form, const char *arg)
{
	char label[80];

	if (f->support == CLI_NO || !f->handle) {
		cli_flag_label(f, long_form, label, sizeof(label));
		return cli_fail(st, "%s: not supported yet", label);
	}
	return f->handle(st, f, arg);
}

static int push_word(struct cli_state *st, const char *word)
{
	const char **grown = realloc(st->words,
				     (st->n_words + 1) * sizeof(*grown));

	if (!grown)
		return cli_nomem(st);
	st->words = grown;
	st->words[st->n_words++] = word;
	return 0;
}

/* Runs getopt over argv; *dash is set to the index after a "--" that ended
 * the options (not one that was an option's argument), or 0. */
static int run_getopt(struct cli_state *st, int argc, char **argv, int *dash)
{
	const struct cli_flag *f;
	bool long_form;
	int c, prev, ret;

	*dash = 0;
	optind = 0;     /* glibc: a full re-initialisation */
	opterr = 0;
	while (!st->stop) {
		prev = optind ? optind : 1;
		c = getopt_long(argc, argv, st->shortopts, st->longopts, NULL);
		if (c == -1) {
			if (prev < argc && !strcmp(argv[prev], "--"))
				*dash = prev + 1;
			return 0;
		}
		if (c == 1) {
			ret = push_word(st, optarg);
		} else if (c == '?' || c == ':') {
			ret = getopt_failure(st, c, argv);
		} else {
			f = flag_for(st, c, &long_form);
			ret = f ? apply_flag(st, f, long_form, optarg)
				: cli_fail(st, "invalid option -- '%c'", c);
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* After the flags                                                          */

static char *join_words(const char *const *words, size_t n)
{
	size_t i, len = 1;
	char *s, *p;

	for (i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	for (i = 0; i < n; i++) {
		if (i)
			*p++ = ' ';
		p = stpcpy(p, words[i]);
	}
	*p = '\0';
	return s;
}

/* -F: the whole file, with '#' comments blanked out to the end of their
 * line, as tcpdump does. */
static int read_expression_file(struct cli_state *st, const char *path)
{
	size_t len = 0, cap = 4096, n;
	char *buf = NULL, *grown, *p;
	FILE *fp;
	int ret = 0;

	fp = fopen(path, "r");
	if (!fp)
		return cli_fail(st, "can't open %s: %s", path, strerror(errno));
	do {
		grown = realloc(buf, cap + 1);
		if (!grown) {
			ret = cli_nomem(st);
			goto out;
		}
		buf = grown;
		n = fread(buf + len, 1, cap - len, fp);
		len += n;
		cap *= 2;
	} while (n && !ferror(fp));
	if (ferror(fp)) {
		ret = cli_fail(st, "read %s: %s", path, strerror(errno));
		goto out;
	}
	buf[len] = '\0';
	for (p = buf; (p = strchr(p, '#')) != NULL; )
		while (*p && *p != '\n')
			*p++ = ' ';
	st->cli->expression = buf;
	buf = NULL;
out:
	free(buf);
	fclose(fp);
	return ret;
}

static int take_command(struct cli_state *st, int argc, char **argv,
			int first)
{
	const struct cli_flag *f = cli_command_flag();
	struct ptd_cli *cli = st->cli;
	size_t n = 0;
	int i;

	if (first >= argc)
		return 0;
	if (f->support == CLI_NO)
		return apply_flag(st, f, true, NULL);
	for (i = first; i < argc; i++)
		if (cli_push_string(&cli->command, &n, argv[i],
				    strlen(argv[i])))
			return cli_nomem(st);
	return 0;
}

static int finish(struct cli_state *st, int argc, char **argv, int dash)
{
	struct ptd_cli *cli = st->cli;
	int ret;

	if (st->t_count > PTD_TS_DELTA_FIRST)
		return cli_fail(st, "only -t, -tt, -ttt, -tttt and -ttttt are supported");
	cli->opts.tstamp = (enum ptd_tstamp_mode)st->t_count;

	if (dash) {
		ret = take_command(st, argc, argv, dash);
		if (ret)
			return ret;
	}
	if (cli->command && cli->opts.read_file)
		return cli_fail(st, "-- command: cannot be used with -r (it captures live)");
	if ((cli->n_pids || cli->n_uids || cli->opts.pname) && cli->opts.read_file)
		return cli_fail(st, "--pid, --pname and --uid filter a live capture: they cannot be used with -r");
	if (cli->opts.follow_forks && !cli->n_pids && !cli->command)
		return cli_fail(st, "-f: follows the children of the processes --pid or -- command selects: give one of them");
	/* As in tcpdump, -F wins and words on the command line are ignored. */
	if (cli->expression_file)
		return read_expression_file(st, cli->expression_file);
	if (st->n_words) {
		cli->expression = join_words(st->words, st->n_words);
		if (!cli->expression)
			return cli_nomem(st);
	}
	return 0;
}

static int cli_init(struct ptd_cli *cli)
{
	memset(cli, 0, sizeof(*cli));
	cli->opts.size = sizeof(cli->opts);
	cli->opts.snaplen = CLI_MAX_SNAPLEN;
	cli->opts.context = PTD_CTX_ALL;
	cli->opts.direction = PTD_Q_INOUT;
	cli->opts.tstamp = PTD_TS_DEFAULT;
	cli->log_level = PTD_LOG_WARN;
	/* an empty interface list, never a NULL one */
	cli->ifaces = calloc(1, sizeof(*cli->ifaces));
	return cli->ifaces ? 0 : -ENOMEM;
}

int ptd_cli_parse(struct ptd_cli *cli, int argc, char **argv,
		  const struct ptd_cli_plugin_flag *extra, size_t n_extra,
		  char *err, size_t errlen)
{
	struct cli_state st = {
		.cli = cli, .extra = extra, .n_extra = extra ? n_extra : 0,
		.err = err, .errlen = errlen,
	};
	int dash = 0, ret;

	if (err && errlen)
		err[0] = '\0';
	if (cli_init(cli))
		return cli_nomem(&st);
	ret = build_tables(&st);
	if (!ret)
		ret = run_getopt(&st, argc, argv, &dash);
	if (!ret && !st.stop)
		ret = finish(&st, argc, argv, dash);
	free_tables(&st);
	if (ret) {
		ptd_cli_free(cli);
		return ret;
	}
	cli->opts.interfaces = (const char *const *)cli->ifaces;
	cli->opts.pids = cli->pids;
	cli->opts.n_pids = cli->n_pids;
	cli->opts.uids = cli->uids;
	cli->opts.n_uids = cli->n_uids;
	return 0;
}

/* ------------------------------------------------------------------------ */

static bool parse_level(const char *s, enum ptd_log_level *level)
{
	struct cli_state st = { 0 };
	struct ptd_cli tmp = { 0 };

	st.cli = &tmp;
	if (cli_handle_log_level(&st, NULL, s))
		return false;
	*level = tmp.log_level;
	return true;
}

/* The same getopt rules as the full parse, so "--config-dir=x", "-w
 * --config-dir" and abbreviations mean what they will mean there; every
 * complaint is left for the full parse. */
void ptd_cli_prescan(int argc, char **argv, const char **config_dir,
		     const char **plugin_dir, enum ptd_log_level *level)
{
	struct cli_state st = { 0 };
	struct ptd_cli scratch;
	const struct cli_flag *f;
	bool long_form;
	int c;

	st.cli = &scratch;
	if (build_tables(&st))
		goto out;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, st.shortopts, st.longopts,
				NULL)) != -1) {
		if (c < CLI_LONG_BASE)
			continue;
		f = flag_for(&st, c, &long_form);
		if (!strcmp(f->name, "config-dir") && config_dir)
			*config_dir = optarg;
		else if (!strcmp(f->name, "plugin-dir") && plugin_dir)
			*plugin_dir = optarg;
		else if (!strcmp(f->name, "log-level") && level)
			parse_level(optarg, level);
	}
out:
	free_tables(&st);
	optind = 0;
}

static void free_vector(char **v)
{
	char **p;

	if (!v)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

void ptd_cli_free(struct ptd_cli *cli)
{
	size_t i;

	if (!cli)
		return;
	free_vector(cli->ifaces);
	free_vector(cli->command);
	free(cli->pids);
	free(cli->uids);
	free(cli->expression);
	for (i = 0; i < cli->n_settings; i++) {
		/* value and flag are ours; section and key belong to the plugin */
		free((char *)cli->settings[i].value);
		free((char *)cli->settings[i].flag);
	}
	free(cli->settings);
	memset(cli, 0, sizeof(*cli));
}
