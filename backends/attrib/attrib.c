// SPDX-License-Identifier: BSD-2-Clause
/*
 * User space of bpf/attrib.bpf.c: probe, load and attach the attribution
 * programs, seed the maps with the sockets that already exist, and pass
 * exec/exit records on.
 *
 * Every program is optional.  The whole object is tried first; when the
 * kernel refuses it, each program is loaded alone in a scratch copy of the
 * object, those that fail are switched off (one debug line each), and the
 * rest is loaded for real.  A hook that loads but cannot be attached is
 * skipped the same way.  Only when nothing at all runs is it an error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "backends/attrib/attrib.h"
#include "backends/attrib/seed.h"
#include "bpf/attrib.skel.h"
#include "bpf/proc_filter.h"

#define ATTRIB_MAX_PROGS 32
#define ATTRIB_MAX_LINK_FDS 8
#define ATTRIB_SO_NETNS_COOKIE 71 /* 5.14+; older libc headers lack it */

struct ptd_attrib {
	struct ptd_attrib_config cfg;
	struct attrib *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[ATTRIB_MAX_PROGS];
	int nlinks;
	int link_fds[ATTRIB_MAX_LINK_FDS];  /* the self-test's TCX links */
	int nlink_fds;
	char attached[512];
	char skipped[512];
	int fork_attached;                  /* the process filter relies on it */
};

static void say(const struct ptd_attrib_config *cfg, enum ptd_log_level level,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(const struct ptd_attrib_config *cfg, enum ptd_log_level level,
		const char *fmt, ...)
{
	va_list ap;

	if (!cfg->log)
		return;
	va_start(ap, fmt);
	cfg->log(cfg->log_arg, level, fmt, ap);
	va_end(ap);
}

static void append(char *buf, size_t len, const char *word)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? " " : "", word);
}

