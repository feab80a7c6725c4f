#!/bin/sh
# Records the captures of UDP applications and overlays from real traffic
# in private network namespaces (needs root):
#   overlay.pcap   kernel VXLAN (VNI 42) and a user-space Geneve endpoint
#                  (VNI 77; the kernel here has no Geneve driver) carrying
#                  ARP, ping and a TCP exchange, seen on the underlay veth
#   udp-apps.pcap  DHCP and NTP exchanges between sockets on 127.0.0.1
# Usage: make-overlay-captures.sh [outdir]
set -eu
out=$(cd "${1:-$(dirname "$0")}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
gen="python3 $here/gen-overlay.py"
a=ptd-ovl-$$-a
b=ptd-ovl-$$-b
work=$(mktemp -d "${TMPDIR:-/tmp}/ptd-ovl.XXXXXX")

cleanup() {
	for p in $(cat "$work"/*.pid 2>/dev/null); do
		kill "$p" 2>/dev/null || true
	done
	ip netns del "$a" 2>/dev/null || true
	ip netns del "$b" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# Waits (at most 10 s) until file $1 holds a line matching $2.
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -le 100 ] || { echo "timed out waiting for $2 in $1" >&2; exit 1; }
		sleep 0.1
	done
}

# Starts tcpdump in netns $1 on $2 writing $3; returns once it listens.
start_capture() {
	ip netns exec "$1" tcpdump --immediate-mode -U -i "$2" -w "$3" 2>"$work/$4.err" &
	echo $! >"$work/$4.pid"
	wait_for "$work/$4.err" "listening on"
}

stop_capture() {
	kill -INT "$(cat "$work/$1.pid")"
	wait "$(cat "$work/$1.pid")" || true
	rm -f "$work/$1.pid"
}

ip netns add "$a"
ip netns add "$b"
ip link add ovl0 netns "$a" type veth peer name ovl1 netns "$b"
n=1
for ns in "$a" "$b"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip -n "$ns" link set lo up
	dev=ovl$((n - 1))
	ip -n "$ns" link set "$dev" address "02:00:00:00:01:0$n"
	ip -n "$ns" addr add "10.1.0.$n/24" dev "$dev"
	ip -n "$ns" link set "$dev" up
	ip -n "$ns" link add vx0 type vxlan id 42 local "10.1.0.$n" \
		remote "10.1.0.$((3 - n))" dstport 4789 dev "$dev"
	ip -n "$ns" link set vx0 address "02:00:00:00:42:0$n"
	ip -n "$ns" addr add "192.168.42.$n/24" dev vx0
	ip -n "$ns" link set vx0 up
	n=$((n + 1))
done

# The Geneve endpoints keep running while their stdin (a fifo) is open.
mkfifo "$work/gnv.ctl"
for n in 1 2; do
	ns=$a; [ "$n" = 2 ] && ns=$b
	ip netns exec "$ns" $gen geneve-endpoint "10.1.0.$n" \
		"10.1.0.$((3 - n))" gnv0 "192.168.77.$n/24" \
		"02:00:00:00:77:0$n" <"$work/gnv.ctl" >"$work/gnv$n.out" &
	echo $! >"$work/gnv$n.pid"
done
exec 3>"$work/gnv.ctl"
wait_for "$work/gnv1.out" ready
wait_for "$work/gnv2.out" ready

start_capture "$a" ovl0 "$out/overlay.pcap" ovl
for peer in 192.168.42.2 192.168.77.2; do
	ip netns exec "$a" ping -c 2 -i 0.2 -W 5 "$peer" >/dev/null
	rm -f "$work/srv.out"
	ip netns exec "$b" $gen tcp-serve "$peer" 8042 >"$work/srv.out" &
	srv=$!
	wait_for "$work/srv.out" ready
	ip netns exec "$a" $gen tcp-connect "$peer" 8042
	wait "$srv"
done
stop_capture ovl
exec 3>&-
wait "$(cat "$work/gnv1.pid")" "$(cat "$work/gnv2.pid")"
rm -f "$work"/gnv*.pid

start_capture "$a" lo "$out/udp-apps.pcap" lo
ip netns exec "$a" $gen dhcp-ntp
stop_capture lo
