/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": which network devices to capture on, with which link type,
 * on which hooks.  tcpdump is the model: no -i means the first device that
 * is up and running and not a loopback; "-i N" means the N-th device of -D;
 * "-i any" means all of them (we attach to each device of the namespace,
 * down ones included, and deliver their own frames, not cooked SLL2 ones).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <net/if_arp.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/tc/tc.h"

#ifndef ARPHRD_RAWIP
#define ARPHRD_RAWIP 519
#endif
#ifndef ARPHRD_NONE
#define ARPHRD_NONE 0xfffe
#endif

/*
 * The bytes a tc program sees start at the MAC header on devices with
 * header_ops (Ethernet, and lo with its zeroed Ethernet header, which
 * tcpdump also reports as EN10MB), at the network header on the others.
 * GRE devices are left out: with a multicast remote they build a header of
 * their own.
 */
static int dlt_of_arphrd(unsigned int type)
{
	switch (type) {
	case ARPHRD_ETHER:
	case ARPHRD_LOOPBACK:
		return DLT_EN10MB;
	case ARPHRD_NONE:     /* tun, wireguard */
	case ARPHRD_RAWIP:
	case ARPHRD_TUNNEL:   /* ipip */
	case ARPHRD_TUNNEL6:  /* ip6tnl */
	case ARPHRD_SIT:
	case ARPHRD_PPP:
		return DLT_RAW;
	default:
		return -1;
	}
}

/* Link type and loopback flag of a device; -ENODEV when it is gone,
 * -EPROTONOSUPPORT when its link type is not one we can deliver. */
static int probe_dev(int sock, struct tc_dev *dev, unsigned int *arphrd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev->name);
	if (ioctl(sock, SIOCGIFHWADDR, &ifr) < 0)
		return -errno;
	*arphrd = ifr.ifr_hwaddr.sa_family;
	dev->iface.linktype = dlt_of_arphrd(*arphrd);
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	dev->loopback = (ifr.ifr_flags & IFF_LOOPBACK) != 0;
	return dev->iface.linktype < 0 ? -EPROTONOSUPPORT : 0;
}

/* tcpdump's default: first up-and-running non-loopback device that is a
 * network device (not usbmon, nflog, dbus, ...); else lo. */
static void default_device(char *name, size_t len)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	const bpf_u_int32 want = PCAP_IF_UP | PCAP_IF_RUNNING;
	pcap_if_t *all = NULL, *d;

	snprintf(name, len, "lo");
	if (pcap_findalldevs(&all, errbuf) < 0)
		return;
	for (d = all; d; d = d->next) {
		if ((d->flags & PCAP_IF_LOOPBACK) || (d->flags & want) != want)
			continue;
		if (strcmp(d->name, "any") == 0 || !if_nametoindex(d->name))
			continue;
		snprintf(name, len, "%s", d->name);
		break;
	}
	pcap_freealldevs(all);
}

/* "-i 2": the second device of the -D list, as tcpdump reads a number. */
static int device_by_number(const char *arg, char *name, size_t len,
			    char *err, size_t errlen)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_if_t *all = NULL, *d;
	long n = strtol(arg, NULL, 10), count = 0;
	int rc = -ENODEV;

	if (n <= 0) {
		snprintf(err, errlen, "Invalid adapter index %s", arg);
		return -EINVAL;
	}
	if (pcap_findalldevs(&all, errbuf) < 0) {
		snprintf(err, errlen, "%s", errbuf);
		return -EIO;
	}
	for (d = all; d; d = d->next, count++) {
		if (count + 1 == n) {
			snprintf(name, len, "%s", d->name);
			rc = 0;
			break;
		}
	}
	if (rc < 0)
		snprintf(err, errlen, "Invalid adapter index %ld: only %ld interfaces found",
			 n, count);
	pcap_freealldevs(all);
	return rc;
}

static int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* A -i argument as a device name: numbers index the -D list. */
static int resolve_name(const char *arg, char *buf, size_t len,
			const char **name, char *err, size_t errlen)
{
	*name = arg;
	if (!is_number(arg))
		return 0;
	*name = buf;
	return device_by_number(arg, buf, len, err, errlen);
}

static uint32_t hooks_for(const struct ptd_options *opts, int loopback)
{
	uint32_t hooks = 0;

	/* Every packet on lo leaves and comes back: libpcap keeps only the
	 * incoming copy (so tcpdump -Q out on lo shows nothing); so do we,
	 * capturing it on its way out, where its socket still tells whose it
	 * is, and on its way in only what lo split in between
	 * (bpf/tc_capture.bpf.c, ptd_tc_loopback).  Without attribution
	 * tc.c keeps the way in only. */
	if (loopback)
		return opts->direction != PTD_Q_OUT ?
		       TC_HOOK_BIT(TC_HOOK_IN) | TC_HOOK_BIT(TC_HOOK_OUT) : 0;
	if (opts->direction != PTD_Q_OUT)
		hooks |= TC_HOOK_BIT(TC_HOOK_IN);
	if (opts->direction != PTD_Q_IN)
		hooks |= TC_HOOK_BIT(TC_HOOK_OUT);
	return hooks;
}

struct tc_dev *tc_devices_find(struct tc_devices *devs, uint32_t ifindex)
{
	for (size_t i = 0; i < devs->n; i++)
		if (devs->dev[i]->iface.ifindex == ifindex && !devs->dev[i]->gone)
			return devs->dev[i];
	return NULL;
}

