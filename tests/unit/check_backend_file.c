/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the "file" backend through a fake host: replay of the
 * samples (checked against libpcap), error texts, damage, -c style stops
 * and standard input as a pipe. */
#include "config.h"

#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ptcpdump/plugin.h>

#include "tests/unit/fake_host.h"

extern const struct ptd_backend_plugin ptcpdump_plugin;
#define PLUGIN (&ptcpdump_plugin)

/* ------------------------------------------------------------ helpers */

struct seen {
	unsigned packets;
	uint64_t bytes;          /* sum of caplen */
	uint64_t wire;           /* sum of len */
	uint64_t hash;           /* over ts, lengths and bytes, in order */
	unsigned stop_after;     /* return PTD_EMIT_STOP at this packet (0: never) */
	unsigned per_iface[4];
	int tsprec[4];
	int linktype[4];
	unsigned directions[3];
	char first_comment[64];
	int bad;                 /* a record broke the contract */
};

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 1099511628211ull;
	return h;
}

static int on_emit(void *arg, const struct ptd_packet *pkt)
{
	struct seen *s = arg;

	if (pkt->size != sizeof(*pkt) || !pkt->iface || !pkt->data ||
	    (pkt->flags & PTD_PKT_FILTERED) || pkt->iface->id >= 4 ||
	    pkt->caplen > pkt->iface->snaplen)
		s->bad = 1;
	s->packets++;
	s->bytes += pkt->caplen;
	s->wire += pkt->len;
	s->hash = mix(s->hash, &pkt->ts_ns, sizeof(pkt->ts_ns));
	s->hash = mix(s->hash, &pkt->caplen, sizeof(pkt->caplen));
	s->hash = mix(s->hash, &pkt->len, sizeof(pkt->len));
	s->hash = mix(s->hash, pkt->data, pkt->caplen);
	if (pkt->iface && pkt->iface->id < 4) {
		s->per_iface[pkt->iface->id]++;
		s->tsprec[pkt->iface->id] = pkt->iface->tsprec;
		s->linktype[pkt->iface->id] = pkt->iface->linktype;
	}
	if (pkt->direction <= PTD_DIR_OUT)
		s->directions[pkt->direction]++;
	if (pkt->comment && !s->first_comment[0])
		snprintf(s->first_comment, sizeof(s->first_comment), "%s",
			 pkt->comment);
	if (s->stop_after && s->packets == s->stop_after)
		return PTD_EMIT_STOP;
	return PTD_EMIT_CONTINUE;
}

static const char *sample(const char *name)
{
	static char path[4200];
	const char *top = getenv("top_srcdir");

	if (top && *top)
		snprintf(path, sizeof(path), "%s/tests/data/%s", top, name);
	else
		snprintf(path, sizeof(path), "%s/%s", PTD_TEST_DATA_DIR, name);
	return path;
}

/* What libpcap sees in the same file. */
static void libpcap_view(const char *path, struct seen *s)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;

	memset(s, 0, sizeof(*s));
	pc = pcap_open_offline_with_tstamp_precision(path,
						     PCAP_TSTAMP_PRECISION_NANO,
						     errbuf);
	ck_assert_msg(pc != NULL, "%s", errbuf);
	while (pcap_next_ex(pc, &h, &data) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u +
			      (uint64_t)h->ts.tv_usec;
		uint32_t caplen = h->caplen, len = h->len;

		s->packets++;
		s->bytes += caplen;
		s->wire += len;
		s->hash = mix(s->hash, &ts, sizeof(ts));
		s->hash = mix(s->hash, &caplen, sizeof(caplen));
		s->hash = mix(s->hash, &len, sizeof(len));
		s->hash = mix(s->hash, data, caplen);
	}
	pcap_close(pc);
}

/* As the core by default: warnings and errors only. */
static int quiet_log_enabled(const struct ptd_host *h, enum ptd_log_level level)
{
	return level <= PTD_LOG_WARN;
}

struct rig {
	struct fake_host fh;
	struct seen seen;
	void *state;
	char err[PTD_ERRBUF_SIZE];
};

static int rig_start(struct rig *rig, const char *path)
{
	int r;

	memset(rig, 0, sizeof(*rig));
	fake_host_init(&rig->fh, "backend", "file");
	rig->fh.host.log_enabled = quiet_log_enabled;
	rig->fh.opts.read_file = path;
	rig->fh.on_emit = on_emit;
	rig->fh.emit_arg = &rig->seen;
	r = PLUGIN->common.init(&rig->fh.host, NULL, &rig->state, rig->err);
	ck_assert_int_eq(r, 0);
	return PLUGIN->common.start(rig->state, rig->err);
}

