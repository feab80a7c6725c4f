/* Unit tests for the "pcapng" printer: the savefiles it writes are read back
 * with libpcap and, for pcapng, walked block by block; rotation is checked
 * against the names and counts tcpdump 4.99 produces. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fake_host.h"
#include "writer.h"

extern const struct ptd_printer_plugin ptcpdump_plugin;

static const struct ptd_iface if_eth0 = {
	.id = 1, .linktype = DLT_EN10MB, .snaplen = 262144, .ifindex = 2,
	.name = "eth0", .description = "first ethernet",
};
static const struct ptd_iface if_eth1 = {
	.id = 7, .linktype = DLT_EN10MB, .snaplen = 262144, .ifindex = 3,
	.name = "eth1",
};
static const struct ptd_iface if_tun0 = {
	.id = 2, .linktype = DLT_RAW, .snaplen = 262144, .ifindex = 4,
	.name = "tun0", .description = "a tunnel",
};

#define MAXPKT 64
static uint8_t pkt_bytes[MAXPKT][2048];

/* A deterministic packet: sizes that are not multiples of 4, some cut by
 * the snapshot length, time stamps with every nanosecond digit in use. */
static void make_pkt(struct ptd_packet *p, int i, const struct ptd_iface *ifc,
		     uint32_t caplen)
{
	uint32_t k;

	memset(p, 0, sizeof(*p));
	for (k = 0; k < caplen; k++)
		pkt_bytes[i][k] = (uint8_t)(i * 31 + k);
	p->size = sizeof(*p);
	p->ts_ns = 1700000000ull * 1000000000ull + (uint64_t)i * 123456789ull + 7;
	p->caplen = caplen;
	p->len = caplen + (i % 3 == 0 ? 100 : 0);
	p->data = pkt_bytes[i];
	p->iface = ifc;
	p->direction = (enum ptd_direction)(i % 3);
}

struct run {
	struct fake_host fh;
	void *st;
	char err[PTD_ERRBUF_SIZE];
	char dir[64];
	char path[PATH_MAX];
};

/* Scratch directories of the running test, removed by the teardown. */
static char scratch[8][64];
static int n_scratch;

