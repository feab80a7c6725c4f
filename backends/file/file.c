/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "file": replays -r FILE ("-r -": standard input) through our own
 * savefile reader, so pcapng interfaces, directions and comments survive.
 *
 * start() reads the file header synchronously (describe() must answer at
 * once, for the "reading from file" banner).  Then packets flow:
 *   - a regular file is read in bounded slices from deferred calls, so the
 *     core's loop still sees signals between slices;
 *   - a pipe, tty or socket is made non-blocking and watched; whatever has
 *     arrived is parsed when the loop says it is readable.
 * Damage ends the replay after the good packets, with one error line that
 * names the file, what is wrong and where.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ptcpdump/plugin.h>

#include "backends/file/savefile.h"

/* Packets per deferred slice, and reads per slice (a file of nothing but
 * skipped blocks must yield too). */
#define FILE_SLICE_PACKETS 256
#define FILE_SLICE_READS   16
#define FILE_READ_CHUNK    (64u * 1024u)

struct file_backend {
	const struct ptd_host *host;
	const char *path;          /* as given; "-" is standard input */
	const char *display;       /* the name used in messages */
	int fd;
	int own_fd;                /* ours to close (not standard input) */
	int stream;                /* not a regular file: watched, non-blocking */
	int watching;
	int saved_flags;           /* fd status flags to restore, or -1 */
	int slice_queued;
	int done;                  /* finished, stopped, or told to stop */
	uint64_t packets;
	struct ptd_sf *sf;
	struct ptd_iface **ifaces; /* one per reader interface, same index */
	uint32_t n_ifaces;
	uint32_t cap_ifaces;
};

static void file_pump(void *arg);

