#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Regenerates lo.pcap (DLT_EN10MB) and any.pcap (DLT_LINUX_SLL2) from real
# loopback traffic (needs root and tcpdump), then the derived and crafted
# files.  Run from this directory.
set -e
filter='(net 127.0.0.0/8 or host ::1) and (portrange 47000-47010 or icmp or icmp6)'
tcpdump -i lo -U -s 0 -w lo.pcap "$filter" 2>/dev/null &
lo_pid=$!
tcpdump -i any -U -s 0 -w any.pcap "$filter" 2>/dev/null &
any_pid=$!
# tcpdump creates its file once it listens
while [ ! -s lo.pcap ] || [ ! -s any.pcap ]; do sleep 0.1; done
python3 traffic.py
sleep 0.5
kill -INT "$lo_pid" "$any_pid"
wait "$lo_pid" "$any_pid" || true
python3 craft.py