static void remove_scratch(void)
{
	char path[PATH_MAX];
	struct dirent *e;
	DIR *d;

	while (n_scratch > 0) {
		const char *dir = scratch[--n_scratch];

		d = opendir(dir);
		while (d && (e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
		if (d)
			closedir(d);
		rmdir(dir);
	}
}

static void run_setup(struct run *r, const char *file)
{
	fake_host_init(&r->fh, "printer", "pcapng");
	strcpy(r->dir, "/tmp/check_writer.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(r->dir));
	ck_assert_int_lt(n_scratch, 8);
	strcpy(scratch[n_scratch++], r->dir);
	if (file[0] == '/' || strcmp(file, "-") == 0)
		snprintf(r->path, sizeof(r->path), "%s", file);
	else
		snprintf(r->path, sizeof(r->path), "%s/%s", r->dir, file);
	r->fh.opts.write_file = r->path;
}

static void run_start(struct run *r)
{
	const struct ptd_plugin_common *c = &ptcpdump_plugin.common;

	ck_assert_int_eq(c->init(&r->fh.host, NULL, &r->st, r->err), 0);
	ck_assert_msg(c->start(r->st, r->err) == 0, "start: %s", r->err);
}

static int run_print(struct run *r, const struct ptd_packet *p,
		     const struct ptd_meta *m)
{
	return ptcpdump_plugin.print(r->st, p, m);
}

static void run_end(struct run *r)
{
	ck_assert_int_eq(ptcpdump_plugin.flush(r->st), 0);
	ptcpdump_plugin.common.stop(r->st);
	ptcpdump_plugin.common.fini(r->st);
	r->st = NULL;
}

static int count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static long file_size(const char *path)
{
	struct stat st;

	ck_assert_msg(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
	return (long)st.st_size;
}

/* Reads path with libpcap and compares every record with pkts[]. */
static void expect_pcap(const char *path, int nano, const struct ptd_packet *pkts,
			int n)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *pc;
	int i = 0, r;

	pc = pcap_open_offline_with_tstamp_precision(path,
		nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	ck_assert_msg(pc != NULL, "%s: %s", path, errbuf);
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		uint64_t frac = pkts[i].ts_ns % 1000000000ull;

		ck_assert_int_lt(i, n);
		ck_assert_uint_eq((uint64_t)h->ts.tv_sec, pkts[i].ts_ns / 1000000000ull);
		ck_assert_uint_eq((uint64_t)h->ts.tv_usec, nano ? frac : frac / 1000);
		ck_assert_uint_eq(h->caplen, pkts[i].caplen);
		ck_assert_uint_eq(h->len, pkts[i].len);
		ck_assert_mem_eq(data, pkts[i].data, h->caplen);
		i++;
	}
	ck_assert_msg(r == PCAP_ERROR_BREAK, "%s: %s", path, pcap_geterr(pc));
	ck_assert_int_eq(i, n);
	pcap_close(pc);
}

static uint32_t read_u32_at(const char *path, long off)
{
	uint32_t v = 0;
	FILE *f = fopen(path, "rb");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, off, SEEK_SET), 0);
	ck_assert_int_eq(fread(&v, sizeof(v), 1, f), 1);
	fclose(f);
	return v;
}

/* ------------------------------------------------------------------ */
/* pcapng walker: checks the framing of every block and collects facts. */

struct ng_summary {
	int shbs, idbs, epbs;
	uint32_t idb_linktype[8];
	char idb_name[8][32];
	uint8_t idb_tsresol[8];
	uint32_t epb_iface[MAXPKT];
	uint32_t epb_flags[MAXPKT];
	uint64_t epb_ts[MAXPKT];
	char epb_comment[MAXPKT][512];
	int epb_ncomments[MAXPKT];
	char userappl[64];
};

static uint32_t u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* Walks options in [p, end): each padded to 4, the last opt_endofopt. */
static void walk_opts(const uint8_t *p, const uint8_t *end, uint32_t type,
		      struct ng_summary *s)
{
	int ended = 0;

	while (p < end) {
		uint16_t code = u16(p), len = u16(p + 2);
		size_t padded = (len + 3u) & ~3u;

		ck_assert_msg(!ended, "option after opt_endofopt");
		ck_assert_msg(p + 4 + padded <= end, "option overruns its block");
		for (size_t k = len; k < padded; k++)
			ck_assert_msg(p[4 + k] == 0, "option padding not zero");
		if (code == 0) {
			ck_assert_uint_eq(len, 0);
			ended = 1;
		} else if (type == 0x0a0d0d0a && code == 4) {
			snprintf(s->userappl, sizeof(s->userappl), "%.*s", len, p + 4);
		} else if (type == 1 && code == 2) {
			snprintf(s->idb_name[s->idbs], 32, "%.*s", len, p + 4);
		} else if (type == 1 && code == 9) {
			ck_assert_uint_eq(len, 1);
			s->idb_tsresol[s->idbs] = p[4];
		} else if (type == 6 && code == 2) {
			ck_assert_uint_eq(len, 4);
			s->epb_flags[s->epbs] = u32(p + 4);
		} else if (type == 6 && code == 1) {
			char *c = s->epb_comment[s->epbs];

			/* Several comments are joined with '|' for the test. */
			snprintf(c + strlen(c), 512 - strlen(c), "%s%.*s",
				 *c ? "|" : "", len, p + 4);
			s->epb_ncomments[s->epbs]++;
		}
		p += 4 + padded;
	}
	ck_assert_msg(ended || p == end, "options not terminated");
}

static void walk_pcapng(const char *path, struct ng_summary *s)
{
	uint8_t *buf;
	long size = file_size(path);
	FILE *f = fopen(path, "rb");
	long off = 0;

	memset(s, 0, sizeof(*s));
	ck_assert_ptr_nonnull(f);
	buf = malloc((size_t)size + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)size, f), (size_t)size);
	fclose(f);

	while (off < size) {
		const uint8_t *b = buf + off;
		uint32_t type, len;

		ck_assert_msg(off + 12 <= size, "truncated block at %ld", off);
		type = u32(b);
		len = u32(b + 4);
		ck_assert_msg(len % 4 == 0 && len >= 12, "bad block length %u", len);
		ck_assert_msg(off + len <= size, "block overruns the file");
		ck_assert_msg(u32(b + len - 4) == len, "trailer != header length");
		if (off == 0)
			ck_assert_uint_eq(type, 0x0a0d0d0a);
		switch (type) {
		case 0x0a0d0d0a:
			ck_assert_uint_eq(u32(b + 8), 0x1a2b3c4d);
			ck_assert_uint_eq(u16(b + 12), 1);
			ck_assert_uint_eq(u16(b + 14), 0);
			walk_opts(b + 24, b + len - 4, type, s);
			s->shbs++;
			break;
		case 1:
			ck_assert_int_lt(s->idbs, 8);
			s->idb_linktype[s->idbs] = u16(b + 8);
			walk_opts(b + 16, b + len - 4, type, s);
			s->idbs++;
			break;
		case 6: {
			uint32_t caplen = u32(b + 20);
			uint32_t padded = (caplen + 3u) & ~3u;

			ck_assert_int_lt(s->epbs, MAXPKT);
			ck_assert_msg(u32(b + 8) < (uint32_t)s->idbs,
				      "EPB before its IDB");
			s->epb_iface[s->epbs] = u32(b + 8);
			s->epb_ts[s->epbs] = ((uint64_t)u32(b + 12) << 32) | u32(b + 16);
			ck_assert_msg(28 + padded + 4 <= len, "EPB data overruns");
			walk_opts(b + 28 + padded, b + len - 4, type, s);
			s->epbs++;
			break;
		}
		default:
			ck_abort_msg("unexpected block type %#x", type);
		}
		off += len;
	}
	free(buf);
}

