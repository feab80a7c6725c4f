# printer "pcapng": -w savefiles (pcapng or classic pcap) with rotation.
if BUILD_PRINTER_PCAPNG
PCAPNG_WRITER_SOURCES = \
	printers/pcapng/writer.h \
	printers/pcapng/writer.c \
	printers/pcapng/stream.c \
	printers/pcapng/rotate.c \
	printers/pcapng/pcap.c \
	printers/pcapng/pcapng.c \
	printers/pcapng/comment.c

pkglib_LTLIBRARIES += printer-pcapng.la
printer_pcapng_la_SOURCES = $(PCAPNG_WRITER_SOURCES)
# Only <pcap/dlt.h> is used: DLT_* names, no libpcap code.
printer_pcapng_la_CPPFLAGS = $(AM_CPPFLAGS) $(LIBPCAP_CFLAGS)
printer_pcapng_la_LDFLAGS = $(PTD_MODULE_FLAGS)

plugconf_DATA += plugins.d/60-printer-pcapng.conf
EXTRA_DIST += plugins.d/60-printer-pcapng.conf

if HAVE_CHECK
# The suites link the writer's sources themselves, to reach its helpers:
# check_writer (formats, errors, names), check_writer_rotate (-C -W -G -z).
# They share the harness (the printer on a fake host, reading files back).
WRITER_TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/printers/pcapng $(LIBPCAP_CFLAGS)
WRITER_TEST_LDADD = tests/unit/libwriterharness.la tests/unit/libfakehost.la \
	$(CHECK_LIBS) $(LIBPCAP_LIBS)
check_LTLIBRARIES += tests/unit/libwriterharness.la
tests_unit_libwriterharness_la_SOURCES = tests/unit/writer_harness.c \
	tests/unit/writer_harness.h
tests_unit_libwriterharness_la_CPPFLAGS = $(WRITER_TEST_CPPFLAGS)
tests_unit_libwriterharness_la_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
check_PROGRAMS += tests/unit/check_writer tests/unit/check_writer_rotate
TESTS += tests/unit/check_writer tests/unit/check_writer_rotate
tests_unit_check_writer_SOURCES = tests/unit/check_writer.c $(PCAPNG_WRITER_SOURCES)
tests_unit_check_writer_CPPFLAGS = $(WRITER_TEST_CPPFLAGS)
tests_unit_check_writer_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_writer_LDADD = $(WRITER_TEST_LDADD)
tests_unit_check_writer_rotate_SOURCES = tests/unit/check_writer_rotate.c \
	$(PCAPNG_WRITER_SOURCES)
tests_unit_check_writer_rotate_CPPFLAGS = $(WRITER_TEST_CPPFLAGS)
tests_unit_check_writer_rotate_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_writer_rotate_LDADD = $(WRITER_TEST_LDADD)
endif

TESTS += tests/writer-roundtrip.sh
EXTRA_DIST += tests/writer-roundtrip.sh \
	tests/golden-writer/README \
	tests/golden-writer/lo-tcp-udp.pcap \
	tests/golden-writer/lo-tcp-udp-nano.pcap
endif
