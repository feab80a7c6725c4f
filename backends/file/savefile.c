/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Incremental pcap / pcapng reader; see savefile.h for the contract.
 *
 * classic pcap (all integers in the writer's byte order):
 *
 *   file header, 24 bytes          record header, 16 bytes (+ caplen data)
 *   +--------------------------+   +------------------------------------+
 *   | magic                  4 |   | ts seconds                       4 |
 *   | version major 2, minor 2 |   | ts micro- or nanoseconds         4 |
 *   | thiszone               4 |   | captured length                  4 |
 *   | sigfigs                4 |   | original length                  4 |
 *   | snaplen                4 |   +------------------------------------+
 *   | linktype (+FCS bits)   4 |
 *   +--------------------------+
 *
 * pcapng lives in pcapng.c.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "backends/file/savefile-int.h"

#define PCAP_MAGIC_USEC      0xa1b2c3d4u
#define PCAP_MAGIC_NSEC      0xa1b23c4du
/* A patched libpcap's format: 24-byte records (ifindex, protocol, type). */
#define PCAP_MAGIC_KUZNETSOV 0xa1b2cd34u
#define PCAP_FILE_HDR_LEN    24u

/* ---------------------------------------------------------------- helpers */

int sfi_fail(struct ptd_sf *sf, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sf->errmsg, sizeof(sf->errmsg), fmt, ap);
	va_end(ap);
	sf->state = ST_ERROR;
	sf->err = err;
	return err;
}

int sfi_fail_nomem(struct ptd_sf *sf)
{
	return sfi_fail(sf, -ENOMEM, "out of memory");
}

void sfi_consume(struct ptd_sf *sf, size_t n)
{
	sf->start += n;
	sf->base += n;
}

int ptd_sf_linktype_to_dlt(uint32_t linktype)
{
	/* The LINKTYPE_* values that differ from (some platform's) DLT_*;
	 * every other value is the same in both numberings. */
	switch (linktype) {
	case 50:  return DLT_PPP_SERIAL;  /* LINKTYPE_PPP_HDLC */
	case 51:  return DLT_PPP_ETHER;   /* LINKTYPE_PPP_ETHER */
	case 100: return DLT_ATM_RFC1483; /* LINKTYPE_ATM_RFC1483 */
	case 101: return DLT_RAW;         /* LINKTYPE_RAW */
	case 102: return DLT_SLIP_BSDOS;  /* LINKTYPE_SLIP_BSDOS */
	case 103: return DLT_PPP_BSDOS;   /* LINKTYPE_PPP_BSDOS */
	case 106: return DLT_ATM_CLIP;    /* LINKTYPE_ATM_CLIP */
	case 246: return DLT_PFSYNC;      /* LINKTYPE_PFSYNC */
	case 258: return DLT_PKTAP;       /* LINKTYPE_PKTAP */
	default:  return (int)linktype;
	}
}

/* ---------------------------------------------------------------- interfaces */

int sfi_add_iface(struct ptd_sf *sf, struct ptd_sf_iface *ifc, uint64_t off)
{
	if (sf->n_ifaces >= PTD_SF_MAX_IFACES)
		return sfi_fail(sf, -EINVAL,
			    "corrupt file at offset %llu: more than %u interfaces",
			    (unsigned long long)off, PTD_SF_MAX_IFACES);
	if (sf->n_ifaces == sf->cap_ifaces) {
		uint32_t ncap = sf->cap_ifaces ? sf->cap_ifaces * 2 : 8;
		struct ptd_sf_iface **n = realloc(sf->ifaces, ncap * sizeof(*n));

		if (!n)
			return sfi_fail_nomem(sf);
		sf->ifaces = n;
		sf->cap_ifaces = ncap;
	}
	ifc->index = sf->n_ifaces;
	sf->ifaces[sf->n_ifaces++] = ifc;
	return 0;
}

void sfi_free_iface(struct ptd_sf_iface *ifc)
{
	if (!ifc)
		return;
	free((char *)ifc->name);
	free((char *)ifc->description);
	free(ifc);
}

struct ptd_sf_iface *sfi_new_iface(uint32_t file_linktype, uint32_t snaplen)
{
	struct ptd_sf_iface *ifc = calloc(1, sizeof(*ifc));

	if (!ifc)
		return NULL;
	ifc->file_linktype = file_linktype;
	ifc->linktype = ptd_sf_linktype_to_dlt(file_linktype);
	/* libpcap, too, treats 0 and absurd snapshot lengths as "the maximum" */
	ifc->snaplen = snaplen == 0 || snaplen > PTD_SF_DEFAULT_SNAPLEN ?
		       PTD_SF_DEFAULT_SNAPLEN : snaplen;
	ifc->ts_units = 1000000;
	ifc->fcs_len = -1;
	return ifc;
}

