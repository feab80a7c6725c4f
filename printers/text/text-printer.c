// SPDX-License-Identifier: BSD-2-Clause
/*
 * A packet's text line: number (-#), time stamp (-t modes), the ptcpdump
 * interface/process prefix, tcpdump's dissection, the process context,
 * and --oneline folding.  The line is built in memory and written with one
 * stdio call, so the hex printer that follows continues right after it.
 */
#include "text-printer.h"
#include "netdissect.h"
#include "resolver.h"

#include <errno.h>
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct text_printer {
	const struct ptd_host *host;
	const struct ptd_options *opts;
	FILE *out;
	struct nd_ctx nd;
	struct nd_resolver *resolver; /* live capture without -n */
	struct nd_buf line;
	struct nd_buf fold;
	uint64_t first_ns, prev_ns;
	int have_first;
	/* The clock part of the last time stamp, kept for its second:
	 * localtime_r for every packet of a large file costs. */
	time_t clock_sec;
	int clock_valid;
	size_t clock_len;
	char clock_text[40];
	int failed;
};

int text_printer_new(const struct ptd_host *host, FILE *out,
		     struct text_printer **tpp)
{
	const struct ptd_options *o = host->opts;
	struct text_printer *tp;
	int err;

	tp = calloc(1, sizeof(*tp));
	if (!tp)
		return -ENOMEM;
	tp->host = host;
	tp->opts = o;
	tp->out = out;
	tp->nd.vflag = o->verbose;
	tp->nd.nflag = o->numeric;
	tp->nd.qflag = o->quiet;
	tp->nd.eflag = o->link_header;
	tp->nd.Sflag = o->absolute_seq;
	tp->nd.Kflag = o->no_verify_checksums;
	tp->nd.suppress_default_print = o->hex || o->hex_ascii || o->quiet;
	tp->nd.sink = nd_buf_sink;
	tp->nd.sink_arg = &tp->line;
	err = nd_names_new(&tp->nd.names);
	if (err)
		goto fail;
	err = nd_tcp_seq_new(&tp->nd.tcp_seq);
	if (err)
		goto fail;
	*tpp = tp;
	return 0;
fail:
	text_printer_free(tp);
	return err;
}

/* A live capture must not wait for name lookups: they go to background
 * workers.  A file is read as tcpdump reads it, each lookup inline, so the
 * same file always prints the same names. */
int text_printer_start(struct text_printer *tp)
{
	int err;

	if (tp->opts->numeric || tp->opts->read_file || tp->resolver)
		return 0;
	err = nd_resolver_new(NULL, &tp->resolver);
	if (!err)
		err = nd_resolver_start(tp->resolver);
	if (err) {
		/* Looking names up inline would stall the capture. */
		ptd_warn(tp->host, "cannot start the name resolver (%s); "
			 "addresses print as numbers", strerror(-err));
		nd_resolver_free(tp->resolver);
		tp->resolver = NULL;
		tp->nd.nflag = 1;
		return 0;
	}
	nd_names_set_resolver(tp->nd.names, tp->resolver);
	return 0;
}

static void resolver_close(struct text_printer *tp)
{
	struct nd_resolver_stats st;

	if (!tp->resolver)
		return;
	nd_resolver_stats(tp->resolver, &st);
	ptd_debug(tp->host, "name resolver: %llu lookups, %llu named, "
		  "%llu without a name, %llu dropped (queue full), "
		  "%llu evicted",
		  (unsigned long long)st.requested,
		  (unsigned long long)st.named,
		  (unsigned long long)st.unnamed,
		  (unsigned long long)st.dropped,
		  (unsigned long long)st.evicted);
	nd_names_set_resolver(tp->nd.names, NULL);
	nd_resolver_free(tp->resolver);
	tp->resolver = NULL;
}

void text_printer_free(struct text_printer *tp)
{
	if (!tp)
		return;
	resolver_close(tp);
	nd_names_free(tp->nd.names);
	nd_tcp_seq_free(tp->nd.tcp_seq);
	free(tp->line.data);
	free(tp->fold.data);
	free(tp);
}

/* " HH:MM:SS.frac" of a signed delta, hours wrapping at a day as in
 * tcpdump's -ttt / -ttttt. */
static void delta_print(struct nd_ctx *nd, int64_t delta_ns, int nano)
{
	char sign = ' ';
	uint64_t d, s;

	if (delta_ns < 0) {
		sign = '-';
		d = (uint64_t)-delta_ns;
	} else {
		d = (uint64_t)delta_ns;
	}
	s = d / 1000000000u;
	nd_printf(nd, "%c%02u:%02u:%02u.", sign, (unsigned)(s / 3600 % 24),
		  (unsigned)(s / 60 % 60), (unsigned)(s % 60));
	if (nano)
		nd_printf(nd, "%09u ", (unsigned)(d % 1000000000u));
	else
		nd_printf(nd, "%06u ", (unsigned)(d % 1000000000u / 1000));
}

