// SPDX-License-Identifier: BSD-2-Clause
/*
 * IEEE 802.2 LLC, as found in IEEE 802.3 frames (a length, not an
 * ethertype, after the addresses), and the SNAP header it may carry.
 *
 *  +--------+--------+-------------------+
 *  |  DSAP  |  SSAP  | control (1 or 2)  |  [ OUI (3) | type (2) ]
 *  +--------+--------+-------------------+
 *
 * The low DSAP bit says individual or group, the low SSAP bit command or
 * response.  Control ends in binary 11 for the one-byte unnumbered
 * format, 01 for supervisory and x0 for information frames, whose
 * two-byte control field is little-endian.
 */
#include "netdissect.h"

#define SAP_IP 0x06
#define SAP_STP 0x42
#define SAP_SNAP 0xaa
#define LLC_UI 0x03
#define LLC_XID 0xaf
#define LLC_XID_FORMAT 0x81

static const struct nd_tok sap_names[] = {
	{ 0x00, "Null" }, { 0xff, "Global" }, { 0x02, "802.1B I" },
	{ 0x03, "802.1B G" }, { 0x06, "IP" }, { 0x04, "SNA" },
	{ 0x0e, "ProWay NM" }, { 0x42, "STP" }, { 0x4e, "RS511" },
	{ 0x7e, "ISO8208" }, { 0x8e, "ProWay" }, { 0xaa, "SNAP" },
	{ 0xe0, "IPX" }, { 0xf0, "NetBeui" }, { 0xfe, "OSI" },
	{ 0, NULL },
};

static const struct nd_tok llc_u_commands[] = {
	{ 0x03, "ui" }, { 0xe3, "test" }, { 0xaf, "xid" }, { 0x63, "ua" },
	{ 0x43, "disc" }, { 0x0f, "dm" }, { 0x6f, "sabme" }, { 0x87, "frmr" },
	{ 0, NULL },
};

static const struct nd_tok llc_s_functions[] = {
	{ 0x00, "Receiver Ready" }, { 0x04, "Receiver not Ready" },
	{ 0x08, "Reject" }, { 0, NULL },
};

/* The response bit with the poll/final bit of the frame's format. */
static const struct nd_tok llc_pf_flags[] = {
	{ 0x000, "Command" }, { 0x001, "Response" }, { 0x010, "Poll" },
	{ 0x011, "Final" }, { 0x100, "Poll" }, { 0x101, "Final" },
	{ 0, NULL },
};

/* SNAP: an OUI and a protocol id; OUI 0 makes the id an ethertype.
 * Returns 0 when the caller should dump the payload. */
static int snap_print(struct nd_ctx *nd, const uint8_t *eth,
		      const uint8_t *p, unsigned len, unsigned caplen)
{
	uint32_t oui;
	uint16_t type;
	const char *name;

	nd->protocol = "snap";
	if (len < 5 || caplen < 5) {
		nd_trunc_here(nd);
		return 1;
	}
	oui = nd_be24(nd, p);
	type = nd_be16(nd, p + 3);
	if (nd->eflag) {
		name = nd_oui_name(oui);
		nd_printf(nd, "oui %s (0x%06x), ", name ? name : "Unknown", oui);
		if (oui == 0) {
			name = nd_ethertype_name(type);
			nd_printf(nd, "ethertype %s (0x%04x)",
				  name ? name : "Unknown", type);
		} else {
			nd_printf(nd, "pid Unknown (0x%04x)", type);
		}
		nd_printf(nd, ", length %u: ", len - 5);
	}
	if (oui == 0 && nd_ethertype_print(nd, type, p + 5, len - 5,
					   caplen - 5))
		return 1;
	if (!nd->eflag) {
		nd_printf(nd, "%s > ", nd_etheraddr_string(nd, eth + 6));
		nd_printf(nd, "%s SNAP, ", nd_etheraddr_string(nd, eth));
		if (oui == 0) {
			name = nd_ethertype_name(type);
			nd_printf(nd, "ethertype %s (0x%04x)",
				  name ? name : "Unknown", type);
		} else {
			name = nd_oui_name(oui);
			nd_printf(nd, "oui %s (0x%06x), pid Unknown (0x%04x)",
				  name ? name : "Unknown", oui, type);
		}
		nd_printf(nd, ", length %u: ", len - 5);
	}
	return 0;
}

/* XID: empty (SNA's null XID), or the basic format with its class and
 * window bytes; anything else is dumped. */
static unsigned xid_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
			  unsigned caplen, unsigned hdrlen, int *dump)
{
	if (len == 0)
		return hdrlen;
	if (caplen < 1) {
		nd_trunc_here(nd);
		return hdrlen;
	}
	if (nd_u8(nd, p) != LLC_XID_FORMAT) {
		*dump = 1;
		return hdrlen;
	}
	if (caplen < 3 || len < 3) {
		/* Shown even under -x, as tcpdump does. */
		nd_trunc_here(nd);
		nd_hex_ascii_dump(nd, p, caplen < len ? caplen : len);
	} else
		nd_printf(nd, ": %02x %02x", nd_u8(nd, p + 1),
			  nd_u8(nd, p + 2));
	return hdrlen;
}

