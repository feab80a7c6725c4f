/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcapng savefiles (draft-ietf-opsawg-pcapng), host byte order.
 *
 * Every block:
 *   +------------+--------------+------------------+--------------+
 *   | type (u32) | length (u32) | body ... options | length (u32) |
 *   +------------+--------------+------------------+--------------+
 * length counts the whole block and is a multiple of 4; options are
 * {code u16, length u16, value padded to 4} ending with opt_endofopt.
 *
 * Each file is one section: an SHB, then an IDB the first time a packet
 * arrives from an interface (IDB numbers restart in every file, so a
 * rotated file stands alone), then one EPB per packet carrying the
 * direction in epb_flags and comments: the source's own, then who sent it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "writer.h"

#define BT_SHB 0x0a0d0d0au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1a2b3c4du

#define OPT_ENDOFOPT 0
#define OPT_COMMENT 1
#define SHB_HARDWARE 2
#define SHB_OS 3
#define SHB_USERAPPL 4
#define IF_NAME 2
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define EPB_FLAGS 2

#define EPB_FLAG_INBOUND 1u
#define EPB_FLAG_OUTBOUND 2u

#define OPT_MAX_LEN 0xffffu
/* Room for the process comment: bounded so a huge argv stays reasonable. */
#define META_COMMENT_MAX 8192

#define PAD4(n) (((n) + 3u) & ~(size_t)3u)

struct ng_buf {
	uint8_t *p;
	size_t len, cap;
};

struct ng_idb {
	uint32_t iface_id;
	uint32_t snaplen;  /* as written in the IDB */
};

struct pcapng_fmt {
	struct wr_format_ctx ctx;
	struct ng_idb *idbs;  /* of the current file; the index is the IDB id */
	size_t n_idbs, cap_idbs;
	size_t last;          /* index of the last interface used: usually hit */
	struct ng_buf blk;    /* scratch for block bodies and options */
	char *comment;        /* scratch for the metadata comment */
};

/* ------------------------------------------------------------------ */
/* Scratch buffer                                                      */

