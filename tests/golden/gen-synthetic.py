#!/usr/bin/env python3
"""Craft the golden captures that loopback traffic cannot produce: ARP,
VLAN tags, neighbour discovery, rare TCP options, truncated frames, and
the same loopback traffic re-framed as DLT_NULL, DLT_LOOP and raw IP.

Usage: gen-synthetic.py [dir]  (reads lo.pcap there, writes the others)
"""
import os
import struct
import sys

MAC_A = bytes.fromhex("02fc00000001")
MAC_B = bytes.fromhex("0a5504223152")
BCAST = b"\xff" * 6
LO4 = bytes([127, 0, 0, 1])
LO4B = bytes([127, 0, 0, 2])
LO6 = bytes(15) + b"\x01"
LL6A = bytes.fromhex("fe800000000000000000000000000001")
LL6B = bytes.fromhex("fe800000000000000000000000000002")
ALLNODES = bytes.fromhex("ff020000000000000000000000000001")
ALLROUTERS = bytes.fromhex("ff020000000000000000000000000002")
T0 = 1795786800


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Pcap:
    def __init__(self, path, linktype, snaplen=262144):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0,
                                 snaplen, linktype))
        self.n = 0

    def add(self, frame, caplen=None, ts=None):
        self.n += 1
        if ts is None:
            ts = (T0 + self.n, self.n * 1000 + 7)
        cap = len(frame) if caplen is None else caplen
        self.f.write(struct.pack("<IIII", ts[0], ts[1], cap, len(frame)))
        self.f.write(frame[:cap])

    def close(self):
        self.f.close()


def ipv4(proto, payload, src=LO4, dst=LO4, tos=0, ttl=64, ident=1,
         frag=0x4000, options=b"", bad_sum=False):
    ihl = 5 + len(options) // 4
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos,
                      ihl * 4 + len(payload), ident, frag, ttl, proto, 0,
                      src, dst) + options
    ck = csum(hdr) ^ (0x1111 if bad_sum else 0)
    return hdr[:10] + struct.pack("!H", ck) + hdr[12:] + payload


def ipv6(nxt, payload, src=LO6, dst=LO6, hlim=64, tclass=0, flow=0):
    vtf = (6 << 28) | (tclass << 20) | flow
    return struct.pack("!IHBB", vtf, len(payload), nxt, hlim) + src + dst \
        + payload


def l4sum(proto, src, dst, seg):
    if len(src) == 4:
        pseudo = src + dst + struct.pack("!BBH", 0, proto, len(seg))
    else:
        pseudo = src + dst + struct.pack("!IxxxB", len(seg), proto)
    return csum(pseudo + seg)


def tcp(sport, dport, seq, ack, flags, win=512, opts=b"", data=b"", urp=0,
        src=LO4, dst=LO4):
    off = (20 + len(opts)) // 4
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags,
                      win, 0, urp) + opts + data
    ck = l4sum(6, src, dst, seg)
    return seg[:16] + struct.pack("!H", ck) + seg[18:]


def udp(sport, dport, data, src=LO4, dst=LO4, zero_sum=False):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ck = 0 if zero_sum else l4sum(17, src, dst, seg)
    return seg[:6] + struct.pack("!H", ck) + seg[8:]


def icmp(typ, code, rest, body=b""):
    msg = struct.pack("!BBH", typ, code, 0) + rest + body
    return msg[:2] + struct.pack("!H", csum(msg)) + msg[4:]


def icmp6(typ, code, body, src, dst):
    msg = struct.pack("!BBH", typ, code, 0) + body
    return msg[:2] + struct.pack("!H", l4sum(58, src, dst, msg)) + msg[4:]


def eth(dst, src, etype, payload):
    return dst + src + struct.pack("!H", etype) + payload


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + sha + spa + tha + tpa


