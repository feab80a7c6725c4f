// SPDX-License-Identifier: BSD-2-Clause
/*
 * IPv4 (RFC 791) and the dispatch to transports by protocol number.
 *
 *  0                   1                   2                   3
 *  +-------+-------+---------------+-------------------------------+
 *  |Version|  IHL  |   TOS / ECN   |          Total Length         |
 *  +-------+-------+---------------+-----+-------------------------+
 *  |         Identification        |Flags|     Fragment Offset     |
 *  +---------------+---------------+-----+-------------------------+
 *  |      TTL      |    Protocol   |        Header Checksum        |
 *  +---------------+---------------+-------------------------------+
 *  |                 Source, Destination Address                   |
 *  +---------------------------------------------------------------+
 *  |                    Options (IHL > 5)                          |
 */
#include "netdissect.h"

#include <string.h>

#define IP_RF 0x8000
#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff

static const struct nd_tok frag_flags[] = {
	{ IP_MF, "+" }, { IP_DF, "DF" }, { IP_RF, "rsvd" }, { 0, NULL },
};

static const struct nd_tok ipopt_names[] = {
	{ 0, "EOL" }, { 1, "NOP" }, { 7, "RR" }, { 68, "timestamp" },
	{ 130, "security" }, { 131, "LSRR" }, { 137, "SSRR" }, { 148, "RA" },
	{ 82, "traceroute" }, { 0, NULL },
};

/* Protocols whose printers show the addresses themselves (with ports). */
static int prints_own_addrs(uint8_t proto)
{
	return proto == 6 || proto == 17;
}

void nd_ip_addrs_print(struct nd_ctx *nd, const struct nd_ip_info *ipi)
{
	if (ipi->v6) {
		nd_printf(nd, "%s > ", nd_ip6addr_string(nd, ipi->ip + 8));
		nd_printf(nd, "%s", nd_ip6addr_string(nd, ipi->ip + 24));
	} else {
		nd_printf(nd, "%s > ", nd_ipaddr_string(nd, ipi->ip + 12));
		nd_printf(nd, "%s", nd_ipaddr_string(nd, ipi->ip + 16));
	}
}

/* The name tcpdump shows for a protocol it does not dissect. */
static void proto_fallback_name(struct nd_ctx *nd, uint8_t proto)
{
	const char *kw = nd->nflag ? NULL : nd_ipproto_keyword(proto);

	if (kw)
		nd_printf(nd, " %s", kw);
	else
		nd_printf(nd, " ip-proto-%u", proto);
}

static void ipip_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		       const struct nd_ip_info *ipi)
{
	nd_ip_print(nd, p, len);
}

static void ip6ip_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
			const struct nd_ip_info *ipi)
{
	nd_ip6_print(nd, p, len);
}

static void nonxt_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
			const struct nd_ip_info *ipi)
{
	nd_puts(nd, "no next header");
}

#define ND_V4 1
#define ND_V6 2

/* Transports by IP protocol number, and over which IP version. */
static const struct {
	uint8_t proto;
	uint8_t versions;
	void (*print)(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		      const struct nd_ip_info *ipi);
} ip_proto_printers[] = {
	{ 6, ND_V4 | ND_V6, nd_tcp_print },
	{ 17, ND_V4 | ND_V6, nd_udp_print },
	{ 1, ND_V4, nd_icmp_print },
	{ 58, ND_V6, nd_icmp6_print },
	{ 4, ND_V4 | ND_V6, ipip_print },
	{ 41, ND_V4 | ND_V6, ip6ip_print },
	{ 59, ND_V4 | ND_V6, nonxt_print },
	{ 51, ND_V4, nd_ah4_print },
	{ 47, ND_V4 | ND_V6, nd_gre_print },
	{ 50, ND_V4 | ND_V6, nd_esp_print },
	{ 2, ND_V4, nd_igmp_print },
};

void nd_ip_demux(struct nd_ctx *nd, uint8_t proto, const uint8_t *p,
		 unsigned len, const struct nd_ip_info *ipi)
{
	uint8_t version = ipi->v6 ? ND_V6 : ND_V4;
	size_t i;

	for (i = 0; i < sizeof(ip_proto_printers) /
			sizeof(ip_proto_printers[0]); i++) {
		if (ip_proto_printers[i].proto == proto &&
		    (ip_proto_printers[i].versions & version)) {
			ip_proto_printers[i].print(nd, p, len, ipi);
			return;
		}
	}
	proto_fallback_name(nd, proto);
	nd_printf(nd, " %u", len);
}

