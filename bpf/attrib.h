/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Socket -> process attribution: the map keys, values and ring buffer
 * records shared by bpf/attrib.bpf.c, bpf/attrib_lookup.h (the packet
 * path) and backends/attrib/ (user space).
 *
 * Three maps answer "whose packet is this":
 *   ptd_attrib_socks   socket cookie -> owner
 *   ptd_attrib_tuples  (netns cookie, family, protocol, local address and
 *                      port, remote address and port) -> owner; a socket
 *                      that is only bound or listening has the remote half
 *                      zero, and one bound to the wildcard address has the
 *                      local address zero too
 *   ptd_attrib_procs   pid -> what the process was at fork/exec
 * and one ring buffer, ptd_attrib_events, says when processes exec and
 * exit so the user-space process cache can refresh.
 *
 * Addresses are in network byte order (IPv4 in addr[0], the rest zero);
 * ports in host byte order.  An IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * is stored as AF_INET, as the packets on the wire are IPv4.
 */
#ifndef PTD_BPF_ATTRIB_H
#define PTD_BPF_ATTRIB_H

#include <linux/types.h>

#define PTD_ATTRIB_COMM_LEN 16
#define PTD_ATTRIB_FILENAME_LEN 256
#define PTD_ATTRIB_ARGS_LEN 512

/* Map sizes before user space resizes them. */
#define PTD_ATTRIB_SOCKS_MAX  65536
#define PTD_ATTRIB_TUPLES_MAX 65536
#define PTD_ATTRIB_PROCS_MAX  32768

/* ptd_attrib_owner.source: what told us last. */
enum ptd_attrib_source {
	PTD_ATTRIB_SRC_NONE = 0,
	PTD_ATTRIB_SRC_SEED,        /* the start-up iterator over every fd */
	PTD_ATTRIB_SRC_CREATE,      /* cgroup/sock_create */
	PTD_ATTRIB_SRC_CONNECT,     /* cgroup/connect4/6 */
	PTD_ATTRIB_SRC_SENDMSG,     /* (no longer set; was cgroup/sendmsg4/6) */
	PTD_ATTRIB_SRC_RECVMSG,     /* (no longer set; was cgroup/recvmsg4/6) */
	PTD_ATTRIB_SRC_BIND,        /* cgroup/post_bind4/6 */
	PTD_ATTRIB_SRC_LISTEN,      /* inet_sock_set_state -> LISTEN */
	PTD_ATTRIB_SRC_ESTABLISHED, /* inet_sock_set_state -> ESTABLISHED */
	PTD_ATTRIB_SRC_ACCEPTED,    /* a child socket, owned by its listener */
	PTD_ATTRIB_SRC_SEND,        /* sock_send_length */
	PTD_ATTRIB_SRC_RECV,        /* sock_recv_length */
	PTD_ATTRIB_SRC_EGRESS,      /* learned from an egress packet */
};

/* ptd_attrib_owner.flags */
#define PTD_ATTRIB_F_PPID   (1u << 0) /* ppid is known */
#define PTD_ATTRIB_F_CGROUP (1u << 1) /* cgroup_id is known */
/* In ptd_attrib_socks: the socket's current tuple is recorded for this
 * owner (an entry rewritten for a new owner starts without it). */
#define PTD_ATTRIB_F_TUPLE  (1u << 2)

struct ptd_attrib_owner {
	__u32 pid;                     /* tgid */
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u16 flags;                   /* PTD_ATTRIB_F_* */
	__u8 source;                   /* enum ptd_attrib_source */
	__u8 reserved;
	__u64 cgroup_id;               /* cgroup v2 id (inode) */
	__u64 cookie;                  /* the owning socket's cookie; 0 = unknown */
	__u64 updated_ns;              /* CLOCK_MONOTONIC of the last update */
	char comm[PTD_ATTRIB_COMM_LEN];
};

/* The socket's view: local first.  Padding is zero in every key. */
struct ptd_attrib_tuple {
	__u64 netns_cookie;
	__u32 laddr[4];
	__u32 raddr[4];
	__u16 lport;
	__u16 rport;
	__u8 family;                   /* AF_INET, AF_INET6 */
	__u8 proto;                    /* IPPROTO_TCP, IPPROTO_UDP */
	__u16 pad;
};

struct ptd_attrib_proc {
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 reserved;
	__u64 cgroup_id;
	__u64 start_ns;                /* task start time, CLOCK_MONOTONIC */
	char comm[PTD_ATTRIB_COMM_LEN];
};

/* ptd_attrib_event.type */
#define PTD_ATTRIB_EV_EXEC 1
#define PTD_ATTRIB_EV_EXIT 2

struct ptd_attrib_event {
	__u32 type;                    /* PTD_ATTRIB_EV_* */
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u64 cgroup_id;
	__u64 ts_ns;                   /* CLOCK_MONOTONIC */
	char comm[PTD_ATTRIB_COMM_LEN];
	/* exec only: the path given to execve() (NUL-terminated, cut short
	 * if longer) and the start of argv as the new program's stack holds
	 * it: args_len bytes, each argument NUL-terminated (the last one may
	 * be cut short). */
	char filename[PTD_ATTRIB_FILENAME_LEN];
	__u32 args_len;
	__u32 reserved;
	char args[PTD_ATTRIB_ARGS_LEN];
};

/* Counters in the program's .bss, read by user space for statistics. */
struct ptd_attrib_stats {
	__u64 seeded_socks;            /* sockets the iterator found */
	__u64 seeded_tuples;
	__u64 events_lost;             /* ring buffer full */
	__u64 accept_unowned;          /* child socket with no known listener */
};

#endif /* PTD_BPF_ATTRIB_H */
