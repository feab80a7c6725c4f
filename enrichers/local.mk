# rules for enrichers

# enricher "proc": command, arguments, thread, user and parent from /proc.
if BUILD_ENRICHER_PROC
# The cache and /proc readers are a convenience library: the plugin and its
# unit suite link the same code.
noinst_LTLIBRARIES += enrichers/proc/libptdproc.la
enrichers_proc_libptdproc_la_SOURCES = \
	enrichers/proc/proc_cache.c \
	enrichers/proc/proc_cache.h \
	enrichers/proc/proc_read.c \
	enrichers/proc/proc_read.h \
	enrichers/proc/proc_users.c \
	enrichers/proc/proc_users.h

pkglib_LTLIBRARIES += enricher-proc.la
enricher_proc_la_SOURCES = enrichers/proc/proc.c
enricher_proc_la_LDFLAGS = $(PTD_MODULE_FLAGS)
enricher_proc_la_LIBADD = enrichers/proc/libptdproc.la

plugconf_DATA += plugins.d/30-enricher-proc.conf
EXTRA_DIST += plugins.d/30-enricher-proc.conf

# The plugin's source is linked in, so the suites call its descriptor
# directly; most cases run against a fake /proc tree (proc_root).
# check_proc: what the plugin fills in and its options; check_proc_cache:
# the cache, and the real /proc.  They share the fake tree and plugin runs.
check_LTLIBRARIES += tests/unit/libprocharness.la
tests_unit_libprocharness_la_SOURCES = tests/unit/proc_harness.c \
	tests/unit/proc_harness.h tests/unit/suite_run.h
tests_unit_libprocharness_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
PROC_TEST_LDADD = tests/unit/libprocharness.la enrichers/proc/libptdproc.la \
	tests/unit/libfakehost.la $(CHECK_LIBS)
check_PROGRAMS += tests/unit/check_proc tests/unit/check_proc_cache
TESTS += tests/unit/check_proc tests/unit/check_proc_cache
tests_unit_check_proc_SOURCES = tests/unit/check_proc.c enrichers/proc/proc.c
tests_unit_check_proc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_proc_LDADD = $(PROC_TEST_LDADD)
tests_unit_check_proc_cache_SOURCES = tests/unit/check_proc_cache.c \
	enrichers/proc/proc.c
tests_unit_check_proc_cache_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_proc_cache_LDADD = $(PROC_TEST_LDADD)
endif
