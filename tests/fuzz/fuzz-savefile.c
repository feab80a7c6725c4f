// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer harness for the capture file reader (backends/file/savefile.h).
 *
 * The input is the file itself, so real captures are valid seeds.  It is fed
 * in chunks whose sizes come from a hash of the input: a reader that only
 * works when a record arrives whole fails here.  Half of the inputs go
 * through ptd_sf_feed(), the other half through ptd_sf_reserve/commit.
 *
 * Every record is walked the way a consumer would: packet bytes, comment,
 * every option through the iterator (with the integer getters at every
 * offset they allow), every interface's strings.  The reader's promises are
 * checked with abort(), so a broken promise is a crash like any other.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/file/savefile.h"

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: broken promise: %s\n", __FILE__, __LINE__, \
		#cond); abort(); } } while (0)

static volatile uint64_t sink;

static uint64_t hash_input(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < size; i++)
		h = (h ^ data[i]) * 0x100000001b3ull;
	return h ? h : 1;
}

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Small chunks mostly, sometimes large ones, sometimes all that is left. */
static size_t next_chunk(uint64_t *rng, size_t left)
{
	uint64_t r = xorshift(rng);
	size_t n;

	switch (r & 7) {
	case 0: n = 1; break;
	case 1: case 2: case 3: n = 1 + (size_t)((r >> 8) % 16); break;
	case 4: case 5: n = 1 + (size_t)((r >> 8) % 256); break;
	case 6: n = 1 + (size_t)((r >> 8) % 8192); break;
	default: n = left; break;
	}
	return n < left ? n : left;
}

static void touch(const uint8_t *p, size_t n)
{
	uint64_t acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc += p[i];
	sink += acc;
}

static void walk_options(const struct ptd_sf_packet *pkt)
{
	struct ptd_sf_opt_iter it;
	struct ptd_sf_opt opt;
	unsigned count = 0;

	ptd_sf_opt_iter_init(&it, pkt);
	while (ptd_sf_opt_next(&it, &opt)) {
		size_t at;

		CHECK(++count <= pkt->options_len / 4 + 1);
		CHECK(opt.len == 0 || opt.value != NULL);
		if (opt.len)
			touch(opt.value, opt.len);
		for (at = 0; at + 2 <= opt.len; at++)
			sink += ptd_sf_opt_u16(&opt, at);
		for (at = 0; at + 4 <= opt.len; at++)
			sink += ptd_sf_opt_u32(&opt, at);
		for (at = 0; at + 8 <= opt.len; at++)
			sink += ptd_sf_opt_u64(&opt, at);
	}
}

static void walk_packet(const struct ptd_sf *sf,
			const struct ptd_sf_packet *pkt)
{
	const struct ptd_sf_iface *ifc;

	CHECK(pkt->iface < ptd_sf_iface_count(sf));
	ifc = ptd_sf_iface_at(sf, pkt->iface);
	CHECK(ifc != NULL);
	CHECK(pkt->caplen <= PTD_SF_MAX_CAPLEN);
	CHECK(pkt->caplen == 0 || pkt->data != NULL);
	if (pkt->caplen)
		touch(pkt->data, pkt->caplen);
	if (pkt->comment)
		sink += strlen(pkt->comment);
	CHECK(pkt->options_len == 0 || pkt->options != NULL);
	if (pkt->options_len)
		touch(pkt->options, pkt->options_len);
	walk_options(pkt);
}

static void walk_iface(const struct ptd_sf *sf, uint32_t idx)
{
	const struct ptd_sf_iface *ifc = ptd_sf_iface_at(sf, idx);

	CHECK(ifc != NULL);
	CHECK(ifc->index == idx);
	CHECK(ifc->ts_units != 0);
	if (ifc->name)
		sink += strlen(ifc->name);
	if (ifc->description)
		sink += strlen(ifc->description);
	sink += (uint64_t)ptd_sf_linktype_to_dlt(ifc->file_linktype);
}

/* Pulls every result available now.  1 when the reader is done. */
static int drain(struct ptd_sf *sf, int at_eof)
{
	struct ptd_sf_packet pkt;
	uint32_t ifaces = ptd_sf_iface_count(sf);

	for (;;) {
		int r = ptd_sf_next(sf, &pkt);

		switch (r) {
		case PTD_SF_NEED_MORE:
			/* after EOF a partial record is an error, not a wait */
			CHECK(!at_eof);
			return 0;
		case PTD_SF_PACKET:
			walk_packet(sf, &pkt);
			break;
		case PTD_SF_IFACE:
			CHECK(ptd_sf_iface_count(sf) > ifaces);
			CHECK(ptd_sf_iface_count(sf) <= PTD_SF_MAX_IFACES);
			for (; ifaces < ptd_sf_iface_count(sf); ifaces++)
				walk_iface(sf, ifaces);
			break;
		case PTD_SF_END:
			CHECK(at_eof);
			CHECK(ptd_sf_next(sf, &pkt) == PTD_SF_END);
			return 1;
		default:
			CHECK(r < 0);
			CHECK(ptd_sf_error(sf) != NULL);
			sink += strlen(ptd_sf_error(sf));
			/* errors stick */
			CHECK(ptd_sf_next(sf, &pkt) == r);
			return 1;
		}
	}
}

static int feed(struct ptd_sf *sf, const uint8_t *p, size_t n, int zero_copy)
{
	uint8_t *buf;
	size_t room;

	if (!zero_copy)
		return ptd_sf_feed(sf, p, n);
	if (ptd_sf_reserve(sf, n, &buf, &room) < 0)
		return -1;
	CHECK(room >= n);
	memcpy(buf, p, n);
	ptd_sf_commit(sf, n);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t rng = hash_input(data, size);
	int zero_copy = (int)(rng & 1);
	struct ptd_sf *sf = ptd_sf_new();
	size_t pos = 0;
	int done = 0;

	if (!sf)
		return 0;
	while (!done && pos < size) {
		size_t n = next_chunk(&rng, size - pos);

		if (feed(sf, data + pos, n, zero_copy) < 0)
			goto out;
		pos += n;
		done = drain(sf, 0);
	}
	if (!done) {
		ptd_sf_set_eof(sf);
		drain(sf, 1);
	}
	sink += ptd_sf_offset(sf) + ptd_sf_buffered(sf) +
		(uint64_t)ptd_sf_format(sf);
	CHECK(ptd_sf_iface_at(sf, ptd_sf_iface_count(sf)) == NULL);
out:
	ptd_sf_free(sf);
	return 0;
}
