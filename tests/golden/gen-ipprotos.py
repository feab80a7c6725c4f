#!/usr/bin/env python3
"""Craft the GRE, ESP, IGMP and MLD captures this kernel cannot send
(it has no GRE or ESP) or that no well-behaved stack sends (malformed and
unusual messages).  GRE and ESP carry the real ping and TCP traffic of
veth-plain.pcap (make-mcast-captures.sh).

Usage: gen-ipprotos.py [dir]  (reads veth-plain.pcap there)
"""
import importlib.util
import os
import struct
import sys

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "gen_synthetic", os.path.join(_here, "gen-synthetic.py"))
syn = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(syn)

MAC_A, MAC_B = syn.MAC_A, syn.MAC_B
TUN4A, TUN4B = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
TUN6A = bytes.fromhex("20010db8000000000000000000000001")
TUN6B = bytes.fromhex("20010db8000000000000000000000002")
H4A, H4B = bytes([10, 99, 0, 1]), bytes([10, 99, 0, 2])
LL6B = bytes.fromhex("fe8000000000000000000000000b0001")
ALLNODES = syn.ALLNODES
RA4 = b"\x94\x04\0\0"
HBH_RA = b"\x3a\x00\x05\x02\x00\x00\x01\x00"


def gre(flags, proto, payload, csum=False, key=None, seq=None,
        routing=b""):
    hdr = struct.pack("!HH", flags, proto)
    opt = b""
    if flags & 0xc000:
        opt += struct.pack("!HH", 0, 0)
    if key is not None:
        opt += struct.pack("!I", key)
    if seq is not None:
        opt += struct.pack("!I", seq)
    msg = hdr + opt + routing + payload
    if csum:
        ck = syn.csum(msg)
        msg = msg[:4] + struct.pack("!H", ck) + msg[6:]
    return msg


def outer4(payload, proto=47, src=TUN4A, dst=TUN4B, ident=0x100):
    return syn.eth(MAC_B, MAC_A, 0x0800,
                   syn.ipv4(proto, payload, src=src, dst=dst, ident=ident,
                            frag=0x4000))


def outer6(payload, nxt=47, src=TUN6A, dst=TUN6B):
    return syn.eth(MAC_B, MAC_A, 0x86dd,
                   syn.ipv6(nxt, payload, src=src, dst=dst))


