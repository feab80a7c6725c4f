/* A shared object with a descriptor under a near-miss name: it exports a
 * symbol, just not ptcpdump_plugin. */
#include <ptcpdump/plugin.h>

static int nosymbol_print(void *state, const struct ptd_packet *pkt,
			  const struct ptd_meta *meta)
{
	return 0;
}

PTD_EXPORT extern const struct ptd_printer_plugin ptcpdump_plugin_v1;
PTD_EXPORT const struct ptd_printer_plugin ptcpdump_plugin_v1 = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER, struct ptd_printer_plugin),
		.name = "nosymbol",
	},
	.print = nosymbol_print,
};