/* ------------------------------------------------------------------ */

/* Micro (_i == 0) and nano (_i == 1) pcap: magic, header, every record. */
START_TEST(test_pcap)
{
	struct ptd_packet pkts[12];
	int nano = _i;
	struct run r;
	int i;

	run_setup(&r, "x.pcap");
	r.fh.opts.nano = nano;
	run_start(&r);
	for (i = 0; i < 12; i++) {
		make_pkt(&pkts[i], i, &if_eth0, 14 + (uint32_t)i * 37 % 1500);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	ck_assert_uint_eq(read_u32_at(r.path, 0), nano ? 0xa1b23c4d : 0xa1b2c3d4);
	ck_assert_uint_eq(read_u32_at(r.path, 16), 262144);
	ck_assert_uint_eq(read_u32_at(r.path, 20), 1);
	expect_pcap(r.path, nano, pkts, 12);
}
END_TEST

/* A pcap file holds one link type: the first packet's.  DLT_RAW is stored
 * as LINKTYPE_RAW; packets of other link types are counted, not written. */
START_TEST(test_pcap_linktypes)
{
	struct ptd_packet pkts[6], kept[3];
	struct run r;
	int i, n = 0;

	run_setup(&r, "mixed.pcap");
	run_start(&r);
	for (i = 0; i < 6; i++) {
		make_pkt(&pkts[i], i, i % 2 ? &if_eth0 : &if_tun0, 40 + (uint32_t)i);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
		if (i % 2 == 0)
			kept[n++] = pkts[i];
	}
	run_end(&r);
	ck_assert_uint_eq(read_u32_at(r.path, 20), 101);
	expect_pcap(r.path, 0, kept, n);
	/* One warning naming the interface, one summary at the end. */
	ck_assert_ptr_nonnull(strstr(r.fh.log, "eth0: link type 1 differs"));
	ck_assert_ptr_null(strstr(strstr(r.fh.log, "eth0: link type") + 1,
				  "eth0: link type"));
	ck_assert_ptr_nonnull(strstr(r.fh.log,
		"3 packets from interfaces of another link type not written"));
}
END_TEST

START_TEST(test_pcapng_libpcap)
{
	struct ptd_packet pkts[10];
	struct ng_summary s;
	int nano = _i;
	struct run r;
	int i;

	run_setup(&r, "x.pcapng");
	r.fh.opts.nano = nano;
	run_start(&r);
	for (i = 0; i < 10; i++) {
		make_pkt(&pkts[i], i, i % 3 ? &if_eth0 : &if_eth1, 60 + (uint32_t)i * 13);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	expect_pcap(r.path, nano, pkts, 10);
	walk_pcapng(r.path, &s);
	ck_assert_int_eq(s.shbs, 1);
	ck_assert_int_eq(s.idbs, 2);
	ck_assert_int_eq(s.epbs, 10);
	ck_assert_str_eq(s.idb_name[0], "eth1");
	ck_assert_str_eq(s.idb_name[1], "eth0");
	ck_assert_uint_eq(s.idb_tsresol[0], nano ? 9 : 6);
	for (i = 0; i < 10; i++)
		ck_assert_uint_eq(s.epb_ts[i],
				  nano ? pkts[i].ts_ns : pkts[i].ts_ns / 1000);
}
END_TEST

/* Two link types, comments, directions, process metadata: walk it. */
START_TEST(test_pcapng_structure)
{
	struct ptd_packet pkts[6];
	struct ptd_meta meta;
	struct ng_summary s;
	struct run r;
	int i;

	memset(&meta, 0, sizeof(meta));
	meta.size = sizeof(meta);
	meta.process.pid = 1234;
	meta.process.cmd = "/usr/bin/curl";
	meta.process.args = "curl -s\nhttp://127.0.0.1/";
	meta.process.ppid = 1;
	meta.process.parent_cmd = "/sbin/init";
	meta.process.parent_args = "init";

	run_setup(&r, "s.pcapng");
	run_start(&r);
	for (i = 0; i < 6; i++) {
		make_pkt(&pkts[i], i, i < 3 ? &if_tun0 : &if_eth0, 21 + (uint32_t)i);
		if (i == 1)
			pkts[i].comment = "from the source";
		ck_assert_int_eq(run_print(&r, &pkts[i], i >= 4 ? &meta : NULL), 0);
	}
	run_end(&r);

	walk_pcapng(r.path, &s);
	ck_assert_str_eq(s.userappl, "ptcpdump " PACKAGE_VERSION);
	ck_assert_int_eq(s.idbs, 2);
	ck_assert_uint_eq(s.idb_linktype[0], 101);
	ck_assert_uint_eq(s.idb_linktype[1], 1);
	ck_assert_str_eq(s.idb_name[0], "tun0");
	ck_assert_int_eq(s.epbs, 6);
	for (i = 0; i < 6; i++) {
		ck_assert_uint_eq(s.epb_iface[i], i < 3 ? 0 : 1);
		ck_assert_uint_eq(s.epb_flags[i], (uint32_t)(i % 3));
	}
	ck_assert_str_eq(s.epb_comment[1], "from the source");
	ck_assert_int_eq(s.epb_ncomments[0], 0);
	ck_assert_str_eq(s.epb_comment[4],
		"PID: 1234\nCmd: /usr/bin/curl\nArgs: curl -s http://127.0.0.1/\n"
		"ParentPID: 1\nParentCmd: /sbin/init\nParentArgs: init");
}
END_TEST

START_TEST(test_meta_comment)
{
	struct ptd_meta m;
	char big[256], buf[64];
	size_t n;

	memset(&m, 0, sizeof(m));
	ck_assert_uint_eq(wr_meta_comment(big, sizeof(big), &m, PTD_CTX_ALL), 0);
	m.process.pid = 42;
	m.process.comm = "sh";
	m.process.tid = 43;
	m.process.thread_name = "worker";
	m.container.id = "abc";
	m.container.name = "web";
	/* Thread lines only when asked; the container group stands alone. */
	n = wr_meta_comment(big, sizeof(big), &m, PTD_CTX_PROCESS | PTD_CTX_CONTAINER);
	ck_assert_uint_eq(n, strlen(big));
	ck_assert_str_eq(big, "PID: 42\nCmd: sh\nArgs: \nContainerName: web\n"
			      "ContainerId: abc\nContainerImage: \nContainerLabels: ");
	/* Too long: cut, marked, terminated. */
	m.process.args = "0123456789012345678901234567890123456789012345678901234567890123456789";
	n = wr_meta_comment(buf, sizeof(buf), &m, PTD_CTX_PROCESS);
	ck_assert_uint_eq(n, sizeof(buf) - 1);
	ck_assert_str_eq(buf + n - 3, "...");
}
END_TEST

/* tcpdump: "tcpdump: /nonexistent/dir/f: No such file or directory". */
START_TEST(test_open_error)
{
	const struct ptd_plugin_common *c = &ptcpdump_plugin.common;
	struct run r;

	run_setup(&r, "/nonexistent/dir/f");
	ck_assert_int_eq(c->init(&r.fh.host, NULL, &r.st, r.err), 0);
	ck_assert_int_eq(c->start(r.st, r.err), -ENOENT);
	ck_assert_str_eq(r.err, "/nonexistent/dir/f: No such file or directory");
	c->stop(r.st);
	c->fini(r.st);
}
END_TEST

/* A full disk is reported once, and the run is told to stop. */
START_TEST(test_write_error)
{
	struct ptd_packet p;
	struct run r;
	int i, ret = 0;

	run_setup(&r, "/dev/full");
	run_start(&r);
	make_pkt(&p, 0, &if_eth0, 1500);
	for (i = 0; i < 200 && ret == 0; i++)
		ret = run_print(&r, &p, NULL);
	if (ret == 0)
		ret = ptcpdump_plugin.flush(r.st);
	ck_assert_int_eq(ret, -ENOSPC);
	ck_assert_int_eq(ptcpdump_plugin.flush(r.st), -ENOSPC);
	ck_assert_int_eq(run_print(&r, &p, NULL), -ENOSPC);
	ptcpdump_plugin.common.stop(r.st);
	ptcpdump_plugin.common.fini(r.st);
	/* The fake host keeps every level: look for the error line, once. */
	ck_assert_ptr_nonnull(strstr(r.fh.log, "\n/dev/full: No space left on device\n"));
	ck_assert_ptr_null(strstr(strstr(r.fh.log, "No space") + 1, "No space"));
}
END_TEST

/* -U: after flush() the bytes are in the file, before stop(). */
START_TEST(test_flush)
{
	struct ptd_packet p;
	struct run r;

	run_setup(&r, "u.pcap");
	r.fh.opts.packet_buffered = 1;
	run_start(&r);
	make_pkt(&p, 1, &if_eth0, 100);
	ck_assert_int_eq(run_print(&r, &p, NULL), 0);
	ck_assert_int_eq(ptcpdump_plugin.flush(r.st), 0);
	ck_assert_int_eq(file_size(r.path), 24 + 16 + 100);
	run_end(&r);
}
END_TEST

/* No packets: still a valid, empty savefile. */
START_TEST(test_empty)
{
	struct ng_summary s;
	struct run r, rn;

	run_setup(&r, "e.pcap");
	run_start(&r);
	run_end(&r);
	ck_assert_int_eq(file_size(r.path), 24);
	expect_pcap(r.path, 0, NULL, 0);

	run_setup(&rn, "e.pcapng");
	run_start(&rn);
	run_end(&rn);
	walk_pcapng(rn.path, &s);
	ck_assert_int_eq(s.shbs, 1);
	ck_assert_int_eq(s.idbs, 0);
}
END_TEST

START_TEST(test_stdout)
{
	struct ptd_packet pkts[3];
	char out[PATH_MAX];
	struct run r;
	int fd, saved, i;

	run_setup(&r, "-");
	snprintf(out, sizeof(out), "%s/stdout.pcap", r.dir);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	run_start(&r);
	for (i = 0; i < 3; i++) {
		make_pkt(&pkts[i], i, &if_eth0, 64);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	ck_assert(!file_exists("-"));
	expect_pcap(out, 0, pkts, 3);
}
END_TEST

START_TEST(test_name_helpers)
{
	char buf[128];
	struct tm tm = { .tm_year = 123, .tm_mon = 10, .tm_mday = 14,
			 .tm_hour = 22, .tm_min = 13, .tm_sec = 20, .tm_isdst = -1 };
	time_t t = mktime(&tm);

	ck_assert_int_eq(wr_count_width(0), 0);
	ck_assert_int_eq(wr_count_width(1), 0);
	ck_assert_int_eq(wr_count_width(2), 1);
	ck_assert_int_eq(wr_count_width(10), 1);
	ck_assert_int_eq(wr_count_width(11), 2);
	ck_assert_int_eq(wr_count_width(101), 3);
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "out", 0, t, 0, 0), 0);
	ck_assert_str_eq(buf, "out");
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "out", 0, t, 3, 0), 0);
	ck_assert_str_eq(buf, "out3");
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "out", 0, t, 0, 2), 0);
	ck_assert_str_eq(buf, "out00");
	/* Without -G a '%' is just a character. */
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "o%H", 0, t, 0, 0), 0);
	ck_assert_str_eq(buf, "o%H");
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "g_%Y%m%d_%H%M%S.pcap", 1, t, 1, 1), 0);
	ck_assert_str_eq(buf, "g_20231114_221320.pcap1");
	ck_assert_int_eq(wr_file_name(buf, sizeof(buf), "", 0, t, 0, 0), -EINVAL);
	ck_assert_int_eq(wr_file_name(buf, 4, "longer", 0, t, 0, 0), -ENAMETOOLONG);
}
END_TEST