/* Mirrors the reader's new interfaces as stable ptd_iface records. */
static int sync_ifaces(struct file_backend *st)
{
	uint32_t want = ptd_sf_iface_count(st->sf);

	while (st->n_ifaces < want) {
		const struct ptd_sf_iface *si = ptd_sf_iface_at(st->sf, st->n_ifaces);
		struct ptd_iface *ifc;

		if (st->n_ifaces == st->cap_ifaces) {
			uint32_t ncap = st->cap_ifaces ? st->cap_ifaces * 2 : 4;
			struct ptd_iface **n = realloc(st->ifaces, ncap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			st->ifaces = n;
			st->cap_ifaces = ncap;
		}
		ifc = calloc(1, sizeof(*ifc));
		if (!ifc)
			return -ENOMEM;
		ifc->id = si->index;
		ifc->linktype = si->linktype;
		ifc->snaplen = si->snaplen;
		ifc->tsprec = si->ts_units > 1000000u ? PTD_TSPREC_NANO :
							PTD_TSPREC_MICRO;
		/* the reader keeps these strings until it is freed, in fini */
		ifc->name = si->name;
		ifc->description = si->description;
		st->ifaces[st->n_ifaces++] = ifc;
	}
	return 0;
}

/* > 0 bytes read, 0 at end of file, or -errno (-EAGAIN: nothing yet). */
static ssize_t read_more(struct file_backend *st)
{
	uint8_t *buf;
	size_t room;
	ssize_t n;
	int r;

	r = ptd_sf_reserve(st->sf, FILE_READ_CHUNK, &buf, &room);
	if (r < 0)
		return r;
	if (room > FILE_READ_CHUNK)
		room = FILE_READ_CHUNK;
	do {
		n = read(st->fd, buf, room);
	} while (n < 0 && errno == EINTR && !st->stream);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	ptd_sf_commit(st->sf, (size_t)n);
	return n;
}

static void finish(struct file_backend *st, int status)
{
	if (st->done)
		return;
	st->done = 1;
	if (st->watching) {
		st->host->unwatch_fd(st->host, st->fd);
		st->watching = 0;
	}
	ptd_debug(st->host, "%s: %llu packets, %s", st->display,
		  (unsigned long long)st->packets, status ? "failed" : "done");
	st->host->finished(st->host, status);
}

static void fail_reader(struct file_backend *st, int r)
{
	const char *why = ptd_sf_error(st->sf);

	ptd_err(st->host, "%s: %s", st->display, why ? why : strerror(-r));
	finish(st, r);
}

static int emit(struct file_backend *st, const struct ptd_sf_packet *sp)
{
	struct ptd_packet pkt;

	if (sp->iface >= st->n_ifaces)
		return -EINVAL; /* the reader announces each interface first */
	memset(&pkt, 0, sizeof(pkt));
	pkt.size = sizeof(pkt);
	pkt.ts_ns = sp->ts_ns;
	pkt.caplen = sp->caplen;
	pkt.len = sp->len;
	pkt.data = sp->data;
	pkt.iface = st->ifaces[sp->iface];
	pkt.direction = sp->direction;
	pkt.comment = sp->comment;
	st->packets++;
	return st->host->emit(st->host, &pkt);
}

static int queue_slice(struct file_backend *st)
{
	int r;

	if (st->slice_queued)
		return 0;
	r = st->host->defer(st->host, file_pump, st);
	if (r < 0)
		return r;
	st->slice_queued = 1;
	return 0;
}

/* From a slice: queue the next one, or give up saying why. */
static void next_slice(struct file_backend *st)
{
	int r = queue_slice(st);

	if (r < 0) {
		ptd_err(st->host, "%s: cannot schedule reading: %s",
			st->display, strerror(-r));
		finish(st, r);
	}
}

/* One bounded slice: parse what is buffered, read when the reader needs
 * more.  A stream that has nothing more yet waits for its fd. */
static void file_pump(void *arg)
{
	struct file_backend *st = arg;
	struct ptd_sf_packet sp;
	int packets = 0, reads = 0;
	ssize_t n;
	int r;

	st->slice_queued = 0;
	while (!st->done) {
		r = ptd_sf_next(st->sf, &sp);
		if (r == PTD_SF_PACKET) {
			r = emit(st, &sp);
			if (r < 0) {
				fail_reader(st, r);
			} else if (r == PTD_EMIT_STOP) {
				/* the core ends the run; it wants nothing more */
				st->done = 1;
				if (st->watching) {
					st->host->unwatch_fd(st->host, st->fd);
					st->watching = 0;
				}
			} else if (++packets >= FILE_SLICE_PACKETS) {
				next_slice(st);
				return;
			}
		} else if (r == PTD_SF_IFACE) {
			r = sync_ifaces(st);
			if (r < 0)
				fail_reader(st, r);
		} else if (r == PTD_SF_END) {
			finish(st, 0);
		} else if (r == PTD_SF_NEED_MORE) {
			if (reads++ >= FILE_SLICE_READS) {
				next_slice(st);
				return;
			}
			n = read_more(st);
			if (n == 0) {
				ptd_sf_set_eof(st->sf);
			} else if (n == -EAGAIN || n == -EINTR) {
				return; /* the loop calls again when readable */
			} else if (n < 0) {
				ptd_err(st->host, "%s: error reading dump file: %s",
					st->display, strerror((int)-n));
				finish(st, (int)n);
			}
		} else {
			fail_reader(st, r);
		}
	}
}

static void file_readable(void *arg, int fd, uint32_t events)
{
	file_pump(arg);
}

static int file_init(const struct ptd_host *host, const void *config,
		     void **state, char *err)
{
	struct file_backend *st;

	if (!host->opts || !host->opts->read_file) {
		snprintf(err, PTD_ERRBUF_SIZE, "no file to read (-r FILE)");
		return -EINVAL;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, PTD_ERRBUF_SIZE, "out of memory");
		return -ENOMEM;
	}
	st->host = host;
	st->path = host->opts->read_file;
	st->display = strcmp(st->path, "-") == 0 ? "standard input" : st->path;
	st->fd = -1;
	st->saved_flags = -1;
	st->sf = ptd_sf_new();
	if (!st->sf) {
		free(st);
		snprintf(err, PTD_ERRBUF_SIZE, "out of memory");
		return -ENOMEM;
	}
	*state = st;
	return 0;
}

/*
 * Waits until a stream has data.  The core keeps its signals blocked (they
 * reach it through a signalfd), so a plain blocking read of an idle pipe
 * would ignore ^C; let the signals that end a run interrupt the wait.
 */
static int wait_readable(struct file_backend *st)
{
	struct pollfd pfd = { .fd = st->fd, .events = POLLIN };
	sigset_t mask;

	if (sigprocmask(SIG_SETMASK, NULL, &mask) < 0)
		sigemptyset(&mask);
	sigdelset(&mask, SIGINT);
	sigdelset(&mask, SIGTERM);
	sigdelset(&mask, SIGHUP);
	if (ppoll(&pfd, 1, NULL, &mask) < 0)
		return -errno;
	return 0;
}

/* Reads until the first interface is known: the pcap file header, or the
 * pcapng SHB and first IDB.  The fd is still blocking here. */
