// SPDX-License-Identifier: BSD-2-Clause
/*
 * HTTP/1.x (RFC 9112) as a text protocol: the first line when it is a
 * request (a known method) or a response (a 3-digit status as the second
 * token), and every line under -v.
 */
#include "netdissect.h"

#include <string.h>
#include <strings.h>

/* RFC 9110 methods plus the WebDAV / versioning extensions. */
static const char *const http_methods[] = {
	"GET", "PUT", "COPY", "HEAD", "LOCK", "MOVE", "POLL", "POST",
	"BCOPY", "BMOVE", "MKCOL", "TRACE", "LABEL", "MERGE", "DELETE",
	"SEARCH", "UNLOCK", "REPORT", "UPDATE", "NOTIFY", "BDELETE",
	"CONNECT", "OPTIONS", "CHECKIN", "PROPFIND", "CHECKOUT", "CCM_POST",
	"SUBSCRIBE", "PROPPATCH", "BPROPFIND", "BPROPPATCH", "UNCHECKOUT",
	"MKACTIVITY", "MKWORKSPACE", "UNSUBSCRIBE", "RPC_CONNECT",
	"VERSION-CONTROL", "BASELINE-CONTROL", NULL,
};

#define TOKEN_MAX 128

/*
 * The token at idx up to a space or line end, and the blanks after it.
 * Returns the index after them, or 0 when the token does not end in the
 * captured data or holds unprintable bytes.  The end of the payload
 * (whole) ends a token too; the end of the capture does not.
 */
static size_t fetch_token(struct nd_ctx *nd, const uint8_t *p, size_t idx,
			  size_t len, int whole, char *tok)
{
	size_t n = 0;
	uint8_t c;

	for (; idx < len; idx++) {
		c = nd_u8(nd, p + idx);
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			break;
		if (c < 0x20 || c > 0x7e)
			return 0;
		if (n + 1 < TOKEN_MAX)
			tok[n++] = (char)c;
	}
	if (idx >= len && !(whole && n > 0))
		return 0;
	tok[n] = '\0';
	for (; idx < len; idx++) {
		c = nd_u8(nd, p + idx);
		if (c != ' ' && c != '\t')
			break;
	}
	return idx;
}

static int is_request_or_response(struct nd_ctx *nd, const uint8_t *p,
				  size_t len, int whole)
{
	char tok[TOKEN_MAX];
	size_t idx;
	int i;

	idx = fetch_token(nd, p, 0, len, whole, tok);
	if (idx == 0)
		return 0;
	for (i = 0; http_methods[i]; i++)
		if (strcasecmp(tok, http_methods[i]) == 0)
			return 1;
	idx = fetch_token(nd, p, idx, len, whole, tok);
	if (idx == 0)
		return 0;
	return tok[0] >= '0' && tok[0] <= '9' && tok[1] >= '0' &&
	       tok[1] <= '9' && tok[2] >= '0' && tok[2] <= '9' &&
	       tok[3] == '\0';
}

/*
 * Lines are scanned up to the payload length, not the capture: a line cut
 * by the snap length ends the packet with the truncation marker alone.
 */
void nd_http_print(struct nd_ctx *nd, const uint8_t *p, unsigned len)
{
	size_t caplen = nd_avail(nd, p);

	nd->protocol = "http";
	nd_puts(nd, ": HTTP");
	/* The first token must end within the captured bytes. */
	if (!is_request_or_response(nd, p, caplen < len ? caplen : len,
				    caplen >= len))
		return;
	if (nd->vflag) {
		nd_printf(nd, ", length: %u", len);
		nd_print_text_lines(nd, p, len);
	} else {
		nd_text_line(nd, ": ", p, 0, len);
	}
}
