#!/usr/bin/env python3
"""Craft the DNS golden captures that a well-behaved server never sends:
every record type the printer decodes, EDNS options, multicast DNS
classes, odd header bits and codes, malformed names (forward and looping
compression pointers, unknown label types, names over 255 characters),
DNS over TCP with wrong length prefixes, and one response cut at every
byte.

Usage: gen-dns-synthetic.py [dir]  (writes dns-synth.pcap, dns-trunc.pcap)
"""
import socket
import struct
import sys
import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "gen_synthetic", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  "gen-synthetic.py"))
_gs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gs)
csum = _gs.csum

LO4 = bytes([127, 0, 0, 1])
LO6 = bytes(15) + b"\x01"
T0 = 1795790400



class Pcap(_gs.Pcap):
    """gen-synthetic's writer with this file's time stamps: 100 packets a
    second from T0."""

    def __init__(self, path, linktype=1):
        super().__init__(path, linktype)

    def add(self, frame, caplen=None):
        cap = len(frame) if caplen is None else min(caplen, len(frame))
        n = self.n + 1
        super().add(frame, cap, (T0 + n // 100, (n % 100) * 10000 + 3))


def l4sum(proto, src, dst, seg):
    if len(src) == 4:
        pseudo = src + dst + struct.pack("!BBH", 0, proto, len(seg))
    else:
        pseudo = src + dst + struct.pack("!IxxxB", len(seg), proto)
    return csum(pseudo + seg)


def eth(etype, payload):
    return bytes.fromhex("020000000001" "020000000002") + \
        struct.pack("!H", etype) + payload


def ipv4(proto, payload):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 7,
                      0x4000, 64, proto, 0, LO4, LO4)
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + payload


def udp_seg(sport, dport, data, src, dst):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data
    ck = l4sum(17, src, dst, seg) or 0xffff
    return seg[:6] + struct.pack("!H", ck) + seg[8:]


def udp4(sport, dport, data):
    return eth(0x0800, ipv4(17, udp_seg(sport, dport, data, LO4, LO4)))


def udp6(sport, dport, data):
    seg = udp_seg(sport, dport, data, LO6, LO6)
    ip6 = struct.pack("!IHBB", 6 << 28, len(seg), 17, 64) + LO6 + LO6
    return eth(0x86dd, ip6 + seg)


def tcp4(sport, dport, data, seq=1000, ack=2000):
    seg = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, 0x18,
                      512, 0, 0) + data
    ck = l4sum(6, LO4, LO4, seg)
    return eth(0x0800, ipv4(6, seg[:16] + struct.pack("!H", ck) + seg[18:]))


def name(text):
    out = b""
    for label in text.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(qid=0x1234, flags=0x0100, qd=1, an=0, ns=0, ar=0):
    return struct.pack("!6H", qid, flags, qd, an, ns, ar)


def question(owner, qtype=1, qclass=1):
    owner = name(owner) if isinstance(owner, str) else owner
    return owner + struct.pack("!HH", qtype, qclass)


def rr(owner, rtype, rdata, rclass=1, ttl=300, rdlen=None):
    owner = name(owner) if isinstance(owner, str) else owner
    n = len(rdata) if rdlen is None else rdlen
    return owner + struct.pack("!HHIH", rtype, rclass, ttl, n) + rdata


def opt(options, size=1232, ttl=0):
    return rr(b"\0", 41, options, rclass=size, ttl=ttl)


def eopt(code, data):
    return struct.pack("!HH", code, len(data)) + data


def response(records, qd=b"", counts=None, flags=0x8580):
    an = len(records) if counts is None else counts[0]
    ns = 0 if counts is None else counts[1]
    ar = 0 if counts is None else counts[2]
    return header(flags=flags, qd=1 if qd else 0, an=an, ns=ns, ar=ar) + \
        qd + b"".join(records)


A4 = bytes([192, 0, 2, 1])
V6 = socket.inet_pton(socket.AF_INET6, "2001:db8::53")


