#!/usr/bin/env python3
"""Craft the TCP options loopback traffic cannot show (the real MPTCP,
Fast Open and MD5 exchanges are in tcpopts-real.pcap, from
gen-traffic-opts.py): TCP-AO, MP_FAIL, DSS with checksums and short
numbers, MPTCP version 0, RFC 6994 experiments, unknown kinds, malformed
lengths, and every snap length of a few of them.

Usage: gen-tcpopts.py [dir]
"""
import importlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
syn = importlib.import_module("gen-synthetic")

SYN, ACK, PSH = 0x02, 0x10, 0x08


def mptcp(subtype, low, body):
    return bytes([30, 3 + len(body), subtype << 4 | low]) + body


def pad(opts):
    while len(opts) % 4:
        opts += b"\x00"
    return opts


def frame(opts, flags=ACK, data=b"", v6=False):
    if v6:
        seg = syn.tcp(1234, 4321, 100, 200, flags, opts=pad(opts), data=data,
                      src=syn.LO6, dst=syn.LO6)
        return syn.eth(syn.MAC_B, syn.MAC_A, 0x86dd, syn.ipv6(6, seg))
    seg = syn.tcp(1234, 4321, 100, 200, flags, opts=pad(opts), data=data)
    return syn.eth(syn.MAC_B, syn.MAC_A, 0x0800, syn.ipv4(6, seg))


KEY = bytes.fromhex("0123456789abcdef")
KEY2 = bytes.fromhex("fedcba9876543210")
MAC20 = bytes(range(0xa0, 0xb4))
A6 = bytes.fromhex("20010db8000000000000000000000042")

