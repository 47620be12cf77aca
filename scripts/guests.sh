#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: guests.sh BUILD_DIR RESULTS_DIR [VAR=VALUE...] -- COLLECTION:TEST...
# Runs the kselftests in GUEST_JOBS guests (default 1) of BUILD_DIR's
# kernel, each with its own results: RESULTS_DIR for the first guest,
# RESULTS_DIR/guest-N for the others.
#
# Under TCG on 2 cores the host is the limit, and guests of one CPU use
# it best: the same three tests of the debug kernel took 581 s in one
# guest of 2 CPUs, 568 s in two of 2 CPUs side by side, 713 s in one
# guest of 1 CPU and 421 s in two guests of 1 CPU side by side
# (measured 2026-11-30, docs/workbench.md). So a guest that has another
# beside it gets one CPU and a lone guest two; when a test of
# SMP_KSELFTESTS (lib.sh: the stress test, whose loads must race with
# the livepatches on another CPU) is to run, the last guest gets two.
# GUEST_CPUS=N sets every guest's count.
#
# GUEST_WAIT="W1 W2 ...": guest N boots when the file WN exists ("-": at
# once), which what it waits for writes however it ends (test.sh), or
# after GUEST_WAIT_MAX seconds (default 3600) with a line saying so.
# make test boots its first guest beside the static checks and its
# second when they end; TEST_DEBUG=1 boots the debug kernel's first guest
# when the test kernel's has ended and its second when the checks have.
# A guest that finds nothing left in the queue then is not booted.
#
# The guests share one queue of tests, longest first by the seconds each
# took in earlier runs ($WB_CACHE/kselftest-seconds-*, which this
# updates, or an estimate for a test never timed): each guest, once
# booted, takes the next test nobody has taken (guest-run.sh), so a guest
# that boots late or runs slow takes fewer, and no plan has to guess how
# long the checks or the other kernel's guest will take. A test of
# SMP_KSELFTESTS is taken only by a guest of two CPUs or more, a test of
# UP_KSELFTESTS only by a guest of one CPU when the run has one.
#
# Only the first guest runs the boot-time KUnit suites (the others boot
# with kunit.enable=0) and, with GUEST1_SAMPLES_KO=DIR, the sample
# comparison. VAR=VALUE pairs reach every guest's guest-run.sh.

. "$(dirname "$0")/lib.sh"

out=$1
res=$2
shift 2
vars=()
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	vars+=("$1")
	shift