/* RR, LSRR, SSRR (RFC 791): a pointer, then addresses.  A comma follows
 * each address before the pointer.  Addresses are read in 4-byte steps
 * even when the length leaves less, as tcpdump does. */
static void ip_route_print(struct nd_ctx *nd, const uint8_t *p, unsigned olen)
{
	unsigned ptr, i;

	if (olen < 3) {
		nd_printf(nd, " [bad length %u]", olen);
		return;
	}
	if ((olen + 1) & 3)
		nd_printf(nd, " [bad length %u]", olen);
	ptr = nd_u8(nd, p + 2);
	if (ptr < 4 || ptr > olen + 1 || (ptr & 3))
		nd_printf(nd, " [bad ptr %u]", ptr);
	for (i = 3; i < olen; i += 4) {
		nd_printf(nd, " %s", nd_ipaddr_string(nd, p + i));
		if (ptr - 1u > i)
			nd_puts(nd, ",");
	}
}

/* Timestamp (RFC 791): pointer, overflow and flags, then entries of a
 * time stamp (and an address first, for flags 1 and 3); " ^ " marks the
 * entry the pointer names. */
static void ip_tstamp_print(struct nd_ctx *nd, const uint8_t *p,
			    unsigned olen)
{
	unsigned ptr, flags, entry, i;

	if (olen < 4) {
		nd_printf(nd, "[bad length %u]", olen);
		return;
	}
	nd_puts(nd, " TS{");
	flags = nd_u8(nd, p + 3);
	entry = (flags & 0x0f) == 0 ? 4 : 8;
	if ((olen - 4) % entry)
		nd_printf(nd, "[bad length %u]", olen);
	ptr = nd_u8(nd, p + 2);
	if (ptr < 5 || ptr > olen + 1 || (ptr - 5) % entry)
		nd_printf(nd, "[bad ptr %u]", ptr);
	switch (flags & 0x0f) {
	case 0:
		nd_puts(nd, "TSONLY");
		break;
	case 1:
		nd_puts(nd, "TS+ADDR");
		break;
	case 3:
		nd_puts(nd, "PRESPEC");
		break;
	default:
		nd_printf(nd, "[bad ts type %u]", flags & 0x0f);
		goto done;
	}
	for (i = 4; i < olen; i += entry) {
		nd_puts(nd, ptr == i + 1 ? " ^ " : " ");
		if (entry == 8)
			nd_printf(nd, "%u@%s", nd_be32(nd, p + i + 4),
				  nd_ipaddr_string(nd, p + i));
		else
			nd_printf(nd, "%u@", nd_be32(nd, p + i));
	}
	/* Past the last entry read, which may overrun a bad length. */
	if (ptr == i + 1)
		nd_puts(nd, " ^ ");
done:
	if (flags >> 4)
		nd_printf(nd, " [%u hops not recorded]} ", flags >> 4);
	else
		nd_puts(nd, "}");
}

/* Returns 0 when an option's bytes were not all captured. */
static int ip_options_print(struct nd_ctx *nd, const uint8_t *p,
			    unsigned len)
{
	const char *sep = "";
	char buf[24];

	nd_puts(nd, ", options (");
	while (len > 0) {
		uint8_t type;
		unsigned olen;

		nd_puts(nd, sep);
		sep = ",";
		type = nd_u8(nd, p);
		nd_puts(nd, nd_tok2str(ipopt_names, "unknown %u", type, buf,
				       sizeof(buf)));
		if (type == 0 || type == 1) {
			olen = 1;
		} else {
			olen = nd_u8(nd, p + 1);
			if (olen < 2 || olen > len) {
				nd_printf(nd, " [bad length %u]", olen);
				break;
			}
			if (!nd_ttest(nd, p, olen)) {
				nd_puts(nd, " [truncated-option])");
				return 0;
			}
			switch (type) {
			case 7:
			case 131:
			case 137:
				ip_route_print(nd, p, olen);
				break;
			case 68:
				ip_tstamp_print(nd, p, olen);
				break;
			case 148:
				/* A zero value (RFC 2113: examine the
				 * packet) goes unsaid. */
				if (olen < 4)
					nd_printf(nd, " [bad length %u]", olen);
				else if (nd_be16(nd, p + 2))
					nd_printf(nd, " value %u",
						  nd_be16(nd, p + 2));
				break;
			}
		}
		if (type == 0)
			break;
		p += olen;
		len -= olen;
	}
	nd_puts(nd, ")");
	return 1;
}

