// SPDX-License-Identifier: BSD-2-Clause
/*
 * Link Layer Discovery Protocol (IEEE 802.1AB), ethertype 0x88cc: a list
 * of TLVs, each with a 7-bit type and a 9-bit length.
 *
 *  +-------------+-----------------+------------------------------+
 *  | type (7 b)  | length (9 bits) | value (length bytes)         |
 *  +-------------+-----------------+------------------------------+
 *
 * Without -v only the system name is shown; -v decodes the basic TLVs
 * and -vv adds each value's bytes.  Organisation-specific TLVs show
 * their OUI.
 */
#include "netdissect.h"

enum {
	TLV_END = 0, TLV_CHASSIS_ID = 1, TLV_PORT_ID = 2, TLV_TTL = 3,
	TLV_PORT_DESCR = 4, TLV_SYSTEM_NAME = 5, TLV_SYSTEM_DESCR = 6,
	TLV_SYSTEM_CAP = 7, TLV_MGMT_ADDR = 8, TLV_ORG = 127,
};

static const struct nd_tok tlv_names[] = {
	{ TLV_END, "End" }, { TLV_CHASSIS_ID, "Chassis ID" },
	{ TLV_PORT_ID, "Port ID" }, { TLV_TTL, "Time to Live" },
	{ TLV_PORT_DESCR, "Port Description" },
	{ TLV_SYSTEM_NAME, "System Name" },
	{ TLV_SYSTEM_DESCR, "System Description" },
	{ TLV_SYSTEM_CAP, "System Capabilities" },
	{ TLV_MGMT_ADDR, "Management Address" },
	{ TLV_ORG, "Organization specific" },
	{ 0, NULL },
};

static const struct nd_tok chassis_subtypes[] = {
	{ 1, "Chassis component" }, { 2, "Interface alias" },
	{ 3, "Port component" }, { 4, "MAC address" },
	{ 5, "Network address" }, { 6, "Interface name" }, { 7, "Local" },
	{ 0, NULL },
};

static const struct nd_tok port_subtypes[] = {
	{ 1, "Interface alias" }, { 2, "Port component" },
	{ 3, "MAC address" }, { 4, "Network Address" },
	{ 5, "Interface Name" }, { 6, "Agent circuit ID" }, { 7, "Local" },
	{ 0, NULL },
};

static const struct nd_tok capabilities[] = {
	{ 0x01, "Other" }, { 0x02, "Repeater" }, { 0x04, "Bridge" },
	{ 0x08, "WLAN AP" }, { 0x10, "Router" }, { 0x20, "Telephone" },
	{ 0x40, "Docsis" }, { 0x80, "Station Only" }, { 0, NULL },
};

/* IANA address family numbers; only IPv4, IPv6 and 802 are printed. */
static const struct nd_tok address_families[] = {
	{ 0, "Reserved" }, { 1, "IPv4" }, { 2, "IPv6" }, { 3, "NSAP" },
	{ 4, "HDLC" }, { 5, "BBN 1822" }, { 6, "802" }, { 7, "E.163" },
	{ 8, "E.164" }, { 9, "F.69" }, { 10, "X.121" }, { 11, "Novell IPX" },
	{ 12, "Appletalk" }, { 13, "Decnet IV" }, { 14, "Banyan Vines" },
	{ 15, "E.164 with NSAP subaddress" }, { 25, "VPLS" },
	{ 196, "Layer-2 VPN" }, { 0, NULL },
};

static const struct nd_tok if_numberings[] = {
	{ 2, "Interface Index" }, { 3, "System Port Number" }, { 0, NULL },
};

/* Text as tcpdump shows untrusted strings: up to a NUL, M- for the high
 * bit, ^ for control characters. */
static void safe_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++) {
		uint8_t c = nd_u8(nd, p + i);

		if (c == 0)
			return;
		nd_print_escaped_char(nd, c);
	}
}

