# rules for printers/text: tcpdump-style packet lines.
#
# The dissectors live in a convenience library so the unit tests (and a
# fuzzer) link them without going through dlopen; the hex printer links it
# too, so it is built whichever printers are enabled.
noinst_LTLIBRARIES += printers/text/libptd-text.la
printers_text_libptd_text_la_SOURCES = \
	printers/text/netdissect.h \
	printers/text/nd-util.c \
	printers/text/nd-format.c \
	printers/text/nd-tables.c \
	printers/text/nd-oui.c \
	printers/text/nd-print.c \
	printers/text/addrtoname.c \
	printers/text/resolver.c \
	printers/text/resolver.h \
	printers/text/services.c \
	printers/text/services.h \
	printers/text/print-ether.c \
	printers/text/print-sll.c \
	printers/text/print-null.c \
	printers/text/print-arp.c \
	printers/text/print-llc.c \
	printers/text/print-stp.c \
	printers/text/print-lldp.c \
	printers/text/print-ip.c \
	printers/text/print-ip6.c \
	printers/text/print-rt6.c \
	printers/text/print-ah.c \
	printers/text/print-tcp.c \
	printers/text/print-mptcp.c \
	printers/text/print-udp.c \
	printers/text/print-icmp.c \
	printers/text/print-icmp6.c \
	printers/text/print-mld.c \
	printers/text/print-igmp.c \
	printers/text/print-gre.c \
	printers/text/print-esp.c \
	printers/text/print-http.c \
	printers/text/print-ssh.c \
	printers/text/print-domain.c \
	printers/text/print-domain-rr.c \
	printers/text/print-domain.h \
	printers/text/print-bootp.c \
	printers/text/print-ntp.c \
	printers/text/print-vxlan.c \
	printers/text/print-geneve.c \
	printers/text/print-context.c \
	printers/text/text-printer.c \
	printers/text/text-printer.h
printers_text_libptd_text_la_CFLAGS = $(AM_CFLAGS) $(LIBPCAP_CFLAGS)

# nd_printf's own formatter against the C library's snprintf.
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_nd_format
TESTS += tests/unit/check_nd_format
tests_unit_check_nd_format_SOURCES = tests/unit/check_nd_format.c
tests_unit_check_nd_format_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	-I$(top_srcdir)/printers/text -Wno-format
tests_unit_check_nd_format_LDADD = printers/text/libptd-text.la \
	$(CHECK_LIBS)
endif

if BUILD_PRINTER_TEXT
pkglib_LTLIBRARIES += printer-text.la
printer_text_la_SOURCES = printers/text/plugin.c
printer_text_la_LIBADD = printers/text/libptd-text.la
printer_text_la_LDFLAGS = $(PTD_MODULE_FLAGS)

plugconf_DATA += plugins.d/50-printer-text.conf
EXTRA_DIST += plugins.d/50-printer-text.conf

# Golden tests: pcap -> text against tcpdump's own output.
if HAVE_CHECK
if BUILD_PRINTER_HEX
check_PROGRAMS += tests/unit/check_text_golden
TESTS += tests/unit/check_text_golden
tests_unit_check_text_golden_SOURCES = tests/unit/check_text_golden.c
tests_unit_check_text_golden_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	$(LIBPCAP_CFLAGS) -I$(top_srcdir)/printers/text \
	-I$(top_srcdir)/printers/hex
tests_unit_check_text_golden_LDADD = printers/text/libptd-text.la \
	printers/hex/libptd-hex.la tests/unit/libfakehost.la \
	$(CHECK_LIBS) $(LIBPCAP_LIBS) $(DL_LIBS)
EXTRA_DIST += tests/golden
endif
endif
endif

# The live capture's resolver, with a fake lookup function.
if HAVE_CHECK
check_PROGRAMS += tests/unit/check_resolver
TESTS += tests/unit/check_resolver
tests_unit_check_resolver_SOURCES = tests/unit/check_resolver.c
tests_unit_check_resolver_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) \
	$(LIBPCAP_CFLAGS) -I$(top_srcdir)/printers/text -pthread
tests_unit_check_resolver_LDADD = printers/text/libptd-text.la \
	$(CHECK_LIBS) $(LIBPCAP_LIBS) $(DL_LIBS)
endif
