/* Option tables (struct ptd_option): defaults, parsing and validation of
 * values into a plugin's config struct. */
#ifndef PTD_CORE_PLUGOPT_H
#define PTD_CORE_PLUGOPT_H

#include <stddef.h>

#include <ptcpdump/plugin.h>

const struct ptd_option *ptd_option_find(const struct ptd_option *table,
					 const char *key);
/* Parses text for opt into config.  0, or -EINVAL with the expectation in
 * err ("expected a number", "expected one of: a, b"). */
int ptd_option_set(const struct ptd_option *opt, void *config, const char *text,
		   char *err, size_t errlen);
/* Applies every default of table.  -EINVAL means the plugin's own default
 * does not parse: a bug in the plugin, reported with its key. */
int ptd_option_defaults(const struct ptd_option *table, void *config,
			char *err, size_t errlen);
/* Frees the strings ptd_option_set allocated. */
void ptd_option_free_all(const struct ptd_option *table, void *config);
/* Comma-separated list of keys, for "unknown key" messages. */
void ptd_option_keys(const struct ptd_option *table, char *buf, size_t len);

/* "100", "10k", "10KB", "5M", "1G": bytes.  A bare number is in units
 * of unit_for_plain. */
int ptd_parse_bytes(const char *text, uint64_t unit_for_plain, uint64_t *out);

#endif
