# Shared helpers for the shell tests: assertions, a scratch directory,
# bounded waits.  Source it; call finish at the end.
set -u
: "${PTCPDUMP:?PTCPDUMP must name the ptcpdump binary}"
: "${top_srcdir:?top_srcdir must be set}"
TZ=GMT0
export TZ
LC_ALL=C
export LC_ALL

passed=0
failed=0
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ptd-test.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

ok() {
	passed=$((passed + 1))
	echo "ok - $1"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok - $1"
	shift
	for line in "$@"; do
		echo "#   $line"
	done
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

skip_all() {
	echo "SKIP: $1"
	exit 77
}

finish() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}
