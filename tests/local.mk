# Unit suites (Check), shell tests and the test plugins.
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	PTCPDUMP='$(abs_top_builddir)/ptcpdump'; \
	export top_srcdir top_builddir PTCPDUMP;
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)

check_LTLIBRARIES += tests/unit/libfakehost.la
tests_unit_libfakehost_la_SOURCES = tests/unit/fake_host.c tests/unit/fake_host.h
tests_unit_libfakehost_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)

# ptcpdump -r against tcpdump, the oracle.
TESTS += tests/replay.sh
EXTRA_DIST += tests/lib.sh tests/replay.sh

# ---------------------------------------------------------------------------
# The plugin contract and plugins.d: broken test plugins, one per rule the
# loader enforces, and one good plugin with every option type.  They are
# modules like the real ones (PTD_MODULE_FLAGS); -rpath makes libtool build
# them shared although they are never installed.
TEST_PLUGIN_LDFLAGS = $(PTD_MODULE_FLAGS) -rpath /nowhere

check_LTLIBRARIES += \
	tests/plugins/good.la \
	tests/plugins/abi-major.la \
	tests/plugins/abi-minor-newer.la \
	tests/plugins/wrong-kind.la \
	tests/plugins/too-small.la \
	tests/plugins/no-symbol.la \
	tests/plugins/name-mismatch.la \
	tests/plugins/missing-print.la \
	tests/plugins/bad-option-table.la \
	tests/plugins/bad-default.la
tests_plugins_good_la_SOURCES = tests/plugins/good.c tests/plugins/good.h
tests_plugins_good_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_abi_major_la_SOURCES = tests/plugins/abi-major.c
tests_plugins_abi_major_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_abi_minor_newer_la_SOURCES = tests/plugins/abi-minor-newer.c
tests_plugins_abi_minor_newer_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_wrong_kind_la_SOURCES = tests/plugins/wrong-kind.c
tests_plugins_wrong_kind_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_too_small_la_SOURCES = tests/plugins/too-small.c
tests_plugins_too_small_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
# Exports its near-miss symbol: the loader must say which one it wanted.
tests_plugins_no_symbol_la_SOURCES = tests/plugins/no-symbol.c
tests_plugins_no_symbol_la_LDFLAGS = -module -avoid-version -shared \
	-no-undefined -rpath /nowhere
tests_plugins_name_mismatch_la_SOURCES = tests/plugins/name-mismatch.c
tests_plugins_name_mismatch_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_missing_print_la_SOURCES = tests/plugins/missing-print.c
tests_plugins_missing_print_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_bad_option_table_la_SOURCES = tests/plugins/bad-option-table.c
tests_plugins_bad_option_table_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)
tests_plugins_bad_default_la_SOURCES = tests/plugins/bad-default.c
tests_plugins_bad_default_la_LDFLAGS = $(TEST_PLUGIN_LDFLAGS)

if HAVE_CHECK
check_PROGRAMS += tests/unit/check_conf tests/unit/check_plugopt \
	tests/unit/check_loader tests/unit/check_loader_options
TESTS += tests/unit/check_conf tests/unit/check_plugopt tests/unit/check_loader \
	tests/unit/check_loader_options
tests_unit_check_conf_SOURCES = tests/unit/check_conf.c
tests_unit_check_conf_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_conf_LDADD = libptdcore.la $(CHECK_LIBS)
tests_unit_check_plugopt_SOURCES = tests/unit/check_plugopt.c
tests_unit_check_plugopt_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_plugopt_LDADD = libptdcore.la $(CHECK_LIBS)
# The loader's suites: check_loader (the contract, where plugins come
# from, the privileged rules), check_loader_options (how options are
# filled).  They share the fixture: a temporary plugins.d and plugin
# directory holding copies of the test plugins.
check_LTLIBRARIES += tests/unit/libloaderharness.la
tests_unit_libloaderharness_la_SOURCES = tests/unit/loader_harness.c \
	tests/unit/loader_harness.h tests/unit/suite_run.h
tests_unit_libloaderharness_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPTD_TEST_PLUGIN_BUILD_DIR='"$(abs_top_builddir)/tests/plugins/.libs"'
tests_unit_libloaderharness_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
LOADER_TEST_LDADD = tests/unit/libloaderharness.la libptdcore.la $(CHECK_LIBS)
tests_unit_check_loader_SOURCES = tests/unit/check_loader.c
tests_unit_check_loader_CPPFLAGS = $(tests_unit_libloaderharness_la_CPPFLAGS)
tests_unit_check_loader_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_loader_LDADD = $(LOADER_TEST_LDADD)
tests_unit_check_loader_options_SOURCES = tests/unit/check_loader_options.c
tests_unit_check_loader_options_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_loader_options_LDADD = $(LOADER_TEST_LDADD)
endif

# End to end: the real binary's error lines and exit statuses, and a
# third-party plugin built against an installed tree.  The install layout
# comes from here, so a --prefix/--libdir/--sysconfdir build is checked as
# configured.
AM_TESTS_ENVIRONMENT += \
	ptd_bindir='$(bindir)'; ptd_pkglibdir='$(pkglibdir)'; \
	ptd_plugconfdir='$(plugconfdir)'; ptd_pkgconfigdir='$(pkgconfigdir)'; \
	ptd_includedir='$(includedir)'; \
	CC='$(CC)'; PKG_CONFIG='$(PKG_CONFIG)'; \
	export ptd_bindir ptd_pkglibdir ptd_plugconfdir ptd_pkgconfigdir \
		ptd_includedir CC PKG_CONFIG;
TESTS += tests/cli-errors.sh tests/sdk-install.sh
EXTRA_DIST += tests/cli-errors.sh tests/sdk-install.sh \
	tests/sdk/enricher-hello.c

# Live capture and signals (root; skips without the tc backend).
TESTS += tests/e2e/signals.sh
EXTRA_DIST += tests/e2e/signals.sh tests/e2e/lib.sh
# Name resolution in a live capture (root; skips without the tc backend).
TESTS += tests/e2e/resolve.sh
EXTRA_DIST += tests/e2e/resolve.sh

# libFuzzer harnesses (clang only, built by the script, not by make); a few
# seconds of each here, long.sh for a real campaign.
TESTS += tests/fuzz/short.sh
EXTRA_DIST += tests/fuzz/short.sh tests/fuzz/long.sh tests/fuzz/build.sh \
	tests/fuzz/make-seeds.py tests/fuzz/fuzz-text.c \
	tests/fuzz/fuzz-savefile.c tests/fuzz/crashes
