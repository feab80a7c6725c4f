# rules for printers/pcapng
