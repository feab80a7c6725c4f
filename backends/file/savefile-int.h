/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private to the savefile reader: its state and the helpers shared by the
 * pcap half (savefile.c) and the pcapng half (pcapng.c).
 */
#ifndef PTD_BACKEND_FILE_SAVEFILE_INT_H
#define PTD_BACKEND_FILE_SAVEFILE_INT_H

#include <stdint.h>
#include <string.h>

#include "backends/file/savefile.h"

#define PCAPNG_BOM   0x1a2b3c4du
#define NG_MIN_BLOCK 12u

/* Internal ptd_sf_next() step result: the state changed, keep going. */
#define SF_AGAIN 100

enum sf_state {
	ST_MAGIC,
	ST_PCAP_HEADER,
	ST_PCAP_RECORD,
	ST_NG_BLOCK,
	ST_END,
	ST_ERROR,
};

struct ptd_sf {
	enum sf_state state;
	enum ptd_sf_format format;
	int swapped;            /* file (or current section) byte order differs */
	int eof;

	uint8_t *buf;
	size_t cap;
	size_t start;           /* first unconsumed byte */
	size_t end;             /* one past the last fed byte */
	uint64_t base;          /* stream offset of buf[start] */

	uint32_t pcap_magic;
	size_t rec_hdr_len;

	uint32_t sections;      /* pcapng sections seen */
	uint32_t section_first; /* table index of this section's interface 0 */

	struct ptd_sf_iface **ifaces;
	uint32_t n_ifaces;
	uint32_t cap_ifaces;

	char *comment;          /* NUL-terminated copy of the current opt_comment */
	size_t comment_cap;

	int err;
	char errmsg[256];
};

static inline uint16_t get16(const uint8_t *p, int swapped)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap16(v) : v;
}

static inline uint32_t get32(const uint8_t *p, int swapped)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap32(v) : v;
}

static inline uint64_t get64(const uint8_t *p, int swapped)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap64(v) : v;
}

static inline uint32_t pad4(uint32_t n)
{
	return (n + 3u) & ~3u;
}

/* Records the error (sticky) and returns err. */
int sfi_fail(struct ptd_sf *sf, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int sfi_fail_nomem(struct ptd_sf *sf);
/* Marks n bytes at the front of the buffer as used. */
void sfi_consume(struct ptd_sf *sf, size_t n);

struct ptd_sf_iface *sfi_new_iface(uint32_t file_linktype, uint32_t snaplen);
void sfi_free_iface(struct ptd_sf_iface *ifc);
/* Takes ownership of ifc on success only. */
int sfi_add_iface(struct ptd_sf *sf, struct ptd_sf_iface *ifc, uint64_t off);

/* One pcapng block: PTD_SF_*, SF_AGAIN or -errno. */
int sfi_read_block(struct ptd_sf *sf, struct ptd_sf_packet *pkt);

#endif /* PTD_BACKEND_FILE_SAVEFILE_INT_H */
