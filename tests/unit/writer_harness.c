/* SPDX-License-Identifier: BSD-2-Clause */
/* The "pcapng" printer's shared test code (see writer_harness.h). */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "writer_harness.h"

const struct ptd_iface if_eth0 = {
	.id = 1, .linktype = DLT_EN10MB, .snaplen = 262144, .ifindex = 2,
	.name = "eth0", .description = "first ethernet",
};
const struct ptd_iface if_eth1 = {
	.id = 7, .linktype = DLT_EN10MB, .snaplen = 262144, .ifindex = 3,
	.name = "eth1",
};
const struct ptd_iface if_tun0 = {
	.id = 2, .linktype = DLT_RAW, .snaplen = 262144, .ifindex = 4,
	.name = "tun0", .description = "a tunnel",
};

static uint8_t pkt_bytes[MAXPKT][2048];

void make_pkt(struct ptd_packet *p, int i, const struct ptd_iface *ifc,
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


/* Scratch directories of the running test, removed by the teardown. */
static char scratch[8][64];
static int n_scratch;

void remove_scratch(void)
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

void run_setup(struct run *r, const char *file)
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

void run_start(struct run *r)
{
	const struct ptd_plugin_common *c = &ptcpdump_plugin.common;

	ck_assert_int_eq(c->init(&r->fh.host, NULL, &r->st, r->err), 0);
	ck_assert_msg(c->start(r->st, r->err) == 0, "start: %s", r->err);
}

int run_print(struct run *r, const struct ptd_packet *p,
	      const struct ptd_meta *m)
{
	return ptcpdump_plugin.print(r->st, p, m);
}

void run_end(struct run *r)
{
	ck_assert_int_eq(ptcpdump_plugin.flush(r->st), 0);
	ptcpdump_plugin.common.stop(r->st);
	ptcpdump_plugin.common.fini(r->st);
	r->st = NULL;
}

int count_files(const char *dir)
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

int file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

long file_size(const char *path)
{
	struct stat st;

	ck_assert_msg(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
	return (long)st.st_size;
}

void expect_pcap(const char *path, int nano, const struct ptd_packet *pkts,
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

uint32_t read_u32_at(const char *path, long off)
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
/* pcapng walker */

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

void walk_pcapng(const char *path, struct ng_summary *s)
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
