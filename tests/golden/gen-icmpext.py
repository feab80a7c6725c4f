#!/usr/bin/env python3
"""Craft ICMP errors with RFC 4884 extension structures: MPLS label stack
objects (RFC 4950), interface identification and unknown objects, a bad
checksum, version 1, an extension recognised only by its checksum, and
every snap length of one of them.

Usage: gen-icmpext.py [dir]
"""
import importlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
syn = importlib.import_module("gen-synthetic")

QUOTED = syn.ipv4(17, syn.udp(53000, 33434, b"probe" * 4)).ljust(128, b"\0")


def obj(cls, ctype, data):
    return struct.pack("!HBB", 4 + len(data), cls, ctype) + data


def ext(objs, version=2, bad=False):
    body = b"".join(objs)
    ck = syn.csum(struct.pack("!BBH", version << 4, 0, 0) + body)
    return struct.pack("!BBH", version << 4, 0, ck ^ (0x1111 if bad else 0)) \
        + body


def label(value, tc, bottom, ttl):
    return struct.pack("!I", value << 12 | tc << 9 | bottom << 8 | ttl)


def frame(icmp_type, code, extension, words=32):
    rest = struct.pack("!BBH", 20 if icmp_type == 12 else 0, words, 0)
    return syn.eth(syn.MAC_B, syn.MAC_A, 0x0800, syn.ipv4(1, syn.icmp(
        icmp_type, code, rest, QUOTED + extension)))


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    mpls = obj(1, 1, label(16005, 3, 1, 254))
    frames = [
        frame(11, 0, ext([mpls])),
        frame(3, 3, ext([obj(1, 1, label(100, 0, 0, 64) +
                             label(200, 0, 1, 1))])),
        frame(11, 0, ext([mpls], bad=True)),
        frame(11, 0, ext([obj(2, 1, b"\x01\x02\x03\x04")])),
        frame(11, 0, ext([mpls]), words=0),
        frame(11, 0, ext([mpls], bad=True), words=0),
        frame(11, 0, ext([mpls], version=1)),
        frame(12, 0, ext([mpls])),
        frame(11, 0, ext([obj(1, 2, b"abcd")])),
        frame(11, 0, ext([obj(1, 1, b"")])),
        frame(11, 0, ext([mpls, obj(9, 9, b"xy\x00\x00"), obj(0, 1, b"")])),
        frame(11, 0, ext([obj(3, 1, b"\x00" * 20)[:4] + b"\x00" * 4])),
    ]
    p = syn.Pcap(d + "/icmpext.pcap", 1)
    for f in frames:
        p.add(f)
    p.close()
    p = syn.Pcap(d + "/trunc-icmpext.pcap", 1)
    f = frame(11, 0, ext([obj(2, 1, b"\x01\x02\x03\x04"), mpls]))
    for cut in range(160, len(f)):
        p.add(f, caplen=cut, ts=(syn.T0, cut))
    p.close()


if __name__ == "__main__":
    main()
