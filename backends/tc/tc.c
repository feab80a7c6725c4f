/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": live capture with eBPF programs on the tc hooks of network
 * devices (bpf/tc_capture.bpf.c).  The programs copy each packet into a BPF
 * ring buffer; this side drains it into the core.
 *
 * Draining: the programs wake us only once enough bytes wait (see the
 * wakeup_threshold key), because a wake-up per packet costs more than the
 * packet.  So we consume when the ring's map fd polls readable and also on a
 * short timer, which picks up the records that arrived without a wake-up.
 * Each pass is bounded; a busy ring is finished from a deferred call so
 * signals still get their turn.
 *
 * Time stamps: the programs pass the kernel's receive stamp when there is
 * one (CLOCK_REALTIME, as tcpdump shows it), else CLOCK_MONOTONIC from
 * bpf_ktime_get_ns(), to which we add the realtime - monotonic offset,
 * re-measured every second so NTP adjustments do not pile up.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <pcap/dlt.h>

#include <ptcpdump/plugin.h>

#include "backends/attrib/attrib.h"
#include "backends/tc/tc.h"
#include "bpf/tc_capture.h"

#define TC_DRAIN_BUDGET     4096   /* records per pass */
#define TC_RESYNC_NS        1000000000ull
#define TC_RING_MIN         (1u << 20)
#define TC_RING_MAX         (1ull << 30)
#define TC_STOP_CONSUMING   (-ECANCELED)
#define TC_BUDGET_SPENT     (-EAGAIN)

struct tc_config {
	uint64_t ringbuf_size;
	uint64_t wakeup_threshold;
	uint64_t poll_interval;   /* ms */
	int attach;               /* enum tc_attach_mode */
	int attribution;          /* look up each packet's owner */
};

static const char *const attach_choices[] = { "auto", "tcx", "clsact", NULL };

static const struct ptd_option tc_options[] = {
	{ "ringbuf_size", PTD_OPT_BYTES, "8MiB",
	  offsetof(struct tc_config, ringbuf_size),
	  "BPF ring buffer shared by all CPUs (rounded up to a power of two, at least 1MiB); -B sets it too",
	  NULL, NULL },
	{ "wakeup_threshold", PTD_OPT_BYTES, "1MiB",
	  offsetof(struct tc_config, wakeup_threshold),
	  "wake the reader once this many bytes wait; 0: for every packet (--immediate-mode does that too)",
	  NULL, NULL },
	{ "poll_interval", PTD_OPT_MILLIS, "50ms",
	  offsetof(struct tc_config, poll_interval),
	  "also drain the ring this often, for packets that arrived without a wake-up",
	  NULL, NULL },
	{ "attach", PTD_OPT_ENUM, "auto", offsetof(struct tc_config, attach),
	  "auto: TCX links where the kernel has them, else clsact + cls_bpf; or force tcx or clsact",
	  attach_choices, NULL },
	{ "attribution", PTD_OPT_BOOL, "true",
	  offsetof(struct tc_config, attribution),
	  "tell each packet's process (pid, user, command, cgroup) from its socket; without the kernel's support, capture without",
	  NULL, NULL },
	{ 0 },
};

struct tc_backend {
	const struct ptd_host *host;
	struct tc_config cfg;
	uint32_t snaplen;
	struct tc_devices devs;
	struct tc_dev **by_ifindex;   /* ifindex -> device, for the hot path */
	uint32_t max_ifindex;
	struct tc_attach at;
	struct tc_loader ld;
	struct tc_links links;
	struct ptd_attrib *attrib;    /* NULL: packets carry no owner */
	char *expression;             /* the filter, NULL for none */
	int optimize;
	struct tc_ring ring;
	int ring_fd;                  /* watched ring buffer map fd, or -1 */
	int timer_id;                 /* > 0 while armed */
	int drain_queued;
	int stopping;
	unsigned int budget;
	int64_t mono_to_real_ns;
	uint64_t last_sync_ns;
	uint64_t user_drops;          /* records we could not deliver */
	uint64_t user_rejected;       /* refused by the user-space filter */
	struct ptd_backend_stats final; /* counters read at stop */
	int have_final;
	uint8_t *vlan_buf;            /* a frame with its VLAN tag put back */
	char *names;                  /* describe(): the device list */
	size_t names_len;
};

