/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": taking away the clsact qdisc we created, once empty.
 *
 * The cls_bpf fallback needs a clsact qdisc; when the device had none, we
 * created it, and a clean exit should leave the device as it was.  But
 * another program may have put filters on it since (or hold it for a
 * capture of its own): the qdisc goes only when neither hook holds any
 * filter.  libbpf can only ask about one filter by handle, so the hooks
 * are listed with an RTM_GETTFILTER dump.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include <bpf/libbpf.h>

#include "backends/tc/tc.h"

/* TC_H_CLSACT's minor numbers of the two hooks (linux/pkt_sched.h has
 * them only from 4.5 on; the values are fixed). */
#define TC_PARENT_INGRESS 0xfffffff2u
#define TC_PARENT_EGRESS  0xfffffff3u

/* How many filter messages (each classifier instance, then each of its
 * filters; any kind, any owner) one hook lists: >= 0 or -errno. */
static int count_filters(int sock, uint32_t ifindex, uint32_t parent,
			 uint32_t seq)
{
	struct {
		struct nlmsghdr nh;
		struct tcmsg tc;
	} req;
	char buf[16384];
	int count = 0;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.tc));
	req.nh.nlmsg_type = RTM_GETTFILTER;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nh.nlmsg_seq = seq;
	req.tc.tcm_family = AF_UNSPEC;
	req.tc.tcm_ifindex = (int)ifindex;
	req.tc.tcm_parent = parent;
	if (send(sock, &req, req.nh.nlmsg_len, 0) < 0)
		return -errno;
	/* A dump ends with NLMSG_DONE; the socket's receive timeout bounds
	 * the wait for it. */
	for (;;) {
		ssize_t n = recv(sock, buf, sizeof(buf), 0);
		struct nlmsghdr *nh;

		if (n < 0)
			return -errno;
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		     nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != seq)
				continue;
			if (nh->nlmsg_type == NLMSG_DONE)
				return count;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				if (e->error)
					return e->error;
				continue;
			}
			if (nh->nlmsg_type == RTM_NEWTFILTER)
				count++;
		}
	}
}

int tc_clsact_remove_if_empty(struct tc_attach *at, struct tc_dev *dev)
{
	struct timeval tv = { .tv_sec = 2 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	uint32_t seq = (uint32_t)time(NULL);
	int sock, in = -1, out = -1, rc;

	sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (sock < 0)
		return -errno;
	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    bind(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		goto out;
	}
	in = count_filters(sock, dev->iface.ifindex, TC_PARENT_INGRESS, seq);
	out = in < 0 ? in : count_filters(sock, dev->iface.ifindex,
					  TC_PARENT_EGRESS, seq + 1);
	rc = in < 0 ? in : out;
	if (rc < 0)
		goto out;
	if (in + out > 0) {
		ptd_debug(at->host, "%s: the clsact qdisc we added holds others' filters: left in place",
			  dev->name);
		rc = 0;
		goto out;
	}
	{
		/* Both points at once: the qdisc itself, not one hook's filters. */
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)dev->iface.ifindex,
			    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);

		rc = bpf_tc_hook_destroy(&hook);
	}
	if (rc == 0)
		ptd_debug(at->host, "%s: removed the clsact qdisc we added", dev->name);
out:
	close(sock);
	return rc;
}
