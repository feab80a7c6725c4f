// SPDX-License-Identifier: BSD-2-Clause
/*
 * Multipath TCP option (TCP option kind 30, RFC 8684; version 0 in
 * RFC 6824).  Every subtype shares the first byte after the length:
 *
 *  +---------------+---------------+-------+-----------------------+
 *  |   Kind (30)   |    Length     |Subtype| subtype-specific ...  |
 *  +---------------+---------------+-------+-----------------------+
 *
 * The subtype's fields are only decoded for the lengths (and TCP flags)
 * the RFC allows for it; anything else is a bad option, as tcpdump has it.
 * Subtype 8 (MP_TCPRST) and later print as "unknown", like tcpdump 4.99.
 */
#include "netdissect.h"

#include <inttypes.h>

#define TH_SYN 0x02
#define TH_ACK 0x10

enum {
	MP_CAPABLE = 0, MP_JOIN = 1, MP_DSS = 2, MP_ADD_ADDR = 3,
	MP_REMOVE_ADDR = 4, MP_PRIO = 5, MP_FAIL = 6, MP_FASTCLOSE = 7,
	MP_UNKNOWN = 8,
};

static const char *const mptcp_subtype_names[] = {
	"capable", "join", "dss", "add-addr", "rem-addr", "prio", "fail",
	"fast-close", "unknown",
};

/* The low bits after the subtype: the echo flag of version 1, or the
 * address family version 0 carried there. */
static const struct nd_tok add_addr_versions[] = {
	{ 0, "v1" }, { 1, "v1-echo" }, { 4, "v0-ip4" }, { 6, "v0-ip6" },
	{ 0, NULL },
};

static uint64_t be64(struct nd_ctx *nd, const uint8_t *p)
{
	return (uint64_t)nd_be32(nd, p) << 32 | nd_be32(nd, p + 4);
}

/* Keys on the handshake: none on a SYN of v1, the sender's on SYN and
 * SYN/ACK, both on the third ACK (20) and on the first data (22). */
static int capable_print(struct nd_ctx *nd, const uint8_t *o, unsigned len,
			 uint8_t th_flags)
{
	unsigned version;

	if (!((len == 12 || len == 4) && (th_flags & TH_SYN)) &&
	    !((len == 20 || len == 22) &&
	      (th_flags & (TH_SYN | TH_ACK)) == TH_ACK))
		return 0;
	version = nd_u8(nd, o + 2) & 0x0f;
	if (version > 1) {
		nd_printf(nd, " Unknown Version (%u)", version);
		return 1;
	}
	nd_printf(nd, " v%u", version);
	if (nd_u8(nd, o + 3) & 0x80)
		nd_puts(nd, " csum");
	if (len == 12 || len >= 20) {
		nd_printf(nd, " {0x%" PRIx64, be64(nd, o + 4));
		if (len >= 20)
			nd_printf(nd, ",0x%" PRIx64, be64(nd, o + 12));
		nd_puts(nd, "}");
	}
	return 1;
}

/* The three messages of a subflow's handshake: token and nonce on the
 * SYN, a truncated HMAC and nonce on the SYN/ACK, the full HMAC last. */
static int join_print(struct nd_ctx *nd, const uint8_t *o, unsigned len,
		      uint8_t th_flags)
{
	unsigned i;

	if (!(len == 12 && (th_flags & TH_SYN)) &&
	    !(len == 16 && (th_flags & (TH_SYN | TH_ACK)) ==
			       (TH_SYN | TH_ACK)) &&
	    !(len == 24 && (th_flags & TH_ACK)))
		return 0;
	if (len != 24) {
		if (nd_u8(nd, o + 2) & 0x01)
			nd_puts(nd, " backup");
		nd_printf(nd, " id %u", nd_u8(nd, o + 3));
	}
	switch (len) {
	case 12:
		nd_printf(nd, " token 0x%x nonce 0x%x", nd_be32(nd, o + 4),
			  nd_be32(nd, o + 8));
		break;
	case 16:
		nd_printf(nd, " hmac 0x%" PRIx64 " nonce 0x%x",
			  be64(nd, o + 4), nd_be32(nd, o + 12));
		break;
	default:
		nd_puts(nd, " hmac 0x");
		for (i = 4; i < 24; i++)
			nd_printf(nd, "%02x", nd_u8(nd, o + i));
		break;
	}
	return 1;
}

/* A 4- or 8-byte number, whichever the DSS flag bit says. */
static int dss_number(struct nd_ctx *nd, const uint8_t **o, unsigned *left,
		      int wide)
{
	unsigned size = wide ? 8 : 4;

	if (*left < size)
		return 0;
	if (wide)
		nd_printf(nd, "%" PRIu64, be64(nd, *o));
	else
		nd_printf(nd, "%u", nd_be32(nd, *o));
	*o += size;
	*left -= size;
	return 1;
}

