#!/usr/bin/env python3
"""Traffic for make-overlay-captures.sh: overlays and UDP applications.

    gen-overlay.py geneve-endpoint LOCAL REMOTE TAP ADDR/PREFIX MAC
        A user-space Geneve endpoint (RFC 8926): frames from a TAP device
        go to REMOTE:6081 behind a Geneve header with one option, and
        datagrams arriving on LOCAL:6081 go back to the TAP device.  The
        kernel here has no Geneve driver; this endpoint stands in for it.
        Prints "ready" once the device is up; exits when stdin closes or
        after 30 s.
    gen-overlay.py tcp-serve ADDR PORT / tcp-connect ADDR PORT
        One short TCP exchange over a tunnel.
    gen-overlay.py dhcp-ntp
        DHCP and NTP exchanges between sockets on 127.0.0.1.
"""
import fcntl
import os
import select
import socket
import struct
import subprocess
import sys
import time

TUNSETIFF = 0x400454ca
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
GENEVE_PORT = 6081
VNI = 77


def geneve_endpoint(local, remote, tap, addr, mac):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", tap.encode(),
                                           IFF_TAP | IFF_NO_PI))
    subprocess.check_call(["ip", "link", "set", tap, "address", mac])
    subprocess.check_call(["ip", "addr", "add", addr, "dev", tap])
    subprocess.check_call(["ip", "link", "set", tap, "mtu", "1400", "up"])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((local, GENEVE_PORT))
    # One option of class OVN (0x0102), type 0x80 (critical), 4 bytes.
    option = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\x00\x00\x00\x2a"
    header = struct.pack("!BBHI", len(option) // 4, 0, 0x6558,
                         VNI << 8) + option
    print("ready", flush=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd, sock, sys.stdin], [], [], 0.5)
        if sys.stdin in r and not sys.stdin.readline():
            break
        if fd in r:
            sock.sendto(header + os.read(fd, 2048), (remote, GENEVE_PORT))
        if sock in r:
            data, _ = sock.recvfrom(2048)
            optlen = (data[0] & 0x3f) * 4
            os.write(fd, data[8 + optlen:])


def tcp_serve(addr, port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, int(port)))
    srv.listen(1)
    srv.settimeout(20)
    print("ready", flush=True)
    conn, _ = srv.accept()
    conn.settimeout(20)
    data = conn.recv(1000)
    conn.sendall(b"echo: " + data)
    conn.close()
    srv.close()


def tcp_connect(addr, port):
    cli = socket.create_connection((addr, int(port)), timeout=20)
    cli.sendall(b"hello over the tunnel\n")
    while cli.recv(1000):
        pass
    cli.close()


def bootp(op, xid, mac, options, yiaddr=b"\0" * 4, siaddr=b"\0" * 4,
          flags=0):
    return struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, 1, 6, 0, xid, 0,
                       flags, b"\0" * 4, yiaddr, siaddr, b"\0" * 4,
                       mac.ljust(16, b"\0"), b"", b"") + \
        b"\x63\x82\x53\x63" + options + b"\xff"


def opt(tag, value):
    return bytes([tag, len(value)]) + value


def dhcp_exchange():
    """DISCOVER, OFFER, REQUEST, ACK between a client and a server."""
    mac = bytes.fromhex("020000a1b2c3")
    server_ip = socket.inet_aton("127.0.0.1")
    lease = socket.inet_aton("127.0.0.50")
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 67))
    cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    cli.bind(("127.0.0.1", 68))
    params = opt(55, bytes([1, 3, 6, 15, 12, 42, 121]))
    cid = opt(61, b"\x01" + mac)
    host = opt(12, b"golden-client")
    for xid in (0x5a1e0001,):
        cli.sendto(bootp(1, xid, mac, opt(53, b"\x01") + cid + host +
                         opt(57, struct.pack("!H", 1500)) + params),
                   ("127.0.0.1", 67))
        srv.recvfrom(2048)
        common = opt(54, server_ip) + opt(51, struct.pack("!I", 3600)) + \
            opt(58, struct.pack("!I", 1800)) + \
            opt(59, struct.pack("!I", 3150)) + \
            opt(1, socket.inet_aton("255.0.0.0")) + \
            opt(3, server_ip) + \
            opt(6, server_ip + socket.inet_aton("127.0.0.53")) + \
            opt(15, b"golden.test") + \
            opt(121, bytes([24, 10, 9, 8]) + server_ip)
        srv.sendto(bootp(2, xid, mac, opt(53, b"\x02") + common,
                         yiaddr=lease, siaddr=server_ip),
                   ("127.0.0.1", 68))
        cli.recvfrom(2048)
        cli.sendto(bootp(1, xid, mac, opt(53, b"\x03") + cid +
                         opt(50, lease) + opt(54, server_ip) + host +
                         params), ("127.0.0.1", 67))
        srv.recvfrom(2048)
        srv.sendto(bootp(2, xid, mac, opt(53, b"\x05") + common,
                         yiaddr=lease, siaddr=server_ip),
                   ("127.0.0.1", 68))
        cli.recvfrom(2048)
    cli.close()
    srv.close()


NTP_EPOCH = 2208988800


def ntp_now():
    t = time.time() + NTP_EPOCH
    return int(t), int((t % 1) * 2 ** 32)


def ntp_exchange():
    """A client query and the server's answer, then a control query."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.bind(("127.0.0.1", 123))
    cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    cli.bind(("127.0.0.1", 40123))
    for _ in range(2):
        xmt = ntp_now()
        query = struct.pack("!BBbbII4s24xII", (4 << 3) | 3, 0, 6, -20,
                            0, 0, b"\0" * 4, xmt[0], xmt[1])
        cli.sendto(query, ("127.0.0.1", 123))
        data, peer = srv.recvfrom(100)
        rec = ntp_now()
        org = struct.unpack("!II", data[40:48])
        answer = struct.pack("!BBbbII4sIIIIIIII", (4 << 3) | 4, 2, 6, -24,
                             0x00000a3c, 0x00001b22,
                             socket.inet_aton("127.0.0.1"), rec[0] - 300,
                             0x40000000, org[0], org[1], rec[0], rec[1],
                             *ntp_now())
        srv.sendto(answer, peer)
        cli.recvfrom(100)
    # ntpq's "readstat": a control request and a response with data.
    cli.sendto(struct.pack("!BBHHHHH", (2 << 3) | 6, 1, 1, 0, 0, 0, 0),
               ("127.0.0.1", 123))
    data, peer = srv.recvfrom(100)
    body = struct.pack("!HH", 0x1234, 0x9614)
    srv.sendto(struct.pack("!BBHHHHH", (2 << 3) | 6, 0x81, 1, 0x0618, 0, 0,
                           len(body)) + body, peer)
    cli.recvfrom(100)
    cli.close()
    srv.close()


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "geneve-endpoint":
        geneve_endpoint(*args)
    elif cmd == "tcp-serve":
        tcp_serve(*args)
    elif cmd == "tcp-connect":
        tcp_connect(*args)
    elif cmd == "dhcp-ntp":
        dhcp_exchange()
        ntp_exchange()
    else:
        sys.exit("gen-overlay.py: unknown command " + cmd)


if __name__ == "__main__":
    main()
