/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * backend "tc": loading the capture programs with tcpdump's filter inside.
 *
 * The expression is compiled by libpcap for the link type of the devices
 * (core/bpf_compile.h) and translated to eBPF (core/bpf_xlat.h); the result
 * replaces the body of ptd_filter() in bpf/tc_capture.bpf.c.  The splice
 * happens in a libbpf section handler's prog_prepare_load_fn, the one hook
 * libbpf 1.1 offers after it has appended subprograms and resolved
 * relocations and before the program reaches the kernel: there the
 * placeholder is found by its BTF func_info name, its instructions are
 * replaced, and the bpf-to-bpf calls, func_info and line_info behind it are
 * moved by the difference in length.
 *
 * Should the kernel refuse the spliced program (a verifier limit, say), the
 * set is loaded without it and user space filters those packets: never an
 * unfiltered capture, and one warning line.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <pcap/dlt.h>

#include "backends/tc/tc.h"
#include "bpf/tc_capture.h"
#include "bpf/tc_capture.skel.h"
#include "core/bpf_xlat.h"

#define TC_SECTION       "ptd_tc"
#define TC_PLACEHOLDER   "ptd_filter"
#define TC_PROG_OUT      "ptd_tc_egress"

/* What the handler splices into the object being loaded right now
 * (loading is synchronous and single-threaded). */
static struct {
	const struct ptd_ebpf_prog *code[TC_HOOK_COUNT];
	const struct btf *btf;  /* the object's: names the functions */
	void *func_info;   /* rewritten copies, alive until the load returns */
	void *line_info;
	int spliced;
} splice_now;

static void splice_reset(void)
{
	free(splice_now.func_info);
	free(splice_now.line_info);
	memset(&splice_now, 0, sizeof(splice_now));
}

/* Where the placeholder sits in the relocated program: [*start, *end). */
static int find_placeholder(const struct bpf_program *prog,
			    const struct bpf_prog_load_opts *opts,
			    uint32_t *start, uint32_t *end, size_t *idx)
{
	const struct btf *btf = splice_now.btf;
	const uint8_t *fi = opts->func_info;
	uint32_t rec = opts->func_info_rec_size;
	int found = 0;

	if (!btf || !fi || rec < sizeof(struct bpf_func_info))
		return -ENOENT;
	*end = (uint32_t)bpf_program__insn_cnt(prog);
	for (uint32_t i = 0; i < opts->func_info_cnt; i++) {
		const struct bpf_func_info *f = (const void *)(fi + i * rec);
		const struct btf_type *t = btf__type_by_id(btf, f->type_id);
		const char *name = t ? btf__name_by_offset(btf, t->name_off) : NULL;

		if (found) {
			/* func_info is sorted: the next function ends it */
			*end = f->insn_off;
			break;
		}
		if (name && strcmp(name, TC_PLACEHOLDER) == 0) {
			*start = f->insn_off;
			*idx = i;
			found = 1;
		}
	}
	return found && *start < *end ? 0 : -ENOENT;
}

/* Old instruction index -> new, for instructions outside the placeholder. */
static uint32_t moved(uint32_t at, uint32_t end, long delta)
{
	return at >= end ? (uint32_t)((long)at + delta) : at;
}

static int splice_btf_ext(struct bpf_prog_load_opts *opts, uint32_t start,
			  uint32_t end, long delta)
{
	uint32_t rec = opts->func_info_rec_size, n = 0;
	uint8_t *fi, *li = NULL;

	fi = malloc((size_t)opts->func_info_cnt * rec);
	if (!fi)
		return -ENOMEM;
	memcpy(fi, opts->func_info, (size_t)opts->func_info_cnt * rec);
	for (uint32_t i = 0; i < opts->func_info_cnt; i++) {
		struct bpf_func_info *f = (void *)(fi + i * rec);

		f->insn_off = moved(f->insn_off, end, delta);
	}
	splice_now.func_info = fi;
	opts->func_info = fi;
	if (!opts->line_info || !opts->line_info_cnt)
		return 0;
	/*
	 * Lines inside the placeholder describe code that is gone; the kernel
	 * still wants one at the start of every function, so the first stays.
	 */
	rec = opts->line_info_rec_size;
	li = malloc((size_t)opts->line_info_cnt * rec);
	if (!li)
		return -ENOMEM;
	for (uint32_t i = 0; i < opts->line_info_cnt; i++) {
		const uint8_t *src = (const uint8_t *)opts->line_info + i * rec;
		struct bpf_line_info *l = (void *)(li + n * rec);

		memcpy(l, src, rec);
		if (l->insn_off > start && l->insn_off < end)
			continue;
		l->insn_off = moved(l->insn_off, end, delta);
		n++;
	}
	splice_now.line_info = li;
	opts->line_info = li;
	opts->line_info_cnt = n;
	return 0;
}

