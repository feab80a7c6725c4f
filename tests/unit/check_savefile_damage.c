/* SPDX-License-Identifier: BSD-2-Clause */
/* The savefile reader on damaged files: cut at every offset (crafted and
 * real captures), and each kind of corrupt header, record, block and
 * option, read whole and byte by byte alike. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/savefile_harness.h"

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

static Suite *savefile_damage_suite(void)
{
	Suite *s = suite_create("savefile-damage");
	TCase *tc = tcase_create("damage");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_truncation_everywhere, 0, 3);
	tcase_add_test(tc, test_absurd_lengths);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(savefile_damage_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
