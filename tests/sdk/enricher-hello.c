/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A third-party enricher, built the way the SDK documents: nothing but
 * <ptcpdump/plugin.h> from an installed tree and its pkg-config flags.
 * It counts the packets it enriches and names them all "hello"; at stop
 * it logs "GREETING: enriched N packets" through the host, GREETING being
 * its one option (also settable as --hello-greeting).
 *
 *   cc -shared -fPIC -fvisibility=hidden $(pkg-config --cflags ptcpdump-plugin) \
 *      -o enricher-hello.so enricher-hello.c
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>

#include <ptcpdump/plugin.h>

struct hello_config {
	char *greeting;
};

static const struct ptd_option hello_options[] = {
	{ .key = "greeting", .type = PTD_OPT_STRING, .def = "hello",
	  .offset = offsetof(struct hello_config, greeting),
	  .help = "the word to log at the end", .cli = "hello-greeting" },
	{ 0 }
};

struct hello_state {
	const struct ptd_host *host;
	const struct hello_config *cfg;
	uint64_t packets;
};

static int hello_init(const struct ptd_host *host, const void *config,
		      void **state, char *err)
{
	struct hello_state *st = calloc(1, sizeof(*st));

	(void)err;
	if (!st)
		return -ENOMEM;
	st->host = host;
	st->cfg = config;
	*state = st;
	return 0;
}

static int hello_enrich(void *state, const struct ptd_packet *pkt,
			struct ptd_meta *meta)
{
	struct hello_state *st = state;

	(void)pkt;
	st->packets++;
	if (!meta->process.comm)
		meta->process.comm = "hello";
	return 0;
}

static void hello_stop(void *state)
{
	struct hello_state *st = state;

	ptd_info(st->host, "%s: enriched %" PRIu64 " packets",
		 st->cfg->greeting, st->packets);
}

static void hello_fini(void *state)
{
	free(state);
}

PTD_PLUGIN_DEFINE(struct ptd_enricher_plugin) = {
	.common = {
		.hdr = PTD_PLUGIN_HEADER(PTD_KIND_ENRICHER, struct ptd_enricher_plugin),
		.name = "hello",
		.version = "1.0",
		.summary = "counts packets, says hello",
		.options = hello_options,
		.config_size = sizeof(struct hello_config),
		.init = hello_init,
		.stop = hello_stop,
		.fini = hello_fini,
	},
	.enrich = hello_enrich,
};
