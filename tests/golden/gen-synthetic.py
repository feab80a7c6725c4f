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
LO0 = bytes(4)
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


def bootp(op=1, htype=1, hlen=6, hops=0, xid=1, secs=0, flags=0, ci=LO0,
          yi=LO0, si=LO0, gi=LO0, chaddr=MAC_A, sname=b"", file=b"",
          vend=b"\x63\x82\x53\x63\x35\x01\x03\xff"):
    return struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, htype, hlen, hops,
                       xid, secs, flags, ci, yi, si, gi,
                       chaddr.ljust(16, b"\0"), sname, file) + vend


def dhcp_opts(*opts, end=b"\xff"):
    return bootp(vend=b"\x63\x82\x53\x63" + b"".join(opts) + end)


def dopt(tag, value):
    return bytes([tag, len(value)]) + value


def ntp(li=0, vn=4, mode=3, stratum=0, poll=0, prec=0, rdelay=0, rdisp=0,
        refid=LO0, ref=(0, 0), org=(0, 0), rec=(0, 0),
        xmt=(0xe9a1b2c3, 0x80000000), extra=b""):
    return struct.pack("!BBbbII4sIIIIIIII", (li << 6) | (vn << 3) | mode,
                       stratum, poll, prec, rdelay, rdisp, refid, *ref, *org,
                       *rec, *xmt) + extra


def ntp_ctl(flags, seq=1, status=0, assoc=0, offset=0, count=0, data=b""):
    return struct.pack("!BBHHHHH", (2 << 3) | 6, flags, seq, status, assoc,
                       offset, count) + data


