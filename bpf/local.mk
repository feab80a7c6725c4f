# rules for bpf: the kernel programs, compiled with clang's BPF target and
# turned into skeleton headers (bpftool gen skeleton) that plugins embed.
# Objects and skeletons are built in the build tree and never distributed.

# Sources are distributed even where the toolchain is missing, so a tarball
# made on such a host still builds the tc backend elsewhere.
EXTRA_DIST += \
	bpf/README \
	bpf/proc_filter.h \
	bpf/ptd_vmlinux.h \
	bpf/tc_capture.bpf.c \
	bpf/tc_capture.h

BPF_CFLAGS = -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_TARGET_ARCH) \
	-Wall -Wno-unused-value -Wno-pointer-sign \
	-I$(top_srcdir)/bpf -I$(top_builddir)/bpf \
	$(LIBBPF_CFLAGS) $(BPF_SYS_INCLUDES)

# Three steps per program, spelled out (automake wants no '%' rules):
#   clang -> NAME.tmp.bpf.o; bpftool gen object -> NAME.bpf.o (the static
#   linker drops DWARF, so the embedded object stays small); bpftool gen
#   skeleton -> NAME.skel.h.  $(BPF_SKEL_NAME) is NAME.
BPF_CC = $(AM_V_GEN)$(MKDIR_P) bpf && $(CLANG) $(BPF_CFLAGS) -c -o
BPF_LINK = $(AM_V_GEN)$(BPFTOOL) gen object
BPF_SKEL = $(AM_V_GEN)$(BPFTOOL) gen skeleton

if HAVE_BPF_TOOLCHAIN
BPF_SKELETONS =
if BUILD_BACKEND_TC
BPF_SKELETONS += bpf/tc_capture.skel.h
bpf/tc_capture.tmp.bpf.o: $(srcdir)/bpf/tc_capture.bpf.c \
		$(srcdir)/bpf/tc_capture.h $(srcdir)/bpf/attrib_lookup.h \
		$(srcdir)/bpf/attrib.h $(srcdir)/bpf/proc_filter.h
	$(BPF_CC) $@ $(srcdir)/bpf/tc_capture.bpf.c
bpf/tc_capture.bpf.o: bpf/tc_capture.tmp.bpf.o
	$(BPF_LINK) $@ bpf/tc_capture.tmp.bpf.o
bpf/tc_capture.skel.h: bpf/tc_capture.bpf.o
	$(BPF_SKEL) bpf/tc_capture.bpf.o name tc_capture > $@.tmp && mv -f $@.tmp $@
endif

# Plugins include their skeleton: make it before any object compiles.
BUILT_SOURCES += $(BPF_SKELETONS)
CLEANFILES += $(BPF_SKELETONS) $(BPF_SKELETONS:.skel.h=.bpf.o) \
	$(BPF_SKELETONS:.skel.h=.tmp.bpf.o)
endif
