#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "core/log.h"
#include "core/loop.h"

struct ptd_watch {
	struct ptd_watch *next;
	int fd;
	int timer_id;     /* > 0: this watch is a timer we own */
	int oneshot;
	ptd_fd_cb fd_cb;
	ptd_call_cb timer_cb;
	void *arg;
	int dead;         /* removed while dispatching; freed later */
};

struct ptd_deferred {
	struct ptd_deferred *next;
	ptd_call_cb cb;
	void *arg;
};

static const int handled_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGPIPE,
};

static void ignore_handler(int signo)
{
	(void)signo; /* blocked: delivered through the signalfd */
}

int ptd_loop_init(struct ptd_loop *loop, ptd_signal_cb on_signal, void *arg)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sigaction sa;
	sigset_t set;

	memset(loop, 0, sizeof(*loop));
	loop->sigfd = -1;
	loop->on_signal = on_signal;
	loop->signal_arg = arg;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		return -errno;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = ignore_handler;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(handled_signals) / sizeof(int); i++) {
		sigaction(handled_signals[i], &sa, NULL);
		sigaddset(&set, handled_signals[i]);
	}
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	loop->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (loop->sigfd < 0)
		return -errno;
	ev.data.ptr = NULL; /* NULL marks the signalfd */
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->sigfd, &ev) < 0)
		return -errno;
	return 0;
}

void ptd_loop_fini(struct ptd_loop *loop)
{
	struct ptd_watch *w, *next;
	struct ptd_deferred *d, *dn;

	for (w = loop->watches; w; w = next) {
		next = w->next;
		if (w->timer_id > 0)
			close(w->fd);
		free(w);
	}
	loop->watches = NULL;
	for (d = loop->defer_head; d; d = dn) {
		dn = d->next;
		free(d);
	}
	loop->defer_head = loop->defer_tail = NULL;
	if (loop->sigfd >= 0)
		close(loop->sigfd);
	if (loop->epfd >= 0)
		close(loop->epfd);
	loop->sigfd = loop->epfd = -1;
}

static struct ptd_watch *add_watch(struct ptd_loop *loop, int fd,
				   uint32_t events)
{
	struct epoll_event ev = { .events = events };
	struct ptd_watch *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->fd = fd;
	ev.data.ptr = w;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int saved = errno;

		free(w);
		errno = saved;
		return NULL;
	}
	w->next = loop->watches;
	loop->watches = w;
	return w;
}

int ptd_loop_watch(struct ptd_loop *loop, int fd, uint32_t events,
		   ptd_fd_cb cb, void *arg)
{
	struct ptd_watch *w = add_watch(loop, fd, events);

	if (!w)
		return -errno;
	w->fd_cb = cb;
	w->arg = arg;
	return 0;
}

static int remove_watch(struct ptd_loop *loop, struct ptd_watch *w)
{
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	if (w->timer_id > 0)
		close(w->fd);
	w->fd = -1;
	w->dead = 1;  /* freed by the dispatcher: events may still reference it */
	return 0;
}

int ptd_loop_unwatch(struct ptd_loop *loop, int fd)
{
	for (struct ptd_watch *w = loop->watches; w; w = w->next)
		if (!w->dead && w->timer_id == 0 && w->fd == fd)
			return remove_watch(loop, w);
	return -ENOENT;
}

int ptd_loop_timer_add(struct ptd_loop *loop, uint64_t first_ns,
		       uint64_t interval_ns, ptd_call_cb cb, void *arg)
{
	struct itimerspec its = {
		.it_value = { (time_t)(first_ns / 1000000000u), (long)(first_ns % 1000000000u) },
		.it_interval = { (time_t)(interval_ns / 1000000000u), (long)(interval_ns % 1000000000u) },
	};
	struct ptd_watch *w;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
		its.it_value.tv_nsec = 1; /* zero would disarm it */
	if (timerfd_settime(fd, 0, &its, NULL) < 0 || !(w = add_watch(loop, fd, EPOLLIN))) {
		int saved = -errno;

		close(fd);
		return saved;
	}
	w->timer_id = ++loop->next_timer_id;
	w->oneshot = interval_ns == 0;
	w->timer_cb = cb;
	w->arg = arg;
	return w->timer_id;
}

int ptd_loop_timer_cancel(struct ptd_loop *loop, int id)
{
	for (struct ptd_watch *w = loop->watches; w; w = w->next)
		if (!w->dead && w->timer_id == id)
			return remove_watch(loop, w);
	return -ENOENT;
}

int ptd_loop_defer(struct ptd_loop *loop, ptd_call_cb cb, void *arg)
{
	struct ptd_deferred *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->cb = cb;
	d->arg = arg;
	if (loop->defer_tail)
		loop->defer_tail->next = d;
	else
		loop->defer_head = d;
	loop->defer_tail = d;
	return 0;
}

void ptd_loop_stop(struct ptd_loop *loop, int status)
{
	if (!loop->stopping)
		loop->exit_status = status;
	else if (status && !loop->exit_status)
		loop->exit_status = status;
	loop->stopping = 1;
}

static void drain_signals(struct ptd_loop *loop)
{
	struct signalfd_siginfo si;

	while (read(loop->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		loop->signal_from_kernel = si.ssi_code == SI_KERNEL;
		if (loop->on_signal)
			loop->on_signal(loop->signal_arg, (int)si.ssi_signo);
	}
}

static void dispatch(struct ptd_loop *loop, struct ptd_watch *w, uint32_t ev)
{
	uint64_t expirations;

	if (w->dead)
		return;
	if (w->timer_id == 0) {
		w->fd_cb(w->arg, w->fd, ev);
		return;
	}
	if (read(w->fd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return;
	if (w->oneshot)
		remove_watch(loop, w);
	w->timer_cb(w->arg);
}

static void run_deferred(struct ptd_loop *loop)
{
	/* Only what was queued before this round: a callback that defers
	 * itself again runs next round, after fds had their turn. */
	struct ptd_deferred *d = loop->defer_head;

	loop->defer_head = loop->defer_tail = NULL;
	while (d) {
		struct ptd_deferred *next = d->next;

		if (!loop->stopping)
			d->cb(d->arg);
		free(d);
		d = next;
	}
}

static void reap_dead(struct ptd_loop *loop)
{
	struct ptd_watch **pp = &loop->watches;

	while (*pp) {
		struct ptd_watch *w = *pp;

		if (w->dead) {
			*pp = w->next;
			free(w);
		} else {
			pp = &w->next;
		}
	}
}

int ptd_loop_run(struct ptd_loop *loop)
{
	struct epoll_event events[32];

	while (!loop->stopping) {
		int timeout = loop->defer_head ? 0 : -1;
		int n = epoll_wait(loop->epfd, events, 32, timeout);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			core_err("epoll_wait: %s", strerror(errno));
			ptd_loop_stop(loop, 1);
			break;
		}
		for (int i = 0; i < n && !loop->stopping; i++) {
			if (!events[i].data.ptr)
				drain_signals(loop);
			else
				dispatch(loop, events[i].data.ptr, events[i].events);
		}
		/* Signals first: a stop request must win over queued work. */
		if (!loop->stopping)
			run_deferred(loop);
		reap_dead(loop);
	}
	return loop->exit_status;
}
