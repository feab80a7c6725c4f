#!/bin/sh
# What the tc backend does to the devices it captures on, in a network
# namespace of our own:
#   1. promiscuous mode, as tcpdump: the device's promiscuity count is 1
#      while ptcpdump -i veth0 runs and 0 again after a clean exit and after
#      SIGKILL; 0 throughout with -p and with -i any (tcpdump's rules,
#      checked against tcpdump itself).
#   2. -B: the ring buffer map's size, read from the capture's own fds.
#   3. the clsact qdisc of the cls_bpf fallback: gone after a clean exit
#      when ptcpdump created it; kept when it was there before, or when
#      someone else's filter was added to it during the capture.
#
# Environment (set by make check): PTCPDUMP, the built binary; top_srcdir.
# Exit 77 (skip) when not root or when the kernel cannot load the programs.

set -u

. "$(dirname "$0")/lib.sh"
e2e_setup tc-devstate tc tcpdump pgrep
ns=ptd-dev-$$

ina() { ip netns exec "$ns" "$@"; }

# start_capture NAME CMD...: in the background in the namespace, stderr to
# NAME.err, until its "listening on" line.  $last_pid is timeout(1)'s pid,
# $child the capture's own.
start_capture() {
	name=$1; shift
	# Emptied here, not by the background job's redirection, which may
	# come after the first look for the line (names are reused).
	: >"$work/$name.err"
	ip netns exec "$ns" timeout -k 5 60 "$@" 2>>"$work/$name.err" &
	last_pid=$!
	pids="$pids $last_pid"
	if ! wait_for "$work/$name.err" "listening on" 10 $last_pid; then
		echo "$name did not start:"; cat "$work/$name.err"
		child=""
		return 1
	fi
	child=$(pgrep -P "$last_pid" | head -1)
}

# promiscuity DEV: the kernel's count of promiscuous-mode holders.
promiscuity() {
	ina ip -d link show "$1" | sed -n 's/.* promiscuity \([0-9]*\) .*/\1/p'
}

# expect_promisc WHAT DEV N: the count must be N.
expect_promisc() {
	got=$(promiscuity "$2")
	[ "$got" = "$3" ] || fail "$1: $2 has promiscuity ${got:-?}, want $3"
}

