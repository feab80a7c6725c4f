/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Inside backends/attrib: seeding the owner maps without the BPF socket
 * iterator, and the helpers attrib.c shares with it.
 */
#ifndef PTD_BACKEND_ATTRIB_SEED_H
#define PTD_BACKEND_ATTRIB_SEED_H

#include <stddef.h>
#include <stdint.h>

#include "backends/attrib/attrib.h"

/* The first cgroup2 mount point in /proc/self/mounts.  0 or -errno. */
int ptd_attrib_find_cgroup2(char *path, size_t len);

/*
 * Every TCP and UDP socket of every network namespace (NETLINK_SOCK_DIAG
 * in each, entered with setns() by this thread, which returns to its own
 * namespace after), matched to the processes holding it through the
 * "socket:[inode]" links in /proc/PID/fd.  Entries already in the maps
 * are kept (they are fresher).  *found: sockets recorded.  0 or -errno.
 */
int ptd_attrib_seed_sock_diag(int socks_fd, int tuples_fd, uint64_t *found);

#endif /* PTD_BACKEND_ATTRIB_SEED_H */
