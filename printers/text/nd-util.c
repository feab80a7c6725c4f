// SPDX-License-Identifier: BSD-2-Clause
/* Output, truncation, tables and checksums shared by every dissector. */
#include "netdissect.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void hold_sink(void *arg, const char *s, size_t n)
{
	struct nd_hold *h = arg;

	if (n > sizeof(h->buf) - 1 - h->len)
		n = sizeof(h->buf) - 1 - h->len;
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

void nd_hold_begin(struct nd_ctx *nd, struct nd_hold *h)
{
	h->len = 0;
	h->buf[0] = '\0';
	h->sink = nd->sink;
	h->sink_arg = nd->sink_arg;
	nd->sink = hold_sink;
	nd->sink_arg = h;
}

void nd_hold_end(struct nd_ctx *nd, struct nd_hold *h)
{
	nd->sink = h->sink;
	nd->sink_arg = h->sink_arg;
}

void nd_trunc(struct nd_ctx *nd)
{
	longjmp(nd->early_end, 1);
}

void nd_trunc_here(struct nd_ctx *nd)
{
	nd_printf(nd, " [|%s]%s", nd->protocol, nd->trunc_suffix);
}

void nd_copy(struct nd_ctx *nd, void *dst, const uint8_t *p, size_t len)
{
	nd_tcheck(nd, p, len);
	memcpy(dst, p, len);
}

/*
 * tcpdump's dump layout: 16 bytes a line, "\n\t0x%04x: " then the bytes
 * in groups of two, and with the ASCII column the hex part padded to its
 * full width and two spaces.  Only captured bytes are shown.
 */
static void dump(struct nd_ctx *nd, const char *prefix, const uint8_t *p,
		 size_t len, int ascii)
{
	static const char hex[] = "0123456789abcdef";
	size_t avail = nd_avail(nd, p), plen = strlen(prefix), off, i;
	/* "0x" and the offset (up to 16 digits), ": ", 40 columns of hex,
	 * two spaces and 16 characters: 76 after the prefix. */
	char line[192];

	if (len > avail)
		len = avail;
	if (plen > sizeof(line) - 80)
		plen = 0; /* an unusually long prefix goes out on its own */
	memcpy(line, prefix, plen);
	for (off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16, pos = plen, digits;
		size_t start;

		if (plen == 0)
			nd_puts(nd, prefix);
		/* "0x%04zx: " without snprintf: this runs for every line of
		 * every dumped payload. */
		for (digits = 4; digits < 16 && (off >> (4 * digits)); digits++)
			;
		line[pos++] = '0';
		line[pos++] = 'x';
		for (i = digits; i-- > 0;)
			line[pos++] = hex[(off >> (4 * i)) & 0xf];
		line[pos++] = ':';
		line[pos++] = ' ';
		start = pos;
		for (i = 0; i < n; i++) {
			if (i % 2 == 0)
				line[pos++] = ' ';
			line[pos++] = hex[p[off + i] >> 4];
			line[pos++] = hex[p[off + i] & 0xf];
		}
		if (ascii) {
			/* the hex columns padded to 40, then two spaces */
			while (pos - start < 40 + 2)
				line[pos++] = ' ';
			for (i = 0; i < n; i++) {
				uint8_t c = p[off + i];

				line[pos++] = c > 0x20 && c < 0x7f ? (char)c : '.';
			}
		}
		nd->sink(nd->sink_arg, line, pos);
	}
}

void nd_hex_ascii_dump(struct nd_ctx *nd, const uint8_t *p, size_t len)
{
	dump(nd, "\n\t", p, len, 1);
}

void nd_hex_dump(struct nd_ctx *nd, const uint8_t *p, size_t len)
{
	dump(nd, "\n\t", p, len, 0);
}

void nd_hex_dump_prefix(struct nd_ctx *nd, const char *prefix,
			const uint8_t *p, size_t len)
{
	dump(nd, prefix, p, len, 0);
}

/*
 * One line of a text protocol starting at idx: printed after prefix when
 * it is printable ASCII ending in LF or CRLF.  Returns the index after the
 * line ending, or 0 when the line is binary or runs past what was captured
 * (then the printable part is shown, marked truncated).
 */
size_t nd_text_line(struct nd_ctx *nd, const char *prefix, const uint8_t *p,
		    size_t idx, size_t len)
{
	size_t start = idx, linelen;

	while (idx < len) {
		uint8_t c = nd_u8(nd, p + idx);

		if (c == '\n') {
			linelen = idx - start;
			idx++;
			goto print;
		}
		if (c == '\r') {
			if (idx + 1 >= len)
				return 0;
			if (nd_u8(nd, p + idx + 1) != '\n')
				return 0;
			linelen = idx - start;
			idx += 2;
			goto print;
		}
		if ((c < 0x20 || c > 0x7e) && c != '\t')
			return 0;
		idx++;
	}
	nd_printf(nd, "%s%.*s [|%s]", prefix, (int)(idx - start),
		  (const char *)p + start, nd->protocol);
	return 0;
print:
	nd_printf(nd, "%s%.*s", prefix, (int)linelen, (const char *)p + start);
	return idx;
}

void nd_print_text_lines(struct nd_ctx *nd, const uint8_t *p, size_t len)
{
	size_t idx = 0;

	while (idx < len) {
		idx = nd_text_line(nd, "\n\t", p, idx, len);
		if (idx == 0)
			break;
	}
}

const char *nd_tok_find(const struct nd_tok *t, uint32_t v)
{
	for (; t && t->s; t++)
		if (t->v == v)
			return t->s;
	return NULL;
}

const char *nd_tok2str(const struct nd_tok *t, const char *fmt, uint32_t v,
		       char *buf, size_t size)
{
	const char *s = nd_tok_find(t, v);

	if (s)
		return s;
	/* Callers pass literal formats taking one unsigned (table fallbacks). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, size, fmt, v);
#pragma GCC diagnostic pop
	return buf;
}

/* Appends s to buf as snprintf(buf + pos, size - pos, "%s", s) would;
 * returns the length it would have written. */
static size_t append_clamped(char *buf, size_t size, size_t pos,
			     const char *s)
{
	size_t n = strlen(s);

	if (pos < size) {
		size_t room = size - pos - 1, copy = n < room ? n : room;

		memcpy(buf + pos, s, copy);
		buf[pos + copy] = '\0';
	}
	return n;
}

/* Called for every TCP packet (its flags): no snprintf here. */
const char *nd_bits2str(const struct nd_tok *t, uint32_t v, const char *sep,
			char *buf, size_t size)
{
	size_t pos = 0;
	const char *s = "";

	buf[0] = '\0';
	for (; t->s; t++) {
		if ((v & t->v) != t->v || t->v == 0)
			continue;
		pos += append_clamped(buf, size, pos, s);
		pos += append_clamped(buf, size, pos, t->s);
		s = sep;
	}
	if (buf[0] == '\0')
		snprintf(buf, size, "none");
	return buf;
}

uint32_t nd_sum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t nd_sum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The checksum a field should hold, from what it holds and the sum over
 * everything with it: their one's complement sum, which (unlike the
 * complement of the sum without the field) is 0xffff, not 0, when the
 * rest sums to 0xffff -- tcpdump shows that value. */
uint16_t nd_cksum_shouldbe(uint16_t stored, uint32_t sum_with_stored)
{
	uint32_t s = (uint32_t)stored + nd_sum_fold(sum_with_stored);

	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)((s & 0xffff) + (s >> 16));
}

