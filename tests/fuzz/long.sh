#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
#
# A long fuzzing campaign (not part of make check):
#
#   tests/fuzz/long.sh [WORKDIR]
#
# Builds both fuzzers into WORKDIR (default: a new temporary directory),
# seeds them from the sample and golden captures, then runs fuzz-text and
# fuzz-savefile side by side, each for RUNS executions (default 10000000)
# split over JOBS processes per target (default 1) sharing one corpus.
# At the end it prints, per target, the executions libFuzzer reported and
# every finding (crash-*, leak-*, timeout-*, oom-* files).
#
# Environment: RUNS, JOBS, TIMEOUT (seconds per input, default 300 so the
# runs survive being paused with SIGSTOP), RSS_MB (default 2048), CLANG,
# FUZZ_CFLAGS (see build.sh).
#
# To reproduce a finding:   WORKDIR/fuzz-text WORKDIR/text/crash-...
# To minimize it:           WORKDIR/fuzz-text -minimize_crash=1 \
#                               -runs=100000 WORKDIR/text/crash-...
# Keep minimized reproducers as tests/fuzz/crashes/text-NAME: every run
# (short.sh in make check too) replays them first.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
work=${1:-$(mktemp -d "${TMPDIR:-/tmp}/ptd-fuzz.XXXXXX")}
RUNS=${RUNS:-10000000}
JOBS=${JOBS:-1}
TIMEOUT=${TIMEOUT:-300}
RSS_MB=${RSS_MB:-2048}

mkdir -p "$work"
sh "$here/build.sh" "$work" "$srcdir"
python3 "$here/make-seeds.py" "$srcdir" "$work/seeds-savefile" \
	"$work/seeds-text"

export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0}
export TZ=GMT0

per_job=$(( (RUNS + JOBS - 1) / JOBS ))
pids=
for target in text savefile; do
	mkdir -p "$work/$target/corpus"
	j=1
	while [ "$j" -le "$JOBS" ]; do
		# Each process stops at its first finding; the others go on.
		"$work/fuzz-$target" -runs="$per_job" -timeout="$TIMEOUT" \
			-rss_limit_mb="$RSS_MB" -print_final_stats=1 \
			-artifact_prefix="$work/$target/" \
			"$work/$target/corpus" "$work/seeds-$target" \
			>"$work/$target/job$j.log" 2>&1 &
		pids="$pids $!"
		echo "long.sh: fuzz-$target job $j: pid $!, log $work/$target/job$j.log"
		j=$((j + 1))
	done
done

status=0
for pid in $pids; do
	wait "$pid" || status=1
done

echo "long.sh: results in $work"
for target in text savefile; do
	total=0
	for log in "$work/$target"/job*.log; do
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
			tail -n 1)
		secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' \
			"$log" | tail -n 1)
		echo "fuzz-$target $(basename "$log"): ${runs:-?} executions" \
			"in ${secs:-?} s"
		total=$((total + ${runs:-0}))
	done
	found=$(find "$work/$target" -maxdepth 1 -type f \
		\( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
		-o -name 'oom-*' -o -name 'slow-unit-*' \) | sort)
	echo "fuzz-$target: $total executions," \
		"$(echo "$found" | grep -c . || true) findings"
	for f in $found; do
		echo "  $f"
	done
done
exit $status
