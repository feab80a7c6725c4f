/* SPDX-License-Identifier: BSD-2-Clause */
/* What the savefile reader's suites share: running the reader over a buffer
 * (whole or fed in chunks) into a list of records, reading the samples of
 * tests/data, and building pcap and pcapng files block by block. */
#ifndef PTD_TEST_SAVEFILE_HARNESS_H
#define PTD_TEST_SAVEFILE_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "backends/file/savefile.h"

/* ----------------------------------------------------- the reader's runs */

struct rec {
	int kind;            /* PTD_SF_PACKET or PTD_SF_IFACE */
	uint64_t offset;
	uint64_t end;        /* the reader's offset once it returned this */
	uint64_t ts_ns;
	uint32_t caplen, len, iface, flags, block_type;
	int have_flags;
	enum ptd_direction dir;
	uint64_t hash;       /* of the packet bytes */
	char comment[64];
	uint32_t custom_pen; /* of the first custom option, if any */
	char custom[64];
};

struct run {
	struct rec *recs;
	size_t n, cap;
	size_t packets;
	int result;          /* PTD_SF_END or -errno */
	char err[256];
	struct ptd_sf *sf;   /* kept for the interface table */
};

/* FNV-1a of n bytes */
uint64_t fnv(const uint8_t *p, size_t n);
/* tests/data/name, below $top_srcdir if set (a static buffer) */
char *sample_path(const char *name);
/* The whole of a sample, malloc'ed; *len set. */
uint8_t *slurp(const char *name, size_t *len);
/* Parses buf fed in chunks of `chunk` bytes (0: all at once), then EOF. */
void parse(struct run *run, const uint8_t *buf, size_t len, size_t chunk);
void run_free(struct run *run);
void assert_same_runs(const struct run *a, const struct run *b);
/* The k-th packet record (from 0) of run; aborts the test if none. */
const struct rec *nth_packet(const struct run *run, size_t k);

/* --------------------------------------------------------- crafted files */

struct bld {
	uint8_t buf[4096];
	size_t len;
	int big;
	size_t blk;
};

void put(struct bld *b, const void *p, size_t n);
/* v in b's byte order */
void put_uint(struct bld *b, uint64_t v, int bytes);
#define put16(b, v) put_uint(b, v, 2)
#define put32(b, v) put_uint(b, v, 4)
#define put64(b, v) put_uint(b, v, 8)

/* zeroes up to a multiple of 4 */
void pad(struct bld *b);
/* A block of type at b->len; blk_end() writes both of its lengths. */
void blk_begin(struct bld *b, uint32_t type);
void blk_end(struct bld *b);
void opt(struct bld *b, uint16_t code, const void *v, uint16_t len);
void opt_str(struct bld *b, uint16_t code, const char *s);
void opt_u32(struct bld *b, uint16_t code, uint32_t v);
void opt_end(struct bld *b);
/* A Section Header Block, big-endian if big; sets b's byte order. */
void shb(struct bld *b, int big);
/* tsresol < 0: none */
void idb(struct bld *b, uint16_t lt, uint32_t snap, int tsresol);
/* An EPB up to its options: caplen strlen(data), original length len. */
void epb_start(struct bld *b, uint32_t ifid, uint64_t ticks,
	       const char *data, uint32_t len);
void epb(struct bld *b, uint32_t ifid, uint64_t ticks, const char *data);

/*
 * Section 1 (little-endian): NRB, IDB 0 (2^-10 s, +100 s), a custom and an
 * unknown block, EPB (outbound, comment, custom option), DSB, SPB, PB, ISB.
 * Section 2 (big-endian): IDBs for raw IP (ms), IPv4 (2^-40 s) and IPv6
 * (10^-19 s), one EPB each.  Writes it to out (4 KiB) and returns its
 * length.
 */
size_t craft_pcapng(uint8_t *out);

struct pcap_rec {
	uint32_t sec, frac;
	const char *data;
};

/* A pcap file (version 2.4, snaplen 96) of n records; each claims 10 bytes
 * more on the wire than it holds. */
size_t craft_pcap(uint8_t *out, int big, uint32_t magic, uint32_t lt,
		  const struct pcap_rec *recs, size_t n);

#endif
