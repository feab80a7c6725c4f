/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The pcapng half of the savefile reader: a sequence of blocks, each
 *
 *   +---------------------------------------------------------------+
 *   | block type 4 | total length 4 | body ... | total length 4     |
 *   +---------------------------------------------------------------+
 *
 * with the total length a multiple of 4.  A Section Header Block starts each
 * section and fixes its byte order; Interface Description Blocks number the
 * section's interfaces from 0; packets (EPB, SPB, obsolete PB) refer to them.
 * Bodies end in options: {code 2, length 2, value padded to 4}, closed by
 * opt_endofopt or by the end of the block.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backends/file/savefile-int.h"

/*
 * ticks since the epoch at units per second -> ns.  rem * 1e9 overflows 64
 * bits once units exceed ~1.8e10 (if_tsresol 10^-11 and finer, 2^-35 ...).
 */
static uint64_t ticks_to_ns(uint64_t ticks, uint64_t units)
{
	uint64_t sec = ticks / units;
	uint64_t rem = ticks % units;
	uint64_t frac;

	if (units <= 1000000000u && 1000000000u % units == 0)
		frac = rem * (1000000000u / units);
	else
#ifdef __SIZEOF_INT128__
		frac = (uint64_t)((unsigned __int128)rem * 1000000000u / units);
#else
		frac = (uint64_t)((long double)rem * 1e9L / (long double)units);
#endif
	return sec * 1000000000u + frac;
}

static const char *block_name(uint32_t type)
{
	switch (type) {
	case PTD_SF_BT_SHB: return "Section Header Block";
	case PTD_SF_BT_IDB: return "Interface Description Block";
	case PTD_SF_BT_PB:  return "Packet Block";
	case PTD_SF_BT_SPB: return "Simple Packet Block";
	case PTD_SF_BT_EPB: return "Enhanced Packet Block";
	default:            return "block";
	}
}

/* Smallest valid total length per block type (header, fixed body, trailer). */
static uint32_t block_min_len(uint32_t type)
{
	switch (type) {
	case PTD_SF_BT_SHB: return 28;
	case PTD_SF_BT_IDB: return 20;
	case PTD_SF_BT_PB:  return 32;
	case PTD_SF_BT_SPB: return 16;
	case PTD_SF_BT_EPB: return 32;
	default:            return NG_MIN_BLOCK;
	}
}

/* ---------------------------------------------------------------- options */

/* 1: one option in *opt; 0: the end; -1: an option runs past the end. */
static int opt_step(const uint8_t **pos, const uint8_t *end, int swapped,
		    struct ptd_sf_opt *opt)
{
	const uint8_t *p = *pos;
	size_t left = (size_t)(end - p);
	uint32_t padded;

	if (left == 0)
		return 0;
	if (left < 4)
		return -1;
	opt->code = get16(p, swapped);
	opt->len = get16(p + 2, swapped);
	opt->value = p + 4;
	opt->swapped = swapped;
	if (opt->code == PTD_SF_OPT_ENDOFOPT)
		return 0;
	padded = pad4(opt->len);
	if (padded > left - 4)
		return -1;
	*pos = p + 4 + padded;
	return 1;
}

void ptd_sf_opt_iter_init(struct ptd_sf_opt_iter *it,
			  const struct ptd_sf_packet *pkt)
{
	it->pos = pkt->options;
	it->end = pkt->options ? pkt->options + pkt->options_len : NULL;
	it->swapped = pkt->swapped;
}

int ptd_sf_opt_next(struct ptd_sf_opt_iter *it, struct ptd_sf_opt *opt)
{
	int r;

	if (!it->pos)
		return 0;
	r = opt_step(&it->pos, it->end, it->swapped, opt);
	if (r <= 0) {
		it->pos = NULL;
		return 0;
	}
	return 1;
}

uint16_t ptd_sf_opt_u16(const struct ptd_sf_opt *opt, size_t at)
{
	return at + 2 <= opt->len ? get16(opt->value + at, opt->swapped) : 0;
}

uint32_t ptd_sf_opt_u32(const struct ptd_sf_opt *opt, size_t at)
{
	return at + 4 <= opt->len ? get32(opt->value + at, opt->swapped) : 0;
}

uint64_t ptd_sf_opt_u64(const struct ptd_sf_opt *opt, size_t at)
{
	return at + 8 <= opt->len ? get64(opt->value + at, opt->swapped) : 0;
}

/* Checks that a whole option list (opts..end of the block at blk, which
 * starts at stream offset off) stays inside its block. */
