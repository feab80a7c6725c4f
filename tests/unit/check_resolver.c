/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The live capture's name resolver (printers/text/resolver.c) with a fake
 * lookup function: names are made up from the address, an address ending
 * in .254 has none, and a gate can hold every lookup until the test opens
 * it.  Tests wait on the resolver's and the fake's conditions, each wait
 * bounded; none sleeps.
 *
 * Also the services table that replaces getservbyport (services.c),
 * checked against getservbyport itself for every port.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "netdissect.h"
#include "resolver.h"
#include "services.h"

#define WAIT_NS (5ull * 1000000000ull) /* bound of every wait */

struct fake {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int gate_closed;
	unsigned entered;  /* lookups started */
	unsigned returned; /* lookups finished */
	uint64_t now_ns;   /* the fake clock */
};

/* Static: a detached worker may still use it after a test returns. */
static struct fake fake = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER,
};

static void fake_reset(int gate_closed)
{
	pthread_mutex_lock(&fake.lock);
	fake.gate_closed = gate_closed;
	fake.entered = fake.returned = 0;
	fake.now_ns = 1000000000ull;
	pthread_mutex_unlock(&fake.lock);
}

static void fake_open_gate(void)
{
	pthread_mutex_lock(&fake.lock);
	fake.gate_closed = 0;
	pthread_cond_broadcast(&fake.cond);
	pthread_mutex_unlock(&fake.lock);
}

static int fake_resolve(void *arg, int family, const uint8_t *addr,
			char *name, size_t size)
{
	int ret = 0;

	(void)arg;
	pthread_mutex_lock(&fake.lock);
	fake.entered++;
	pthread_cond_broadcast(&fake.cond);
	while (fake.gate_closed)
		pthread_cond_wait(&fake.cond, &fake.lock);
	pthread_mutex_unlock(&fake.lock);

	if (family == AF_INET && addr[3] == 254)
		ret = -1;
	else if (family == AF_INET)
		snprintf(name, size, "host-%u-%u-%u-%u", addr[0], addr[1],
			 addr[2], addr[3]);
	else
		snprintf(name, size, "host6-%u", addr[15]);

	pthread_mutex_lock(&fake.lock);
	fake.returned++;
	pthread_cond_broadcast(&fake.cond);
	pthread_mutex_unlock(&fake.lock);
	return ret;
}

static uint64_t fake_clock(void *arg)
{
	uint64_t now;

	(void)arg;
	pthread_mutex_lock(&fake.lock);
	now = fake.now_ns;
	pthread_mutex_unlock(&fake.lock);
	return now;
}

static void deadline(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += (time_t)(WAIT_NS / 1000000000ull);
}

/* Waits until the fake saw at least n lookups start (or finish). */
static int fake_wait(const unsigned *counter, unsigned n)
{
	struct timespec ts;
	int err = 0;

	deadline(&ts);
	pthread_mutex_lock(&fake.lock);
	while (*counter < n && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&fake.cond, &fake.lock, &ts);
	err = *counter >= n ? 0 : -ETIMEDOUT;
	pthread_mutex_unlock(&fake.lock);
	return err;
}

static struct nd_resolver *resolver_make(unsigned threads, unsigned cache,
					 unsigned queue)
{
	struct nd_resolver_config cfg = {
		.threads = threads,
		.cache_entries = cache,
		.queue_len = queue,
		.negative_ttl_ns = 60ull * 1000000000ull,
		.shutdown_wait_ns = 50ull * 1000000ull,
		.resolve = fake_resolve,
		.clock_ns = fake_clock,
	};
	struct nd_resolver *r = NULL;

	ck_assert_int_eq(nd_resolver_new(&cfg, &r), 0);
	ck_assert_int_eq(nd_resolver_start(r), 0);
	return r;
}