static int quiet_print(enum libbpf_print_level level, const char *fmt,
		       va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static int is_selftest(const struct bpf_program *prog)
{
	return bpf_program__type(prog) == BPF_PROG_TYPE_SCHED_CLS;
}

/*
 * Sizes and which programs load.  skip[i] switches program i off (the
 * order of bpf_object__for_each_program, the same in every copy);
 * only >= 0 loads program only alone, with tiny maps: a probe.
 */
static int configure(struct attrib *skel, const struct ptd_attrib_config *cfg,
		     const unsigned char *skip, int only)
{
	struct bpf_program *prog;
	struct bpf_map *map;
	int i = 0, rc;

	bpf_object__for_each_map(map, skel->obj) {
		uint32_t n = 0;

		if (bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF)
			continue;
		if (only >= 0)
			n = 1;
		else if (map == skel->maps.ptd_attrib_socks)
			n = cfg->socks_max;
		else if (map == skel->maps.ptd_attrib_tuples)
			n = cfg->tuples_max;
		else if (map == skel->maps.ptd_attrib_procs)
			n = cfg->procs_max;
		if (n && (rc = bpf_map__set_max_entries(map, n)) < 0)
			return rc;
	}
	skel->rodata->ptd_attrib_pid_filter = cfg->n_filter_pids > 0;
	skel->rodata->ptd_attrib_follow_forks = !!cfg->follow_forks;
	bpf_object__for_each_program(prog, skel->obj) {
		int load;

		if (i >= ATTRIB_MAX_PROGS)
			return -E2BIG;
		if (only >= 0)
			load = i == only;
		else
			load = !skip[i] && (!is_selftest(prog) || cfg->with_selftest);
		rc = bpf_program__set_autoload(prog, load);
		if (rc < 0)
			return rc;
		i++;
	}
	return i;
}

static int open_and_load(const struct ptd_attrib_config *cfg,
			 const unsigned char *skip, int only,
			 struct attrib **out, int *nprogs)
{
	struct attrib *skel;
	int rc;

	*out = NULL;
	skel = attrib__open();
	if (!skel)
		return errno ? -errno : -ENOMEM;
	rc = configure(skel, cfg, skip, only);
	if (rc < 0)
		goto out;
	if (nprogs)
		*nprogs = rc;
	rc = attrib__load(skel);
	if (rc < 0)
		goto out;
	*out = skel;
	return 0;
out:
	attrib__destroy(skel);
	return rc;
}

static int load(struct ptd_attrib *a)
{
	unsigned char skip[ATTRIB_MAX_PROGS] = { 0 };
	const char *names[ATTRIB_MAX_PROGS] = { NULL };
	unsigned char unwanted[ATTRIB_MAX_PROGS] = { 0 };
	struct attrib *names_skel = NULL, *probe;
	struct bpf_program *prog;
	libbpf_print_fn_t prev;
	int i, n = 0, rc, prc, loadable = 0;

	/* The probes' verifier logs are expected failures: keep them out of
	 * the debug output; the last load below speaks for itself. */
	prev = libbpf_set_print(quiet_print);
	rc = open_and_load(&a->cfg, skip, -1, &a->skel, &n);
	if (rc == 0)
		goto out;
	names_skel = attrib__open();
	if (!names_skel)
		goto out;
	i = 0;
	bpf_object__for_each_program(prog, names_skel->obj)
		if (i < ATTRIB_MAX_PROGS) {
			unwanted[i] = is_selftest(prog) && !a->cfg.with_selftest;
			names[i++] = bpf_program__name(prog);
		}
	for (i = 0; i < n; i++) {
		if (unwanted[i])
			continue;
		prc = open_and_load(&a->cfg, skip, i, &probe, NULL);
		if (prc == 0) {
			loadable++;
			attrib__destroy(probe);
			continue;
		}
		skip[i] = 1;
		say(&a->cfg, PTD_LOG_DEBUG, "attrib: skipping %s: the kernel does not load it (%s)",
		    names[i] ? names[i] : "?", strerror(-prc));
		append(a->skipped, sizeof(a->skipped), names[i] ? names[i] : "?");
	}
	libbpf_set_print(prev);
	if (loadable)
		rc = open_and_load(&a->cfg, skip, -1, &a->skel, NULL);
	attrib__destroy(names_skel);
	return rc;
out:
	libbpf_set_print(prev);
	return rc;
}

/* The first cgroup2 mount in /proc/self/mounts (hybrid hierarchies put it
 * at /sys/fs/cgroup/unified, pure v2 at /sys/fs/cgroup). */
int ptd_attrib_find_cgroup2(char *path, size_t len)
{
	char line[4096], mnt[4096], type[64];
	FILE *f;
	int rc = -ENOENT;

	f = fopen("/proc/self/mounts", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *s;
		size_t n = 0;

		if (sscanf(line, "%*s %4095s %63s", mnt, type) != 2 ||
		    strcmp(type, "cgroup2"))
			continue;
		/* Octal escapes: \040 is a space. */
		for (s = mnt; *s && n + 1 < len; s++) {
			if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
			    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
				path[n++] = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
				s += 3;
			} else {
				path[n++] = *s;
			}
		}
		path[n] = '\0';
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

/*
 * The root of the cgroup v2 hierarchy, opened.  Where none is mounted in
 * our mount namespace (`ip netns exec` mounts a fresh /sys, hiding
 * /sys/fs/cgroup), mount one on a private directory just long enough to
 * open it: the directory fd keeps the cgroup, and nothing stays mounted.
 */
static int open_cgroup2(struct ptd_attrib *a)
{
	char path[4096], tmp[] = "/tmp/ptcpdump-cgroup2.XXXXXX";
	int fd;

	if (a->cfg.cgroup_path)
		snprintf(path, sizeof(path), "%s", a->cfg.cgroup_path);
	if (a->cfg.cgroup_path || ptd_attrib_find_cgroup2(path, sizeof(path)) == 0) {
		fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			say(&a->cfg, PTD_LOG_DEBUG, "attrib: cannot open %s: %s: socket hooks skipped",
			    path, strerror(errno));
		return fd;
	}
	if (!mkdtemp(tmp)) {
		say(&a->cfg, PTD_LOG_DEBUG, "attrib: no cgroup2 mount, and cannot make a directory for one: %s: socket hooks skipped",
		    strerror(errno));
		return -1;
	}
	fd = -1;
	if (mount("cgroup2", tmp, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		say(&a->cfg, PTD_LOG_DEBUG, "attrib: no cgroup2 mount, and mounting one failed: %s: socket hooks skipped",
		    strerror(errno));
	} else {
		fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			say(&a->cfg, PTD_LOG_DEBUG, "attrib: cannot open the cgroup2 mount: %s: socket hooks skipped",
			    strerror(errno));
		else
			say(&a->cfg, PTD_LOG_DEBUG, "attrib: no cgroup2 mount in this mount namespace: mounted one to attach the socket hooks");
		umount2(tmp, MNT_DETACH);
	}
	rmdir(tmp);
	return fd;
}

static int attach(struct ptd_attrib *a)
{
	struct bpf_program *prog;
	int cgfd;

	cgfd = open_cgroup2(a);
	bpf_object__for_each_program(prog, a->skel->obj) {
		enum bpf_prog_type type = bpf_program__type(prog);
		const char *name = bpf_program__name(prog);
		struct bpf_link *link = NULL;

		if (!bpf_program__autoload(prog) || is_selftest(prog) ||
		    bpf_program__expected_attach_type(prog) == BPF_TRACE_ITER)
			continue;
		if (a->nlinks >= ATTRIB_MAX_PROGS)
			break;
		errno = ENOENT;
		if (type == BPF_PROG_TYPE_CGROUP_SOCK ||
		    type == BPF_PROG_TYPE_CGROUP_SOCK_ADDR) {
			if (cgfd >= 0)
				link = bpf_program__attach_cgroup(prog, cgfd);
		} else {
			link = bpf_program__attach(prog);
		}
		if (!link) {
			say(&a->cfg, PTD_LOG_DEBUG, "attrib: skipping %s: cannot attach (%s)",
			    name, strerror(errno));
			append(a->skipped, sizeof(a->skipped), name);
			continue;
		}
		a->links[a->nlinks++] = link;
		if (prog == a->skel->progs.ptd_attrib_fork)
			a->fork_attached = 1;
		append(a->attached, sizeof(a->attached), name);
	}
	if (cgfd >= 0)
		close(cgfd);
	return a->nlinks ? 0 : -ENOTSUP;
}

/* The process filter's sets, before the hooks run: the fork tracepoint
 * must find the given pids there from its first call. */
static int fill_filter(struct ptd_attrib *a)
{
	int pids = bpf_map__fd(a->skel->maps.ptd_proc_filter_pids);
	int uids = bpf_map__fd(a->skel->maps.ptd_proc_filter_uids);
	uint32_t given = PTD_PF_PID_GIVEN, one = 1;
	size_t i;

	for (i = 0; i < a->cfg.n_filter_pids; i++)
		if (bpf_map_update_elem(pids, &a->cfg.filter_pids[i], &given,
					BPF_ANY) < 0)
			return -errno;
	for (i = 0; i < a->cfg.n_filter_uids; i++)
		if (bpf_map_update_elem(uids, &a->cfg.filter_uids[i], &one,
					BPF_ANY) < 0)
			return -errno;
	return 0;
}

static int on_ring_record(void *ctx, void *data, size_t size)
{
	struct ptd_attrib *a = ctx;

	if (size < sizeof(struct ptd_attrib_event) || !a->cfg.on_event)
		return 0;
	return a->cfg.on_event(a->cfg.event_arg, data);
}

int ptd_attrib_open(const struct ptd_attrib_config *cfg, struct ptd_attrib **out)
{
	struct ptd_attrib *a;
	int rc;

	*out = NULL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->cfg = *cfg;
	rc = load(a);
	if (rc < 0) {
		say(cfg, PTD_LOG_DEBUG, "attrib: cannot load the attribution programs: %s",
		    strerror(-rc));
		goto out;
	}
	rc = fill_filter(a);
	if (rc < 0)
		goto out;
	rc = attach(a);
	if (rc < 0) {
		say(cfg, PTD_LOG_DEBUG, "attrib: no attribution hook could be attached");
		goto out;
	}
	if (cfg->n_filter_pids && !a->fork_attached) {
		say(cfg, PTD_LOG_DEBUG, "attrib: a pid filter needs the sched_process_fork tracepoint");
		rc = -ENOTSUP;
		goto out;
	}
	if (bpf_program__autoload(a->skel->progs.ptd_attrib_exec) ||
	    bpf_program__autoload(a->skel->progs.ptd_attrib_exit)) {
		a->rb = ring_buffer__new(bpf_map__fd(a->skel->maps.ptd_attrib_events),
					 on_ring_record, a, NULL);
		if (!a->rb) {
			rc = errno ? -errno : -ENOMEM;
			goto out;
		}
	}
	say(cfg, PTD_LOG_DEBUG, "attrib: attached: %s", a->attached);
	*out = a;
	return 0;
out:
	ptd_attrib_close(a);
	return rc;
}

void ptd_attrib_close(struct ptd_attrib *a)
{
	int i;

	if (!a)
		return;
	ring_buffer__free(a->rb);
	for (i = 0; i < a->nlinks; i++)
		bpf_link__destroy(a->links[i]);
	for (i = 0; i < a->nlink_fds; i++)
		close(a->link_fds[i]);
	attrib__destroy(a->skel);
	free(a);
}

/* For kernels without the task_file iterator or bpf_sock_from_file()
 * (before 5.11): see seed_diag.c. */
static int seed_from_sock_diag(struct ptd_attrib *a, uint64_t *found)
{
	int rc;

	rc = ptd_attrib_seed_sock_diag(bpf_map__fd(a->skel->maps.ptd_attrib_socks),
				       bpf_map__fd(a->skel->maps.ptd_attrib_tuples),
				       found);
	say(&a->cfg, PTD_LOG_DEBUG, "attrib: seeded from sock_diag and /proc: %s",
	    rc < 0 ? strerror(-rc) : "done");
	return rc;
}

int ptd_attrib_seed(struct ptd_attrib *a, uint64_t *found)
{
	struct bpf_program *prog = a->skel->progs.ptd_attrib_seed;
	struct bpf_link *link = NULL;
	char buf[256];
	int fd = -1, rc = 0;
	ssize_t n;

	if (found)
		*found = 0;
	if (!bpf_program__autoload(prog) || a->cfg.seed_sock_diag)
		return seed_from_sock_diag(a, found);
	link = bpf_program__attach_iter(prog, NULL);
	if (!link) {
		say(&a->cfg, PTD_LOG_DEBUG, "attrib: socket iterator: cannot attach (%s)",
		    strerror(errno));
		return seed_from_sock_diag(a, found);
	}
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0) {
		rc = -errno;
		goto out;
	}
	/* The program writes nothing: reading to the end runs it over every
	 * task's files. */
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0)
			continue;
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			rc = -errno;
		break;
	}
	if (rc == 0 && found)
		*found = a->skel->bss->ptd_attrib_stats.seeded_socks;
out:
	if (fd >= 0)
		close(fd);
	bpf_link__destroy(link);
	return rc;
}

