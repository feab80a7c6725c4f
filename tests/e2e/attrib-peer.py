#!/usr/bin/env python3
# One end of a TCP or UDP exchange for tests/e2e/attrib.sh, which then asks
# the attribution maps who owns each socket.  Usage:
#
#   attrib-peer.py NAME server|client tcp|udp ADDR PORT OUT [hold]
#
# NAME becomes the process name (comm) before any socket is made.  A server
# binds ADDR:PORT (PORT 0: any), writes "port P", serves one exchange; a
# client exchanges one message with ADDR:PORT.  Each socket of interest
# becomes a line in OUT:
#
#   sock PID COMM COOKIE NETNS_COOKIE 4|6 PROTO LADDR LPORT RADDR RPORT
#
# then "done".  With "hold" the process keeps its sockets open until it is
# killed; otherwise it exits at once.
import ctypes
import os
import signal
import socket
import struct
import sys

SO_COOKIE = 57
SO_NETNS_COOKIE = 71
PR_SET_NAME = 15


def u64opt(s, opt):
    return struct.unpack("=Q", s.getsockopt(socket.SOL_SOCKET, opt, 8))[0]


def main():
    name, role, proto, addr, port, out = sys.argv[1:7]
    hold = len(sys.argv) > 7 and sys.argv[7] == "hold"
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)
    comm = name[:15]
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    f = open(out, "w", buffering=1)

    def report(s, peer=None):
        local = s.getsockname()
        remote = peer if peer is not None else s.getpeername()
        f.write("sock %d %s %d %d %d %s %s %d %s %d\n" % (
            os.getpid(), comm, u64opt(s, SO_COOKIE), u64opt(s, SO_NETNS_COOKIE),
            6 if family == socket.AF_INET6 else 4, proto,
            local[0], local[1], remote[0], remote[1]))

    keep = []
    s = socket.socket(family, kind)
    s.settimeout(20)
    keep.append(s)
    if role == "server":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, int(port)))
        f.write("port %d\n" % s.getsockname()[1])
        if kind == socket.SOCK_STREAM:
            s.listen(4)
            c, _ = s.accept()
            c.settimeout(20)
            keep.append(c)
            data = c.recv(100)
            c.sendall(data)
            report(c)
        else:
            data, peer = s.recvfrom(100)
            s.sendto(data, peer)
            report(s, peer)
    else:
        if kind == socket.SOCK_STREAM:
            s.connect((addr, int(port)))
            s.sendall(b"hello")
            s.recv(100)
            report(s)
        else:
            # Unconnected, as most UDP clients are.
            s.sendto(b"hello", (addr, int(port)))
            _, peer = s.recvfrom(100)
            report(s, peer)
    f.write("done\n")
    f.close()
    if hold:
        signal.pause()


if __name__ == "__main__":
    main()