/*
 * -C: before each packet, if the file is larger than the limit, start the
 * next one.  With 24 + 5 * 216 = 1104 > 1000 bytes after five packets,
 * every file holds five packets.  Names as tcpdump 4.99.3 makes them.
 */
static void rotate_by_size(uint32_t file_count, const char *const *names,
			   const int *counts, int nfiles)
{
	struct ptd_packet pkts[23];
	char path[PATH_MAX];
	struct run r;
	int i, f, first = 0;

	run_setup(&r, "out");
	r.fh.opts.file_size = 1000;
	r.fh.opts.file_count = file_count;
	run_start(&r);
	for (i = 0; i < 23; i++) {
		make_pkt(&pkts[i], i, &if_eth0, 200);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	ck_assert_int_eq(count_files(r.dir), nfiles);
	for (f = 0; f < nfiles; f++) {
		snprintf(path, sizeof(path), "%s/%s", r.dir, names[f]);
		/* counts[] lists which packets each file ends up holding. */
		first = counts[2 * f];
		expect_pcap(path, 0, pkts + first, counts[2 * f + 1]);
	}
}

START_TEST(test_rotate_C)
{
	static const char *const names[] = { "out", "out1", "out2", "out3", "out4" };
	static const int counts[] = { 0, 5, 5, 5, 10, 5, 15, 5, 20, 3 };

	rotate_by_size(0, names, counts, 5);
}
END_TEST

START_TEST(test_rotate_CW)
{
	/* A ring of three: the fourth and fifth files overwrite 0 and 1. */
	static const char *const names3[] = { "out0", "out1", "out2" };
	static const int counts3[] = { 15, 5, 20, 3, 10, 5 };
	static const char *const names11[] = { "out00", "out01", "out02", "out03", "out04" };
	static const int counts11[] = { 0, 5, 5, 5, 10, 5, 15, 5, 20, 3 };
	static const char *const names1[] = { "out" };
	static const int counts1[] = { 20, 3 };

	rotate_by_size(3, names3, counts3, 3);
	rotate_by_size(11, names11, counts11, 5);
	rotate_by_size(1, names1, counts1, 1);
}
END_TEST

/* Each rotated pcapng file is a section of its own: SHB, then IDBs. */
START_TEST(test_rotate_pcapng)
{
	struct ptd_packet pkts[8];
	char path[PATH_MAX];
	struct ng_summary s;
	struct run r;
	int i;

	run_setup(&r, "r.pcapng");
	r.fh.opts.file_size = 300;
	run_start(&r);
	for (i = 0; i < 8; i++) {
		make_pkt(&pkts[i], i, i % 2 ? &if_eth0 : &if_tun0, 100);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	ck_assert_int_ge(count_files(r.dir), 3);
	for (i = 0; i < count_files(r.dir); i++) {
		if (i == 0)
			snprintf(path, sizeof(path), "%s/r.pcapng", r.dir);
		else
			snprintf(path, sizeof(path), "%s/r.pcapng%d", r.dir, i);
		walk_pcapng(path, &s);
		ck_assert_int_eq(s.shbs, 1);
		ck_assert_int_ge(s.epbs, 1);
		ck_assert_int_eq(s.idbs, s.epbs >= 2 ? 2 : 1);
	}
}
END_TEST

static uint64_t fake_now_ns;

static uint64_t fake_clock(const struct ptd_host *h, clockid_t clock)
{
	return fake_now_ns;
}

static void expect_name_at(const struct run *r, const char *tmpl, time_t t,
			   const struct ptd_packet *pkts, int n)
{
	char name[128], path[PATH_MAX];
	struct tm tm;

	localtime_r(&t, &tm);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	strftime(name, sizeof(name), tmpl, &tm);
#pragma GCC diagnostic pop
	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	expect_pcap(path, 0, pkts, n);
}

/* -G follows the wall clock (tcpdump calls time()), not packet stamps. */
START_TEST(test_rotate_G)
{
	const time_t t0 = 1700000000;
	struct ptd_packet pkts[6];
	struct run r;
	int i;

	run_setup(&r, "g_%H%M%S");
	r.fh.host.clock_ns = fake_clock;
	r.fh.opts.rotate_seconds = 2;
	fake_now_ns = (uint64_t)t0 * 1000000000ull;
	run_start(&r);
	/* At t0, t0+1.9 (same file), t0+2 (new), t0+3, t0+7, t0+7.5. */
	static const uint64_t at_ms[] = { 0, 1900, 2000, 3000, 7000, 7500 };
	for (i = 0; i < 6; i++) {
		fake_now_ns = (uint64_t)t0 * 1000000000ull + at_ms[i] * 1000000ull;
		make_pkt(&pkts[i], i, &if_eth0, 80);
		ck_assert_int_eq(run_print(&r, &pkts[i], NULL), 0);
	}
	run_end(&r);
	ck_assert_int_eq(count_files(r.dir), 3);
	expect_name_at(&r, "g_%H%M%S", t0, pkts, 2);
	expect_name_at(&r, "g_%H%M%S", t0 + 2, pkts + 2, 2);
	expect_name_at(&r, "g_%H%M%S", t0 + 7, pkts + 4, 2);
}
END_TEST

/* -G with -W K: after K files the run ends ("Maximum file limit reached"). */
START_TEST(test_rotate_GW)
{
	const time_t t0 = 1700000000;
	struct ptd_packet p[4];
	struct run r;

	run_setup(&r, "w_%H%M%S");
	r.fh.host.clock_ns = fake_clock;
	r.fh.opts.rotate_seconds = 1;
	r.fh.opts.file_count = 2;
	fake_now_ns = (uint64_t)t0 * 1000000000ull;
	run_start(&r);
	make_pkt(&p[0], 0, &if_eth0, 60);
	make_pkt(&p[1], 1, &if_eth0, 60);
	ck_assert_int_eq(run_print(&r, &p[0], NULL), 0);
	fake_now_ns += 1000000000ull;
	ck_assert_int_eq(run_print(&r, &p[1], NULL), 0);
	fake_now_ns += 1000000000ull;
	ck_assert_int_eq(run_print(&r, &p[0], NULL), PTD_PRINT_DONE);
	ck_assert_int_eq(run_print(&r, &p[0], NULL), PTD_PRINT_DONE);
	run_end(&r);
	ck_assert_ptr_nonnull(strstr(r.fh.log, "Maximum file limit reached: 2"));
	ck_assert_int_eq(count_files(r.dir), 2);
	expect_name_at(&r, "w_%H%M%S", t0, p, 1);
	expect_name_at(&r, "w_%H%M%S", t0 + 1, p + 1, 1);
}
END_TEST

/* -G with -C: a count per period, restarting at 0; -W only pads names. */
START_TEST(test_rotate_GC)
{
	const time_t t0 = 1700000000;
	struct ptd_packet p[7];
	struct run r;
	int i;

	run_setup(&r, "c_%H%M%S_");
	r.fh.host.clock_ns = fake_clock;
	r.fh.opts.rotate_seconds = 10;
	r.fh.opts.file_size = 300;
	r.fh.opts.file_count = 2;
	fake_now_ns = (uint64_t)t0 * 1000000000ull;
	run_start(&r);
	for (i = 0; i < 7; i++) {
		if (i == 5)
			fake_now_ns += 10000000000ull;
		make_pkt(&p[i], i, &if_eth0, 200);
		ck_assert_int_eq(run_print(&r, &p[i], NULL), 0);
	}
	run_end(&r);
	/* 24 + 216 = 240 <= 300, so two packets per file; the third file of
	 * the first period wraps to _0 under -W 2, and the new period starts
	 * again at _0. */
	ck_assert_int_eq(count_files(r.dir), 3);
	expect_name_at(&r, "c_%H%M%S_0", t0, p + 4, 1);
	expect_name_at(&r, "c_%H%M%S_1", t0, p + 2, 2);
	expect_name_at(&r, "c_%H%M%S_0", t0 + 10, p + 5, 2);
}
END_TEST

/* -z CMD: "CMD FILE" for each file closed by a rotation, not the last. */
START_TEST(test_postrotate)
{
	char script[PATH_MAX], marker[PATH_MAX + 8];
	struct ptd_packet p;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct run r;
	FILE *f;
	int i, waited;

	run_setup(&r, "z");
	snprintf(script, sizeof(script), "%s/post.sh", r.dir);
	f = fopen(script, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\n[ $# -eq 1 ] && touch \"$1.done\"\n");
	fclose(f);
	chmod(script, 0755);
	r.fh.opts.postrotate_cmd = script;
	r.fh.opts.file_size = 100;
	run_start(&r);
	make_pkt(&p, 0, &if_eth0, 100);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(run_print(&r, &p, NULL), 0);
	run_end(&r);

	/* Files z, z1, z2; z and z1 were rotated out. */
	for (i = 0; i < 2; i++) {
		snprintf(marker, sizeof(marker), "%s/z%.0d.done", r.dir, i);
		for (waited = 0; !file_exists(marker) && waited < 500; waited++)
			nanosleep(&tick, NULL);
		ck_assert_msg(file_exists(marker), "%s never appeared", marker);
	}
	snprintf(marker, sizeof(marker), "%s/z2.done", r.dir);
	ck_assert(!file_exists(marker));
}
END_TEST

/* Loaded without -w: idle, harmless. */
START_TEST(test_inactive)
{
	struct ptd_packet p;
	struct run r;

	run_setup(&r, "unused");
	r.fh.opts.write_file = NULL;
	run_start(&r);
	make_pkt(&p, 0, &if_eth0, 60);
	ck_assert_int_eq(run_print(&r, &p, NULL), 0);
	run_end(&r);
	ck_assert_int_eq(count_files(r.dir), 0);
}
END_TEST

static Suite *writer_suite(void)
{
	Suite *s = suite_create("writer");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, NULL, remove_scratch);

	tcase_add_loop_test(tc, test_pcap, 0, 2);
	tcase_add_test(tc, test_pcap_linktypes);
	tcase_add_loop_test(tc, test_pcapng_libpcap, 0, 2);
	tcase_add_test(tc, test_pcapng_structure);
	tcase_add_test(tc, test_meta_comment);
	tcase_add_test(tc, test_open_error);
	tcase_add_test(tc, test_write_error);
	tcase_add_test(tc, test_flush);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_stdout);
	tcase_add_test(tc, test_name_helpers);
	tcase_add_test(tc, test_rotate_C);
	tcase_add_test(tc, test_rotate_CW);
	tcase_add_test(tc, test_rotate_pcapng);
	tcase_add_test(tc, test_rotate_G);
	tcase_add_test(tc, test_rotate_GW);
	tcase_add_test(tc, test_rotate_GC);
	tcase_add_test(tc, test_postrotate);
	tcase_add_test(tc, test_inactive);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(writer_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