int ptd_attrib_map_fd(const struct ptd_attrib *a, enum ptd_attrib_map which)
{
	switch (which) {
	case PTD_ATTRIB_MAP_SOCKS:
		return bpf_map__fd(a->skel->maps.ptd_attrib_socks);
	case PTD_ATTRIB_MAP_TUPLES:
		return bpf_map__fd(a->skel->maps.ptd_attrib_tuples);
	case PTD_ATTRIB_MAP_PROCS:
		return bpf_map__fd(a->skel->maps.ptd_attrib_procs);
	case PTD_ATTRIB_MAP_EVENTS:
		return bpf_map__fd(a->skel->maps.ptd_attrib_events);
	case PTD_ATTRIB_MAP_FILTER_PIDS:
		return bpf_map__fd(a->skel->maps.ptd_proc_filter_pids);
	case PTD_ATTRIB_MAP_FILTER_UIDS:
		return bpf_map__fd(a->skel->maps.ptd_proc_filter_uids);
	case PTD_ATTRIB_MAP_SKCACHE:
		return bpf_map__fd(a->skel->maps.ptd_attrib_skcache);
	}
	return -ENOENT;
}

int ptd_attrib_events_fd(const struct ptd_attrib *a)
{
	return a->rb ? ring_buffer__epoll_fd(a->rb) : -ENOENT;
}

