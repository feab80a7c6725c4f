/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ptcpdump plugin SDK.  This header (with packet.h and options.h, which it
 * includes) is the whole contract between the ptcpdump core and a plugin.
 *
 * A plugin is a shared object that exports exactly one symbol,
 * `ptcpdump_plugin` (PTD_PLUGIN_SYMBOL): a const descriptor whose first member
 * is struct ptd_plugin_header {abi, kind, size}.  The core refuses a plugin
 * whose ABI major differs from its own, whose minor is newer than its own, or
 * whose descriptor is smaller than the kind's descriptor of ABI 1.0.
 *
 * Minor versions only add: members at the end of a struct, which the other
 * side uses only when the struct's size (host->size, hdr.size) covers them
 * (PTD_HAS_MEMBER).  1.1 added process events: host->process_event for
 * backends, ptd_enricher_plugin.process_event for enrichers.  1.2 added the
 * process filters to struct ptd_options (pids, pname, uids, follow_forks)
 * and ptd_backend_plugin.drain.
 *
 * Lifecycle, for every kind:  init -> start -> (work) -> stop -> fini.
 *   init   parse nothing (the core already validated the options and filled
 *          the config struct); allocate state.  0 or -errno; on error write a
 *          one-line reason (no trailing newline) into err[PTD_ERRBUF_SIZE].
 *   start  open files, attach programs, register fds with host->watch_fd.
 *   stop   stop producing/consuming; flush.  May be called without start.
 *   fini   free state.  Accepts NULL.
 *
 * Minimal plugin:
 *
 *   #include <ptcpdump/plugin.h>
 *   static int hello_enrich(void *state, const struct ptd_packet *p,
 *                           struct ptd_meta *m) { ... return 0; }
 *   PTD_PLUGIN_DEFINE(struct ptd_enricher_plugin) = {
 *       .common = {
 *           .hdr = PTD_PLUGIN_HEADER(PTD_KIND_ENRICHER, struct ptd_enricher_plugin),
 *           .name = "hello", .version = "1.0", .summary = "says hello",
 *       },
 *       .enrich = hello_enrich,
 *   };
 *
 * Build: cc -shared -fPIC -fvisibility=hidden $(pkg-config --cflags ptcpdump-plugin)
 *        -o enricher-hello.so hello.c
 */
#ifndef PTCPDUMP_PLUGIN_H
#define PTCPDUMP_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h> /* clockid_t under strict -std=c99/c11 */
#include <time.h>

#include <ptcpdump/options.h>
#include <ptcpdump/packet.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PTD_ABI_MAJOR 1
#define PTD_ABI_MINOR 2
#define PTD_ABI_VERSION ((uint32_t)((PTD_ABI_MAJOR << 16) | PTD_ABI_MINOR))
#define PTD_ABI_MAJOR_OF(abi) ((uint32_t)(abi) >> 16)
#define PTD_ABI_MINOR_OF(abi) ((uint32_t)(abi) & 0xffffu)

/* Whether a struct of `size` bytes (as its size member says) has `member`. */
#define PTD_HAS_MEMBER(size, type, member) \
	((size) >= offsetof(type, member) + sizeof(((type *)0)->member))

#define PTD_PLUGIN_SYMBOL "ptcpdump_plugin"
#define PTD_ERRBUF_SIZE 256

enum ptd_plugin_kind {
	PTD_KIND_BACKEND = 1,
	PTD_KIND_ENRICHER = 2,
	PTD_KIND_PRINTER = 3,
};

struct ptd_plugin_header {
	uint32_t abi;   /* PTD_ABI_VERSION the plugin was built against */
	uint32_t kind;  /* enum ptd_plugin_kind */
	uint32_t size;  /* sizeof the kind's descriptor */
};

#define PTD_PLUGIN_HEADER(kind_, type_) \
	{ .abi = PTD_ABI_VERSION, .kind = (kind_), .size = sizeof(type_) }

#if defined(__GNUC__)
#define PTD_EXPORT __attribute__((visibility("default")))
#define PTD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PTD_EXPORT
#define PTD_PRINTF(a, b)
#endif

/* Defines the one exported descriptor. */
#define PTD_PLUGIN_DEFINE(type_) PTD_EXPORT extern const type_ ptcpdump_plugin; \
	PTD_EXPORT const type_ ptcpdump_plugin

/* ------------------------------------------------------------------------ */
/* Options: a table per plugin.  The core applies defaults, then the INI     */
/* values of the plugin's section in plugins.d, then command line flags, and */
/* validates each; the plugin receives the filled struct in init().          */

