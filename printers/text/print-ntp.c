// SPDX-License-Identifier: BSD-2-Clause
/*
 * NTP (RFC 5905) time messages and NTP control messages (RFC 1305
 * appendix B), UDP port 123.
 *
 *  0                   1                   2                   3
 *  +---+-----+-----+---------------+---------------+---------------+
 *  |LI | VN  |Mode |    Stratum    |     Poll      |   Precision   |
 *  +---+-----+-----+---------------+---------------+---------------+
 *  |                 Root Delay (16.16 fixed point)                |
 *  |               Root Dispersion (16.16 fixed point)             |
 *  |                       Reference ID                            |
 *  |       Reference, Origin, Receive, Transmit Timestamps         |
 *  |              (each 32.32 fixed point, 8 bytes)                |
 *  +---------------------------------------------------------------+
 *  |        [Key Identifier (4), Message Digest (16 or 20)]        |
 *
 * Control message (mode 6), after the first byte:
 *  +-+-+-+---------+---------------+-------------------------------+
 *  |R|E|M| OpCode  |           Sequence            |    Status     |
 *  +-+-+-+---------+-------------------------------+---------------+
 *  |    Association ID     |     Offset    |         Count         |
 *
 * Only the summary line by default; the fields under -v, each printed
 * once its bytes are known to be captured, as tcpdump does.
 */
#include "netdissect.h"

#include <stdio.h>
#include <time.h>

#define NTP_TIMEMSG_LEN 48
#define NTP_CTRLMSG_HDRLEN 12
/* Seconds from 1900-01-01 (the NTP era) to 1970-01-01. */
#define NTP_UNIX_OFFSET 2208988800LL

static const struct nd_tok ntp_modes[] = {
	{ 0, "unspecified" }, { 1, "symmetric active" },
	{ 2, "symmetric passive" }, { 3, "Client" }, { 4, "Server" },
	{ 5, "Broadcast" }, { 6, "Control Message" }, { 7, "Reserved" },
	{ 0, NULL },
};

static const struct nd_tok ntp_leap[] = {
	{ 0x00, "" }, { 0x40, "+1s" }, { 0x80, "-1s" },
	{ 0xc0, "clock unsynchronized" }, { 0, NULL },
};

static const char *stratum_name(uint8_t stratum)
{
	if (stratum == 0)
		return "unspecified";
	if (stratum == 1)
		return "primary reference";
	if (stratum <= 15)
		return "secondary reference";
	return "reserved";
}

/* A 16.16 fixed-point interval as seconds with six decimals. */
static void ntp_short_print(struct nd_ctx *nd, uint32_t v)
{
	nd_printf(nd, "%u.%06u", v >> 16,
		  (unsigned)((uint64_t)(v & 0xffff) * 1000000u / 65536u));
}

static unsigned frac_nanoseconds(uint32_t frac)
{
	return (unsigned)((double)frac / 4294967296.0 * 1000000000.0);
}

/* A 32.32 timestamp, with its UTC date when the seconds are not 0. */
static void ntp_time_print(struct nd_ctx *nd, uint32_t sec, uint32_t frac)
{
	nd_printf(nd, "%u.%09u", sec, frac_nanoseconds(frac));
	if (sec != 0) {
		time_t t = (time_t)((long long)sec - NTP_UNIX_OFFSET);
		struct tm tm;
		char date[64];

		if (gmtime_r(&t, &tm) &&
		    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm))
			nd_printf(nd, " (%s)", date);
		else
			nd_puts(nd, " (unrepresentable)");
	}
}

/* The difference later - origin, or later itself without an origin. */
static void ntp_delta_print(struct nd_ctx *nd, const uint32_t origin[2],
			    const uint32_t later[2])
{
	uint64_t o = (uint64_t)origin[0] << 32 | origin[1];
	uint64_t l = (uint64_t)later[0] << 32 | later[1];
	uint64_t d;
	char sign;

	if (o == 0) {
		ntp_time_print(nd, later[0], later[1]);
		return;
	}
	if (l > o) {
		sign = '+';
		d = l - o;
	} else {
		sign = '-';
		d = o - l;
	}
	nd_printf(nd, "%c%u.%09u", sign, (unsigned)(d >> 32),
		  frac_nanoseconds((uint32_t)d));
}

static int ntp_stamp(struct nd_ctx *nd, const char *label, const uint8_t *p,
		     uint32_t out[2])
{
	if (!nd_ttest(nd, p, 8))
		return -1;
	out[0] = nd_be32(nd, p);
	out[1] = nd_be32(nd, p + 4);
	nd_printf(nd, "\n\t  %s", label);
	ntp_time_print(nd, out[0], out[1]);
	return 0;
}

/* tcpdump marks a message of the wrong size, then checks (in place)
 * that all of it was captured. */
static void ntp_invalid(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	nd_puts(nd, " (invalid)");
	if (!nd_ttest(nd, p, len))
		nd_trunc_here(nd);
}

