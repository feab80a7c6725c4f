#!/usr/bin/env python3
"""Craft the damaged-packet golden captures: one frame for each class of
difference tests/diff/difftest.py found between tcpdump and ptcpdump, so
each stays fixed.  Uses the packet helpers of gen-synthetic.py.

Usage: gen-damaged.py [dir]  (writes damaged.pcap, damaged-sll.pcap,
damaged-sll2.pcap, damaged-raw.pcap, damaged-apps.pcap, nd-options.pcap,
invalid-hdr.pcap, icmp-ext.pcap and ip-options.pcap there)
"""
import importlib.util
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "gen_synthetic", os.path.join(HERE, "gen-synthetic.py"))
gs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gs)

LO6, LO4, MAC_A, MAC_B = gs.LO6, gs.LO4, gs.MAC_A, gs.MAC_B


def v6(nh, payload, plen=None):
    if plen is None:
        plen = len(payload)
    return struct.pack("!IHBB", 6 << 28, plen, nh, 64) + LO6 + LO6 + payload


def e6(payload):
    return gs.eth(MAC_B, MAC_A, 0x86dd, payload)


def e4(payload):
    return gs.eth(MAC_B, MAC_A, 0x0800, payload)


def damaged(path):
    p = gs.Pcap(path, 1)
    u6 = gs.udp(5000, 5001, b"dmg", src=LO6, dst=LO6)
    seg = bytes.fromhex("20010db8000000000000000000000002")
    # Routing headers: an odd length is invalid for every type, but only
    # once the fixed fields are shown; a capture ending in them is a cut.
    p.add(e6(v6(43, struct.pack("!BBBBBBH", 17, 3, 4, 0, 0, 0, 0) + seg +
                bytes(16) + u6)))
    p.add(e6(v6(43, struct.pack("!BBBBBBH", 17, 1, 4, 0, 0, 0, 0) + seg +
                u6)))
    f = e6(v6(43, struct.pack("!BBBB", 17, 1, 0, 1) + bytes(12) + u6))
    p.add(f, caplen=14 + 40 + 4)
    # A zero payload length that is no jumbogram bounds no extension
    # header: it is shown, then found not to fit.
    rt2 = struct.pack("!BBBBI", 17, 2, 2, 1, 0) + seg
    p.add(e6(v6(43, rt2 + u6, plen=0)))
    p.add(e6(v6(43, rt2 + u6, plen=0)), caplen=14 + 40 + 4)
    dst = struct.pack("!BB", 17, 0) + b"\x01\x04\x00\x00\x00\x00"
    p.add(e6(v6(60, dst + u6, plen=0)))
    # A jumbogram whose hop-by-hop header is cut or malformed.
    hbh = struct.pack("!BB", 17, 1) + b"\x01\x0c" + bytes(12)
    p.add(e6(v6(0, hbh + u6, plen=0)), caplen=14 + 40 + 10)
    p.add(e6(v6(0, struct.pack("!BB", 17, 0) + b"\x05\x00\x00\x00\x00\x00" +
                u6, plen=0)))
    # Router alert and jumbo options with too little room left.
    p.add(e6(v6(0, struct.pack("!BB", 17, 0) + b"\x01\x02\x00\x00\x05\x00" +
                u6)))
    p.add(e6(v6(0, struct.pack("!BB", 17, 0) + b"\x01\x00\xc2\x02\x00\x00" +
                u6)))
    # Destination options are checked only when shown (-v).
    p.add(e6(v6(60, struct.pack("!BB", 17, 0) + b"\x04\x09\x00\x00\x00\x00" +
                u6)))
    p.add(e6(v6(60, struct.pack("!BB", 17, 0) + b"\x05\x00\x00\x00\x00\x00" +
                u6)))
    # ICMP address mask reply: the mask follows identifier and sequence.
    mask = gs.icmp(18, 0, struct.pack("!HH", 7, 1), b"\xff\xff\xff\x00")
    p.add(e4(gs.ipv4(1, mask)))
    p.add(e4(gs.ipv4(1, mask[:10])))
    # Parameter problems are shown without their quoted header.
    quoted = b"\x45\x00\x00\x30\x01\x02\x03\x04\x05\x06"
    for code, n in ((0, 6), (0, 10), (1, 14), (13, 10)):
        p.add(e4(gs.ipv4(1, gs.icmp(12, code, b"\x05\x06\x07\x08",
                                    quoted)[:n])))
    # Messages too short to hold a checksum (checked under -v).
    p.add(e4(gs.ipv4(1, b"\x30\x31")))
    p.add(e4(gs.ipv4(1, b"\xff\xff")))
    # IPv4 options whose length was captured but not all of their bytes
    # (shown under -v), and a checksum whose complement is +0, not -0.
    for proto, opt in ((17, b"\x07\x08\x04\x00"), (1, b"\x44\x06\x00\x00")):
        f = e4(gs.ipv4(proto, bytes(12), options=opt + bytes(4)))
        p.add(f, caplen=14 + 23)
    p.add(e4(gs.ipv4(1, b"\xff\xff\xff\x00")))
    # ICMP errors quoting a datagram whose length is shorter than its
    # header, or zero: it is bounded by that length; below 4, too short to
    # hold the length field, the message ends at once.
    for ip_len in (10, 0, 3, 4):
        quoted = bytearray(gs.ipv4(17, gs.udp(1, 2, b"abcdef")))
        quoted[2:4] = struct.pack("!H", ip_len)
        p.add(e4(gs.ipv4(1, gs.icmp(3, 2, bytes(4), bytes(quoted)))))
    # ARP: an unknown operation is dumped whatever the flags; an address
    # of length 0 is "<empty>".
    bad_op = bytearray(gs.arp(1, MAC_A, LO4, bytes(6), gs.LO4B))
    bad_op[6:8] = b"\x51\x86"
    p.add(gs.eth(gs.BCAST, MAC_A, 0x0806, bytes(bad_op)))
    p.add(gs.eth(MAC_A, MAC_B, 0x0806, struct.pack("!HHBBH", 1, 0x0800, 0,
                                                   4, 2) + LO4 + LO4))
    # The trailer encapsulation's protocol type reads as IPv4.
    p.add(gs.eth(MAC_A, MAC_B, 0x0806, struct.pack("!HHBBH", 1, 0x1000, 0,
                                                   4, 2) + LO4 + LO4))
    p.close()
    # Raw IP of versions other than 4 and 6.
    p = gs.Pcap(path.replace("damaged.pcap", "damaged-raw.pcap"), 101)
    for v in (0, 5, 15):
        p.add(bytes([v << 4 | 5]) + bytes(27))
    p.close()


