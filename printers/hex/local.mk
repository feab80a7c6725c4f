# rules for printers/hex: -x/-X/-A dumps after the text line.
if BUILD_PRINTER_HEX
noinst_LTLIBRARIES += printers/hex/libptd-hex.la
printers_hex_libptd_hex_la_SOURCES = \
	printers/hex/hex-printer.c \
	printers/hex/hex-printer.h
printers_hex_libptd_hex_la_CFLAGS = $(AM_CFLAGS) $(LIBPCAP_CFLAGS) \
	-I$(top_srcdir)/printers/text

pkglib_LTLIBRARIES += printer-hex.la
printer_hex_la_SOURCES = printers/hex/plugin.c
# The dissectors tell how much link-layer header a dump skips.
printer_hex_la_LIBADD = printers/hex/libptd-hex.la printers/text/libptd-text.la
printer_hex_la_LDFLAGS = $(PTD_MODULE_FLAGS)

plugconf_DATA += plugins.d/51-printer-hex.conf
EXTRA_DIST += plugins.d/51-printer-hex.conf
endif
