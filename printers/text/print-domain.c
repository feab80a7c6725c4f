// SPDX-License-Identifier: BSD-2-Clause
/*
 * DNS (RFC 1035) over UDP and TCP, and multicast DNS (RFC 6762): the
 * header, the question and record sections, and names with compression.
 *
 *  0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |              ID               |Q| Opcode|A|T|R|R|Z|A|C| RCODE |
 *  |                               |R|       |A|C|D|A| |D|D|       |
 *  +-------------------------------+-------------------------------+
 *  |            QDCOUNT            |            ANCOUNT            |
 *  +-------------------------------+-------------------------------+
 *  |            NSCOUNT            |            ARCOUNT            |
 *  +-------------------------------+-------------------------------+
 *  |  question, answer, authority and additional sections ...      |
 *
 * A query shows "id[op][+][%] type? name"; a response "id[op][rcode]
 * [*][-][|][$] an/ns/ar" and its answers.  -v adds record owner names,
 * -vv the questions of responses and the other sections, -vvv TTLs.
 * Over TCP (RFC 7766) a 2-byte length comes first; it must match the
 * segment.  An extended RCODE in an OPT record (RFC 6891) extends the
 * header's.
 *
 * Names: a compression pointer must point before the name it appears in,
 * and each further pointer before the previous target, which ends any
 * loop.  Only the first 255 characters of a name are printed.
 */
#include "print-domain.h"

#define DNS_HDR_LEN 12
#define DNS_NAME_MAX 255

#define DNS_QR 0x8000
#define DNS_AA 0x0400
#define DNS_TC 0x0200
#define DNS_RD 0x0100
#define DNS_RA 0x0080
#define DNS_AD 0x0020
#define DNS_CD 0x0010
/* Bits a query should not carry: tcpdump shows the word when one is set. */
#define DNS_QUERY_ODD 0x06cf
#define DNS_OP_IQUERY 1
#define MDNS_QU 0x8000

static const char *const dns_opcodes[16] = {
	"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
	" op8", " updateA", " updateD", " updateDA", " updateM", " updateMA",
	" zoneInit", " zoneRef",
};

/* RCODEs, with the extended ones of RFC 6891 and RFC 7873. */
static const struct nd_tok dns_rcodes[] = {
	{ 0, "" }, { 1, " FormErr" }, { 2, " ServFail" }, { 3, " NXDomain" },
	{ 4, " NotImp" }, { 5, " Refused" }, { 6, " YXDomain" },
	{ 7, " YXRRSet" }, { 8, " NXRRSet" }, { 9, " NotAuth" },
	{ 10, " NotZone" }, { 15, " NoChange" }, { 16, " BadVers" },
	/* tcpdump prints these two without the leading blank */
	{ 17, "Resp17" }, { 21, "Resp21" },
	{ 23, " BadCookie" },
	{ 0, NULL },
};

void dns_chars_print(struct nd_ctx *nd, const uint8_t *p, size_t n)
{
	char out[4 * 64];
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (o > sizeof(out) - 4) {
			nd->sink(nd->sink_arg, out, o);
			o = 0;
		}
		if (c & 0x80) {
			out[o++] = 'M';
			out[o++] = '-';
			c &= 0x7f;
		}
		if (c < 0x20 || c == 0x7f) {
			out[o++] = '^';
			c ^= 0x40;
		}
		out[o++] = (char)c;
	}
	if (o)
		nd->sink(nd->sink_arg, out, o);
}

/*
 * Bytes that follow a length byte at p before the next one: a label's
 * characters, or a bit-string label's count and bits.  -1 when it cannot
 * be known (not captured, or an extended label type nobody defined).
 */
static int label_len(struct nd_ctx *nd, const uint8_t *p)
{
	unsigned bits;
	uint8_t c;

	if (!nd_ttest(nd, p, 1))
		return -1;
	c = p[0];
	if ((c & DNS_LABEL_KIND) == DNS_LABEL_RESERVED) {
		nd_puts(nd, "<BAD LABEL TYPE>");
		return -1;
	}
	if ((c & DNS_LABEL_KIND) != DNS_LABEL_EXT)
		return c;
	if ((c & ~DNS_LABEL_KIND) != DNS_EXT_BITSTRING) {
		nd_printf(nd, "<ELT %d>", c & ~DNS_LABEL_KIND);
		return -1;
	}
	if (!nd_ttest(nd, p + 1, 1))
		return -1;
	bits = p[1] ? p[1] : 256;
	return (int)((bits + 7) / 8 + 1);
}

