#!/usr/bin/env python3
"""Differential test: damaged packets through tcpdump (the oracle) and ptcpdump.

Takes the project's captures (tests/golden/*.pcap, tests/data/*.pcap), damages
every packet in a fixed, seeded set of ways -- truncation at and around every
layer boundary, length fields set to edge values, header fields rewritten,
bit flips in the headers -- writes the results as pcaps, prints each with
`TZ=GMT0 tcpdump -r FILE FLAGS` and `ptcpdump -r FILE FLAGS` and reports the
packets whose lines differ, grouped by cause (protocol path, kind of damage,
and the shape of the first differing line).

Fields that choose the next dissector (EtherType, IP protocol, next header,
ports) are never damaged, and packets whose undamaged output already differs
(protocols ptcpdump does not dissect yet) are left out, so every difference
reported is one in a dissector that exists.

Usage: difftest.py [--ptcpdump PATH] [--flags "-v -n"]... [--seed N]
                   [--max N] [--out DIR] [--examples N]
Exit status: 0 when nothing differs, 1 when something does, 2 on error.
"""
import argparse
import glob
import os
import random
import re
import struct
import subprocess
import sys
import tempfile
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

DEFAULT_FLAGS = [
    "-n", "-v -n", "-vv -n", "-vvv -n", "-e -n", "-q -n", "-q -e -v -n",
    "-x -n", "-xx -n", "-X -n", "-XX -e -n", "-A -n", "-S -n", "-K -vv -n",
    "-t -n", "-tt -n", "-ttt -n", "-tttt -n", "-ttttt -n",
]

T0 = 1700000000
TS_LINE = re.compile(rb"^ ?(\d\d:\d\d:\d\d\.\d{6} |\d+\.\d{6} |"
                     rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} |"
                     rb"\[Invalid header: )")
NUMBER_LINE = re.compile(rb"^ *\d+  ")

# ---------------------------------------------------------------------------
# Reading captures


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return None, []
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xa1b2c3d4, 0xa1b23c4d):
        e = "<"
    elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
        e = ">"
    else:
        return None, []       # pcapng: the same traffic exists as pcap
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0x0FFFFFFF
    pkts = []
    off = 24
    while off + 16 <= len(data):
        _, _, cap, wire = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        pkts.append((data[off:off + cap], wire))
        off += cap
    return linktype, pkts


class Pcap:
    def __init__(self, path, linktype):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0,
                                 262144, linktype))
        self.n = 0

    def add(self, frame, wire):
        # One second per packet: each packet's first line is found by its
        # time stamp.
        self.f.write(struct.pack("<IIII", T0 + self.n, self.n % 1000000,
                                 len(frame), wire))
        self.f.write(frame)
        self.n += 1

    def close(self):
        self.f.close()

# ---------------------------------------------------------------------------
# Dissecting just enough to know where layers and fields are.


class Layout:
    """Layer boundaries, damageable fields and untouchable (demux) bytes."""

    def __init__(self):
        self.path = []            # protocol names, outermost first
        self.bounds = []          # (name, offset) where a layer starts/ends
        self.lengths = []         # (name, offset, size, value)
        self.fields = []          # (name, offset, size)
        self.keep = set()         # byte offsets never flipped
        self.flip_ranges = []     # (start, end) where bit flips may land

    def field(self, name, off, size):
        self.fields.append((name, off, size))

    def length(self, name, off, size, data):
        if off + size <= len(data):
            v = int.from_bytes(data[off:off + size], "big")
            self.lengths.append((name, off, size, v))

    def demux(self, off, size):
        self.keep.update(range(off, off + size))


def u16(d, o):
    return struct.unpack("!H", d[o:o + 2])[0] if o + 2 <= len(d) else None


