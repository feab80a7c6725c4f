#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Make a small, repeatable mix of loopback traffic for the sample captures.

Everything goes to 127.0.0.1 and ::1 only:
  - TCP: a short HTTP/1.1-like exchange (request, response with a body,
    orderly close) over IPv4 and IPv6, port 18080;
  - UDP: a few datagrams echoed back by a local receiver, port 19999;
  - ICMP / ICMPv6 echo requests on raw sockets (needs root); the kernel
    answers them itself.

Usage: gen-traffic.py [--rounds N] [--body BYTES]
"""
import argparse
import os
import socket
import struct
import threading
import time

TCP_PORT = 18080
UDP_PORT = 19999


def http_server(sock, body):
    for _ in range(2):
        conn, _peer = sock.accept()
        with conn:
            req = b""
            while b"\r\n\r\n" not in req:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                req += chunk
            head = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body))
            conn.sendall(head.encode() + body)


def http_exchange(family, addr, body):
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, TCP_PORT))
    srv.listen(4)
    t = threading.Thread(target=http_server, args=(srv, body))
    t.start()
    for path in ("/", "/status"):
        c = socket.create_connection((addr, TCP_PORT))
        c.sendall(("GET %s HTTP/1.1\r\nHost: localhost\r\n"
                   "User-Agent: ptcpdump-samples\r\n\r\n" % path).encode())
        while c.recv(65536):
            pass
        c.close()
    t.join()
    srv.close()


def udp_echo(family, addr, count):
    rx = socket.socket(family, socket.SOCK_DGRAM)
    rx.bind((addr, UDP_PORT))
    tx = socket.socket(family, socket.SOCK_DGRAM)
    tx.settimeout(2)
    for i in range(count):
        tx.sendto(b"ping %d" % i, (addr, UDP_PORT))
        data, peer = rx.recvfrom(2048)
        rx.sendto(b"pong " + data[5:], peer)
        tx.recvfrom(2048)
    rx.close()
    tx.close()


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def icmp_echo(count):
    ident = os.getpid() & 0xffff
    s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    for seq in range(1, count + 1):
        payload = b"ptcpdump-sample-%02d" % seq
        hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        pkt = struct.pack("!BBHHH", 8, 0, checksum(hdr + payload), ident, seq)
        s4.sendto(pkt + payload, ("127.0.0.1", 0))
        # The kernel fills the ICMPv6 checksum of raw sockets.
        s6.sendto(struct.pack("!BBHHH", 128, 0, 0, ident, seq) + payload,
                  ("::1", 0))
        time.sleep(0.01)
    s4.close()
    s6.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--body", type=int, default=1200)
    args = ap.parse_args()
    body = (b"0123456789abcdef" * (args.body // 16 + 1))[:args.body]
    for _ in range(args.rounds):
        http_exchange(socket.AF_INET, "127.0.0.1", body)
        http_exchange(socket.AF_INET6, "::1", body)
        udp_echo(socket.AF_INET, "127.0.0.1", 3)
        udp_echo(socket.AF_INET6, "::1", 3)
        icmp_echo(3)


if __name__ == "__main__":
    main()