/* RFC 2673 "\[xHEX/len]"; p is at the bit count. */
static void bitstring_print(struct nd_ctx *nd, const uint8_t *p)
{
	unsigned bits = nd_u8(nd, p), left, i = 1;

	if (bits == 0)
		bits = 256;
	nd_puts(nd, "\\[x");
	for (left = bits; left >= 8; left -= 8)
		nd_printf(nd, "%02x", nd_u8(nd, p + i++));
	if (left > 4)
		nd_printf(nd, "%02x", nd_u8(nd, p + i) & (0xff << (8 - left)) &
					   0xff);
	else if (left > 0)
		nd_printf(nd, "%1x", (nd_u8(nd, p + i) >> 4) &
					     (0x0f << (4 - left)) & 0x0f);
	nd_printf(nd, "/%u]", bits);
}

const uint8_t *dns_name_print(struct nd_ctx *nd, const uint8_t *p,
			      const uint8_t *base)
{
	const uint8_t *after = NULL; /* where the stored name ends */
	unsigned below = (unsigned)(p - base); /* pointers must aim lower */
	unsigned shown = 0, off;
	int followed = 0, len;
	uint8_t c;

	len = label_len(nd, p);
	if (len < 0)
		return NULL;
	c = *p++;
	if ((c & DNS_LABEL_KIND) != DNS_LABEL_PTR)
		after = p + len;
	if (c == 0) {
		nd_puts(nd, ".");
		return after;
	}
	while (c != 0 && p < nd->snapend) {
		if ((c & DNS_LABEL_KIND) == DNS_LABEL_PTR) {
			if (!followed) {
				after = p + 1;
				followed = 1;
			}
			if (!nd_ttest(nd, p, 1))
				return NULL;
			off = (unsigned)(c & ~DNS_LABEL_KIND) << 8 | p[0];
			if (off >= below) {
				nd_puts(nd, "<BAD PTR>");
				return NULL;
			}
			below = off;
			p = base + off;
			len = label_len(nd, p);
			if (len < 0)
				return NULL;
			c = *p++;
			continue;
		}
		if ((c & DNS_LABEL_KIND) == DNS_LABEL_EXT) {
			bitstring_print(nd, p);
		} else {
			size_t want = (size_t)len, have = nd_avail(nd, p);

			/* Printed characters, dots included, stop at the
			 * limit; the walk goes on to find the name's end. */
			if (shown + want > DNS_NAME_MAX)
				want = shown < DNS_NAME_MAX ?
				       DNS_NAME_MAX - shown : 0;
			dns_chars_print(nd, p, want < have ? want : have);
			if (want > have)
				return NULL;
			shown += (unsigned)len;
		}
		p += len;
		if (shown <= DNS_NAME_MAX) {
			nd_puts(nd, ".");
			shown++;
		}
		len = label_len(nd, p);
		if (len < 0)
			return NULL;
		c = *p++;
		if (!followed)
			after += len + 1;
	}
	if (shown > DNS_NAME_MAX)
		nd_puts(nd, "<DOMAIN NAME TOO LONG>");
	return after;
}

const uint8_t *dns_name_skip(struct nd_ctx *nd, const uint8_t *p)
{
	unsigned bits;
	uint8_t c;

	if (!nd_ttest(nd, p, 1))
		return NULL;
	c = *p++;
	while (c != 0) {
		switch (c & DNS_LABEL_KIND) {
		case DNS_LABEL_PTR:
			return p + 1;
		case DNS_LABEL_RESERVED:
			return NULL;
		case DNS_LABEL_EXT:
			if ((c & ~DNS_LABEL_KIND) != DNS_EXT_BITSTRING ||
			    !nd_ttest(nd, p, 1))
				return NULL;
			bits = p[0] ? p[0] : 256;
			p += 1 + (bits + 7) / 8;
			break;
		default:
			p += c;
			break;
		}
		if (!nd_ttest(nd, p, 1))
			return NULL;
		c = *p++;
	}
	return p;
}

