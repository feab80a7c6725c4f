// SPDX-License-Identifier: BSD-2-Clause
/*
 * libFuzzer harness for the text and hex printers.
 *
 * Input layout:
 *   byte 0   bits 0-3  link type (table below)
 *            bit 4     doubled hex flag (-xx, -XX, -AA)
 *            bit 5     len > caplen (a snapped packet)
 *            bit 6     -K and -#
 *            bit 7     process metadata, comment and direction
 *   byte 1   bits 0-1  -v count (0..3)
 *            bit 2     -e
 *            bit 3     -q
 *            bit 4     -n
 *            bits 5-6  none, -x, -X, -A
 *            bit 7     -S
 *   rest     the packet, caplen = its length
 *
 * Both printers run on every packet, as the core runs them, writing to
 * /dev/null.  Name lookups answer "no name" so a run never waits on DNS.
 */
#include <netdb.h>
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fake_host.h"
#include "hex-printer.h"
#include "text-printer.h"

static const int linktypes[16] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL,
	DLT_LOOP, DLT_RAW, DLT_EN10MB, DLT_LINUX_SLL2,
	DLT_IPV4, DLT_IPV6, DLT_PPP, DLT_IEEE802_11,
	DLT_USER0, 9999, -1, 0x7fffffff,
};

static FILE *devnull;

/* Reverse lookups would reach the network; answer as an unknown address. */
int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
		socklen_t hostlen, char *serv, socklen_t servlen, int flags)
{
	(void)sa; (void)salen; (void)host; (void)hostlen;
	(void)serv; (void)servlen; (void)flags;
	return EAI_NONAME;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc; (void)argv;
	setenv("TZ", "GMT0", 1);
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

static void set_flags(struct ptd_options *o, uint8_t sel, uint8_t fl)
{
	int twice = (sel >> 4) & 1;

	o->verbose = fl & 3;
	o->link_header = (fl >> 2) & 1;
	o->quiet = (fl >> 3) & 1;
	o->numeric = (fl >> 4) & 1;
	switch ((fl >> 5) & 3) {
	case 1: o->hex = 1 + twice; break;
	case 2: o->hex_ascii = 1 + twice; break;
	case 3: o->ascii = 1 + twice; break;
	default: break;
	}
	o->absolute_seq = (fl >> 7) & 1;
	o->no_verify_checksums = (sel >> 6) & 1;
	o->print_number = (sel >> 6) & 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ptd_packet pkt = { .size = sizeof(pkt) };
	struct ptd_meta meta = { .size = sizeof(meta) };
	struct text_printer *tp = NULL;
	struct hex_printer *hp = NULL;
	struct ptd_iface ifc;
	struct fake_host fh;
	uint8_t sel, fl;
	uint8_t *copy;
	uint32_t caplen;

	if (size < 2 || size - 2 > 0xffffffu)
		return 0;
	sel = data[0];
	fl = data[1];
	caplen = (uint32_t)(size - 2);
	/* an exact-size copy, so ASan sees any read past caplen */
	copy = malloc(caplen ? caplen : 1);
	if (!copy)
		return 0;
	memcpy(copy, data + 2, caplen);

	fake_host_init(&fh, "printer", "text");
	set_flags(&fh.opts, sel, fl);

	memset(&ifc, 0, sizeof(ifc));
	ifc.id = 1;
	ifc.linktype = linktypes[sel & 15];
	ifc.snaplen = 262144;
	ifc.tsprec = PTD_TSPREC_NANO;
	ifc.name = "eth0";

	pkt.ts_ns = 1700000000123456789ull;
	pkt.caplen = caplen;
	pkt.len = caplen;
	if (sel & 0x20)
		pkt.len = caplen & 1 ? 0xffffffffu : caplen + 1 + (fl << 4);
	pkt.data = copy;
	pkt.iface = &ifc;
	meta.number = 1;
	if (sel & 0x80) {
		pkt.direction = (enum ptd_direction)(1 + (fl & 1));
		pkt.flags = PTD_PKT_HAVE_PID | PTD_PKT_HAVE_COMM;
		pkt.pid = 4242;
		pkt.tid = 4243;
		memcpy(pkt.comm, "curl", 5);
		pkt.comment = "fuzz";
		meta.process.pid = 4242;
		meta.process.tid = 4243;
		meta.process.comm = "curl";
		meta.process.cmd = "/usr/bin/curl";
		meta.process.args = "curl -s http://example.com/";
		meta.process.ppid = 1;
		meta.process.parent_comm = "bash";
		meta.container.id = "0123456789abcdef";
		meta.container.name = "web";
		meta.container.image = "nginx:latest";
		meta.pod.name = "web-0";
		meta.pod.namespace_ = "default";
	}

	if (text_printer_new(&fh.host, devnull, &tp) == 0 &&
	    hex_printer_new(&fh.host, devnull, &hp) == 0 &&
	    text_printer_print(tp, &pkt, &meta) == 0)
		hex_printer_print(hp, &pkt, &meta);
	text_printer_free(tp);
	hex_printer_free(hp);
	free(copy);
	return 0;
}
