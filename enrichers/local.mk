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

# The plugin's source is linked in, so the suite calls its descriptor
# directly; most cases run against a fake /proc tree (proc_root).
check_PROGRAMS += tests/unit/check_proc
TESTS += tests/unit/check_proc
tests_unit_check_proc_SOURCES = tests/unit/check_proc.c enrichers/proc/proc.c
tests_unit_check_proc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_proc_LDADD = enrichers/proc/libptdproc.la \
	tests/unit/libfakehost.la $(CHECK_LIBS)
endif
