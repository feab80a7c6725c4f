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
	{ 1, "Ethernet" }, { 6, "IEEE 802" }, { 0, NULL },
};

static int all_zero(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++)
		if (nd_u8(nd, p + i))
			return 0;
	return 1;
}

void nd_arp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	const uint8_t *sha, *spa, *tha, *tpa;
	uint16_t hrd, pro, op;
	uint8_t hln, pln;
	char buf[32];

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
	if (pro != 0x0800 || pln != 4 || hln != 6) {
		nd_printf(nd, "%s, len %u", nd_tok2str(hrd_names,
			  "Unknown Hardware (%u)", hrd, buf, sizeof(buf)), len);
		return;
	}
	if (nd->vflag)
		nd_printf(nd, "%s (len %u), IPv4 (len %u), ",
			  nd_tok2str(hrd_names, "Unknown Hardware (%u)", hrd,
				     buf, sizeof(buf)), hln, pln);
	switch (op) {
	case ARP_REQUEST:
		nd_printf(nd, "Request who-has %s", nd_ipaddr_string(nd, tpa));
		if (!all_zero(nd, tha, hln))
			nd_printf(nd, " (%s)", nd_etheraddr_string(nd, tha));
		nd_printf(nd, " tell %s", nd_ipaddr_string(nd, spa));
		break;
	case ARP_REPLY:
		nd_printf(nd, "Reply %s", nd_ipaddr_string(nd, spa));
		nd_printf(nd, " is-at %s", nd_etheraddr_string(nd, sha));
		break;
	case RARP_REQUEST:
		nd_printf(nd, "Reverse Request who-is %s",
			  nd_etheraddr_string(nd, tha));
		nd_printf(nd, " tell %s", nd_etheraddr_string(nd, sha));
		break;
	case RARP_REPLY:
		nd_printf(nd, "Reverse Reply %s", nd_etheraddr_string(nd, tha));
		nd_printf(nd, " at %s", nd_ipaddr_string(nd, tpa));
		break;
	case INARP_REQUEST:
		nd_printf(nd, "Inverse Request who-is %s",
			  nd_etheraddr_string(nd, tha));
		nd_printf(nd, " tell %s", nd_etheraddr_string(nd, sha));
		break;
	case INARP_REPLY:
		nd_printf(nd, "Inverse Reply %s", nd_etheraddr_string(nd, sha));
		nd_printf(nd, " at %s", nd_ipaddr_string(nd, spa));
		break;
	default:
		nd_printf(nd, "Unknown (%u)", op);
		return;
	}
	nd_printf(nd, ", length %u", len);
}
