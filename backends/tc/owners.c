// SPDX-License-Identifier: BSD-2-Clause
/*
 * The tc backend's side of attribution (backends/attrib): open the
 * attribution object, seed it with the sockets that already exist, hand
 * its maps to the capture programs' loader, and pass its exec/exit
 * records on to the enrichers as process events.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <ptcpdump/plugin.h>

#include "backends/attrib/attrib.h"
#include "backends/tc/tc.h"

static void attrib_log(void *arg, enum ptd_log_level level, const char *fmt,
		       va_list ap)
{
	const struct ptd_host *host = arg;
	char line[512];

	if (!host->log_enabled(host, level))
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	host->log(host, level, "%s", line);
}

/* An exec or exit from the attribution programs, to the enrichers: argv
 * as the stack holds it (NUL after each argument) becomes one line. */
static int attrib_event(void *arg, const struct ptd_attrib_event *ev)
{
	const struct ptd_host *h = arg;
	char comm[PTD_ATTRIB_COMM_LEN + 1];
	char cmd[PTD_ATTRIB_FILENAME_LEN + 1];
	char args[PTD_ATTRIB_ARGS_LEN + 1];
	struct ptd_process_event pe = { .size = sizeof(pe) };
	size_t n;

	if (!PTD_HAS_MEMBER(h->size, struct ptd_host, process_event) ||
	    !h->process_event)
		return 0;
	if (ev->type != PTD_ATTRIB_EV_EXEC && ev->type != PTD_ATTRIB_EV_EXIT)
		return 0;
	pe.type = ev->type == PTD_ATTRIB_EV_EXEC ? PTD_PROC_EXEC : PTD_PROC_EXIT;
	pe.pid = ev->pid;
	pe.tid = ev->tid;
	pe.ppid = ev->ppid;
	pe.uid = ev->uid;
	pe.gid = ev->gid;
	pe.cgroup_id = ev->cgroup_id;
	pe.ts_ns = ev->ts_ns;
	memcpy(comm, ev->comm, PTD_ATTRIB_COMM_LEN);
	comm[PTD_ATTRIB_COMM_LEN] = '\0';
	pe.comm = comm;
	if (pe.type == PTD_PROC_EXEC) {
		memcpy(cmd, ev->filename, PTD_ATTRIB_FILENAME_LEN);
		cmd[PTD_ATTRIB_FILENAME_LEN] = '\0';
		pe.cmd = cmd[0] ? cmd : NULL;
		n = ev->args_len < PTD_ATTRIB_ARGS_LEN ? ev->args_len : PTD_ATTRIB_ARGS_LEN;
		while (n && ev->args[n - 1] == '\0')
			n--;
		for (size_t i = 0; i < n; i++)
			args[i] = ev->args[i] ? ev->args[i] : ' ';
		args[n] = '\0';
		pe.args = n ? args : NULL;
	}
	h->process_event(h, &pe);
	return 0;
}

/*
 * The owner maps the capture programs share, filled from now on by the
 * attribution hooks and, for the sockets that exist already, by the
 * seeding.  Loaded before the capture programs, which take its maps.
 * Optional: without it (an old kernel, no cgroup v2) packets carry no
 * owner, said once; but a process filter cannot run without it, and
 * capturing everything instead is not what was asked: -errno then.
 */
int tc_owners_open(const struct ptd_host *host, struct tc_loader *ld,
		   struct ptd_attrib **out, char *err)
{
	int filtering = ld->proc_filter != 0;
	struct ptd_attrib_config cfg = {
		.log = attrib_log,
		.log_arg = (void *)host,
		.on_event = attrib_event,
		.event_arg = (void *)host,
	};
	uint64_t seeded = 0, cookie = 0;
	int rc;

	tc_proc_filter_config(ld, host->opts, &cfg);
	rc = ptd_attrib_netns_cookie(&cookie);
	if (rc == 0)
		rc = ptd_attrib_open(&cfg, out);
	if (rc < 0 && filtering) {
		snprintf(err, PTD_ERRBUF_SIZE,
			 "process filters need the kernel to tell packets' processes, and it cannot here (%s; --log-level debug says why)",
			 strerror(-rc));
		*out = NULL;
		return rc;
	}
	if (rc < 0) {
		ptd_warn(host, "cannot tell packets' processes (%s): capturing without",
			 strerror(-rc));
		*out = NULL;
		return 0;
	}
	tc_proc_filter_maps(ld, *out);
	rc = ptd_attrib_seed(*out, &seeded);
	ptd_debug(host, "attribution: %llu existing sockets recorded%s%s",
		  (unsigned long long)seeded, rc < 0 ? "; seeding failed: " : "",
		  rc < 0 ? strerror(-rc) : "");
	ld->attrib_socks_fd = ptd_attrib_map_fd(*out, PTD_ATTRIB_MAP_SOCKS);
	ld->attrib_tuples_fd = ptd_attrib_map_fd(*out, PTD_ATTRIB_MAP_TUPLES);
	ld->attrib_skcache_fd = ptd_attrib_map_fd(*out, PTD_ATTRIB_MAP_SKCACHE);
	ld->netns_cookie = cookie;
	return 0;
}
