/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * printer "pcapng": the -w savefile writer.
 *
 * A name ending in ".pcapng" gets pcapng (with interface names, directions
 * and process comments); anything else, "-" included, gets classic pcap,
 * as upstream ptcpdump decides.  Rotation follows tcpdump 4.99:
 *
 *   -C  before writing a packet, if the current file is larger than the
 *       limit, close it and open the next name (see rotate.c)
 *   -G  before writing a packet, if -G seconds of wall-clock time have passed
 *       since the current file was opened, close it and open
 *       strftime(NAME); with -W (and no -C) the run ends after -W files
 *   -z  after closing a file because of a rotation, run "CMD FILE" in the
 *       background at low priority (not for the last file of the run)
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "writer.h"

#define NS_PER_SEC 1000000000ull

struct writer {
	const struct ptd_host *host;
	const struct ptd_options *opts;
	const struct wr_format *format;
	void *fmt;
	struct wr_stream out;
	int active;          /* -w was given */
	int done;            /* -G with -W reached its file count */
	int failed;          /* -errno of an error already reported */
	int stopped;
	char *name;          /* the current file */
	int width;           /* -W digits in numbered names */
	time_t period_start; /* -G: when the current period began */
	uint32_t periods;    /* -G: files closed by time */
	uint32_t count;      /* -C: number of the current file */
	pid_t *children;     /* -z commands not yet reaped */
	size_t n_children, cap_children;
	int reap_timer;      /* > 0 while a timer reaps children */
};

static int wr_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static time_t wr_now(const struct writer *w)
{
	return (time_t)(w->host->clock_ns(w->host, CLOCK_REALTIME) / NS_PER_SEC);
}

/* ------------------------------------------------------------------ */
/* -z                                                                  */

static void wr_reap(struct writer *w)
{
	size_t i = 0;
	pid_t r;

	while (i < w->n_children) {
		r = waitpid(w->children[i], NULL, WNOHANG);
		if (r == 0 || (r < 0 && errno == EINTR)) {
			i++;
			continue;
		}
		/* Exited, or already reaped by someone else (ECHILD). */
		w->children[i] = w->children[--w->n_children];
	}
	if (w->n_children == 0 && w->reap_timer > 0) {
		w->host->timer_cancel(w->host, w->reap_timer);
		w->reap_timer = 0;
	}
}

static void wr_reap_cb(void *arg)
{
	wr_reap(arg);
}

