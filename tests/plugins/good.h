/* The configuration struct of the "good" test plugin, shared with the
 * loader suite so it can read back what the core filled in. */
#ifndef PTD_TEST_GOOD_PLUGIN_H
#define PTD_TEST_GOOD_PLUGIN_H

#include <stdint.h>

enum good_mode {
	GOOD_MODE_FAST = 0,
	GOOD_MODE_SLOW = 1,
	GOOD_MODE_OFF = 2,
};

struct good_config {
	char *label;      /* string, default "default", --good-label */
	int flag;         /* bool, default false, --good-flag */
	int64_t offset;   /* int, default -5 */
	uint64_t count;   /* uint, default 7, --good-count */
	uint64_t buffer;  /* bytes, default 64k */
	uint64_t timeout; /* millis, default 2s */
	int mode;         /* enum good_mode, default fast, --good-mode */
	char *note;       /* string without a default: stays NULL */
};

#endif
