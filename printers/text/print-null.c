// SPDX-License-Identifier: BSD-2-Clause
/*
 * BSD loopback encapsulations and raw IP.
 *
 * DLT_NULL: a 4-byte address family in the byte order of the host that
 * wrote the capture; DLT_LOOP: the same in network byte order.  IPv6 has
 * a different AF_INET6 value on each BSD (24, 28, 30).  DLT_RAW: the
 * packet starts with the IP header, version in the first nibble.
 */
#include "netdissect.h"

#define NULL_HDRLEN 4

static const struct nd_tok af_names[] = {
	{ 2, "IPv4" }, { 7, "OSI" }, { 23, "IPX" }, { 24, "IPv6" },
	{ 28, "IPv6" }, { 30, "IPv6" }, { 0, NULL },
};

static void af_label(struct nd_ctx *nd, uint32_t family, unsigned len)
{
	char buf[24];
	const char *name = nd_tok2str(af_names, "Unknown", family, buf,
				      sizeof(buf));

	if (nd->qflag)
		nd_printf(nd, "%s, length %u: ", name, len);
	else
		nd_printf(nd, "AF %s (%u), length %u: ", name, family, len);
}

static void af_payload(struct nd_ctx *nd, uint32_t family, const uint8_t *p,
		       unsigned caplen, unsigned len)
{
	if (nd->eflag)
		af_label(nd, family, len);
	switch (family) {
	case 2:
		nd_ip_print(nd, p + NULL_HDRLEN, len - NULL_HDRLEN);
		return;
	case 24:
	case 28:
	case 30:
		nd_ip6_print(nd, p + NULL_HDRLEN, len - NULL_HDRLEN);
		return;
	}
	if (!nd->eflag)
		af_label(nd, family, len);
	if (!nd->suppress_default_print)
		nd_hex_ascii_dump(nd, p + NULL_HDRLEN, caplen - NULL_HDRLEN);
}

unsigned nd_null_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		       unsigned len)
{
	uint32_t family;

	nd->protocol = "null";
	if (caplen < NULL_HDRLEN)
		nd_trunc(nd);
	family = nd_le32(nd, p);
	/* Written on a big-endian host: the family sits in the high bytes. */
	if ((family & 0xffff0000u) != 0)
		family = nd_be32(nd, p);
	af_payload(nd, family, p, caplen, len);
	return NULL_HDRLEN;
}

unsigned nd_loop_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		       unsigned len)
{
	nd->protocol = "null";
	if (caplen < NULL_HDRLEN)
		nd_trunc(nd);
	af_payload(nd, nd_be32(nd, p), p, caplen, len);
	return NULL_HDRLEN;
}

unsigned nd_raw_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		      unsigned len)
{
	nd->protocol = "raw";
	if (nd->eflag)
		nd_puts(nd, "ip: ");
	switch (nd_u8(nd, p) >> 4) {
	case 4:
		nd_ip_print(nd, p, len);
		break;
	case 6:
		nd_ip6_print(nd, p, len);
		break;
	default:
		nd_printf(nd, "unknown ip %u", nd_u8(nd, p) >> 4);
		break;
	}
	return 0;
}