static enum nd_resolve_state lookup4(struct nd_resolver *r, const char *ip,
				     const char **name)
{
	uint8_t a[4];

	ck_assert_int_eq(inet_pton(AF_INET, ip, a), 1);
	*name = NULL;
	return nd_resolver_lookup(r, AF_INET, a, name);
}

START_TEST(test_numeric_first_then_name)
{
	struct nd_resolver *r;
	struct nd_names *names;
	struct nd_ctx nd;
	uint8_t pkt[4 + 16] = { 10, 1, 2, 3 };
	struct nd_resolver_stats st;

	fake_reset(0);
	r = resolver_make(2, 16, 8);
	memset(&nd, 0, sizeof(nd));
	ck_assert_int_eq(nd_names_new(&names), 0);
	nd_names_set_resolver(names, r);
	nd.names = names;
	nd.packetp = pkt;
	nd.snapend = pkt + sizeof(pkt);
	pkt[4] = 0xfe;
	pkt[5] = 0x80;
	pkt[19] = 7;

	/* The packet path prints the number while the name is looked up. */
	ck_assert_str_eq(nd_ipaddr_string(&nd, pkt), "10.1.2.3");
	ck_assert_str_eq(nd_ip6addr_string(&nd, pkt + 4), "fe80::7");
	ck_assert_int_eq(nd_resolver_wait_answers(r, 2, WAIT_NS), 0);
	/* Later packets get the name. */
	ck_assert_str_eq(nd_ipaddr_string(&nd, pkt), "host-10-1-2-3");
	ck_assert_str_eq(nd_ip6addr_string(&nd, pkt + 4), "host6-7");
	ck_assert_str_eq(nd_ipaddr_string(&nd, pkt), "host-10-1-2-3");

	nd_resolver_stats(r, &st);
	ck_assert_uint_eq(st.requested, 2);
	ck_assert_uint_eq(st.named, 2);
	ck_assert_uint_eq(st.dropped, 0);
	nd_names_free(names);
	nd_resolver_free(r);
}
END_TEST

START_TEST(test_negative_ttl)
{
	struct nd_resolver *r;
	struct nd_resolver_stats st;
	const char *name;

	fake_reset(0);
	r = resolver_make(1, 16, 8);
	ck_assert_int_eq(lookup4(r, "10.0.0.254", &name), ND_RES_PENDING);
	ck_assert_int_eq(nd_resolver_wait_answers(r, 1, WAIT_NS), 0);
	ck_assert_int_eq(lookup4(r, "10.0.0.254", &name), ND_RES_NONE);
	ck_assert_ptr_null(name);

	/* Within the TTL the answer is believed: no new lookup. */
	fake.now_ns += 59ull * 1000000000ull;
	ck_assert_int_eq(lookup4(r, "10.0.0.254", &name), ND_RES_NONE);
	nd_resolver_stats(r, &st);
	ck_assert_uint_eq(st.requested, 1);
	ck_assert_uint_eq(st.unnamed, 1);

	/* Past it, the address is asked again. */
	fake.now_ns += 2ull * 1000000000ull;
	ck_assert_int_eq(lookup4(r, "10.0.0.254", &name), ND_RES_PENDING);
	ck_assert_int_eq(nd_resolver_wait_answers(r, 2, WAIT_NS), 0);
	ck_assert_int_eq(lookup4(r, "10.0.0.254", &name), ND_RES_NONE);
	nd_resolver_stats(r, &st);
	ck_assert_uint_eq(st.requested, 2);
	ck_assert_uint_eq(st.expired, 1);
	ck_assert_uint_eq(st.unnamed, 2);
	nd_resolver_free(r);
}
END_TEST

