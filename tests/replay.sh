#!/bin/sh
# -r: ptcpdump replays pcap and pcapng files exactly as tcpdump 4.99 does:
# same packet lines, same banner, same errors, same exit status.
. "${top_srcdir}/tests/lib.sh"

command -v tcpdump >/dev/null || skip_all "tcpdump (the oracle) is not installed"
data="$top_srcdir/tests/data"

# compare_with_tcpdump NAME FILE FLAGS...: stdout, stderr and status equal
# tcpdump's, modulo the program name in messages.
compare_with_tcpdump() {
	name=$1
	file=$2
	shift 2
	"$PTCPDUMP" -r "$file" "$@" >"$scratch/ours.out" 2>"$scratch/ours.err"
	ours=$?
	tcpdump -r "$file" "$@" >"$scratch/theirs.out" 2>"$scratch/theirs.err"
	theirs=$?
	sed 's/^tcpdump: /ptcpdump: /; s/^ptcpdump: pcap_loop: /ptcpdump: /' \
		"$scratch/theirs.err" >"$scratch/theirs.err2"
	same_file "$name: stdout" "$scratch/theirs.out" "$scratch/ours.out"
	same_text "$name: exit status" "$theirs" "$ours"
	same_text "$name: banner" "$(head -1 "$scratch/theirs.err2")" \
		"$(head -1 "$scratch/ours.err")"
}

for f in lo-tcp-udp-icmp.pcap lo-tcp-udp-icmp.pcapng lo-nano.pcap \
	 lo-snap96.pcap any-sll2.pcap any-sll.pcap be.pcap; do
	compare_with_tcpdump "$f -n" "$data/$f" -n
done
compare_with_tcpdump "-nn -c 5" "$data/lo-tcp-udp-icmp.pcap" -nn -c 5
compare_with_tcpdump "filter udp" "$data/lo-tcp-udp-icmp.pcap" -n udp
compare_with_tcpdump "filter tcp flags" "$data/lo-tcp-udp-icmp.pcap" -n \
	'tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and port 18080'
compare_with_tcpdump "filter ip6 or icmp" "$data/lo-tcp-udp-icmp.pcapng" -n \
	ip6 or icmp
compare_with_tcpdump "filter on SLL2" "$data/any-sll2.pcap" -n 'udp and not ip6'
compare_with_tcpdump "-c with filter" "$data/lo-tcp-udp-icmp.pcap" -n -c 2 icmp
compare_with_tcpdump "--count" "$data/lo-tcp-udp-icmp.pcap" --count
compare_with_tcpdump "--count with filter" "$data/lo-tcp-udp-icmp.pcap" --count udp
compare_with_tcpdump "-d" "$data/lo-tcp-udp-icmp.pcap" -d 'tcp port 80'
compare_with_tcpdump "-dd" "$data/lo-tcp-udp-icmp.pcap" -dd udp
compare_with_tcpdump "-ddd on SLL2" "$data/any-sll2.pcap" -ddd icmp

# Errors: one line, the same text, exit 1.
"$PTCPDUMP" -r "$data/lo-tcp-udp-icmp.pcap" 'udp and' >"$scratch/out" 2>"$scratch/err"
same_text "syntax error: status" 1 $?
same_text "syntax error: message" "ptcpdump: can't parse filter expression: syntax error" \
	"$(tail -1 "$scratch/err")"
same_text "syntax error: no output" "" "$(cat "$scratch/out")"

"$PTCPDUMP" -r "$scratch/missing.pcap" >"$scratch/out" 2>"$scratch/err"
same_text "missing file: status" 1 $?
same_text "missing file: message" \
	"ptcpdump: $scratch/missing.pcap: No such file or directory" "$(cat "$scratch/err")"

printf 'this is not a capture file at all\n' >"$scratch/garbage"
"$PTCPDUMP" -r "$scratch/garbage" >"$scratch/out" 2>"$scratch/err"
same_text "unknown format: status" 1 $?
same_text "unknown format: message" \
	"ptcpdump: $scratch/garbage: unknown file format" "$(cat "$scratch/err")"

"$PTCPDUMP" -Z no-such-user-here -r "$data/lo-tcp-udp-icmp.pcap" -w "$scratch/z.pcap" \
	>"$scratch/out" 2>"$scratch/err"
same_text "-Z unknown user: status" 1 $?
same_text "-Z unknown user: message" "ptcpdump: Couldn't find user 'no-such-user-here'" \
	"$(tail -1 "$scratch/err")"

# A savefile that cannot be written is a failed run, said once.
"$PTCPDUMP" -r "$data/lo-tcp-udp-icmp.pcap" -w /dev/full >"$scratch/out" 2>"$scratch/err"
same_text "-w /dev/full: status" 1 $?
same_text "-w /dev/full: message" "ptcpdump: [printer:pcapng] /dev/full: No space left on device" \
	"$(grep -v '^reading from file' "$scratch/err")"

# A damaged file: the packets before the damage, then one error, exit 1.
size=$(wc -c <"$data/lo-tcp-udp-icmp.pcap")
head -c $((size / 2)) "$data/lo-tcp-udp-icmp.pcap" >"$scratch/cut.pcap"
"$PTCPDUMP" -r "$scratch/cut.pcap" -n >"$scratch/ours.out" 2>"$scratch/ours.err"
same_text "truncated: status" 1 $?
tcpdump -r "$scratch/cut.pcap" -n >"$scratch/theirs.out" 2>/dev/null
same_file "truncated: packets before the damage" "$scratch/theirs.out" "$scratch/ours.out"
errs=$(grep -c '^ptcpdump: ' "$scratch/ours.err")
same_text "truncated: one error line" 1 "$errs"
if grep -q "truncated" "$scratch/ours.err" && grep -q "offset" "$scratch/ours.err"; then
	ok "truncated: the error says what and where"
else
	not_ok "truncated: the error says what and where" "$(cat "$scratch/ours.err")"
fi

# Standard input.
"$PTCPDUMP" -r - -n <"$data/lo-tcp-udp-icmp.pcapng" >"$scratch/ours.out" 2>/dev/null
tcpdump -r - -n <"$data/lo-tcp-udp-icmp.pcapng" >"$scratch/theirs.out" 2>/dev/null
same_file "-r - (pcapng on stdin)" "$scratch/theirs.out" "$scratch/ours.out"

# A background job stopped with SIGINT: scripts start captures this way, and
# a non-interactive shell starts them with SIGINT ignored.
fifo="$scratch/fifo"
mkfifo "$fifo"
"$PTCPDUMP" -r - -n -l <"$fifo" >"$scratch/bg.out" 2>"$scratch/bg.err" &
pid=$!
exec 3>"$fifo"
cat "$data/lo-tcp-udp-icmp.pcap" >&3
lines() { [ "$(wc -l <"$scratch/bg.out")" -ge 64 ]; }
if wait_for 10 lines; then
	ok "background replay printed every packet while input stays open"
else
	not_ok "background replay printed every packet while input stays open"
fi
kill -INT "$pid"
gone() { ! kill -0 "$pid" 2>/dev/null; }
if wait_for 10 gone; then
	wait "$pid"
	same_text "SIGINT: clean exit" 0 $?
else
	not_ok "SIGINT: clean exit" "still running 10 s after SIGINT"
	kill -KILL "$pid" 2>/dev/null
fi
exec 3>&-

finish
