#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/loader.h"
#include "core/plugopt.h"

/* Descriptor sizes of ABI 1.0: a plugin built against 1.0 has at least
 * these; later minors only append. */
static const size_t min_desc_size[] = {
	/* ABI 1.0's backend ended before drain (1.2). */
	[PTD_KIND_BACKEND] = offsetof(struct ptd_backend_plugin, drain),
	/* ABI 1.0's enricher ended before process_event (1.1). */
	[PTD_KIND_ENRICHER] = offsetof(struct ptd_enricher_plugin, process_event),
	[PTD_KIND_PRINTER] = sizeof(struct ptd_printer_plugin),
};

static int check_option_table(const struct ptd_plugin_common *d,
			      const char *path, char *err, size_t errlen)
{
	for (const struct ptd_option *o = d->options; o && o->key; o++) {
		size_t width = o->type == PTD_OPT_STRING ? sizeof(char *) :
			       (o->type == PTD_OPT_BOOL || o->type == PTD_OPT_ENUM) ?
			       sizeof(int) : sizeof(uint64_t);

		if (o->type < PTD_OPT_STRING || o->type > PTD_OPT_ENUM ||
		    o->offset + width > d->config_size ||
		    (o->type == PTD_OPT_ENUM && !o->choices) ||
		    strcmp(o->key, "path") == 0 || strcmp(o->key, "enabled") == 0) {
			snprintf(err, errlen,
				 "%s: option '%s' is malformed (bad type, offset beyond config_size, enum without choices, or a reserved key): rebuild the plugin",
				 path, o->key);
			return -EINVAL;
		}
	}
	return 0;
}

int ptd_descriptor_check(const void *sym, enum ptd_plugin_kind want_kind,
			 const char *want_name, const char *path, char *err,
			 size_t errlen)
{
	const struct ptd_plugin_header *hdr = sym;
	const struct ptd_plugin_common *d = sym;
	const char *missing = NULL;

	if (PTD_ABI_MAJOR_OF(hdr->abi) != PTD_ABI_MAJOR ||
	    PTD_ABI_MINOR_OF(hdr->abi) > PTD_ABI_MINOR) {
		snprintf(err, errlen,
			 "%s: plugin ABI %u.%u is not compatible with this ptcpdump's ABI %u.%u: rebuild the plugin against this version's SDK",
			 path, PTD_ABI_MAJOR_OF(hdr->abi), PTD_ABI_MINOR_OF(hdr->abi),
			 PTD_ABI_MAJOR, PTD_ABI_MINOR);
		return -EPROTO;
	}
	if (hdr->kind < PTD_KIND_BACKEND || hdr->kind > PTD_KIND_PRINTER) {
		snprintf(err, errlen, "%s: unknown plugin kind %u", path, hdr->kind);
		return -EPROTO;
	}
	if (hdr->kind != (uint32_t)want_kind) {
		snprintf(err, errlen,
			 "%s: is a %s plugin, but its section asks for a %s: fix the section name or path=",
			 path, ptd_kind_name(hdr->kind), ptd_kind_name(want_kind));
		return -EPROTO;
	}
	if (hdr->size < min_desc_size[hdr->kind]) {
		snprintf(err, errlen,
			 "%s: descriptor is %u bytes, smaller than an ABI %u.0 %s descriptor (%zu): rebuild the plugin",
			 path, hdr->size, PTD_ABI_MAJOR, ptd_kind_name(hdr->kind),
			 min_desc_size[hdr->kind]);
		return -EPROTO;
	}
	if (!d->name || strcmp(d->name, want_name) != 0) {
		snprintf(err, errlen,
			 "%s: plugin calls itself '%s' but is configured as [%s.%s]: rename the section or fix path=",
			 path, d->name ? d->name : "(null)", ptd_kind_name(want_kind),
			 want_name);
		return -EPROTO;
	}
	switch (want_kind) {
	case PTD_KIND_BACKEND:
		if (!d->start)
			missing = "start";
		break;
	case PTD_KIND_ENRICHER:
		if (!((const struct ptd_enricher_plugin *)sym)->enrich)
			missing = "enrich";
		break;
	case PTD_KIND_PRINTER:
		if (!((const struct ptd_printer_plugin *)sym)->print)
			missing = "print";
		break;
	}
	if (missing) {
		snprintf(err, errlen, "%s: %s plugin has no %s callback",
			 path, ptd_kind_name(want_kind), missing);
		return -EPROTO;
	}
	return check_option_table(d, path, err, errlen);
}