def gre_capture(plain, path):
    p = syn.Pcap(path, 1)
    ident = 0x100
    # Plain GRE (ip gre, no options), IPv4 inside: the pings.
    for ts, frame, _ in plain[0:4]:
        ident += 1
        p.add(outer4(gre(0, 0x0800, frame[14:]), ident=ident), ts=ts)
    # Keyed and sequenced GRE carrying the TCP exchange.
    for i, (ts, frame, _) in enumerate(plain[8:18]):
        ident += 1
        p.add(outer4(gre(0x3000, 0x0800, frame[14:], key=42, seq=i + 1),
                     ident=ident), ts=ts)
    # ip6gre: IPv6 outside and in.
    for ts, frame, _ in plain[4:8]:
        p.add(outer6(gre(0, 0x86dd, frame[14:])), ts=ts)
    # gretap: whole Ethernet frames, with a key.
    for ts, frame, _ in plain[0:2]:
        ident += 1
        p.add(outer4(gre(0x2000, 0x6558, frame, key=0x1234567),
                     ident=ident), ts=ts)
    ts0 = plain[0][0]
    inner = plain[0][1][14:]
    # Checksum present, then checksum, key and sequence number together.
    p.add(outer4(gre(0x8000, 0x0800, inner, csum=True)), ts=ts0)
    p.add(outer4(gre(0xb000, 0x0800, inner, csum=True, key=7, seq=99)),
          ts=ts0)
    # IPv4 inside IPv6, and a bad GRE checksum.
    p.add(outer6(gre(0x8000, 0x0800, inner)), ts=ts0)
    # Key, IPv6 inside IPv4.
    p.add(outer4(gre(0x2000, 0x86dd, plain[4][1][14:], key=0xffffffff)),
          ts=ts0)
    # A protocol type the printer does not know, and reserved flag bits.
    p.add(outer4(gre(0x0000, 0x1234, b"opaque payload")), ts=ts0)
    p.add(outer4(gre(0x0078, 0x0800, inner)), ts=ts0)
    # Version 1 (PPTP's enhanced GRE): an acknowledgment without payload
    # (PPP payloads are not dissected), and an unknown version.
    p.add(outer4(gre(0x2081, 0x880b, struct.pack("!HHI", 0, 0x10, 3))),
          ts=ts0)
    p.add(outer4(gre(0x0002, 0x0800, inner)), ts=ts0)
    # Source routes (RFC 1701): IPv4 and AS entries, an unknown family,
    # a length no multiple of the entry size, a list without its end.
    sre_ip = struct.pack("!HBB", 0x0800, 4, 8) + bytes(range(1, 9))
    sre_asn = struct.pack("!HBB", 0xfffe, 2, 4) + struct.pack("!HH", 100, 200)
    sre_x = struct.pack("!HBB", 0x1234, 0, 2) + b"\xab\xcd"
    sre_end = bytes(4)
    p.add(outer4(struct.pack("!HHHH", 0x4000, 0x0800, 0, 4) + sre_ip +
                 sre_asn + sre_x + sre_end + inner), ts=ts0)
    p.add(outer4(struct.pack("!HHHH", 0x4000, 0x0800, 0, 4) + sre_ip +
                 sre_asn), ts=ts0)
    p.add(outer4(struct.pack("!HHHH", 0x4000, 0x0800, 0, 4) +
                 struct.pack("!HBB", 0x0800, 0, 3) + b"abc" + sre_end +
                 inner), ts=ts0)
    # Flag bits without fields: strict source route, recursion, ack.
    for fl in (0x0800, 0x0700, 0x0080):
        p.add(outer4(gre(fl, 0x0800, inner)), ts=ts0)
    # Version 1 without key or acknowledgment.
    p.add(outer4(gre(0x0001, 0x880b, struct.pack("!HH", 0, 5))), ts=ts0)
    # gretap with a frame too short for its Ethernet header.
    p.add(outer4(gre(0, 0x6558, b"\x01\x02\x03")), ts=ts0)
    # A GRE header shorter than its flags announce.
    p.add(outer4(struct.pack("!HH", 0xb000, 0x0800) + b"\0\0\0\0\0\0"),
          ts=ts0)
    p.add(outer4(struct.pack("!H", 0)), ts=ts0)
    p.close()


