#!/usr/bin/env python3
"""DNS, DNS over TCP and multicast DNS traffic for the golden captures.

Run inside a private network namespace (see make-dns-captures.sh): a small
name server answers on 127.0.0.1:53 and [::1]:53 (UDP) and 127.0.0.1:53
(TCP); queries come from ordinary sockets.  Multicast DNS goes to
224.0.0.251:5353 over lo, and an LLMNR query to port 5355 shows how a
protocol without a dissector looks.
"""
import socket
import struct
import threading
import time

T_A, T_NS, T_CNAME, T_SOA, T_PTR, T_MX, T_TXT = 1, 2, 5, 6, 12, 15, 16
T_AAAA, T_SRV, T_OPT, T_ANY = 28, 33, 41, 255
PTR_QNAME = b"\xc0\x0c"  # compression pointer to the question's name


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def rr(owner, rtype, rdata, ttl=300, rclass=1):
    return owner + struct.pack("!HHIH", rtype, rclass, ttl, len(rdata)) + rdata


def opt_rr(options=b"", size=1232, do=False):
    return b"\0" + struct.pack("!HHIH", T_OPT, size, 0x8000 if do else 0,
                               len(options)) + options


def parse_question(msg):
    off, labels = 12, []
    while msg[off]:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode())
        off += 1 + n
    qtype, qclass = struct.unpack("!HH", msg[off + 1:off + 5])
    return ".".join(labels).lower(), qtype, off + 5


def answer(msg):
    """The response to one query, built by hand like any small server."""
    qid, qflags, qd, _, _, ar = struct.unpack("!6H", msg[:12])
    name, qtype, qend = parse_question(msg)
    question = msg[12:qend]
    an, ns, add = [], [], []
    rcode, aa = 0, 0x0400
    if name == "www.example.test" and qtype == T_A:
        an.append(rr(PTR_QNAME, T_A, socket.inet_aton("192.0.2.10")))
        an.append(rr(PTR_QNAME, T_A, socket.inet_aton("192.0.2.11")))
        ns.append(rr(encode_name("example.test"), T_NS,
                     encode_name("ns1.example.test"), 86400))
        add.append(rr(encode_name("ns1.example.test"), T_A,
                      socket.inet_aton("192.0.2.53"), 86400))
    elif name == "www.example.test" and qtype == T_AAAA:
        an.append(rr(PTR_QNAME, T_AAAA,
                     socket.inet_pton(socket.AF_INET6, "2001:db8::10")))
    elif name == "alias.example.test":
        target = encode_name("www.example.test")
        an.append(rr(PTR_QNAME, T_CNAME, target, 3600))
        # the A record's owner points at the CNAME's target
        at = 12 + len(question) + 12
        an.append(rr(struct.pack("!H", 0xc000 | at), T_A,
                     socket.inet_aton("192.0.2.10")))
    elif name == "example.test" and qtype == T_MX:
        an.append(rr(PTR_QNAME, T_MX, struct.pack("!H", 10) +
                     b"\x04mail\xc0\x0c"))
        an.append(rr(PTR_QNAME, T_MX, struct.pack("!H", 20) +
                     b"\x05mail2\xc0\x0c"))
    elif name == "example.test" and qtype == T_TXT:
        an.append(rr(PTR_QNAME, T_TXT, b"\x0bv=spf1 -all\x05hello"))
    elif name == "_sip._tcp.example.test":
        an.append(rr(PTR_QNAME, T_SRV, struct.pack("!HHH", 10, 60, 5060) +
                     encode_name("sip.example.test")))
    elif name == "10.2.0.192.in-addr.arpa":
        an.append(rr(PTR_QNAME, T_PTR, encode_name("www.example.test")))
    elif name == "example.test" and qtype == T_SOA:
        an.append(rr(PTR_QNAME, T_SOA, b"\x03ns1\xc0\x0c\x0ahostmaster"
                     b"\xc0\x0c" + struct.pack("!5I", 2026112701, 7200,
                                               3600, 1209600, 300)))
    elif name == "big.example.test" and not msg_over_tcp[0]:
        # Too large for this server's UDP answers: truncated, retry on TCP.
        qflags |= 0x0200
    elif name == "big.example.test":
        for i in range(12):
            an.append(rr(PTR_QNAME, T_TXT, bytes([40]) +
                         (b"record %02d " % i) * 4))
    else:
        rcode = 3
        zone = struct.pack("!H", 0xc000 | (12 + len(question)))
        ns.append(rr(encode_name("example.test"), T_SOA,
                     b"\x03ns1" + zone + b"\x0ahostmaster" + zone +
                     struct.pack("!5I", 2026112701, 7200, 3600, 1209600,
                                 300), 300))
    if ar:
        add.append(opt_rr(struct.pack("!HH", 10, 24) + bytes(range(8)) +
                          bytes(range(100, 116)), 1232))
    flags = 0x8000 | aa | (qflags & 0x0300) | 0x0080 | rcode
    hdr = struct.pack("!6H", qid, flags, qd, len(an), len(ns), len(add))
    return hdr + question + b"".join(an + ns + add)


msg_over_tcp = [False]


def query(qid, name, qtype, rd=True, edns=False, cookie=False):
    flags = 0x0100 if rd else 0
    opts = b""
    if cookie:
        opts = struct.pack("!HH", 10, 8) + bytes(range(8))
    extra = opt_rr(opts, 4096, do=True) if edns else b""
    return struct.pack("!6H", qid, flags, 1, 0, 0, 1 if edns else 0) + \
        encode_name(name) + struct.pack("!HH", qtype, 1) + extra


