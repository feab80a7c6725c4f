/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * plugins.d and the trusted-file rules, at unit level: every rejected input
 * with the exact line the user will read.  Files are written into a fresh
 * temporary directory per test.  The option tables are in check_plugopt.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/conf.h"

#define SYNTAX_TAIL "syntax error (expected [kind.name], key = value, or a ; or # comment)"
#define BAD_SECTION_TAIL "expected [backend.NAME], [enricher.NAME] or [printer.NAME] with NAME of a-z, 0-9, '_', '-'"

/* Short enough that every path and message below fits its buffer. */
#define TMPLEN 200
#define PATHLEN 512

static char dir[TMPLEN];
static char err[1024];
static char want[4096];
static struct ptd_conf conf;

static void setup(void)
{
	const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";

	ck_assert_msg(strlen(base) < TMPLEN - 32, "TMPDIR is too long for this suite");
	snprintf(dir, sizeof(dir), "%s/check_conf.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	memset(&conf, 0, sizeof(conf));
	err[0] = '\0';
	/* Files must come out exactly as the privileged rules want them. */
	umask(022);
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	return remove(path);
}

static void teardown(void)
{
	ptd_conf_free(&conf);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes text to dir/name and returns the path (static storage: copy it
 * before the next call). */
static const char *put(const char *name, const char *text)
{
	static char path[PATHLEN];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(text, fp) < 0, 0);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

static int load(void)
{
	return ptd_conf_load_dir(&conf, dir, err, sizeof(err));
}

#define ck_err(...) do { \
		snprintf(want, sizeof(want), __VA_ARGS__); \
		ck_assert_str_eq(err, want); \
	} while (0)

/* ------------------------------------------------------------------------ */
/* Well-formed files */

START_TEST(test_empty_section_is_an_instance)
{
	put("50-printer-text.conf", "# nothing set\n[printer.text]\n");
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(conf.n_sections, 1);
	ck_assert_int_eq(conf.sections[0].kind, PTD_KIND_PRINTER);
	ck_assert_str_eq(conf.sections[0].name, "text");
	ck_assert_int_eq(conf.sections[0].line, 2);
	ck_assert_uint_eq(conf.sections[0].n_entries, 0);
	snprintf(want, sizeof(want), "%s/50-printer-text.conf", dir);
	ck_assert_str_eq(conf.sections[0].file, want);
}
END_TEST

START_TEST(test_entries_values_and_lines)
{
	const struct ptd_conf_section *s;

	put("a.conf",
	    "; comment\n"
	    "\n"
	    "[backend.file]\n"
	    "# another comment\n"
	    "alpha = 1\n"
	    "beta=two words ; inline comment\n"
	    "gamma =\n"
	    "delta: colon\n"
	    "[enricher.file]\r\n"
	    "epsilon = crlf\r\n");
	ck_assert_msg(load() == 0, "%s", err);
	ck_assert_uint_eq(conf.n_sections, 2);
	s = &conf.sections[0];
	ck_assert_int_eq(s->kind, PTD_KIND_BACKEND);
	ck_assert_int_eq(s->line, 3);
	ck_assert_uint_eq(s->n_entries, 4);
	ck_assert_str_eq(ptd_conf_get(s, "alpha")->value, "1");
	ck_assert_int_eq(ptd_conf_get(s, "alpha")->line, 5);
	ck_assert_str_eq(ptd_conf_get(s, "beta")->value, "two words");
	ck_assert_int_eq(ptd_conf_get(s, "beta")->line, 6);
	/* "key =" is an empty value, not a missing one */
	ck_assert_str_eq(ptd_conf_get(s, "gamma")->value, "");
	ck_assert_str_eq(ptd_conf_get(s, "delta")->value, "colon");
	ck_assert_ptr_null(ptd_conf_get(s, "epsilon"));
	/* same name, other kind: a different instance */
	s = &conf.sections[1];
	ck_assert_int_eq(s->kind, PTD_KIND_ENRICHER);
	ck_assert_str_eq(s->name, "file");
	ck_assert_int_eq(s->line, 9);
	ck_assert_str_eq(ptd_conf_get(s, "epsilon")->value, "crlf");
	ck_assert_int_eq(ptd_conf_get(s, "epsilon")->line, 10);
}
END_TEST

START_TEST(test_names_allow_digits_dash_underscore)
{
	put("a.conf", "[printer.pcap_ng-2]\n[ enricher.cri ]\n");
	ck_assert_msg(load() == 0, "%s", err);
	ck_assert_uint_eq(conf.n_sections, 2);
	ck_assert_str_eq(conf.sections[0].name, "pcap_ng-2");
	ck_assert_str_eq(conf.sections[1].name, "cri");
}
END_TEST

START_TEST(test_lexical_file_order)
{
	static const char *const order[] = { "a10", "b20", "c3", "upper", "lower" };

	/* Byte order, not numeric and not the locale's: "10" < "20" < "3",
	 * and upper case before lower case. */
	put("20-b.conf", "[printer.b20]\n");
	put("a-lower.conf", "[printer.lower]\n");
	put("3-c.conf", "[printer.c3]\n");
	put("B-upper.conf", "[printer.upper]\n");
	put("10-a.conf", "[printer.a10]\n");
	ck_assert_msg(load() == 0, "%s", err);
	ck_assert_uint_eq(conf.n_sections, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_str_eq(conf.sections[i].name, order[i]);
}
END_TEST

START_TEST(test_only_conf_files_are_read)
{
	static const char *const ignored[] = {
		"README", "50-x.conf.dpkg-old", "50-x.conf~", "50-x.conf.bak",
		".hidden.conf", ".conf", "xconf", "conf", "50-x.CONF",
	};

	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
		put(ignored[i], "this is not an INI file [\n");
	put("a.conf", "[printer.text]\n");
	ck_assert_msg(load() == 0, "%s", err);
	ck_assert_uint_eq(conf.n_sections, 1);
	ck_assert_str_eq(conf.sections[0].name, "text");
}
END_TEST

START_TEST(test_empty_dir)
{
	ck_assert_int_eq(load(), 0);
	ck_assert_uint_eq(conf.n_sections, 0);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Rejected files */

START_TEST(test_syntax_error)
{
	char path[PATHLEN];

	snprintf(path, sizeof(path), "%s", put("a.conf",
		 "[printer.text]\nkey = 1\n[printer.broken\n"));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:3: " SYNTAX_TAIL, path);
}
END_TEST

START_TEST(test_first_syntax_error_wins)
{
	char path[PATHLEN];

	snprintf(path, sizeof(path), "%s", put("a.conf",
		 "[printer.text]\n\nnot ini\nnor this\n"));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:3: " SYNTAX_TAIL, path);
}
END_TEST

START_TEST(test_key_without_value)
{
	char path[PATHLEN];

	/* inih is built without INI_ALLOW_NO_VALUE: a bare key is a syntax
	 * error, reported at its line. */
	snprintf(path, sizeof(path), "%s", put("a.conf",
		 "[printer.text]\nverbose\n"));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:2: " SYNTAX_TAIL, path);
}
END_TEST

START_TEST(test_key_outside_section)
{
	char path[PATHLEN];

	snprintf(path, sizeof(path), "%s", put("a.conf",
		 "# first\nverbose = 1\n[printer.text]\n"));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:2: 'verbose' is outside any [kind.name] section", path);
}
END_TEST

START_TEST(test_section_does_not_continue_into_next_file)
{
	char path[PATHLEN];

	put("10-a.conf", "[printer.text]\n");
	snprintf(path, sizeof(path), "%s", put("20-b.conf", "\nverbose = 1\n"));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:2: 'verbose' is outside any [kind.name] section", path);
}
END_TEST

static const struct {
	const char *line;
	const char *shown;
} bad_sections[] = {
	{ "[printer]", "printer" },
	{ "[widget.x]", "widget.x" },
	{ "[Printer.text]", "Printer.text" },
	{ "[printer.Text]", "printer.Text" },
	{ "[printer.]", "printer." },
	{ "[.text]", ".text" },
	{ "[printer.a.b]", "printer.a.b" },
	{ "[printer.a/b]", "printer.a/b" },
	{ "[]", "" },
};

START_TEST(test_bad_section_name)
{
	char path[PATHLEN], text[128];

	snprintf(text, sizeof(text), "# x\n%s\nkey = 1\n", bad_sections[_i].line);
	snprintf(path, sizeof(path), "%s", put("a.conf", text));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:2: bad section [%s]: " BAD_SECTION_TAIL, path,
	       bad_sections[_i].shown);
}
END_TEST

START_TEST(test_duplicate_section_same_file)
{
	char path[PATHLEN];

	snprintf(path, sizeof(path), "%s", put("a.conf",
		 "[printer.text]\n[printer.hex]\n\n[printer.text]\n"));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:4: duplicate section [printer.text] (first defined at %s:1)",
	       path, path);
}
END_TEST

START_TEST(test_duplicate_section_across_files)
{
	char first[PATHLEN], second[PATHLEN];

	snprintf(first, sizeof(first), "%s", put("50-printer-text.conf",
		 "# the packaged one\n\n[printer.text]\n"));
	snprintf(second, sizeof(second), "%s", put("90-local.conf",
		 "[enricher.proc]\n[printer.text]\n"));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:2: duplicate section [printer.text] (first defined at %s:3)",
	       second, first);
}
END_TEST

