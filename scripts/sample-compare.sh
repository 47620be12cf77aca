#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Usage: sample-compare.sh [BUILD_DIR [RESULTS_DIR]]
#        sample-compare.sh --guest KO_DIR RESULTS_DIR   (inside the guest)
#        sample-compare.sh --compare RESULTS_DIR [TSV]  (logs of a --guest run)
#
# Compares the C livepatch samples with their Rust versions: boots BUILD_DIR's
# kernel (default build/series) once, runs the same scenarios with
# livepatch-sample.ko and livepatch_sample_rust.ko, and with
# livepatch-callbacks-demo.ko and livepatch_callbacks_demo_rust.ko (against
# livepatch-callbacks-mod.ko and livepatch-callbacks-busymod.ko), and diffs the
# kernel log of each scenario, with the module names replaced by LP.
#
# Scenarios follow the header comment of livepatch-callbacks-demo.c and
# tools/testing/selftests/livepatch/test-callbacks.sh. pre_patch_ret is set at
# load time only, since the Rust module parameters are not in sysfs.
#
# RESULTS_DIR (default /tmp/rS) gets, per scenario, c-NAME.log and
# rust-NAME.log (commands, as "$ ...", and the kernel lines they caused), the
# normalised *.norm files, and NAME.diff when they differ. Exits 1 if any
# scenario differs. Set RESULTS_DIR/accel (kvm or tcg) to skip the KVM probe.
#
# The "tainting kernel with TAINT_LIVEPATCH" notice is printed once per boot,
# by whichever livepatch comes first, so it is left out of the comparison; so
# is the notice that the signatures are not checked against BTF, which the
# Rust livepatches state and the C samples do not.

set -u

here=$(cd "$(dirname "$0")" && pwd)

# ---------------------------------------------------------------- guest side

KLP=/sys/kernel/livepatch
MAX_RETRIES=600

loop_until() {
	local i
	for ((i = 0; i < MAX_RETRIES; i++)); do
		eval "$1" && return 0
		sleep 0.1
	done
	echo "# timed out: $1" >>"$LOG"
	return 1
}

# Appends the kernel lines logged since the previous call to $LOG.
flush_dmesg() {
	dmesg -c --notime >>"$LOG"
}

run() {
	echo "\$ $*" >>"$LOG"
	"$@" >>"$LOG" 2>&1 || echo "# exit status $?" >>"$LOG"
	flush_dmesg
}

insmod_ko() {
	local ko=$1
	shift
	run insmod "$KO/$ko.ko" "$@"
}

wait_transition() {
	loop_until "grep -q '^0\$' $KLP/$LP/transition"
	flush_dmesg
}

load_lp() {
	insmod_ko "$LPKO" "$@"
	loop_until "[ -e $KLP/$LP ]" && wait_transition
}

disable_lp() {
	run sh -c "echo 0 > $KLP/$LP/enabled"
	loop_until "[ ! -e $KLP/$LP ]"
	flush_dmesg
}

unload() {
	loop_until "[ \"\$(cat /sys/module/$1/refcnt)\" = 0 ]"
	run rmmod "$1"
}

# Waits for a kernel line, which may already be in $LOG.
wait_log() {
	loop_until "grep -q '$1' $LOG || dmesg | grep -q '$1'"
}

# Scenarios of the callbacks demo; livepatch-callbacks-demo.c describes them.
callbacks_scenarios() {
	local mod=livepatch_callbacks_mod busy=livepatch_callbacks_busymod

	scenario target-before-livepatch
	insmod_ko livepatch-callbacks-mod
	load_lp
	disable_lp
	unload "$LP"
	unload $mod

	scenario livepatch-before-target
	load_lp
	insmod_ko livepatch-callbacks-mod
	disable_lp
	unload "$LP"
	unload $mod

	scenario target-removed-while-patched
	insmod_ko livepatch-callbacks-mod
	load_lp
	unload $mod
	disable_lp
	unload "$LP"

	scenario target-not-present
	load_lp
	disable_lp
	unload "$LP"

	scenario pre-patch-ret
	insmod_ko livepatch-callbacks-mod
	insmod_ko "$LPKO" pre_patch_ret=-19
	unload $mod

	scenario patched-work-func
	load_lp
	insmod_ko livepatch-callbacks-busymod sleep_secs=0
	wait_log patched_work_func
	flush_dmesg
	disable_lp
	unload "$LP"
	unload $busy

	scenario stalled-transition
	insmod_ko livepatch-callbacks-busymod sleep_secs=10
	wait_log 'busymod_work_func, sleeping'
	flush_dmesg
	insmod_ko "$LPKO"
	insmod_ko livepatch-callbacks-mod
	unload $mod
	wait_log 'busymod_work_func exit'
	wait_transition
	disable_lp
	unload "$LP"
	unload $busy
}

# The scenario of livepatch-sample.c.
sample_scenarios() {
	scenario cmdline
	load_lp
	run cat /proc/cmdline
	disable_lp
	run sh -c 'cat /proc/cmdline | grep -c "live patched"'
	unload "$LP"
}

