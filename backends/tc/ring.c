/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": reading the BPF ring buffer.
 *
 * libbpf's reader (1.1) publishes its position after every record.  The
 * programs read that position for every packet they reserve room for, on
 * another CPU, so each publication costs the sending CPU a cache miss.  We
 * publish once per batch of records and at the end of each pass instead:
 * the ring frees up slightly later, the producers miss far less.
 *
 * Layout of a BPF_MAP_TYPE_RINGBUF mapping (kernel ABI): one page holding
 * the consumer position (ours to write), then one page holding the producer
 * position, then the data area mapped twice in a row so that a record that
 * wraps around reads as one piece.  Each record starts with an 8-byte
 * header whose first word is its length with a busy and a discard bit.
 */
#include "config.h"

#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backends/tc/tc.h"

#define TC_RING_PUBLISH_EVERY 64

int tc_ring_open(struct tc_ring *r, int map_fd, uint64_t size, char *err,
		 size_t errlen)
{
	long page = sysconf(_SC_PAGESIZE);
	void *p;

	memset(r, 0, sizeof(*r));
	r->page = (size_t)page;
	r->size = (size_t)size;
	r->mask = r->size - 1;
	p = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	r->consumer = p;
	p = mmap(NULL, r->page + 2 * r->size, PROT_READ, MAP_SHARED, map_fd,
		 (off_t)r->page);
	if (p == MAP_FAILED) {
		munmap(r->consumer, r->page);
		r->consumer = NULL;
		goto fail;
	}
	r->producer = p;
	r->data = (uint8_t *)p + r->page;
	return 0;
fail:
	snprintf(err, errlen, "cannot map the ring buffer: %s", strerror(errno));
	return -errno;
}

void tc_ring_close(struct tc_ring *r)
{
	if (r->consumer)
		munmap(r->consumer, r->page);
	if (r->producer)
		munmap(r->producer, r->page + 2 * r->size);
	r->consumer = NULL;
	r->producer = NULL;
}

int tc_ring_consume(struct tc_ring *r, tc_record_fn cb, void *ctx)
{
	unsigned long cons, prod;
	unsigned int unpublished = 0;
	int rc = 0;

	if (!r->consumer)
		return 0;
	cons = __atomic_load_n(r->consumer, __ATOMIC_ACQUIRE);
	for (;;) {
		prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			break;
		while (cons < prod) {
			uint32_t *hdr = (uint32_t *)(r->data + (cons & r->mask));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

			if (len & BPF_RINGBUF_BUSY_BIT)
				goto out; /* being written: the next pass */
			cons += (BPF_RINGBUF_HDR_SZ +
				 (len & ~BPF_RINGBUF_DISCARD_BIT) + 7) & ~7ul;
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				rc = cb(ctx, (uint8_t *)hdr + BPF_RINGBUF_HDR_SZ,
					len & ~BPF_RINGBUF_DISCARD_BIT);
				if (rc < 0)
					goto out;
			}
			if (++unpublished == TC_RING_PUBLISH_EVERY) {
				__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
				unpublished = 0;
			}
		}
		/* Published before looking again, so that a producer that
		 * saw us behind and skipped the wake-up is still read. */
		__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
		unpublished = 0;
	}
out:
	__atomic_store_n(r->consumer, cons, __ATOMIC_RELEASE);
	return rc;
}