int ptd_attrib_drain(struct ptd_attrib *a)
{
	int rc;

	if (!a->rb)
		return 0;
	rc = ring_buffer__consume(a->rb);
	return rc;
}

static int lookup(int fd, const void *key, void *value)
{
	return bpf_map_lookup_elem(fd, key, value) ? -errno : 0;
}

int ptd_attrib_lookup_cookie(const struct ptd_attrib *a, uint64_t cookie,
			     struct ptd_attrib_owner *out)
{
	return lookup(ptd_attrib_map_fd(a, PTD_ATTRIB_MAP_SOCKS), &cookie, out);
}

int ptd_attrib_lookup_tuple(const struct ptd_attrib *a,
			    const struct ptd_attrib_tuple *key,
			    struct ptd_attrib_owner *out)
{
	return lookup(ptd_attrib_map_fd(a, PTD_ATTRIB_MAP_TUPLES), key, out);
}

int ptd_attrib_lookup_proc(const struct ptd_attrib *a, uint32_t pid,
			   struct ptd_attrib_proc *out)
{
	return lookup(ptd_attrib_map_fd(a, PTD_ATTRIB_MAP_PROCS), &pid, out);
}

int ptd_attrib_selftest_lookup(struct ptd_attrib *a, const void *frame,
			       size_t len, int egress, uint64_t netns_cookie,
			       struct ptd_attrib_owner *out)
{
	struct bpf_program *prog = a->skel->progs.ptd_attrib_test_lookup;
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = (__u32)len,
		.repeat = 1,
	);
	int rc;

	if (!bpf_program__autoload(prog) || bpf_program__fd(prog) < 0)
		return -ENOTSUP;
	a->skel->bss->ptd_attrib_test_netns = netns_cookie;
	a->skel->bss->ptd_attrib_test_egress = !!egress;
	a->skel->bss->ptd_attrib_test_rc = -ENOENT;
	rc = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (rc < 0)
		return -errno;
	rc = a->skel->bss->ptd_attrib_test_rc;
	if (rc == 0)
		*out = a->skel->bss->ptd_attrib_test_owner;
	return rc;
}

