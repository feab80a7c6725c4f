/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The classic-to-eBPF translator against libpcap's own filtering.
 *
 * For every expression of the corpus, link type and optimizer setting:
 * compile with libpcap, translate, load into the kernel (tc programs as
 * they are and as a called function, cgroup-skb programs behind a caller
 * that maps the verdict to 0/1), run every packet of the captures in
 * tests/xlat-data with BPF_PROG_TEST_RUN, and compare with
 * pcap_offline_filter() on the same bytes.
 *
 * libpcap cannot evaluate the Linux ancillary loads (`inbound`, `ifindex`
 * on DLT_EN10MB and DLT_RAW): for programs that use them the oracle is a
 * reference interpreter of libpcap's semantics given the skb's metadata,
 * itself checked against pcap_offline_filter on every other program.  The
 * metadata is what BPF_PROG_TEST_RUN makes: the device is lo (ifindex 1)
 * and pkt_type follows from the destination MAC (host, broadcast,
 * multicast, other host), never PACKET_OUTGOING; so `outbound` is tested
 * through PTD_XLAT_F_EGRESS, and vlan_tci cannot be set at all (libpcap
 * does not emit VLAN ancillary loads on a dead handle either).
 *
 * Needs root and a kernel that loads BPF; without, only the tests that need
 * no kernel run, and the exit status is 77 (skipped).
 */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <pcap/dlt.h> /* macros only: no struct bpf_insn */

#include "core/bpf_xlat.h"

#ifndef XLAT_DATA_DIR
#define XLAT_DATA_DIR "tests/xlat-data"
#endif

/* BPF_PROG_TEST_RUN wants all of the packet in one page with the skb's
 * overhead */
#define TEST_RUN_MAX_BYTES 3000

/* ------------------------------------------------------------ captures */

/* BPF_PROG_TEST_RUN refuses these frames: as short as an Ethernet header,
 * an IPv4 or IPv6 EtherType with less than that header behind it, or more
 * than a page. */
static bool test_run_refuses(const uint8_t *frame, uint32_t len)
{
	uint32_t type;

	if (len <= 14 || len > TEST_RUN_MAX_BYTES)
		return true;
	type = (uint32_t)frame[12] << 8 | frame[13];
	return (type == 0x0800 && len < 14 + 20) ||
	       (type == 0x86dd && len < 14 + 40);
}

struct packet {
	uint8_t *data;
	uint32_t len;
};

struct capture {
	const char *file;
	int dlt;
	struct packet *pkts;
	size_t n;
};

static struct capture captures[] = {
	{ .file = "lo.pcap", .dlt = DLT_EN10MB },           /* tcpdump -i lo */
	{ .file = "special.pcap", .dlt = DLT_EN10MB },      /* crafted */
	{ .file = "any.pcap", .dlt = DLT_LINUX_SLL2 },      /* tcpdump -i any */
	{ .file = "special-sll2.pcap", .dlt = DLT_LINUX_SLL2 },
	{ .file = "raw.pcap", .dlt = DLT_RAW },             /* lo + special without L2 */
};
#define N_CAPTURES (sizeof(captures) / sizeof(captures[0]))

static uint32_t get32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static int linktype_to_dlt(uint32_t linktype)
{
	switch (linktype) {
	case 1:
		return DLT_EN10MB;
	case 101:
		return DLT_RAW;
	case 276:
		return DLT_LINUX_SLL2;
	default:
		return -1;
	}
}

/* Reads a classic pcap file (no libpcap here: see bpf_compile.h). */
static int read_capture(struct capture *c, const char *dir)
{
	uint8_t *buf = NULL, hdr[24];
	char path[512];
	size_t cap = 0;
	bool swap;
	FILE *f;
	int ret = -EINVAL;

	snprintf(path, sizeof(path), "%s/%s", dir, c->file);
	f = fopen(path, "rb");
	if (!f)
		return -errno;
	if (fread(hdr, 1, sizeof(hdr), f) != sizeof(hdr))
		goto out;
	swap = get32(hdr, false) == 0xd4c3b2a1 || get32(hdr, false) == 0x4d3cb2a1;
	if (linktype_to_dlt(get32(hdr + 20, swap)) != c->dlt)
		goto out;
	for (;;) {
		uint8_t rec[16];
		uint32_t caplen, len;
		struct packet *grown;

		if (fread(rec, 1, sizeof(rec), f) != sizeof(rec))
			break;
		caplen = get32(rec + 8, swap);
		len = get32(rec + 12, swap);
		if (caplen != len || caplen > 262144)
			goto out; /* the oracle and the kernel must see it all */
		if (c->n == cap) {
			cap = cap ? 2 * cap : 64;
			grown = realloc(c->pkts, cap * sizeof(*grown));
			if (!grown)
				goto out;
			c->pkts = grown;
		}
		buf = malloc(caplen ? caplen : 1);
		if (!buf || fread(buf, 1, caplen, f) != caplen)
			goto out;
		c->pkts[c->n].data = buf;
		c->pkts[c->n].len = caplen;
		c->n++;
		buf = NULL;
	}
	ret = c->n ? 0 : -ENODATA;
out:
	free(buf);
	fclose(f);
	return ret;
}

/* ----------------------------------------------- reference interpreter */

/* What the kernel knows about the skb; NULL: libpcap's view (none). */
struct skb_meta {
	uint32_t pkt_type;
	uint32_t ifindex;
	uint32_t protocol; /* host order */
	uint32_t mark;
};

static int ref_packet(const uint8_t *p, uint32_t len, uint64_t off, int size,
		      uint32_t *v)
{
	int i;

	if (off + (uint64_t)size > len)
		return -1;
	*v = 0;
	for (i = 0; i < size; i++)
		*v = *v << 8 | p[off + i];
	return 0;
}

static int ref_ancillary(uint32_t k, uint32_t x, const struct skb_meta *m,
			 uint32_t *a)
{
	if (!m)
		return -1; /* libpcap: a load past the end */
	switch ((int32_t)k - SKF_AD_OFF) {
	case SKF_AD_PKTTYPE:
		*a = m->pkt_type;
		return 0;
	case SKF_AD_IFINDEX:
		*a = m->ifindex;
		return 0;
	case SKF_AD_PROTOCOL:
		*a = m->protocol;
		return 0;
	case SKF_AD_MARK:
		*a = m->mark;
		return 0;
	case SKF_AD_ALU_XOR_X:
		*a ^= x;
		return 0;
	default:
		ck_abort_msg("reference: ancillary load %#x", k);
		return -1;
	}
}

static int ref_size(uint16_t code)
{
	return BPF_SIZE(code) == BPF_W ? 4 : BPF_SIZE(code) == BPF_H ? 2 : 1;
}

struct ref_state {
	uint32_t a, x, mem[BPF_MEMWORDS];
	const uint8_t *p;
	uint32_t len;
	const struct skb_meta *meta;
};