static int check_options(struct ptd_sf *sf, uint32_t type, unsigned long long off,
			 const uint8_t *blk, const uint8_t *opts,
			 const uint8_t *end)
{
	const uint8_t *pos = opts;
	struct ptd_sf_opt opt;
	int r;

	while ((r = opt_step(&pos, end, sf->swapped, &opt)) > 0)
		;
	if (r < 0)
		return sfi_fail(sf, -EINVAL,
			    "corrupt %s at offset %llu: the option at offset %llu runs past the end of the block",
			    block_name(type), off,
			    off + (unsigned long long)(pos - blk));
	return 0;
}

static int set_comment(struct ptd_sf *sf, const struct ptd_sf_opt *opt)
{
	if (sf->comment_cap < (size_t)opt->len + 1) {
		char *c = realloc(sf->comment, (size_t)opt->len + 1);

		if (!c)
			return sfi_fail_nomem(sf);
		sf->comment = c;
		sf->comment_cap = (size_t)opt->len + 1;
	}
	memcpy(sf->comment, opt->value, opt->len);
	sf->comment[opt->len] = '\0';
	return 0;
}

/* ---------------------------------------------------------------- blocks */

static int read_shb(struct ptd_sf *sf, const uint8_t *p, uint32_t total,
		    unsigned long long off)
{
	uint16_t major = get16(p + 12, sf->swapped);
	uint16_t minor = get16(p + 14, sf->swapped);
	int r;

	/* 1.0 is the format; 1.2 was written by some old tools. */
	if (major != 1)
		return sfi_fail(sf, -EINVAL,
			    "unsupported pcapng version %u.%u in the Section Header Block at offset %llu",
			    major, minor, off);
	r = check_options(sf, PTD_SF_BT_SHB, off, p, p + 24, p + total - 4);
	if (r < 0)
		return r;
	sf->sections++;
	sf->section_first = sf->n_ifaces;
	return SF_AGAIN;
}

static int tsresol_units(uint8_t v, uint64_t *units)
{
	uint32_t n = v & 0x7fu;
	uint64_t u = 1;

	if (v & 0x80u) {
		if (n > 63)
			return -1;
		*units = 1ull << n;
		return 0;
	}
	if (n > 19) /* 10^20 does not fit 64 bits */
		return -1;
	while (n--)
		u *= 10;
	*units = u;
	return 0;
}

static int dup_opt_string(struct ptd_sf *sf, const char **dst,
			  const struct ptd_sf_opt *opt)
{
	char *s;

	if (*dst)
		return 0; /* the first one wins */
	s = malloc((size_t)opt->len + 1);
	if (!s)
		return sfi_fail_nomem(sf);
	memcpy(s, opt->value, opt->len);
	s[opt->len] = '\0';
	*dst = s;
	return 0;
}

static int read_idb_option(struct ptd_sf *sf, struct ptd_sf_iface *ifc,
			   const struct ptd_sf_opt *opt, unsigned long long off)
{
	switch (opt->code) {
	case PTD_SF_OPT_IF_NAME:
		return dup_opt_string(sf, &ifc->name, opt);
	case PTD_SF_OPT_IF_DESC:
		return dup_opt_string(sf, &ifc->description, opt);
	case PTD_SF_OPT_IF_TSRESOL:
		if (opt->len != 1)
			return sfi_fail(sf, -EINVAL,
				    "corrupt Interface Description Block at offset %llu: if_tsresol has length %u, not 1",
				    off, opt->len);
		if (tsresol_units(opt->value[0], &ifc->ts_units) < 0)
			return sfi_fail(sf, -EINVAL,
				    "corrupt Interface Description Block at offset %llu: if_tsresol 0x%02x is out of range",
				    off, opt->value[0]);
		return 0;
	case PTD_SF_OPT_IF_TSOFFSET:
		if (opt->len != 8)
			return sfi_fail(sf, -EINVAL,
				    "corrupt Interface Description Block at offset %llu: if_tsoffset has length %u, not 8",
				    off, opt->len);
		ifc->ts_offset = (int64_t)get64(opt->value, opt->swapped);
		return 0;
	case PTD_SF_OPT_IF_FCSLEN:
		if (opt->len == 1)
			ifc->fcs_len = opt->value[0];
		return 0;
	default:
		return 0;
	}
}