START_TEST(test_duplicate_key)
{
	char path[PATHLEN];

	snprintf(path, sizeof(path), "%s", put("a.conf",
		 "[printer.text]\nwidth = 1\nother = 2\nwidth = 3\n"));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:4: duplicate key 'width' in [printer.text] (first set at line 2)",
	       path);
}
END_TEST

START_TEST(test_same_key_in_two_sections)
{
	put("a.conf", "[printer.a]\nwidth = 1\n[printer.b]\nwidth = 2\n");
	ck_assert_msg(load() == 0, "%s", err);
	ck_assert_str_eq(ptd_conf_get(&conf.sections[1], "width")->value, "2");
}
END_TEST

START_TEST(test_long_line)
{
	char path[PATHLEN], text[512];

	/* inih reads lines into a buffer of INI_MAX_LINE (200) bytes: a longer
	 * line must be an error at its own line, not a value cut short and a
	 * syntax error on a line that does not exist. */
	snprintf(text, sizeof(text), "[printer.text]\n\npath = /%0192d\n", 0);
	snprintf(path, sizeof(path), "%s", put("a.conf", text));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:3: line too long (at most 199 characters)", path);
	ptd_conf_free(&conf);
	snprintf(text, sizeof(text), "[printer.text]\npath = /%0300d.so\n", 0);
	snprintf(path, sizeof(path), "%s", put("a.conf", text));
	ck_assert_int_eq(load(), -EINVAL);
	ck_err("%s:2: line too long (at most 199 characters)", path);
}
END_TEST

