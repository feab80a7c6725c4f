# rules for backends

# backend "file": replays -r FILE (pcap, pcapng) with our own reader.
if BUILD_BACKEND_FILE
# The reader is a convenience library: the plugin, its unit tests and fuzzers
# link the same code.  Only <pcap/dlt.h> is used (DLT_* names).
noinst_LTLIBRARIES += backends/file/libptdsavefile.la
backends_file_libptdsavefile_la_SOURCES = \
	backends/file/savefile.h \
	backends/file/savefile-int.h \
	backends/file/savefile.c \
	backends/file/pcapng.c
backends_file_libptdsavefile_la_CPPFLAGS = $(AM_CPPFLAGS) $(LIBPCAP_CFLAGS)

pkglib_LTLIBRARIES += backend-file.la
backend_file_la_SOURCES = backends/file/file.c
backend_file_la_LDFLAGS = $(PTD_MODULE_FLAGS)
backend_file_la_LIBADD = backends/file/libptdsavefile.la

plugconf_DATA += plugins.d/20-backend-file.conf
EXTRA_DIST += plugins.d/20-backend-file.conf

# Where the suites find the samples and the built module when run by hand.
SAVEFILE_TEST_CPPFLAGS = $(AM_CPPFLAGS) $(LIBPCAP_CFLAGS) \
	-DPTD_TEST_DATA_DIR='"$(abs_top_srcdir)/tests/data"' \
	-DPTD_TEST_BUILD_DIR='"$(abs_top_builddir)"'

# The reader's suites: check_savefile (the samples; libpcap reads them
# too, and our counts and bytes must match its), check_savefile_crafted
# (crafted pcapng and pcap files), check_savefile_damage (truncation and
# corruption).  They share the harness: runs of the reader, the samples,
# the file builders.
check_LTLIBRARIES += tests/unit/libsavefileharness.la
tests_unit_libsavefileharness_la_SOURCES = tests/unit/savefile_harness.c \
	tests/unit/savefile_harness.h
tests_unit_libsavefileharness_la_CPPFLAGS = $(SAVEFILE_TEST_CPPFLAGS)
tests_unit_libsavefileharness_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
SAVEFILE_TEST_LDADD = tests/unit/libsavefileharness.la \
	backends/file/libptdsavefile.la $(LIBPCAP_LIBS) $(CHECK_LIBS)
check_PROGRAMS += tests/unit/check_savefile tests/unit/check_savefile_crafted \
	tests/unit/check_savefile_damage tests/unit/check_backend_file
TESTS += tests/unit/check_savefile tests/unit/check_savefile_crafted \
	tests/unit/check_savefile_damage tests/unit/check_backend_file
tests_unit_check_savefile_SOURCES = tests/unit/check_savefile.c
tests_unit_check_savefile_CPPFLAGS = $(SAVEFILE_TEST_CPPFLAGS)
tests_unit_check_savefile_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_savefile_LDADD = $(SAVEFILE_TEST_LDADD)
tests_unit_check_savefile_crafted_SOURCES = tests/unit/check_savefile_crafted.c
tests_unit_check_savefile_crafted_CPPFLAGS = $(SAVEFILE_TEST_CPPFLAGS)
tests_unit_check_savefile_crafted_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_savefile_crafted_LDADD = $(SAVEFILE_TEST_LDADD)
tests_unit_check_savefile_damage_SOURCES = tests/unit/check_savefile_damage.c
tests_unit_check_savefile_damage_CPPFLAGS = $(SAVEFILE_TEST_CPPFLAGS)
tests_unit_check_savefile_damage_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_savefile_damage_LDADD = $(SAVEFILE_TEST_LDADD)
# The plugin's source is linked in, so the suite calls its descriptor
# directly; it also dlopen()s the built module to check what it exports.
tests_unit_check_backend_file_SOURCES = tests/unit/check_backend_file.c \
	backends/file/file.c
tests_unit_check_backend_file_CPPFLAGS = $(SAVEFILE_TEST_CPPFLAGS)
tests_unit_check_backend_file_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_backend_file_LDADD = backends/file/libptdsavefile.la \
	tests/unit/libfakehost.la $(LIBPCAP_LIBS) $(CHECK_LIBS) $(DL_LIBS)
endif

# Sample captures (see tests/data/README), also golden inputs for others.
EXTRA_DIST += \
	tests/data/README \
	tests/data/gen-traffic.py \
	tests/data/pcaptool.py \
	tests/data/make-samples.sh \
	tests/data/lo-tcp-udp-icmp.pcap \
	tests/data/lo-tcp-udp-icmp.pcapng \
	tests/data/lo-nano.pcap \
	tests/data/lo-snap96.pcap \
	tests/data/any-sll.pcap \
	tests/data/any-sll2.pcap \
	tests/data/any-dumpcap.pcapng \
	tests/data/annotated.pcapng \
	tests/data/be.pcap \
	tests/data/be.pcapng \
	tests/data/multi-if.pcapng \
	tests/data/multi-section.pcapng
include backends/tc/local.mk
include backends/attrib/local.mk