def record_types(p):
    """One answer of every decoded type, then the rest of the table."""
    rec = [
        rr("a.test", 1, A4, ttl=3725),
        rr("a.test", 28, V6, ttl=0),
        rr("a.test", 28, socket.inet_pton(socket.AF_INET6,
                                          "::ffff:192.0.2.1")),
        rr("a.test", 5, name("c.test"), ttl=90061),
        rr("a.test", 12, name("ptr.test"), ttl=31536000 + 604800 + 1),
        rr("a.test", 2, name("ns.test")),
        rr("a.test", 39, name("dname.test")),
        rr("a.test", 15, struct.pack("!H", 10) + name("mx.test")),
        rr("a.test", 16, b"\x05hello\x00\x03a\"b\x04\x01\x7f\x80\xff"),
        rr("a.test", 33, struct.pack("!HHH", 1, 2, 5060) + name("sip.test")),
        rr("a.test", 6, name("ns1.test") + name("host.test") +
           struct.pack("!5I", 1, 2, 3, 4, 5)),
        rr("a.test", 38, bytes([64]) + bytes(range(1, 9)) + name("pfx.test")),
        rr("a.test", 38, bytes([0]) + V6),
        rr("a.test", 38, bytes([128]) + name("whole.test")),
        rr("a.test", 38, bytes([200])),
        rr("a.test", 104, b"raw\x01data"),
        rr("a.test", 250, name("hmac-sha256") + bytes(6) +
           struct.pack("!HH", 300, 4) + b"mac!" +
           struct.pack("!HHH", 7, 18, 0)),
        rr("a.test", 256, struct.pack("!HH", 10, 1) + b"https://a.test/"),
        rr("a.test", 13, b"\x03cpu\x02os"),
        rr("a.test", 257, b"\x00\x05issueca.test"),
        rr("a.test", 99, b"\x06v=spf1"),
        rr("a.test", 4242, b"\x01\x02"),
        rr("a.test", 1, A4, rclass=3),
        rr("a.test", 1, A4, rclass=4),
        rr("a.test", 1, A4, rclass=255),
        rr("a.test", 1, A4, rclass=77),
    ]
    qd = question("a.test", 255)
    p.add(udp4(53, 40000, response(rec, qd)))
    # The same records in the authority and additional sections.
    p.add(udp4(53, 40000, response(rec[:3] + rec[3:9] + rec[9:],
                                   qd, counts=(3, 6, len(rec) - 9))))
    # A query carrying records (an update, say): shown from -vv on.
    p.add(udp4(40000, 53, header(flags=0x2800, qd=1, an=2, ns=1, ar=1) +
               question("zone.test", 6) + rec[0] + rec[1] + rec[5] +
               opt(b"", 512)))
    # Every type name of the table in a question.
    for t in (0, 3, 4, 7, 8, 9, 10, 11, 14, 17, 18, 19, 20, 21, 22, 23, 24,
              25, 26, 27, 29, 30, 31, 32, 34, 35, 36, 37, 40, 41, 42, 43, 44,
              45, 46, 47, 48, 49, 99, 100, 101, 102, 103, 249, 251, 252,
              253, 254, 257, 32768, 65535):
        p.add(udp4(40000, 53, header() + question("t.test", t)))
    for c in (0, 2, 3, 4, 254, 255, 256, 0x8001, 65535):
        p.add(udp4(40000, 53, header() + question("c.test", 1, c)))


