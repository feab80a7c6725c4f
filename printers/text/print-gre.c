// SPDX-License-Identifier: BSD-2-Clause
/*
 * Generic Routing Encapsulation: version 0 (RFC 2784, keys and sequence
 * numbers from RFC 2890, source routes from RFC 1701) and the enhanced
 * version 1 of PPTP (RFC 2637).
 *
 *  0                   1                   2                   3
 *  +-+-+-+-+-+-----+---------+-----+-------------------------------+
 *  |C|R|K|S|s|Recur|A| Flags | Ver |         Protocol Type         |
 *  +-+-+-+-+-+-----+---------+-----+-------------------------------+
 *  |      Checksum (C or R)        |       Offset (C or R)         |
 *  +-------------------------------+-------------------------------+
 *  |                           Key (K)                             |
 *  +---------------------------------------------------------------+
 *  |                     Sequence Number (S)                       |
 *  +---------------------------------------------------------------+
 *  |          Source Route Entries (R), up to a null entry         |
 *
 * Version 1 puts a payload length and a call id where version 0 has its
 * key, and an acknowledgment number (A) after the sequence number.
 */
#include "netdissect.h"

#define GRE_CP 0x8000 /* checksum present */
#define GRE_RP 0x4000 /* routing present */
#define GRE_KP 0x2000 /* key present */
#define GRE_SP 0x1000 /* sequence number present */
#define GRE_AP 0x0080 /* acknowledgment present (version 1) */
#define GRE_VERS_MASK 0x0007

#define SRE_AF_IP 0x0800
#define SRE_AF_ASN 0xfffe

static const struct nd_tok gre_flag_names[] = {
	{ GRE_CP, "checksum present" }, { GRE_RP, "routing present" },
	{ GRE_KP, "key present" }, { GRE_SP, "sequence# present" },
	{ 0x0800, "source routing present" }, { GRE_AP, "ack present" },
	{ 0, NULL },
};

/*
 * A cursor over the GRE header: the bytes its length still covers.  A
 * header cut short (by its length or the capture) is reported in place,
 * as tcpdump does, so the takers return 0 when the bytes are not there.
 */
struct gre_cursor {
	const uint8_t *p;
	unsigned left;
};

static int gre_have(struct nd_ctx *nd, const struct gre_cursor *c,
		    unsigned n)
{
	return c->left >= n && nd_ttest(nd, c->p, n);
}

static void gre_skip(struct gre_cursor *c, unsigned n)
{
	c->p += n;
	c->left -= n;
}

static int gre_take16(struct nd_ctx *nd, struct gre_cursor *c, uint16_t *v)
{
	if (!gre_have(nd, c, 2))
		return 0;
	*v = nd_be16(nd, c->p);
	gre_skip(c, 2);
	return 1;
}

static int gre_take32(struct nd_ctx *nd, struct gre_cursor *c, uint32_t *v)
{
	if (!gre_have(nd, c, 4))
		return 0;
	*v = nd_be32(nd, c->p);
	gre_skip(c, 4);
	return 1;
}

static void gre_flags_print(struct nd_ctx *nd, uint16_t flags)
{
	char buf[128];

	if (nd->vflag)
		nd_printf(nd, ", Flags [%s]", nd_bits2str(gre_flag_names, flags,
							  ", ", buf,
							  sizeof(buf)));
}

/* The entries of one source route: the one at the offset is starred. */
static int sre_entries_print(struct nd_ctx *nd, const uint8_t *p,
			     unsigned sre_off, unsigned sre_len,
			     unsigned entry)
{
	unsigned pos;

	for (pos = 0; pos + entry <= sre_len; pos += entry) {
		if (!nd_ttest(nd, p + pos, entry))
			return 0;
		nd_puts(nd, pos == sre_off ? " *" : " ");
		if (entry == 4)
			nd_puts(nd, nd_ipaddr_string(nd, p + pos));
		else
			nd_printf(nd, "%x", nd_be16(nd, p + pos));
	}
	return 1;
}

/* Source route entries (RFC 1701), up to the null entry. */
static int sre_list_print(struct nd_ctx *nd, struct gre_cursor *c)
{
	for (;;) {
		uint16_t af;
		uint8_t sre_off, sre_len;

		if (!gre_have(nd, c, 4))
			return 0;
		af = nd_be16(nd, c->p);
		sre_off = nd_u8(nd, c->p + 2);
		sre_len = nd_u8(nd, c->p + 3);
		gre_skip(c, 4);
		if (af == 0 && sre_len == 0)
			return 1;
		nd_puts(nd, ", ");
		if (af == SRE_AF_IP || af == SRE_AF_ASN) {
			unsigned entry = af == SRE_AF_IP ? 4 : 2;

			nd_printf(nd, "(rtaf=%s", af == SRE_AF_IP ? "ip" : "asn");
			if (sre_len % entry)
				nd_printf(nd, ", badlength=%u", sre_len);
			else if (!sre_entries_print(nd, c->p, sre_off, sre_len,
						    entry)) {
				/* The entries captured, closed, then cut. */
				nd_puts(nd, ")");
				return 0;
			}
			nd_puts(nd, ")");
		} else {
			nd_printf(nd, "(rtaf=0x%x)", af);
		}
		if (c->left < sre_len)
			return 0;
		gre_skip(c, sre_len);
	}
}