/* Returns 0 when the options were cut short. */
static int ip_verbose_header(struct nd_ctx *nd, const uint8_t *ip,
			     unsigned hlen, unsigned ip_len)
{
	static const char *const ecn[] = { "", ",ECT(1)", ",ECT(0)", ",CE" };
	uint8_t tos = nd_u8(nd, ip + 1), proto = nd_u8(nd, ip + 9);
	uint16_t off = nd_be16(nd, ip + 6);
	const char *pname = nd_ipproto_name(proto);
	char fl[32];
	int whole = 1;

	nd_printf(nd, "(tos 0x%x%s", tos, ecn[tos & 3]);
	if (nd_u8(nd, ip + 8))
		nd_printf(nd, ", ttl %u", nd_u8(nd, ip + 8));
	nd_printf(nd, ", id %u, offset %u, flags [%s], ", nd_be16(nd, ip + 4),
		  (off & IP_OFFMASK) * 8u,
		  nd_bits2str(frag_flags, off & 0xe000, ", ", fl, sizeof(fl)));
	nd_printf(nd, "proto %s (%u), length %u", pname ? pname : "unknown",
		  proto, ip_len);
	if (hlen > 20)
		whole = ip_options_print(nd, ip + 20, hlen - 20);
	if (!nd->Kflag && nd_ttest(nd, ip, hlen)) {
		uint16_t stored = nd_be16(nd, ip + 10);
		uint32_t sum = nd_sum_add(0, ip, hlen);

		if (nd_sum_fold(sum) != 0)
			nd_printf(nd, ", bad cksum %x (->%x)!", stored,
				  nd_cksum_shouldbe(stored, sum));
	}
	nd_puts(nd, ")\n    ");
	return whole;
}

void nd_ip_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	struct nd_ip_info ipi = { .ip = p };
	const uint8_t *saved_end = nd->snapend;
	unsigned hlen, ip_len;
	uint16_t off;
	uint8_t proto;

	nd->protocol = "ip";
	/* Nothing of the datagram captured: just the marker. */
	if (nd_avail(nd, p) == 0)
		nd_trunc(nd);
	if ((nd_u8(nd, p) >> 4) != 4) {
		if ((nd_u8(nd, p) >> 4) == 6)
			nd_puts(nd, "IP6, wrong link-layer encapsulation "
				"(invalid)");
		else
			nd_printf(nd, "IP%u (invalid)", nd_u8(nd, p) >> 4);
		return;
	}
	if (!nd->eflag)
		nd_puts(nd, "IP ");
	/* Reported here, not by a jump: the link header stays out of -x. */
	if (!nd_ttest(nd, p, 20)) {
		nd_puts(nd, " [|ip]");
		return;
	}
	hlen = (nd_u8(nd, p) & 0x0f) * 4u;
	if (hlen < 20) {
		nd_printf(nd, "bad-hlen %u", hlen);
		return;
	}
	ip_len = nd_be16(nd, p + 2);
	/* A datagram longer than the frame is still shown at its own
	 * length; only what was captured is read. */
	if (len < ip_len)
		nd_printf(nd, "truncated-ip - %u bytes missing! ",
			  ip_len - len);
	len = ip_len;
	if (ip_len < hlen) {
		nd_printf(nd, "bad-len %u", ip_len);
		return;
	}
	/* Link-layer padding after the datagram is not IP payload. */
	if (nd_avail(nd, p) > ip_len)
		nd->snapend = p + ip_len;
	off = nd_be16(nd, p + 6);
	proto = nd_u8(nd, p + 9);
	if (nd->vflag && !ip_verbose_header(nd, p, hlen, ip_len)) {
		/* tcpdump names the addresses, whatever the transport. */
		nd_ip_addrs_print(nd, &ipi);
		nd_puts(nd, ": ");
		nd_trunc_here(nd);
		goto out;
	}
	if ((off & IP_OFFMASK) != 0) {
		/* Later fragments carry no transport header to show. */
		nd_ip_addrs_print(nd, &ipi);
		nd_puts(nd, ":");
		proto_fallback_name(nd, proto);
		goto out;
	}
	ipi.fragmented = (off & IP_MF) != 0;
	if (!prints_own_addrs(proto)) {
		nd_ip_addrs_print(nd, &ipi);
		nd_puts(nd, ": ");
	}
	if (!nd_ttest(nd, p, hlen)) {
		nd_printf(nd, " [remaining caplen(%zu) < header length(%u)]",
			  nd_avail(nd, p), hlen);
		nd_trunc(nd);
	}
	nd_ip_demux(nd, proto, p + hlen, len - hlen, &ipi);
out:
	nd->snapend = saved_end;
}
