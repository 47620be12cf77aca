#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The bench (make bench): the series against its base, side by side.
#
# Builds the base kernel (no patches) in build/base, from the test kernel's
# .config, next to the series kernel in build/series. Builds the modules
# of bench/ against each, boots the two kernels in turn, base first,
# BENCH_BOOTS times each (A/B/A/B...), runs guest-bench.sh in every boot,
# and prints the table of bench-report.py, which it also writes to
# bench-results/table.md. It times klp_module_coming() and
# klp_module_going() with P = 1, 4 and 16 livepatches, a load refused by
# the last of 16, and a call through a patched function with a C and a
# Rust replacement; it also reports the times that make test recorded
# (BENCH_TEST=1 runs it, cold and warm, first).
#
# A benchmark, not a test: nothing passes or fails on a figure. It fails
# only when a step does not do what it should.

. "$(dirname "$0")/lib.sh"

boots=${BENCH_BOOTS:-3}
res=${BENCH_RESULTS:-$WB_ROOT/bench-results}
kbase=${KBUILD_BASE:-$WB_ROOT/build/base}
base_src=$WB_ROOT/build/base-src
[[ "$boots" =~ ^[1-9][0-9]*$ ]] || die "BENCH_BOOTS must be a positive number, not '$boots'"
[ "$boots" -ge 3 ] || info "BENCH_BOOTS=$boots: fewer than the 3 boots of each kernel that a table to quote needs"
# What guest-bench.sh takes, passed on its command line: virtme-ng does not
# pass the environment into the guest.
guest_env=()
for v in BENCH_REPS BENCH_CALLS BENCH_CALL_RUNS; do
	if [ -n "${!v:-}" ]; then
		[[ "${!v}" =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive number, not '${!v}'"
		guest_env+=("$v=${!v}")
	fi
done

start=$SECONDS
if [ "$(id -u)" = 0 ]; then
	"$WB_ROOT/scripts/toolchain.sh"
fi
"$WB_ROOT/scripts/base.sh"
"$WB_ROOT/scripts/apply.sh"
"$WB_ROOT/scripts/build.sh" "$KBUILD"

# The base's source: a worktree of ./linux at the tag base.
step "bench: the base kernel's source in $base_src (tag base)"
want=$(git -C "$KSRC" rev-parse base)
if [ "$(git -C "$base_src" rev-parse HEAD 2>/dev/null)" != "$want" ]; then
	git -C "$KSRC" worktree prune
	rm -rf "$base_src"
	git -C "$KSRC" worktree add -q -f --detach "$base_src" base ||
		die "cannot check out the base in $base_src"
fi

# The same .config: the series kernel's, put through the base's Kconfig.
# Only options that the series adds may be missing from the result.
step "bench: the base kernel's .config, from the series kernel's"
mkdir -p "$kbase"
if ! cmp -s "$KBUILD/.config" "$kbase/.config.series" ||
	[ "$(cat "$kbase/.config.base" 2>/dev/null)" != "$want" ]; then
	cp "$KBUILD/.config" "$kbase/.config"
	KSRC=$base_src kmake "$kbase" -s olddefconfig >&2 || die "olddefconfig of the base failed"
	cp "$KBUILD/.config" "$kbase/.config.series"
	echo "$want" >"$kbase/.config.base"
fi
diff <(grep '^CONFIG_' "$KBUILD/.config" | sort) <(grep '^CONFIG_' "$kbase/.config" | sort) |
	sed -n 's/^[<>] //p' >"$kbase/config-diff" || true
while read -r line; do
	sym=${line%%=*}
	if grep -rqE "^[[:space:]]*(menu)?config ${sym#CONFIG_}\$" --include='Kconfig*' "$base_src"; then
		die "the base kernel's .config differs from the series' in $line, which the base has"
	fi
	info "only the series has $line"
done <"$kbase/config-diff"

step "bench: build the base kernel in $kbase (about 10 minutes cold)"
t=$SECONDS
KSRC=$base_src kmake "$kbase" -s all >&2 || die "the base kernel does not build"
info "built in $((SECONDS - t)) s"

# The bench's modules, built against each kernel in a copy of bench/.
build_modules() {
	local name=$1 src=$2 out=$3 dir=$WB_ROOT/build/bench-modules/$1 n rust=()
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$WB_ROOT"/bench/Kbuild "$WB_ROOT"/bench/*.c "$WB_ROOT"/bench/*.rs "$dir"/
	for n in $(seq -w 1 16); do
		printf '// SPDX-License-Identifier: GPL-2.0\n#include "klp_bench_lp.c"\n' >"$dir/klp_bench_lp$n.c"
	done
	[ -f "$src/rust/kernel/livepatch.rs" ] && rust=(KLP_BENCH_RUST=1)
	KSRC=$src kmake "$out" -s M="$dir" "${rust[@]}" modules >&2 ||
		die "the bench modules do not build against the $name kernel"
	info "$name: $(ls "$dir"/*.ko | wc -l) modules in $dir"
}
step "bench: the bench modules (bench/), against each kernel"
build_modules base "$base_src" "$kbase"
build_modules series "$KSRC" "$KBUILD"
[ -f "$WB_ROOT/build/bench-modules/series/klp_bench_rust.ko" ] ||
	die "the Rust livepatch of the bench was not built against the series kernel"

rm -rf "$res"
mkdir -p "$res"
echo "${GUEST_CPUS:-2}" >"$res/guest-cpus"
# One KVM probe for all the boots (boot.sh).
for i in $(seq "$boots"); do
	for k in base series; do
		run=$res/$k-$i
		mkdir -p "$run"
		[ -f "$res/accel" ] && cp "$res/accel" "$run/accel"
		if [ "$k" = base ]; then out=$kbase; else out=$KBUILD; fi
		step "bench: boot $i of $boots of the $k kernel"
		t=$SECONDS
		BOOT_TIMEOUT=${BENCH_BOOT_TIMEOUT:-1800} "$WB_ROOT/scripts/boot.sh" "$out" "$run" \
			"${guest_env[@]}" "$WB_ROOT/scripts/guest-bench.sh" "$WB_ROOT/build/bench-modules/$k" "$run/guest"
		[ -f "$res/accel" ] || cp "$run/accel" "$res/accel"
		[ -f "$run/guest/guest-done" ] ||
			die "the bench did not complete in boot $i of the $k kernel (see $run/console.log)"
		if grep -qE -f "$WB_ROOT/scripts/splat-patterns" "$run/guest/dmesg.txt"; then
			grep -E -f "$WB_ROOT/scripts/splat-patterns" "$run/guest/dmesg.txt" >&2
			die "the kernel log of boot $i of the $k kernel has a splat (see $run/guest/dmesg.txt)"
		fi
		info "boot $i of the $k kernel: $((SECONDS - t)) s"
	done
done

# BENCH_TEST=1: also time make test, cold and then warm, in a fresh clone
# of this repository (HEAD) that shares $WB_CACHE; test.sh records both.
# Not by default: together they take about an hour.
if [ "${BENCH_TEST:-0}" != 0 ]; then
	clone=$WB_ROOT/build/bench-test-clone
	rm -rf "$clone"
	git clone -q "$WB_ROOT" "$clone" || die "cannot clone $WB_ROOT"
	for kind in cold warm; do
		step "bench: make test in a fresh clone, $kind (log in $res/make-test-$kind.log)"
		t=$SECONDS
		env -u KSRC -u KBUILD -u RESULTS -u TEST_DEBUG -u KSELFTESTS \
			make -C "$clone" test >"$res/make-test-$kind.log" 2>&1 ||
			die "make test failed in $clone (see $res/make-test-$kind.log)"
		info "$kind: $((SECONDS - t)) s"
	done
	rm -rf "$clone"
fi

step "bench: report ($((SECONDS - start)) s in all)"
python3 "$WB_ROOT/scripts/bench-report.py" "$res" "$WB_CACHE/test-times.tsv" \
	"${BENCH_COMMAND:-make bench}" | tee "$res/table.md"
