#!/bin/sh
# Filters of the tc backend against tcpdump, live, in network namespaces of
# our own (veth0 in A, veth1 in B):
#   1. one round of traffic (TCP, UDP, ICMP, ICMPv6, ARP, IPv6; and UDP on
#      lo) watched at once by pairs of captures, ptcpdump -w beside
#      tcpdump -w, one pair per filter: ports, hosts, tcpflags, and/or/not,
#      icmp6, arp, ip6, TCP payload (on veth it lies in page fragments,
#      past the linear area the kernel-side filter reads directly),
#      -s 64, -i lo -i veth0, and a filter too long for
#      the kernel (user space takes over, with one warning).  Same packets,
#      same bytes; the exit statistics say what the file holds and what
#      matched.  -c stops by itself with exactly that many packets.
#   2. -i any catches a device created after it started; an expression
#      that cannot compile for a device (ether host on tun) fails as in
#      tcpdump, and -i any leaves that device out with a warning.
#   3. someone else's program on the same hook (a cls_bpf program built
#      here, counting packets in a map) keeps counting while we capture,
#      with TCX and with clsact.
# Traffic goes only to 127.0.0.1 and to addresses inside the namespaces.
#
# Environment (set by make check): PTCPDUMP, the built binary; top_srcdir.
# Exit 77 (skip) when not root or when the kernel cannot load the programs.

set -u

. "$(dirname "$0")/lib.sh"
e2e_setup tc-filter tcpdump python3 tc ping
nsa=ptd-tf-$$-a
nsb=ptd-tf-$$-b

ina() { ip netns exec "$nsa" "$@"; }
inb() { ip netns exec "$nsb" "$@"; }

count() { tcpdump -r "$1" -n 2>/dev/null | wc -l; }

stat_of() { sed -n "s/^\([0-9]*\) packets\{0,1\} $2\$/\1/p" "$work/$1.err"; }

cat >"$work/compare.py" <<'EOF'
# compare.py GOT.pcap WANT.pcap...: the same packets (length and bytes) in
# GOT as in the WANT files together; time stamps within 1 ms.
import struct, sys
from collections import defaultdict

