#!/bin/sh
# The tc backend with attribution (on by default): packets carry the
# process that owns them, live, in network namespaces of our own.
#   1. lo: a python3 TCP server and python3 clients, separate processes:
#      each packet shows the process that sent it (on lo both directions
#      are captured at ingress; the ports tell whose packet it is), never
#      the other end.  Every packet does, a new client's SYN and a new
#      UDP socket's first datagram included (ptcpdump runs under `ip
#      netns exec`, which hides the cgroup2 mount: it mounts its own).
#   2. a connection opened before ptcpdump starts (seeded): both ends'
#      packets are attributed from the first one captured.
#   3. UDP: the server's replies and every one of the client's datagrams.
#   4. -v: the "Process (pid N, cmd ..., args ...)" line, the right pid,
#      also for a program that lives for one datagram (its exec record).
#   5. curl fetching from python3 -m http.server: every packet of each
#      side shows its pid, cmd and args under -v.
#   6. veth into a second namespace: on the server's side of the pair,
#      the packets the server sends (egress) and the ones it receives
#      (ingress: an incoming packet belongs to its local receiver) show
#      the server; never the client of the other namespace.
#   7. IPv6 behind a destination options header, and every fragment of
#      fragmented IPv4 and IPv6 datagrams, are attributed too.
# Traffic goes only between addresses inside the namespaces made here.
#
# Environment (set by make check): PTCPDUMP, the built binary.
# Exit 77 (skip) when not root or when the kernel cannot load the programs.

set -u

. "$(dirname "$0")/lib.sh"
e2e_setup tc-attrib python3 curl
nsa=ptd-ta-$$-a
nsb=ptd-ta-$$-b
nsc=ptd-ta-$$-c

cat >"$work/peer.py" <<'EOF'
# server ADDR TCPPORT UDPPORT DIR: echoes lines on TCP, datagrams on UDP;
#   writes DIR/server.pid once listening; runs until DIR/server.stop.
# client ADDR TCPPORT DIR NAME [GO]: connects, writes DIR/NAME.port (its
#   port) then DIR/NAME.pid; waits for file GO when given; then sends
#   three lines, reading each echo, and closes.
# uclient ADDR UDPPORT DIR NAME: three datagrams, each echoed.
import os, select, socket, sys, threading, time

mode, addr = sys.argv[1], sys.argv[2]

def put(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)

def wait_file(path, limit=20):
    end = time.time() + limit
    while not os.path.exists(path):
        if time.time() > end:
            sys.exit("no " + path)
        time.sleep(0.05)

def serve_conn(c):
    c.settimeout(20)
    f = c.makefile("rb")
    for line in f:
        c.sendall(line)
    c.close()

if mode == "server":
    tport, uport, d = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind((addr, tport)); t.listen(8)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, uport))
    put(d + "/server.pid", "%d\n" % os.getpid())
    end = time.time() + 50
    while time.time() < end and not os.path.exists(d + "/server.stop"):
        r, _, _ = select.select([t, u], [], [], 0.1)
        if t in r:
            c, _ = t.accept()
            threading.Thread(target=serve_conn, args=(c,), daemon=True).start()
        if u in r:
            data, peer = u.recvfrom(2048)
            u.sendto(data, peer)
elif mode == "client":
    tport, d, name = int(sys.argv[3]), sys.argv[4], sys.argv[5]
    c = socket.create_connection((addr, tport), timeout=20)
    put(d + "/" + name + ".port", "%d\n" % c.getsockname()[1])
    put(d + "/" + name + ".pid", "%d\n" % os.getpid())
    if len(sys.argv) > 6:
        wait_file(sys.argv[6], 40)
    f = c.makefile("rb")
    for i in range(3):
        c.sendall(b"line %d\n" % i)
        if not f.readline():
            sys.exit("no echo")
    c.close()
else:
    uport, d, name = int(sys.argv[3]), sys.argv[4], sys.argv[5]
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(5)
    u.bind((addr, 0))
    put(d + "/" + name + ".port", "%d\n" % u.getsockname()[1])
    put(d + "/" + name + ".pid", "%d\n" % os.getpid())
    for i in range(3):
        u.sendto(b"datagram %d" % i, (addr, uport))
        u.recvfrom(2048)
EOF

cat >"$work/owners.py" <<'EOF'
# owners.py OUT PORT: for each captured line whose source port is PORT,
# its owner ("python3.PID", or "-" when the line names none), in order.
import re, sys

pat = re.compile(r"^\S+ \S+ (?:(\S+) )?(?:In|Out) IP6? (\S+) > (\S+?):")
port = sys.argv[2]
for line in open(sys.argv[1], errors="replace"):
    m = pat.match(line)
    if not m or m.group(2).rsplit(".", 1)[-1] != port:
        continue
    print(m.group(1) or "-")
