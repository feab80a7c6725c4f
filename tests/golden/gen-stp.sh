#!/bin/sh
# Records real spanning tree BPDUs (IEEE 802.3 frames with an LLC header)
# from a kernel bridge in a private network namespace (needs root).
# Usage: gen-stp.sh OUT.pcap [count]
set -e
out=$1
count=${2:-4}
exec unshare -n sh -c '
	set -e
	ip link set lo up
	ip link add br0 address 02:00:00:00:0b:01 type bridge stp_state 1 \
		hello_time 100 priority 4096
	ip link add v0 address 02:00:00:00:0b:02 type veth \
		peer name v1 address 02:00:00:00:0b:03
	ip link set v0 master br0
	ip link set v1 up
	ip link set v0 up
	ip link set br0 up
	# tcpdump stops by itself after the given number of BPDUs.
	timeout 30 tcpdump -i v1 -c "$1" -w "$0" stp 2>/dev/null
' "$out" "$count"
