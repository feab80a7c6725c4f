/* A default that its own option type cannot parse: a plugin bug the core
 * reports with the key, not a user error. */
#include <stddef.h>
#include <stdint.h>

#include <ptcpdump/plugin.h>

struct baddefault_config {
	char *name;
	int64_t count;
};

static const struct ptd_option baddefault_options[] = {
	{ .key = "name", .type = PTD_OPT_STRING, .def = "fine",
	  .offset = offsetof(struct baddefault_config, name) },
	{ .key = "count", .type = PTD_OPT_INT, .def = "ten",
	  .offset = offsetof(struct baddefault_config, count) },
	{ 0 }
};

static int baddefault_print(void *state, const struct ptd_packet *pkt,
			    const struct ptd_meta *meta)
{
	return 0;
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER, struct ptd_printer_plugin),
		.name = "baddefault",
		.options = baddefault_options,
		.config_size = sizeof(struct baddefault_config),
	},
	.print = baddefault_print,
};
