// SPDX-License-Identifier: BSD-2-Clause
/*
 * TCP (RFC 9293) with its common options (RFC 7323, RFC 2018).
 *
 *  0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |
 *  +-------------------------------+-------------------------------+
 *  |                        Sequence Number                        |
 *  +---------------------------------------------------------------+
 *  |                    Acknowledgment Number                      |
 *  +-------+-------+---------------+-------------------------------+
 *  |  Off  | Rsvd  |C E U A P R S F|            Window             |
 *  +-------+-------+---------------+-------------------------------+
 *  |           Checksum            |         Urgent Pointer        |
 *  +-------------------------------+-------------------------------+
 *
 * Sequence numbers are shown relative to the connection's first packet
 * with an ACK (-S: absolute), keyed on the unordered address/port pair.
 */
#include "netdissect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10
#define TH_URG 0x20

#define SEQ_BUCKETS 4096
/* Bound on remembered connections; later ones print absolute numbers. */
#define SEQ_MAX_ENTRIES (1u << 18)
#define RST_DATA_MAX 30

static const struct nd_tok tcp_flags[] = {
	{ 0x01, "F" }, { 0x02, "S" }, { 0x04, "R" }, { 0x08, "P" },
	{ 0x10, "." }, { 0x20, "U" }, { 0x40, "E" }, { 0x80, "W" },
	{ 0, NULL },
};

enum {
	OPT_EOL = 0, OPT_NOP = 1, OPT_MSS = 2, OPT_WSCALE = 3,
	OPT_SACKOK = 4, OPT_SACK = 5, OPT_ECHO = 6, OPT_ECHOREPLY = 7,
	OPT_TIMESTAMP = 8, OPT_CC = 11, OPT_CCNEW = 12, OPT_CCECHO = 13,
	OPT_SCPS = 20, OPT_UTO = 28,
	OPT_SIGNATURE = 19, OPT_TCPAO = 29, OPT_MPTCP = 30, OPT_TFO = 34,
	OPT_EXP2 = 254,
};

#define TCP_SIGLEN 16
#define TFO_MAGIC 0xf989

static const struct nd_tok tcp_options[] = {
	{ OPT_NOP, "nop" }, { OPT_EOL, "eol" }, { OPT_MSS, "mss" },
	{ OPT_WSCALE, "wscale" }, { OPT_SACKOK, "sackOK" },
	{ OPT_SACK, "sack" }, { OPT_ECHO, "echo" },
	{ OPT_ECHOREPLY, "echoreply" }, { OPT_TIMESTAMP, "TS" },
	{ OPT_CC, "cc" }, { OPT_CCNEW, "ccnew" }, { OPT_CCECHO, "" },
	{ OPT_SCPS, "scps" }, { OPT_UTO, "uto" },
	{ OPT_SIGNATURE, "md5" }, { OPT_TCPAO, "tcp-ao" },
	{ OPT_MPTCP, "mptcp" }, { OPT_TFO, "tfo" }, { OPT_EXP2, "exp" },
	{ 0, NULL },
};

struct seq_key {
	uint8_t addr[2][16];
	uint16_t port[2];
	uint8_t v6;
};

struct seq_entry {
	struct seq_entry *next;
	struct seq_key key;
	uint32_t seq, ack;
};

struct nd_tcp_seq {
	struct seq_entry *buckets[SEQ_BUCKETS];
	unsigned count;
};

/* The relative-numbering state of this packet's connection, and what
 * the option printers need to know of the rest of the segment. */
struct seq_view {
	int rev;
	uint32_t thseq, thack;
	uint8_t flags;
	const uint8_t *payload;
	unsigned paylen;
};