static const struct ptd_host *libbpf_host;

static int libbpf_to_host(enum libbpf_print_level level, const char *fmt,
			  va_list ap)
{
	char line[512];
	size_t n;

	if (!libbpf_host || !libbpf_host->log_enabled(libbpf_host, PTD_LOG_DEBUG))
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	libbpf_host->log(libbpf_host, PTD_LOG_DEBUG, "%s", line);
	return 0;
}

/* realtime - monotonic, from the closest of a few bracketing reads. */
static void sync_clock(struct tc_backend *st)
{
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < 3; i++) {
		uint64_t m1 = st->host->clock_ns(st->host, CLOCK_MONOTONIC);
		uint64_t r = st->host->clock_ns(st->host, CLOCK_REALTIME);
		uint64_t m2 = st->host->clock_ns(st->host, CLOCK_MONOTONIC);

		if (m2 - m1 < best) {
			best = m2 - m1;
			st->mono_to_real_ns = (int64_t)(r - (m1 + (m2 - m1) / 2));
		}
	}
	st->last_sync_ns = st->host->clock_ns(st->host, CLOCK_MONOTONIC);
}

/* libpcap hands out frames with the VLAN tag the NIC stripped put back
 * in place; so do we, within the snapshot length. */
static void put_vlan_back(struct tc_backend *st, const struct ptd_tc_event *ev,
			  struct ptd_packet *pkt)
{
	uint8_t *b = st->vlan_buf;
	uint16_t tci = ev->vlan_tci;
	uint32_t rest = ev->caplen - 12;

	memcpy(b, ev->data, 12);
	memcpy(b + 12, &ev->vlan_proto, 2); /* already network order */
	b[14] = (uint8_t)(tci >> 8);
	b[15] = (uint8_t)tci;
	if (rest > st->snaplen - 16)
		rest = st->snaplen > 16 ? st->snaplen - 16 : 0;
	memcpy(b + 16, ev->data + 12, rest);
	pkt->data = b;
	pkt->caplen = 16 + rest;
	pkt->len = ev->len + 4;
}

static void set_owner(const struct ptd_tc_event *ev, struct ptd_packet *pkt)
{
	pkt->pid = ev->pid;
	pkt->tid = ev->tid;
	pkt->uid = ev->uid;
	pkt->gid = ev->gid;
	memcpy(pkt->comm, ev->comm, sizeof(pkt->comm));
	pkt->comm[sizeof(pkt->comm) - 1] = '\0';
	pkt->flags |= PTD_PKT_HAVE_PID | PTD_PKT_HAVE_UID | PTD_PKT_HAVE_COMM;
	if (ev->flags & PTD_TC_F_PPID) {
		pkt->ppid = ev->ppid;
		pkt->flags |= PTD_PKT_HAVE_PPID;
	}
	if (ev->flags & PTD_TC_F_CGROUP) {
		pkt->cgroup_id = ev->cgroup_id;
		pkt->flags |= PTD_PKT_HAVE_CGROUP;
	}
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct tc_backend *st = ctx;
	const struct ptd_tc_event *ev = data;
	struct ptd_packet pkt;
	struct tc_dev *dev;

	if (st->stopping)
		return TC_STOP_CONSUMING;
	if (size < sizeof(*ev) || ev->caplen > size - sizeof(*ev) ||
	    ev->ifindex > st->max_ifindex || !st->by_ifindex[ev->ifindex]) {
		st->user_drops++;
		goto next;
	}
	dev = st->by_ifindex[ev->ifindex];
	memset(&pkt, 0, sizeof(pkt));
	pkt.size = sizeof(pkt);
	pkt.ts_ns = ev->ts_ns;
	if (!(ev->flags & PTD_TC_F_TS_REAL))
		pkt.ts_ns += (uint64_t)st->mono_to_real_ns;
	pkt.caplen = ev->caplen;
	pkt.len = ev->len;
	pkt.data = ev->data;
	pkt.iface = &dev->iface;
	pkt.direction = ev->dir == PTD_TC_DIR_IN ? PTD_DIR_IN : PTD_DIR_OUT;
	if (ev->flags & PTD_TC_F_OWNER)
		set_owner(ev, &pkt);
	if ((ev->flags & PTD_TC_F_VLAN) && dev->iface.linktype == DLT_EN10MB &&
	    ev->caplen >= 12 && st->snaplen >= 16)
		put_vlan_back(st, ev, &pkt);
	/* Filtered here when the kernel refused the filter program, so that
	 * the exit statistics can count what matched. */
	if (st->expression && !dev->progs->kernel_filter &&
	    !ptd_cbpf_filter(dev->progs->cbpf, pkt.data, pkt.len, pkt.caplen)) {
		st->user_rejected++;
		goto next;
	}
	pkt.flags |= PTD_PKT_FILTERED;
	if (st->host->emit(st->host, &pkt) == PTD_EMIT_STOP) {
		st->stopping = 1;
		return TC_STOP_CONSUMING;
	}
next:
	if (--st->budget == 0)
		return TC_BUDGET_SPENT;
	return 0;
}

