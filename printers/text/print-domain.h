/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the two halves of the DNS printer share: print-domain.c walks the
 * message (header, sections, names), print-domain-rr.c prints one
 * resource record and its data.
 *
 * Positions are returned as pointers; NULL means the printer must stop
 * and the message shows the truncation marker in place, as tcpdump does.
 */
#ifndef PTD_TEXT_PRINT_DOMAIN_H
#define PTD_TEXT_PRINT_DOMAIN_H

#include "netdissect.h"

#define DNS_T_OPT 41
#define DNS_C_IN 1

/* The top two bits of a label's length byte (RFC 1035 4.1.4, RFC 6891). */
#define DNS_LABEL_KIND 0xc0
#define DNS_LABEL_PTR 0xc0
#define DNS_LABEL_EXT 0x40
#define DNS_LABEL_RESERVED 0x80
#define DNS_EXT_BITSTRING 0x01 /* RFC 2673 binary labels */

/*
 * Prints the name at p; base is the message start that compression
 * pointers count from.  Returns the position after the name where it is
 * stored, NULL when it cannot be printed whole.
 */
const uint8_t *dns_name_print(struct nd_ctx *nd, const uint8_t *p,
			      const uint8_t *base);
/* The position after the name at p without printing it, or NULL. */
const uint8_t *dns_name_skip(struct nd_ctx *nd, const uint8_t *p);

/*
 * Prints the resource record at p (name shown from -v on).  Returns the
 * position after it, NULL to stop with the marker, or nd->snapend when
 * the record's fixed fields were not captured (tcpdump then goes on
 * quietly).
 */
const uint8_t *dns_rr_print(struct nd_ctx *nd, const uint8_t *p,
			    const uint8_t *base, int mdns);

/* "A", "AAAA", ... or "Type<n>". */
const char *dns_type_name(unsigned type, char *buf, size_t size);
/* "CHAOS", "HS", "ANY" or "(Class <n>)". */
const char *dns_class_name(unsigned cls, char *buf, size_t size);

/* Label and character-string bytes: "M-" for the high bit, "^" for
 * control characters. */
void dns_chars_print(struct nd_ctx *nd, const uint8_t *p, size_t n);

#endif /* PTD_TEXT_PRINT_DOMAIN_H */
