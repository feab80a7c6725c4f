#!/usr/bin/env python3
"""Craft IEEE 802.3 frames for the golden captures: LLC in its three
control formats, SNAP, RSTP and topology change BPDUs (the real kernel
bridge only sends 802.1D configuration BPDUs, see gen-stp.sh), and LLDP
with the basic TLVs; then every snap length of a few of them.

Usage: gen-l2.py [dir]
"""
import importlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
syn = importlib.import_module("gen-synthetic")

STP_MAC = bytes.fromhex("0180c2000000")
LLDP_MAC = bytes.fromhex("0180c200000e")
BRIDGE = bytes.fromhex("8000020000000b01")
PEER = bytes.fromhex("9000020000000b05")


def e8023(dst, payload, length=None, pad=True):
    f = dst + syn.MAC_A + struct.pack(
        "!H", len(payload) if length is None else length) + payload
    return f + bytes(max(0, 60 - len(f))) if pad else f


def bpdu(version, btype, flags, cost=4):
    b = struct.pack("!HBBB", 0, version, btype, flags) + BRIDGE + \
        struct.pack("!I", cost) + PEER + \
        struct.pack("!HHHHH", 0x8002, 256, 5120, 512, 3840)
    return b + (b"\x00" if version >= 2 else b"")


def llc_frames():
    frames = [
        e8023(STP_MAC, b"\x42\x42\x03" + bpdu(0, 0, 0x81)),
        e8023(STP_MAC, b"\x42\x42\x03" + struct.pack("!HBB", 0, 0, 0x80)),
        e8023(STP_MAC, b"\x42\x42\x03" + bpdu(2, 2, 0x7c, 20000)),
        e8023(STP_MAC, b"\x42\x42\x03" + bpdu(2, 2, 0x0e, 200)),
        e8023(STP_MAC, b"\x42\x42\x03" + bpdu(2, 0, 0x01)),
        e8023(STP_MAC, b"\x42\x42\x03" + bpdu(0, 0, 0)[:20]),
        e8023(STP_MAC, b"\x42\x42\x03" + bpdu(3, 2, 0x3c)),
        e8023(STP_MAC, b"\x42\x42\x03" + struct.pack("!HBB", 1, 0, 0)),
        e8023(STP_MAC, b"\x42\x42\x03" + struct.pack("!HBB", 0, 9, 0)),
        e8023(STP_MAC, b"\x42\x42\x03" + struct.pack("!HBB", 0, 0, 7)),
        e8023(STP_MAC, b"\x42\x42\x03" + bpdu(0, 0, 0x81), length=200),
    ]
    payload = b"\x00\x00\x00\x00payload"
    for dsap, ssap, ctrl in ((0xf0, 0xf0, 0x03), (0x42, 0x43, 0x03),
                             (0x98, 0x99, 0x03), (0x42, 0x42, 0x00),
                             (0x42, 0x42, 0x01), (0x04, 0x05, 0x05),
                             (0x7e, 0x7e, 0x09), (0x42, 0x42, 0xaf),
                             (0x00, 0x00, 0xf3), (0x00, 0x01, 0x63),
                             (0x06, 0xf0, 0x43), (0x99, 0x98, 0x10),
                             (0x42, 0x42, 0x4b)):
        frames.append(e8023(syn.MAC_B, bytes([dsap, ssap, ctrl]) + payload))
    frames += [
        e8023(syn.MAC_B, b"\x00\x00\xaf"),
        e8023(syn.MAC_B, b"\x00\x00\xaf\x81\x01\x02"),
        e8023(syn.MAC_B, b"\x00\x00\xbf\x81\x01"),
        e8023(syn.MAC_B, b"\xaa\xaa\x03\x00\x00\x00\x08\x00" +
              syn.ipv4(17, syn.udp(1, 2, b"snap"))),
        e8023(syn.MAC_B, b"\xaa\xaa\x03\x00\x00\x00\x86\xdd" +
              syn.ipv6(17, syn.udp(1, 2, b"snap6"))),
        e8023(syn.MAC_B, b"\xaa\xaa\x03\x00\x00\x00\x88\xb5" + b"exp"),
        e8023(syn.MAC_B, b"\xaa\xaa\x03\x00\x00"),
        e8023(syn.MAC_B, b"\x06\x06\x03" + syn.ipv4(1, syn.icmp(
            8, 0, struct.pack("!HH", 3, 4), b"llc-ping"))),
        e8023(syn.MAC_B, b"\x42\x42", pad=False),
        e8023(syn.MAC_B, b"\x42\x42\x03", length=2),
        syn.MAC_B + syn.MAC_A + struct.pack("!H", 1501) + b"\x42" * 50,
    ]
    # 802.3 inside VLAN tags.
    stp = b"\x42\x42\x03" + struct.pack("!HBB", 0, 0, 0x80)
    frames.append(syn.eth(syn.MAC_B, syn.MAC_A, 0x8100, struct.pack(
        "!HH", 5, len(stp)) + stp + bytes(30)))
    frames.append(syn.eth(syn.MAC_B, syn.MAC_A, 0x88a8, struct.pack(
        "!HHHH", 7, 0x8100, 5, 10) + b"\xf0\xf0\x03payload"))
    return frames


