// SPDX-License-Identifier: BSD-2-Clause
/*
 * ICMPv6 (RFC 4443) and neighbor discovery (RFC 4861).
 *
 *  0                   1                   2                   3
 *  +---------------+---------------+-------------------------------+
 *  |     Type      |     Code      |           Checksum            |
 *  +---------------+---------------+-------------------------------+
 *  |                    message body                               |
 *
 * ND messages carry TLV options (type, length in 8-byte units) that -v
 * prints one a line.
 */
#include "netdissect.h"

#include <arpa/inet.h>
#include <stdio.h>

enum {
	ICMP6_UNREACH = 1, ICMP6_TOOBIG = 2, ICMP6_TIMXCEED = 3,
	ICMP6_PARAMPROB = 4, ICMP6_ECHO = 128, ICMP6_ECHOREPLY = 129,
	ND_RS = 133, ND_RA = 134, ND_NS = 135, ND_NA = 136,
	ND_REDIRECT = 137,
};

static const struct nd_tok icmp6_types[] = {
	{ 1, "destination unreachable" }, { 2, "packet too big" },
	{ 3, "time exceeded in-transit" }, { 4, "parameter problem" },
	{ 128, "echo request" }, { 129, "echo reply" },
	{ 130, "multicast listener query" },
	{ 131, "multicast listener report" },
	{ 132, "multicast listener done" },
	{ 133, "router solicitation" }, { 134, "router advertisement" },
	{ 135, "neighbor solicitation" }, { 136, "neighbor advertisement" },
	{ 137, "redirect" }, { 138, "router renumbering" },
	{ 139, "who-are-you request" }, { 140, "who-are-you reply" },
	{ 141, "inverse neighbor solicitation" },
	{ 142, "inverse neighbor advertisement" },
	{ 143, "multicast listener report v2" },
	{ 144, "ha discovery request" }, { 145, "ha discovery reply" },
	{ 146, "mobile router solicitation" },
	{ 147, "mobile router advertisement" },
	{ 200, "mtrace response" }, { 201, "mtrace message" },
	{ 0, NULL },
};

static const struct nd_tok nd_opt_names[] = {
	{ 1, "source link-address" }, { 2, "destination link-address" },
	{ 3, "prefix info" }, { 4, "redirected header" }, { 5, "mtu" },
	{ 7, "advertisement interval" }, { 8, "homeagent information" },
	{ 24, "route info" }, { 25, "rdnss" }, { 31, "dnssl" },
	{ 0, NULL },
};

static const struct nd_tok prefix_flags[] = {
	{ 0x80, "onlink" }, { 0x40, "auto" }, { 0x20, "router" },
	{ 0, NULL },
};

static const struct nd_tok ra_flags[] = {
	{ 0x80, "managed" }, { 0x40, "other stateful" },
	{ 0x20, "home agent" }, { 0x02, "ipv6 only" }, { 0, NULL },
};

static const struct nd_tok na_flags[] = {
	{ 0x80000000u, "router" }, { 0x40000000u, "solicited" },
	{ 0x20000000u, "override" }, { 0, NULL },
};

static void lifetime(char *buf, size_t size, uint32_t v)
{
	if (v == 0xffffffffu)
		snprintf(buf, size, "infinity");
	else
		snprintf(buf, size, "%us", v);
}

static const char *const route_prefs[] = { "medium", "high", "rsv", "low" };

/* RFC 8106 DNSSL: uncompressed names, zero padding between and after.
 * A name may run past the option: only the capture ends it (marker in
 * place).  A compression pointer ends the list.  Returns 1 when cut. */
static int dnssl_print(struct nd_ctx *nd, const uint8_t *p, unsigned olen)
{
	unsigned i = 8, k;
	uint8_t l;

	nd_printf(nd, " lifetime %us, domain(s):", nd_be32(nd, p + 4));
	while (i < olen) {
		l = nd_u8(nd, p + i);
		if (l == 0) {
			i++;
			continue;
		}
		nd_puts(nd, " ");
		while (l != 0) {
			if (l >= 0xc0)
				return 0;
			for (k = 1; k <= l; k++) {
				if (!nd_ttest(nd, p + i + k, 1))
					goto cut;
				nd_print_escaped_char(nd, nd_u8(nd, p + i + k));
			}
			nd_puts(nd, ".");
			i += l + 1u;
			if (!nd_ttest(nd, p + i, 1))
				goto cut;
			l = nd_u8(nd, p + i);
		}
		i++;
	}
	return 0;
cut:
	nd_trunc_here(nd);
	return 1;
}

