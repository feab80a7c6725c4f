#!/bin/sh
# The plugin SDK as a third party sees it.  Install the build into a
# DESTDIR, build tests/sdk/enricher-hello.c with nothing but the installed
# headers and `pkg-config --cflags ptcpdump-plugin`, and run the installed
# binary with the installed plugins and plugins.d plus that enricher.  Also
# check what the install holds: every plugin exports exactly one dynamic
# symbol, ptcpdump_plugin, and no libtool .la file is installed.
#
# Environment (set by make check): top_srcdir, top_builddir, the configured
# layout (ptd_bindir, ptd_pkglibdir, ptd_plugconfdir, ptd_pkgconfigdir,
# ptd_includedir), CC and PKG_CONFIG.  Writes only under a temporary
# directory, so it is safe with a read-only source tree (make distcheck).
# Exit 0 passed, 1 failed, 77 when a tool it needs is missing.

set -u
umask 022

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
: "${ptd_bindir:=/usr/local/bin}"
: "${ptd_pkglibdir:=/usr/local/lib/ptcpdump}"
: "${ptd_plugconfdir:=/usr/local/etc/ptcpdump/plugins.d}"
: "${ptd_pkgconfigdir:=/usr/local/lib/pkgconfig}"
: "${ptd_includedir:=/usr/local/include}"
CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
sample=$top_srcdir/tests/data/lo-tcp-udp-icmp.pcap
# lib.sh wants the build's binary named; this test runs the installed one.
PTCPDUMP=${PTCPDUMP:-$top_builddir/ptcpdump}

. "$top_srcdir/tests/lib.sh"

for tool in make nm "$PKG_CONFIG"; do
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool is not installed"
done
# CC may carry flags ("gcc -std=gnu11"): look up its first word only.
set -- $CC
command -v "$1" >/dev/null 2>&1 || skip_all "no C compiler ($CC)"
[ -f "$top_builddir/Makefile" ] || skip_all "no configured build tree at $top_builddir"

work=$scratch

# The defined dynamic symbols of a shared object, one per line.
exported() {
	nm -D --defined-only "$1" 2>&1 | awk '{ print $NF }'
}

# --------------------------------------------------------------- install
# install-exec + install-data is `make install` without its `all` step:
# the build is complete already, and `all` rewrites the build tree's
# plugins/ directory, which other tests may be running ptcpdump from.  The
# outer make's flags (jobserver, TESTS=...) are not the install's business.
dest=$work/dest
if (unset MAKEFLAGS MFLAGS MAKELEVEL
    make -C "$top_builddir" install-exec install-data DESTDIR="$dest") \
	>"$work/install.log" 2>&1; then
	ok "make install DESTDIR=..."
else
	not_ok "make install DESTDIR=..." "$(tail -20 "$work/install.log")"
	finish
fi

bin=$dest$ptd_bindir/ptcpdump
plugdir=$dest$ptd_pkglibdir
confdir=$dest$ptd_plugconfdir
pcdir=$dest$ptd_pkgconfigdir
incdir=$dest$ptd_includedir

missing=
for f in "$bin" "$pcdir/ptcpdump-plugin.pc" "$incdir/ptcpdump/plugin.h" \
	 "$incdir/ptcpdump/packet.h" "$incdir/ptcpdump/options.h"; do
	[ -f "$f" ] || missing="$missing ${f#"$dest"}"
done
ls "$plugdir"/*.so >/dev/null 2>&1 || missing="$missing $ptd_pkglibdir/*.so"
ls "$confdir"/*.conf >/dev/null 2>&1 || missing="$missing $ptd_plugconfdir/*.conf"
if [ -z "$missing" ]; then
	ok "installed: binary, SDK headers, pkg-config file, plugins, plugins.d"
else
	not_ok "installed: binary, SDK headers, pkg-config file, plugins, plugins.d" \
		"missing:$missing"
	finish
fi

las=$(cd "$dest" && find . -name '*.la')
if [ -z "$las" ]; then
	ok "no libtool .la files installed"
else
	not_ok "no libtool .la files installed" "found: $las"
fi

for so in "$plugdir"/*.so; do
	syms=$(exported "$so")
	if [ "$syms" = ptcpdump_plugin ]; then
		ok "${so##*/} exports only ptcpdump_plugin"
	else
		not_ok "${so##*/} exports only ptcpdump_plugin" "exports:" $syms
	fi
