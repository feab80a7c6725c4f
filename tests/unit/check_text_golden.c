// SPDX-License-Identifier: BSD-2-Clause
/*
 * Golden tests for the text and hex printers: every case of
 * tests/golden/TESTLIST replays a capture through both printers with the
 * given tcpdump flags and compares the bytes with what tcpdump printed.
 * Plus the ptcpdump process-context layout, on synthetic metadata.
 *
 * Also a tool: check_text_golden --dump CAPTURE [FLAGS...] prints what the
 * printers make of a capture, to diff against tcpdump by hand.
 */
#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_host.h"
#include "hex-printer.h"
#include "text-printer.h"

#define MAX_CASES 256

struct golden_case {
	char name[64];
	char pcap[64];
	char flags[128];
};

static struct golden_case cases[MAX_CASES];
static int n_cases;
static char golden_dir[4096];

/* tcpdump's letters into the options the core would hand over. */
static int parse_flags(struct ptd_options *o, const char *flags)
{
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", flags);
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		const char *c;

		if (strcmp(tok, "--nano") == 0) {
			o->nano = 1;
			continue;
		}
		if (strcmp(tok, "--oneline") == 0) {
			o->oneline = 1;
			continue;
		}
		if (tok[0] != '-')
			return -EINVAL;
		for (c = tok + 1; *c; c++) {
			switch (*c) {
			case 'n': o->numeric++; break;
			case 'v': o->verbose++; break;
			case 'q': o->quiet = 1; break;
			case 'e': o->link_header = 1; break;
			case 'S': o->absolute_seq = 1; break;
			case 'K': o->no_verify_checksums = 1; break;
			case 't': o->tstamp = o->tstamp ? o->tstamp + 1 : 1; break;
			case 'x': o->hex++; break;
			case 'X': o->hex_ascii++; break;
			case 'A': o->ascii++; break;
			case '#': o->print_number = 1; break;
			default: return -EINVAL;
			}
		}
	}
	return 0;
}

/* Runs a capture through text then hex, as the core does, into out. */
static int replay(const char *path, const char *flags, FILE *out)
{
	struct text_printer *tp = NULL;
	struct hex_printer *hp = NULL;
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	struct fake_host fh;
	struct ptd_iface ifc;
	const u_char *data;
	uint64_t number = 0;
	pcap_t *pc;
	int err;

	fake_host_init(&fh, "printer", "text");
	err = parse_flags(&fh.opts, flags);
	if (err)
		return err;
	pc = pcap_open_offline_with_tstamp_precision(path,
			PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!pc) {
		fprintf(stderr, "%s: %s\n", path, errbuf);
		return -ENOENT;
	}
	memset(&ifc, 0, sizeof(ifc));
	ifc.linktype = pcap_datalink(pc);
	ifc.snaplen = (uint32_t)pcap_snapshot(pc);
	ifc.tsprec = PTD_TSPREC_NANO;
	err = text_printer_new(&fh.host, out, &tp);
	if (!err)
		err = hex_printer_new(&fh.host, out, &hp);
	while (!err && pcap_next_ex(pc, &h, &data) == 1) {
		struct ptd_packet pkt = { .size = sizeof(pkt) };
		struct ptd_meta meta = { .size = sizeof(meta) };

		pkt.ts_ns = (uint64_t)h->ts.tv_sec * 1000000000u +
			    (uint64_t)h->ts.tv_usec;
		pkt.caplen = h->caplen;
		pkt.len = h->len;
		pkt.data = data;
		pkt.iface = &ifc;
		meta.number = ++number;
		err = text_printer_print(tp, &pkt, &meta);
		if (!err)
			err = hex_printer_print(hp, &pkt, &meta);
	}
	text_printer_free(tp);
	hex_printer_free(hp);
	pcap_close(pc);
	fflush(out);
	return err;
}

static char *slurp(FILE *f, size_t *len)
{
	char *buf = NULL;
	long size;

	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0)
		return NULL;
	rewind(f);
	buf = malloc((size_t)size + 1);
	if (!buf)
		return NULL;
	*len = fread(buf, 1, (size_t)size, f);
	buf[*len] = '\0';
	return buf;
}