static int section_enabled(const struct ptd_conf_section *s, int *enabled,
			   char *err, size_t errlen)
{
	static const struct ptd_option enabled_opt = {
		.key = "enabled", .type = PTD_OPT_BOOL, .offset = 0,
	};
	const struct ptd_conf_entry *e = ptd_conf_get(s, "enabled");
	char why[128];

	*enabled = 1;
	if (!e)
		return 0;
	if (ptd_option_set(&enabled_opt, enabled, e->value, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s:%d: bad value '%s' for 'enabled' in [%s.%s]: %s",
			 s->file, e->line, e->value, ptd_kind_name(s->kind), s->name, why);
		return -EINVAL;
	}
	return 0;
}

static int plugin_path(const struct ptd_conf_section *s, const char *plugin_dir,
		       char **out)
{
	const struct ptd_conf_entry *e = ptd_conf_get(s, "path");
	int n;

	if (e && e->value[0] == '/')
		n = asprintf(out, "%s", e->value);
	else if (e)
		n = asprintf(out, "%s/%s", plugin_dir, e->value);
	else
		n = asprintf(out, "%s/%s-%s.so", plugin_dir, ptd_kind_name(s->kind),
			     s->name);
	return n < 0 ? -ENOMEM : 0;
}

static int load_one(struct ptd_instance *in, const char *plugin_dir,
		    int privileged, char *err, size_t errlen)
{
	const struct ptd_conf_section *s = in->section;
	void *sym;
	int rc;

	rc = plugin_path(s, plugin_dir, &in->path);
	if (rc < 0) {
		snprintf(err, errlen, "out of memory");
		return rc;
	}
	if (privileged) {
		rc = ptd_check_trusted_file(in->path, "plugin", err, errlen);
		/* A file that cannot be looked at gets the line dlopen() would
		 * give, naming the section: running as root changes nothing. */
		if (rc < 0 && rc != -EPERM)
			snprintf(err, errlen,
				 "cannot load plugin for [%s.%s] (%s:%d): %s: cannot open shared object file: %s (check the file exists and its libraries resolve with ldd(1))",
				 ptd_kind_name(s->kind), s->name, s->file, s->line,
				 in->path, strerror(-rc));
		if (rc < 0)
			return rc;
	}
	in->dl = dlopen(in->path, RTLD_NOW | RTLD_LOCAL);
	if (!in->dl) {
		snprintf(err, errlen,
			 "cannot load plugin for [%s.%s] (%s:%d): %s (check the file exists and its libraries resolve with ldd(1))",
			 ptd_kind_name(s->kind), s->name, s->file, s->line, dlerror());
		return -ENOENT;
	}
	sym = dlsym(in->dl, PTD_PLUGIN_SYMBOL);
	if (!sym) {
		snprintf(err, errlen,
			 "%s: not a ptcpdump plugin: no '%s' symbol (define it with PTD_PLUGIN_DEFINE)",
			 in->path, PTD_PLUGIN_SYMBOL);
		return -ENOENT;
	}
	rc = ptd_descriptor_check(sym, s->kind, s->name, in->path, err, errlen);
	if (rc < 0)
		return rc;
	in->desc = sym;
	in->kind = s->kind;
	snprintf(in->log_prefix, sizeof(in->log_prefix), "%s:%s",
		 ptd_kind_name(s->kind), s->name);
	return 0;
}