def udp_server(sock, stop):
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            msg, peer = sock.recvfrom(2048)
        except socket.timeout:
            continue
        sock.sendto(answer(msg), peer)


def tcp_server(sock):
    conn, _ = sock.accept()
    with conn:
        msg_over_tcp[0] = True
        while True:
            head = conn.recv(2)
            if len(head) < 2:
                break
            (n,) = struct.unpack("!H", head)
            msg = b""
            while len(msg) < n:
                msg += conn.recv(n - len(msg))
            reply = answer(msg)
            conn.sendall(struct.pack("!H", len(reply)) + reply)


def pause():
    time.sleep(0.05)


def udp_queries(stop):
    servers = []
    for family, addr in ((socket.AF_INET, "127.0.0.1"),
                         (socket.AF_INET6, "::1")):
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((addr, 53))
        t = threading.Thread(target=udp_server, args=(s, stop))
        t.start()
        servers.append((s, t))
    c = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    c.bind(("127.0.0.1", 40053))
    asks = [
        query(0x1001, "www.example.test", T_A),
        query(0x1002, "www.example.test", T_AAAA, edns=True, cookie=True),
        query(0x1003, "alias.example.test", T_A),
        query(0x1004, "example.test", T_MX),
        query(0x1005, "example.test", T_TXT, rd=False),
        query(0x1006, "_sip._tcp.example.test", T_SRV),
        query(0x1007, "10.2.0.192.in-addr.arpa", T_PTR),
        query(0x1008, "example.test", T_SOA, edns=True),
        query(0x1009, "nowhere.example.test", T_A),
        query(0x100a, "big.example.test", T_TXT),
    ]
    for q in asks:
        c.sendto(q, ("127.0.0.1", 53))
        c.recvfrom(2048)
        pause()
    c.close()
    c6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    c6.bind(("::1", 40054))
    c6.sendto(query(0x2001, "www.example.test", T_AAAA), ("::1", 53))
    c6.recvfrom(2048)
    pause()
    c6.close()
    return servers


def tcp_queries():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 53))
    srv.listen(1)
    t = threading.Thread(target=tcp_server, args=(srv,))
    t.start()
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind(("127.0.0.1", 40055))
    c.connect(("127.0.0.1", 53))
    for q in (query(0x300a, "big.example.test", T_TXT),
              query(0x300b, "www.example.test", T_A, edns=True)):
        c.sendall(struct.pack("!H", len(q)) + q)
        (n,) = struct.unpack("!H", c.recv(2))
        got = b""
        while len(got) < n:
            got += c.recv(n - len(got))
        pause()
    c.close()
    t.join()
    srv.close()
    pause()


MDNS_GROUP = "224.0.0.251"


def mdns():
    """A service browse: QU question, answers with the cache-flush bit."""
    r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    r.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    r.bind(("", 5353))
    r.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                 socket.inet_aton(MDNS_GROUP) + socket.inet_aton("127.0.0.1"))
    r.settimeout(2)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 socket.inet_aton("127.0.0.1"))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 255)
    s.bind(("127.0.0.1", 5353))
    svc = encode_name("_http._tcp.local")
    q = struct.pack("!6H", 0, 0, 2, 0, 0, 0) + svc + \
        struct.pack("!HH", T_PTR, 0x8001) + \
        encode_name("printer.local") + struct.pack("!HH", T_ANY, 1)
    s.sendto(q, (MDNS_GROUP, 5353))
    r.recvfrom(2048)
    pause()
    inst = b"\x07printer\xc0\x0c"  # printer._http._tcp.local
    host = encode_name("printer.local")
    resp = struct.pack("!6H", 0, 0x8400, 0, 1, 0, 3) + svc + \
        struct.pack("!HHIH", T_PTR, 1, 4500, len(inst)) + inst
    resp += b"\xc0\x28" + struct.pack("!HHIH", T_SRV, 0x8001, 120,
                                      6 + len(host)) + \
        struct.pack("!HHH", 0, 0, 631) + host
    resp += b"\xc0\x28" + struct.pack("!HHIH", T_TXT, 0x8001, 4500, 20) + \
        b"\x06path=/\x0cnote=golden"[:20]
    resp += host + struct.pack("!HHIH", T_A, 0x8001, 120, 4) + \
        socket.inet_aton("127.0.0.1")
    s.sendto(resp, (MDNS_GROUP, 5353))
    r.recvfrom(2048)
    pause()
    # Unicast, as a legacy resolver asks (RFC 6762 section 6.7).
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.bind(("::1", 40056))
    u.sendto(query(0x4001, "printer.local", T_AAAA, rd=False), ("::1", 5353))
    pause()
    u.close()
    s.close()
    r.close()


def llmnr():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 40057))
    s.sendto(query(0x5001, "printer", T_A, rd=False), ("127.0.0.1", 5355))
    pause()
    s.close()


def main():
    time.sleep(0.5)
    stop = threading.Event()
    servers = udp_queries(stop)
    tcp_queries()
    stop.set()
    for s, t in servers:
        t.join()
        s.close()
    mdns()
    llmnr()
    time.sleep(0.5)


if __name__ == "__main__":
    main()
