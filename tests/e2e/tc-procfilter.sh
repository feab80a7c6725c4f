#!/bin/sh
# Process filters on the tc backend, live, in network namespaces of our own
# (capture side A, servers in B, a veth pair between them):
#   1. --pid of a shell that talks itself (bash's /dev/tcp) and then forks
#      a python3 client: without -f only the shell's packets appear; with
#      -f the client's too.
#   2. --pname: a client that renamed itself (prctl) appears; a python3
#      client run just before it does not.
#   3. --uid of an unprivileged user (nobody, or a throwaway user made
#      here): that user's client appears, root's client does not.
#   4. -- python3 -c '...': its traffic only (a client running alongside,
#      in another process, never appears), from its very first packet (the
#      SYN of its first connection, its first UDP datagram), with the right
#      pid, cmd and args; ptcpdump ends when it exits, with its status, and
#      the statistics count what matched.
#   5. -- command and SIGINT: the signal goes to the command, and the run
#      ends when the command does.
#   6. -- command under sudo (SUDO_UID, SUDO_GID, SUDO_USER set): it runs
#      as that user with that user's groups, and is captured all the same.
# Absence is checked only after a later packet of the same run, sent after
# the one that must be missing, has been printed: the ring keeps order.
# Traffic goes only between addresses inside the namespaces made here.
#
# Environment (set by make check): PTCPDUMP, the built binary.
# Exit 77 (skip) when not root or when the kernel cannot load the programs.

. "$(dirname "$0")/lib.sh"
e2e_setup tc-procfilter python3 bash setpriv
chmod 0755 "$work" # the unprivileged client reads its script there
nsa=ptd-pf-$$-a
nsb=ptd-pf-$$-b
A=10.213.0.1
B=10.213.0.2
made_user=""
cleanup() {
	e2e_cleanup
	[ -n "$made_user" ] && userdel "$made_user" 2>/dev/null
}
trap cleanup EXIT

