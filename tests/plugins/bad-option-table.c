/* An option whose field lies beyond config_size: applying it would write
 * past the config struct the core allocates. */
#include <stddef.h>
#include <stdint.h>

#include <ptcpdump/plugin.h>

struct badtable_config {
	uint64_t size;
};

static const struct ptd_option badtable_options[] = {
	{ .key = "size", .type = PTD_OPT_BYTES, .def = "1k",
	  .offset = offsetof(struct badtable_config, size) },
	{ .key = "window", .type = PTD_OPT_UINT, .def = "4",
	  .offset = sizeof(struct badtable_config) },
	{ 0 }
};

static int badtable_print(void *state, const struct ptd_packet *pkt,
			  const struct ptd_meta *meta)
{
	return 0;
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER, struct ptd_printer_plugin),
		.name = "badtable",
		.options = badtable_options,
		.config_size = sizeof(struct badtable_config),
	},
	.print = badtable_print,
};
