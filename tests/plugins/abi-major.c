/* Built against a future SDK 2.0: a major bump may change any layout, so
 * the core must refuse it before reading past the header. */
#include <ptcpdump/plugin.h>

static int abimajor_print(void *state, const struct ptd_packet *pkt,
			  const struct ptd_meta *meta)
{
	return 0;
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = { .abi = (2u << 16) | 0u, .kind = PTD_KIND_PRINTER,
			 .size = sizeof(struct ptd_printer_plugin) },
		.name = "abimajor",
	},
	.print = abimajor_print,
};