/* Whether len bytes hold the address its first byte (the family) says. */
static int network_addr_fits(struct nd_ctx *nd, const uint8_t *p,
			     unsigned len)
{
	switch (nd_u8(nd, p)) {
	case 1:
		return len >= 1 + 4;
	case 2:
		return len >= 1 + 16;
	case 6:
		return len >= 1 + 6;
	default:
		return 1;
	}
}

/* An address behind its family number; 0 when too short for it. */
static int network_addr_print(struct nd_ctx *nd, const uint8_t *p,
			      unsigned len)
{
	uint8_t afi = nd_u8(nd, p);
	const char *name = nd_tok_find(address_families, afi);

	if (afi != 1 && afi != 2 && afi != 6) {
		nd_printf(nd, "AFI %s (%u), no AF printer !",
			  name ? name : "Unknown", afi);
		return 1;
	}
	if (!network_addr_fits(nd, p, len))
		return 0;
	nd_printf(nd, "AFI %s (%u): ", name, afi);
	switch (afi) {
	case 1:
		nd_tcheck(nd, p + 1, 4);
		nd_puts(nd, nd_ipaddr_string(nd, p + 1));
		break;
	case 2:
		nd_tcheck(nd, p + 1, 16);
		nd_puts(nd, nd_ip6addr_string(nd, p + 1));
		break;
	default:
		nd_tcheck(nd, p + 1, 6);
		nd_puts(nd, nd_etheraddr_string(nd, p + 1));
		break;
	}
	return 1;
}

/* Chassis and port ids share a layout; returns -1 when too short, else
 * whether the value is to be dumped. */
static int id_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		    int port)
{
	uint8_t subtype;
	const char *name;

	if (len < 2)
		return -1;
	subtype = nd_u8(nd, p);
	name = nd_tok_find(port ? port_subtypes : chassis_subtypes, subtype);
	nd_printf(nd, "\n\t  Subtype %s (%u): ", name ? name : "Unknown",
		  subtype);
	if (!name)
		return 1;
	switch (subtype) {
	case 3:
	case 4:
		/* A MAC address is subtype 3 of ports, 4 of chassis; the
		 * other of the two is a network address or a string. */
		if ((subtype == 3) == !!port) {
			if (len < 1 + 6)
				return -1;
			nd_tcheck(nd, p + 1, 6);
			nd_puts(nd, nd_etheraddr_string(nd, p + 1));
			return 0;
		}
		if (port)
			return network_addr_print(nd, p + 1, len - 1) ? 0 : -1;
		break;
	case 5:
		if (!port)
			return network_addr_print(nd, p + 1, len - 1) ? 0 : -1;
		break;
	default:
		break;
	}
	safe_print(nd, p + 1, len - 1);
	return 0;
}

/* Returns -1 when the TLV is too short for its fields. */
static int mgmt_addr_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned alen, oid_len;
	uint8_t numbering;
	const char *name;

	if (len < 1)
		return -1;
	alen = nd_u8(nd, p);
	if (len < 1 + alen || !network_addr_fits(nd, p + 1, alen))
		return -1;
	nd_printf(nd, "\n\t  Management Address length %u, ", alen);
	network_addr_print(nd, p + 1, alen);
	p += 1 + alen;
	len -= 1 + alen;
	/* Interface numbering and number, then an optional OID. */
	if (len < 5)
		return -1;
	numbering = nd_u8(nd, p);
	name = nd_tok_find(if_numberings, numbering);
	nd_printf(nd, "\n\t  %s Interface Numbering (%u): %u",
		  name ? name : "Unknown", numbering, nd_be32(nd, p + 1));
	if (len == 5)
		return 0;
	oid_len = nd_u8(nd, p + 5);
	if (len - 6 < oid_len)
		return -1;
	if (oid_len) {
		nd_printf(nd, "\n\t  OID length %u", oid_len);
		safe_print(nd, p + 6, oid_len);
	}
	return 0;
}

/* The OUIs whose subtypes tcpdump decodes (IEEE 802.1 and 802.3, TIA
 * MED, DCBX, IANA); only IANA's are decoded here. */
static int org_has_decoder(uint32_t oui)
{
	return oui == 0x0080c2 || oui == 0x00120f || oui == 0x0012bb ||
	       oui == 0x001b21 || oui == 0x00005e;
}