def synthetic(path):
    p = Pcap(path, 1)
    p.add(eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, LO4, bytes(6), LO4B)))
    p.add(eth(MAC_A, MAC_B, 0x0806, arp(2, MAC_B, LO4B, MAC_A, LO4)))
    # Gratuitous ARP and a RARP-ish opcode nobody uses.
    p.add(eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, LO4, bytes(6), LO4)))
    p.add(eth(BCAST, MAC_A, 0x0806, arp(9, MAC_A, LO4, bytes(6), LO4B)))
    echo = icmp(8, 0, struct.pack("!HH", 7, 1), b"vlan-ping")
    vlan = struct.pack("!HH", (3 << 13) | 100, 0x0800) + ipv4(1, echo)
    p.add(eth(MAC_B, MAC_A, 0x8100, vlan))
    inner = struct.pack("!HH", 100, 0x0800) + ipv4(
        17, udp(5000, 5001, b"qinq"))
    p.add(eth(MAC_B, MAC_A, 0x88a8, struct.pack("!HH", 200, 0x8100) + inner))
    p.add(eth(MAC_B, MAC_A, 0x88b5, b"local experimental ethertype"))
    p.add(eth(MAC_B, MAC_A, 0x8100,
              struct.pack("!HH", 5, 0x88b6) + b"tagged unknown"))
    # TCP flags and options seen less often on loopback.
    sack = b"\x01\x01\x05\x0a" + struct.pack("!II", 1000, 2000)
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(
        1234, 80, 100, 200, 0x10, opts=sack), ident=2)))
    p.add(eth(MAC_A, MAC_B, 0x0800, ipv4(6, tcp(
        80, 1234, 300, 100, 0x10, opts=sack), ident=3)))
    p.add(eth(MAC_A, MAC_B, 0x0800, ipv4(6, tcp(
        80, 1234, 310, 100, 0x10, opts=sack), ident=4, frag=0x6000)))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(
        1234, 22, 5, 0, 0xC2, opts=b"\x02\x04\x05\xb4\x04\x02\x00\x00"))))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(
        1234, 9, 5, 9, 0x38, data=b"urgent!", urp=3,
        opts=b"\xfd\x04\xab\xcd\x01\x00\x00\x00"))))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(
        1234, 23, 77, 0, 0x04, win=0), tos=0x03)))
    # IP header details: options, ECN, a bad header checksum.
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(17, udp(53000, 7777, b"opts"),
              options=b"\x01\x01\x01\x00", tos=0x2)))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(17, udp(53000, 7777, b"sum"),
              bad_sum=True, tos=0x1)))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(17, udp(7777, 53001, b"nosum",
              zero_sum=True))))
    # ICMP messages other than echo.
    quoted = ipv4(17, udp(53000, 7777, b"quoted"))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(1, icmp(3, 1, bytes(4), quoted))))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(1, icmp(
        3, 4, struct.pack("!HH", 0, 1400), quoted))))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(1, icmp(11, 0, bytes(4), quoted))))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(1, icmp(5, 1, LO4B, quoted))))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(1, icmp(42, 0, bytes(4)))))
    # IPv6: extension headers, neighbour discovery.
    hbh = struct.pack("!BB", 0, 0) + b"\x05\x02\x00\x00\x01\x00"
    dst_opt = struct.pack("!BB", 17, 0) + b"\x01\x04\x00\x00\x00\x00"
    u6 = udp(5000, 5001, b"ext-headers", src=LO6, dst=LO6)
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(0, hbh[:0] + bytes([60]) +
              hbh[1:] + dst_opt + u6)))
    ns = icmp6(135, 0, bytes(4) + LL6B + b"\x01\x01" + MAC_A, LL6A, LL6B)
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(58, ns, LL6A, LL6B, hlim=255)))
    na = icmp6(136, 0, b"\x60\x00\x00\x00" + LL6B + b"\x02\x01" + MAC_B,
               LL6B, LL6A)
    p.add(eth(MAC_A, MAC_B, 0x86dd, ipv6(58, na, LL6B, LL6A, hlim=255)))
    rs = icmp6(133, 0, bytes(4) + b"\x01\x01" + MAC_A, LL6A, ALLROUTERS)
    p.add(eth(BCAST, MAC_A, 0x86dd, ipv6(58, rs, LL6A, ALLROUTERS, hlim=255)))
    prefix = struct.pack("!BBBBIII", 3, 4, 64, 0xc0, 86400, 14400, 0) + \
        bytes.fromhex("20010db8000000000000000000000000")
    ra = icmp6(134, 0, struct.pack("!BBHII", 64, 0, 1800, 0, 0) +
               b"\x01\x01" + MAC_B + struct.pack("!BBHI", 5, 1, 0, 1500) +
               prefix, LL6B, ALLNODES)
    p.add(eth(BCAST, MAC_B, 0x86dd, ipv6(58, ra, LL6B, ALLNODES, hlim=255)))
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(58, icmp6(
        3, 0, bytes(4) + ipv6(17, u6)[:48], LO6, LO6), tclass=0xb8,
        flow=0x12345)))
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(59, b"")))
    frag6 = struct.pack("!BBHI", 17, 0, 1, 0xabcd) + u6[:16]
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(44, frag6)))
    frag6 = struct.pack("!BBHI", 17, 0, 16, 0xabcd) + u6[16:]
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(44, frag6)))
    tcp6 = tcp(1234, 4080, 7, 8, 0x18, data=b"six", src=LO6, dst=LO6)
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(60, dst_opt[:0] + b"\x06\x00" +
              b"\x01\x04\x00\x00\x00\x00" + tcp6)))
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(253, b"xyz")))
    # Truncated captures: the printers must stop at the snap end.
    full = eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(
        1234, 4080, 1, 2, 0x18, data=b"truncated payload",
        opts=b"\x01\x01\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x02")))
    for cut in (10, 20, 40, 60, 70):
        p.add(full, caplen=cut)
    p.close()


