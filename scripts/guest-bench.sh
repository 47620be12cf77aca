#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the virtme-ng guest. Usage: guest-bench.sh MODULE_DIR OUT_DIR
# The in-guest part of bench.sh, the same on the base and the series kernel.
# Writes OUT_DIR/samples.tsv, one "figure<TAB>value" line per sample (the
# unit is in the figure's name),
# OUT_DIR/checks.txt (the checks that the figures mean what they say), the
# kernel log, and OUT_DIR/guest-done last. Any step that does not do what
# it should stops the run with "guest: bench: error: ...".

set -euo pipefail
mods=$1
out=$2
reps=${BENCH_REPS:-20}
calls=${BENCH_CALLS:-1000000}
call_runs=${BENCH_CALL_RUNS:-8}
npatches=16

mkdir -p "$out"
: >"$out/samples.tsv"
: >"$out/checks.txt"
uname -r >"$out/uname"

fail() {
	echo "guest: bench: error: $*"
	dmesg >"$out/dmesg.txt"
	exit 1
}
note() { echo "guest: bench: $*"; }
check() { echo "$*" >>"$out/checks.txt"; }
sample() { printf '%s\t%s\n' "$1" "$2" >>"$out/samples.tsv"; }

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
[ -e /sys/kernel/tracing/trace ] || mount -t tracefs none /sys/kernel/tracing
tr=/sys/kernel/tracing
klp=/sys/kernel/livepatch
target=klp_bench_target
lp() { printf 'klp_bench_lp%02d' "$1"; }

wait_transitions() {
	local i f busy
	for i in $(seq 600); do
		busy=
		for f in "$klp"/*/transition; do
			[ -e "$f" ] || continue
			[ "$(cat "$f")" = 0 ] || busy=$f
		done
		[ -z "$busy" ] && return 0
		sleep 0.1
	done
	fail "still in transition after 60 s: $busy"
}

enable_lp() {
	insmod "$mods/$1.ko" || fail "insmod $1 failed"
	wait_transitions
}

# Disabled, the patch drops its module reference in a work item after the
# transition: wait for its sysfs directory to go, as the kselftests do.
remove_lp() {
	local i
	echo 0 >"$klp/$1/enabled" || fail "disabling $1 failed"
	wait_transitions
	for i in $(seq 600); do
		[ -e "$klp/$1" ] || break
		sleep 0.1
	done
	[ -e "$klp/$1" ] && fail "$1 still in $klp 60 s after it was disabled"
	rmmod "$1" || fail "rmmod $1 failed"
}

# The time of N calls of klp_bench_fn(), after as many calls again to
# warm up, as ns per call, after checking from the sum that every call went
# to the function expected (increment 1, 2 or 3).
run_calls() {
	local figure=$1 inc=$2 n ns sum
	echo "$calls" >/sys/module/$target/parameters/run
	echo "$calls" >/sys/module/$target/parameters/run
	read -r n ns sum </sys/module/$target/parameters/last
	[ "$n" = "$calls" ] && [ "$sum" = $((calls * inc)) ] ||
		fail "$figure: $n calls summed to $sum, not $((calls * inc))"
	[ "$recording" = 0 ] && return 0
	sample "$figure" "$(awk -v ns="$ns" -v n="$n" 'BEGIN { printf "%.3f", ns / n }')"
}

# new_func must be the Rust function itself, not a shim: read the klp_func
# that the core uses (the first entry of the patch's FUNCS table; new_func
# is its second field) from a kprobe on the patched function, and compare
# it with the Rust function's address in kallsyms.  (The Rust function
# itself cannot take a kprobe here.)
check_new_func() {
	local fn= fn_addr= funcs= hit got
	ksym() { awk -v re="$1" '$3 ~ re && $4 == "[klp_bench_rust]" { print $1, $3; exit }' /proc/kallsyms; }
	read -r fn_addr fn < <(ksym 'klp_bench_rust_fn$') || true
	read -r _ funcs < <(ksym '5FUNCS$') || true
	[ -n "$fn" ] && [ -n "$funcs" ] || fail "klp_bench_rust_fn or FUNCS not in /proc/kallsyms"
	echo "p:klp_bench/fn $target:klp_bench_fn new_func=@$funcs+8:x64" >"$tr/kprobe_events" ||
		fail "cannot set the kprobe: $(tail -3 "$tr/error_log")"
	echo 1 >"$tr/events/klp_bench/fn/enable"
	echo >"$tr/trace"
	echo 1 >/sys/module/$target/parameters/run
	echo 0 >"$tr/events/klp_bench/fn/enable"
	hit=$(grep -m1 ' fn: ' "$tr/trace" || true)
	echo "-:klp_bench/fn" >>"$tr/kprobe_events"
	got=$(sed -n 's/.* new_func=0x\([0-9a-f]*\).*/\1/p' <<<"$hit")
	[ -n "$got" ] || fail "the kprobe did not fire: ${hit:-no trace line}"
	[ "$((16#$got))" = "$((16#$fn_addr))" ] ||
		fail "new_func is 0x$got, $fn is at 0x$fn_addr"
	check "call: Rust replacement: new_func = 0x$got = the address of $fn in kallsyms"
}