def dissect(linktype, d):
    lay = Layout()
    o = 0
    et = None
    if linktype == 1:
        lay.path.append("eth")
        lay.demux(12, 2)
        lay.flip_ranges.append((0, 12))
        et = u16(d, 12)
        o = 14
        while et in (0x8100, 0x88a8, 0x9100) and o + 4 <= len(d):
            lay.path.append("vlan")
            lay.field("vlan.tci", o, 2)
            lay.flip_ranges.append((o, o + 2))
            lay.demux(o + 2, 2)
            et = u16(d, o + 2)
            o += 4
    elif linktype == 113:
        lay.path.append("sll")
        lay.field("sll.pkttype", 0, 2)
        lay.field("sll.hatype", 2, 2)
        lay.length("sll.halen", 4, 2, d)
        lay.flip_ranges.append((0, 14))
        lay.demux(14, 2)
        et = u16(d, 14)
        o = 16
    elif linktype == 276:
        lay.path.append("sll2")
        lay.demux(0, 2)
        lay.field("sll2.ifindex", 4, 4)
        lay.field("sll2.hatype", 8, 2)
        lay.field("sll2.pkttype", 10, 1)
        lay.length("sll2.halen", 11, 1, d)
        lay.flip_ranges.append((4, 20))
        et = u16(d, 0)
        o = 20
    elif linktype in (0, 108):
        lay.path.append("null")
        lay.demux(0, 4)
        af = struct.unpack("<I" if linktype == 0 else "!I", d[:4])[0] \
            if len(d) >= 4 else 0
        et = 0x0800 if af == 2 else 0x86dd if af in (10, 24, 28, 30) else None
        o = 4
    elif linktype in (12, 101):
        lay.path.append("raw")
        et = 0x0800 if d and d[0] >> 4 == 4 else 0x86dd
        o = 0
    else:
        return None
    lay.bounds.append(("l2", o))
    if et == 0x0806:
        arp(lay, d, o)
    elif et == 0x0800:
        ipv4(lay, d, o)
    elif et == 0x86dd:
        ipv6(lay, d, o)
    else:
        lay.path.append("ethertype-%04x" % (et or 0))
    return lay


def arp(lay, d, o):
    lay.path.append("arp")
    lay.field("arp.hrd", o, 2)
    lay.field("arp.pro", o + 2, 2)
    lay.length("arp.hln", o + 4, 1, d)
    lay.length("arp.pln", o + 5, 1, d)
    lay.field("arp.op", o + 6, 2)
    lay.flip_ranges.append((o, min(len(d), o + 28)))
    lay.bounds.append(("arp", o + 8))
    lay.bounds.append(("arp-end", o + 28))


def ipv4(lay, d, o):
    lay.path.append("ip")
    if o + 20 > len(d):
        return
    ihl = (d[o] & 15) * 4
    lay.length("ip.ihl", o, 1, d)
    lay.field("ip.tos", o + 1, 1)
    lay.length("ip.len", o + 2, 2, d)
    lay.field("ip.id", o + 4, 2)
    lay.field("ip.frag", o + 6, 2)
    lay.field("ip.ttl", o + 8, 1)
    lay.field("ip.sum", o + 10, 2)
    lay.demux(o + 9, 1)
    lay.flip_ranges.append((o, o + max(20, ihl)))
    lay.bounds.append(("ip", o + 20))
    if ihl > 20:
        lay.path.append("ipopt")
        lay.bounds.append(("ipopt", o + ihl))
        lay.length("ip.optlen", o + 21, 1, d)
    frag = u16(d, o + 6) & 0x1fff
    if frag:
        lay.path.append("frag")
        return
    transport(lay, d, o + ihl, d[o + 9], 4)


IP6_EXT = (0, 43, 60)