def checksums(path):
    """Wrong ICMP and UDP sums, long quoted datagrams, data on a reset."""
    p = Pcap(path, 1)
    m = bytearray(icmp(8, 0, struct.pack("!HH", 1, 2), b"abc"))
    m[2] ^= 0x11
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(1, bytes(m))))
    m = bytearray(icmp(3, 3, bytes(4), ipv4(17, udp(1, 2, b"x"))))
    m[3] ^= 0x01
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(1, bytes(m))))
    big = ipv4(17, udp(1, 2, b"y" * 300))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(1, icmp(3, 3, bytes(4), big))))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(1, icmp(3, 3, bytes(4),
                                                   big[:200]))))
    seg = bytearray(udp(5, 6, b"bad"))
    seg[6] ^= 1
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(17, bytes(seg))))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(
        1, 2, 3, 4, 0x14, data=b"reset-data-here"))))
    p.close()


def ext_headers(path):
    """IPv6 routing headers (types 0, 2, 4, unknown) and AH, v6 and v4."""
    p = Pcap(path, 1)
    u6 = udp(5000, 5001, b"rt", src=LO6, dst=LO6)
    a2 = bytes.fromhex("20010db8000000000000000000000002")
    for rt in (struct.pack("!BBBBI", 17, 4, 0, 1, 0) + LO6 + a2,
               struct.pack("!BBBBI", 17, 2, 2, 1, 0) + a2,
               struct.pack("!BBBBBBH", 17, 2, 4, 0, 0, 0, 0) + a2,
               struct.pack("!BBBBI", 17, 2, 9, 1, 0) + a2):
        p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(43, rt + u6)))
    t6 = tcp(1234, 80, 1, 2, 0x18, data=b"x", src=LO6, dst=LO6)
    ah = struct.pack("!BBHII", 6, 4, 0, 0x100, 1) + bytes(range(12))
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(51, ah + t6)))
    ah = struct.pack("!BBHII", 17, 1, 0, 0x200, 7) + bytes(range(4))
    p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(51, ah + u6)))
    t4 = tcp(1234, 80, 1, 2, 0x18, data=b"y")
    ah = struct.pack("!BBHII", 6, 4, 0x12, 0x300, 2) + bytes(12)
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(51, ah + t4)))
    p.close()


