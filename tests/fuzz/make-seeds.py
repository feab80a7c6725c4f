#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Seed corpora for the fuzzers, from the sample and golden captures.

    make-seeds.py SRCDIR SAVEFILE_DIR TEXT_DIR

SAVEFILE_DIR gets every capture as is.  TEXT_DIR gets one input per distinct
packet in fuzz-text's layout: a link type selector byte, a flags byte (the
flags cycle through tcpdump's display options), then the packet bytes; and
the reproducers kept in tests/fuzz/crashes/text-*.
"""
import glob
import hashlib
import os
import shutil
import struct
import sys

# LINKTYPE_* as stored in files -> index in fuzz-text.c's table
SELECTOR = {1: 0, 113: 1, 276: 2, 0: 3, 108: 4, 101: 5, 228: 8, 229: 9,
            9: 10, 105: 11, 147: 12}
# -v count | -e | -q | -n | hex mode | -S, as fuzz-text.c decodes them
FLAG_CYCLE = [0x10, 0x11, 0x12, 0x13, 0x14, 0x18, 0x30, 0x50, 0x70, 0x90,
              0x00, 0x01, 0x15, 0x17, 0x35, 0x5f]
MAX_TEXT_SEEDS = 3000
# Longer packets only slow the fuzzer down; their tails add nothing.
MAX_PACKET = 4096


def pcap_packets(data):
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return
    linktype = struct.unpack(e + "I", data[20:24])[0] & 0x0FFFFFFF
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(e + "I", data[off + 8:off + 12])[0]
        pkt = data[off + 16:off + 16 + caplen]
        if len(pkt) < caplen:
            return
        yield linktype, pkt
        off += 16 + caplen


def pcapng_packets(data):
    off, e, links = 0, "<", []
    while off + 12 <= len(data):
        btype = struct.unpack(e + "I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            e = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack(e + "I", data[off + 4:off + 8])[0]
        if blen < 12 or off + blen > len(data):
            return
        body = data[off + 8:off + blen - 4]
        if btype == 1:
            links.append(struct.unpack(e + "H", body[0:2])[0])
        elif btype == 6 and len(body) >= 20:
            ifc, _, _, caplen = struct.unpack(e + "IIII", body[0:16])
            if ifc < len(links):
                yield links[ifc], body[20:20 + caplen]
        elif btype == 3 and links and len(body) >= 4:
            yield links[0], body[4:]
        off += blen


def main():
    srcdir, sf_dir, text_dir = sys.argv[1:4]
    os.makedirs(sf_dir, exist_ok=True)
    os.makedirs(text_dir, exist_ok=True)
    captures = sorted(glob.glob(os.path.join(srcdir, "tests/data/*.pcap*")) +
                      glob.glob(os.path.join(srcdir, "tests/golden/*.pcap")))
    seen, n = set(), 0
    for path in captures:
        shutil.copyfile(path, os.path.join(
            sf_dir, path.replace(srcdir, "").strip("/").replace("/", "_")))
        with open(path, "rb") as f:
            data = f.read()
        walk = pcapng_packets if data[:4] == b"\x0a\x0d\x0d\x0a" \
            else pcap_packets
        for linktype, pkt in walk(data):
            if linktype not in SELECTOR or n >= MAX_TEXT_SEEDS:
                continue
            digest = hashlib.sha1(bytes([SELECTOR[linktype]]) +
                                  pkt).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            pkt = pkt[:MAX_PACKET]
            seed = bytes([SELECTOR[linktype],
                          FLAG_CYCLE[n % len(FLAG_CYCLE)]]) + pkt
            with open(os.path.join(text_dir, digest), "wb") as f:
                f.write(seed)
            n += 1
    # Inputs that once crashed fuzz-text, already in its layout: every run
    # replays them first.
    crashes = sorted(glob.glob(os.path.join(srcdir,
                                            "tests/fuzz/crashes/text-*")))
    for path in crashes:
        shutil.copyfile(path, os.path.join(text_dir,
                                           os.path.basename(path)))
    print("make-seeds.py: %d captures, %d packets, %d reproducers" %
          (len(captures), n, len(crashes)))


if __name__ == "__main__":
    main()