static int read_header(struct file_backend *st, char *err)
{
	struct ptd_sf_packet sp;
	ssize_t n;
	int r;

	for (;;) {
		r = ptd_sf_next(st->sf, &sp);
		if (r == PTD_SF_IFACE)
			return sync_ifaces(st);
		if (r < 0 || r != PTD_SF_NEED_MORE) {
			const char *why = ptd_sf_error(st->sf);

			snprintf(err, PTD_ERRBUF_SIZE, "%s: %s", st->display,
				 why ? why : "no interface before the first packet");
			return r < 0 ? r : -EINVAL;
		}
		r = st->stream ? wait_readable(st) : 0;
		if (r == -EINTR) {
			snprintf(err, PTD_ERRBUF_SIZE,
				 "%s: interrupted while waiting for the file header",
				 st->display);
			return r;
		}
		n = r < 0 ? r : read_more(st);
		if (n == 0) {
			ptd_sf_set_eof(st->sf);
		} else if (n < 0 && n != -EAGAIN) {
			snprintf(err, PTD_ERRBUF_SIZE,
				 "%s: error reading dump file: %s",
				 st->display, strerror((int)-n));
			return (int)n;
		}
	}
}

/* A pipe or socket: non-blocking, read when the loop says so. */
static int watch_stream(struct file_backend *st, char *err)
{
	int r;

	st->saved_flags = fcntl(st->fd, F_GETFL);
	if (st->saved_flags >= 0 && !(st->saved_flags & O_NONBLOCK) &&
	    fcntl(st->fd, F_SETFL, st->saved_flags | O_NONBLOCK) < 0) {
		r = -errno;
		snprintf(err, PTD_ERRBUF_SIZE, "%s: %s", st->display,
			 strerror(errno));
		return r;
	}
	r = st->host->watch_fd(st->host, st->fd, PTD_EV_IN, file_readable, st);
	if (r < 0) {
		snprintf(err, PTD_ERRBUF_SIZE, "%s: cannot watch: %s",
			 st->display, strerror(-r));
		return r;
	}
	st->watching = 1;
	return 0;
}

static int file_start(void *state, char *err)
{
	struct file_backend *st = state;
	struct stat sb;
	int r;

	if (strcmp(st->path, "-") == 0) {
		st->fd = STDIN_FILENO;
	} else {
		st->fd = open(st->path, O_RDONLY | O_CLOEXEC);
		if (st->fd < 0) {
			r = -errno;
			snprintf(err, PTD_ERRBUF_SIZE, "%s: %s", st->path,
				 strerror(errno));
			return r;
		}
		st->own_fd = 1;
	}
	if (fstat(st->fd, &sb) < 0) {
		r = -errno;
		snprintf(err, PTD_ERRBUF_SIZE, "%s: %s", st->display,
			 strerror(errno));
		return r;
	}
	st->stream = !S_ISREG(sb.st_mode);
	r = read_header(st, err);
	if (r < 0)
		return r;
	if (st->stream) {
		r = watch_stream(st, err);
		if (r < 0)
			return r;
	}
	/* also for a stream: records read along with the header must not
	 * wait for an fd event that may never come */
	r = queue_slice(st);
	if (r < 0)
		snprintf(err, PTD_ERRBUF_SIZE, "%s: cannot schedule reading: %s",
			 st->display, strerror(-r));
	return r;
}

static void file_stop(void *state)
{
	struct file_backend *st = state;

	if (!st)
		return;
	st->done = 1;
	if (st->watching) {
		st->host->unwatch_fd(st->host, st->fd);
		st->watching = 0;
	}
	if (st->fd >= 0 && st->saved_flags >= 0)
		fcntl(st->fd, F_SETFL, st->saved_flags);
	if (st->own_fd && st->fd >= 0)
		close(st->fd);
	st->fd = -1;
	st->own_fd = 0;
	st->saved_flags = -1;
}

static void file_fini(void *state)
{
	struct file_backend *st = state;
	uint32_t i;

	if (!st)
		return;
	file_stop(st);
	for (i = 0; i < st->n_ifaces; i++)
		free(st->ifaces[i]);
	free(st->ifaces);
	ptd_sf_free(st->sf);
	free(st);
}

static int file_describe(void *state, struct ptd_source_info *info)
{
	struct file_backend *st = state;

	if (st->n_ifaces == 0)
		return -ENODATA;
	info->name = st->path;
	info->linktype = st->ifaces[0]->linktype;
	info->snaplen = st->ifaces[0]->snaplen;
	return 0;
}

PTD_PLUGIN_DEFINE(struct ptd_backend_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_BACKEND,
					 struct ptd_backend_plugin),
		.name = "file",
		.version = PACKAGE_VERSION,
		.summary = "replays pcap and pcapng files (-r FILE, -r -)",
		.init = file_init,
		.start = file_start,
		.stop = file_stop,
		.fini = file_fini,
	},
	.caps = PTD_BACKEND_FILE,
	.describe = file_describe,
};
