/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ptcpdump plugin SDK: what travels from a backend through enrichers to printers.
 *
 * A packet record is produced by a backend, owned by it, and valid only for
 * the duration of the sink call that hands it to the core.  Nothing here may
 * be kept by reference after the callback returns: copy what you need.
 */
#ifndef PTCPDUMP_PACKET_H
#define PTCPDUMP_PACKET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ptd_direction {
	PTD_DIR_UNKNOWN = 0,
	PTD_DIR_IN = 1,
	PTD_DIR_OUT = 2,
};

/* Time stamp resolution of a source, used by writers for if_tsresol. */
enum ptd_tsprec {
	PTD_TSPREC_MICRO = 0,
	PTD_TSPREC_NANO = 1,
};

/*
 * One capture interface as the core and printers see it.  Backends create
 * them (one per pcapng IDB, one per attached network device) and keep them
 * alive until their stop callback returns.  `id` is unique within a run and
 * stable: writers key their interface tables on it.
 */
struct ptd_iface {
	uint32_t id;
	int linktype;          /* DLT_* value, as libpcap numbers them */
	uint32_t snaplen;
	uint32_t ifindex;      /* 0 when unknown (replayed files) */
	uint32_t netns_ino;    /* 0 when unknown */
	enum ptd_tsprec tsprec;
	const char *name;      /* may be NULL for pcap files */
	const char *description;
};

/* What the kernel (or a replayed file) knew about a packet's owner. */
#define PTD_PKT_HAVE_PID     (1u << 0) /* pid, tid valid */
#define PTD_PKT_HAVE_UID     (1u << 1) /* uid, gid valid */
#define PTD_PKT_HAVE_CGROUP  (1u << 2) /* cgroup_id valid */
#define PTD_PKT_HAVE_COMM    (1u << 3) /* comm valid */
#define PTD_PKT_HAVE_PPID    (1u << 4) /* ppid valid */
/* The backend already applied the capture filter (kernel side). */
#define PTD_PKT_FILTERED     (1u << 8)

#define PTD_COMM_LEN 16

struct ptd_packet {
	uint32_t size;            /* sizeof(struct ptd_packet) of the producer */
	uint32_t flags;           /* PTD_PKT_* */
	uint64_t ts_ns;           /* wall clock, ns since the Unix epoch */
	uint32_t caplen;          /* bytes available at data */
	uint32_t len;             /* bytes on the wire */
	const uint8_t *data;
	const struct ptd_iface *iface;
	enum ptd_direction direction;
	uint32_t pid, tid, ppid;
	uint32_t uid, gid;
	uint64_t cgroup_id;
	char comm[PTD_COMM_LEN];
	/* Free-text comment carried by the source (pcapng opt_comment), or NULL. */
	const char *comment;
};

/*
 * Names for the facts above, filled by enrichers.  All strings are owned by
 * the enricher that set them and stay valid until the printers have
 * returned for this packet.  NULL means unknown.
 */
struct ptd_process_meta {
	uint32_t pid;             /* 0 = unknown */
	uint32_t tid;
	uint32_t uid;
	int have_uid;
	const char *comm;         /* short name, as in /proc/PID/comm */
	const char *cmd;          /* executable path */
	const char *args;         /* argv joined by single spaces */
	const char *thread_name;
	const char *user_name;
	uint32_t ppid;            /* 0 = unknown */
	const char *parent_comm;
	const char *parent_cmd;
	const char *parent_args;
};

struct ptd_container_meta {
	const char *id;
	const char *name;
	const char *image;
	const char *labels_json;  /* {"k":"v",...} */
};

struct ptd_pod_meta {
	const char *name;
	const char *namespace_;
	const char *uid;
	const char *labels_json;
	const char *annotations_json;
};

struct ptd_meta {
	uint32_t size;            /* sizeof(struct ptd_meta) of the core */
	uint64_t number;          /* 1-based packet number in this run (-#) */
	struct ptd_process_meta process;
	struct ptd_container_meta container;
	struct ptd_pod_meta pod;
};

#ifdef __cplusplus
}
#endif

#endif /* PTCPDUMP_PACKET_H */
