/* A minimal ptd_host for unit tests: logs into a buffer, runs deferred calls
 * on demand, and hands emitted packets to a test callback. */
#ifndef PTD_TEST_FAKE_HOST_H
#define PTD_TEST_FAKE_HOST_H

#include <ptcpdump/plugin.h>

typedef int (*fake_emit_fn)(void *arg, const struct ptd_packet *pkt);

struct fake_host {
	struct ptd_host host;
	struct ptd_options opts;
	char log[8192];          /* every log line, "\n"-separated */
	size_t log_len;
	ptd_call_cb deferred[16];
	void *deferred_arg[16];
	int n_deferred;
	fake_emit_fn on_emit;
	void *emit_arg;
	int finished;            /* set when finished() was called */
	int finished_status;
	unsigned emitted;
};

/* Zeroes fh and wires its callbacks; opts get tcpdump defaults. */
void fake_host_init(struct fake_host *fh, const char *kind, const char *name);
/* Runs deferred calls until none is left or max_rounds ran. Returns rounds. */
int fake_host_run_deferred(struct fake_host *fh, int max_rounds);

#endif