def edns(p):
    opts = [
        eopt(10, bytes(range(8))),
        eopt(10, bytes(range(8)) + bytes(range(16, 48))),
        eopt(10, bytes(7)), eopt(10, bytes(9)), eopt(10, bytes(41)),
        eopt(10, b""),
        eopt(8, struct.pack("!HBB", 1, 24, 0) + bytes([198, 51, 100])),
        eopt(8, struct.pack("!HBB", 2, 56, 48) +
             bytes.fromhex("20010db8000001")),
        eopt(8, struct.pack("!HBB", 1, 0, 0)),
        eopt(8, struct.pack("!HBB", 1, 33, 0) + bytes(5)),
        eopt(8, struct.pack("!HBB", 1, 24, 0) + bytes(2)),
        eopt(8, struct.pack("!HBB", 3, 8, 0) + bytes(1)),
        eopt(8, b"\x00"),
        eopt(11, struct.pack("!H", 25)), eopt(11, b""), eopt(11, b"\x01"),
        eopt(9, struct.pack("!I", 86400)), eopt(9, b"\x01"),
        eopt(12, bytes(5)), eopt(12, b"\x00\x01"), eopt(12, b""),
        eopt(13, name("chain.test")),
        eopt(5, bytes([0, 1, 2, 3, 4, 5, 8, 13, 15, 16, 17, 252, 253])),
        eopt(6, bytes([0, 1, 2, 3, 4, 5])), eopt(7, bytes([1, 2])),
        eopt(14, struct.pack("!HH", 20326, 1)), eopt(14, b"\x01"),
        eopt(3, b"ns-7"), eopt(1, b"\x00\x01"), eopt(2, b"\x00\x01"),
        eopt(16, b"\xab"), eopt(17, b"\xcd"), eopt(15, b"\x00\x01ab"),
        eopt(65001, b"xy"), eopt(65002, b""),
    ]
    for i in range(0, len(opts), 4):
        p.add(udp4(40000, 53, header(ar=1) + question("e.test") +
                   opt(b"".join(opts[i:i + 4]), 4096,
                       0x8000 if i % 8 else 0)))
    # A response's extended RCODEs and DO, version, Z bits.
    for ext, rc in ((1, 0), (1, 7), (0, 15), (1, 1), (1, 5), (1, 7),
                    (16, 0), (255, 15)):
        p.add(udp4(53, 40000, header(flags=0x8180 | rc, qd=1, ar=1) +
                   question("e.test") +
                   opt(b"", 1232, (ext << 24) | (1 << 16) | 0xffff)))
    # OPT behind another additional record; an option cut by its length.
    p.add(udp4(53, 40000, header(flags=0x8180, qd=1, an=1, ar=2) +
               question("e.test") + rr("e.test", 1, A4) +
               rr("e.test", 28, V6) + opt(eopt(10, bytes(8)), 512,
                                          0x01000000)))
    p.add(udp4(40000, 53, header(ar=1) + question("e.test") +
               opt(eopt(10, bytes(8)) + b"\x00", 512)))
    p.add(udp4(40000, 53, header(ar=1) + question("e.test") +
               opt(struct.pack("!HH", 10, 20) + bytes(4), 512)))


def mdns(p):
    p.add(udp4(5353, 5353, header(qid=0, flags=0, qd=3) +
               question("_ipp._tcp.local", 12, 0x8001) +
               question("host.local", 255, 1) +
               question("host.local", 28, 0x8003)))
    p.add(udp4(5353, 5353, header(qid=0, flags=0x8400, qd=0, an=3, ar=1) +
               rr("host.local", 1, A4, rclass=0x8001, ttl=120) +
               rr("host.local", 28, V6, rclass=0x0001, ttl=120) +
               rr("host.local", 16, b"\x00", rclass=0x8004) +
               opt(eopt(4, b"\x00\x01\x02\x03"), 0x85a0)))
    p.add(udp6(5353, 5353, header(qid=0, flags=0x8400, qd=0, an=1) +
               rr("host.local", 12, name("x.local"), rclass=0x8001)))
    # port 53 wins over 5353; 5355 (LLMNR) is not decoded
    p.add(udp4(5353, 53, header() + question("host.local", 1, 0x8001)))
    p.add(udp4(40000, 5355, header(flags=0) + question("host", 1)))
    p.add(udp6(5355, 40000, header(flags=0x8000, an=1) +
               question("host", 1) + rr("host", 1, A4)))


def codes(p):
    for flags in (0x0000, 0x0110, 0x0130, 0x0140, 0x0180, 0x0200, 0x0400,
                  0x0800, 0x1000, 0x2000, 0x2800, 0x3000, 0x4800, 0x7800,
                  0x7fff):
        p.add(udp4(40000, 53, header(flags=flags) + question("op.test")))
    p.add(udp4(40000, 53, header(flags=0x0800, qd=0, an=1) +
               rr("op.test", 1, A4)))
    p.add(udp4(40000, 53, header(flags=0x0800, qd=2, an=0, ns=1) +
               question("op.test") + question("op2.test")))
    p.add(udp4(40000, 53, header(qd=3, an=2, ns=1, ar=4) +
               question("a.test") + question("b.test", 28) +
               question("c.test", 15)))
    for flags in (0x8000, 0x8080, 0x8180, 0x8400, 0x8200, 0x8020, 0x8010,
                  0x8001, 0x8002, 0x8003, 0x8004, 0x8005, 0x8006, 0x8007,
                  0x8008, 0x8009, 0x800a, 0x800b, 0x800f, 0x9000, 0xa800,
                  0xffff):
        p.add(udp4(53, 40000, header(flags=flags) + question("rc.test")))
    p.add(udp4(53, 40000, header(flags=0x8180, qd=2) + question("a.test") +
               question("b.test", 28)))