static int ng_reserve(struct ng_buf *b, size_t more)
{
	size_t cap = b->cap ? b->cap : 256;
	uint8_t *p;

	if (b->len + more <= b->cap)
		return 0;
	while (cap < b->len + more)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

static int ng_put(struct ng_buf *b, const void *data, size_t len)
{
	int ret = ng_reserve(b, len);

	if (ret)
		return ret;
	memcpy(b->p + b->len, data, len);
	b->len += len;
	return 0;
}

static int ng_put32(struct ng_buf *b, uint32_t v)
{
	return ng_put(b, &v, sizeof(v));
}

/* One option, its value zero-padded to 4 bytes. */
static int ng_put_opt(struct ng_buf *b, uint16_t code, const void *val,
		      size_t len)
{
	static const uint8_t zeros[4];
	uint16_t hdr[2] = { code, (uint16_t)len };
	int ret;

	if (len > OPT_MAX_LEN)
		return -EMSGSIZE;
	ret = ng_put(b, hdr, sizeof(hdr));
	if (!ret)
		ret = ng_put(b, val, len);
	if (!ret)
		ret = ng_put(b, zeros, PAD4(len) - len);
	return ret;
}

/* A text option; longer text is cut at a UTF-8 character boundary. */
static int ng_put_str_opt(struct ng_buf *b, uint16_t code, const char *s)
{
	size_t len = strlen(s);

	if (len > OPT_MAX_LEN) {
		len = OPT_MAX_LEN;
		while (len > 0 && ((uint8_t)s[len] & 0xc0) == 0x80)
			len--;
	}
	return ng_put_opt(b, code, s, len);
}

static int ng_end_opts(struct ng_buf *b)
{
	return ng_put32(b, OPT_ENDOFOPT); /* code 0, length 0 */
}

/* Writes a whole block whose body (after type and length) is in b. */
static int ng_write_block(struct wr_stream *out, uint32_t type,
			  const struct ng_buf *b)
{
	uint32_t head[2] = { type, (uint32_t)(b->len + 12) };
	int ret;

	ret = wr_stream_write(out, head, sizeof(head));
	if (!ret)
		ret = wr_stream_write(out, b->p, b->len);
	if (!ret)
		ret = wr_stream_write(out, &head[1], sizeof(head[1]));
	return ret;
}

/* ------------------------------------------------------------------ */

static int pcapng_create(const struct wr_format_ctx *ctx, void **fmtp)
{
	struct pcapng_fmt *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->comment = malloc(META_COMMENT_MAX);
	if (!f->comment) {
		free(f);
		return -ENOMEM;
	}
	f->ctx = *ctx;
	*fmtp = f;
	return 0;
}

static void pcapng_destroy(void *fmt)
{
	struct pcapng_fmt *f = fmt;

	if (!f)
		return;
	free(f->idbs);
	free(f->blk.p);
	free(f->comment);
	free(f);
}

static int pcapng_file_begin(void *fmt, struct wr_stream *out)
{
	struct pcapng_fmt *f = fmt;
	struct ng_buf *b = &f->blk;
	struct utsname uts;
	char os[2 * sizeof(uts.release) + 2];
	uint16_t version[2] = { 1, 0 };
	int64_t section_len = -1; /* not known: we stream */
	uint32_t bom = BYTE_ORDER_MAGIC;
	int ret;

	f->n_idbs = 0;
	f->last = 0;
	b->len = 0;

	ret = ng_put32(b, bom);
	if (!ret)
		ret = ng_put(b, version, sizeof(version));
	if (!ret)
		ret = ng_put(b, &section_len, sizeof(section_len));
	if (!ret && uname(&uts) == 0) {
		snprintf(os, sizeof(os), "%s %s", uts.sysname, uts.release);
		ret = ng_put_str_opt(b, SHB_HARDWARE, uts.machine);
		if (!ret)
			ret = ng_put_str_opt(b, SHB_OS, os);
	}
	if (!ret)
		ret = ng_put_str_opt(b, SHB_USERAPPL, PACKAGE_NAME " " PACKAGE_VERSION);
	if (!ret)
		ret = ng_end_opts(b);
	if (!ret)
		ret = ng_write_block(out, BT_SHB, b);
	return ret;
}

/* The IDB id of iface in this file, writing its IDB the first time. */
static int pcapng_idb_for(struct pcapng_fmt *f, struct wr_stream *out,
			  const struct ptd_iface *iface, uint32_t *idb_id)
{
	struct ng_buf *b = &f->blk;
	uint16_t link[2];
	uint8_t tsresol = f->ctx.nano ? 9 : 6;
	uint32_t snaplen;
	size_t i;
	int ret;

	if (f->last < f->n_idbs && f->idbs[f->last].iface_id == iface->id) {
		*idb_id = (uint32_t)f->last;
		return 0;
	}
	for (i = 0; i < f->n_idbs; i++) {
		if (f->idbs[i].iface_id == iface->id) {
			f->last = i;
			*idb_id = (uint32_t)i;
			return 0;
		}
	}

	if (f->n_idbs == f->cap_idbs) {
		size_t cap = f->cap_idbs ? 2 * f->cap_idbs : 8;
		struct ng_idb *grown = realloc(f->idbs, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		f->idbs = grown;
		f->cap_idbs = cap;
	}

	snaplen = iface->snaplen ? iface->snaplen : f->ctx.default_snaplen;
	link[0] = (uint16_t)wr_linktype_from_dlt(iface->linktype);
	link[1] = 0;
	b->len = 0;
	ret = ng_put(b, link, sizeof(link));
	if (!ret)
		ret = ng_put32(b, snaplen);
	if (!ret && iface->name && *iface->name)
		ret = ng_put_str_opt(b, IF_NAME, iface->name);
	if (!ret && iface->description && *iface->description)
		ret = ng_put_str_opt(b, IF_DESCRIPTION, iface->description);
	if (!ret)
		ret = ng_put_opt(b, IF_TSRESOL, &tsresol, 1);
	if (!ret)
		ret = ng_end_opts(b);
	if (!ret)
		ret = ng_write_block(out, BT_IDB, b);
	if (ret)
		return ret;

	f->idbs[f->n_idbs].iface_id = iface->id;
	f->idbs[f->n_idbs].snaplen = snaplen;
	f->last = f->n_idbs;
	*idb_id = (uint32_t)f->n_idbs++;
	return 0;
}

static int pcapng_packet(void *fmt, struct wr_stream *out,
			 const struct ptd_packet *pkt, const struct ptd_meta *meta)
{
	static const uint8_t zeros[4];
	struct pcapng_fmt *f = fmt;
	struct ng_buf *b = &f->blk;
	uint32_t head[7], trailer, idb_id, caplen, flags = 0;
	uint64_t ts;
	size_t clen;
	int ret;

	ret = pcapng_idb_for(f, out, wr_packet_iface(pkt), &idb_id);
	if (ret)
		return ret;

	/* Options first: the block length depends on them. */
	b->len = 0;
	if (pkt->direction == PTD_DIR_IN)
		flags = EPB_FLAG_INBOUND;
	else if (pkt->direction == PTD_DIR_OUT)
		flags = EPB_FLAG_OUTBOUND;
	if (flags)
		ret = ng_put_opt(b, EPB_FLAGS, &flags, sizeof(flags));
	if (!ret && pkt->comment && *pkt->comment)
		ret = ng_put_str_opt(b, OPT_COMMENT, pkt->comment);
	if (!ret && meta) {
		clen = wr_meta_comment(f->comment, META_COMMENT_MAX, meta,
				       f->ctx.context);
		if (clen)
			ret = ng_put_opt(b, OPT_COMMENT, f->comment, clen);
	}
	if (!ret && b->len)
		ret = ng_end_opts(b);
	if (ret)
		return ret;

	caplen = pkt->caplen;
	if (f->idbs[idb_id].snaplen && caplen > f->idbs[idb_id].snaplen)
		caplen = f->idbs[idb_id].snaplen;
	ts = f->ctx.nano ? pkt->ts_ns : pkt->ts_ns / 1000u;

	head[0] = BT_EPB;
	head[1] = (uint32_t)(28 + PAD4(caplen) + b->len + 4);
	head[2] = idb_id;
	head[3] = (uint32_t)(ts >> 32);
	head[4] = (uint32_t)ts;
	head[5] = caplen;
	head[6] = pkt->len > caplen ? pkt->len : caplen;
	trailer = head[1];

	ret = wr_stream_write(out, head, sizeof(head));
	if (!ret)
		ret = wr_stream_write(out, pkt->data, caplen);
	if (!ret)
		ret = wr_stream_write(out, zeros, PAD4(caplen) - caplen);
	if (!ret)
		ret = wr_stream_write(out, b->p, b->len);
	if (!ret)
		ret = wr_stream_write(out, &trailer, sizeof(trailer));
	return ret ? ret : WR_PACKET_WRITTEN;
}

static int pcapng_file_end(void *fmt, struct wr_stream *out)
{
	return 0;
}

const struct wr_format wr_format_pcapng = {
	.name = "pcapng",
	.create = pcapng_create,
	.file_begin = pcapng_file_begin,
	.packet = pcapng_packet,
	.file_end = pcapng_file_end,
	.destroy = pcapng_destroy,
};
