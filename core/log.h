/* The core's own diagnostics: "ptcpdump: ..." on stderr, filtered by
 * --log-level.  Plugin messages arrive through host.c with a [kind:name]
 * prefix. */
#ifndef PTD_CORE_LOG_H
#define PTD_CORE_LOG_H

#include <stdarg.h>

#include <ptcpdump/plugin.h>

void ptd_log_set_level(enum ptd_log_level level);
enum ptd_log_level ptd_log_get_level(void);
int ptd_log_enabled(enum ptd_log_level level);

/* prefix may be NULL; it is printed in brackets after "ptcpdump: ". */
void ptd_vlogf(enum ptd_log_level level, const char *prefix, const char *fmt,
	       va_list ap) PTD_PRINTF(3, 0);
void ptd_logf(enum ptd_log_level level, const char *fmt, ...) PTD_PRINTF(2, 3);

#define core_err(...)   ptd_logf(PTD_LOG_ERROR, __VA_ARGS__)
#define core_warn(...)  ptd_logf(PTD_LOG_WARN, __VA_ARGS__)
#define core_info(...)  ptd_logf(PTD_LOG_INFO, __VA_ARGS__)
#define core_debug(...) do { \
		if (ptd_log_enabled(PTD_LOG_DEBUG)) \
			ptd_logf(PTD_LOG_DEBUG, __VA_ARGS__); \
	} while (0)

#endif
