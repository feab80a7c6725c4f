/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The text printer's dissection context, in the manner of tcpdump's
 * netdissect: one struct carries the settings of the run, the bounds of the
 * packet being printed, the output sink and the state kept across packets.
 *
 * Dissectors never touch packet bytes directly: they go through the nd_*
 * getters below, which check the bytes lie before the snap end.  A getter
 * that runs past it jumps back to nd_print_packet(), the one place that
 * prints tcpdump's "[|proto]" marker for the packet.  Where tcpdump
 * reports a cut message in place instead, nd_trunc_here() does the same
 * (it matters for -x: see nd_print_packet()).
 *
 * Adding a protocol: write print-<proto>.c with a diagram of its header,
 * declare its entry point below, and list it in the dispatch table of the
 * layer it rides on: ethertype_printers (print-ether.c), ip_proto_printers
 * (print-ip.c), tcp_port_printers (print-tcp.c) or udp_port_printers
 * (print-udp.c).
 */
#ifndef PTD_TEXT_NETDISSECT_H
#define PTD_TEXT_NETDISSECT_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include <ptcpdump/plugin.h>

struct nd_names;
struct nd_tcp_seq;

typedef void (*nd_sink_fn)(void *arg, const char *s, size_t len);

/*
 * A growable, NUL-terminated text buffer.  As a sink (nd_buf_sink with the
 * buffer as its argument) it lets nd_printf() format in place.
 */
struct nd_buf {
	char *data;
	size_t len, cap;
	int oom;        /* an allocation failed: appends are dropped */
};

/* Room for n more bytes and the NUL: 0, or -1 (oom set). */
int nd_buf_reserve(struct nd_buf *b, size_t n);
void nd_buf_append(struct nd_buf *b, const char *s, size_t n);
void nd_buf_sink(void *arg, const char *s, size_t len);

struct nd_ctx {
	/* Settings of the run (tcpdump's flag letters). */
	int vflag;
	int nflag;
	int qflag;
	int eflag;
	int Sflag;
	int Kflag;
	/* -x/-X/-A dump the bytes anyway: no default hex dump of payloads. */
	int suppress_default_print;

	/* The packet being printed. */
	const uint8_t *packetp;
	const uint8_t *snapend;
	const char *protocol;     /* named in the truncation marker */
	const char *trunc_suffix; /* printed after the marker ("" or ">") */
	jmp_buf early_end;

	/* Output. */
	nd_sink_fn sink;
	void *sink_arg;
	nd_sink_fn packet_sink;    /* the sink at packet start, for [|proto] */
	void *packet_sink_arg;

	/* State kept across packets. */
	struct nd_names *names;
	struct nd_tcp_seq *tcp_seq;
};

/* ------------------------------------------------------------------ */
/* Output                                                              */

