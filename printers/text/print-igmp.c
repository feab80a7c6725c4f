// SPDX-License-Identifier: BSD-2-Clause
/*
 * Internet Group Management Protocol: versions 1 (RFC 1112), 2 (RFC 2236)
 * and 3 (RFC 3376), and the multicast traceroute messages that share its
 * protocol number (draft-ietf-idmr-traceroute-ipm).
 *
 *  0                   1                   2                   3
 *  +---------------+---------------+-------------------------------+
 *  |     Type      | Max Resp Code |           Checksum            |
 *  +---------------+---------------+-------------------------------+
 *  |                         Group Address                         |
 *  +-----+-+-----+-+---------------+-------------------------------+
 *  |Resv |S| QRV |      QQIC       |   Number of Sources (N)       |  v3
 *  +-----+-+-----+-----------------+-------------------------------+  query
 *  |                    Source Address [1..N]                      |
 *
 * A version 3 report carries a record count in its second word, then
 * records: type, aux data length, number of sources, group, sources.
 * The version of a query is told by its length (RFC 3376 section 7.1).
 */
#include "netdissect.h"

#include <stdio.h>

enum {
	IGMP_QUERY = 0x11, IGMP_V1_REPORT = 0x12, IGMP_V2_REPORT = 0x16,
	IGMP_V2_LEAVE = 0x17, IGMP_MTRACE_RESP = 0x1e, IGMP_MTRACE = 0x1f,
	IGMP_V3_REPORT = 0x22,
};

/* Record types (RFC 3376 section 4.2.12), shared with MLDv2. */
const struct nd_tok nd_mcast_record_names[] = {
	{ 1, "is_in" }, { 2, "is_ex" }, { 3, "to_in" }, { 4, "to_ex" },
	{ 5, "allow" }, { 6, "block" }, { 0, NULL },
};

static void mtrace_print(struct nd_ctx *nd, uint8_t type, const uint8_t *p,
			 unsigned len)
{
	uint32_t qid;
	uint8_t ttl;

	if (len < 24) {
		nd_printf(nd, " [invalid len %u]", len);
		return;
	}
	ttl = nd_u8(nd, p + 20);
	qid = nd_be24(nd, p + 21);
	nd_printf(nd, "%s %u: ", type == IGMP_MTRACE ? "mtrace" : "mresp",
		  qid);
	nd_printf(nd, "%s to ", nd_ipaddr_string(nd, p + 8));
	nd_printf(nd, "%s reply-to ", nd_ipaddr_string(nd, p + 12));
	nd_puts(nd, nd_ipaddr_string(nd, p + 16));
	/* A multicast reply address is answered with this TTL. */
	if ((nd_u8(nd, p + 16) & 0xf0) == 0xe0)
		nd_printf(nd, " with-ttl %u", ttl);
}

/*
 * The sources of a record or query: their count, or under -vv the list.
 * A query says nothing of an empty list; a record shows "0 source(s)"
 * or "{ }".
 */
void nd_mcast_sources_print(struct nd_ctx *nd, const uint8_t *p,
			    unsigned nsrcs, int v6, int query)
{
	unsigned i, alen = v6 ? 16 : 4;

	if (query && nsrcs == 0)
		return;
	if (nd->vflag < 2) {
		nd_printf(nd, ", %u source(s)", nsrcs);
		return;
	}
	nd_puts(nd, " {");
	for (i = 0; i < nsrcs; i++)
		nd_printf(nd, " %s", v6 ? nd_ip6addr_string(nd, p + alen * i) :
			  nd_ipaddr_string(nd, p + alen * i));
	nd_puts(nd, " }");
}

/*
 * The group records of an IGMPv3 (v6 = 0) or MLDv2 (v6 = 1) report, from
 * its count at offset 6, after the caller checked the fixed part.  The aux
 * data length is not honoured, as by tcpdump.
 */