/* The first line where the outputs part, for a readable failure. */
static void report_diff(const char *name, const char *want, const char *got)
{
	int line = 1;
	const char *w = want, *g = got;

	while (*w && *w == *g) {
		if (*w == '\n')
			line++;
		w++;
		g++;
	}
	while (w > want && w[-1] != '\n')
		w--;
	while (g > got && g[-1] != '\n')
		g--;
	fprintf(stderr, "%s: line %d differs\n  want: %.*s\n  got:  %.*s\n",
		name, line, (int)strcspn(w, "\n"), w, (int)strcspn(g, "\n"), g);
}

START_TEST(test_golden_case)
{
	const struct golden_case *c = &cases[_i];
	char path[4600], expect_path[4600];
	char *want, *got;
	size_t wlen, glen;
	FILE *out, *ef;

	snprintf(path, sizeof(path), "%s/%s", golden_dir, c->pcap);
	snprintf(expect_path, sizeof(expect_path), "%s/%s.out", golden_dir,
		 c->name);
	out = tmpfile();
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(replay(path, c->flags, out), 0);
	ef = fopen(expect_path, "rb");
	ck_assert_msg(ef != NULL, "missing %s", expect_path);
	want = slurp(ef, &wlen);
	got = slurp(out, &glen);
	ck_assert_ptr_nonnull(want);
	ck_assert_ptr_nonnull(got);
	if (wlen != glen || memcmp(want, got, wlen) != 0)
		report_diff(c->name, want, got);
	ck_assert_msg(wlen == glen && memcmp(want, got, wlen) == 0,
		      "case %s (%s %s) differs from tcpdump", c->name, c->pcap,
		      c->flags);
	free(want);
	free(got);
	fclose(ef);
	fclose(out);
}
END_TEST

static int load_testlist(void)
{
	char path[4200], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/TESTLIST", golden_dir);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f) && n_cases < MAX_CASES) {
		struct golden_case *c = &cases[n_cases];
		int off = 0;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "%63s %63s %n", c->name, c->pcap, &off) < 2)
			continue;
		snprintf(c->flags, sizeof(c->flags), "%s", line + off);
		n_cases++;
	}
	fclose(f);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Process context, laid out as upstream ptcpdump prints it.          */

/* 127.0.0.1.5000 > 127.0.0.1.5001, UDP, 3 bytes of payload. */
static const uint8_t udp_frame[] = {
	0x0a, 0x55, 0x04, 0x22, 0x31, 0x52, 0x02, 0xfc, 0x00, 0x00, 0x00, 0x01,
	0x08, 0x00,
	0x45, 0x00, 0x00, 0x1f, 0x00, 0x01, 0x40, 0x00, 0x40, 0x11, 0x3c, 0xcb,
	0x7f, 0x00, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x01,
	0x13, 0x88, 0x13, 0x89, 0x00, 0x0b, 0x00, 0x00, 'o', 'u', 't',
};

#define CTX_LINE "IP 127.0.0.1.5000 > 127.0.0.1.5001: UDP, length 3"
#define CTX_VLINE "IP (tos 0x0, ttl 64, id 1, offset 0, flags [DF], " \
	"proto UDP (17), length 31)\n    127.0.0.1.5000 > 127.0.0.1.5001: " \
	"UDP, length 3"

struct ctx_case {
	const char *flags;
	uint32_t context;
	const char *ifname;
	int linktype;
	enum ptd_direction dir;
	int with_process;
	const char *want;
};