/* "HH:MM:SS.frac " (-tttt: with the date before), local time. */
static void clock_print(struct text_printer *tp, time_t sec, unsigned frac,
			int width)
{
	char text[sizeof(tp->clock_text) + 12];
	size_t len;
	int i;

	if (!tp->clock_valid || sec != tp->clock_sec) {
		struct tm tm;
		int n;

		localtime_r(&sec, &tm);
		if (tp->opts->tstamp == PTD_TS_DATE)
			n = snprintf(tp->clock_text, sizeof(tp->clock_text),
				     "%04d-%02d-%02d %02d:%02d:%02d.",
				     tm.tm_year + 1900, tm.tm_mon + 1,
				     tm.tm_mday, tm.tm_hour, tm.tm_min,
				     tm.tm_sec);
		else
			n = snprintf(tp->clock_text, sizeof(tp->clock_text),
				     "%02d:%02d:%02d.", tm.tm_hour, tm.tm_min,
				     tm.tm_sec);
		if (n < 0 || (size_t)n >= sizeof(tp->clock_text))
			n = 0;
		tp->clock_len = (size_t)n;
		tp->clock_sec = sec;
		tp->clock_valid = 1;
	}
	len = tp->clock_len;
	memcpy(text, tp->clock_text, len);
	/* frac has at most width digits (below 10^width). */
	for (i = width - 1; i >= 0; i--) {
		text[len + (size_t)i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	len += (size_t)width;
	text[len++] = ' ';
	tp->nd.sink(tp->nd.sink_arg, text, len);
}

static void timestamp_print(struct text_printer *tp, uint64_t ts_ns)
{
	struct nd_ctx *nd = &tp->nd;
	int nano = tp->opts->nano;
	time_t sec = (time_t)(ts_ns / 1000000000u);
	unsigned frac = nano ? (unsigned)(ts_ns % 1000000000u)
			     : (unsigned)(ts_ns % 1000000000u / 1000);
	int width = nano ? 9 : 6;

	/* Micro precision works on microseconds throughout, deltas too. */
	if (!nano)
		ts_ns -= ts_ns % 1000;
	if (!tp->have_first) {
		tp->first_ns = tp->prev_ns = ts_ns;
		tp->have_first = 1;
	}
	switch (tp->opts->tstamp) {
	case PTD_TS_NONE:
		break;
	case PTD_TS_UNIX:
		nd_printf(nd, "%lld.%0*u ", (long long)sec, width, frac);
		break;
	case PTD_TS_DELTA_PREV:
		delta_print(nd, (int64_t)(ts_ns - tp->prev_ns), nano);
		break;
	case PTD_TS_DELTA_FIRST:
		delta_print(nd, (int64_t)(ts_ns - tp->first_ns), nano);
		break;
	default:
		clock_print(tp, sec, frac, width);
		break;
	}
	tp->prev_ns = ts_ns;
}

/* Collapses the packet's lines into one: each trimmed, empties dropped,
 * joined by ", " (--oneline). */
static void fold_lines(struct text_printer *tp)
{
	const char *s = tp->line.data, *end = s + tp->line.len;
	int first = 1;

	tp->fold.len = 0;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end, *b = s;

		while (b < e && (*b == ' ' || *b == '\t' || *b == '\r'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (e > b) {
			if (!first)
				nd_buf_append(&tp->fold, ", ", 2);
			nd_buf_append(&tp->fold, b, (size_t)(e - b));
			first = 0;
		}
		s = nl ? nl + 1 : end;
	}
	tp->line.len = 0;
	nd_buf_append(&tp->line, tp->fold.data ? tp->fold.data : "",
		    tp->fold.len);
}

int text_printer_print(struct text_printer *tp, const struct ptd_packet *pkt,
		       const struct ptd_meta *meta)
{
	const struct ptd_iface *ifc = pkt->iface;
	int linktype = ifc ? ifc->linktype : DLT_EN10MB;

	tp->line.len = 0;
	tp->line.oom = 0;
	if (tp->opts->print_number)
		nd_printf(&tp->nd, "%5llu  ",
			  (unsigned long long)(meta ? meta->number : 0));
	/* A record header that cannot be right is reported instead of the
	 * packet, without a time stamp (nor does it count for -ttt). */
	if (pkt->caplen == 0)
		nd_printf(&tp->nd, "[Invalid header: caplen==0%s]",
			  pkt->len == 0 ? ", len==0" : "");
	else if (pkt->len < pkt->caplen)
		nd_printf(&tp->nd, "[Invalid header: len(%u) < caplen(%u)]",
			  pkt->len, pkt->caplen);
	else {
		timestamp_print(tp, pkt->ts_ns);
		text_context_prefix(&tp->nd, tp->opts, pkt, meta);
		nd_print_packet(&tp->nd, linktype, pkt->data, pkt->caplen,
				pkt->len);
		text_context_suffix(&tp->nd, tp->opts, pkt, meta);
	}
	if (tp->opts->oneline)
		fold_lines(tp);
	nd_buf_append(&tp->line, "\n", 1);
	if (tp->line.oom || tp->fold.oom) {
		ptd_err(tp->host, "out of memory formatting a packet");
		return -ENOMEM;
	}
	if (fwrite(tp->line.data, 1, tp->line.len, tp->out) != tp->line.len) {
		int err = errno ? -errno : -EIO;

		if (!tp->failed)
			ptd_err(tp->host, "writing the packet text: %s",
				strerror(-err));
		tp->failed = 1;
		return err;
	}
	if (tp->opts->packet_buffered && fflush(tp->out) != 0)
		return -errno;
	return 0;
}

int text_printer_flush(struct text_printer *tp)
{
	return fflush(tp->out) == 0 ? 0 : -errno;
}
