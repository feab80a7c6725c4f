// SPDX-License-Identifier: BSD-2-Clause
/*
 * UDP (RFC 768).
 *
 *  0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |
 *  +-------------------------------+-------------------------------+
 *  |            Length             |           Checksum            |
 *  +-------------------------------+-------------------------------+
 *
 * Checksums are checked under -v for IPv6 (where they are mandatory) and
 * under -vv for IPv4, as tcpdump does.
 */
#include "netdissect.h"

static void udp_addrs(struct nd_ctx *nd, const struct nd_ip_info *ipi,
		      int sport, int dport)
{
	if (sport < 0) {
		/* Behind extension headers there is nothing to show yet. */
		if (!ipi->after_ext) {
			nd_ip_addrs_print(nd, ipi);
			nd_puts(nd, ": ");
		}
		return;
	}
	if (ipi->after_ext) {
		nd_printf(nd, "%s > ", nd_udpport_string(nd, (uint16_t)sport));
		nd_printf(nd, "%s: ", nd_udpport_string(nd, (uint16_t)dport));
		return;
	}
	nd_printf(nd, "%s.", ipi->v6 ? nd_ip6addr_string(nd, ipi->ip + 8)
				     : nd_ipaddr_string(nd, ipi->ip + 12));
	nd_printf(nd, "%s > ", nd_udpport_string(nd, (uint16_t)sport));
	nd_printf(nd, "%s.", ipi->v6 ? nd_ip6addr_string(nd, ipi->ip + 24)
				     : nd_ipaddr_string(nd, ipi->ip + 16));
	nd_printf(nd, "%s: ", nd_udpport_string(nd, (uint16_t)dport));
}

static void udp_cksum_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
			    const struct nd_ip_info *ipi)
{
	uint16_t stored, should;

	if (!nd->vflag || nd->Kflag || ipi->fragmented)
		return;
	if (!ipi->v6 && nd->vflag < 2)
		return;
	stored = nd_be16(nd, p + 6);
	if (!ipi->v6 && stored == 0) {
		nd_puts(nd, "[no cksum] ");
		return;
	}
	if (!nd_ttest(nd, p, len))
		return;
	if (nd_l4_cksum_check(ipi, 17, p, len, 6, &should))
		nd_puts(nd, "[udp sum ok] ");
	else
		nd_printf(nd, "[bad udp cksum 0x%04x -> 0x%04x!] ", stored,
			  should);
}

/* Applications over UDP, by port (either side); the first match wins. */
static const struct {
	uint16_t port;
	void (*print)(struct nd_ctx *nd, const uint8_t *p, unsigned len);
} udp_port_printers[] = {
	/* tcpdump tries DNS and mDNS before any other port */
	{ 53, nd_domain_print },
	{ 5353, nd_mdns_print },
	{ 67, nd_bootp_print },
	{ 68, nd_bootp_print },
	{ 123, nd_ntp_print },
	{ 4789, nd_vxlan_print },
	{ 6081, nd_geneve_print },
	{ 0, NULL },
};

static int udp_payload(struct nd_ctx *nd, uint16_t sport, uint16_t dport,
		       const uint8_t *p, unsigned len)
{
	size_t i;

	for (i = 0; udp_port_printers[i].print; i++) {
		if (udp_port_printers[i].port == sport ||
		    udp_port_printers[i].port == dport) {
			udp_port_printers[i].print(nd, p, len);
			return 1;
		}
	}
	return 0;
}

void nd_udp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi)
{
	uint16_t sport, dport, ulen;
	int bad_len;

	nd->protocol = "udp";
	if (!nd_ttest(nd, p + 2, 2)) {
		udp_addrs(nd, ipi, -1, -1);
		nd_trunc_here(nd);
		return;
	}
	sport = nd_be16(nd, p);
	dport = nd_be16(nd, p + 2);
	if (len < 8) {
		udp_addrs(nd, ipi, sport, dport);
		nd_printf(nd, "truncated-udp %u", len);
		return;
	}
	if (!nd_ttest(nd, p + 4, 2)) {
		udp_addrs(nd, ipi, sport, dport);
		nd_trunc_here(nd);
		return;
	}
	ulen = nd_be16(nd, p + 4);
	if (ulen < 8) {
		udp_addrs(nd, ipi, sport, dport);
		nd_printf(nd, "truncated-udplength %u", ulen);
		return;
	}
	ulen -= 8;
	len -= 8;
	if (ulen < len)
		len = ulen;
	bad_len = ulen > len && !ipi->fragmented;
	udp_addrs(nd, ipi, sport, dport);
	if (!nd_ttest(nd, p, 8)) {
		nd_trunc_here(nd);
		return;
	}
	udp_cksum_print(nd, p, len + 8, ipi);
	if (!nd->qflag && udp_payload(nd, sport, dport, p + 8, len))
		return;
	if (bad_len)
		nd_printf(nd, "UDP, bad length %u > %u", ulen, len);
	else
		nd_printf(nd, "UDP, length %u", ulen);
}