OPTIONS = [
    # TCP-AO (RFC 5925): ids only, with a MAC, too short.
    (b"\x1d\x04\x01\x02", ACK),
    (b"\x1d\x10\x07\x09" + bytes(range(12)), ACK),
    (b"\x1d\x03\x01", ACK),
    # MD5 with a wrong length.
    (b"\x13\x14" + bytes(range(18)), ACK),
    (b"\x13\x0a" + bytes(8), ACK),
    # Fast Open cookies of odd, short and long sizes.
    (b"\x22\x05\x01\x02\x03", SYN),
    (b"\x22\x04\x01\x02", SYN),
    (b"\x22\x12" + bytes(16), SYN),
    (b"\x22\x14" + bytes(18), SYN),
    (b"\xfe\x0c\xf9\x89" + bytes(range(8)), SYN),
    (b"\xfe\x07\xf9\x89\x01\x02\x03", SYN),
    (b"\xfe\x06\x12\x34\x56\x78", ACK),
    (b"\xfe\x03\xf9", ACK),
    # Unknown and reserved kinds.
    (b"\xf0\x02", ACK),
    (b"\xf0\x05\x01\x02\x03", ACK),
    (b"\x0e\x03\x01", ACK),
    (b"\x0f\x04\xaa\xbb", ACK),
    (b"\x1b\x08" + bytes(6), ACK),
    (b"\x45\x02\x01\x01", ACK),
    # MPTCP version 0 and with checksums, unknown version.
    (mptcp(0, 0, b"\x81" + KEY), SYN),
    (mptcp(0, 0, b"\x01" + KEY + KEY2), ACK),
    (mptcp(0, 3, b"\x01"), SYN),
    (mptcp(0, 1, b"\x81" + KEY + KEY2 + b"\x00\x40"), ACK | PSH),
    (mptcp(0, 1, b"\x81" + KEY), ACK),
    # MP_JOIN with the backup bit; in the wrong segments.
    (mptcp(1, 1, b"\x03" + bytes.fromhex("11223344aabbccdd")), SYN),
    (mptcp(1, 0, b"\x03" + KEY + b"\x01\x02\x03\x04"), SYN | ACK),
    (mptcp(1, 0, b"\x00" + MAC20), ACK),
    (mptcp(1, 0, b"\x03" + KEY + b"\x01\x02\x03\x04"), SYN),
    (mptcp(1, 0, b"\x00" + MAC20), SYN),
    # DSS: 4-byte numbers, checksum, DATA_FIN alone, malformed.
    (mptcp(2, 0, b"\x05" + struct.pack("!IIIHH", 7, 8, 9, 10, 0xbeef)), ACK),
    (mptcp(2, 0, b"\x0f" + KEY + KEY2 + struct.pack("!IH", 1, 2)), ACK),
    (mptcp(2, 0, b"\x10"), ACK),
    (mptcp(2, 0, b"\x01" + b"\x00\x01"), ACK),
    (mptcp(2, 0, b"\x04" + struct.pack("!II", 7, 8)), ACK),
    (mptcp(2, 0, b"\x01" + struct.pack("!I", 7)), SYN),
    (mptcp(2, 0, b"\x01" + struct.pack("!II", 7, 1)), ACK),
    # ADD_ADDR: v0 families, IPv6 with port and HMAC, a bad echo field.
    (mptcp(3, 4, b"\x02" + bytes([10, 0, 0, 1])), ACK),
    (mptcp(3, 6, b"\x03" + A6 + b"\x1f\x90"), ACK),
    (mptcp(3, 0, b"\x04" + A6 + b"\x1f\x90" + KEY), ACK),
    (mptcp(3, 0, b"\x04" + A6 + KEY), ACK),
    (mptcp(3, 0, b"\x05" + bytes([10, 0, 0, 2]) + b"\x1f\x91" + KEY), ACK),
    (mptcp(3, 9, b"\x02" + bytes([10, 0, 0, 1])), ACK),
    (mptcp(3, 0, b"\x02" + bytes([10, 0, 0])), ACK),
    # REMOVE_ADDR of several, of none; MP_PRIO with and without an id.
    (mptcp(4, 0, b"\x01\x02\x03"), ACK),
    (mptcp(4, 0, b""), ACK),
    (mptcp(5, 0, b"\x07"), ACK),
    (mptcp(5, 1, b""), ACK),
    (mptcp(5, 0, b"\x07\x08"), ACK),
    # MP_FAIL, MP_FASTCLOSE, MP_TCPRST and unassigned subtypes.
    (mptcp(6, 0, b"\x00" + KEY), ACK),
    (mptcp(6, 0, b"\x00" + KEY[:4]), ACK),
    (mptcp(7, 0, b"\x00" + KEY2), ACK),
    (mptcp(8, 5, b"\x04"), ACK | 0x04),
    (mptcp(15, 0, b"\x00\x00\x00"), ACK),
    (b"\x1e\x02", ACK),
]


def tcpopts(path):
    p = syn.Pcap(path, 1)
    for opts, flags in OPTIONS:
        p.add(frame(opts, flags))
    # A signature over data the capture cut, and the same over IPv6.
    md5 = b"\x01\x01\x13\x12" + bytes(range(16))
    f = frame(md5, ACK | PSH, data=b"signed payload")
    p.add(f, caplen=len(f) - 4)
    p.add(frame(md5, ACK | PSH, data=b"signed", v6=True))
    p.close()


def truncations(path):
    picks = [frame(b"\x01\x01\x13\x12" + bytes(range(16)), ACK),
             frame(b"\x1d\x08\x01\x02" + bytes(range(4)), ACK),
             frame(b"\x01\x01\x22\x0a" + bytes(range(8)), SYN),
             frame(b"\x01\x01\xfe\x0c\xf9\x89" + bytes(range(8)), SYN),
             frame(mptcp(0, 1, b"\x81" + KEY + KEY2) +
                   mptcp(2, 0, b"\x01" + struct.pack("!I", 7)), ACK),
             frame(mptcp(3, 0, b"\x05" + bytes([10, 0, 0, 2]) +
                         b"\x1f\x91" + KEY), ACK)]
    p = syn.Pcap(path, 1)
    for i, f in enumerate(picks):
        for cut in range(54, len(f)):
            p.add(f, caplen=cut, ts=(syn.T0 + i, cut))
    p.close()


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    tcpopts(d + "/tcpopts.pcap")
    truncations(d + "/trunc-tcpopts.pcap")


if __name__ == "__main__":
    main()
