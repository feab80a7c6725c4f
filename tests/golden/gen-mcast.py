#!/usr/bin/env python3
"""Traffic for make-mcast-captures.sh, run inside its namespaces.

  tcp-server ADDR PORT   answer one TCP exchange
  tcp-client ADDR PORT   make it
  member IFNAME          join and leave IPv4/IPv6 groups, so the kernel
                         sends IGMP and MLD reports of each version
  querier IFNAME         send IGMP and MLD queries the member answers
"""
import socket
import struct
import sys
import time
import importlib.util
import os

_spec = importlib.util.spec_from_file_location(
    "gen_synthetic", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  "gen-synthetic.py"))
_gs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_gs)
csum = _gs.csum

IP_ADD_SOURCE_MEMBERSHIP = 39
IP_DROP_SOURCE_MEMBERSHIP = 40
MCAST_JOIN_SOURCE_GROUP = 46
MCAST_LEAVE_SOURCE_GROUP = 47
IPV6_HOPOPTS = 54



def tcp_server(addr, port):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(1)
    srv.settimeout(10)
    conn, _ = srv.accept()
    conn.recv(1000)
    conn.sendall(b"hello from the far side\n")
    conn.close()
    srv.close()


def tcp_client(addr, port):
    for _ in range(50):
        try:
            cli = socket.create_connection((addr, port), timeout=5)
            break
        except OSError:
            time.sleep(0.1)
    cli.sendall(b"hello through the tunnel\n")
    while cli.recv(1000):
        pass
    cli.close()


def set_sysctl(path, value):
    with open("/proc/sys/net/" + path, "w") as f:
        f.write(str(value))


def mreqn(group, ifindex):
    return socket.inet_aton(group) + bytes(4) + struct.pack("@i", ifindex)


def mreq_source(group, iface_addr, source):
    return (socket.inet_aton(group) + socket.inet_aton(iface_addr) +
            socket.inet_aton(source))


def sockaddr_in6(addr):
    sa = struct.pack("@H", socket.AF_INET6) + struct.pack("!HI", 0, 0) + \
        socket.inet_pton(socket.AF_INET6, addr) + struct.pack("@I", 0)
    return sa + bytes(128 - len(sa))


def group_source_req(ifindex, group, source):
    return struct.pack("@I4x", ifindex) + sockaddr_in6(group) + \
        sockaddr_in6(source)


def mreq6(group, ifindex):
    return socket.inet_pton(socket.AF_INET6, group) + \
        struct.pack("@I", ifindex)


def member(ifname):
    idx = socket.if_nametoindex(ifname)
    s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    # Version 3 and MLDv2 (the defaults): any-source and source-specific.
    s4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                  mreqn("239.1.2.3", idx))
    s4.setsockopt(socket.IPPROTO_IP, IP_ADD_SOURCE_MEMBERSHIP,
                  mreq_source("232.1.1.1", "10.99.0.1", "10.99.0.2"))
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                  mreq6("ff15::1:2", idx))
    s6.setsockopt(socket.IPPROTO_IPV6, MCAST_JOIN_SOURCE_GROUP,
                  group_source_req(idx, "ff35::8:9", "fd99::2"))
    time.sleep(7)
    s4.setsockopt(socket.IPPROTO_IP, IP_DROP_SOURCE_MEMBERSHIP,
                  mreq_source("232.1.1.1", "10.99.0.1", "10.99.0.2"))
    s4.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP,
                  mreqn("239.1.2.3", idx))
    s6.setsockopt(socket.IPPROTO_IPV6, MCAST_LEAVE_SOURCE_GROUP,
                  group_source_req(idx, "ff35::8:9", "fd99::2"))
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_LEAVE_GROUP,
                  mreq6("ff15::1:2", idx))
    time.sleep(2.5)
    # Older versions, forced: reports and leaves of IGMPv2/v1, MLDv1.
    set_sysctl("ipv4/conf/%s/force_igmp_version" % ifname, 2)
    s4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                  mreqn("239.1.2.4", idx))
    time.sleep(0.5)
    s4.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP,
                  mreqn("239.1.2.4", idx))
    set_sysctl("ipv4/conf/%s/force_igmp_version" % ifname, 1)
    s4.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                  mreqn("239.1.2.5", idx))
    set_sysctl("ipv6/conf/%s/force_mld_version" % ifname, 1)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                  mreq6("ff15::1:3", idx))
    time.sleep(0.5)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_LEAVE_GROUP,
                  mreq6("ff15::1:3", idx))
    time.sleep(0.5)
    s4.close()
    s6.close()


def igmp_query(sock, body):
    ck = csum(body)
    pkt = body[:2] + struct.pack("!H", ck) + body[4:]
    sock.sendto(pkt, ("224.0.0.1", 0))


def mld_query(sock, idx, body):
    sock.sendto(body, ("ff02::1", 0, 0, idx))


def querier(ifname):
    idx = socket.if_nametoindex(ifname)
    s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
    s4.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, b"\x94\x04\0\0")
    s4.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s4.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                  mreqn("0.0.0.0", idx))
    s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW,
                       socket.IPPROTO_ICMPV6)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 1)
    s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
    # Hop-by-hop header with a router alert (MLD), padded to 8 bytes.
    s6.setsockopt(socket.IPPROTO_IPV6, IPV6_HOPOPTS,
                  b"\0\0\x05\x02\0\0\x01\0")
    # IGMPv3 group-and-source query, S flag clear, QRV 2, QQIC 125.
    srcs = socket.inet_aton("10.99.0.2") + socket.inet_aton("10.99.0.7")
    igmp_query(s4, struct.pack("!BBH4sBBH", 0x11, 10, 0,
                               socket.inet_aton("239.1.2.3"), 0x02, 125, 2)
               + srcs)
    # IGMPv3 general query with the S flag, and a long max response code.
    igmp_query(s4, struct.pack("!BBH4sBBH", 0x11, 0x8a, 0, bytes(4),
                               0x0a, 0x90, 0))
    # MLDv2 general query, then one for a group and two sources.
    mld_query(s6, idx, struct.pack("!BBHHH16sBBH", 130, 0, 0, 1000, 0,
                                   bytes(16), 0x02, 125, 0))
    time.sleep(1.5)
    g = socket.inet_pton(socket.AF_INET6, "ff15::1:2")
    src6 = socket.inet_pton(socket.AF_INET6, "fd99::2") + \
        socket.inet_pton(socket.AF_INET6, "fd99::7")
    mld_query(s6, idx, struct.pack("!BBHHH16sBBH", 130, 0, 0, 0x9234, 0, g,
                                   0x0a, 0x85, 2) + src6)
    # The older queries once the member has left its groups: they make
    # it fall back, which the forced versions show anyway.
    time.sleep(6)
    # IGMPv2 general query, max response 1 s.
    igmp_query(s4, struct.pack("!BBH4s", 0x11, 10, 0, bytes(4)))
    # MLDv1 general query, max response 1000 ms.
    mld_query(s6, idx, struct.pack("!BBHHH16s", 130, 0, 0, 1000, 0,
                                   bytes(16)))
    time.sleep(1.5)
    s4.close()
    s6.close()


def main():
    cmd = sys.argv[1]
    if cmd == "tcp-server":
        tcp_server(sys.argv[2], int(sys.argv[3]))
    elif cmd == "tcp-client":
        tcp_client(sys.argv[2], int(sys.argv[3]))
    elif cmd == "member":
        member(sys.argv[2])
    elif cmd == "querier":
        querier(sys.argv[2])
    else:
        sys.exit("gen-mcast.py: unknown command %s" % cmd)


if __name__ == "__main__":
    main()
