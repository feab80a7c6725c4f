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
