#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/conf.h"

static const char *const kind_names[] = {
	[PTD_KIND_BACKEND] = "backend",
	[PTD_KIND_ENRICHER] = "enricher",
	[PTD_KIND_PRINTER] = "printer",
};

const char *ptd_kind_name(enum ptd_plugin_kind kind)
{
	if (kind >= PTD_KIND_BACKEND && kind <= PTD_KIND_PRINTER)
		return kind_names[kind];
	return "unknown";
}

int ptd_kind_from_name(const char *name, enum ptd_plugin_kind *kind)
{
	for (int k = PTD_KIND_BACKEND; k <= PTD_KIND_PRINTER; k++) {
		if (strcmp(name, kind_names[k]) == 0) {
			*kind = (enum ptd_plugin_kind)k;
			return 0;
		}
	}
	return -EINVAL;
}

int ptd_check_trusted_file(const char *path, const char *what, char *err,
			   size_t errlen)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		int rc = -errno;

		snprintf(err, errlen, "%s %s: %s", what, path, strerror(-rc));
		return rc;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen,
			 "refusing %s %s: it is a symbolic link (running privileged: name the real file)",
			 what, path);
		return -EPERM;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "refusing %s %s: not a regular file", what, path);
		return -EPERM;
	}
	if (st.st_uid != 0) {
		snprintf(err, errlen,
			 "refusing %s %s: owned by uid %u, not root (running privileged: chown root it)",
			 what, path, (unsigned)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(err, errlen,
			 "refusing %s %s: writable by group or others (running privileged: chmod go-w it)",
			 what, path);
		return -EPERM;
	}
	return 0;
}

/* ------------------------------------------------------------------ */

struct parse_ctx {
	struct ptd_conf *conf;
	const char *path;
	FILE *fp;
	int line;                        /* lines read so far */
	struct ptd_conf_section *current;
	char *err;
	size_t errlen;
	int failed;                      /* err already set */
};

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++) {
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '_' && *s != '-')
			return 0;
	}
	return 1;
}

