// SPDX-License-Identifier: BSD-2-Clause
/*
 * Drives backends/attrib for tests/e2e/attrib.sh: loads the attribution
 * programs, seeds them, prints "ready ...", then answers one line per
 * command read from stdin, "ok ..." or "fail ...":
 *
 *   cookie COOKIE PID COMM     the socket cookie map
 *   tuple NETNS 4|6 tcp|udp LADDR LPORT RADDR RPORT PID COMM
 *                              the tuple map (exact key), then the packet
 *                              path's lookup on a packet from the peer
 *                              (ingress) and one to it (egress)
 *   proc PID COMM              the process map
 *   events PID COMM            an exec record (PID, COMM) and an exit
 *                              record (PID) arrive, waiting at most 10 s
 *   tcx NETNS_PATH IFNAME      attach the lookup to a device (TCX)
 *   seen NETNS 4|6 tcp|udp SADDR SPORT DADDR DPORT in|out PID COMM
 *                              the owner the live lookup found for a
 *                              packet with that wire tuple
 *   stats                      the program's counters
 *   quit
 *
 * Exec/exit records are drained all along, between commands too.
 * PTD_ATTRIB_SEED=sockdiag seeds from sock_diag and /proc instead of the
 * BPF iterator.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backends/attrib/attrib.h"

#define HISTORY 8192

static struct ptd_attrib_event history[HISTORY];
static unsigned int nhistory;

static void log_stderr(void *arg, enum ptd_log_level level, const char *fmt,
		       va_list ap)
{
	(void)arg;
	(void)level;
	fputs("attrib-probe: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static int on_event(void *arg, const struct ptd_attrib_event *ev)
{
	(void)arg;
	history[nhistory++ % HISTORY] = *ev;
	return 0;
}

static int same_comm(const char *a, const char *b)
{
	return strncmp(a, b, PTD_ATTRIB_COMM_LEN - 1) == 0;
}

static void reply_owner(const char *what, int rc, const struct ptd_attrib_owner *o,
			unsigned int pid, const char *comm)
{
	if (rc < 0)
		printf("fail %s: no entry (%s)\n", what, strerror(-rc));
	else if (o->pid != pid || !same_comm(o->comm, comm))
		printf("fail %s: owner %u %.16s, expected %u %s (source %u)\n",
		       what, o->pid, o->comm, pid, comm, o->source);
	else
		printf("ok %s: %u %.16s (source %u)\n", what, o->pid, o->comm, o->source);
}

/* An Ethernet frame from (saddr, sport) to (daddr, dport); returns its
 * length.  Only what the lookup reads is filled in. */
static size_t make_frame(unsigned char *f, int family, int proto,
			 const void *saddr, unsigned int sport,
			 const void *daddr, unsigned int dport)
{
	size_t l3 = 14, l4, len;

	memset(f, 0, 128);
	if (family == AF_INET) {
		f[12] = 0x08; f[13] = 0x00;
		f[l3] = 0x45;
		f[l3 + 8] = 64;
		f[l3 + 9] = (unsigned char)proto;
		memcpy(f + l3 + 12, saddr, 4);
		memcpy(f + l3 + 16, daddr, 4);
		l4 = l3 + 20;
	} else {
		f[12] = 0x86; f[13] = 0xdd;
		f[l3] = 0x60;
		f[l3 + 6] = (unsigned char)proto;
		f[l3 + 7] = 64;
		memcpy(f + l3 + 8, saddr, 16);
		memcpy(f + l3 + 24, daddr, 16);
		l4 = l3 + 40;
	}
	f[l4] = sport >> 8; f[l4 + 1] = sport & 0xff;
	f[l4 + 2] = dport >> 8; f[l4 + 3] = dport & 0xff;
	len = l4 + (proto == IPPROTO_TCP ? 20 : 8);
	if (family == AF_INET) {
		f[l3 + 2] = (len - l3) >> 8;
		f[l3 + 3] = (len - l3) & 0xff;
	} else {
		f[l3 + 5] = (unsigned char)(len - l4);
	}
	if (proto == IPPROTO_TCP)
		f[l4 + 12] = 0x50;
	return len;
}

