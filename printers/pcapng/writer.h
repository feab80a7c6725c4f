/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The savefile writer's internal seams: a buffered output stream that
 * remembers its size and its first error, the two file formats behind one
 * small interface, and the tcpdump-compatible rotation helpers.
 */
#ifndef PTD_PRINTER_PCAPNG_WRITER_H
#define PTD_PRINTER_PCAPNG_WRITER_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <ptcpdump/plugin.h>

/* tcpdump's default snapshot length, used when nothing else says. */
#define WR_DEFAULT_SNAPLEN 262144u

/* ------------------------------------------------------------------ */
/* Output stream (stream.c)                                            */

struct wr_stream {
	FILE *fp;
	char *buf;        /* our own stdio buffer: glibc ignores setvbuf's size otherwise */
	char *path;       /* as the user will recognise it, for messages */
	uint64_t size;    /* bytes handed to the stream: what ftell() would say */
	int err;          /* first errno seen, sticky: later writes are refused */
};

/* Opens path for writing ("-" is standard output).  0 or -errno. */
int wr_stream_open(struct wr_stream *s, const char *path);
/* 0 or -errno; after an error every call returns the same error. */
int wr_stream_write(struct wr_stream *s, const void *data, size_t len);
int wr_stream_flush(struct wr_stream *s);
/* Flushes and closes; 0 or -errno.  Safe on a closed stream. */
int wr_stream_close(struct wr_stream *s);

/* ------------------------------------------------------------------ */
/* File formats (pcap.c, pcapng.c)                                     */

struct wr_format_ctx {
	const struct ptd_host *host;
	int nano;                 /* write nanosecond time stamps */
	uint32_t default_snaplen; /* for interfaces that do not say */
	uint32_t context;         /* PTD_CTX_* bits for metadata comments */
};

/* packet() results besides -errno */
#define WR_PACKET_WRITTEN 0
#define WR_PACKET_SKIPPED 1 /* the format cannot hold it (logged once) */

struct wr_format {
	const char *name;
	int (*create)(const struct wr_format_ctx *ctx, void **fmt);
	/* A new file was opened: write what every file starts with. */
	int (*file_begin)(void *fmt, struct wr_stream *out);
	int (*packet)(void *fmt, struct wr_stream *out,
		      const struct ptd_packet *pkt, const struct ptd_meta *meta);
	/* The current file is about to be closed. */
	int (*file_end)(void *fmt, struct wr_stream *out);
	/* End of the run: say what could not be written.  May be NULL. */
	void (*report)(void *fmt, const char *path);
	void (*destroy)(void *fmt);
};

extern const struct wr_format wr_format_pcap;
extern const struct wr_format wr_format_pcapng;

/* LINKTYPE_* (what files store) for a DLT_* (what libpcap hands out). */
uint32_t wr_linktype_from_dlt(int dlt);

/* The interface a packet came from, or a stand-in when a source gave none. */
const struct ptd_iface *wr_packet_iface(const struct ptd_packet *pkt);
/* A printable name for messages: the interface name or "interface #id". */
const char *wr_iface_label(const struct ptd_iface *iface, char *buf, size_t size);

/*
 * The per-packet process/container/pod comment stored in pcapng files.
 * Layout: "Key: value" lines joined by '\n', no trailing newline, keys in
 * this order, each group present only when known and enabled in context:
 *
 *   PID, Cmd, Args                                 (meta->process.pid != 0)
 *   ThreadId, ThreadName                           (PTD_CTX_THREAD)
 *   UserId, UserName                               (PTD_CTX_USER)
 *   ParentPID, ParentCmd, ParentArgs               (PTD_CTX_PARENTPROC)
 *   ContainerName, ContainerId, ContainerImage, ContainerLabels
 *   PodName, PodNamespace, PodUID, PodLabels, PodAnnotations
 *
 * These are the keys upstream ptcpdump writes and reads back, so files stay
 * interchangeable.  Newlines inside values become spaces; an over-long value
 * is cut and ends in "...".  Returns the length written into buf (0: no
 * comment for this packet).
 */
size_t wr_meta_comment(char *buf, size_t size, const struct ptd_meta *meta,
		       uint32_t context);

/* ------------------------------------------------------------------ */
/* Rotation helpers (rotate.c), tcpdump 4.99 semantics                  */

/* Digits needed to number -W files 0..count-1 (0 when count <= 1). */
int wr_count_width(uint32_t file_count);

/*
 * The name of a savefile: tmpl, expanded by strftime(3) at local time t when
 * use_strftime (-G), then followed by count zero-padded to width digits
 * unless both are 0.  0, -EINVAL for an empty template, -ENAMETOOLONG.
 */
int wr_file_name(char *buf, size_t size, const char *tmpl, int use_strftime,
		 time_t t, uint32_t count, int width);

#endif
