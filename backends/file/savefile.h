/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An incremental reader for capture files: classic pcap (either byte order,
 * micro- or nanosecond time stamps) and pcapng (every section, either byte
 * order, per-interface time stamp resolution and offset, EPB/SPB/PB packets,
 * options kept reachable).
 *
 * It never does I/O.  The caller feeds bytes as they arrive (a whole file, a
 * pipe's dribble, a fuzzer's input) and pulls results:
 *
 *     struct ptd_sf *sf = ptd_sf_new();
 *     for (;;) {
 *         int r = ptd_sf_next(sf, &pkt);
 *         if (r == PTD_SF_NEED_MORE)      read more, ptd_sf_feed() it, or
 *                                         ptd_sf_set_eof() at end of input
 *         else if (r == PTD_SF_IFACE)     a new interface is in the table
 *         else if (r == PTD_SF_PACKET)    use pkt (valid until the next call)
 *         else if (r == PTD_SF_END)       clean end of the file
 *         else                            r is -errno; ptd_sf_error() says
 *                                         what is wrong and at which offset
 *     }
 *
 * Every length in the input is checked against the bytes that were fed
 * before it is used; a damaged file yields the records before the damage and
 * then one error.
 */
#ifndef PTD_BACKEND_FILE_SAVEFILE_H
#define PTD_BACKEND_FILE_SAVEFILE_H

#include <stddef.h>
#include <stdint.h>

#include <ptcpdump/packet.h>

/* Anything claiming more than this per packet is damage, not data. */
#define PTD_SF_MAX_CAPLEN (256u << 20)
/* Room for a maximal packet plus its options in one pcapng block. */
#define PTD_SF_MAX_BLOCK  (PTD_SF_MAX_CAPLEN + (1u << 20))
/* Each IDB costs memory; a file with more than this is not a capture. */
#define PTD_SF_MAX_IFACES 65536u
/* Snapshot length assumed when a file states none (as libpcap does). */
#define PTD_SF_DEFAULT_SNAPLEN 262144u

enum ptd_sf_format {
	PTD_SF_FORMAT_UNKNOWN = 0, /* not enough bytes seen yet */
	PTD_SF_FORMAT_PCAP,
	PTD_SF_FORMAT_PCAPNG,
};

/* ptd_sf_next() results; errors are negative errno values. */
enum ptd_sf_result {
	PTD_SF_NEED_MORE = 0,
	PTD_SF_PACKET = 1,
	PTD_SF_IFACE = 2,
	PTD_SF_END = 3,
};

/* pcapng block types (also used in ptd_sf_packet.block_type) */
#define PTD_SF_BT_SHB 0x0A0D0D0Au
#define PTD_SF_BT_IDB 0x00000001u
#define PTD_SF_BT_PB  0x00000002u /* obsolete Packet Block */
#define PTD_SF_BT_SPB 0x00000003u
#define PTD_SF_BT_NRB 0x00000004u
#define PTD_SF_BT_ISB 0x00000005u
#define PTD_SF_BT_EPB 0x00000006u
#define PTD_SF_BT_DSB 0x0000000Au
/* Not a pcapng block: a classic pcap record. */
#define PTD_SF_BT_PCAP_RECORD 0u

/* pcapng option codes the reader interprets */
#define PTD_SF_OPT_ENDOFOPT   0
#define PTD_SF_OPT_COMMENT    1
#define PTD_SF_OPT_EPB_FLAGS  2  /* also pack_flags in the obsolete PB */
#define PTD_SF_OPT_IF_NAME    2
#define PTD_SF_OPT_IF_DESC    3
#define PTD_SF_OPT_IF_TSRESOL 9
#define PTD_SF_OPT_IF_FCSLEN  13
#define PTD_SF_OPT_IF_TSOFFSET 14
/* Custom options: a 4-byte Private Enterprise Number, then private data. */
#define PTD_SF_OPT_CUSTOM_STR      2988
#define PTD_SF_OPT_CUSTOM_BIN      2989
#define PTD_SF_OPT_CUSTOM_STR_NOCP 19372
#define PTD_SF_OPT_CUSTOM_BIN_NOCP 19373

