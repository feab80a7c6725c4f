/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": putting the capture programs on a device's hooks.
 *
 * TCX links first (Linux 6.6+): they go away with the last reference, so a
 * capture killed with SIGKILL leaves nothing behind.  Whether the kernel
 * has them is learnt by trying the first attach, never from its version.
 * Without TCX, a clsact qdisc and a cls_bpf filter per hook; those outlive
 * the process, so each start first removes what a killed earlier run left.
 * A clean exit also removes the qdisc when we created it and it is empty
 * (qdisc.c); a killed run's qdisc stays, as nothing tells it was ours.
 *
 * Position on the hook mirrors where tcpdump's packet socket sees packets:
 * ingress before anything else may rewrite or drop them, egress after the
 * others have had their say.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "backends/tc/tc.h"

/* libbpf 1.1's headers predate TCX: the kernel's values. */
#define TC_TCX_INGRESS   46
#define TC_TCX_EGRESS    47
#define TC_BPF_F_BEFORE  (1u << 3)
#define TC_BPF_F_AFTER   (1u << 4)

/*
 * Our cls_bpf filters: handle "pt" plus a slot, so a few runs can share a
 * device; priority 1 on ingress (first), the largest on egress (last).
 * A filter in one of our slots whose program is ours by name and held by
 * no process is what a killed run left: removed at start.
 */
#define TC_HANDLE_BASE   0x70740000u
#define TC_SLOTS         8
#define TC_PRIO_IN       1
#define TC_PRIO_OUT      0xffff
#define TC_PROG_PREFIX   "ptd_tc_"

static const char *const hook_names[TC_HOOK_COUNT] = { "ingress", "egress" };

static void init_hook(struct bpf_tc_hook *hook, const struct tc_dev *dev,
		      enum tc_hook_index h)
{
	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->ifindex = (int)dev->iface.ifindex;
	hook->attach_point = h == TC_HOOK_IN ? BPF_TC_INGRESS : BPF_TC_EGRESS;
}

static void init_filter(struct bpf_tc_opts *opts, enum tc_hook_index h,
			uint32_t handle)
{
	memset(opts, 0, sizeof(*opts));
	opts->sz = sizeof(*opts);
	opts->handle = handle;
	opts->priority = h == TC_HOOK_IN ? TC_PRIO_IN : TC_PRIO_OUT;
}

static int prog_is_ours(uint32_t prog_id)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(prog_id), ours = 0;

	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
		ours = strncmp(info.name, TC_PROG_PREFIX, strlen(TC_PROG_PREFIX)) == 0;
	close(fd);
	return ours;
}

/* Does fdinfo of /proc/PID/fd/FD name program prog_id? */
static int fdinfo_has_prog(const char *pid, const char *fd, uint32_t prog_id)
{
	char path[544], line[128];
	unsigned int id;
	int found = 0;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", pid, fd);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	while (!found && fgets(line, sizeof(line), fp))
		found = sscanf(line, "prog_id: %u", &id) == 1 && id == prog_id;
	fclose(fp);
	return found;
}

/*
 * A running capture holds its programs open; a killed one's filter is the
 * only reference left.  The kernel shows no reference count, so look for
 * a process with the program open.  Only runs when one of our slots is
 * taken, which is rare.
 */
static int prog_held_by_a_process(uint32_t prog_id)
{
	char self[16], path[544], target[64];
	struct dirent *p, *f;
	DIR *procs, *fds;
	int held = 0;

	snprintf(self, sizeof(self), "%d", (int)getpid());
	procs = opendir("/proc");
	if (!procs)
		return 1; /* cannot tell: keep it */
	while (!held && (p = readdir(procs))) {
		if (p->d_name[0] < '0' || p->d_name[0] > '9' ||
		    strcmp(p->d_name, self) == 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while (!held && (f = readdir(fds))) {
			ssize_t n;

			if (f->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name,
				 f->d_name);
			n = readlink(path, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (strcmp(target, "anon_inode:bpf-prog") == 0)
				held = fdinfo_has_prog(p->d_name, f->d_name, prog_id);
		}
		closedir(fds);
	}
	closedir(procs);
	return held;
}

/*
 * Removes a killed run's filters from one hook; returns a bit mask of the
 * slots still taken (by live runs or by others' filters).
 */
static uint32_t sweep_hook(struct tc_attach *at, const struct tc_dev *dev,
			   enum tc_hook_index h)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	uint32_t busy = 0;

	init_hook(&hook, dev, h);
	for (uint32_t slot = 0; slot < TC_SLOTS; slot++) {
		int rc;

		init_filter(&opts, h, TC_HANDLE_BASE + slot);
		rc = bpf_tc_query(&hook, &opts);
		if (rc == -EINVAL)
			break;    /* no clsact qdisc: nothing of ours here */
		if (rc < 0)
			continue; /* no such filter */
		if (!prog_is_ours(opts.prog_id) ||
		    prog_held_by_a_process(opts.prog_id)) {
			busy |= 1u << slot;
			continue;
		}
		init_filter(&opts, h, TC_HANDLE_BASE + slot);
		if (bpf_tc_detach(&hook, &opts) == 0)
			ptd_info(at->host, "%s: removed the %s filter a killed capture left (handle 0x%x)",
				 dev->name, hook_names[h], TC_HANDLE_BASE + slot);
		else
			busy |= 1u << slot;
	}
	return busy;
}

static int attach_tcx(struct tc_attach *at, struct tc_dev *dev,
		      enum tc_hook_index h)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts,
		.flags = h == TC_HOOK_IN ? TC_BPF_F_BEFORE : TC_BPF_F_AFTER);
	int type = h == TC_HOOK_IN ? TC_TCX_INGRESS : TC_TCX_EGRESS;
	int fd;

	fd = bpf_link_create(at->prog_fd[h], (int)dev->iface.ifindex,
			     (enum bpf_attach_type)type, &opts);
	if (fd < 0)
		return -errno;
	dev->link_fd[h] = fd;
	return 0;
}

