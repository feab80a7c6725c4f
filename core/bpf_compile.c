/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pcap-filter expressions to classic BPF.  The only file that includes
 * <pcap.h>: see bpf_compile.h for why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap.h>

#include "core/bpf_compile.h"

#define PTD_DEFAULT_SNAPLEN 262144

_Static_assert(sizeof(struct ptd_cbpf_insn) == sizeof(struct bpf_insn),
	       "ptd_cbpf_insn must mirror libpcap's struct bpf_insn");
_Static_assert(offsetof(struct ptd_cbpf_insn, k) == offsetof(struct bpf_insn, k),
	       "ptd_cbpf_insn must mirror libpcap's struct bpf_insn");

static void set_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

/* One pcap_compile() on a dead handle.  Returns 0, -EINVAL with libpcap's
 * message in err, or -ENOMEM. */
static int compile_one(const struct ptd_cbpf_compile_req *req, int linktype,
		       struct bpf_program *bp, char *err, size_t errlen)
{
	const char *expr = req->expression ? req->expression : "";
	int snaplen = req->snaplen ? (int)req->snaplen : PTD_DEFAULT_SNAPLEN;
	pcap_t *p;
	int ret = 0;

	p = pcap_open_dead(linktype, snaplen);
	if (!p) {
		set_err(err, errlen, "pcap_open_dead failed");
		return -ENOMEM;
	}
	if (pcap_compile(p, bp, expr, req->optimize, req->netmask) < 0) {
		set_err(err, errlen, pcap_geterr(p));
		ret = -EINVAL;
	}
	pcap_close(p);
	return ret;
}

/* At L3 hooks an expression about link-layer headers cannot compile; what
 * libpcap says then ("not a broadcast link", ...) does not tell the user
 * that the hook is the reason, so add it when Ethernet would have worked. */
static int explain_missing_l2(const struct ptd_cbpf_compile_req *req,
			      char *err, size_t errlen)
{
	struct bpf_program bp;
	char why[PCAP_ERRBUF_SIZE];

	if (req->linktype != DLT_RAW || !err || !errlen)
		return -EINVAL;
	if (compile_one(req, DLT_EN10MB, &bp, NULL, 0) < 0)
		return -EINVAL;
	pcap_freecode(&bp);
	snprintf(why, sizeof(why), "%s", err);
	snprintf(err, errlen, "%s (the expression needs a link-layer header, "
		 "but at this hook packets start at the IP header)", why);
	return -EPROTONOSUPPORT;
}

int ptd_cbpf_compile(const struct ptd_cbpf_compile_req *req,
		     struct ptd_cbpf_prog *out, char *err, size_t errlen)
{
	struct bpf_program bp = { 0 };
	int ret;

	out->insns = NULL;
	out->len = 0;
	ret = compile_one(req, req->linktype, &bp, err, errlen);
	if (ret == -EINVAL)
		ret = explain_missing_l2(req, err, errlen);
	if (ret < 0)
		goto out;

	out->insns = calloc(bp.bf_len ? bp.bf_len : 1, sizeof(*out->insns));
	if (!out->insns) {
		set_err(err, errlen, strerror(ENOMEM));
		ret = -ENOMEM;
		goto out;
	}
	memcpy(out->insns, bp.bf_insns, bp.bf_len * sizeof(*bp.bf_insns));
	out->len = bp.bf_len;
out:
	if (bp.bf_insns)
		pcap_freecode(&bp);
	return ret;
}

void ptd_cbpf_prog_free(struct ptd_cbpf_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	prog->insns = NULL;
	prog->len = 0;
}

uint32_t ptd_cbpf_filter(const struct ptd_cbpf_prog *prog, const uint8_t *pkt,
			 uint32_t wirelen, uint32_t caplen)
{
	struct bpf_program bp = {
		.bf_len = (u_int)prog->len,
		.bf_insns = (struct bpf_insn *)prog->insns,
	};
	struct pcap_pkthdr h = { .caplen = caplen, .len = wirelen };

	if (!prog->len)
		return 0;
	return (uint32_t)pcap_offline_filter(&bp, &h, pkt);
}

int ptd_cbpf_dump(const struct ptd_cbpf_prog *prog, char *buf, size_t buflen)
{
	size_t used = 0;
	size_t i;
	int n;

	if (!buflen)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; i < prog->len; i++) {
		struct bpf_insn *insn = (struct bpf_insn *)&prog->insns[i];
		const char *line = bpf_image(insn, (int)i);

		if (!line)
			return -ENOMEM;
		n = snprintf(buf + used, buflen - used, "%s\n", line);
		if (n < 0 || (size_t)n >= buflen - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	return 0;
}
