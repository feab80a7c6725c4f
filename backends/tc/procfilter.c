/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": the process filters (--pid, --pname, --uid, -f, and the
 * pid of -- command), evaluated by the capture programs against each
 * packet's owner (bpf/proc_filter.h).  The pid and uid sets are maps of
 * the attribution object, which fills them before its hooks run; the
 * capture programs take them over like the owner maps.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <bpf/libbpf.h>

#include <ptcpdump/plugin.h>

#include "backends/attrib/attrib.h"
#include "backends/tc/tc.h"
#include "bpf/proc_filter.h"
#include "bpf/tc_capture.skel.h"

void tc_proc_filter_init(struct tc_loader *ld, const struct ptd_options *o)
{
	ld->filter_pids_fd = -1;
	ld->filter_uids_fd = -1;
	if (!PTD_HAS_MEMBER(o->size, struct ptd_options, follow_forks))
		return;
	if (o->n_pids)
		ld->proc_filter |= PTD_PF_PIDS;
	if (o->n_uids)
		ld->proc_filter |= PTD_PF_UIDS;
	if (o->pname) {
		ld->proc_filter |= PTD_PF_COMM;
		/* the core refuses a longer name */
		strncpy(ld->proc_comm, o->pname, sizeof(ld->proc_comm) - 1);
	}
}

void tc_proc_filter_config(const struct tc_loader *ld,
			   const struct ptd_options *o,
			   struct ptd_attrib_config *cfg)
{
	if (!ld->proc_filter)
		return;
	cfg->filter_pids = o->pids;
	cfg->n_filter_pids = o->n_pids;
	cfg->filter_uids = o->uids;
	cfg->n_filter_uids = o->n_uids;
	cfg->follow_forks = o->follow_forks;
}

void tc_proc_filter_maps(struct tc_loader *ld, const struct ptd_attrib *a)
{
	if (!ld->proc_filter)
		return;
	ld->filter_pids_fd = ptd_attrib_map_fd(a, PTD_ATTRIB_MAP_FILTER_PIDS);
	ld->filter_uids_fd = ptd_attrib_map_fd(a, PTD_ATTRIB_MAP_FILTER_UIDS);
}

/* A process filter needs the owners: without them it cannot run, and
 * capturing everything instead would not be what was asked. */
int tc_proc_filter_share(const struct tc_loader *ld, struct tc_capture *skel,
			 int with_owners)
{
	int rc;

	if (!ld->proc_filter) {
		rc = bpf_map__set_max_entries(skel->maps.ptd_proc_filter_pids, 1);
		if (rc == 0)
			rc = bpf_map__set_max_entries(skel->maps.ptd_proc_filter_uids, 1);
		return rc;
	}
	if (!with_owners || ld->filter_pids_fd < 0 || ld->filter_uids_fd < 0)
		return -ENOTSUP;
	skel->rodata->ptd_proc_filter = ld->proc_filter;
	memcpy((char *)skel->rodata->ptd_proc_comm, ld->proc_comm,
	       sizeof(ld->proc_comm));
	rc = bpf_map__reuse_fd(skel->maps.ptd_proc_filter_pids,
			       ld->filter_pids_fd);
	if (rc == 0)
		rc = bpf_map__reuse_fd(skel->maps.ptd_proc_filter_uids,
				       ld->filter_uids_fd);
	return rc;
}
