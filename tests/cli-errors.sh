#!/bin/sh
# Every input ptcpdump must reject, end to end through the real binary: the
# exact line on standard error, nothing on standard output, exit status 1.
# Broken plugins come from tests/plugins (built by make check), each in a
# plugins.d of its own under a temporary directory.  Also: --version, -D
# (must match tcpdump -D), and a good plugin that loads, runs and reports
# its options (defaults < plugins.d < command line).
#
# Environment (set by make check): PTCPDUMP, top_srcdir, top_builddir.
# Prints one "ok N - what" / "not ok N - what" line per check.
# Exit 0 all passed, 1 something failed, 77 when there is no binary.

set -u
umask 022

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
top_builddir=${top_builddir:-$(pwd)}
PTCPDUMP=${PTCPDUMP:-$top_builddir/ptcpdump}
testplugins=$top_builddir/tests/plugins/.libs
sample=$top_srcdir/tests/data/lo-tcp-udp-icmp.pcap

. "$top_srcdir/tests/lib.sh"

if [ ! -x "$PTCPDUMP" ]; then
	skip_all "no ptcpdump binary at '$PTCPDUMP'"
fi
if [ ! -f "$testplugins/good.so" ]; then
	echo "FAIL: the test plugins are not built ($testplugins/good.so): run 'make check'"
	exit 1
fi

work=$scratch

run() { # args... -> $status, $work/out, $work/err
	"$PTCPDUMP" "$@" >"$work/out" 2>"$work/err" </dev/null
	status=$?
}

# expect_error WHAT WANT ARGS...: exit status 1, stdout empty, stderr
# exactly the one line WANT.
expect_error() {
	what=$1 want=$2
	shift 2
	run "$@"
	got=$(cat "$work/err")
	lines=$(wc -l <"$work/err")
	if [ "$status" -eq 1 ] && [ "$got" = "$want" ] && [ "$lines" -eq 1 ] &&
	   [ ! -s "$work/out" ]; then
		ok "$what"
	else
		not_ok "$what" "exit status $status (want 1), $lines line(s) on stderr" \
			"want: $want" "got:  $got" \
			"stdout: $(head -c 300 "$work/out")"
	fi
}

# The plugin directory: copies of the test plugins (and of the file
# backend), mode 0644, so privileged runs accept them.
lib=$work/lib
mkdir "$lib" || exit 99
for so in "$testplugins"/*.so; do
	cp "$so" "$lib/" && chmod 0644 "$lib/${so##*/}" || exit 99
done
have_backend=no
for so in "$top_builddir/.libs/backend-file.so" "$top_builddir/plugins/backend-file.so"; do
	if [ -f "$so" ]; then
		cp "$so" "$lib/backend-file.so" && chmod 0644 "$lib/backend-file.so" || exit 99
		have_backend=yes
		break
	fi
done

# conf NAME FILE TEXT [FILE TEXT...]: a fresh plugins.d holding those files;
# its path is left in $confdir.
conf() {
	confdir=$work/conf-$1
	shift
	mkdir "$confdir" || exit 99
	while [ $# -ge 2 ]; do
		printf '%s' "$2" >"$confdir/$1" || exit 99
		shift 2
	done
}

privileged=no
[ "$(id -u)" = 0 ] && privileged=yes

# --------------------------------------------------------------- the plugins
# [section] path file message-after-"<.so>: "
while IFS='|' read -r section file message; do
	conf "$file" 50-test.conf "[$section]
path = $file
"
	expect_error "$file: refused" "ptcpdump: $lib/$file: $message" \
		--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"
done <<'EOF'
printer.abimajor|abi-major.so|plugin ABI 2.0 is not compatible with this ptcpdump's ABI 1.2: rebuild the plugin against this version's SDK
printer.abiminor|abi-minor-newer.so|plugin ABI 1.99 is not compatible with this ptcpdump's ABI 1.2: rebuild the plugin against this version's SDK
backend.wrongkind|wrong-kind.so|is a printer plugin, but its section asks for a backend: fix the section name or path=
printer.nosymbol|no-symbol.so|not a ptcpdump plugin: no 'ptcpdump_plugin' symbol (define it with PTD_PLUGIN_DEFINE)
printer.mismatch|name-mismatch.so|plugin calls itself 'other' but is configured as [printer.mismatch]: rename the section or fix path=
printer.noprint|missing-print.so|printer plugin has no print callback
printer.badtable|bad-option-table.so|option 'window' is malformed (bad type, offset beyond config_size, enum without choices, or a reserved key): rebuild the plugin
printer.baddefault|bad-default.so|default 'ten' of key 'count' is invalid: expected an integer
EOF

# The sizes in this message are the C structs': LP64 or ILP32.
case $(getconf LONG_BIT 2>/dev/null) in
64) small=88 full=112 ;;
32) small=48 full=60 ;;
*) small= full= ;;
esac
conf too-small 50-test.conf "[printer.toosmall]
path = too-small.so
"
if [ -n "$small" ]; then
	expect_error "too-small.so: refused" \
		"ptcpdump: $lib/too-small.so: descriptor is $small bytes, smaller than an ABI 1.0 printer descriptor ($full): rebuild the plugin" \
		--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"