static void wr_postrotate(struct writer *w, const char *file)
{
	const char *cmd = w->opts->postrotate_cmd;
	sigset_t all;
	pid_t pid;
	int r;

	if (!cmd || !*cmd)
		return;
	if (w->n_children == w->cap_children) {
		size_t cap = w->cap_children ? 2 * w->cap_children : 4;
		pid_t *grown = realloc(w->children, cap * sizeof(*grown));

		if (!grown) {
			ptd_err(w->host, "-z: %s", strerror(ENOMEM));
			return;
		}
		w->children = grown;
		w->cap_children = cap;
	}

	pid = fork();
	if (pid < 0) {
		ptd_err(w->host, "-z: fork failed: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		/* The capture may block signals (signalfd) and ignore
		 * SIGPIPE; the command must start with neither. */
		sigemptyset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		signal(SIGPIPE, SIG_DFL);
		/* Lowest priority, so compressing never slows the capture. */
		r = setpriority(PRIO_PROCESS, 0, 19);
		(void)r;
		execlp(cmd, cmd, file, (char *)NULL);
		dprintf(STDERR_FILENO, "ptcpdump: -z: execlp(%s, %s) failed: %s\n",
			cmd, file, strerror(errno));
		/* _exit: never flush the stdio buffers we share with the
		 * parent into its savefile. */
		_exit(1);
	}
	w->children[w->n_children++] = pid;
	if (w->reap_timer <= 0) {
		r = w->host->timer_add(w->host, NS_PER_SEC, NS_PER_SEC,
				       wr_reap_cb, w);
		w->reap_timer = r > 0 ? r : 0; /* else: reaped per packet */
	}
}

/* ------------------------------------------------------------------ */
/* Files                                                               */

/* Reports err once for the current file; returns it. */
static int wr_fail(struct writer *w, const char *file, int err)
{
	if (!w->failed) {
		ptd_err(w->host, "%s: %s",
			strcmp(file, "-") == 0 ? "standard output" : file,
			strerror(-err));
		w->failed = err;
	}
	return w->failed;
}

static int wr_open(struct writer *w, char *err)
{
	char name[4096];
	const char *why;
	int ret;

	/* tcpdump numbers names only under -C; -G adds strftime. */
	if (w->opts->file_size)
		ret = wr_file_name(name, sizeof(name), w->opts->write_file,
				   w->opts->rotate_seconds != 0, w->period_start,
				   w->count, w->width);
	else
		ret = wr_file_name(name, sizeof(name), w->opts->write_file,
				   w->opts->rotate_seconds != 0, w->period_start,
				   0, 0);
	if (ret) {
		why = ret == -EINVAL ? "an empty string is not a valid file name" :
				       "too many output files or file name is too long";
		if (err)
			snprintf(err, PTD_ERRBUF_SIZE, "%s", why);
		else
			ptd_err(w->host, "%s", why);
		w->failed = ret;
		return ret;
	}

	ret = wr_stream_open(&w->out, name);
	if (ret) {
		if (err) {
			/* tcpdump's message; an over-long name loses its end. */
			why = strerror(-ret);
			snprintf(err, PTD_ERRBUF_SIZE, "%.*s: %s",
				 (int)(PTD_ERRBUF_SIZE / 2), name, why);
			w->failed = ret;
			return ret;
		}
		return wr_fail(w, name, ret);
	}
	free(w->name);
	w->name = strdup(name);
	if (!w->name)
		return wr_fail(w, name, -ENOMEM);
	ret = w->format->file_begin(w->fmt, &w->out);
	if (ret)
		return wr_fail(w, name, ret);
	return 0;
}

/* Closes the current file.  0 or the -errno already reported. */
static int wr_close(struct writer *w)
{
	int ret = 0, r;

	if (!w->out.fp)
		return w->failed;
	if (!w->failed) {
		ret = w->format->file_end(w->fmt, &w->out);
		if (ret)
			wr_fail(w, w->name, ret);
	}
	r = wr_stream_close(&w->out);
	if (r && !w->failed)
		wr_fail(w, w->name, r);
	return w->failed ? w->failed : ret;
}

static int wr_rotate(struct writer *w)
{
	int ret = wr_close(w);

	if (ret)
		return ret;
	wr_postrotate(w, w->name);
	return wr_open(w, NULL);
}

/* tcpdump's checks, in its order: time first, then size. */
static int wr_maybe_rotate(struct writer *w)
{
	const struct ptd_options *o = w->opts;
	time_t now;
	int ret;

	if (o->rotate_seconds) {
		now = wr_now(w);
		if (now - w->period_start >= (time_t)o->rotate_seconds) {
			w->period_start = now;
			w->periods++;
			w->count = 0;
			if (!o->file_size && o->file_count &&
			    w->periods >= o->file_count) {
				ret = wr_close(w);
				if (ret)
					return ret;
				wr_postrotate(w, w->name);
				ptd_warn(w->host, "Maximum file limit reached: %" PRIu32,
					 o->file_count);
				w->done = 1;
				return PTD_PRINT_DONE;
			}
			ret = wr_rotate(w);
			if (ret)
				return ret;
		}
	}
	if (o->file_size && w->out.size > o->file_size) {
		w->count++;
		if (o->file_count && w->count >= o->file_count)
			w->count = 0;
		ret = wr_rotate(w);
		if (ret)
			return ret;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Plugin                                                              */

static int wr_init(const struct ptd_host *host, const void *config,
		   void **state, char *err)
{
	const struct ptd_options *o = host->opts;
	struct wr_format_ctx ctx = {
		.host = host,
		.nano = o->nano,
		.default_snaplen = o->snaplen ? o->snaplen : WR_DEFAULT_SNAPLEN,
		.context = o->context,
	};
	struct writer *w;
	int ret;

	w = calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, PTD_ERRBUF_SIZE, "%s", strerror(ENOMEM));
		return -ENOMEM;
	}
	w->host = host;
	w->opts = o;
	/* Loaded without -w (a configuration listing every printer): stay
	 * idle rather than refuse the run. */
	w->active = o->write_file != NULL;
	w->format = w->active && wr_ends_with(o->write_file, ".pcapng") ?
		    &wr_format_pcapng : &wr_format_pcap;
	w->width = o->file_count ? wr_count_width(o->file_count) : 0;
	ret = w->format->create(&ctx, &w->fmt);
	if (ret) {
		snprintf(err, PTD_ERRBUF_SIZE, "%s", strerror(-ret));
		free(w);
		return ret;
	}
	*state = w;
	return 0;
}

static int wr_start(void *state, char *err)
{
	struct writer *w = state;

	if (!w->active)
		return 0;
	if (w->opts->rotate_seconds)
		w->period_start = wr_now(w);
	ptd_debug(w->host, "writing %s to %s", w->format->name,
		  w->opts->write_file);
	return wr_open(w, err);
}

static int wr_print(void *state, const struct ptd_packet *pkt,
		    const struct ptd_meta *meta)
{
	struct writer *w = state;
	int ret;

	if (!w->active)
		return 0;
	if (w->done)
		return PTD_PRINT_DONE;
	if (w->failed)
		return w->failed;
	if (!w->out.fp)
		return wr_fail(w, w->opts->write_file, -EBADF); /* not started */
	if (w->n_children && w->reap_timer <= 0)
		wr_reap(w);

	ret = wr_maybe_rotate(w);
	if (ret)
		return ret;
	ret = w->format->packet(w->fmt, &w->out, pkt, meta);
	if (ret < 0)
		return wr_fail(w, w->name, ret);
	return 0;
}

static int wr_flush(void *state)
{
	struct writer *w = state;
	int ret;

	if (!w->active || !w->out.fp)
		return w->failed;
	if (w->failed)
		return w->failed;
	ret = wr_stream_flush(&w->out);
	if (ret)
		return wr_fail(w, w->name, ret);
	return 0;
}

static void wr_stop(void *state)
{
	struct writer *w = state;

	if (!w || !w->active || w->stopped)
		return;
	w->stopped = 1;
	wr_close(w);
	if (w->format->report)
		w->format->report(w->fmt, w->opts->write_file);
	wr_reap(w);
}

static void wr_fini(void *state)
{
	struct writer *w = state;

	if (!w)
		return;
	if (w->out.fp)
		wr_stream_close(&w->out);
	if (w->reap_timer > 0)
		w->host->timer_cancel(w->host, w->reap_timer);
	if (w->fmt)
		w->format->destroy(w->fmt);
	free(w->children);
	free(w->name);
	free(w);
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER, struct ptd_printer_plugin),
		.name = "pcapng",
		.version = PACKAGE_VERSION,
		.summary = "writes -w savefiles: pcapng (.pcapng names) or pcap, with -C/-G/-W/-z rotation",
		.init = wr_init,
		.start = wr_start,
		.stop = wr_stop,
		.fini = wr_fini,
	},
	.roles = PTD_PRINTER_WRITER,
	.print = wr_print,
	.flush = wr_flush,
};
