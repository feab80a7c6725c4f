# Shared helpers for the shell tests: assertions, a scratch directory,
# bounded waits.  Source it; call finish at the end (or to stop early).
# Output is TAP-like: "ok N - what", "not ok N - what" with "#   detail"
# lines, "ok N - what # SKIP why", then the plan and a summary.
set -u
: "${PTCPDUMP:?PTCPDUMP must name the ptcpdump binary}"
: "${top_srcdir:?top_srcdir must be set}"
TZ=GMT0
export TZ
LC_ALL=C
export LC_ALL

n=0
passed=0
failed=0
skipped=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ptd-test.XXXXXX") || exit 99
trap 'rm -rf "$scratch"' EXIT
trap 'exit 1' HUP INT TERM

ok() {
	n=$((n + 1))
	passed=$((passed + 1))
	echo "ok $n - $1"
}

# not_ok WHAT [DETAIL...]
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		echo "#   $line"
	done
}

# skip WHAT WHY: one case cannot run here; the others go on.
skip() {
	n=$((n + 1))
	skipped=$((skipped + 1))
	echo "ok $n - $1 # SKIP $2"
}

# same_file NAME EXPECTED ACTUAL
same_file() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1" "files differ: $2 $3"
		diff -u "$2" "$3" | head -20 | sed 's/^/#   /'
	fi
}

# same_text NAME EXPECTED ACTUAL
same_text() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $2" "actual:   $3"
	fi
}

# wait_for SECONDS COMMAND...: polls COMMAND every 50 ms, bounded.
wait_for() {
	limit=$(($1 * 20))
	shift
	i=0
	while [ $i -lt $limit ]; do
		if "$@"; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# skip_all WHY: nothing can run here (exit 77, automake's "skipped").
skip_all() {
	echo "SKIP: $*"
	exit 77
}

# Prints the plan and the summary, and exits: 0 when nothing failed.
finish() {
	echo "1..$n"
	echo "# $passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ] && exit 0
	exit 1
}
