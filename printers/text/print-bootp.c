// SPDX-License-Identifier: BSD-2-Clause
/*
 * BOOTP (RFC 951) and DHCP (RFC 2131, options RFC 2132), UDP ports 67/68.
 *
 *  0                   1                   2                   3
 *  +---------------+---------------+---------------+---------------+
 *  |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |
 *  +---------------+---------------+---------------+---------------+
 *  |                            xid (4)                            |
 *  +-------------------------------+-------------------------------+
 *  |           secs (2)            |           flags (2)           |
 *  +-------------------------------+-------------------------------+
 *  |        ciaddr, yiaddr, siaddr, giaddr (4 each)                |
 *  |        chaddr (16)                                            |
 *  |        sname (64), file (128)                                 |
 *  |        vendor area / options: magic cookie 99.130.83.99,      |
 *  |        then tag, length, value ... up to End (255)            |
 *  +---------------------------------------------------------------+
 *
 * The summary line by default; the header fields and the options under
 * -v, each option decoded by its kind (addresses, numbers, flags, text)
 * as tcpdump shows it.  -vvv also shows Pad and End and the bytes after
 * End.
 */
#include "netdissect.h"

#define BOOTP_REQUEST 1
#define BOOTP_REPLY 2
#define BOOTP_OFF_CHADDR 28
#define BOOTP_OFF_SNAME 44
#define BOOTP_OFF_FILE 108
#define BOOTP_OFF_VEND 236
#define BOOTP_SNAME_LEN 64
#define BOOTP_FILE_LEN 128
#define BOOTP_MAGIC_RFC1048 0x63825363u
#define BOOTP_MAGIC_CMU 0x434d5500u
#define BOOTP_FLAG_BROADCAST 0x8000

#define TAG_PAD 0
#define TAG_END 255

/* How an option's value is shown. */
enum bootp_kind {
	BOOTP_UNKNOWN = 0,  /* by its length: 32-bit, 16-bit or bytes */
	BOOTP_IP,           /* addresses, comma separated */
	BOOTP_IPPAIR,       /* (address:address) pairs */
	BOOTP_U32,
	BOOTP_S32,
	BOOTP_U16,
	BOOTP_BYTES,        /* decimal bytes joined by dots */
	BOOTP_BOOL,         /* Y, N, or the value and a question mark */
	BOOTP_STR,
	BOOTP_MSGTYPE,
	BOOTP_PARAMS,
	BOOTP_CLIENT_ID,
	BOOTP_NETBIOS_NODE,
	BOOTP_OVERLOAD,
	BOOTP_USER_CLASS,
	BOOTP_FQDN,
	BOOTP_AGENT,
	BOOTP_ROUTES,
};