else
	skip "too-small.so: refused" "unknown word size"
fi

conf missing-so 50-test.conf "# the default path: <plugin dir>/printer-gone.so
[printer.gone]
"
expect_error "missing .so" \
	"ptcpdump: cannot load plugin for [printer.gone] ($confdir/50-test.conf:2): $lib/printer-gone.so: cannot open shared object file: No such file or directory (check the file exists and its libraries resolve with ldd(1))" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

# ------------------------------------------------------------------ plugins.d
good="[printer.good]
path = good.so
"

conf unknown-key 50-test.conf "$good
colour = red
"
expect_error "unknown key" \
	"ptcpdump: $confdir/50-test.conf:4: unknown key 'colour' in [printer.good] (known keys: path, enabled, label, flag, offset, count, buffer, timeout, mode, note)" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

conf bad-value 50-test.conf "$good
count = -1
"
expect_error "bad value" \
	"ptcpdump: $confdir/50-test.conf:4: bad value '-1' for 'count' in [printer.good]: expected a non-negative integer" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

conf bad-enabled 50-test.conf "$good
enabled = perhaps
"
expect_error "bad value for enabled" \
	"ptcpdump: $confdir/50-test.conf:4: bad value 'perhaps' for 'enabled' in [printer.good]: expected true or false" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

conf duplicate 50-printer-good.conf "$good" 90-local.conf "; a local copy
[printer.good]
"
expect_error "duplicate section across files" \
	"ptcpdump: $confdir/90-local.conf:2: duplicate section [printer.good] (first defined at $confdir/50-printer-good.conf:1)" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

conf duplicate-key 50-test.conf "$good
label = a
label = b
"
expect_error "duplicate key" \
	"ptcpdump: $confdir/50-test.conf:5: duplicate key 'label' in [printer.good] (first set at line 4)" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

conf syntax 50-test.conf "$good
label
"
expect_error "syntax error" \
	"ptcpdump: $confdir/50-test.conf:4: syntax error (expected [kind.name], key = value, or a ; or # comment)" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

conf outside 50-test.conf "label = x
$good"
expect_error "key outside a section" \
	"ptcpdump: $confdir/50-test.conf:1: 'label' is outside any [kind.name] section" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

conf bad-section 50-test.conf "[printer]
"
expect_error "bad section name" \
	"ptcpdump: $confdir/50-test.conf:1: bad section [printer]: expected [backend.NAME], [enricher.NAME] or [printer.NAME] with NAME of a-z, 0-9, '_', '-'" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

long=$(printf '%0250d' 0)
conf long-line 50-test.conf "$good
label = $long
"
expect_error "line too long" \
	"ptcpdump: $confdir/50-test.conf:4: line too long (at most 199 characters)" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

expect_error "missing configuration directory" \
	"ptcpdump: plugin configuration directory $work/nope: No such file or directory" \
	--config-dir "$work/nope" --plugin-dir "$lib" -r "$sample"