/*
 * Appends one device by name.  With "any", devices we cannot deliver are
 * skipped with a debug line instead of failing the run.  Devices are
 * allocated one by one and never move: packets and printers point at their
 * iface while the run lasts, and devices appear during it.
 */
static int add_dev(const struct ptd_host *host, struct tc_devices *devs,
		   int sock, const char *name, uint32_t snaplen, uint32_t netns,
		   struct tc_dev **added, char *err, size_t errlen)
{
	struct tc_dev *dev = NULL, **grown;
	unsigned int arphrd = 0;
	uint32_t ifindex = if_nametoindex(name);
	int rc;

	if (added)
		*added = NULL;
	if (!ifindex) {
		snprintf(err, errlen, "%s: No such device exists", name);
		return -ENODEV;
	}
	if (tc_devices_find(devs, ifindex))
		return 0;
	grown = realloc(devs->dev, (devs->n + 1) * sizeof(*grown));
	if (grown)
		devs->dev = grown;
	dev = grown ? calloc(1, sizeof(*dev)) : NULL;
	if (!dev) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	rc = probe_dev(sock, dev, &arphrd);
	if (rc < 0 && devs->any) {
		ptd_debug(host, "%s: skipped (%s, ARPHRD %u)", name,
			  rc == -EPROTONOSUPPORT ? "link type not supported" :
			  strerror(-rc), arphrd);
		free(dev);
		return 0;
	}
	if (rc == -EPROTONOSUPPORT) {
		snprintf(err, errlen,
			 "%s: link type ARPHRD %u is not supported by the tc backend",
			 name, arphrd);
		free(dev);
		return rc;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(-rc));
		free(dev);
		return rc;
	}
	devs->dev[devs->n] = dev;
	dev->iface.name = dev->name;
	dev->iface.id = (uint32_t)devs->n;
	dev->iface.snaplen = snaplen;
	dev->iface.ifindex = ifindex;
	dev->iface.netns_ino = netns;
	dev->iface.tsprec = PTD_TSPREC_NANO;
	dev->link_fd[TC_HOOK_IN] = dev->link_fd[TC_HOOK_OUT] = -1;
	dev->promisc_fd = -1;
	dev->hooks = hooks_for(host->opts, dev->loopback);
	devs->n++;
	if (added)
		*added = dev;
	return 0;
}

static int add_all(const struct ptd_host *host, struct tc_devices *devs,
		   int sock, uint32_t snaplen, uint32_t netns, char *err,
		   size_t errlen)
{
	struct if_nameindex *all = if_nameindex(), *i;
	int rc = 0;

	if (!all) {
		snprintf(err, errlen, "cannot list network devices: %s",
			 strerror(errno));
		return -errno;
	}
	for (i = all; rc == 0 && i->if_index; i++) {
		rc = add_dev(host, devs, sock, i->if_name, snaplen, netns, NULL,
			     err, errlen);
		if (rc == -ENODEV) /* gone since the listing */
			rc = 0;
	}
	if_freenameindex(all);
	return rc;
}

static uint32_t netns_inode(void)
{
	struct stat ns;

	return stat("/proc/self/ns/net", &ns) == 0 ? (uint32_t)ns.st_ino : 0;
}

int tc_devices_resolve(const struct ptd_host *host, struct tc_devices *devs,
		       uint32_t snaplen, char *err, size_t errlen)
{
	const char *const *names = host->opts->interfaces;
	char name[IF_NAMESIZE + 16];
	uint32_t netns = netns_inode();
	int sock, rc = 0;

	memset(devs, 0, sizeof(*devs));
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -errno;
	}
	/* "any" anywhere in the list (also as "-i 2") means every device. */
	for (size_t i = 0; rc == 0 && names && names[i]; i++) {
		const char *want;

		rc = resolve_name(names[i], name, sizeof(name), &want, err, errlen);
		if (rc == 0 && strcmp(want, "any") == 0)
			devs->any = 1;
	}
	if (rc < 0 || devs->any) {
		if (rc == 0)
			rc = add_all(host, devs, sock, snaplen, netns, err, errlen);
		goto out;
	}
	if (!names || !names[0]) {
		default_device(name, sizeof(name));
		rc = add_dev(host, devs, sock, name, snaplen, netns, NULL, err,
			     errlen);
		goto out;
	}
	for (size_t i = 0; rc == 0 && names[i]; i++) {
		const char *want;

		rc = resolve_name(names[i], name, sizeof(name), &want, err, errlen);
		if (rc == 0)
			rc = add_dev(host, devs, sock, want, snaplen, netns,
				     NULL, err, errlen);
	}
out:
	close(sock);
	if (rc == 0 && devs->n == 0) {
		snprintf(err, errlen, "no network device to capture on");
		rc = -ENODEV;
	}
	if (rc < 0)
		tc_devices_free(devs);
	return rc;
}

int tc_devices_add(const struct ptd_host *host, struct tc_devices *devs,
		   const char *name, uint32_t snaplen, struct tc_dev **added,
		   char *err, size_t errlen)
{
	int sock, rc;

	*added = NULL;
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -errno;
	}
	rc = add_dev(host, devs, sock, name, snaplen, netns_inode(), added,
		     err, errlen);
	close(sock);
	return rc;
}

void tc_devices_free(struct tc_devices *devs)
{
	if (!devs)
		return;
	for (size_t i = 0; i < devs->n; i++)
		free(devs->dev[i]);
	free(devs->dev);
	devs->dev = NULL;
	devs->n = 0;
}
