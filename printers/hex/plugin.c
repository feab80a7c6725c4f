// SPDX-License-Identifier: BSD-2-Clause
/* The "hex" printer plugin: -x/-X/-A dumps after the text line. */
#include <errno.h>
#include <stdio.h>

#include <ptcpdump/plugin.h>

#include "hex-printer.h"

static int hex_init(const struct ptd_host *host, const void *config,
		     void **state, char *err)
{
	struct hex_printer *tp;
	int ret;

	ret = hex_printer_new(host, stdout, &tp);
	if (ret) {
		snprintf(err, PTD_ERRBUF_SIZE, "hex printer: out of memory");
		return ret;
	}
	*state = tp;
	return 0;
}

static int hex_start(void *state, char *err)
{
	return 0;
}

static void hex_stop(void *state)
{
	hex_printer_flush(state);
}

static void hex_fini(void *state)
{
	hex_printer_free(state);
}

static int hex_print(void *state, const struct ptd_packet *pkt,
		      const struct ptd_meta *meta)
{
	return hex_printer_print(state, pkt, meta);
}

static int hex_flush(void *state)
{
	return hex_printer_flush(state);
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER,
					 struct ptd_printer_plugin),
		.name = "hex",
		.version = "1.0",
		.summary = "hex and ASCII packet dumps (-x, -X, -A)",
		.init = hex_init,
		.start = hex_start,
		.stop = hex_stop,
		.fini = hex_fini,
	},
	.roles = PTD_PRINTER_DUMP,
	.print = hex_print,
	.flush = hex_flush,
};