START_TEST(test_queue_full_drops)
{
	struct nd_resolver *r;
	struct nd_resolver_stats st;
	const char *name;

	fake_reset(1);
	r = resolver_make(1, 16, 2);
	/* The only worker takes the first request and hangs in it. */
	ck_assert_int_eq(lookup4(r, "10.0.0.1", &name), ND_RES_PENDING);
	ck_assert_int_eq(fake_wait(&fake.entered, 1), 0);
	/* Two more fill the queue; the next ones are dropped, not waited
	 * for, and not remembered (a later packet asks again). */
	ck_assert_int_eq(lookup4(r, "10.0.0.2", &name), ND_RES_PENDING);
	ck_assert_int_eq(lookup4(r, "10.0.0.3", &name), ND_RES_PENDING);
	ck_assert_int_eq(lookup4(r, "10.0.0.4", &name), ND_RES_PENDING);
	ck_assert_int_eq(lookup4(r, "10.0.0.4", &name), ND_RES_PENDING);
	ck_assert_int_eq(lookup4(r, "10.0.0.2", &name), ND_RES_PENDING);
	nd_resolver_stats(r, &st);
	ck_assert_uint_eq(st.requested, 3);
	ck_assert_uint_eq(st.dropped, 2);
	ck_assert_uint_eq(st.queued, 2);
	ck_assert_uint_eq(st.cached, 3);

	fake_open_gate();
	ck_assert_int_eq(nd_resolver_wait_answers(r, 3, WAIT_NS), 0);
	ck_assert_int_eq(lookup4(r, "10.0.0.3", &name), ND_RES_NAME);
	ck_assert_str_eq(name, "host-10-0-0-3");
	/* The dropped one is asked for again now that there is room. */
	ck_assert_int_eq(lookup4(r, "10.0.0.4", &name), ND_RES_PENDING);
	ck_assert_int_eq(nd_resolver_wait_answers(r, 4, WAIT_NS), 0);
	ck_assert_int_eq(lookup4(r, "10.0.0.4", &name), ND_RES_NAME);
	ck_assert_str_eq(name, "host-10-0-0-4");
	nd_resolver_stats(r, &st);
	ck_assert_uint_eq(st.requested, 4);
	ck_assert_uint_eq(st.dropped, 2);
	nd_resolver_free(r);
}
END_TEST