static const struct bootp_opt {
	uint8_t tag;
	const char *name;
	enum bootp_kind kind;
} bootp_opts[] = {
	{ 0, "PAD", BOOTP_UNKNOWN },
	{ 1, "Subnet-Mask", BOOTP_IP },
	{ 2, "Time-Zone", BOOTP_S32 },
	{ 3, "Default-Gateway", BOOTP_IP },
	{ 4, "Time-Server", BOOTP_IP },
	{ 5, "IEN-Name-Server", BOOTP_IP },
	{ 6, "Domain-Name-Server", BOOTP_IP },
	{ 7, "LOG", BOOTP_IP },
	{ 8, "CS", BOOTP_IP },
	{ 9, "LPR-Server", BOOTP_IP },
	{ 10, "IM", BOOTP_IP },
	{ 11, "RL", BOOTP_IP },
	{ 12, "Hostname", BOOTP_STR },
	{ 13, "BS", BOOTP_U16 },
	{ 14, "DP", BOOTP_STR },
	{ 15, "Domain-Name", BOOTP_STR },
	{ 16, "SS", BOOTP_IP },
	{ 17, "RP", BOOTP_STR },
	{ 18, "EP", BOOTP_STR },
	{ 19, "IPF", BOOTP_BOOL },
	{ 20, "SRT", BOOTP_BOOL },
	{ 21, "PF", BOOTP_IPPAIR },
	{ 22, "RSZ", BOOTP_U16 },
	{ 23, "TTL", BOOTP_BYTES },
	{ 24, "MTU-Timeout", BOOTP_U32 },
	{ 25, "MTU-Table", BOOTP_U16 },
	{ 26, "MTU", BOOTP_U16 },
	{ 27, "LSN", BOOTP_BOOL },
	{ 28, "BR", BOOTP_IP },
	{ 29, "MD", BOOTP_BOOL },
	{ 30, "MS", BOOTP_BOOL },
	{ 31, "Router-Discovery", BOOTP_BOOL },
	{ 32, "RSA", BOOTP_IP },
	{ 33, "Static-Route", BOOTP_IPPAIR },
	{ 34, "UT", BOOTP_BOOL },
	{ 35, "AT", BOOTP_U32 },
	{ 36, "IE", BOOTP_BOOL },
	{ 37, "TT", BOOTP_BYTES },
	{ 38, "KI", BOOTP_U32 },
	{ 39, "KG", BOOTP_BOOL },
	{ 40, "YD", BOOTP_STR },
	{ 41, "YS", BOOTP_IP },
	{ 42, "NTP", BOOTP_IP },
	{ 43, "Vendor-Option", BOOTP_BYTES },
	{ 44, "Netbios-Name-Server", BOOTP_IP },
	{ 45, "WDD", BOOTP_IP },
	{ 46, "Netbios-Node", BOOTP_NETBIOS_NODE },
	{ 47, "Netbios-Scope", BOOTP_STR },
	{ 48, "XFS", BOOTP_IP },
	{ 49, "XDM", BOOTP_IP },
	{ 50, "Requested-IP", BOOTP_IP },
	{ 51, "Lease-Time", BOOTP_U32 },
	{ 52, "OO", BOOTP_OVERLOAD },
	{ 53, "DHCP-Message", BOOTP_MSGTYPE },
	{ 54, "Server-ID", BOOTP_IP },
	{ 55, "Parameter-Request", BOOTP_PARAMS },
	{ 56, "MSG", BOOTP_STR },
	{ 57, "MSZ", BOOTP_U16 },
	{ 58, "RN", BOOTP_U32 },
	{ 59, "RB", BOOTP_U32 },
	{ 60, "Vendor-Class", BOOTP_STR },
	{ 61, "Client-ID", BOOTP_CLIENT_ID },
	{ 64, "N+D", BOOTP_U16 },
	{ 65, "N+S", BOOTP_IP },
	{ 66, "TFTP", BOOTP_STR },
	{ 67, "BF", BOOTP_STR },
	{ 68, "MH", BOOTP_IP },
	{ 69, "SMTP", BOOTP_IP },
	{ 70, "POP3", BOOTP_IP },
	{ 71, "NNTP", BOOTP_IP },
	{ 72, "WWW", BOOTP_IP },
	{ 73, "FG", BOOTP_IP },
	{ 74, "IRC", BOOTP_IP },
	{ 75, "STS", BOOTP_IP },
	{ 76, "STDA", BOOTP_IP },
	{ 77, "User-Class", BOOTP_USER_CLASS },
	{ 78, "SLP-DA", BOOTP_BYTES },
	{ 79, "SLP-SCOPE", BOOTP_BYTES },
	{ 80, "SLP-NA", BOOTP_STR },
	{ 81, "FQDN", BOOTP_FQDN },
	{ 82, "Agent-Information", BOOTP_AGENT },
	{ 83, "ARMT", BOOTP_BYTES },
	{ 88, "TZSTR", BOOTP_STR },
	{ 89, "FQDNS", BOOTP_BYTES },
	{ 90, "AUTH", BOOTP_BYTES },
	{ 91, "Last-Transaction-Time", BOOTP_U32 },
	{ 92, "Associated-IP", BOOTP_IP },
	{ 93, "ARCH", BOOTP_U16 },
	{ 94, "NDI", BOOTP_BYTES },
	{ 95, "LDAP", BOOTP_STR },
	{ 97, "GUID", BOOTP_BYTES },
	{ 98, "UAP", BOOTP_STR },
	{ 100, "POSIX-TZ", BOOTP_STR },
	{ 101, "TZ-Name", BOOTP_STR },
	{ 112, "NI", BOOTP_IP },
	{ 113, "NITAG", BOOTP_STR },
	{ 114, "URL", BOOTP_STR },
	{ 116, "NOAUTO", BOOTP_BOOL },
	{ 117, "NSSEARCH", BOOTP_U16 },
	{ 118, "SUBNET", BOOTP_IP },
	{ 121, "Classless-Static-Route", BOOTP_ROUTES },
	{ 150, "TFTP-Server-Address", BOOTP_IP },
	{ 161, "MUD-URL", BOOTP_STR },
	{ 249, "Classless-Static-Route-Microsoft", BOOTP_ROUTES },
	{ 255, "END", BOOTP_UNKNOWN },
};

