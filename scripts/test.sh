#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite: toolchain, base, series, build, checks, then the
# livepatch kselftests and the boot-time KUnit in a guest (and, with
# TEST_DEBUG=1, the same on the debug kernel). Ends with the line
# "N passed, N failed" and exits non-zero on any failure.

. "$(dirname "$0")/lib.sh"

start=$SECONDS
# For docs/runs.md and the bench (make bench), which report the times of
# make test: cold is a run that starts with no kernel tree, as in a fresh
# clone (the toolchain and the downloads in $WB_CACHE may be there), warm
# one that starts with everything built and nothing changed, changed one
# after a change to the workbench or series/.
# warm is a run with nothing changed since the last one here: the
# workbench's own inputs (inputs_key) are those the last run recorded.
inputs_key() {
	(cd "$WB_ROOT" && git ls-files -co --exclude-standard -- scripts config series tests \
		Makefile base.env series.env checkpatch.allow .ci | sort | xargs -r sha1sum) | sha1sum | cut -c1-40
}
inputs=$(inputs_key)
if [ ! -e "$KSRC" ]; then
	kind=cold
elif [ -f "$KBUILD/vmlinux" ] && [ "$(cat "$WB_ROOT/build/.last-run-inputs" 2>/dev/null)" = "$inputs" ]; then
	kind=warm
elif [ -f "$KBUILD/vmlinux" ]; then
	kind=changed
else
	kind=partial