def ipv6(lay, d, o):
    lay.path.append("ip6")
    if o + 40 > len(d):
        return
    lay.field("ip6.vtf", o, 4)
    lay.length("ip6.plen", o + 4, 2, d)
    lay.field("ip6.hlim", o + 7, 1)
    lay.demux(o + 6, 1)
    lay.flip_ranges.append((o, o + 6))
    lay.flip_ranges.append((o + 7, o + 40))
    nh = d[o + 6]
    o += 40
    lay.bounds.append(("ip6", o))
    for _ in range(8):
        if nh in IP6_EXT and o + 2 <= len(d):
            name = {0: "hbh", 43: "rt", 60: "dst"}[nh]
            lay.path.append(name)
            lay.demux(o, 1)
            lay.length(name + ".len", o + 1, 1, d)
            n = (d[o + 1] + 1) * 8
            lay.flip_ranges.append((o + 1, min(len(d), o + n)))
            if nh == 43:
                lay.field("rt.type", o + 2, 1)
                lay.length("rt.segleft", o + 3, 1, d)
            nh = d[o]
            o += n
            lay.bounds.append((name, o))
        elif nh == 44 and o + 8 <= len(d):
            lay.path.append("frag6")
            lay.demux(o, 1)
            lay.field("frag6.off", o + 2, 2)
            lay.field("frag6.id", o + 4, 4)
            lay.flip_ranges.append((o + 1, o + 8))
            nh = d[o]
            off = u16(d, o + 2) >> 3
            o += 8
            lay.bounds.append(("frag6", o))
            if off:
                return
        elif nh == 51 and o + 12 <= len(d):
            lay.path.append("ah")
            lay.demux(o, 1)
            lay.length("ah.len", o + 1, 1, d)
            n = (d[o + 1] + 2) * 4
            lay.flip_ranges.append((o + 1, min(len(d), o + n)))
            nh = d[o]
            o += n
            lay.bounds.append(("ah", o))
        else:
            break
    transport(lay, d, o, nh, 6)


def transport(lay, d, o, proto, ver):
    if o >= len(d):
        lay.path.append("proto-%d" % proto)
        return
    if proto == 6:
        lay.path.append("tcp")
        lay.demux(o, 4)
        lay.field("tcp.seq", o + 4, 4)
        lay.field("tcp.ack", o + 8, 4)
        lay.length("tcp.off", o + 12, 1, d)
        lay.field("tcp.flags", o + 13, 1)
        lay.field("tcp.win", o + 14, 2)
        lay.field("tcp.sum", o + 16, 2)
        lay.field("tcp.urp", o + 18, 2)
        lay.flip_ranges.append((o + 4, o + 20))
        lay.bounds.append(("tcp", o + 20))
        if o + 13 <= len(d):
            doff = (d[o + 12] >> 4) * 4
            lay.bounds.append(("tcp-opts", o + doff))
            # Options are left alone: their printing is another piece of
            # work.  The first payload bytes carry the HTTP/SSH hints.
            if o + doff < len(d):
                lay.path.append(payload_kind(d[o + doff:]))
                lay.flip_ranges.append((o + doff, min(len(d), o + doff + 24)))
    elif proto == 17:
        lay.path.append("udp")
        lay.demux(o, 4)
        lay.length("udp.len", o + 4, 2, d)
        lay.field("udp.sum", o + 6, 2)
        lay.flip_ranges.append((o + 4, o + 8))
        lay.bounds.append(("udp", o + 8))
    elif proto == 1 or proto == 58:
        name = "icmp" if proto == 1 else "icmp6"
        lay.path.append(name)
        lay.field(name + ".code", o + 1, 1)
        lay.field(name + ".sum", o + 2, 2)
        lay.field(name + ".rest", o + 4, 4)
        lay.flip_ranges.append((o + 1, min(len(d), o + 48)))
        lay.bounds.append((name, o + 4))
        lay.bounds.append((name + "-8", o + 8))
        if o < len(d):
            t = d[o]
            lay.path.append("%s-%d" % (name, t))
            lay.demux(o, 1)
            if proto == 58:
                nd_options(lay, d, o, t)
            elif t in (3, 4, 5, 11, 12) and o + 8 < len(d):
                lay.bounds.append(("quoted-ip", o + 8 + 20))
    else:
        lay.path.append("proto-%d" % proto)


ND_OPT_START = {133: 8, 134: 16, 135: 24, 136: 24, 137: 40}