static const struct bootp_opt *bootp_opt_find(uint8_t tag)
{
	size_t lo = 0, hi = sizeof(bootp_opts) / sizeof(bootp_opts[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (bootp_opts[mid].tag == tag)
			return &bootp_opts[mid];
		if (bootp_opts[mid].tag < tag)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const char *bootp_opt_name(uint8_t tag)
{
	const struct bootp_opt *o = bootp_opt_find(tag);

	return o ? o->name : "Unknown";
}

static void quoted(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	nd_tcheck(nd, p, len);
	nd_puts(nd, "\"");
	nd_print_escaped(nd, p, len);
	nd_puts(nd, "\"");
}

static void hex_bytes(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++)
		nd_printf(nd, i ? ":%02x" : "%02x", nd_u8(nd, p + i));
}

static const struct nd_tok dhcp_msg_types[] = {
	{ 1, "Discover" }, { 2, "Offer" }, { 3, "Request" }, { 4, "Decline" },
	{ 5, "ACK" }, { 6, "NACK" }, { 7, "Release" }, { 8, "Inform" },
	{ 0, NULL },
};

static const struct nd_tok netbios_nodes[] = {
	{ 1, "b-node" }, { 2, "p-node" }, { 4, "m-node" }, { 8, "h-node" },
	{ 0, NULL },
};

static const struct nd_tok overload_values[] = {
	{ 1, "file" }, { 2, "sname" }, { 3, "file+sname" }, { 0, NULL },
};

static const struct nd_tok fqdn_flags[] = {
	{ 0x01, "S" }, { 0x02, "O" }, { 0x04, "E" }, { 0x08, "N" }, { 0, NULL },
};

/*
 * Each value printer returns how many bytes of the option it left
 * unread: tcpdump reports them as trailing data.
 */
static unsigned values_u32(struct nd_ctx *nd, const uint8_t *p, unsigned len,
			   int is_signed)
{
	const char *sep = "";

	for (; len >= 4; p += 4, len -= 4, sep = ",") {
		uint32_t v = nd_be32(nd, p);

		if (is_signed)
			nd_printf(nd, "%s%d", sep, (int32_t)v);
		else
			nd_printf(nd, "%s%u", sep, v);
	}
	return len;
}

static unsigned values_u16(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	const char *sep = "";

	for (; len >= 2; p += 2, len -= 2, sep = ",")
		nd_printf(nd, "%s%u", sep, nd_be16(nd, p));
	return len;
}

static unsigned values_bytes(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++)
		nd_printf(nd, i ? ".%u" : "%u", nd_u8(nd, p + i));
	return 0;
}

static unsigned values_ip(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	const char *sep = "";

	for (; len >= 4; p += 4, len -= 4, sep = ",") {
		nd_tcheck(nd, p, 4);
		nd_printf(nd, "%s%s", sep, nd_ipaddr_string(nd, p));
	}
	return len;
}

static unsigned values_ippair(struct nd_ctx *nd, const uint8_t *p,
			      unsigned len)
{
	const char *sep = "";

	for (; len >= 8; p += 8, len -= 8, sep = ",") {
		nd_tcheck(nd, p, 8);
		nd_printf(nd, "%s(%s:", sep, nd_ipaddr_string(nd, p));
		nd_printf(nd, "%s)", nd_ipaddr_string(nd, p + 4));
	}
	return len;
}

static unsigned values_bool(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++) {
		uint8_t b = nd_u8(nd, p + i);

		if (i)
			nd_puts(nd, ",");
		if (b <= 1)
			nd_puts(nd, b ? "Y" : "N");
		else
			nd_printf(nd, "%u?", b);
	}
	return 0;
}

