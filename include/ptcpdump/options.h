/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ptcpdump plugin SDK: the run's tcpdump-style settings, as parsed by the core
 * from the command line.  Plugins read them through host->opts; they never
 * parse argv themselves.  Fields are only ever appended (check opts->size).
 */
#ifndef PTCPDUMP_OPTIONS_H
#define PTCPDUMP_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* -t count: tcpdump's time stamp formats. */
enum ptd_tstamp_mode {
	PTD_TS_DEFAULT = 0,       /* no -t: HH:MM:SS.frac */
	PTD_TS_NONE = 1,          /* -t */
	PTD_TS_UNIX = 2,          /* -tt: seconds.frac since the epoch */
	PTD_TS_DELTA_PREV = 3,    /* -ttt: delta from the previous packet */
	PTD_TS_DATE = 4,          /* -tttt: YYYY-MM-DD HH:MM:SS.frac */
	PTD_TS_DELTA_FIRST = 5,   /* -ttttt: delta from the first packet */
};

enum ptd_capture_dir {
	PTD_Q_INOUT = 0,
	PTD_Q_IN = 1,
	PTD_Q_OUT = 2,
};

/* --context bits */
#define PTD_CTX_PROCESS     (1u << 0)
#define PTD_CTX_THREAD      (1u << 1)
#define PTD_CTX_PARENTPROC  (1u << 2)
#define PTD_CTX_USER        (1u << 3)
#define PTD_CTX_CONTAINER   (1u << 4)
#define PTD_CTX_POD         (1u << 5)
#define PTD_CTX_ALL         0x3fu

struct ptd_options {
	uint32_t size;               /* sizeof(struct ptd_options) of the core */

	/* display */
	int verbose;                 /* -v count */
	int numeric;                 /* -n count */
	int quiet;                   /* -q */
	int link_header;             /* -e */
	int absolute_seq;            /* -S */
	int no_verify_checksums;     /* -K */
	int print_number;            /* -# */
	int ascii;                   /* -A */
	int hex;                     /* -x count */
	int hex_ascii;               /* -X count */
	int oneline;                 /* --oneline */
	enum ptd_tstamp_mode tstamp; /* -t count */
	int nano;                    /* time stamp precision: 0 micro, 1 nano */
	uint32_t context;            /* PTD_CTX_* */
	int line_buffered;           /* -l */
	int packet_buffered;         /* -U */

	/* capture */
	uint32_t snaplen;            /* -s, 0 means 262144 */
	int no_promisc;              /* -p */
	int immediate;               /* --immediate-mode */
	enum ptd_capture_dir direction; /* -Q */
	const char *const *interfaces; /* -i, NULL terminated, may be empty */
	const char *read_file;       /* -r */

	/* output files */
	const char *write_file;      /* -w */
	int print;                   /* --print */
	uint64_t file_size;          /* -C, bytes; 0 = off */
	uint32_t file_count;         /* -W; 0 = unlimited */
	uint32_t rotate_seconds;     /* -G; 0 = off */
	const char *postrotate_cmd;  /* -z */

	/* appended: plugins check size before reading what follows */
	uint64_t buffer_size;        /* -B, in bytes (KiB x 1024); 0 = the backend's own */

	/* process filters (ABI 1.2; check with PTD_HAS_MEMBER(opts->size,
	 * ...)): a live backend captures only the packets whose process
	 * matches every kind given (any pid of pids, the comm, any uid of
	 * uids); one that cannot tell a packet's process must refuse to start
	 * rather than capture everything */
	const uint32_t *pids;        /* --pid, and the pid of -- command */
	size_t n_pids;
	const char *pname;           /* --pname: a comm, at most 15 bytes; NULL = none */
	const uint32_t *uids;        /* --uid */
	size_t n_uids;
	int follow_forks;            /* -f: children of matched pids match too */
};

#ifdef __cplusplus
}
#endif

#endif /* PTCPDUMP_OPTIONS_H */
