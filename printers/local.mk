include printers/text/local.mk
include printers/hex/local.mk
include printers/pcapng/local.mk
