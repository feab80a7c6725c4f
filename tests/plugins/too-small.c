/* Claims a descriptor no bigger than the common part: the core must not
 * read the printer callbacks that would lie beyond it. */
#include <ptcpdump/plugin.h>

static int toosmall_print(void *state, const struct ptd_packet *pkt,
			  const struct ptd_meta *meta)
{
	return 0;
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = { .abi = PTD_ABI_VERSION, .kind = PTD_KIND_PRINTER,
			 .size = sizeof(struct ptd_plugin_common) },
		.name = "toosmall",
	},
	.print = toosmall_print,
};
