#!/bin/sh
# Records the golden captures from real loopback traffic in a private
# network namespace (needs root).  Usage: make-captures.sh [outdir]
set -e
out=${1:-$(dirname "$0")}
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/gen-stp.sh" "$out/stp-real.pcap" 4
sh "$here/make-overlay-captures.sh" "$out"
exec unshare -n sh -c '
	set -e
	ip link set lo up
	tcpdump -q -i lo -w "$0/lo.pcap" 2>/dev/null & a=$!
	tcpdump -q -i lo --time-stamp-precision=nano -w "$0/lo-nano.pcap" 2>/dev/null & b=$!
	tcpdump -q -i any -w "$0/any-sll2.pcap" 2>/dev/null & c=$!
	tcpdump -q -i any -y LINUX_SLL -w "$0/any-sll.pcap" 2>/dev/null & d=$!
	sleep 1
	python3 "$1/gen-traffic.py"
	sleep 1
	kill -INT $a $b $c $d
	wait
	tcpdump -q -i lo -w "$0/bulk.pcap" 2>/dev/null & a=$!
	tcpdump -q -i lo -s 96 -w "$0/bulk-snap96.pcap" 2>/dev/null & b=$!
	sleep 1
	python3 "$1/gen-traffic.py" bulk
	sleep 1
	kill -INT $a $b
	wait
	tcpdump -q -i lo -w "$0/tcpopts-real.pcap" 2>/dev/null & a=$!
	sleep 1
	python3 "$1/gen-traffic-opts.py"
	sleep 1
	kill -INT $a
	wait
' "$out" "$here"
