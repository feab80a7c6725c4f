/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the savefile reader: the sample captures against libpcap,
 * crafted pcapng oddities, damage at every offset, and feeding granularity. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/file/savefile.h"

/* ------------------------------------------------------------ helpers */

struct rec {
	int kind;            /* PTD_SF_PACKET or PTD_SF_IFACE */
	uint64_t offset;
	uint64_t end;        /* the reader's offset once it returned this */
	uint64_t ts_ns;
	uint32_t caplen, len, iface, flags, block_type;
	int have_flags;
	enum ptd_direction dir;
	uint64_t hash;       /* of the packet bytes */
	char comment[64];
	uint32_t custom_pen; /* of the first custom option, if any */
	char custom[64];
};

struct run {
	struct rec *recs;
	size_t n, cap;
	size_t packets;
	int result;          /* PTD_SF_END or -errno */
	char err[256];
	struct ptd_sf *sf;   /* kept for the interface table */
};

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	while (n--)
		h = (h ^ *p++) * 1099511628211ull;
	return h;
}

static const char *data_dir(void)
{
	static char dir[4096];
	const char *top = getenv("top_srcdir");

	if (top && *top)
		snprintf(dir, sizeof(dir), "%s/tests/data", top);
	else
		snprintf(dir, sizeof(dir), "%s", PTD_TEST_DATA_DIR);
	return dir;
}

static char *sample_path(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	return path;
}

static uint8_t *slurp(const char *name, size_t *len)
{
	FILE *f = fopen(sample_path(name), "rb");
	uint8_t *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", sample_path(name));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void add_rec(struct run *run, const struct rec *r)
{
	if (run->n == run->cap) {
		run->cap = run->cap ? run->cap * 2 : 64;
		run->recs = realloc(run->recs, run->cap * sizeof(*run->recs));
		ck_assert_ptr_nonnull(run->recs);
	}
	run->recs[run->n++] = *r;
}

static void record_packet(struct run *run, const struct ptd_sf_packet *p)
{
	struct ptd_sf_opt_iter it;
	struct ptd_sf_opt opt;
	struct rec r;

	memset(&r, 0, sizeof(r));
	r.kind = PTD_SF_PACKET;
	r.offset = p->offset;
	r.ts_ns = p->ts_ns;
	r.caplen = p->caplen;
	r.len = p->len;
	r.iface = p->iface;
	r.flags = p->flags;
	r.have_flags = p->have_flags;
	r.dir = p->direction;
	r.block_type = p->block_type;
	r.hash = fnv(p->data, p->caplen);
	r.end = ptd_sf_offset(run->sf);
	if (p->comment)
		snprintf(r.comment, sizeof(r.comment), "%s", p->comment);
	ptd_sf_opt_iter_init(&it, p);
	while (ptd_sf_opt_next(&it, &opt)) {
		if (opt.code == PTD_SF_OPT_CUSTOM_STR && opt.len >= 4 &&
		    !r.custom_pen) {
			r.custom_pen = ptd_sf_opt_u32(&opt, 0);
			snprintf(r.custom, sizeof(r.custom), "%.*s",
				 (int)opt.len - 4, (const char *)opt.value + 4);
		}
	}
	add_rec(run, &r);
	run->packets++;
}

/* Parses buf fed in chunks of `chunk` bytes (0: all at once), then EOF. */
static void parse(struct run *run, const uint8_t *buf, size_t len, size_t chunk)
{
	struct ptd_sf_packet p;
	size_t fed = 0;
	int r;

	memset(run, 0, sizeof(*run));
	run->sf = ptd_sf_new();
	ck_assert_ptr_nonnull(run->sf);
	if (chunk == 0)
		chunk = len ? len : 1;
	for (;;) {
		r = ptd_sf_next(run->sf, &p);
		if (r == PTD_SF_PACKET) {
			record_packet(run, &p);
		} else if (r == PTD_SF_IFACE) {
			struct rec ir = { .kind = PTD_SF_IFACE };

			ir.iface = ptd_sf_iface_count(run->sf) - 1;
			ir.end = ptd_sf_offset(run->sf);
			add_rec(run, &ir);
		} else if (r == PTD_SF_NEED_MORE) {
			size_t n = len - fed < chunk ? len - fed : chunk;

			if (n == 0) {
				ptd_sf_set_eof(run->sf);
				continue;
			}
			ck_assert_int_eq(ptd_sf_feed(run->sf, buf + fed, n), 0);
			fed += n;
		} else {
			run->result = r;
			if (r < 0)
				snprintf(run->err, sizeof(run->err), "%s",
					 ptd_sf_error(run->sf));
			/* errors stick */
			ck_assert_int_eq(ptd_sf_next(run->sf, &p), r);
			return;
		}
	}
}

static void run_free(struct run *run)
{
	free(run->recs);
	ptd_sf_free(run->sf);
	memset(run, 0, sizeof(*run));
}

static void assert_same_runs(const struct run *a, const struct run *b)
{
	size_t i;

	ck_assert_uint_eq(a->n, b->n);
	ck_assert_int_eq(a->result, b->result);
	ck_assert_str_eq(a->err, b->err);
	for (i = 0; i < a->n; i++)
		ck_assert_msg(memcmp(&a->recs[i], &b->recs[i], sizeof(struct rec)) == 0,
			      "record %zu differs", i);
}

static const struct rec *nth_packet(const struct run *run, size_t k)
{
	size_t i;

	for (i = 0; i < run->n; i++)
		if (run->recs[i].kind == PTD_SF_PACKET && k-- == 0)
			return &run->recs[i];
	ck_abort_msg("no packet %zu", k);
	return NULL;
}

/* ------------------------------------------------------------ samples vs libpcap */

/* Samples libpcap 1.10 reads whole (it cannot change link type or byte
 * order within a file: multi-if and multi-section are checked below). */
static const char *const libpcap_samples[] = {
	"lo-tcp-udp-icmp.pcap", "lo-tcp-udp-icmp.pcapng", "lo-nano.pcap",
	"lo-snap96.pcap", "any-sll.pcap", "any-sll2.pcap", "any-dumpcap.pcapng",
	"annotated.pcapng", "be.pcap", "be.pcapng",
};

/* Compares our packets of interface `iface` (all if -1) with libpcap's. */
static void compare_with_libpcap(const struct run *run, const char *name,
				 long iface, int check_header)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t i = 0, seen = 0;
	pcap_t *pc;
	int r;

	pc = pcap_open_offline_with_tstamp_precision(sample_path(name),
						     PCAP_TSTAMP_PRECISION_NANO,
						     errbuf);
	ck_assert_msg(pc != NULL, "libpcap: %s", errbuf);
	if (check_header) {
		const struct ptd_sf_iface *ifc = ptd_sf_iface_at(run->sf, 0);

		ck_assert_int_eq(ifc->linktype, pcap_datalink(pc));
		ck_assert_uint_eq(ifc->snaplen, (uint32_t)pcap_snapshot(pc));
	}
	while ((r = pcap_next_ex(pc, &h, &data)) == 1) {
		const struct rec *rec = NULL;

		for (; i < run->n; i++) {
			if (run->recs[i].kind == PTD_SF_PACKET &&
			    (iface < 0 || run->recs[i].iface == (uint32_t)iface)) {
				rec = &run->recs[i++];
				break;
			}
		}
		ck_assert_msg(rec != NULL, "%s: libpcap has more packets", name);
		ck_assert_uint_eq(rec->caplen, h->caplen);
		ck_assert_uint_eq(rec->len, h->len);
		ck_assert_uint_eq(rec->ts_ns, (uint64_t)h->ts.tv_sec * 1000000000u +
				  (uint64_t)h->ts.tv_usec);
		ck_assert_uint_eq(rec->hash, fnv(data, h->caplen));
		seen++;
	}
	ck_assert_int_eq(r, PCAP_ERROR_BREAK);
	for (; i < run->n; i++)
		ck_assert_msg(run->recs[i].kind != PTD_SF_PACKET ||
			      (iface >= 0 && run->recs[i].iface != (uint32_t)iface),
			      "%s: we have more packets than libpcap", name);
	ck_assert_uint_gt(seen, 0);
	pcap_close(pc);
}

