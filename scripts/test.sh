#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite: toolchain, base, series, build, checks, then the
# livepatch kselftests and the boot-time KUnit in a guest (and, with
# TEST_DEBUG=1, the same on the debug kernel). Ends with the line
# "N passed, N failed" and exits non-zero on any failure.

. "$(dirname "$0")/lib.sh"

start=$SECONDS
if [ "$(id -u)" = 0 ]; then
	"$WB_ROOT/scripts/toolchain.sh"
fi
"$WB_ROOT/scripts/base.sh"
"$WB_ROOT/scripts/apply.sh"

rm -rf "$RESULTS"
mkdir -p "$RESULTS"
: >"$RESULTS/checks.tsv"

"$WB_ROOT/scripts/checks.sh" "$KBUILD"
"$WB_ROOT/scripts/build.sh" "$KBUILD"

ksft=$KBUILD/kselftest/kselftest_install
grep '^livepatch:' "$ksft/kselftest-list.txt" >"$RESULTS/expected-kselftests" ||
	die "no livepatch tests in $ksft/kselftest-list.txt"
# KSELFTESTS="livepatch:test-callbacks.sh ..." runs only those (for iterating).
if [ -n "${KSELFTESTS:-}" ]; then
	for t in $KSELFTESTS; do
		grep -qxF "$t" "$RESULTS/expected-kselftests" || die "no kselftest $t (see $ksft/kselftest-list.txt)"
	done
	printf '%s\n' $KSELFTESTS >"$RESULTS/expected-kselftests"
fi
# KUnit suites that must report at boot, from the config.
: >"$RESULTS/expected-kunit"
grep -q '^CONFIG_RUST_KERNEL_DOCTESTS=y' "$KBUILD/.config" &&
	echo rust_doctests_kernel >>"$RESULTS/expected-kunit"
step "test: $(wc -l <"$RESULTS/expected-kselftests") livepatch kselftests to run in the guest"

# With the Rust samples built, the guest also runs the C and Rust livepatch
# samples side by side (sample-compare.sh); each scenario is a row.
samples=()
grep -q '^CONFIG_SAMPLE_LIVEPATCH_RUST=m' "$KBUILD/.config" &&
	samples=("SAMPLES_KO=$KBUILD/samples/livepatch")

"$WB_ROOT/scripts/boot.sh" "$KBUILD" "$RESULTS" \
	"${samples[@]}" "$WB_ROOT/scripts/guest-run.sh" "$ksft" "$RESULTS/guest" $(cat "$RESULTS/expected-kselftests")
for f in "$RESULTS"/guest/*; do [ -e "$f" ] && mv "$f" "$RESULTS"/; done
rmdir "$RESULTS/guest" 2>/dev/null || true

if [ ${#samples[@]} -gt 0 ]; then
	step "test: C and Rust livepatch samples, side by side"
	"$WB_ROOT/scripts/sample-compare.sh" --compare "$RESULTS/samples" "$RESULTS/checks.tsv" ||
		[ -e "$RESULTS/samples/guest-done" ] ||
		printf 'sample: C and Rust logs match\tfail\t-\tthe guest did not run the comparison\n' >>"$RESULTS/checks.tsv"
fi

# TEST_DEBUG=1 (.ci/run sets it): also the selftests of the error paths
# on the debug kernel (KASAN, kmemleak; make test-debug alone), as
# "[debug] ..." rows of the same report. Not by default: its build and
# boot add about half an hour (README, "The debug kernel").
if [ "${TEST_DEBUG:-0}" != 0 ]; then
	"$WB_ROOT/scripts/test-debug.sh" --no-report
fi

step "report ($((SECONDS - start)) s in all; logs in $RESULTS)"
python3 "$WB_ROOT/scripts/report.py" "$RESULTS"