# Until DEV's count is N (the kernel drops a killed process's sockets
# soon after it dies, not at once), bounded.
wait_promisc() {
	i=0
	while [ $i -lt 50 ] && [ "$(promiscuity "$1")" != "$2" ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

e2e_netns "$ns" || skip "cannot create network namespaces"
ina ip link set lo up
ina ip link add veth0 type veth peer name veth1 || exit 99
ina ip link set veth0 up
ina ip link set veth1 up

if ! start_capture probe "$PTCPDUMP" -p -i lo -w /dev/null; then
	if grep -q "cannot load the BPF programs\|cannot attach" "$work/probe.err"; then
		skip "the kernel cannot run the capture programs: $(head -1 "$work/probe.err")"
	fi
	exit 1
fi
stop_capture $last_pid

# ---------------------------------------------------------------- 1. promisc
note "promiscuous mode"
expect_promisc "before any capture" veth0 0

# tcpdump, the oracle for the rules below.
start_capture t-promisc tcpdump -i veth0 -w /dev/null || fail "tcpdump -i veth0"
expect_promisc "tcpdump -i veth0" veth0 1
stop_capture $last_pid
start_capture t-nopromisc tcpdump -p -i veth0 -w /dev/null || fail "tcpdump -p"
expect_promisc "tcpdump -p -i veth0" veth0 0
stop_capture $last_pid
start_capture t-any tcpdump -i any -w /dev/null || fail "tcpdump -i any"
expect_promisc "tcpdump -i any" veth0 0
stop_capture $last_pid

start_capture promisc "$PTCPDUMP" -i veth0 -w /dev/null || fail "ptcpdump -i veth0"
expect_promisc "ptcpdump -i veth0" veth0 1
flags=$(ina cat /sys/class/net/veth0/flags)
[ $((flags & 0x100)) != 0 ] || fail "IFF_PROMISC not in veth0's flags ($flags) during the capture"
expect_promisc "ptcpdump -i veth0, on veth1" veth1 0
stop_capture $last_pid || fail "ptcpdump -i veth0 exited with status $?"
expect_promisc "after a clean exit" veth0 0
flags=$(ina cat /sys/class/net/veth0/flags)
[ $((flags & 0x100)) = 0 ] || fail "IFF_PROMISC still in veth0's flags ($flags) after exit"

start_capture both-lo "$PTCPDUMP" -i lo -i veth0 -w /dev/null || fail "ptcpdump -i lo -i veth0"
expect_promisc "ptcpdump -i lo -i veth0" veth0 1
expect_promisc "ptcpdump -i lo -i veth0" lo 1
stop_capture $last_pid || fail "ptcpdump -i lo -i veth0 exited with status $?"
expect_promisc "after -i lo -i veth0" lo 0

start_capture nopromisc "$PTCPDUMP" -p -i veth0 -w /dev/null || fail "ptcpdump -p"
expect_promisc "ptcpdump -p -i veth0" veth0 0
stop_capture $last_pid || fail "ptcpdump -p exited with status $?"

start_capture any "$PTCPDUMP" -i any -w /dev/null || fail "ptcpdump -i any"
expect_promisc "ptcpdump -i any" veth0 0
expect_promisc "ptcpdump -i any" lo 0
stop_capture $last_pid || fail "ptcpdump -i any exited with status $?"

start_capture killed "$PTCPDUMP" -i veth0 -w /dev/null || fail "ptcpdump (SIGKILL)"
expect_promisc "ptcpdump -i veth0 (to be killed)" veth0 1
kill -9 "${child:-$last_pid}" 2>/dev/null
wait $last_pid 2>/dev/null
wait_promisc veth0 0
expect_promisc "after SIGKILL" veth0 0

# ---------------------------------------------------------------- 2. -B
# max_entries of the capture's ring buffer (map type 27), from its fds.
ring_size() {
	for f in /proc/"$1"/fdinfo/*; do
		grep -q "^map_type:[[:space:]]*27$" "$f" 2>/dev/null &&
			sed -n 's/^max_entries:[[:space:]]*\([0-9]*\)$/\1/p' "$f"
	done | sort -n | tail -1
}
# check_ring WANT [FLAGS...]
check_ring() {
	want=$1; shift
	start_capture ring "$PTCPDUMP" "$@" -i veth0 -w /dev/null || { fail "ptcpdump $*"; return; }
	got=$(ring_size "${child:-x}")
	stop_capture $last_pid || fail "ptcpdump $* exited with status $?"
	note "ring buffer with '$*': ${got:-?} bytes"
	[ "$got" = "$want" ] || { fail "ptcpdump $*: ring buffer of ${got:-?} bytes, want $want"; cat "$work/ring.err"; }
}
note "-B"
check_ring 8388608                  # the default, ringbuf_size = 8MiB
check_ring 4194304 -B 3000          # 3000 KiB, rounded up to a power of two
check_ring 16777216 -B 16384        # exactly 16 MiB
check_ring 1048576 -B 1             # at least 1 MiB
"$PTCPDUMP" -B 2097151 -i lo -w /dev/null >"$work/toolarge.out" 2>&1 &&
	fail "-B 2097151 was accepted"
grep -q "^ptcpdump: .*buffer size 2097151 KiB is too large (at most 1048576)$" "$work/toolarge.out" ||
	fail "-B 2097151: $(cat "$work/toolarge.out")"

# ---------------------------------------------------------------- 3. clsact
note "clsact qdisc"
mkdir "$work/conf"
cp "$top_srcdir"/plugins.d/*.conf "$work/conf/"
chmod 0644 "$work/conf/"*.conf
sed -i 's/^#attach = auto$/attach = clsact/' "$work/conf/10-backend-tc.conf"
grep -q '^attach = clsact$' "$work/conf/10-backend-tc.conf" || fail "cannot set attach = clsact"
has_clsact() { ina tc qdisc show dev veth0 | grep -q "^qdisc clsact "; }

has_clsact && fail "veth0 has a clsact qdisc before the test"
start_capture cls-ours "$PTCPDUMP" --config-dir "$work/conf" -i veth0 -w /dev/null ||
	fail "ptcpdump (clsact)"
has_clsact || fail "no clsact qdisc while capturing in clsact mode"
stop_capture $last_pid || fail "ptcpdump (clsact) exited with status $?"
has_clsact && fail "the clsact qdisc ptcpdump created is left after a clean exit"

# One that was there before is not ours.
ina tc qdisc add dev veth0 clsact || fail "tc qdisc add"
start_capture cls-theirs "$PTCPDUMP" --config-dir "$work/conf" -i veth0 -w /dev/null ||
	fail "ptcpdump (clsact, existing qdisc)"
stop_capture $last_pid || fail "ptcpdump (clsact, existing qdisc) exited with status $?"
has_clsact || fail "ptcpdump removed a clsact qdisc it did not create"
ina tc qdisc del dev veth0 clsact

# Ours, but someone else put a filter on it meanwhile: both stay.
start_capture cls-shared "$PTCPDUMP" --config-dir "$work/conf" -i veth0 -w /dev/null ||
	fail "ptcpdump (clsact, shared)"
ina tc filter add dev veth0 egress prio 7 bpf bytecode "1,6 0 0 0," ||
	fail "cannot add a filter of someone else's"
stop_capture $last_pid || fail "ptcpdump (clsact, shared) exited with status $?"
has_clsact || fail "ptcpdump removed the clsact qdisc holding someone else's filter"
ina tc filter show dev veth0 egress | grep -q "pref 7 bpf" ||
	fail "someone else's filter is gone"
ina tc filter show dev veth0 egress | grep -q ptd_tc_ &&
	fail "our egress filter is left"

e2e_finish