# The environment names the directories when no flag does; a flag wins.
PTCPDUMP_CONFIG_DIR=$work/from-env
export PTCPDUMP_CONFIG_DIR
expect_error "PTCPDUMP_CONFIG_DIR" \
	"ptcpdump: plugin configuration directory $work/from-env: No such file or directory" \
	--plugin-dir "$lib" -r "$sample"
expect_error "--config-dir beats PTCPDUMP_CONFIG_DIR" \
	"ptcpdump: plugin configuration directory $work/from-flag: No such file or directory" \
	--config-dir "$work/from-flag" --plugin-dir "$lib" -r "$sample"
unset PTCPDUMP_CONFIG_DIR
conf env-plugins 50-test.conf "[printer.gone]
"
PTCPDUMP_PLUGIN_DIR=$work/env-lib
export PTCPDUMP_PLUGIN_DIR
expect_error "PTCPDUMP_PLUGIN_DIR" \
	"ptcpdump: cannot load plugin for [printer.gone] ($confdir/50-test.conf:1): $work/env-lib/printer-gone.so: cannot open shared object file: No such file or directory (check the file exists and its libraries resolve with ldd(1))" \
	--config-dir "$confdir" -r "$sample"
expect_error "--plugin-dir beats PTCPDUMP_PLUGIN_DIR" \
	"ptcpdump: cannot load plugin for [printer.gone] ($confdir/50-test.conf:1): $lib/printer-gone.so: cannot open shared object file: No such file or directory (check the file exists and its libraries resolve with ldd(1))" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"
unset PTCPDUMP_PLUGIN_DIR

# ---------------------------------------------------------------- flags
conf flags 50-test.conf "$good"
expect_error "bad flag value" "ptcpdump: invalid packet count 0" \
	--config-dir "$confdir" --plugin-dir "$lib" -c 0 -r "$sample"
expect_error "bad -B value" "ptcpdump: invalid packet buffer size 0" \
	--config-dir "$confdir" --plugin-dir "$lib" -B 0 -r "$sample"
expect_error "unsupported flag" "ptcpdump: --netns: not supported yet" \
	--config-dir "$confdir" --plugin-dir "$lib" --netns /run/netns/x -r "$sample"

# Process filters and -- command: bad values, and a command that cannot
# run, are said before any capture starts.
expect_error "--pid abc" \
	"ptcpdump: --pid: invalid process id \`abc' (a number from 1 to 4194304)" \
	--config-dir "$confdir" --plugin-dir "$lib" --pid abc
expect_error "--pid in a comma list" \
	"ptcpdump: --pid: invalid process id \`x' (a number from 1 to 4194304)" \
	--config-dir "$confdir" --plugin-dir "$lib" --pid 1,x
expect_error "--uid -1" \
	"ptcpdump: --uid: invalid user id \`-1' (a number from 0 to 4294967294)" \
	--config-dir "$confdir" --plugin-dir "$lib" --uid -1
expect_error "--pname longer than the kernel's comm" \
	"ptcpdump: --pname: \`sixteen-chars-xx' is longer than the 15 characters the kernel keeps of a process name" \
	--config-dir "$confdir" --plugin-dir "$lib" --pname sixteen-chars-xx
expect_error "-f without a pid" \
	"ptcpdump: -f: follows the children of the processes --pid or -- command selects: give one of them" \
	--config-dir "$confdir" --plugin-dir "$lib" -f
expect_error "-- command that does not exist" \
	"ptcpdump: ptd-no-such-command-42: command not found" \
	--config-dir "$confdir" --plugin-dir "$lib" -i lo -- ptd-no-such-command-42 arg
expect_error "-- command: a path that does not exist" \
	"ptcpdump: $work/nowhere/cmd: No such file or directory" \
	--config-dir "$confdir" --plugin-dir "$lib" -i lo -- "$work/nowhere/cmd"
