#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: test-debug.sh [--no-report] [--build-only | --guests-only]
# The selftests of the error paths ($DEBUG_KSELFTESTS, see lib.sh) on the
# debug kernel: the series built with
# LLVM=1 in $KBUILD_DEBUG from the usual fragments plus
# config/debug-kernel.config (KASAN, kmemleak, DEBUG_OBJECTS), booted
# under virtme-ng. Results go to $RESULTS/debug; the guest's kmemleak
# report is one of them. make test runs this before its report, which
# then has a "[debug] ..." row for each result; alone, it reports
# $RESULTS/debug. Expects ./linux at base + series/ (make apply).
# make test runs it in two steps: --build-only beside the test kernel's
# guest and the checks, then --guests-only, whose guests boot when those
# end (GUEST_WAIT, guests.sh).

. "$(dirname "$0")/lib.sh"

report=1
build=1
guests=1
for a in "$@"; do
	case $a in
	--no-report) report=0 ;;
	--build-only) guests=0 report=0 ;;
	--guests-only) build=0 ;;
	*) die "usage: test-debug.sh [--no-report] [--build-only | --guests-only], not '$a'" ;;
	esac
done

out=$KBUILD_DEBUG
res=$RESULTS/debug
if [ $build = 1 ]; then
	run_results
	rm -rf "$res"
	mkdir -p "$res"

	step "debug kernel: LLVM=1, KASAN, kmemleak, DEBUG_OBJECTS (about 17 minutes cold, 3 with ccache)"
	LLVM=1 FRAGMENTS="$FRAGMENTS_DEBUG" "$WB_ROOT/scripts/build.sh" "$out"

	ksft=$out/kselftest/kselftest_install
	livepatch_kselftests "$ksft" >"$res/all-kselftests"
	[ -s "$res/all-kselftests" ] || die "no livepatch tests in $ksft/kselftest-list.txt"
	# The tests of the error paths by default; KSELFTESTS as for make test,
	# and DEBUG_KSELFTESTS=all for every livepatch kselftest.
	want=${KSELFTESTS:-$DEBUG_KSELFTESTS}
	if [ "$want" = all ]; then
		cp "$res/all-kselftests" "$res/expected-kselftests"
	else
		for t in $want; do
			grep -qxF "$t" "$res/all-kselftests" || die "no kselftest $t (see $ksft/kselftest-list.txt)"
		done
		printf '%s\n' $want >"$res/expected-kselftests"
fi
: >"$res/expected-kunit"
grep -q '^CONFIG_RUST_KERNEL_DOCTESTS=y' "$out/.config" &&
	echo rust_doctests_kernel >>"$res/expected-kunit"
grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$out/.config" && touch "$res/expected-kmemleak"

cp "$res/expected-kselftests" "$res/all-kselftests"
fi

# Every operation of this kernel costs about ten times what it costs on
# the test kernel (an exec 0.35 s, an insmod and rmmod 1.7 s), which the
# selftests of the error paths are written for: the fault matrix enables
# each group's livepatches once, and the stress test loads its module
# from one process. Two guests (GUEST_JOBS, guests.sh) take the tests
# from one queue; the last has two CPUs and takes the stress test, so
# that its loads and livepatches race; each livepatch transition there
# waits about a second for the other CPU's idle task. Measured in a warm CI run
# with one guest of two CPUs: the whole guest 26 minutes, of which
# test-bad-input.sh 3.2, the fault matrix 12 and the stress test 4.8.
# STRESS_SECONDS bounds the stress test, and BOOT_TIMEOUT each guest's
# run, so that a hung guest still leaves CI (90 minutes) time to report.
# FAULT_MATRIX_MAX_P=3: the fault matrix up to three livepatches here
# (36 of its 60 cases), the whole of it on the test kernel (lib.sh,
# BOTH_KSELFTESTS). FAIL_NTH_OPS: the fail-nth sweep of every operation
# but the atomic replace over two livepatches, whose failures survived
# are each undone by reloading both (611 s for its 89 failure points in a
# guest of one CPU, too long for CI; FAIL_NTH_OPS=. sweeps it too).
if [ $guests = 1 ]; then
	[ -s "$res/all-kselftests" ] || die "no debug kernel build in $res: run test-debug.sh --build-only first"
	# The KVM probe of the test kernel's run (boot.sh) holds for this one;
	# taken here, once that run's guests have probed.
	[ -f "$res/accel" ] || [ ! -s "$RESULTS/accel" ] || cp "$RESULTS/accel" "$res/accel"
	[ "${KSELFTESTS:-$DEBUG_KSELFTESTS}" = all ] && BOOT_TIMEOUT=${BOOT_TIMEOUT:-5400}
	step "debug kernel: $(wc -l <"$res/all-kselftests") livepatch kselftests in the guests"
	GUEST_JOBS=${GUEST_JOBS:-2} BOOT_TIMEOUT=${BOOT_TIMEOUT:-3000} "$WB_ROOT/scripts/guests.sh" "$out" "$res" \
		STRESS_SECONDS=${STRESS_SECONDS:-1200} FAULT_MATRIX_MAX_P=${FAULT_MATRIX_MAX_P:-3} \
		FAIL_NTH_OPS=${FAIL_NTH_OPS:-enable.a.livepatch,disable,module} \
		TEST_TIMEOUT="${TEST_TIMEOUT:-2400}" -- $(cat "$res/all-kselftests")
fi

if [ $report = 1 ]; then
	step "report (logs in $res)"
	python3 "$WB_ROOT/scripts/report.py" "$res"
fi
