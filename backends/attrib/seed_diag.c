// SPDX-License-Identifier: BSD-2-Clause
/*
 * Seeding the owner maps on kernels without the task_file iterator or
 * bpf_sock_from_file(): sock_diag knows each socket's tuple, cookie (the
 * same value bpf_get_socket_cookie() gives) and inode; /proc/PID/fd knows
 * which processes hold which socket inode.  Socket inodes are unique
 * system-wide (one sockfs), so one /proc walk serves every namespace.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include <bpf/bpf.h>

#include "backends/attrib/seed.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

struct ino_pid {
	uint64_t ino;
	uint32_t pid;
};

struct seed_ctx {
	struct ino_pid *holders;   /* sorted by inode, then pid */
	size_t nholders, cap;
	uint64_t *netns;           /* namespace inodes already dumped */
	size_t nnetns, netns_cap;
	char cgroot[PATH_MAX];
	int socks_fd, tuples_fd;
	uint64_t found;
};

static int is_pid(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int add_holder(struct seed_ctx *c, uint64_t ino, uint32_t pid)
{
	if (c->nholders == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct ino_pid *n = realloc(c->holders, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		c->holders = n;
		c->cap = cap;
	}
	c->holders[c->nholders].ino = ino;
	c->holders[c->nholders++].pid = pid;
	return 0;
}

static int cmp_holder(const void *a, const void *b)
{
	const struct ino_pid *x = a, *y = b;

	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

/* Lowest pid holding the inode (the parent, when fork shared it). */
static uint32_t holder_of(const struct seed_ctx *c, uint64_t ino)
{
	size_t lo = 0, hi = c->nholders;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->holders[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nholders && c->holders[lo].ino == ino ? c->holders[lo].pid : 0;
}

static void scan_fds(struct seed_ctx *c, const char *pid)
{
	char path[300], link[64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%s/fd", pid);
	d = opendir(path);
	if (!d)
		return; /* gone, or a kernel thread */
	while ((de = readdir(d))) {
		unsigned long long ino;
		char fd[600];
		ssize_t n;

		if (!is_pid(de->d_name))
			continue;
		snprintf(fd, sizeof(fd), "%s/%s", path, de->d_name);
		n = readlink(fd, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (sscanf(link, "socket:[%llu]", &ino) == 1 &&
		    add_holder(c, ino, (uint32_t)atoi(pid)) < 0)
			break;
	}
	closedir(d);
}

/* What /proc says about pid; 0 or -errno. */
static int owner_from_proc(const struct seed_ctx *c, uint32_t pid,
			   struct ptd_attrib_owner *o)
{
	char path[64], buf[4096], *lp, *rp;
	struct stat st;
	FILE *f;
	int fd, ppid;
	ssize_t n;

	memset(o, 0, sizeof(*o));
	o->pid = o->tid = pid;
	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold spaces and parentheses. */
	lp = strchr(buf, '(');
	rp = strrchr(buf, ')');
	if (!lp || !rp || rp < lp)
		return -EIO;
	snprintf(o->comm, sizeof(o->comm), "%.*s", (int)(rp - lp - 1), lp + 1);
	if (sscanf(rp + 1, " %*c %d", &ppid) == 1) {
		o->ppid = (uint32_t)ppid;
		o->flags |= PTD_ATTRIB_F_PPID;
	}
	snprintf(path, sizeof(path), "/proc/%u/status", pid);
	f = fopen(path, "re");
	if (f) {
		while (fgets(buf, sizeof(buf), f)) {
			sscanf(buf, "Uid: %u", &o->uid);
			sscanf(buf, "Gid: %u", &o->gid);
		}
		fclose(f);
	}
	snprintf(path, sizeof(path), "/proc/%u/cgroup", pid);
	f = fopen(path, "re");
	if (f && c->cgroot[0]) {
		while (fgets(buf, sizeof(buf), f)) {
			char full[PATH_MAX + 4096];

			if (strncmp(buf, "0::", 3))
				continue;
			buf[strcspn(buf, "\n")] = '\0';
			snprintf(full, sizeof(full), "%s%s", c->cgroot, buf + 3);
			if (stat(full, &st) == 0) {
				o->cgroup_id = st.st_ino;
				o->flags |= PTD_ATTRIB_F_CGROUP;
			}
		}
	}
	if (f)
		fclose(f);
	o->source = PTD_ATTRIB_SRC_SEED;
	return 0;
}

static void fold_v4(struct ptd_attrib_tuple *t)
{
	static const uint32_t zero[4];
	uint32_t mapped = htonl(0x0000ffff);

	if (t->family != AF_INET6 || t->laddr[0] || t->laddr[1] ||
	    t->laddr[2] != mapped)
		return;
	if (memcmp(t->raddr, zero, sizeof(zero)) &&
	    (t->raddr[0] || t->raddr[1] || t->raddr[2] != mapped))
		return;
	t->family = AF_INET;
	t->laddr[0] = t->laddr[3];
	t->raddr[0] = t->raddr[3];
	t->laddr[1] = t->laddr[2] = t->laddr[3] = 0;
	t->raddr[1] = t->raddr[2] = t->raddr[3] = 0;
}

static void record(struct seed_ctx *c, const struct inet_diag_msg *m,
		   uint8_t proto, uint64_t netns_cookie)
{
	struct ptd_attrib_owner o;
	struct ptd_attrib_tuple t;
	uint32_t pid = holder_of(c, m->idiag_inode);

	if (!pid || owner_from_proc(c, pid, &o) < 0)
		return;
	o.cookie = (uint64_t)m->id.idiag_cookie[0] |
		   (uint64_t)m->id.idiag_cookie[1] << 32;
	if (bpf_map_update_elem(c->socks_fd, &o.cookie, &o, BPF_NOEXIST) == 0)
		c->found++;
	if (!netns_cookie || !m->id.idiag_sport)
		return;
	memset(&t, 0, sizeof(t));
	t.netns_cookie = netns_cookie;
	t.family = m->idiag_family;
	t.proto = proto;
	t.lport = ntohs(m->id.idiag_sport);
	t.rport = ntohs(m->id.idiag_dport);
	memcpy(t.laddr, m->id.idiag_src, m->idiag_family == AF_INET ? 4 : 16);
	memcpy(t.raddr, m->id.idiag_dst, m->idiag_family == AF_INET ? 4 : 16);
	fold_v4(&t);
	bpf_map_update_elem(c->tuples_fd, &t, &o, BPF_NOEXIST);
}

/* One dump: every socket of family/proto in the current namespace. */
static int dump(struct seed_ctx *c, int nl, uint8_t family, uint8_t proto,
		uint64_t netns_cookie)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = SOCK_DIAG_BY_FAMILY,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		},
		.r = {
			.sdiag_family = family,
			.sdiag_protocol = proto,
			.idiag_states = ~0u,
		},
	};
	static char buf[32768] __attribute__((aligned(4)));
	struct nlmsghdr *h;
	ssize_t n;

	if (send(nl, &req, sizeof(req), 0) < 0)
		return -errno;
	for (;;) {
		n = recv(nl, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error ? e->error : -EIO;
			}
			if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				record(c, NLMSG_DATA(h), proto, netns_cookie);
		}
	}
}

static int dump_namespace(struct seed_ctx *c)
{
	static const uint8_t families[] = { AF_INET, AF_INET6 };
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP };
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	int nl, rc = 0;
	size_t i, j;

	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl < 0)
		return -errno;
	/* Without it (before 5.14) only cookies are seeded: tuple keys
	 * need the namespace's cookie. */
	if (getsockopt(nl, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) < 0)
		cookie = 0;
	for (i = 0; i < 2 && rc == 0; i++)
		for (j = 0; j < 2 && rc == 0; j++)
			rc = dump(c, nl, families[i], protos[j], cookie);
	close(nl);
	return rc;
}