fi
# WB_RUN_KIND=one-patch: whoever measures a run after changing one patch
# says so (docs/runs.md).
kind=${WB_RUN_KIND:-$kind}
commit=$(git -C "$WB_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
if [ "$(id -u)" = 0 ]; then
	"$WB_ROOT/scripts/toolchain.sh"
fi
"$WB_ROOT/scripts/base.sh"
"$WB_ROOT/scripts/apply.sh"
# The seconds of each phase, for docs/runs.md.
phases="prep=$((SECONDS - start))"
lap=$SECONDS
phase() { phases+=" $1=$((SECONDS - lap))"; lap=$SECONDS; }

rm -rf "$RESULTS"
run_results
: >"$RESULTS/checks.tsv"

# The test kernel first: its compiles fill ccache for the per-patch
# builds of the checks, which run in a worktree of their own.
"$WB_ROOT/scripts/build.sh" "$KBUILD"
phase kernel

ksft=$KBUILD/kselftest/kselftest_install
livepatch_kselftests "$ksft" >"$RESULTS/expected-kselftests"
[ -s "$RESULTS/expected-kselftests" ] || die "no livepatch tests in $ksft/kselftest-list.txt"
# KSELFTESTS="livepatch:test-callbacks.sh ..." runs only those (for iterating).
if [ -n "${KSELFTESTS:-}" ]; then
	for t in $KSELFTESTS; do
		grep -qxF "$t" "$RESULTS/expected-kselftests" || die "no kselftest $t (see $ksft/kselftest-list.txt)"
	done
	printf '%s\n' $KSELFTESTS >"$RESULTS/expected-kselftests"
fi
# The tests of the error paths (DEBUG_KSELFTESTS, lib.sh: the bad-input
# tests, the fault matrix and the stress test) run on the debug kernel,
# under KASAN and kmemleak: with TEST_DEBUG=1 (CI) in this same run, and
# by make test-debug. The test kernel runs the others, and those of
# BOTH_KSELFTESTS (the whole fault matrix); plain make test reports the
# rest as skipped, saying where they run. KSELFTESTS=... runs what it
# names.
debug_only=$(printf '%s\n' $DEBUG_KSELFTESTS | grep -vxF -f <(printf '%s\n' $BOTH_KSELFTESTS) || true)
if [ -z "${KSELFTESTS:-}" ] && [ "$DEBUG_KSELFTESTS" != all ]; then
	grep -vxF -f <(printf '%s\n' $debug_only) "$RESULTS/expected-kselftests" \
		>"$RESULTS/expected-kselftests.new" || true
	mv "$RESULTS/expected-kselftests.new" "$RESULTS/expected-kselftests"
	if [ "${TEST_DEBUG:-0}" = 0 ]; then
		for t in $debug_only; do
			echo "$t runs on the debug kernel: TEST_DEBUG=1 make test (CI) or make test-debug"
		done >"$RESULTS/skipped-kselftests"
	fi
	info "test: $(echo $debug_only) run on the debug kernel only"
fi
# KUnit suites that must report at boot, from the config.
: >"$RESULTS/expected-kunit"
grep -q '^CONFIG_RUST_KERNEL_DOCTESTS=y' "$KBUILD/.config" &&
	echo rust_doctests_kernel >>"$RESULTS/expected-kunit"
step "test: $(wc -l <"$RESULTS/expected-kselftests") livepatch kselftests to run in the guest"

# With the Rust samples built, the guest also runs the C and Rust livepatch
# samples side by side (sample-compare.sh); each scenario is a row.
samples=()
grep -q '^CONFIG_SAMPLE_LIVEPATCH_RUST=m' "$KBUILD/.config" && [ -z "${WB_GUEST_ONLY:-}" ] &&
	samples=("SAMPLES_KO=$(cd "$KBUILD" && pwd)/samples/livepatch")

# The static checks (checks.sh) run beside the guests: a per-patch
# build keeps one of the two cores busy about half the time (sampled
# every 5 s, 2026-11-30), and a guest of one CPU takes the other. Their
# output goes to $RESULTS/checks.log, shown when they end; make selftest
# (WB_GUEST_ONLY=1) iterates on the guest and has no checks.
#
# What runs in the background says it has ended with a file
# ($RESULTS/*.done, written however it ends), which a guest that waits
# for it reads (GUEST_WAIT, guests.sh): a process id could be another
# process's by then. If this script stops early (a build fails), it
# stops them too.
bg_pids=()
trap 'for p in "${bg_pids[@]}"; do kill_tree "$p"; done' EXIT
checks_done=-
if [ -z "${WB_GUEST_ONLY:-}" ]; then
	checks_done=$RESULTS/checks.done
	(
		trap 'touch "$RESULTS/checks.done"' EXIT
		t=$SECONDS
		# A check script that dies (the top does not build, ...) is a
		# failed row of its own.
		"$WB_ROOT/scripts/checks.sh" ||
			printf 'checks: checks.sh ran to its end\tfail\t-\t%s\n' "$(tail -n 1 "$RESULTS/checks.log")" >>"$RESULTS/checks.tsv"
		"$WB_ROOT/scripts/test-workbench.sh" "$RESULTS/checks.tsv" ||
			printf 'checks: test-workbench.sh ran to its end\tfail\t-\t%s\n' "$(tail -n 1 "$RESULTS/checks.log")" >>"$RESULTS/checks.tsv"
		echo "$((SECONDS - t))" >"$RESULTS/checks.seconds"
	) >"$RESULTS/checks.log" 2>&1 &
	bg_pids+=($!)
	info "checks: running beside the guests (log $RESULTS/checks.log)"
fi

# TEST_DEBUG=1 (.ci/run sets it): also the selftests of the error paths
# on the debug kernel (KASAN, kmemleak; make test-debug alone), as
# "[debug] ..." rows of the same report. The test kernel's guest boots at
# once, beside the checks and the debug kernel's build; the debug
# kernel's first guest boots when the test kernel's has ended, its second
# when the checks have, and both take their tests from one queue
# (guests.sh). Not by default: its build and guests add about 20 minutes
# (README, "The debug kernel").
debug=${TEST_DEBUG:-0}

# The guests take the tests from a queue (guests.sh); each keeps its own
# kernel log and results. all-kselftests is the list every one of which
# must have a result in one of them. Alone, the test kernel's tests run
# in two guests (GUEST_JOBS), the first at once, the second when the
# checks end; beside the debug kernel's, in one.
cp "$RESULTS/expected-kselftests" "$RESULTS/all-kselftests"
s=${samples[0]:-}
# BOOT_TIMEOUT bounds each guest, TEST_TIMEOUT each test in it; a guest
# that does not finish is reported with the test it was running.
run_test_guests() {
	GUEST1_SAMPLES_KO=${s#SAMPLES_KO=} BOOT_TIMEOUT=${BOOT_TIMEOUT:-2400} \
		"$WB_ROOT/scripts/guests.sh" "$KBUILD" "$RESULTS" TEST_TIMEOUT="${TEST_TIMEOUT:-900}" -- \
		$(cat "$RESULTS/all-kselftests")
}
if [ "$debug" = 0 ]; then
	# The first guest at once, beside the checks, the second when they
	# end. Both at once made the run after one patch changed longer:
	# 996 s against 950 s, the checks slowed from 751 s to 925 s and
	# were then the whole run (runs of ab0e7ce and ff39d9c, docs/runs.md).
	GUEST_JOBS=${GUEST_JOBS:-2} GUEST_WAIT="- $checks_done" run_test_guests
else
	(
		trap 'touch "$RESULTS/guests.done"' EXIT
		GUEST_JOBS=1 GUEST_CPUS=1 run_test_guests
	) &
	bg_pids+=($!)
	# A debug kernel that does not build is a failed row; the rest goes on.
	if "$WB_ROOT/scripts/test-debug.sh" --build-only; then
		phase debug_beside
		GUEST_WAIT="$RESULTS/guests.done $checks_done" "$WB_ROOT/scripts/test-debug.sh" --guests-only --no-report ||
			true
	else
		phase debug_beside
		printf 'debug kernel: builds\tfail\t-\tsee the build output above\n' >>"$RESULTS/checks.tsv"
	fi
fi
for p in "${bg_pids[@]}"; do wait "$p" || true; done
bg_pids=()
[ "$checks_done" = - ] || cat "$RESULTS/checks.log"
phase side
[ "$checks_done" = - ] || phases+=" checks_wall=$(cat "$RESULTS/checks.seconds" 2>/dev/null || echo '?')"

if [ ${#samples[@]} -gt 0 ]; then
	step "test: C and Rust livepatch samples, side by side"
	"$WB_ROOT/scripts/sample-compare.sh" --compare "$RESULTS/samples" "$RESULTS/checks.tsv" ||
		[ -e "$RESULTS/samples/guest-done" ] ||
		printf 'sample: C and Rust logs match\tfail\t-\tthe guest did not run the comparison\n' >>"$RESULTS/checks.tsv"
fi

step "report ($((SECONDS - start)) s in all; logs in $RESULTS)"
status=0
python3 "$WB_ROOT/scripts/report.py" "$RESULTS" || status=$?

phase report
# One line per whole run or make selftest: date, cold/warm, seconds,
# command, commit, result, phases; docs/runs.md and the README's table of
# times are written from them (runs-page.py).
cmd=
if [ -z "${KSELFTESTS:-}" ]; then
	cmd="make test"
	[ "${TEST_DEBUG:-0}" != 0 ] && cmd="TEST_DEBUG=1 make test"
elif [ -n "${WB_GUEST_ONLY:-}" ]; then
	t=$(echo $KSELFTESTS | sed 's/livepatch://g')
	case $t in
	*' '*) cmd="make selftest T='$t'" ;;
	*) cmd="make selftest T=$t" ;;
	esac
fi
if [ -n "$cmd" ]; then
	mkdir -p "$WB_CACHE" "$WB_ROOT/build"
	echo "$inputs" >"$WB_ROOT/build/.last-run-inputs"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$kind" "$((SECONDS - start))" \
		"$cmd" "$commit" \
		"$([ $status = 0 ] && echo passed || echo failed)" "$phases" >>"$WB_CACHE/test-times.tsv"
	python3 "$WB_ROOT/scripts/runs-page.py" "$WB_CACHE/test-times.tsv" \
		"$WB_ROOT/docs/runs.md" "$WB_ROOT/README.md" || true
fi
exit $status
