bin_PROGRAMS += ptcpdump
ptcpdump_SOURCES = core/main.c