EOF

# check_owner OUT PORT WANT WHAT: every line sent from PORT names WANT
# (none another process, none nobody).
check_owner() {
	python3 "$work/owners.py" "$1" "$2" >"$work/owners"
	n=$(wc -l <"$work/owners")
	[ "$n" -gt 0 ] || { fail "$4: no packet from port $2 captured"; return; }
	wrong=$(grep -v -x -e "$3" -e - "$work/owners" | sort | uniq -c | tr '\n' ' ')
	[ -z "$wrong" ] || fail "$4: packets from port $2 attributed to $wrong(want $3)"
	have=$(grep -c -x -e "$3" "$work/owners")
	note "$4: $have of $n packets from port $2 show $3"
	[ "$have" = "$n" ] || fail "$4: only $have of $n packets show $3"
}

# ---------------------------------------------------------------- setup

e2e_netns "$nsa" || skip "cannot create network namespaces"
e2e_netns "$nsb" || exit 99
for ns in "$nsa" "$nsb"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 >/dev/null
	ip -n "$ns" link set lo up
done
ip -n "$nsa" link add veth0 type veth peer name veth1 netns "$nsb" || exit 99
ip -n "$nsa" addr add 10.202.1.1/24 dev veth0
ip -n "$nsb" addr add 10.202.1.2/24 dev veth1
ip -n "$nsa" link set veth0 up
ip -n "$nsb" link set veth1 up

tport=7101 uport=7102 vport=7103

# Can this kernel run the programs at all?
if ! start_capture probe "$nsa" "$PTCPDUMP" -i lo -w /dev/null; then
	kill -9 $last_pid 2>/dev/null
	wait $last_pid 2>/dev/null
	if grep -q "cannot load the BPF programs\|cannot attach" "$work/probe.err"; then
		skip "the kernel cannot run the capture programs: $(head -1 "$work/probe.err")"
	fi
	echo "ptcpdump did not start:"; cat "$work/probe.err"
	exit 1
fi
stop_capture $last_pid
if grep -q "cannot tell packets' processes" "$work/probe.err"; then
	skip "no attribution on this kernel: $(grep "cannot tell" "$work/probe.err")"
fi

# ---------------------------------------------------------------- lo

note "lo: TCP and UDP on 127.0.0.1"
ip netns exec "$nsa" timeout -k 5 55 python3 "$work/peer.py" server 127.0.0.1 \
	$tport $uport "$work" &
pids="$pids $!"
wait_for "$work/server.pid" . 10 || { fail "the server did not start"; exit 1; }
spid=$(cat "$work/server.pid")

# Opened before ptcpdump starts: the seeding must know both ends.
ip netns exec "$nsa" timeout -k 5 55 python3 "$work/peer.py" client 127.0.0.1 \
	$tport "$work" early "$work/go" &
early=$!
pids="$pids $early"
wait_for "$work/early.pid" . 10 || { fail "the early client did not connect"; exit 1; }
early_pid=$(cat "$work/early.pid") early_port=$(cat "$work/early.port")

filter="tcp port $tport or udp port $uport"
start_capture lo "$nsa" "$PTCPDUMP" -i lo -n -l "$filter" || { fail "ptcpdump -i lo"; exit 1; }
cap=$last_pid
start_capture lov "$nsa" "$PTCPDUMP" -i lo -n -l -v "$filter" || { fail "ptcpdump -i lo -v"; exit 1; }
capv=$last_pid

touch "$work/go"
wait $early || fail "the early client failed"
ip netns exec "$nsa" timeout -k 5 30 python3 "$work/peer.py" client 127.0.0.1 \
	$tport "$work" late || fail "the client failed"
ip netns exec "$nsa" timeout -k 5 30 python3 "$work/peer.py" uclient 127.0.0.1 \
	$uport "$work" udp || fail "the UDP client failed"
# A program that lives for one datagram: its names come from its exec,
# whether or not /proc still has it when its packet is printed.
ip netns exec "$nsa" timeout -k 5 30 python3 -c '
import os, socket, sys
open(sys.argv[1] + "/oneshot.pid", "w").write("%d\n" % os.getpid())
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"oneshot", ("127.0.0.1", int(sys.argv[2])))
' "$work" $uport oneshot-marker || fail "the one-shot sender failed"
oneshot_pid=$(cat "$work/oneshot.pid")
late_pid=$(cat "$work/late.pid") late_port=$(cat "$work/late.port")
udp_pid=$(cat "$work/udp.pid") udp_port=$(cat "$work/udp.port")
note "server $spid; early client $early_pid (port $early_port); client $late_pid (port $late_port); UDP client $udp_pid (port $udp_port)"