/*
 * The body of one option after "... option (T), length L (N): ".  Fields
 * are read where the option type puts them whatever its length says (only
 * the capture bounds them), as tcpdump does; a length the type does not
 * allow is flagged after the field.  Returns 0 to go on with the next
 * option, 1 when the list ends here.
 */
static int nd_option_body(struct nd_ctx *nd, const uint8_t *list,
			  const uint8_t *p, unsigned olen)
{
	char buf[64], a[24], b[24];
	unsigned i;

	switch (nd_u8(nd, p)) {
	case 1:
	case 2:
		for (i = 2; i < olen; i++)
			nd_printf(nd, i > 2 ? ":%02x" : "%02x", nd_u8(nd, p + i));
		break;
	case 3:
		nd_printf(nd, "%s/%u%s, ", nd_ip6addr_string(nd, p + 16),
			  nd_u8(nd, p + 2), olen != 32 ? "badlen" : "");
		lifetime(a, sizeof(a), nd_be32(nd, p + 4));
		lifetime(b, sizeof(b), nd_be32(nd, p + 8));
		nd_printf(nd, "Flags [%s], valid time %s, pref. time %s",
			  nd_bits2str(prefix_flags, nd_u8(nd, p + 3), ", ", buf,
				      sizeof(buf)), a, b);
		break;
	case 4:
		/* The redirected header: as many bytes in hex as the option
		 * holds, counted from the start of the option list (which is
		 * where tcpdump starts them). */
		nd_hex_dump_prefix(nd, "\n\t    ", list, olen);
		break;
	case 5:
		nd_printf(nd, " %u%s", nd_be32(nd, p + 4),
			  olen != 8 ? "bad option length" : "");
		break;
	case 7:
		nd_printf(nd, " %ums", nd_be32(nd, p + 4));
		break;
	case 8:
		nd_printf(nd, " preference %u, lifetime %u", nd_be16(nd, p + 4),
			  nd_be16(nd, p + 6));
		break;
	case 24: {
		/* RFC 4191 2.3: 0, 8 or 16 bytes of prefix. */
		uint8_t prefix[16] = { 0 };
		char text[48];

		if (olen > 24) {
			nd_trunc_here(nd);
			return 1;
		}
		nd_tcheck(nd, p + 8, olen - 8);
		for (i = 0; i < olen - 8; i++)
			prefix[i] = nd_u8(nd, p + 8 + i);
		inet_ntop(AF_INET6, prefix, text, sizeof(text));
		nd_printf(nd, " %s/%u, pref=%s, lifetime=%us", text,
			  nd_u8(nd, p + 2), route_prefs[(nd_u8(nd, p + 3) >> 3) & 3],
			  nd_be32(nd, p + 4));
		break;
	}
	case 25:
		nd_printf(nd, " lifetime %us,", nd_be32(nd, p + 4));
		for (i = 8; i + 16 <= olen; i += 16)
			nd_printf(nd, " addr: %s", nd_ip6addr_string(nd, p + i));
		break;
	case 31:
		if (dnssl_print(nd, p, olen))
			return 1;
		break;
	default:
		if (nd->vflag > 1)
			break;
		/* -v ends the list after an option it does not know, showing
		 * its bytes; -vv shows them below as for every option. */
		nd_hex_dump_prefix(nd, "\n\t  ", p + 2, olen - 2);
		return 1;
	}
	return 0;
}

/*
 * Options up to the end of the capture: a capture ending between options
 * ends the list quietly, one ending inside an option is truncation.
 */
static void nd_options_print(struct nd_ctx *nd, const uint8_t *p,
			     unsigned len)
{
	size_t avail = nd_avail(nd, p);
	const uint8_t *list = p;
	char buf[64];

	if (len > avail)
		len = (unsigned)avail;
	while (len > 0) {
		uint8_t type;
		unsigned olen;

		if (len < 2) {
			nd_trunc_here(nd);
			return;
		}
		type = nd_u8(nd, p);
		olen = nd_u8(nd, p + 1) * 8u;
		if (olen == 0 || olen > len) {
			nd_trunc_here(nd);
			return;
		}
		nd_printf(nd, "\n\t  %s option (%u), length %u (%u): ",
			  nd_tok2str(nd_opt_names, "unknown", type, buf,
				     sizeof(buf)), type, olen, olen / 8);
		if (nd_option_body(nd, list, p, olen))
			return;
		/* -vv shows each option's bytes as well. */
		if (nd->vflag > 1)
			nd_hex_dump_prefix(nd, "\n\t    ", p + 2, olen - 2);
		p += olen;
		len -= olen;
	}
}

