// SPDX-License-Identifier: BSD-2-Clause
/*
 * Linux "cooked" captures (-i any): DLT_LINUX_SLL and DLT_LINUX_SLL2.
 *
 * SLL (16 bytes):  packet type (2) | ARPHRD type (2) | address length (2)
 *                  | address (8) | protocol (2)
 * SLL2 (20 bytes): protocol (2) | reserved (2) | ifindex (4)
 *                  | ARPHRD type (2) | packet type (1) | address length (1)
 *                  | address (8)
 *
 * SLL2 always starts the line with the interface and direction, padded
 * into columns ("lo    In  "); SLL shows its direction only under -e.
 * An unknown packet type shows as "?".  The link-layer address is shown
 * only when it is 6 bytes long (an Ethernet address), whatever the ARPHRD
 * type; any other length shows no address at all, as tcpdump does.
 */
#include "netdissect.h"

#define SLL_HDRLEN 16
#define SLL2_HDRLEN 20

static const struct nd_tok sll2_dir[] = {
	{ 0, "In" }, { 1, "B" }, { 2, "M" }, { 3, "P" }, { 4, "Out" },
	{ 0, NULL },
};

static const struct nd_tok sll_dir[] = {
	{ 0, " In" }, { 1, "  B" }, { 2, "  M" }, { 3, "  P" }, { 4, "Out" },
	{ 0, NULL },
};

static void sll_addr_and_type(struct nd_ctx *nd, const uint8_t *addr,
			      unsigned halen, uint16_t proto, unsigned len)
{
	const char *name = nd_ethertype_name(proto);

	if (halen == 6)
		nd_printf(nd, "%s ", nd_linkaddr_string(nd, addr, halen));
	if (nd->qflag)
		return;
	nd_printf(nd, "ethertype %s (0x%04x), length %u: ",
		  name ? name : "Unknown", proto, len);
}

static void sll_payload(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
			unsigned len, unsigned hdrlen, uint16_t proto,
			void (*header)(struct nd_ctx *, const uint8_t *,
				       unsigned))
{
	if (nd_ethertype_print(nd, proto, p + hdrlen, len - hdrlen,
			       caplen - hdrlen))
		return;
	if (!nd->eflag)
		header(nd, p, len);
	if (!nd->suppress_default_print)
		nd_hex_ascii_dump(nd, p + hdrlen, caplen - hdrlen);
}

static void sll_header(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	char buf[16];

	nd_printf(nd, "%s ", nd_tok2str(sll_dir, "  ?", nd_be16(nd, p), buf,
					sizeof(buf)));
	sll_addr_and_type(nd, p + 6, nd_be16(nd, p + 4), nd_be16(nd, p + 14),
			  len);
}

unsigned nd_sll_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		      unsigned len)
{
	nd->protocol = "sll";
	if (caplen < SLL_HDRLEN)
		nd_trunc(nd);
	if (nd->eflag)
		sll_header(nd, p, len);
	sll_payload(nd, p, caplen, len, SLL_HDRLEN, nd_be16(nd, p + 14),
		    sll_header);
	return SLL_HDRLEN;
}

static void sll2_header(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	nd_printf(nd, "ifindex %u ", nd_be32(nd, p + 4));
	sll_addr_and_type(nd, p + 12, nd_u8(nd, p + 11), nd_be16(nd, p),
			  len);
}

unsigned nd_sll2_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		       unsigned len)
{
	const char *ifname;
	char buf[16];

	nd->protocol = "sll2";
	if (caplen < SLL2_HDRLEN)
		nd_trunc(nd);
	ifname = nd_ifindex_name(nd, nd_be32(nd, p + 4));
	nd_printf(nd, "%-5s ", ifname ? ifname : "?");
	nd_printf(nd, "%-3s ", nd_tok2str(sll2_dir, "?", nd_u8(nd, p + 10),
					  buf, sizeof(buf)));
	if (nd->eflag)
		sll2_header(nd, p, len);
	sll_payload(nd, p, caplen, len, SLL2_HDRLEN, nd_be16(nd, p),
		    sll2_header);
	return SLL2_HDRLEN;
}
