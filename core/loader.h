/* Plugin instances: one per enabled [kind.name] section, dlopen()ed,
 * validated against the ABI, configured from plugins.d and flags. */
#ifndef PTD_CORE_LOADER_H
#define PTD_CORE_LOADER_H

#include <stddef.h>

#include <ptcpdump/plugin.h>

#include "core/cli.h"
#include "core/conf.h"

struct ptd_core;

struct ptd_instance {
	enum ptd_plugin_kind kind;
	const struct ptd_conf_section *section;
	char *path;
	void *dl;
	const struct ptd_plugin_common *desc;
	void *config;
	struct ptd_host host;
	char log_prefix[96];       /* "printer:text" */
	void *state;
	int inited;
	int started;
	struct ptd_core *owner;   /* the run this instance serves */
};

struct ptd_registry {
	struct ptd_instance *inst;
	size_t n;
};

static inline const struct ptd_backend_plugin *
ptd_as_backend(const struct ptd_instance *i)
{
	return (const struct ptd_backend_plugin *)i->desc;
}

static inline const struct ptd_printer_plugin *
ptd_as_printer(const struct ptd_instance *i)
{
	return (const struct ptd_printer_plugin *)i->desc;
}

static inline const struct ptd_enricher_plugin *
ptd_as_enricher(const struct ptd_instance *i)
{
	return (const struct ptd_enricher_plugin *)i->desc;
}

/* dlopen()s every enabled section's plugin.  privileged: refuse unsafe
 * files.  0 or -errno with one line in err naming the section or .so. */
int ptd_registry_load(struct ptd_registry *reg, const struct ptd_conf *conf,
		      const char *plugin_dir, int privileged, char *err,
		      size_t errlen);
/* Validates a loaded descriptor; exposed for the ABI tests. */
int ptd_descriptor_check(const void *sym, enum ptd_plugin_kind want_kind,
			 const char *want_name, const char *path, char *err,
			 size_t errlen);
/* The long flags the loaded plugins declare.  *out is malloc()ed. */
int ptd_registry_cli_flags(const struct ptd_registry *reg,
			   struct ptd_cli_plugin_flag **out, size_t *n);
/* Defaults, then plugins.d values, then flag settings. */
int ptd_registry_configure(struct ptd_registry *reg,
			   const struct ptd_cli_setting *settings,
			   size_t n_settings, char *err, size_t errlen);
/* Calls fini on initialised instances, frees configs, dlclose()s. */
void ptd_registry_free(struct ptd_registry *reg);

#endif
