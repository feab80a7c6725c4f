/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The plugin contract, enforced by the loader: each broken test plugin
 * (tests/plugins/) is refused with the exact line the user will read, the
 * descriptor rules hold without dlopen, plugins are found where plugins.d
 * says, and the privileged rules refuse unsafe files.  check_loader_options
 * has how a good plugin's options are filled.
 *
 * Every test gets a fresh temporary directory (loader_harness.h).
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/loader_harness.h"
#include "tests/unit/suite_run.h"
#include "tests/plugins/good.h"

#ifndef PTD_TEST_PLUGIN_BUILD_DIR
#error "PTD_TEST_PLUGIN_BUILD_DIR must name where libtool put the test plugins"
#endif

#define MALFORMED_TAIL "is malformed (bad type, offset beyond config_size, enum without choices, or a reserved key): rebuild the plugin"

/* ------------------------------------------------------------------------ */
/* Broken plugins */

static const struct {
	const char *section;   /* [kind.name] */
	const char *file;      /* in the plugin directory */
	int rc;
	const char *message;   /* after "<path of the .so>: " */
} broken[] = {
	{ "printer.abimajor", "abi-major.so", -EPROTO,
	  "plugin ABI 2.0 is not compatible with this ptcpdump's ABI 1.2: rebuild the plugin against this version's SDK" },
	{ "printer.abiminor", "abi-minor-newer.so", -EPROTO,
	  "plugin ABI 1.99 is not compatible with this ptcpdump's ABI 1.2: rebuild the plugin against this version's SDK" },
	{ "backend.wrongkind", "wrong-kind.so", -EPROTO,
	  "is a printer plugin, but its section asks for a backend: fix the section name or path=" },
	{ "printer.nosymbol", "no-symbol.so", -ENOENT,
	  "not a ptcpdump plugin: no 'ptcpdump_plugin' symbol (define it with PTD_PLUGIN_DEFINE)" },
	{ "printer.mismatch", "name-mismatch.so", -EPROTO,
	  "plugin calls itself 'other' but is configured as [printer.mismatch]: rename the section or fix path=" },
	{ "printer.noprint", "missing-print.so", -EPROTO,
	  "printer plugin has no print callback" },
	{ "printer.badtable", "bad-option-table.so", -EINVAL,
	  "option 'window' " MALFORMED_TAIL },
};

