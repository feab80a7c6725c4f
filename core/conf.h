/* plugins.d: INI files read with inih, one section per plugin instance. */
#ifndef PTD_CORE_CONF_H
#define PTD_CORE_CONF_H

#include <stddef.h>

#include <ptcpdump/plugin.h>

struct ptd_conf_entry {
	char *key;
	char *value;
	int line;
};

struct ptd_conf_section {
	enum ptd_plugin_kind kind;
	char *name;              /* "text" of [printer.text] */
	char *file;              /* where the section starts */
	int line;
	struct ptd_conf_entry *entries;
	size_t n_entries;
};

struct ptd_conf {
	struct ptd_conf_section *sections; /* in file order, files in lexical order */
	size_t n_sections;
	int check_ownership;     /* privileged: refuse unsafe files */
};

/* Reads every *.conf in dir in lexical (byte) order.  0 or -errno with one
 * line in err naming file:line. */
int ptd_conf_load_dir(struct ptd_conf *conf, const char *dir, char *err,
		      size_t errlen);
int ptd_conf_load_file(struct ptd_conf *conf, const char *path, char *err,
		       size_t errlen);
void ptd_conf_free(struct ptd_conf *conf);

const struct ptd_conf_entry *ptd_conf_get(const struct ptd_conf_section *s,
					  const char *key);
const char *ptd_kind_name(enum ptd_plugin_kind kind);
int ptd_kind_from_name(const char *name, enum ptd_plugin_kind *kind);

/* Privileged runs only trust regular, root-owned files nobody else can
 * write.  0, or -EPERM with the reason in err ("... is a symbolic link"). */
int ptd_check_trusted_file(const char *path, const char *what, char *err,
			   size_t errlen);

#endif
