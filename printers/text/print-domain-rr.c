// SPDX-License-Identifier: BSD-2-Clause
/*
 * One DNS resource record (RFC 1035 4.1.3) and the data of the types
 * tcpdump decodes, with the EDNS options of an OPT record (RFC 6891).
 *
 *  +-------------------------------------------------------------+
 *  |  NAME (labels or a compression pointer)                     |
 *  +------------------------------+------------------------------+
 *  |             TYPE             |            CLASS             |
 *  +------------------------------+------------------------------+
 *  |                             TTL                             |
 *  +------------------------------+------------------------------+
 *  |           RDLENGTH           |  RDATA ...                   |
 *  +------------------------------+------------------------------+
 *
 * In an OPT record CLASS is the UDP payload size and TTL holds the
 * extended RCODE, the version and the DO bit.  In multicast DNS the top
 * bit of CLASS asks to flush caches.  Other types show only their name.
 */
#include "print-domain.h"

#include <arpa/inet.h>
#include <string.h>

enum {
	T_A = 1, T_NS = 2, T_CNAME = 5, T_SOA = 6, T_PTR = 12, T_MX = 15,
	T_TXT = 16, T_AAAA = 28, T_SRV = 33, T_A6 = 38, T_DNAME = 39,
	T_UNSPECA = 104, T_TSIG = 250, T_URI = 256,
};

#define MDNS_CACHE_FLUSH 0x8000
#define EDNS_DO 0x8000

static const struct nd_tok dns_types[] = {
	{ 1, "A" }, { 2, "NS" }, { 3, "MD" }, { 4, "MF" }, { 5, "CNAME" },
	{ 6, "SOA" }, { 7, "MB" }, { 8, "MG" }, { 9, "MR" }, { 10, "NULL" },
	{ 11, "WKS" }, { 12, "PTR" }, { 13, "HINFO" }, { 14, "MINFO" },
	{ 15, "MX" }, { 16, "TXT" }, { 17, "RP" }, { 18, "AFSDB" },
	{ 19, "X25" }, { 20, "ISDN" }, { 21, "RT" }, { 22, "NSAP" },
	{ 23, "NSAP_PTR" }, { 24, "SIG" }, { 25, "KEY" }, { 26, "PX" },
	{ 27, "GPOS" }, { 28, "AAAA" }, { 29, "LOC" }, { 30, "NXT" },
	{ 31, "EID" }, { 32, "NIMLOC" }, { 33, "SRV" }, { 34, "ATMA" },
	{ 35, "NAPTR" }, { 36, "KX" }, { 37, "CERT" }, { 38, "A6" },
	{ 39, "DNAME" }, { 40, "SINK" }, { 41, "OPT" }, { 42, "APL" },
	{ 43, "DS" }, { 44, "SSHFP" }, { 45, "IPSECKEY" }, { 46, "RRSIG" },
	{ 47, "NSEC" }, { 48, "DNSKEY" }, { 99, "SPF" }, { 100, "UINFO" },
	{ 101, "UID" }, { 102, "GID" }, { 103, "UNSPEC" },
	{ 104, "UNSPECA" }, { 249, "TKEY" }, { 250, "TSIG" },
	{ 251, "IXFR" }, { 252, "AXFR" }, { 253, "MAILB" }, { 254, "MAILA" },
	{ 255, "ANY" }, { 256, "URI" },
	{ 0, NULL },
};

static const struct nd_tok dns_classes[] = {
	{ 1, "IN" }, { 3, "CHAOS" }, { 4, "HS" }, { 255, "ANY" },
	{ 0, NULL },
};

enum {
	E_NSID = 3, E_DAU = 5, E_DHU = 6, E_N3U = 7, E_ECS = 8,
	E_EXPIRE = 9, E_COOKIE = 10, E_KEEPALIVE = 11, E_PADDING = 12,
	E_CHAIN = 13, E_KEYTAG = 14,
};

static const struct nd_tok edns_options[] = {
	{ 1, "LLQ" }, { 2, "UL" }, { E_NSID, "NSID" }, { E_DAU, "DAU" },
	{ E_DHU, "DHU" }, { E_N3U, "N3U" }, { E_ECS, "ECS" },
	{ E_EXPIRE, "EXPIRE" }, { E_COOKIE, "COOKIE" },
	{ E_KEEPALIVE, "KEEPALIVE" }, { E_PADDING, "PADDING" },
	{ E_CHAIN, "CHAIN" }, { E_KEYTAG, "KEY-TAG" }, { 16, "CLIENT-TAG" },
	{ 17, "SERVER-TAG" },
	{ 0, NULL },
};