START_TEST(test_line_at_the_limit)
{
	char text[512], value[193];

	/* "path = " and a 192-character value: 199 characters, the most a
	 * line may hold, with or without its newline */
	memset(value, 'x', sizeof(value) - 1);
	value[0] = '/';
	value[sizeof(value) - 1] = '\0';
	snprintf(text, sizeof(text), "[printer.text]\npath = %s\nnext = 1\n", value);
	put("a.conf", text);
	ck_assert_msg(load() == 0, "%s", err);
	ck_assert_str_eq(ptd_conf_get(&conf.sections[0], "path")->value, value);
	ck_assert_int_eq(ptd_conf_get(&conf.sections[0], "next")->line, 3);
	ptd_conf_free(&conf);
	snprintf(text, sizeof(text), "[printer.text]\npath = %s", value);
	put("a.conf", text);
	ck_assert_msg(load() == 0, "%s", err);
	ck_assert_str_eq(ptd_conf_get(&conf.sections[0], "path")->value, value);
}
END_TEST

START_TEST(test_missing_dir)
{
	char missing[PATHLEN];

	snprintf(missing, sizeof(missing), "%s/nope", dir);
	ck_assert_int_eq(ptd_conf_load_dir(&conf, missing, err, sizeof(err)), -ENOENT);
	ck_err("plugin configuration directory %s: No such file or directory", missing);
}
END_TEST