static unsigned value_params(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	unsigned i;

	for (i = 0; i < len; i++) {
		uint8_t tag = nd_u8(nd, p + i);

		nd_puts(nd, i % 4 ? ", " : "\n\t      ");
		nd_printf(nd, "%s (%u)", bootp_opt_name(tag), tag);
	}
	return 0;
}

static unsigned value_client_id(struct nd_ctx *nd, const uint8_t *p,
				unsigned len)
{
	uint8_t type;

	if (len < 1) {
		nd_puts(nd, "[ERROR: length < 1 bytes]");
		return 0;
	}
	type = nd_u8(nd, p);
	if (type == 0) {
		quoted(nd, p + 1, len - 1);
		return 0;
	}
	if (type == 1)
		nd_puts(nd, "ether ");
	else
		nd_printf(nd, "hardware-type %u, ", type);
	hex_bytes(nd, p + 1, len - 1);
	return 0;
}

static unsigned value_one_of(struct nd_ctx *nd, const uint8_t *p,
			     unsigned len, const struct nd_tok *names)
{
	char buf[16];

	if (len < 1) {
		nd_puts(nd, "[ERROR: length < 1 bytes]");
		return 0;
	}
	nd_puts(nd, nd_tok2str(names, "#%u", nd_u8(nd, p), buf, sizeof(buf)));
	return len - 1;
}

static unsigned value_user_class(struct nd_ctx *nd, const uint8_t *p,
				 unsigned len)
{
	unsigned n = 1;

	if (len < 2) {
		nd_puts(nd, "[ERROR: length < 2 bytes]");
		return 0;
	}
	while (len > 0) {
		uint8_t sublen = nd_u8(nd, p);

		nd_printf(nd, "\n\t      instance#%u: ", n++);
		if (sublen == 0) {
			nd_puts(nd, "[ERROR: suboption length must be non-zero]");
			return 0;
		}
		if (sublen > len - 1) {
			nd_puts(nd, "[ERROR: invalid option]");
			return 0;
		}
		quoted(nd, p + 1, sublen);
		nd_printf(nd, ", length %u", sublen);
		p += 1 + sublen;
		len -= 1u + sublen;
	}
	return 0;
}

static unsigned value_fqdn(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint8_t flags, rc1, rc2;
	char buf[16];

	if (len < 3) {
		nd_puts(nd, "[ERROR: length < 3 bytes]");
		return 0;
	}
	flags = nd_u8(nd, p);
	if (flags & 0x0f)
		nd_printf(nd, "[%s] ", nd_bits2str(fqdn_flags, flags & 0x0f, "",
						    buf, sizeof(buf)));
	rc1 = nd_u8(nd, p + 1);
	rc2 = nd_u8(nd, p + 2);
	if (rc1 || rc2)
		nd_printf(nd, "%u/%u ", rc1, rc2);
	quoted(nd, p + 3, len - 3);
	return 0;
}

