/* The single-threaded event loop: epoll over plugin fds, a signalfd, one
 * timerfd per timer, and a queue of deferred calls.  No busy waiting: it
 * blocks in epoll_wait unless deferred work is queued. */
#ifndef PTD_CORE_LOOP_H
#define PTD_CORE_LOOP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <ptcpdump/plugin.h>

struct ptd_watch;
struct ptd_deferred;

typedef void (*ptd_signal_cb)(void *arg, int signo);

struct ptd_loop {
	int epfd;
	int sigfd;
	int stopping;
	int exit_status;
	struct ptd_watch *watches;   /* list */
	struct ptd_deferred *defer_head, *defer_tail;
	ptd_signal_cb on_signal;
	void *signal_arg;
	int next_timer_id;
	/* The signal being handled came from the kernel (a terminal's ^C
	 * reaches the whole foreground process group), not from kill(2). */
	int signal_from_kernel;
};

/* Installs handlers for SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 and
 * SIGPIPE (a background job inherits SIGINT ignored; an ignored signal
 * never reaches a signalfd), then blocks them and reads them from a
 * signalfd.  Must run before any thread exists. */
int ptd_loop_init(struct ptd_loop *loop, ptd_signal_cb on_signal, void *arg);
void ptd_loop_fini(struct ptd_loop *loop);

int ptd_loop_watch(struct ptd_loop *loop, int fd, uint32_t events,
		   ptd_fd_cb cb, void *arg);
int ptd_loop_unwatch(struct ptd_loop *loop, int fd);
int ptd_loop_timer_add(struct ptd_loop *loop, uint64_t first_ns,
		       uint64_t interval_ns, ptd_call_cb cb, void *arg);
int ptd_loop_timer_cancel(struct ptd_loop *loop, int id);
int ptd_loop_defer(struct ptd_loop *loop, ptd_call_cb cb, void *arg);

/* Runs until ptd_loop_stop.  Returns the status given to it. */
int ptd_loop_run(struct ptd_loop *loop);
/* The first caller's status wins: an error is not overwritten by a later
 * clean stop. */
void ptd_loop_stop(struct ptd_loop *loop, int status);

#endif