/* LD/LDX/ST/STX.  Returns -1 when libpcap would reject the packet. */
static int ref_load_store(struct ref_state *s, const struct ptd_cbpf_insn *f)
{
	uint32_t v;

	switch (BPF_CLASS(f->code) | BPF_MODE(f->code)) {
	case BPF_LD | BPF_ABS:
		if (f->k >= (uint32_t)SKF_AD_OFF)
			return ref_ancillary(f->k, s->x, s->meta, &s->a);
		return ref_packet(s->p, s->len, f->k, ref_size(f->code), &s->a);
	case BPF_LD | BPF_IND:
		return ref_packet(s->p, s->len, (uint64_t)s->x + f->k,
				  ref_size(f->code), &s->a);
	case BPF_LDX | BPF_MSH:
		if (ref_packet(s->p, s->len, f->k, 1, &v))
			return -1;
		s->x = (v & 0xf) << 2;
		return 0;
	case BPF_LD | BPF_LEN:
		s->a = s->len;
		return 0;
	case BPF_LDX | BPF_LEN:
		s->x = s->len;
		return 0;
	case BPF_LD | BPF_IMM:
		s->a = f->k;
		return 0;
	case BPF_LDX | BPF_IMM:
		s->x = f->k;
		return 0;
	case BPF_LD | BPF_MEM:
		s->a = s->mem[f->k];
		return 0;
	case BPF_LDX | BPF_MEM:
		s->x = s->mem[f->k];
		return 0;
	case BPF_ST:
		s->mem[f->k] = s->a;
		return 0;
	case BPF_STX:
		s->mem[f->k] = s->x;
		return 0;
	}
	ck_abort_msg("reference: opcode %#x", f->code);
	return -1;
}

static int ref_alu(struct ref_state *s, const struct ptd_cbpf_insn *f)
{
	uint32_t v = BPF_SRC(f->code) == BPF_X ? s->x : f->k;

	switch (BPF_OP(f->code)) {
	case BPF_ADD: s->a += v; break;
	case BPF_SUB: s->a -= v; break;
	case BPF_MUL: s->a *= v; break;
	case BPF_OR:  s->a |= v; break;
	case BPF_AND: s->a &= v; break;
	case BPF_XOR: s->a ^= v; break;
	case BPF_NEG: s->a = 0u - s->a; break;
	case BPF_LSH: s->a = v < 32 ? s->a << v : 0; break;
	case BPF_RSH: s->a = v < 32 ? s->a >> v : 0; break;
	case BPF_DIV:
		if (!v)
			return -1;
		s->a /= v;
		break;
	case BPF_MOD:
		if (!v)
			return -1;
		s->a %= v;
		break;
	default:
		ck_abort_msg("reference: opcode %#x", f->code);
	}
	return 0;
}

static bool ref_cond(const struct ref_state *s, const struct ptd_cbpf_insn *f)
{
	uint32_t v = BPF_SRC(f->code) == BPF_X ? s->x : f->k;

	switch (BPF_OP(f->code)) {
	case BPF_JEQ: return s->a == v;
	case BPF_JGT: return s->a > v;
	case BPF_JGE: return s->a >= v;
	default:      return (s->a & v) != 0;
	}
}

/* libpcap 1.10's interpreter, plus the ancillary loads given meta. */
static uint32_t ref_run(const struct ptd_cbpf_prog *prog, const uint8_t *p,
			uint32_t len, const struct skb_meta *meta)
{
	struct ref_state s = { .p = p, .len = len, .meta = meta };
	const struct ptd_cbpf_insn *f;
	size_t pc = 0, steps = 0;

	for (;; pc++) {
		ck_assert_msg(pc < prog->len && ++steps < 1000000,
			      "reference: ran away");
		f = &prog->insns[pc];
		switch (BPF_CLASS(f->code)) {
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? s.a : f->k;
		case BPF_ALU:
			if (ref_alu(&s, f))
				return 0;
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA)
				pc += (int32_t)f->k;
			else
				pc += ref_cond(&s, f) ? f->jt : f->jf;
			break;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				s.x = s.a;
			else
				s.a = s.x;
			break;
		default:
			if (ref_load_store(&s, f))
				return 0;
		}
	}
}

static bool uses_ancillary(const struct ptd_cbpf_prog *prog)
{
	size_t i;

	for (i = 0; i < prog->len; i++)
		if (BPF_CLASS(prog->insns[i].code) == BPF_LD &&
		    BPF_MODE(prog->insns[i].code) == BPF_ABS &&
		    prog->insns[i].k >= (uint32_t)SKF_AD_OFF)
			return true;
	return false;
}

/* -------------------------------------------------------------- kernel */

static char verifier_log[1 << 16];

enum hook {
	HOOK_TC,        /* the body as the program: R1 = ctx, R0 = verdict */
	HOOK_TC_CALLED, /* the body as a function, as it is spliced */
	HOOK_CGROUP,    /* a function behind a caller returning 0 or 1 */
};

static const char *const hook_names[] = { "tc", "tc-called", "cgroup-skb" };

/* Loads body as hook wants it.  Returns an fd, or -errno with the
 * verifier's log in verifier_log. */