# --- The call path: unpatched, then the C and the Rust replacement, in
# turn, C first in odd rounds and Rust first in even ones. ---
rust=
[ -f "$mods/klp_bench_rust.ko" ] && rust=klp_bench_rust
note "call path: $call_runs rounds of $calls calls unpatched, through the C${rust:+ and the Rust} replacement"
insmod "$mods/$target.ko" || fail "insmod $target failed"
# calls_via(livepatch, figure, increment): the calls with only that
# livepatch enabled; the Rust one's new_func is checked in round 1.
calls_via() {
	enable_lp "$1"
	if [ "$1" = "$rust" ] && [ "$round" = 1 ]; then
		check_new_func
	fi
	run_calls "$2" "$3"
	remove_lp "$1"
}
c_calls() { calls_via "$(lp 1)" "call: C replacement [ns/call]" 2; }
rust_calls() {
	if [ -n "$rust" ]; then
		calls_via "$rust" "call: Rust replacement [ns/call]" 3
	fi
}
# Round 0 warms up and is not recorded: the first calls after a livepatch
# is enabled were the slowest, whichever came first.
for round in $(seq 0 "$call_runs"); do
	recording=$round
	run_calls "call: unpatched [ns/call]" 1
	if [ $((round % 2)) = 1 ]; then
		c_calls
		rust_calls
	else
		rust_calls
		c_calls
	fi
done
check "call path: $call_runs rounds of $calls calls, each call served by the function expected (unpatched, C${rust:+, Rust})"
rmmod $target

# --- klp_module_coming() and klp_module_going(), timed by the function
# graph tracer, which hooks only these two functions. ---
echo 0 >"$tr/tracing_on"
echo nop >"$tr/current_tracer"
echo 'klp_module_coming klp_module_going' >"$tr/set_ftrace_filter"
echo 'klp_module_coming klp_module_going' >"$tr/set_graph_function"
echo 1 >"$tr/max_graph_depth"
echo 1 >"$tr/options/funcgraph-tail"
echo function_graph >"$tr/current_tracer"
echo >"$tr/trace"
echo 1 >"$tr/tracing_on"

# The durations of the functions traced since the last call, as
# "function microseconds" lines.  A call is one line, "klp_module_x();",
# unless the task moved to another CPU during it: then the duration is on
# the line that closes it, "} /* klp_module_x */".
durations() {
	sed -nE 's@.* ([0-9][0-9.]*) us +\| +(\} /\* )?(klp_module_[a-z]+)(\(\);| \*/).*@\3 \1@p' "$tr/trace"
	echo >"$tr/trace"
}

# One load and one unload of the target, with P livepatches of it;
# recorded unless it is the warm-up.
load_unload() {
	local p=$1 warmup=${2:-} f ns coming= going=
	insmod "$mods/$target.ko" || fail "P=$p: insmod $target failed"
	rmmod $target || fail "P=$p: rmmod $target failed"
	while read -r f ns; do
		case $f in
		klp_module_coming) coming=$ns ;;
		klp_module_going) going=$ns ;;
		esac
	done < <(durations)
	[ -n "$coming" ] && [ -n "$going" ] || fail "P=$p: the tracer did not time klp_module_coming/going"
	[ -n "$warmup" ] && return 0
	sample "klp_module_coming, P=$p [us]" "$coming"
	sample "klp_module_going, P=$p [us]" "$going"
}

enabled=0
for p in 1 4 16; do
	note "klp_module_coming/going with $p livepatch(es) ($reps loads)"
	while [ $enabled -lt $p ]; do
		enabled=$((enabled + 1))
		enable_lp "$(lp $enabled)"
	done
	[ "$(ls "$klp" | wc -l)" = "$p" ] || fail "P=$p: $(ls "$klp" | wc -l) livepatches in sysfs"
	load_unload "$p" warmup
	for i in $(seq "$reps"); do
		load_unload "$p"
	done
	check "P=$p: $reps loads and unloads of $target timed"
done

note "refused load, the last of $npatches livepatches failing ($reps loads)"
echo -19 >/sys/module/"$(lp $npatches)"/parameters/pre_patch_ret
for i in $(seq "$reps"); do
	if insmod "$mods/$target.ko" 2>/dev/null; then
		fail "refused load: $target loaded although $(lp $npatches) refuses it"
	fi
	ns=$(durations | awk '$1 == "klp_module_coming" { print $2 }')
	[ -n "$ns" ] || fail "refused load: the tracer did not time klp_module_coming"
	sample "refused load, failing at patch 16 of 16 [us]" "$ns"
done
grep -q "^$target " /proc/modules && fail "refused load: $target is loaded"
echo 0 >/sys/module/"$(lp $npatches)"/parameters/pre_patch_ret
insmod "$mods/$target.ko" || fail "$target does not load again once the cause is gone"
rmmod $target
check "refused load: $reps loads refused with P=$npatches, the last failing; the module loads again afterwards"

echo 0 >"$tr/tracing_on"
echo nop >"$tr/current_tracer"
for p in $(seq "$npatches" -1 1); do
	remove_lp "$(lp "$p")"
done
[ -z "$(ls "$klp")" ] || fail "livepatches left in sysfs: $(ls "$klp")"
check "all livepatches removed"

dmesg >"$out/dmesg.txt"
note "done"
touch "$out/guest-done"