static struct ptd_conf_section *find_section(struct ptd_conf *conf,
					     enum ptd_plugin_kind kind,
					     const char *name)
{
	for (size_t i = 0; i < conf->n_sections; i++) {
		struct ptd_conf_section *s = &conf->sections[i];

		if (s->kind == kind && strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

/* Section headers are recorded here, in the line reader, because inih only
 * reports sections that contain keys: an empty [printer.text] must still
 * create an instance. */
static int open_section(struct parse_ctx *ctx, char *header)
{
	char *close = strchr(header, ']');
	char *name, *dot;
	enum ptd_plugin_kind kind;
	struct ptd_conf_section *s, *grown;

	if (!close)
		return 0; /* inih reports the syntax error */
	*close = '\0';
	name = trim(header + 1);
	dot = strchr(name, '.');
	if (!dot)
		goto bad;
	*dot = '\0';
	if (ptd_kind_from_name(trim(name), &kind) < 0 || !valid_name(dot + 1)) {
		*dot = '.';
		goto bad;
	}
	s = find_section(ctx->conf, kind, dot + 1);
	if (s) {
		snprintf(ctx->err, ctx->errlen,
			 "%s:%d: duplicate section [%s.%s] (first defined at %s:%d)",
			 ctx->path, ctx->line, ptd_kind_name(kind), dot + 1,
			 s->file, s->line);
		ctx->failed = 1;
		return -EINVAL;
	}
	grown = realloc(ctx->conf->sections,
			(ctx->conf->n_sections + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	ctx->conf->sections = grown;
	s = &grown[ctx->conf->n_sections++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->name = strdup(dot + 1);
	s->file = strdup(ctx->path);
	s->line = ctx->line;
	ctx->current = s;
	if (!s->name || !s->file)
		return -ENOMEM;
	return 0;
bad:
	snprintf(ctx->err, ctx->errlen,
		 "%s:%d: bad section [%s]: expected [backend.NAME], [enricher.NAME] or [printer.NAME] with NAME of a-z, 0-9, '_', '-'",
		 ctx->path, ctx->line, name);
	ctx->failed = 1;
	return -EINVAL;
}

static char *counting_reader(char *buf, int size, void *stream)
{
	struct parse_ctx *ctx = stream;
	char *line, *p;

	if (ctx->failed)
		return NULL;
	line = fgets(buf, size, ctx->fp);
	if (!line)
		return NULL;
	ctx->line++;
	/* inih reads into a fixed buffer: the rest of a longer line would come
	 * back as a line of its own, a value cut short and line numbers off by
	 * one.  A line that exactly fills the buffer only lacks its newline. */
	if (!strchr(line, '\n')) {
		int c = getc(ctx->fp);

		if (c != EOF && c != '\n') {
			snprintf(ctx->err, ctx->errlen,
				 "%s:%d: line too long (at most %d characters)",
				 ctx->path, ctx->line, size - 1);
			ctx->failed = 1;
			return NULL;
		}
	}
	p = line;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '[') {
		char copy[512];

		snprintf(copy, sizeof(copy), "%s", p);
		if (open_section(ctx, copy) < 0) {
			if (!ctx->failed) {
				snprintf(ctx->err, ctx->errlen, "%s: out of memory", ctx->path);
				ctx->failed = 1;
			}
			return NULL;
		}
	}
	return line;
}

static int entry_handler(void *user, const char *section, const char *key,
			 const char *value)
{
	struct parse_ctx *ctx = user;
	struct ptd_conf_section *s = ctx->current;
	struct ptd_conf_entry *e;

	if (!s) {
		snprintf(ctx->err, ctx->errlen,
			 "%s:%d: '%s' is outside any [kind.name] section",
			 ctx->path, ctx->line, key);
		ctx->failed = 1;
		return 0;
	}
	if (!value) {
		snprintf(ctx->err, ctx->errlen, "%s:%d: '%s' has no value (write %s = VALUE)",
			 ctx->path, ctx->line, key, key);
		ctx->failed = 1;
		return 0;
	}
	for (size_t i = 0; i < s->n_entries; i++) {
		if (strcmp(s->entries[i].key, key) == 0) {
			snprintf(ctx->err, ctx->errlen,
				 "%s:%d: duplicate key '%s' in [%s.%s] (first set at line %d)",
				 ctx->path, ctx->line, key, ptd_kind_name(s->kind),
				 s->name, s->entries[i].line);
			ctx->failed = 1;
			return 0;
		}
	}
	e = realloc(s->entries, (s->n_entries + 1) * sizeof(*e));
	if (!e)
		return 0;
	s->entries = e;
	e = &e[s->n_entries++];
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = ctx->line;
	return e->key && e->value;
}

int ptd_conf_load_file(struct ptd_conf *conf, const char *path, char *err,
		       size_t errlen)
{
	struct parse_ctx ctx = {
		.conf = conf, .path = path, .err = err, .errlen = errlen,
	};
	int rc;

	if (conf->check_ownership) {
		rc = ptd_check_trusted_file(path, "configuration file", err, errlen);
		if (rc < 0)
			return rc;
	}
	ctx.fp = fopen(path, "re");
	if (!ctx.fp) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	rc = ini_parse_stream(counting_reader, &ctx, entry_handler, &ctx);
	fclose(ctx.fp);
	if (ctx.failed)
		return -EINVAL;
	if (rc > 0) {
		snprintf(err, errlen,
			 "%s:%d: syntax error (expected [kind.name], key = value, or a ; or # comment)",
			 path, rc);
		return -EINVAL;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot parse: %s", path,
			 rc == -2 ? "out of memory" : "read error");
		return -EIO;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int ptd_conf_load_dir(struct ptd_conf *conf, const char *dir, char *err,
		      size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (!d) {
		rc = -errno;
		snprintf(err, errlen, "plugin configuration directory %s: %s",
			 dir, strerror(errno));
		return rc;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char **grown;

		/* Only *.conf: packaging leftovers (.dpkg-old, ~) are ignored. */
		if (len < 6 || de->d_name[0] == '.' ||
		    strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (!grown) {
			rc = -ENOMEM;
			goto out;
		}
		names = grown;
		if (asprintf(&names[n], "%s/%s", dir, de->d_name) < 0) {
			rc = -ENOMEM;
			goto out;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = ptd_conf_load_file(conf, names[i], err, errlen);
out:
	if (rc == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", dir);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return rc;
}

void ptd_conf_free(struct ptd_conf *conf)
{
	if (!conf)
		return;
	for (size_t i = 0; i < conf->n_sections; i++) {
		struct ptd_conf_section *s = &conf->sections[i];

		for (size_t j = 0; j < s->n_entries; j++) {
			free(s->entries[j].key);
			free(s->entries[j].value);
		}
		free(s->entries);
		free(s->name);
		free(s->file);
	}
	free(conf->sections);
	conf->sections = NULL;
	conf->n_sections = 0;
}

const struct ptd_conf_entry *ptd_conf_get(const struct ptd_conf_section *s,
					  const char *key)
{
	for (size_t i = 0; i < s->n_entries; i++)
		if (strcmp(s->entries[i].key, key) == 0)
			return &s->entries[i];
	return NULL;
}
