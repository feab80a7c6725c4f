#!/bin/sh
# Records multicast membership traffic (IGMP, MLD) and plain ping/TCP
# between two private network namespaces joined by a veth pair (needs
# root).  gen-ipprotos.py wraps the plain traffic in GRE and ESP, which
# this kernel cannot originate.  Usage: make-mcast-captures.sh [outdir]
set -e
out=$(cd "${1:-$(dirname "$0")}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
a=ptd-mca-$$
b=ptd-mcb-$$
cleanup() {
	ip netns del "$a" 2>/dev/null || true
	ip netns del "$b" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$a"
ip netns add "$b"
for ns in "$a" "$b"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0
	ip -n "$ns" link set lo up
done
ip -n "$a" link add a0 address 02:00:00:00:0a:01 type veth \
	peer name b0 address 02:00:00:00:0b:01 netns "$b"
ip -n "$a" addr add 10.99.0.1/24 dev a0
ip -n "$b" addr add 10.99.0.2/24 dev b0
ip -n "$a" addr add fd99::1/64 dev a0 nodad
ip -n "$b" addr add fd99::2/64 dev b0 nodad
ip -n "$a" link set a0 up
ip -n "$b" link set b0 up

# Plain traffic first, for gen-ipprotos.py to encapsulate.
ip netns exec "$a" tcpdump -q -i a0 -w "$out/veth-plain.pcap" \
	'icmp or icmp6[0] == 128 or icmp6[0] == 129 or tcp' 2>/dev/null &
cap=$!
sleep 1
ip netns exec "$b" python3 "$here/gen-mcast.py" tcp-server 10.99.0.2 8080 &
srv=$!
ip netns exec "$a" ping -q -c 2 -i 0.2 10.99.0.2 >/dev/null
ip netns exec "$a" ping -q -6 -c 2 -i 0.2 fd99::2 >/dev/null
ip netns exec "$a" python3 "$here/gen-mcast.py" tcp-client 10.99.0.2 8080
wait $srv
sleep 1
kill -INT $cap
wait $cap || true

# Membership: reports the kernel sends when sockets join and leave,
# and its answers to the queries the other side sends.
ip netns exec "$a" tcpdump -q -i a0 -w "$out/mcast.pcap" 'igmp or ip6' \
	2>/dev/null &
cap=$!
sleep 1
ip netns exec "$a" python3 "$here/gen-mcast.py" member a0 &
mem=$!
sleep 1
ip netns exec "$b" python3 "$here/gen-mcast.py" querier b0
wait $mem
sleep 1
kill -INT $cap
wait $cap || true

# The crafted captures built on the plain traffic.
python3 "$here/gen-ipprotos.py" "$out"