int nd_l4_cksum_check(const struct nd_ip_info *ipi, uint8_t proto,
		      const uint8_t *seg, size_t len, size_t cksum_off,
		      uint16_t *should)
{
	uint32_t sum = 0;
	uint16_t stored;

	if (ipi) {
		if (ipi->v6) {
			sum = nd_sum_add(sum, ipi->ip + 8, 16);
			sum = nd_sum_add(sum, ipi->final_dst ? ipi->final_dst
						: ipi->ip + 24, 16);
		} else {
			sum = nd_sum_add(sum, ipi->ip + 12, 8);
		}
		sum += proto;
		sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	}
	/* The checksum field sits at an even offset: sum around it.  A
	 * segment too short to hold it all (a corrupt length) sums what
	 * there is. */
	if (len < cksum_off + 2) {
		sum = nd_sum_add(sum, seg, len < cksum_off ? len : cksum_off);
		stored = len > cksum_off ? (uint16_t)(seg[cksum_off] << 8) : 0;
		*should = nd_cksum_shouldbe(stored, sum + stored);
		return nd_sum_fold(sum + stored) == 0;
	}
	sum = nd_sum_add(sum, seg, cksum_off);
	sum = nd_sum_add(sum, seg + cksum_off + 2, len - cksum_off - 2);
	stored = (uint16_t)(seg[cksum_off] << 8 | seg[cksum_off + 1]);
	*should = nd_cksum_shouldbe(stored, sum + stored);
	return nd_sum_fold(sum + stored) == 0;
}

/* One byte as tcpdump shows text it does not trust: the high bit as "M-",
 * control characters as "^X".  Fills 1 to 4 bytes of out. */
static size_t escape_char(char *out, uint8_t c)
{
	size_t n = 0;

	if (c & 0x80) {
		out[n++] = 'M';
		out[n++] = '-';
		c &= 0x7f;
	}
	if (c < 0x20 || c == 0x7f) {
		out[n++] = '^';
		out[n++] = (char)(c ^ 0x40);
	} else {
		out[n++] = (char)c;
	}
	return n;
}

void nd_print_escaped_char(struct nd_ctx *nd, uint8_t c)
{
	char b[4];

	nd->sink(nd->sink_arg, b, escape_char(b, c));
}

void nd_print_escaped(struct nd_ctx *nd, const uint8_t *p, size_t len)
{
	char buf[4 * 64];
	size_t i, pos = 0;

	nd_tcheck(nd, p, len);
	for (i = 0; i < len; i++) {
		if (pos > sizeof(buf) - 4) {
			nd->sink(nd->sink_arg, buf, pos);
			pos = 0;
		}
		pos += escape_char(buf + pos, p[i]);
	}
	if (pos)
		nd->sink(nd->sink_arg, buf, pos);
}

void nd_print_span(struct nd_ctx *nd, uint32_t secs)
{
	static const struct {
		uint32_t secs;
		char unit;
	} units[] = {
		{ 31536000, 'y' }, { 604800, 'w' }, { 86400, 'd' },
		{ 3600, 'h' }, { 60, 'm' }, { 1, 's' },
	};
	size_t i;

	if (secs == 0) {
		nd_puts(nd, "0s");
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (secs >= units[i].secs) {
			nd_printf(nd, "%u%c", secs / units[i].secs,
				  units[i].unit);
			secs %= units[i].secs;
		}
	}
}