START_TEST(test_cache_bounded_lru)
{
	static const char *const ips[] = {
		"10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4", "10.0.1.5",
	};
	struct nd_resolver *r;
	struct nd_resolver_stats st;
	const char *name;
	unsigned i;

	fake_reset(0);
	r = resolver_make(2, 4, 8);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(lookup4(r, ips[i], &name), ND_RES_PENDING);
	ck_assert_int_eq(nd_resolver_wait_answers(r, 4, WAIT_NS), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(lookup4(r, ips[i], &name), ND_RES_NAME);
	/* .1 used again: .2 is now the least recently used. */
	ck_assert_int_eq(lookup4(r, ips[0], &name), ND_RES_NAME);
	ck_assert_int_eq(lookup4(r, ips[4], &name), ND_RES_PENDING);
	nd_resolver_stats(r, &st);
	ck_assert_uint_eq(st.cached, 4);
	ck_assert_uint_eq(st.evicted, 1);
	ck_assert_int_eq(lookup4(r, ips[0], &name), ND_RES_NAME);
	ck_assert_str_eq(name, "host-10-0-1-1");
	ck_assert_int_eq(nd_resolver_wait_answers(r, 5, WAIT_NS), 0);
	ck_assert_int_eq(lookup4(r, ips[4], &name), ND_RES_NAME);
	/* .2 was pushed out: looked up afresh, pushing out .3 now. */
	ck_assert_int_eq(lookup4(r, ips[1], &name), ND_RES_PENDING);
	nd_resolver_stats(r, &st);
	ck_assert_uint_eq(st.cached, 4);
	ck_assert_uint_eq(st.evicted, 2);
	ck_assert_uint_eq(st.requested, 6);
	ck_assert_int_eq(lookup4(r, ips[3], &name), ND_RES_NAME);
	ck_assert_int_eq(nd_resolver_wait_answers(r, 6, WAIT_NS), 0);
	nd_resolver_free(r);
}
END_TEST

START_TEST(test_shutdown_with_stuck_lookup)
{
	struct nd_resolver *r;
	struct timespec t0, t1;
	const char *name;
	double secs;

	fake_reset(1);
	r = resolver_make(2, 16, 8);
	ck_assert_int_eq(lookup4(r, "10.0.2.1", &name), ND_RES_PENDING);
	ck_assert_int_eq(lookup4(r, "10.0.2.2", &name), ND_RES_PENDING);
	ck_assert_int_eq(lookup4(r, "10.0.2.3", &name), ND_RES_PENDING);
	ck_assert_int_eq(fake_wait(&fake.entered, 2), 0);

	/* Both workers hang in a lookup: free waits its 50 ms, detaches
	 * them and returns. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nd_resolver_free(r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ck_assert_msg(secs >= 0.045 && secs < 2.0,
		      "free took %.3f s with stuck lookups", secs);

	/* The detached workers finish their lookups and leave on their own
	 * (the queued third request was discarded at shutdown). */
	fake_open_gate();
	ck_assert_int_eq(fake_wait(&fake.returned, 2), 0);
	ck_assert_uint_eq(fake.entered, 2);
}
END_TEST

START_TEST(test_shutdown_idle_joins)
{
	struct nd_resolver_config cfg = {
		.threads = 2,
		.shutdown_wait_ns = 60ull * 1000000000ull,
		.resolve = fake_resolve,
	};
	struct nd_resolver *r = NULL;
	struct timespec t0, t1;
	double secs;

	fake_reset(0);
	ck_assert_int_eq(nd_resolver_new(&cfg, &r), 0);
	ck_assert_int_eq(nd_resolver_start(r), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	nd_resolver_free(r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* Idle workers leave at once and are joined: free does not sit out
	 * its 60 s bound. */
	ck_assert_msg(secs < 10.0, "free took %.3f s with idle workers",
		      secs);
}
END_TEST

START_TEST(test_services_match_getservbyport)
{
	struct nd_services *svc = NULL;
	unsigned port, named = 0;
	int udp;

	ck_assert_int_eq(nd_services_load(&svc), 0);
	setservent(1);
	for (udp = 0; udp <= 1; udp++) {
		for (port = 0; port <= 65535; port++) {
			struct servent *se = getservbyport(
				htons((uint16_t)port), udp ? "udp" : "tcp");
			const char *ours = nd_services_find(svc,
							    (uint16_t)port,
							    udp);

			if (!se) {
				ck_assert_msg(ours == NULL,
					      "%u/%s: %s, libc has none",
					      port, udp ? "udp" : "tcp", ours);
				continue;
			}
			ck_assert_msg(ours && strcmp(ours, se->s_name) == 0,
				      "%u/%s: %s, libc says %s", port,
				      udp ? "udp" : "tcp",
				      ours ? ours : "(none)", se->s_name);
			named++;
		}
	}
	endservent();
	/* The database is not empty here (netbase is installed). */
	ck_assert_uint_gt(named, 100);
	nd_services_free(svc);
}
END_TEST

static Suite *resolver_suite(void)
{
	Suite *s = suite_create("resolver");
	TCase *tc = tcase_create("async");
	TCase *svc = tcase_create("services");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_numeric_first_then_name);
	tcase_add_test(tc, test_negative_ttl);
	tcase_add_test(tc, test_queue_full_drops);
	tcase_add_test(tc, test_cache_bounded_lru);
	tcase_add_test(tc, test_shutdown_with_stuck_lookup);
	tcase_add_test(tc, test_shutdown_idle_joins);
	suite_add_tcase(s, tc);
	tcase_set_timeout(svc, 120);
	tcase_add_test(svc, test_services_match_getservbyport);
	suite_add_tcase(s, svc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(resolver_suite());
	int failed;

	/* In-process: the fake is shared with detached workers. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