static int load_hook(const struct ptd_ebpf_prog *body, enum hook hook)
{
	static const struct bpf_insn tc_caller[] = {
		{ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const struct bpf_insn cgroup_caller[] = {
		{ .code = BPF_JMP | BPF_CALL, .src_reg = BPF_PSEUDO_CALL, .imm = 3 },
		{ .code = BPF_JMP | BPF_JEQ | BPF_K, .dst_reg = BPF_REG_0, .off = 1 },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	const struct bpf_insn *caller = hook == HOOK_CGROUP ? cgroup_caller :
		hook == HOOK_TC_CALLED ? tc_caller : NULL;
	size_t n_caller = hook == HOOK_CGROUP ? 4 : hook == HOOK_TC_CALLED ? 2 : 0;
	enum bpf_prog_type type = hook == HOOK_CGROUP ?
		BPF_PROG_TYPE_CGROUP_SKB : BPF_PROG_TYPE_SCHED_CLS;
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	struct bpf_insn *insns;
	int fd, err;

	insns = calloc(n_caller + body->len, sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	if (n_caller)
		memcpy(insns, caller, n_caller * sizeof(*insns));
	memcpy(insns + n_caller, body->insns, body->len * sizeof(*insns));
	verifier_log[0] = '\0';
	fd = bpf_prog_load(type, "ptd_xlat_test", "GPL", insns,
			   n_caller + body->len, &opts);
	if (fd < 0) {
		/* again, for the verifier's reasons (the log's tail) */
		err = errno;
		opts.log_buf = verifier_log;
		opts.log_size = sizeof(verifier_log);
		opts.log_level = 1;
		bpf_prog_load(type, "ptd_xlat_test", "GPL", insns,
			      n_caller + body->len, &opts);
		fd = -err;
	}
	free(insns);
	return fd;
}

/* Runs one packet; ctx_in sets what test_run lets us set. */
static int run_packet(int fd, const uint8_t *data, uint32_t len, uint32_t *retval)
{
	struct __sk_buff ctx = { .ifindex = 1, .mark = 0x1234 };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = data,
		    .data_size_in = len, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx));
	int ret;

	ret = bpf_prog_test_run_opts(fd, &opts);
	if (ret < 0)
		return -errno;
	*retval = opts.retval;
	return 0;
}

/* A cgroup-skb test run strips an Ethernet header from the data: add one,
 * zeroed like lo's, with the EtherType of the IP version, or none where
 * test_run would refuse a short IP header (the filter does not see it). */
static uint8_t *with_fake_l2(const struct packet *pkt, uint32_t *len)
{
	uint8_t *buf = calloc(1, 14 + pkt->len);
	int version = pkt->len ? pkt->data[0] >> 4 : 0;

	if (!buf)
		return NULL;
	if (version == 6 && pkt->len >= 40) {
		buf[12] = 0x86;
		buf[13] = 0xdd;
	} else if (version == 4 && pkt->len >= 20) {
		buf[12] = 0x08;
	}
	memcpy(buf + 14, pkt->data, pkt->len);
	*len = 14 + pkt->len;
	return buf;
}

/* pkt_type and ifindex as test_run sets them for these bytes. */
static int probe_fd = -1;

static int probe_meta(const uint8_t *data, uint32_t len, struct skb_meta *m)
{
	static const struct bpf_insn probe[] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = BPF_REG_2,
		  .src_reg = BPF_REG_1, .off = offsetof(struct __sk_buff, pkt_type) },
		{ .code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = BPF_REG_0,
		  .src_reg = BPF_REG_1, .off = offsetof(struct __sk_buff, ifindex) },
		{ .code = BPF_ALU64 | BPF_LSH | BPF_K, .dst_reg = BPF_REG_0, .imm = 8 },
		{ .code = BPF_ALU64 | BPF_OR | BPF_X, .dst_reg = BPF_REG_0,
		  .src_reg = BPF_REG_2 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	uint32_t v;
	int ret;

	if (probe_fd < 0) {
		probe_fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "ptd_probe",
					 "GPL", probe, 5, NULL);
		if (probe_fd < 0)
			return -errno;
	}
	ret = run_packet(probe_fd, data, len, &v);
	if (ret < 0)
		return ret;
	m->pkt_type = v & 0xff;
	m->ifindex = v >> 8;
	m->protocol = len >= 14 ? (uint32_t)data[12] << 8 | data[13] : 0;
	m->mark = 0x1234;
	return 0;
}

/* Can this kernel load BPF at all?  0, or -errno with a reason. */
static int kernel_can_load_bpf(char *why, size_t whylen)
{
	static const struct bpf_insn ret0[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd;

	fd = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "ptd_trivial", "GPL",
			   ret0, 2, NULL);
	if (fd < 0) {
		int err = errno;

		snprintf(why, whylen, "cannot load a trivial BPF program: %s%s",
			 strerror(err), err == EPERM ? " (not root?)" : "");
		return -err;
	}
	close(fd);
	return 0;
}

/* -------------------------------------------------------------- corpus */

#define FAILS_SLL2 (1u << 0) /* libpcap refuses it on DLT_LINUX_SLL2 */
#define FAILS_RAW  (1u << 1) /* needs L2: refused on DLT_RAW, with a reason */

struct expr_case {
	const char *expr;
	unsigned int flags;
};

/* Ports 47001 (TCP), 47002 (UDP) and 47003 (closed) are traffic.py's. */
static const struct expr_case corpus[] = {
	{ "", 0 },
	{ "host 127.0.0.1", 0 },
	{ "src host 127.0.0.1 and dst port 47001", 0 },
	{ "net 127.0.0.0/8", 0 },
	{ "not net 127.0.0.0/8", 0 },
	{ "port 47001", 0 },
	{ "tcp port 47001", 0 },
	{ "udp port 47002", 0 },
	{ "portrange 47000-47010", 0 },
	{ "dst portrange 1-1023", 0 },
	{ "tcp", 0 },
	{ "udp", 0 },
	{ "icmp", 0 },
	{ "icmp6", 0 },
	{ "arp", FAILS_RAW },
	{ "ip", 0 },
	{ "ip6", 0 },
	{ "host ::1", 0 },
	{ "ip6 dst host ::1 and udp", 0 },
	{ "net ::1/128", 0 },
	{ "tcp[tcpflags] & (tcp-syn|tcp-fin) != 0", 0 },
	{ "tcp[13] = 18", 0 },
	{ "tcp[tcpflags] = tcp-ack", 0 },
	{ "tcp[tcpflags] & tcp-push != 0", 0 },
	{ "ip[2:2] > 100", 0 },
	{ "ip proto 17", 0 },
	{ "ip6 and tcp port 443", 0 },
	{ "ip6 and tcp port 47001", 0 },
	{ "icmp6 and ip6[40] = 135", 0 },
	{ "icmp6 and ip6[40] = 128", 0 },
	{ "icmp[icmptype] = icmp-echo", 0 },
	{ "ip and (tcp[tcpflags] & tcp-rst != 0 or icmp[icmptype] = icmp-unreach)", 0 },
	{ "ip[6:2] & 0x1fff != 0", 0 },
	{ "ip[6] & 0x20 != 0", 0 },
	{ "tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420", 0 },
	{ "ip and tcp and (ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2)) != 0", 0 },
	{ "udp and udp[4:2] > 20", 0 },
	{ "len > 100", 0 },
	{ "len = 60", 0 },
	{ "greater 200", 0 },
	{ "less 80", 0 },
	{ "(tcp or udp) and not port 47001", 0 },
	{ "not (icmp or icmp6) and (src port 47001 or dst port 47002)", 0 },
	/* X divisors that are 0 in most packets: the packet is rejected */
	{ "ip[0] / (ip[6] & 0x1f) = 0", 0 },
	{ "ip[0] % (ip[6] & 0x1f) = 0", 0 },
	{ "ip[0] / (ip[8] & 0xf) > 3", 0 },
	{ "ip[8] * 2 - ip[9] + (ip[0] & 0xf) | 3 ^ 1 > 50", 0 },
	/* shift counts of 32 and more (TTL 64 and 200) */
	{ "ip[0] << (ip[8] >> 1) = 0", 0 },
	{ "ip[1] >> (ip[8] - 40) != 0", 0 },
	{ "tcp[0:2] > 1024 and tcp[2:2] > 1024", 0 },
	{ "ip multicast or ip6 multicast", 0 },
	{ "ip6[6] = 0", 0 },
	/* loops */
	{ "ip6 protochain 6", 0 },
	{ "ip6 protochain 44", 0 },
	{ "ip protochain 17", 0 },
	/* ancillary loads on DLT_EN10MB and DLT_RAW, header bytes on SLL2 */
	{ "inbound", 0 },
	{ "outbound", 0 },
	{ "inbound and tcp", 0 },
	{ "ifindex 1", 0 },
	{ "ifindex 2", 0 },
	/* link layer */
	{ "vlan", FAILS_SLL2 | FAILS_RAW },
	{ "vlan 10", FAILS_SLL2 | FAILS_RAW },
	{ "vlan and ip", FAILS_SLL2 | FAILS_RAW },
	{ "vlan 10 and vlan 20", FAILS_SLL2 | FAILS_RAW },
	{ "vlan and ip6 and tcp", FAILS_SLL2 | FAILS_RAW },
	{ "ether host 00:00:00:00:00:00", FAILS_SLL2 | FAILS_RAW },
	{ "ether broadcast", FAILS_SLL2 | FAILS_RAW },
	{ "ether multicast", FAILS_SLL2 | FAILS_RAW },
	{ "ether src 02:00:00:00:00:01", FAILS_SLL2 | FAILS_RAW },
	{ "ether proto 0x0806", FAILS_RAW },
	{ "ether[0] & 1 = 0", 0 },
	{ "llc", FAILS_SLL2 | FAILS_RAW },
	{ "mpls 5", FAILS_SLL2 | FAILS_RAW },
	{ "pppoes 3 and udp", FAILS_RAW },
};
#define N_CORPUS (sizeof(corpus) / sizeof(corpus[0]))

static const int corpus_dlts[] = { DLT_EN10MB, DLT_LINUX_SLL2, DLT_RAW };

struct tally {
	unsigned int programs;    /* translated and loaded */
	unsigned int verdicts;    /* kernel verdicts compared */
	unsigned int mismatches;
	unsigned int ref_checked; /* reference interpreter vs libpcap */
	unsigned int ref_mismatches;
	unsigned int skipped;     /* packets test_run cannot take */
	unsigned int refused;     /* expressions libpcap refuses, as expected */
};

static struct tally tally;

struct run_case {
	const char *expr;
	int dlt;
	int optimize;
	uint32_t xlat_flags;
	const struct ptd_cbpf_prog *prog;
};

/* What the filter must answer for pkt (as the kernel gets it in data). */
static uint32_t expected_verdict(const struct run_case *rc,
				 const struct packet *pkt,
				 const uint8_t *data, uint32_t len)
{
	uint32_t want = ptd_cbpf_filter(rc->prog, pkt->data, pkt->len, pkt->len);
	struct skb_meta meta;
	int ret;

	tally.ref_checked++;
	if (ref_run(rc->prog, pkt->data, pkt->len, NULL) != want)
		tally.ref_mismatches++;
	if (!uses_ancillary(rc->prog))
		return want;
	ret = probe_meta(data, len, &meta);
	ck_assert_msg(ret == 0, "probe: %s", strerror(-ret));
	if (rc->xlat_flags & PTD_XLAT_F_EGRESS)
		meta.pkt_type = PACKET_OUTGOING;
	return ref_run(rc->prog, pkt->data, pkt->len, &meta);
}

static void report_mismatch(const struct run_case *rc, enum hook hook,
			    const struct capture *c, size_t i, uint32_t want,
			    uint32_t got)
{
	char dump[8192];

	if (tally.mismatches++ >= 5)
		return;
	ptd_cbpf_dump(rc->prog, dump, sizeof(dump));
	fprintf(stderr, "MISMATCH '%s' dlt %d -O%d flags %#x %s: %s packet %zu: "
		"libpcap %u, kernel %u\n%s", rc->expr, rc->dlt, !rc->optimize,
		rc->xlat_flags, hook_names[hook], c->file, i + 1, want, got, dump);
}

/* Every packet of every capture of rc->dlt through the program in fd. */
static void run_captures(const struct run_case *rc, enum hook hook, int fd)
{
	const struct capture *c;
	uint8_t *fake = NULL;
	uint32_t len, want, got;
	size_t k, i;
	int ret;

	for (k = 0; k < N_CAPTURES; k++) {
		c = &captures[k];
		if (c->dlt != rc->dlt)
			continue;
		for (i = 0; i < c->n; i++) {
			const struct packet *pkt = &c->pkts[i];
			const uint8_t *data = pkt->data;

			len = pkt->len;
			if (hook == HOOK_CGROUP) {
				fake = with_fake_l2(pkt, &len);
				ck_assert_ptr_nonnull(fake);
				data = fake;
			}
			if (test_run_refuses(data, len)) {
				tally.skipped++;
				goto next;
			}
			want = expected_verdict(rc, pkt, data, len);
			ret = run_packet(fd, data, len, &got);
			ck_assert_msg(ret == 0, "%s: %s packet %zu: test_run: "
				      "%s", hook_names[hook], c->file, i + 1,
				      strerror(-ret));
			tally.verdicts++;
			if (hook == HOOK_CGROUP ? !want != !got : want != got)
				report_mismatch(rc, hook, c, i, want, got);
next:
			free(fake);
			fake = NULL;
		}
	}
}

static void check_translation(const struct run_case *rc)
{
	static const enum hook l2_hooks[] = { HOOK_TC, HOOK_TC_CALLED };
	static const enum hook l3_hooks[] = { HOOK_CGROUP };
	const enum hook *hooks = rc->dlt == DLT_RAW ? l3_hooks : l2_hooks;
	size_t n_hooks = rc->dlt == DLT_RAW ? 1 : 2, h;
	struct ptd_xlat_opts opts = {
		.flags = rc->xlat_flags,
		.max_backward_jumps = PTD_XLAT_DEFAULT_BACKWARD_JUMPS,
	};
	struct ptd_ebpf_prog body;
	char err[256];
	int ret, fd;

	ret = ptd_xlat_cbpf_opts(rc->prog->insns, rc->prog->len, &opts, &body,
				 err, sizeof(err));
	ck_assert_msg(ret == 0, "'%s' dlt %d: %s", rc->expr, rc->dlt, err);
	for (h = 0; h < n_hooks; h++) {
		fd = load_hook(&body, hooks[h]);
		ck_assert_msg(fd >= 0, "'%s' dlt %d %s: load: %s\n%s", rc->expr,
			      rc->dlt, hook_names[hooks[h]], strerror(-fd),
			      verifier_log);
		tally.programs++;
		run_captures(rc, hooks[h], fd);
		close(fd);
	}
	ptd_ebpf_prog_free(&body);
}

static bool refused_as_expected(const struct expr_case *ec, int dlt, int ret,
				const char *err)
{
	if (dlt == DLT_RAW && (ec->flags & FAILS_RAW)) {
		ck_assert_msg(ret == -EPROTONOSUPPORT && strstr(err,
			      "needs a link-layer header"),
			      "'%s' on DLT_RAW: %d %s", ec->expr, ret, err);
		return true;
	}
	if (dlt == DLT_LINUX_SLL2 && (ec->flags & FAILS_SLL2)) {
		ck_assert_int_eq(ret, -EINVAL);
		return true;
	}
	return false;
}

START_TEST(test_corpus)
{
	const struct expr_case *ec = &corpus[_i];
	struct ptd_cbpf_compile_req req = { .expression = ec->expr };
	struct ptd_cbpf_prog prog;
	unsigned int before = tally.mismatches, ref_before = tally.ref_mismatches;
	char err[512];
	size_t d;
	int ret;

	for (d = 0; d < sizeof(corpus_dlts) / sizeof(corpus_dlts[0]); d++) {
		for (req.optimize = 1; req.optimize >= 0; req.optimize--) {
			struct run_case rc = {
				.expr = ec->expr, .dlt = corpus_dlts[d],
				.optimize = req.optimize, .prog = &prog,
			};

			req.linktype = rc.dlt;
			ret = ptd_cbpf_compile(&req, &prog, err, sizeof(err));
			if (ret < 0 && refused_as_expected(ec, rc.dlt, ret, err)) {
				tally.refused++;
				continue;
			}
			ck_assert_msg(ret == 0, "'%s' dlt %d: %s", ec->expr,
				      rc.dlt, err);
			check_translation(&rc);
			if (uses_ancillary(&prog)) {
				rc.xlat_flags = PTD_XLAT_F_EGRESS;
				check_translation(&rc);
			}
			ptd_cbpf_prog_free(&prog);
		}
	}
	ck_assert_msg(tally.mismatches == before, "'%s': %u mismatches",
		      ec->expr, tally.mismatches - before);
	ck_assert_msg(tally.ref_mismatches == ref_before, "'%s': the reference "
		      "interpreter disagrees with libpcap", ec->expr);
}
END_TEST

/* ------------------------------------------------- hand-made programs */

#define I(code, jt, jf, k) { (code), (jt), (jf), (k) }
#define LD_IMM(k)   I(BPF_LD | BPF_IMM, 0, 0, k)
#define LDX_IMM(k)  I(BPF_LDX | BPF_IMM, 0, 0, k)
#define LDB(k)      I(BPF_LD | BPF_B | BPF_ABS, 0, 0, k)
#define ALU_K(op, k) I(BPF_ALU | (op) | BPF_K, 0, 0, k)
#define ALU_X(op)   I(BPF_ALU | (op) | BPF_X, 0, 0, 0)
#define RET_K(k)    I(BPF_RET | BPF_K, 0, 0, k)
#define RET_A       I(BPF_RET | BPF_A, 0, 0, 0)
#define TAX         I(BPF_MISC | BPF_TAX, 0, 0, 0)
#define TXA         I(BPF_MISC | BPF_TXA, 0, 0, 0)
#define ANC(n)      I(BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)(SKF_AD_OFF + (n)))
#define MAX_HAND 16

#define ORACLE_PCAP UINT32_MAX /* want: whatever pcap_offline_filter says */

struct hand_case {
	const char *name;
	struct ptd_cbpf_insn insns[MAX_HAND];
	uint32_t want;
};

static const struct hand_case hand_cases[] = {
	{ "div by X = 0", { LD_IMM(10), LDX_IMM(0), ALU_X(BPF_DIV), RET_K(1) },
	  ORACLE_PCAP },
	{ "mod by X = 0", { LD_IMM(10), LDX_IMM(0), ALU_X(BPF_MOD), RET_K(1) },
	  ORACLE_PCAP },
	{ "div and mod by X", { LDB(14), LDX_IMM(3), ALU_X(BPF_DIV),
	  I(BPF_ST, 0, 0, 0), LDB(15), LDX_IMM(7), ALU_X(BPF_MOD),
	  I(BPF_LDX | BPF_MEM, 0, 0, 0), ALU_X(BPF_ADD), ALU_K(BPF_ADD, 1),
	  RET_A }, ORACLE_PCAP },
	{ "lsh by X = 33", { LD_IMM(1), LDX_IMM(33), ALU_X(BPF_LSH),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), RET_K(5), RET_K(7) },
	  ORACLE_PCAP },
	{ "rsh by X = 31, 32", { LD_IMM(0x80000000), LDX_IMM(31), ALU_X(BPF_RSH),
	  I(BPF_ST, 0, 0, 1), LD_IMM(0x80000000), LDX_IMM(32), ALU_X(BPF_RSH),
	  I(BPF_LDX | BPF_MEM, 0, 0, 1), ALU_X(BPF_ADD), ALU_K(BPF_ADD, 100),
	  RET_A }, ORACLE_PCAP },
	{ "shift by packet byte", { LDB(14), ALU_K(BPF_AND, 0x3f), TAX,
	  LD_IMM(0x12345678), ALU_X(BPF_LSH), ALU_X(BPF_RSH), RET_A },
	  ORACLE_PCAP },
	{ "indirect load past 4 GiB", { LDX_IMM(0xffffffff),
	  I(BPF_LD | BPF_B | BPF_IND, 0, 0, 2), RET_K(9) }, ORACLE_PCAP },
	{ "indirect load with k past INT_MAX", { LDX_IMM(0),
	  I(BPF_LD | BPF_H | BPF_IND, 0, 0, 0x80000001), RET_K(9) }, ORACLE_PCAP },
	{ "indirect byte at len", { I(BPF_LDX | BPF_W | BPF_LEN, 0, 0, 0),
	  I(BPF_LD | BPF_B | BPF_IND, 0, 0, 0), RET_K(9) }, ORACLE_PCAP },
	{ "last byte, half, word", { I(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),
	  ALU_K(BPF_SUB, 4), TAX, I(BPF_LD | BPF_W | BPF_IND, 0, 0, 0),
	  I(BPF_ST, 0, 0, 2), I(BPF_LD | BPF_H | BPF_IND, 0, 0, 2),
	  I(BPF_LDX | BPF_MEM, 0, 0, 2), ALU_X(BPF_XOR),
	  I(BPF_LD | BPF_B | BPF_IND, 0, 0, 3), ALU_K(BPF_OR, 0x100), RET_A },
	  ORACLE_PCAP },
	{ "half past the end", { I(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),
	  ALU_K(BPF_SUB, 1), TAX, I(BPF_LD | BPF_H | BPF_IND, 0, 0, 0),
	  RET_K(9) }, ORACLE_PCAP },
	{ "absolute load at INT_MAX", { I(BPF_LD | BPF_W | BPF_ABS, 0, 0,
	  0x7ffffffe), RET_K(9) }, ORACLE_PCAP },
	{ "absolute byte at 2 GiB", { LDB(0x80000000), RET_K(9) }, ORACLE_PCAP },
	{ "msh", { I(BPF_LDX | BPF_MSH | BPF_B, 0, 0, 14), TXA,
	  ALU_K(BPF_ADD, 1), RET_A }, ORACLE_PCAP },
	/* libpcap 1.10 reads stack garbage here (1.11 zeroes M[]) */
	{ "M[] before any store", { I(BPF_LD | BPF_MEM, 0, 0, 3),
	  I(BPF_LDX | BPF_MEM, 0, 0, 15), ALU_X(BPF_OR),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), RET_K(11), RET_K(12) }, 11 },
	{ "return A = 0xffffffff", { LD_IMM(0xffffffff), RET_A }, ORACLE_PCAP },
	{ "neg", { LDB(14), I(BPF_ALU | BPF_NEG, 0, 0, 0), RET_A }, ORACLE_PCAP },
	{ "len, tax, txa", { I(BPF_LDX | BPF_W | BPF_LEN, 0, 0, 0), TXA,
	  ALU_X(BPF_ADD), TAX, TXA, RET_A }, ORACLE_PCAP },
	{ "jset true falls through", { LDB(14),
	  I(BPF_JMP | BPF_JSET | BPF_K, 0, 1, 0x40), RET_K(21), RET_K(22) },
	  ORACLE_PCAP },
	{ "jgt/jge/jeq true falls through", { LDB(14),
	  I(BPF_JMP | BPF_JGT | BPF_K, 0, 4, 0x44),
	  I(BPF_JMP | BPF_JGE | BPF_K, 0, 2, 0x46),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0x60), RET_K(1), RET_K(2),
	  RET_K(3), RET_K(4) }, ORACLE_PCAP },
	{ "jumps on X", { LDB(14), LDX_IMM(0x40),
	  I(BPF_JMP | BPF_JGT | BPF_X, 1, 0, 0), RET_K(1),
	  I(BPF_JMP | BPF_JGE | BPF_X, 1, 0, 0), RET_K(2),
	  I(BPF_JMP | BPF_JSET | BPF_X, 1, 0, 0), RET_K(3),
	  I(BPF_JMP | BPF_JEQ | BPF_X, 0, 1, 0), RET_K(4), RET_K(5) },
	  ORACLE_PCAP },
	{ "ALU with K", { LD_IMM(1000), ALU_K(BPF_ADD, 7), ALU_K(BPF_SUB, 3),
	  ALU_K(BPF_MUL, 3), ALU_K(BPF_DIV, 7), ALU_K(BPF_MOD, 100),
	  ALU_K(BPF_AND, 0xff), ALU_K(BPF_OR, 0x100), ALU_K(BPF_XOR, 5),
	  ALU_K(BPF_LSH, 4), ALU_K(BPF_RSH, 2), ALU_K(BPF_SUB, 0x80000000),
	  ALU_K(BPF_DIV, 0x90000000), ALU_K(BPF_ADD, 3), RET_A }, ORACLE_PCAP },
	{ "ALU with X", { LDB(23), TAX, LD_IMM(1000), ALU_X(BPF_ADD),
	  ALU_X(BPF_MUL), ALU_X(BPF_SUB), ALU_X(BPF_OR), ALU_X(BPF_XOR),
	  ALU_X(BPF_AND), ALU_K(BPF_ADD, 1), RET_A }, ORACLE_PCAP },
	{ "ja over code", { I(BPF_JMP | BPF_JA, 0, 0, 1), RET_K(1), RET_K(2) },
	  ORACLE_PCAP },
	{ "both branches to one place", { LDB(0),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 1, 1, 5), RET_K(1), RET_K(2) },
	  ORACLE_PCAP },
	{ "both branches fall through", { LDB(0),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 5), RET_K(3) }, ORACLE_PCAP },
	{ "unreachable code", { I(BPF_JMP | BPF_JA, 0, 0, 2), LDB(0), RET_K(1),
	  RET_K(4) }, ORACLE_PCAP },
	/* loops: libpcap 1.10 has no bound, so fixed expectations */
	{ "ja to itself", { I(BPF_JMP | BPF_JA, 0, 0, 0xffffffff) }, 0 },
	{ "64 backward jumps", { LD_IMM(0), ALU_K(BPF_ADD, 1),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 65),
	  I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-3), RET_A }, 65 },
	{ "65 backward jumps", { LD_IMM(0), ALU_K(BPF_ADD, 1),
	  I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 66),
	  I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-3), RET_A }, 0 },
	/* ancillary loads: see check_ancillary for their expectations */
};
#define N_HAND (sizeof(hand_cases) / sizeof(hand_cases[0]))

