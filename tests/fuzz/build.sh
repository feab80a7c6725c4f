#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# Builds the libFuzzer harnesses with clang, straight from the sources (no
# libtool, no configure: the main build keeps its own compiler).
#
#   tests/fuzz/build.sh OUTDIR [SRCDIR]
#
# OUTDIR receives fuzz-savefile and fuzz-text.  SRCDIR defaults to the tree
# holding this script.  CLANG (default clang) and FUZZ_CFLAGS (default
# -g -O1) may be overridden.  Exits 77 when clang cannot build a fuzzer.
set -eu

out=${1:?usage: build.sh OUTDIR [SRCDIR]}
srcdir=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
CLANG=${CLANG:-clang}
FUZZ_CFLAGS=${FUZZ_CFLAGS:--g -O1}
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
LINK_SAN="-fsanitize=fuzzer,address,undefined"

mkdir -p "$out/obj"

# Can this clang link a libFuzzer binary at all?
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' \
	>"$out/obj/probe.c"
if ! "$CLANG" $LINK_SAN -o "$out/obj/probe" "$out/obj/probe.c" \
	>"$out/obj/probe.log" 2>&1; then
	echo "build.sh: $CLANG cannot build with -fsanitize=fuzzer:" >&2
	sed 's/^/  /' "$out/obj/probe.log" >&2
	exit 77
fi

# A config.h for the few sources that include one.
cat >"$out/obj/config.h" <<'H'
#define _GNU_SOURCE 1
#define PACKAGE "ptcpdump"
#define PACKAGE_VERSION "fuzz"
#define VERSION "fuzz"
H

# The .c files of an automake _SOURCES variable, from its local.mk.
sources_of() {
	awk -v var="$2" '
		$1 == var && $2 == "=" { on = 1 }
		on {
			for (i = 1; i <= NF; i++)
				if ($i ~ /\.c$/) print $i
			if ($NF != "\\") exit
		}' "$srcdir/$1"
}

text_src=$(sources_of printers/text/local.mk printers_text_libptd_text_la_SOURCES)
hex_src=$(sources_of printers/hex/local.mk printers_hex_libptd_hex_la_SOURCES)
sf_src=$(sources_of backends/local.mk backends_file_libptdsavefile_la_SOURCES)
if [ -z "$text_src" ] || [ -z "$hex_src" ] || [ -z "$sf_src" ]; then
	echo "build.sh: cannot find the source lists in $srcdir" >&2
	exit 1
fi

# Destructors walk every bucket of the printers' hash tables once per input,
# the services database is read once per printer (so once per input), and
# the harnesses sum every byte they are given: coverage callbacks there
# cost more than the code under test and find nothing.
cat >"$out/obj/cov-ignore.txt" <<'L'
fun:nd_tcp_seq_free
fun:nd_names_free
fun:nd_services_load
fun:nd_services_free
src:*/tests/fuzz/fuzz-*.c
L
if "$CLANG" -fsanitize=fuzzer-no-link \
	-fsanitize-coverage-ignorelist="$out/obj/cov-ignore.txt" \
	-c -o "$out/obj/probe.o" "$out/obj/probe.c" >/dev/null 2>&1; then
	SAN="$SAN -fsanitize-coverage-ignorelist=$out/obj/cov-ignore.txt"
fi

CPPFLAGS="-I$out/obj -I$srcdir/include -I$srcdir -I$srcdir/printers/text \
-I$srcdir/printers/hex -I$srcdir/tests/unit"

# One object per source, two at a time (sanitized compiles are slow).
for f in $text_src $hex_src $sf_src tests/unit/fake_host.c \
	tests/fuzz/fuzz-text.c tests/fuzz/fuzz-savefile.c; do
	echo "$f"
done | xargs -P "${FUZZ_JOBS:-2}" -I{} sh -c '
	o="$1/obj/$(echo "$2" | tr / _).o"
	exec "$3" $4 $5 $6 -c -o "$o" "$7/$2"' sh "$out" {} "$CLANG" \
	"$FUZZ_CFLAGS" "$SAN" "$CPPFLAGS" "$srcdir"

obj() {
	for f in "$@"; do
		printf '%s/obj/%s.o ' "$out" "$(echo "$f" | tr / _)"
	done
}

# shellcheck disable=SC2046
"$CLANG" $LINK_SAN -o "$out/fuzz-text" \
	$(obj tests/fuzz/fuzz-text.c tests/unit/fake_host.c $text_src $hex_src)
# shellcheck disable=SC2046
"$CLANG" $LINK_SAN -o "$out/fuzz-savefile" \
	$(obj tests/fuzz/fuzz-savefile.c $sf_src)
echo "build.sh: built $out/fuzz-text and $out/fuzz-savefile"
