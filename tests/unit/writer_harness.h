/* SPDX-License-Identifier: BSD-2-Clause */
/* What the "pcapng" printer's suites share: the printer run against a fake
 * host into a scratch directory, deterministic packets, and reading back
 * what it wrote (with libpcap, or block by block for pcapng). */
#ifndef PTD_TEST_WRITER_HARNESS_H
#define PTD_TEST_WRITER_HARNESS_H

#include <limits.h>
#include <stdint.h>

#include "fake_host.h"

extern const struct ptd_printer_plugin ptcpdump_plugin;

/* eth0 (id 1) and eth1 (id 7): DLT_EN10MB; tun0 (id 2): DLT_RAW */
extern const struct ptd_iface if_eth0, if_eth1, if_tun0;

#define MAXPKT 64

/* A deterministic packet: sizes that are not multiples of 4, some cut by
 * the snapshot length, time stamps with every nanosecond digit in use. */
void make_pkt(struct ptd_packet *p, int i, const struct ptd_iface *ifc,
	      uint32_t caplen);

struct run {
	struct fake_host fh;
	void *st;
	char err[PTD_ERRBUF_SIZE];
	char dir[64];
	char path[PATH_MAX];
};

/* The teardown: removes the scratch directories of the test. */
void remove_scratch(void);
/* A fake host and a scratch directory; -w is file in it (an absolute path
 * or "-" as they are). */
void run_setup(struct run *r, const char *file);
/* init and start the printer */
void run_start(struct run *r);
int run_print(struct run *r, const struct ptd_packet *p,
	      const struct ptd_meta *m);
/* flush, stop and fini */
void run_end(struct run *r);

/* Entries of dir, dot files aside. */
int count_files(const char *dir);
int file_exists(const char *path);
long file_size(const char *path);
/* Reads path with libpcap and compares every record with pkts[]. */
void expect_pcap(const char *path, int nano, const struct ptd_packet *pkts,
		 int n);
uint32_t read_u32_at(const char *path, long off);

/* pcapng walker: checks the framing of every block and collects facts. */
struct ng_summary {
	int shbs, idbs, epbs;
	uint32_t idb_linktype[8];
	char idb_name[8][32];
	uint8_t idb_tsresol[8];
	uint32_t epb_iface[MAXPKT];
	uint32_t epb_flags[MAXPKT];
	uint64_t epb_ts[MAXPKT];
	char epb_comment[MAXPKT][512];
	int epb_ncomments[MAXPKT];
	char userappl[64];
};


void walk_pcapng(const char *path, struct ng_summary *s);

#endif
