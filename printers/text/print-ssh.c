// SPDX-License-Identifier: BSD-2-Clause
/*
 * SSH (RFC 4253 section 4.2): only the identification line a side sends
 * first, "SSH-protoversion-softwareversion" ended by CR LF (or LF).  The
 * rest of the connection is encrypted and shows as a length.
 */
#include "netdissect.h"

void nd_ssh_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	static const char magic[] = "SSH-";
	unsigned idx;

	nd->protocol = "ssh";
	/* The magic is read up to the end of the datagram even when the
	 * segment is shorter: a segment that stops inside it is cut. */
	for (idx = 0; idx < 4; idx++)
		if (nd_u8(nd, p + idx) != (uint8_t)magic[idx])
			return;
	/* A printable line within this segment, or nothing is shown. */
	for (; idx < len; idx++) {
		uint8_t c = nd_u8(nd, p + idx);

		if (c == '\n')
			break;
		if (c == '\r') {
			if (idx + 1 >= len || nd_u8(nd, p + idx + 1) != '\n')
				return;
			break;
		}
		if (c < 0x20 || c > 0x7e)
			return;
	}
	if (idx >= len)
		return;
	nd_printf(nd, ": SSH: %.*s", (int)idx, (const char *)p);
}