static void cmd_tuple(struct ptd_attrib *a, char *args)
{
	char fam[8], proto[8], laddr[64], raddr[64], comm[32];
	unsigned int lport, rport, pid;
	unsigned long long netns;
	struct ptd_attrib_tuple key = { 0 }, wild;
	struct ptd_attrib_owner o;
	unsigned char frame[128];
	size_t len;
	int family, ipproto, rc;

	if (sscanf(args, "%llu %7s %7s %63s %u %63s %u %u %31s", &netns, fam, proto,
		   laddr, &lport, raddr, &rport, &pid, comm) != 9) {
		printf("fail tuple: bad arguments\n");
		return;
	}
	family = strcmp(fam, "6") ? AF_INET : AF_INET6;
	ipproto = strcmp(proto, "udp") ? IPPROTO_TCP : IPPROTO_UDP;
	key.netns_cookie = netns;
	key.family = (uint8_t)family;
	key.proto = (uint8_t)ipproto;
	key.lport = (uint16_t)lport;
	key.rport = (uint16_t)rport;
	if (inet_pton(family, laddr, key.laddr) != 1 ||
	    inet_pton(family, raddr, key.raddr) != 1) {
		printf("fail tuple: bad address\n");
		return;
	}
	/* An unconnected UDP socket has only its bound half in the map: the
	 * packet path's fallbacks, in the same order. */
	wild = key;
	rc = ptd_attrib_lookup_tuple(a, &wild, &o);
	if (rc == -ENOENT) {
		memset(wild.raddr, 0, sizeof(wild.raddr));
		wild.rport = 0;
		rc = ptd_attrib_lookup_tuple(a, &wild, &o);
	}
	if (rc == -ENOENT) {
		memset(wild.laddr, 0, sizeof(wild.laddr));
		rc = ptd_attrib_lookup_tuple(a, &wild, &o);
	}
	if (rc < 0 || o.pid != pid || !same_comm(o.comm, comm)) {
		reply_owner("tuple", rc, &o, pid, comm);
		return;
	}
	len = make_frame(frame, family, ipproto, key.raddr, rport, key.laddr, lport);
	rc = ptd_attrib_selftest_lookup(a, frame, len, 0, netns, &o);
	if (rc == -ENOTSUP) {
		printf("ok tuple: %u (packet path not checked: no self-test program)\n", pid);
		return;
	}
	if (rc < 0 || o.pid != pid || !same_comm(o.comm, comm)) {
		reply_owner("tuple, packet path ingress", rc, &o, pid, comm);
		return;
	}
	len = make_frame(frame, family, ipproto, key.laddr, lport, key.raddr, rport);
	rc = ptd_attrib_selftest_lookup(a, frame, len, 1, netns, &o);
	reply_owner("tuple, map and packet path both ways", rc, &o, pid, comm);
}

static void cmd_seen(struct ptd_attrib *a, const char *args)
{
	char fam[8], proto[8], saddr[64], daddr[64], dir[8], comm[32], what[200];
	unsigned int sport, dport, pid;
	unsigned long long netns;
	struct ptd_attrib_tuple t = { 0 };
	struct ptd_attrib_owner o;
	int family, rc;

	if (sscanf(args, "%llu %7s %7s %63s %u %63s %u %7s %u %31s", &netns, fam,
		   proto, saddr, &sport, daddr, &dport, dir, &pid, comm) != 10) {
		printf("fail seen: bad arguments\n");
		return;
	}
	family = strcmp(fam, "6") ? AF_INET : AF_INET6;
	t.netns_cookie = netns;
	t.family = (uint8_t)family;
	t.proto = strcmp(proto, "udp") ? IPPROTO_TCP : IPPROTO_UDP;
	t.lport = (uint16_t)sport;
	t.rport = (uint16_t)dport;
	if (inet_pton(family, saddr, t.laddr) != 1 ||
	    inet_pton(family, daddr, t.raddr) != 1) {
		printf("fail seen: bad address\n");
		return;
	}
	rc = ptd_attrib_selftest_seen(a, &t, strcmp(dir, "out") == 0, &o);
	snprintf(what, sizeof(what), "seen %s %s:%u -> %s:%u", dir, saddr, sport,
		 daddr, dport);
	reply_owner(what, rc, &o, pid, comm);
}

static int wait_readable(struct ptd_attrib *a, int fd, int timeout_ms)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = ptd_attrib_events_fd(a), .events = POLLIN },
	};
	int rc;

	rc = poll(p, p[1].fd >= 0 ? 2 : 1, timeout_ms);
	ptd_attrib_drain(a);
	if (rc < 0)
		return -errno;
	return fd >= 0 && (p[0].revents & (POLLIN | POLLHUP));
}

