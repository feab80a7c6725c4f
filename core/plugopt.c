#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/plugopt.h"

const struct ptd_option *ptd_option_find(const struct ptd_option *table,
					 const char *key)
{
	for (; table && table->key; table++)
		if (strcmp(table->key, key) == 0)
			return table;
	return NULL;
}

static int parse_u64(const char *text, uint64_t *out, char **end)
{
	unsigned long long v;

	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	v = strtoull(text, end, 10);
	if (errno)
		return -EINVAL;
	*out = v;
	return 0;
}

int ptd_parse_bytes(const char *text, uint64_t unit_for_plain, uint64_t *out)
{
	static const struct { const char *suffix; uint64_t mult; } units[] = {
		{ "", 0 }, { "b", 1 },
		{ "k", 1000 }, { "kb", 1000 }, { "kib", 1024 },
		{ "m", 1000000 }, { "mb", 1000000 }, { "mib", 1048576 },
		{ "g", 1000000000 }, { "gb", 1000000000 }, { "gib", 1073741824 },
	};
	char *end;
	uint64_t v;

	if (parse_u64(text, &v, &end) < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t mult = units[i].mult ? units[i].mult : unit_for_plain;

		if (strcasecmp(end, units[i].suffix) != 0)
			continue;
		if (mult && v > UINT64_MAX / mult)
			return -ERANGE;
		*out = v * mult;
		return 0;
	}
	return -EINVAL;
}

static int parse_millis(const char *text, uint64_t *out)
{
	static const struct { const char *suffix; uint64_t mult; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	char *end;
	uint64_t v;

	if (parse_u64(text, &v, &end) < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			if (v > UINT64_MAX / units[i].mult)
				return -ERANGE;
			*out = v * units[i].mult;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_bool(const char *text, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

static void join_choices(const char *const *choices, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; choices && *choices && used < len; choices++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", *choices);
}

int ptd_option_set(const struct ptd_option *opt, void *config, const char *text,
		   char *err, size_t errlen)
{
	char *field = (char *)config + opt->offset;
	char list[160];

	switch (opt->type) {
	case PTD_OPT_STRING: {
		char *copy = strdup(text);

		if (!copy) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		free(*(char **)field);
		*(char **)field = copy;
		return 0;
	}
	case PTD_OPT_BOOL:
		if (parse_bool(text, (int *)field) == 0)
			return 0;
		snprintf(err, errlen, "expected true or false");
		return -EINVAL;
	case PTD_OPT_INT: {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(text, &end, 10);
		if (*text && !*end && !errno) {
			*(int64_t *)field = v;
			return 0;
		}
		snprintf(err, errlen, "expected an integer");
		return -EINVAL;
	}
	case PTD_OPT_UINT: {
		char *end;

		if (parse_u64(text, (uint64_t *)field, &end) == 0 && !*end)
			return 0;
		snprintf(err, errlen, "expected a non-negative integer");
		return -EINVAL;
	}
	case PTD_OPT_BYTES:
		if (ptd_parse_bytes(text, 1, (uint64_t *)field) == 0)
			return 0;
		snprintf(err, errlen, "expected a size such as 4096, 64k, 10MB or 1G");
		return -EINVAL;
	case PTD_OPT_MILLIS:
		if (parse_millis(text, (uint64_t *)field) == 0)
			return 0;
		snprintf(err, errlen, "expected a duration such as 250ms, 2s, 1m");
		return -EINVAL;
	case PTD_OPT_ENUM:
		for (int i = 0; opt->choices && opt->choices[i]; i++) {
			if (strcmp(text, opt->choices[i]) == 0) {
				*(int *)field = i;
				return 0;
			}
		}
		join_choices(opt->choices, list, sizeof(list));
		snprintf(err, errlen, "expected one of: %s", list);
		return -EINVAL;
	}
	snprintf(err, errlen, "option has an unknown type %d", (int)opt->type);
	return -EINVAL;
}

int ptd_option_defaults(const struct ptd_option *table, void *config,
			char *err, size_t errlen)
{
	char why[160];

	for (; table && table->key; table++) {
		if (!table->def)
			continue;
		if (ptd_option_set(table, config, table->def, why, sizeof(why)) < 0) {
			snprintf(err, errlen, "default '%s' of key '%s' is invalid: %s",
				 table->def, table->key, why);
			return -EINVAL;
		}
	}
	return 0;
}

void ptd_option_free_all(const struct ptd_option *table, void *config)
{
	if (!config)
		return;
	for (; table && table->key; table++) {
		if (table->type == PTD_OPT_STRING) {
			char **field = (char **)((char *)config + table->offset);

			free(*field);
			*field = NULL;
		}
	}
}

void ptd_option_keys(const struct ptd_option *table, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; table && table->key && used < len; table++)
		used += (size_t)snprintf(buf + used, len - used, ", %s", table->key);
}