static unsigned value_agent(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	while (len >= 2) {
		uint8_t type = nd_u8(nd, p), sublen = nd_u8(nd, p + 1);
		const char *name = type == 1 ? "Circuit-ID"
				   : type == 2 ? "Remote-ID"
				   : type == 6 ? "Subscriber-ID" : "Unknown";

		nd_printf(nd, "\n\t      %s SubOption %u, length %u: ", name,
			  type, sublen);
		p += 2;
		len -= 2;
		if (sublen > len) {
			nd_puts(nd, "length goes past end of option");
			return 0;
		}
		if (type == 1 || type == 2 || type == 6) {
			nd_print_escaped(nd, p, sublen);
		} else {
			nd_tcheck(nd, p, sublen);
			nd_hex_dump_prefix(nd, "\n\t\t", p, sublen);
		}
		p += sublen;
		len -= sublen;
	}
	return len;
}

static unsigned value_routes(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	const char *sep = "";

	if (len < 5) {
		nd_puts(nd, "[ERROR: length < 5 bytes]");
		return 0;
	}
	for (; len > 0; sep = ",") {
		uint8_t width = nd_u8(nd, p), net[4] = { 0, 0, 0, 0 };
		unsigned sig = (width + 7u) / 8u;

		p++;
		len--;
		nd_puts(nd, sep);
		if (width > 32) {
			nd_printf(nd, "[ERROR: Mask width (%u) > 32]", width);
			return 0;
		}
		if (len < sig + 4) {
			nd_printf(nd, "[ERROR: Remaining length (%u) < %u bytes]",
				  len, sig + 4);
			return 0;
		}
		nd_copy(nd, net, p, sig);
		nd_tcheck(nd, p + sig, 4);
		/* The prefix is shown as numbers: it names a network, not a
		 * host to look up. */
		if (width == 0)
			nd_puts(nd, "(default");
		else
			nd_printf(nd, "(%u.%u.%u.%u/%u", net[0], net[1], net[2],
				  net[3], width);
		nd_printf(nd, ":%s)", nd_ipaddr_string(nd, p + sig));
		p += sig + 4;
		len -= sig + 4;
	}
	return 0;
}

static unsigned option_value(struct nd_ctx *nd, const struct bootp_opt *o,
			     const uint8_t *p, unsigned len)
{
	enum bootp_kind kind = o ? o->kind : BOOTP_UNKNOWN;
	char buf[32];

	switch (kind) {
	case BOOTP_MSGTYPE:
		if (len != 1)
			return values_bytes(nd, p, len);
		nd_puts(nd, nd_tok2str(dhcp_msg_types, "Unknown (%u)",
				       nd_u8(nd, p), buf, sizeof(buf)));
		return 0;
	case BOOTP_PARAMS: return value_params(nd, p, len);
	case BOOTP_CLIENT_ID: return value_client_id(nd, p, len);
	case BOOTP_NETBIOS_NODE: return value_one_of(nd, p, len, netbios_nodes);
	case BOOTP_OVERLOAD: return value_one_of(nd, p, len, overload_values);
	case BOOTP_USER_CLASS: return value_user_class(nd, p, len);
	case BOOTP_FQDN: return value_fqdn(nd, p, len);
	case BOOTP_AGENT: return value_agent(nd, p, len);
	case BOOTP_ROUTES: return value_routes(nd, p, len);
	case BOOTP_IP: return values_ip(nd, p, len);
	case BOOTP_IPPAIR: return values_ippair(nd, p, len);
	case BOOTP_U32: return values_u32(nd, p, len, 0);
	case BOOTP_S32: return values_u32(nd, p, len, 1);
	case BOOTP_U16: return values_u16(nd, p, len);
	case BOOTP_BYTES: return values_bytes(nd, p, len);
	case BOOTP_BOOL: return values_bool(nd, p, len);
	case BOOTP_STR:
		quoted(nd, p, len);
		return 0;
	case BOOTP_UNKNOWN:
	default:
		if (len % 4 == 0)
			return values_u32(nd, p, len, 0);
		if (len % 2 == 0)
			return values_u16(nd, p, len);
		return values_bytes(nd, p, len);
	}
}

