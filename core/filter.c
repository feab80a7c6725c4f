#include "config.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "core/filter.h"

#define MAX_LINKTYPES 8

struct compiled {
	int linktype;
	struct bpf_program prog;
};

struct ptd_ufilter {
	char *expression;
	int optimize;
	struct compiled progs[MAX_LINKTYPES];
	size_t n;
};

struct ptd_ufilter *ptd_ufilter_new(const char *expression, int optimize)
{
	struct ptd_ufilter *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->optimize = optimize;
	f->expression = strdup(expression ? expression : "");
	if (!f->expression) {
		free(f);
		return NULL;
	}
	return f;
}

void ptd_ufilter_free(struct ptd_ufilter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		pcap_freecode(&f->progs[i].prog);
	free(f->expression);
	free(f);
}

static int compile(const char *expression, int optimize, int linktype,
		   uint32_t snaplen, struct bpf_program *prog, char *err,
		   size_t errlen)
{
	pcap_t *p = pcap_open_dead(linktype, (int)(snaplen ? snaplen : 262144));
	int rc = 0;

	if (!p) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (pcap_compile(p, prog, expression, optimize, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		rc = -EINVAL;
	}
	pcap_close(p);
	return rc;
}

static struct compiled *lookup(struct ptd_ufilter *f, int linktype,
			       uint32_t snaplen, char *err, size_t errlen)
{
	struct compiled *c;

	for (size_t i = 0; i < f->n; i++)
		if (f->progs[i].linktype == linktype)
			return &f->progs[i];
	if (f->n == MAX_LINKTYPES) {
		snprintf(err, errlen, "too many link types in one capture (%d)",
			 MAX_LINKTYPES);
		return NULL;
	}
	c = &f->progs[f->n];
	if (compile(f->expression, f->optimize, linktype, snaplen, &c->prog,
		    err, errlen) < 0)
		return NULL;
	c->linktype = linktype;
	f->n++;
	return c;
}

int ptd_ufilter_prepare(struct ptd_ufilter *f, int linktype, uint32_t snaplen,
			char *err, size_t errlen)
{
	if (!f->expression[0])
		return 0;
	return lookup(f, linktype, snaplen, err, errlen) ? 0 : -EINVAL;
}

int ptd_ufilter_match(struct ptd_ufilter *f, const struct ptd_packet *pkt,
		      char *err, size_t errlen)
{
	struct pcap_pkthdr hdr;
	struct compiled *c;

	if (!f->expression[0])
		return 1;
	c = lookup(f, pkt->iface ? pkt->iface->linktype : DLT_EN10MB,
		   pkt->iface ? pkt->iface->snaplen : 262144, err, errlen);
	if (!c)
		return -EINVAL;
	memset(&hdr, 0, sizeof(hdr));
	hdr.caplen = pkt->caplen;
	hdr.len = pkt->len;
	return pcap_offline_filter(&c->prog, &hdr, pkt->data) != 0;
}

int ptd_ufilter_dump(struct ptd_ufilter *f, int linktype, uint32_t snaplen,
		     int level, FILE *out, char *err, size_t errlen)
{
	struct bpf_program prog;
	int rc;

	/* tcpdump -d with no expression dumps the accept-all program. */
	rc = compile(f->expression, f->optimize, linktype, snaplen, &prog, err, errlen);
	if (rc < 0)
		return rc;
	fflush(out);
	if (out == stdout) {
		bpf_dump(&prog, level);
	} else {
		snprintf(err, errlen, "filter dumps go to standard output only");
		rc = -EINVAL;
	}
	pcap_freecode(&prog);
	return rc;
}
