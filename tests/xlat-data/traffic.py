#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Loopback traffic for the captures in this directory: TCP (an HTTP-like
exchange), UDP to a listener and to a closed port (ICMP unreachable), and
ICMP / ICMPv6 echo, over 127.0.0.1 and ::1 only.  Payloads stay small so
that every packet fits BPF_PROG_TEST_RUN's linear buffer (~3.5 KiB)."""
import socket
import struct
import threading
import time

TCP_PORT, UDP_PORT, CLOSED_PORT = 47001, 47002, 47003


def serve_tcp(family, addr, ready):
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, TCP_PORT))
    srv.listen(4)
    ready.set()
    for _ in range(2):
        conn, _ = srv.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(2048)
            if not chunk:
                break
            data += chunk
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello")
        time.sleep(0.05)
        conn.close()
    srv.close()


def tcp_client(family, addr, request):
    c = socket.socket(family, socket.SOCK_STREAM)
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    c.connect((addr, TCP_PORT))
    c.sendall(request)
    while c.recv(2048):
        pass
    c.close()


def udp_exchange(family, addr):
    srv = socket.socket(family, socket.SOCK_DGRAM)
    srv.bind((addr, UDP_PORT))
    c = socket.socket(family, socket.SOCK_DGRAM)
    for size in (8, 100, 1200):
        c.sendto(b"u" * size, (addr, UDP_PORT))
        srv.recvfrom(4096)
    c.sendto(b"closed", (addr, CLOSED_PORT))  # answered by ICMP unreachable
    time.sleep(0.05)
    c.close()
    srv.close()


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ping(family, addr):
    if family == socket.AF_INET:
        s = socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_ICMP)
        hdr = struct.pack("!BBHHH", 8, 0, 0, 0x4711, 1) + b"ping" * 8
        hdr = hdr[:2] + struct.pack("!H", checksum(hdr)) + hdr[4:]
    else:  # the kernel fills in ICMPv6 checksums on raw sockets
        s = socket.socket(family, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        hdr = struct.pack("!BBHHH", 128, 0, 0, 0x4711, 1) + b"ping" * 8
    s.sendto(hdr, (addr, 0))
    time.sleep(0.05)
    s.close()


def main():
    for family, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
        ready = threading.Event()
        t = threading.Thread(target=serve_tcp, args=(family, addr, ready))
        t.start()
        ready.wait()
        tcp_client(family, addr, b"GET / HTTP/1.0\r\nHost: x\r\n\r\n")
        tcp_client(family, addr, b"POST / HTTP/1.0\r\n\r\n" + b"p" * 1000 + b"\r\n\r\n")
        t.join()
        udp_exchange(family, addr)
        ping(family, addr)


if __name__ == "__main__":
    main()