static int splice_prog(struct bpf_program *prog, struct bpf_prog_load_opts *opts,
		       long cookie)
{
	const struct ptd_ebpf_prog *code;
	const struct bpf_insn *old = bpf_program__insns(prog);
	size_t old_cnt = bpf_program__insn_cnt(prog), idx = 0, n = 0;
	uint32_t start = 0, end = 0;
	struct bpf_insn *insns;
	long delta;
	int rc;

	(void)cookie;
	/* lo's program runs at egress but sees incoming packets: the
	 * ingress translation (`inbound`), as tcpdump tests lo's. */
	code = splice_now.code[strcmp(bpf_program__name(prog), TC_PROG_OUT) == 0 ?
			       TC_HOOK_OUT : TC_HOOK_IN];
	if (!code)
		return 0;
	rc = find_placeholder(prog, opts, &start, &end, &idx);
	if (rc < 0)
		return rc;
	delta = (long)code->len - (long)(end - start);
	insns = calloc(old_cnt + code->len, sizeof(*insns));
	if (!insns)
		return -ENOMEM;
	for (size_t i = 0; i < old_cnt; i++) {
		struct bpf_insn in = old[i];

		if (i == start) {
			memcpy(insns + n, code->insns, code->len * sizeof(*insns));
			n += code->len;
		}
		if (i >= start && i < end)
			continue;
		/* bpf-to-bpf calls: imm is relative to the next instruction */
		if (in.code == (BPF_JMP | BPF_CALL) &&
		    in.src_reg == BPF_PSEUDO_CALL) {
			uint32_t target = (uint32_t)((long)i + in.imm + 1);

			in.imm = (int32_t)((long)moved(target, end, delta) -
					   (long)n - 1);
		}
		insns[n++] = in;
	}
	rc = splice_btf_ext(opts, start, end, delta);
	if (rc == 0)
		rc = bpf_program__set_insns(prog, insns, n);
	free(insns);
	if (rc == 0)
		splice_now.spliced++;
	return rc;
}

int tc_loader_init(struct tc_loader *ld, char *err, size_t errlen)
{
	LIBBPF_OPTS(libbpf_prog_handler_opts, hopts,
		.prog_prepare_load_fn = splice_prog);
	int id;

	if (ld->handler_id > 0)
		return 0;
	id = libbpf_register_prog_handler(TC_SECTION, BPF_PROG_TYPE_SCHED_CLS,
					  0, &hopts);
	if (id < 0) {
		snprintf(err, errlen, "cannot register the BPF section handler: %s",
			 strerror(-id));
		return id;
	}
	ld->handler_id = id;
	return 0;
}

/* libpcap's message for an expression that does not compile; what
 * bpf_compile.h adds for L3 hooks is about cgroup hooks, not devices. */
static void libpcap_message_only(char *err)
{
	char *why = strstr(err, " (the expression needs a link-layer header");

	if (why)
		*why = '\0';
}

static int compile(const struct tc_loader *ld, int linktype,
		   struct ptd_cbpf_prog *out, char *err, size_t errlen)
{
	struct ptd_cbpf_compile_req req = {
		.expression = ld->expression,
		.linktype = linktype,
		.snaplen = ld->snaplen,
		.optimize = ld->optimize,
	};
	int rc = ptd_cbpf_compile(&req, out, err, errlen);

	if (rc == -EPROTONOSUPPORT)
		libpcap_message_only(err);
	return rc;
}

int tc_loader_check(const struct tc_loader *ld, char *err, size_t errlen)
{
	struct ptd_cbpf_prog prog;
	int rc = compile(ld, DLT_EN10MB, &prog, err, errlen);

	ptd_cbpf_prog_free(&prog);
	return rc;
}

/* The programs read the owner maps of the attribution object, never
 * maps of their own: without attribution they get the smallest. */
static int share_attrib_maps(const struct tc_loader *ld,
			     struct tc_capture *skel)
{
	int with = ld->attrib_socks_fd >= 0 && ld->attrib_tuples_fd >= 0;
	int rc;

	skel->rodata->ptd_attrib = with;
	rc = tc_proc_filter_share(ld, skel, with);
	if (rc < 0)
		return rc;
	if (!with) {
		rc = bpf_map__set_max_entries(skel->maps.ptd_attrib_socks, 1);
		if (rc == 0)
			rc = bpf_map__set_max_entries(skel->maps.ptd_attrib_tuples, 1);
		return rc;
	}
	skel->rodata->ptd_netns_cookie = ld->netns_cookie;
	rc = bpf_map__reuse_fd(skel->maps.ptd_attrib_socks, ld->attrib_socks_fd);
	if (rc == 0)
		rc = bpf_map__reuse_fd(skel->maps.ptd_attrib_tuples,
				       ld->attrib_tuples_fd);
	if (rc == 0 && ld->attrib_skcache_fd >= 0)
		rc = bpf_map__reuse_fd(skel->maps.ptd_attrib_skcache,
				       ld->attrib_skcache_fd);
	return rc;
}

