# rules for printers/text