static void rig_end(struct rig *rig)
{
	PLUGIN->common.stop(rig->state);
	PLUGIN->common.fini(rig->state);
}

static unsigned log_lines(const struct fake_host *fh)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < fh->log_len; i++)
		n += fh->log[i] == '\n';
	return n;
}

static char *write_temp(const void *data, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/check_backend_file.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ------------------------------------------------------------ tests */

START_TEST(test_descriptor)
{
	const struct ptd_backend_plugin *p = PLUGIN;

	ck_assert_uint_eq(p->common.hdr.abi, PTD_ABI_VERSION);
	ck_assert_uint_eq(p->common.hdr.kind, PTD_KIND_BACKEND);
	ck_assert_uint_eq(p->common.hdr.size, sizeof(struct ptd_backend_plugin));
	ck_assert_str_eq(p->common.name, "file");
	ck_assert_uint_eq(p->caps, PTD_BACKEND_FILE);
	ck_assert_ptr_nonnull(p->describe);
	ck_assert_ptr_null(p->stats);
	ck_assert_ptr_null(p->set_filter);
	ck_assert_ptr_null(p->common.options);
	p->common.stop(NULL);
	p->common.fini(NULL);
}
END_TEST

/* The module as built: loadable on its own, one exported symbol. */
START_TEST(test_built_module)
{
	const char *top = getenv("top_builddir");
	const struct ptd_backend_plugin *p;
	char path[4200];
	void *h;

	snprintf(path, sizeof(path), "%s/.libs/backend-file.so",
		 top && *top ? top : PTD_TEST_BUILD_DIR);
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(h != NULL, "%s", dlerror());
	p = dlsym(h, PTD_PLUGIN_SYMBOL);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->common.name, "file");
	ck_assert_uint_eq(p->common.hdr.kind, PTD_KIND_BACKEND);
	ck_assert_uint_eq(p->caps, PTD_BACKEND_FILE);
	ck_assert_ptr_null(dlsym(h, "ptd_sf_new"));
	ck_assert_ptr_null(dlsym(h, "sfi_read_block"));
	dlclose(h);
}
END_TEST

static const char *const samples[] = {
	"lo-tcp-udp-icmp.pcap", "lo-tcp-udp-icmp.pcapng", "lo-nano.pcap",
	"lo-snap96.pcap", "any-sll.pcap", "any-sll2.pcap", "any-dumpcap.pcapng",
	"annotated.pcapng", "be.pcap", "be.pcapng",
};

START_TEST(test_replay_matches_libpcap)
{
	const char *path = sample(samples[_i]);
	char errbuf[PCAP_ERRBUF_SIZE];
	struct ptd_source_info info;
	struct seen want;
	struct rig rig;
	pcap_t *pc;

	ck_assert_msg(rig_start(&rig, path) == 0, "%s", rig.err);
	ck_assert_int_eq(PLUGIN->describe(rig.state, &info), 0);
	pc = pcap_open_offline(path, errbuf);
	ck_assert_ptr_nonnull(pc);
	ck_assert_str_eq(info.name, path);
	ck_assert_int_eq(info.linktype, pcap_datalink(pc));
	ck_assert_uint_eq(info.snaplen, (uint32_t)pcap_snapshot(pc));
	pcap_close(pc);

	ck_assert_uint_eq(rig.seen.packets, 0); /* nothing before the loop */
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_int_eq(rig.fh.finished, 1);
	ck_assert_msg(rig.fh.finished_status == 0, "%s", rig.fh.log);
	ck_assert_int_eq(rig.seen.bad, 0);
	libpcap_view(path, &want);
	ck_assert_uint_eq(rig.seen.packets, want.packets);
	ck_assert_uint_eq(rig.seen.bytes, want.bytes);
	ck_assert_uint_eq(rig.seen.wire, want.wire);
	ck_assert_uint_eq(rig.seen.hash, want.hash);
	ck_assert_uint_eq(rig.fh.emitted, want.packets);
	rig_end(&rig);
}
END_TEST