def udp_apps(path):
    """BOOTP/DHCP, NTP, VXLAN and Geneve: every option kind and field,
    odd values and lengths, ports on either side."""
    p = Pcap(path, 1)

    def add(sport, dport, data, v6=False):
        if v6:
            p.add(eth(MAC_B, MAC_A, 0x86dd, ipv6(17, udp(
                sport, dport, data, src=LO6, dst=LO6))))
        else:
            p.add(eth(MAC_B, MAC_A, 0x0800, ipv4(17, udp(sport, dport,
                                                         data))))
    # BOOTP header fields.
    add(68, 67, bootp(hops=2, secs=7, flags=0x8000, ci=bytes([10, 0, 0, 5]),
                      gi=bytes([10, 0, 0, 1]), sname=b"srv",
                      file=b"boot.img"))
    add(67, 68, bootp(op=2, yi=bytes([10, 0, 0, 9]), si=LO4, flags=0x8001))
    add(68, 67, bootp(htype=6))
    add(68, 67, bootp(hlen=3))
    add(68, 67, bootp(op=3))
    add(68, 67, bootp(vend=b"\x01\x02\x03\x04abcdef"))
    add(68, 67, bootp(vend=b""))
    add(68, 67, bootp(vend=b"\x63\x82\x53"))
    add(68, 67, bootp(vend=bytes(8)))
    add(68, 67, bootp(sname=b"\x01abc\xe9", file=b"x" * 128))
    add(68, 67, bootp(sname=b"y" * 64))
    add(68, 67, bootp(vend=b"CMU\0" + bytes([0x81, 0, 0, 0]) +
                      bytes([255, 255, 255, 0]) + bytes(range(1, 33)) +
                      bytes(24)))
    add(68, 67, bootp(vend=b"CMU\0" + bytes([1, 0, 0, 0]) +
                      bytes([255, 255, 0, 0]) + bytes(range(1, 33)) +
                      bytes(24)))
    add(68, 67, bootp(vend=b"CMU\0" + bytes(60)))
    # Every option tag, at a few lengths (tcpdump decodes by kind).
    for n in (0, 1, 2, 3, 4, 5, 8):
        data = bytes((i * 0x11 + 1) & 0xff for i in range(n))
        add(68, 67, dhcp_opts(*(dopt(t, data) for t in range(1, 255))))
    # Option values with their own layouts.
    add(68, 67, dhcp_opts(
        dopt(61, b"\x00abc"), dopt(61, b"\xff\x01\x02"),
        dopt(53, b"\x00"), dopt(53, b"\x08"), dopt(53, b"\x09"),
        dopt(2, b"\xff\xff\xff\xff"), dopt(51, b"\xff\xff\xff\xff"),
        dopt(12, b"a\x80\xff b\""), dopt(15, b"a\\b\0c"),
        dopt(55, bytes([0, 255, 121, 249, 61, 2, 254, 150, 161]))))
    add(68, 67, dhcp_opts(*(dopt(46, bytes([v])) for v in (1, 2, 3, 4, 8))))
    add(68, 67, dhcp_opts(*(dopt(52, bytes([v])) for v in (1, 2, 3, 0))))
    add(68, 67, dhcp_opts(dopt(77, b"\x03abc\x02xy"), dopt(77, b"\x00\x01q"),
                          dopt(77, b"\x05ab")))
    add(68, 67, dhcp_opts(dopt(81, b"\x00\x00\x00host.example"),
                          dopt(81, b"\x0f\xff\x01\x04host\x00"),
                          dopt(81, b"\x04\x00\x00\x04host\x03com\x00")))
    add(68, 67, dhcp_opts(
        dopt(82, b"\x01\x04eth0\x02\x06\x01\x02\x03\x04\x05\x06"
                 b"\x05\x04\x0a\x00\x00\x01\x06\x02ab\x97\x01z"),
        dopt(82, b"\x01\x05ab"), dopt(82, b"\x01\x01a\x02")))
    add(68, 67, dhcp_opts(
        dopt(121, bytes([24, 192, 168, 1, 10, 0, 0, 1, 0, 10, 0, 0, 254,
                         32, 1, 2, 3, 4, 5, 6, 7, 8])),
        dopt(121, bytes([8, 10, 1, 1, 1, 1, 33, 0, 0, 0, 0, 0])),
        dopt(249, bytes([16, 172, 16, 10, 0, 0, 1]))))
    add(68, 67, dhcp_opts(b"\x00\x00", dopt(53, b"\x05"), b"\x00",
                          end=b"\xff\x00\x00\x35\x01\x01"))
    add(68, 67, dhcp_opts(dopt(12, b"abc")[:2] + b"abc"))
    add(68, 67, dhcp_opts(b"\x0c", end=b""))
    add(5000, 67, dhcp_opts(dopt(53, b"\x01")), v6=True)
    # NTP time messages.
    add(123, 123, ntp())
    add(123, 123, ntp(mode=4, stratum=2, poll=6, prec=-23,
                      rdelay=0x00012345, rdisp=0x00000a00,
                      refid=bytes([192, 168, 1, 1]),
                      ref=(0xe9a1b2c0, 0x12345678), org=(0xe9a1b2c3, 1 << 31),
                      rec=(0xe9a1b2c3, 0x90000000),
                      xmt=(0xe9a1b2c3, 0xa0000000)))
    add(123, 40000, ntp(mode=4, stratum=1, refid=b"GPS\0", li=3))
    add(40000, 123, ntp(mode=4, refid=b"RATE", vn=3))
    add(123, 123, ntp(mode=5, stratum=16, poll=17, prec=5))
    add(123, 123, ntp(li=1, stratum=17, poll=-3, mode=4, rdelay=0xffffffff,
                      rdisp=0x80000000))
    add(123, 123, ntp(li=2, stratum=255, poll=-40, prec=-128, mode=4))
    add(123, 123, ntp(poll=40, mode=4, stratum=3, refid=b"ABCD"))
    add(123, 123, ntp(mode=4, stratum=62, refid=bytes([1, 2, 3, 4])))
    add(123, 123, ntp(mode=4, stratum=63, refid=bytes([1, 2, 3, 4])))
    add(123, 123, ntp(mode=4, org=(0xe9a1b2c3, 0xa0000000),
                      rec=(0xe9a1b2c3, 0x90000000),
                      xmt=(0xe9a1b2c2, 0xb0000000)))
    add(123, 123, ntp(mode=4, org=(5, 0), rec=(1, 0),
                      xmt=(0xffffffff, 0xffffffff), ref=(1, 1)))
    add(123, 123, ntp(mode=4, org=(7, 5), rec=(7, 5), xmt=(0, 5),
                      ref=(0, 1 << 31)))
    add(123, 123, ntp(xmt=(0, 0), rec=(0x7fffffff, 1)))
    for extra in (4, 8, 20, 24, 52, 3):
        add(123, 123, ntp(mode=1, extra=bytes(range(extra))))
    add(123, 123, ntp(mode=2, extra=bytes(20)))
    add(123, 123, ntp(mode=0))
    add(123, 123, ntp(mode=7))
    add(123, 123, ntp()[:40])
    add(123, 123, b"\x1b")
    add(123, 123, ntp(), v6=True)
    # NTP control messages.
    add(123, 123, ntp_ctl(0x01))
    add(123, 123, ntp_ctl(0x81, 7, 0x0615, count=5, data=b"abcde\0\0\0"))
    add(123, 123, ntp_ctl(0xc2, 7, 0x0615, 3, 8, 12, b"abcde\0\0\0"))
    add(123, 123, ntp_ctl(0xff, 0xffff, 0xffff, 0xffff, 0xffff))
    add(123, 123, ntp_ctl(0x21, data=bytes(4)))
    add(123, 123, ntp_ctl(0x01)[:4])
    # VXLAN and Geneve with an inner frame.
    inner = eth(bytes.fromhex("0a0000000002"), bytes.fromhex("0a0000000001"),
                0x0800, ipv4(1, icmp(8, 0, struct.pack("!HH", 7, 1),
                                     b"inner"), src=bytes([10, 0, 0, 1]),
                             dst=bytes([10, 0, 0, 2])))
    arp_in = eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, LO4, bytes(6), LO4B))

    def vxlan(flags=0x08, vni=42, frame=inner):
        return struct.pack("!BBHI", flags, 0, 0, vni << 8) + frame

    def geneve(ver=0, optlen=0, o=0, c=0, proto=0x6558, vni=42, opts=b"",
               frame=inner):
        return struct.pack("!BBHI", (ver << 6) | optlen, (o << 7) | (c << 6),
                           proto, vni << 8) + opts + frame
    add(40000, 4789, vxlan())
    add(4789, 40000, vxlan(flags=0, frame=arp_in))
    add(40000, 4789, vxlan(flags=0xff, vni=0xffffff))
    add(40000, 4789, vxlan(frame=inner[:20]))
    add(40000, 4789, vxlan()[:7])
    add(40000, 4789, vxlan(frame=b""))
    add(40000, 4789, vxlan(frame=inner[:10]))
    add(40000, 4789, vxlan(frame=eth(bytes(6), bytes(6), 0x88b5, b"xyz")))
    add(40000, 4789, vxlan(frame=eth(MAC_B, MAC_A, 0x8100, struct.pack(
        "!HH", 5, 0x0800) + inner[14:])))
    add(40000, 4789, vxlan(), v6=True)
    ovn = struct.pack("!HBB", 0x0102, 0x83, 1) + b"\x11\x22\x33\x44"
    exp = struct.pack("!HBB", 0xffff, 0x05, 2) + bytes(range(8))
    std = struct.pack("!HBB", 0x0000, 0x00, 0)
    add(40000, 6081, geneve())
    add(40000, 6081, geneve(optlen=2, opts=ovn))
    add(6081, 40000, geneve(optlen=6, opts=ovn + exp + std, o=1, c=1))
    add(40000, 6081, geneve(optlen=1, opts=std, frame=arp_in))
    add(40000, 6081, geneve(proto=0x0800, frame=inner[14:]))
    add(40000, 6081, geneve(proto=0x86dd, frame=b""))
    add(40000, 6081, geneve(proto=0x0806, frame=arp_in[14:]))
    add(40000, 6081, geneve(proto=0x1234))
    add(40000, 6081, geneve(ver=1))
    add(40000, 6081, geneve(optlen=3, opts=ovn + std))
    add(40000, 6081, geneve(optlen=2, opts=struct.pack("!HBB", 1, 2, 5) +
                            bytes(4)))
    add(40000, 6081, geneve()[:7])
    add(40000, 6081, geneve(optlen=20, opts=ovn))
    add(40000, 6081, geneve(optlen=2, opts=ovn, frame=b""))
    add(40000, 6081, geneve(optlen=1, opts=struct.pack("!HBB", 0x0104, 1, 0)),
        v6=True)
    for cls in (0x0100, 0x0101, 0x0103, 0x0105, 0xfff0):
        add(40000, 6081, geneve(optlen=1, opts=struct.pack("!HBB", cls, 1,
                                                           0)))
    # Ports of two protocols: tcpdump's order decides.
    for sport, dport in ((123, 4789), (4789, 123), (67, 123), (123, 68),
                         (6081, 4789), (68, 6081)):
        add(sport, dport, vxlan())
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
    udp_apps(d + "/udp-apps-synth.pcap")
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
    # Real DHCP discover and offer, NTP answer and control response, VXLAN
    # ARP, ping and SYN, Geneve ARP and SYN; crafted DHCP options with
    # layouts of their own, NTP with a digest, an NTP control response,
    # Geneve with three options.
    truncations(d + "/udp-apps.pcap", d + "/trunc-udp-apps.pcap",
                (0, 1, 5, 9))
    truncations(d + "/udp-apps-synth.pcap", d + "/trunc-udp-synth.pcap",
                (26, 27, 48, 59, 78))
    truncations(d + "/overlay.pcap", d + "/trunc-overlay.pcap",
                (2, 4, 8, 18, 24))
    oui_frames(d + "/oui.pcap", os.path.join(
        os.path.dirname(os.path.abspath(__file__)),
        "../../printers/text/nd-oui.c"))


if __name__ == "__main__":
    main()