def esp_capture(plain, path):
    p = syn.Pcap(path, 1)
    # ESP in transport mode between the hosts: SPI, sequence number, then
    # what looks like ciphertext (deterministic filler).
    for i, (ts, frame, _) in enumerate(plain[0:4]):
        src, dst = (H4A, H4B) if i % 2 == 0 else (H4B, H4A)
        spi = 0x1001 if i % 2 == 0 else 0xc0ffee02
        body = bytes((i * 37 + j * 11) & 0xff for j in range(88))
        p.add(outer4(struct.pack("!II", spi, i // 2 + 1) + body,
                     proto=50, src=src, dst=dst, ident=0x200 + i), ts=ts)
    for i, (ts, frame, _) in enumerate(plain[4:8]):
        src = bytes.fromhex("fd990000000000000000000000000001")
        dst = bytes.fromhex("fd990000000000000000000000000002")
        if i % 2:
            src, dst = dst, src
        body = bytes((i * 53 + j * 7) & 0xff for j in range(104))
        p.add(outer6(struct.pack("!II", 0x2002, 0x80000000 + i) + body,
                     nxt=50, src=src, dst=dst), ts=ts)
    ts0 = plain[0][0]
    # ESP after a destination options header; a short one.
    p.add(outer6(b"\x32\x00\x01\x04\0\0\0\0" +
                 struct.pack("!II", 7, 8) + bytes(16), nxt=60), ts=ts0)
    p.add(outer4(struct.pack("!I", 0x1001) + b"\0\0", proto=50), ts=ts0)
    p.close()


def igmp(typ, code, rest, body=b"", bad=False):
    msg = struct.pack("!BBH", typ, code, 0) + rest + body
    ck = syn.csum(msg) ^ (0x5555 if bad else 0)
    return msg[:2] + struct.pack("!H", ck) + msg[4:]


def igmp_frame(msg, dst=bytes([224, 0, 0, 1]), src=H4B):
    return syn.eth(MAC_B, MAC_A, 0x0800,
                   syn.ipv4(2, msg, src=src, dst=dst, ttl=1, tos=0xc0,
                            ident=0, options=RA4))


def mld_frame(typ, code, body, dst=ALLNODES, src=LL6B):
    msg = syn.icmp6(typ, code, body, src, dst)
    # icmp6() sums over the message alone; the hop-by-hop header comes
    # in front of it, outside the checksum.
    return syn.eth(MAC_B, MAC_A, 0x86dd,
                   syn.ipv6(0, HBH_RA + msg, src=src, dst=dst, hlim=1))


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def ip6(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed


def mcast_capture(path):
    p = syn.Pcap(path, 1)
    g = ip4("239.1.2.3")
    # IGMPv1 query and report, v2 group-specific query.
    p.add(igmp_frame(igmp(0x11, 0, bytes(4))))
    p.add(igmp_frame(igmp(0x12, 0, g), dst=g, src=H4A))
    p.add(igmp_frame(igmp(0x11, 100, g), dst=g))
    # Bad checksum, under -v.
    p.add(igmp_frame(igmp(0x16, 0, g, bad=True), dst=g, src=H4A))
    # IGMPv3 queries: max response codes in both encodings, QRV 0 and 7.
    p.add(igmp_frame(igmp(0x11, 0xff, g, struct.pack("!BBH", 0x0f, 0xff, 1)
                          + ip4("10.1.2.3"))))
    p.add(igmp_frame(igmp(0x11, 1, bytes(4), struct.pack("!BBH", 0, 0, 0))))
    # IGMP length 9 to 11 with type query: neither v2 nor v3.
    p.add(igmp_frame(igmp(0x11, 10, bytes(4), b"\x02")))
    # v3 query announcing more sources than it carries.
    p.add(igmp_frame(igmp(0x11, 10, g, struct.pack("!BBH", 2, 125, 3)
                          + ip4("10.1.1.1"))))
    # v3 reports: auxiliary data, an unknown record type, no records,
    # a record count beyond the message.
    recs = struct.pack("!BBH4s", 1, 1, 2, g) + ip4("10.0.0.1") + \
        ip4("10.0.0.2") + b"AUX!" + struct.pack("!BBH4s", 9, 0, 0, g)
    p.add(igmp_frame(igmp(0x22, 0, struct.pack("!HH", 0, 2), recs),
                     dst=ip4("224.0.0.22"), src=H4A))
    p.add(igmp_frame(igmp(0x22, 0, struct.pack("!HH", 0, 0)),
                     dst=ip4("224.0.0.22"), src=H4A))
    p.add(igmp_frame(igmp(0x22, 0, struct.pack("!HH", 0, 5),
                          struct.pack("!BBH4s", 2, 0, 0, g)),
                     dst=ip4("224.0.0.22"), src=H4A))
    # Multicast traceroute query and response, and an unknown type.
    mt = ip4("10.99.0.9") + ip4("10.99.0.1") + ip4("10.99.0.2") + \
        struct.pack("!B3s", 32, b"\x01\x02\x03")
    p.add(igmp_frame(igmp(0x1f, 5, g, mt), dst=ip4("10.99.0.2")))
    p.add(igmp_frame(igmp(0x1e, 5, g, mt), dst=ip4("10.99.0.2")))
    p.add(igmp_frame(igmp(0x1f, 5, g, mt[:8] + ip4("224.0.1.32") + mt[12:]),
                     dst=ip4("224.0.1.32")))
    p.add(igmp_frame(igmp(0x1f, 5, g, mt[:8]), dst=ip4("10.99.0.2")))
    p.add(igmp_frame(igmp(0x99, 3, g, b"xyz"), dst=g))
    # Queries at the edges: default response time, a general query with
    # a source, a v2 general query; a report whose length is no multiple
    # of four.
    p.add(igmp_frame(igmp(0x11, 100, g, struct.pack("!BBH", 2, 125, 0))))
    p.add(igmp_frame(igmp(0x11, 100, bytes(4), struct.pack("!BBH", 2, 125, 1)
                          + ip4("10.1.1.1"))))
    p.add(igmp_frame(igmp(0x11, 100, bytes(4))))
    p.add(igmp_frame(igmp(0x22, 0, struct.pack("!HH", 0, 1),
                          struct.pack("!BBH4s", 1, 0, 0, g) + b"zz"),
                     dst=ip4("224.0.0.22"), src=H4A))
    # A v2 message cut at the group address by its length.
    p.add(igmp_frame(igmp(0x16, 0, b"\xef\x01")))
    mg = ip6("ff15::1:2")
    # MLDv1 query for a group, report, done.
    p.add(mld_frame(130, 0, struct.pack("!HH16s", 250, 0, mg)))
    p.add(mld_frame(131, 0, struct.pack("!HH16s", 0, 0, mg), dst=mg))
    p.add(mld_frame(132, 0, struct.pack("!HH16s", 0, 0, mg),
                    dst=ip6("ff02::2")))
    # Query longer than v1, shorter than v2: a malformed query.
    p.add(mld_frame(130, 0, struct.pack("!HH16sH", 250, 0, mg, 0)))
    # MLDv2 query with QRV 0 and a large QQIC, sources fewer than counted.
    p.add(mld_frame(130, 0, struct.pack("!HH16sBBH", 0x8001, 0, mg, 0x08,
                                        0xa3, 2) + ip6("fd99::5")))
    # MLDv2 report: aux data, unknown record type, count beyond the end.
    recs = struct.pack("!BBH16s", 5, 1, 1, mg) + ip6("fd99::1") + \
        b"AUX!" + struct.pack("!BBH16s", 8, 0, 0, mg)
    p.add(mld_frame(143, 0, struct.pack("!HH", 0, 2) + recs,
                    dst=ip6("ff02::16")))
    p.add(mld_frame(143, 0, struct.pack("!HH", 0, 3) +
                    struct.pack("!BBH16s", 4, 0, 0, mg),
                    dst=ip6("ff02::16")))
    p.add(mld_frame(143, 0, struct.pack("!HH", 0, 0), dst=ip6("ff02::16")))
    # An MLDv1 message cut short by its length.
    p.add(mld_frame(131, 0, struct.pack("!HH8s", 0, 0, mg[:8]), dst=mg))
    p.close()


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else _here
    plain = syn.read_pcap(d + "/veth-plain.pcap")
    gre_capture(plain, d + "/gre.pcap")
    esp_capture(plain, d + "/esp.pcap")
    mcast_capture(d + "/mcast-synth.pcap")
    # Every snap length of a few frames: each layer's truncation.
    syn.truncations(d + "/gre.pcap", d + "/trunc-gre.pcap",
                    (18, 21, 28))
    syn.truncations(d + "/esp.pcap", d + "/trunc-esp.pcap", (0, 8))
    syn.truncations(d + "/mcast.pcap", d + "/trunc-mcast.pcap",
                    (0, 1, 4, 10, 20, 21))
    syn.truncations(d + "/mcast-synth.pcap", d + "/trunc-mcast-synth.pcap",
                    (0, 2, 4, 11, 19, 21, 25, 26))


if __name__ == "__main__":
    main()
