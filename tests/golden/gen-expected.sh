#!/bin/sh
# Regenerates the expected outputs from tcpdump (the oracle) for every
# case in TESTLIST.  Run after changing a capture; commit the .out files.
set -e
cd "$(dirname "$0")"
grep -v '^#' TESTLIST | while read -r name pcap flags; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	TZ=GMT0 tcpdump -r "$pcap" $flags > "$name.out" 2>/dev/null
done
