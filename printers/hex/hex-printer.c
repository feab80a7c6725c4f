// SPDX-License-Identifier: BSD-2-Clause
/*
 * Packet bytes in tcpdump's dump formats.  The text printer ends its line
 * with a newline; each dump line here is "\t0x%04x:  ...\n", which makes
 * the same bytes as tcpdump's "\n\t0x%04x: ..." lines ended by the
 * packet's final newline.  -A prints the bytes after the text line, then
 * the newline.
 */
#include "hex-printer.h"
#include "netdissect.h"

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
	struct nd_ctx nd;
};

static void null_sink(void *arg, const char *s, size_t n)
{
}

int hex_printer_new(const struct ptd_host *host, FILE *out,
		    struct hex_printer **hpp)
{
	const struct ptd_options *o = host->opts;
	struct hex_printer *hp = calloc(1, sizeof(*hp));
	int err;

	if (!hp)
		return -ENOMEM;
	hp->host = host;
	hp->opts = o;
	hp->out = out;
	/* The flags that change how far the dissectors read; names are never
	 * looked up since nothing is shown. */
	hp->nd.vflag = o->verbose;
	hp->nd.nflag = 2;
	hp->nd.qflag = o->quiet;
	hp->nd.eflag = o->link_header;
	hp->nd.Sflag = o->absolute_seq;
	hp->nd.Kflag = o->no_verify_checksums;
	hp->nd.suppress_default_print = 1;
	hp->nd.sink = null_sink;
	err = nd_names_new(&hp->nd.names);
	if (!err)
		err = nd_tcp_seq_new(&hp->nd.tcp_seq);
	if (err) {
		hex_printer_free(hp);
		return err;
	}
	*hpp = hp;
	return 0;
}

void hex_printer_free(struct hex_printer *hp)
{
	if (!hp)
		return;
	nd_names_free(hp->nd.names);
	nd_tcp_seq_free(hp->nd.tcp_seq);
	free(hp->buf);
	free(hp);
}

/*
 * tcpdump skips the link-layer header its dissectors consumed, and none at
 * all when they stopped at the end of a truncated capture.  Running the
 * same dissectors (output discarded) gives the same answer in every case,
 * VLAN tags and cooked headers included.
 */
unsigned hex_link_header_len(struct hex_printer *hp, int linktype,
			     const uint8_t *p, uint32_t caplen, uint32_t len)
{
	return nd_print_packet(&hp->nd, linktype, p, caplen, len);
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

/* Printable bytes, tabs and newlines as they are, the rest as '.'.  A CR
 * shows as '.' only inside a line: one before a LF, or among the last two
 * bytes, is dropped (tcpdump's rule). */
static size_t dump_ascii(char *out, const uint8_t *p, size_t len)
{
	size_t pos = 0, i;

	for (i = 0; i < len; i++) {
		uint8_t c = p[i];

		if (c == '\r') {
			if (len - i - 1 > 1 && p[i + 1] != '\n')
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
	/* The text printer reports an impossible record header instead of
	 * the packet: nothing to dump. */
	if (pkt->caplen == 0 || pkt->len < pkt->caplen)
		return 0;
	if (!whole) {
		skip = hex_link_header_len(hp, linktype, p, pkt->caplen,
					   pkt->len);
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