def names(p):
    q = question("ok.test")
    # pointer into the question; forward pointer; pointer to itself;
    # pointers chained backwards; a pointer chain that would loop.
    p.add(udp4(53, 40000, response([rr(b"\x03www\xc0\x0c", 1, A4)], q)))
    p.add(udp4(53, 40000, response([rr(b"\xc0\x30", 1, A4),
                                    rr("x.test", 1, A4)], q)))
    p.add(udp4(53, 40000, response([rr(b"\xc0\x1c", 1, A4)], q)))
    p.add(udp4(53, 40000, response([rr(b"\x01a\xc0\x0c", 1, A4),
                                    rr(b"\x01b\xc0\x1c", 1, A4),
                                    rr(b"\x01c\xc0\x2c", 1, A4)], q)))
    loop = header(flags=0x8180, qd=1, an=1) + b"\x01x\xc0\x0e\x00\x01" + \
        b"\x00\x01" + b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 0, 4) + A4
    p.add(udp4(53, 40000, loop))
    p.add(udp4(40000, 53, header() + b"\xc0\x0c\x00\x01\x00\x01"))
    p.add(udp4(40000, 53, header() + b"\x01a\xc0\x0c\x00\x01\x00\x01"))
    # label types: binary labels (RFC 2673), unknown extended, reserved
    for lab in (b"\x41\x00" + bytes(range(32)), b"\x41\x08\xa5",
                b"\x41\x03\xe0", b"\x41\x05\xf8", b"\x41\x0c\xab\xcd",
                b"\x41\x11\x01\x02\x03"):
        p.add(udp4(53, 40000, response([rr(b"\x01a" + lab + b"\x00", 5,
                                           b"\x01b" + lab + b"\x00")], q)))
    p.add(udp4(40000, 53, header() + question(b"\x41\x04\xf0\x02bb\x00")))
    for c in (0x40, 0x42, 0x7f, 0x80, 0x81, 0xbf):
        p.add(udp4(53, 40000, response([rr("b.test", 5, b"\x01a" +
                                           bytes([c]) + b"xyz\x00"),
                                        rr("after.test", 1, A4)], q)))
        p.add(udp4(40000, 53, header() + question(bytes([c]) + b"x\x00")))
    # characters: blanks, dots, control bytes and the high bit
    p.add(udp4(40000, 53, header() +
               question(b"\x05a b.c\x04\x00\x09\x7f\xff\x03M\xc9x\x00")))
    # long names: 255 characters fit, 256 do not; printing stops inside
    # a label; a bit-string label shows in full and counts nothing
    l63 = b"\x3f" + b"a" * 63
    for tail in (b"\x3e" + b"b" * 62, b"\x3f" + b"b" * 63,
                 b"\x3e" + b"b" * 62 + b"\x01c",
                 b"\x3d" + b"b" * 61 + b"\x01c",
                 b"\x41\x00" + bytes(32) + b"\x3e" + b"b" * 62,
                 l63 + b"\x05ccccc"):
        p.add(udp4(53, 40000, response([rr(l63 * 3 + tail + b"\x00", 1, A4),
                                        rr("next.test", 1, A4)], q)))
    p.add(udp4(53, 40000, response(
        [rr(b"\x03abc\xc0\x0c", 1, A4), rr("next.test", 1, A4)],
        question(l63 * 3 + b"\x3c" + b"q" * 60 + b"\x00"))))
    p.add(udp4(53, 40000, response(
        [rr(l63 * 4 + b"\x05bbbbb\x81xx\x00", 1, A4)], q)))


