// SPDX-License-Identifier: BSD-2-Clause
/*
 * IPv6 (RFC 8200) with the extension headers walked to the transport.
 *
 *  0                   1                   2                   3
 *  +-------+---------------+---------------------------------------+
 *  |Version| Traffic Class |              Flow Label               |
 *  +-------+---------------+-------+---------------+---------------+
 *  |         Payload Length        |  Next Header  |   Hop Limit   |
 *  +-------------------------------+---------------+---------------+
 *  |            Source Address (16), Destination Address (16)      |
 *  +---------------------------------------------------------------+
 *
 * Hop-by-hop and destination options print "HBH " / "DSTOPT " (their
 * options too under -v), a fragment header "frag (...) ".  A transport
 * reached through extension headers shows ports without addresses, as
 * tcpdump does.
 */
#include "netdissect.h"

#define IP6_HDRLEN 40

enum {
	NH_HOPOPTS = 0,
	NH_ROUTING = 43,
	NH_FRAGMENT = 44,
	NH_AH = 51,
	NH_DSTOPTS = 60,
};

/*
 * One option of a hop-by-hop or destination options header: described
 * under -v.  Returns its length, or 0 when it is
 * malformed or overruns the header (the marker is printed, the packet
 * ends).  Hop-by-hop options are checked even without -v.
 */
static unsigned ip6_option_print(struct nd_ctx *nd, const uint8_t *p,
				 unsigned left)
{
	uint8_t type = nd_u8(nd, p);
	unsigned olen;

	if (type == 0) {
		if (nd->vflag)
			nd_puts(nd, "(pad1)");
		return 1;
	}
	olen = left < 2 ? left + 1 : nd_u8(nd, p + 1) + 2u;
	if (olen > left) {
		nd_trunc_here(nd);
		return 0;
	}
	nd_tcheck(nd, p, olen);
	switch (type) {
	case 1:
		if (nd->vflag)
			nd_puts(nd, "(padn)");
		break;
	case 5:
		if (left < 4) {
			nd_puts(nd, "(rtalert: trunc)");
			nd_trunc_here(nd);
			return 0;
		}
		if (olen != 4) {
			nd_printf(nd, "(rtalert: invalid len %u)", olen - 2);
			nd_trunc_here(nd);
			return 0;
		}
		if (nd->vflag)
			nd_printf(nd, "(rtalert: 0x%04x) ", nd_be16(nd, p + 2));
		break;
	case 0xc2:
		if (left < 6) {
			nd_puts(nd, "(jumbo: trunc)");
			nd_trunc_here(nd);
			return 0;
		}
		if (olen != 6) {
			nd_printf(nd, "(jumbo: invalid len %u)", olen - 2);
			nd_trunc_here(nd);
			return 0;
		}
		if (nd->vflag)
			nd_printf(nd, "(jumbo: %u) ", nd_be32(nd, p + 2));
		break;
	default:
		if (nd->vflag)
			nd_printf(nd, "(opt_type 0x%02x: len=%u)", type,
				  olen - 2);
		break;
	}
	return olen;
}

static unsigned ip6_opts_header(struct nd_ctx *nd, const uint8_t *p,
				const char *name)
{
	unsigned hlen = (nd_u8(nd, p + 1) + 1u) * 8, off;

	if (!nd_ttest(nd, p, hlen)) {
		nd_trunc_here(nd);
		return 0;
	}
	nd_printf(nd, "%s ", name);
	/* Hop-by-hop options are checked always, destination options only
	 * when they are shown (-v). */
	if (name[0] == 'D' && !nd->vflag)
		return hlen;
	for (off = 2; off < hlen;) {
		unsigned n = ip6_option_print(nd, p + off, hlen - off);

		if (n == 0)
			return 0;
		off += n;
	}
	if (nd->vflag)
		nd_puts(nd, " ");
	return hlen;
}

static void ip6_verbose_header(struct nd_ctx *nd, const uint8_t *p,
			       uint32_t vtf, uint8_t nh, unsigned plen)
{
	const char *pname = nd_ipproto_name(nh);

	nd_puts(nd, "(");
	if ((vtf >> 20) & 0xff)
		nd_printf(nd, "class 0x%02x, ", (vtf >> 20) & 0xff);
	if (vtf & 0xfffff)
		nd_printf(nd, "flowlabel 0x%05x, ", vtf & 0xfffff);
	nd_printf(nd, "hlim %u, next-header %s (%u) payload length: %u) ",
		  nd_u8(nd, p + 7), pname ? pname : "unknown", nh, plen);
}

/* RFC 8200 4.5.  Returns the header length when the transport of a first
 * fragment follows, 0 when nothing more is to be shown. */
static unsigned frag6_print(struct nd_ctx *nd, const uint8_t *cp,
			    unsigned left)
{
	/* The data length as tcpdump computes it, wrapping when the
	 * payload is shorter than the header. */
	unsigned long long dlen = (unsigned long long)left - 8;
	uint16_t off;

	nd->protocol = "frag6";
	off = nd_be16(nd, cp + 2);
	if (nd->vflag)
		nd_printf(nd, "frag (0x%08x:%u|%llu)", nd_be32(nd, cp + 4),
			  off & 0xfff8, dlen);
	else
		nd_printf(nd, "frag (%u|%llu)", off & 0xfff8, dlen);
	if ((off & 0xfff8) != 0)
		return 0;
	nd_puts(nd, " ");
	/* tcpdump stops quietly when nothing follows in the capture. */
	if (nd_avail(nd, cp + 8) == 0)
		return 0;
	return 8;
}

/* Extension headers, then the transport they lead to.  Each is bounded
 * by the payload length, except a fragment header, which tcpdump reads
 * even past a zero payload length.  A zero payload length that is no
 * jumbogram (unbounded) bounds no options or routing header: it is shown
 * from what was captured, then found not to fit ("[|ip6]"). */
