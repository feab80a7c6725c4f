#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Small rewriting tools for the sample captures (no third-party modules).

  pcaptool.py swap IN OUT
      Rewrite a pcap or pcapng file in the other byte order.  Packet bytes are
      untouched; header fields and the numeric pcapng options we know are
      swapped.  pcapng blocks other than SHB/IDB/EPB/SPB/ISB are dropped.

  pcaptool.py annotate IN.pcap OUT.pcapng
      Turn a Linux cooked (SLL or SLL2) pcap into a little-endian pcapng whose
      Enhanced Packet Blocks carry epb_flags with the direction (from the
      cooked header's packet type), an opt_comment on every fourth packet and
      a custom option (code 2988, the RFC 5612 example enterprise number
      32473) on every third, as a process-aware writer would.
"""
import struct
import sys

SHB, IDB, SPB, ISB, EPB = 0x0A0D0D0A, 1, 3, 5, 6
EXAMPLE_PEN = 32473

# (block type, option code) -> struct format of the value, for swapping.
NUMERIC_OPTS = {
    (IDB, 8): "Q",      # if_speed
    (IDB, 14): "q",     # if_tsoffset
    (EPB, 2): "I",      # epb_flags
    (EPB, 4): "Q",      # epb_dropcount
    (EPB, 5): "Q",      # epb_packetid
    (EPB, 6): "I",      # epb_queue
    (ISB, 2): "II",     # isb_starttime (high, low)
    (ISB, 3): "II",     # isb_endtime
    (ISB, 4): "Q", (ISB, 5): "Q", (ISB, 6): "Q", (ISB, 7): "Q", (ISB, 8): "Q",
}
CUSTOM_OPTS = (2988, 2989, 19372, 19373)


def pad4(n):
    return (n + 3) & ~3


def swap_options(btype, raw, src, dst):
    out = b""
    off = 0
    while off + 4 <= len(raw):
        code, length = struct.unpack_from(src + "HH", raw, off)
        val = raw[off + 4:off + 4 + length]
        fmt = NUMERIC_OPTS.get((btype, code))
        if fmt and struct.calcsize("=" + fmt) == length:
            val = struct.pack(dst + fmt, *struct.unpack(src + fmt, val))
        elif code in CUSTOM_OPTS and length >= 4:
            pen, = struct.unpack_from(src + "I", val)
            val = struct.pack(dst + "I", pen) + val[4:]
        out += struct.pack(dst + "HH", code, length) + val
        out += b"\0" * (pad4(length) - length)
        off += 4 + pad4(length)
        if code == 0:
            break
    return out


def block(dst, btype, body):
    total = 12 + len(body)
    return struct.pack(dst + "II", btype, total) + body + struct.pack(dst + "I", total)


def swap_pcapng(data):
    out = b""
    off = 0
    src = "<"
    while off + 12 <= len(data):
        btype, = struct.unpack_from("<I", data, off)
        if btype == SHB:
            src = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        dst = ">" if src == "<" else "<"
        total, = struct.unpack_from(src + "I", data, off + 4)
        btype, = struct.unpack_from(src + "I", data, off)
        body = data[off + 8:off + total - 4]
        off += total
        if btype == SHB:
            magic, major, minor, seclen = struct.unpack_from(src + "IHHq", body)
            fixed = struct.pack(dst + "IHHq", magic, major, minor, seclen)
            out += block(dst, btype, fixed + swap_options(btype, body[16:], src, dst))
        elif btype == IDB:
            lt, res, snap = struct.unpack_from(src + "HHI", body)
            fixed = struct.pack(dst + "HHI", lt, res, snap)
            out += block(dst, btype, fixed + swap_options(btype, body[8:], src, dst))
        elif btype == EPB:
            ifid, hi, lo, cap, length = struct.unpack_from(src + "5I", body)
            fixed = struct.pack(dst + "5I", ifid, hi, lo, cap, length)
            pkt = body[20:20 + pad4(cap)]
            opts = swap_options(btype, body[20 + pad4(cap):], src, dst)
            out += block(dst, btype, fixed + pkt + opts)
        elif btype == SPB:
            length, = struct.unpack_from(src + "I", body)
            out += block(dst, btype, struct.pack(dst + "I", length) + body[4:])
        elif btype == ISB:
            ifid, hi, lo = struct.unpack_from(src + "3I", body)
            fixed = struct.pack(dst + "3I", ifid, hi, lo)
            out += block(dst, btype, fixed + swap_options(btype, body[12:], src, dst))
    return out


def swap_pcap(data):
    magic = data[:4]
    src = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    dst = ">" if src == "<" else "<"
    hdr = struct.unpack_from(src + "IHHiIII", data)
    out = struct.pack(dst + "IHHiIII", *hdr)
    off = 24
    while off + 16 <= len(data):
        rec = struct.unpack_from(src + "4I", data, off)
        out += struct.pack(dst + "4I", *rec) + data[off + 16:off + 16 + rec[2]]
        off += 16 + rec[2]
    return out


def read_pcap(data):
    src = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    magic, _, _, _, _, snap, lt = struct.unpack_from(src + "IHHiIII", data)
    nano = magic == 0xA1B23C4D
    pkts = []
    off = 24
    while off + 16 <= len(data):
        sec, frac, cap, length = struct.unpack_from(src + "4I", data, off)
        pkts.append((sec, frac, length, data[off + 16:off + 16 + cap]))
        off += 16 + cap
    return lt & 0xFFFF, snap, nano, pkts


def option(code, val):
    return struct.pack("<HH", code, len(val)) + val + b"\0" * (pad4(len(val)) - len(val))


def annotate(data):
    lt, snap, nano, pkts = read_pcap(data)
    if lt == 113:
        type_off = 1        # SLL: packet type is a big-endian u16 at 0
    elif lt == 276:
        type_off = 10       # SLL2: packet type is a u8 at 10
    else:
        sys.exit("annotate: need a LINUX_SLL or LINUX_SLL2 capture")
    shb = struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)
    shb += option(4, b"ptcpdump tests/data/pcaptool.py") + option(0, b"")
    idb = struct.pack("<HHI", lt, 0, snap)
    idb += option(2, b"any") + option(3, b"all interfaces, cooked")
    idb += option(9, bytes([9 if nano else 6])) + option(0, b"")
    out = block("<", SHB, shb) + block("<", IDB, idb)
    for n, (sec, frac, length, pkt) in enumerate(pkts, 1):
        ts = sec * (10**9 if nano else 10**6) + frac
        body = struct.pack("<5I", 0, ts >> 32, ts & 0xFFFFFFFF, len(pkt), length)
        body += pkt + b"\0" * (pad4(len(pkt)) - len(pkt))
        outbound = len(pkt) > type_off and pkt[type_off] == 4
        opts = option(2, struct.pack("<I", 2 if outbound else 1))
        if n % 4 == 1:
            opts += option(1, b"packet %d of the sample" % n)
        if n % 3 == 1:
            opts += option(2988, struct.pack("<I", EXAMPLE_PEN) + b"sample-meta %d" % n)
        out += block("<", EPB, body + opts + option(0, b""))
    return out


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("swap", "annotate"):
        sys.exit(__doc__)
    with open(sys.argv[2], "rb") as f:
        data = f.read()
    if sys.argv[1] == "annotate":
        out = annotate(data)
    elif data[:4] == b"\x0a\x0d\x0d\x0a":
        out = swap_pcapng(data)
    else:
        out = swap_pcap(data)
    with open(sys.argv[3], "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main()