printf 'not a program\n' >"$work/not-executable" && chmod 0644 "$work/not-executable"
# (root too: execve() wants an execute bit even from root)
expect_error "-- command: a file that is not executable" \
	"ptcpdump: $work/not-executable: Permission denied" \
	--config-dir "$confdir" --plugin-dir "$lib" -i lo -- "$work/not-executable"
expect_error "-- command with -r" \
	"ptcpdump: -- command: cannot be used with -r (it captures live)" \
	--config-dir "$confdir" --plugin-dir "$lib" -r "$sample" -- true
expect_error "bad value of a plugin's flag" \
	"ptcpdump: --good-count: bad value 'many': expected a non-negative integer" \
	--config-dir "$confdir" --plugin-dir "$lib" --good-count=many -r "$sample"
expect_error "bad value of a plugin's enum flag" \
	"ptcpdump: --good-mode: bad value 'turbo': expected one of: fast, slow, off" \
	--config-dir "$confdir" --plugin-dir "$lib" --good-mode turbo -r "$sample"

# A plugin that failed to load declared no flags: its flag must not hide
# the reason as an "unrecognized option".
conf flag-of-broken 50-test.conf "$good
[printer.abimajor]
path = abi-major.so
"
expect_error "a plugin's flag with a broken plugins.d names the load error" \
	"ptcpdump: $lib/abi-major.so: plugin ABI 2.0 is not compatible with this ptcpdump's ABI 1.2: rebuild the plugin against this version's SDK" \
	--config-dir "$confdir" --plugin-dir "$lib" --good-label x -r "$sample"

# --version answers even when the configuration is broken.
run --version --config-dir "$work/nope"
if [ "$status" -eq 0 ] && [ ! -s "$work/err" ] &&
   [ "$(wc -l <"$work/out")" -eq 3 ] &&
   sed -n 1p "$work/out" | grep -q '^ptcpdump version [0-9]' &&
   sed -n 2p "$work/out" | grep -q '^libpcap version [0-9]' &&
   sed -n 3p "$work/out" | grep -q '^libbpf version [0-9]'; then
	ok "--version"
else
	not_ok "--version" "exit status $status" "stdout: $(cat "$work/out")" \
		"stderr: $(cat "$work/err")"
fi

if command -v tcpdump >/dev/null 2>&1; then
	run -D --config-dir "$confdir" --plugin-dir "$lib"
	tcpdump -D >"$work/tcpdump-D" 2>/dev/null
	tstatus=$?
	if [ "$status" -eq "$tstatus" ] && cmp -s "$work/out" "$work/tcpdump-D"; then
		ok "-D is tcpdump -D"
	else
		not_ok "-D is tcpdump -D" "exit status $status, tcpdump's $tstatus" \
			"ptcpdump: $(cat "$work/out")" "tcpdump:  $(cat "$work/tcpdump-D")"
	fi
else
	skip "-D is tcpdump -D" "tcpdump is not installed"
fi

# ------------------------------------------------------- privileged refusals
if [ "$privileged" = yes ]; then
	ln -s "$lib/good.so" "$lib/link.so" || exit 99
	conf symlink 50-test.conf "[printer.good]
path = link.so
"
	expect_error "privileged: symlinked plugin" \
		"ptcpdump: refusing plugin $lib/link.so: it is a symbolic link (running privileged: name the real file)" \
		--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

	cp "$lib/good.so" "$lib/gw.so" && chmod 0664 "$lib/gw.so" || exit 99
	conf group-writable 50-test.conf "[printer.good]
path = gw.so
"
	expect_error "privileged: group-writable plugin" \
		"ptcpdump: refusing plugin $lib/gw.so: writable by group or others (running privileged: chmod go-w it)" \
		--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

	cp "$lib/good.so" "$lib/ww.so" && chmod 0646 "$lib/ww.so" || exit 99
	conf world-writable 50-test.conf "[printer.good]
path = ww.so
"
	expect_error "privileged: world-writable plugin" \
		"ptcpdump: refusing plugin $lib/ww.so: writable by group or others (running privileged: chmod go-w it)" \
		--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

	cp "$lib/good.so" "$lib/nobody.so" && chown 65534:65534 "$lib/nobody.so" || exit 99
	conf foreign 50-test.conf "[printer.good]
