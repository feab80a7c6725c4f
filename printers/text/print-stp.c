// SPDX-License-Identifier: BSD-2-Clause
/*
 * Spanning tree BPDUs (IEEE 802.1D, 802.1w RSTP), carried in LLC UI
 * frames to SAP 0x42.
 *
 *  +--------------+---------+------+-------+----------------------+
 *  | protocol (2) | version | type | flags | root id (8)          |
 *  +--------------+---------+------+-------+----------------------+
 *  | root path cost (4) | bridge id (8) | port id (2)             |
 *  +--------------------+---------------+-------------------------+
 *  | message age (2) | max age (2) | hello time (2) | fwd delay (2)|
 *  +-----------------+-------------+----------------+--------------+
 *  | version 1 length (1, RSTP only)                               |
 *  +---------------------------------------------------------------+
 *
 * Times are in 1/256 s.  A topology change notification is the first
 * four bytes alone.
 */
#include "netdissect.h"

#define STP_CONFIG 0x00
#define STP_RSTP 0x02
#define STP_TCN 0x80
#define STP_CONFIG_LEN 35
#define STP_RSTP_LEN 36
/* MSTP (802.1s) and SPB (802.1aq) BPDUs: RSTP's fields, the version 3
 * length, the MST configuration id and the CIST fields at least. */
#define STP_MSTP_MIN_LEN 102

static const struct nd_tok stp_versions[] = {
	{ 0, "802.1d" }, { 2, "802.1w" }, { 3, "802.1s" }, { 4, "802.1aq" },
	{ 0, NULL },
};

static const struct nd_tok stp_types[] = {
	{ STP_CONFIG, "Config" }, { STP_RSTP, "Rapid STP" },
	{ STP_TCN, "Topology Change" }, { 0, NULL },
};

static const struct nd_tok stp_flags[] = {
	{ 0x01, "Topology change" }, { 0x02, "Proposal" }, { 0x10, "Learn" },
	{ 0x20, "Forward" }, { 0x40, "Agreement" },
	{ 0x80, "Topology change ACK" }, { 0, NULL },
};

static const struct nd_tok rstp_port_roles[] = {
	{ 0, "Unknown" }, { 1, "Alternate" }, { 2, "Root" },
	{ 3, "Designated" }, { 0, NULL },
};

/* Priority and MAC address of a bridge: "8000.02:00:00:00:0b:01". */
static void bridge_id_print(struct nd_ctx *nd, const uint8_t *p)
{
	nd_tcheck(nd, p, 8);
	nd_printf(nd, "%04x.%02x:%02x:%02x:%02x:%02x:%02x", nd_be16(nd, p),
		  p[2], p[3], p[4], p[5], p[6], p[7]);
}

static void stp_time_print(struct nd_ctx *nd, const char *name,
			   const uint8_t *p)
{
	nd_printf(nd, "%s %.2fs", name, nd_be16(nd, p) / 256.0);
}

static void config_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
			 int version)
{
	char buf[128];

	nd_printf(nd, ", Flags [%s]", nd_bits2str(stp_flags, nd_u8(nd, p + 4),
						  ", ", buf, sizeof(buf)));
	/* Each printed line needs all its fields captured. */
	nd_tcheck(nd, p + 17, 10);
	nd_puts(nd, ", bridge-id ");
	bridge_id_print(nd, p + 17);
	nd_printf(nd, ".%04x", nd_be16(nd, p + 25));
	nd_printf(nd, ", length %u", len);
	if (!nd->vflag)
		return;
	nd_tcheck(nd, p + 27, 8);
	stp_time_print(nd, "\n\tmessage-age", p + 27);
	stp_time_print(nd, ", max-age", p + 29);
	stp_time_print(nd, ", hello-time", p + 31);
	stp_time_print(nd, ", forwarding-delay", p + 33);
	nd_tcheck(nd, p + 5, 12);
	nd_puts(nd, "\n\troot-id ");
	bridge_id_print(nd, p + 5);
	nd_printf(nd, ", root-pathcost %u", nd_be32(nd, p + 13));
	if (version == 2)
		nd_printf(nd, ", port-role %s",
			  nd_tok2str(rstp_port_roles, "%u",
				     (nd_u8(nd, p + 4) >> 2) & 3, buf,
				     sizeof(buf)));
}

void nd_stp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint8_t version, type;
	char buf[48];

	nd->protocol = "stp";
	if (len < 4) {
		nd_puts(nd, " (invalid)");
		return;
	}
	if (nd_be16(nd, p) != 0) {
		nd_printf(nd, "unknown STP version, length %u", len);
		return;
	}
	version = nd_u8(nd, p + 2);
	if (!nd_tok_find(stp_versions, version)) {
		nd_printf(nd, "STP Unknown STP protocol (0x%02x)", version);
		return;
	}
	nd_printf(nd, "STP %s", nd_tok_find(stp_versions, version));
	type = nd_u8(nd, p + 3);
	nd_printf(nd, ", %s", nd_tok2str(stp_types,
					 "Unknown BPDU Type (0x%02x)", type,
					 buf, sizeof(buf)));
	switch (type) {
	case STP_CONFIG:
		if (len < STP_CONFIG_LEN) {
			nd_puts(nd, " (invalid)");
			return;
		}
		config_print(nd, p, len, version);
		break;
	case STP_RSTP:
		/* The RSTP fields only come with a version that has them. */
		if (version < 2)
			return;
		if (len < STP_RSTP_LEN ||
		    (version >= 3 && len < STP_MSTP_MIN_LEN)) {
			nd_puts(nd, " (invalid)");
			return;
		}
		config_print(nd, p, len, version);
		break;
	default:
		break;
	}
}
