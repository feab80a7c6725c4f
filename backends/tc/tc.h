/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": what the plugin's files share.  tc.c runs the capture (ring
 * buffer, packets, statistics), progs.c loads the programs with the capture
 * filter spliced in, devices.c decides which network devices and hooks,
 * attach.c puts the programs on them and takes them off, and links.c
 * follows devices that appear and vanish during a "-i any" capture.
 */
#ifndef PTD_BACKENDS_TC_TC_H
#define PTD_BACKENDS_TC_TC_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include <ptcpdump/plugin.h>

#include "core/bpf_compile.h"

/* Hooks of a device, as bits and as array indexes. */
enum tc_hook_index {
	TC_HOOK_IN = 0,
	TC_HOOK_OUT = 1,
	TC_HOOK_COUNT = 2,
};
#define TC_HOOK_BIT(h) (1u << (h))

/* plugins.d "attach" */
enum tc_attach_mode {
	TC_ATTACH_AUTO = 0,   /* TCX when the kernel has it, else clsact */
	TC_ATTACH_TCX = 1,
	TC_ATTACH_CLSACT = 2,
};

struct tc_progs;

struct tc_dev {
	struct ptd_iface iface;    /* name points at name[] */
	char name[IF_NAMESIZE];
	int loopback;
	int gone;                  /* removed from the system while we ran */
	struct tc_progs *progs;    /* the programs for its link type, once attached */
	uint32_t hooks;            /* TC_HOOK_BIT()s to capture on */
	int link_fd[TC_HOOK_COUNT];       /* TCX link, or -1 */
	uint32_t filter_handle[TC_HOOK_COUNT]; /* our cls_bpf filter, or 0 */
	int promisc_fd;            /* packet socket holding promiscuous mode, or -1 */
	int made_clsact;           /* the clsact qdisc is ours: remove it when empty */
};

struct tc_devices {
	struct tc_dev **dev;       /* each allocated alone: they never move */
	size_t n;
	int any;                   /* "-i any": every device of the namespace */
};

/*
 * Which devices a run captures on, from opts->interfaces ("any": all of
 * them; none: tcpdump's default device) and which hooks, from opts->direction.
 * On error, err holds one line.  0 or -errno.
 */
int tc_devices_resolve(const struct ptd_host *host, struct tc_devices *devs,
		       uint32_t snaplen, char *err, size_t errlen);
void tc_devices_free(struct tc_devices *devs);
/* Adds the device called name (one that appeared during the run).  *added
 * is NULL when it is known already or cannot be captured on. */
int tc_devices_add(const struct ptd_host *host, struct tc_devices *devs,
		   const char *name, uint32_t snaplen, struct tc_dev **added,
		   char *err, size_t errlen);
/* The live (not gone) device with that ifindex, or NULL. */
struct tc_dev *tc_devices_find(struct tc_devices *devs, uint32_t ifindex);

struct tc_attach {
	const struct ptd_host *host;
	enum tc_attach_mode mode;  /* AUTO until the first attach decides */
	int prog_fd[TC_HOOK_COUNT];
};

/*
 * Puts the hook's program on dev (TCX, else clsact + cls_bpf, as mode says),
 * after removing what a killed earlier run left there.  0 or -errno with err.
 */
int tc_attach_dev(struct tc_attach *at, struct tc_dev *dev, char *err,
		  size_t errlen);
/* Takes off whatever tc_attach_dev put on dev, and the clsact qdisc it
 * created once that holds no filter.  Safe to call twice. */
void tc_detach_dev(struct tc_attach *at, struct tc_dev *dev);
/* Removes dev's clsact qdisc if no hook holds a filter; 0 when it went or
 * stays for others' filters, else -errno. */
int tc_clsact_remove_if_empty(struct tc_attach *at, struct tc_dev *dev);

/*
 * Promiscuous mode on dev, held by a packet socket of its own until
 * tc_promisc_leave() (or the process's end).  0 or -errno with err.
 */
int tc_promisc_enter(struct tc_dev *dev, char *err, size_t errlen);
/* Safe to call twice. */
void tc_promisc_leave(struct tc_dev *dev);

/*
 * The programs for one link type: the capture filter differs between
 * Ethernet-like devices (DLT_EN10MB) and devices whose packets start at the
 * IP header (DLT_RAW), and between ingress and egress (`inbound`).  All
 * sets share the first set's ring buffer and counters.
 */
struct tc_progs {
	int linktype;
	void *skel;                /* struct tc_capture */
	int prog_fd[TC_HOOK_COUNT];
	int prog_fd_lo;            /* lo's, on its egress hook; -1 if unloaded */
	int prog_fd_lo_in;         /* and on its ingress hook */
	/* With an expression: 1 when the kernel runs it; 0 when it refused
	 * the program and user space filters these devices' packets. */
	int kernel_filter;
	struct ptd_cbpf_prog *cbpf; /* the classic program, for user space */
};