static int read_idb(struct ptd_sf *sf, const uint8_t *p, uint32_t total,
		    unsigned long long off)
{
	const uint8_t *pos = p + 16, *end = p + total - 4;
	struct ptd_sf_iface *ifc;
	struct ptd_sf_opt opt;
	int r;

	r = check_options(sf, PTD_SF_BT_IDB, off, p, pos, end);
	if (r < 0)
		return r;
	ifc = sfi_new_iface(get16(p + 8, sf->swapped), get32(p + 12, sf->swapped));
	if (!ifc)
		return sfi_fail_nomem(sf);
	ifc->section = sf->sections - 1;
	while (opt_step(&pos, end, sf->swapped, &opt) > 0) {
		r = read_idb_option(sf, ifc, &opt, off);
		if (r < 0)
			goto out;
	}
	r = sfi_add_iface(sf, ifc, off);
	if (r == 0)
		return PTD_SF_IFACE;
out:
	sfi_free_iface(ifc);
	return r;
}

/* Maps a section-relative interface id to the table, or fails. */
static int section_iface(struct ptd_sf *sf, uint32_t type, uint32_t id,
			 unsigned long long off, uint32_t *index)
{
	uint32_t in_section = sf->n_ifaces - sf->section_first;

	if (id >= in_section)
		return sfi_fail(sf, -EINVAL,
			    "corrupt %s at offset %llu: interface %u is not defined (the section has %u)",
			    block_name(type), off, id, in_section);
	*index = sf->section_first + id;
	return 0;
}

/* Direction, flags and the first comment of an EPB or PB. */
static int read_packet_options(struct ptd_sf *sf, struct ptd_sf_packet *pkt)
{
	const uint8_t *pos = pkt->options;
	const uint8_t *end = pkt->options + pkt->options_len;
	struct ptd_sf_opt opt;
	int r;

	while (opt_step(&pos, end, sf->swapped, &opt) > 0) {
		if (opt.code == PTD_SF_OPT_EPB_FLAGS && opt.len == 4 &&
		    !pkt->have_flags) {
			pkt->have_flags = 1;
			pkt->flags = get32(opt.value, sf->swapped);
			if ((pkt->flags & 3u) == 1)
				pkt->direction = PTD_DIR_IN;
			else if ((pkt->flags & 3u) == 2)
				pkt->direction = PTD_DIR_OUT;
		} else if (opt.code == PTD_SF_OPT_COMMENT && !pkt->comment) {
			r = set_comment(sf, &opt);
			if (r < 0)
				return r;
			pkt->comment = sf->comment;
		}
	}
	return 0;
}

/* EPB and the obsolete PB share their layout after the interface id. */
static int read_epb_or_pb(struct ptd_sf *sf, uint32_t type, const uint8_t *p,
			  uint32_t total, unsigned long long off,
			  struct ptd_sf_packet *pkt)
{
	uint32_t id, caplen, index = 0;
	const struct ptd_sf_iface *ifc;
	uint64_t ticks;
	int r;

	id = type == PTD_SF_BT_PB ? get16(p + 8, sf->swapped) :
				     get32(p + 8, sf->swapped);
	caplen = get32(p + 20, sf->swapped);
	if (caplen > PTD_SF_MAX_CAPLEN)
		return sfi_fail(sf, -EINVAL,
			    "corrupt %s at offset %llu: captured length %u is larger than %u",
			    block_name(type), off, caplen, PTD_SF_MAX_CAPLEN);
	if (caplen > total - 32)
		return sfi_fail(sf, -EINVAL,
			    "corrupt %s at offset %llu: captured length %u runs past the end of the %u-byte block",
			    block_name(type), off, caplen, total);
	r = section_iface(sf, type, id, off, &index);
	if (r < 0)
		return r;
	r = check_options(sf, type, off, p, p + 28 + pad4(caplen),
			  p + total - 4);
	if (r < 0)
		return r;
	ifc = sf->ifaces[index];
	ticks = (uint64_t)get32(p + 12, sf->swapped) << 32 | get32(p + 16, sf->swapped);
	memset(pkt, 0, sizeof(*pkt));
	pkt->offset = off;
	pkt->block_type = type;
	pkt->ts_ns = ticks_to_ns(ticks, ifc->ts_units) +
		     (uint64_t)ifc->ts_offset * 1000000000u;
	/* as libpcap delivers pcap records: cut at the snapshot length */
	pkt->caplen = caplen < ifc->snaplen ? caplen : ifc->snaplen;
	pkt->len = get32(p + 24, sf->swapped);
	pkt->data = p + 28;
	pkt->iface = index;
	pkt->options = p + 28 + pad4(caplen);
	pkt->options_len = total - 4 - (28 + pad4(caplen));
	pkt->swapped = sf->swapped;
	r = read_packet_options(sf, pkt);
	return r < 0 ? r : PTD_SF_PACKET;
}

