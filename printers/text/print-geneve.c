// SPDX-License-Identifier: BSD-2-Clause
/*
 * Geneve (RFC 8926), UDP port 6081.
 *
 *  0                   1                   2                   3
 *  +---+-----------+-+-+-----------+-------------------------------+
 *  |Ver| Opt Len   |O|C|    Rsvd.  |          Protocol Type        |
 *  +---+-----------+-+-+-----------+---------------+---------------+
 *  |        Virtual Network Identifier (VNI)       |    Reserved   |
 *  +-----------------------------------------------+---------------+
 *  |                    Variable-Length Options                    |
 *  +-------------------------------+---------------+-+-----+-------+
 *  option: |      Option Class     |      Type     |R|R|R| Length  |
 *          +-------------------------------+-------+-+-----+-------+
 *          |          Variable-Length Option Data (Length * 4)     |
 *
 * Opt Len and the option Length count 4-byte words.  The payload is an
 * Ethernet frame for protocol type 0x6558 (transparent bridging), else
 * a network layer named by its ethertype.  Options are listed under -v,
 * their data words under -vv; -e names the protocol type.
 */
#include "netdissect.h"

#define GENEVE_HDRLEN 8
#define GENEVE_OPT_HDRLEN 4
#define GENEVE_PROTO_TEB 0x6558
#define GENEVE_TYPE_CRITICAL 0x80

static const struct nd_tok geneve_flags[] = {
	{ 0x80, "O" }, { 0x40, "C" }, { 0, NULL },
};

static const char *geneve_class_name(uint16_t cls)
{
	if (cls <= 0x00ff)
		return "Standard";
	if (cls >= 0xfff0)
		return "Experimental";
	switch (cls) {
	case 0x0100: return "Linux";
	case 0x0101: return "Open vSwitch";
	case 0x0102: return "Open Virtual Networking (OVN)";
	case 0x0103: return "In-band Network Telemetry (INT)";
	case 0x0104: return "VMware";
	default: return "Unknown";
	}
}

static void geneve_opts_print(struct nd_ctx *nd, const uint8_t *p,
			      unsigned len)
{
	const char *sep = "";

	while (len > 0) {
		uint16_t cls;
		uint8_t type;
		unsigned optlen, i;

		if (len < GENEVE_OPT_HDRLEN) {
			nd_printf(nd, "%s[bad length]", sep);
			return;
		}
		cls = nd_be16(nd, p);
		type = nd_u8(nd, p + 2);
		optlen = GENEVE_OPT_HDRLEN + (nd_u8(nd, p + 3) & 0x1f) * 4u;
		nd_printf(nd, "%sclass %s (0x%x) type 0x%x%s len %u", sep,
			  geneve_class_name(cls), cls, type,
			  type & GENEVE_TYPE_CRITICAL ? "(C)" : "", optlen);
		if (optlen > len) {
			nd_puts(nd, " [bad length]");
			return;
		}
		if (nd->vflag > 1 && optlen > GENEVE_OPT_HDRLEN) {
			nd_puts(nd, " data");
			for (i = GENEVE_OPT_HDRLEN; i < optlen; i += 4)
				nd_printf(nd, " %08x", nd_be32(nd, p + i));
		}
		p += optlen;
		len -= optlen;
		sep = ", ";
	}
}

void nd_geneve_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned optlen;
	uint8_t ver_opt, flags;
	uint16_t proto;
	uint32_t vni;
	size_t avail;
	char buf[16];

	nd->protocol = "geneve";
	nd_puts(nd, "Geneve");
	if (len < GENEVE_HDRLEN) {
		nd_printf(nd, " [length %u < %u] (invalid)", len,
			  GENEVE_HDRLEN);
		return;
	}
	/* tcpdump checks the header and the options in place (no jump:
	 * it shows under -x). */
	if (!nd_ttest(nd, p, GENEVE_HDRLEN)) {
		nd_trunc_here(nd);
		return;
	}
	ver_opt = nd_u8(nd, p);
	if (ver_opt >> 6) {
		nd_printf(nd, " ERROR: unknown-version %u", ver_opt >> 6);
		return;
	}
	flags = nd_u8(nd, p + 1);
	proto = nd_be16(nd, p + 2);
	vni = nd_be24(nd, p + 4);
	optlen = (ver_opt & 0x3f) * 4u;
	nd_printf(nd, ", Flags [%s]",
		  nd_bits2str(geneve_flags, flags, "", buf, sizeof(buf)));
	nd_printf(nd, ", vni 0x%x", vni);
	if (nd->eflag) {
		const char *name = proto == GENEVE_PROTO_TEB ? "TEB"
				   : nd_ethertype_name(proto);

		nd_printf(nd, ", proto %s (0x%04x)", name ? name : "unknown",
			  proto);
	}
	p += GENEVE_HDRLEN;
	len -= GENEVE_HDRLEN;
	if (optlen > len) {
		nd_printf(nd, " truncated-geneve - %u bytes missing",
			  optlen - len);
		return;
	}
	if (optlen > 0) {
		if (!nd_ttest(nd, p, optlen)) {
			nd_trunc_here(nd);
			return;
		}
		if (nd->vflag) {
			nd_puts(nd, ", options [");
			geneve_opts_print(nd, p, optlen);
			nd_puts(nd, "]");
		} else {
			nd_printf(nd, ", options [%u bytes]", optlen);
		}
	}
	nd_puts(nd, nd->vflag ? "\n\t" : ": ");
	p += optlen;
	len -= optlen;
	avail = nd_avail(nd, p);
	if (proto == GENEVE_PROTO_TEB)
		nd_ether_inner_print(nd, p, len);
	else if (!nd_ethertype_print(nd, proto, p, len,
				     avail < len ? (unsigned)avail : len))
		nd_printf(nd, "geneve-proto-0x%x", proto);
}
