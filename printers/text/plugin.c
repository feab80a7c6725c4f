// SPDX-License-Identifier: BSD-2-Clause
/* The "text" printer plugin: tcpdump's packet lines on stdout. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ptcpdump/plugin.h>

#include "text-printer.h"

static int text_init(const struct ptd_host *host, const void *config,
		     void **state, char *err)
{
	struct text_printer *tp;
	int ret;

	ret = text_printer_new(host, stdout, &tp);
	if (ret) {
		snprintf(err, PTD_ERRBUF_SIZE, "text printer: out of memory");
		return ret;
	}
	*state = tp;
	return 0;
}

static int text_start(void *state, char *err)
{
	int ret = text_printer_start(state);

	if (ret)
		snprintf(err, PTD_ERRBUF_SIZE, "text printer: %s",
			 strerror(-ret));
	return ret;
}

static void text_stop(void *state)
{
	text_printer_flush(state);
}

static void text_fini(void *state)
{
	text_printer_free(state);
}

static int text_print(void *state, const struct ptd_packet *pkt,
		      const struct ptd_meta *meta)
{
	return text_printer_print(state, pkt, meta);
}

static int text_flush(void *state)
{
	return text_printer_flush(state);
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER,
					 struct ptd_printer_plugin),
		.name = "text",
		.version = "1.0",
		.summary = "tcpdump-compatible packet lines with process context",
		.init = text_init,
		.start = text_start,
		.stop = text_stop,
		.fini = text_fini,
	},
	.roles = PTD_PRINTER_TEXT,
	.print = text_print,
	.flush = text_flush,
};