static void gre_proto_label(struct nd_ctx *nd, uint16_t proto)
{
	const char *name = nd_ethertype_name(proto);

	if (nd->eflag)
		nd_printf(nd, ", proto %s (0x%04x)", name ? name : "unknown",
			  proto);
}

static void gre_payload_print(struct nd_ctx *nd, uint16_t proto,
			      const struct gre_cursor *c)
{
	size_t avail;

	nd_puts(nd, nd->vflag ? "\n\t" : ": ");
	switch (proto) {
	case 0x0800:
		nd_ip_print(nd, c->p, c->left);
		break;
	case 0x86dd:
		nd_ip6_print(nd, c->p, c->left);
		break;
	case 0x6558: /* transparent Ethernet bridging (gretap) */
		avail = nd_avail(nd, c->p);
		nd_ether_print(nd, c->p, avail < c->left ? (unsigned)avail :
			       c->left, c->left);
		break;
	default:
		nd_printf(nd, "gre-proto-0x%x", proto);
		break;
	}
}

/* Returns 0 when the header is cut short. */
static int gre0_print(struct nd_ctx *nd, uint16_t flags,
		      struct gre_cursor *c, unsigned len)
{
	uint16_t proto, sum, off;
	uint32_t v;

	gre_flags_print(nd, flags);
	if (!gre_take16(nd, c, &proto))
		return 0;
	if (flags & (GRE_CP | GRE_RP)) {
		if (!gre_take16(nd, c, &sum))
			return 0;
		if (nd->vflag)
			nd_printf(nd, ", sum 0x%x", sum);
		if (!gre_take16(nd, c, &off))
			return 0;
		nd_printf(nd, ", off 0x%x", off);
	}
	if (flags & GRE_KP) {
		if (!gre_take32(nd, c, &v))
			return 0;
		nd_printf(nd, ", key=0x%x", v);
	}
	if (flags & GRE_SP) {
		if (!gre_take32(nd, c, &v))
			return 0;
		nd_printf(nd, ", seq %u", v);
	}
	if ((flags & GRE_RP) && !sre_list_print(nd, c))
		return 0;
	gre_proto_label(nd, proto);
	nd_printf(nd, ", length %u", len);
	gre_payload_print(nd, proto, c);
	return 1;
}

/*
 * PPTP's enhanced GRE: the payload comes only with a sequence number.
 * It is PPP, which this printer does not dissect: tcpdump shows the PPP
 * frame, here it gets the fallback line of an unknown protocol type.
 */
static int gre1_print(struct nd_ctx *nd, uint16_t flags,
		      struct gre_cursor *c, unsigned len)
{
	uint16_t proto, payload_len, call;
	uint32_t v;

	gre_flags_print(nd, flags);
	if (!gre_take16(nd, c, &proto) || !gre_take16(nd, c, &payload_len) ||
	    !gre_take16(nd, c, &call))
		return 0;
	if (flags & GRE_KP)
		nd_printf(nd, ", call %u", call);
	if (flags & GRE_SP) {
		if (!gre_take32(nd, c, &v))
			return 0;
		nd_printf(nd, ", seq %u", v);
	}
	if (flags & GRE_AP) {
		if (!gre_take32(nd, c, &v))
			return 0;
		nd_printf(nd, ", ack %u", v);
	}
	if (!(flags & GRE_SP))
		nd_puts(nd, ", no-payload");
	gre_proto_label(nd, proto);
	nd_printf(nd, ", length %u", len);
	if (flags & GRE_SP)
		gre_payload_print(nd, proto, c);
	return 1;
}

void nd_gre_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi)
{
	struct gre_cursor c = { p, len };
	uint16_t flags;
	int whole = 1;

	(void)ipi;
	nd->protocol = "gre";
	if (!gre_take16(nd, &c, &flags)) {
		nd_trunc_here(nd);
		return;
	}
	nd_printf(nd, "GREv%u", flags & GRE_VERS_MASK);
	switch (flags & GRE_VERS_MASK) {
	case 0:
		whole = gre0_print(nd, flags, &c, len);
		break;
	case 1:
		whole = gre1_print(nd, flags, &c, len);
		break;
	default:
		nd_puts(nd, " ERROR: unknown-version");
		break;
	}
	if (!whole) {
		nd->protocol = "gre";
		nd_trunc_here(nd);
	}
}