def nd_options(lay, d, o, t):
    start = ND_OPT_START.get(t)
    if start is None:
        if t in (1, 2, 3, 4) and o + 8 + 40 <= len(d):
            lay.bounds.append(("quoted-ip6", o + 48))
        return
    p = o + start
    lay.bounds.append(("nd-body", p))
    for _ in range(8):
        if p + 2 > len(d):
            break
        lay.field("nd.opttype", p, 1)
        lay.length("nd.optlen", p + 1, 1, d)
        n = d[p + 1] * 8
        if n == 0:
            break
        lay.flip_ranges.append((p, min(len(d), p + n)))
        p += n
        lay.bounds.append(("nd-opt", p))


def payload_kind(data):
    if data[:4] in (b"GET ", b"POST", b"HTTP", b"HEAD", b"PUT "):
        return "http"
    if data[:4] == b"SSH-":
        return "ssh"
    return "data"

# ---------------------------------------------------------------------------
# Damage


def edge_values(size, orig):
    top = (1 << (8 * size)) - 1
    vals = {0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 19, 20, 21, 24, 39, 40, 41, 48,
            orig - 1, orig + 1, orig - 4, orig + 4, orig - 8, orig + 8,
            orig * 2, orig // 2, top, top - 1}
    return sorted(v for v in vals if 0 <= v <= top and v != orig)


def put(d, off, size, value):
    b = bytearray(d)
    b[off:off + size] = value.to_bytes(size, "big")
    return bytes(b)


def mutations(d, wire, lay, rng):
    """Yields (kind, frame, wire length)."""
    full = len(d) == wire
    for name, b in lay.bounds:
        for delta in (-1, 0, 1, 2):
            cut = b + delta
            if 0 < cut < len(d):
                yield "trunc@" + name, d[:cut], wire
    for name, off, size, v in lay.lengths:
        if off + size > len(d):
            continue
        if name == "ip.ihl":
            for ihl in range(16):
                if ihl != (v & 15):
                    yield "len:ip.ihl", put(d, off, 1, (v & 0xf0) | ihl), \
                        wire
            continue
        if name == "tcp.off":
            for doff in (0, 1, 4, 5, 6, 15):
                if doff != v >> 4:
                    yield "len:tcp.off", \
                        put(d, off, 1, (doff << 4) | (v & 15)), wire
            continue
        for nv in edge_values(size, v):
            yield "len:" + name, put(d, off, size, nv), wire
        if name in ("ip.len", "ip6.plen", "udp.len") and full:
            # the wire length follows the damaged field too (short frame)
            for cut in (8, 20, 40):
                if cut < len(d) - lay.bounds[0][1]:
                    yield "short:" + name, d[:len(d) - cut], wire - cut
    for name, off, size in lay.fields:
        if off + size > len(d):
            continue
        for _ in range(4):
            nv = rng.getrandbits(8 * size)
            if name == "ip.frag" and rng.random() < 0.5:
                nv &= 0xe000 | rng.choice((0, 1, 2, 3, 0x1fff))
            if name == "ip6.vtf" and rng.random() < 0.7:
                nv = (6 << 28) | (nv & 0x0fffffff)
            yield "field:" + name, put(d, off, size, nv), wire
    if name_in(lay.path, ("ip", "ip6")):
        pass
    spots = [i for s, e in lay.flip_ranges for i in range(s, min(e, len(d)))
             if i not in lay.keep]
    if spots:
        for _ in range(12):
            b = bytearray(d)
            for _ in range(rng.choice((1, 1, 2, 3))):
                i = rng.choice(spots)
                b[i] ^= 1 << rng.randrange(8)
            yield "flip", bytes(b), wire


def name_in(path, names):
    return any(p in names for p in path)

# ---------------------------------------------------------------------------
# Running and comparing


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=dict(os.environ, TZ="GMT0"))
    return p.returncode, p.stdout, p.stderr


def no_time(flags):
    return re.search(r"(^| )-t( |$)", flags) is not None