/* One capture interface: the pcap file header, or one pcapng IDB. */
struct ptd_sf_iface {
	uint32_t index;        /* position in the reader's table, across sections */
	uint32_t section;      /* 0-based pcapng section; 0 for pcap */
	int linktype;          /* DLT_* value, as libpcap numbers them */
	uint32_t file_linktype; /* LINKTYPE_* value as stored in the file */
	uint32_t snaplen;      /* PTD_SF_DEFAULT_SNAPLEN when the file says 0 */
	const char *name;      /* if_name, or NULL */
	const char *description; /* if_description, or NULL */
	uint64_t ts_units;     /* time stamp ticks per second */
	int64_t ts_offset;     /* seconds added to every time stamp (if_tsoffset) */
	int fcs_len;           /* FCS bytes at the end of each packet, -1 unknown */
};

struct ptd_sf_packet {
	uint64_t offset;       /* stream offset of the record or block */
	uint32_t block_type;   /* PTD_SF_BT_EPB, _SPB, _PB or _PCAP_RECORD */
	uint64_t ts_ns;        /* ns since the epoch; 0 for SPB (no time stamp) */
	uint32_t caplen;       /* at most the interface's snaplen (libpcap
				* cuts pcap records so; the rest is skipped) */
	uint32_t len;
	const uint8_t *data;
	uint32_t iface;        /* index into the interface table */
	enum ptd_direction direction; /* from epb_flags bits 0-1 */
	int have_flags;
	uint32_t flags;        /* epb_flags / pack_flags as stored */
	const char *comment;   /* first opt_comment, NUL-terminated, or NULL */
	const uint8_t *options; /* raw EPB/PB options, or NULL */
	size_t options_len;
	int swapped;           /* options are in the other byte order */
};

struct ptd_sf_opt_iter {
	const uint8_t *pos;
	const uint8_t *end;
	int swapped;
};

struct ptd_sf_opt {
	uint16_t code;
	uint16_t len;
	const uint8_t *value;  /* len bytes, in the section's byte order */
	int swapped;
};

struct ptd_sf;

/* NULL when out of memory. */
struct ptd_sf *ptd_sf_new(void);
void ptd_sf_free(struct ptd_sf *sf);

/* Appends a copy of buf.  0 or -ENOMEM (-EINVAL after ptd_sf_set_eof). */
int ptd_sf_feed(struct ptd_sf *sf, const void *buf, size_t len);
/* Zero-copy feeding: get at least want writable bytes, fill some of them,
 * then ptd_sf_commit() how many.  Invalidates earlier packet pointers. */
int ptd_sf_reserve(struct ptd_sf *sf, size_t want, uint8_t **buf, size_t *room);
void ptd_sf_commit(struct ptd_sf *sf, size_t n);
/* No more input: a partial record now is truncation. */
void ptd_sf_set_eof(struct ptd_sf *sf);

/* One step: PTD_SF_* or -errno.  pkt is filled for PTD_SF_PACKET only and
 * points into the reader: valid until the next call on sf.  Errors stick. */
int ptd_sf_next(struct ptd_sf *sf, struct ptd_sf_packet *pkt);

/* The last error, e.g. "truncated packet record at offset 1234: header says
 * 300 bytes, file ends after 100", or "unknown file format". */
const char *ptd_sf_error(const struct ptd_sf *sf);
enum ptd_sf_format ptd_sf_format(const struct ptd_sf *sf);
/* Bytes consumed so far (the offset of the next record). */
uint64_t ptd_sf_offset(const struct ptd_sf *sf);
/* Bytes fed but not yet consumed. */
size_t ptd_sf_buffered(const struct ptd_sf *sf);

uint32_t ptd_sf_iface_count(const struct ptd_sf *sf);
/* Stable until ptd_sf_free(); NULL when idx is out of range. */
const struct ptd_sf_iface *ptd_sf_iface_at(const struct ptd_sf *sf, uint32_t idx);

/* Walks the raw options of a packet (nothing when it has none). */
void ptd_sf_opt_iter_init(struct ptd_sf_opt_iter *it,
			  const struct ptd_sf_packet *pkt);
/* 1 and fills opt, or 0 at opt_endofopt / the end. */
int ptd_sf_opt_next(struct ptd_sf_opt_iter *it, struct ptd_sf_opt *opt);
/* Reads an option value's integers in the section's byte order. */
uint16_t ptd_sf_opt_u16(const struct ptd_sf_opt *opt, size_t at);
uint32_t ptd_sf_opt_u32(const struct ptd_sf_opt *opt, size_t at);
uint64_t ptd_sf_opt_u64(const struct ptd_sf_opt *opt, size_t at);

/* LINKTYPE_* (file) to DLT_* (libpcap), as libpcap maps them. */
int ptd_sf_linktype_to_dlt(uint32_t linktype);

#endif /* PTD_BACKEND_FILE_SAVEFILE_H */