# The last packet of the exchange: the server's third echo of a datagram.
last="127.0.0.1.$uport > 127.0.0.1.$udp_port: UDP, length 10"
wait_for "$work/lo.out" "$last" 10 $cap || note "the last datagram's echo is not there after 10 s"
wait_for "$work/lov.out" "$last" 10 $capv || note "(-v) the last datagram's echo is not there after 10 s"
wait_for "$work/lov.out" "Process (pid $oneshot_pid," 10 $capv ||
	note "(-v) no Process line for the one-shot sender after 10 s"
stop_capture $cap || fail "ptcpdump -i lo exited with status $?"
stop_capture $capv || fail "ptcpdump -i lo -v exited with status $?"

check_owner "$work/lo.out" $tport "python3.$spid" "the TCP server"
check_owner "$work/lo.out" $uport "python3.$spid" "the UDP server"
check_owner "$work/lo.out" "$early_port" "python3.$early_pid" "the early client (seeded)"
check_owner "$work/lo.out" "$late_port" "python3.$late_pid" "the client (its SYN included)"
check_owner "$work/lo.out" "$udp_port" "python3.$udp_pid" "the UDP client (its first datagram included)"

grep -q "^    Process (pid $spid, cmd [^,]*python3[^,]*, args .*peer.py server" "$work/lov.out" ||
	fail "-v: no 'Process (pid $spid, cmd ...python3, args ...peer.py server ...)' line"
grep -q "^    Process (pid $early_pid, " "$work/lov.out" ||
	fail "-v: no 'Process (pid $early_pid, ...' line for the early client"