static void ip6_chain(struct nd_ctx *nd, uint8_t nh, const uint8_t *cp,
		      unsigned left, struct nd_ip_info *ipi, int unbounded)
{
	const uint8_t *end = nd->snapend;
	unsigned hlen;

	for (;;) {
		if (nh != NH_FRAGMENT &&
		    !(unbounded && (nh == NH_ROUTING || nh == NH_DSTOPTS ||
				    nh == NH_HOPOPTS)) &&
		    end > cp && (size_t)(end - cp) > left)
			nd->snapend = cp + left;
		else
			nd->snapend = end;
		switch (nh) {
		case NH_HOPOPTS:
			/* RFC 8200 4.3: only right after the IPv6 header. */
			if (ipi->after_ext) {
				nd_puts(nd, "[The Hop-by-Hop Options header "
					"don't follow the IPv6 header] (invalid)");
				return;
			}
			/* fall through */
		case NH_DSTOPTS:
			nd->protocol = nh ? "dstopt" : "hbhopt";
			hlen = ip6_opts_header(nd, cp, nh ? "DSTOPT" : "HBH");
			break;
		case NH_FRAGMENT:
			hlen = frag6_print(nd, cp, left);
			ipi->fragmented = 1;
			if (hlen && left < hlen) {
				/* The payload length cannot hold the header. */
				nd->protocol = "ip6";
				nd_trunc_here(nd);
				return;
			}
			break;
		case NH_ROUTING:
			hlen = nd_rt6_print(nd, cp, left, ipi);
			break;
		case NH_AH:
			hlen = nd_ah_print(nd, cp, left);
			break;
		default:
			nd_ip_demux(nd, nh, cp, left, ipi);
			return;
		}
		if (hlen == 0)
			return;
		if (hlen > left) {
			nd->protocol = "ip6";
			nd_trunc_here(nd);
			return;
		}
		nh = nd_u8(nd, cp);
		cp += hlen;
		left -= hlen;
		ipi->after_ext = 1;
	}
}

/* The Jumbo Payload option (RFC 2675) of a hop-by-hop header, or -1. */
static long jumbo_length(struct nd_ctx *nd, const uint8_t *hbh, unsigned hlen)
{
	unsigned off = 2;

	while (off + 1 < hlen) {
		uint8_t type = nd_u8(nd, hbh + off);

		if (type == 0) {
			off++;
			continue;
		}
		if (type == 0xc2 && nd_u8(nd, hbh + off + 1) == 4)
			return (long)nd_be32(nd, hbh + off + 2);
		off += nd_u8(nd, hbh + off + 1) + 2u;
	}
	return -1;
}

/* A zero payload length announces a jumbogram, whose length is in the
 * hop-by-hop header that must come first. */
static void ip6_jumbo(struct nd_ctx *nd, const uint8_t *cp,
		      struct nd_ip_info *ipi)
{
	unsigned hlen;
	long jumbo;

	nd->protocol = "hbhopt";
	hlen = ip6_opts_header(nd, cp, "HBH");
	/* A header cut short or malformed holds no valid option either. */
	jumbo = hlen ? jumbo_length(nd, cp, hlen) : -1;
	if (jumbo < (long)hlen || hlen == 0) {
		nd_puts(nd, "[No valid Jumbo Payload Hop-by-Hop option found] "
			"(invalid)");
		return;
	}
	ipi->after_ext = 1;
	ip6_chain(nd, nd_u8(nd, cp), cp + hlen, (unsigned)(jumbo - hlen), ipi,
		  0);
}

void nd_ip6_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	struct nd_ip_info ipi = { .ip = p, .v6 = 1 };
	const uint8_t *saved_end = nd->snapend;
	unsigned plen;
	uint32_t vtf;
	uint8_t nh;

	nd->protocol = "ip6";
	/* A partly captured header prints only the truncation marker (and
	 * returns: the link header stays out of a -x dump). */
	if (!nd_ttest(nd, p, IP6_HDRLEN)) {
		nd_puts(nd, " [|ip6]");
		return;
	}
	if (!nd->eflag)
		nd_puts(nd, "IP6 ");
	vtf = nd_be32(nd, p);
	if ((vtf >> 28) != 6) {
		nd_printf(nd, "version error: %u != 6", vtf >> 28);
		return;
	}
	plen = nd_be16(nd, p + 4);
	nh = nd_u8(nd, p + 6);
	if (plen == 0 && nh == NH_HOPOPTS) {
		if (nd->vflag)
			ip6_verbose_header(nd, p, vtf, nh, plen);
		nd_ip_addrs_print(nd, &ipi);
		nd_puts(nd, ": ");
		ip6_jumbo(nd, p + IP6_HDRLEN, &ipi);
		nd->snapend = saved_end;
		return;
	}
	if (len < IP6_HDRLEN + plen)
		nd_printf(nd, "truncated-ip6 - %u bytes missing!",
			  IP6_HDRLEN + plen - len);
	len = IP6_HDRLEN + plen;
	/* Link-layer padding after the datagram is not payload; a zero
	 * payload length (jumbogram, RFC 2675) bounds nothing. */
	if (plen != 0 && nd_avail(nd, p) > len)
		nd->snapend = p + len;
	if (nd->vflag)
		ip6_verbose_header(nd, p, vtf, nh, plen);
	if (nh != 6 && nh != 17) {
		nd_ip_addrs_print(nd, &ipi);
		nd_puts(nd, ": ");
	}
	ip6_chain(nd, nh, p + IP6_HDRLEN, len - IP6_HDRLEN, &ipi, plen == 0);
	nd->snapend = saved_end;
}