/* "TYPE[ CLASS][ (QU|QM)]? name" */
static const uint8_t *question_print(struct nd_ctx *nd, const uint8_t *p,
				     const uint8_t *base, int mdns)
{
	const uint8_t *fixed = dns_name_skip(nd, p);
	unsigned type, cls, shown_cls;
	char buf[24];

	if (!fixed || !nd_ttest(nd, fixed, 4))
		return NULL;
	type = nd_be16(nd, fixed);
	cls = nd_be16(nd, fixed + 2);
	nd_printf(nd, " %s", dns_type_name(type, buf, sizeof(buf)));
	shown_cls = mdns ? cls & ~MDNS_QU : cls;
	if (shown_cls != DNS_C_IN)
		nd_printf(nd, " %s", dns_class_name(shown_cls, buf,
						    sizeof(buf)));
	if (mdns)
		nd_puts(nd, cls & MDNS_QU ? " (QU)" : " (QM)");
	nd_puts(nd, "? ");
	p = dns_name_print(nd, p, base);
	return p ? p + 4 : NULL;
}

/*
 * The upper RCODE bits an OPT record in the additional section carries
 * (the first byte of its TTL field).  Stops quietly at anything it
 * cannot walk: the header's RCODE alone is shown then.
 */
static unsigned extended_rcode(struct nd_ctx *nd, const uint8_t *p,
			       unsigned qd, unsigned rr_before, unsigned ar)
{
	unsigned i;

	for (i = 0; i < qd; i++) {
		p = dns_name_skip(nd, p);
		if (!p)
			return 0;
		p += 4;
		if (!nd_ttest(nd, p, 1))
			return 0;
	}
	for (i = 0; i < rr_before; i++) {
		p = dns_name_skip(nd, p);
		if (!p || !nd_ttest(nd, p + 8, 2))
			return 0;
		p += 10 + nd_be16(nd, p + 8);
		if (!nd_ttest(nd, p, 1))
			return 0;
	}
	/* The OPT record needs only its type and the byte wanted. */
	for (i = 0; i < ar; i++) {
		p = dns_name_skip(nd, p);
		if (!p || !nd_ttest(nd, p, 2))
			return 0;
		if (nd_be16(nd, p) == DNS_T_OPT)
			return nd_ttest(nd, p + 4, 1) ? p[4] : 0;
		if (!nd_ttest(nd, p + 8, 2))
			return 0;
		p += 10 + nd_be16(nd, p + 8);
		if (!nd_ttest(nd, p, 1))
			return 0;
	}
	return 0;
}

/*
 * count records from p, comma separated.  The first is printed whatever
 * remains; the others while captured bytes remain.  Returns NULL when the
 * section could not be printed whole.
 */
static const uint8_t *records_print(struct nd_ctx *nd, const uint8_t *p,
				    unsigned count, const uint8_t *base,
				    int mdns)
{
	if (count == 0)
		return p;
	p = dns_rr_print(nd, p, base, mdns);
	if (!p)
		return NULL;
	while (--count > 0 && p < nd->snapend) {
		nd_puts(nd, ",");
		p = dns_rr_print(nd, p, base, mdns);
		if (!p)
			return NULL;
	}
	return count ? NULL : p;
}

/* The authority and additional sections, shown from -vv on. */
static const uint8_t *more_sections_print(struct nd_ctx *nd,
					  const uint8_t *p, unsigned ns,
					  unsigned ar, const uint8_t *base,
					  int mdns)
{
	if (ns && p < nd->snapend) {
		nd_puts(nd, " ns:");
		p = records_print(nd, p, ns, base, mdns);
		if (!p)
			return NULL;
		ns = 0;
	}
	if (ns)
		return NULL;
	if (ar && p < nd->snapend) {
		nd_puts(nd, " ar:");
		p = records_print(nd, p, ar, base, mdns);
		if (!p)
			return NULL;
		ar = 0;
	}
	return ar ? NULL : p;
}

