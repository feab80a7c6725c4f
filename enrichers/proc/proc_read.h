/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Readers for the few /proc/PID files the proc enricher needs.  Every path
 * is opened relative to a directory fd (the procfs root, or a fake tree in
 * tests), every read is bounded, and nothing here allocates except the two
 * helpers that hand back strings.
 */
#ifndef PTD_ENRICHER_PROC_READ_H
#define PTD_ENRICHER_PROC_READ_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <ptcpdump/packet.h>

/* Longest argument string kept, terminating NUL included: enough for any
 * command line a person reads on one output line, and it bounds the cache. */
#define PROC_ARGS_MAX 2048
/* Longest executable path kept, terminating NUL included. */
#define PROC_CMD_MAX 4096

/* The facts of /proc/PID/stat we use. */
struct proc_stat_facts {
	uint64_t start_time;              /* field 22, clock ticks after boot */
	uint32_t ppid;                    /* field 4 */
	char comm[PTD_COMM_LEN + 1];      /* field 2, sanitized */
};

/* Reads at most size - 1 bytes of rootfd/rel and NUL-terminates them.
 * Returns the byte count or -errno. */
ssize_t proc_read_file(int rootfd, const char *rel, char *buf, size_t size);

/* Parses one stat line.  0 or -EINVAL. */
int proc_parse_stat(const char *line, struct proc_stat_facts *out);
int proc_read_stat(int rootfd, uint32_t pid, struct proc_stat_facts *out);

/* /proc/PID/comm (tid 0) or /proc/PID/task/TID/comm, without its newline.
 * 0 or -errno. */
int proc_read_comm(int rootfd, uint32_t pid, uint32_t tid,
		   char out[PTD_COMM_LEN + 1]);

/* Real uid and PPid from /proc/PID/status.  Either may be missing from a
 * damaged file: *have_* say which were found.  0 or -errno. */
int proc_read_status(int rootfd, uint32_t pid, uint32_t *uid, int *have_uid,
		     uint32_t *ppid, int *have_ppid);

/* The target of /proc/PID/exe, malloc'ed.  0 or -errno. */
int proc_read_exe(int rootfd, uint32_t pid, char **out);

/* /proc/PID/cmdline as one string (see proc_join_args) and argv[0], both
 * malloc'ed; *args is NULL (and 0 returned) when the command line is empty,
 * as for kernel threads and zombies.  0 or -errno. */
int proc_read_cmdline(int rootfd, uint32_t pid, char **args, char **argv0);

/* Turns a NUL-separated argument block of len bytes into one string in
 * place: trailing empty arguments are dropped, each remaining separator
 * becomes one space.  Returns the new length (buf[len] is NUL). */
size_t proc_join_args(char *buf, size_t len);

/* Replaces bytes a terminal would act on (C0 controls, DEL) with '?': a
 * process chooses its own name and arguments, and they end up on the
 * user's terminal. */
void proc_sanitize(char *s);

#endif
