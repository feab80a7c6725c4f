/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Classic pcap savefiles (pcap-savefile(5)), in host byte order as libpcap
 * writes them:
 *
 *   file header (24 bytes)
 *   +-----------------+--------+--------+----------+---------+---------+----------+
 *   | magic           | major  | minor  | thiszone | sigfigs | snaplen | linktype |
 *   | a1b2c3d4 (usec) | 2      | 4      | 0        | 0       |         |          |
 *   | a1b23c4d (nsec) |        |        |          |         |         |          |
 *   +-----------------+--------+--------+----------+---------+---------+----------+
 *   record: ts_sec, ts_usec|ts_nsec, caplen, len (4 x u32), then caplen bytes
 *
 * One file holds one link type.  It is taken from the first packet; packets
 * from an interface of another link type are counted and left out, with one
 * warning per interface (a .pcapng name keeps them all).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "writer.h"

#define PCAP_MAGIC_USEC 0xa1b2c3d4u
#define PCAP_MAGIC_NSEC 0xa1b23c4du
#define LINKTYPE_ETHERNET 1u

/* ------------------------------------------------------------------ */
/* Shared with pcapng.c                                                */

/*
 * DLT_* values that differ from the LINKTYPE_* stored in files (libpcap's
 * own table, for the platforms we build on).  Everything else is equal.
 */
static const struct {
	int dlt;
	uint32_t linktype;
} wr_dlt_map[] = {
	{ DLT_ATM_RFC1483, 100 },
	{ DLT_RAW, 101 },
	{ DLT_SLIP_BSDOS, 102 },
	{ DLT_PPP_BSDOS, 103 },
	{ DLT_ATM_CLIP, 106 },
#if defined(DLT_PFSYNC) && DLT_PFSYNC != 246
	{ DLT_PFSYNC, 246 },
#endif
#if defined(DLT_PKTAP) && DLT_PKTAP != 258
	{ DLT_PKTAP, 258 },
#endif
};

uint32_t wr_linktype_from_dlt(int dlt)
{
	size_t i;

	for (i = 0; i < sizeof(wr_dlt_map) / sizeof(wr_dlt_map[0]); i++)
		if (wr_dlt_map[i].dlt == dlt)
			return wr_dlt_map[i].linktype;
	return (uint32_t)dlt;
}

const struct ptd_iface *wr_packet_iface(const struct ptd_packet *pkt)
{
	/* Backends always set iface; a record without one is still worth
	 * keeping, as Ethernet, rather than crashing the run. */
	static const struct ptd_iface unknown = {
		.id = UINT32_MAX,
		.linktype = DLT_EN10MB,
	};

	return pkt->iface ? pkt->iface : &unknown;
}

const char *wr_iface_label(const struct ptd_iface *iface, char *buf,
			   size_t size)
{
	if (iface->name && *iface->name)
		return iface->name;
	snprintf(buf, size, "interface #%" PRIu32, iface->id);
	return buf;
}

/* ------------------------------------------------------------------ */

struct pcap_fmt {
	struct wr_format_ctx ctx;
	int have_link;          /* linktype and snaplen chosen */
	int dlt;                /* the first packet's link type, as DLT_* */
	uint32_t linktype;      /* ... as stored: LINKTYPE_* */
	uint32_t snaplen;
	int header_written;     /* in the current file */
	uint64_t skipped;
	uint32_t *warned;       /* interface ids already warned about */
	size_t n_warned;
};

static int pcap_create(const struct wr_format_ctx *ctx, void **fmtp)
{
	struct pcap_fmt *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->ctx = *ctx;
	*fmtp = f;
	return 0;
}

static void pcap_destroy(void *fmt)
{
	struct pcap_fmt *f = fmt;

	if (!f)
		return;
	free(f->warned);
	free(f);
}

static int pcap_write_header(struct pcap_fmt *f, struct wr_stream *out)
{
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t thiszone;
		uint32_t sigfigs, snaplen, linktype;
	} hdr = {
		.magic = f->ctx.nano ? PCAP_MAGIC_NSEC : PCAP_MAGIC_USEC,
		.major = 2,
		.minor = 4,
		.snaplen = f->snaplen,
		.linktype = f->linktype,
	};
	int ret;

	_Static_assert(sizeof(hdr) == 24, "pcap file header is 24 bytes");
	ret = wr_stream_write(out, &hdr, sizeof(hdr));
	if (ret == 0)
		f->header_written = 1;
	return ret;
}

