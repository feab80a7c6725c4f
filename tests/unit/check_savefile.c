/* SPDX-License-Identifier: BSD-2-Clause */
/* The savefile reader on the sample captures of tests/data: against
 * libpcap, fed at every granularity, and what it says of headers, byte
 * order, annotations, interfaces and sections. */
#include "config.h"

#include <check.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/savefile_harness.h"

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