enum ptd_option_type {
	PTD_OPT_STRING = 1, /* char *, owned by the core, NULL if no default */
	PTD_OPT_BOOL,       /* int: true/false, yes/no, on/off, 1/0 */
	PTD_OPT_INT,        /* int64_t */
	PTD_OPT_UINT,       /* uint64_t */
	PTD_OPT_BYTES,      /* uint64_t: 4096, 10k = 10kb = 10000, 10kib = 10240; m, mb, mib, g, gb, gib alike */
	PTD_OPT_MILLIS,     /* uint64_t milliseconds: 250ms, 2s, 1m */
	PTD_OPT_ENUM,       /* int: index into choices */
};

struct ptd_option {
	const char *key;            /* INI key, [a-z0-9_]+ */
	enum ptd_option_type type;
	const char *def;            /* default as text, NULL = none */
	size_t offset;              /* offsetof(config struct, field) */
	const char *help;
	const char *const *choices; /* PTD_OPT_ENUM: NULL-terminated */
	const char *cli;            /* long flag that also sets it ("docker-address"), or NULL */
};

/* ------------------------------------------------------------------------ */
/* Host services: the only way a plugin reaches the core.                    */

enum ptd_log_level {
	PTD_LOG_ERROR = 0,
	PTD_LOG_WARN = 1,
	PTD_LOG_INFO = 2,
	PTD_LOG_DEBUG = 3,
};

/* Poll events for watch_fd: the same values as EPOLLIN/EPOLLOUT/... */
#define PTD_EV_IN  0x001u
#define PTD_EV_OUT 0x004u
#define PTD_EV_ERR 0x008u
#define PTD_EV_HUP 0x010u

/* emit() results */
#define PTD_EMIT_CONTINUE 0
#define PTD_EMIT_STOP     1  /* the core wants no more packets (-c reached, error) */

/*
 * A process's life, as a backend saw it in the kernel (ABI 1.1): it lets
 * enrichers learn a process while it exists, so packets that arrive after
 * a short-lived process ended still get its names.  Strings are valid for
 * the call only; NULL (or "") when not known.
 */
enum ptd_process_event_type {
	PTD_PROC_EXEC = 1,        /* execve() succeeded: a new program */
	PTD_PROC_EXIT = 2,        /* the last thread of the process exited */
};

struct ptd_process_event {
	uint32_t size;            /* sizeof(struct ptd_process_event) of the sender */
	uint32_t type;            /* enum ptd_process_event_type */
	uint32_t pid;             /* thread group id */
	uint32_t tid;
	uint32_t ppid;            /* 0 = unknown */
	uint32_t uid;
	uint32_t gid;
	uint64_t cgroup_id;       /* cgroup v2 id; 0 = unknown */
	uint64_t ts_ns;           /* CLOCK_MONOTONIC */
	const char *comm;         /* short name after exec */
	const char *cmd;          /* exec: the path given to execve() */
	const char *args;         /* exec: argv joined by spaces (may be cut short) */
};

struct ptd_host;
typedef void (*ptd_fd_cb)(void *arg, int fd, uint32_t events);
typedef void (*ptd_call_cb)(void *arg);

struct ptd_host {
	uint32_t size;                      /* sizeof(struct ptd_host) of the core */
	const struct ptd_options *opts;     /* tcpdump-style flags of this run */
	const char *kind_name;              /* "backend", "enricher", "printer" */
	const char *name;                   /* this instance's name */

	/* Logging; the core prefixes "[kind:name] " and applies --log-level. */
	void (*log)(const struct ptd_host *h, enum ptd_log_level level,
		    const char *fmt, ...) PTD_PRINTF(3, 4);
	void (*vlog)(const struct ptd_host *h, enum ptd_log_level level,
		     const char *fmt, va_list ap) PTD_PRINTF(3, 0);
	int (*log_enabled)(const struct ptd_host *h, enum ptd_log_level level);

	/* Event loop.  Callbacks run on the core's single thread. */
	int (*watch_fd)(const struct ptd_host *h, int fd, uint32_t events,
			ptd_fd_cb cb, void *arg);
	int (*unwatch_fd)(const struct ptd_host *h, int fd);
	/* A timer firing after first_ns, then every interval_ns (0: once).
	 * Returns an id > 0, or -errno. */
	int (*timer_add)(const struct ptd_host *h, uint64_t first_ns,
			 uint64_t interval_ns, ptd_call_cb cb, void *arg);
	int (*timer_cancel)(const struct ptd_host *h, int id);
	/* Run cb once from the loop as soon as no fd is ready: for work that
	 * cannot be polled (regular files).  Do a bounded slice, defer again. */
	int (*defer)(const struct ptd_host *h, ptd_call_cb cb, void *arg);
	uint64_t (*clock_ns)(const struct ptd_host *h, clockid_t clock);

