# rules for bench: benchmarks, run by hand (never by make check).
#   sudo ../bench/capture      from a build directory; see its header
#   sudo ../bench/attribution  likewise
noinst_PROGRAMS += bench/udpflood
bench_udpflood_SOURCES = bench/udpflood.c
EXTRA_DIST += bench/capture bench/attribution bench/udpflood.c
EXTRA_DIST += bench/print
