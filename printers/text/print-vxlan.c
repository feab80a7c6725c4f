// SPDX-License-Identifier: BSD-2-Clause
/*
 * VXLAN (RFC 7348), UDP port 4789: an Ethernet frame in UDP.
 *
 *  0                   1                   2                   3
 *  +-+-+-+-+-+-+-+-+-----------------------------------------------+
 *  |R|R|R|R|I|R|R|R|                   Reserved                    |
 *  +-+-+-+-+-+-+-+-+-------------------------------+---------------+
 *  |            VXLAN Network Identifier (VNI)     |   Reserved    |
 *  +-----------------------------------------------+---------------+
 *  |                 inner Ethernet frame ...                      |
 *
 * tcpdump puts the inner frame on a line of its own, printed as an
 * outer frame would be (its MAC header only under -e).
 */
#include "netdissect.h"

#define VXLAN_HDRLEN 8
#define VXLAN_FLAG_I 0x08
#define ETHER_HDRLEN 14

void nd_vxlan_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint8_t flags;
	uint32_t vni;

	nd->protocol = "vxlan";
	nd_puts(nd, "VXLAN");
	if (len < VXLAN_HDRLEN) {
		nd_puts(nd, " (invalid)");
		return;
	}
	flags = nd_u8(nd, p);
	nd_printf(nd, ", flags [%s] (0x%02x), ",
		  flags & VXLAN_FLAG_I ? "I" : "invalid", flags);
	vni = nd_be24(nd, p + 4);
	nd_printf(nd, "vni %u\n", vni);
	nd_tcheck(nd, p, VXLAN_HDRLEN);
	nd_ether_inner_print(nd, p + VXLAN_HDRLEN, len - VXLAN_HDRLEN);
}

/* A frame inside a tunnel: without its MAC header it is marked "ether". */
void nd_ether_inner_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	size_t avail = nd_avail(nd, p);
	unsigned caplen = avail < len ? (unsigned)avail : len;

	if (len < ETHER_HDRLEN) {
		nd_puts(nd, " [|ether]");
		return;
	}
	if (caplen < ETHER_HDRLEN) {
		nd_puts(nd, " [|ether]");
		return;
	}
	nd_ether_print(nd, p, caplen, len);
}