def damaged(p):
    q = question("d.test")
    # short messages, over UDP and TCP
    for n in (0, 1, 11):
        p.add(udp4(40000, 53, (header() + q)[:n]))
    msg = header() + q
    p.add(tcp4(40001, 53, b""))
    p.add(tcp4(40001, 53, b"\x00"))
    p.add(tcp4(40001, 53, struct.pack("!H", len(msg)) + msg))
    p.add(tcp4(40001, 53, struct.pack("!H", len(msg) + 1) + msg))
    p.add(tcp4(40001, 53, struct.pack("!H", len(msg)) + msg + b"\x00\x01"))
    p.add(tcp4(40001, 53, b"\x00\x05abcde"))
    p.add(tcp4(53, 40001, struct.pack("!H", 0)))
    p.add(tcp4(5353, 40001, struct.pack("!H", len(msg)) + msg))
    # over TCP, tcpdump looks at the HTTP ports before port 53
    p.add(tcp4(53, 8080, struct.pack("!H", len(msg)) + msg))
    p.add(tcp4(22, 53, struct.pack("!H", len(msg)) + msg))
    # counts beyond the records present; record fields cut by the end
    p.add(udp4(53, 40000, response([rr("d.test", 1, A4)], q,
                                   counts=(3, 0, 0))))
    p.add(udp4(53, 40000, response([rr("d.test", 1, A4),
                                    b"\x00\x00\x01\x00"], q,
                                   counts=(2, 0, 0))))
    p.add(udp4(53, 40000, response([rr("d.test", 1, A4),
                                    b"\x00\x00\x01\x00"], q,
                                   counts=(1, 1, 0))))
    p.add(udp4(53, 40000, response([rr("d.test", 1, A4, rdlen=40)], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 1, b"", rdlen=0),
                                    rr("e.test", 28, b"")], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 16, b"\x09abc")], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 16, b"\x03abc\x09x",
                                       rdlen=6)], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 256, b"", rdlen=0)], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 256, b"\x00\x01",
                                       rdlen=2), b"XYZ"], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 38, bytes([8]) +
                                       bytes(4))], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 6, name("m.test") +
                                       name("r.test") + bytes(8))], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 15, b"\x00")], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 33, b"\x00\x01\x00")], q)))
    p.add(udp4(53, 40000, response([rr("d.test", 250, name("k") + bytes(8))],
                                   q)))
    p.add(udp4(53, 40000, response([rr("d.test", 104, b"abc",
                                       rdlen=3)], q)))
    # a UDP length past the IP datagram's end (the message is printed
    # anyway, as far as the datagram goes), and one shorter than it
    full = udp4(53, 40000, response([rr("d.test", 1, A4)], q))
    for ulen in (len(full) - 34 + 40, len(full) - 34 - 6, 8 + 12):
        frame = bytearray(full)
        frame[38:40] = struct.pack("!H", ulen)
        p.add(bytes(frame))
    p.add(full[:-2])


def truncations(path, pick):
    """pick: one packet, cut after every byte of its DNS message."""
    p = Pcap(path)
    for cap in range(14 + 20 + 8, len(pick) + 1):
        p.add(pick, cap)
    p.close()


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "."
    p = Pcap(d + "/dns-synth.pcap")
    record_types(p)
    edns(p)
    mdns(p)
    codes(p)
    names(p)
    damaged(p)
    p.close()
    q = question("cut.test")
    rich = response([rr(b"\x03www\xc0\x0c", 5, b"\x04host\xc0\x0c"),
                     rr(b"\xc0\x22", 1, A4, ttl=60),
                     rr("cut.test", 6, b"\x02ns\xc0\x0c\x02hm\xc0\x0c" +
                        struct.pack("!5I", 1, 2, 3, 4, 5)),
                     rr("cut.test", 16, b"\x03abc\x02de"),
                     rr("cut.test", 33, struct.pack("!HHH", 1, 2, 3) +
                        b"\x01s\xc0\x0c"),
                     opt(eopt(10, bytes(8)) + eopt(8, struct.pack(
                         "!HBB", 1, 16, 0) + b"\x0a\x01"), 1232)],
                    q, counts=(5, 0, 1), flags=0x8180)
    truncations(d + "/dns-trunc.pcap", udp4(53, 40000, rich))
    query = header(ar=1) + question(b"\x04bits\x41\x0c\xab\xcd\x00", 28) + \
        opt(eopt(10, bytes(8)), 4096, 0x8000)
    truncations(d + "/dns-trunc-q.pcap",
                tcp4(40001, 53, struct.pack("!H", len(query)) + query))


if __name__ == "__main__":
    main()