static int open_one(struct tc_loader *ld, int linktype, int filtering,
		    struct tc_capture **out)
{
	struct tc_capture *skel;
	int rc, no_lo;

	*out = NULL;
	skel = tc_capture__open();
	if (!skel)
		return -errno;
	skel->rodata->ptd_snaplen = ld->snaplen;
	skel->rodata->ptd_wakeup_bytes = ld->wakeup_threshold;
	skel->rodata->ptd_filtering = filtering;
	skel->rodata->ptd_l3_off = linktype == DLT_RAW ? 0 : 14;
	rc = bpf_map__set_max_entries(skel->maps.ptd_tc_events,
				      (uint32_t)ld->ringbuf_size);
	if (rc == 0)
		rc = share_attrib_maps(ld, skel);
	/* Every set writes to one ring and one set of counters. */
	if (rc == 0 && ld->n)
		rc = bpf_map__reuse_fd(skel->maps.ptd_tc_events,
				       tc_loader_events_fd(ld));
	if (rc == 0 && ld->n)
		rc = bpf_map__reuse_fd(skel->maps.ptd_tc_counters,
				       tc_loader_counters_fd(ld));
	/* Only the hooks this run uses. */
	if (rc == 0 && (!ld->others || ld->host->opts->direction == PTD_Q_IN))
		rc = bpf_program__set_autoload(skel->progs.ptd_tc_egress, false);
	if (rc == 0 && (!ld->others || ld->host->opts->direction == PTD_Q_OUT))
		rc = bpf_program__set_autoload(skel->progs.ptd_tc_ingress, false);
	/* lo's packets are incoming only (-Q out captures none there), and
	 * lo's frames are Ethernet's. */
	no_lo = !ld->loopback || ld->host->opts->direction == PTD_Q_OUT ||
		linktype != DLT_EN10MB;
	if (rc == 0 && no_lo)
		rc = bpf_program__set_autoload(skel->progs.ptd_tc_loopback, false);
	if (rc == 0 && no_lo)
		rc = bpf_program__set_autoload(skel->progs.ptd_tc_loopback_in, false);
	splice_now.btf = bpf_object__btf(skel->obj);
	if (rc == 0)
		rc = tc_capture__load(skel);
	if (rc < 0) {
		tc_capture__destroy(skel);
		return rc;
	}
	*out = skel;
	return 0;
}

static void load_error(int rc, char *err, size_t errlen)
{
	if (rc == -EPERM || rc == -EACCES)
		snprintf(err, errlen,
			 "cannot load the BPF programs: %s (run as root, or with CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON)",
			 strerror(-rc));
	else
		snprintf(err, errlen,
			 "cannot load the BPF programs: %s (--log-level debug shows why)",
			 strerror(-rc));
}

/* Translation for both hooks; 0, or -errno with the reason in why.
 * flags: PTD_XLAT_F_NO_DIRECT or 0. */
static int translate(const struct ptd_cbpf_prog *cbpf, uint32_t flags,
		     struct ptd_ebpf_prog code[TC_HOOK_COUNT], char *why,
		     size_t whylen)
{
	for (int h = 0; h < TC_HOOK_COUNT; h++) {
		struct ptd_xlat_opts xo = {
			.flags = flags | (h == TC_HOOK_OUT ? PTD_XLAT_F_EGRESS : 0),
			.max_backward_jumps = PTD_XLAT_DEFAULT_BACKWARD_JUMPS,
		};
		int rc = ptd_xlat_cbpf_opts(cbpf->insns, cbpf->len, &xo,
					    &code[h], why, whylen);

		if (rc < 0)
			return rc;
	}
	return 0;
}

