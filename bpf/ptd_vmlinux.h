/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel-internal types for the BPF programs, declared by us instead of a
 * vmlinux.h generated from one kernel's BTF (see bpf/README).
 *
 * Rules for what goes here:
 *   - only the types and the fields a program reads, nothing else;
 *   - every struct inside the preserve_access_index region, so each field
 *     access is a CO-RE relocation that libbpf resolves against the running
 *     kernel's BTF (/sys/kernel/btf/vmlinux) at load time: field offsets,
 *     sizes and order here do not have to match any kernel;
 *   - uapi types (struct __sk_buff, struct bpf_sock, map and helper
 *     constants) come from <linux/bpf.h>, never from here: they are a
 *     stable ABI.
 *
 * tc_capture.bpf.c reads only struct __sk_buff; attrib.bpf.c reads tasks,
 * sockets and the task_file iterator context.
 */
#ifndef PTD_BPF_VMLINUX_H
#define PTD_BPF_VMLINUX_H

#include <linux/types.h>
#include <linux/in6.h>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
#endif

/* Kernel-internal structs go here, each with only the fields used. */

/* --- processes (attrib.bpf.c) --- */
struct kernfs_node {
	__u64 id;
};

struct cgroup {
	struct kernfs_node *kn;
};

struct css_set {
	struct cgroup *dfl_cgrp;
};

typedef struct {
	__u32 val;
} kuid_t;

typedef struct {
	__u32 val;
} kgid_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
};

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	__s64 counter;
} atomic64_t;

struct signal_struct {
	atomic_t live;              /* threads not yet in do_exit() */
};

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
};

struct linux_binprm {
	const char *filename;
};

struct task_struct {
	struct mm_struct *mm;
	int pid;
	int tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	const struct cred *cred;
	struct css_set *cgroups;
	struct signal_struct *signal;
	__u64 start_time;
	char comm[16];
};

/* --- sockets (attrib.bpf.c) --- */
struct net {
	__u64 net_cookie;
};

typedef struct {
	struct net *net;
} possible_net_t;

/* The kernel nests these in unions and anonymous structs; CO-RE finds a
 * field by name through them, so a flat list is enough here. */
struct sock_common {
	__u32 skc_daddr;
	__u32 skc_rcv_saddr;
	__u16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	possible_net_t skc_net;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
	atomic64_t skc_cookie;
};

struct sock {
	struct sock_common __sk_common;
	__u16 sk_protocol;
	__u16 sk_type;
};

struct socket {
	struct sock *sk;
};

struct sk_buff {
	struct sock *sk;
};

struct file;

/* --- BPF iterators (attrib.bpf.c) --- */
struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct bpf_iter__task_file {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
	__u32 fd;
	struct file *file;
};

#if defined(__clang__)
#pragma clang attribute pop
#endif

#endif /* PTD_BPF_VMLINUX_H */