START_TEST(test_sample_vs_libpcap)
{
	const char *name = libpcap_samples[_i];
	struct run run;
	uint8_t *buf;
	size_t len;

	buf = slurp(name, &len);
	parse(&run, buf, len, 0);
	ck_assert_msg(run.result == PTD_SF_END, "%s: %s", name, run.err);
	compare_with_libpcap(&run, name, -1, 1);
	run_free(&run);
	free(buf);
}
END_TEST

/* Byte by byte, in odd chunks and all at once: the same records. */
START_TEST(test_sample_granularity)
{
	static const char *const names[] = {
		"lo-nano.pcap", "any-dumpcap.pcapng", "be.pcapng",
		"multi-section.pcapng",
	};
	const char *name = names[_i];
	struct run whole, bytes, odd;
	uint8_t *buf;
	size_t len;

	buf = slurp(name, &len);
	parse(&whole, buf, len, 0);
	parse(&bytes, buf, len, 1);
	parse(&odd, buf, len, 4093);
	ck_assert_int_eq(whole.result, PTD_SF_END);
	assert_same_runs(&whole, &bytes);
	assert_same_runs(&whole, &odd);
	run_free(&whole);
	run_free(&bytes);
	run_free(&odd);
	free(buf);
}
END_TEST

START_TEST(test_sample_headers)
{
	struct run run;
	const struct ptd_sf_iface *ifc;
	uint8_t *buf;
	size_t len, i;
	int sub_us = 0;

	buf = slurp("lo-tcp-udp-icmp.pcap", &len);
	parse(&run, buf, len, 0);
	ck_assert_int_eq(ptd_sf_format(run.sf), PTD_SF_FORMAT_PCAP);
	ck_assert_uint_eq(ptd_sf_iface_count(run.sf), 1);
	ifc = ptd_sf_iface_at(run.sf, 0);
	ck_assert_int_eq(ifc->linktype, DLT_EN10MB);
	ck_assert_uint_eq(ifc->ts_units, 1000000);
	ck_assert_ptr_null(ifc->name);
	ck_assert_uint_eq(run.packets, 64);
	ck_assert_uint_eq(ptd_sf_offset(run.sf), len);
	ck_assert_int_eq(nth_packet(&run, 0)->dir, PTD_DIR_UNKNOWN);
	run_free(&run);
	free(buf);

	buf = slurp("lo-nano.pcap", &len);
	parse(&run, buf, len, 0);
	ck_assert_uint_eq(ptd_sf_iface_at(run.sf, 0)->ts_units, 1000000000);
	for (i = 0; i < run.n; i++)
		if (run.recs[i].kind == PTD_SF_PACKET && run.recs[i].ts_ns % 1000)
			sub_us = 1;
	ck_assert_msg(sub_us, "a nanosecond capture has sub-microsecond stamps");
	run_free(&run);
	free(buf);

	buf = slurp("any-sll.pcap", &len);
	parse(&run, buf, len, 0);
	ck_assert_int_eq(ptd_sf_iface_at(run.sf, 0)->linktype, DLT_LINUX_SLL);
	run_free(&run);
	free(buf);

	buf = slurp("any-sll2.pcap", &len);
	parse(&run, buf, len, 0);
	ck_assert_int_eq(ptd_sf_iface_at(run.sf, 0)->linktype, DLT_LINUX_SLL2);
	run_free(&run);
	free(buf);

	buf = slurp("any-dumpcap.pcapng", &len);
	parse(&run, buf, len, 0);
	ck_assert_int_eq(ptd_sf_format(run.sf), PTD_SF_FORMAT_PCAPNG);
	ifc = ptd_sf_iface_at(run.sf, 0);
	ck_assert_str_eq(ifc->name, "any");
	ck_assert_uint_eq(ifc->ts_units, 1000000000);
	ck_assert_uint_eq(run.packets, 64);
	run_free(&run);
	free(buf);
}
END_TEST

