#!/bin/sh
# One command from a fresh Debian bookworm (as root) to a running ptcpdump:
#   ./quickstart.sh capture [ptcpdump flags...]   install, build, capture
#   ./quickstart.sh test                          install, build, run every test
set -eu

here=$(cd "$(dirname "$0")" && pwd)
build="$here/build"

# Everything the build, the tests and the benchmarks use.
PACKAGES="gcc make autoconf automake libtool pkg-config \
libbpf-dev libpcap-dev libinih-dev check libelf-dev zlib1g-dev \
clang llvm bpftool libclang-rt-14-dev \
tcpdump tshark wireshark-common iproute2 python3 iputils-ping procps netbase \
curl"

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "quickstart: run as root (installing packages and capturing need it)" >&2
		exit 1
	fi
}

install_packages() {
	missing=""
	for p in $PACKAGES; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
			missing="$missing $p"
		fi
	done
	if [ -n "$missing" ]; then
		echo "quickstart: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -q
		apt-get install -y -q --no-install-recommends $missing
	fi
}

build_tree() {
	cd "$here"
	if [ ! -x configure ] || [ configure.ac -nt configure ]; then
		./autogen.sh
	fi
	mkdir -p "$build"
	cd "$build"
	if [ ! -f Makefile ]; then
		../configure
	fi
	make -j"$(nproc)"
}

# The closing line of a test run: what the suite said, test by test.
summarize() {
	pass=0 fail=0 skip=0
	for trs in $(find "$build" -path "$build/ptcpdump-*" -prune -o -name '*.trs' -print); do
		case $(sed -n 's/^:test-result: //p' "$trs") in
		PASS|XFAIL) pass=$((pass + 1)) ;;
		SKIP) skip=$((skip + 1)) ;;
		*) fail=$((fail + 1)) ;;
		esac
	done
	echo "tests: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
capture)
	need_root
	install_packages
	build_tree
	cd "$build"
	if [ -f plugins/backend-tc.so ]; then
		exec ./ptcpdump "$@"
	fi
	echo "quickstart: no live capture backend was built; replaying the bundled sample instead" >&2
	exec ./ptcpdump -r "$here/tests/data/lo-tcp-udp-icmp.pcap" "$@"
	;;
test)
	need_root
	install_packages
	build_tree
	cd "$build"
	make -j"$(nproc)" check
	make -j"$(nproc)" distcheck
	summarize
	;;
*)
	echo "usage: $0 capture [ptcpdump flags...] | test" >&2
	exit 2
	;;
esac