static int read_spb(struct ptd_sf *sf, const uint8_t *p, uint32_t total,
		    unsigned long long off, struct ptd_sf_packet *pkt)
{
	uint32_t index = 0, len, caplen;
	int r;

	/* An SPB always belongs to the section's first interface. */
	r = section_iface(sf, PTD_SF_BT_SPB, 0, off, &index);
	if (r < 0)
		return r;
	len = get32(p + 8, sf->swapped);
	caplen = len < total - 16 ? len : total - 16;
	if (caplen > sf->ifaces[index]->snaplen)
		caplen = sf->ifaces[index]->snaplen;
	memset(pkt, 0, sizeof(*pkt));
	pkt->offset = off;
	pkt->block_type = PTD_SF_BT_SPB;
	pkt->caplen = caplen;
	pkt->len = len;
	pkt->data = p + 12;
	pkt->iface = index;
	pkt->swapped = sf->swapped;
	return PTD_SF_PACKET;
}

/* The block's type, length and byte order, once 12 bytes are there. */
static int block_header(struct ptd_sf *sf, const uint8_t *p,
			unsigned long long off, uint32_t *type, uint32_t *total)
{
	uint32_t bom;

	memcpy(type, p, 4); /* the SHB type reads the same in both orders */
	if (*type == PTD_SF_BT_SHB) {
		memcpy(&bom, p + 8, 4);
		if (bom == PCAPNG_BOM) {
			sf->swapped = 0;
		} else if (__builtin_bswap32(bom) == PCAPNG_BOM) {
			sf->swapped = 1;
		} else if (sf->sections == 0) {
			return sfi_fail(sf, -EINVAL, "unknown file format");
		} else {
			return sfi_fail(sf, -EINVAL,
				    "corrupt Section Header Block at offset %llu: bad byte-order magic 0x%08x",
				    off, bom);
		}
	} else {
		*type = get32(p, sf->swapped);
	}
	*total = get32(p + 4, sf->swapped);
	if (*total % 4 != 0)
		return sfi_fail(sf, -EINVAL,
			    "corrupt %s at offset %llu: block length %u is not a multiple of 4",
			    block_name(*type), off, *total);
	if (*total < block_min_len(*type))
		return sfi_fail(sf, -EINVAL,
			    "corrupt %s at offset %llu: block length %u is less than %u",
			    block_name(*type), off, *total, block_min_len(*type));
	if (*total > PTD_SF_MAX_BLOCK)
		return sfi_fail(sf, -EINVAL,
			    "corrupt %s at offset %llu: block length %u is larger than %u",
			    block_name(*type), off, *total, PTD_SF_MAX_BLOCK);
	return 0;
}

int sfi_read_block(struct ptd_sf *sf, struct ptd_sf_packet *pkt)
{
	const uint8_t *p = sf->buf + sf->start;
	size_t avail = sf->end - sf->start;
	unsigned long long off = sf->base;
	uint32_t type = 0, total = 0, trailer;
	int r;

	if (avail < NG_MIN_BLOCK) {
		if (!sf->eof)
			return PTD_SF_NEED_MORE;
		if (avail == 0 && sf->n_ifaces == 0)
			return sfi_fail(sf, -EINVAL,
				    "the capture file has no Interface Description Blocks");
		if (avail == 0) {
			sf->state = ST_END;
			return PTD_SF_END;
		}
		return sfi_fail(sf, -EINVAL,
			    "truncated block header at offset %llu: need %u bytes, file ends after %zu",
			    off, NG_MIN_BLOCK, avail);
	}
	r = block_header(sf, p, off, &type, &total);
	if (r < 0)
		return r;
	if (avail < total) {
		if (!sf->eof)
			return PTD_SF_NEED_MORE;
		return sfi_fail(sf, -EINVAL,
			    "truncated %s at offset %llu: header says %u bytes, file ends after %zu",
			    block_name(type), off, total, avail);
	}
	trailer = get32(p + total - 4, sf->swapped);
	if (trailer != total)
		return sfi_fail(sf, -EINVAL,
			    "corrupt %s at offset %llu: trailing length %u does not match the leading %u",
			    block_name(type), off, trailer, total);
	switch (type) {
	case PTD_SF_BT_SHB:
		r = read_shb(sf, p, total, off);
		break;
	case PTD_SF_BT_IDB:
		r = read_idb(sf, p, total, off);
		break;
	case PTD_SF_BT_EPB:
	case PTD_SF_BT_PB:
		r = read_epb_or_pb(sf, type, p, total, off, pkt);
		break;
	case PTD_SF_BT_SPB:
		r = read_spb(sf, p, total, off, pkt);
		break;
	default:
		/* NRB, ISB, DSB, custom, journal and unknown blocks: their
		 * content does not change what the packets mean. */
		r = SF_AGAIN;
		break;
	}
	if (r >= 0)
		sfi_consume(sf, total);
	return r;
}

