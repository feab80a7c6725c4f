#!/bin/sh
# Records the DNS golden captures from real traffic in a private network
# namespace (needs root), then crafts the rest.  Usage:
# make-dns-captures.sh [outdir]
set -e
out=${1:-$(dirname "$0")}
here=$(cd "$(dirname "$0")" && pwd)
unshare -n sh -c '
	set -e
	ip link set lo up
	ip link set lo multicast on
	f="udp port 53 or udp port 5353 or udp port 5355 or tcp port 53"
	tcpdump -q -i lo -w "$0/dns.pcap" "$f" 2>/dev/null & a=$!
	tcpdump -q -i lo -s 100 -w "$0/dns-snap100.pcap" "$f" 2>/dev/null & b=$!
	sleep 1
	python3 "$1/gen-dns-traffic.py"
	sleep 1
	kill -INT $a $b
	wait
' "$out" "$here"
python3 "$here/gen-dns-synthetic.py" "$out"