static const uint8_t *response_print(struct nd_ctx *nd, const uint8_t *msg,
				     unsigned flags, const unsigned cnt[4],
				     int mdns)
{
	const uint8_t *p = msg + DNS_HDR_LEN;
	unsigned rcode = flags & 0x0f, i;
	char buf[24];

	rcode |= extended_rcode(nd, p, cnt[0], cnt[1] + cnt[2], cnt[3]) << 4;
	nd_printf(nd, "%u%s%s%s%s%s%s", nd_be16(nd, msg),
		  dns_opcodes[(flags >> 11) & 0x0f],
		  nd_tok2str(dns_rcodes, " Resp%u", rcode, buf, sizeof(buf)),
		  flags & DNS_AA ? "*" : "", flags & DNS_RA ? "" : "-",
		  flags & DNS_TC ? "|" : "", flags & DNS_AD ? "$" : "");
	if (cnt[0] != 1)
		nd_printf(nd, " [%uq]", cnt[0]);
	for (i = 0; i < cnt[0]; i++) {
		if (i)
			nd_puts(nd, ",");
		if (nd->vflag > 1) {
			nd_puts(nd, " q:");
			p = question_print(nd, p, msg, mdns);
		} else {
			p = dns_name_skip(nd, p);
			if (p)
				p += 4;
		}
		if (!p)
			return NULL;
	}
	nd_printf(nd, " %u/%u/%u", cnt[1], cnt[2], cnt[3]);
	p = records_print(nd, p, cnt[1], msg, mdns);
	if (p && nd->vflag > 1)
		p = more_sections_print(nd, p, cnt[2], cnt[3], msg, mdns);
	return p;
}

static const uint8_t *query_print(struct nd_ctx *nd, const uint8_t *msg,
				  unsigned flags, const unsigned cnt[4],
				  int mdns)
{
	const uint8_t *p = msg + DNS_HDR_LEN;
	unsigned opcode = (flags >> 11) & 0x0f, qd = cnt[0];

	nd_printf(nd, "%u%s%s%s", nd_be16(nd, msg), dns_opcodes[opcode],
		  flags & DNS_RD ? "+" : "", flags & DNS_CD ? "%" : "");
	if (flags & DNS_QUERY_ODD)
		nd_printf(nd, " [b2&3=0x%x]", flags);
	if (opcode == DNS_OP_IQUERY) {
		if (cnt[0])
			nd_printf(nd, " [%uq]", cnt[0]);
		if (cnt[1] != 1)
			nd_printf(nd, " [%ua]", cnt[1]);
	} else {
		if (cnt[1])
			nd_printf(nd, " [%ua]", cnt[1]);
		if (cnt[0] != 1)
			nd_printf(nd, " [%uq]", cnt[0]);
	}
	if (cnt[2])
		nd_printf(nd, " [%un]", cnt[2]);
	if (cnt[3])
		nd_printf(nd, " [%uau]", cnt[3]);
	if (qd) {
		p = question_print(nd, p, msg, mdns);
		if (!p)
			return NULL;
		while (--qd > 0 && p < nd->snapend) {
			p = question_print(nd, p, msg, mdns);
			if (!p)
				return NULL;
		}
		if (qd)
			return NULL;
	}
	if (nd->vflag > 1) {
		p = records_print(nd, p, cnt[1], msg, mdns);
		if (p)
			p = more_sections_print(nd, p, cnt[2], cnt[3], msg,
						mdns);
	}
	return p;
}

static void message_print(struct nd_ctx *nd, const uint8_t *msg,
			  unsigned len, int mdns)
{
	const uint8_t *end;
	unsigned flags, cnt[4], i;

	nd->protocol = "domain";
	if (len < DNS_HDR_LEN) {
		nd_printf(nd, "domain [length %u < %u] (invalid)", len,
			  DNS_HDR_LEN);
		return;
	}
	if (!nd_ttest(nd, msg, DNS_HDR_LEN)) {
		nd_trunc_here(nd);
		return;
	}
	flags = nd_be16(nd, msg + 2);
	for (i = 0; i < 4; i++)
		cnt[i] = nd_be16(nd, msg + 4 + 2 * i);
	if (flags & DNS_QR)
		end = response_print(nd, msg, flags, cnt, mdns);
	else
		end = query_print(nd, msg, flags, cnt, mdns);
	if (!end) {
		nd_trunc_here(nd);
		return;
	}
	nd_printf(nd, " (%u)", len);
}

void nd_domain_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	message_print(nd, p, len, 0);
}

void nd_mdns_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	message_print(nd, p, len, 1);
}

void nd_domain_tcp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned prefix;

	nd->protocol = "domain";
	if (len < 2) {
		nd_printf(nd, " [DNS over TCP: length %u < 2] (invalid)", len);
		return;
	}
	len -= 2;
	prefix = nd_be16(nd, p);
	if (prefix != len) {
		nd_printf(nd, " [prefix length(%u) != length(%u)] (invalid)",
			  prefix, len);
		return;
	}
	nd_puts(nd, " ");
	message_print(nd, p + 2, len, 0);
}