static void drain_deferred(void *arg);

static void drain(struct tc_backend *st)
{
	int rc;

	if (!st->ring.consumer || st->stopping)
		return;
	/* Exec and exit records first: a process's exec reaches the
	 * enrichers before the packets it sent after it. */
	if (st->attrib)
		ptd_attrib_drain(st->attrib);
	st->budget = TC_DRAIN_BUDGET;
	rc = tc_ring_consume(&st->ring, on_record, st);
	if (rc == TC_BUDGET_SPENT && !st->drain_queued &&
	    st->host->defer(st->host, drain_deferred, st) == 0)
		st->drain_queued = 1;
	else if (rc < 0 && rc != TC_BUDGET_SPENT && rc != TC_STOP_CONSUMING)
		ptd_warn(st->host, "reading the ring buffer: %s", strerror(-rc));
}

/* Everything queued now, in bounded passes (the programs go on
 * producing while we read). */
static void tc_drain(void *state)
{
	struct tc_backend *st = state;
	int rc, passes = 0;

	if (!st->ring.consumer || st->stopping)
		return;
	do {
		st->budget = TC_DRAIN_BUDGET;
		rc = tc_ring_consume(&st->ring, on_record, st);
	} while (rc == TC_BUDGET_SPENT && ++passes < 64);
}

static void drain_deferred(void *arg)
{
	struct tc_backend *st = arg;

	st->drain_queued = 0;
	drain(st);
}

static void on_ring_ready(void *arg, int fd, uint32_t events)
{
	drain(arg);
}

static void on_tick(void *arg)
{
	struct tc_backend *st = arg;

	drain(st);
	if (st->host->clock_ns(st->host, CLOCK_MONOTONIC) - st->last_sync_ns >=
	    TC_RESYNC_NS)
		sync_clock(st);
}

