// SPDX-License-Identifier: BSD-2-Clause
/*
 * Ethernet II with IEEE 802.1Q / 802.1ad VLAN tags.
 *
 *  0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |        destination MAC (6)    |          source MAC (6)       |
 *  +---------------+---------------+-------------------------------+
 *  | type/TPID (2) | [PCP|DEI|VID (2) | inner type (2)] ...        |
 *  +---------------+-----------------------------------------------+
 *
 * Without -e only the payload is printed; an unknown ethertype prints the
 * header as -e would, then (unless -x/-X/-A dump it anyway) the payload
 * bytes.  With -e each tag reads "vlan N, p P, ethertype T, ".
 */
#include "netdissect.h"

#define ETHER_HDRLEN 14
#define VLAN_TAGLEN 4
/* Up to this value the type field is an IEEE 802.3 length, and LLC
 * follows. */
#define ETHER_MAX_LEN_FIELD 1500

static int is_vlan_tpid(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100 ||
	       type == 0x9200;
}

static void ethertype_label(struct nd_ctx *nd, uint16_t type)
{
	const char *name = nd_ethertype_name(type);

	if (type <= ETHER_MAX_LEN_FIELD)
		nd_puts(nd, "802.3");
	else if (!nd->qflag)
		nd_printf(nd, "ethertype %s (0x%04x)", name ? name : "Unknown",
			  type);
	else if (name)
		nd_puts(nd, name);
	else
		nd_printf(nd, "Unknown Ethertype (0x%04x)", type);
}

static void ether_addrs(struct nd_ctx *nd, const uint8_t *p)
{
	nd_printf(nd, "%s > ", nd_etheraddr_string(nd, p + 6));
	nd_printf(nd, "%s, ", nd_etheraddr_string(nd, p));
}

/* Network layers by ethertype, for Ethernet and the cooked headers. */
static const struct {
	uint16_t type;
	void (*print)(struct nd_ctx *nd, const uint8_t *p, unsigned len);
} ethertype_printers[] = {
	{ 0x0800, nd_ip_print },
	{ 0x86dd, nd_ip6_print },
	{ 0x0806, nd_arp_print },
	{ 0x8035, nd_arp_print },
	{ 0x88cc, nd_lldp_print },
};

int nd_ethertype_print(struct nd_ctx *nd, uint16_t type, const uint8_t *p,
		       unsigned len, unsigned caplen)
{
	size_t i;

	for (i = 0; i < sizeof(ethertype_printers) /
			sizeof(ethertype_printers[0]); i++) {
		if (ethertype_printers[i].type == type) {
			ethertype_printers[i].print(nd, p, len);
			return 1;
		}
	}
	return 0;
}

unsigned nd_ether_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
			unsigned len)
{
	unsigned hdrlen = ETHER_HDRLEN;
	const uint8_t *q = p + ETHER_HDRLEN;
	uint16_t type;
	int first = 1;

	nd->protocol = "ether";
	/* A cut header is all link layer: nothing is left for a dump. */
	if (caplen < ETHER_HDRLEN) {
		nd_puts(nd, " [|ether]");
		return caplen;
	}
	type = nd_be16(nd, p + 12);
	if (nd->eflag)
		ether_addrs(nd, p);
	for (;;) {
		uint16_t tci;

		/* A type label is shown only once what it announces is there. */
		if (is_vlan_tpid(type) && !nd_ttest(nd, q, VLAN_TAGLEN)) {
			nd_puts(nd, " [|vlan]");
			return caplen;
		}
		if (nd->eflag) {
			ethertype_label(nd, type);
			if (first && type <= ETHER_MAX_LEN_FIELD)
				nd_printf(nd, ", length %u: ",
					  len - hdrlen < type ? len - hdrlen
							      : type);
			else if (first)
				nd_printf(nd, ", length %u: ", len);
			/* A tagged frame's "802.3" runs into "LLC", as in
			 * tcpdump. */
			else if (type > ETHER_MAX_LEN_FIELD)
				nd_puts(nd, ", ");
		}
		first = 0;
		if (!is_vlan_tpid(type))
			break;
		tci = nd_be16(nd, q);
		type = nd_be16(nd, q + 2);
		if (nd->eflag)
			nd_printf(nd, "vlan %u, p %u%s, ", tci & 0x0fff, tci >> 13,
				  tci & 0x1000 ? ", DEI" : "");
		q += VLAN_TAGLEN;
		hdrlen += VLAN_TAGLEN;
	}
	nd->protocol = "ether";
	if (type <= ETHER_MAX_LEN_FIELD) {
		unsigned llc_len = len - hdrlen < type ? len - hdrlen : type;
		unsigned llc_cap = caplen - hdrlen < llc_len ? caplen - hdrlen
							     : llc_len;
		const uint8_t *snapend = nd->snapend;
		int dump;

		/* What lies past the 802.3 length is padding, not data. */
		nd->snapend = q + llc_cap;
		hdrlen += nd_llc_print(nd, p, q, llc_len, llc_cap, &dump);
		if (dump && !nd->suppress_default_print)
			nd_hex_ascii_dump(nd, q, llc_cap);
		nd->snapend = snapend;
		return hdrlen;
	}
	if (nd_ethertype_print(nd, type, q, len - hdrlen, caplen - hdrlen))
		return hdrlen;
	if (!nd->eflag) {
		ether_addrs(nd, p);
		ethertype_label(nd, type);
		nd_printf(nd, ", length %u: ", len);
	}
	if (!nd->suppress_default_print)
		nd_hex_ascii_dump(nd, q, caplen - hdrlen);
	return hdrlen;
}
