# The core as a convenience library: the program and the unit suites
# link the same code.
noinst_LTLIBRARIES += libptdcore.la
libptdcore_la_SOURCES = \
	core/cli.c core/cli.h core/cli-int.h \
	core/cli-flags.c core/cli-usage.c \
	core/command.c core/command.h \
	core/conf.c core/conf.h \
	core/core.h \
	core/filter.c core/filter.h \
	core/host.c \
	core/ifaces.c \
	core/loader.c core/loader.h \
	core/log.c core/log.h \
	core/loop.c core/loop.h \
	core/plugopt.c core/plugopt.h \
	core/privs.c \
	core/version.c
libptdcore_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-DPTD_PLUGIN_DIR='"$(pkglibdir)"' \
	-DPTD_CONFIG_DIR='"$(sysconfdir)/ptcpdump/plugins.d"'
libptdcore_la_CFLAGS = $(AM_CFLAGS) $(LIBPCAP_CFLAGS) $(LIBBPF_CFLAGS) $(INIH_CFLAGS)
libptdcore_la_LIBADD = $(LIBPCAP_LIBS) $(LIBBPF_LIBS) $(INIH_LIBS) $(DL_LIBS)

bin_PROGRAMS += ptcpdump
ptcpdump_SOURCES = core/main.c
ptcpdump_CPPFLAGS = $(libptdcore_la_CPPFLAGS)
ptcpdump_CFLAGS = $(libptdcore_la_CFLAGS)
ptcpdump_LDADD = libptdcore.la
# The parser's suites: check_cli (the flag tables), check_cli_args (whole
# command lines, the prescan, the usage text).  They share the parser and
# the parse helpers.
check_LTLIBRARIES += tests/unit/libcliharness.la
tests_unit_libcliharness_la_SOURCES = tests/unit/cli_harness.c \
	tests/unit/cli_harness.h tests/unit/suite_run.h \
	core/cli.c core/cli.h core/cli-int.h core/cli-flags.c core/cli-usage.c
tests_unit_libcliharness_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
check_PROGRAMS += tests/unit/check_cli tests/unit/check_cli_args
TESTS += tests/unit/check_cli tests/unit/check_cli_args
tests_unit_check_cli_SOURCES = tests/unit/check_cli.c
tests_unit_check_cli_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_cli_LDADD = tests/unit/libcliharness.la $(CHECK_LIBS)
tests_unit_check_cli_args_SOURCES = tests/unit/check_cli_args.c
tests_unit_check_cli_args_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_cli_args_LDADD = tests/unit/libcliharness.la $(CHECK_LIBS)

# pcap-filter expressions -> classic BPF (libpcap) -> eBPF for the kernel
noinst_LTLIBRARIES += libptdxlat.la
libptdxlat_la_SOURCES = core/bpf_xlat.c core/bpf_xlat.h \
	core/bpf_xlat_load.c core/bpf_xlat_emit.h \
	core/bpf_compile.c core/bpf_compile.h
libptdxlat_la_CFLAGS = $(AM_CFLAGS) $(LIBPCAP_CFLAGS) $(LIBBPF_CFLAGS)
libptdxlat_la_LIBADD = $(LIBPCAP_LIBS)
# check_xlat: translation without the kernel; check_xlat_corpus: kernel
# verdicts against libpcap's on the captures; check_xlat_hand: hand-made
# programs and ancillary loads in the kernel.  The last two share the
# harness (captures, reference interpreter, loading and test runs).
check_LTLIBRARIES += tests/unit/libxlatharness.la
tests_unit_libxlatharness_la_SOURCES = tests/unit/xlat_harness.c \
	tests/unit/xlat_harness.h
tests_unit_libxlatharness_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-DXLAT_DATA_DIR='"$(abs_top_srcdir)/tests/xlat-data"'
tests_unit_libxlatharness_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBBPF_CFLAGS)
XLAT_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBBPF_CFLAGS)
XLAT_TEST_LDADD = tests/unit/libxlatharness.la libptdxlat.la $(CHECK_LIBS) \
	$(LIBBPF_LIBS) $(LIBPCAP_LIBS)
check_PROGRAMS += tests/unit/check_xlat tests/unit/check_xlat_corpus \
	tests/unit/check_xlat_hand
TESTS += tests/unit/check_xlat tests/unit/check_xlat_corpus \
	tests/unit/check_xlat_hand
tests_unit_check_xlat_SOURCES = tests/unit/check_xlat.c
tests_unit_check_xlat_CFLAGS = $(XLAT_TEST_CFLAGS)
tests_unit_check_xlat_LDADD = $(XLAT_TEST_LDADD)
tests_unit_check_xlat_corpus_SOURCES = tests/unit/check_xlat_corpus.c
tests_unit_check_xlat_corpus_CFLAGS = $(XLAT_TEST_CFLAGS)
tests_unit_check_xlat_corpus_LDADD = $(XLAT_TEST_LDADD)
tests_unit_check_xlat_hand_SOURCES = tests/unit/check_xlat_hand.c
tests_unit_check_xlat_hand_CFLAGS = $(XLAT_TEST_CFLAGS)
tests_unit_check_xlat_hand_LDADD = $(XLAT_TEST_LDADD)
EXTRA_DIST += tests/xlat-data/README tests/xlat-data/capture.sh \
	tests/xlat-data/traffic.py tests/xlat-data/craft.py \
	tests/xlat-data/lo.pcap tests/xlat-data/any.pcap \
	tests/xlat-data/special.pcap tests/xlat-data/special-sll2.pcap \
	tests/xlat-data/raw.pcap

check_PROGRAMS += tests/unit/check_loop
TESTS += tests/unit/check_loop
tests_unit_check_loop_SOURCES = tests/unit/check_loop.c
tests_unit_check_loop_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_loop_LDADD = libptdcore.la $(CHECK_LIBS)
