/* One run of ptcpdump: what main() wires together. */
#ifndef PTD_CORE_CORE_H
#define PTD_CORE_CORE_H

#include <stdint.h>

#include "core/cli.h"
#include "core/command.h"
#include "core/conf.h"
#include "core/filter.h"
#include "core/loader.h"
#include "core/loop.h"

struct ptd_core {
	struct ptd_cli cli;
	struct ptd_conf conf;
	struct ptd_registry reg;
	struct ptd_loop loop;
	struct ptd_ufilter *filter;      /* NULL: no expression */

	struct ptd_instance *backend;
	struct ptd_instance **enrichers;
	size_t n_enrichers;
	struct ptd_instance **printers;  /* writer, text, dump: in call order */
	size_t n_printers;

	uint64_t captured;               /* passed the filter */
	int live;                        /* the backend captures live */

	struct ptd_command cmd;          /* -- command; cmd.pid 0: none */
	int interrupted;                 /* SIGINT/TERM/HUP seen while it ran */
	int stop_signal;                 /* the signal that ended the run early */
};

/* Fills in->host with services bound to core. */
void ptd_host_bind(struct ptd_core *core, struct ptd_instance *in);

/* Prints the exit statistics block tcpdump prints for live captures. */
void ptd_core_print_stats(struct ptd_core *core);

/* -D: interfaces in tcpdump's format.  0 or -errno (message printed). */
int ptd_list_interfaces(FILE *out);

/* -Z: drop to user after files are open. 0 or -errno with err set. */
int ptd_drop_privileges(const char *user, char *err, size_t errlen);

/* --version: ptcpdump, libpcap and libbpf versions. */
void ptd_print_versions(FILE *out);

#endif