static size_t hand_len(const struct ptd_cbpf_insn *insns)
{
	size_t n = MAX_HAND;

	while (n && !insns[n - 1].code && !insns[n - 1].k &&
	       !insns[n - 1].jt && !insns[n - 1].jf)
		n--;
	return n;
}

/* Loads insns for hook; the caller closes the fd. */
static int load_cbpf(const struct ptd_cbpf_insn *insns, size_t n,
		     uint32_t flags, enum hook hook)
{
	struct ptd_xlat_opts opts = {
		.flags = flags,
		.max_backward_jumps = PTD_XLAT_DEFAULT_BACKWARD_JUMPS,
	};
	struct ptd_ebpf_prog body;
	char err[256];
	int ret, fd;

	ret = ptd_xlat_cbpf_opts(insns, n, &opts, &body, err, sizeof(err));
	ck_assert_msg(ret == 0, "translate: %s", err);
	fd = load_hook(&body, hook);
	ck_assert_msg(fd >= 0, "load: %s\n%s", strerror(-fd), verifier_log);
	ptd_ebpf_prog_free(&body);
	return fd;
}

START_TEST(test_hand_made)
{
	const struct hand_case *hc = &hand_cases[_i];
	struct ptd_cbpf_prog prog = {
		.insns = (struct ptd_cbpf_insn *)hc->insns,
		.len = hand_len(hc->insns),
	};
	enum hook hook;
	uint32_t want, got;
	size_t k, i;
	int fd, ret;

	for (hook = HOOK_TC; hook <= HOOK_TC_CALLED; hook++) {
		fd = load_cbpf(prog.insns, prog.len, 0, hook);
		for (k = 0; k < N_CAPTURES; k++) {
			const struct capture *c = &captures[k];

			if (c->dlt != DLT_EN10MB)
				continue;
			for (i = 0; i < c->n; i++) {
				const struct packet *p = &c->pkts[i];

				if (test_run_refuses(p->data, p->len))
					continue;
				want = hc->want;
				if (want == ORACLE_PCAP)
					want = ptd_cbpf_filter(&prog, p->data,
							       p->len, p->len);
				ret = run_packet(fd, p->data, p->len, &got);
				ck_assert_msg(ret == 0, "%s: %s packet %zu: "
					      "test_run: %s", hook_names[hook],
					      c->file, i + 1, strerror(-ret));
				tally.verdicts++;
				ck_assert_msg(got == want, "%s, %s: %s packet "
					      "%zu: want %u, got %u", hc->name,
					      hook_names[hook], c->file, i + 1,
					      want, got);
			}
		}
		close(fd);
	}
}
END_TEST