static int pcap_file_begin(void *fmt, struct wr_stream *out)
{
	struct pcap_fmt *f = fmt;

	f->header_written = 0;
	/* The first file waits for its first packet to learn the link
	 * type; later files know it already. */
	if (!f->have_link)
		return 0;
	return pcap_write_header(f, out);
}

static void pcap_note_skipped(struct pcap_fmt *f, const struct ptd_iface *iface)
{
	char label[32];
	uint32_t *grown;
	size_t i;

	f->skipped++;
	for (i = 0; i < f->n_warned; i++)
		if (f->warned[i] == iface->id)
			return;
	grown = realloc(f->warned, (f->n_warned + 1) * sizeof(*grown));
	if (grown) {
		f->warned = grown;
		f->warned[f->n_warned++] = iface->id;
	}
	ptd_warn(f->ctx.host,
		 "%s: link type %" PRIu32 " differs from the savefile's %" PRIu32
		 "; a pcap file holds one link type, so its packets are not written (use a .pcapng name to keep them)",
		 wr_iface_label(iface, label, sizeof(label)),
		 wr_linktype_from_dlt(iface->linktype), f->linktype);
}

static int pcap_packet(void *fmt, struct wr_stream *out,
		       const struct ptd_packet *pkt, const struct ptd_meta *meta)
{
	struct pcap_fmt *f = fmt;
	const struct ptd_iface *iface = wr_packet_iface(pkt);
	uint32_t rec[4];
	uint32_t caplen;
	int ret;

	if (!f->have_link) {
		f->dlt = iface->linktype;
		f->linktype = wr_linktype_from_dlt(iface->linktype);
		f->snaplen = iface->snaplen ? iface->snaplen : f->ctx.default_snaplen;
		f->have_link = 1;
	}
	if (iface->linktype != f->dlt) {
		pcap_note_skipped(f, iface);
		return WR_PACKET_SKIPPED;
	}
	if (!f->header_written) {
		ret = pcap_write_header(f, out);
		if (ret)
			return ret;
	}

	/* Readers reject records longer than the file's snaplen. */
	caplen = pkt->caplen < f->snaplen ? pkt->caplen : f->snaplen;
	rec[0] = (uint32_t)(pkt->ts_ns / 1000000000u);
	rec[1] = (uint32_t)(pkt->ts_ns % 1000000000u);
	if (!f->ctx.nano)
		rec[1] /= 1000u;
	rec[2] = caplen;
	rec[3] = pkt->len > caplen ? pkt->len : caplen;
	ret = wr_stream_write(out, rec, sizeof(rec));
	if (ret)
		return ret;
	ret = wr_stream_write(out, pkt->data, caplen);
	return ret ? ret : WR_PACKET_WRITTEN;
}

static int pcap_file_end(void *fmt, struct wr_stream *out)
{
	struct pcap_fmt *f = fmt;

	if (f->header_written)
		return 0;
	/* No packet ever came: still leave a valid, empty savefile, as
	 * tcpdump does.  Ethernet is what live captures mostly are. */
	if (!f->have_link) {
		f->linktype = LINKTYPE_ETHERNET;
		f->snaplen = f->ctx.default_snaplen;
	}
	return pcap_write_header(f, out);
}

static void pcap_report(void *fmt, const char *path)
{
	struct pcap_fmt *f = fmt;

	if (f->skipped)
		ptd_warn(f->ctx.host,
			 "%s: %" PRIu64 " packet%s from interfaces of another link type not written",
			 path, f->skipped, f->skipped == 1 ? "" : "s");
}

const struct wr_format wr_format_pcap = {
	.name = "pcap",
	.create = pcap_create,
	.file_begin = pcap_file_begin,
	.packet = pcap_packet,
	.file_end = pcap_file_end,
	.report = pcap_report,
	.destroy = pcap_destroy,
};