static int read_counters(struct tc_backend *st, struct ptd_backend_stats *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct ptd_tc_counters *per_cpu;
	uint32_t key = 0;
	int rc = 0, fd = tc_loader_counters_fd(&st->ld);

	if (fd < 0)
		return -ENODEV;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	per_cpu = calloc((size_t)ncpu, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	if (bpf_map_lookup_elem(fd, &key, per_cpu) < 0) {
		rc = -errno;
		goto out;
	}
	memset(out, 0, sizeof(*out));
	for (int i = 0; i < ncpu; i++) {
		out->received += per_cpu[i].packets;
		out->dropped += per_cpu[i].drops;
	}
	out->dropped += st->user_drops;
	out->received -= out->received > st->user_rejected ? st->user_rejected :
			 out->received;
out:
	free(per_cpu);
	return rc;
}

static int tc_stats(void *state, struct ptd_backend_stats *out)
{
	struct tc_backend *st = state;

	if (st->have_final) {
		*out = st->final;
		return 0;
	}
	return read_counters(st, out);
}

static int tc_describe(void *state, struct ptd_source_info *info)
{
	struct tc_backend *st = state;

	info->name = st->names ? st->names : "?";
	info->linktype = st->devs.n ? st->devs.dev[0]->iface.linktype : DLT_EN10MB;
	info->snaplen = st->snaplen;
	return 0;
}

static uint64_t round_up_pow2(uint64_t v)
{
	uint64_t p = TC_RING_MIN;

	while (p < v && p < (1ull << 40))
		p <<= 1;
	return p;
}

static int tc_init(const struct ptd_host *host, const void *config,
		   void **state, char *err)
{
	const struct tc_config *cfg = config;
	struct tc_backend *st;
	uint64_t from_cli = 0;

	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, PTD_ERRBUF_SIZE, "out of memory");
		return -ENOMEM;
	}
	st->host = host;
	st->cfg = *cfg;
	st->ring_fd = -1;
	st->links.fd = -1;
	/* -B, tcpdump's capture buffer, is this ring buffer here. */
	if (host->opts->size >= offsetof(struct ptd_options, buffer_size) +
	    sizeof(host->opts->buffer_size))
		from_cli = host->opts->buffer_size;
	st->cfg.ringbuf_size = round_up_pow2(from_cli ? from_cli : cfg->ringbuf_size);
	if (st->cfg.ringbuf_size > TC_RING_MAX) {
		if (from_cli)
			snprintf(err, PTD_ERRBUF_SIZE, "buffer size %llu KiB is too large (at most %llu)",
				 (unsigned long long)(from_cli >> 10),
				 (unsigned long long)(TC_RING_MAX >> 10));
		else
			snprintf(err, PTD_ERRBUF_SIZE, "ringbuf_size %llu is too large (at most 1GiB)",
				 (unsigned long long)cfg->ringbuf_size);
		free(st);
		return -EINVAL;
	}
	ptd_debug(host, "ring buffer: %llu bytes",
		  (unsigned long long)st->cfg.ringbuf_size);
	/* Never wait for more than an eighth of the ring: the rest is room
	 * for what arrives while the reader wakes up. */
	if (st->cfg.wakeup_threshold > st->cfg.ringbuf_size / 8)
		st->cfg.wakeup_threshold = st->cfg.ringbuf_size / 8;
	if (host->opts->immediate)
		st->cfg.wakeup_threshold = 0;
	if (!st->cfg.poll_interval)
		st->cfg.poll_interval = 1;
	st->snaplen = host->opts->snaplen;
	if (!st->snaplen || st->snaplen > PTD_TC_SNAPLEN_MAX)
		st->snaplen = PTD_TC_SNAPLEN_MAX;
	st->at.host = host;
	st->at.mode = (enum tc_attach_mode)st->cfg.attach;
	st->ld.host = host;
	st->ld.snaplen = st->snaplen;
	st->ld.ringbuf_size = st->cfg.ringbuf_size;
	st->ld.wakeup_threshold = st->cfg.wakeup_threshold;
	st->ld.attrib_socks_fd = -1;
	st->ld.attrib_tuples_fd = -1;
	st->ld.attrib_skcache_fd = -1;
	tc_proc_filter_init(&st->ld, host->opts);
	libbpf_host = host;
	libbpf_set_print(libbpf_to_host);
	*state = st;
	return 0;
}

/*
 * The hot path finds a record's device by ifindex; the banner lists the
 * devices.  Both grow when a device appears during the run.
 */
