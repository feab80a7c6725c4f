/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What crosses the kernel/user line for the tc capture programs: one ring
 * buffer record per packet, a fixed header followed by caplen packet bytes
 * as the hook saw them (from the MAC header on Ethernet-like devices, from
 * the network header on devices without L2).  Shared by bpf/tc_capture.bpf.c
 * and backends/tc/.
 */
#ifndef PTD_BPF_TC_CAPTURE_H
#define PTD_BPF_TC_CAPTURE_H

#include <linux/types.h>

/* tcpdump's largest snapshot length; GSO super-packets are copied whole up
 * to this. */
#define PTD_TC_SNAPLEN_MAX 262144u

/* ptd_tc_event.dir */
#define PTD_TC_DIR_IN  1
#define PTD_TC_DIR_OUT 2

/* ptd_tc_event.flags */
#define PTD_TC_F_VLAN    (1u << 0) /* the tag sits in vlan_tci, not the bytes */
#define PTD_TC_F_TS_REAL (1u << 1) /* ts_ns is CLOCK_REALTIME, not MONOTONIC */
#define PTD_TC_F_OWNER   (1u << 2) /* pid, tid, uid, gid, comm are the owner's */
#define PTD_TC_F_PPID    (1u << 3) /* ppid too */
#define PTD_TC_F_CGROUP  (1u << 4) /* cgroup_id too */

struct ptd_tc_event {
	__u64 ts_ns;       /* CLOCK_MONOTONIC, or REALTIME with PTD_TC_F_TS_REAL */
	__u32 ifindex;
	__u32 len;         /* skb->len: bytes on the wire (GSO: the whole) */
	__u32 caplen;      /* bytes that follow this header */
	__u32 mark;        /* skb->mark */
	__u16 vlan_tci;
	__u16 vlan_proto;  /* network byte order, as in __sk_buff */
	__u8 dir;          /* PTD_TC_DIR_* */
	__u8 flags;        /* PTD_TC_F_* */
	__u16 reserved;
	/* The process owning the packet's socket (bpf/attrib_lookup.h),
	 * valid with PTD_TC_F_OWNER; zero otherwise. */
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__u32 gid;
	__u32 reserved2;
	__u64 cgroup_id;
	char comm[16];
	__u8 data[];       /* 8-byte aligned: the header is 80 bytes */
};

/* One per CPU (BPF_MAP_TYPE_PERCPU_ARRAY, key 0); user space sums them. */
struct ptd_tc_counters {
	__u64 packets;     /* seen by the program */
	__u64 drops;       /* no room in the ring buffer, or a failed copy */
};

#endif /* PTD_BPF_TC_CAPTURE_H */