static const char *const unreach6_codes[] = {
	"unreachable route", " unreachable prohibited", "beyond scope",
	"unreachable address", "unreachable port",
};

/*
 * The transport header of a quoted datagram, found through its extension
 * headers; NULL (with *nh) when it is not TCP or UDP or not captured up
 * to its ports.
 */
static const uint8_t *quoted_transport(struct nd_ctx *nd, const uint8_t *oip,
				       uint8_t *nh)
{
	const uint8_t *cp = oip + 40;
	unsigned hops;

	*nh = nd_u8(nd, oip + 6);
	for (hops = 0; hops < 8; hops++) {
		unsigned hlen;

		if (*nh == 6 || *nh == 17)
			return nd_ttest(nd, cp, 4) ? cp : NULL;
		if (!nd_ttest(nd, cp, 2))
			return NULL;
		switch (*nh) {
		case 0:
		case 43:
		case 60:
			hlen = (cp[1] + 1u) * 8;
			break;
		case 44:
			if (!nd_ttest(nd, cp, 4) ||
			    ((cp[2] << 8 | cp[3]) & 0xfff8))
				return NULL;
			hlen = 8;
			break;
		case 51:
			hlen = (cp[1] + 2u) * 4;
			break;
		default:
			return NULL;
		}
		*nh = cp[0];
		cp += hlen;
	}
	return NULL;
}

/* The code's text first, then what the quoted packet tells.  Returns 0
 * when the quoted packet was cut short (the marker is printed). */
static int unreach6_print(struct nd_ctx *nd, uint8_t code, const uint8_t *p)
{
	const uint8_t *oip = p + 8, *th = NULL;
	uint16_t port;
	uint8_t nh = 0;

	nd_printf(nd, ", %s", unreach6_codes[code]);
	/* The quoted header (and for a port, the ports) must be there. */
	if (nd_ttest(nd, oip, 40) && code == 4)
		th = quoted_transport(nd, oip, &nh);
	if (!nd_ttest(nd, oip, 40) || (code == 4 && !th)) {
		nd_trunc_here(nd);
		return 0;
	}
	switch (code) {
	case 2:
		nd_printf(nd, " %s, ", nd_ip6addr_string(nd, oip + 24));
		nd_printf(nd, "source address %s",
			  nd_ip6addr_string(nd, oip + 8));
		return 1;
	case 4:
		port = nd_be16(nd, th + 2);
		nd_printf(nd, ", %s ", nd_ip6addr_string(nd, oip + 24));
		if (nh == 6)
			nd_printf(nd, "tcp port %s",
				  nd_tcpport_string(nd, port));
		else
			nd_printf(nd, "udp port %s",
				  nd_udpport_string(nd, port));
		return 1;
	default:
		nd_printf(nd, " %s", nd_ip6addr_string(nd, oip + 24));
		return 1;
	}
}

static void ra_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	static const char *const pref[] = { "medium", "high", "rsv", "low" };
	char buf[64];
	uint8_t fl;

	nd_tcheck(nd, p, 16);
	fl = nd_u8(nd, p + 5);
	nd_printf(nd, "\n\thop limit %u, Flags [%s], pref %s, ",
		  nd_u8(nd, p + 4), nd_bits2str(ra_flags, fl, ", ", buf,
						sizeof(buf)), pref[(fl >> 3) & 3]);
	nd_printf(nd, "router lifetime %us, reachable time %ums, "
		  "retrans timer %ums", nd_be16(nd, p + 6), nd_be32(nd, p + 8),
		  nd_be32(nd, p + 12));
	nd_options_print(nd, p + 16, len - 16);
}

/* Neighbor discovery (RFC 4861 section 4): the fixed part, then under -v
 * the options. */
static void nd_message_print(struct nd_ctx *nd, uint8_t type,
			     const uint8_t *p, unsigned len)
{
	char buf[128];

	switch (type) {
	case ND_RS:
		if (nd->vflag)
			nd_options_print(nd, p + 8, len - 8);
		break;
	case ND_RA:
		if (nd->vflag)
			ra_print(nd, p, len);
		break;
	case ND_NS:
		nd_printf(nd, ", who has %s", nd_ip6addr_string(nd, p + 8));
		if (nd->vflag)
			nd_options_print(nd, p + 24, len - 24);
		break;
	case ND_NA:
		nd_printf(nd, ", tgt is %s", nd_ip6addr_string(nd, p + 8));
		if (nd->vflag) {
			nd_printf(nd, ", Flags [%s]", nd_bits2str(na_flags,
				  nd_be32(nd, p + 4), ", ", buf, sizeof(buf)));
			nd_options_print(nd, p + 24, len - 24);
		}
		break;
	case ND_REDIRECT:
		snprintf(buf, sizeof(buf), "%s", nd_ip6addr_string(nd, p + 8));
		nd_printf(nd, ", %s to %s", buf,
			  nd_ip6addr_string(nd, p + 24));
		if (nd->vflag)
			nd_options_print(nd, p + 40, len - 40);
		break;
	}
}

