/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The plugin contract, enforced by the loader: each broken test plugin
 * (tests/plugins/) is refused with the exact line the user will read, the
 * privileged rules refuse unsafe files, and a good plugin's options are
 * filled defaults first, then plugins.d, then the command line.
 *
 * Every test gets a fresh temporary directory holding a plugins.d and a
 * plugin directory with copies of the test plugins, mode 0644, so the
 * privileged rules see files shaped the way the test wants them.
 */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/conf.h"
#include "core/loader.h"
#include "tests/plugins/good.h"

#ifndef PTD_TEST_PLUGIN_BUILD_DIR
#error "PTD_TEST_PLUGIN_BUILD_DIR must name where libtool put the test plugins"
#endif

#define MALFORMED_TAIL "is malformed (bad type, offset beyond config_size, enum without choices, or a reserved key): rebuild the plugin"
#define GOOD_KEYS "path, enabled, label, flag, offset, count, buffer, timeout, mode, note"

static const char *const test_plugins[] = {
	"good", "abi-major", "abi-minor-newer", "wrong-kind", "too-small",
	"no-symbol", "name-mismatch", "missing-print", "bad-option-table",
	"bad-default",
};

/* Short enough that every path and message below fits its buffer. */
#define TMPLEN 200
#define PATHLEN 512

static char tmp[TMPLEN];
static char confdir[TMPLEN + 32];
static char plugdir[TMPLEN + 32];
static char err[2048];
static char want[4096];
static struct ptd_conf conf;
static struct ptd_registry reg;

static void copy_file(const char *from, const char *to, mode_t mode)
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

/* Copies test plugin name (without .so) to plugdir/as. */
static void install_plugin(const char *name, const char *as, mode_t mode)
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

/* Writes plugins.d/name; returns its path (static: copy it if needed). */
static const char *conf_put(const char *name, const char *text)
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

static int load(int privileged)
{
	int rc = ptd_conf_load_dir(&conf, confdir, err, sizeof(err));

	ck_assert_msg(rc == 0, "plugins.d: %s", err);
	return ptd_registry_load(&reg, &conf, plugdir, privileged, err, sizeof(err));
}

static int configure(const struct ptd_cli_setting *settings, size_t n)
{
	return ptd_registry_configure(&reg, settings, n, err, sizeof(err));
}

/* Back to nothing loaded, for a second attempt within one test. */
static void unload(void)
{
	ptd_registry_free(&reg);
	ptd_conf_free(&conf);
}

#define ck_err(...) do { \
		snprintf(want, sizeof(want), __VA_ARGS__); \
		ck_assert_str_eq(err, want); \
	} while (0)

#define ck_ok(expr) do { \
		int rc_ = (expr); \
		ck_assert_msg(rc_ == 0, "%s = %d: %s", #expr, rc_, err); \
	} while (0)

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
	Suite *s = suite_create("loader");
	TCase *tc;

	tc = tcase_create("contract");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_broken_plugin, 0, sizeof(broken) / sizeof(broken[0]));
	tcase_add_test(tc, test_too_small);
	tcase_add_test(tc, test_bad_default);
	tcase_add_test(tc, test_missing_so);
	tcase_add_test(tc, test_not_a_shared_object);
	tcase_add_test(tc, test_descriptor_rules);
	suite_add_tcase(s, tc);

	tc = tcase_create("paths");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_default_path);
	tcase_add_test(tc, test_relative_path);
	tcase_add_test(tc, test_absolute_path);
	tcase_add_test(tc, test_disabled_sections_are_not_loaded);
	tcase_add_test(tc, test_bad_enabled);
	tcase_add_test(tc, test_load_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("privileged");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_privileged_accepts_safe_file);
	tcase_add_test(tc, test_privileged_missing_so);
	tcase_add_test(tc, test_privileged_refuses_symlink);
	tcase_add_test(tc, test_privileged_refuses_group_writable);
	tcase_add_test(tc, test_privileged_refuses_world_writable);
	tcase_add_test(tc, test_privileged_refuses_foreign_owner);
	tcase_add_test(tc, test_privileged_ignores_disabled);
	suite_add_tcase(s, tc);

	tc = tcase_create("options");
	tcase_add_checked_fixture(tc, setup, teardown);
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
	SRunner *sr = srunner_create(loader_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