/* DNSSEC algorithm numbers (RFC 8624) for the DAU option (RFC 6975). */
static const struct nd_tok dnssec_algs[] = {
	{ 0, "DELETE" }, { 1, "RSAMD5" }, { 2, "DH" }, { 3, "DS" },
	{ 5, "RSASHA1" }, { 6, "DSA-NSEC3-SHA1" },
	{ 7, "RSASHA1-NSEC3-SHA1" }, { 8, "RSASHA256" },
	{ 10, "RSASHA512" }, { 12, "ECC-GOST" }, { 13, "ECDSAP256SHA256" },
	{ 14, "ECDSAP384SHA384" }, { 15, "ED25519" }, { 16, "ED448" },
	{ 252, "INDIRECT" }, { 253, "PRIVATEDNS" }, { 254, "PRIVATEOID" },
	{ 0, NULL },
};

/* DS digest types for DHU, NSEC3 hashes for N3U. */
static const struct nd_tok ds_digests[] = {
	{ 1, "SHA-1" }, { 2, "SHA-256" }, { 3, "GOST_R_34.11-94" },
	{ 4, "SHA-384" },
	{ 0, NULL },
};

static const struct nd_tok nsec3_hashes[] = {
	{ 1, "SHA-1" },
	{ 0, NULL },
};

const char *dns_type_name(unsigned type, char *buf, size_t size)
{
	return nd_tok2str(dns_types, "Type%u", type, buf, size);
}

const char *dns_class_name(unsigned cls, char *buf, size_t size)
{
	return nd_tok2str(dns_classes, "(Class %u)", cls, buf, size);
}

/* A length-prefixed character-string (RFC 1035 3.3), or NULL if cut. */
static const uint8_t *cstring_print(struct nd_ctx *nd, const uint8_t *p)
{
	size_t n, have;

	if (!nd_ttest(nd, p, 1))
		return NULL;
	n = p[0];
	have = nd_avail(nd, p + 1);
	dns_chars_print(nd, p + 1, n < have ? n : have);
	return n > have ? NULL : p + 1 + n;
}

static void hex_print(struct nd_ctx *nd, const uint8_t *p, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		nd_printf(nd, "%02x", p[i]);
}

/* RFC 7871 client subnet: FAMILY, SOURCE and SCOPE PREFIX-LENGTH, the
 * address bytes the source prefix covers. */
static void ecs_print(struct nd_ctx *nd, const uint8_t *p, unsigned n)
{
	uint8_t addr[16] = { 0 };
	char text[INET6_ADDRSTRLEN];
	unsigned family, src, scope, bits;

	if (n < 4)
		goto invalid;
	family = (unsigned)p[0] << 8 | p[1];
	src = p[2];
	scope = p[3];
	if (family == 1)
		bits = 32;
	else if (family == 2)
		bits = 128;
	else
		goto invalid;
	if (n - 4 > bits / 8 || src > bits || scope > bits ||
	    (src + 7) / 8 != n - 4)
		goto invalid;
	memcpy(addr, p + 4, n - 4);
	inet_ntop(family == 1 ? AF_INET : AF_INET6, addr, text, sizeof(text));
	nd_printf(nd, "%s/%u/%u", text, src, scope);
	return;
invalid:
	nd_puts(nd, " (invalid)");
}

static void edns_data_print(struct nd_ctx *nd, unsigned code,
			    const uint8_t *p, unsigned n)
{
	const struct nd_tok *algs = NULL;
	char buf[24];
	unsigned i;

	switch (code) {
	case E_ECS:
		ecs_print(nd, p, n);
		return;
	case E_COOKIE:
		/* a client cookie of 8 bytes, then a server one of 8-32 */
		if (n != 8 && (n < 16 || n > 40)) {
			nd_puts(nd, " (invalid)");
			return;
		}
		hex_print(nd, p, 8);
		if (n > 8) {
			nd_puts(nd, " ");
			hex_print(nd, p + 8, n - 8);
		}
		return;
	case E_KEEPALIVE:
		/* RFC 7828: units of 100 ms */
		if (n != 2)
			nd_puts(nd, " (invalid)");
		else
			nd_printf(nd, "%0.1f sec",
				  (double)((unsigned)p[0] << 8 | p[1]) / 10.0);
		return;
	case E_EXPIRE:
		if (n != 4)
			nd_puts(nd, " (invalid)");
		else
			nd_printf(nd, "%u sec", (unsigned)p[0] << 24 |
				  (unsigned)p[1] << 16 | (unsigned)p[2] << 8 |
				  p[3]);
		return;
	case E_PADDING:
		nd_printf(nd, "(%u)", n);
		return;
	case E_CHAIN:
		/* Compression pointers count from the option's end here. */
		dns_name_print(nd, p, p + n);
		return;
	case E_KEYTAG:
		if (n % 2) {
			nd_puts(nd, " (invalid)");
			return;
		}
		for (i = 0; i < n; i += 2)
			nd_printf(nd, "%s%u", i ? " " : "",
				  (unsigned)p[i] << 8 | p[i + 1]);
		return;
	case E_DAU:
		algs = dnssec_algs;
		break;
	case E_DHU:
		algs = ds_digests;
		break;
	case E_N3U:
		algs = nsec3_hashes;
		break;
	default:
		hex_print(nd, p, n);
		return;
	}
	for (i = 0; i < n; i++)
		nd_printf(nd, "%s%s", i ? " " : "",
			  nd_tok2str(algs, "Alg_%u", p[i], buf, sizeof(buf)));
}