START_TEST(test_interfaces_and_metadata)
{
	struct ptd_source_info info;
	struct rig rig;

	ck_assert_int_eq(rig_start(&rig, sample("multi-if.pcapng")), 0);
	ck_assert_int_eq(PLUGIN->describe(rig.state, &info), 0);
	ck_assert_int_eq(info.linktype, DLT_EN10MB);
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_int_eq(rig.fh.finished_status, 0);
	ck_assert_uint_eq(rig.seen.per_iface[0], 64);
	ck_assert_uint_eq(rig.seen.per_iface[1], 64);
	ck_assert_int_eq(rig.seen.linktype[0], DLT_EN10MB);
	ck_assert_int_eq(rig.seen.linktype[1], DLT_LINUX_SLL2);
	ck_assert_int_eq(rig.seen.tsprec[0], PTD_TSPREC_NANO);
	ck_assert_int_eq(rig.seen.tsprec[1], PTD_TSPREC_MICRO);
	ck_assert_uint_eq(rig.seen.directions[PTD_DIR_UNKNOWN], 128);
	rig_end(&rig);

	ck_assert_int_eq(rig_start(&rig, sample("be.pcapng")), 0);
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_str_eq(rig.seen.first_comment, "packet 1 of the sample");
	ck_assert_uint_eq(rig.seen.directions[PTD_DIR_IN], rig.seen.packets);
	rig_end(&rig);

	/* several sections: one interface (and id) per IDB */
	ck_assert_int_eq(rig_start(&rig, sample("multi-section.pcapng")), 0);
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_int_eq(rig.fh.finished_status, 0);
	ck_assert_uint_eq(rig.seen.per_iface[0], 64);
	ck_assert_uint_eq(rig.seen.per_iface[1], 64);
	ck_assert_int_eq(rig.seen.linktype[1], DLT_LINUX_SLL);
	rig_end(&rig);
}
END_TEST

START_TEST(test_missing_file)
{
	struct ptd_source_info info;
	struct rig rig;

	ck_assert_int_eq(rig_start(&rig, "/nonexistent/x.pcap"), -ENOENT);
	ck_assert_str_eq(rig.err, "/nonexistent/x.pcap: No such file or directory");
	ck_assert_int_eq(PLUGIN->describe(rig.state, &info), -ENODATA);
	ck_assert_int_eq(rig.fh.finished, 0);
	rig_end(&rig);
}
END_TEST

START_TEST(test_unknown_format)
{
	static const char text[] = "this is not a capture file\n";
	char *path = write_temp(text, sizeof(text) - 1);
	char want[PTD_ERRBUF_SIZE];
	struct rig rig;

	ck_assert_int_eq(rig_start(&rig, path), -EINVAL);
	snprintf(want, sizeof(want), "%s: unknown file format", path);
	ck_assert_str_eq(rig.err, want);
	rig_end(&rig);
	unlink(path);

	path = write_temp("", 0);
	ck_assert_int_eq(rig_start(&rig, path), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s: truncated dump file; tried to read 4 file header bytes, only got 0",
		 path);
	ck_assert_str_eq(rig.err, want);
	rig_end(&rig);
	unlink(path);
}
END_TEST

START_TEST(test_init_without_file)
{
	struct fake_host fh;
	void *state = NULL;
	char err[PTD_ERRBUF_SIZE];

	fake_host_init(&fh, "backend", "file");
	ck_assert_int_eq(PLUGIN->common.init(&fh.host, NULL, &state, err),
			 -EINVAL);
	ck_assert_str_eq(err, "no file to read (-r FILE)");
}
END_TEST

