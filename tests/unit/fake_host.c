#include "fake_host.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct fake_host *fh_of(const struct ptd_host *h)
{
	return (struct fake_host *)h->core;
}

static void fake_vlog(const struct ptd_host *h, enum ptd_log_level level,
		      const char *fmt, va_list ap)
{
	struct fake_host *fh = fh_of(h);
	size_t room = sizeof(fh->log) - fh->log_len;
	int n;

	if (room < 2)
		return;
	n = vsnprintf(fh->log + fh->log_len, room - 1, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n > room - 2)
		n = (int)(room - 2);
	fh->log_len += (size_t)n;
	fh->log[fh->log_len++] = '\n';
	fh->log[fh->log_len] = '\0';
}

static void fake_log(const struct ptd_host *h, enum ptd_log_level level,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fake_vlog(h, level, fmt, ap);
	va_end(ap);
}

static int fake_log_enabled(const struct ptd_host *h, enum ptd_log_level level)
{
	return 1;
}

static int fake_watch_fd(const struct ptd_host *h, int fd, uint32_t events,
			 ptd_fd_cb cb, void *arg)
{
	return -ENOTSUP;
}

static int fake_unwatch_fd(const struct ptd_host *h, int fd)
{
	return 0;
}

static int fake_timer_add(const struct ptd_host *h, uint64_t first_ns,
			  uint64_t interval_ns, ptd_call_cb cb, void *arg)
{
	return -ENOTSUP;
}

static int fake_timer_cancel(const struct ptd_host *h, int id)
{
	return 0;
}

static int fake_defer(const struct ptd_host *h, ptd_call_cb cb, void *arg)
{
	struct fake_host *fh = fh_of(h);

	if (fh->n_deferred >= 16)
		return -ENOSPC;
	fh->deferred[fh->n_deferred] = cb;
	fh->deferred_arg[fh->n_deferred] = arg;
	fh->n_deferred++;
	return 0;
}

static uint64_t fake_clock_ns(const struct ptd_host *h, clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int fake_emit(const struct ptd_host *h, const struct ptd_packet *pkt)
{
	struct fake_host *fh = fh_of(h);

	fh->emitted++;
	return fh->on_emit ? fh->on_emit(fh->emit_arg, pkt) : PTD_EMIT_CONTINUE;
}

static void fake_finished(const struct ptd_host *h, int status)
{
	struct fake_host *fh = fh_of(h);

	fh->finished = 1;
	fh->finished_status = status;
}

void fake_host_init(struct fake_host *fh, const char *kind, const char *name)
{
	memset(fh, 0, sizeof(*fh));
	fh->opts.size = sizeof(fh->opts);
	fh->opts.snaplen = 262144;
	fh->opts.context = PTD_CTX_ALL;
	fh->host.size = sizeof(fh->host);
	fh->host.opts = &fh->opts;
	fh->host.kind_name = kind;
	fh->host.name = name;
	fh->host.log = fake_log;
	fh->host.vlog = fake_vlog;
	fh->host.log_enabled = fake_log_enabled;
	fh->host.watch_fd = fake_watch_fd;
	fh->host.unwatch_fd = fake_unwatch_fd;
	fh->host.timer_add = fake_timer_add;
	fh->host.timer_cancel = fake_timer_cancel;
	fh->host.defer = fake_defer;
	fh->host.clock_ns = fake_clock_ns;
	fh->host.emit = fake_emit;
	fh->host.finished = fake_finished;
	fh->host.core = fh;
}

int fake_host_run_deferred(struct fake_host *fh, int max_rounds)
{
	int rounds = 0;

	while (fh->n_deferred > 0 && rounds < max_rounds) {
		ptd_call_cb cb = fh->deferred[0];
		void *arg = fh->deferred_arg[0];

		memmove(fh->deferred, fh->deferred + 1,
			(size_t)(fh->n_deferred - 1) * sizeof(fh->deferred[0]));
		memmove(fh->deferred_arg, fh->deferred_arg + 1,
			(size_t)(fh->n_deferred - 1) * sizeof(fh->deferred_arg[0]));
		fh->n_deferred--;
		cb(arg);
		rounds++;
	}
	return rounds;
}
