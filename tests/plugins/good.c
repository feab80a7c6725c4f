/* A well-formed printer whose option table covers every option type.  At
 * start it prints the configuration it received on standard output, then one
 * line per packet, so tests can check that defaults, plugins.d and the
 * command line are applied in that order and that a plugin really runs. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <ptcpdump/plugin.h>

#include "tests/plugins/good.h"

#define OPT(field) offsetof(struct good_config, field)

static const char *const good_modes[] = { "fast", "slow", "off", NULL };

static const struct ptd_option good_options[] = {
	{ .key = "label", .type = PTD_OPT_STRING, .def = "default",
	  .offset = OPT(label), .help = "a word", .cli = "good-label" },
	{ .key = "flag", .type = PTD_OPT_BOOL, .def = "false",
	  .offset = OPT(flag), .help = "a switch", .cli = "good-flag" },
	{ .key = "offset", .type = PTD_OPT_INT, .def = "-5",
	  .offset = OPT(offset), .help = "a signed number" },
	{ .key = "count", .type = PTD_OPT_UINT, .def = "7",
	  .offset = OPT(count), .help = "a count", .cli = "good-count" },
	{ .key = "buffer", .type = PTD_OPT_BYTES, .def = "64k",
	  .offset = OPT(buffer), .help = "a size" },
	{ .key = "timeout", .type = PTD_OPT_MILLIS, .def = "2s",
	  .offset = OPT(timeout), .help = "a duration" },
	{ .key = "mode", .type = PTD_OPT_ENUM, .def = "fast",
	  .offset = OPT(mode), .help = "a choice", .choices = good_modes,
	  .cli = "good-mode" },
	{ .key = "note", .type = PTD_OPT_STRING, .offset = OPT(note),
	  .help = "a string without a default" },
	{ 0 }
};

struct good_state {
	const struct good_config *cfg;
	uint64_t packets;
};

static int good_init(const struct ptd_host *host, const void *config,
		     void **state, char *err)
{
	struct good_state *st = calloc(1, sizeof(*st));

	if (!st) {
		snprintf(err, PTD_ERRBUF_SIZE, "out of memory");
		return -ENOMEM;
	}
	/* The core keeps the config alive until after fini. */
	st->cfg = config;
	*state = st;
	return 0;
}

static int good_start(void *state, char *err)
{
	const struct good_config *c = ((struct good_state *)state)->cfg;

	printf("good: label=%s flag=%d offset=%" PRId64 " count=%" PRIu64
	       " buffer=%" PRIu64 " timeout=%" PRIu64 " mode=%s note=%s\n",
	       c->label ? c->label : "(null)", c->flag, c->offset, c->count,
	       c->buffer, c->timeout, good_modes[c->mode],
	       c->note ? c->note : "(null)");
	return 0;
}

static int good_print(void *state, const struct ptd_packet *pkt,
		      const struct ptd_meta *meta)
{
	struct good_state *st = state;

	st->packets++;
	printf("good: packet %" PRIu64 " caplen %u len %u\n", meta->number,
	       pkt->caplen, pkt->len);
	return 0;
}

static int good_flush(void *state)
{
	return fflush(stdout) == EOF ? -errno : 0;
}

static void good_stop(void *state)
{
	printf("good: stopped after %" PRIu64 " packets\n",
	       ((struct good_state *)state)->packets);
}

static void good_fini(void *state)
{
	free(state);
}

PTD_PLUGIN_DEFINE(struct ptd_printer_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_PRINTER, struct ptd_printer_plugin),
		.name = "good",
		.version = "1.0",
		.summary = "test printer: every option type, reports its config",
		.options = good_options,
		.config_size = sizeof(struct good_config),
		.init = good_init,
		.start = good_start,
		.stop = good_stop,
		.fini = good_fini,
	},
	.roles = PTD_PRINTER_TEXT,
	.print = good_print,
	.flush = good_flush,
};
