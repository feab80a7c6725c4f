/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": promiscuous mode for the devices captured on, as tcpdump
 * has it unless -p.
 *
 * The mode is a membership of a packet socket (PACKET_MR_PROMISC), not the
 * device's IFF_PROMISC flag: the kernel counts one promiscuity reference
 * per membership and drops it when the socket closes, however the process
 * ends, so a capture killed with SIGKILL leaves the device as it was.
 *
 * The socket is opened for protocol 0, which hooks it into no packet type
 * list: it receives nothing.  A filter that accepts no packet is attached
 * too, so that it would stay silent even if it were ever bound.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/if_packet.h>

#include "backends/tc/tc.h"

int tc_promisc_enter(struct tc_dev *dev, char *err, size_t errlen)
{
	struct sock_filter drop_all = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &drop_all };
	struct packet_mreq mr;
	int fd, rc;

	if (dev->promisc_fd >= 0)
		return 0;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot open a packet socket for promiscuous mode: %s",
			 dev->name, strerror(-rc));
		return rc;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot attach a filter to the promiscuous mode socket: %s",
			 dev->name, strerror(-rc));
		goto fail;
	}
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = (int)dev->iface.ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot enter promiscuous mode: %s",
			 dev->name, strerror(-rc));
		goto fail;
	}
	dev->promisc_fd = fd;
	return 0;
fail:
	close(fd);
	return rc;
}

void tc_promisc_leave(struct tc_dev *dev)
{
	if (dev->promisc_fd < 0)
		return;
	close(dev->promisc_fd); /* the kernel drops the membership */
	dev->promisc_fd = -1;
}