def command(prog, pcap, flags):
    """Without time stamps, packets are told apart by their -# numbers."""
    return [prog, "-r", pcap] + flags.split() + (["-#"] if no_time(flags)
                                                  else [])


def split_records(out, flags):
    """Packet records of one output: list of byte strings, by packet."""
    lines = out.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    recs = []
    notime = no_time(flags)
    for ln in lines:
        if notime:
            start = NUMBER_LINE.match(ln) is not None
        else:
            start = TS_LINE.match(ln) is not None
        if start or not recs:
            recs.append([ln])
        else:
            recs[-1].append(ln)
    return [b"\n".join(r) for r in recs]


def signature(theirs, ours):
    t = theirs.split(b"\n")
    o = ours.split(b"\n")
    for i in range(max(len(t), len(o))):
        a = t[i] if i < len(t) else b"<none>"
        b = o[i] if i < len(o) else b"<none>"
        if a != b:
            break
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    s = max(0, n - 12)

    def norm(x):
        x = x.decode("latin-1")
        x = re.sub(r"\d+", "#", x)
        x = re.sub(r"\s+", " ", x)
        x = re.sub(r"[0-9a-f#]{1,2}(:[0-9a-f#]{1,2})+", "MAC", x)
        return x
    return "line %d: ...%s | %s" % (i, norm(a[s:n + 30]), norm(b[s:n + 30]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ptcpdump", default=os.path.join(TOP, "build",
                                                       "ptcpdump"))
    ap.add_argument("--tcpdump", default="tcpdump")
    ap.add_argument("--flags", action="append")
    ap.add_argument("--seed", type=int, default=4993)
    ap.add_argument("--max", type=int, default=0,
                    help="at most N damaged packets per link type")
    ap.add_argument("--out", default=None, help="keep pcaps and examples")
    ap.add_argument("--examples", type=int, default=2)
    ap.add_argument("--captures", nargs="*")
    args = ap.parse_args()
    flagsets = args.flags or DEFAULT_FLAGS
    out = args.out or tempfile.mkdtemp(prefix="difftest.")
    os.makedirs(out, exist_ok=True)
    caps = args.captures or sorted(
        glob.glob(os.path.join(TOP, "tests", "golden", "*.pcap")) +
        glob.glob(os.path.join(TOP, "tests", "data", "*.pcap")))

    # Originals, deduplicated per link type.
    originals = defaultdict(list)
    seen = set()
    for c in caps:
        lt, pkts = read_pcap(c)
        if lt is None:
            continue
        for d, wire in pkts:
            if (lt, d, wire) in seen:
                continue
            seen.add((lt, d, wire))
            originals[lt].append((os.path.basename(c), d, wire))

    # Baseline: packets whose undamaged output already differs belong to
    # dissectors that do not exist yet.
    excluded = 0
    for lt in list(originals):
        base = os.path.join(out, "base-%d.pcap" % lt)
        w = Pcap(base, lt)
        for _, d, wire in originals[lt]:
            w.add(d, wire)
        w.close()
        bad = set()
        for fl in flagsets:
            _, t, _ = run(command(args.tcpdump, base, fl))
            _, o, _ = run(command(args.ptcpdump, base, fl))
            tr, orr = split_records(t, fl), split_records(o, fl)
            if len(tr) != len(orr):
                bad.update(range(len(originals[lt])))
                break
            bad.update(i for i, (a, b) in enumerate(zip(tr, orr)) if a != b)
        excluded += len(bad)
        originals[lt] = [p for i, p in enumerate(originals[lt])
                         if i not in bad]

    total = 0
    compared = defaultdict(lambda: defaultdict(int))   # flags -> proto -> n
    differ = defaultdict(lambda: defaultdict(int))
    groups = defaultdict(list)
    crashes = []
    for lt in sorted(originals):
        mutated = []
        for idx, (src, d, wire) in enumerate(originals[lt]):
            lay = dissect(lt, d)
            if lay is None:
                continue
            rng = random.Random("%d/%d/%s" % (args.seed, lt, d.hex()))
            proto = "/".join(lay.path)
            for kind, md, mw in mutations(d, wire, lay, rng):
                mutated.append((proto, kind, src, md, mw))
        if args.max and len(mutated) > args.max:
            random.Random(args.seed).shuffle(mutated)
            mutated = mutated[:args.max]
        total += len(mutated)
        # Chunks keep a crash or a lost alignment local.
        chunk = 2000
        for ci in range(0, len(mutated), chunk):
            part = mutated[ci:ci + chunk]
            pc = os.path.join(out, "mut-%d-%d.pcap" % (lt, ci // chunk))
            w = Pcap(pc, lt)
            for _, _, _, md, mw in part:
                w.add(md, mw)
            w.close()
            for fl in flagsets:
                tc, t, _ = run(command(args.tcpdump, pc, fl))
                oc, o, oe = run(command(args.ptcpdump, pc, fl))
                if oc < 0 or oc > 1 or b"Sanitizer" in oe:
                    crashes.append((pc, fl, oc, oe[-300:]))
                    continue
                tr, orr = split_records(t, fl), split_records(o, fl)
                if len(tr) != len(part):
                    print("warning: %s %s: %d records for %d packets"
                          % (pc, fl, len(tr), len(part)), file=sys.stderr)
                for i, (proto, kind, src, md, mw) in enumerate(part):
                    top = proto.split("/")[-1]
                    compared[fl][top] += 1
                    a = tr[i] if i < len(tr) else b""
                    b = orr[i] if i < len(orr) else b""
                    if a == b:
                        continue
                    differ[fl][top] += 1
                    key = (proto, kind.split("@")[0] if kind.startswith(
                        "trunc") else kind, signature(a, b))
                    groups[key].append((fl, lt, md, mw, a, b))

    # Report
    print("damaged packets: %d (seed %d); originals excluded because their "
          "undamaged output differs: %d" % (total, args.seed, excluded))
    ndiff = 0
    print("\n%-22s %9s %9s" % ("flags", "compared", "differ"))
    for fl in flagsets:
        c = sum(compared[fl].values())
        n = sum(differ[fl].values())
        ndiff += n
        print("%-22s %9d %9d" % (fl, c, n))
    protos = sorted({p for fl in flagsets for p in compared[fl]})
    print("\n%-22s %9s %9s   (summed over flag sets)" %
          ("innermost protocol", "compared", "differ"))
    for p in protos:
        print("%-22s %9d %9d" % (p, sum(compared[f][p] for f in flagsets),
                                 sum(differ[f][p] for f in flagsets)))
    if crashes:
        print("\nCRASHES: %d" % len(crashes))
        for pc, fl, rc, err in crashes[:10]:
            print("  %s %s: status %d %s" % (pc, fl, rc, err))
    print("\ngroups: %d" % len(groups))
    ex = os.path.join(out, "examples")
    os.makedirs(ex, exist_ok=True)
    for gi, (key, items) in enumerate(sorted(groups.items(),
                                             key=lambda kv: -len(kv[1]))):
        proto, kind, sig = key
        flags = sorted({it[0] for it in items})
        print("\n[%d] %d x  %s  %s  flags: %s" % (gi, len(items), proto,
                                                kind, " / ".join(flags)))
        print("    " + sig)
        lt = items[0][1]
        w = Pcap(os.path.join(ex, "g%03d.pcap" % gi), lt)
        for fl, _, md, mw, a, b in items[:args.examples]:
            w.add(md, mw)
            print("    flags %s\n      tcpdump:   %s\n      ptcpdump:  %s" %
                  (fl, a.decode("latin-1").replace("\n", "\n        "),
                   b.decode("latin-1").replace("\n", "\n        ")))
        w.close()
    print("\nexample pcaps: %s" % ex)
    return 1 if ndiff or crashes else 0


if __name__ == "__main__":
    sys.exit(main())