int ptd_attrib_netns_cookie(uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd, rc = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, ATTRIB_SO_NETNS_COOKIE, cookie, &len) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* TCX (6.6+) attach types; older uapi headers lack them. */
#define ATTRIB_TCX_INGRESS 46
#define ATTRIB_TCX_EGRESS 47

int ptd_attrib_selftest_attach(struct ptd_attrib *a, const char *netns_path,
			       const char *ifname)
{
	struct bpf_program *progs[2] = {
		a->skel->progs.ptd_attrib_test_tc_in,
		a->skel->progs.ptd_attrib_test_tc_out,
	};
	static const int types[2] = { ATTRIB_TCX_INGRESS, ATTRIB_TCX_EGRESS };
	int self = -1, ns = -1, rc = 0, i, fd;
	unsigned int ifindex;
	uint64_t cookie;

	if (!bpf_program__autoload(progs[0]) || !bpf_program__autoload(progs[1]))
		return -ENOTSUP;
	if (a->nlink_fds + 2 > ATTRIB_MAX_LINK_FDS)
		return -E2BIG;
	if (netns_path) {
		self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		ns = open(netns_path, O_RDONLY | O_CLOEXEC);
		if (self < 0 || ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
			rc = -errno;
			goto out;
		}
	}
	ifindex = if_nametoindex(ifname);
	if (!ifindex)
		rc = -errno;
	if (rc == 0)
		rc = ptd_attrib_netns_cookie(&cookie);
	/* Namespaces reuse ifindexes: two devices with the same index cannot
	 * both be told apart here. */
	if (rc == 0 &&
	    bpf_map_update_elem(bpf_map__fd(a->skel->maps.ptd_attrib_test_ifnetns),
				&ifindex, &cookie, BPF_NOEXIST) < 0)
		rc = -errno;
	for (i = 0; i < 2 && rc == 0; i++) {
		fd = bpf_link_create(bpf_program__fd(progs[i]), (int)ifindex,
				     types[i], NULL);
		if (fd < 0) {
			rc = fd == -EINVAL ? -ENOTSUP : fd;
			break;
		}
		/* libbpf 1.1 cannot wrap a link fd it did not make: keep
		 * the fd; closing it detaches. */
		a->link_fds[a->nlink_fds++] = fd;
	}
	if (netns_path && setns(self, CLONE_NEWNET) < 0)
		rc = -errno;
out:
	if (self >= 0)
		close(self);
	if (ns >= 0)
		close(ns);
	return rc;
}

int ptd_attrib_selftest_seen(const struct ptd_attrib *a,
			     const struct ptd_attrib_tuple *wire, int egress,
			     struct ptd_attrib_owner *out)
{
	struct {
		struct ptd_attrib_tuple t;
		uint32_t egress;
		uint32_t pad;
	} key;

	memset(&key, 0, sizeof(key));
	key.t = *wire;
	key.egress = !!egress;
	return lookup(bpf_map__fd(a->skel->maps.ptd_attrib_test_seen), &key, out);
}

void ptd_attrib_get_stats(const struct ptd_attrib *a, struct ptd_attrib_stats *out)
{
	*out = a->skel->bss->ptd_attrib_stats;
}

void ptd_attrib_describe(const struct ptd_attrib *a, char *buf, size_t len)
{
	snprintf(buf, len, "attached: %s; skipped: %s",
		 a->attached[0] ? a->attached : "none",
		 a->skipped[0] ? a->skipped : "none");
}