/* One EDNS option "NAME data"; NULL if cut. */
static const uint8_t *edns_option_print(struct nd_ctx *nd, const uint8_t *p)
{
	unsigned code, n;
	char buf[24];

	if (!nd_ttest(nd, p, 2))
		return NULL;
	code = nd_be16(nd, p);
	nd_puts(nd, nd_tok2str(edns_options, "Opt%u", code, buf,
			       sizeof(buf)));
	if (!nd_ttest(nd, p + 2, 2))
		return NULL;
	n = nd_be16(nd, p + 2);
	p += 4;
	if (!nd_ttest(nd, p, n))
		return NULL;
	if (n > 0) {
		nd_puts(nd, " ");
		edns_data_print(nd, code, p, n);
	}
	return p + n;
}

static const uint8_t *opt_print(struct nd_ctx *nd, const uint8_t *p,
				const uint8_t *end, unsigned size,
				unsigned flags)
{
	nd_printf(nd, " UDPsize=%u", size);
	if (flags & EDNS_DO)
		nd_puts(nd, " DO");
	if (p >= end)
		return end;
	nd_puts(nd, " [");
	while (p < end) {
		p = edns_option_print(nd, p);
		if (!p)
			return NULL;
		if (p < end)
			nd_puts(nd, ",");
	}
	nd_puts(nd, "]");
	return end;
}

/* RFC 8945 TSIG: the algorithm name and the fields after the MAC. */
static const uint8_t *tsig_print(struct nd_ctx *nd, const uint8_t *p,
				 const uint8_t *base)
{
	static const char *const fields[] = {
		" fudge=%u", " maclen=%u", " origid=%u", " error=%u",
		" otherlen=%u",
	};
	unsigned i, v;

	nd_puts(nd, " ");
	p = dns_name_print(nd, p, base);
	if (!p)
		return NULL;
	p += 6; /* time signed */
	for (i = 0; i < 5; i++) {
		if (!nd_ttest(nd, p, 2))
			return NULL;
		v = nd_be16(nd, p);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		nd_printf(nd, fields[i], v);
#pragma GCC diagnostic pop
		p += 2;
		if (i == 1)
			p += v; /* the MAC */
	}
	return p;
}

/* RFC 2874 A6: prefix length, the address suffix, the prefix name. */
static const uint8_t *a6_print(struct nd_ctx *nd, const uint8_t *p,
			       const uint8_t *base)
{
	char text[INET6_ADDRSTRLEN];
	uint8_t addr[16] = { 0 };
	unsigned plen, skip;

	if (!nd_ttest(nd, p, 1))
		return NULL;
	plen = p[0];
	skip = plen / 8;
	if (plen > 128) {
		nd_printf(nd, " %u(bad plen)", plen);
		return p;
	}
	if (plen < 128) {
		nd_copy(nd, addr + skip, p + 1, 16 - skip);
		inet_ntop(AF_INET6, addr, text, sizeof(text));
		nd_printf(nd, " %u %s", plen, text);
	}
	if (plen > 0) {
		nd_puts(nd, " ");
		if (!dns_name_print(nd, p + 1 + 16 - skip, base))
			return NULL;
	}
	return p;
}

/* URI (RFC 7553): priority, weight, target.  The target's length is the
 * record's less 4, taken modulo 2^32 as tcpdump does: a record shorter
 * than 4 prints to the end of the capture, then the marker. */
static const uint8_t *uri_print(struct nd_ctx *nd, const uint8_t *p,
				unsigned n)
{
	size_t want, have;

	/* unchecked: a cut here ends the packet (a -x dump shows it) */
	nd_printf(nd, " %u %u ", nd_be16(nd, p), nd_be16(nd, p + 2));
	want = (uint32_t)(n - 4);
	have = nd_avail(nd, p + 4);
	dns_chars_print(nd, p + 4, want < have ? want : have);
	return want > have ? NULL : p;
}

