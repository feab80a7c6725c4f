// SPDX-License-Identifier: BSD-2-Clause
/*
 * Packet bytes in tcpdump's dump formats.  The text printer ends its line
 * with a newline; each dump line here is "\t0x%04x:  ...\n", which makes
 * the same bytes as tcpdump's "\n\t0x%04x: ..." lines ended by the
 * packet's final newline.  -A prints the bytes after the text line, then
 * the newline.
 */
#include "hex-printer.h"

#include <errno.h>
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

struct hex_printer {
	const struct ptd_host *host;
	const struct ptd_options *opts;
	FILE *out;
	char *buf;
	size_t cap;
};

int hex_printer_new(const struct ptd_host *host, FILE *out,
		    struct hex_printer **hpp)
{
	struct hex_printer *hp = calloc(1, sizeof(*hp));

	if (!hp)
		return -ENOMEM;
	hp->host = host;
	hp->opts = host->opts;
	hp->out = out;
	*hpp = hp;
	return 0;
}

void hex_printer_free(struct hex_printer *hp)
{
	if (!hp)
		return;
	free(hp->buf);
	free(hp);
}

static int is_vlan_tpid(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100 ||
	       type == 0x9200;
}

unsigned hex_link_header_len(int linktype, const uint8_t *p, uint32_t caplen)
{
	unsigned len;

	switch (linktype) {
	case DLT_EN10MB:
		len = 14;
		/* Each VLAN tag lengthens the header tcpdump skips. */
		while (len <= caplen && len >= 2 &&
		       is_vlan_tpid((uint16_t)(p[len - 2] << 8 | p[len - 1])) &&
		       len + 4 <= caplen)
			len += 4;
		break;
	case DLT_LINUX_SLL:
		len = 16;
		break;
	case DLT_LINUX_SLL2:
		len = 20;
		break;
	case DLT_NULL:
	case DLT_LOOP:
		len = 4;
		break;
	default:
		len = 0;
		break;
	}
	return len < caplen ? len : caplen;
}

/* Room for the whole dump: at most 80 bytes of text per 16 packet bytes. */
static int reserve(struct hex_printer *hp, size_t len)
{
	size_t need = (len / 16 + 1) * 80 + len + 8;
	char *buf;

	if (need <= hp->cap)
		return 0;
	buf = realloc(hp->buf, need);
	if (!buf)
		return -ENOMEM;
	hp->buf = buf;
	hp->cap = need;
	return 0;
}

static size_t dump_hex(char *out, const uint8_t *p, size_t len, int ascii)
{
	static const char hexd[] = "0123456789abcdef";
	size_t pos = 0, off, i;

	for (off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16, col = 0;

		pos += (size_t)sprintf(out + pos, "\t0x%04zx: ", off);
		for (i = 0; i < n; i++) {
			if (i % 2 == 0) {
				out[pos++] = ' ';
				col++;
			}
			out[pos++] = hexd[p[off + i] >> 4];
			out[pos++] = hexd[p[off + i] & 0xf];
			col += 2;
		}
		if (ascii) {
			while (col < 40) {
				out[pos++] = ' ';
				col++;
			}
			out[pos++] = ' ';
			out[pos++] = ' ';
			for (i = 0; i < n; i++) {
				uint8_t c = p[off + i];

				out[pos++] = c > 0x20 && c < 0x7f ? (char)c : '.';
			}
		}
		out[pos++] = '\n';
	}
	return pos;
}

/* Printable bytes, tabs and newlines as they are, the rest as '.'; a CR
 * right before a LF is dropped, so CRLF text reads as lines. */
static size_t dump_ascii(char *out, const uint8_t *p, size_t len)
{
	size_t pos = 0, i;

	for (i = 0; i < len; i++) {
		uint8_t c = p[i];

		if (c == '\r') {
			if (i + 1 == len || p[i + 1] != '\n')
				out[pos++] = '.';
		} else if ((c >= 0x21 && c <= 0x7e) || c == '\t' || c == ' ' ||
			   c == '\n') {
			out[pos++] = (char)c;
		} else {
			out[pos++] = '.';
		}
	}
	out[pos++] = '\n';
	return pos;
}

int hex_printer_print(struct hex_printer *hp, const struct ptd_packet *pkt,
		      const struct ptd_meta *meta)
{
	const struct ptd_options *o = hp->opts;
	int linktype = pkt->iface ? pkt->iface->linktype : DLT_EN10MB;
	int whole, ascii_col = 0, mode;
	const uint8_t *p = pkt->data;
	size_t len = pkt->caplen, n;
	unsigned skip;

	if (o->hex_ascii) {
		whole = o->hex_ascii > 1;
		ascii_col = 1;
		mode = 'x';
	} else if (o->hex) {
		whole = o->hex > 1;
		mode = 'x';
	} else if (o->ascii) {
		whole = o->ascii > 1;
		mode = 'A';
	} else {
		return 0;
	}
	if (!whole) {
		skip = hex_link_header_len(linktype, p, pkt->caplen);
		if (len <= skip)
			return 0;
		p += skip;
		len -= skip;
	}
	if (reserve(hp, len))
		return -ENOMEM;
	if (mode == 'A')
		n = dump_ascii(hp->buf, p, len);
	else
		n = dump_hex(hp->buf, p, len, ascii_col);
	if (fwrite(hp->buf, 1, n, hp->out) != n)
		return errno ? -errno : -EIO;
	if (o->packet_buffered && fflush(hp->out) != 0)
		return -errno;
	return 0;
}

int hex_printer_flush(struct hex_printer *hp)
{
	return fflush(hp->out) == 0 ? 0 : -errno;
}