struct tc_loader {
	const struct ptd_host *host;
	const char *expression;    /* NULL: no filter */
	int optimize;
	uint32_t snaplen;
	uint64_t ringbuf_size;
	uint64_t wakeup_threshold;
	/* The attribution maps to share (ptd_attrib_map_fd()), -1 for none:
	 * the programs then look up no owner.  netns_cookie: the devices'
	 * network namespace. */
	int attrib_socks_fd;
	int attrib_tuples_fd;
	int attrib_skcache_fd;     /* per-socket owner cache, -1 for none */
	uint64_t netns_cookie;
	/* The process filter (bpf/proc_filter.h): PTD_PF_* bits, 0 for none;
	 * its sets are the attribution object's maps. */
	uint32_t proc_filter;
	char proc_comm[16];
	int filter_pids_fd;
	int filter_uids_fd;
	int loopback;              /* load lo's programs (a loopback device) */
	int others;                /* load the others (a device that is not) */
	struct tc_progs *set[4];   /* one per link type in use */
	size_t n;
	int handler_id;            /* libbpf section handler, > 0 while set */
	int warned;                /* the user-space fallback was announced */
};

/* Registers the section handler that splices filters in.  0 or -errno. */
int tc_loader_init(struct tc_loader *ld, char *err, size_t errlen);
/*
 * The program set for linktype, loaded on first use.  -EINVAL (or
 * -EPROTONOSUPPORT) when the expression does not compile for it, with
 * libpcap's message in err; other -errno when the programs do not load.
 */
int tc_loader_get(struct tc_loader *ld, int linktype, struct tc_progs **out,
		  char *err, size_t errlen);
/* Syntax check: compiles the expression for Ethernet. 0 or -errno. */
int tc_loader_check(const struct tc_loader *ld, char *err, size_t errlen);
/* The first set's maps (ring buffer, counters), or -1 with none loaded. */
int tc_loader_events_fd(const struct tc_loader *ld);
int tc_loader_counters_fd(const struct tc_loader *ld);
/* Destroys every set and unregisters the handler.  Safe to call twice. */
void tc_loader_fini(struct tc_loader *ld);

/*
 * The process filter (procfilter.c): _init reads the run's options, before
 * the attribution object opens; _config hands the pid and uid sets to it
 * (cfg of ptd_attrib_open()); _maps takes its filter maps for the capture
 * programs; _share gives them to a capture object before its load (-ENOTSUP
 * when a filter is on and the programs get no owners).
 */
struct ptd_attrib;
struct ptd_attrib_config;
struct tc_capture;
void tc_proc_filter_init(struct tc_loader *ld, const struct ptd_options *o);
void tc_proc_filter_config(const struct tc_loader *ld,
			   const struct ptd_options *o,
			   struct ptd_attrib_config *cfg);
void tc_proc_filter_maps(struct tc_loader *ld, const struct ptd_attrib *a);
int tc_proc_filter_share(const struct tc_loader *ld, struct tc_capture *skel,
			 int with_owners);

/* Attribution for the capture (owners.c): opens and seeds it into *out
 * (NULL, with a warning, where the kernel cannot: packets then carry no
 * owner) and gives ld its maps; -errno when a process filter needs it. */
int tc_owners_open(const struct ptd_host *host, struct tc_loader *ld,
		   struct ptd_attrib **out, char *err);

/* Reading the ring buffer with fewer cache misses for the producers than
 * libbpf's reader (ring.c says why). */
typedef int (*tc_record_fn)(void *ctx, void *data, size_t size);

struct tc_ring {
	unsigned long *consumer;   /* NULL while not mapped */
	unsigned long *producer;
	uint8_t *data;
	size_t page, size, mask;
};

int tc_ring_open(struct tc_ring *r, int map_fd, uint64_t size, char *err,
		 size_t errlen);
void tc_ring_close(struct tc_ring *r);
/* Calls cb for each record until the ring is empty or cb returns < 0,
 * which it then returns (that record counts as read).  Else 0. */
int tc_ring_consume(struct tc_ring *r, tc_record_fn cb, void *ctx);

/*
 * Following rtnetlink for "-i any": on_new is called for each device that
 * appears (RTM_NEWLINK of an unknown ifindex), on_gone for each that is
 * removed.  Its fd is watched through the host.
 */
struct tc_links {
	const struct ptd_host *host;
	int fd;
	void (*on_new)(void *arg, uint32_t ifindex, const char *name);
	void (*on_gone)(void *arg, uint32_t ifindex);
	void *arg;
};

int tc_links_open(struct tc_links *ln, char *err, size_t errlen);
void tc_links_close(struct tc_links *ln);

#endif /* PTD_BACKENDS_TC_TC_H */
