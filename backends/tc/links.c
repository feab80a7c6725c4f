/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": devices that appear or vanish during a "-i any" capture,
 * from rtnetlink's link notifications (RTMGRP_LINK) in our network
 * namespace.  tcpdump's "any" is one packet socket that sees every device,
 * later ones included; with a program per device we must attach to each
 * newcomer ourselves.
 */
#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backends/tc/tc.h"

#define TC_LINKS_BUF 16384

/* The IFLA_IFNAME of one RTM_NEWLINK, or NULL. */
static const char *link_name(const struct nlmsghdr *nh)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nh);
	int len = (int)nh->nlmsg_len - (int)NLMSG_LENGTH(sizeof(*ifi));
	const struct rtattr *rta = IFLA_RTA(ifi);

	for (; len > 0 && RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		const char *name = RTA_DATA(rta);
		size_t max = RTA_PAYLOAD(rta);

		if (rta->rta_type == IFLA_IFNAME && max > 0 &&
		    memchr(name, '\0', max) && name[0])
			return name;
	}
	return NULL;
}

static void on_links(void *arg, int fd, uint32_t events)
{
	struct tc_links *ln = arg;
	char buf[TC_LINKS_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
	ssize_t n;

	(void)events;
	/* Bounded: a burst of notifications waits for the next turn. */
	for (int round = 0; round < 16; round++) {
		const struct nlmsghdr *nh = (const void *)buf;
		int len;

		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			/* The socket overflowed: some news is lost.  A later
			 * notification of each device still catches it. */
			ptd_warn(ln->host, "missed network device notifications");
			continue;
		}
		if (n <= 0)
			return;
		len = (int)n;
		for (; NLMSG_OK(nh, (unsigned int)len); nh = NLMSG_NEXT(nh, len)) {
			const struct ifinfomsg *ifi = NLMSG_DATA(nh);
			const char *name;

			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
				continue;
			if (nh->nlmsg_type == RTM_DELLINK) {
				ln->on_gone(ln->arg, (uint32_t)ifi->ifi_index);
			} else if (nh->nlmsg_type == RTM_NEWLINK) {
				name = link_name(nh);
				if (name)
					ln->on_new(ln->arg, (uint32_t)ifi->ifi_index,
						   name);
			}
		}
	}
}

int tc_links_open(struct tc_links *ln, char *err, size_t errlen)
{
	struct sockaddr_nl sa;
	int fd, rc;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    NETLINK_ROUTE);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot open an rtnetlink socket: %s",
			 strerror(-rc));
		return rc;
	}
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot follow network devices: %s",
			 strerror(-rc));
		goto out;
	}
	rc = ln->host->watch_fd(ln->host, fd, PTD_EV_IN, on_links, ln);
	if (rc < 0)
		snprintf(err, errlen, "cannot watch rtnetlink: %s", strerror(-rc));
out:
	if (rc < 0) {
		close(fd);
		return rc;
	}
	ln->fd = fd;
	return 0;
}

void tc_links_close(struct tc_links *ln)
{
	if (ln->fd < 0)
		return;
	ln->host->unwatch_fd(ln->host, ln->fd);
	close(ln->fd);
	ln->fd = -1;
}