path = nobody.so
"
	expect_error "privileged: plugin not owned by root" \
		"ptcpdump: refusing plugin $lib/nobody.so: owned by uid 65534, not root (running privileged: chown root it)" \
		--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

	conf conf-writable 50-test.conf "$good"
	chmod 0666 "$confdir/50-test.conf" || exit 99
	expect_error "privileged: world-writable configuration file" \
		"ptcpdump: refusing configuration file $confdir/50-test.conf: writable by group or others (running privileged: chmod go-w it)" \
		--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"

	conf conf-symlink real.txt "$good"
	ln -s "$confdir/real.txt" "$confdir/50-test.conf" || exit 99
	expect_error "privileged: symlinked configuration file" \
		"ptcpdump: refusing configuration file $confdir/50-test.conf: it is a symbolic link (running privileged: name the real file)" \
		--config-dir "$confdir" --plugin-dir "$lib" -r "$sample"
else
	for what in "symlinked plugin" "group-writable plugin" \
		    "world-writable plugin" "plugin not owned by root" \
		    "world-writable configuration file" \
		    "symlinked configuration file"; do
		skip "privileged: $what" "not running as root"
	done
fi

# --------------------------------------------------- a good plugin that runs
# expect_run WHAT WANT-CONFIG-LINE ARGS...: exit 0, the good printer's
# configuration line first, one line per packet, its closing line last.
expect_run() {
	what=$1 want=$2
	shift 2
	if [ "$have_backend" = no ]; then
		skip "$what" "the file backend is not built"
		return
	fi
	run "$@" -r "$sample"
	first=$(sed -n 1p "$work/out")
	packets=$(grep -c '^good: packet [0-9]* caplen [0-9]* len [0-9]*$' "$work/out")
	last=$(sed -n '$p' "$work/out")
	total=$(wc -l <"$work/out")
	if [ "$status" -eq 0 ] && [ "$first" = "$want" ] && [ "$packets" -gt 0 ] &&
	   [ "$last" = "good: stopped after $packets packets" ] &&
	   [ "$total" -eq $((packets + 2)) ]; then
		ok "$what"
	else
		not_ok "$what" "exit status $status (want 0), $packets packet lines of $total" \
			"want: $want" "got:  $first" "last: $last" \
			"stderr: $(head -c 300 "$work/err")"
	fi
}

backend="[backend.file]
"
conf run-defaults 20-backend-file.conf "$backend" 50-test.conf "$good"
expect_run "good plugin runs with its defaults" \
	"good: label=default flag=0 offset=-5 count=7 buffer=64000 timeout=2000 mode=fast note=(null)" \
	--config-dir "$confdir" --plugin-dir "$lib"

conf run-ini 20-backend-file.conf "$backend" 50-test.conf "$good
label = from-ini
count = 3
buffer = 1MiB
timeout = 250ms
mode = slow
note = hello
"
expect_run "plugins.d overrides defaults" \
	"good: label=from-ini flag=0 offset=-5 count=3 buffer=1048576 timeout=250 mode=slow note=hello" \
	--config-dir "$confdir" --plugin-dir "$lib"
expect_run "the command line overrides plugins.d" \
	"good: label=from-cli flag=1 offset=-5 count=3 buffer=1048576 timeout=250 mode=off note=hello" \
	--config-dir "$confdir" --plugin-dir "$lib" --good-label from-cli --good-flag \
	--good-mode=off

conf run-disabled 20-backend-file.conf "$backend" 50-test.conf "$good" \
	60-broken.conf "[printer.abimajor]
enabled = false
path = abi-major.so

[printer.gone]
enabled = no
"
expect_run "disabled sections are not loaded" \
	"good: label=default flag=0 offset=-5 count=7 buffer=64000 timeout=2000 mode=fast note=(null)" \
	--config-dir "$confdir" --plugin-dir "$lib"

finish