/* skb->protocol as eth_type_trans() sets it for an Ethernet frame */
static uint32_t frame_protocol(const struct packet *p)
{
	uint32_t type = (uint32_t)p->data[12] << 8 | p->data[13];

	if (type >= 0x600)
		return type;
	if (p->len >= 16 && p->data[14] == 0xff && p->data[15] == 0xff)
		return 0x0001; /* ETH_P_802_3: raw IPX */
	return 0x0004;         /* ETH_P_802_2 */
}

struct anc_case {
	int32_t ad;
	uint32_t flags;
};

/* The value SKF_AD_OFF + ac->ad must yield for p; -1: any. */
static int64_t ancillary_want(const struct anc_case *ac,
			      const struct packet *p)
{
	struct skb_meta meta;

	switch (ac->ad) {
	case SKF_AD_PROTOCOL:
		return frame_protocol(p);
	case SKF_AD_PKTTYPE:
		if (ac->flags & PTD_XLAT_F_EGRESS)
			return PACKET_OUTGOING;
		ck_assert_int_eq(probe_meta(p->data, p->len, &meta), 0);
		return meta.pkt_type;
	case SKF_AD_IFINDEX:
		return 1;       /* lo, as test_run uses for ifindex <= 1 */
	case SKF_AD_MARK:
		return 0x1234;  /* run_packet's ctx_in */
	case SKF_AD_ALU_XOR_X:
		return 0x0ff0;
	case SKF_AD_CPU:
	case SKF_AD_RANDOM:
		return -1;
	default:
		return 0;       /* queue, hash, VLAN: test_run leaves them 0 */
	}
}

