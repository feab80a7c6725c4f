// SPDX-License-Identifier: BSD-2-Clause
/*
 * ARP and Inverse ARP for Ethernet / IPv4 (RFC 826, RFC 2390).
 *
 *  +-----------+-----------+-----+-----+-----------+
 *  | hrd (2)   | pro (2)   | hln | pln | op (2)    |
 *  +-----------+-----------+-----+-----+-----------+
 *  | sha (hln) | spa (pln) | tha (hln) | tpa (pln) |
 *  +-----------+-----------+-----------+-----------+
 */
#include "netdissect.h"

#include <string.h>

enum {
	ARP_REQUEST = 1,
	ARP_REPLY = 2,
	RARP_REQUEST = 3,
	RARP_REPLY = 4,
	INARP_REQUEST = 8,
	INARP_REPLY = 9,
};

static const struct nd_tok hrd_names[] = {
	{ 1, "Ethernet" }, { 6, "IEEE 802" }, { 15, "Frame Relay" },
	{ 16, "ATM" }, { 24, "IEEE 1394" }, { 32, "InfiniBand" },
	{ 0, NULL },
};

static int all_zero(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++)
		if (nd_u8(nd, p + i))
			return 0;
	return 1;
}

/* IPv4, or the old trailer encapsulation's type, which tcpdump reads as
 * IPv4 too. */
static int arp_pro_ip(uint16_t pro)
{
	return pro == 0x0800 || pro == 0x1000;
}

/* A protocol address after the words before it. */
static void arp_paddr(struct nd_ctx *nd, const char *before, const uint8_t *a,
		      uint16_t pro, uint8_t pln)
{
	if (!arp_pro_ip(pro))
		nd_printf(nd, "%s<wrong proto type>", before);
	else if (pln != 4)
		nd_printf(nd, "%s<wrong len>", before);
	else
		nd_printf(nd, "%s%s", before, nd_ipaddr_string(nd, a));
}

static void arp_haddr(struct nd_ctx *nd, const char *before, const uint8_t *a,
		      uint8_t hln)
{
	nd_printf(nd, "%s%s", before,
		  hln ? nd_linkaddr_string(nd, a, hln) : "<empty>");
}

static void arp_header(struct nd_ctx *nd, uint16_t hrd, uint16_t pro,
		       uint8_t hln, uint8_t pln)
{
	const char *pname = nd_ethertype_name(pro);
	char buf[40];

	nd_printf(nd, "%s (len %u), ", nd_tok2str(hrd_names,
		  "Unknown Hardware (%u)", hrd, buf, sizeof(buf)), hln);
	if (pname)
		nd_printf(nd, "%s (len %u), ", pname, pln);
	else
		nd_printf(nd, "Unknown Protocol (0x%04x) (len %u), ", pro, pln);
}

void nd_arp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	const uint8_t *sha, *spa, *tha, *tpa;
	uint16_t hrd, pro, op;
	uint8_t hln, pln;

	nd->protocol = "arp";
	hrd = nd_be16(nd, p);
	pro = nd_be16(nd, p + 2);
	hln = nd_u8(nd, p + 4);
	pln = nd_u8(nd, p + 5);
	op = nd_be16(nd, p + 6);
	sha = p + 8;
	spa = sha + hln;
	tha = spa + pln;
	tpa = tha + hln;
	/* A partly captured message prints only the truncation marker. */
	nd_tcheck(nd, p, 8 + 2u * hln + 2u * pln);
	if (!nd->eflag)
		nd_puts(nd, "ARP, ");
	if (!arp_pro_ip(pro) || pln != 4 || hln == 0) {
		/* Not IPv4 over a link tcpdump knows: the header, and under
		 * -v the operation with placeholders. */
		arp_header(nd, hrd, pro, hln, pln);
		if (!nd->vflag) {
			nd_printf(nd, "length %u", len);
			return;
		}
	} else if (nd->vflag) {
		arp_header(nd, hrd, pro, hln, pln);
	}
	switch (op) {
	case ARP_REQUEST:
		arp_paddr(nd, "Request who-has ", tpa, pro, pln);
		if (!all_zero(nd, tha, hln))
			{
			arp_haddr(nd, " (", tha, hln);
			nd_puts(nd, ")");
		}
		arp_paddr(nd, " tell ", spa, pro, pln);
		break;
	case ARP_REPLY:
		arp_paddr(nd, "Reply ", spa, pro, pln);
		arp_haddr(nd, " is-at ", sha, hln);
		break;
	case RARP_REQUEST:
		arp_haddr(nd, "Reverse Request who-is ", tha, hln);
		arp_haddr(nd, " tell ", sha, hln);
		break;
	case RARP_REPLY:
		arp_haddr(nd, "Reverse Reply ", tha, hln);
		arp_paddr(nd, " at ", tpa, pro, pln);
		break;
	case INARP_REQUEST:
		arp_haddr(nd, "Inverse Request who-is ", tha, hln);
		arp_haddr(nd, " tell ", sha, hln);
		break;
	case INARP_REPLY:
		arp_haddr(nd, "Inverse Reply ", sha, hln);
		arp_paddr(nd, " at ", spa, pro, pln);
		break;
	default:
		/* Dumped whatever -x/-X/-A/-q say: tcpdump does. */
		nd_printf(nd, "Unknown (%u) ", op);
		nd_hex_ascii_dump(nd, p, len);
		return;
	}
	nd_printf(nd, ", length %u", len);
}
