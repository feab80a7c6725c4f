/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The classic-to-eBPF translator against libpcap's own filtering.
 *
 * For every expression of the corpus, link type and optimizer setting:
 * compile with libpcap, translate (with the direct packet loads and with
 * bpf_skb_load_bytes only), load into the kernel (tc programs as they are
 * and as a called function, cgroup-skb programs behind a caller that maps
 * the verdict to 0/1), run every packet of the captures in
 * tests/xlat-data with BPF_PROG_TEST_RUN, and compare with
 * pcap_offline_filter() on the same bytes (or, for the Linux ancillary
 * loads, with the reference interpreter of xlat_harness.c).
 * BPF_PROG_TEST_RUN makes linear skbs: a load past the end of one takes
 * the direct path's fallback, but the fallback never finds bytes there
 * (tests/e2e/tc-filter.sh reads payload in the pages of GSO packets).
 *
 * Needs root and a kernel that loads BPF; without, the exit status is 77
 * (skipped).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_packet.h>
#include <pcap/dlt.h> /* macros only: no struct bpf_insn */

#include "tests/unit/xlat_harness.h"


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
	/* offsets around the direct path's limits (last byte at 0x7fff in
	 * the offset field, 0xffff in the verifier's): all past the end */
	{ "ether[32764:4] = 0 or ether[32765:4] = 0", 0 },
	{ "ether[65533:2] = 0 or ether[65534:2] = 0", 0 },
	{ "ether[70000] = 0", 0 },
	{ "tcp[40000:2] = 0 or udp[65500:4] != 0", 0 },
	{ "llc", FAILS_SLL2 | FAILS_RAW },
	{ "mpls 5", FAILS_SLL2 | FAILS_RAW },
	{ "pppoes 3 and udp", FAILS_RAW },
};
#define N_CORPUS (sizeof(corpus) / sizeof(corpus[0]))

static const int corpus_dlts[] = { DLT_EN10MB, DLT_LINUX_SLL2, DLT_RAW };

/* Both ways of loading packet bytes. */
static const uint32_t load_paths[] = { 0, PTD_XLAT_F_NO_DIRECT };
#define N_LOAD_PATHS (sizeof(load_paths) / sizeof(load_paths[0]))

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

	for (k = 0; k < n_captures; k++) {
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
	ck_assert_msg(ret == 0, "'%s' dlt %d flags %#x: %s", rc->expr, rc->dlt,
		      rc->xlat_flags, err);
	for (h = 0; h < n_hooks; h++) {
		fd = load_hook(&body, hooks[h]);
		if (fd < 0) /* the log's tail: Check's messages are short */
			fprintf(stderr, "%s\n", verifier_log +
				(strlen(verifier_log) > 2000 ?
				 strlen(verifier_log) - 2000 : 0));
		ck_assert_msg(fd >= 0, "'%s' dlt %d flags %#x %s: load: %s",
			      rc->expr, rc->dlt, rc->xlat_flags,
			      hook_names[hooks[h]], strerror(-fd));
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
	size_t d, p;
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
			for (p = 0; p < N_LOAD_PATHS; p++) {
				rc.xlat_flags = load_paths[p];
				check_translation(&rc);
				if (!uses_ancillary(&prog))
					continue;
				rc.xlat_flags |= PTD_XLAT_F_EGRESS;
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

/* ---------------------------------------------------------------- main */

static Suite *xlat_corpus_suite(void)
{
	Suite *s = suite_create("xlat-corpus");

	tcase_add_loop_test(xlat_kernel_tcase(s, "kernel-vs-libpcap"),
			    test_corpus, 0, N_CORPUS);
	return s;
}

static void print_tally(void)
{
	printf("xlat: %zu expressions x 3 link types x 2 optimizer "
	       "settings x 2 load paths: %u programs loaded, %u verdicts "
	       "compared, "
	       "%u mismatches (%u packets too big for test_run); "
	       "%u refusals as expected; reference interpreter "
	       "checked %u times, %u disagreements with libpcap\n",
	       N_CORPUS, tally.programs, tally.verdicts,
	       tally.mismatches, tally.skipped, tally.refused,
	       tally.ref_checked, tally.ref_mismatches);
}

int main(void)
{
	return xlat_kernel_main(xlat_corpus_suite, print_tally);
}