/* The options after the RFC 1048 magic cookie, up to End. */
static void rfc1048_print(struct nd_ctx *nd, const uint8_t *p)
{
	while (nd_ttest(nd, p, 1)) {
		const struct bootp_opt *o;
		uint8_t tag = *p++, len;
		unsigned left;

		if (tag == TAG_PAD) {
			unsigned n = 1;

			while (nd_ttest(nd, p, 1) && *p == TAG_PAD) {
				p++;
				n++;
			}
			if (nd->vflag > 2) {
				nd_puts(nd, "\n\t    PAD (0), length 0");
				if (n > 1)
					nd_printf(nd, ", occurs %u", n);
			}
			continue;
		}
		if (tag == TAG_END) {
			if (nd->vflag < 3)
				return;
			nd_puts(nd, "\n\t    END (255), length 0");
			continue;
		}
		len = nd_u8(nd, p++);
		o = bootp_opt_find(tag);
		nd_printf(nd, "\n\t    %s (%u), length %u", o ? o->name : "Unknown",
			  tag, len);
		if (len > 0)
			nd_puts(nd, ": ");
		/* An option cut by the capture is reported in place. */
		if (!nd_ttest(nd, p, len)) {
			nd_trunc_here(nd);
			return;
		}
		left = option_value(nd, o, p, len);
		if (left)
			nd_printf(nd, "\n\t  trailing data length %u", left);
		p += len;
	}
}

/*
 * A NUL-terminated field of at most n bytes, quoted.  Without its NUL
 * (or cut by the capture) tcpdump shows what there is and marks the
 * packet truncated in place; returns -1 then.
 */
static int bootp_zstring(struct nd_ctx *nd, const char *label,
			 const uint8_t *p, unsigned n)
{
	size_t avail = nd_avail(nd, p), i;

	nd_printf(nd, "\n\t  %s \"", label);
	for (i = 0; i < n && i < avail && p[i] != 0; i++)
		;
	nd_print_escaped(nd, p, i);
	nd_puts(nd, "\"");
	if (i == n || i == avail) {
		nd_trunc_here(nd);
		return -1;
	}
	return 0;
}

/*
 * The CMU vendor area (RFC 951 era): magic, flags, then addresses.
 *  magic (4) | flags (4) | subnet mask | gateway | 2 DNS | 2 IEN-116 |
 *  2 time servers (4 each) | unused (24)
 * Only the addresses that are set are shown.
 */
static int cmu_addr(struct nd_ctx *nd, const char *label, const uint8_t *p,
		    const char *star)
{
	if (!nd_ttest(nd, p, 4))
		return -1;
	if (nd_be32(nd, p) != 0)
		nd_printf(nd, " %s%s:%s", label, star, nd_ipaddr_string(nd, p));
	return 0;
}

/* tcpdump reports a cut CMU area in place. */
static void cmu_print(struct nd_ctx *nd, const uint8_t *v)
{
	static const char *const servers[] = {
		"NS1", "NS2", "IEN1", "IEN2", "TS1", "TS2",
	};
	uint8_t flag0;
	unsigned i;

	nd_puts(nd, " vend-cmu");
	/* tcpdump reads the first flags byte: bit 0 marks a valid mask,
	 * others are shown in hex. */
	if (!nd_ttest(nd, v + 4, 4))
		goto trunc;
	flag0 = v[4];
	if (flag0 & ~1u)
		nd_printf(nd, " F:0x%x", flag0);
	if (cmu_addr(nd, "DG", v + 12, "") < 0 ||
	    cmu_addr(nd, "SM", v + 8, flag0 & 1 ? "" : "*") < 0)
		goto trunc;
	for (i = 0; i < sizeof(servers) / sizeof(servers[0]); i++)
		if (cmu_addr(nd, servers[i], v + 16 + 4 * i, "") < 0)
			goto trunc;
	return;
trunc:
	nd_trunc_here(nd);
}

static const struct nd_tok bootp_flags[] = {
	{ BOOTP_FLAG_BROADCAST, "Broadcast" }, { 0, NULL },
};

static void bootp_addr(struct nd_ctx *nd, const char *label, const uint8_t *p)
{
	nd_tcheck(nd, p, 4);
	if (nd_be32(nd, p) != 0)
		nd_printf(nd, "\n\t  %s %s", label, nd_ipaddr_string(nd, p));
}

