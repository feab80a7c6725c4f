#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# A short fuzzing pass for make check: builds fuzz-text and fuzz-savefile
# with clang (see build.sh) in a temporary directory, seeds them from the
# sample and golden captures and runs each for a few seconds.  Any crash,
# AddressSanitizer or UndefinedBehaviorSanitizer report fails the test.
# Skips (77) when clang cannot build libFuzzer binaries.
#
# FUZZ_SECONDS (default 8) sets the time per fuzzer.
set -u

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
here=$srcdir/tests/fuzz
seconds=${FUZZ_SECONDS:-8}

if ! command -v python3 >/dev/null 2>&1; then
	echo "short.sh: SKIP: python3 is needed to extract the seed packets"
	exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ptd-fuzz.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT

sh "$here/build.sh" "$work" "$srcdir"
rc=$?
if [ "$rc" -eq 77 ]; then
	echo "short.sh: SKIP: clang has no usable -fsanitize=fuzzer (libFuzzer)"
	exit 77
fi
[ "$rc" -eq 0 ] || { echo "short.sh: FAIL: the fuzzers do not build"; exit 1; }

python3 "$here/make-seeds.py" "$srcdir" "$work/seeds-savefile" \
	"$work/seeds-text" || exit 99

UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
TZ=GMT0
export UBSAN_OPTIONS ASAN_OPTIONS TZ

status=0
for target in savefile text; do
	mkdir -p "$work/$target"
	log=$work/$target.log
	# libFuzzer's own default exit code for a crash is 77: a skip here.
	"$work/fuzz-$target" -max_total_time="$seconds" -rss_limit_mb=1024 \
		-timeout=5 -error_exitcode=1 -timeout_exitcode=1 \
		-print_final_stats=1 -artifact_prefix="$work/$target/" \
		"$work/$target" "$work/seeds-$target" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -ne 0 ] ||
	   grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' \
		-e 'ERROR: LeakSanitizer' -e 'ERROR: libFuzzer' "$log"; then
		echo "short.sh: FAIL: fuzz-$target (exit $rc) after ${runs:-?} runs:"
		# the sanitizer's report (or libFuzzer's), not the progress lines
		awk '/ERROR: |runtime error:|deadly signal|==[0-9]+==/ { on = 1 }
		     on' "$log" | head -n 80
		for f in "$work/$target"/crash-* "$work/$target"/leak-* \
			 "$work/$target"/timeout-* "$work/$target"/oom-*; do
			[ -f "$f" ] || continue
			echo "reproducer (base64) $(basename "$f"):"
			base64 "$f"
		done
		status=1
	else
		echo "short.sh: fuzz-$target: ${runs:-?} runs in ${seconds} s, no findings"
	fi
done
exit $status