START_TEST(test_dir_is_a_file)
{
	char path[PATHLEN];

	snprintf(path, sizeof(path), "%s", put("file", "x\n"));
	ck_assert_int_eq(ptd_conf_load_dir(&conf, path, err, sizeof(err)), -ENOTDIR);
	ck_err("plugin configuration directory %s: Not a directory", path);
}
END_TEST

START_TEST(test_privileged_refuses_symlinked_conf)
{
	char target[PATHLEN], link[PATHLEN];

	snprintf(target, sizeof(target), "%s", put("real.txt", "[printer.text]\n"));
	snprintf(link, sizeof(link), "%s/50-printer-text.conf", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	conf.check_ownership = 1;
	ck_assert_int_eq(load(), -EPERM);
	ck_err("refusing configuration file %s: it is a symbolic link (running privileged: name the real file)",
	       link);
}
END_TEST

START_TEST(test_privileged_refuses_writable_conf)
{
	char path[PATHLEN];

	if (geteuid() != 0)
		return; /* only root can own a file as root */
	snprintf(path, sizeof(path), "%s", put("a.conf", "[printer.text]\n"));
	ck_assert_int_eq(chmod(path, 0664), 0);
	conf.check_ownership = 1;
	ck_assert_int_eq(load(), -EPERM);
	ck_err("refusing configuration file %s: writable by group or others (running privileged: chmod go-w it)",
	       path);
	/* unprivileged runs read it */
	conf.check_ownership = 0;
	ck_assert_int_eq(load(), 0);
}
END_TEST

START_TEST(test_kind_names)
{
	enum ptd_plugin_kind k;

	ck_assert_str_eq(ptd_kind_name(PTD_KIND_BACKEND), "backend");
	ck_assert_str_eq(ptd_kind_name(PTD_KIND_ENRICHER), "enricher");
	ck_assert_str_eq(ptd_kind_name(PTD_KIND_PRINTER), "printer");
	ck_assert_str_eq(ptd_kind_name((enum ptd_plugin_kind)0), "unknown");
	ck_assert_str_eq(ptd_kind_name((enum ptd_plugin_kind)4), "unknown");
	ck_assert_int_eq(ptd_kind_from_name("enricher", &k), 0);
	ck_assert_int_eq(k, PTD_KIND_ENRICHER);
	ck_assert_int_eq(ptd_kind_from_name("Printer", &k), -EINVAL);
	ck_assert_int_eq(ptd_kind_from_name("", &k), -EINVAL);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* ptd_check_trusted_file */

START_TEST(test_trusted_regular_file)
{
	char path[PATHLEN];

	if (geteuid() != 0)
		return;
	snprintf(path, sizeof(path), "%s", put("p.so", "x"));
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(ptd_check_trusted_file(path, "plugin", err, sizeof(err)), 0);
}
END_TEST

START_TEST(test_trusted_symlink)
{
	char target[PATHLEN], link[PATHLEN];

	snprintf(target, sizeof(target), "%s", put("p.so", "x"));
	snprintf(link, sizeof(link), "%s/link.so", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(ptd_check_trusted_file(link, "plugin", err, sizeof(err)), -EPERM);
	ck_err("refusing plugin %s: it is a symbolic link (running privileged: name the real file)",
	       link);
	/* even a dangling one says so, rather than "no such file" */
	ck_assert_int_eq(unlink(target), 0);
	ck_assert_int_eq(ptd_check_trusted_file(link, "plugin", err, sizeof(err)), -EPERM);
	ck_err("refusing plugin %s: it is a symbolic link (running privileged: name the real file)",
	       link);
}
END_TEST

START_TEST(test_trusted_directory)
{
	char sub[PATHLEN];

	snprintf(sub, sizeof(sub), "%s/d.so", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(ptd_check_trusted_file(sub, "plugin", err, sizeof(err)), -EPERM);
	ck_err("refusing plugin %s: not a regular file", sub);
}
END_TEST

START_TEST(test_trusted_fifo)
{
	char fifo[PATHLEN];

	snprintf(fifo, sizeof(fifo), "%s/f.conf", dir);
	ck_assert_int_eq(mkfifo(fifo, 0644), 0);
	ck_assert_int_eq(ptd_check_trusted_file(fifo, "configuration file", err,
						sizeof(err)), -EPERM);
	ck_err("refusing configuration file %s: not a regular file", fifo);
}
END_TEST

START_TEST(test_trusted_missing)
{
	char missing[PATHLEN];

	snprintf(missing, sizeof(missing), "%s/none.so", dir);
	ck_assert_int_eq(ptd_check_trusted_file(missing, "plugin", err, sizeof(err)),
			 -ENOENT);
	ck_err("plugin %s: No such file or directory", missing);
}
END_TEST

START_TEST(test_trusted_not_root_owned)
{
	char path[PATHLEN];

	snprintf(path, sizeof(path), "%s", put("p.so", "x"));
	if (geteuid() == 0) {
		ck_assert_int_eq(chown(path, 65534, 65534), 0);
		ck_assert_int_eq(ptd_check_trusted_file(path, "plugin", err, sizeof(err)),
				 -EPERM);
		ck_err("refusing plugin %s: owned by uid 65534, not root (running privileged: chown root it)",
		       path);
	} else {
		/* our own file is not root's either */
		ck_assert_int_eq(ptd_check_trusted_file(path, "plugin", err, sizeof(err)),
				 -EPERM);
		ck_err("refusing plugin %s: owned by uid %u, not root (running privileged: chown root it)",
		       path, (unsigned)geteuid());
	}
}
END_TEST

START_TEST(test_trusted_writable)
{
	static const mode_t modes[] = { 0664, 0646, 0666, 0620, 0602, 0777 };
	char path[PATHLEN];

	if (geteuid() != 0)
		return; /* the owner check comes first */
	snprintf(path, sizeof(path), "%s", put("p.so", "x"));
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ck_assert_int_eq(chmod(path, modes[i]), 0);
		ck_assert_int_eq(ptd_check_trusted_file(path, "plugin", err, sizeof(err)),
				 -EPERM);
		ck_err("refusing plugin %s: writable by group or others (running privileged: chmod go-w it)",
		       path);
	}
	/* read and execute bits for others are fine */
	ck_assert_int_eq(chmod(path, 0755), 0);
	ck_assert_int_eq(ptd_check_trusted_file(path, "plugin", err, sizeof(err)), 0);
}
END_TEST

static Suite *conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc;

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty_section_is_an_instance);
	tcase_add_test(tc, test_entries_values_and_lines);
	tcase_add_test(tc, test_names_allow_digits_dash_underscore);
	tcase_add_test(tc, test_lexical_file_order);
	tcase_add_test(tc, test_only_conf_files_are_read);
	tcase_add_test(tc, test_empty_dir);
	tcase_add_test(tc, test_syntax_error);
	tcase_add_test(tc, test_first_syntax_error_wins);
	tcase_add_test(tc, test_key_without_value);
	tcase_add_test(tc, test_key_outside_section);
	tcase_add_test(tc, test_section_does_not_continue_into_next_file);
	tcase_add_loop_test(tc, test_bad_section_name, 0,
			    sizeof(bad_sections) / sizeof(bad_sections[0]));
	tcase_add_test(tc, test_duplicate_section_same_file);
	tcase_add_test(tc, test_duplicate_section_across_files);
	tcase_add_test(tc, test_duplicate_key);
	tcase_add_test(tc, test_same_key_in_two_sections);
	tcase_add_test(tc, test_long_line);
	tcase_add_test(tc, test_line_at_the_limit);
	tcase_add_test(tc, test_missing_dir);
	tcase_add_test(tc, test_dir_is_a_file);
	tcase_add_test(tc, test_privileged_refuses_symlinked_conf);
	tcase_add_test(tc, test_privileged_refuses_writable_conf);
	tcase_add_test(tc, test_kind_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("trusted");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_trusted_regular_file);
	tcase_add_test(tc, test_trusted_symlink);
	tcase_add_test(tc, test_trusted_directory);
	tcase_add_test(tc, test_trusted_fifo);
	tcase_add_test(tc, test_trusted_missing);
	tcase_add_test(tc, test_trusted_not_root_owned);
	tcase_add_test(tc, test_trusted_writable);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(conf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