void nd_printf(struct nd_ctx *nd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void nd_puts(struct nd_ctx *nd, const char *s);
/* Bytes as tcpdump's default payload dump: "\n\t0x0000:  hex  ascii". */
void nd_hex_ascii_dump(struct nd_ctx *nd, const uint8_t *p, size_t len);
/* Bytes as hex only, the same layout without the ASCII column. */
void nd_hex_dump(struct nd_ctx *nd, const uint8_t *p, size_t len);
/* The same with another line prefix than "\n\t". */
void nd_hex_dump_prefix(struct nd_ctx *nd, const char *prefix,
			const uint8_t *p, size_t len);
/*
 * One line of a text protocol starting at idx, after prefix, when it is
 * printable and ends in LF or CRLF.  Returns the index past the line end,
 * or 0 when the line is binary or unterminated (then shown as truncated).
 */
size_t nd_text_line(struct nd_ctx *nd, const char *prefix, const uint8_t *p,
		    size_t idx, size_t len);
/* Lines of text, as tcpdump prints text protocols under -v. */
void nd_print_text_lines(struct nd_ctx *nd, const uint8_t *p, size_t len);

/*
 * Output held back until a printer knows all its fields were captured:
 * tcpdump prints some messages (ICMP) whole or not at all.  A truncation
 * in between drops the held text and prints only the marker.
 */
struct nd_hold {
	char buf[1024];
	size_t len;
	nd_sink_fn sink;
	void *sink_arg;
};

void nd_hold_begin(struct nd_ctx *nd, struct nd_hold *h);
/* Restores the sink; the held text is h->buf (NUL-terminated). */
void nd_hold_end(struct nd_ctx *nd, struct nd_hold *h);

/* ------------------------------------------------------------------ */
/* Bounds-checked access                                               */

__attribute__((noreturn)) void nd_trunc(struct nd_ctx *nd);
/*
 * The same marker printed in place, for the checks tcpdump reports
 * without leaving the packet early; the caller returns.  The difference
 * shows in -x dumps: only a jump discards the link-layer header length.
 */
void nd_trunc_here(struct nd_ctx *nd);

static inline int nd_ttest(const struct nd_ctx *nd, const uint8_t *p,
			   size_t len)
{
	return p >= nd->packetp && p <= nd->snapend &&
	       len <= (size_t)(nd->snapend - p);
}

static inline void nd_tcheck(struct nd_ctx *nd, const uint8_t *p, size_t len)
{
	if (!nd_ttest(nd, p, len))
		nd_trunc(nd);
}

static inline uint8_t nd_u8(struct nd_ctx *nd, const uint8_t *p)
{
	nd_tcheck(nd, p, 1);
	return p[0];
}

static inline uint16_t nd_be16(struct nd_ctx *nd, const uint8_t *p)
{
	nd_tcheck(nd, p, 2);
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t nd_be24(struct nd_ctx *nd, const uint8_t *p)
{
	nd_tcheck(nd, p, 3);
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t nd_be32(struct nd_ctx *nd, const uint8_t *p)
{
	nd_tcheck(nd, p, 4);
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline uint32_t nd_le32(struct nd_ctx *nd, const uint8_t *p)
{
	nd_tcheck(nd, p, 4);
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

/* Copies len checked bytes out of the packet. */
void nd_copy(struct nd_ctx *nd, void *dst, const uint8_t *p, size_t len);

/* Bytes captured from p to the snap end (0 if p is past it). */
static inline size_t nd_avail(const struct nd_ctx *nd, const uint8_t *p)
{
	if (p < nd->packetp || p >= nd->snapend)
		return 0;
	return (size_t)(nd->snapend - p);
}

/* ------------------------------------------------------------------ */
/* Tables                                                              */

struct nd_tok {
	uint32_t v;
	const char *s;
};

/* The name of v, or fmt (with a %u for v) formatted into buf. */
const char *nd_tok2str(const struct nd_tok *t, const char *fmt, uint32_t v,
		       char *buf, size_t size);
const char *nd_tok_find(const struct nd_tok *t, uint32_t v);
/* Names of the set bits of v, joined by sep; "none" if no bit is set. */
const char *nd_bits2str(const struct nd_tok *t, uint32_t v, const char *sep,
			char *buf, size_t size);

const char *nd_ethertype_name(uint16_t type);   /* NULL if unknown */
const char *nd_ipproto_name(uint8_t proto);     /* "-v" names, NULL */
const char *nd_ipproto_keyword(uint8_t proto);  /* IANA keyword, NULL */
const char *nd_oui_name(uint32_t oui);          /* NULL if unknown */

/* ------------------------------------------------------------------ */
/* Names (addrtoname.c)                                                */

int nd_names_new(struct nd_names **out);
void nd_names_free(struct nd_names *names);
/* Returned strings stay valid until nd_names_free(). */
const char *nd_ipaddr_string(struct nd_ctx *nd, const uint8_t *p);
const char *nd_ip6addr_string(struct nd_ctx *nd, const uint8_t *p);
const char *nd_etheraddr_string(struct nd_ctx *nd, const uint8_t *p);
/* Any link-layer address: MAC-48 names, other lengths as hex bytes. */
const char *nd_linkaddr_string(struct nd_ctx *nd, const uint8_t *p,
			       unsigned len);
const char *nd_tcpport_string(struct nd_ctx *nd, uint16_t port);
const char *nd_udpport_string(struct nd_ctx *nd, uint16_t port);
/* Interface name of an ifindex, or NULL. */
const char *nd_ifindex_name(struct nd_ctx *nd, uint32_t ifindex);

/* ------------------------------------------------------------------ */
/* Checksums                                                           */

uint32_t nd_sum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t nd_sum_fold(uint32_t sum);
uint16_t nd_cksum_shouldbe(uint16_t stored, uint32_t sum_with_stored);

/* Verifies the checksum at cksum_off of a captured transport segment
 * (with the pseudo header when ip is not NULL).  Returns 1 when it is
 * correct; *should gets the value it ought to have. */
struct nd_ip_info;
int nd_l4_cksum_check(const struct nd_ip_info *ipi, uint8_t proto,
		      const uint8_t *seg, size_t len, size_t cksum_off,
		      uint16_t *should);

/* ------------------------------------------------------------------ */
/* Dissectors                                                          */

/* Prints one packet; returns the link-layer header length consumed. */
unsigned nd_print_packet(struct nd_ctx *nd, int linktype,
			 const uint8_t *p, uint32_t caplen, uint32_t len);
/* Link types the text printer knows. */
int nd_linktype_known(int linktype);

unsigned nd_ether_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
			unsigned len);
unsigned nd_sll_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		      unsigned len);
unsigned nd_sll2_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		       unsigned len);
unsigned nd_null_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		       unsigned len);
unsigned nd_loop_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		       unsigned len);
unsigned nd_raw_print(struct nd_ctx *nd, const uint8_t *p, unsigned caplen,
		      unsigned len);

