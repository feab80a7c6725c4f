/* pcap-filter expressions applied in user space (replayed files, and live
 * backends that could not filter in the kernel), compiled once per link
 * type with libpcap. */
#ifndef PTD_CORE_FILTER_H
#define PTD_CORE_FILTER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <ptcpdump/packet.h>

struct ptd_ufilter;

/* expression NULL or "": every packet matches. */
struct ptd_ufilter *ptd_ufilter_new(const char *expression, int optimize);
void ptd_ufilter_free(struct ptd_ufilter *f);
/* Compiles for linktype now (start-up validation, -d).  0 or -EINVAL with
 * libpcap's message in err, e.g. "can't parse filter expression: syntax error". */
int ptd_ufilter_prepare(struct ptd_ufilter *f, int linktype, uint32_t snaplen,
			char *err, size_t errlen);
/* 1 match, 0 no match, -EINVAL when it cannot compile for the packet's link
 * type (err set). */
int ptd_ufilter_match(struct ptd_ufilter *f, const struct ptd_packet *pkt,
		      char *err, size_t errlen);
/* -d, -dd, -ddd: prints the program compiled for linktype like tcpdump. */
int ptd_ufilter_dump(struct ptd_ufilter *f, int linktype, uint32_t snaplen,
		     int level, FILE *out, char *err, size_t errlen);

#endif