/* Errors (RFC 4443 section 3).  Returns 0 when the message was printed in
 * full (no trailing length). */
static int error_print(struct nd_ctx *nd, uint8_t type, uint8_t code,
		       const uint8_t *p, unsigned len)
{
	static const char *const pp[] = {
		"erroneous", "next header", "option",
		"incomplete header chain",
	};

	switch (type) {
	case ICMP6_UNREACH:
		if (code > 4) {
			nd_printf(nd, ", unknown unreach code (%u)", code);
			/* tcpdump dumps the message, except under -vv. */
			if (nd->vflag < 2)
				nd_hex_dump(nd, p, len);
			return 0;
		}
		return unreach6_print(nd, code, p);
	case ICMP6_TOOBIG:
		nd_printf(nd, ", mtu %u", nd_be32(nd, p + 4));
		break;
	case ICMP6_TIMXCEED:
		if (code == 0) {
			nd_tcheck(nd, p + 8, 40);
			nd_printf(nd, " for %s",
				  nd_ip6addr_string(nd, p + 8 + 24));
		} else if (code == 1) {
			nd_puts(nd, " (reassembly)");
		} else {
			nd_printf(nd, ", unknown code (%u)", code);
		}
		break;
	case ICMP6_PARAMPROB:
		if (code < 4)
			nd_printf(nd, ", %s - octet %u", pp[code],
				  nd_be32(nd, p + 4));
		else
			nd_printf(nd, ", code-#%u", code);
		break;
	}
	return 1;
}

/* Returns 0 when the message was printed in full (no trailing length). */
static int icmp6_body(struct nd_ctx *nd, uint8_t type, const uint8_t *p,
		      unsigned len)
{
	uint8_t code = nd_u8(nd, p + 1);

	switch (type) {
	case ICMP6_UNREACH:
	case ICMP6_TOOBIG:
	case ICMP6_TIMXCEED:
	case ICMP6_PARAMPROB:
		return error_print(nd, type, code, p, len);
	case ICMP6_ECHO:
	case ICMP6_ECHOREPLY:
		nd_printf(nd, ", id %u, seq %u", nd_be16(nd, p + 4),
			  nd_be16(nd, p + 6));
		break;
	case ND_RS:
	case ND_RA:
	case ND_NS:
	case ND_NA:
	case ND_REDIRECT:
		nd_message_print(nd, type, p, len);
		break;
	case 130: /* MLD query, report, done, v2 report */
	case 131:
	case 132:
	case 143:
		nd_mld_print(nd, type, p, len);
		break;
	default:
		if (!nd_tok_find(icmp6_types, type)) {
			nd_printf(nd, ", length %u", len);
			nd_hex_dump(nd, p, len);
			return 0;
		}
		break;
	}
	return 1;
}

static int nd_type(uint8_t type)
{
	return type == ND_RS || type == ND_RA || type == ND_NS ||
	       type == ND_NA || type == ND_REDIRECT || type == 145;
}

void nd_icmp6_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		    const struct nd_ip_info *ipi)
{
	char buf[48];
	uint8_t type;

	nd->protocol = "icmp6";
	if (len == 0) {
		nd_puts(nd, "ICMP6, length 0 (invalid)");
		return;
	}
	type = nd_u8(nd, p);
	if (nd->vflag && !ipi->fragmented && nd_ttest(nd, p, len)) {
		/* The stored sum is read first: a message too short for it
		 * ends here, as with tcpdump. */
		uint16_t stored = nd_be16(nd, p + 2), should;

		if (nd_l4_cksum_check(ipi, 58, p, len, 2, &should))
			nd_puts(nd, "[icmp6 sum ok] ");
		else
			nd_printf(nd, "[bad icmp6 cksum 0x%04x -> 0x%04x!] ",
				  stored, should);
	}
	nd_printf(nd, "ICMP6, %s", nd_tok2str(icmp6_types,
		  "unknown icmp6 type (%u)", type, buf, sizeof(buf)));
	if (nd->vflag && nd_type(type))
		nd_printf(nd, ", length %u", len);
	if (!icmp6_body(nd, type, p, len))
		return;
	if (!nd->vflag)
		nd_printf(nd, ", length %u", len);
}
