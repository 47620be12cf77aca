#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: test-debug.sh [--no-report]
# The livepatch kselftests on the debug kernel: the series built with
# LLVM=1 in $KBUILD_DEBUG from the usual fragments plus
# config/debug-kernel.config (KASAN, kmemleak, DEBUG_OBJECTS), booted
# under virtme-ng. Results go to $RESULTS/debug; the guest's kmemleak
# report is one of them. make test runs this before its report, which
# then has a "[debug] ..." row for each result; alone, it reports
# $RESULTS/debug. Expects ./linux at base + series/ (make apply).

. "$(dirname "$0")/lib.sh"

report=1
[ "${1:-}" = --no-report ] && report=0

out=$KBUILD_DEBUG
res=$RESULTS/debug
rm -rf "$res"
mkdir -p "$res"

step "debug kernel: LLVM=1, KASAN, kmemleak, DEBUG_OBJECTS (about 12 minutes cold)"
LLVM=1 FRAGMENTS="$FRAGMENTS_DEBUG" "$WB_ROOT/scripts/build.sh" "$out"

ksft=$out/kselftest/kselftest_install
grep '^livepatch:' "$ksft/kselftest-list.txt" >"$res/expected-kselftests" ||
	die "no livepatch tests in $ksft/kselftest-list.txt"
if [ -n "${KSELFTESTS:-}" ]; then
	printf '%s\n' $KSELFTESTS >"$res/expected-kselftests"
fi
: >"$res/expected-kunit"
grep -q '^CONFIG_RUST_KERNEL_DOCTESTS=y' "$out/.config" &&
	echo rust_doctests_kernel >>"$res/expected-kunit"
grep -q '^CONFIG_DEBUG_KMEMLEAK=y' "$out/.config" && touch "$res/expected-kmemleak"

# One CPU: every operation of this kernel costs about ten times what it
# costs on the test kernel (an exec 0.35 s, an insmod and rmmod 1.7 s),
# and with a second CPU each livepatch transition waits a second more for
# that CPU's idle task. The test kernel runs them with two CPUs.
# test-stress.sh's 300 cycles take about 25 minutes here: its time limit
# (STRESS_SECONDS, 900 s by default) is raised to match.
step "debug kernel: $(wc -l <"$res/expected-kselftests") livepatch kselftests in the guest (1 CPU)"
GUEST_CPUS=${GUEST_CPUS:-1} BOOT_TIMEOUT=${BOOT_TIMEOUT:-5400} "$WB_ROOT/scripts/boot.sh" "$out" "$res" \
	STRESS_SECONDS=${STRESS_SECONDS:-3600} \
	"$WB_ROOT/scripts/guest-run.sh" "$ksft" "$res/guest" $(cat "$res/expected-kselftests")
for f in "$res"/guest/*; do [ -e "$f" ] && mv "$f" "$res"/; done
rmdir "$res/guest" 2>/dev/null || true

if [ $report = 1 ]; then
	step "report (logs in $res)"
	python3 "$WB_ROOT/scripts/report.py" "$res"
fi
