// SPDX-License-Identifier: BSD-2-Clause
/*
 * IP Encapsulating Security Payload (RFC 4303).  Without the keys only
 * the clear header can be shown.
 *
 *  0                   1                   2                   3
 *  +---------------------------------------------------------------+
 *  |               Security Parameters Index (SPI)                 |
 *  +---------------------------------------------------------------+
 *  |                      Sequence Number                          |
 *  +---------------------------------------------------------------+
 *  |            Payload, padding, ICV (encrypted)  ...             |
 */
#include "netdissect.h"

void nd_esp_print(struct nd_ctx *nd, const uint8_t *p, unsigned len,
		  const struct nd_ip_info *ipi)
{
	uint32_t spi, seq;

	(void)ipi;
	nd->protocol = "esp";
	/* tcpdump wants a byte past the header before showing it, and
	 * reports a cut one in place. */
	if (!nd_ttest(nd, p, 9)) {
		nd_trunc_here(nd);
		return;
	}
	spi = nd_be32(nd, p);
	seq = nd_be32(nd, p + 4);
	nd_printf(nd, "ESP(spi=0x%08x,seq=0x%x), length %u", spi, seq, len);
}