int ptd_registry_load(struct ptd_registry *reg, const struct ptd_conf *conf,
		      const char *plugin_dir, int privileged, char *err,
		      size_t errlen)
{
	int rc;

	reg->inst = calloc(conf->n_sections ? conf->n_sections : 1,
			   sizeof(*reg->inst));
	if (!reg->inst) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t i = 0; i < conf->n_sections; i++) {
		const struct ptd_conf_section *s = &conf->sections[i];
		struct ptd_instance *in = &reg->inst[reg->n];
		int enabled;

		rc = section_enabled(s, &enabled, err, errlen);
		if (rc < 0)
			return rc;
		if (!enabled)
			continue;
		in->section = s;
		reg->n++;
		rc = load_one(in, plugin_dir, privileged, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int ptd_registry_cli_flags(const struct ptd_registry *reg,
			   struct ptd_cli_plugin_flag **out, size_t *n)
{
	size_t count = 0;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < reg->n; i++)
		for (const struct ptd_option *o = reg->inst[i].desc->options; o && o->key; o++)
			count += o->cli != NULL;
	if (!count)
		return 0;
	*out = calloc(count, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < reg->n; i++) {
		const struct ptd_instance *in = &reg->inst[i];

		for (const struct ptd_option *o = in->desc->options; o && o->key; o++) {
			struct ptd_cli_plugin_flag *f;

			if (!o->cli)
				continue;
			f = &(*out)[(*n)++];
			f->flag = o->cli;
			f->section = in->log_prefix; /* "kind:name" */
			f->key = o->key;
			f->is_bool = o->type == PTD_OPT_BOOL;
		}
	}
	return 0;
}

static int apply_ini(struct ptd_instance *in, char *err, size_t errlen)
{
	const struct ptd_conf_section *s = in->section;
	char why[200], keys[400];

	for (size_t i = 0; i < s->n_entries; i++) {
		const struct ptd_conf_entry *e = &s->entries[i];
		const struct ptd_option *o;

		if (strcmp(e->key, "path") == 0 || strcmp(e->key, "enabled") == 0)
			continue;
		o = ptd_option_find(in->desc->options, e->key);
		if (!o) {
			ptd_option_keys(in->desc->options, keys, sizeof(keys));
			snprintf(err, errlen,
				 "%s:%d: unknown key '%s' in [%s.%s] (known keys: path, enabled%s)",
				 s->file, e->line, e->key, ptd_kind_name(s->kind),
				 s->name, keys);
			return -EINVAL;
		}
		if (ptd_option_set(o, in->config, e->value, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%d: bad value '%s' for '%s' in [%s.%s]: %s",
				 s->file, e->line, e->value, e->key,
				 ptd_kind_name(s->kind), s->name, why);
			return -EINVAL;
		}
	}
	return 0;
}

static int apply_setting(struct ptd_registry *reg, const struct ptd_cli_setting *st,
			 char *err, size_t errlen)
{
	char why[200];

	for (size_t i = 0; i < reg->n; i++) {
		struct ptd_instance *in = &reg->inst[i];
		const struct ptd_option *o;

		if (strcmp(in->log_prefix, st->section) != 0)
			continue;
		o = ptd_option_find(in->desc->options, st->key);
		if (!o)
			break;
		if (ptd_option_set(o, in->config, st->value, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "%s: bad value '%s': %s", st->flag,
				 st->value, why);
			return -EINVAL;
		}
		return 0;
	}
	snprintf(err, errlen, "%s: no loaded plugin takes this option", st->flag);
	return -EINVAL;
}

int ptd_registry_configure(struct ptd_registry *reg,
			   const struct ptd_cli_setting *settings,
			   size_t n_settings, char *err, size_t errlen)
{
	char why[300];
	int rc;

	for (size_t i = 0; i < reg->n; i++) {
		struct ptd_instance *in = &reg->inst[i];

		in->config = calloc(1, in->desc->config_size ? in->desc->config_size : 1);
		if (!in->config) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		rc = ptd_option_defaults(in->desc->options, in->config, why, sizeof(why));
		if (rc < 0) {
			snprintf(err, errlen, "%s: %s", in->path, why);
			return rc;
		}
		rc = apply_ini(in, err, errlen);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < n_settings; i++) {
		rc = apply_setting(reg, &settings[i], err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void ptd_registry_free(struct ptd_registry *reg)
{
	if (!reg || !reg->inst)
		return;
	for (size_t i = reg->n; i-- > 0;) {
		struct ptd_instance *in = &reg->inst[i];

		if (in->inited && in->desc->fini)
			in->desc->fini(in->state);
		if (in->desc)
			ptd_option_free_all(in->desc->options, in->config);
		free(in->config);
		if (in->dl)
			dlclose(in->dl);
		free(in->path);
	}
	free(reg->inst);
	reg->inst = NULL;
	reg->n = 0;
}
