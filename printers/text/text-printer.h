/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The text printer without its plugin wrapper: tests and tools drive it
 * directly with their own output stream.
 */
#ifndef PTD_TEXT_PRINTER_H
#define PTD_TEXT_PRINTER_H

#include <stdio.h>

#include <ptcpdump/plugin.h>

struct text_printer;

/* out is where lines go (the plugin passes stdout).  0 or -errno. */
int text_printer_new(const struct ptd_host *host, FILE *out,
		     struct text_printer **tp);
/* Before the first packet: in a live capture without -n, starts the
 * background name resolver.  0 or -errno. */
int text_printer_start(struct text_printer *tp);
int text_printer_print(struct text_printer *tp, const struct ptd_packet *pkt,
		       const struct ptd_meta *meta);
int text_printer_flush(struct text_printer *tp);
void text_printer_free(struct text_printer *tp);

/* The ptcpdump process context around tcpdump's text (print-context.c). */
struct nd_ctx;
void text_context_prefix(struct nd_ctx *nd, const struct ptd_options *o,
			 const struct ptd_packet *pkt,
			 const struct ptd_meta *meta);
void text_context_suffix(struct nd_ctx *nd, const struct ptd_options *o,
			 const struct ptd_packet *pkt,
			 const struct ptd_meta *meta);

#endif
