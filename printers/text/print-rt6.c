// SPDX-License-Identifier: BSD-2-Clause
/*
 * IPv6 routing headers (RFC 8200 4.4): type 0 (deprecated, RFC 5095),
 * type 2 (mobility, RFC 6275), type 4 (segment routing, RFC 8754).
 *
 *  +---------------+---------------+---------------+---------------+
 *  |  Next Header  |  Hdr Ext Len  |  Routing Type | Segments Left |
 *  +---------------+---------------+---------------+---------------+
 *  |  type 0/2: reserved (4)  |  type 4: last entry, flags, tag (4) |
 *  +---------------------------------------------------------------+
 *  |                addresses, 16 bytes each                       |
 *
 * The final destination it names is the one transport checksums use.
 */
#include "netdissect.h"

/* Returns the header length, or 0 when nothing more is to be shown. */
unsigned nd_rt6_print(struct nd_ctx *nd, const uint8_t *p, unsigned left,
		      struct nd_ip_info *ipi)
{
	unsigned hlen, n, i;
	uint8_t len, type;

	/* Each field is shown as soon as it is read, up to the snap end. */
	if (nd_avail(nd, p) == 0) {
		nd_trunc_here(nd);
		return 0;
	}
	nd->protocol = "rt6";
	nd_puts(nd, "RT6");
	len = nd_u8(nd, p + 1);
	hlen = (len + 1u) * 8;
	nd_printf(nd, " (len=%u", len);
	type = nd_u8(nd, p + 2);
	nd_printf(nd, ", type=%u%s", type, type == 0 ? " [Deprecated]" : "");
	nd_printf(nd, ", segleft=%u", nd_u8(nd, p + 3));
	switch (type) {
	case 0:
	case 2:
		if (nd->vflag || nd_be32(nd, p + 4))
			nd_printf(nd, ", rsv=0x%x", nd_be32(nd, p + 4));
		break;
	case 4:
		nd_printf(nd, ", last-entry=%u", nd_u8(nd, p + 4));
		if (nd->vflag || nd_u8(nd, p + 5))
			nd_printf(nd, ", flags=0x%x", nd_u8(nd, p + 5));
		nd_printf(nd, ", tag=%x", nd_be16(nd, p + 6));
		break;
	default:
		nd_puts(nd, " (unknown type) (invalid)");
		return 0;
	}
	/* Addresses are 16 bytes: the length must be even.  Checked after
	 * the fixed fields are shown (a capture ending in them shows the
	 * truncation marker instead). */
	if (len & 1) {
		nd_printf(nd, " (invalid length %u) (invalid)", len);
		return 0;
	}
	n = len >> 1;
	for (i = 0; i < n; i++)
		nd_printf(nd, ", [%u]%s", i,
			  nd_ip6addr_string(nd, p + 8 + 16 * i));
	nd_puts(nd, ") ");
	/* Type 4 lists the final segment first; the others last. */
	if (n)
		ipi->final_dst = p + 8 + 16 * (type == 4 ? 0 : n - 1);
	return hlen;
}
