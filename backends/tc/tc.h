/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": what the plugin's files share.  tc.c runs the capture (BPF
 * skeleton, ring buffer, packets), devices.c decides which network devices
 * and hooks, attach.c puts the programs on them and takes them off.
 */
#ifndef PTD_BACKENDS_TC_TC_H
#define PTD_BACKENDS_TC_TC_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include <ptcpdump/plugin.h>

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

struct tc_dev {
	struct ptd_iface iface;    /* name points at name[] */
	char name[IF_NAMESIZE];
	int loopback;
	uint32_t hooks;            /* TC_HOOK_BIT()s to capture on */
	int link_fd[TC_HOOK_COUNT];       /* TCX link, or -1 */
	uint32_t filter_handle[TC_HOOK_COUNT]; /* our cls_bpf filter, or 0 */
};

struct tc_devices {
	struct tc_dev *dev;
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
/* Takes off whatever tc_attach_dev put on dev.  Safe to call twice. */
void tc_detach_dev(struct tc_attach *at, struct tc_dev *dev);

#endif /* PTD_BACKENDS_TC_TC_H */
