#include "config.h"

#include <stdio.h>

#include "core/log.h"

static enum ptd_log_level current_level = PTD_LOG_WARN;

void ptd_log_set_level(enum ptd_log_level level)
{
	current_level = level;
}

enum ptd_log_level ptd_log_get_level(void)
{
	return current_level;
}

int ptd_log_enabled(enum ptd_log_level level)
{
	return level <= current_level;
}

void ptd_vlogf(enum ptd_log_level level, const char *prefix, const char *fmt,
	       va_list ap)
{
	/* Errors always show: they explain a non-zero exit. */
	if (level != PTD_LOG_ERROR && !ptd_log_enabled(level))
		return;
	/* stdout may carry packets: keep the two streams ordered on a tty. */
	fflush(stdout);
	fputs("ptcpdump: ", stderr);
	if (level == PTD_LOG_WARN)
		fputs("warning: ", stderr);
	if (prefix)
		fprintf(stderr, "[%s] ", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void ptd_logf(enum ptd_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ptd_vlogf(level, NULL, fmt, ap);
	va_end(ap);
}
