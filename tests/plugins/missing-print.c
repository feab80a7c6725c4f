/* A printer without its one mandatory callback. */
#include <ptcpdump/plugin.h>

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER, struct ptd_printer_plugin),
		.name = "noprint",
	},
	.roles = PTD_PRINTER_TEXT,
};
