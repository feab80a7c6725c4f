#!/bin/sh
# Socket -> process attribution (backends/attrib, bpf/attrib.bpf.c), live:
# tests/e2e/attrib-probe loads the programs, then for each socket made here
# by tests/e2e/attrib-peer.py (whose pid, name, cookie and tuple we know)
# the cookie map, the tuple map and the packet path's lookup must name the
# right process:
#   1. a TCP connection on 127.0.0.1 opened BEFORE the programs load (the
#      start-up iterator must find both ends);
#   2. TCP on 127.0.0.1, UDP on 127.0.0.1, TCP on ::1;
#   3. TCP across a veth pair between two network namespaces made here
#      (addresses only inside them); then the packet path's lookup live,
#      attached with TCX to both veth ends: each end's packets, in and
#      out, belong to the process of that namespace;
#   4. a short-lived client: its tuple outlives it, and its exec and exit
#      records arrive;
#   5. a second probe seeded from sock_diag + /proc (the fallback for
#      kernels without the iterator) finds every socket of 1-3 that is
#      still open.
#
# Environment (set by make check): top_srcdir, top_builddir.
# Exit 77 (skip) when not root or when the kernel cannot load the programs.

set -u

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
probe=$top_builddir/tests/e2e/attrib-probe
peer=$top_srcdir/tests/e2e/attrib-peer.py

skip() { echo "SKIP: $*"; exit 77; }
failed=0
checks=0
fail() { echo "FAIL: $*"; failed=1; }
note() { echo "-- $*"; }

[ "$(id -u)" = 0 ] || skip "needs root (BPF programs, network namespaces)"
[ -x "$probe" ] || skip "no $probe"
for tool in ip python3 timeout mkfifo; do
	command -v $tool >/dev/null 2>&1 || skip "$tool is not installed"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/attrib.XXXXXX") || exit 99
nsa=ptd-at-$$-a
nsb=ptd-at-$$-b
pids=""
probe_pid=""
cleanup() {
	for p in $pids; do kill -TERM "$p" 2>/dev/null; done
	for p in $pids; do wait "$p" 2>/dev/null; done
	exec 3>&- 4<&-
	if [ -n "$probe_pid" ]; then
		kill -TERM "$probe_pid" 2>/dev/null
		wait "$probe_pid" 2>/dev/null
	fi
	ip netns del "$nsa" 2>/dev/null
	ip netns del "$nsb" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# wait_for FILE PATTERN SECONDS: poll until grep finds it, bounded.
wait_for() {
	i=0
	while [ $i -lt $(($3 * 20)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# peer [NS] NAME ROLE PROTO ADDR PORT OUT [hold]: start one end; its pid
# is $peer_pid ("ip netns exec" execs, so the pid is python's own).
peer() {
	case $1 in
	ptd-at-*) ns=$1; shift
		ip netns exec "$ns" python3 "$peer" "$@" 2>>"$work/peer.err" 3>&- 4<&- & ;;
	*)	python3 "$peer" "$@" 2>>"$work/peer.err" 3>&- 4<&- & ;;
	esac
	peer_pid=$!
	pids="$pids $peer_pid"
}

# pair LABEL [NS_SERVER NS_CLIENT] PROTO ADDR: a server and a client that
# both stay; their socket lines land in $work/LABEL.srv and LABEL.cli.
pair() {
	label=$1; shift
	nss=""; nsc=""
	if [ $# -gt 2 ]; then nss=$1; nsc=$2; shift 2; fi
	peer $nss "at-$label-s" server "$1" "$2" 0 "$work/$label.srv" hold
	srv_pid=$peer_pid
	wait_for "$work/$label.srv" '^port ' 10 || { fail "$label: no server port"; return 1; }
	port=$(sed -n 's/^port //p' "$work/$label.srv")
	peer $nsc "at-$label-c" client "$1" "$2" "$port" "$work/$label.cli" hold
	cli_pid=$peer_pid
	wait_for "$work/$label.cli" '^done' 20 || { fail "$label: client did not finish"; return 1; }
	wait_for "$work/$label.srv" '^done' 20 || { fail "$label: server did not finish"; return 1; }
}

# ask COMMAND...: one line to the probe, one line back.
ask() {
	echo "$*" >&3
	if ! read -r answer <&4; then
		answer="fail the probe is gone"
	fi
	checks=$((checks + 1))
	case $answer in
	ok*) echo "   $answer" ;;
	*) fail "$* -> $answer" ;;
	esac
}

# check_socks FILE [nocookie]: every socket line of FILE against the maps.
check_socks() {
	grep '^sock ' "$1" >"$work/lines" || { fail "no socket line in $1"; return; }
	while read -r _ pid comm cookie netns fam proto laddr lport raddr rport; do
		note "$comm (pid $pid) $proto $laddr:$lport -> $raddr:$rport"
		[ $# -gt 1 ] || ask cookie "$cookie" "$pid" "$comm"
		ask tuple "$netns" "$fam" "$proto" "$laddr" "$lport" "$raddr" "$rport" "$pid" "$comm"
	done <"$work/lines"
}

# ---------------------------------------------------------------- 1. seed
note "a connection that exists before the programs load"
pair pre tcp 127.0.0.1 || exit 1

# start_probe [ENV=VALUE]: the probe on fds 3 (commands) and 4 (answers);
# its first line is in $ready.  Skips when the kernel refuses the programs.
start_probe() {
	rm -f "$work/cmd" "$work/reply"
	mkfifo "$work/cmd" "$work/reply" || exit 99
	env "$@" timeout 300 "$probe" <"$work/cmd" >"$work/reply" 2>"$work/probe.err" &
	probe_pid=$!
	exec 3>"$work/cmd" 4<"$work/reply"
	if ! read -r ready <&4; then
		cat "$work/probe.err"
		fail "attrib-probe died before it was ready"
		exit 1
	fi
	case $ready in
	unavailable*)
		cat "$work/probe.err"
		skip "the kernel cannot load the attribution programs: ${ready#unavailable }" ;;
	ready*) note "$ready" ;;
	*) fail "attrib-probe says: $ready"; exit 1 ;;
	esac
}