grep -q "^    Process (pid $oneshot_pid, cmd [^,]*python3[^,]*, args [^ ]*python3 -c .* oneshot-marker)" "$work/lov.out" ||
	fail "-v: the one-shot sender's Process line lacks its cmd or args: $(grep "(pid $oneshot_pid," "$work/lov.out")"
if grep "^    Process (pid " "$work/lov.out" | grep -v -e "(pid $spid," -e "(pid $early_pid," \
	-e "(pid $late_pid," -e "(pid $udp_pid," -e "(pid $oneshot_pid," | grep -q .; then
	fail "-v: a Process line for another pid: $(grep "^    Process (pid " "$work/lov.out" | sort -u | tr '\n' ' ')"
fi
touch "$work/server.stop"

# ---------------------------------------------------------------- curl

note "lo: curl against python3's http.server, with -v"
# 4 MiB: TCP then builds packets above lo's 64 KiB GSO limit, which lo
# splits after its egress hook; their pieces must show the server too.
head -c 4194304 /dev/zero >"$work/big.bin"
ip netns exec "$nsa" timeout -k 5 55 sh -c 'echo $$ >"$1/http.pid"; cd "$1" &&
	PYTHONUNBUFFERED=1 exec python3 -m http.server --bind 127.0.0.1 7105' sh "$work" \
	>"$work/http.log" 2>&1 &
pids="$pids $!"
wait_for "$work/http.log" "Serving HTTP" 10 || { fail "http.server did not start"; cat "$work/http.log"; }
hpid=$(cat "$work/http.pid")
start_capture http "$nsa" "$PTCPDUMP" -i lo -n -l -v "tcp port 7105" || { fail "ptcpdump -i lo -v (http)"; exit 1; }
cap=$last_pid
ip netns exec "$nsa" timeout -k 5 30 sh -c 'echo $$ >"$1/curl.pid";
	exec curl -s -o /dev/null --local-port 7106 http://127.0.0.1:7105/big.bin' sh "$work" ||
	fail "curl failed"
cpid=$(cat "$work/curl.pid")
wait_for "$work/http.out" "127.0.0.1.7105 > 127.0.0.1.7106: Flags \[F" 10 $cap ||
	note "no FIN from the server after 10 s"
stop_capture $cap || fail "ptcpdump -i lo -v (http) exited with status $?"
# -v: a header line, the packet, then the context lines: pair each packet
# line (the one after the header) with the Process line below it.
python3 - "$work/http.out" >"$work/http.pairs" <<'PY'
import re, sys
pkt = None
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"^    (\S+)\.(\d+) > \S+: ", line)
    if m:
        if pkt:
            print(pkt, "-")
        pkt = m.group(2)
        continue
    m = re.match(r"^    Process \((pid \d+, cmd [^,]*, args .*)\)$", line)
    if m and pkt:
        print(pkt, m.group(1))
        pkt = None
if pkt:
    print(pkt, "-")
PY
for end in "7105 pid $hpid, cmd [^,]*python3[^,]*, args [^ ]*python3 -m http.server --bind 127.0.0.1 7105" \
	"7106 pid $cpid, cmd /usr/bin/curl, args curl -s -o /dev/null --local-port 7106 http://127.0.0.1:7105/big.bin"; do
	port=${end%% *}
	n=$(grep -c "^$port " "$work/http.pairs")
	have=$(grep -c "^$end\$" "$work/http.pairs")
	note "port $port: $have of $n packets show: ${end#* }"
	[ "$n" -gt 0 ] && [ "$have" = "$n" ] ||
		fail "curl/http.server: not every packet from port $port shows ${end#* }: $(grep "^$port " "$work/http.pairs" | sort | uniq -c)"
done

big=$(grep -c "^    127.0.0.1.7105 > .*, length [0-9]\{5,\}" "$work/http.out")
note "lo: $big server packets above 10000 bytes"
[ "$big" -gt 0 ] || fail "curl/http.server: no large packet from the server on lo"

# ---------------------------------------------------------------- veth

note "veth: a server in one namespace, its client in the other"
rm -f "$work/server.pid" "$work/server.stop"
ip netns exec "$nsa" timeout -k 5 55 python3 "$work/peer.py" server 10.202.1.1 \
	$vport $uport "$work" &
pids="$pids $!"
wait_for "$work/server.pid" . 10 || { fail "the veth server did not start"; exit 1; }
vspid=$(cat "$work/server.pid")
start_capture veth "$nsa" "$PTCPDUMP" -i veth0 -n -l "tcp port $vport" || { fail "ptcpdump -i veth0"; exit 1; }
cap=$last_pid
ip netns exec "$nsb" timeout -k 5 30 python3 "$work/peer.py" client 10.202.1.1 \
	$vport "$work" veth || fail "the veth client failed"
vcpid=$(cat "$work/veth.pid") vcport=$(cat "$work/veth.port")
note "server $vspid; client $vcpid (port $vcport, the other namespace)"
for dir in "10.202.1.2.$vcport > 10.202.1.1.$vport" "10.202.1.1.$vport > 10.202.1.2.$vcport"; do
	wait_for "$work/veth.out" "$dir: Flags \[F" 10 $cap ||
		note "no FIN $dir after 10 s"
done
stop_capture $cap || fail "ptcpdump -i veth0 exited with status $?"
touch "$work/server.stop"
check_owner "$work/veth.out" $vport "python3.$vspid" "veth: the server's packets (Out)"
check_owner "$work/veth.out" "$vcport" "python3.$vspid" "veth: the client's packets, received by the server (In)"
grep -q " python3\.$vspid Out IP 10.202.1.1.$vport > " "$work/veth.out" ||
	fail "veth: no Out line of the server's"

# ------------------------------- IPv6 extension headers, fragments

note "lo: IPv6 behind a destination options header; fragmented datagrams"
e2e_netns "$nsc" || exit 99
# An MTU small enough that 3000-byte datagrams go out in fragments.
ip -n "$nsc" link set lo mtu 1280 up
start_capture x6 "$nsc" "$PTCPDUMP" -i lo -n -l "ip proto 17 or ip6" || { fail "ptcpdump -i lo (IPv6)"; exit 1; }
cap=$last_pid
ip netns exec "$nsc" timeout -k 5 30 python3 -c '
import os, socket, sys
for fam, addr in ((socket.AF_INET6, "::1"), (socket.AF_INET, "127.0.0.1")):
    r = socket.socket(fam, socket.SOCK_DGRAM)
    r.bind((addr, 7104))
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET6:
        # IPV6_DSTOPTS (59): one 8-byte header holding a PadN option
        s.setsockopt(socket.IPPROTO_IPV6, 59, bytes([0, 0, 1, 4, 0, 0, 0, 0]))
    for size in (5, 3000):
        s.sendto(b"x" * size, (addr, 7104))
        r.recv(4096)
    r.close()
open(sys.argv[1] + "/x6.pid", "w").write("%d\n" % os.getpid())
' "$work" || fail "the IPv6/fragment sender failed"
x6pid=$(cat "$work/x6.pid" 2>/dev/null)
# 2 small datagrams, and 3 fragments of each large one: 8 lines
n=0
while [ $n -lt 50 ] && [ "$(grep -c " In IP" "$work/x6.out")" -lt 8 ]; do
	sleep 0.1; n=$((n + 1))
done
stop_capture $cap || fail "ptcpdump -i lo (IPv6, fragments) exited with status $?"
for what in "DSTOPT" "frag (" "ip-proto-17" " In IP "; do
	n=$(grep -c -e "$what" "$work/x6.out")
	have=$(grep -e "$what" "$work/x6.out" | grep -c " python3\.$x6pid In IP")
	note "'$what': $have of $n packets show python3.$x6pid"
	[ "$n" -gt 0 ] && [ "$have" = "$n" ] ||
		fail "'$what': $have of $n packets attributed to python3.$x6pid"
done
[ "$(grep -c " In IP" "$work/x6.out")" = 8 ] ||
	fail "expected 8 packets (2 datagrams, 2 x 3 fragments): $(cat "$work/x6.out")"

e2e_finish
