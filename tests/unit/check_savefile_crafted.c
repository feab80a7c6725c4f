/* SPDX-License-Identifier: BSD-2-Clause */
/* The savefile reader on crafted files: every pcapng block kind in two
 * sections of either byte order, the option iterator, the pcap magic
 * numbers and link types, and records cut by the snap length. */
#include "config.h"

#include <check.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/savefile_harness.h"

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

static Suite *savefile_crafted_suite(void)
{
	Suite *s = suite_create("savefile-crafted");
	TCase *tc = tcase_create("crafted");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_crafted_pcapng);
	tcase_add_test(tc, test_option_iterator);
	tcase_add_test(tc, test_crafted_pcap_variants);
	tcase_add_test(tc, test_snaplen_cut);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(savefile_crafted_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