# The scenario of livepatch-shadow-mod.c, with fix1 and then fix2 loaded.
# Its timing varies from run to run: the comparison is of the kinds of
# kernel lines (see shadow_templates), not of their sequence. The waits are
# long enough that each kind comes from one phase: the dummies allocated
# before fix1 (they expire after 12 s) are all freed while fix1 is the
# newest patch (20 s), and those fix1 allocated start to expire under it.
shadow_scenarios() {
	local f1=$1 f2=$2

	scenario shadow
	insmod_ko livepatch-shadow-mod
	sleep 5
	FIX=${f1//-/_}
	loop_until "[ -e $KLP/$FIX ] || insmod $KO/$f1.ko" && loop_until "grep -q '^0\$' $KLP/$FIX/transition"
	sleep 20
	FIX=${f2//-/_}
	loop_until "[ -e $KLP/$FIX ] || insmod $KO/$f2.ko" && loop_until "grep -q '^0\$' $KLP/$FIX/transition"
	sleep 20
	LP=${f2//-/_} disable_lp
	LP=${f1//-/_} disable_lp
	unload "${f2//-/_}"
	unload "${f1//-/_}"
	unload livepatch_shadow_mod
}

scenario() {
	LOG=$RES/$VARIANT-$1.log
	: >"$LOG"
	echo "guest: $VARIANT $1"
	dmesg -C
}

guest() {
	KO=$1
	RES=$2
	mkdir -p "$RES" || exit 1
	dmesg -n 1

	for VARIANT in c rust; do
		if [ $VARIANT = c ]; then
			LP=livepatch_sample LPKO=livepatch-sample
		else
			LP=livepatch_sample_rust LPKO=livepatch_sample_rust
		fi
		sample_scenarios

		if [ $VARIANT = c ]; then
			LP=livepatch_callbacks_demo LPKO=livepatch-callbacks-demo
		else
			LP=livepatch_callbacks_demo_rust
			LPKO=livepatch_callbacks_demo_rust
		fi
		callbacks_scenarios

		if [ $VARIANT = c ]; then
			shadow_scenarios livepatch-shadow-fix1 livepatch-shadow-fix2
		else
			shadow_scenarios livepatch_shadow_fix1_rust livepatch_shadow_fix2_rust
		fi
	done
	touch "$RES/guest-done"
}

# ----------------------------------------------------------------- host side

normalise() {
	sed -e 's/livepatch_callbacks_demo_rust/LP/g' \
	    -e 's/livepatch[-_]callbacks[-_]demo/LP/g' \
	    -e 's/livepatch_sample_rust/LP/g' \
	    -e 's/livepatch[-_]sample/LP/g' \
	    -e 's/livepatch_shadow_fix\([12]\)_rust/livepatch_shadow_fix\1/g' \
	    -e '/tainting kernel with TAINT_LIVEPATCH/d' \
	    -e '/: the signatures of .* are not checked$/d' "$1"
}

# The kinds of lines of the shadow scenario: hashed pointers, jiffies and
# counts become placeholders, and each kind is listed once.
shadow_templates() {
	sed -E -e 's/(0x)?[0-9a-f]{16}/PTR/g' \
	    -e 's/(expires @|expired =|jiffies =) [0-9a-f]+/\1 J/' \
	    -e 's/(counter =) [0-9]+/\1 N/' |
		grep -v '^\$ ' | sort -u
}

# Compares the logs in RES; with TSV, also appends a row per scenario
# (name, pass|fail, seconds, detail) for the test report.
compare() {
	local res=$1 tsv=${2:-} log name status=0 splat

	for log in "$res"/c-*.log; do
		[ -e "$log" ] || { echo "sample-compare: no logs in $res" >&2; return 2; }
		name=$(basename "$log" .log)
		name=${name#c-}
		normalise "$res/c-$name.log" >"$res/c-$name.norm"
		normalise "$res/rust-$name.log" >"$res/rust-$name.norm" 2>/dev/null
		if [ "$name" = shadow ]; then
			shadow_templates <"$res/c-$name.norm" >"$res/c-$name.tmpl"
			shadow_templates <"$res/rust-$name.norm" >"$res/rust-$name.tmpl" 2>/dev/null
			mv "$res/c-$name.tmpl" "$res/c-$name.norm"
			mv "$res/rust-$name.tmpl" "$res/rust-$name.norm" 2>/dev/null
		fi
		splat=$(grep -hE -e 'timed out' -f "$(dirname "$0")/splat-patterns" \
			"$res/c-$name.log" "$res/rust-$name.log" 2>/dev/null | head -n 1)
		if diff -u "$res/c-$name.norm" "$res/rust-$name.norm" >"$res/$name.diff" &&
			[ -z "$splat" ]; then
			rm "$res/$name.diff"
			echo "same:    $name ($(wc -l <"$res/c-$name.norm") lines)"
			[ -z "$tsv" ] || printf 'sample: C and Rust logs match: %s\tpass\t-\t%s lines\n' \
				"$name" "$(wc -l <"$res/c-$name.norm")" >>"$tsv"
		else
			echo "DIFFERS: $name (see $res/$name.diff)${splat:+: $splat}"
			[ -z "$tsv" ] || printf 'sample: C and Rust logs match: %s\tfail\t-\t%s\n' \
				"$name" "${splat:-$(grep -m1 '^[-+][^-+]' "$res/$name.diff")}" >>"$tsv"
			status=1
		fi
	done
	return $status
}

host() {
	local out=${1:-$here/../build/series}
	local res=${2:-/tmp/rS}
	local ko

	out=$(cd "$out" && pwd)
	ko=$out/samples/livepatch
	mkdir -p "$res"
	rm -f "$res"/*.log "$res"/*.norm "$res"/*.diff "$res/guest-done"

	"$here/boot.sh" "$out" "$res" "bash $here/sample-compare.sh --guest $ko $res"
	if [ ! -e "$res/guest-done" ]; then
		echo "sample-compare: the guest did not finish; see $res/console.log" >&2
		return 2
	fi
	compare "$res"
}

if [ "${1:-}" = --guest ]; then
	guest "$2" "$3"
elif [ "${1:-}" = --compare ]; then
	compare "$2" "${3:-}"
else
	host "$@"
fi