/* A file cut inside its 8th record: 7 packets, then one error line. */
START_TEST(test_truncated_file)
{
	static const char *const names[] = { "lo-tcp-udp-icmp.pcap",
					     "lo-tcp-udp-icmp.pcapng" };
	char errbuf[PCAP_ERRBUF_SIZE], want[512];
	const char *src = sample(names[_i]);
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t len, cut;
	uint8_t *buf;
	struct rig rig;
	pcap_t *pc;
	char *path;
	int i;

	/* where the 8th record starts, from libpcap's file position */
	pc = pcap_open_offline(src, errbuf);
	ck_assert_ptr_nonnull(pc);
	for (i = 0; i < 7; i++)
		ck_assert_int_eq(pcap_next_ex(pc, &h, &data), 1);
	cut = (size_t)ftell(pcap_file(pc));
	pcap_close(pc);

	buf = slurp(src, &len);
	path = write_temp(buf, cut + 30);
	free(buf);
	ck_assert_int_eq(rig_start(&rig, path), 0);
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_uint_eq(rig.seen.packets, 7);
	ck_assert_int_eq(rig.fh.finished, 1);
	ck_assert_int_eq(rig.fh.finished_status, -EINVAL);
	ck_assert_uint_eq(log_lines(&rig.fh), 1);
	if (_i == 0)
		snprintf(want, sizeof(want),
			 "%s: truncated packet record at offset %zu: header says",
			 path, cut);
	else
		snprintf(want, sizeof(want),
			 "%s: truncated Enhanced Packet Block at offset %zu: header says",
			 path, cut);
	ck_assert_msg(strncmp(rig.fh.log, want, strlen(want)) == 0,
		      "'%s' does not start with '%s'", rig.fh.log, want);
	ck_assert_msg(strstr(rig.fh.log, "file ends after"), "%s", rig.fh.log);
	rig_end(&rig);
	unlink(path);
}
END_TEST

/* Corrupt, not short: a record claiming 1 GiB after the 3rd packet. */
START_TEST(test_corrupt_file)
{
	size_t len, off = 24;
	uint8_t *buf = slurp(sample("lo-tcp-udp-icmp.pcap"), &len);
	char want[512];
	struct rig rig;
	char *path;
	int i;

	for (i = 0; i < 3; i++) {
		uint32_t cap;

		memcpy(&cap, buf + off + 8, 4);
		off += 16 + cap;
	}
	memcpy(buf + off + 8, &(uint32_t){ 1u << 30 }, 4);
	path = write_temp(buf, len);
	free(buf);
	ck_assert_int_eq(rig_start(&rig, path), 0);
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_uint_eq(rig.seen.packets, 3);
	ck_assert_int_eq(rig.fh.finished_status, -EINVAL);
	ck_assert_uint_eq(log_lines(&rig.fh), 1);
	snprintf(want, sizeof(want),
		 "%s: corrupt packet record at offset %zu: captured length 1073741824 is larger than 268435456\n",
		 path, off);
	ck_assert_str_eq(rig.fh.log, want);
	rig_end(&rig);
	unlink(path);
}
END_TEST

START_TEST(test_emit_stop)
{
	struct rig rig;

	ck_assert_int_eq(rig_start(&rig, sample("lo-tcp-udp-icmp.pcap")), 0);
	rig.seen.stop_after = 5;
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_uint_eq(rig.seen.packets, 5);
	ck_assert_int_eq(rig.fh.n_deferred, 0);
	/* the core ends the run itself: no finished() after a stop */
	ck_assert_int_eq(rig.fh.finished, 0);
	rig_end(&rig);
}
END_TEST

/* A big file is replayed in slices of 256 packets, one per deferred call. */
START_TEST(test_slices)
{
	size_t len, i, body, total;
	uint8_t *src = slurp(sample("lo-tcp-udp-icmp.pcap"), &len), *buf;
	struct rig rig;
	char *path;

	/* the same 64 records, 10 times over: 640 packets */
	body = len - 24;
	total = 24 + 10 * body;
	buf = malloc(total);
	ck_assert_ptr_nonnull(buf);
	memcpy(buf, src, 24);
	for (i = 0; i < 10; i++)
		memcpy(buf + 24 + i * body, src + 24, body);
	path = write_temp(buf, total);
	free(buf);
	free(src);

	ck_assert_int_eq(rig_start(&rig, path), 0);
	ck_assert_int_eq(fake_host_run_deferred(&rig.fh, 1), 1);
	ck_assert_uint_eq(rig.seen.packets, 256);
	ck_assert_int_eq(rig.fh.n_deferred, 1);
	ck_assert_int_eq(fake_host_run_deferred(&rig.fh, 1), 1);
	ck_assert_uint_eq(rig.seen.packets, 512);
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_uint_eq(rig.seen.packets, 640);
	ck_assert_int_eq(rig.fh.finished_status, 0);
	rig_end(&rig);
	unlink(path);
}
END_TEST

/* "-r -" with a pipe on standard input, fed in two parts. */
static ptd_fd_cb watched_cb;
static void *watched_arg;
static int watched_fd = -1;

static int fake_watch(const struct ptd_host *h, int fd, uint32_t events,
		      ptd_fd_cb cb, void *arg)
{
	ck_assert_uint_eq(events, PTD_EV_IN);
	watched_cb = cb;
	watched_arg = arg;
	watched_fd = fd;
	return 0;
}

