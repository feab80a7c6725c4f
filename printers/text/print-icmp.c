// SPDX-License-Identifier: BSD-2-Clause
/*
 * ICMP for IPv4 (RFC 792, RFC 1191 for "need to frag").
 *
 *  0                   1                   2                   3
 *  +---------------+---------------+-------------------------------+
 *  |     Type      |     Code      |           Checksum            |
 *  +---------------+---------------+-------------------------------+
 *  |     type-specific (id/seq, gateway, pointer, next-hop MTU)    |
 *  +---------------------------------------------------------------+
 *  |   data: echo payload, or the offending IP header + 8 bytes    |
 *
 * Under -v error messages also print the datagram they quote.
 */
#include "netdissect.h"

#include <stdio.h>

enum {
	ICMP_ECHOREPLY = 0, ICMP_UNREACH = 3, ICMP_SOURCEQUENCH = 4,
	ICMP_REDIRECT = 5, ICMP_ECHO = 8, ICMP_ROUTERSOLICIT = 10,
	ICMP_TIMXCEED = 11, ICMP_PARAMPROB = 12, ICMP_TSTAMP = 13,
	ICMP_TSTAMPREPLY = 14, ICMP_IREQ = 15, ICMP_IREQREPLY = 16,
	ICMP_MASKREQ = 17, ICMP_MASKREPLY = 18,
};

/* Unreachable codes: the text around the quoted destination. */
static const struct {
	const char *before, *after;
} unreach_text[] = {
	[0] = { "net ", " unreachable" },
	[1] = { "host ", " unreachable" },
	[5] = { "", " unreachable - source route failed" },
	[6] = { "net ", " unreachable - unknown" },
	[7] = { "host ", " unreachable - unknown" },
	[8] = { "", " unreachable - source host isolated" },
	[9] = { "net ", " unreachable - admin prohibited" },
	[10] = { "host ", " unreachable - admin prohibited" },
	[11] = { "net ", " unreachable - tos prohibited" },
	[12] = { "host ", " unreachable - tos prohibited" },
	[13] = { "host ", " unreachable - admin prohibited filter" },
	[14] = { "host ", " unreachable - host precedence violation" },
	[15] = { "host ", " unreachable - precedence cutoff" },
};

static void unreach_print(struct nd_ctx *nd, uint8_t code, const uint8_t *p)
{
	const uint8_t *oip = p + 8;
	const char *dst;
	unsigned ohlen;
	uint8_t proto;

	nd_tcheck(nd, oip, 20);
	dst = nd_ipaddr_string(nd, oip + 16);
	switch (code) {
	case 2:
		nd_printf(nd, "%s protocol %u unreachable", dst,
			  nd_u8(nd, oip + 9));
		return;
	case 3:
		proto = nd_u8(nd, oip + 9);
		ohlen = (nd_u8(nd, oip) & 0x0f) * 4u;
		if (proto == 6)
			nd_printf(nd, "%s tcp port %s unreachable", dst,
				  nd_tcpport_string(nd,
					nd_be16(nd, oip + ohlen + 2)));
		else if (proto == 17)
			nd_printf(nd, "%s udp port %s unreachable", dst,
				  nd_udpport_string(nd,
					nd_be16(nd, oip + ohlen + 2)));
		else
			nd_printf(nd, "%s protocol %u port %u unreachable",
				  dst, proto, nd_be16(nd, oip + ohlen + 2));
		return;
	case 4: {
		uint16_t mtu = nd_be16(nd, p + 6);

		if (mtu)
			nd_printf(nd, "%s unreachable - need to frag (mtu %u)",
				  dst, mtu);
		else
			nd_printf(nd, "%s unreachable - need to frag", dst);
		return;
	}
	}
	if (code < sizeof(unreach_text) / sizeof(unreach_text[0]) &&
	    unreach_text[code].after)
		nd_printf(nd, "%s%s%s", unreach_text[code].before, dst,
			  unreach_text[code].after);
	else
		nd_printf(nd, "%s unreachable - #%u", dst, code);
}

static void redirect_print(struct nd_ctx *nd, uint8_t code, const uint8_t *p)
{
	const char *dst, *gw;

	nd_tcheck(nd, p + 8, 20);
	dst = nd_ipaddr_string(nd, p + 8 + 16);
	/* Both names may come from the same scratch buffer: copy one. */
	{
		char dbuf[256];

		snprintf(dbuf, sizeof(dbuf), "%s", dst);
		gw = nd_ipaddr_string(nd, p + 4);
		if (code < 4)
			nd_printf(nd, "redirect%s %s to %s %s",
				  code >= 2 ? "-tos" : "", dbuf,
				  code & 1 ? "host" : "net", gw);
		else
			nd_printf(nd, "redirect-#%u %s to %s", code, dbuf, gw);
	}
}

