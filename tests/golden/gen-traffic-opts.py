#!/usr/bin/env python3
"""Loopback connections that carry the rarer TCP options for real: MPTCP
(RFC 8684), TCP Fast Open (RFC 7413) and the MD5 signature (RFC 2385).

Run inside a private network namespace (see make-captures.sh): it changes
the namespace's own net.mptcp and net.ipv4.tcp_fastopen settings.
"""
import socket
import struct
import subprocess
import threading
import time

IPPROTO_MPTCP = 262
TCP_MD5SIG = 14
TCP_FASTOPEN = 23
TCP_FASTOPEN_CONNECT = 30
MSG_FASTOPEN = 0x20000000


def sysctl(name, value):
    with open("/proc/sys/" + name.replace(".", "/"), "w") as f:
        f.write(value)


def serve_once(srv, reply):
    conn, _ = srv.accept()
    while True:
        d = conn.recv(4096)
        if not d:
            break
        conn.sendall(reply + d[:8])
    conn.close()


def exchange(family, addr, port, cport, proto=0, setup=None, connect=None,
             msgs=(b"hello",)):
    srv = socket.socket(family, socket.SOCK_STREAM, proto)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if setup:
        setup(srv, True)
    srv.bind((addr, port))
    srv.listen(4)
    t = threading.Thread(target=serve_once, args=(srv, b"ok:"))
    t.start()
    cli = socket.socket(family, socket.SOCK_STREAM, proto)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if setup:
        setup(cli, False)
    cli.bind((addr, cport))
    first = msgs[0]
    if connect:
        connect(cli, (addr, port), first)
    else:
        cli.connect((addr, port))
        cli.sendall(first)
    cli.recv(100)
    for m in msgs[1:]:
        cli.sendall(m)
        cli.recv(100)
    cli.shutdown(socket.SHUT_WR)
    cli.recv(100)
    cli.close()
    t.join()
    srv.close()


def md5_setup(family, addr, key):
    def setup(sock, server):
        if family == socket.AF_INET:
            sa = struct.pack("=H2s4s8x", family, b"\0\0",
                             socket.inet_pton(family, addr))
        else:
            sa = struct.pack("=H2sI16sI", family, b"\0\0", 0,
                             socket.inet_pton(family, addr), 0)
        sa = sa.ljust(128, b"\0")
        sig = sa + struct.pack("=BBHI", 0, 0, len(key), 0) + key.ljust(80,
                                                                     b"\0")
        sock.setsockopt(socket.IPPROTO_TCP, TCP_MD5SIG, sig)
    return setup


def tfo_setup(sock, server):
    if server:
        sock.setsockopt(socket.IPPROTO_TCP, TCP_FASTOPEN, 5)


def tfo_connect(sock, dst, data):
    sock.sendto(data, MSG_FASTOPEN, dst)


def ip_mptcp(*args):
    subprocess.run(("ip", "mptcp") + args, check=True)


def wait_subflows(sock, want, limit=2.0):
    """Waits (bounded) until the kernel reports the subflows it made."""
    SOL_MPTCP, MPTCP_INFO = 284, 1
    end = time.monotonic() + limit
    while time.monotonic() < end:
        info = sock.getsockopt(SOL_MPTCP, MPTCP_INFO, 64)
        if info[0] >= want:  # mptcpi_subflows
            return
        time.sleep(0.01)


def mptcp_subflows():
    """A second subflow to an announced address (ADD_ADDR, MP_JOIN), a
    change of priority (MP_PRIO), its withdrawal (REMOVE_ADDR) and an
    abortive close (MP_FASTCLOSE)."""
    ip_mptcp("limits", "set", "subflow", "2", "add_addr_accepted", "2")
    ip_mptcp("endpoint", "add", "127.0.0.2", "dev", "lo", "id", "5",
             "signal")
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("0.0.0.0", 6006))
    srv.listen(4)
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
    cli.bind(("127.0.0.1", 41007))
    cli.connect(("127.0.0.1", 6006))
    conn, _ = srv.accept()
    cli.sendall(b"first")
    conn.recv(100)
    wait_subflows(cli, 1)
    ip_mptcp("endpoint", "change", "id", "5", "backup")
    conn.sendall(b"second")
    cli.recv(100)
    ip_mptcp("endpoint", "delete", "id", "5")
    cli.sendall(b"unread")
    time.sleep(0.1)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                   struct.pack("ii", 1, 0))
    cli.close()
    conn.close()
    srv.close()


def main():
    sysctl("net.mptcp.enabled", "1")
    sysctl("net.ipv4.tcp_fastopen", "3")
    # MPTCP v1: MP_CAPABLE on the handshake and first data, then DSS.
    exchange(socket.AF_INET, "127.0.0.1", 6001, 41001, IPPROTO_MPTCP,
             msgs=(b"mptcp-one", b"mptcp-two"))
    exchange(socket.AF_INET6, "::1", 6002, 41002, IPPROTO_MPTCP,
             msgs=(b"mptcp-six",))
    # Fast Open: the first connection asks for a cookie, the second
    # carries it with data on the SYN.
    for cport in (41003, 41004):
        exchange(socket.AF_INET, "127.0.0.1", 6003, cport, setup=tfo_setup,
                 connect=tfo_connect, msgs=(b"fastopen",))
    exchange(socket.AF_INET, "127.0.0.1", 6004, 41005,
             setup=md5_setup(socket.AF_INET, "127.0.0.1", b"golden-key"),
             msgs=(b"signed",))
    exchange(socket.AF_INET6, "::1", 6005, 41006,
             setup=md5_setup(socket.AF_INET6, "::1", b"golden-key"),
             msgs=(b"signed6",))
    mptcp_subflows()


if __name__ == "__main__":
    main()