static int seen_netns(struct seed_ctx *c, uint64_t ino)
{
	size_t i;

	for (i = 0; i < c->nnetns; i++)
		if (c->netns[i] == ino)
			return 1;
	if (c->nnetns == c->netns_cap) {
		size_t cap = c->netns_cap ? c->netns_cap * 2 : 16;
		uint64_t *n = realloc(c->netns, cap * sizeof(*n));

		if (!n)
			return 1;
		c->netns = n;
		c->netns_cap = cap;
	}
	c->netns[c->nnetns++] = ino;
	return 0;
}

int ptd_attrib_seed_sock_diag(int socks_fd, int tuples_fd, uint64_t *found)
{
	struct seed_ctx c = { .socks_fd = socks_fd, .tuples_fd = tuples_fd };
	struct dirent *de;
	struct stat st;
	char path[300];
	int self = -1, rc = 0;
	DIR *proc = NULL;

	if (found)
		*found = 0;
	if (ptd_attrib_find_cgroup2(c.cgroot, sizeof(c.cgroot)) < 0)
		c.cgroot[0] = '\0';
	proc = opendir("/proc");
	if (!proc) {
		rc = -errno;
		goto out;
	}
	while ((de = readdir(proc)))
		if (is_pid(de->d_name))
			scan_fds(&c, de->d_name);
	qsort(c.holders, c.nholders, sizeof(*c.holders), cmp_holder);

	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		rc = -errno;
		goto out;
	}
	/* Our own namespace first, then one process per other namespace. */
	if (fstat(self, &st) == 0)
		seen_netns(&c, st.st_ino);
	rc = dump_namespace(&c);
	if (rc < 0)
		goto out;
	rewinddir(proc);
	while ((de = readdir(proc))) {
		int ns;

		if (!is_pid(de->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
		if (stat(path, &st) < 0 || seen_netns(&c, st.st_ino))
			continue;
		ns = open(path, O_RDONLY | O_CLOEXEC);
		if (ns < 0)
			continue;
		if (setns(ns, CLONE_NEWNET) == 0) {
			dump_namespace(&c); /* best effort per namespace */
			if (setns(self, CLONE_NEWNET) < 0) {
				rc = -errno; /* stranded: say so loudly */
				close(ns);
				goto out;
			}
		}
		close(ns);
	}
out:
	if (found)
		*found = c.found;
	if (self >= 0)
		close(self);
	if (proc)
		closedir(proc);
	free(c.holders);
	free(c.netns);
	return rc;
}