static int attach_clsact(struct tc_attach *at, struct tc_dev *dev,
			 enum tc_hook_index h, uint32_t busy)
{
	struct bpf_tc_hook hook;
	struct bpf_tc_opts opts;
	int rc;

	init_hook(&hook, dev, h);
	rc = bpf_tc_hook_create(&hook); /* the clsact qdisc, if missing */
	if (rc == 0)
		dev->made_clsact = 1;
	else if (rc != -EEXIST)
		return rc;
	rc = -EBUSY;
	for (uint32_t slot = 0; slot < TC_SLOTS && rc == -EBUSY; slot++) {
		if (busy & (1u << slot))
			continue;
		init_filter(&opts, h, TC_HANDLE_BASE + slot);
		opts.prog_fd = at->prog_fd[h];
		rc = bpf_tc_attach(&hook, &opts);
		if (rc == 0)
			dev->filter_handle[h] = TC_HANDLE_BASE + slot;
		else if (rc == -EEXIST) /* taken since the sweep */
			rc = -EBUSY;
	}
	return rc;
}

/* Errors of a kernel without TCX (the attach type is unknown to it). */
static int tcx_missing(int rc)
{
	return rc == -EINVAL || rc == -EOPNOTSUPP || rc == -524 /* ENOTSUPP */;
}

int tc_attach_dev(struct tc_attach *at, struct tc_dev *dev, char *err,
		  size_t errlen)
{
	uint32_t busy[TC_HOOK_COUNT];
	int rc = 0;

	/* Always: a killed run may have used clsact on this very device. */
	for (int h = 0; h < TC_HOOK_COUNT; h++)
		busy[h] = sweep_hook(at, dev, (enum tc_hook_index)h);

	for (int h = 0; h < TC_HOOK_COUNT; h++) {
		enum tc_hook_index hk = (enum tc_hook_index)h;

		if (!(dev->hooks & TC_HOOK_BIT(hk)))
			continue;
		if (at->mode != TC_ATTACH_CLSACT) {
			rc = attach_tcx(at, dev, hk);
			if (rc == 0) {
				at->mode = TC_ATTACH_TCX;
				continue;
			}
			if (at->mode != TC_ATTACH_AUTO || !tcx_missing(rc)) {
				snprintf(err, errlen, "%s: cannot attach to the %s hook (TCX): %s",
					 dev->name, hook_names[h], strerror(-rc));
				goto out;
			}
			ptd_debug(at->host, "TCX links not available (%s): using clsact + cls_bpf",
				  strerror(-rc));
			at->mode = TC_ATTACH_CLSACT;
		}
		rc = attach_clsact(at, dev, hk, busy[h]);
		if (rc < 0) {
			snprintf(err, errlen, "%s: cannot attach to the %s hook (clsact): %s",
				 dev->name, hook_names[h],
				 rc == -EBUSY ? "every filter slot of ours is taken" :
				 strerror(-rc));
			goto out;
		}
	}
out:
	if (rc < 0)
		tc_detach_dev(at, dev);
	return rc;
}

void tc_detach_dev(struct tc_attach *at, struct tc_dev *dev)
{
	for (int h = 0; h < TC_HOOK_COUNT; h++) {
		enum tc_hook_index hk = (enum tc_hook_index)h;

		if (dev->link_fd[h] >= 0) {
			close(dev->link_fd[h]); /* the last reference: detached */
			dev->link_fd[h] = -1;
		}
		if (dev->filter_handle[h]) {
			struct bpf_tc_hook hook;
			struct bpf_tc_opts opts;
			int rc;

			init_hook(&hook, dev, hk);
			init_filter(&opts, hk, dev->filter_handle[h]);
			rc = bpf_tc_detach(&hook, &opts);
			if (rc < 0 && rc != -ENOENT && rc != -ENODEV)
				ptd_warn(at->host, "%s: cannot remove our %s filter: %s",
					 dev->name, hook_names[h], strerror(-rc));
			dev->filter_handle[h] = 0;
		}
	}
	if (dev->made_clsact) {
		int rc = tc_clsact_remove_if_empty(at, dev);

		if (rc < 0 && rc != -ENODEV && rc != -ENOENT && rc != -EINVAL)
			ptd_warn(at->host, "%s: cannot remove the clsact qdisc we added: %s",
				 dev->name, strerror(-rc));
		dev->made_clsact = 0;
	}
}