/* Data Sequence Signal: flags A (ack), a (8-byte ack), M (mapping),
 * m (8-byte data sequence number), F (DATA_FIN). */
static int dss_print(struct nd_ctx *nd, const uint8_t *o, unsigned len,
		     uint8_t th_flags)
{
	unsigned left;
	uint8_t f;

	if (len < 4 || (th_flags & TH_SYN))
		return 0;
	f = nd_u8(nd, o + 3);
	if (f & 0x10)
		nd_puts(nd, " fin");
	o += 4;
	left = len - 4;
	if (f & 0x01) {
		nd_puts(nd, " ack ");
		if (!dss_number(nd, &o, &left, f & 0x02))
			return 0;
	}
	if (f & 0x04) {
		nd_puts(nd, " seq ");
		if (!dss_number(nd, &o, &left, f & 0x08))
			return 0;
		if (left < 4)
			return 0;
		nd_printf(nd, " subseq %u", nd_be32(nd, o));
		o += 4;
		left -= 4;
		if (left < 2)
			return 0;
		nd_printf(nd, " len %u", nd_be16(nd, o));
		o += 2;
		left -= 2;
		/* The checksum is there only when it was negotiated. */
		if (left >= 2) {
			nd_printf(nd, " csum 0x%x", nd_be16(nd, o));
			left -= 2;
		}
	}
	return left == 0;
}

/* The length says the family, whether a port follows and whether the
 * truncated HMAC of version 1 does. */
static int add_addr_print(struct nd_ctx *nd, const uint8_t *o, unsigned len)
{
	int v4 = len == 8 || len == 10 || len == 16 || len == 18;
	int port = len == 10 || len == 18 || len == 22 || len == 30;
	int hmac = len == 16 || len == 18 || len == 28 || len == 30;
	unsigned alen = v4 ? 4 : 16;
	const char *version;

	if (!v4 && len != 20 && len != 22 && len != 28 && len != 30)
		return 0;
	version = nd_tok_find(add_addr_versions, nd_u8(nd, o + 2) & 0x0f);
	nd_printf(nd, " %s", version ? version : "[bad version/echo]");
	nd_printf(nd, " id %u", nd_u8(nd, o + 3));
	nd_tcheck(nd, o + 4, alen);
	nd_printf(nd, " %s", v4 ? nd_ipaddr_string(nd, o + 4)
			       : nd_ip6addr_string(nd, o + 4));
	if (port)
		nd_printf(nd, ":%u", nd_be16(nd, o + 4 + alen));
	if (hmac)
		nd_printf(nd, " hmac 0x%" PRIx64,
			  be64(nd, o + 4 + alen + (port ? 2 : 0)));
	return 1;
}

static int remove_addr_print(struct nd_ctx *nd, const uint8_t *o,
			     unsigned len)
{
	unsigned i;

	if (len < 4)
		return 0;
	nd_puts(nd, " id");
	for (i = 3; i < len; i++)
		nd_printf(nd, " %u", nd_u8(nd, o + i));
	return 1;
}

static int prio_print(struct nd_ctx *nd, const uint8_t *o, unsigned len)
{
	if (len != 3 && len != 4)
		return 0;
	nd_puts(nd, nd_u8(nd, o + 2) & 0x01 ? " backup" : " non-backup");
	if (len == 4)
		nd_printf(nd, " id %u", nd_u8(nd, o + 3));
	return 1;
}

int nd_mptcp_print(struct nd_ctx *nd, const uint8_t *o, unsigned len,
		   uint8_t th_flags)
{
	unsigned subtype;

	nd->protocol = "mptcp";
	if (len < 3)
		return 0;
	subtype = nd_u8(nd, o + 2) >> 4;
	if (subtype > MP_UNKNOWN)
		subtype = MP_UNKNOWN;
	nd_printf(nd, " %u %s", len, mptcp_subtype_names[subtype]);
	switch (subtype) {
	case MP_CAPABLE:
		return capable_print(nd, o, len, th_flags);
	case MP_JOIN:
		return join_print(nd, o, len, th_flags);
	case MP_DSS:
		return dss_print(nd, o, len, th_flags);
	case MP_ADD_ADDR:
		return add_addr_print(nd, o, len);
	case MP_REMOVE_ADDR:
		return remove_addr_print(nd, o, len);
	case MP_PRIO:
		return prio_print(nd, o, len);
	case MP_FAIL:
		if (len != 12)
			return 0;
		nd_printf(nd, " seq %" PRIu64, be64(nd, o + 4));
		return 1;
	case MP_FASTCLOSE:
		if (len != 12)
			return 0;
		nd_printf(nd, " key 0x%" PRIx64, be64(nd, o + 4));
		return 1;
	default:
		return 1;
	}
}
