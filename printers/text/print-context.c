// SPDX-License-Identifier: BSD-2-Clause
/*
 * ptcpdump's process context, laid out as upstream ptcpdump prints it:
 *
 *   TIME IFACE COMM.PID In|Out IP ..., ParentProc [comm.ppid]
 *
 * and under -v, after tcpdump's lines, one indented line per fact:
 *
 *   Process (pid N, cmd PATH, args ARGS)
 *   Thread (tid N, name NAME)
 *   User (uid N)
 *   ParentProc (pid N, cmd PATH, args ARGS)
 *   Container (name N, id I, image IMG, labels {...})
 *   Pod (name N, namespace NS, UID U, labels {...}, annotations {...})
 *
 * --context selects which facts appear.  A packet without an interface
 * name and direction (a replayed pcap) prints exactly as tcpdump.
 */
#include "netdissect.h"
#include "text-printer.h"

#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

static const char *str_or(const char *s, const char *dflt)
{
	return s && s[0] ? s : dflt;
}

static int want(const struct ptd_options *o, uint32_t bit)
{
	return (o->context & bit) != 0;
}

static const char *process_comm(const struct ptd_packet *pkt,
				const struct ptd_meta *meta)
{
	if (meta && meta->process.comm && meta->process.comm[0])
		return meta->process.comm;
	if (pkt->comm[0])
		return pkt->comm;
	return "?";
}

static uint32_t process_pid(const struct ptd_packet *pkt,
			    const struct ptd_meta *meta)
{
	if (meta && meta->process.pid)
		return meta->process.pid;
	return 0;
}

void text_context_prefix(struct nd_ctx *nd, const struct ptd_options *o,
			 const struct ptd_packet *pkt,
			 const struct ptd_meta *meta)
{
	const struct ptd_iface *ifc = pkt->iface;
	uint32_t pid = process_pid(pkt, meta);
	char comm[PTD_COMM_LEN + 1];

	/* SLL/SLL2 print their own interface and direction columns. */
	if (!ifc || !ifc->name || !ifc->name[0] ||
	    ifc->linktype == DLT_LINUX_SLL || ifc->linktype == DLT_LINUX_SLL2)
		return;
	if (pkt->direction != PTD_DIR_IN && pkt->direction != PTD_DIR_OUT)
		return;
	nd_printf(nd, "%s ", ifc->name);
	if (pid && !o->verbose && want(o, PTD_CTX_PROCESS)) {
		/* packet comm is a fixed array, maybe without a NUL */
		snprintf(comm, sizeof(comm), "%s", process_comm(pkt, meta));
		nd_printf(nd, "%s.%u ", comm, pid);
	}
	nd_puts(nd, pkt->direction == PTD_DIR_IN ? "In " : "Out ");
}

static void verbose_lines(struct nd_ctx *nd, const struct ptd_options *o,
			  const struct ptd_packet *pkt,
			  const struct ptd_meta *meta)
{
	const struct ptd_process_meta *pm = &meta->process;
	const struct ptd_container_meta *cm = &meta->container;
	const struct ptd_pod_meta *po = &meta->pod;
	char comm[PTD_COMM_LEN + 1];

	if (pm->pid && want(o, PTD_CTX_PROCESS))
		nd_printf(nd, "\n    Process (pid %u, cmd %s, args %s)",
			  pm->pid, str_or(pm->cmd, ""), str_or(pm->args, ""));
	if (pm->tid && want(o, PTD_CTX_THREAD)) {
		snprintf(comm, sizeof(comm), "%s", process_comm(pkt, meta));
		nd_printf(nd, "\n    Thread (tid %u, name %s)", pm->tid,
			  str_or(pm->thread_name, comm));
	}
	if (pm->have_uid && want(o, PTD_CTX_USER))
		nd_printf(nd, "\n    User (uid %u)", pm->uid);
	if (pm->ppid && want(o, PTD_CTX_PARENTPROC))
		nd_printf(nd, "\n    ParentProc (pid %u, cmd %s, args %s)",
			  pm->ppid, str_or(pm->parent_cmd, ""),
			  str_or(pm->parent_args, ""));
	if (cm->id && cm->id[0] && want(o, PTD_CTX_CONTAINER))
		nd_printf(nd, "\n    Container (name %s, id %s, image %s, "
			  "labels %s)", str_or(cm->name, ""), cm->id,
			  str_or(cm->image, ""), str_or(cm->labels_json, "{}"));
	if (po->name && po->name[0] && want(o, PTD_CTX_POD))
		nd_printf(nd, "\n    Pod (name %s, namespace %s, UID %s, "
			  "labels %s, annotations %s)", po->name,
			  str_or(po->namespace_, ""), str_or(po->uid, ""),
			  str_or(po->labels_json, "{}"),
			  str_or(po->annotations_json, "{}"));
}

void text_context_suffix(struct nd_ctx *nd, const struct ptd_options *o,
			 const struct ptd_packet *pkt,
			 const struct ptd_meta *meta)
{
	const struct ptd_process_meta *pm;

	if (!meta)
		return;
	if (o->verbose) {
		verbose_lines(nd, o, pkt, meta);
		return;
	}
	pm = &meta->process;
	if (pm->ppid && want(o, PTD_CTX_PARENTPROC))
		nd_printf(nd, ", ParentProc [%s.%u]",
			  str_or(pm->parent_comm, "?"), pm->ppid);
	if (meta->container.id && meta->container.id[0] &&
	    want(o, PTD_CTX_CONTAINER))
		nd_printf(nd, ", Container [%s]",
			  str_or(meta->container.name, meta->container.id));
	if (meta->pod.name && meta->pod.name[0] && want(o, PTD_CTX_POD))
		nd_printf(nd, ", Pod [%s.%s]", meta->pod.name,
			  str_or(meta->pod.namespace_, ""));
}
