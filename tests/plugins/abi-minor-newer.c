/* Built against SDK 1.99: newer minors may append callbacks this core
 * would never call, so a plugin newer than the core is refused. */
#include <ptcpdump/plugin.h>

static int abiminor_print(void *state, const struct ptd_packet *pkt,
			  const struct ptd_meta *meta)
{
	return 0;
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = { .abi = (1u << 16) | 99u, .kind = PTD_KIND_PRINTER,
			 .size = sizeof(struct ptd_printer_plugin) },
		.name = "abiminor",
	},
	.print = abiminor_print,
};