# wait_count FILE PATTERN N SECONDS: until N lines match.
wait_count() {
	i=0
	while [ $i -lt $(($4 * 10)) ]; do
		[ "$(grep -c -e "$2" "$1" 2>/dev/null)" -ge "$3" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_exit PID SECONDS: bounded wait for a background job; its status in
# $exit_status (999 when it did not end).
wait_exit() {
	i=0
	while [ $i -lt $(($2 * 10)) ] && kill -0 "$1" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		exit_status=999
		return 1
	fi
	wait "$1"
	exit_status=$?
}

wait_for_file() { # PATH SECONDS
	i=0
	while [ ! -e "$1" ] && [ $i -lt $(($2 * 10)) ]; do sleep 0.1; i=$((i + 1)); done
	[ -e "$1" ]
}

# capture NAME ARGS...: ptcpdump -l in namespace A (lib.sh's start_capture).
capture() {
	cap_name=$1; shift
	start_capture "$cap_name" "$nsa" "$PTCPDUMP" -l "$@"
}

# The network: A (captures, clients) -- veth -- B (servers).
e2e_netns "$nsa" "$nsb" || exit 99
ip -n "$nsa" link set lo up
ip -n "$nsb" link set lo up
ip -n "$nsa" link add va type veth peer name vb netns "$nsb" || exit 99
ip -n "$nsa" addr add $A/24 dev va
ip -n "$nsb" addr add $B/24 dev vb
ip -n "$nsa" link set va up
ip -n "$nsb" link set vb up

cat >"$work/peer.py" <<'EOF'
# server ADDR DIR: answers "pong" to whatever comes on TCP ports 9000-9009
#   and echoes datagrams on UDP 9100; writes DIR/server.ready; runs until
#   DIR/server.stop (bounded).
# tcp ADDR PORT [COMM]: one connection: "ping", reads the answer, closes;
#   with COMM, first renames itself (prctl PR_SET_NAME).
import os, select, socket, sys, threading, time

def serve_conn(c):
    c.settimeout(10)
    try:
        c.recv(100)
        c.sendall(b"pong\n")
    finally:
        c.close()

mode, addr = sys.argv[1], sys.argv[2]
if mode == "server":
    d = sys.argv[3]
    socks = []
    for port in range(9000, 9010):
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((addr, port)); t.listen(16)
        socks.append(t)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind((addr, 9100))
    open(d + "/server.ready", "w").close()
    end = time.time() + 110
    while time.time() < end and not os.path.exists(d + "/server.stop"):
        r, _, _ = select.select(socks + [u], [], [], 0.1)
        for s in r:
            if s is u:
                data, peer = u.recvfrom(2048)
                u.sendto(data, peer)
            else:
                c, _ = s.accept()
                threading.Thread(target=serve_conn, args=(c,), daemon=True).start()
else:
    port = int(sys.argv[3])
    if len(sys.argv) > 4:
        import ctypes
        ctypes.CDLL(None).prctl(15, sys.argv[4].encode(), 0, 0, 0)
    c = socket.create_connection((addr, port), timeout=10)
    c.sendall(b"ping\n")
    c.recv(100)
    c.close()
EOF

ip netns exec "$nsb" python3 "$work/peer.py" server $B "$work" &
pids="$pids $!"
wait_for_file "$work/server.ready" 15 || { echo "the server did not start"; exit 99; }

# Can the kernel run the capture with attribution at all?
if ! capture probe -i va -n --pid $$; then
	if grep -q -e "cannot load\|need the kernel" "$work/probe.err"; then
		skip "the kernel cannot run the process filter: $(head -1 "$work/probe.err")"
	fi
	exit 1
fi
stop_capture $last_pid

# syn FILE PORT: lines of SYNs to B:PORT (with -n, without -v).
syn() { grep -e "Out IP $A\.[0-9]* > $B\.$2: Flags \[S\]" "$1"; }

# ------------------------------------------------------------ 1. --pid, -f
# The shell: waits for GO, talks to 9000 itself, runs a python3 client
# (port 9001), talks to 9000 again: that last SYN is the marker after
# which the client's packets would have been printed.
pid_case() { # NAME FLAGS...
	name=$1; shift
	rm -f "$work/$name.go" "$work/$name.shpid"
	ip netns exec "$nsa" bash -c '
		echo $$ >"$1.shpid"
		i=0; while [ ! -e "$1.go" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
		talk() { exec 3<>/dev/tcp/'$B'/9000 && echo ping >&3 && read -r _ <&3; exec 3<&-; }
		talk
		python3 "$2" client '$B' 9001
		talk
	' sh "$work/$name" "$work/peer.py" &
	shell_job=$!
	pids="$pids $shell_job"
	wait_for_file "$work/$name.shpid" 10 || { fail "$name: the shell did not start"; return; }
	shpid=$(cat "$work/$name.shpid")
	capture "$name" -i va -n --pid "$shpid" "$@" || { fail "$name: no capture"; return; }
	cap=$last_pid
	touch "$work/$name.go"
	wait_exit $shell_job 20 || fail "$name: the shell did not finish"
	if ! wait_count "$work/$name.out" "> $B\.9000: Flags \[S\]" 2 10; then
		fail "$name: the shell's two connections were not both captured"
		cat "$work/$name.out" "$work/$name.err"
	fi
	stop_capture $cap
	if ! syn "$work/$name.out" 9000 | grep -q " bash\.$shpid Out "; then
		fail "$name: the shell's SYN does not show bash.$shpid"
	fi
}

note "--pid without -f: the shell's packets only"
pid_case pid-nofollow
if grep -q "\.9001[:,]" "$work/pid-nofollow.out"; then
	fail "--pid without -f: the forked client's packets appear"
	grep "\.9001[:,]" "$work/pid-nofollow.out" | head -3
fi
if grep -v -e "$B\.9000\|\.9000 > " "$work/pid-nofollow.out" | grep -q " IP "; then
	fail "--pid without -f: packets of other traffic appear"
fi

note "--pid with -f: the forked client's packets too"
pid_case pid-follow -f
if ! syn "$work/pid-follow.out" 9001 | grep -q " python3\.[0-9]* Out "; then
	fail "--pid -f: the forked python3 client's SYN is missing"
	cat "$work/pid-follow.out"
fi
if ! grep -q "$B\.9001 > $A\.[0-9]*: Flags \[S\.\]" "$work/pid-follow.out"; then
	fail "--pid -f: the reply to the forked client (ingress) is missing"
fi

# ------------------------------------------------------------- 2. --pname
note "--pname: only the renamed client"
capture pname -i va -n --pname ptd-pname-ok || fail "--pname: no capture"
cap=$last_pid
ip netns exec "$nsa" python3 "$work/peer.py" client $B 9002 ||
	fail "--pname: the python3 client failed"
ip netns exec "$nsa" python3 "$work/peer.py" client $B 9003 ptd-pname-ok ||
	fail "--pname: the renamed client failed"
wait_for "$work/pname.out" "$B\.9003 > $A\.[0-9]*: Flags \[F\.\]" 10 ||
	fail "--pname: the renamed client's connection was not captured to its end"
stop_capture $cap
syn "$work/pname.out" 9003 | grep -q "Out IP" ||
	fail "--pname: the renamed client's SYN is missing"
if grep -q "\.9002[:,]" "$work/pname.out"; then
	fail "--pname: the other python3 client appears"
fi

# --------------------------------------------------------------- 3. --uid
note "--uid: only the unprivileged user's client"
user=nobody
if ! id -u "$user" >/dev/null 2>&1; then
	user=ptdpf$$
	useradd -r -M -s /usr/sbin/nologin "$user" || skip "no user nobody, and useradd failed"
	made_user=$user
fi
uid=$(id -u "$user")
gid=$(id -g "$user")
py=$(command -v python3)
if ! setpriv --reuid="$uid" --regid="$gid" --clear-groups "$py" -c pass 2>/dev/null; then
	py=/usr/bin/python3 # a per-user interpreter under /root is out of reach
fi
capture uid -i va -n --uid "$uid" || fail "--uid: no capture"
cap=$last_pid
ip netns exec "$nsa" python3 "$work/peer.py" client $B 9004 ||
	fail "--uid: root's client failed"
ip netns exec "$nsa" setpriv --reuid="$uid" --regid="$gid" --clear-groups \
	"$py" "$work/peer.py" client $B 9005 || fail "--uid: $user's client failed"
wait_for "$work/uid.out" "$B\.9005 > $A\.[0-9]*: Flags \[F\.\]" 10 ||
	fail "--uid: $user's connection was not captured to its end"
stop_capture $cap
syn "$work/uid.out" 9005 | grep -q "Out IP" || fail "--uid: $user's SYN is missing"
if grep -q "\.9004[:,]" "$work/uid.out"; then
	fail "--uid $uid: root's client appears"
fi

# ------------------------------------------------------------ 4. -- command
note "-- python3 -c: its traffic only, from its first packet, then the end"
# Another process connects to 9007 over and over (bounded) while the
# command runs; the command waits until three of those connections were
# made after its own first one, then sends its last datagram and exits 3.
rm -f "$work/other.count" "$work/other.stop"
ip netns exec "$nsa" python3 -c '
import os, socket, sys, time
d = sys.argv[1]
for n in range(1, 400):
    if os.path.exists(d + "/other.stop"):
        break
    c = socket.create_connection(("'$B'", 9007), timeout=5)
    c.sendall(b"x"); c.recv(10); c.close()
    with open(d + "/other.count.tmp", "w") as f:
        f.write(str(n))
    os.rename(d + "/other.count.tmp", d + "/other.count")
    time.sleep(0.05)
' "$work" &
other=$!
pids="$pids $other"
wait_for_file "$work/other.count" 10 || fail "-- command: the other client did not start"
cmd_script='
import os, socket, sys, time
d, b = sys.argv[1], sys.argv[2]
def count():
    try:
        return int(open(d + "/other.count").read())
    except (OSError, ValueError):
        return 0
c = socket.create_connection((b, 9006), timeout=5)
c.sendall(b"ping"); c.recv(10); c.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.settimeout(5)
u.sendto(b"first", (b, 9100)); u.recv(100)
n0, end = count(), time.time() + 10
while count() < n0 + 3 and time.time() < end:
    time.sleep(0.05)
u.sendto(b"last", (b, 9100)); u.recv(100)
sys.exit(3)
'
ip netns exec "$nsa" timeout -k 5 60 "$PTCPDUMP" -i va -n -v -- \
	python3 -c "$cmd_script" "$work" $B >"$work/cmd.out" 2>"$work/cmd.err" &
cap=$!
pids="$pids $cap"
wait_exit $cap 40
touch "$work/other.stop"
if [ "$exit_status" != 3 ]; then
	fail "-- command: ptcpdump exited with $exit_status, not the command's 3"
	cat "$work/cmd.err"
fi
grep -q "^ptcpdump: python3 (pid [0-9]*) exited with status 3\$" "$work/cmd.err" ||
	{ fail "-- command: no summary line"; cat "$work/cmd.err"; }
cmdpid=$(sed -n 's/^ptcpdump: python3 (pid \([0-9]*\)) exited.*/\1/p' "$work/cmd.err")
# -v: the packet line, then its headers' line, then Process (...)
first=$(grep -m1 " > " "$work/cmd.out")
case $first in
*"$A."*" > $B.9006: Flags [S],"*) ;;
*) fail "-- command: the first packet is not the SYN of its first connection: $first" ;;
esac
grep -q "$A\.[0-9]* > $B\.9100: \[.*UDP, length 5" "$work/cmd.out" ||
	grep -q "$A\.[0-9]* > $B\.9100: UDP, length 5" "$work/cmd.out" ||
	fail "-- command: its first datagram is missing"
[ "$(grep -c "$A\.[0-9]* > $B\.9100: .*length 4" "$work/cmd.out")" -ge 1 ] ||
	fail "-- command: its last datagram is missing"
if grep -q "\.9007[:,]" "$work/cmd.out"; then
	fail "-- command: the other client's packets appear"
fi
# -v: each packet's Process line, all of them the command's
printed=$(grep -c "^[0-9]" "$work/cmd.out")
procs=$(grep -c "^    Process (pid $cmdpid, " "$work/cmd.out")
if [ "$procs" != "$printed" ]; then
	fail "-- command: $printed packets, $procs with the command's Process line"
	grep "^    Process" "$work/cmd.out" | grep -v "(pid $cmdpid, " | head -3
fi
grep -q "^    Process (pid $cmdpid, cmd [^,]*python3[^,]*, args [^)]*-c" "$work/cmd.out" ||
	{ fail "-- command: no Process line with its cmd and args"; grep -m2 "Process" "$work/cmd.out"; }
captured=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured$/\1/p' "$work/cmd.err")
received=$(sed -n 's/^\([0-9]*\) packets\{0,1\} received by filter$/\1/p' "$work/cmd.err")
if [ -z "$captured" ] || [ "$captured" != "$printed" ] || [ "$received" != "$printed" ]; then
	fail "-- command: statistics say $captured captured, $received received by filter; $printed printed"
fi
note "-- command: $printed packets, first: ${first#* }"

# ------------------------------------------------- 5. -- command and SIGINT
note "-- command: SIGINT goes to the command, the run ends with it"
rm -f "$work/sleeper.started"
ip netns exec "$nsa" timeout -k 5 60 "$PTCPDUMP" -i va -n -- python3 -c '
import sys, time
open(sys.argv[1], "w").close()
time.sleep(30)
' "$work/sleeper.started" >"$work/int.out" 2>"$work/int.err" &
cap=$!
pids="$pids $cap"
if wait_for_file "$work/sleeper.started" 15; then
	kill -INT $cap
	wait_exit $cap 15
	[ "$exit_status" = 130 ] || fail "-- command and SIGINT: exit status $exit_status, not 130"
	grep -q "^ptcpdump: python3 (pid [0-9]*) was killed by signal 2 (SIGINT)\$" "$work/int.err" ||
		{ fail "-- command and SIGINT: no summary line"; cat "$work/int.err"; }
else
	fail "-- command and SIGINT: the command did not start"
	cat "$work/int.err"
fi

# ------------------------------------------------ 6. -- command under sudo
note "-- command under sudo: run as the invoking user, still captured"
groups=$(id -G "$user" | tr ' ' '\n' | sort -n | paste -s -d, - | sed 's/,/, /g')
ip netns exec "$nsa" env SUDO_UID="$uid" SUDO_GID="$gid" SUDO_USER="$user" \
	timeout -k 5 60 "$PTCPDUMP" -l -i va -n -- "$py" -c '
import os, socket, sys
print("ids", os.getuid(), os.getgid(), sorted(os.getgroups()), flush=True)
c = socket.create_connection((sys.argv[1], 9008), timeout=5)
c.sendall(b"ping"); c.recv(10); c.close()
' $B >"$work/sudo.out" 2>"$work/sudo.err"
status=$?
[ $status = 0 ] || { fail "-- command under sudo: exit status $status"; cat "$work/sudo.err"; }
grep -q "^ids $uid $gid \[$groups\]\$" "$work/sudo.out" ||
	{ fail "-- command under sudo: not run as $uid:$gid [$groups]"; grep "^ids" "$work/sudo.out"; }
syn "$work/sudo.out" 9008 | grep -q "Out IP" ||
	fail "-- command under sudo: its SYN is missing"

touch "$work/server.stop"
e2e_finish