def cooked(path):
    ip = gs.ipv4(17, gs.udp(5000, 5001, b"cooked"))
    p = gs.Pcap(os.path.join(path, "damaged-sll.pcap"), 113)
    # Unknown packet types, and addresses of other lengths than 6.
    for ptype, halen in ((7, 6), (250, 6), (4, 0), (4, 4), (0, 8), (4, 9)):
        p.add(struct.pack("!HHH8sH", ptype, 1, halen, MAC_A + b"\1\2",
                          0x0800) + ip)
    p.add(struct.pack("!HHH8sH", 4, 1, 8, MAC_A + b"\1\2", 0x88b5) + b"x")
    p.close()
    p = gs.Pcap(os.path.join(path, "damaged-sll2.pcap"), 276)
    for ptype, halen in ((9, 6), (255, 6), (4, 0), (4, 2), (0, 8)):
        p.add(struct.pack("!HHIHBB8s", 0x0800, 0, 1, 1, ptype, halen,
                          MAC_A + b"\1\2") + ip)
    p.add(struct.pack("!HHIHBB8s", 0x88b5, 0, 1, 1, 4, 8,
                      MAC_A + b"\1\2") + b"x")
    p.close()


def nd_options(path):
    """Router advertisements carrying every option type the ICMPv6 printer
    knows, and some it does not, at lengths their type allows and not."""
    p = gs.Pcap(path, 1)

    def ra(opts):
        body = struct.pack("!BBHII", 64, 0, 1800, 0, 0) + opts
        return gs.eth(MAC_B, MAC_A, 0x86dd, gs.ipv6(
            58, gs.icmp6(134, 0, body, gs.LL6B, gs.ALLNODES), gs.LL6B,
            gs.ALLNODES, hlim=255))
    mtu = b"\x05\x01\x00\x00\x00\x00\x05\xdc"
    pattern = bytes(range(0x10, 0x10 + 62))
    for t in (1, 2, 3, 4, 5, 7, 8, 9, 24, 25, 31, 189):
        for n in (1, 2, 3, 5):
            p.add(ra(bytes([t, n]) + pattern[:n * 8 - 2] + mtu))

    def dnssl(names):
        b = b"".join(b"".join(bytes([len(x)]) + x for x in n.split(b"."))
                     + b"\0" for n in names)
        b += bytes((-len(b) - 8) % 8)
        return bytes([31, (len(b) + 8) // 8, 0, 0]) + \
            struct.pack("!I", 600) + b
    p.add(ra(dnssl([b"example.com"])))
    p.add(ra(dnssl([b"a.example", b"b.example.org"]) + mtu))
    # The redirected header's hex starts at the option list.
    p.add(ra(b"\x01\x01" + MAC_A + b"\x04\x01" + bytes(6) + mtu))
    # An unreachable code ICMPv6 does not know: dumped, except under -vv.
    p.add(gs.eth(MAC_B, MAC_A, 0x86dd, gs.ipv6(58, gs.icmp6(
        1, 85, bytes(4) + v6(17, gs.udp(5000, 5001, b"q", src=LO6,
                                         dst=LO6)), LO6, LO6))))
    route = struct.pack("!BBBBI", 24, 2, 48, 0x08, 3600) + \
        bytes.fromhex("20010db800010000")
    rdnss = struct.pack("!BBHI", 25, 3, 0, 600) + LO6
    p.add(ra(route + rdnss + mtu))
    p.close()


def invalid_headers(path):
    """Record headers no packet can have (caplen 0, len below caplen),
    between good frames: reported without a time stamp, not counted for
    -ttt."""
    p = gs.Pcap(path, 1)
    good = gs.eth(MAC_B, MAC_A, 0x88b5, b"fine")
    records = ((good, len(good)), (b"", 0), (b"", 60), (good, len(good)),
               (good, 10), (good, len(good) - 1), (good, len(good)))
    for i, (frame, wire) in enumerate(records):
        p.f.write(struct.pack("<IIII", gs.T0 + i, 1000 * i + 7, len(frame),
                              wire))
        p.f.write(frame)
    p.close()


def apps(path):
    """First lines of SSH and HTTP segments cut by their own length (a
    token may end there) or by the capture (it may not)."""
    p = gs.Pcap(path, 1)
    for port, data in ((22, b"S"), (22, b"SSH"), (22, b"XY"), (80, b"GET"),
                       (80, b"GET "), (80, b"PROPFIND"), (80, b"G"),
                       (80, b"HTTP/1.1 200"), (80, b"HTTP/1.1 2"),
                       (80, b"GET\r"), (80, b"GET /x HTTP/1.1")):
        p.add(e4(gs.ipv4(6, gs.tcp(port, 40000, 1, 1, 0x18, data=data))))
    f = e4(gs.ipv4(6, gs.tcp(80, 40000, 1, 1, 0x18,
                             data=b"GET /abc HTTP/1.1\r\n")))
    for cut in (3, 4, 10):
        p.add(f, caplen=len(f) - 19 + cut)
    p.close()


def icmp_extensions(path):
    """RFC 4884 extension structures after a 128-byte quoted datagram:
    MPLS entries, other objects, odd lengths, other versions, bad
    checksums with and without the length field, cut captures."""
    p = gs.Pcap(path, 1)
    orig = (gs.ipv4(17, gs.udp(1, 2, b"y" * 100)) + bytes(128))[:128]

    def ext(objs, ver=2, bad=False):
        h = struct.pack("!BBH", ver << 4, 0, 0) + objs
        ck = gs.csum(h) ^ (0x1111 if bad else 0)
        return h[:2] + struct.pack("!H", ck) + h[4:]

    def obj(length, cls, ctype, body):
        return struct.pack("!HBB", length, cls, ctype) + body

    def add(e, typ=11, lenfield=32, cut=0):
        f = e4(gs.ipv4(1, gs.icmp(typ, 0, struct.pack("!BBH", 0, lenfield,
                                                     0), orig + e)))
        p.add(f, caplen=len(f) - cut if cut else None)
    label = struct.pack("!I", (1234 << 12) | (5 << 9) | (1 << 8) | 64)
    mpls = obj(8, 1, 1, label)
    add(ext(mpls), typ=3)
    add(ext(obj(12, 1, 1, struct.pack("!II", 16 << 12 | 3, 17 << 12)) +
            obj(8, 2, 3, b"abcd") + obj(8, 200, 1, b"wxyz") +
            obj(8, 1, 2, b"wxyz")), typ=12)
    add(ext(mpls, ver=7))
    add(ext(mpls, bad=True))
    add(ext(mpls, bad=True), lenfield=0)
    add(ext(obj(8, 0, 1, b"abcd") + mpls))
    add(ext(obj(4, 1, 1, b"") + obj(8, 2, 1, b"abcd")))
    add(ext(mpls + obj(3, 1, 1, b"abcd")))
    add(ext(mpls + obj(40, 1, 1, b"abcd")))
    add(ext(obj(2, 1, 1, b"")))
    add(ext(mpls + b"xy"))
    for cut in (2, 6, 9, 13):
        add(ext(mpls), cut=cut)
    p.close()


def ip_options(path):
    """IPv4 options with bodies: record/source routes, time stamps and
    router alert, at good and bad lengths, pointers and flags."""
    p = gs.Pcap(path, 1)

    def add(opt):
        opt += bytes((-len(opt)) % 4)
        p.add(e4(gs.ipv4(17, gs.udp(1, 2, b"x"), options=opt)))
    addrs = bytes([10, 0, 0, 1, 10, 0, 0, 2, 10, 0, 0, 3, 10, 0, 0, 4])
    for t in (7, 131):
        for olen, ptr in ((2, 4), (3, 4), (3, 8), (4, 4), (5, 8), (7, 8),
                          (11, 4), (11, 12), (11, 6), (11, 0)):
            add(bytes([t, olen, ptr]) + addrs[:max(0, olen - 3)])
    for olen, ptr, flags in ((2, 5, 0), (3, 5, 0), (4, 5, 0), (5, 5, 0),
                             (12, 5, 0), (12, 9, 0), (12, 6, 0),
                             (12, 17, 0), (12, 13, 1), (8, 9, 1),
                             (20, 13, 3), (20, 21, 3), (5, 13, 3),
                             (12, 5, 0x20), (12, 5, 0x12), (12, 5, 0x02)):
        add(bytes([68, olen, ptr, flags]) + (addrs + addrs)[:max(0,
                                                              olen - 4)])
    for olen in (2, 3, 4, 6):
        add(bytes([148, olen]) + bytes(range(1, 5))[:olen - 2])
    p.close()


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else HERE
    damaged(os.path.join(d, "damaged.pcap"))
    cooked(d)
    nd_options(os.path.join(d, "nd-options.pcap"))
    invalid_headers(os.path.join(d, "invalid-hdr.pcap"))
    apps(os.path.join(d, "damaged-apps.pcap"))
    icmp_extensions(os.path.join(d, "icmp-ext.pcap"))
    ip_options(os.path.join(d, "ip-options.pcap"))


if __name__ == "__main__":
    main()