static void bootp_details(struct nd_ctx *nd, const uint8_t *p, uint8_t htype,
			  uint8_t hlen)
{
	uint16_t flags;
	uint32_t cookie;
	char buf[32];

	/* tcpdump shows the details once the fields up to secs are in, and
	 * reports their absence in place. */
	if (!nd_ttest(nd, p + 8, 2)) {
		nd_trunc_here(nd);
		return;
	}
	if (htype != 1)
		nd_printf(nd, ", htype %u", htype);
	if (htype != 1 || hlen != 6)
		nd_printf(nd, ", hlen %u", hlen);
	if (nd_u8(nd, p + 3))
		nd_printf(nd, ", hops %u", p[3]);
	nd_printf(nd, ", xid 0x%x", nd_be32(nd, p + 4));
	if (nd_be16(nd, p + 8))
		nd_printf(nd, ", secs %u", nd_be16(nd, p + 8));
	flags = nd_be16(nd, p + 10);
	nd_printf(nd, ", Flags [%s]",
		  nd_bits2str(bootp_flags, flags, ", ", buf, sizeof(buf)));
	if (nd->vflag > 1)
		nd_printf(nd, " (0x%04x)", flags);
	bootp_addr(nd, "Client-IP", p + 12);
	bootp_addr(nd, "Your-IP", p + 16);
	bootp_addr(nd, "Server-IP", p + 20);
	bootp_addr(nd, "Gateway-IP", p + 24);
	if (htype == 1 && hlen == 6)
		nd_printf(nd, "\n\t  Client-Ethernet-Address %s",
			  nd_etheraddr_string(nd, p + BOOTP_OFF_CHADDR));
	if (nd_u8(nd, p + BOOTP_OFF_SNAME) &&
	    bootp_zstring(nd, "sname", p + BOOTP_OFF_SNAME,
			  BOOTP_SNAME_LEN) < 0)
		return;
	if (nd_u8(nd, p + BOOTP_OFF_FILE) &&
	    bootp_zstring(nd, "file", p + BOOTP_OFF_FILE, BOOTP_FILE_LEN) < 0)
		return;
	/* A missing cookie is reported in place too. */
	if (!nd_ttest(nd, p + BOOTP_OFF_VEND, 4)) {
		nd_trunc_here(nd);
		return;
	}
	cookie = nd_be32(nd, p + BOOTP_OFF_VEND);
	if (cookie == BOOTP_MAGIC_RFC1048) {
		nd_puts(nd, "\n\t  Vendor-rfc1048 Extensions");
		nd_printf(nd, "\n\t    Magic Cookie 0x%08x", cookie);
		rfc1048_print(nd, p + BOOTP_OFF_VEND + 4);
	} else if (cookie == BOOTP_MAGIC_CMU) {
		cmu_print(nd, p + BOOTP_OFF_VEND);
	} else if (cookie != 0) {
		nd_printf(nd, "\n\t  Vendor-#0x%x", cookie);
	}
}

static const struct nd_tok bootp_ops[] = {
	{ BOOTP_REQUEST, "Request" }, { BOOTP_REPLY, "Reply" }, { 0, NULL },
};

void nd_bootp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	uint8_t op, htype, hlen;
	char buf[32];

	nd->protocol = "bootp";
	op = nd_u8(nd, p);
	nd_printf(nd, "BOOTP/DHCP, %s",
		  nd_tok2str(bootp_ops, "unknown (0x%02x)", op, buf,
			     sizeof(buf)));
	htype = nd_u8(nd, p + 1);
	hlen = nd_u8(nd, p + 2);
	if (op == BOOTP_REQUEST && htype == 1 && hlen == 6)
		nd_printf(nd, " from %s",
			  nd_etheraddr_string(nd, p + BOOTP_OFF_CHADDR));
	nd_printf(nd, ", length %u", len);
	if (nd->vflag)
		bootp_details(nd, p, htype, hlen);
}
