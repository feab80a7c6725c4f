#!/usr/bin/env python3
"""Generate loopback traffic for the golden captures.

Run inside a private network namespace (see make-captures.sh) so that
nothing else shares the loopback device while tcpdump records it.
"""
import socket
import struct
import threading
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pause():
    time.sleep(0.05)


def tcp_exchange(family, addr, port, cport):
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(1)

    def serve():
        conn, _ = srv.accept()
        req = conn.recv(1000)
        if req:
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n"
                         b"Connection: close\r\n\r\nhello\n")
        conn.close()

    t = threading.Thread(target=serve)
    t.start()
    cli = socket.socket(family, socket.SOCK_STREAM)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cli.bind((addr, cport))
    cli.connect((addr, port))
    pause()
    cli.sendall(b"GET /index.html HTTP/1.1\r\nHost: localhost\r\n"
                b"User-Agent: golden/1.0\r\nAccept: */*\r\n\r\n")
    data = b""
    while True:
        d = cli.recv(1000)
        if not d:
            break
        data += d
    cli.close()
    t.join()
    srv.close()
    pause()


def tcp_refused(family, addr, port, cport):
    cli = socket.socket(family, socket.SOCK_STREAM)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cli.bind((addr, cport))
    try:
        cli.connect((addr, port))
    except OSError:
        pass
    cli.close()
    pause()


def udp_exchange(family, addr, sport, dport, closed_port):
    srv = socket.socket(family, socket.SOCK_DGRAM)
    srv.bind((addr, dport))
    cli = socket.socket(family, socket.SOCK_DGRAM)
    cli.bind((addr, sport))
    cli.sendto(b"ping-udp", (addr, dport))
    data, peer = srv.recvfrom(100)
    srv.sendto(b"pong!", peer)
    cli.recvfrom(100)
    pause()
    # Nobody listens there: the kernel answers port unreachable.
    cli.sendto(b"nobody home", (addr, closed_port))
    pause()
    cli.close()
    srv.close()


def icmp_echo():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    for seq in (1, 2):
        payload = bytes(range(16)) + b"golden-ping"
        hdr = struct.pack("!BBHHH", 8, 0, 0, 0x1234, seq)
        ck = checksum(hdr + payload)
        hdr = struct.pack("!BBHHH", 8, 0, ck, 0x1234, seq)
        s.sendto(hdr + payload, ("127.0.0.1", 0))
        s.recvfrom(200)
        s.recvfrom(200)
        pause()
    # An ICMP type the printer only knows generically (timestamp request).
    body = struct.pack("!III", 0, 0, 0)
    hdr = struct.pack("!BBHHH", 13, 0, 0, 0x77, 1)
    ck = checksum(hdr + body)
    hdr = struct.pack("!BBHHH", 13, 0, ck, 0x77, 1)
    s.sendto(hdr + body, ("127.0.0.1", 0))
    pause()
    s.close()


def icmp6_echo():
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    for seq in (1, 2):
        payload = b"golden-ping6"
        pkt = struct.pack("!BBHHH", 128, 0, 0, 0x4321, seq) + payload
        s.sendto(pkt, ("::1", 0))  # the kernel fills the checksum
        pause()
    s.close()


def ip_fragments():
    """One UDP datagram sent as two IPv4 fragments."""
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    payload = b"F" * 40
    src = dst = socket.inet_aton("127.0.0.1")
    udp_len = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", 4711, 4713, udp_len, 0)
    ck = checksum(pseudo + udp + payload)
    dgram = struct.pack("!HHHH", 4711, 4713, udp_len, ck) + payload
    first, rest = dgram[:24], dgram[24:]
    for off, more, chunk in ((0, 1, first), (3, 0, rest)):
        flags_off = (more << 13) | off
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(chunk), 0xbeef,
                         flags_off, 64, 17, 0, src, dst)
        s.sendto(ip + chunk, ("127.0.0.1", 0))
    pause()
    # An IP protocol nobody dissects.
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0x10, 20 + 6, 0x0102, 0x4000,
                     32, 253, 0, src, dst)
    s.sendto(ip + b"abcdef", ("127.0.0.1", 0))
    pause()
    s.close()


def bulk():
    """A transfer large enough for segmentation offload super-packets."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 8080))
    srv.listen(1)

    def serve():
        conn, _ = srv.accept()
        conn.recv(1000)
        body = bytes(i % 251 for i in range(70000))
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n"
                     % len(body) + body)
        conn.close()

    t = threading.Thread(target=serve)
    t.start()
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.bind(("127.0.0.1", 40010))
    cli.connect(("127.0.0.1", 8080))
    cli.sendall(b"GET /big HTTP/1.1\r\nHost: localhost:8080\r\n\r\n")
    while cli.recv(65536):
        pass
    cli.close()
    t.join()
    srv.close()


def main():
    import sys
    time.sleep(0.5)
    if sys.argv[1:] == ["bulk"]:
        bulk()
        time.sleep(0.5)
        return
    tcp_exchange(socket.AF_INET, "127.0.0.1", 80, 40001)
    tcp_exchange(socket.AF_INET, "127.0.0.1", 4080, 40002)
    tcp_refused(socket.AF_INET, "127.0.0.1", 4444, 40003)
    udp_exchange(socket.AF_INET, "127.0.0.1", 40004, 4712, 4714)
    icmp_echo()
    ip_fragments()
    tcp_exchange(socket.AF_INET6, "::1", 80, 40005)
    udp_exchange(socket.AF_INET6, "::1", 40006, 4712, 4714)
    icmp6_echo()
    time.sleep(0.5)


if __name__ == "__main__":
    main()