static int index_device(struct tc_backend *st, struct tc_dev *dev)
{
	uint32_t ifindex = dev->iface.ifindex;
	size_t need = (st->names ? strlen(st->names) : 0) + strlen(dev->name) + 3;

	if (!st->by_ifindex || ifindex > st->max_ifindex) {
		uint32_t old = st->by_ifindex ? st->max_ifindex + 1 : 0;
		uint32_t max = ifindex > st->max_ifindex ? ifindex : st->max_ifindex;
		struct tc_dev **grown;

		grown = realloc(st->by_ifindex, (max + 1) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		memset(grown + old, 0, (max + 1 - old) * sizeof(*grown));
		st->by_ifindex = grown;
		st->max_ifindex = max;
	}
	if (need > st->names_len) {
		char *grown = realloc(st->names, need * 2);

		if (!grown)
			return -ENOMEM;
		if (!st->names)
			grown[0] = '\0';
		st->names = grown;
		st->names_len = need * 2;
	}
	st->by_ifindex[ifindex] = dev;
	if (st->names[0])
		strcat(st->names, ", ");
	strcat(st->names, dev->name);
	return 0;
}

/* The programs for the device's link type (loaded on first use), then
 * the attach, then the index.  0 or -errno with err. */
static int capture_on(struct tc_backend *st, struct tc_dev *dev, char *err)
{
	struct tc_progs *set;
	int rc;

	rc = tc_loader_get(&st->ld, dev->iface.linktype, &set, err,
			   PTD_ERRBUF_SIZE);
	if (rc < 0)
		return rc;
	dev->progs = set;
	/* tcpdump's rule (libpcap's, in fact): promiscuous unless -p, and
	 * never with "-i any", where a device that appears later is no
	 * different. */
	if (!st->devs.any && !st->host->opts->no_promisc) {
		rc = tc_promisc_enter(dev, err, PTD_ERRBUF_SIZE);
		if (rc < 0)
			return rc;
	}
	if (dev->loopback && st->ld.loopback) {
		st->at.prog_fd[TC_HOOK_IN] = set->prog_fd_lo_in;
		st->at.prog_fd[TC_HOOK_OUT] = set->prog_fd_lo;
	} else {
		/* lo without attribution: its packets as they come in. */
		if (dev->loopback)
			dev->hooks &= ~TC_HOOK_BIT(TC_HOOK_OUT);
		st->at.prog_fd[TC_HOOK_IN] = set->prog_fd[TC_HOOK_IN];
		st->at.prog_fd[TC_HOOK_OUT] = set->prog_fd[TC_HOOK_OUT];
	}
	rc = tc_attach_dev(&st->at, dev, err, PTD_ERRBUF_SIZE);
	if (rc == 0) {
		rc = index_device(st, dev);
		if (rc < 0) {
			tc_detach_dev(&st->at, dev);
			snprintf(err, PTD_ERRBUF_SIZE, "out of memory");
		}
	}
	if (rc < 0)
		tc_promisc_leave(dev);
	return rc;
}

/* The first program set also brings the ring buffer: read it from now on. */
static int open_ring(struct tc_backend *st, char *err)
{
	uint64_t tick_ns = st->cfg.poll_interval * 1000000ull;
	int fd = tc_loader_events_fd(&st->ld);
	int rc;

	rc = tc_ring_open(&st->ring, fd, st->cfg.ringbuf_size, err,
			  PTD_ERRBUF_SIZE);
	if (rc < 0)
		return rc;
	/* The map fd itself polls readable while records wait. */
	rc = st->host->watch_fd(st->host, fd, PTD_EV_IN, on_ring_ready, st);
	if (rc < 0) {
		snprintf(err, PTD_ERRBUF_SIZE, "cannot watch the ring buffer: %s",
			 strerror(-rc));
		return rc;
	}
	st->ring_fd = fd;
	rc = st->host->timer_add(st->host, tick_ns, tick_ns, on_tick, st);
	if (rc < 0) {
		snprintf(err, PTD_ERRBUF_SIZE, "cannot arm the drain timer: %s",
			 strerror(-rc));
		return rc;
	}
	st->timer_id = rc;
	return 0;
}

/*
 * With "-i any" a device that refuses is skipped, not fatal; so is one
 * whose link type the expression cannot be compiled for (tcpdump's "any"
 * compiles once, for its cooked headers; we cannot capture such a device
 * filtered, and never capture unfiltered).
 */
static int attach_all(struct tc_backend *st, char *err)
{
	size_t attached = 0;
	int rc;

	for (size_t i = 0; i < st->devs.n; i++) {
		struct tc_dev *dev = st->devs.dev[i];

		rc = capture_on(st, dev, err);
		if (rc < 0 && (!st->devs.any || rc == -ENOMEM))
			return rc;
		if (rc < 0) {
			ptd_warn(st->host, "%s: skipped: %s", dev->name, err);
			err[0] = '\0';
			continue;
		}
		if (!st->ring.consumer) {
			rc = open_ring(st, err);
			if (rc < 0)
				return rc;
		}
		attached++;
	}
	if (!attached) {
		snprintf(err, PTD_ERRBUF_SIZE, "no network device could be captured on");
		return -ENODEV;
	}
	ptd_debug(st->host, "capturing on %s with %s", st->names,
		  st->at.mode == TC_ATTACH_TCX ? "TCX links" : "clsact + cls_bpf");
	return 0;
}

static void on_new_link(void *arg, uint32_t ifindex, const char *name)
{
	struct tc_backend *st = arg;
	char err[PTD_ERRBUF_SIZE] = "";
	struct tc_dev *dev;
	int rc;

	if (st->stopping || tc_devices_find(&st->devs, ifindex))
		return;
	rc = tc_devices_add(st->host, &st->devs, name, st->snaplen, &dev, err,
			    sizeof(err));
	if (rc == -ENODEV || (rc == 0 && !dev))
		return; /* gone already, or a link type we cannot deliver */
	if (rc == 0)
		rc = capture_on(st, dev, err);
	/* A device that failed stays listed, unattached: the notifications
	 * that follow for it (up, down, ...) do not warn again. */
	if (rc < 0) {
		ptd_warn(st->host, "%s: not captured: %s", name, err);
		return;
	}
	ptd_info(st->host, "%s: appeared, capturing on it too", name);
}

/* The kernel took its hooks away with it; records already in the ring
 * still find it by ifindex until another device takes that number. */
static void on_gone_link(void *arg, uint32_t ifindex)
{
	struct tc_backend *st = arg;
	struct tc_dev *dev = tc_devices_find(&st->devs, ifindex);

	if (!dev)
		return;
	tc_detach_dev(&st->at, dev);
	tc_promisc_leave(dev);
	dev->gone = 1;
	ptd_debug(st->host, "%s: removed", dev->name);
}

static void tc_stop(void *state)
{
	struct tc_backend *st = state;

	if (!st)
		return;
	st->stopping = 1;
	if (st->timer_id > 0)
		st->host->timer_cancel(st->host, st->timer_id);
	st->timer_id = 0;
	if (st->ring_fd >= 0)
		st->host->unwatch_fd(st->host, st->ring_fd);
	st->ring_fd = -1;
	tc_links_close(&st->links);
	for (size_t i = 0; i < st->devs.n; i++) {
		if (!st->devs.dev[i]->gone)
			tc_detach_dev(&st->at, st->devs.dev[i]);
		tc_promisc_leave(st->devs.dev[i]);
	}
	/* The exit statistics are printed after stop: keep the last count. */
	if (!st->have_final && read_counters(st, &st->final) == 0)
		st->have_final = 1;
	tc_ring_close(&st->ring);
	tc_loader_fini(&st->ld);
	ptd_attrib_close(st->attrib);
	st->attrib = NULL;
	st->ld.attrib_socks_fd = -1;
	st->ld.attrib_tuples_fd = -1;
	st->ld.attrib_skcache_fd = -1;
	st->ld.filter_pids_fd = -1;
	st->ld.filter_uids_fd = -1;
}

static int tc_start(void *state, char *err)
{
	struct tc_backend *st = state;
	int rc;

	rc = tc_devices_resolve(st->host, &st->devs, st->snaplen, err,
				PTD_ERRBUF_SIZE);
	if (rc < 0)
		return rc;
	st->vlan_buf = malloc(st->snaplen + 16);
	if (!st->vlan_buf) {
		snprintf(err, PTD_ERRBUF_SIZE, "out of memory");
		rc = -ENOMEM;
		goto out;
	}
	st->ld.expression = st->expression;
	st->ld.optimize = st->optimize;
	rc = tc_loader_init(&st->ld, err, PTD_ERRBUF_SIZE);
	if (rc < 0)
		goto out;
	if (st->ld.proc_filter && !st->cfg.attribution) {
		snprintf(err, PTD_ERRBUF_SIZE,
			 "process filters need attribution, which [backend.tc] attribution=false turns off");
		rc = -EINVAL;
		goto out;
	}
	if (st->cfg.attribution) {
		rc = tc_owners_open(st->host, &st->ld, &st->attrib, err);
		if (rc < 0)
			goto out;
	}
	/* lo's own programs capture its packets as they leave, for their
	 * sockets; without attribution lo needs only the ordinary ingress
	 * program, one hook instead of two.  Each program loaded costs its
	 * verification at start: only those the devices need (with "any",
	 * devices may still come). */
	st->ld.loopback = 0;
	st->ld.others = st->devs.any;
	for (size_t i = 0; i < st->devs.n; i++) {
		if (st->devs.dev[i]->loopback && st->attrib)
			st->ld.loopback = 1;
		else
			st->ld.others = 1;
	}
	if (st->devs.any && st->attrib)
		st->ld.loopback = 1;
	sync_clock(st);
	/* Listen before the listing is attached, so that no device falls
	 * between the two; one seen twice is attached once. */
	if (st->devs.any) {
		st->links.host = st->host;
		st->links.on_new = on_new_link;
		st->links.on_gone = on_gone_link;
		st->links.arg = st;
		rc = tc_links_open(&st->links, err, PTD_ERRBUF_SIZE);
		if (rc < 0)
			goto out;
	}
	rc = attach_all(st, err);
out:
	if (rc < 0)
		tc_stop(st);
	return rc < 0 ? rc : 0;
}

/*
 * Only remembered here: the devices, and so the link types to compile for,
 * are known at start.  A syntax error is reported now, as tcpdump does
 * before it opens anything.
 */
static int tc_set_filter(void *state, const struct ptd_filter *filter,
			 char *err)
{
	struct tc_backend *st = state;
	int rc;

	free(st->expression);
	st->expression = NULL;
	if (!filter->expression || !filter->expression[0])
		return 0;
	st->expression = strdup(filter->expression);
	if (!st->expression) {
		snprintf(err, PTD_ERRBUF_SIZE, "out of memory");
		return -ENOMEM;
	}
	st->optimize = filter->optimize;
	st->ld.host = st->host;
	st->ld.expression = st->expression;
	st->ld.optimize = st->optimize;
	rc = tc_loader_check(&st->ld, err, PTD_ERRBUF_SIZE);
	return rc < 0 ? rc : 0;
}

static void tc_fini(void *state)
{
	struct tc_backend *st = state;

	if (!st)
		return;
	tc_stop(st);
	tc_devices_free(&st->devs);
	free(st->by_ifindex);
	free(st->names);
	free(st->vlan_buf);
	free(st->expression);
	if (libbpf_host == st->host)
		libbpf_host = NULL;
	free(st);
}

PTD_PLUGIN_DEFINE(struct ptd_backend_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_BACKEND, struct ptd_backend_plugin),
		.name = "tc",
		.version = PACKAGE_VERSION,
		.summary = "live capture with eBPF programs on the tc hooks of network devices",
		.options = tc_options,
		.config_size = sizeof(struct tc_config),
		.init = tc_init,
		.start = tc_start,
		.stop = tc_stop,
		.fini = tc_fini,
	},
	.caps = PTD_BACKEND_LIVE,
	.set_filter = tc_set_filter,
	.describe = tc_describe,
	.stats = tc_stats,
	.drain = tc_drain,
};