/* The byte-swapped copies hold the very same packets. */
START_TEST(test_sample_big_endian)
{
	static const char *const pairs[][2] = {
		{ "lo-tcp-udp-icmp.pcap", "be.pcap" },
		{ "annotated.pcapng", "be.pcapng" },
	};
	struct run le, be;
	uint8_t *a, *b;
	size_t alen, blen, i;

	a = slurp(pairs[_i][0], &alen);
	b = slurp(pairs[_i][1], &blen);
	parse(&le, a, alen, 0);
	parse(&be, b, blen, 0);
	ck_assert_uint_eq(le.n, be.n);
	for (i = 0; i < le.n; i++) {
		struct rec x = le.recs[i], y = be.recs[i];

		x.offset = y.offset = x.end = y.end = 0; /* the swapper drops no bytes, but be safe */
		ck_assert_msg(memcmp(&x, &y, sizeof(x)) == 0, "record %zu", i);
	}
	run_free(&le);
	run_free(&be);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_sample_annotated)
{
	static const char *const names[] = { "annotated.pcapng", "be.pcapng" };
	struct run run;
	const struct rec *r;
	uint8_t *buf;
	size_t len;

	buf = slurp(names[_i], &len);
	parse(&run, buf, len, 0);
	ck_assert_str_eq(ptd_sf_iface_at(run.sf, 0)->name, "any");
	ck_assert_str_eq(ptd_sf_iface_at(run.sf, 0)->description,
			 "all interfaces, cooked");
	r = nth_packet(&run, 0);
	ck_assert_str_eq(r->comment, "packet 1 of the sample");
	ck_assert_int_eq(r->have_flags, 1);
	ck_assert_int_eq(r->dir, PTD_DIR_IN);
	ck_assert_uint_eq(r->custom_pen, 32473);
	ck_assert_str_eq(r->custom, "sample-meta 1");
	r = nth_packet(&run, 1);
	ck_assert_str_eq(r->comment, "");
	ck_assert_uint_eq(r->custom_pen, 0);
	r = nth_packet(&run, 4);
	ck_assert_str_eq(r->comment, "packet 5 of the sample");
	run_free(&run);
	free(buf);
}
END_TEST

/* Two interfaces with different link types: each one's packets are exactly
 * those of the pcap it was merged from. */
START_TEST(test_sample_multi_if)
{
	struct run run;
	uint8_t *buf;
	size_t len;

	buf = slurp("multi-if.pcapng", &len);
	parse(&run, buf, len, 1);
	ck_assert_int_eq(run.result, PTD_SF_END);
	ck_assert_uint_eq(ptd_sf_iface_count(run.sf), 2);
	ck_assert_int_eq(ptd_sf_iface_at(run.sf, 0)->linktype, DLT_EN10MB);
	ck_assert_int_eq(ptd_sf_iface_at(run.sf, 1)->linktype, DLT_LINUX_SLL2);
	ck_assert_uint_eq(run.packets, 128);
	compare_with_libpcap(&run, "lo-nano.pcap", 0, 0);
	compare_with_libpcap(&run, "any-sll2.pcap", 1, 0);
	run_free(&run);
	free(buf);
}
END_TEST

/* Two sections, little- then big-endian: interfaces are numbered across. */
START_TEST(test_sample_multi_section)
{
	struct run run;
	const struct ptd_sf_iface *a, *b;
	uint8_t *buf;
	size_t len;

	buf = slurp("multi-section.pcapng", &len);
	parse(&run, buf, len, 0);
	ck_assert_int_eq(run.result, PTD_SF_END);
	ck_assert_uint_eq(ptd_sf_iface_count(run.sf), 2);
	a = ptd_sf_iface_at(run.sf, 0);
	b = ptd_sf_iface_at(run.sf, 1);
	ck_assert_uint_eq(a->section, 0);
	ck_assert_uint_eq(b->section, 1);
	ck_assert_uint_eq(b->index, 1);
	ck_assert_int_eq(a->linktype, DLT_EN10MB);
	ck_assert_int_eq(b->linktype, DLT_LINUX_SLL);
	ck_assert_uint_eq(run.packets, 128);
	ck_assert_uint_eq(nth_packet(&run, 63)->iface, 0);
	ck_assert_uint_eq(nth_packet(&run, 64)->iface, 1);
	ck_assert_str_eq(nth_packet(&run, 64)->comment, "packet 1 of the sample");
	compare_with_libpcap(&run, "lo-tcp-udp-icmp.pcap", 0, 0);
	compare_with_libpcap(&run, "any-sll.pcap", 1, 0);
	run_free(&run);
	free(buf);
}
END_TEST

START_TEST(test_linktype_map)
{
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(0), DLT_NULL);
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(1), DLT_EN10MB);
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(101), DLT_RAW);
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(100), DLT_ATM_RFC1483);
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(108), DLT_LOOP);
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(113), DLT_LINUX_SLL);
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(228), DLT_IPV4);
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(229), DLT_IPV6);
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(276), DLT_LINUX_SLL2);
	ck_assert_int_eq(ptd_sf_linktype_to_dlt(4242), 4242);
}
END_TEST

/* ------------------------------------------------------------ crafted files */

struct bld {
	uint8_t buf[4096];
	size_t len;
	int big;
	size_t blk;
};