void nd_mcast_records_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
			    int v6)
{
	unsigned alen = v6 ? 16 : 4, ngroups, i, off = 8;
	char buf[32];

	ngroups = nd_be16(nd, p + 6);
	nd_printf(nd, ", %u group record(s)", ngroups);
	if (!nd->vflag)
		return;
	for (i = 0; i < ngroups; i++) {
		unsigned nsrcs;

		if (len < off + 4 + alen) {
			nd_puts(nd, " [invalid number of groups]");
			return;
		}
		nd_printf(nd, " [gaddr %s", v6 ? nd_ip6addr_string(nd, p + off + 4) :
			  nd_ipaddr_string(nd, p + off + 4));
		nd_printf(nd, " %s", nd_tok2str(nd_mcast_record_names,
						v6 ? " [v2-report-#%u]" : " [v3-report-#%u]",
						nd_u8(nd, p + off), buf,
						sizeof(buf)));
		nsrcs = nd_be16(nd, p + off + 2);
		if (len < off + 4 + alen + nsrcs * alen) {
			nd_printf(nd, " [invalid number of sources %u]", nsrcs);
			return;
		}
		nd_mcast_sources_print(nd, p + off + 4 + alen, nsrcs, v6, 0);
		nd_puts(nd, "]");
		off += 4 + alen + nsrcs * alen;
	}
}

static void v3_report_print(struct nd_ctx *nd, const uint8_t *p,
			    unsigned len)
{
	if (len < 16 || len % 4) {
		nd_printf(nd, " [invalid len %u]", len);
		return;
	}
	nd_mcast_records_print(nd, p, len, 0);
}

static void v3_query_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint8_t mrc;
	unsigned nsrcs;

	nd_puts(nd, " v3");
	mrc = nd_u8(nd, p + 1);
	if (mrc != 100) {
		/* Codes from 128 on are a floating point value. */
		uint32_t mrt = mrc < 128 ? mrc :
			((mrc & 0x0fu) | 0x10u) << (((mrc & 0x70u) >> 4) + 3);

		nd_puts(nd, " [max resp time ");
		if (mrt < 600)
			nd_printf(nd, "%.1fs", mrt * 0.1);
		else
			nd_print_span(nd, mrt / 10);
		nd_puts(nd, "]");
	}
	if (nd_be32(nd, p + 4) == 0)
		return;
	nd_printf(nd, " [gaddr %s", nd_ipaddr_string(nd, p + 4));
	nsrcs = nd_be16(nd, p + 10);
	if (len < 12 + nsrcs * 4)
		nd_puts(nd, " [invalid number of sources]");
	else
		nd_mcast_sources_print(nd, p + 12, nsrcs, 0, 1);
	nd_puts(nd, "]");
}

/* The version of a query is told by its length and code; each part is
 * printed before the next field is read, so a cut shows how far it got. */
static void query_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint8_t code;

	nd_puts(nd, "igmp query");
	if (len >= 12) {
		v3_query_print(nd, p, len);
		return;
	}
	code = nd_u8(nd, p + 1);
	if (len == 8 && code == 0) {
		nd_puts(nd, " v1");
		nd_tcheck(nd, p + 4, 4);
		return;
	}
	nd_puts(nd, " v2");
	if (code != 100)
		nd_printf(nd, " [max resp time %u]", code);
	if (nd_be32(nd, p + 4))
		nd_printf(nd, " [gaddr %s]", nd_ipaddr_string(nd, p + 4));
	if (len != 8)
		nd_printf(nd, " [len %u]", len);
}

void nd_igmp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		   const struct nd_ip_info *ipi)
{
	const char *group;
	uint8_t type;

	(void)ipi;
	nd->protocol = "igmp";
	if (nd->qflag) {
		nd_puts(nd, "igmp");
		return;
	}
	type = nd_u8(nd, p);
	switch (type) {
	case IGMP_QUERY:
		query_print(nd, p, len);
		break;
	case IGMP_V1_REPORT:
	case IGMP_V2_REPORT:
	case IGMP_V2_LEAVE:
		group = nd_ipaddr_string(nd, p + 4);
		nd_printf(nd, "igmp %s %s", type == IGMP_V2_LEAVE ? "leave" :
			  type == IGMP_V1_REPORT ? "v1 report" : "v2 report",
			  group);
		break;
	case IGMP_V3_REPORT:
		nd_puts(nd, "igmp v3 report");
		v3_report_print(nd, p, len);
		break;
	case IGMP_MTRACE:
	case IGMP_MTRACE_RESP:
		mtrace_print(nd, type, p, len);
		break;
	default:
		nd_printf(nd, "igmp-%u", type);
		break;
	}
	if (nd->vflag && len >= 4 && nd_ttest(nd, p, len)) {
		if (nd_sum_fold(nd_sum_add(0, p, len)) != 0)
			nd_printf(nd, " bad igmp cksum %x!",
				  nd_be16(nd, p + 2));
	}
}
