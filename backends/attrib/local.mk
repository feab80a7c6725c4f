# Socket -> process attribution for the live backends: the BPF programs in
# bpf/attrib.bpf.c and their user space, a convenience library the backend
# plugins link (libtool objects are PIC, so it goes into modules).  Only
# useful with a live backend, which also brings the BPF toolchain.
EXTRA_DIST += \
	bpf/attrib.bpf.c \
	bpf/attrib.h \
	bpf/attrib_lookup.h \
	backends/attrib/attrib.h \
	tests/e2e/attrib.sh \
	tests/e2e/attrib-peer.py

if BUILD_BACKEND_TC
# The same three steps as bpf/local.mk: clang, bpftool gen object (drops
# DWARF), bpftool gen skeleton.
bpf/attrib.tmp.bpf.o: $(srcdir)/bpf/attrib.bpf.c $(srcdir)/bpf/attrib.h \
		$(srcdir)/bpf/attrib_lookup.h $(srcdir)/bpf/ptd_vmlinux.h \
		$(srcdir)/bpf/proc_filter.h
	$(BPF_CC) $@ $(srcdir)/bpf/attrib.bpf.c
bpf/attrib.bpf.o: bpf/attrib.tmp.bpf.o
	$(BPF_LINK) $@ bpf/attrib.tmp.bpf.o
bpf/attrib.skel.h: bpf/attrib.bpf.o
	$(BPF_SKEL) bpf/attrib.bpf.o name attrib > $@.tmp && mv -f $@.tmp $@

BUILT_SOURCES += bpf/attrib.skel.h
CLEANFILES += bpf/attrib.skel.h bpf/attrib.bpf.o bpf/attrib.tmp.bpf.o

noinst_LTLIBRARIES += backends/attrib/libptdattrib.la
backends_attrib_libptdattrib_la_SOURCES = \
	backends/attrib/attrib.h \
	backends/attrib/attrib.c \
	backends/attrib/seed.h \
	backends/attrib/seed_diag.c
nodist_backends_attrib_libptdattrib_la_SOURCES = bpf/attrib.skel.h
backends_attrib_libptdattrib_la_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS)
backends_attrib_libptdattrib_la_LIBADD = $(LIBBPF_LIBS)

# Privileged: loads the library, makes traffic in namespaces of its own and
# checks the owners the maps give; skips (77) otherwise.
check_PROGRAMS += tests/e2e/attrib-probe
tests_e2e_attrib_probe_SOURCES = tests/e2e/attrib-probe.c
tests_e2e_attrib_probe_LDADD = backends/attrib/libptdattrib.la $(LIBBPF_LIBS)
TESTS += tests/e2e/attrib.sh
endif
