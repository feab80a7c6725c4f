/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * -x/-xx/-X/-XX/-A/-AA dumps, printed after the packet's text line as
 * tcpdump does, without the plugin wrapper (tests use it directly).
 */
#ifndef PTD_HEX_PRINTER_H
#define PTD_HEX_PRINTER_H

#include <stdint.h>
#include <stdio.h>

#include <ptcpdump/plugin.h>

struct hex_printer;

int hex_printer_new(const struct ptd_host *host, FILE *out,
		    struct hex_printer **hp);
int hex_printer_print(struct hex_printer *hp, const struct ptd_packet *pkt,
		      const struct ptd_meta *meta);
int hex_printer_flush(struct hex_printer *hp);
void hex_printer_free(struct hex_printer *hp);

/* Bytes of link-layer header tcpdump skips for single -x/-X/-A. */
unsigned hex_link_header_len(struct hex_printer *hp, int linktype,
			     const uint8_t *p, uint32_t caplen, uint32_t len);

#endif