/* ---------------------------------------------------------------- pcap */

static int read_magic(struct ptd_sf *sf)
{
	size_t avail = sf->end - sf->start;
	uint32_t m, sm;

	if (avail < 4) {
		if (!sf->eof)
			return PTD_SF_NEED_MORE;
		return sfi_fail(sf, -EINVAL,
			    "truncated dump file; tried to read 4 file header bytes, only got %zu",
			    avail);
	}
	memcpy(&m, sf->buf + sf->start, 4);
	sm = __builtin_bswap32(m);
	if (m == PCAP_MAGIC_USEC || m == PCAP_MAGIC_NSEC ||
	    m == PCAP_MAGIC_KUZNETSOV) {
		sf->pcap_magic = m;
		sf->swapped = 0;
	} else if (sm == PCAP_MAGIC_USEC || sm == PCAP_MAGIC_NSEC ||
		   sm == PCAP_MAGIC_KUZNETSOV) {
		sf->pcap_magic = sm;
		sf->swapped = 1;
	} else if (m == PTD_SF_BT_SHB) {
		sf->format = PTD_SF_FORMAT_PCAPNG;
		sf->state = ST_NG_BLOCK;
		return SF_AGAIN;
	} else {
		return sfi_fail(sf, -EINVAL, "unknown file format");
	}
	sf->format = PTD_SF_FORMAT_PCAP;
	sf->state = ST_PCAP_HEADER;
	return SF_AGAIN;
}

static int read_pcap_header(struct ptd_sf *sf)
{
	const uint8_t *p = sf->buf + sf->start;
	size_t avail = sf->end - sf->start;
	struct ptd_sf_iface *ifc;
	uint32_t linktype;
	uint16_t major, minor;
	int r;

	if (avail < PCAP_FILE_HDR_LEN) {
		if (!sf->eof)
			return PTD_SF_NEED_MORE;
		return sfi_fail(sf, -EINVAL,
			    "truncated dump file; tried to read %u file header bytes, only got %zu",
			    PCAP_FILE_HDR_LEN, avail);
	}
	major = get16(p + 4, sf->swapped);
	minor = get16(p + 6, sf->swapped);
	if (major != 2)
		return sfi_fail(sf, -EINVAL,
			    "unsupported pcap savefile version %u.%u", major, minor);
	linktype = get32(p + 20, sf->swapped);
	ifc = sfi_new_iface(linktype & 0xffffu, get32(p + 16, sf->swapped));
	if (!ifc)
		return sfi_fail_nomem(sf);
	/* bit 26 says the upper 4 bits count the FCS in 16-bit words */
	if (linktype & 0x04000000u)
		ifc->fcs_len = (int)((linktype >> 28) * 2);
	if (sf->pcap_magic == PCAP_MAGIC_NSEC)
		ifc->ts_units = 1000000000u;
	sf->rec_hdr_len = sf->pcap_magic == PCAP_MAGIC_KUZNETSOV ? 24 : 16;
	r = sfi_add_iface(sf, ifc, 0);
	if (r < 0) {
		sfi_free_iface(ifc);
		return r;
	}
	sfi_consume(sf, PCAP_FILE_HDR_LEN);
	sf->state = ST_PCAP_RECORD;
	return PTD_SF_IFACE;
}

static int read_pcap_record(struct ptd_sf *sf, struct ptd_sf_packet *pkt)
{
	const uint8_t *p = sf->buf + sf->start;
	size_t avail = sf->end - sf->start;
	size_t hlen = sf->rec_hdr_len;
	unsigned long long off = sf->base;
	uint32_t sec, frac, caplen;

	if (avail < hlen) {
		if (!sf->eof)
			return PTD_SF_NEED_MORE;
		if (avail == 0) {
			sf->state = ST_END;
			return PTD_SF_END;
		}
		return sfi_fail(sf, -EINVAL,
			    "truncated packet record header at offset %llu: need %zu bytes, file ends after %zu",
			    off, hlen, avail);
	}
	caplen = get32(p + 8, sf->swapped);
	if (caplen > PTD_SF_MAX_CAPLEN)
		return sfi_fail(sf, -EINVAL,
			    "corrupt packet record at offset %llu: captured length %u is larger than %u",
			    off, caplen, PTD_SF_MAX_CAPLEN);
	if (avail - hlen < caplen) {
		if (!sf->eof)
			return PTD_SF_NEED_MORE;
		return sfi_fail(sf, -EINVAL,
			    "truncated packet record at offset %llu: header says %u bytes, file ends after %zu",
			    off, caplen, avail - hlen);
	}
	sec = get32(p, sf->swapped);
	frac = get32(p + 4, sf->swapped);
	memset(pkt, 0, sizeof(*pkt));
	pkt->offset = off;
	pkt->block_type = PTD_SF_BT_PCAP_RECORD;
	pkt->ts_ns = (uint64_t)sec * 1000000000u +
		     (sf->pcap_magic == PCAP_MAGIC_NSEC ? frac : (uint64_t)frac * 1000u);
	/* as libpcap: never more than the snapshot length */
	pkt->caplen = caplen < sf->ifaces[0]->snaplen ? caplen :
		      sf->ifaces[0]->snaplen;
	pkt->len = get32(p + 12, sf->swapped);
	pkt->data = p + hlen;
	pkt->iface = 0;
	pkt->swapped = sf->swapped;
	sfi_consume(sf, hlen + caplen);
	return PTD_SF_PACKET;
}