static const struct ctx_case ctx_cases[] = {
	{ "-n", PTD_CTX_ALL, "eth0", DLT_EN10MB, PTD_DIR_OUT, 1,
	  "13:40:01.001007 eth0 wget.3553008 Out " CTX_LINE
	  ", ParentProc [python3.834381], Container [test], "
	  "Pod [test.default]\n" },
	{ "-n", PTD_CTX_PROCESS, "eth0", DLT_EN10MB, PTD_DIR_IN, 1,
	  "13:40:01.001007 eth0 wget.3553008 In " CTX_LINE "\n" },
	{ "-n", PTD_CTX_PARENTPROC, "eth0", DLT_EN10MB, PTD_DIR_IN, 1,
	  "13:40:01.001007 eth0 In " CTX_LINE ", ParentProc [python3.834381]\n" },
	{ "-n", PTD_CTX_ALL, "eth0", DLT_EN10MB, PTD_DIR_OUT, 0,
	  "13:40:01.001007 eth0 Out " CTX_LINE "\n" },
	{ "-n -q -#", PTD_CTX_ALL, "lo", DLT_EN10MB, PTD_DIR_OUT, 1,
	  "    1  13:40:01.001007 lo wget.3553008 Out " CTX_LINE
	  ", ParentProc [python3.834381], Container [test], "
	  "Pod [test.default]\n" },
	{ "-n -v", PTD_CTX_ALL, "eth0", DLT_EN10MB, PTD_DIR_OUT, 1,
	  "13:40:01.001007 eth0 Out " CTX_VLINE "\n"
	  "    Process (pid 3553008, cmd /usr/bin/wget, args wget kernel.org)\n"
	  "    Thread (tid 3553009, name wget)\n"
	  "    User (uid 1000)\n"
	  "    ParentProc (pid 834381, cmd /bin/sh, args sh)\n"
	  "    Container (name test, id d9028334568b, image alpine:3.18, "
	  "labels {\"run\":\"test\"})\n"
	  "    Pod (name test, namespace default, UID 9e4bc54b, labels "
	  "{\"run\":\"test\"}, annotations {})\n" },
	{ "-n -v", PTD_CTX_PROCESS, "eth0", DLT_EN10MB, PTD_DIR_IN, 1,
	  "13:40:01.001007 eth0 In " CTX_VLINE "\n"
	  "    Process (pid 3553008, cmd /usr/bin/wget, args wget kernel.org)\n" },
	{ "-n -v --oneline", PTD_CTX_PROCESS | PTD_CTX_USER, "eth0",
	  DLT_EN10MB, PTD_DIR_IN, 1,
	  "13:40:01.001007 eth0 In IP (tos 0x0, ttl 64, id 1, offset 0, "
	  "flags [DF], proto UDP (17), length 31), 127.0.0.1.5000 > "
	  "127.0.0.1.5001: UDP, length 3, Process (pid 3553008, cmd "
	  "/usr/bin/wget, args wget kernel.org), User (uid 1000)\n" },
	/* Without a known direction, or with cooked headers that carry
	 * their own interface column, the prefix is tcpdump's. */
	{ "-n", PTD_CTX_PROCESS, "eth0", DLT_EN10MB, PTD_DIR_UNKNOWN, 0,
	  "13:40:01.001007 " CTX_LINE "\n" },
	{ "-n", PTD_CTX_PROCESS, NULL, DLT_EN10MB, PTD_DIR_OUT, 0,
	  "13:40:01.001007 " CTX_LINE "\n" },
};

static void fill_meta(struct ptd_meta *m)
{
	struct ptd_process_meta *p = &m->process;

	p->pid = 3553008;
	p->tid = 3553009;
	p->uid = 1000;
	p->have_uid = 1;
	p->comm = "wget";
	p->cmd = "/usr/bin/wget";
	p->args = "wget kernel.org";
	p->ppid = 834381;
	p->parent_comm = "python3";
	p->parent_cmd = "/bin/sh";
	p->parent_args = "sh";
	m->container.id = "d9028334568b";
	m->container.name = "test";
	m->container.image = "alpine:3.18";
	m->container.labels_json = "{\"run\":\"test\"}";
	m->pod.name = "test";
	m->pod.namespace_ = "default";
	m->pod.uid = "9e4bc54b";
	m->pod.labels_json = "{\"run\":\"test\"}";
	m->pod.annotations_json = "{}";
}