/*
 * Network layer by ethertype.  Returns 1 when a dissector printed the
 * payload, 0 when the ethertype is unknown (nothing printed).
 */
int nd_ethertype_print(struct nd_ctx *nd, uint16_t type, const uint8_t *p,
		       unsigned len, unsigned caplen);

void nd_arp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
/* LLC of len bytes (caplen captured) in the 802.3 frame eth, which gives
 * the addresses.  Returns the LLC (and SNAP) header length; *dump says
 * the caller should dump the bytes from p, as for undecoded payloads. */
unsigned nd_llc_print(struct nd_ctx *nd, const uint8_t *eth,
		      const uint8_t *p, unsigned len, unsigned caplen,
		      int *dump);
void nd_stp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_lldp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_ip_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_ip6_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);

/* What a transport printer needs from the IP header around it. */
struct nd_ip_info {
	const uint8_t *ip;   /* the IPv4 or IPv6 header */
	int v6;
	int fragmented;      /* first fragment of several: no checksums */
	int after_ext;       /* extension headers (or AH) came before */
	/* IPv6 destination for the checksum pseudo header: the header's, or
	 * the final one a routing header names.  NULL means the header's. */
	const uint8_t *final_dst;
};

/* Transport by IP protocol number; prints the tcpdump fallback for
 * protocols without a dissector. */
void nd_ip_demux(struct nd_ctx *nd, uint8_t proto, const uint8_t *p,
		 unsigned len, const struct nd_ip_info *ipi);

/* IPv6 routing header and AH: return the header length, 0 to stop. */
unsigned nd_rt6_print(struct nd_ctx *nd, const uint8_t *p, unsigned left,
		      struct nd_ip_info *ipi);
unsigned nd_ah_print(struct nd_ctx *nd, const uint8_t *p, unsigned left);
void nd_ah4_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi);

void nd_tcp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi);
void nd_udp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi);
void nd_icmp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		   const struct nd_ip_info *ipi);
void nd_icmp6_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		    const struct nd_ip_info *ipi);
void nd_gre_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi);
void nd_esp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi);
void nd_igmp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		   const struct nd_ip_info *ipi);
/* MLD messages inside ICMPv6, after the type's name. */
void nd_mld_print(struct nd_ctx *nd, uint8_t type, const uint8_t *p,
		  unsigned len);
/* IGMPv3/MLDv2 group record types, and a query's or record's sources. */
extern const struct nd_tok nd_mcast_record_names[];
void nd_mcast_sources_print(struct nd_ctx *nd, const uint8_t *p,
			    unsigned nsrcs, int v6, int query);
void nd_mcast_records_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
			    int v6);

/* Application protocols carried over TCP, by port. */
void nd_http_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_ssh_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_domain_tcp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
/* DNS and multicast DNS over UDP, by port. */
void nd_domain_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_mdns_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);

/* The MPTCP option o (kind and length included) of a segment with the
 * given TCP flags; returns 0 when the option is malformed. */
int nd_mptcp_print(struct nd_ctx *nd, const uint8_t *o, unsigned len,
		   uint8_t th_flags);

/* Applications over UDP, by port; VXLAN and Geneve print the frame inside. */
void nd_bootp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_ntp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_vxlan_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_geneve_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
void nd_ether_inner_print(struct nd_ctx *nd, const uint8_t *p, unsigned len);
/* Checked bytes as tcpdump prints untrusted text: "M-" high bit, "^X". */
void nd_print_escaped(struct nd_ctx *nd, const uint8_t *p, size_t len);
/* One byte the same way (the caller checked it). */
void nd_print_escaped_char(struct nd_ctx *nd, uint8_t c);
/* A span of seconds as tcpdump writes it: "1d2h3m4s", "0s" for none. */
void nd_print_span(struct nd_ctx *nd, uint32_t secs);

int nd_tcp_seq_new(struct nd_tcp_seq **out);
void nd_tcp_seq_free(struct nd_tcp_seq *t);

/* Prints "src > dst" for a transport without ports, as "a > b". */
void nd_ip_addrs_print(struct nd_ctx *nd, const struct nd_ip_info *ipi);

#endif /* PTD_TEXT_NETDISSECT_H */