static void ntp_time_msg(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint32_t org[2], rec[2], xmt[2], ref[2];
	uint8_t stratum;
	int8_t poll;
	unsigned i;

	stratum = nd_u8(nd, p + 1);
	nd_printf(nd, ", Stratum %u (%s)", stratum, stratum_name(stratum));
	poll = (int8_t)nd_u8(nd, p + 2);
	nd_printf(nd, ", poll %d", poll);
	if (poll >= 0 && poll < 32)
		nd_printf(nd, " (%us)", 1u << poll);
	else if (poll < 0 && poll > -32)
		nd_printf(nd, " (1/%us)", 1u << -poll);
	nd_printf(nd, ", precision %d", (int8_t)nd_u8(nd, p + 3));

	/* From here tcpdump reports a cut message in place. */
	if (!nd_ttest(nd, p + 4, 4))
		goto trunc;
	nd_puts(nd, "\n\tRoot Delay: ");
	ntp_short_print(nd, nd_be32(nd, p + 4));
	if (!nd_ttest(nd, p + 8, 4))
		goto trunc;
	nd_puts(nd, ", Root dispersion: ");
	ntp_short_print(nd, nd_be32(nd, p + 8));
	if (!nd_ttest(nd, p + 12, 4))
		goto trunc;
	nd_puts(nd, ", Reference-ID: ");
	switch (stratum) {
	case 0:
		nd_puts(nd, "(unspec)");
		break;
	case 1:
		nd_print_escaped(nd, p + 12, 4);
		break;
	case 62:
	case 63:
		nd_printf(nd, "%s %s", nd_ipaddr_string(nd, p + 12),
			  stratum == 62 ? "INFO_QUERY" : "INFO_REPLY");
		return;
	default:
		nd_printf(nd, "0x%08x", nd_be32(nd, p + 12));
		break;
	}
	if (ntp_stamp(nd, "Reference Timestamp:  ", p + 16, ref) < 0 ||
	    ntp_stamp(nd, "Originator Timestamp: ", p + 24, org) < 0 ||
	    ntp_stamp(nd, "Receive Timestamp:    ", p + 32, rec) < 0 ||
	    ntp_stamp(nd, "Transmit Timestamp:   ", p + 40, xmt) < 0)
		goto trunc;
	nd_puts(nd, "\n\t    Originator - Receive Timestamp:  ");
	ntp_delta_print(nd, org, rec);
	nd_puts(nd, "\n\t    Originator - Transmit Timestamp: ");
	ntp_delta_print(nd, org, xmt);

	/* Optional authenticator: key id, then an MD5 or SHA-1 digest. */
	if (len == NTP_TIMEMSG_LEN)
		return;
	if (len == NTP_TIMEMSG_LEN + 4 || len == NTP_TIMEMSG_LEN + 20 ||
	    len == NTP_TIMEMSG_LEN + 24) {
		nd_printf(nd, "\n\tKey id: %u", nd_be32(nd, p + 48));
		if (len == NTP_TIMEMSG_LEN + 4)
			return;
		if (!nd_ttest(nd, p + 52, len - 52))
			goto trunc;
		nd_puts(nd, "\n\tAuthentication: ");
		for (i = 52; i < len; i += 4)
			nd_printf(nd, "%08x", nd_be32(nd, p + i));
		return;
	}
	nd_printf(nd, "\n\t(%u more bytes after the header)",
		  len - NTP_TIMEMSG_LEN);
	return;
trunc:
	nd_trunc_here(nd);
}

static void ntp_control_msg(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint8_t b = nd_u8(nd, p + 1);
	uint16_t count;

	nd_printf(nd, ", %s, %s, %s, OpCode=%u\n",
		  b & 0x80 ? "Response" : "Request",
		  b & 0x40 ? "Error" : "OK", b & 0x20 ? "More" : "Last",
		  b & 0x1f);
	nd_printf(nd, "\tSequence=%u", nd_be16(nd, p + 2));
	nd_printf(nd, ", Status=%#x", nd_be16(nd, p + 4));
	nd_printf(nd, ", Assoc.=%u", nd_be16(nd, p + 6));
	nd_printf(nd, ", Offset=%u", nd_be16(nd, p + 8));
	count = nd_be16(nd, p + 10);
	nd_printf(nd, ", Count=%u", count);
	if (NTP_CTRLMSG_HDRLEN + (unsigned)count > len) {
		ntp_invalid(nd, p, len);
		return;
	}
	if (count != 0) {
		if (!nd_ttest(nd, p + NTP_CTRLMSG_HDRLEN, count)) {
			nd_trunc_here(nd);
			return;
		}
		nd_puts(nd, "\n\tTO-BE-DONE: data not interpreted");
	}
}

void nd_ntp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint8_t first, mode;
	char buf[16];

	nd->protocol = "ntp";
	first = nd_u8(nd, p);
	mode = first & 7;
	nd_printf(nd, "NTPv%u, %s, length %u", (first >> 3) & 7,
		  nd_tok2str(ntp_modes, "mode %u", mode, buf, sizeof(buf)),
		  len);
	if (!nd->vflag)
		return;
	nd_printf(nd, "\n\tLeap indicator: %s (%u)",
		  nd_tok2str(ntp_leap, "%u", first & 0xc0, buf, sizeof(buf)),
		  first & 0xc0);
	if (mode <= 5) {
		if (len < NTP_TIMEMSG_LEN) {
			ntp_invalid(nd, p, len);
			return;
		}
		ntp_time_msg(nd, p, len);
	} else if (mode == 6) {
		if (len < NTP_CTRLMSG_HDRLEN) {
			ntp_invalid(nd, p, len);
			return;
		}
		ntp_control_msg(nd, p, len);
	}
}
