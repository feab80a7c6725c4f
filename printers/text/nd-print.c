// SPDX-License-Identifier: BSD-2-Clause
/*
 * One packet, from its link-layer header down: the dispatch by link type
 * and the single place where a truncated packet gets its "[|proto]".
 */
#include "netdissect.h"

#include <pcap/dlt.h>

typedef unsigned (*nd_link_printer)(struct nd_ctx *nd, const uint8_t *p,
				    unsigned caplen, unsigned len);

static const struct {
	int linktype;
	nd_link_printer print;
} link_printers[] = {
	{ DLT_EN10MB, nd_ether_print },
	{ DLT_LINUX_SLL, nd_sll_print },
	{ DLT_LINUX_SLL2, nd_sll2_print },
	{ DLT_NULL, nd_null_print },
	{ DLT_LOOP, nd_loop_print },
	{ DLT_RAW, nd_raw_print },
	{ 101 /* LINKTYPE_RAW, as pcap files store DLT_RAW */, nd_raw_print },
	{ DLT_IPV4, nd_raw_print },
	{ DLT_IPV6, nd_raw_print },
};

static nd_link_printer find_printer(int linktype)
{
	size_t i;

	for (i = 0; i < sizeof(link_printers) / sizeof(link_printers[0]); i++)
		if (link_printers[i].linktype == linktype)
			return link_printers[i].print;
	return NULL;
}

int nd_linktype_known(int linktype)
{
	return find_printer(linktype) != NULL;
}

/*
 * The value returned is the link-layer header length a single -x/-X/-A
 * dump skips: what the link printer consumed when it returned, none when
 * a dissector jumped out at the snap end -- what tcpdump skips in the
 * same cases.
 */
unsigned nd_print_packet(struct nd_ctx *nd, int linktype, const uint8_t *p,
			 uint32_t caplen, uint32_t len)
{
	nd_link_printer print = find_printer(linktype);
	unsigned hdrlen = 0;

	nd->packetp = p;
	nd->snapend = p + caplen;
	nd->protocol = "";
	nd->trunc_suffix = "";
	nd->packet_sink = nd->sink;
	nd->packet_sink_arg = nd->sink_arg;
	if (!print) {
		nd_printf(nd, "unsupported link type %d, length %u", linktype,
			  len);
		return 0;
	}
	/* The dissectors jump back here when they run past the snap end. */
	if (setjmp(nd->early_end) == 0)
		hdrlen = print(nd, p, caplen, len);
	else {
		/* Held-back output of the truncated layer is dropped. */
		nd->sink = nd->packet_sink;
		nd->sink_arg = nd->packet_sink_arg;
		nd_printf(nd, " [|%s]%s", nd->protocol, nd->trunc_suffix);
		hdrlen = 0;
	}
	return hdrlen;
}
