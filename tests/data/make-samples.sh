#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Re-create the sample captures in this directory from real loopback traffic.
# Needs root, tcpdump, dumpcap/editcap/mergecap (wireshark-common) and python3.
# The output differs from run to run (addresses and ports are fixed, time
# stamps and sequence numbers are not); the committed files are the golden
# inputs, so only re-run this on purpose.
set -eu
cd "$(dirname "$0")"
here=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# Our TCP and UDP ports, ICMP echo and ICMPv6 echo (types 128/129) only, so
# that other activity on the machine stays out of the samples.
FILTER='tcp port 18080 or udp port 19999 or icmp[0] == 8 or icmp[0] == 0
	or (icmp6 and (ip6[40] == 128 or ip6[40] == 129))'

# capture OUT TRAFFIC-ARGS CAPTURE-COMMAND...: run the capture command until
# it says it is listening, make the traffic, then stop it with SIGINT.  A run
# in which the kernel dropped packets is repeated (up to three times).
capture() {
	out=$1 args=$2
	shift 2
	for try in 1 2 3; do
		: >"$tmp/cap.log"
		"$@" >"$tmp/cap.log" 2>&1 &
		pid=$!
		n=0
		until grep -q -i -e 'listening on' -e 'capturing on' "$tmp/cap.log"; do
			n=$((n + 1))
			[ $n -lt 100 ] || { cat "$tmp/cap.log" >&2; kill "$pid"; exit 1; }
			sleep 0.1
		done
		python3 "$here/gen-traffic.py" $args
		sleep 0.5	# let the last replies reach the capture
		kill -INT "$pid"
		wait "$pid" || true
		cat "$tmp/cap.log"
		if ! grep -q -E '^[1-9][0-9]* packets dropped by kernel' "$tmp/cap.log"; then
			break
		fi
		echo "$out: the kernel dropped packets, again (try $try)"
	done
	echo "$out: $(wc -c <"$out") bytes"
}

capture lo-tcp-udp-icmp.pcap "--rounds 1" \
	tcpdump -i lo -B 8192 -U --immediate-mode -w lo-tcp-udp-icmp.pcap "$FILTER"
capture any-sll2.pcap "--rounds 1 --body 600" \
	tcpdump -i any -y LINUX_SLL2 -B 8192 -U --immediate-mode -w any-sll2.pcap "$FILTER"
capture any-sll.pcap "--rounds 1 --body 300" \
	tcpdump -i any -y LINUX_SLL -B 8192 -U --immediate-mode -w any-sll.pcap "$FILTER"
capture lo-nano.pcap "--rounds 1 --body 100" \
	tcpdump -i lo --time-stamp-precision=nano -B 8192 -U --immediate-mode -w lo-nano.pcap "$FILTER"
capture lo-snap96.pcap "--rounds 1 --body 100" \
	tcpdump -i lo -s 96 -B 8192 -U --immediate-mode -w lo-snap96.pcap "$FILTER"
# dumpcap writes pcapng itself: SHB/IDB options, if_tsresol 9, and an ISB.
capture any-dumpcap.pcapng "--rounds 1 --body 100" \
	dumpcap -q -i any -f "$FILTER" -w "$here/any-dumpcap.pcapng"

editcap -F pcapng lo-tcp-udp-icmp.pcap lo-tcp-udp-icmp.pcapng
mergecap -F pcapng -w multi-if.pcapng lo-nano.pcap any-sll2.pcap
python3 pcaptool.py annotate any-sll.pcap annotated.pcapng
python3 pcaptool.py swap lo-tcp-udp-icmp.pcap be.pcap
python3 pcaptool.py swap annotated.pcapng be.pcapng
# Concatenated pcapng files are one file with several sections.
cat lo-tcp-udp-icmp.pcapng be.pcapng >multi-section.pcapng
chmod 644 ./*.pcap ./*.pcapng
ls -l ./*.pcap ./*.pcapng