def tlv(t, v):
    return struct.pack("!H", t << 9 | len(v)) + v


def lldp_frames():
    full = [tlv(1, b"\x04" + syn.MAC_A), tlv(2, b"\x05eth0"),
            tlv(3, struct.pack("!H", 120)), tlv(4, b"uplink port"),
            tlv(5, b"golden-host"),
            tlv(6, b"Debian GNU/Linux 12 (bookworm) Linux 6.1"),
            tlv(7, struct.pack("!HH", 0x0014, 0x0010)),
            tlv(8, b"\x05\x01" + bytes([127, 0, 0, 1]) + b"\x02" +
                struct.pack("!I", 2) + b"\x00"),
            tlv(8, b"\x11\x02" + syn.LO6 + b"\x03" + struct.pack("!I", 7) +
                b"\x03oid"),
            tlv(8, b"\x07\x06" + syn.MAC_B + b"\x01" + struct.pack("!I", 1)),
            tlv(127, b"\x00\x00\x5e\x01https://mud.example/golden"),
            tlv(127, b"\x00\x00\x5e\x07\x00\x00\x00\x00"),
            tlv(127, b"\x0a\x0b\x0c\x01\x02"),
            tlv(9, b"xyz"), tlv(0, b"")]
    frames = [syn.eth(LLDP_MAC, syn.MAC_A, 0x88cc, b"".join(full))]
    for sub, val in ((1, b"chassis-comp"), (2, b"alias"), (3, b"port"),
                     (5, b"\x01\x0a\x00\x00\x01"), (5, b"\x09abc"),
                     (6, b"eth\x01\xff"), (7, b"local\x00junk"),
                     (9, b"\x01\x02")):
        frames.append(syn.eth(LLDP_MAC, syn.MAC_A, 0x88cc, b"".join(
            [tlv(1, bytes([sub]) + val), tlv(2, bytes([sub]) + val),
             tlv(3, b"\x00\x00"), tlv(0, b"")])))
    frames += [
        syn.eth(LLDP_MAC, syn.MAC_A, 0x88cc, b"".join(
            [tlv(7, struct.pack("!HH", 0xffff, 0x0155)),
             tlv(5, b"na\x01me"), tlv(4, b""), tlv(6, b"after-empty")])),
        syn.eth(LLDP_MAC, syn.MAC_A, 0x88cc, b"".join(
            [tlv(2, b"\x03\x01\x02"), tlv(3, b"\x00\x10")])),
        syn.eth(LLDP_MAC, syn.MAC_A, 0x88cc, b"".join(
            [tlv(8, b"\x05\x01\x7f\x00\x00")])),
        syn.eth(LLDP_MAC, syn.MAC_A, 0x88cc, b"".join(
            [tlv(8, b"\x04\x07abc\x02\x00\x00\x00\x01")])),
        syn.eth(LLDP_MAC, syn.MAC_A, 0x88cc, tlv(5, b"longer") + b"\x00"),
        syn.eth(LLDP_MAC, syn.MAC_A, 0x88cc, struct.pack("!H", 5 << 9 | 40)
                + b"short"),
    ]
    return frames


def write(path, frames):
    p = syn.Pcap(path, 1)
    for f in frames:
        p.add(f)
    p.close()


def truncations(path, frames):
    p = syn.Pcap(path, 1)
    for i, f in enumerate(frames):
        for cut in range(12, len(f)):
            p.add(f, caplen=cut, ts=(syn.T0 + i, cut))
    p.close()


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    llc = llc_frames()
    lldp = lldp_frames()
    write(d + "/llc.pcap", llc)
    write(d + "/lldp.pcap", lldp)
    truncations(d + "/trunc-l2.pcap", [llc[0], llc[2], llc[14], llc[27],
                                       lldp[0][:90]])


if __name__ == "__main__":
    main()
