#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: must-not-build.sh SRC OUT LOGDIR [CASE.rs...]
# Build each case of tests/must-not-build (see its README) as an
# out-of-tree module against the kernel tree SRC built in OUT, with and
# without --cfg wb_good. Prints one line per case, "pass|fail NAME DETAIL",
# and exits 1 if a case failed: the good build must succeed with no
# warning, the bad one must fail with the message of the case's
# "// wb-expect:" line.

. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: must-not-build.sh SRC OUT LOGDIR [CASE.rs...]"
src=$1 out=$2 logs=$3
shift 3
[ -f "$out/Module.symvers" ] || die "must-not-build: $out holds no built kernel"
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("$WB_ROOT"/tests/must-not-build/*.rs)
mkdir -p "$logs"

rc=0
for f in "${cases[@]}"; do
	[ -f "$f" ] || die "must-not-build: no such case: $f"
	name=$(basename "$f" .rs)
	expect=$(sed -n 's|^// wb-expect: ||p' "$f")
	[ -n "$expect" ] || die "must-not-build: $f has no '// wb-expect:' line"
	dir=$(mktemp -d)
	mod=wb_must_not_build_$name
	cp "$f" "$dir/$mod.rs"
	echo "obj-m := $mod.o" >"$dir/Kbuild"
	# wb_good is not a cfg that Kbuild declares.
	flags=-Aunexpected_cfgs
	good=0 bad=0
	KSRC=$src kmake "$out" M="$dir" KRUSTFLAGS="$flags --cfg wb_good" modules \
		>"$logs/$name.good" 2>&1 && good=1
	rm -f "$dir"/*.o "$dir"/*.ko
	KSRC=$src kmake "$out" M="$dir" KRUSTFLAGS="$flags" modules \
		>"$logs/$name.bad" 2>&1 || bad=1
	rm -rf "$dir"
	if [ $good = 0 ]; then
		echo "fail $name the good form (--cfg wb_good) does not build: $(grep -m1 -E '^error' "$logs/$name.good")"
		rc=1
	elif grep -qiE '^warning' "$logs/$name.good"; then
		echo "fail $name the good form (--cfg wb_good) builds with a warning: $(grep -m1 -iE '^warning' "$logs/$name.good")"
		rc=1
	elif [ $bad = 0 ]; then
		echo "fail $name the bad form builds"
		rc=1
	elif ! grep -qF -- "$expect" "$logs/$name.bad"; then
		echo "fail $name the bad form fails, but not with '$expect': $(grep -m1 -E '^error' "$logs/$name.bad")"
		rc=1
	else
		echo "pass $name $(grep -m1 -F -- "$expect" "$logs/$name.bad" | sed 's/^ *//' | cut -c1-100)"
	fi
done
exit $rc