START_TEST(test_context_layout)
{
	const struct ctx_case *c = &ctx_cases[_i];
	struct ptd_packet pkt = { .size = sizeof(pkt) };
	struct ptd_meta meta = { .size = sizeof(meta) };
	struct text_printer *tp;
	struct ptd_iface ifc;
	struct fake_host fh;
	size_t len;
	char *got;
	FILE *out;

	fake_host_init(&fh, "printer", "text");
	ck_assert_int_eq(parse_flags(&fh.opts, c->flags), 0);
	fh.opts.context = c->context;
	memset(&ifc, 0, sizeof(ifc));
	ifc.linktype = c->linktype;
	ifc.name = c->ifname;
	pkt.ts_ns = 1795786801001007000ull;
	pkt.caplen = pkt.len = sizeof(udp_frame);
	pkt.data = udp_frame;
	pkt.iface = &ifc;
	pkt.direction = c->dir;
	memcpy(pkt.comm, "wget-thread", 12);
	meta.number = 1;
	if (c->with_process)
		fill_meta(&meta);
	out = tmpfile();
	ck_assert_ptr_nonnull(out);
	ck_assert_int_eq(text_printer_new(&fh.host, out, &tp), 0);
	ck_assert_int_eq(text_printer_print(tp, &pkt, &meta), 0);
	text_printer_free(tp);
	fflush(out);
	got = slurp(out, &len);
	ck_assert_str_eq(got, c->want);
	free(got);
	fclose(out);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The built modules: one exported descriptor each, of the right kind. */

static const struct {
	const char *file;
	const char *name;
	uint32_t roles;
} modules[] = {
	{ "printer-text.so", "text", PTD_PRINTER_TEXT },
	{ "printer-hex.so", "hex", PTD_PRINTER_DUMP },
};

START_TEST(test_module_descriptor)
{
	const char *builddir = getenv("top_builddir");
	const struct ptd_printer_plugin *pp;
	char path[4200], err[PTD_ERRBUF_SIZE] = "";
	struct fake_host fh;
	void *handle, *state = NULL;

	snprintf(path, sizeof(path), "%s/plugins/%s",
		 builddir ? builddir : ".", modules[_i].file);
	handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(handle != NULL, "dlopen %s: %s", path, dlerror());
	pp = dlsym(handle, PTD_PLUGIN_SYMBOL);
	ck_assert_ptr_nonnull(pp);
	ck_assert_uint_eq(pp->common.hdr.abi, PTD_ABI_VERSION);
	ck_assert_uint_eq(pp->common.hdr.kind, PTD_KIND_PRINTER);
	ck_assert_uint_eq(pp->common.hdr.size, sizeof(*pp));
	ck_assert_str_eq(pp->common.name, modules[_i].name);
	ck_assert_uint_eq(pp->roles, modules[_i].roles);
	ck_assert_ptr_nonnull(pp->print);
	/* Nothing but the descriptor leaves the module. */
	ck_assert_ptr_null(dlsym(handle, "nd_print_packet"));
	fake_host_init(&fh, "printer", modules[_i].name);
	ck_assert_int_eq(pp->common.init(&fh.host, NULL, &state, err), 0);
	ck_assert_int_eq(pp->common.start(state, err), 0);
	pp->common.stop(state);
	pp->common.fini(state);
	dlclose(handle);
}
END_TEST

static int dump_main(int argc, char **argv)
{
	char flags[256] = "";
	int i;

	for (i = 3; i < argc; i++) {
		strncat(flags, argv[i], sizeof(flags) - strlen(flags) - 2);
		strcat(flags, " ");
	}
	return replay(argv[2], flags, stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("top_srcdir");
	Suite *s;
	TCase *tc;
	SRunner *sr;
	int failed;

	/* tcpdump's expected output was made with TZ=GMT0. */
	setenv("TZ", "GMT0", 1);
	tzset();
	if (argc >= 3 && strcmp(argv[1], "--dump") == 0)
		return dump_main(argc, argv);
	snprintf(golden_dir, sizeof(golden_dir), "%s/tests/golden",
		 srcdir ? srcdir : ".");
	if (load_testlist() != 0) {
		fprintf(stderr, "cannot read %s/TESTLIST\n", golden_dir);
		return 1;
	}
	s = suite_create("text_golden");
	tc = tcase_create("golden");
	tcase_add_loop_test(tc, test_golden_case, 0, n_cases);
	suite_add_tcase(s, tc);
	tc = tcase_create("context");
	tcase_add_loop_test(tc, test_context_layout, 0,
			    (int)(sizeof(ctx_cases) / sizeof(ctx_cases[0])));
	suite_add_tcase(s, tc);
	tc = tcase_create("modules");
	tcase_add_loop_test(tc, test_module_descriptor, 0,
			    (int)(sizeof(modules) / sizeof(modules[0])));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