# stop_probe: "quit" (or the end of its input) ends it.
stop_probe() {
	echo quit >&3
	exec 3>&- 4<&-
	wait "$probe_pid"
	probe_pid=""
	grep -v '^attrib-probe: attrib: attached' "$work/probe.err" | sed 's/^/   /'
}

start_probe
case $ready in
*"seed=0 "*) check_socks "$work/pre.srv"; check_socks "$work/pre.cli" ;;
*) fail "no start-up seeding: $ready" ;;
esac

# ----------------------------------------------------- 2. after the load
note "TCP on 127.0.0.1"
if pair tcp tcp 127.0.0.1; then
	check_socks "$work/tcp.srv"; check_socks "$work/tcp.cli"
	ask proc "$srv_pid" python3
	ask proc "$cli_pid" python3
fi
note "UDP on 127.0.0.1"
if pair udp udp 127.0.0.1; then
	check_socks "$work/udp.srv"; check_socks "$work/udp.cli"
fi
note "TCP on ::1"
if pair v6 tcp ::1; then
	check_socks "$work/v6.srv"; check_socks "$work/v6.cli"
fi

# ------------------------------------------------ 3. network namespaces
note "TCP between two network namespaces over veth"
ip netns add "$nsa" && ip netns add "$nsb" &&
# Distinct ifindexes: the live check tells devices apart by them.
ip link add ptd-at-$$ netns "$nsa" index 30001 type veth \
	peer name ptd-at-b netns "$nsb" index 30002 &&
ip -n "$nsa" link set ptd-at-$$ name ptd-at-a &&
ip -n "$nsa" addr add 192.0.2.1/24 dev ptd-at-a &&
ip -n "$nsb" addr add 192.0.2.2/24 dev ptd-at-b &&
ip -n "$nsa" link set ptd-at-a up && ip -n "$nsb" link set ptd-at-b up &&
ip -n "$nsa" link set lo up && ip -n "$nsb" link set lo up ||
	fail "cannot make the namespaces"
if pair ns "$nsb" "$nsa" tcp 192.0.2.2; then
	check_socks "$work/ns.srv"; check_socks "$work/ns.cli"
fi

note "the packet path live: the lookup on both veth ends (TCX)"
echo "tcx /run/netns/$nsa ptd-at-a" >&3; read -r tcx_a <&4
echo "tcx /run/netns/$nsb ptd-at-b" >&3; read -r tcx_b <&4
case "$tcx_a $tcx_b" in
"ok "*" ok "*)
	if pair tcx "$nsb" "$nsa" tcp 192.0.2.2; then
		for f in "$work/tcx.srv" "$work/tcx.cli"; do
			grep '^sock ' "$f" >"$work/lines"
			while read -r _ pid comm cookie netns fam proto laddr lport raddr rport; do
				note "$comm: its packets in its own namespace"
				ask seen "$netns" "$fam" "$proto" "$laddr" "$lport" "$raddr" "$rport" out "$pid" "$comm"
				ask seen "$netns" "$fam" "$proto" "$raddr" "$rport" "$laddr" "$lport" in "$pid" "$comm"
			done <"$work/lines"
		done
	fi ;;
*fail*Operation\ not\ supported*) note "no TCX here: live lookup not checked ($tcx_a; $tcx_b)" ;;
*) fail "cannot attach the live lookup: $tcx_a; $tcx_b" ;;
esac

# ------------------------------------------------- 4. a short-lived client
note "a short-lived client"
peer at-sl-s server tcp 127.0.0.1 0 "$work/sl.srv" hold
if wait_for "$work/sl.srv" '^port ' 10; then
	port=$(sed -n 's/^port //p' "$work/sl.srv")
	python3 "$peer" at-sl-c client tcp 127.0.0.1 "$port" "$work/sl.cli" \
		2>>"$work/peer.err" 3>&- 4<&- &
	sl_pid=$!
	wait "$sl_pid"
	wait_for "$work/sl.cli" '^done' 1 || fail "short-lived client did not finish"
	# The socket is released: only its tuple is left.
	check_socks "$work/sl.cli" nocookie
	ask events "$sl_pid" python3
else
	fail "short-lived: no server port"
fi

ask stats
stop_probe

# ------------------------------------------ 5. the sock_diag fallback seed
note "seeding from sock_diag and /proc instead of the iterator"
start_probe PTD_ATTRIB_SEED=sockdiag
case $ready in
*"seed=0 "*)
	for label in pre tcp udp v6 ns tcx; do
		[ -f "$work/$label.cli" ] || continue
		check_socks "$work/$label.srv"; check_socks "$work/$label.cli"
	done ;;
*) fail "sock_diag seeding failed: $ready" ;;
esac
stop_probe

if [ -s "$work/peer.err" ]; then
	note "peer errors:"; cat "$work/peer.err"
fi
echo "$checks checks"
[ $failed -eq 0 ] || exit 1
echo PASS
