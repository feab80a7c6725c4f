# rules for printers/hex
