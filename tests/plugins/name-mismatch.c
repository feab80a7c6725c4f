/* Calls itself "other": the tests configure it as [printer.mismatch]. */
#include <ptcpdump/plugin.h>

static int other_print(void *state, const struct ptd_packet *pkt,
		       const struct ptd_meta *meta)
{
	return 0;
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER, struct ptd_printer_plugin),
		.name = "other",
	},
	.print = other_print,
};
