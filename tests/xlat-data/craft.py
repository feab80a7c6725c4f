#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Writes special.pcap: hand-made Ethernet frames that loopback traffic
never shows (VLAN tags, ARP, IPv6 extension headers, IPv4 fragments and
options, link-layer broadcast and multicast, LLC, truncated packets), and
raw.pcap (DLT_RAW): the untagged IPv4 and IPv6 packets of lo.pcap and
special.pcap without their Ethernet header, as a cgroup-skb program sees
them, and special-sll2.pcap: the IP and ARP ones of special.pcap as `-i any`
would show them, in all directions and on several interfaces.  Addresses are loopback or documentation ones; nothing is sent."""
import socket
import struct

LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL2 = 1, 101, 276
ZERO_MAC, BCAST = b"\0" * 6, b"\xff" * 6
MAC_A, MAC_B = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s >> 16) + (s & 0xFFFF)
    return ~s & 0xFFFF


def a4(s):
    return socket.inet_pton(socket.AF_INET, s)


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def eth(dst, src, etype, payload):
    return dst + src + struct.pack("!H", etype) + payload


def vlan(tci, etype, payload):
    return struct.pack("!HH", tci, etype) + payload


def ipv4(src, dst, proto, payload, ttl=64, tos=0, ident=1, frag=0x4000,
         options=b"", total=None):
    ihl = 5 + len(options) // 4
    length = total if total is not None else ihl * 4 + len(payload)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, tos, length, ident, frag,
                      ttl, proto, 0, a4(src), a4(dst)) + options
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6(src, dst, nh, payload, hlim=64):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hlim,
                       a6(src), a6(dst)) + payload


def tcp(sport, dport, flags, payload=b"", seq=1000):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags,
                       65535, 0, 0) + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def ext6(nh, body6):
    """An IPv6 extension header (hop-by-hop, routing, destination)."""
    return struct.pack("!BB", nh, (len(body6) + 2) // 8 - 1) + body6


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha, a4(spa),
                       tha, a4(tpa))


SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10
GET = b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
PAD6 = b"\x01\x04\0\0\0\0"  # a PadN option filling an 8-byte header


def special():
    L, D = "127.0.0.1", "192.0.2.1"
    out = []
    # ARP: a broadcast request and a unicast reply
    out.append(eth(BCAST, MAC_A, 0x0806, arp(1, MAC_A, L, ZERO_MAC, D)))
    out.append(eth(MAC_A, MAC_B, 0x0806, arp(2, MAC_B, D, MAC_A, L)))
    # 802.1Q: VLAN 10 over IPv4/UDP, VLAN 20 (priority 5) over IPv6/TCP,
    # and 802.1ad QinQ 10 / 20 over IPv4/TCP
    out.append(eth(MAC_A, MAC_B, 0x8100, vlan(10, 0x0800,
               ipv4(L, L, 17, udp(47002, 53, b"vlan")))))
    out.append(eth(MAC_A, MAC_B, 0x8100, vlan(0xA014, 0x86DD,
               ipv6("::1", "::1", 6, tcp(47001, 443, SYN)))))
    out.append(eth(MAC_A, MAC_B, 0x88A8, vlan(10, 0x8100, vlan(20, 0x0800,
               ipv4(L, L, 6, tcp(47001, 80, ACK | PSH, GET))))))
    # IPv6 extension headers: hop-by-hop + destination options before TCP,
    # a fragment header before UDP, a routing header, AH before TCP
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x86DD, ipv6("::1", "::1", 0,
               ext6(60, PAD6) + ext6(6, PAD6) + tcp(47004, 443, SYN))))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x86DD, ipv6("::1", "::1", 44,
               struct.pack("!BBHI", 17, 0, 0x0001, 0x1234) +
               udp(47002, 47005, b"frag6"))))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x86DD, ipv6("::1", "::1", 43,
               struct.pack("!BBBB", 17, 2, 0, 0) + b"\0" * 4 + a6("::1") +
               udp(47002, 47006, b"rt"))))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x86DD, ipv6("::1", "::1", 51,
               struct.pack("!BBHII", 6, 4, 0, 0x100, 1) + b"\0" * 12 +
               tcp(47007, 80, ACK | PSH, GET))))
    # ICMPv6 neighbour solicitation (to a solicited-node multicast MAC)
    # and echo request
    out.append(eth(bytes.fromhex("3333ff000001"), MAC_A, 0x86DD,
               ipv6("fe80::1", "ff02::1:ff00:1", 58,
                    struct.pack("!BBHI16s", 135, 0, 0, 0, a6("fe80::1")),
                    hlim=255)))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x86DD, ipv6("::1", "::1", 58,
               struct.pack("!BBHHH", 128, 0, 0, 7, 1) + b"echo")))
    # IPv4 fragments: first (MF), middle, last
    data = udp(47002, 47008, b"f" * 64)
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 17, data[:40], ident=77, frag=0x2000)))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 17, data[40:56], ident=77, frag=0x2000 | 5)))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 17, data[56:], ident=77, frag=7)))
    # IPv4 with options (IHL 6) carrying an HTTP GET, and a plain one
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800, ipv4(L, L, 6,
               tcp(47009, 80, ACK | PSH, GET), options=b"\x01\x01\x01\0")))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 6, tcp(47009, 80, ACK | PSH, GET))))
    # TCP flags: SYN-ACK (tcp[13] = 18), FIN, RST to another host's MAC
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 6, tcp(80, 47009, SYN | ACK))))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 6, tcp(47009, 80, FIN | ACK))))
    out.append(eth(MAC_B, MAC_A, 0x0800, ipv4(L, D, 6, tcp(47009, 80, RST))))
    # TTLs and TOS that make `ip[8] >> 1` a shift count above 31
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 17, udp(47002, 47002, b"ttl"), ttl=200, tos=0xB8)))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 1, struct.pack("!BBHHH", 8, 0, 0, 1, 1), ttl=1)))
    # IP multicast (mDNS) and Ethernet broadcast of IPv4
    out.append(eth(bytes.fromhex("01005e0000fb"), MAC_A, 0x0800,
               ipv4("192.0.2.7", "224.0.0.251", 17, udp(5353, 5353, b"m"))))
    out.append(eth(BCAST, MAC_A, 0x0800,
               ipv4("192.0.2.7", "255.255.255.255", 17,
                    udp(68, 67, b"d" * 40))))
    # a large datagram
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 17, udp(47002, 47010, b"L" * 1400))))
    # 802.3 with an LLC header (STP), MPLS label 5, PPPoE session 3
    out.append(eth(bytes.fromhex("0180c2000000"), MAC_A, 0x0026,
               b"\x42\x42\x03" + b"\0" * 35))
    out.append(eth(MAC_A, MAC_B, 0x8847, struct.pack("!I", (5 << 12) | 0x1FF)
               + ipv4(L, L, 17, udp(47002, 47002, b"mpls"))))
    ppp = b"\x00\x21" + ipv4(L, L, 17, udp(47002, 47002, b"ppp"))
    out.append(eth(MAC_A, MAC_B, 0x8864,
               struct.pack("!BBHH", 0x11, 0, 3, len(ppp)) + ppp))
    # truncated: IPv4 and IPv6 headers announcing TCP that the bytes do not
    # hold (test_run refuses shorter IP headers), ARP with one byte
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x0800,
               ipv4(L, L, 6, tcp(47009, 80, SYN), total=40)[:30]))
    out.append(eth(ZERO_MAC, ZERO_MAC, 0x86DD,
               ipv6("::1", "::1", 6, tcp(47001, 443, SYN))[:46]))
    out.append(eth(BCAST, MAC_A, 0x0806, b"\x00"))
    return out


def sll2(frame, pkttype, ifindex):
    """frame's payload behind a Linux cooked v2 header, as `-i any` shows
    it; pkttype 4 is PACKET_OUTGOING, which lo never reports."""
    return struct.pack("!HHIHBB8s", struct.unpack("!H", frame[12:14])[0],
                       0, ifindex, 1, pkttype, 6, frame[6:12] + b"\0\0") \
        + frame[14:]


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack("<I", data[:4])
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype, = struct.unpack(endian + "I", data[20:24])
    pkts, off = [], 24
    while off + 16 <= len(data):
        sec, frac, caplen, length = struct.unpack(endian + "IIII",
                                                  data[off:off + 16])
        pkts.append((sec, frac, data[off + 16:off + 16 + caplen], length))
        off += 16 + caplen
    return linktype, pkts


def write_pcap(path, linktype, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144,
                            linktype))
        for n, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000, n, len(frame),
                                len(frame)) + frame)


def main():
    frames = special()
    write_pcap("special.pcap", LINKTYPE_ETHERNET, frames)
    _, lo = read_pcap("lo.pcap")
    raw = []
    for frame in [p[2] for p in lo] + frames:
        if len(frame) > 14 and frame[12:14] in (b"\x08\x00", b"\x86\xdd"):
            raw.append(frame[14:])
    write_pcap("raw.pcap", LINKTYPE_RAW, raw)
    cooked = []
    for n, frame in enumerate(frames):
        if frame[12:14] in (b"\x08\x00", b"\x86\xdd", b"\x08\x06"):
            cooked.append(sll2(frame, (0, 4, 1, 2, 3)[n % 5], 1 + n % 3))
    write_pcap("special-sll2.pcap", LINKTYPE_LINUX_SLL2, cooked)


if __name__ == "__main__":
    main()
