/* The event loop: fds, timers, deferred calls, signals, stop status. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/loop.h"

struct probe {
	struct ptd_loop *loop;
	int calls;
	int last_signal;
	int stop_after;
	int fd_reads;
};

static void count_and_maybe_stop(void *arg)
{
	struct probe *p = arg;

	if (++p->calls >= p->stop_after)
		ptd_loop_stop(p->loop, 0);
}

static void redefer(void *arg)
{
	struct probe *p = arg;

	if (++p->calls >= p->stop_after) {
		ptd_loop_stop(p->loop, 0);
		return;
	}
	ptd_loop_defer(p->loop, redefer, p);
}

static void on_signal(void *arg, int signo)
{
	struct probe *p = arg;

	p->last_signal = signo;
	ptd_loop_stop(p->loop, signo == SIGUSR1 ? 0 : 3);
}

START_TEST(deferred_calls_run_and_requeue)
{
	struct ptd_loop loop;
	struct probe p = { .loop = &loop, .stop_after = 1000 };

	ck_assert_int_eq(ptd_loop_init(&loop, NULL, NULL), 0);
	ck_assert_int_eq(ptd_loop_defer(&loop, redefer, &p), 0);
	ck_assert_int_eq(ptd_loop_run(&loop), 0);
	ck_assert_int_eq(p.calls, 1000);
	ptd_loop_fini(&loop);
}
END_TEST

static void read_pipe(void *arg, int fd, uint32_t events)
{
	struct probe *p = arg;
	char c;

	ck_assert(events & PTD_EV_IN);
	ck_assert_int_eq(read(fd, &c, 1), 1);
	p->fd_reads++;
}

/* A callback that always defers again must not starve a ready fd. */
START_TEST(deferred_work_does_not_starve_fds)
{
	struct ptd_loop loop;
	struct probe p = { .loop = &loop, .stop_after = 50 };
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(ptd_loop_init(&loop, NULL, NULL), 0);
	ck_assert_int_eq(ptd_loop_watch(&loop, fds[0], PTD_EV_IN, read_pipe, &p), 0);
	ck_assert_int_eq(write(fds[1], "abc", 3), 3);
	ck_assert_int_eq(ptd_loop_defer(&loop, redefer, &p), 0);
	ck_assert_int_eq(ptd_loop_run(&loop), 0);
	ck_assert_int_eq(p.fd_reads, 3);
	ck_assert_int_eq(ptd_loop_unwatch(&loop, fds[0]), 0);
	ck_assert_int_eq(ptd_loop_unwatch(&loop, fds[0]), -ENOENT);
	ptd_loop_fini(&loop);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

START_TEST(timers_fire_once_or_repeat)
{
	struct ptd_loop loop;
	struct probe once = { .loop = &loop, .stop_after = 1000 };
	struct probe every = { .loop = &loop, .stop_after = 5 };
	int id;

	ck_assert_int_eq(ptd_loop_init(&loop, NULL, NULL), 0);
	id = ptd_loop_timer_add(&loop, 1000000, 0, count_and_maybe_stop, &once);
	ck_assert_int_gt(id, 0);
	ck_assert_int_gt(ptd_loop_timer_add(&loop, 2000000, 2000000,
					     count_and_maybe_stop, &every), 0);
	ck_assert_int_eq(ptd_loop_run(&loop), 0);
	ck_assert_int_eq(once.calls, 1);
	ck_assert_int_eq(every.calls, 5);
	ck_assert_int_eq(ptd_loop_timer_cancel(&loop, id), -ENOENT);
	ptd_loop_fini(&loop);
}
END_TEST

START_TEST(cancelled_timer_never_fires)
{
	struct ptd_loop loop;
	struct probe cancelled = { .loop = &loop, .stop_after = 1 };
	struct probe later = { .loop = &loop, .stop_after = 1 };
	int id;

	ck_assert_int_eq(ptd_loop_init(&loop, NULL, NULL), 0);
	id = ptd_loop_timer_add(&loop, 1000000, 0, count_and_maybe_stop, &cancelled);
	ck_assert_int_eq(ptd_loop_timer_cancel(&loop, id), 0);
	ck_assert_int_gt(ptd_loop_timer_add(&loop, 20000000, 0,
					     count_and_maybe_stop, &later), 0);
	ck_assert_int_eq(ptd_loop_run(&loop), 0);
	ck_assert_int_eq(cancelled.calls, 0);
	ck_assert_int_eq(later.calls, 1);
	ptd_loop_fini(&loop);
}
END_TEST

/* Started as a background job, a shell hands us SIGINT ignored: the loop
 * must still see it. */
START_TEST(ignored_sigint_still_reaches_the_loop)
{
	struct ptd_loop loop;
	struct probe p = { .loop = &loop };

	signal(SIGINT, SIG_IGN);
	ck_assert_int_eq(ptd_loop_init(&loop, on_signal, &p), 0);
	raise(SIGINT);
	ck_assert_int_eq(ptd_loop_run(&loop), 3);
	ck_assert_int_eq(p.last_signal, SIGINT);
	ptd_loop_fini(&loop);
}
END_TEST

START_TEST(first_error_status_wins)
{
	struct ptd_loop loop;

	ck_assert_int_eq(ptd_loop_init(&loop, NULL, NULL), 0);
	ptd_loop_stop(&loop, 1);
	ptd_loop_stop(&loop, 0);
	ck_assert_int_eq(ptd_loop_run(&loop), 1);
	ptd_loop_fini(&loop);
}
END_TEST

static Suite *loop_suite(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, deferred_calls_run_and_requeue);
	tcase_add_test(tc, deferred_work_does_not_starve_fds);
	tcase_add_test(tc, timers_fire_once_or_repeat);
	tcase_add_test(tc, cancelled_timer_never_fires);
	tcase_add_test(tc, ignored_sigint_still_reaches_the_loop);
	tcase_add_test(tc, first_error_status_wins);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(loop_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
