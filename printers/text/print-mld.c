// SPDX-License-Identifier: BSD-2-Clause
/*
 * Multicast Listener Discovery, versions 1 (RFC 2710) and 2 (RFC 3810),
 * carried in ICMPv6.
 *
 *  0                   1                   2                   3
 *  +---------------+---------------+-------------------------------+
 *  |     Type      |     Code      |           Checksum            |
 *  +---------------+---------------+-------------------------------+
 *  |    Maximum Response Code      |           Reserved            |
 *  +-------------------------------+-------------------------------+
 *  |                  Multicast Address (16 bytes)                 |
 *  +-----+-+-----+-+---------------+-------------------------------+
 *  |Resv |S| QRV |      QQIC       |   Number of Sources (N)       |  v2
 *  +-----+-+-----+-----------------+-------------------------------+  query
 *  |                 Source Address [1..N] (16 bytes each)         |
 *
 * A query's version is told by its length (RFC 3810 section 8.1).  A v2
 * report has a record count in its second word, then records: type, aux
 * data length, number of sources, address, sources.
 */
#include "netdissect.h"

enum {
	MLD_QUERY = 130, MLD_REPORT = 131, MLD_DONE = 132, MLD_V2_REPORT = 143,
};

#define MLD_V1_LEN 24
#define MLD_V2_QUERY_MIN 28

/* Codes from 32768 (responses) or 128 (intervals) on are floating
 * point values (RFC 3810 sections 5.1.3 and 5.1.9). */
static uint32_t mld_max_resp_delay(uint16_t code)
{
	if (code < 32768)
		return code;
	return ((code & 0x0fffu) | 0x1000u) << (((code & 0x7000u) >> 12) + 3);
}

static uint32_t mld_qqi(uint8_t code)
{
	if (code < 128)
		return code;
	return ((code & 0x0fu) | 0x10u) << (((code & 0x70u) >> 4) + 3);
}

/* Version 1 messages: shown only when captured whole. */
static void mld_v1_print(struct nd_ctx *nd, const uint8_t *p)
{
	if (!nd_ttest(nd, p, MLD_V1_LEN))
		return;
	nd_printf(nd, "max resp delay: %u addr: %s", nd_be16(nd, p + 4),
		  nd_ip6addr_string(nd, p + 8));
}

static void mld_v2_query_print(struct nd_ctx *nd, const uint8_t *p,
			       unsigned len)
{
	unsigned nsrcs;

	nd_puts(nd, " v2");
	if (nd->vflag)
		nd_printf(nd, " [max resp delay=%u]",
			  mld_max_resp_delay(nd_be16(nd, p + 4)));
	nd_printf(nd, " [gaddr %s", nd_ip6addr_string(nd, p + 8));
	if (nd->vflag) {
		uint8_t fl = nd_u8(nd, p + 24);

		if (fl & 0x08)
			nd_puts(nd, " sflag");
		if (fl & 0x07)
			nd_printf(nd, " robustness=%u", fl & 0x07);
		nd_printf(nd, " qqi=%u", mld_qqi(nd_u8(nd, p + 25)));
	}
	nsrcs = nd_be16(nd, p + 26);
	if (len < MLD_V2_QUERY_MIN + nsrcs * 16)
		nd_puts(nd, " [invalid number of sources]");
	else
		nd_mcast_sources_print(nd, p + MLD_V2_QUERY_MIN, nsrcs, 1, 1);
	nd_puts(nd, "]");
}

static void mld_v2_report_print(struct nd_ctx *nd, const uint8_t *p,
				unsigned len)
{
	if (len < 8) {
		nd_printf(nd, " [invalid len %u]", len);
		return;
	}
	nd_mcast_records_print(nd, p, len, 1);
}

void nd_mld_print(struct nd_ctx *nd, uint8_t type, const uint8_t *p,
		  unsigned len)
{
	switch (type) {
	case MLD_QUERY:
		if (len == MLD_V1_LEN)
			mld_v1_print(nd, p);
		else if (len >= MLD_V2_QUERY_MIN)
			mld_v2_query_print(nd, p, len);
		else
			nd_printf(nd, " unknown-version (len %u) ", len);
		break;
	case MLD_REPORT:
	case MLD_DONE:
		mld_v1_print(nd, p);
		break;
	case MLD_V2_REPORT:
		mld_v2_report_print(nd, p, len);
		break;
	}
}