def apps(path):
    """First lines of HTTP requests and responses, SSH identifications."""
    p = Pcap(path, 1)
    for d in (b"hello world\r\n", b"GET /x HTTP/1.0\r\nHost", b"\x01\x02bin",
              b"FOO bar\r\n", b"HTTP/1.1 404 Not Found\r\n\r\n",
              b"PUT /a\r\n", b"GET\r\n", b"get / HTTP/1.1\r\n",
              b"GET /a\rb\r\n", b"POST /a HTTP/1.1\tx\r\n\r\n\x00\x01",
              b"OPTIONS * HTTP/1.1\r\n", b"HTTP/1.0 200\r\n",
              b"HTTP/1.1\r\n", b"GET  HTTP/1.1\r\n", b"GET / HTTP/1.1",
              b"PROPFIND /d HTTP/1.1\r\n"):
        p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(1234, 80, 1, 1, 0x18,
                                                   data=d))))
    p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(
        8080, 1234, 1, 1, 0x18, data=b"HTTP/1.1 204 No Content\r\n"))))
    for d in (b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", b"SSH-2.0-x\n",
              b"\x00\x00\x01\x0c\x0a\x14garbage", b"SSH-2.0-nocrlf",
              b"SSH-", b"SSH-2.0-a\rb\r\n", b"ssh-2.0-x\r\n",
              b"SSH-1.99-y\r\nmore"):
        p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(22, 40000, 1, 1, 0x18,
                                                   data=d))))
    f = eth(MAC_B, MAC_A, 0x0800, ipv4(6, tcp(
        40000, 22, 1, 1, 0x18, data=b"SSH-2.0-OpenSSH_9.2p1\r\n")))
    p.add(f, caplen=len(f) - 5)
    p.add(f, caplen=len(f) - 22)
    p.close()


def ipv6_lengths(path):
    """IPv6 payload lengths that disagree with the frame: short, zero."""
    p = Pcap(path, 1)
    u6 = udp(5000, 5001, b"q", src=LO6, dst=LO6)

    def v6(nh, payload, plen):
        return struct.pack("!IHBB", 6 << 28, plen, nh, 64) + LO6 + LO6 + \
            payload
    t6 = tcp(1234, 80, 1, 2, 0x18, data=b"x", src=LO6, dst=LO6)
    for plen in (0, 1, 2, 3, 4, 19, 20):
        p.add(eth(MAC_B, MAC_A, 0x86dd, v6(6, t6, plen)))
    e6 = icmp6(128, 0, struct.pack("!HH", 1, 2), LO6, LO6)
    for plen in (0, 1, 4, 7, 8):
        p.add(eth(MAC_B, MAC_A, 0x86dd, v6(58, e6, plen)))
    ah = struct.pack("!BBHII", 17, 1, 0, 0x200, 7) + u6
    for plen in (0, 4, 8, 12, 13):
        p.add(eth(MAC_B, MAC_A, 0x86dd, v6(51, ah, plen)))
    for plen in (0, 2, 7, 8):
        p.add(eth(MAC_B, MAC_A, 0x86dd, v6(17, u6, plen)))
    for off in (16, 0):
        fr = struct.pack("!BBHI", 17, 0, off, 0xabcd) + u6
        for plen in (0, 1, 4, 8, 9):
            p.add(eth(MAC_B, MAC_A, 0x86dd, v6(44, fr, plen)))
    hbh = struct.pack("!BB", 17, 0) + b"\x01\x04\x00\x00\x00\x00" + u6
    for plen in (0, 2, 8):
        p.add(eth(MAC_B, MAC_A, 0x86dd, v6(0, hbh, plen)))
    p.close()


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack("<I", data[:4])
    off = 24
    recs = []
    while off < len(data):
        s, u, cap, ln = struct.unpack("<IIII", data[off:off + 16])
        recs.append(((s, u), data[off + 16:off + 16 + cap], ln))
        off += 16 + cap
    return recs


def reframe(src, path, linktype, header_fn):
    """Replace the Ethernet header of every frame by another link header."""
    p = Pcap(path, linktype)
    for ts, frame, ln in read_pcap(src):
        etype, = struct.unpack("!H", frame[12:14])
        hdr = header_fn(etype)
        p.add(hdr + frame[14:], ts=ts)
    p.close()


