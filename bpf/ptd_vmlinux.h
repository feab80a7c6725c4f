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
 * tc_capture.bpf.c reads only struct __sk_buff, so it needs nothing from
 * this file yet.
 */
#ifndef PTD_BPF_VMLINUX_H
#define PTD_BPF_VMLINUX_H

#include <linux/types.h>

#if defined(__clang__)
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
#endif

/* Kernel-internal structs go here, each with only the fields used. */

#if defined(__clang__)
#pragma clang attribute pop
#endif

#endif /* PTD_BPF_VMLINUX_H */