done

# ------------------------------------------------- a third-party plugin
# Only the installed .pc is visible (PKG_CONFIG_LIBDIR), and the sysroot
# points its -I into DESTDIR; a prefix of /usr must not be filtered out.
cflags=$(PKG_CONFIG_LIBDIR=$pcdir PKG_CONFIG_PATH= PKG_CONFIG_SYSROOT_DIR=$dest \
	 PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 "$PKG_CONFIG" --cflags ptcpdump-plugin 2>&1)
case " $cflags " in
*" -I$incdir "*) ok "pkg-config --cflags ptcpdump-plugin points into the install" ;;
*) not_ok "pkg-config --cflags ptcpdump-plugin points into the install" \
	"got: $cflags" "want: -I$incdir"
   finish ;;
esac

hello=$work/enricher-hello.so
# shellcheck disable=SC2086 # CC and cflags are word lists
if $CC -shared -fPIC -fvisibility=hidden -Wall -Wextra -Werror $cflags \
	-o "$hello" "$top_srcdir/tests/sdk/enricher-hello.c" >"$work/cc.log" 2>&1; then
	ok "enricher-hello.c builds against the installed SDK alone"
else
	not_ok "enricher-hello.c builds against the installed SDK alone" \
		"$CC -shared -fPIC -fvisibility=hidden $cflags" "$(head -20 "$work/cc.log")"
	finish
fi

syms=$(exported "$hello")
if [ "$syms" = ptcpdump_plugin ]; then
	ok "enricher-hello.so exports only ptcpdump_plugin"
else
	not_ok "enricher-hello.so exports only ptcpdump_plugin" "exports:" $syms
fi

# The installed configuration, plus the new enricher by absolute path.
conf=$work/plugins.d
mkdir "$conf" || exit 99
cp "$confdir"/*.conf "$conf/" || exit 99
printf '[enricher.hello]\npath = %s\n' "$hello" >"$conf/90-enricher-hello.conf" || exit 99

"$bin" --config-dir "$conf" --plugin-dir "$plugdir" --help >"$work/help" 2>&1
if grep -q -- '--hello-greeting' "$work/help"; then
	ok "--help lists the enricher's flag"
else
	not_ok "--help lists the enricher's flag" "$(head -5 "$work/help")"
fi

"$bin" --config-dir "$conf" --plugin-dir "$plugdir" -r "$sample" --count \
	>"$work/count" 2>"$work/count.err"
packets=$(sed -n 's/^\([0-9][0-9]*\) packets\{0,1\}$/\1/p' "$work/count")
if [ -z "$packets" ] || [ "$packets" -eq 0 ]; then
	not_ok "the installed binary counts the sample's packets" \
		"stdout: $(cat "$work/count")" "stderr: $(cat "$work/count.err")"
	finish
fi
ok "the installed binary counts the sample's packets ($packets)"

"$bin" --config-dir "$conf" --plugin-dir "$plugdir" --log-level info \
	--hello-greeting bonjour -r "$sample" -n >"$work/out" 2>"$work/err"
status=$?
want="ptcpdump: [enricher:hello] bonjour: enriched $packets packets"
if [ "$status" -eq 0 ] && grep -qxF "$want" "$work/err" && [ -s "$work/out" ]; then
	ok "the installed binary runs the third-party enricher"
else
	not_ok "the installed binary runs the third-party enricher" \
		"exit status $status (want 0); want on stderr: $want" \
		"stderr: $(head -c 600 "$work/err")" "stdout: $(head -3 "$work/out")"
fi

finish