static const struct anc_case anc_cases[] = {
	{ .ad = SKF_AD_PROTOCOL }, { .ad = SKF_AD_PKTTYPE },
	{ .ad = SKF_AD_PKTTYPE, .flags = PTD_XLAT_F_EGRESS },
	{ .ad = SKF_AD_IFINDEX }, { .ad = SKF_AD_MARK }, { .ad = SKF_AD_QUEUE },
	{ .ad = SKF_AD_RXHASH }, { .ad = SKF_AD_CPU }, { .ad = SKF_AD_ALU_XOR_X },
	{ .ad = SKF_AD_VLAN_TAG }, { .ad = SKF_AD_VLAN_TAG_PRESENT },
	{ .ad = SKF_AD_RANDOM }, { .ad = SKF_AD_VLAN_TPID },
};
#define N_ANC (sizeof(anc_cases) / sizeof(anc_cases[0]))

START_TEST(test_ancillary)
{
	const struct anc_case *ac = &anc_cases[_i];
	const struct ptd_cbpf_insn prog[] = {
		LD_IMM(0x0f0f), LDX_IMM(0x00ff), ANC(ac->ad), RET_A,
	};
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	const struct capture *c = &captures[1]; /* special.pcap */
	enum hook hook;
	int64_t want;
	uint32_t got;
	size_t i;
	int fd;

	ck_assert_str_eq(c->file, "special.pcap");
	for (hook = HOOK_TC; hook <= HOOK_TC_CALLED; hook++) {
		fd = load_cbpf(prog, 4, ac->flags, hook);
		for (i = 0; i < c->n; i++) {
			const struct packet *p = &c->pkts[i];

			ck_assert_int_eq(run_packet(fd, p->data, p->len, &got), 0);
			tally.verdicts++;
			want = ancillary_want(ac, p);
			if (ac->ad == SKF_AD_CPU)
				ck_assert_uint_lt(got, (uint32_t)cpus);
			else if (want >= 0)
				ck_assert_msg(got == want, "SKF_AD_OFF+%d flags "
					      "%#x %s packet %zu: want %lld, got "
					      "%u", ac->ad, ac->flags,
					      hook_names[hook], i + 1,
					      (long long)want, got);
		}
		close(fd);
	}
}
END_TEST