static const uint8_t *rdata_print(struct nd_ctx *nd, unsigned type,
				  const uint8_t *p, const uint8_t *end,
				  const uint8_t *base)
{
	char text[INET6_ADDRSTRLEN];
	unsigned n = (unsigned)(end - p), i;

	switch (type) {
	case T_A:
		if (!nd_ttest(nd, p, 4))
			return NULL;
		nd_printf(nd, " %u.%u.%u.%u", p[0], p[1], p[2], p[3]);
		return p;
	case T_AAAA:
		if (!nd_ttest(nd, p, 16))
			return NULL;
		inet_ntop(AF_INET6, p, text, sizeof(text));
		nd_printf(nd, " %s", text);
		return p;
	case T_NS:
	case T_CNAME:
	case T_PTR:
	case T_DNAME:
		nd_puts(nd, " ");
		return dns_name_print(nd, p, base);
	case T_SOA:
		if (!nd->vflag)
			return p;
		nd_puts(nd, " ");
		p = dns_name_print(nd, p, base);
		if (!p)
			return NULL;
		nd_puts(nd, " ");
		p = dns_name_print(nd, p, base);
		if (!p || !nd_ttest(nd, p, 20))
			return NULL;
		/* serial, refresh, retry, expire, minimum */
		for (i = 0; i < 5; i++)
			nd_printf(nd, " %u", nd_be32(nd, p + 4 * i));
		return p;
	case T_MX:
		nd_puts(nd, " ");
		if (!nd_ttest(nd, p, 2) || !dns_name_print(nd, p + 2, base))
			return NULL;
		nd_printf(nd, " %u", nd_be16(nd, p));
		return p;
	case T_TXT:
		while (p < end) {
			nd_puts(nd, " \"");
			p = cstring_print(nd, p);
			if (!p)
				return NULL;
			nd_puts(nd, "\"");
		}
		return p;
	case T_SRV:
		nd_puts(nd, " ");
		if (!nd_ttest(nd, p, 6) || !dns_name_print(nd, p + 6, base))
			return NULL;
		nd_printf(nd, ":%u %u %u", nd_be16(nd, p + 4), nd_be16(nd, p),
			  nd_be16(nd, p + 2));
		return p;
	case T_A6:
		return a6_print(nd, p, base);
	case T_UNSPECA:
		if (!nd_ttest(nd, p, n))
			return NULL;
		dns_chars_print(nd, p, n);
		return p;
	case T_TSIG:
		return nd->vflag ? tsig_print(nd, p, base) : p;
	case T_URI:
		return uri_print(nd, p, n);
	default:
		return p;
	}
}

const uint8_t *dns_rr_print(struct nd_ctx *nd, const uint8_t *p,
			    const uint8_t *base, int mdns)
{
	unsigned type, cls, shown_cls, opt_flags = 0, rdlen;
	const uint8_t *end;
	char buf[24];

	if (nd->vflag) {
		nd_puts(nd, " ");
		p = dns_name_print(nd, p, base);
		if (!p)
			return NULL;
	} else {
		p = dns_name_skip(nd, p);
	}
	if (!p || !nd_ttest(nd, p, 10))
		return nd->snapend;
	type = nd_be16(nd, p);
	cls = nd_be16(nd, p + 2);
	shown_cls = mdns ? cls & ~MDNS_CACHE_FLUSH : cls;
	if (shown_cls != DNS_C_IN && type != DNS_T_OPT)
		nd_printf(nd, " %s", dns_class_name(shown_cls, buf,
						    sizeof(buf)));
	if (mdns && (cls & MDNS_CACHE_FLUSH))
		nd_puts(nd, " (Cache flush)");
	if (type == DNS_T_OPT) {
		opt_flags = nd_be16(nd, p + 6);
	} else if (nd->vflag > 2) {
		nd_puts(nd, " [");
		nd_print_span(nd, nd_be32(nd, p + 4));
		nd_puts(nd, "]");
	}
	rdlen = nd_be16(nd, p + 8);
	p += 10;
	end = p + rdlen;
	nd_printf(nd, " %s", dns_type_name(type, buf, sizeof(buf)));
	if (end > nd->snapend)
		return NULL;
	if (type == DNS_T_OPT)
		return opt_print(nd, p, end, shown_cls, opt_flags);
	return rdata_print(nd, type, p, end, base) ? end : NULL;
}
