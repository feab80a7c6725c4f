/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel side of the translator's suites (see xlat_harness.h).
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
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/if_packet.h>
#include <pcap/dlt.h> /* macros only: no struct bpf_insn */

#include "tests/unit/xlat_harness.h"

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
bool test_run_refuses(const uint8_t *frame, uint32_t len)
{
	uint32_t type;

	if (len <= 14 || len > TEST_RUN_MAX_BYTES)
		return true;
	type = (uint32_t)frame[12] << 8 | frame[13];
	return (type == 0x0800 && len < 14 + 20) ||
	       (type == 0x86dd && len < 14 + 40);
}

struct capture captures[] = {
	{ .file = "lo.pcap", .dlt = DLT_EN10MB },           /* tcpdump -i lo */
	{ .file = "special.pcap", .dlt = DLT_EN10MB },      /* crafted */
	{ .file = "any.pcap", .dlt = DLT_LINUX_SLL2 },      /* tcpdump -i any */
	{ .file = "special-sll2.pcap", .dlt = DLT_LINUX_SLL2 },
	{ .file = "raw.pcap", .dlt = DLT_RAW },             /* lo + special without L2 */
};
const size_t n_captures = sizeof(captures) / sizeof(captures[0]);

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
uint32_t ref_run(const struct ptd_cbpf_prog *prog, const uint8_t *p,
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

bool uses_ancillary(const struct ptd_cbpf_prog *prog)
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

char verifier_log[1 << 16];

const char *const hook_names[] = { "tc", "tc-called", "cgroup-skb" };

/* Loads body as hook wants it.  Returns an fd, or -errno with the
 * verifier's log in verifier_log. */
int load_hook(const struct ptd_ebpf_prog *body, enum hook hook)
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
int run_packet(int fd, const uint8_t *data, uint32_t len, uint32_t *retval)
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
uint8_t *with_fake_l2(const struct packet *pkt, uint32_t *len)
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

int probe_meta(const uint8_t *data, uint32_t len, struct skb_meta *m)
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


/* ---------------------------------------------------------------- main */

static int load_captures(void)
{
	const char *dir = getenv("PTD_XLAT_DATA");
	size_t k;
	int ret;

	if (!dir)
		dir = XLAT_DATA_DIR;
	for (k = 0; k < n_captures; k++) {
		ret = read_capture(&captures[k], dir);
		if (ret < 0) {
			fprintf(stderr, "%s/%s: %s\n", dir, captures[k].file,
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

TCase *xlat_kernel_tcase(Suite *s, const char *name)
{
	TCase *tc = tcase_create(name);

	tcase_set_timeout(tc, 600);
	suite_add_tcase(s, tc);
	return tc;
}

int xlat_kernel_main(Suite *(*make)(void), void (*summary)(void))
{
	char why[256];
	SRunner *sr;
	int failed;

	if (kernel_can_load_bpf(why, sizeof(why)) < 0) {
		printf("SKIP: %s\n", why);
		return 77;
	}
	if (load_captures() < 0)
		return 1;
	sr = srunner_create(make());
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	summary();
	return failed ? 1 : 0;
}
