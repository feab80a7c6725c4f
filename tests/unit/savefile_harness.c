/* SPDX-License-Identifier: BSD-2-Clause */
/* The savefile reader's shared test code (see savefile_harness.h). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/savefile_harness.h"

uint64_t fnv(const uint8_t *p, size_t n)
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

char *sample_path(const char *name)
{
	static char path[4200];

	snprintf(path, sizeof(path), "%s/%s", data_dir(), name);
	return path;
}

uint8_t *slurp(const char *name, size_t *len)
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
void parse(struct run *run, const uint8_t *buf, size_t len, size_t chunk)
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

void run_free(struct run *run)
{
	free(run->recs);
	ptd_sf_free(run->sf);
	memset(run, 0, sizeof(*run));
}

void assert_same_runs(const struct run *a, const struct run *b)
{
	size_t i;

	ck_assert_uint_eq(a->n, b->n);
	ck_assert_int_eq(a->result, b->result);
	ck_assert_str_eq(a->err, b->err);
	for (i = 0; i < a->n; i++)
		ck_assert_msg(memcmp(&a->recs[i], &b->recs[i], sizeof(struct rec)) == 0,
			      "record %zu differs", i);
}

const struct rec *nth_packet(const struct run *run, size_t k)
{
	size_t i;

	for (i = 0; i < run->n; i++)
		if (run->recs[i].kind == PTD_SF_PACKET && k-- == 0)
			return &run->recs[i];
	ck_abort_msg("no packet %zu", k);
	return NULL;
}

/* ------------------------------------------------------------ crafted files */

void put(struct bld *b, const void *p, size_t n)
{
	ck_assert_uint_le(b->len + n, sizeof(b->buf));
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

void put_uint(struct bld *b, uint64_t v, int bytes)
{
	uint8_t o[8];
	int i;

	for (i = 0; i < bytes; i++)
		o[b->big ? bytes - 1 - i : i] = (uint8_t)(v >> (8 * i));
	put(b, o, (size_t)bytes);
}

void pad(struct bld *b)
{
	static const uint8_t zero[4];

	put(b, zero, (4 - b->len % 4) % 4);
}

void blk_begin(struct bld *b, uint32_t type)
{
	b->blk = b->len;
	put32(b, type);
	put32(b, 0);
}

void blk_end(struct bld *b)
{
	uint32_t total = (uint32_t)(b->len - b->blk + 4);
	size_t at = b->len;

	put32(b, total);
	b->len = b->blk + 4;
	put32(b, total);
	b->len = at + 4;
}

void opt(struct bld *b, uint16_t code, const void *v, uint16_t len)
{
	put16(b, code);
	put16(b, len);
	put(b, v, len);
	pad(b);
}

void opt_str(struct bld *b, uint16_t code, const char *s)
{
	opt(b, code, s, (uint16_t)strlen(s));
}

void opt_u32(struct bld *b, uint16_t code, uint32_t v)
{
	put16(b, code);
	put16(b, 4);
	put32(b, v);
}

void opt_end(struct bld *b)
{
	put32(b, 0);
}

void shb(struct bld *b, int big)
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
void idb(struct bld *b, uint16_t lt, uint32_t snap, int tsresol)
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

void epb_start(struct bld *b, uint32_t ifid, uint64_t ticks,
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

void epb(struct bld *b, uint32_t ifid, uint64_t ticks, const char *data)
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
size_t craft_pcapng(uint8_t *out)
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


size_t craft_pcap(uint8_t *out, int big, uint32_t magic, uint32_t lt,
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
