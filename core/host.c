/* Host services handed to plugins, and the packet path:
 * backend emit -> user-space filter -> count -> enrichers -> printers. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "core/log.h"

struct host_ctx {
	struct ptd_core *core;
	struct ptd_instance *in;
};

static struct ptd_instance *inst_of(const struct ptd_host *h)
{
	return (struct ptd_instance *)h->core;
}

static struct ptd_core *core_of(const struct ptd_host *h)
{
	return inst_of(h)->owner;
}

static void host_vlog(const struct ptd_host *h, enum ptd_log_level level,
		      const char *fmt, va_list ap)
{
	ptd_vlogf(level, inst_of(h)->log_prefix, fmt, ap);
}

static void host_log(const struct ptd_host *h, enum ptd_log_level level,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	host_vlog(h, level, fmt, ap);
	va_end(ap);
}

static int host_log_enabled(const struct ptd_host *h, enum ptd_log_level level)
{
	return level == PTD_LOG_ERROR || ptd_log_enabled(level);
}

static int host_watch_fd(const struct ptd_host *h, int fd, uint32_t events,
			 ptd_fd_cb cb, void *arg)
{
	return ptd_loop_watch(&core_of(h)->loop, fd, events, cb, arg);
}

static int host_unwatch_fd(const struct ptd_host *h, int fd)
{
	return ptd_loop_unwatch(&core_of(h)->loop, fd);
}

static int host_timer_add(const struct ptd_host *h, uint64_t first_ns,
			  uint64_t interval_ns, ptd_call_cb cb, void *arg)
{
	return ptd_loop_timer_add(&core_of(h)->loop, first_ns, interval_ns, cb, arg);
}

static int host_timer_cancel(const struct ptd_host *h, int id)
{
	return ptd_loop_timer_cancel(&core_of(h)->loop, id);
}

static int host_defer(const struct ptd_host *h, ptd_call_cb cb, void *arg)
{
	return ptd_loop_defer(&core_of(h)->loop, cb, arg);
}

static uint64_t host_clock_ns(const struct ptd_host *h, clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void flush_printers(struct ptd_core *c)
{
	for (size_t i = 0; i < c->n_printers; i++) {
		const struct ptd_printer_plugin *p = ptd_as_printer(c->printers[i]);

		if (p->flush)
			p->flush(c->printers[i]->state);
	}
}

static int deliver(struct ptd_core *c, const struct ptd_packet *pkt)
{
	struct ptd_meta meta;

	memset(&meta, 0, sizeof(meta));
	meta.size = sizeof(meta);
	meta.number = c->captured;
	for (size_t i = 0; i < c->n_enrichers; i++) {
		struct ptd_instance *in = c->enrichers[i];

		ptd_as_enricher(in)->enrich(in->state, pkt, &meta);
	}
	for (size_t i = 0; i < c->n_printers; i++) {
		struct ptd_instance *in = c->printers[i];
		int rc = ptd_as_printer(in)->print(in->state, pkt, &meta);

		if (rc < 0) {
			ptd_loop_stop(&c->loop, 1);
			return PTD_EMIT_STOP;
		}
		if (rc == PTD_PRINT_DONE) {
			ptd_loop_stop(&c->loop, 0);
			return PTD_EMIT_STOP;
		}
	}
	if (c->cli.opts.packet_buffered)
		flush_printers(c);
	return PTD_EMIT_CONTINUE;
}

static int host_emit(const struct ptd_host *h, const struct ptd_packet *pkt)
{
	struct ptd_core *c = core_of(h);
	char err[512];

	if (c->loop.stopping)
		return PTD_EMIT_STOP;
	if (c->filter && !(pkt->flags & PTD_PKT_FILTERED)) {
		int match = ptd_ufilter_match(c->filter, pkt, err, sizeof(err));

		if (match < 0) {
			core_err("%s", err);
			ptd_loop_stop(&c->loop, 1);
			return PTD_EMIT_STOP;
		}
		if (!match)
			return PTD_EMIT_CONTINUE;
	}
	c->captured++;
	if (!c->cli.count_only && deliver(c, pkt) == PTD_EMIT_STOP)
		return PTD_EMIT_STOP;
	if (c->cli.max_packets && c->captured >= c->cli.max_packets) {
		ptd_loop_stop(&c->loop, 0);
		return PTD_EMIT_STOP;
	}
	return PTD_EMIT_CONTINUE;
}

/* A process event from the backend: to every enricher that takes them. */
static void host_process_event(const struct ptd_host *h,
			       const struct ptd_process_event *ev)
{
	struct ptd_core *c = core_of(h);

	for (size_t i = 0; i < c->n_enrichers; i++) {
		struct ptd_instance *in = c->enrichers[i];
		const struct ptd_enricher_plugin *e = ptd_as_enricher(in);

		if (PTD_HAS_MEMBER(e->common.hdr.size, struct ptd_enricher_plugin,
				   process_event) && e->process_event)
			e->process_event(in->state, ev);
	}
}

static void host_finished(const struct ptd_host *h, int status)
{
	ptd_loop_stop(&core_of(h)->loop, status < 0 ? 1 : 0);
}

void ptd_host_bind(struct ptd_core *core, struct ptd_instance *in)
{
	struct ptd_host *h = &in->host;

	memset(h, 0, sizeof(*h));
	in->owner = core;
	h->size = sizeof(*h);
	h->opts = &core->cli.opts;
	h->kind_name = ptd_kind_name(in->kind);
	h->name = in->section->name;
	h->log = host_log;
	h->vlog = host_vlog;
	h->log_enabled = host_log_enabled;
	h->watch_fd = host_watch_fd;
	h->unwatch_fd = host_unwatch_fd;
	h->timer_add = host_timer_add;
	h->timer_cancel = host_timer_cancel;
	h->defer = host_defer;
	h->clock_ns = host_clock_ns;
	h->emit = host_emit;
	h->finished = host_finished;
	h->core = in;
	h->process_event = host_process_event;
}

static void print_count(uint64_t n, const char *what)
{
	fprintf(stderr, "%" PRIu64 " packet%s %s\n", n, n == 1 ? "" : "s", what);
}

void ptd_core_print_stats(struct ptd_core *core)
{
	const struct ptd_backend_plugin *b = ptd_as_backend(core->backend);
	struct ptd_backend_stats st = { 0 };

	fflush(stdout);
	print_count(core->captured, "captured");
	if (b->stats && b->stats(core->backend->state, &st) == 0) {
		print_count(st.received, "received by filter");
		print_count(st.dropped, "dropped by kernel");
		if (st.if_dropped)
			print_count(st.if_dropped, "dropped by interface");
	}
}