/* ------------------------------------------- translation, no kernel */

struct bad_case {
	const char *name;
	struct ptd_cbpf_insn insns[4];
	size_t n;
	int ret;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	{ "empty", { RET_K(0) }, 0, -EINVAL, "empty program" },
	{ "opcode 0xff", { I(0xff, 0, 0, 0), RET_K(0) }, 2, -EOPNOTSUPP,
	  "insn 0: unsupported opcode 0xff" },
	{ "eBPF mov in classic", { LD_IMM(1), I(BPF_ALU | BPF_MOV | BPF_K, 0, 0, 1),
	  RET_A }, 3, -EOPNOTSUPP, "insn 1: unsupported opcode 0xb4" },
	{ "neg X", { I(BPF_ALU | BPF_NEG | BPF_X, 0, 0, 0), RET_A }, 2,
	  -EOPNOTSUPP, "unsupported opcode 0x8c" },
	{ "ret X", { I(BPF_RET | BPF_X, 0, 0, 0) }, 1, -EOPNOTSUPP,
	  "unsupported opcode 0x0e" },
	{ "ld mode 0xe0", { I(BPF_LD | 0xe0, 0, 0, 0), RET_A }, 2, -EOPNOTSUPP,
	  "unsupported opcode 0xe0" },
	{ "jne", { I(BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0), RET_K(0) }, 2,
	  -EOPNOTSUPP, "insn 0: unsupported jump opcode 0x55" },
	{ "jump out", { I(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0), RET_K(0) }, 2,
	  -EINVAL, "insn 0: conditional jump outside the program" },
	{ "ja out", { I(BPF_JMP | BPF_JA, 0, 0, 7), RET_K(0) }, 2, -EINVAL,
	  "insn 0: jump to 8, outside the program" },
	{ "ja before 0", { RET_K(0), I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-3) },
	  2, 0, NULL }, /* unreachable: never looked at */
	{ "runs off the end", { LD_IMM(1) }, 1, -EINVAL,
	  "insn 0: code runs off the end of the program" },
	{ "M[16]", { I(BPF_ST, 0, 0, 16), RET_K(0) }, 2, -EINVAL,
	  "insn 0: scratch memory M[16] does not exist" },
	{ "div by constant 0", { ALU_K(BPF_DIV, 0), RET_A }, 2, -EINVAL,
	  "insn 0: division by constant zero" },
	{ "mod by constant 0", { ALU_K(BPF_MOD, 0), RET_A }, 2, -EINVAL,
	  "division by constant zero" },
	{ "lsh by 32", { ALU_K(BPF_LSH, 32), RET_A }, 2, -EINVAL,
	  "insn 0: shift by constant 32, more than 31 bits" },
	{ "SKF_AD_HATYPE", { ANC(SKF_AD_HATYPE), RET_A }, 2, -EOPNOTSUPP,
	  "insn 0: unsupported Linux ancillary load SKF_AD_OFF+28" },
	{ "SKF_AD_PAY_OFFSET", { ANC(SKF_AD_PAY_OFFSET), RET_A }, 2,
	  -EOPNOTSUPP, "unsupported Linux ancillary load SKF_AD_OFF+52" },
	{ "SKF_NET_OFF", { LDB((uint32_t)SKF_NET_OFF + 9), RET_A }, 2,
	  -EOPNOTSUPP, "insn 0: unsupported load relative to the network header" },
	{ "SKF_LL_OFF", { LDB((uint32_t)SKF_LL_OFF), RET_A }, 2, -EOPNOTSUPP,
	  "relative to the link header" },
};
#define N_BAD (sizeof(bad_cases) / sizeof(bad_cases[0]))

START_TEST(test_bad_programs)
{
	const struct bad_case *bc = &bad_cases[_i];
	struct ptd_ebpf_prog out;
	char err[256] = "";
	int ret;

	ret = ptd_xlat_cbpf(bc->insns, bc->n, &out, err, sizeof(err));
	ck_assert_msg(ret == bc->ret, "%s: returned %d (%s)", bc->name, ret, err);
	if (bc->msg)
		ck_assert_msg(strstr(err, bc->msg), "%s: '%s' lacks '%s'",
			      bc->name, err, bc->msg);
	if (ret < 0)
		ck_assert_ptr_null(out.insns);
	ptd_ebpf_prog_free(&out);
}
END_TEST

START_TEST(test_loops_refused)
{
	const struct ptd_cbpf_insn prog[] = {
		LD_IMM(0), ALU_K(BPF_ADD, 1), I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 3),
		I(BPF_JMP | BPF_JA, 0, 0, (uint32_t)-3), RET_A,
	};
	struct ptd_xlat_opts opts = { .max_backward_jumps = 0 };
	struct ptd_ebpf_prog out;
	char err[256];

	ck_assert_int_eq(ptd_xlat_cbpf_opts(prog, 5, &opts, &out, err,
					    sizeof(err)), -EOPNOTSUPP);
	ck_assert_str_eq(err, "insn 3: backward jump (libpcap emits them for "
			 "protochain), and loops are not allowed");
	opts.max_backward_jumps = 8;
	ck_assert_int_eq(ptd_xlat_cbpf_opts(prog, 5, &opts, &out, err,
					    sizeof(err)), 0);
	ck_assert_uint_eq(out.stack_depth, 80); /* one loop counter */
	ptd_ebpf_prog_free(&out);
}
END_TEST

static bool is_exit(const struct bpf_insn *i)
{
	return i->code == (BPF_JMP | BPF_EXIT);
}

