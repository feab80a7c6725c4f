#!/bin/sh
# Names in a live capture (no -n) never hold the capture up.
#   1. The name server is a black hole (its address is routed to a veth
#      end that answers nothing, so each reverse lookup waits for the
#      resolver's timeouts): packets still print at once, as numbers, and
#      -c ends the capture promptly.  Looked up inline, each of the two
#      addresses would stall the capture for the resolver's whole timeout.
#   2. 127.0.0.1 has a name in /etc/hosts: the first packet shows the
#      number (the lookup is under way), later packets the name.
# Everything runs in a network namespace and a mount namespace of our own;
# /etc/resolv.conf is replaced in that mount namespace only.
. "${top_srcdir}/tests/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (namespaces, BPF programs)"
[ -f "$top_builddir/plugins/backend-tc.so" ] || skip_all "the tc backend was not built"
for tool in ip ping unshare mount getent timeout; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool is not installed"
done
[ -f /etc/resolv.conf ] || skip_all "no /etc/resolv.conf to replace"

ns=ptd-res-$$
pid=""
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$scratch"
}
trap cleanup EXIT

ip netns add "$ns" || skip_all "cannot create a network namespace"
ip -n "$ns" link set lo up
ip -n "$ns" link add veth0 type veth peer name veth1
ip -n "$ns" addr add 10.99.0.1/24 dev veth0
ip -n "$ns" link set veth0 up
ip -n "$ns" link set veth1 up
# Frames to these go out of veth0 and vanish at veth1 (no address there).
ip -n "$ns" neigh add 10.99.0.53 lladdr 02:00:00:00:00:53 dev veth0
ip -n "$ns" neigh add 10.99.0.5 lladdr 02:00:00:00:00:05 dev veth0
echo "nameserver 10.99.0.53" >"$scratch/resolv.conf"

# in_ns COMMAND...: in the namespace, with the black hole as name server.
in_ns() {
	ip netns exec "$ns" unshare -m sh -c \
		'mount --bind "$0" /etc/resolv.conf && exec "$@"' \
		"$scratch/resolv.conf" "$@"
}

if in_ns true; then
	ok "namespace with its own resolv.conf"
else
	not_ok "namespace with its own resolv.conf"
	finish
fi

# The premise: a reverse lookup of 10.99.0.5 blocks here.
in_ns timeout 2 getent hosts 10.99.0.5 >/dev/null 2>&1
same_text "a reverse lookup blocks (timeout's status)" 124 $?

gone() { ! kill -0 "$pid" 2>/dev/null; }
listening() { grep -q '^listening on' "$scratch/$1.err"; }

# capture NAME ARGS...: ptcpdump in the background; its banner awaited.
capture() {
	name=$1
	shift
	# A simple command, not in_ns: $! must be ptcpdump itself (ip,
	# unshare and sh each exec the next).
	ip netns exec "$ns" unshare -m sh -c \
		'mount --bind "$0" /etc/resolv.conf && exec "$@"' \
		"$scratch/resolv.conf" "$PTCPDUMP" -l "$@" \
		>"$scratch/$name.out" 2>"$scratch/$name.err" &
	pid=$!
	if ! wait_for 10 listening "$name"; then
		not_ok "$name: capture started" "$(cat "$scratch/$name.err")"
		finish
	fi
}

# -------------------------------------------------- 1. the black hole
capture blackhole -i veth0 -c 3 icmp
ip netns exec "$ns" ping -n -q -c 3 -i 0.2 -W 1 10.99.0.5 >/dev/null 2>&1
if wait_for 5 gone; then
	wait "$pid"
	same_text "black hole: -c 3 ends the capture within 5 s, status" 0 $?
else
	not_ok "black hole: -c 3 ends the capture within 5 s" \
		"still running; printed:" "$(cat "$scratch/blackhole.out")"
	kill -KILL "$pid" 2>/dev/null
fi
pid=""
same_text "black hole: the three packets, as numbers" 3 \
	"$(grep -c 'IP 10\.99\.0\.1 > 10\.99\.0\.5: ICMP echo request' \
		"$scratch/blackhole.out")"

# -------------------------------------------------- 2. a name from /etc/hosts
want=$(in_ns getent hosts 127.0.0.1 | awk '{ print $2; exit }')
if [ -z "$want" ]; then
	skip "lo: first packet numeric, later ones named" \
		"127.0.0.1 has no name in /etc/hosts"
else
	capture hosts -i lo icmp
	named() {
		ip netns exec "$ns" ping -n -q -c 1 -W 1 127.0.0.1 >/dev/null 2>&1
		grep -q "IP $want > $want: ICMP" "$scratch/hosts.out"
	}
	if wait_for 10 named; then
		ok "lo: later packets show the name ($want)"
	else
		not_ok "lo: later packets show the name ($want)" \
			"$(head -5 "$scratch/hosts.out")"
	fi
	# The first lookup cannot have been answered when the first
	# address printed.
	first=$(head -1 "$scratch/hosts.out")
	case $first in
	*"IP 127.0.0.1 > "*) ok "lo: the first packet shows the number" ;;
	*) not_ok "lo: the first packet shows the number" "got: $first" ;;
	esac
	kill -INT "$pid"
	if wait_for 10 gone; then
		wait "$pid"
		same_text "lo: SIGINT ends the capture, status" 0 $?
	else
		not_ok "lo: SIGINT ends the capture" "still running after 10 s"
	fi
	pid=""
fi

finish