/* A header cut short: its bytes are shown even under -x, which then has
 * nothing left to dump, as tcpdump does. */
static unsigned llc_short(struct nd_ctx *nd, const uint8_t *p,
			  unsigned caplen)
{
	nd_trunc_here(nd);
	nd_hex_ascii_dump(nd, p, caplen);
	return caplen;
}

/*
 * The LLC frame p of len bytes (caplen captured) in the 802.3 frame eth;
 * see nd_llc_print() in netdissect.h.
 */
unsigned nd_llc_print(struct nd_ctx *nd, const uint8_t *eth,
		      const uint8_t *p, unsigned len, unsigned caplen,
		      int *dump)
{
	unsigned hdrlen, pf, control;
	uint8_t dsap_field, ssap_field, dsap, ssap;
	char buf[48];

	*dump = 0;
	nd->protocol = "llc";
	if (len < 3 || caplen < 3)
		return llc_short(nd, p, caplen);
	dsap_field = nd_u8(nd, p);
	ssap_field = nd_u8(nd, p + 1);
	dsap = dsap_field & 0xfe;
	ssap = ssap_field & 0xfe;
	control = nd_u8(nd, p + 2);
	hdrlen = 3;
	if ((control & 0x03) != 0x03) {
		if (len < 4 || caplen < 4)
			return llc_short(nd, p, caplen);
		control |= (unsigned)nd_u8(nd, p + 3) << 8;
		hdrlen = 4;
	}
	if (nd->eflag) {
		nd_printf(nd, "LLC, dsap %s (0x%02x) %s, ",
			  nd_tok2str(sap_names, "Unknown", dsap, buf,
				     sizeof(buf)),
			  dsap, dsap_field & 1 ? "Group" : "Individual");
		nd_printf(nd, "ssap %s (0x%02x) %s, ",
			  nd_tok2str(sap_names, "Unknown", ssap, buf,
				     sizeof(buf)),
			  ssap, ssap_field & 1 ? "Response" : "Command");
		nd_printf(nd, hdrlen == 3 ? "ctrl 0x%02x: " : "ctrl 0x%04x: ",
			  control);
	}
	if (dsap == SAP_STP && ssap == SAP_STP && control == LLC_UI) {
		nd_stp_print(nd, p + 3, len - 3);
		return hdrlen;
	}
	if (dsap == SAP_IP && ssap == SAP_IP && control == LLC_UI) {
		nd_ip_print(nd, p + 3, len - 3);
		return hdrlen;
	}
	if (dsap == SAP_SNAP && ssap == SAP_SNAP && control == LLC_UI) {
		*dump = !snap_print(nd, eth, p + 3, len - 3, caplen - 3);
		return hdrlen + 5;
	}

	if (!nd->eflag) {
		/* The source SAP is named only when it differs. */
		nd_printf(nd, "%s", nd_etheraddr_string(nd, eth + 6));
		if (ssap != dsap)
			nd_printf(nd, " %s", nd_tok2str(sap_names,
							"Unknown SSAP 0x%02x",
							ssap, buf,
							sizeof(buf)));
		nd_printf(nd, " > %s ", nd_etheraddr_string(nd, eth));
		nd_printf(nd, "%s ", nd_tok2str(sap_names, "Unknown DSAP 0x%02x",
						dsap, buf, sizeof(buf)));
	}
	if ((control & 0x03) == 0x03) {
		nd_printf(nd, "Unnumbered, %s",
			  nd_tok2str(llc_u_commands, "%02x", control & 0xef,
				     buf, sizeof(buf)));
		pf = control & 0x10;
	} else if ((control & 0x03) == 0x01) {
		nd_printf(nd, "Supervisory, %s, rcv seq %u",
			  nd_tok2str(llc_s_functions, "?", control & 0x0c,
				     buf, sizeof(buf)),
			  (control >> 9) & 0x7f);
		pf = control & 0x100;
	} else {
		nd_printf(nd, "Information, send seq %u, rcv seq %u",
			  (control >> 1) & 0x7f, (control >> 9) & 0x7f);
		pf = control & 0x100;
	}
	nd_printf(nd, ", Flags [%s], length %u",
		  nd_tok2str(llc_pf_flags, "?", pf | (ssap_field & 1), buf,
			     sizeof(buf)),
		  len);
	if ((control & 0xef) == LLC_XID)
		return xid_print(nd, p + hdrlen, len - hdrlen, caplen - hdrlen,
				 hdrlen, dump);
	/* Supervisory frames carry no information field. */
	*dump = (control & 0x03) != 0x01;
	return hdrlen;
}