/* IANA's TLVs (RFC 8520): the MUD URL, from 8 bytes on. */
static int iana_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint8_t subtype;

	if (len < 8)
		return 0;
	subtype = nd_u8(nd, p + 3);
	if (subtype != 1) {
		nd_printf(nd, "\n\t  unknown Subtype (%u)", subtype);
		return 1;
	}
	nd_puts(nd, "\n\t  MUD-URL Subtype (1)\n\t  MUD-URL=");
	safe_print(nd, p + 4, len - 4);
	return 0;
}

/* One TLV's value under -v: -1 when malformed, 1 to dump its bytes. */
static int tlv_print(struct nd_ctx *nd, unsigned type, const uint8_t *p,
		     unsigned len)
{
	char buf[160];
	uint32_t oui;
	const char *name;

	switch (type) {
	case TLV_CHASSIS_ID:
		return id_print(nd, p, len, 0);
	case TLV_PORT_ID:
		return id_print(nd, p, len, 1);
	case TLV_TTL:
		if (len < 2)
			return -1;
		nd_printf(nd, ": TTL %us", nd_be16(nd, p));
		return 0;
	case TLV_PORT_DESCR:
	case TLV_SYSTEM_NAME:
		nd_puts(nd, ": ");
		safe_print(nd, p, len);
		return 0;
	case TLV_SYSTEM_DESCR:
		nd_puts(nd, "\n\t  ");
		safe_print(nd, p, len);
		return 0;
	case TLV_SYSTEM_CAP:
		if (len < 4)
			return -1;
		nd_printf(nd, "\n\t  System  Capabilities [%s] (0x%04x)",
			  nd_bits2str(capabilities, nd_be16(nd, p), ", ", buf,
				      sizeof(buf)), nd_be16(nd, p));
		nd_printf(nd, "\n\t  Enabled Capabilities [%s] (0x%04x)",
			  nd_bits2str(capabilities, nd_be16(nd, p + 2), ", ",
				      buf, sizeof(buf)), nd_be16(nd, p + 2));
		return 0;
	case TLV_MGMT_ADDR:
		return mgmt_addr_print(nd, p, len);
	case TLV_ORG:
		if (len < 3)
			return -1;
		oui = nd_be24(nd, p);
		name = nd_oui_name(oui);
		nd_printf(nd, ": OUI %s (0x%06x)", name ? name : "Unknown", oui);
		/* Organisations with a decoder print no dump under -v, but
		 * for subtypes it does not know. */
		if (oui == 0x00005e)
			return iana_print(nd, p, len);
		return !org_has_decoder(oui);
	default:
		return 1;
	}
}

void nd_lldp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned left = len;
	char buf[48];

	nd->protocol = "lldp";
	nd_printf(nd, "LLDP, length %u", len);
	while (left >= 2) {
		unsigned hdr, type, tlen;
		int dump;

		if (!nd_ttest(nd, p, 2)) {
			nd_trunc_here(nd);
			return;
		}
		hdr = nd_be16(nd, p);
		type = hdr >> 9;
		tlen = hdr & 0x1ff;
		p += 2;
		left -= 2;
		if (nd->vflag)
			nd_printf(nd, "\n\t%s TLV (%u), length %u",
				  nd_tok2str(tlv_names, "Unknown", type, buf,
					     sizeof(buf)), type, tlen);
		if (type == TLV_END || tlen == 0)
			break;
		if (tlen > left || !nd_ttest(nd, p, tlen)) {
			nd_trunc_here(nd);
			return;
		}
		if (!nd->vflag) {
			if (type == TLV_SYSTEM_NAME) {
				nd_puts(nd, ": ");
				safe_print(nd, p, tlen);
			}
		} else {
			dump = tlv_print(nd, type, p, tlen);
			if (dump < 0) {
				nd_trunc_here(nd);
				return;
			}
			if (nd->vflag > 1 || dump)
				nd_hex_dump_prefix(nd, "\n\t  ", p, tlen);
		}
		p += tlen;
		left -= tlen;
	}
}