static void put(struct bld *b, const void *p, size_t n)
{
	ck_assert_uint_le(b->len + n, sizeof(b->buf));
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void put_uint(struct bld *b, uint64_t v, int bytes)
{
	uint8_t o[8];
	int i;

	for (i = 0; i < bytes; i++)
		o[b->big ? bytes - 1 - i : i] = (uint8_t)(v >> (8 * i));
	put(b, o, (size_t)bytes);
}

#define put16(b, v) put_uint(b, v, 2)
#define put32(b, v) put_uint(b, v, 4)
#define put64(b, v) put_uint(b, v, 8)

static void pad(struct bld *b)
{
	static const uint8_t zero[4];

	put(b, zero, (4 - b->len % 4) % 4);
}

static void blk_begin(struct bld *b, uint32_t type)
{
	b->blk = b->len;
	put32(b, type);
	put32(b, 0);
}

static void blk_end(struct bld *b)
{
	uint32_t total = (uint32_t)(b->len - b->blk + 4);
	size_t at = b->len;

	put32(b, total);
	b->len = b->blk + 4;
	put32(b, total);
	b->len = at + 4;
}

static void opt(struct bld *b, uint16_t code, const void *v, uint16_t len)
{
	put16(b, code);
	put16(b, len);
	put(b, v, len);
	pad(b);
}

static void opt_str(struct bld *b, uint16_t code, const char *s)
{
	opt(b, code, s, (uint16_t)strlen(s));
}

static void opt_u32(struct bld *b, uint16_t code, uint32_t v)
{
	put16(b, code);
	put16(b, 4);
	put32(b, v);
}

static void opt_end(struct bld *b)
{
	put32(b, 0);
}

static void shb(struct bld *b, int big)
{
	b->big = big;
	blk_begin(b, PTD_SF_BT_SHB);
	put32(b, 0x1A2B3C4D);
	put16(b, 1);
	put16(b, 0);
	put64(b, UINT64_MAX);
	opt_str(b, 4, "check_savefile");
	opt_end(b);
	blk_end(b);
}

/* tsresol < 0: none */
static void idb(struct bld *b, uint16_t lt, uint32_t snap, int tsresol)
{
	blk_begin(b, PTD_SF_BT_IDB);
	put16(b, lt);
	put16(b, 0);
	put32(b, snap);
	if (tsresol >= 0) {
		uint8_t v = (uint8_t)tsresol;

		opt(b, PTD_SF_OPT_IF_TSRESOL, &v, 1);
	}
	opt_end(b);
	blk_end(b);
}

static void epb_start(struct bld *b, uint32_t ifid, uint64_t ticks,
		      const char *data, uint32_t len)
{
	blk_begin(b, PTD_SF_BT_EPB);
	put32(b, ifid);
	put32(b, ticks >> 32);
	put32(b, ticks & 0xffffffffu);
	put32(b, (uint32_t)strlen(data));
	put32(b, len);
	put(b, data, strlen(data));
	pad(b);
}

static void epb(struct bld *b, uint32_t ifid, uint64_t ticks, const char *data)
{
	epb_start(b, ifid, ticks, data, (uint32_t)strlen(data));
	blk_end(b);
}

/*
 * Section 1 (little-endian): NRB, IDB 0 (2^-10 s, +100 s), a custom and an
 * unknown block, EPB (outbound, comment, custom option), DSB, SPB, PB, ISB.
 * Section 2 (big-endian): IDBs for raw IP (ms), IPv4 (2^-40 s) and IPv6
 * (10^-19 s), one EPB each.
 */
static size_t craft_pcapng(uint8_t *out)
{
	struct bld b = { .len = 0 };
	uint8_t v8;
	uint64_t off = 100;

	shb(&b, 0);
	blk_begin(&b, PTD_SF_BT_NRB);
	put16(&b, 1);
	put16(&b, 7);
	put(&b, "\x7f\0\0\1lo", 7);
	pad(&b);
	put32(&b, 0);
	blk_end(&b);
	blk_begin(&b, PTD_SF_BT_IDB);
	put16(&b, 1);
	put16(&b, 0);
	put32(&b, 0);
	opt_str(&b, PTD_SF_OPT_IF_NAME, "eth0");
	opt_str(&b, PTD_SF_OPT_IF_DESC, "crafted");
	v8 = 0x8a;
	opt(&b, PTD_SF_OPT_IF_TSRESOL, &v8, 1);
	put16(&b, PTD_SF_OPT_IF_TSOFFSET);
	put16(&b, 8);
	put64(&b, off);
	opt_end(&b);
	blk_end(&b);
	blk_begin(&b, 0x00000BAD);
	put32(&b, 32473);
	put(&b, "custom block", 12);
	blk_end(&b);
	blk_begin(&b, 0x12345678);
	put64(&b, 0x0123456789abcdefull);
	blk_end(&b);
	epb_start(&b, 0, 1024 * 5 + 512, "hello", 60);
	opt_u32(&b, PTD_SF_OPT_EPB_FLAGS, 2);
	opt_str(&b, PTD_SF_OPT_COMMENT, "first");
	put16(&b, PTD_SF_OPT_CUSTOM_STR);
	put16(&b, 10);
	put32(&b, 32473);
	put(&b, "pid=42", 6);
	pad(&b);
	opt_end(&b);
	blk_end(&b);
	blk_begin(&b, PTD_SF_BT_DSB);
	put32(&b, 0x544c534b);
	put32(&b, 4);
	put(&b, "keys", 4);
	blk_end(&b);
	blk_begin(&b, PTD_SF_BT_SPB);
	put32(&b, 3);
	put(&b, "abc", 3);
	pad(&b);
	blk_end(&b);
	blk_begin(&b, PTD_SF_BT_PB);
	put16(&b, 0);
	put16(&b, 0);
	put32(&b, 0);
	put32(&b, 2048);
	put32(&b, 4);
	put32(&b, 4);
	put(&b, "pbpb", 4);
	opt_u32(&b, PTD_SF_OPT_EPB_FLAGS, 1);
	opt_end(&b);
	blk_end(&b);
	blk_begin(&b, PTD_SF_BT_ISB);
	put32(&b, 0);
	put64(&b, 0);
	blk_end(&b);

	shb(&b, 1);
	idb(&b, 101, 65535, 3);
	idb(&b, 228, 65535, 0x80 | 40);
	idb(&b, 229, 65535, 19);
	epb(&b, 0, 1234, "raw-ip-packet");
	epb(&b, 1, (3ull << 40) + (1ull << 39), "ipv4");
	epb(&b, 2, 15000000000000000000ull, "ipv6");
	memcpy(out, b.buf, b.len);
	return b.len;
}

START_TEST(test_crafted_pcapng)
{
	uint8_t buf[4096];
	size_t len = craft_pcapng(buf);
	const struct ptd_sf_iface *ifc;
	struct run run, bytes;
	const struct rec *r;
	static const int kinds[] = {
		PTD_SF_IFACE, PTD_SF_PACKET, PTD_SF_PACKET, PTD_SF_PACKET,
		PTD_SF_IFACE, PTD_SF_IFACE, PTD_SF_IFACE,
		PTD_SF_PACKET, PTD_SF_PACKET, PTD_SF_PACKET,
	};
	size_t i;

	parse(&run, buf, len, 0);
	ck_assert_msg(run.result == PTD_SF_END, "%s", run.err);
	ck_assert_uint_eq(run.n, sizeof(kinds) / sizeof(kinds[0]));
	for (i = 0; i < run.n; i++)
		ck_assert_int_eq(run.recs[i].kind, kinds[i]);

	ifc = ptd_sf_iface_at(run.sf, 0);
	ck_assert_str_eq(ifc->name, "eth0");
	ck_assert_str_eq(ifc->description, "crafted");
	ck_assert_uint_eq(ifc->ts_units, 1024);
	ck_assert_int_eq(ifc->ts_offset, 100);
	ck_assert_uint_eq(ifc->snaplen, PTD_SF_DEFAULT_SNAPLEN);
	ifc = ptd_sf_iface_at(run.sf, 1);
	ck_assert_int_eq(ifc->linktype, DLT_RAW);
	ck_assert_uint_eq(ifc->file_linktype, 101);
	ck_assert_uint_eq(ifc->section, 1);
	ck_assert_uint_eq(ifc->snaplen, 65535);
	ck_assert_int_eq(ptd_sf_iface_at(run.sf, 2)->linktype, DLT_IPV4);
	ck_assert_int_eq(ptd_sf_iface_at(run.sf, 3)->linktype, DLT_IPV6);
	ck_assert_ptr_null(ptd_sf_iface_at(run.sf, 4));

	r = nth_packet(&run, 0);
	ck_assert_uint_eq(r->block_type, PTD_SF_BT_EPB);
	ck_assert_uint_eq(r->ts_ns, 105500000000ull);
	ck_assert_uint_eq(r->caplen, 5);
	ck_assert_uint_eq(r->len, 60);
	ck_assert_uint_eq(r->hash, fnv((const uint8_t *)"hello", 5));
	ck_assert_int_eq(r->dir, PTD_DIR_OUT);
	ck_assert_uint_eq(r->flags, 2);
	ck_assert_str_eq(r->comment, "first");
	ck_assert_uint_eq(r->custom_pen, 32473);
	ck_assert_str_eq(r->custom, "pid=42");
	r = nth_packet(&run, 1);
	ck_assert_uint_eq(r->block_type, PTD_SF_BT_SPB);
	ck_assert_uint_eq(r->caplen, 3);
	ck_assert_uint_eq(r->len, 3);
	ck_assert_uint_eq(r->ts_ns, 0);
	ck_assert_uint_eq(r->hash, fnv((const uint8_t *)"abc", 3));
	r = nth_packet(&run, 2);
	ck_assert_uint_eq(r->block_type, PTD_SF_BT_PB);
	ck_assert_uint_eq(r->ts_ns, 102000000000ull);
	ck_assert_int_eq(r->dir, PTD_DIR_IN);
	r = nth_packet(&run, 3);
	ck_assert_uint_eq(r->iface, 1);
	ck_assert_uint_eq(r->ts_ns, 1234000000ull);
	ck_assert_int_eq(r->have_flags, 0);
	ck_assert_int_eq(r->dir, PTD_DIR_UNKNOWN);
	ck_assert_uint_eq(nth_packet(&run, 4)->ts_ns, 3500000000ull);
	ck_assert_uint_eq(nth_packet(&run, 5)->ts_ns, 1500000000ull);
	ck_assert_uint_eq(nth_packet(&run, 5)->iface, 3);

	parse(&bytes, buf, len, 1);
	assert_same_runs(&run, &bytes);
	run_free(&run);
	run_free(&bytes);
}
END_TEST

/* Every option of a packet, in order, in the section's byte order. */
START_TEST(test_option_iterator)
{
	uint8_t buf[4096];
	size_t len = craft_pcapng(buf);
	struct ptd_sf *sf = ptd_sf_new();
	struct ptd_sf_packet p;
	struct ptd_sf_opt_iter it;
	struct ptd_sf_opt o;
	int r;

	ck_assert_int_eq(ptd_sf_feed(sf, buf, len), 0);
	ptd_sf_set_eof(sf);
	ck_assert_int_eq(ptd_sf_feed(sf, buf, 1), -EINVAL);
	while ((r = ptd_sf_next(sf, &p)) == PTD_SF_IFACE)
		;
	ck_assert_int_eq(r, PTD_SF_PACKET);
	ptd_sf_opt_iter_init(&it, &p);
	ck_assert_int_eq(ptd_sf_opt_next(&it, &o), 1);
	ck_assert_uint_eq(o.code, PTD_SF_OPT_EPB_FLAGS);
	ck_assert_uint_eq(ptd_sf_opt_u32(&o, 0), 2);
	ck_assert_uint_eq(ptd_sf_opt_u32(&o, 1), 0); /* out of the value */
	ck_assert_int_eq(ptd_sf_opt_next(&it, &o), 1);
	ck_assert_uint_eq(o.code, PTD_SF_OPT_COMMENT);
	ck_assert_int_eq(memcmp(o.value, "first", 5), 0);
	ck_assert_int_eq(ptd_sf_opt_next(&it, &o), 1);
	ck_assert_uint_eq(o.code, PTD_SF_OPT_CUSTOM_STR);
	ck_assert_uint_eq(ptd_sf_opt_u32(&o, 0), 32473);
	ck_assert_int_eq(ptd_sf_opt_next(&it, &o), 0);
	ck_assert_int_eq(ptd_sf_opt_next(&it, &o), 0);
	/* the SPB has no options */
	ck_assert_int_eq(ptd_sf_next(sf, &p), PTD_SF_PACKET);
	ptd_sf_opt_iter_init(&it, &p);
	ck_assert_int_eq(ptd_sf_opt_next(&it, &o), 0);
	ptd_sf_free(sf);
	ptd_sf_free(NULL);
}
END_TEST

struct pcap_rec {
	uint32_t sec, frac;
	const char *data;
};

static size_t craft_pcap(uint8_t *out, int big, uint32_t magic, uint32_t lt,
			 const struct pcap_rec *recs, size_t n)
{
	struct bld b = { .big = big };
	size_t i;

	put32(&b, magic);
	put16(&b, 2);
	put16(&b, 4);
	put32(&b, 0);
	put32(&b, 0);
	put32(&b, 96);
	put32(&b, lt);
	for (i = 0; i < n; i++) {
		put32(&b, recs[i].sec);
		put32(&b, recs[i].frac);
		put32(&b, (uint32_t)strlen(recs[i].data));
		put32(&b, (uint32_t)strlen(recs[i].data) + 10);
		if (magic == 0xa1b2cd34) /* ifindex, protocol, type, pad */
			put64(&b, 0);
		put(&b, recs[i].data, strlen(recs[i].data));
	}
	memcpy(out, b.buf, b.len);
	return b.len;
}

START_TEST(test_crafted_pcap_variants)
{
	static const struct pcap_rec recs[] = {
		{ 1700000000, 123456789, "first packet" },
		{ 1700000001, 5, "second" },
	};
	uint8_t buf[4096];
	struct run run, bytes;
	size_t len;

	/* big-endian, nanoseconds, FCS of 2 words flagged in the link type */
	len = craft_pcap(buf, 1, 0xa1b23c4d, 0x24000001u, recs, 2);
	parse(&run, buf, len, 0);
	ck_assert_msg(run.result == PTD_SF_END, "%s", run.err);
	ck_assert_int_eq(ptd_sf_iface_at(run.sf, 0)->linktype, DLT_EN10MB);
	ck_assert_int_eq(ptd_sf_iface_at(run.sf, 0)->fcs_len, 4);
	ck_assert_uint_eq(ptd_sf_iface_at(run.sf, 0)->snaplen, 96);
	ck_assert_uint_eq(nth_packet(&run, 0)->ts_ns, 1700000000123456789ull);
	ck_assert_uint_eq(nth_packet(&run, 1)->ts_ns, 1700000001000000005ull);
	ck_assert_uint_eq(nth_packet(&run, 1)->len, 16);
	parse(&bytes, buf, len, 1);
	assert_same_runs(&run, &bytes);
	run_free(&run);
	run_free(&bytes);

	/* little-endian, microseconds, raw IP */
	len = craft_pcap(buf, 0, 0xa1b2c3d4, 101, recs, 2);
	parse(&run, buf, len, 0);
	ck_assert_int_eq(ptd_sf_iface_at(run.sf, 0)->linktype, DLT_RAW);
	ck_assert_uint_eq(nth_packet(&run, 1)->ts_ns, 1700000001000005000ull);
	run_free(&run);

	/* the 24-byte records of a patched libpcap */
	len = craft_pcap(buf, 0, 0xa1b2cd34, 1, recs, 2);
	parse(&run, buf, len, 0);
	ck_assert_msg(run.result == PTD_SF_END, "%s", run.err);
	ck_assert_uint_eq(run.packets, 2);
	ck_assert_uint_eq(nth_packet(&run, 1)->hash,
			  fnv((const uint8_t *)"second", 6));
	run_free(&run);
}
END_TEST

/* Bytes past the snapshot length are skipped, as libpcap does. */
START_TEST(test_snaplen_cut)
{
	char big[121];
	const struct pcap_rec recs[] = {
		{ 1, 0, big }, { 2, 0, "after" },
	};
	struct bld b = { .len = 0 };
	uint8_t buf[4096];
	struct run run;
	size_t len;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	len = craft_pcap(buf, 0, 0xa1b2c3d4, 1, recs, 2); /* snaplen 96 */
	parse(&run, buf, len, 0);
	ck_assert_uint_eq(nth_packet(&run, 0)->caplen, 96);
	ck_assert_uint_eq(nth_packet(&run, 0)->len, 130);
	ck_assert_uint_eq(nth_packet(&run, 1)->hash, fnv((const uint8_t *)"after", 5));
	run_free(&run);

	shb(&b, 0);
	idb(&b, 1, 4, -1);
	epb(&b, 0, 1, "abcdefgh");
	epb(&b, 0, 2, "ij");
	parse(&run, b.buf, b.len, 0);
	ck_assert_uint_eq(nth_packet(&run, 0)->caplen, 4);
	ck_assert_uint_eq(nth_packet(&run, 0)->len, 8);
	ck_assert_uint_eq(nth_packet(&run, 1)->caplen, 2);
	ck_assert_int_eq(run.result, PTD_SF_END);
	run_free(&run);
}
END_TEST

/* ------------------------------------------------------------ damage */

/* Unit (record / block) boundaries of a well-formed file, for the cuts. */
static size_t boundaries(const uint8_t *buf, size_t len, uint64_t *out,
			 uint64_t *first_iface_end)
{
	size_t n = 0, off;
	int big = 0;

	*first_iface_end = 0;
	if (memcmp(buf, "\x0a\x0d\x0d\x0a", 4) != 0) {
		uint32_t magic;

		memcpy(&magic, buf, 4);
		big = magic != 0xa1b2c3d4 && magic != 0xa1b23c4d;
		off = 24;
		*first_iface_end = 24;
		out[n++] = off;
		while (off < len) {
			uint32_t cap = big ? (uint32_t)buf[off + 8] << 24 |
				       (uint32_t)buf[off + 9] << 16 |
				       (uint32_t)buf[off + 10] << 8 | buf[off + 11] :
				       (uint32_t)buf[off + 8] | (uint32_t)buf[off + 9] << 8 |
				       (uint32_t)buf[off + 10] << 16 |
				       (uint32_t)buf[off + 11] << 24;
			off += 16 + cap;
			out[n++] = off;
		}
		return n;
	}
	for (off = 0; off < len;) {
		const uint8_t *p = buf + off;
		uint32_t type, total;

		if (memcmp(p, "\x0a\x0d\x0d\x0a", 4) == 0)
			big = p[8] == 0x1a;
		type = big ? (uint32_t)p[3] | (uint32_t)p[2] << 8 : p[0];
		total = big ? (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 |
			(uint32_t)p[6] << 8 | p[7] :
			(uint32_t)p[4] | (uint32_t)p[5] << 8 |
			(uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		off += total;
		if (type == 1 && !*first_iface_end)
			*first_iface_end = off;
		out[n++] = off;
	}
	return n;
}

/* Cuts buf at every length: the records before the cut, then a clean end
 * exactly at a boundary, else one error naming the damaged unit's offset. */
static void cut_everywhere(const uint8_t *buf, size_t len)
{
	static uint64_t bounds[4096];
	uint64_t first_if_end;
	size_t nb = boundaries(buf, len, bounds, &first_if_end);
	struct run whole, cut, bytes;
	size_t L, i, k;

	parse(&whole, buf, len, 0);
	ck_assert_msg(whole.result == PTD_SF_END, "%s", whole.err);
	ck_assert_uint_eq(bounds[nb - 1], len);
	for (i = 0; i < whole.n; i++) {
		for (k = 0; k < nb && bounds[k] != whole.recs[i].end; k++)
			;
		ck_assert_msg(k < nb, "record %zu ends off a boundary", i);
	}
	for (L = 0; L <= len; L++) {
		uint64_t unit_start = 0;
		size_t want = 0;
		int at_boundary = 0;
		char where[64];

		for (i = 0; i < nb; i++) {
			if (bounds[i] == L)
				at_boundary = 1;
			if (bounds[i] <= L)
				unit_start = bounds[i];
		}
		for (i = 0; i < whole.n; i++)
			if (whole.recs[i].end <= L)
				want++; /* records and interfaces alike */
		parse(&cut, buf, L, 0);
		ck_assert_msg(cut.n == want, "cut at %zu: %zu records, want %zu",
			      L, cut.n, want);
		ck_assert_int_eq(memcmp(cut.recs, whole.recs, want * sizeof(struct rec)), 0);
		if (at_boundary && L >= first_if_end) {
			ck_assert_msg(cut.result == PTD_SF_END, "cut at %zu: %s", L,
				      cut.err);
		} else {
			ck_assert_msg(cut.result == -EINVAL, "cut at %zu", L);
			snprintf(where, sizeof(where), "offset %llu",
				 (unsigned long long)unit_start);
			ck_assert_msg(strstr(cut.err, "truncated") ||
				      strstr(cut.err, "no Interface Description"),
				      "cut at %zu: %s", L, cut.err);
			ck_assert_msg(L < 24 || at_boundary || strstr(cut.err, where),
				      "cut at %zu: '%s' does not say %s", L,
				      cut.err, where);
		}
		if (L % 7 == 0) {
			parse(&bytes, buf, L, 1);
			assert_same_runs(&cut, &bytes);
			run_free(&bytes);
		}
		run_free(&cut);
	}
	run_free(&whole);
}

START_TEST(test_truncation_everywhere)
{
	uint8_t crafted[4096];
	struct run run;
	uint8_t *buf;
	size_t len, small;

	if (_i == 0)
		cut_everywhere(crafted, craft_pcapng(crafted));

	/* the first packets of real captures, cut at a record boundary */
	buf = slurp(_i == 0 ? "lo-tcp-udp-icmp.pcap" : _i == 1 ? "be.pcap" :
		    "annotated.pcapng", &len);
	parse(&run, buf, len, 0);
	small = (size_t)nth_packet(&run, 6)->offset;
	run_free(&run);
	cut_everywhere(buf, small);
	free(buf);
}
END_TEST

static void expect_damage(const uint8_t *buf, size_t len, size_t packets,
			  const char *says)
{
	struct run run, bytes;

	parse(&run, buf, len, 0);
	ck_assert_uint_eq(run.packets, packets);
	ck_assert_int_eq(run.result, -EINVAL);
	ck_assert_msg(strstr(run.err, says), "'%s' does not say '%s'", run.err, says);
	parse(&bytes, buf, len, 1);
	assert_same_runs(&run, &bytes);
	run_free(&run);
	run_free(&bytes);
}

START_TEST(test_absurd_lengths)
{
	static const struct pcap_rec recs[] = {
		{ 1, 0, "0123456789abcdef" }, { 2, 0, "x" },
	};
	struct bld b = { .len = 0 };
	uint8_t buf[4096];
	size_t len;

	/* pcap: a record claiming more than 256 MiB, after a good one */
	len = craft_pcap(buf, 0, 0xa1b2c3d4, 1, recs, 2);
	buf[24 + 32 + 8 + 3] = 0x10;
	buf[24 + 32 + 8] = 0x01;
	expect_damage(buf, len, 1,
		      "corrupt packet record at offset 56: captured length 268435457 is larger than 268435456");
	len = craft_pcap(buf, 0, 0xa1b2c3d4, 1, recs, 2);
	buf[4] = 1;
	expect_damage(buf, len, 0, "unsupported pcap savefile version 1.4");
	expect_damage(buf, 0, 0, "truncated dump file; tried to read 4 file header bytes, only got 0");
	expect_damage((const uint8_t *)"hello, world\n", 13, 0, "unknown file format");
	expect_damage(buf, 10, 0, "truncated dump file; tried to read 24 file header bytes, only got 10");

	/* pcapng: a good packet, then each kind of damage */
#define NG_DAMAGE(packets, says, ...) do { \
		b.len = 0; \
		shb(&b, 0); \
		idb(&b, 1, 0, -1); \
		epb(&b, 0, 1, "ok"); \
		__VA_ARGS__; \
		expect_damage(b.buf, b.len, packets, says); \
	} while (0)
	NG_DAMAGE(1, "block length 2147483632 is larger than",
		  blk_begin(&b, PTD_SF_BT_EPB); put32(&b, 0); b.len -= 8;
		  put32(&b, 0x7ffffff0); put32(&b, 0));
	NG_DAMAGE(1, "block length 30 is not a multiple of 4",
		  blk_begin(&b, 0x77); b.len -= 4; put32(&b, 30); put32(&b, 0);
		  put32(&b, 0); put32(&b, 0); put32(&b, 0); put32(&b, 0));
	NG_DAMAGE(1, "corrupt block at offset 112: block length 8 is less than 12",
		  blk_begin(&b, 0x77); b.len -= 4; put32(&b, 8); put32(&b, 8));
	NG_DAMAGE(1, "Enhanced Packet Block at offset 112: block length 24 is less than 32",
		  blk_begin(&b, PTD_SF_BT_EPB); put32(&b, 0); put32(&b, 0);
		  put32(&b, 0); blk_end(&b));
	NG_DAMAGE(1, "trailing length 28 does not match the leading 24",
		  blk_begin(&b, 0x77); put32(&b, 0); put32(&b, 0); put32(&b, 0);
		  blk_end(&b); b.buf[b.len - 4] = 28);
	NG_DAMAGE(1, "captured length 1000 runs past the end of the 40-byte block",
		  epb_start(&b, 0, 1, "12345678", 8); blk_end(&b);
		  b.buf[b.blk + 20] = 0xe8; b.buf[b.blk + 21] = 0x03);
	NG_DAMAGE(1, "captured length 536870912 is larger than",
		  epb_start(&b, 0, 1, "12345678", 8); blk_end(&b);
		  b.buf[b.blk + 20] = 0; b.buf[b.blk + 23] = 0x20);
	NG_DAMAGE(1, "Enhanced Packet Block at offset 112: interface 5 is not defined (the section has 1)",
		  epb(&b, 5, 1, "bad"));
	NG_DAMAGE(1, "the option at offset 144 runs past the end of the block",
		  epb_start(&b, 0, 1, "opts", 4); put16(&b, 1); put16(&b, 200);
		  put32(&b, 0); blk_end(&b));
	NG_DAMAGE(1, "if_tsresol has length 2, not 1",
		  blk_begin(&b, PTD_SF_BT_IDB); put16(&b, 1); put16(&b, 0);
		  put32(&b, 0); opt(&b, PTD_SF_OPT_IF_TSRESOL, "\6\6", 2);
		  opt_end(&b); blk_end(&b));
	NG_DAMAGE(1, "if_tsresol 0x14 is out of range", idb(&b, 1, 0, 20));
	NG_DAMAGE(1, "if_tsoffset has length 4, not 8",
		  blk_begin(&b, PTD_SF_BT_IDB); put16(&b, 1); put16(&b, 0);
		  put32(&b, 0); opt_u32(&b, PTD_SF_OPT_IF_TSOFFSET, 1);
		  opt_end(&b); blk_end(&b));
	NG_DAMAGE(1, "Section Header Block at offset 112: bad byte-order magic",
		  shb(&b, 0); b.buf[b.blk + 8] = 0x55);
	NG_DAMAGE(1, "unsupported pcapng version 2.0",
		  shb(&b, 0); b.buf[b.blk + 12] = 2);
	NG_DAMAGE(1, "Simple Packet Block at offset 164: interface 0 is not defined (the section has 0)",
		  shb(&b, 1); blk_begin(&b, PTD_SF_BT_SPB); put32(&b, 1);
		  put32(&b, 0); blk_end(&b));
#undef NG_DAMAGE

	b.len = 0;
	shb(&b, 0);
	expect_damage(b.buf, b.len, 0, "the capture file has no Interface Description Blocks");
	b.buf[8] = 0x55;
	expect_damage(b.buf, b.len, 0, "unknown file format");
}
END_TEST

static TCase *crafted_tcase(void)
{
	TCase *tc = tcase_create("crafted");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_crafted_pcapng);
	tcase_add_test(tc, test_option_iterator);
	tcase_add_test(tc, test_crafted_pcap_variants);
	tcase_add_test(tc, test_snaplen_cut);
	tcase_add_loop_test(tc, test_truncation_everywhere, 0, 3);
	tcase_add_test(tc, test_absurd_lengths);
	return tc;
}

static Suite *savefile_suite(void)
{
	Suite *s = suite_create("savefile");
	TCase *tc = tcase_create("samples");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_sample_vs_libpcap, 0,
			    (int)(sizeof(libpcap_samples) / sizeof(libpcap_samples[0])));
	tcase_add_loop_test(tc, test_sample_granularity, 0, 4);
	tcase_add_test(tc, test_sample_headers);
	tcase_add_loop_test(tc, test_sample_big_endian, 0, 2);
	tcase_add_loop_test(tc, test_sample_annotated, 0, 2);
	tcase_add_test(tc, test_sample_multi_if);
	tcase_add_test(tc, test_sample_multi_section);
	tcase_add_test(tc, test_linktype_map);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, crafted_tcase());
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(savefile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
