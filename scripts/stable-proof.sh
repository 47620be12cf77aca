#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: stable-proof.sh
# The stable fix (patch 1 of the fixes) against its selftest (patch 2,
# test-relocations.sh), on two kernels built from the series kernel's
# .config put through the base's Kconfig, without Rust:
#   base  - the base, with patch 2's selftest files only;
#   fix   - the base with patches 1 and 2.
# Each boots under virtme-ng and runs test-relocations.sh; the test must
# fail on base (x86 refuses the second load: "existing value is nonzero")
# and pass on fix. The logs go to $RESULTS/stable-proof/{base,fix}.log.
# Expects ./linux at base + series/ (make apply) and the series kernel
# built (its .config). Not part of make test: two kernels to build.

. "$(dirname "$0")/lib.sh"

[ -f "$KBUILD/.config" ] || die "no $KBUILD/.config: run make build first"
fix1=$(git -C "$KSRC" rev-list --reverse base..HEAD | sed -n 1p)
fix2=$(git -C "$KSRC" rev-list --reverse base..HEAD | sed -n 2p)
[ -n "$fix2" ] || die "./linux has fewer than two patches on base"
git -C "$KSRC" show "$fix2" --stat --format= |
	grep -q 'test-relocations.sh' ||
	die "patch 2 ($(git -C "$KSRC" log -1 --format=%s "$fix2")) does not add test-relocations.sh"

run_results
res=$RESULTS/stable-proof
rm -rf "$res"
mkdir -p "$res"
top=$WB_ROOT/build/stable-proof

# prepare NAME COMMIT [FILES_FROM]: a worktree of ./linux at COMMIT (plus
# the selftests of FILES_FROM), a kernel built from it, its kselftests
prepare() {
	local name=$1 commit=$2 from=${3:-} src=$top/src-$1 out=$top/$1
	step "stable proof: $name kernel ($(git -C "$KSRC" log -1 --format=%h "$commit")${from:+ + the selftests of $(git -C "$KSRC" log -1 --format=%h "$from")})"
	git -C "$KSRC" worktree prune
	rm -rf "$src"
	git -C "$KSRC" worktree add -q -f --detach "$src" "$commit" ||
		die "cannot check out $commit in $src"
	if [ -n "$from" ]; then
		git -C "$src" checkout -q "$from" -- tools/testing/selftests/livepatch ||
			die "cannot take the selftests of $from"
	fi
	mkdir -p "$out"
	cp "$KBUILD/.config" "$out/.config"
	"$src/scripts/config" --file "$out/.config" --disable RUST
	KSRC=$src kmake "$out" -s olddefconfig >&2 || die "olddefconfig failed in $out"
	grep -q '^CONFIG_LIVEPATCH=y' "$out/.config" || die "$out/.config has no CONFIG_LIVEPATCH"
	KSRC=$src kmake "$out" -s all >&2 || die "the $name kernel does not build"
	KSRC=$src kmake "$out" -s kselftest-install TARGETS=livepatch KDIR="$out" \
		>"$res/$name-kselftest-install.log" 2>&1 ||
		die "kselftest-install failed for $name (see $res/$name-kselftest-install.log)"
}

# run NAME: boot NAME's kernel, run test-relocations.sh; its exit code
run() {
	local name=$1 out=$top/$1 rc
	step "stable proof: boot the $name kernel, run test-relocations.sh"
	"$WB_ROOT/scripts/boot.sh" "$out" "$res" \
		"cd $out/kselftest/kselftest_install/livepatch && ./test-relocations.sh >$res/$name.log 2>&1; echo \$? >$res/$name.rc; dmesg >$res/$name.dmesg" >&2 ||
		die "the $name guest failed"
	rc=$(cat "$res/$name.rc" 2>/dev/null) || die "the $name guest left no exit code"
	info "$name: test-relocations.sh exit $rc"
	echo "$rc"
}

prepare base base "$fix2"
prepare fix "$fix2"

rc_base=$(run base)
rc_fix=$(run fix)

ok=1
if [ "$rc_base" = 0 ] || [ "$rc_base" = 4 ]; then
	echo "FAIL: test-relocations.sh did not fail on the base kernel (exit $rc_base)"
	ok=0
elif ! grep -q 'existing value is nonzero' "$res/base.dmesg"; then
	echo "FAIL: the base kernel's log has no 'existing value is nonzero'"
	ok=0
else
	echo "ok: test-relocations.sh fails on the base kernel (exit $rc_base):"
	grep -m1 'existing value is nonzero' "$res/base.dmesg" | sed 's/^/  /'
	grep -m1 "failed to initialize patch 'test_klp_reloc'" "$res/base.dmesg" | sed 's/^/  /'
fi
if [ "$rc_fix" = 0 ]; then
	echo "ok: test-relocations.sh passes with patch 1"
else
	echo "FAIL: test-relocations.sh exit $rc_fix with patch 1 (see $res/fix.log)"
	ok=0
fi
[ $ok = 1 ]
