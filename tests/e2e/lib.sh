# What the privileged end-to-end tests share (sourced, POSIX sh).
#
#   . "$top_srcdir/tests/e2e/lib.sh"
#   e2e_setup NAME TOOL...   root, $PTCPDUMP and TOOLs or skip (77); makes
#                            $work; on exit stops $pids, deletes the
#                            namespaces made with e2e_netns, removes $work
#                            (KEEP=1 keeps it)
#   e2e_netns NAME...        ip netns add, deleted on exit
#   start_capture NAME NS CMD...
#                            CMD in NS under timeout(1), stdout to
#                            $work/NAME.out, stderr to $work/NAME.err; waits
#                            for its "listening on"; $last_pid is timeout's
#                            pid (it passes SIGINT/SIGTERM on)
#   stop_capture PID         SIGINT, then its exit status
#   wait_for FILE PATTERN SECONDS [PID]
#                            until grep finds PATTERN, bounded; early when
#                            PID is gone
#   skip / fail / note MSG   exit 77 / count a failure / say something
#   e2e_finish               PASS or the failures, as the exit status
#
# Environment (set by make check): PTCPDUMP, the built binary; top_srcdir.

set -u

PTCPDUMP=${PTCPDUMP:-}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}

failed=0
pids=""
e2e_namespaces=""
work=""

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; failed=1; }
note() { echo "-- $*"; }

e2e_cleanup() {
	# Each pid is a timeout(1) (or a helper), which passes SIGTERM on.
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	for ns in $e2e_namespaces; do ip netns del "$ns" 2>/dev/null; done
	if [ -n "$work" ] && [ -z "${KEEP:-}" ]; then
		rm -rf "$work"
	fi
}

e2e_setup() {
	name=$1; shift
	[ "$(id -u)" = 0 ] || skip "needs root (network namespaces, BPF programs)"
	[ -n "$PTCPDUMP" ] && [ -x "$PTCPDUMP" ] ||
		skip "no ptcpdump binary (PTCPDUMP='$PTCPDUMP')"
	for tool in ip timeout "$@"; do
		command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
	done
	work=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX") || exit 99
	trap e2e_cleanup EXIT
	trap 'exit 1' INT TERM HUP
}

e2e_netns() {
	for ns in "$@"; do
		ip netns add "$ns" || return 1
		e2e_namespaces="$e2e_namespaces $ns"
	done
}

wait_for() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		if [ $# -gt 3 ] && ! kill -0 "$4" 2>/dev/null; then
			grep -q "$2" "$1" 2>/dev/null
			return
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

start_capture() {
	sc_name=$1 sc_ns=$2; shift 2
	ip netns exec "$sc_ns" timeout -k 5 90 "$@" \
		>"$work/$sc_name.out" 2>"$work/$sc_name.err" &
	last_pid=$!
	pids="$pids $last_pid"
	# Generous: a loaded machine can take long to verify the programs.
	if ! wait_for "$work/$sc_name.err" "listening on" 30 $last_pid; then
		echo "$sc_name did not start:"; cat "$work/$sc_name.err"
		return 1
	fi
}

stop_capture() {
	kill -INT "$1" 2>/dev/null
	wait "$1"
}

e2e_finish() {
	[ $failed = 0 ] && echo "PASS"
	exit $failed
}
