#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: guests.sh BUILD_DIR RESULTS_DIR [VAR=VALUE...] -- COLLECTION:TEST...
# Runs the kselftests in GUEST_JOBS guests (default 1) of BUILD_DIR's
# kernel at once, each with its own share of the tests and its own
# results: RESULTS_DIR for the first guest, RESULTS_DIR/guest-N for the
# others.
#
# Under TCG on 2 cores the host is the limit, and guests of one CPU use
# it best: the same three tests of the debug kernel took 581 s in one
# guest of 2 CPUs, 568 s in two of 2 CPUs side by side, 713 s in one
# guest of 1 CPU and 421 s in two guests of 1 CPU side by side
# (measured 2026-11-30, docs/workbench.md). So a guest that has another
# beside it gets one CPU, a lone guest two, and a guest whose share has a
# test of SMP_KSELFTESTS (lib.sh: the stress test, whose loads must race
# with the livepatches on another CPU) two; GUEST_CPUS=N sets every
# guest's count.
#
# GUEST_AFTER_PID=PID: the last guest boots when process PID has ended
# (make test runs the test kernel's guest that way beside the debug
# kernel's first one), and the plan counts GUEST_AFTER_LOAD seconds on
# it for what runs before it.
#
# Only the first guest runs the boot-time KUnit suites (the others boot
# with kunit.enable=0) and, with GUEST1_SAMPLES_KO=DIR, the sample
# comparison. The tests are shared out longest first, by the seconds each
# took in earlier runs ($WB_CACHE/kselftest-seconds, which this updates),
# or by an estimate for a test never timed. VAR=VALUE pairs reach every
# guest's guest-run.sh.

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
after=${GUEST_AFTER_PID:-}
[ -z "$after" ] || [[ "$after" =~ ^[1-9][0-9]*$ ]] || die "GUEST_AFTER_PID must be a process id, not '$after'"

mkdir -p "$res"
"$WB_ROOT/scripts/boot.sh" --probe "$out" "$res"
times=$WB_CACHE/kselftest-seconds-$(basename "$out")

# One line per guest: its tests. Longest first onto the least loaded
# guest; the first guest starts with the sample comparison's share.
mapfile -t plan < <(python3 - "$jobs" "$times" "${GUEST1_SAMPLES_KO:+samples}" "${after:+${GUEST_AFTER_LOAD:-0}}" "$@" <<'PY'
import os, sys
jobs, times, samples, after, tests = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
known = {}
if os.path.exists(times):
    for line in open(times):
        f = line.split()
        if len(f) == 2:
            known[f[0]] = float(f[1])
# Never timed: a guess from the test kernel (README), about 40 s a test.
guess = {'test-fault-matrix.sh': 180, 'test-stress.sh': 110}
w = lambda t: known.get(t.split(':', 1)[1], guess.get(t.split(':', 1)[1], 40))
load = [0.0] * jobs
load[0] = known.get('samples', 120) if samples else 0
if after:
    load[-1] += float(after)
share = [[] for _ in range(jobs)]
for t in sorted(tests, key=w, reverse=True):
    i = load.index(min(load))
    share[i].append(t)
    load[i] += w(t)
for i, s in enumerate(share):
    print(' '.join(sorted(s, key=tests.index)))
PY
)

# The guests that run: the first, and every other with tests; the last
# of them is the one that waits for GUEST_AFTER_PID.
n=0
last=0
for i in "${!plan[@]}"; do
	[ -n "${plan[$i]}" ] || [ "$i" = 0 ] || continue
	n=$((n + 1))
	last=$i
done
pids=()
dirs=()
for i in "${!plan[@]}"; do
	[ -n "${plan[$i]}" ] || [ "$i" = 0 ] || continue
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
	elif [ "$n" = 1 ] && [ -z "$after" ]; then
		cpus=2
	else
		for t in ${plan[$i]}; do
			[[ " $SMP_KSELFTESTS " == *" $t "* ]] && cpus=2
		done
	fi
	wait_for=
	[ "$i" = "$last" ] && wait_for=$after
	printf '%s\n' ${plan[$i]} >"$dir/expected-kselftests"
	info "$(basename "$out") guest $((i + 1)) ($cpus CPU(s)${wait_for:+, after process $wait_for}): ${plan[$i]:-no kselftests}"
	(
		if [ -n "$wait_for" ]; then
			while kill -0 "$wait_for" 2>/dev/null; do sleep 5; done
		fi
		GUEST_CPUS=$cpus BOOT_APPEND=$append GUEST_LABEL="$(basename "$out") guest $((i + 1))" "$WB_ROOT/scripts/boot.sh" "$out" "$dir" \
			"${vars[@]}" "${extra[@]}" "$WB_ROOT/scripts/guest-run.sh" \
			"$(cd "$out" && pwd)/kselftest/kselftest_install" "$dir/guest" ${plan[$i]}
	) &
	pids+=($!)
	dirs+=("$dir")
done
for p in "${pids[@]}"; do wait "$p" || true; done

for dir in "${dirs[@]}"; do
	for f in "$dir"/guest/*; do [ -e "$f" ] && mv "$f" "$dir"/; done
	rmdir "$dir/guest" 2>/dev/null || true
done

# The seconds of each test (and of the sample comparison), for the next plan.
{
	[ ! -f "$times" ] || cat "$times"
	cat "${dirs[@]/%//kselftest/durations}" 2>/dev/null | awk '{ printf "%s %.0f\n", $1, $3 - $2 }'
	[ -f "$res/samples/seconds" ] && echo "samples $(cat "$res/samples/seconds")"
	true
} | awk '{ t[$1] = $2 } END { for (k in t) print k, t[k] }' | sort >"$times.new" &&
	mv "$times.new" "$times"
exit 0
