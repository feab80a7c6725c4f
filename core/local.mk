bin_PROGRAMS += ptcpdump
ptcpdump_SOURCES = core/main.c
check_PROGRAMS += tests/unit/check_cli
TESTS += tests/unit/check_cli
tests_unit_check_cli_SOURCES = tests/unit/check_cli.c core/cli.c core/cli.h
tests_unit_check_cli_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
tests_unit_check_cli_LDADD = $(CHECK_LIBS)