	/* Backends: hand one packet to the core (filter, enrich, print).
	 * Returns PTD_EMIT_CONTINUE or PTD_EMIT_STOP. */
	int (*emit)(const struct ptd_host *h, const struct ptd_packet *pkt);
	/* Backends: the source is exhausted (status 0) or failed (-errno, the
	 * reason already logged).  The core stops the run. */
	void (*finished)(const struct ptd_host *h, int status);

	void *core; /* private to the core */

	/* ABI 1.1.  Backends: a process event, passed to every enricher that
	 * takes them, at once (before any packet emitted after this call). */
	void (*process_event)(const struct ptd_host *h,
			      const struct ptd_process_event *ev);
};

#define ptd_log_at(h, lvl, ...) do { \
		if ((h)->log_enabled((h), (lvl))) \
			(h)->log((h), (lvl), __VA_ARGS__); \
	} while (0)
#define ptd_err(h, ...)   ptd_log_at(h, PTD_LOG_ERROR, __VA_ARGS__)
#define ptd_warn(h, ...)  ptd_log_at(h, PTD_LOG_WARN, __VA_ARGS__)
#define ptd_info(h, ...)  ptd_log_at(h, PTD_LOG_INFO, __VA_ARGS__)
#define ptd_debug(h, ...) ptd_log_at(h, PTD_LOG_DEBUG, __VA_ARGS__)

/* ------------------------------------------------------------------------ */
/* Descriptors.                                                              */

struct ptd_plugin_common {
	struct ptd_plugin_header hdr;
	const char *name;       /* must equal the INI section's name */
	const char *version;
	const char *summary;
	const struct ptd_option *options; /* NULL or terminated by {0} */
	size_t config_size;               /* size of the struct options point into */

	int (*init)(const struct ptd_host *host, const void *config,
		    void **state, char *err);
	int (*start)(void *state, char *err);
	void (*stop)(void *state);
	void (*fini)(void *state);
};

/* Backend capabilities */
#define PTD_BACKEND_LIVE     (1u << 0) /* captures live; exit statistics apply */
#define PTD_BACKEND_FILE     (1u << 1) /* replays opts->read_file */

struct ptd_backend_stats {
	uint64_t received;   /* "packets received by filter" */
	uint64_t dropped;    /* "packets dropped by kernel" */
	uint64_t if_dropped; /* "packets dropped by interface" */
};

struct ptd_filter {
	const char *expression; /* NULL or empty: capture everything */
	int optimize;           /* 0 with -O */
};

struct ptd_source_info {
	const char *name;   /* file name ("-" for stdin) or interface list */
	int linktype;       /* DLT_* of the first interface */
	uint32_t snaplen;
};

struct ptd_backend_plugin {
	struct ptd_plugin_common common;
	uint32_t caps; /* PTD_BACKEND_* */
	/* Optional: apply the filter before packets reach user space.  Return
	 * 0 when every emitted packet carries PTD_PKT_FILTERED, 1 to let the
	 * core filter in user space, -errno on error.  Called before start. */
	int (*set_filter)(void *state, const struct ptd_filter *filter, char *err);
	/* After start: what the source looks like (banner, -d). */
	int (*describe)(void *state, struct ptd_source_info *info);
	/* Optional: counters for the exit statistics. */
	int (*stats)(void *state, struct ptd_backend_stats *stats);
	/* ABI 1.2, optional: emit what the kernel has queued now, before the
	 * core ends the run (the command of -- command has exited). */
	void (*drain)(void *state);
};

struct ptd_enricher_plugin {
	struct ptd_plugin_common common;
	/* Fill what this enricher knows; leave other fields alone. */
	int (*enrich)(void *state, const struct ptd_packet *pkt,
		      struct ptd_meta *meta);
	/* ABI 1.1, optional: a backend saw a process exec or exit. */
	void (*process_event)(void *state, const struct ptd_process_event *ev);
};

/* Printer roles: which of the run's outputs a printer provides. */
#define PTD_PRINTER_TEXT   (1u << 0) /* decoded lines on stdout */
#define PTD_PRINTER_DUMP   (1u << 1) /* -x/-X/-A dumps, after the text line */
#define PTD_PRINTER_WRITER (1u << 2) /* savefiles for -w */

/* print() result: nothing more will be written, end the run with success
 * (tcpdump -G with -W: "Maximum file limit reached"). */
#define PTD_PRINT_DONE 1

struct ptd_printer_plugin {
	struct ptd_plugin_common common;
	uint32_t roles; /* PTD_PRINTER_* */
	/* 0; PTD_PRINT_DONE when this printer is complete and the run should
	 * end normally; or -errno after logging why (the run stops). */
	int (*print)(void *state, const struct ptd_packet *pkt,
		     const struct ptd_meta *meta);
	/* Push buffered output to its destination (-U, end of run). */
	int (*flush)(void *state);
};

#ifdef __cplusplus
}
#endif

#endif /* PTCPDUMP_PLUGIN_H */