START_TEST(test_broken_plugin)
{
	char text[256], so[PATHLEN];

	/* a good plugin first: one bad instance fails the whole load */
	snprintf(text, sizeof(text),
		 "[printer.good]\npath = good.so\n\n[%s]\npath = %s\n",
		 broken[_i].section, broken[_i].file);
	conf_put("50-test.conf", text);
	ck_assert_int_eq(load(0), broken[_i].rc);
	snprintf(so, sizeof(so), "%s/%s", plugdir, broken[_i].file);
	ck_err("%s: %s", so, broken[_i].message);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

START_TEST(test_too_small)
{
	conf_put("50-test.conf", "[printer.toosmall]\npath = too-small.so\n");
	ck_assert_int_eq(load(0), -EPROTO);
	ck_err("%s/too-small.so: descriptor is %zu bytes, smaller than an ABI 1.0 printer descriptor (%zu): rebuild the plugin",
	       plugdir, sizeof(struct ptd_plugin_common),
	       sizeof(struct ptd_printer_plugin));
}
END_TEST

START_TEST(test_bad_default)
{
	/* loads: the table is well-formed; its default fails when applied */
	conf_put("50-test.conf", "[printer.baddefault]\npath = bad-default.so\n");
	ck_ok(load(0));
	ck_assert_int_eq(configure(NULL, 0), -EINVAL);
	ck_err("%s/bad-default.so: default 'ten' of key 'count' is invalid: expected an integer",
	       plugdir);
}
END_TEST

START_TEST(test_missing_so)
{
	char conffile[PATHLEN];

	snprintf(conffile, sizeof(conffile), "%s",
		 conf_put("50-test.conf", "# gone\n[printer.gone]\n"));
	ck_assert_int_eq(load(0), -ENOENT);
	ck_err("cannot load plugin for [printer.gone] (%s:2): %s/printer-gone.so: cannot open shared object file: No such file or directory (check the file exists and its libraries resolve with ldd(1))",
	       conffile, plugdir);
}
END_TEST

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

START_TEST(test_not_a_shared_object)
{
	char conffile[PATHLEN], prefix[2 * PATHLEN];
	FILE *fp;

	snprintf(prefix, sizeof(prefix), "%s/junk.so", plugdir);
	fp = fopen(prefix, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("#!/bin/sh\n# not an ELF object, long enough to have a header\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	snprintf(conffile, sizeof(conffile), "%s",
		 conf_put("50-test.conf", "[printer.junk]\npath = junk.so\n"));
	ck_assert_int_eq(load(0), -ENOENT);
	/* the middle is dlerror()'s, worded by the C library */
	snprintf(prefix, sizeof(prefix),
		 "cannot load plugin for [printer.junk] (%s:1): %s/junk.so: ",
		 conffile, plugdir);
	ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0, "got: %s", err);
	ck_assert_msg(ends_with(err, " (check the file exists and its libraries resolve with ldd(1))"),
		      "got: %s", err);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Descriptors checked without dlopen: the rules no built plugin shows. */

static int noop_print(void *state, const struct ptd_packet *pkt,
		      const struct ptd_meta *meta)
{
	return 0;
}

static int noop_start(void *state, char *errbuf)
{
	return 0;
}

static int noop_enrich(void *state, const struct ptd_packet *pkt,
		       struct ptd_meta *meta)
{
	(void)state; (void)pkt; (void)meta;
	return 0;
}

START_TEST(test_descriptor_rules)
{
	static const char *const choices[] = { "a", NULL };
	struct ptd_printer_plugin p = {
		.common = {
			.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER, struct ptd_printer_plugin),
			.name = "p",
			.config_size = sizeof(uint64_t),
		},
		.print = noop_print,
	};
	struct ptd_enricher_plugin e = {
		.common = {
			.hdr = PTD_PLUGIN_HEADER(PTD_KIND_ENRICHER, struct ptd_enricher_plugin),
			.name = "e",
		},
	};
	struct ptd_backend_plugin b = {
		.common = {
			.hdr = PTD_PLUGIN_HEADER(PTD_KIND_BACKEND, struct ptd_backend_plugin),
			.name = "b",
		},
	};
	struct ptd_option opts[2] = { { 0 }, { 0 } };

	ck_ok(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so", err, sizeof(err)));

	/* an older minor and a bigger descriptor are fine */
	p.common.hdr.size += 64;
	ck_ok(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so", err, sizeof(err)));

	p.common.hdr.kind = 7;
	ck_assert_int_eq(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so",
					      err, sizeof(err)), -EPROTO);
	ck_assert_str_eq(err, "P.so: unknown plugin kind 7");
	p.common.hdr.kind = PTD_KIND_PRINTER;

	p.common.name = NULL;
	ck_assert_int_eq(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so",
					      err, sizeof(err)), -EPROTO);
	ck_assert_str_eq(err, "P.so: plugin calls itself '(null)' but is configured as [printer.p]: rename the section or fix path=");
	p.common.name = "p";

	ck_assert_int_eq(ptd_descriptor_check(&e, PTD_KIND_ENRICHER, "e", "E.so",
					      err, sizeof(err)), -EPROTO);
	ck_assert_str_eq(err, "E.so: enricher plugin has no enrich callback");
	/* an ABI 1.0 enricher, built before process_event existed, loads;
	 * one byte less does not */
	e.enrich = noop_enrich;
	e.common.hdr.abi = (1u << 16) | 0;
	e.common.hdr.size = offsetof(struct ptd_enricher_plugin, process_event);
	ck_ok(ptd_descriptor_check(&e, PTD_KIND_ENRICHER, "e", "E.so", err, sizeof(err)));
	e.common.hdr.size--;
	ck_assert_int_eq(ptd_descriptor_check(&e, PTD_KIND_ENRICHER, "e", "E.so",
					      err, sizeof(err)), -EPROTO);
	ck_assert_int_eq(ptd_descriptor_check(&b, PTD_KIND_BACKEND, "b", "B.so",
					      err, sizeof(err)), -EPROTO);
	ck_assert_str_eq(err, "B.so: backend plugin has no start callback");
	b.common.start = noop_start;
	ck_ok(ptd_descriptor_check(&b, PTD_KIND_BACKEND, "b", "B.so", err, sizeof(err)));

	/* option tables */
	p.common.options = opts;
	opts[0] = (struct ptd_option){ .key = "ok", .type = PTD_OPT_UINT, .offset = 0 };
	ck_ok(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so", err, sizeof(err)));
	opts[0] = (struct ptd_option){ .key = "wide", .type = PTD_OPT_UINT, .offset = 1 };
	ck_assert_int_eq(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so",
					      err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "P.so: option 'wide' " MALFORMED_TAIL);
	opts[0] = (struct ptd_option){ .key = "odd", .type = 42 };
	ck_assert_int_eq(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so",
					      err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "P.so: option 'odd' " MALFORMED_TAIL);
	opts[0] = (struct ptd_option){ .key = "pick", .type = PTD_OPT_ENUM };
	ck_assert_int_eq(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so",
					      err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "P.so: option 'pick' " MALFORMED_TAIL);
	opts[0].choices = choices;
	ck_ok(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so", err, sizeof(err)));
	opts[0] = (struct ptd_option){ .key = "path", .type = PTD_OPT_STRING };
	ck_assert_int_eq(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so",
					      err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "P.so: option 'path' " MALFORMED_TAIL);
	opts[0] = (struct ptd_option){ .key = "enabled", .type = PTD_OPT_BOOL };
	ck_assert_int_eq(ptd_descriptor_check(&p, PTD_KIND_PRINTER, "p", "P.so",
					      err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "P.so: option 'enabled' " MALFORMED_TAIL);
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Where plugins come from */

START_TEST(test_default_path)
{
	char so[PATHLEN];

	install_plugin("good", "printer-good.so", 0644);
	conf_put("50-test.conf", "[printer.good]\n");
	ck_ok(load(0));
	ck_assert_uint_eq(reg.n, 1);
	snprintf(so, sizeof(so), "%s/printer-good.so", plugdir);
	ck_assert_str_eq(reg.inst[0].path, so);
	ck_assert_int_eq(reg.inst[0].kind, PTD_KIND_PRINTER);
	ck_assert_str_eq(reg.inst[0].log_prefix, "printer:good");
	ck_assert_str_eq(reg.inst[0].desc->name, "good");
}
END_TEST

START_TEST(test_relative_path)
{
	char sub[PATHLEN], so[PATHLEN];

	snprintf(sub, sizeof(sub), "%s/extra", plugdir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	install_plugin("good", "extra/my-good.so", 0644);
	conf_put("50-test.conf", "[printer.good]\npath = extra/my-good.so\n");
	ck_ok(load(0));
	snprintf(so, sizeof(so), "%s/extra/my-good.so", plugdir);
	ck_assert_str_eq(reg.inst[0].path, so);
}
END_TEST

START_TEST(test_absolute_path)
{
	char elsewhere[TMPLEN + 32], so[PATHLEN], text[2 * PATHLEN];

	snprintf(elsewhere, sizeof(elsewhere), "%s/elsewhere", tmp);
	ck_assert_int_eq(mkdir(elsewhere, 0755), 0);
	snprintf(so, sizeof(so), "%s/good-copy.so", elsewhere);
	snprintf(text, sizeof(text), "%s/good.so", PTD_TEST_PLUGIN_BUILD_DIR);
	copy_file(text, so, 0644);
	snprintf(text, sizeof(text), "[printer.good]\npath = %s\n", so);
	conf_put("50-test.conf", text);
	ck_ok(load(0));
	ck_assert_str_eq(reg.inst[0].path, so);
}
END_TEST

START_TEST(test_disabled_sections_are_not_loaded)
{
	conf_put("40-off.conf",
		 "[printer.abimajor]\nenabled = false\npath = abi-major.so\n"
		 "[printer.gone]\nenabled = no\n"
		 "[backend.wrongkind]\npath = wrong-kind.so\nenabled = off\n");
	conf_put("50-on.conf", "[printer.good]\npath = good.so\nenabled = true\n");
	ck_ok(load(0));
	ck_assert_uint_eq(reg.n, 1);
	ck_assert_str_eq(reg.inst[0].log_prefix, "printer:good");
	/* "enabled" and "path" are the core's keys, never the plugin's */
	ck_ok(configure(NULL, 0));
}
END_TEST

START_TEST(test_bad_enabled)
{
	char conffile[PATHLEN];

	snprintf(conffile, sizeof(conffile), "%s", conf_put("50-test.conf",
		 "[printer.good]\npath = good.so\nenabled = maybe\n"));
	ck_assert_int_eq(load(0), -EINVAL);
	ck_err("%s:3: bad value 'maybe' for 'enabled' in [printer.good]: expected true or false",
	       conffile);
}
END_TEST

START_TEST(test_load_order)
{
	conf_put("20-b.conf", "[printer.good]\npath = good.so\n");
	conf_put("10-a.conf", "[printer.baddefault]\npath = bad-default.so\n");
	ck_ok(load(0));
	ck_assert_uint_eq(reg.n, 2);
	ck_assert_str_eq(reg.inst[0].log_prefix, "printer:baddefault");
	ck_assert_str_eq(reg.inst[1].log_prefix, "printer:good");
}
END_TEST

/* ------------------------------------------------------------------------ */
/* Privileged runs */

START_TEST(test_privileged_accepts_safe_file)
{
	if (geteuid() != 0)
		return; /* our files are not root's */
	conf_put("50-test.conf", "[printer.good]\npath = good.so\n");
	ck_ok(load(1));
	ck_assert_uint_eq(reg.n, 1);
}
END_TEST

START_TEST(test_privileged_missing_so)
{
	char conffile[PATHLEN];

	/* the same line as unprivileged: the section, its file:line, the hint */
	snprintf(conffile, sizeof(conffile), "%s",
		 conf_put("50-test.conf", "# gone\n[printer.gone]\n"));
	ck_assert_int_eq(load(1), -ENOENT);
	ck_err("cannot load plugin for [printer.gone] (%s:2): %s/printer-gone.so: cannot open shared object file: No such file or directory (check the file exists and its libraries resolve with ldd(1))",
	       conffile, plugdir);
}
END_TEST

START_TEST(test_privileged_refuses_symlink)
{
	char link[PATHLEN], target[PATHLEN];

	snprintf(target, sizeof(target), "%s/good.so", plugdir);
	snprintf(link, sizeof(link), "%s/printer-good.so", plugdir);
	ck_assert_int_eq(symlink(target, link), 0);
	conf_put("50-test.conf", "[printer.good]\n");
	ck_assert_int_eq(load(1), -EPERM);
	ck_err("refusing plugin %s: it is a symbolic link (running privileged: name the real file)",
	       link);
	/* unprivileged, the same file loads */
	ptd_registry_free(&reg);
	ck_ok(ptd_registry_load(&reg, &conf, plugdir, 0, err, sizeof(err)));
}
END_TEST

START_TEST(test_privileged_refuses_group_writable)
{
	if (geteuid() != 0)
		return; /* the owner check would come first */
	install_plugin("good", "gw.so", 0664);
	conf_put("50-test.conf", "[printer.good]\npath = gw.so\n");
	ck_assert_int_eq(load(1), -EPERM);
	ck_err("refusing plugin %s/gw.so: writable by group or others (running privileged: chmod go-w it)",
	       plugdir);
}
END_TEST

START_TEST(test_privileged_refuses_world_writable)
{
	if (geteuid() != 0)
		return;
	install_plugin("good", "ww.so", 0646);
	conf_put("50-test.conf", "[printer.good]\npath = ww.so\n");
	ck_assert_int_eq(load(1), -EPERM);
	ck_err("refusing plugin %s/ww.so: writable by group or others (running privileged: chmod go-w it)",
	       plugdir);
}
END_TEST

START_TEST(test_privileged_refuses_foreign_owner)
{
	char so[PATHLEN];
	unsigned uid = 65534;

	snprintf(so, sizeof(so), "%s/good.so", plugdir);
	if (geteuid() == 0)
		ck_assert_int_eq(chown(so, uid, uid), 0);
	else
		uid = (unsigned)geteuid();
	conf_put("50-test.conf", "[printer.good]\npath = good.so\n");
	ck_assert_int_eq(load(1), -EPERM);
	ck_err("refusing plugin %s: owned by uid %u, not root (running privileged: chown root it)",
	       so, uid);
}
END_TEST

START_TEST(test_privileged_ignores_disabled)
{
	char so[PATHLEN];

	/* a disabled section's file is never looked at, even when unsafe */
	snprintf(so, sizeof(so), "%s/abi-major.so", plugdir);
	ck_assert_int_eq(chmod(so, 0666), 0);
	conf_put("50-test.conf", "[printer.abimajor]\nenabled = false\npath = abi-major.so\n");
	ck_ok(load(1));
	ck_assert_uint_eq(reg.n, 0);
}
END_TEST

static Suite *loader_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc;

	tc = loader_tcase("contract");
	tcase_add_loop_test(tc, test_broken_plugin, 0, sizeof(broken) / sizeof(broken[0]));
	tcase_add_test(tc, test_too_small);
	tcase_add_test(tc, test_bad_default);
	tcase_add_test(tc, test_missing_so);
	tcase_add_test(tc, test_not_a_shared_object);
	tcase_add_test(tc, test_descriptor_rules);
	suite_add_tcase(s, tc);

	tc = loader_tcase("paths");
	tcase_add_test(tc, test_default_path);
	tcase_add_test(tc, test_relative_path);
	tcase_add_test(tc, test_absolute_path);
	tcase_add_test(tc, test_disabled_sections_are_not_loaded);
	tcase_add_test(tc, test_bad_enabled);
	tcase_add_test(tc, test_load_order);
	suite_add_tcase(s, tc);

	tc = loader_tcase("privileged");
	tcase_add_test(tc, test_privileged_accepts_safe_file);
	tcase_add_test(tc, test_privileged_missing_so);
	tcase_add_test(tc, test_privileged_refuses_symlink);
	tcase_add_test(tc, test_privileged_refuses_group_writable);
	tcase_add_test(tc, test_privileged_refuses_world_writable);
	tcase_add_test(tc, test_privileged_refuses_foreign_owner);
	tcase_add_test(tc, test_privileged_ignores_disabled);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return suite_run(loader_suite());
}