static void cmd_events(struct ptd_attrib *a, const char *args)
{
	unsigned int pid, i, tries;
	int exec_seen = 0, exit_seen = 0;
	char comm[32];

	if (sscanf(args, "%u %31s", &pid, comm) != 2) {
		printf("fail events: bad arguments\n");
		return;
	}
	for (tries = 0; tries < 100 && !(exec_seen && exit_seen); tries++) {
		unsigned int first = nhistory > HISTORY ? nhistory - HISTORY : 0;

		for (i = first; i < nhistory; i++) {
			const struct ptd_attrib_event *ev = &history[i % HISTORY];

			if (ev->pid != pid)
				continue;
			if (ev->type == PTD_ATTRIB_EV_EXEC && same_comm(ev->comm, comm))
				exec_seen = 1;
			if (ev->type == PTD_ATTRIB_EV_EXIT)
				exit_seen = 1;
		}
		if (!(exec_seen && exit_seen))
			wait_readable(a, -1, 100);
	}
	if (exec_seen && exit_seen)
		printf("ok events: exec and exit of %u\n", pid);
	else
		printf("fail events: pid %u: exec %s, exit %s\n", pid,
		       exec_seen ? "seen" : "missing", exit_seen ? "seen" : "missing");
}

static void command(struct ptd_attrib *a, char *line)
{
	unsigned long long cookie;
	unsigned int pid;
	char comm[32];
	struct ptd_attrib_owner o;
	struct ptd_attrib_proc p;
	struct ptd_attrib_stats st;
	char path[256];
	int rc;

	line[strcspn(line, "\n")] = '\0';
	if (sscanf(line, "cookie %llu %u %31s", &cookie, &pid, comm) == 3) {
		rc = ptd_attrib_lookup_cookie(a, cookie, &o);
		reply_owner("cookie", rc, &o, pid, comm);
	} else if (strncmp(line, "tuple ", 6) == 0) {
		cmd_tuple(a, line + 6);
	} else if (sscanf(line, "proc %u %31s", &pid, comm) == 2) {
		rc = ptd_attrib_lookup_proc(a, pid, &p);
		if (rc < 0)
			printf("fail proc: %u: no entry\n", pid);
		else if (!same_comm(p.comm, comm))
			printf("fail proc: %u is %.16s, expected %s\n", pid, p.comm, comm);
		else
			printf("ok proc: %u %.16s ppid %u\n", pid, p.comm, p.ppid);
	} else if (strncmp(line, "events ", 7) == 0) {
		cmd_events(a, line + 7);
	} else if (sscanf(line, "tcx %255s %31s", path, comm) == 2) {
		rc = ptd_attrib_selftest_attach(a, path, comm);
		if (rc < 0)
			printf("fail tcx: %s\n", strerror(-rc));
		else
			printf("ok tcx: %s in %s\n", comm, path);
	} else if (strncmp(line, "seen ", 5) == 0) {
		cmd_seen(a, line + 5);
	} else if (strcmp(line, "stats") == 0) {
		ptd_attrib_get_stats(a, &st);
		printf("ok stats: seeded %" PRIu64 " sockets, %" PRIu64 " tuples; %" PRIu64
		       " events lost; %" PRIu64 " unowned accepts\n",
		       (uint64_t)st.seeded_socks, (uint64_t)st.seeded_tuples,
		       (uint64_t)st.events_lost, (uint64_t)st.accept_unowned);
	} else {
		printf("fail unknown command: %s\n", line);
	}
	fflush(stdout);
}

int main(void)
{
	struct ptd_attrib_config cfg = {
		.with_selftest = 1,
		.log = log_stderr,
		.on_event = on_event,
	};
	struct ptd_attrib *a = NULL;
	char line[512], desc[1024];
	const char *seed = getenv("PTD_ATTRIB_SEED");
	uint64_t seeded = 0;
	int rc;

	/* PTD_ATTRIB_SEED=sockdiag: the fallback seeding, even where the
	 * iterator works. */
	cfg.seed_sock_diag = seed && strcmp(seed, "sockdiag") == 0;

	rc = ptd_attrib_open(&cfg, &a);
	if (rc < 0) {
		printf("unavailable %s\n", strerror(-rc));
		return 77;
	}
	rc = ptd_attrib_seed(a, &seeded);
	ptd_attrib_describe(a, desc, sizeof(desc));
	printf("ready seed=%d seeded=%" PRIu64 " %s\n", rc, seeded, desc);
	fflush(stdout);
	for (;;) {
		rc = wait_readable(a, STDIN_FILENO, 200);
		if (rc < 0 && rc != -EINTR)
			break;
		if (rc <= 0)
			continue;
		if (!fgets(line, sizeof(line), stdin) || strncmp(line, "quit", 4) == 0)
			break;
		command(a, line);
	}
	ptd_attrib_close(a);
	return 0;
}
