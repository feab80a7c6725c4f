/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Bounded readers for /proc/PID/{stat,comm,status,exe,cmdline} and
 * /proc/PID/task/TID/comm, relative to a procfs root directory fd.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enrichers/proc/proc_read.h"

/* Large enough for "4294967295/task/4294967295/cmdline". */
#define REL_PATH_MAX 48

ssize_t proc_read_file(int rootfd, const char *rel, char *buf, size_t size)
{
	size_t used = 0;
	ssize_t n, ret;
	int fd;

	if (size == 0)
		return -EINVAL;
	fd = openat(rootfd, rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	while (used < size - 1) {
		n = read(fd, buf + used, size - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out;
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	ret = (ssize_t)used;
out:
	close(fd);
	return ret;
}

void proc_sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static int parse_u64_field(const char *tok, uint64_t *out)
{
	char *end;

	if (*tok < '0' || *tok > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoull(tok, &end, 10);
	if (errno || (*end && *end != ' ' && *end != '\t' && *end != '\n'))
		return -EINVAL;
	return 0;
}

int proc_parse_stat(const char *line, struct proc_stat_facts *out)
{
	/* comm may hold spaces and parentheses: it ends at the LAST ')'. */
	const char *open = strchr(line, '(');
	const char *close = strrchr(line, ')');
	const char *p;
	uint64_t v;
	size_t len;
	int field;

	if (!open || !close || close < open)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	len = (size_t)(close - open - 1);
	if (len > PTD_COMM_LEN - 1)
		len = PTD_COMM_LEN - 1;
	memcpy(out->comm, open + 1, len);
	out->comm[len] = '\0';
	proc_sanitize(out->comm);

	p = close + 1;
	for (field = 3; field <= 22; field++) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			return -EINVAL;
		if (field == 4 || field == 22) {
			if (parse_u64_field(p, &v) < 0)
				return -EINVAL;
			if (field == 4) {
				if (v > UINT32_MAX)
					return -EINVAL;
				out->ppid = (uint32_t)v;
			} else {
				out->start_time = v;
			}
		}
		while (*p && *p != ' ' && *p != '\n')
			p++;
	}
	return 0;
}

int proc_read_stat(int rootfd, uint32_t pid, struct proc_stat_facts *out)
{
	char rel[REL_PATH_MAX];
	char buf[1024];
	ssize_t n;

	snprintf(rel, sizeof(rel), "%u/stat", pid);
	n = proc_read_file(rootfd, rel, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT; /* a reaped process can leave an empty read */
	return proc_parse_stat(buf, out);
}

int proc_read_comm(int rootfd, uint32_t pid, uint32_t tid,
		   char out[PTD_COMM_LEN + 1])
{
	char rel[REL_PATH_MAX];
	char buf[PTD_COMM_LEN + 2];
	ssize_t n;

	if (tid)
		snprintf(rel, sizeof(rel), "%u/task/%u/comm", pid, tid);
	else
		snprintf(rel, sizeof(rel), "%u/comm", pid);
	n = proc_read_file(rootfd, rel, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	buf[strcspn(buf, "\n")] = '\0';
	if (!buf[0])
		return -ENOENT;
	/* the kernel caps comm at 15 characters; a fake tree might not */
	buf[PTD_COMM_LEN - 1] = '\0';
	proc_sanitize(buf);
	memcpy(out, buf, strlen(buf) + 1);
	return 0;
}

/* The first number after "Key:" at the start of a line of text. */
static int status_field(const char *text, const char *key, uint32_t *out)
{
	size_t klen = strlen(key);
	const char *p = text;
	uint64_t v;

	while (p && *p) {
		if (strncmp(p, key, klen) == 0) {
			p += klen;
			while (*p == ' ' || *p == '\t')
				p++;
			if (parse_u64_field(p, &v) < 0 || v > UINT32_MAX)
				return -EINVAL;
			*out = (uint32_t)v;
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -ENOENT;
}

int proc_read_status(int rootfd, uint32_t pid, uint32_t *uid, int *have_uid,
		     uint32_t *ppid, int *have_ppid)
{
	char rel[REL_PATH_MAX];
	char buf[4096];
	ssize_t n;

	*have_uid = 0;
	*have_ppid = 0;
	snprintf(rel, sizeof(rel), "%u/status", pid);
	n = proc_read_file(rootfd, rel, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	/* "Uid:" lists real, effective, saved and filesystem uids: the first
	 * is the one ps(1) shows as the owner. */
	*have_uid = status_field(buf, "Uid:", uid) == 0;
	*have_ppid = status_field(buf, "PPid:", ppid) == 0;
	return 0;
}

int proc_read_exe(int rootfd, uint32_t pid, char **out)
{
	char rel[REL_PATH_MAX];
	char *buf;
	ssize_t n;
	int ret = 0;

	*out = NULL;
	buf = malloc(PROC_CMD_MAX);
	if (!buf)
		return -ENOMEM;
	snprintf(rel, sizeof(rel), "%u/exe", pid);
	n = readlinkat(rootfd, rel, buf, PROC_CMD_MAX - 1);
	if (n < 0) {
		ret = -errno;
		goto out;
	}
	if (n == 0) {
		ret = -ENOENT;
		goto out;
	}
	buf[n] = '\0';
	proc_sanitize(buf);
	*out = strdup(buf);
	if (!*out)
		ret = -ENOMEM;
out:
	free(buf);
	return ret;
}

size_t proc_join_args(char *buf, size_t len)
{
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[len] = '\0';
	return len;
}

int proc_read_cmdline(int rootfd, uint32_t pid, char **args, char **argv0)
{
	char rel[REL_PATH_MAX];
	char *buf;
	ssize_t n;
	size_t len;
	int ret = 0;

	*args = NULL;
	*argv0 = NULL;
	buf = malloc(PROC_ARGS_MAX);
	if (!buf)
		return -ENOMEM;
	snprintf(rel, sizeof(rel), "%u/cmdline", pid);
	n = proc_read_file(rootfd, rel, buf, PROC_ARGS_MAX);
	if (n < 0) {
		ret = (int)n;
		goto out;
	}
	if (n == 0 || buf[0] == '\0')
		goto out; /* no command line: kernel thread or zombie */
	/* argv[0] ends at the first NUL, before the join erases it */
	*argv0 = strdup(buf);
	len = proc_join_args(buf, (size_t)n);
	if (len > 0) {
		proc_sanitize(buf);
		*args = strdup(buf);
	}
	if (!*argv0 || (len > 0 && !*args)) {
		free(*argv0);
		free(*args);
		*argv0 = NULL;
		*args = NULL;
		ret = -ENOMEM;
		goto out;
	}
	proc_sanitize(*argv0);
out:
	free(buf);
	return ret;
}
