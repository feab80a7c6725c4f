// SPDX-License-Identifier: BSD-2-Clause
/*
 * IP Authentication Header (RFC 4302), shown before what it protects.
 *
 *  +---------------+---------------+-------------------------------+
 *  |  Next Header  |  Payload Len  |           Reserved            |
 *  +---------------+---------------+-------------------------------+
 *  |                Security Parameters Index (SPI)                |
 *  +---------------------------------------------------------------+
 *  |                    Sequence Number Field                      |
 *  +---------------------------------------------------------------+
 *  |             Integrity Check Value (variable)                  |
 *
 * Payload Len counts 32-bit words minus 2.
 */
#include "netdissect.h"

/* Returns the header length, or 0 when nothing more is to be shown. */
unsigned nd_ah_print(struct nd_ctx *nd, const uint8_t *p, unsigned left)
{
	unsigned hlen, i;
	uint16_t rsv;

	nd->protocol = "ah";
	/* Each field is shown as soon as it is read, up to the snap end. */
	if (nd_avail(nd, p) == 0) {
		nd_trunc_here(nd);
		return 0;
	}
	nd_puts(nd, "AH");
	hlen = (nd_u8(nd, p + 1) + 2u) * 4;
	nd_puts(nd, "(");
	if (nd->vflag)
		nd_printf(nd, "length=%u(%u-bytes),", nd_u8(nd, p + 1), hlen);
	rsv = nd_be16(nd, p + 2);
	if (rsv)
		nd_printf(nd, "reserved=0x%x[MustBeZero],", rsv);
	nd_printf(nd, "spi=0x%08x,", nd_be32(nd, p + 4));
	nd_printf(nd, "seq=0x%x,icv=0x", nd_be32(nd, p + 8));
	for (i = 12; i < hlen; i++)
		nd_printf(nd, "%02x", nd_u8(nd, p + i));
	nd_puts(nd, "): ");
	return hlen;
}

/* AH over IPv4: the header, then the protected transport. */
void nd_ah4_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi)
{
	struct nd_ip_info inner = *ipi;
	unsigned hlen = nd_ah_print(nd, p, len);

	if (hlen == 0 || hlen > len)
		return;
	inner.after_ext = 1;
	nd_ip_demux(nd, nd_u8(nd, p), p + hlen, len - hlen, &inner);
}