/* ---------------------------------------------------------------- API */

struct ptd_sf *ptd_sf_new(void)
{
	return calloc(1, sizeof(struct ptd_sf));
}

void ptd_sf_free(struct ptd_sf *sf)
{
	uint32_t i;

	if (!sf)
		return;
	for (i = 0; i < sf->n_ifaces; i++)
		sfi_free_iface(sf->ifaces[i]);
	free(sf->ifaces);
	free(sf->comment);
	free(sf->buf);
	free(sf);
}

int ptd_sf_reserve(struct ptd_sf *sf, size_t want, uint8_t **buf, size_t *room)
{
	size_t used;

	if (sf->eof)
		return -EINVAL;
	if (want == 0)
		want = 1;
	if (sf->cap - sf->end < want && sf->start > 0) {
		used = sf->end - sf->start;
		memmove(sf->buf, sf->buf + sf->start, used);
		sf->start = 0;
		sf->end = used;
	}
	if (sf->cap - sf->end < want) {
		size_t ncap = sf->cap ? sf->cap : 4096;
		uint8_t *n;

		while (ncap - sf->end < want) {
			if (ncap > SIZE_MAX / 2)
				return -ENOMEM;
			ncap *= 2;
		}
		n = realloc(sf->buf, ncap);
		if (!n)
			return -ENOMEM;
		sf->buf = n;
		sf->cap = ncap;
	}
	*buf = sf->buf + sf->end;
	*room = sf->cap - sf->end;
	return 0;
}

void ptd_sf_commit(struct ptd_sf *sf, size_t n)
{
	if (n > sf->cap - sf->end)
		n = sf->cap - sf->end;
	sf->end += n;
}

int ptd_sf_feed(struct ptd_sf *sf, const void *buf, size_t len)
{
	uint8_t *dst;
	size_t room;
	int r;

	if (len == 0)
		return sf->eof ? -EINVAL : 0;
	r = ptd_sf_reserve(sf, len, &dst, &room);
	if (r < 0)
		return r;
	memcpy(dst, buf, len);
	ptd_sf_commit(sf, len);
	return 0;
}

void ptd_sf_set_eof(struct ptd_sf *sf)
{
	sf->eof = 1;
}

int ptd_sf_next(struct ptd_sf *sf, struct ptd_sf_packet *pkt)
{
	int r;

	for (;;) {
		switch (sf->state) {
		case ST_MAGIC:
			r = read_magic(sf);
			break;
		case ST_PCAP_HEADER:
			r = read_pcap_header(sf);
			break;
		case ST_PCAP_RECORD:
			r = read_pcap_record(sf, pkt);
			break;
		case ST_NG_BLOCK:
			r = sfi_read_block(sf, pkt);
			break;
		case ST_END:
			return PTD_SF_END;
		case ST_ERROR:
		default:
			return sf->err;
		}
		if (r != SF_AGAIN)
			return r;
	}
}

const char *ptd_sf_error(const struct ptd_sf *sf)
{
	return sf->state == ST_ERROR ? sf->errmsg : NULL;
}

enum ptd_sf_format ptd_sf_format(const struct ptd_sf *sf)
{
	return sf->format;
}

uint64_t ptd_sf_offset(const struct ptd_sf *sf)
{
	return sf->base;
}

size_t ptd_sf_buffered(const struct ptd_sf *sf)
{
	return sf->end - sf->start;
}

uint32_t ptd_sf_iface_count(const struct ptd_sf *sf)
{
	return sf->n_ifaces;
}

const struct ptd_sf_iface *ptd_sf_iface_at(const struct ptd_sf *sf, uint32_t idx)
{
	return idx < sf->n_ifaces ? sf->ifaces[idx] : NULL;
}
