#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the virtme-ng guest. Usage: [SAMPLES_KO=DIR] guest-run.sh KSELFTEST_DIR OUTDIR [COLLECTION:TEST...]
# Runs each livepatch kselftest on its own, keeping its TAP output and wall
# time, then saves the whole kernel log. Writes OUTDIR/guest-done last, so the
# host can tell a finished run from a guest that died.

set -u
ksft=$1
out=$2
shift 2

mkdir -p "$out/kselftest"
uname -r >"$out/uname"

# A kernel with kmemleak: report the leaks of the tests only.  Leaks from
# boot are found by a first scan and then cleared (marked grey).  The
# report comes from the scans asked for here, so the automatic scan
# (every ten minutes, several seconds of CPU each under TCG) is stopped.
kmemleak=/sys/kernel/debug/kmemleak
[ -e /sys/kernel/debug/tracing ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
if [ -e "$kmemleak" ]; then
	echo scan=off >"$kmemleak"
	echo scan >"$kmemleak"
	echo clear >"$kmemleak"
	echo "guest: kmemleak: boot leaks cleared"
fi

cd "$ksft" || exit 1

# run_extended COLLECTION NAME: the TAP of one test that the runner does
# not list, bounded by TEST_TIMEOUT as the runner bounds its tests.
run_extended() {
	local rc to=${TEST_TIMEOUT:-900}
	echo "TAP version 13"
	echo "1..1"
	echo "# selftests: $1: $2"
	(cd "$1" && timeout "$to" "./$2" 2>&1) | sed 's/^/# /'
	rc=${PIPESTATUS[0]}
	case $rc in
	0) echo "ok 1 selftests: $1: $2" ;;
	4) echo "ok 1 selftests: $1: $2 # SKIP" ;;
	124) echo "not ok 1 selftests: $1: $2 # TIMEOUT $to seconds" ;;
	*) echo "not ok 1 selftests: $1: $2 # exit=$rc" ;;
	esac
}
# The runner's list, once: each of its runs takes seconds in the debug
# kernel's guest.
listed=$(./run_kselftest.sh -l)
if [ $# -eq 0 ]; then
	set -- $(grep '^livepatch:' <<<"$listed")
fi
# run_one COLLECTION:TEST: one test, its TAP, kernel log and seconds.
# TEST_TIMEOUT bounds each test (the runner's --override-timeout; it then
# reports "not ok ... # TIMEOUT"); the kernel log of each test is kept
# as NAME.dmesg beside its TAP output.
run_one() {
	local t=$1 name=${1#*:} before start end
	echo "guest: running $t"
	echo "guest: running $t" >"${GUEST_KMSG:-/dev/kmsg}"
	before=$(dmesg | wc -l)
	start=$(date +%s.%N)
	if grep -qxF "$t" <<<"$listed"; then
		./run_kselftest.sh -o "${TEST_TIMEOUT:-900}" -t "$t" >"$out/kselftest/$name.tap" 2>&1
	else
		# Installed but not listed (TEST_PROGS_EXTENDED): run it as
		# the runner would, with the same TAP lines.
		run_extended "${t%%:*}" "$name" >"$out/kselftest/$name.tap" 2>&1
	fi
	end=$(date +%s.%N)
	dmesg | tail -n +"$((before + 1))" >"$out/kselftest/$name.dmesg"
	echo "$name $start $end" >>"$out/kselftest/durations"
	grep -E '^(not )?ok [0-9]+ ' "$out/kselftest/$name.tap" | sed 's/^/guest: /'
}
# KSFT_QUEUE=DIR (guests.sh): the tests come from the queue that this
# guest shares with the others of its kernel, in the order of DIR/order;
# a test is this guest's when its mkdir of DIR/taken-NAME succeeds, and
# it is added to OUTDIR/expected-kselftests before it runs. A test marked
# smp is left to a guest of two CPUs (KSFT_SMP_ANY=1: to any), one marked
# up to a guest of one CPU (KSFT_UP_ANY=1: to any).
next_test() {
	local t mark
	while read -r t mark; do
		[ "$mark" = smp ] && [ "$(nproc)" -lt 2 ] && [ -z "${KSFT_SMP_ANY:-}" ] && continue
		[ "$mark" = up ] && [ "$(nproc)" -gt 1 ] && [ -z "${KSFT_UP_ANY:-}" ] && continue
		mkdir "$KSFT_QUEUE/taken-${t//[:\/]/_}" 2>/dev/null || continue
		echo "$t" >>"$out/expected-kselftests"
		echo "$t"
		return 0
	done <"$KSFT_QUEUE/order"
	return 1
}
if [ -n "${KSFT_QUEUE:-}" ]; then
	while t=$(next_test); do
		run_one "$t"
	done
else
	for t in "$@"; do
		run_one "$t"
	done
fi

# Objects younger than MSECS_MIN_AGE (1 s) are not reported, and frees
# deferred to RCU or a workqueue may still be on their way: wait, scan,
# and scan again, which drops a first scan's report of an object that
# has been freed or is referenced again (see kmemleak_seq_show()).  The
# report, empty if there is no leak, is part of the result.
if [ -e "$kmemleak" ]; then
	sleep 2
	echo scan >"$kmemleak"
	sleep 2
	echo scan >"$kmemleak"
	cat "$kmemleak" >"$out/kmemleak.txt"
	echo "guest: kmemleak: $(grep -c '^unreferenced object' "$out/kmemleak.txt") leak(s)"
fi

dmesg >"$out/dmesg.txt"

# SAMPLES_KO=DIR: then compare the C and Rust livepatch samples of DIR. It
# clears the kernel log as it goes, so it runs after the log is saved.
if [ -n "${SAMPLES_KO:-}" ]; then
	start=$(date +%s)
	bash "$(dirname "$0")/sample-compare.sh" --guest "$SAMPLES_KO" "$out/samples"
	echo $(($(date +%s) - start)) >"$out/samples/seconds"
fi
touch "$out/guest-done"