/* Milliseconds since midnight UT, as RFC 792 timestamps count. */
static void ms_time(char *buf, size_t size, uint32_t ms)
{
	snprintf(buf, size, "%02u:%02u:%02u.%03u", ms / 3600000,
		 ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

static void tstamp_print(struct nd_ctx *nd, uint8_t type, const uint8_t *p)
{
	char o[32], r[32], x[32];

	nd_printf(nd, "time stamp %s id %u seq %u",
		  type == ICMP_TSTAMP ? "query" : "reply", nd_be16(nd, p + 4),
		  nd_be16(nd, p + 6));
	if (type != ICMP_TSTAMPREPLY)
		return;
	ms_time(o, sizeof(o), nd_be32(nd, p + 8));
	ms_time(r, sizeof(r), nd_be32(nd, p + 12));
	ms_time(x, sizeof(x), nd_be32(nd, p + 16));
	nd_printf(nd, ": org %s, recv %s, xmit %s", o, r, x);
}

/* RFC 4884: extensions follow an original datagram padded to 128 bytes;
 * the structure starts with a version, a checksum and objects. */
#define ICMP_EXT_OFFSET (8 + 128)
#define ICMP_EXT_MIN (ICMP_EXT_OFFSET + 5)

static const struct nd_tok ext_object_classes[] = {
	{ 1, "MPLS Stack Entry" }, { 2, "Interface Identification" },
	{ 0, NULL },
};

/*
 * Objects of an extension structure (RFC 4884 section 7): a length, a
 * class and a class type, then data.  Of an MPLS label stack (RFC 4950)
 * the top entry is shown; other data as hex.
 */
static void icmp_ext_objects(struct nd_ctx *nd, const uint8_t *p,
			     unsigned left)
{
	char buf[48];

	while (left > 4) {
		unsigned obj_len, avail;
		uint8_t cls, ctype;

		if (!nd_ttest(nd, p, 4)) {
			nd_trunc_here(nd);
			return;
		}
		obj_len = nd_be16(nd, p);
		cls = nd_u8(nd, p + 2);
		ctype = nd_u8(nd, p + 3);
		nd_printf(nd, "\n\t  %s Object (%u), Class-Type: %u, length %u",
			  nd_tok2str(ext_object_classes, "unknown", cls, buf,
				     sizeof(buf)), cls, ctype, obj_len);
		/* Class 0 is reserved; a short length would never end. */
		if (cls == 0 || obj_len < 4)
			return;
		p += 4;
		left -= 4;
		obj_len -= 4;
		if (cls == 1 && ctype == 1) {
			uint32_t entry = nd_be32(nd, p);

			nd_printf(nd, "\n\t    label %u, tc %u", entry >> 12,
				  (entry >> 9) & 7);
			if (entry & 0x100)
				nd_puts(nd, ", [S]");
			nd_printf(nd, ", ttl %u", entry & 0xff);
		} else {
			/* As much of the data as was captured. */
			avail = nd_avail(nd, p);
			nd_hex_dump_prefix(nd, "\n\t    ", p,
					   obj_len < avail ? obj_len : avail);
		}
		if (left < obj_len)
			return;
		p += obj_len;
		left -= obj_len;
	}
}

/*
 * An extension structure is recognized as tcpdump does: by the length
 * field, or else by its checksum.  Only version 2 is decoded.
 */
static void icmp_extensions(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned ext_len = len - ICMP_EXT_OFFSET;
	const uint8_t *ext = p + ICMP_EXT_OFFSET;
	unsigned version;
	int correct;

	if (!nd_ttest(nd, p, ICMP_EXT_MIN)) {
		nd_trunc_here(nd);
		return;
	}
	if (nd_u8(nd, p + 5) == 0 && nd_ttest(nd, ext, ext_len) &&
	    nd_sum_fold(nd_sum_add(0, ext, ext_len)) != 0)
		return;
	version = nd_u8(nd, ext) >> 4;
	nd_printf(nd, "\n\tICMP Multi-Part extension v%u", version);
	if (version != 2) {
		nd_puts(nd, " packet not supported");
		return;
	}
	/* The checksum is shown only when all it covers was captured. */
	if (nd_ttest(nd, ext, ext_len)) {
		correct = nd_sum_fold(nd_sum_add(0, ext, ext_len)) == 0;
		nd_printf(nd, ", checksum 0x%04x (%scorrect), length %u",
			  nd_be16(nd, ext + 2), correct ? "" : "in", ext_len);
	}
	icmp_ext_objects(nd, ext + 4, ext_len - 4);
}

static int is_error_type(uint8_t type)
{
	return type == ICMP_UNREACH || type == ICMP_SOURCEQUENCH ||
	       type == ICMP_REDIRECT || type == ICMP_TIMXCEED ||
	       type == ICMP_PARAMPROB;
}

static void icmp_body(struct nd_ctx *nd, uint8_t type, uint8_t code,
		      const uint8_t *p)
{
	switch (type) {
	case ICMP_ECHO:
	case ICMP_ECHOREPLY:
		nd_printf(nd, "echo %s, id %u, seq %u",
			  type == ICMP_ECHO ? "request" : "reply",
			  nd_be16(nd, p + 4), nd_be16(nd, p + 6));
		break;
	case ICMP_UNREACH:
		unreach_print(nd, code, p);
		break;
	case ICMP_REDIRECT:
		redirect_print(nd, code, p);
		break;
	case ICMP_SOURCEQUENCH:
		nd_puts(nd, "source quench");
		break;
	case ICMP_ROUTERSOLICIT:
		nd_puts(nd, "router solicitation");
		break;
	case ICMP_TIMXCEED:
		if (code == 0)
			nd_puts(nd, "time exceeded in-transit");
		else if (code == 1)
			nd_puts(nd, "ip reassembly time exceeded");
		else
			nd_printf(nd, "time exceeded-#%u", code);
		break;
	case ICMP_PARAMPROB:
		if (code)
			nd_printf(nd, "parameter problem - code %u", code);
		else
			nd_printf(nd, "parameter problem - octet %u",
				  nd_u8(nd, p + 4));
		break;
	case ICMP_TSTAMP:
	case ICMP_TSTAMPREPLY:
		tstamp_print(nd, type, p);
		break;
	case ICMP_IREQ:
		nd_puts(nd, "information request");
		break;
	case ICMP_IREQREPLY:
		nd_puts(nd, "information reply");
		break;
	case ICMP_MASKREQ:
		nd_puts(nd, "address mask request");
		break;
	case ICMP_MASKREPLY:
		/* RFC 950: the mask follows the identifier and sequence. */
		nd_printf(nd, "address mask is 0x%08x", nd_be32(nd, p + 8));
		break;
	default:
		nd_printf(nd, "type-#%u", type);
		break;
	}
}

/*
 * Where tcpdump checks the message length itself (and reports a cut
 * message in place) rather than jumping out: the quoted protocol of a port
 * unreachable, the quoted header of other errors, a time stamp reply;
 * other messages need only the fields they show.  The difference shows in
 * -x dumps.
 */
static int icmp_captured(struct nd_ctx *nd, uint8_t type, uint8_t code,
			 const uint8_t *p)
{
	if (type == ICMP_UNREACH && code == 3)
		return nd_ttest(nd, p, 8 + 10);
	if (type == ICMP_TSTAMPREPLY)
		return nd_ttest(nd, p, 20);
	/* A parameter problem is shown without its quoted header. */
	if (is_error_type(type) && type != ICMP_SOURCEQUENCH &&
	    type != ICMP_PARAMPROB)
		return nd_ttest(nd, p, 8 + 20);
	return 1;
}

void nd_icmp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		   const struct nd_ip_info *ipi)
{
	struct nd_hold hold;
	uint8_t type, code;
	int whole;

	nd->protocol = "icmp";
	type = nd_u8(nd, p);
	code = nd_u8(nd, p + 1);
	/* Port unreachables and time stamp replies check before reading;
	 * the others after. */
	if (((type == ICMP_UNREACH && code == 3) || type == ICMP_TSTAMPREPLY) &&
	    !icmp_captured(nd, type, code, p)) {
		nd_trunc_here(nd);
		return;
	}
	nd_hold_begin(nd, &hold);
	icmp_body(nd, type, code, p);
	nd_hold_end(nd, &hold);
	whole = icmp_captured(nd, type, code, p);
	if (!whole) {
		nd_trunc_here(nd);
		return;
	}
	nd_printf(nd, "ICMP %s, length %u", hold.buf, len);
	if (nd->vflag && !ipi->fragmented && nd_ttest(nd, p, len) && len >= 4) {
		uint16_t should;

		if (!nd_l4_cksum_check(NULL, 1, p, len, 2, &should))
			nd_printf(nd, " (wrong icmp cksum %x (->%x)!)",
				  nd_be16(nd, p + 2), should);
	} else if (nd->vflag && !ipi->fragmented && nd_ttest(nd, p, len) &&
		   nd_sum_fold(nd_sum_add(0, p, len)) != 0) {
		/* Too short to hold the checksum it would show as wrong: the
		 * packet ends there (a -x dump starts at the link header). */
		nd_trunc(nd);
	}
	if (nd->vflag && is_error_type(type)) {
		const uint8_t *oip = p + 8, *end = nd->snapend;
		unsigned olen;

		nd_puts(nd, "\n\t");
		/* The quoted datagram ends where its own length says; one
		 * too short to hold that length field ends the packet here,
		 * as in tcpdump. */
		olen = nd_be16(nd, oip + 2);
		if (olen < 4)
			nd_trunc(nd);
		if (nd_avail(nd, oip) > olen)
			nd->snapend = oip + olen;
		nd_ip_print(nd, oip, olen);
		nd->snapend = end;
		nd->protocol = "icmp";
	}
	if (nd->vflag && (type == ICMP_UNREACH || type == ICMP_TIMXCEED ||
			  type == ICMP_PARAMPROB) && len > ICMP_EXT_OFFSET)
		icmp_extensions(nd, p, len);
}