static int load_set(struct tc_loader *ld, struct tc_progs *set, char *err,
		    size_t errlen)
{
	struct ptd_ebpf_prog code[TC_HOOK_COUNT] = { 0 };
	struct tc_capture *skel = NULL;
	char why[256] = "";
	int rc = 0;

	/* Direct packet reads make the filter faster and longer: a filter
	 * the verifier refuses so is tried again with helper reads only. */
	for (int pass = 0; ld->expression && pass < 2 && !skel; pass++) {
		for (int h = 0; h < TC_HOOK_COUNT; h++)
			ptd_ebpf_prog_free(&code[h]);
		rc = translate(set->cbpf, pass ? PTD_XLAT_F_NO_DIRECT : 0, code,
			       why, sizeof(why));
		if (rc == 0) {
			for (int h = 0; h < TC_HOOK_COUNT; h++)
				splice_now.code[h] = &code[h];
			rc = open_one(ld, set->linktype, 1, &skel);
			if (rc == 0 && !splice_now.spliced)
				rc = -ENOENT; /* nothing replaced: never run unfiltered */
			if (rc < 0)
				snprintf(why, sizeof(why), "%s", strerror(-rc));
			splice_reset();
		}
		if (rc < 0) {
			tc_capture__destroy(skel);
			skel = NULL;
		}
		if (rc < 0 && !pass && rc != -EPERM && rc != -EACCES)
			ptd_debug(ld->host, "the kernel refused the filter with direct packet reads (%s): trying without",
				  why);
		else if (rc < 0)
			break;
	}
	if (ld->expression) {
		if (rc == 0) {
			set->kernel_filter = 1;
		} else {
			tc_capture__destroy(skel);
			skel = NULL;
			if (!ld->warned)
				ptd_warn(ld->host, "the kernel cannot run the filter (%s): filtering in user space",
					 why);
			ld->warned = 1;
		}
	}
	if (!skel)
		rc = open_one(ld, set->linktype, 0, &skel);
	for (int h = 0; h < TC_HOOK_COUNT; h++)
		ptd_ebpf_prog_free(&code[h]);
	/* Attribution is never worth the capture: a kernel that refuses the
	 * owner lookup gets the programs without it. */
	if (rc < 0 && rc != -EPERM && ld->attrib_socks_fd >= 0 &&
	    !ld->proc_filter) {
		ptd_warn(ld->host, "the kernel refuses the programs with the process lookup (%s): capturing without",
			 strerror(-rc));
		ld->attrib_socks_fd = ld->attrib_tuples_fd = -1;
		ld->attrib_skcache_fd = -1;
		return load_set(ld, set, err, errlen);
	}
	if (rc < 0) {
		load_error(rc, err, errlen);
		return rc;
	}
	set->skel = skel;
	set->prog_fd[TC_HOOK_IN] = bpf_program__fd(skel->progs.ptd_tc_ingress);
	set->prog_fd[TC_HOOK_OUT] = bpf_program__fd(skel->progs.ptd_tc_egress);
	set->prog_fd_lo = bpf_program__fd(skel->progs.ptd_tc_loopback);
	set->prog_fd_lo_in = bpf_program__fd(skel->progs.ptd_tc_loopback_in);
	return 0;
}

static void free_set(struct tc_progs *set)
{
	if (!set)
		return;
	tc_capture__destroy(set->skel);
	ptd_cbpf_prog_free(set->cbpf);
	free(set->cbpf);
	free(set);
}

int tc_loader_get(struct tc_loader *ld, int linktype, struct tc_progs **out,
		  char *err, size_t errlen)
{
	struct tc_progs *set;
	int rc;

	*out = NULL;
	for (size_t i = 0; i < ld->n; i++) {
		if (ld->set[i]->linktype == linktype) {
			*out = ld->set[i];
			return 0;
		}
	}
	if (ld->n == sizeof(ld->set) / sizeof(ld->set[0])) {
		snprintf(err, errlen, "too many link types");
		return -E2BIG;
	}
	set = calloc(1, sizeof(*set));
	if (set)
		set->cbpf = calloc(1, sizeof(*set->cbpf));
	if (!set || !set->cbpf) {
		free(set);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	set->linktype = linktype;
	rc = ld->expression ? compile(ld, linktype, set->cbpf, err, errlen) : 0;
	if (rc == 0)
		rc = load_set(ld, set, err, errlen);
	if (rc < 0) {
		free_set(set);
		return rc;
	}
	ld->set[ld->n++] = set;
	*out = set;
	return 0;
}

int tc_loader_events_fd(const struct tc_loader *ld)
{
	const struct tc_capture *skel = ld->n ? ld->set[0]->skel : NULL;

	return skel ? bpf_map__fd(skel->maps.ptd_tc_events) : -1;
}

int tc_loader_counters_fd(const struct tc_loader *ld)
{
	const struct tc_capture *skel = ld->n ? ld->set[0]->skel : NULL;

	return skel ? bpf_map__fd(skel->maps.ptd_tc_counters) : -1;
}

void tc_loader_fini(struct tc_loader *ld)
{
	for (size_t i = 0; i < ld->n; i++)
		free_set(ld->set[i]);
	ld->n = 0;
	/* libbpf keeps the handler in a global table: never leave it
	 * pointing into a plugin that may be unloaded. */
	if (ld->handler_id > 0)
		libbpf_unregister_prog_handler(ld->handler_id);
	ld->handler_id = 0;
}