done
[ "${1:-}" = -- ] && shift
[ $# -gt 0 ] || die "guests.sh: no tests to run"
jobs=${GUEST_JOBS:-1}
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "GUEST_JOBS must be a positive number, not '$jobs'"
[ -z "${GUEST_CPUS:-}" ] || [[ "$GUEST_CPUS" =~ ^[1-9][0-9]*$ ]] ||
	die "GUEST_CPUS must be a positive number, not '$GUEST_CPUS'"
read -ra waits <<<"${GUEST_WAIT:-}"
wait_max=${GUEST_WAIT_MAX:-3600}
[[ "$wait_max" =~ ^[0-9]+$ ]] || die "GUEST_WAIT_MAX must be a number of seconds, not '$wait_max'"
# No more guests than tests: a guest with nothing to take is a boot for
# nothing (make selftest T=one.sh runs one guest).
[ "$jobs" -le $# ] || jobs=$#

mkdir -p "$res"
# WB_BOOT=SCRIPT boots with SCRIPT instead of boot.sh (test-workbench.sh
# runs guest-run.sh on the host with it, to test the queue).
boot=${WB_BOOT:-$WB_ROOT/scripts/boot.sh}
"$boot" --probe "$out" "$res"
times=$WB_CACHE/kselftest-seconds-$(basename "$out")

# The queue: one test a line, longest first, "smp" after a test that
# needs two CPUs, "up" after one that a guest of one CPU takes. Each
# guest marks a test taken with mkdir (atomic on the host's file system,
# which the guests share over 9p).
queue=$res/queue
rm -rf "$queue"
mkdir -p "$queue"
python3 - "$times" "$SMP_KSELFTESTS" "$UP_KSELFTESTS" "$@" >"$queue/order" <<'PY'
import os, sys
times, smp, up, tests = sys.argv[1], sys.argv[2].split(), sys.argv[3].split(), sys.argv[4:]
known = {}
if os.path.exists(times):
    for line in open(times):
        f = line.split()
        if len(f) == 2:
            known[f[0]] = float(f[1])
# Never timed: a guess from the test kernel (README), about 40 s a test.
guess = {'test-fault-matrix.sh': 180, 'test-stress.sh': 110, 'test-fail-nth.sh': 600}
w = lambda t: known.get(t.split(':', 1)[1], guess.get(t.split(':', 1)[1], 40))
for t in sorted(tests, key=lambda t: (-w(t), tests.index(t))):
    print(t + (' smp' if t in smp else ' up' if t in up else ''))
PY

# CPUs: one each when guests run side by side, two for a lone guest; when
# a test needs two, the last guest (by number) has two, and the others
# leave that test to it.
smp_needed=0
for t in "$@"; do
	[[ " $SMP_KSELFTESTS " == *" $t "* ]] && smp_needed=1
done
# queue_has_work CPUS: is a test left in the queue that a guest of CPUS
# CPUs takes (guest-run.sh's next_test)?
queue_has_work() {
	local t mark
	while read -r t mark; do
		[ -e "$queue/taken-${t//[:\/]/_}" ] && continue
		[ "$mark" = smp ] && [ "$1" -lt 2 ] && [ -z "$smp_any" ] && continue
		[ "$mark" = up ] && [ "$1" -gt 1 ] && [ -z "$up_any" ] && continue
		return 0
	done <"$queue/order"
	return 1
}
# No guest of two CPUs (GUEST_CPUS=1): any guest takes those tests.
smp_any=
[ "$smp_needed" = 1 ] && [ -n "${GUEST_CPUS:-}" ] && [ "$GUEST_CPUS" -lt 2 ] && smp_any=KSFT_SMP_ANY=1
# No guest of one CPU (GUEST_CPUS=2 or more, a lone guest with a test
# not marked up): any guest takes the tests marked up. A lone guest whose
# tests are all marked up has one CPU.
all_up=1
for t in "$@"; do
	[[ " $UP_KSELFTESTS " == *" $t "* ]] || all_up=0
done
up_any=
if [ -n "${GUEST_CPUS:-}" ]; then
	[ "$GUEST_CPUS" -gt 1 ] && up_any=KSFT_UP_ANY=1
elif [ "$jobs" = 1 ] && [ "$all_up" = 0 ]; then
	up_any=KSFT_UP_ANY=1
fi
pids=()
dirs=()
for ((i = 0; i < jobs; i++)); do
	if [ "$i" = 0 ]; then
		dir=$res
		extra=(${GUEST1_SAMPLES_KO:+"SAMPLES_KO=$GUEST1_SAMPLES_KO"})
		append=
	else
		dir=$res/guest-$((i + 1))
		mkdir -p "$dir"
		cp "$res/accel" "$dir/accel"
		[ -f "$res/expected-kmemleak" ] && touch "$dir/expected-kmemleak"
		extra=()
		append=kunit.enable=0
	fi
	cpus=1
	if [ -n "${GUEST_CPUS:-}" ]; then
		cpus=$GUEST_CPUS
	elif [ "$jobs" = 1 ] && [ "$all_up" = 1 ]; then
		cpus=1
	elif [ "$jobs" = 1 ]; then
		cpus=2
	elif [ "$smp_needed" = 1 ] && [ "$i" = $((jobs - 1)) ]; then
		cpus=2
	fi
	wait_for=${waits[i]:--}
	[ "$wait_for" = - ] && wait_for=
	# The tests this guest takes, written by the guest as it takes them.
	: >"$dir/expected-kselftests"
	info "$(basename "$out") guest $((i + 1)) ($cpus CPU(s)${wait_for:+, when $wait_for exists}): tests from the queue"
	(
		if [ -n "$wait_for" ]; then
			w=$SECONDS
			while [ ! -e "$wait_for" ]; do
				if [ $((SECONDS - w)) -ge "$wait_max" ]; then
					info "$(basename "$out") guest $((i + 1)): $wait_for did not appear in $wait_max s; booting"
					break
				fi
				sleep 5
			done
			# Nothing left that this guest may take: no boot. The first
			# guest boots all the same: it runs the KUnit suites (and
			# the sample comparison).
			if [ "$i" != 0 ] && ! queue_has_work "$cpus"; then
				info "$(basename "$out") guest $((i + 1)): the queue is empty; not booted"
				rm -rf "$dir"
				exit 0
			fi
		fi
		GUEST_CPUS=$cpus GUEST_RWDIRS=$queue BOOT_APPEND=$append GUEST_LABEL="$(basename "$out") guest $((i + 1))" \
			"$boot" "$out" "$dir" \
			"${vars[@]}" "${extra[@]}" $smp_any $up_any "KSFT_QUEUE=$(cd "$queue" && pwd)" "$WB_ROOT/scripts/guest-run.sh" \
			"$(cd "$out" && pwd)/kselftest/kselftest_install" "$dir/guest"
	) &
	pids+=($!)
	dirs+=("$dir")
done
for p in "${pids[@]}"; do wait "$p" || true; done

for dir in "${dirs[@]}"; do
	for f in "$dir"/guest/*; do [ -e "$f" ] && mv "$f" "$dir"/; done
	rmdir "$dir/guest" 2>/dev/null || true
done

# The seconds of each test (and of the sample comparison), for the order
# of the next queue.
{
	[ ! -f "$times" ] || cat "$times"
	cat "${dirs[@]/%//kselftest/durations}" 2>/dev/null | awk '{ printf "%s %.0f\n", $1, $3 - $2 }'
	[ -f "$res/samples/seconds" ] && echo "samples $(cat "$res/samples/seconds")"
	true
} | awk '{ t[$1] = $2 } END { for (k in t) print k, t[k] }' | sort >"$times.new" &&
	mv "$times.new" "$times"
exit 0