int nd_tcp_seq_new(struct nd_tcp_seq **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void nd_tcp_seq_free(struct nd_tcp_seq *t)
{
	unsigned i;

	if (!t)
		return;
	for (i = 0; i < SEQ_BUCKETS; i++) {
		struct seq_entry *e = t->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(t);
}

/*
 * Finds (or starts) the connection and makes seq/ack relative.  The key
 * orders the endpoints so both directions meet; rev says this packet runs
 * from the "higher" endpoint, whose numbers were stored swapped.
 */
static void seq_track(struct nd_ctx *nd, const struct nd_ip_info *ipi,
		      uint16_t sport, uint16_t dport, int syn, uint32_t *seq,
		      uint32_t *ack, struct seq_view *v)
{
	size_t alen = ipi->v6 ? 16 : 4;
	const uint8_t *src = ipi->ip + (ipi->v6 ? 8 : 12);
	const uint8_t *dst = src + alen;
	struct nd_tcp_seq *t = nd->tcp_seq;
	struct seq_entry *e;
	struct seq_key k;
	uint64_t w[(sizeof(struct seq_key) + 7) / 8] = { 0 }, mix = 0;
	uint32_t h;
	size_t i;

	memset(&k, 0, sizeof(k));
	v->rev = sport > dport ||
		 (sport == dport && memcmp(src, dst, alen) > 0);
	memcpy(k.addr[0], v->rev ? dst : src, alen);
	memcpy(k.addr[1], v->rev ? src : dst, alen);
	k.port[0] = v->rev ? dport : sport;
	k.port[1] = v->rev ? sport : dport;
	k.v6 = (uint8_t)ipi->v6;
	/* Word by word: this runs for every TCP packet. */
	memcpy(w, &k, sizeof(k));
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		mix = (mix ^ w[i]) * 0x9e3779b97f4a7c15ull;
	h = (uint32_t)(mix >> 40) % SEQ_BUCKETS;
	for (e = t->buckets[h]; e; e = e->next)
		if (memcmp(&e->key, &k, sizeof(k)) == 0)
			break;
	if (!e || syn) {
		if (!e && t->count < SEQ_MAX_ENTRIES) {
			e = calloc(1, sizeof(*e));
			if (e) {
				e->key = k;
				e->next = t->buckets[h];
				t->buckets[h] = e;
				t->count++;
			}
		}
		if (!e) {
			v->thseq = v->thack = 0;
			return;
		}
		e->seq = v->rev ? *ack - 1 : *seq;
		e->ack = v->rev ? *seq : *ack - 1;
	} else if (v->rev) {
		*seq -= e->ack;
		*ack -= e->seq;
	} else {
		*seq -= e->seq;
		*ack -= e->ack;
	}
	v->thseq = e->seq;
	v->thack = e->ack;
}

/* Option data past the header is a bad option (1); past the capture, a
 * truncation this printer reports itself (2). */
static int opt_check(struct nd_ctx *nd, const uint8_t *cp, unsigned need,
		     unsigned hlen)
{
	if (need > hlen)
		return 1;
	if (!nd_ttest(nd, cp, need))
		return 2;
	return 0;
}

/* RFC 2018 blocks, relative like the ack field unless -S. */
static int sack_print(struct nd_ctx *nd, const uint8_t *cp, unsigned datalen,
		      unsigned hlen, const struct seq_view *v)
{
	uint32_t base = v->rev ? v->thseq : v->thack;
	unsigned i;
	int bad;

	if (datalen % 8 != 0) {
		nd_puts(nd, " invalid sack");
		return 0;
	}
	nd_printf(nd, " %u ", datalen / 8);
	for (i = 0; i < datalen; i += 8) {
		uint32_t s, e;

		bad = opt_check(nd, cp, i + 4, hlen);
		if (bad)
			return bad;
		s = nd_be32(nd, cp + i);
		bad = opt_check(nd, cp, i + 8, hlen);
		if (bad)
			return bad;
		e = nd_be32(nd, cp + i + 4);
		nd_printf(nd, "{%u:%u}", s - base, e - base);
	}
	return 0;
}

static int hex_option_print(struct nd_ctx *nd, const uint8_t *cp,
			    unsigned datalen, unsigned hlen)
{
	unsigned i;
	int bad;

	if (datalen)
		nd_puts(nd, " 0x");
	for (i = 0; i < datalen; i++) {
		bad = opt_check(nd, cp, i + 1, hlen);
		if (bad)
			return bad;
		nd_printf(nd, "%02x", nd_u8(nd, cp + i));
	}
	return 0;
}

/*
 * RFC 2385 signature: without the shared secret (tcpdump's -M, which we
 * do not take) it cannot be verified, and the line says why.
 */
static void signature_print(struct nd_ctx *nd, const uint8_t *cp,
			    const struct seq_view *v)
{
	unsigned i;

	nd_puts(nd, " ");
	if (!nd_ttest(nd, v->payload, v->paylen))
		nd_puts(nd, "snaplen too short, ");
	else
		nd_puts(nd, "shared secret not supplied with -M, ");
	nd_puts(nd, "can't check - ");
	for (i = 0; i < TCP_SIGLEN; i++)
		nd_printf(nd, "%02x", nd_u8(nd, cp + i));
}

/* RFC 5925: key ids, then the MAC. */
static int tcp_ao_print(struct nd_ctx *nd, const uint8_t *cp,
			unsigned datalen, unsigned hlen)
{
	unsigned i;
	int bad;

	if (datalen < 2) {
		nd_puts(nd, " (invalid)");
		return 0;
	}
	bad = opt_check(nd, cp, 1, hlen);
	if (bad)
		return bad;
	nd_printf(nd, " keyid %u", nd_u8(nd, cp));
	bad = opt_check(nd, cp, 2, hlen);
	if (bad)
		return bad;
	nd_printf(nd, " rnextkeyid %u", nd_u8(nd, cp + 1));
	if (datalen > 2)
		nd_puts(nd, " mac 0x");
	for (i = 2; i < datalen; i++) {
		bad = opt_check(nd, cp, i + 1, hlen);
		if (bad)
			return bad;
		nd_printf(nd, "%02x", nd_u8(nd, cp + i));
	}
	return 0;
}

/* RFC 7413: an empty option asks for a cookie of 4 to 16 even bytes. */
static void fastopen_print(struct nd_ctx *nd, const uint8_t *cp,
			   unsigned datalen)
{
	unsigned i;

	if (datalen == 0) {
		nd_puts(nd, " cookiereq");
		return;
	}
	if (datalen % 2 != 0 || datalen < 4 || datalen > 16) {
		nd_puts(nd, " (invalid)");
		return;
	}
	nd_puts(nd, " cookie ");
	for (i = 0; i < datalen; i++)
		nd_printf(nd, "%02x", nd_u8(nd, cp + i));
}

/* RFC 6994 shared experimental option: a 16-bit magic says which. */
static int exp_print(struct nd_ctx *nd, const uint8_t *cp, unsigned datalen)
{
	uint16_t magic;

	if (datalen < 2)
		return 1;
	magic = nd_be16(nd, cp);
	nd_puts(nd, "-");
	if (magic == TFO_MAGIC) {
		nd_puts(nd, "tfo");
		fastopen_print(nd, cp + 2, datalen - 2);
	} else {
		nd_printf(nd, "%04x", magic);
	}
	return 0;
}

/* Data bytes an option's value has, when fixed by its kind. */
static unsigned option_fixed_len(uint8_t opt)
{
	switch (opt) {
	case OPT_MSS:
	case OPT_SCPS:
	case OPT_UTO:
		return 2;
	case OPT_WSCALE:
		return 1;
	case OPT_ECHO:
	case OPT_ECHOREPLY:
	case OPT_CC:
	case OPT_CCNEW:
	case OPT_CCECHO:
		return 4;
	case OPT_TIMESTAMP:
		return 8;
	case OPT_SIGNATURE:
		return TCP_SIGLEN;
	default:
		return 0;
	}
}

/* One option's value; returns the data bytes it used, *bad as above. */
static unsigned tcp_option_value(struct nd_ctx *nd, uint8_t opt,
				 const uint8_t *cp, unsigned len,
				 unsigned hlen, const struct seq_view *v,
				 int *bad)
{
	unsigned datalen = option_fixed_len(opt);
	uint16_t uto;

	*bad = opt_check(nd, cp, datalen, hlen);
	if (*bad)
		return 0;
	switch (opt) {
	case OPT_MSS:
		nd_printf(nd, " %u", nd_be16(nd, cp));
		break;
	case OPT_WSCALE:
		nd_printf(nd, " %u", nd_u8(nd, cp));
		break;
	case OPT_ECHO:
	case OPT_ECHOREPLY:
	case OPT_CC:
	case OPT_CCNEW:
	case OPT_CCECHO:
		nd_printf(nd, " %u", nd_be32(nd, cp));
		break;
	case OPT_SCPS:
		nd_printf(nd, " cap %02x id %u", nd_u8(nd, cp), nd_u8(nd, cp + 1));
		break;
	case OPT_UTO:
		/* RFC 5482: the low bit says minutes, else seconds. */
		uto = nd_be16(nd, cp);
		nd_printf(nd, " 0x%x %u", uto, uto & 1 ? (uto >> 1) * 60u :
			  uto >> 1);
		break;
	case OPT_TIMESTAMP:
		nd_printf(nd, " val %u ecr %u", nd_be32(nd, cp),
			  nd_be32(nd, cp + 4));
		break;
	case OPT_EOL:
	case OPT_NOP:
	case OPT_SACKOK:
		break;
	case OPT_SACK:
		datalen = len - 2;
		*bad = sack_print(nd, cp, datalen, hlen, v);
		break;
	case OPT_SIGNATURE:
		signature_print(nd, cp, v);
		break;
	case OPT_TCPAO:
		datalen = len - 2;
		*bad = tcp_ao_print(nd, cp, datalen, hlen);
		break;
	case OPT_MPTCP:
		datalen = len - 2;
		*bad = opt_check(nd, cp, datalen, hlen);
		if (*bad)
			break;
		*bad = nd_mptcp_print(nd, cp - 2, len, v->flags) ? 0 : 1;
		break;
	case OPT_TFO:
		datalen = len - 2;
		*bad = opt_check(nd, cp, datalen, hlen);
		if (*bad)
			break;
		nd_puts(nd, " ");
		fastopen_print(nd, cp, datalen);
		break;
	case OPT_EXP2:
		datalen = len - 2;
		*bad = opt_check(nd, cp, datalen, hlen);
		if (*bad)
			break;
		*bad = exp_print(nd, cp, datalen);
		break;
	default:
		datalen = len - 2;
		*bad = hex_option_print(nd, cp, datalen, hlen);
		break;
	}
	return datalen;
}

/* Returns 0 when a malformed option ended the packet's output. */
static int tcp_options_print(struct nd_ctx *nd, const uint8_t *cp,
			     unsigned hlen, const struct seq_view *v)
{
	int first = 1;
	char buf[24];

	nd_puts(nd, ", options [");
	while (hlen > 0) {
		unsigned len, datalen;
		int bad = 0;
		uint8_t opt;

		if (!first)
			nd_puts(nd, ",");
		opt = nd_u8(nd, cp++);
		if (opt == OPT_EOL || opt == OPT_NOP) {
			len = 1;
		} else {
			len = nd_u8(nd, cp++);
			if (len < 2 || len > hlen)
				goto bad;
			hlen--;
		}
		hlen--;
		nd_puts(nd, nd_tok2str(tcp_options, "unknown-%u", opt, buf,
				       sizeof(buf)));
		datalen = tcp_option_value(nd, opt, cp, len, hlen, v, &bad);
		if (bad == 2)
			goto trunc;
		if (bad)
			goto bad;
		cp += datalen;
		hlen -= datalen;
		datalen += opt == OPT_EOL || opt == OPT_NOP ? 1 : 2;
		if (datalen != len)
			nd_printf(nd, "[len %u]", len);
		first = 0;
		if (opt == OPT_EOL)
			break;
	}
	nd_puts(nd, "]");
	return 1;
bad:
	nd_puts(nd, first ? "[bad opt]" : "[bad opt]]");
	return 0;
trunc:
	/* Reported here rather than by a jump to the packet's end: the link
	 * header stays out of a -x dump, as with tcpdump. */
	nd->trunc_suffix = first ? "" : ">";
	nd_trunc_here(nd);
	return 0;
}

/* Data on a reset (RFC 1122 4.2.2.12) under -v: "!" when not all of it
 * was captured, "+" when more than the shown 30 bytes. */
static void tcp_rst_data(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	size_t avail = nd_avail(nd, p);

	nd_printf(nd, " [%sRST", nd_ttest(nd, p, len) ? "" : "!");
	if (len > RST_DATA_MAX) {
		len = RST_DATA_MAX;
		nd_puts(nd, "+");
	}
	nd_puts(nd, " ");
	nd_print_escaped(nd, p, len < avail ? len : avail);
	nd_puts(nd, "]");
}

static const struct {
	uint16_t port;
	void (*print)(struct nd_ctx *nd, const uint8_t *p, unsigned len);
} tcp_port_printers[] = {
	{ 22, nd_ssh_print },
	{ 80, nd_http_print },
	{ 8080, nd_http_print },
	/* after HTTP, as tcpdump looks ports up */
	{ 53, nd_domain_tcp_print },
};

static void tcp_payload(struct nd_ctx *nd, uint16_t sport, uint16_t dport,
			const uint8_t *p, unsigned len)
{
	size_t i;

	for (i = 0; i < sizeof(tcp_port_printers) /
			sizeof(tcp_port_printers[0]); i++) {
		if (tcp_port_printers[i].port == sport ||
		    tcp_port_printers[i].port == dport) {
			tcp_port_printers[i].print(nd, p, len);
			return;
		}
	}
}

static void tcp_ports_print(struct nd_ctx *nd, const struct nd_ip_info *ipi,
			    uint16_t sport, uint16_t dport)
{
	if (ipi->after_ext) {
		nd_printf(nd, "%s > ", nd_tcpport_string(nd, sport));
		nd_printf(nd, "%s: ", nd_tcpport_string(nd, dport));
		return;
	}
	nd_printf(nd, "%s.", ipi->v6 ? nd_ip6addr_string(nd, ipi->ip + 8)
				     : nd_ipaddr_string(nd, ipi->ip + 12));
	nd_printf(nd, "%s > ", nd_tcpport_string(nd, sport));
	nd_printf(nd, "%s.", ipi->v6 ? nd_ip6addr_string(nd, ipi->ip + 24)
				     : nd_ipaddr_string(nd, ipi->ip + 16));
	nd_printf(nd, "%s: ", nd_tcpport_string(nd, dport));
}

static void tcp_cksum_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
			    const struct nd_ip_info *ipi)
{
	uint16_t should;

	if (!nd->vflag || nd->Kflag || ipi->fragmented || !nd_ttest(nd, p, len))
		return;
	nd_printf(nd, ", cksum 0x%04x", nd_be16(nd, p + 16));
	if (nd_l4_cksum_check(ipi, 6, p, len, 16, &should))
		nd_puts(nd, " (correct)");
	else
		nd_printf(nd, " (incorrect -> 0x%04x)", should);
}

void nd_tcp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi)
{
	struct seq_view v = { 0 };
	uint32_t seq, ack, hlen;
	uint16_t sport, dport;
	uint8_t flags;
	char buf[16];

	nd->protocol = "tcp";
	if (!nd_ttest(nd, p + 2, 2)) {
		nd_ip_addrs_print(nd, ipi);
		nd_puts(nd, ":");
		nd_trunc_here(nd);
		return;
	}
	sport = nd_be16(nd, p);
	dport = nd_be16(nd, p + 2);
	tcp_ports_print(nd, ipi, sport, dport);
	if (!nd_ttest(nd, p, 20)) {
		nd_trunc_here(nd);
		return;
	}
	hlen = (nd_u8(nd, p + 12) >> 4) * 4u;
	if (hlen < 20) {
		nd_printf(nd, " tcp %u [bad hdr length %u - too short, < 20]",
			  len - hlen, hlen);
		return;
	}
	seq = nd_be32(nd, p + 4);
	ack = nd_be32(nd, p + 8);
	if (nd->qflag) {
		nd_printf(nd, "tcp %u", len - hlen);
		if (hlen > len)
			nd_printf(nd, " [bad hdr length %u - too long, > %u]",
				  hlen, len);
		return;
	}
	flags = nd_u8(nd, p + 13);
	nd_printf(nd, "Flags [%s]", nd_bits2str(tcp_flags, flags, "", buf,
						sizeof(buf)));
	v.flags = flags;
	v.payload = p + hlen;
	v.paylen = hlen <= len ? len - hlen : 0;
	if (!nd->Sflag && (flags & TH_ACK))
		seq_track(nd, ipi, sport, dport, flags & TH_SYN, &seq, &ack,
			  &v);
	if (hlen > len) {
		nd_printf(nd, " [bad hdr length %u - too long, > %u]", hlen,
			  len);
		return;
	}
	tcp_cksum_print(nd, p, len, ipi);
	len -= hlen;
	if (nd->vflag > 1 || len > 0 || (flags & (TH_SYN | TH_FIN | TH_RST))) {
		nd_printf(nd, ", seq %u", seq);
		if (len > 0)
			nd_printf(nd, ":%u", seq + len);
	}
	if (flags & TH_ACK)
		nd_printf(nd, ", ack %u", ack);
	nd_printf(nd, ", win %u", nd_be16(nd, p + 14));
	if (flags & TH_URG)
		nd_printf(nd, ", urg %u", nd_be16(nd, p + 18));
	if (hlen > 20 && !tcp_options_print(nd, p + 20, hlen - 20, &v))
		return;
	nd_printf(nd, ", length %u", len);
	if (len == 0)
		return;
	if (!nd_ttest(nd, p, hlen)) {
		nd_printf(nd, " [remaining caplen(%zu) < header length(%u)]",
			  nd_avail(nd, p), hlen);
		nd_trunc(nd);
	}
	if ((flags & TH_RST) && nd->vflag) {
		tcp_rst_data(nd, p + hlen, len);
		return;
	}
	tcp_payload(nd, sport, dport, p + hlen, len);
}