START_TEST(test_shape)
{
	const struct ptd_cbpf_insn ret0[] = { RET_K(0) };
	const struct ptd_cbpf_insn load[] = { LDB(0), RET_A };
	const struct ptd_cbpf_insn dead[] = {
		I(BPF_JMP | BPF_JA, 0, 0, 1), LDB(0), RET_K(7),
	};
	struct ptd_ebpf_prog out;
	char err[256];
	size_t i, exits = 0;

	/* prologue (ctx, A, X) and the return; no reject exit nobody uses */
	ck_assert_int_eq(ptd_xlat_cbpf(ret0, 1, &out, err, sizeof(err)), 0);
	ck_assert_uint_eq(out.len, 5);
	ck_assert_uint_eq(out.stack_depth, 0);
	ck_assert(is_exit(&out.insns[4]));
	ptd_ebpf_prog_free(&out);

	/* a packet load shares one reject exit at the end */
	ck_assert_int_eq(ptd_xlat_cbpf(load, 2, &out, err, sizeof(err)), 0);
	for (i = 0; i < out.len; i++)
		exits += is_exit(&out.insns[i]);
	ck_assert_uint_eq(exits, 2);
	ck_assert(is_exit(&out.insns[out.len - 1]));
	ck_assert_int_eq(out.insns[out.len - 2].imm, 0);
	ck_assert_uint_eq(out.stack_depth, 8);
	ptd_ebpf_prog_free(&out);

	/* unreachable classic code emits nothing; a jump to the next
	 * instruction neither */
	ck_assert_int_eq(ptd_xlat_cbpf(dead, 3, &out, err, sizeof(err)), 0);
	ck_assert_uint_eq(out.len, 5);
	ck_assert_int_eq(out.insns[3].imm, 7);
	ptd_ebpf_prog_free(&out);
	ptd_ebpf_prog_free(NULL);
}
END_TEST

/* --------------------------------------------------------- compiling */

static int compile(const char *expr, int dlt, struct ptd_cbpf_prog *prog,
		   char *err, size_t errlen)
{
	struct ptd_cbpf_compile_req req = {
		.expression = expr, .linktype = dlt, .optimize = 1,
	};

	return ptd_cbpf_compile(&req, prog, err, errlen);
}

START_TEST(test_compile)
{
	struct ptd_cbpf_compile_req req = {
		.expression = "", .linktype = DLT_EN10MB, .snaplen = 96,
	};
	struct ptd_cbpf_prog prog;
	char err[512], dump[1024];

	/* empty: accept with the snap length */
	ck_assert_int_eq(ptd_cbpf_compile(&req, &prog, err, sizeof(err)), 0);
	ck_assert_uint_eq(prog.len, 1);
	ck_assert_uint_eq(prog.insns[0].k, 96);
	ck_assert_int_eq(ptd_cbpf_dump(&prog, dump, sizeof(dump)), 0);
	ck_assert_str_eq(dump, "(000) ret      #96\n");
	ck_assert_int_eq(ptd_cbpf_dump(&prog, dump, 4), -ENOSPC);
	ptd_cbpf_prog_free(&prog);

	ck_assert_int_eq(compile("tcp", DLT_EN10MB, &prog, err, sizeof(err)), 0);
	ck_assert_uint_eq(prog.insns[prog.len - 2].k, 262144);
	ptd_cbpf_prog_free(&prog);

	/* libpcap's words, as tcpdump prints them */
	ck_assert_int_eq(compile("tcp port", DLT_EN10MB, &prog, err,
				 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "can't parse filter expression: syntax error");
	ck_assert_ptr_null(prog.insns);
	ck_assert_int_eq(compile("port 99999", DLT_EN10MB, &prog, err,
				 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "illegal port number 99999 > 65535");
	ck_assert_int_eq(compile("vlan", DLT_LINUX_SLL2, &prog, err,
				 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "no VLAN support for Linux cooked v2");
	ck_assert_int_eq(compile("ip and ip6", DLT_EN10MB, &prog, err,
				 sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "expression rejects all packets");
	ck_assert_int_eq(compile("tcp", 12345, &prog, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unknown data link type"));
}
END_TEST

START_TEST(test_compile_l3)
{
	struct ptd_cbpf_prog prog;
	char err[512];

	ck_assert_int_eq(compile("ether host 1:2:3:4:5:6", DLT_RAW, &prog, err,
				 sizeof(err)), -EPROTONOSUPPORT);
	ck_assert_str_eq(err, "ethernet addresses supported only on "
			 "ethernet/FDDI/token ring/802.11/ATM LANE/Fibre "
			 "Channel (the expression needs a link-layer header, "
			 "but at this hook packets start at the IP header)");
	ck_assert_int_eq(compile("ether broadcast", DLT_RAW, &prog, err,
				 sizeof(err)), -EPROTONOSUPPORT);
	ck_assert_str_eq(err, "not a broadcast link (the expression needs a "
			 "link-layer header, but at this hook packets start "
			 "at the IP header)");
	/* wrong everywhere: libpcap's message alone */
	ck_assert_int_eq(compile("tcp port", DLT_RAW, &prog, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "can't parse filter expression: syntax error");
	/* `ip` at L3 tests the version nibble */
	ck_assert_int_eq(compile("ip", DLT_RAW, &prog, err, sizeof(err)), 0);
	ck_assert_uint_eq(prog.insns[0].code, BPF_LD | BPF_B | BPF_ABS);
	ck_assert_uint_eq(prog.insns[0].k, 0);
	ptd_cbpf_prog_free(&prog);
	ptd_cbpf_prog_free(NULL);
}
END_TEST

/* ---------------------------------------------------------------- main */

static int load_captures(void)
{
	const char *dir = getenv("PTD_XLAT_DATA");
	size_t k;
	int ret;

	if (!dir)
		dir = XLAT_DATA_DIR;
	for (k = 0; k < N_CAPTURES; k++) {
		ret = read_capture(&captures[k], dir);
		if (ret < 0) {
			fprintf(stderr, "%s/%s: %s\n", dir, captures[k].file,
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static Suite *xlat_suite(bool with_kernel)
{
	Suite *s = suite_create("xlat");
	TCase *tc = tcase_create("translate");

	tcase_add_loop_test(tc, test_bad_programs, 0, N_BAD);
	tcase_add_test(tc, test_loops_refused);
	tcase_add_test(tc, test_shape);
	tcase_add_test(tc, test_compile);
	tcase_add_test(tc, test_compile_l3);
	suite_add_tcase(s, tc);
	if (!with_kernel)
		return s;
	tc = tcase_create("kernel");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_hand_made, 0, N_HAND);
	tcase_add_loop_test(tc, test_ancillary, 0, N_ANC);
	tcase_add_loop_test(tc, test_corpus, 0, N_CORPUS);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	char why[256];
	bool with_kernel = kernel_can_load_bpf(why, sizeof(why)) == 0;
	SRunner *sr;
	int failed;

	if (with_kernel && load_captures() < 0)
		return 1;
	sr = srunner_create(xlat_suite(with_kernel));
	/* one process, so that the tally covers every test */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (with_kernel)
		printf("xlat: %zu expressions x 3 link types x 2 optimizer "
		       "settings: %u programs loaded, %u verdicts compared, "
		       "%u mismatches (%u packets too big for test_run); "
		       "%u refusals as expected; reference interpreter "
		       "checked %u times, %u disagreements with libpcap\n",
		       N_CORPUS, tally.programs, tally.verdicts,
		       tally.mismatches, tally.skipped, tally.refused,
		       tally.ref_checked, tally.ref_mismatches);
	if (failed)
		return 1;
	if (!with_kernel) {
		printf("SKIP: %s; only the tests without the kernel ran\n", why);
		return 77;
	}
	return 0;
}
