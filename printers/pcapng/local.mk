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
# The suite links the writer's sources itself, to reach its helpers.
check_PROGRAMS += tests/unit/check_writer
TESTS += tests/unit/check_writer
tests_unit_check_writer_SOURCES = tests/unit/check_writer.c $(PCAPNG_WRITER_SOURCES)
tests_unit_check_writer_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/printers/pcapng $(LIBPCAP_CFLAGS)
tests_unit_check_writer_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_writer_LDADD = tests/unit/libfakehost.la $(CHECK_LIBS) $(LIBPCAP_LIBS)
endif

TESTS += tests/writer-roundtrip.sh
EXTRA_DIST += tests/writer-roundtrip.sh \
	tests/golden-writer/README \
	tests/golden-writer/lo-tcp-udp.pcap \
	tests/golden-writer/lo-tcp-udp-nano.pcap
endif
