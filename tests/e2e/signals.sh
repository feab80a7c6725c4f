#!/bin/sh
# A live capture answers signals like tcpdump: SIGUSR1 prints the three
# statistics lines and goes on, SIGINT and SIGTERM stop cleanly with them,
# even when started as a background job (SIGINT arrives ignored).
. "${top_srcdir}/tests/lib.sh"

[ "$(id -u)" -eq 0 ] || skip_all "needs root (BPF programs)"
[ -f "$top_builddir/plugins/backend-tc.so" ] || skip_all "the tc backend was not built"
command -v python3 >/dev/null || skip_all "python3 is needed to send traffic"

port=$((20000 + $$ % 20000))
send() {
	python3 - "$port" "$1" <<'PY'
import socket, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(n):
    s.sendto(b"ptcpdump signal test", ("127.0.0.1", port))
PY
}

# start_capture NAME: ptcpdump in the background, banner awaited.
start_capture() {
	"$PTCPDUMP" -i lo -n -w "$scratch/$1.pcap" "udp dst port $port" \
		2>"$scratch/$1.err" &
	pid=$!
	errfile="$scratch/$1.err"
	listening() { grep -q '^listening on lo' "$errfile"; }
	if ! wait_for 10 listening; then
		not_ok "$1: capture started" "$(cat "$scratch/$1.err")"
		kill -KILL "$pid" 2>/dev/null
		finish
		exit 1
	fi
}

stat_line() { grep "packets* $2\$" "$scratch/$1.err" | tail -1 | cut -d' ' -f1; }

# stats_say NAME N: the latest block says N captured.
stats_say() { [ "$(stat_line "$1" captured)" = "$2" ]; }

gone() { ! kill -0 "$pid" 2>/dev/null; }

check_exit() {
	if wait_for 10 gone; then
		wait "$pid"
		same_text "$1: exit status" 0 $?
	else
		not_ok "$1: exit status" "still running 10 s after the signal"
		kill -KILL "$pid" 2>/dev/null
	fi
}

start_capture usr1
send 5
# The kernel hands packets over in batches: ask again until they are in.
five() { kill -USR1 "$pid"; sleep 0.1; stats_say usr1 5; }
if wait_for 10 five; then
	ok "SIGUSR1: statistics say 5 packets captured"
else
	not_ok "SIGUSR1: statistics say 5 packets captured" "$(cat "$scratch/usr1.err")"
fi
if kill -0 "$pid" 2>/dev/null; then
	ok "SIGUSR1: the capture goes on"
else
	not_ok "SIGUSR1: the capture goes on"
fi
send 3
# Poll with SIGUSR1 until the three new datagrams are counted, then stop.
counted() { kill -USR1 "$pid"; sleep 0.1; stats_say usr1 8; }
wait_for 10 counted || true
kill -INT "$pid"
check_exit "SIGINT"
same_text "SIGINT: final captured count" 8 "$(stat_line usr1 captured)"
same_text "SIGINT: nothing dropped" 0 "$(stat_line usr1 'dropped by kernel')"
received=$(stat_line usr1 'received by filter')
if [ -n "$received" ] && [ "$received" -ge 8 ]; then
	ok "SIGINT: received by filter counts at least the captured packets"
else
	not_ok "SIGINT: received by filter counts at least the captured packets" \
		"got '$received'"
fi
written=$(tcpdump -r "$scratch/usr1.pcap" -n 2>/dev/null | wc -l)
same_text "SIGINT: the savefile holds every captured packet" 8 "$written"

start_capture term
send 4
four() { kill -USR1 "$pid"; sleep 0.1; stats_say term 4; }
wait_for 10 four || true
kill -TERM "$pid"
check_exit "SIGTERM"
same_text "SIGTERM: final captured count" 4 "$(stat_line term captured)"
blocks=$(grep -c 'packets* captured$' "$scratch/term.err")
if [ "$blocks" -ge 1 ]; then
	ok "SIGTERM: statistics printed"
else
	not_ok "SIGTERM: statistics printed"
fi

finish