static int fake_unwatch(const struct ptd_host *h, int fd)
{
	ck_assert_int_eq(fd, watched_fd);
	watched_fd = -1;
	return 0;
}

START_TEST(test_stdin_pipe)
{
	size_t len, half;
	uint8_t *buf = slurp(sample("any-dumpcap.pcapng"), &len);
	struct seen want;
	struct rig rig;
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	half = len / 2;
	ck_assert_int_eq(write(fds[1], buf, half), (ssize_t)half);

	memset(&rig, 0, sizeof(rig));
	fake_host_init(&rig.fh, "backend", "file");
	rig.fh.host.watch_fd = fake_watch;
	rig.fh.host.unwatch_fd = fake_unwatch;
	rig.fh.opts.read_file = "-";
	rig.fh.on_emit = on_emit;
	rig.fh.emit_arg = &rig.seen;
	ck_assert_int_eq(PLUGIN->common.init(&rig.fh.host, NULL, &rig.state,
					     rig.err), 0);
	ck_assert_msg(PLUGIN->common.start(rig.state, rig.err) == 0, "%s", rig.err);
	ck_assert_int_eq(watched_fd, STDIN_FILENO);
	ck_assert(fcntl(STDIN_FILENO, F_GETFL) & O_NONBLOCK);

	/* what arrived with the header is parsed without an fd event */
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_uint_gt(rig.seen.packets, 0);
	ck_assert_uint_lt(rig.seen.packets, 64);
	ck_assert_int_eq(rig.fh.finished, 0);

	ck_assert_int_eq(write(fds[1], buf + half, len - half),
			 (ssize_t)(len - half));
	watched_cb(watched_arg, STDIN_FILENO, PTD_EV_IN);
	ck_assert_int_eq(rig.fh.finished, 0); /* the writer may send more */
	close(fds[1]);
	watched_cb(watched_arg, STDIN_FILENO, PTD_EV_IN | PTD_EV_HUP);
	fake_host_run_deferred(&rig.fh, 1000);
	ck_assert_int_eq(rig.fh.finished, 1);
	ck_assert_int_eq(rig.fh.finished_status, 0);
	ck_assert_int_eq(watched_fd, -1);
	libpcap_view(sample("any-dumpcap.pcapng"), &want);
	ck_assert_uint_eq(rig.seen.packets, want.packets);
	ck_assert_uint_eq(rig.seen.hash, want.hash);
	rig_end(&rig);
	/* standard input gets its blocking mode back, and stays open */
	ck_assert(!(fcntl(STDIN_FILENO, F_GETFL) & O_NONBLOCK));
	free(buf);
}
END_TEST

static void noop_handler(int signo)
{
}

/* Waiting on an idle pipe for the header: ^C still ends it, even with the
 * core's signals blocked for its signalfd. */
START_TEST(test_stdin_interrupted)
{
	struct sigaction sa = { .sa_handler = noop_handler };
	sigset_t set;
	struct rig rig;
	pid_t child;
	int fds[2];

	sigaction(SIGINT, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		usleep(200 * 1000);
		kill(getppid(), SIGINT);
		_exit(0);
	}
	ck_assert_int_eq(rig_start(&rig, "-"), -EINTR);
	ck_assert_str_eq(rig.err,
			 "standard input: interrupted while waiting for the file header");
	waitpid(child, NULL, 0);
	rig_end(&rig);
	close(fds[1]);
}
END_TEST

static Suite *backend_file_suite(void)
{
	Suite *s = suite_create("backend-file");
	TCase *tc = tcase_create("replay");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_descriptor);
	tcase_add_test(tc, test_built_module);
	tcase_add_loop_test(tc, test_replay_matches_libpcap, 0,
			    (int)(sizeof(samples) / sizeof(samples[0])));
	tcase_add_test(tc, test_interfaces_and_metadata);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_unknown_format);
	tcase_add_test(tc, test_init_without_file);
	tcase_add_loop_test(tc, test_truncated_file, 0, 2);
	tcase_add_test(tc, test_corrupt_file);
	tcase_add_test(tc, test_emit_stop);
	tcase_add_test(tc, test_slices);
	tcase_add_test(tc, test_stdin_pipe);
	tcase_add_test(tc, test_stdin_interrupted);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(backend_file_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