def read(path):
    d = open(path, "rb").read()
    magic = struct.unpack("<I", d[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d): e = "<"
    else: e = ">"; magic = struct.unpack(">I", d[:4])[0]
    div = 1e9 if magic == 0xa1b23c4d else 1e6
    off, out = 24, []
    while off + 16 <= len(d):
        s, frac, cap, ln = struct.unpack(e + "IIII", d[off:off + 16])
        out.append((s + frac / div, ln, d[off + 16:off + 16 + cap]))
        off += 16 + cap
    return out

got = read(sys.argv[1])
want = [p for f in sys.argv[2:] for p in read(f)]
groups = defaultdict(lambda: ([], []))
for i, pkts in enumerate((want, got)):
    for ts, ln, data in pkts:
        groups[(ln, data)][i].append(ts)
bad, late, pairs = 0, 0, 0
for (ln, data), (a, b) in groups.items():
    if len(a) != len(b):
        bad += 1
        if bad <= 5:
            print("  len %d caplen %d: tcpdump %d, ptcpdump %d: %s" %
                  (ln, len(data), len(a), len(b), data[:40].hex()))
        continue
    for x, y in zip(sorted(a), sorted(b)):
        pairs += 1
        late += abs(x - y) > 0.001
print("  tcpdump %d, ptcpdump %d packets" % (len(want), len(got)))
if bad or (late > max(1, pairs // 50)):
    sys.exit(1)
EOF

cat >"$work/traffic.py" <<'EOF'
# server ADDR4 ADDR6 READYFILE | client ADDR4 ADDR6 | lo: bounded traffic.
import socket, sys

def serve(addr4, addr6, ready):
    socks = []
    for fam, addr in ((socket.AF_INET, addr4), (socket.AF_INET6, addr6)):
        t = socket.socket(fam, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((addr, 5001)); t.listen(4); t.settimeout(20)
        u = socket.socket(fam, socket.SOCK_DGRAM)
        u.bind((addr, 5002)); u.settimeout(20)
        socks.append((t, u))
    m = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    m.bind((addr4, 5003)); m.settimeout(20)
    open(ready, "w").write("ready\n")
    for t, u in socks:
        for _ in range(2):
            c, _ = t.accept(); c.settimeout(20)
            while True:
                d = c.recv(65536)
                if not d:
                    break
                c.sendall(d[:100])
            c.close()
        for _ in range(20):
            u.recv(2048)
    data, peer = m.recvfrom(64)
    m.sendto(b"END-ACK", peer)

def client(addr4, addr6):
    for fam, addr in ((socket.AF_INET, addr4), (socket.AF_INET6, addr6)):
        u = socket.socket(fam, socket.SOCK_DGRAM)
        v = socket.socket(fam, socket.SOCK_DGRAM)
        for i in range(20):
            u.sendto(bytes([i]) * (1 + i * 61), (addr, 5002))
            v.sendto(b"x" * 30, (addr, 5009))       # nobody listens
        for _ in range(2):
            t = socket.create_connection((addr, 5001), timeout=20)
            t.sendall(bytes(range(256)) * 40)
            t.shutdown(socket.SHUT_WR)
            while t.recv(65536):
                pass
            t.close()
    m = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); m.settimeout(2)
    for _ in range(5):
        m.sendto(b"END", (addr4, 5003))
        try:
            m.recv(64); break
        except socket.timeout:
            pass

def lo():
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.bind(("127.0.0.1", 5002))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(15):
        s.sendto(b"lo" * (i + 1), ("127.0.0.1", 5002))
        r.recv(100)

if sys.argv[1] == "server": serve(*sys.argv[2:5])
elif sys.argv[1] == "client": client(*sys.argv[2:4])
else: lo()
EOF

# ---------------------------------------------------------------- setup

e2e_netns "$nsa" || skip "cannot create network namespaces"
e2e_netns "$nsb" || exit 99
for ns in "$nsa" "$nsb"; do
	# IPv6, without the router solicitations that come at random moments.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0 \
		net.ipv6.conf.all.router_solicitations=0 >/dev/null
	ip -n "$ns" link set lo up
done
ip -n "$nsa" link add veth0 type veth peer name veth1 netns "$nsb" || exit 99
ip -n "$nsa" addr add 10.201.1.1/24 dev veth0
ip -n "$nsb" addr add 10.201.1.2/24 dev veth1
ip -n "$nsa" addr add fd00:201::1/64 dev veth0 nodad
ip -n "$nsb" addr add fd00:201::2/64 dev veth1 nodad
ip -n "$nsa" link set veth0 up
ip -n "$nsb" link set veth1 up

if ! start_capture probe "$nsa" "$PTCPDUMP" -i lo -w "$work/probe.pcap" >/dev/null; then
	kill -9 $last_pid 2>/dev/null
	wait $last_pid 2>/dev/null
	if grep -q "cannot load the BPF programs\|cannot attach" "$work/probe.err"; then
		skip "the kernel cannot run the capture programs: $(head -1 "$work/probe.err")"
	fi
	echo "ptcpdump did not start:"; cat "$work/probe.err"
	exit 1
fi
stop_capture $last_pid
# Let the links' own start-up chatter (MLD reports) pass first.
sleep 2

# ---------------------------------------------------------------- 1. pairs

# A filter too long for eBPF's jump offsets: the translation fails and user
# space filters.  One of its terms matches the UDP traffic.
long=$(python3 -c "print(' or '.join(['(udp port 5002 and host 10.201.1.2)'] + ['(udp port %d and host 10.9.%d.%d)' % (i, i // 250, i % 250 + 1) for i in range(6000, 7000)]))")

# NAME|tcpdump options|filter: each runs as ptcpdump and as tcpdump, -i veth0
# unless the options name devices.
cat >"$work/cases" <<EOF
udpport||udp port 5002
tcpport||tcp port 5001
host||host 10.201.1.2
host6||host fd00:201::2
tcpflags||tcp[tcpflags] & (tcp-syn|tcp-fin) != 0
payload||tcp[((tcp[12] & 0xf0) >> 2):4] = 0x00010203
andornot||(udp and not port 5002) or (icmp and src host 10.201.1.1)
icmp||icmp
icmp6||icmp6
arp||arp
ip6||ip6
snap64|-s 64|
lo|-i lo|udp
long||$long
EOF

caps=""
while IFS='|' read -r name opts expr; do
	dev="-i veth0"
	[ -n "$opts" ] && [ "${opts#-i}" != "$opts" ] && dev=""
	# shellcheck disable=SC2086
	start_capture "want-$name" "$nsa" tcpdump $dev $opts -U -w "$work/want-$name.pcap" ${expr:+"$expr"} ||
		fail "tcpdump ($name)"
	caps="$caps $last_pid"
	if [ "$name" = lo ]; then
		start_capture "want-lo-veth" "$nsa" tcpdump -i veth0 -U -w "$work/want-lo-veth.pcap" ${expr:+"$expr"} ||
			fail "tcpdump (lo, veth0)"
		caps="$caps $last_pid"
		opts="-i lo -i veth0"
	fi
	# shellcheck disable=SC2086
	start_capture "got-$name" "$nsa" "$PTCPDUMP" $dev $opts -U -w "$work/got-$name.pcap" ${expr:+"$expr"} ||
		fail "ptcpdump ($name)"
	caps="$caps $last_pid"
done <"$work/cases"
start_capture got-count "$nsa" "$PTCPDUMP" -i veth0 -c 5 -w "$work/got-count.pcap" tcp ||
	fail "ptcpdump -c 5"
count_pid=$last_pid
pids="$pids $count_pid"

# ARP: forget the neighbours so that the first packets ask.
ip -n "$nsa" neigh flush dev veth0
ip -n "$nsb" neigh flush dev veth1
rm -f "$work/ready"
inb timeout -k 5 40 python3 "$work/traffic.py" server 10.201.1.2 fd00:201::2 "$work/ready" &
srv=$!
pids="$pids $srv"
wait_for "$work/ready" ready 10 || fail "traffic server did not start"
ina ping -c 3 -i 0.2 -W 2 10.201.1.2 >/dev/null || fail "ping"
ina ping -6 -c 3 -i 0.2 -W 2 fd00:201::2 >/dev/null || fail "ping -6"
ina timeout -k 5 40 python3 "$work/traffic.py" client 10.201.1.2 fd00:201::2 ||
	fail "traffic client failed"
wait $srv || fail "traffic server failed"
ina timeout 10 python3 "$work/traffic.py" lo || fail "lo traffic failed"

# Every pair agrees (bounded): the captures run on their own clocks.
i=0
while [ $i -lt 100 ]; do
	differ=""
	while IFS='|' read -r name opts expr; do
		w=$(count "$work/want-$name.pcap")
		[ "$name" = lo ] && w=$((w + $(count "$work/want-lo-veth.pcap")))
		[ "$w" = "$(count "$work/got-$name.pcap")" ] || differ="$differ $name"
	done <"$work/cases"
	[ -z "$differ" ] && break
	sleep 0.1
	i=$((i + 1))
done
[ -z "$differ" ] || note "counts still differ after 10 s:$differ"
for p in $caps; do
	stop_capture "$p" || fail "a capture exited with status $?"
done
wait "$count_pid" || fail "ptcpdump -c 5 exited with status $?"

while IFS='|' read -r name opts expr; do
	note "$name: ${opts:+$opts }${expr:-(no filter)}" | cut -c1-100
	want="$work/want-$name.pcap"
	[ "$name" = lo ] && want="$want $work/want-lo-veth.pcap"
	# shellcheck disable=SC2086
	python3 "$work/compare.py" "$work/got-$name.pcap" $want ||
		fail "$name: the captures differ"
	[ "$(count "$work/got-$name.pcap")" -gt 0 ] || fail "$name: nothing captured"
	td=$(stat_of "want-$name" "dropped by kernel")
	[ "${td:-0}" = 0 ] || note "$name: tcpdump dropped $td packets"
	# Honest statistics: captured is what the file holds; received by
	# filter is what matched (all of it, with no -c); nothing dropped.
	c=$(stat_of "got-$name" captured)
	r=$(stat_of "got-$name" "received by filter")
	d=$(stat_of "got-$name" "dropped by kernel")
	[ "${c:-x}" = "$(count "$work/got-$name.pcap")" ] ||
		fail "$name: says $c packets captured, the file holds $(count "$work/got-$name.pcap")"
	[ "${r:-x}" = "${c:-y}" ] || fail "$name: $r received by filter, $c captured"
	[ "${d:-x}" = 0 ] || fail "$name: $d dropped by kernel"
	if grep -q "warning" "$work/got-$name.err" && [ "$name" != long ]; then
		fail "$name: $(grep warning "$work/got-$name.err")"
	fi
done <"$work/cases"

n=$(grep -c "the kernel cannot run the filter" "$work/got-long.err")
[ "$n" = 1 ] || fail "long: $n warnings about the filter, want exactly 1"
grep -q "^listening on lo, veth0, " "$work/got-lo.err" ||
	fail "-i lo -i veth0: $(grep listening "$work/got-lo.err")"

note "-c 5"
[ "$(count "$work/got-count.pcap")" = 5 ] ||
	fail "-c 5: the file holds $(count "$work/got-count.pcap") packets"
[ "$(stat_of got-count captured)" = 5 ] || fail "-c 5: $(stat_of got-count captured) captured"
r=$(stat_of got-count "received by filter")
[ "${r:-0}" -ge 5 ] || fail "-c 5: $r received by filter"
tcpdump -r "$work/got-count.pcap" -n 'not tcp' 2>/dev/null | grep -q . &&
	fail "-c 5: packets that are not TCP"

# An expression that cannot compile for a device's link type: tcpdump's
# message and exit status; with -i any that device is left out, loudly.
if ip -n "$nsa" tuntap add dev ptdtun0 mode tun 2>/dev/null; then
	note "ether host on a tun device"
	ip -n "$nsa" link set ptdtun0 up
	want=$(ina tcpdump -i ptdtun0 -c 1 'ether host 1:2:3:4:5:6' 2>&1 >/dev/null; echo "exit $?")
	got=$(ina "$PTCPDUMP" -i ptdtun0 -c 1 'ether host 1:2:3:4:5:6' 2>&1 >/dev/null; echo "exit $?")
	[ "$(echo "$got" | sed 's/^ptcpdump: //')" = "$(echo "$want" | sed 's/^tcpdump: //')" ] ||
		fail "-i ptdtun0 'ether host': tcpdump says '$want', ptcpdump '$got'"
	start_capture any-tun "$nsa" "$PTCPDUMP" -i any -w /dev/null 'ether host 1:2:3:4:5:6' ||
		fail "ptcpdump -i any 'ether host' with a tun device"
	stop_capture $last_pid || fail "ptcpdump -i any 'ether host' exited with status $?"
	grep -q "warning: .*ptdtun0: skipped: ethernet addresses supported only" "$work/any-tun.err" ||
		fail "-i any 'ether host': no warning about ptdtun0: $(cat "$work/any-tun.err")"
	ip -n "$nsa" link del ptdtun0
else
	note "no tun devices here: not checking link types that cannot compile"
fi

# ---------------------------------------------------------------- 2. -i any

note "-i any, a device created after the start"
start_capture any "$nsa" "$PTCPDUMP" -i any -U -w "$work/got-any.pcap" 'udp port 5007' ||
	fail "ptcpdump -i any"
any_pid=$last_pid
ip -n "$nsa" link add hp0 type veth peer name hp1 netns "$nsb" || fail "veth hp0"
ip -n "$nsa" addr add 10.201.2.1/24 dev hp0
ip -n "$nsb" addr add 10.201.2.2/24 dev hp1
ip -n "$nsa" link set hp0 up
ip -n "$nsb" link set hp1 up
sleep 0.5 # the link notification is asynchronous: leave it a moment
ina python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(20):
    s.sendto(b"hotplug", ("10.201.2.2", 5007))
' || fail "hotplug traffic"
i=0
while [ $i -lt 100 ] && [ "$(count "$work/got-any.pcap")" -lt 20 ]; do
	sleep 0.1
	i=$((i + 1))
done
stop_capture $any_pid || fail "ptcpdump -i any exited with status $?"
n=$(tcpdump -r "$work/got-any.pcap" -n 'udp port 5007 and dst host 10.201.2.2' 2>/dev/null | wc -l)
[ "$n" = 20 ] || fail "-i any: $n of the 20 datagrams on the new device captured"
[ "$(stat_of any captured)" = "$n" ] || fail "-i any: says $(stat_of any captured) captured"

# ---------------------------------------------------------------- 3. neighbours

# someone_else TAG [ptcpdump options]: a program of someone else's on
# veth0's ingress hook (cls_bpf, counting packets in a map, returning
# TC_ACT_UNSPEC) keeps counting while we capture.  Built here with clang.
cat >"$work/other.bpf.c" <<EOF
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} tf$$ SEC(".maps");
SEC("tc")
int other(struct __sk_buff *skb)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&tf$$, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
	return -1;
}
char LICENSE[] SEC("license") = "GPL";
EOF
multiarch=$(cc -print-multiarch 2>/dev/null || gcc -print-multiarch 2>/dev/null)
other_count() {
	bpftool map dump name "tf$$" 2>/dev/null |
		sed -n 's/.*"value": *\([0-9]*\).*/\1/p' | head -1
}
someone_else() {
	tag=$1; shift
	note "another program on the hook ($tag)"
	before=$(other_count)
	start_capture "other-$tag" "$nsa" "$PTCPDUMP" "$@" -i veth0 -U -w "$work/other-$tag.pcap" icmp ||
		fail "ptcpdump ($tag)"
	p=$last_pid
	ina ping -c 5 -i 0.2 -W 2 10.201.1.2 >/dev/null || fail "ping ($tag)"
	i=0
	while [ $i -lt 50 ] && [ "$(count "$work/other-$tag.pcap")" -lt 10 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	after=$(other_count)
	stop_capture $p || fail "ptcpdump ($tag) exited with status $?"
	[ "$(count "$work/other-$tag.pcap")" = 10 ] ||
		fail "$tag: captured $(count "$work/other-$tag.pcap") of 10 ICMP packets"
	note "the other program counted ${before:-?}, then ${after:-?} packets"
	[ $((${after:-0} - ${before:-0})) -ge 5 ] ||
		fail "$tag: the other program stopped counting"
}
if ! command -v clang >/dev/null 2>&1 || ! command -v bpftool >/dev/null 2>&1; then
	note "no clang or bpftool: not checking other programs on the hook"
elif ! clang -O2 -g -target bpf ${multiarch:+-idirafter /usr/include/$multiarch} \
		-c "$work/other.bpf.c" -o "$work/other.bpf.o"; then
	fail "cannot build the other program"
elif ! ina tc qdisc add dev veth0 clsact ||
     ! ina tc filter add dev veth0 ingress prio 40000 handle 1 bpf da \
		obj "$work/other.bpf.o" sec tc; then
	fail "cannot attach the other program"
else
	someone_else tcx
	mkdir "$work/conf"
	cp "$top_srcdir"/plugins.d/*.conf "$work/conf/"
	chmod 0644 "$work/conf/"*.conf
	sed -i 's/^#attach = auto$/attach = clsact/' "$work/conf/10-backend-tc.conf"
	someone_else clsact --config-dir "$work/conf"
fi

e2e_finish