def af(etype, v6):
    return 2 if etype == 0x0800 else v6


def sll_extra(path):
    """Cooked captures with outgoing packets, odd types and interfaces."""
    ip = ipv4(17, udp(5000, 5001, b"out"))
    p = Pcap(path + "/synthetic-sll2.pcap", 276)
    for ifindex, ptype in ((1, 4), (1, 0), (1, 1), (1, 2), (1, 3), (99999, 4)):
        hdr = struct.pack("!HHIHBB8s", 0x0800, 0, ifindex, 1, ptype, 6,
                          MAC_A + b"\0\0")
        p.add(hdr + ip)
    hdr = struct.pack("!HHIHBB8s", 0x88b5, 0, 1, 1, 4, 6, MAC_A + b"\0\0")
    p.add(hdr + b"unknown")
    hdr = struct.pack("!HHIHBB8s", 0x0806, 0, 1, 1, 0, 6, MAC_A + b"\0\0")
    p.add(hdr + arp(1, MAC_A, LO4, bytes(6), LO4B))
    p.close()
    p = Pcap(path + "/synthetic-sll.pcap", 113)
    for ptype in (4, 0, 1, 2, 3):
        hdr = struct.pack("!HHH8sH", ptype, 1, 6, MAC_A + b"\0\0", 0x0800)
        p.add(hdr + ip)
    hdr = struct.pack("!HHH8sH", 4, 1, 6, MAC_A + b"\0\0", 0x88b5)
    p.add(hdr + b"unknown")
    p.close()


def truncations(src, path, picks):
    """Every snap length of a few chosen frames: each layer's truncation."""
    recs = read_pcap(src)
    p = Pcap(path, 1)
    for i in picks:
        ts, frame, ln = recs[i]
        for cut in range(1, len(frame)):
            p.f.write(struct.pack("<IIII", ts[0], ts[1], cut, ln))
            p.f.write(frame[:cut])
    p.close()


def oui_frames(path, table):
    """A frame for each OUI the text printer names (read from its table)."""
    import re
    ouis = re.findall(r"\{ 0x([0-9a-f]{6}), \"", open(table).read())
    p = Pcap(path, 1)
    for i, o in enumerate(ouis):
        frame = bytes.fromhex(o) + b"\x12\x34\x56" + MAC_A + b"\x88\xb5oui"
        p.add(frame, ts=(T0 + i, 0))
    p.close()


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    synthetic(d + "/synthetic.pcap")
    checksums(d + "/checksums.pcap")
    ext_headers(d + "/ext6.pcap")
    apps(d + "/apps.pcap")
    ipv6_lengths(d + "/ip6-lengths.pcap")
    lo = d + "/lo.pcap"
    reframe(lo, d + "/null.pcap", 0, lambda e: struct.pack("<I", af(e, 24)))
    reframe(lo, d + "/loop.pcap", 108, lambda e: struct.pack("!I", af(e, 28)))
    reframe(lo, d + "/raw.pcap", 101, lambda e: b"")
    sll_extra(d)
    # SYN with options, HTTP request (first 100 bytes), port unreachable,
    # echo, time stamp reply, IPv6 TCP, ICMPv6 unreachable.
    truncations(lo, d + "/trunc-lo.pcap", (0, 3, 25, 26, 31, 36, 51))
    # ARP, VLAN, QinQ, IP options, time exceeded, HBH/DSTOPT, NS, RA, frag.
    truncations(d + "/synthetic.pcap", d + "/trunc-synth.pcap",
                (0, 4, 5, 14, 19, 22, 23, 24, 26, 27, 30, 32))
    truncations(d + "/ext6.pcap", d + "/trunc-ext6.pcap", range(7))
    oui_frames(d + "/oui.pcap", os.path.join(
        os.path.dirname(os.path.abspath(__file__)),
        "../../printers/text/nd-oui.c"))


if __name__ == "__main__":
    main()
