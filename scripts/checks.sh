#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Static checks over series/, each a row in $RESULTS/checks.tsv:
#   per patch, in order: checkpatch.pl --strict (less checkpatch.allow) and a
#   build of the tree at that patch (bisectability): the kernel when the
#   patch changes its sources, the livepatch selftests when it changes them;
#   at the top: rustfmtcheck, CLIPPY=1, rustdoc, the Rust programs that
#   must not build (tests/must-not-build), W=1 on the C files the
#   series touches with no warning the base does not have, and, for each
#   patch that touches Rust, get_maintainer.pl naming both the live-patching
#   and the rust-for-linux lists.
#
# Nothing here touches $KSRC's checkout or the test kernel's build: the
# per-patch builds walk a git worktree of their own (build/wt/check/linux,
# built in build/wt/check/build/series), CLIPPY=1 and W=1 have build
# directories of their own beside it, and the base's side of each
# comparison comes from a worktree at the tag base (build/wt/base/linux).
# The layout mirrors ./linux and build/series, so ccache serves all of
# them from one cache.
#
# A check whose inputs (the patch or tree, the .config, these scripts) are
# those of a check that passed before is not run again: its row says
# "cached" (stamps in build/stamps). WB_NO_STAMPS=1 runs everything.
# An empty series/ passes trivially.

. "$(dirname "$0")/lib.sh"

tsv=$RESULTS/checks.tsv
allow=$WB_ROOT/checkpatch.allow
mkdir -p "$RESULTS/checks"

WT=$WB_ROOT/build/wt
src=$WT/check/linux
out=$WT/check/build/series
clippy_out=$WT/check/build/clippy
base_src=$WT/base/linux
# W=1 adds preprocessor flags that bindgen takes too: in the walk's build
# directory it rebuilt the Rust crates twice a run (once with the flags,
# once without). Its compiles have build directories of their own,
# without Rust: the series touches no C file that Rust builds.
w1_out=$WT/check/build/w1
base_w1_out=$WT/base/build/w1
stamps=$WB_ROOT/build/stamps
# The base's side of the comparisons depends on the base, the .config,
# these scripts and the compilers only, never on the series: it is kept
# in the cache, as ccache is, so that a fresh clone reuses it.
base_stamps=$WB_CACHE/base-warnings
mkdir -p "$stamps" "$base_stamps"

row() { # row NAME pass|fail|skip SECONDS DETAIL
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$tsv"
	info "$2: $1 ${4:+($4)}"
}

# The inputs every check shares: the scripts that run it and the
# fragments. A stamp is the hash of those plus the check's own inputs;
# checkpatch.allow is one of those of the checkpatch and b4 rows only (a
# patch's checkpatch row: its own lines), so that allowing a warning
# builds nothing again.
common=$(cat "$WB_ROOT/scripts/checks.sh" "$WB_ROOT/scripts/lib.sh" "$WB_ROOT/scripts/config.sh" \
	"$WB_ROOT"/config/*.config 2>/dev/null | sha1sum | cut -c1-40)
stamp_key() { printf '%s\n' "$common" "$@" | sha1sum | cut -c1-40; }
tools_id=$( (gcc --version; rustc --version; sphinx-build --version; true) 2>&1 | sha1sum | cut -c1-40)
# The base's side depends on the scripts, the fragments and the tools.
base_key() { printf '%s\n' "$common" "$tools_id" "$@" | sha1sum | cut -c1-40; }
# cached KEY NAME: when KEY passed before, repeat its row and succeed.
cached() {
	local f=$stamps/$1
	[ -z "${WB_NO_STAMPS:-}" ] && [ -f "$f" ] || return 1
	row "$2" "$(cut -f1 "$f")" 0 "cached, as passed $(cut -f2 "$f")$(cut -f3 "$f" | sed 's/^./: &/')"
}
# remember KEY RESULT DETAIL: a pass or skip is stamped, a failure never.
remember() {
	[ "$2" = fail ] && return 0
	printf '%s\t%s\t%s\n' "$2" "$(date -u '+%F %H:%M')" "${3:-}" >"$stamps/$1"
}
# check KEY NAME RESULT SECONDS DETAIL: the row, and the stamp.
check() {
	row "$2" "$3" "$4" "${5:-}"
	remember "$1" "$3" "${5:-}"
}

cd "$KSRC"
commits=$(git rev-list --reverse base..HEAD)
if [ -z "$commits" ]; then
	step "checks: series/ is empty; nothing to check"
	row "series: no patches to check" pass 0 "series/ is empty"
	exit 0
fi
head=$(git rev-parse HEAD)
head_tree=$(git rev-parse "HEAD^{tree}")
base_tree=$(git rev-parse "base^{tree}")

# worktree DIR REV: a detached worktree of $KSRC in DIR, at REV. A
# checkout rewrites only the files that differ, so make rebuilds no more
# than the difference.
worktree() {
	if [ ! -e "$1/.git" ]; then
		rm -rf "$1"
		mkdir -p "$(dirname "$1")"
		git -C "$KSRC" worktree prune
		git -C "$KSRC" worktree add -q --detach "$1" "$2" >&2 ||
			die "git worktree add $1 failed"
	fi
	[ "$(git -C "$1" rev-parse HEAD)" = "$(git rev-parse "$2^{commit}")" ] ||
		git -C "$1" checkout -q --detach "$2" || die "git checkout $2 in $1 failed"
}
# in DIR OUT make ARGS...: kmake with DIR as the source tree.
in_tree() {
	local dir=$1
	shift
	KSRC=$dir kmake "$@"
}

# Sources of the kernel build: everything but the documentation and the
# selftests, which a patch may change without changing the kernel.
kernel_paths=(. ':(exclude)Documentation' ':(exclude)tools/testing')

"$WB_ROOT/scripts/config.sh" "$out"
cfg=$(sha1sum <"$out/.config" | cut -c1-40)
# The walk's builds start from this .config at every patch: Kbuild drops
# a symbol that an earlier patch's Kconfig lacks (the Rust samples), and
# would not bring it back when the patch that adds it comes.
cp "$out/.config" "$out/.config.wb"

# A sed expression that drops the terminal's colour codes (SGR) from a
# warning, should a tool colour it despite NO_COLOR (lib.sh).
no_sgr=$(printf 's/\033\\[[0-9;]*m//g')

# C files the series touches, for the W=1 comparison.
cfiles=$(git diff --name-only --diff-filter=AM base..HEAD -- '*.c' | grep -v '^tools/\|^samples/\|^Documentation/' || true)
w1() { # w1 LABEL DIR OUT: W=1 warnings of $cfiles in DIR, tree and locations stripped; fails when a compile does
	local f o rc=0
	: >"$RESULTS/checks/w1-$1.log"
	for f in $cfiles; do
		[ -f "$2/$f" ] || continue
		o=${f%.c}.o
		# Compiled every time, or an object that make finds up to date
		# shows no warning (ccache replays them, at little cost).
		rm -f "$3/$o"
		in_tree "$2" "$3" W=1 "$o" >>"$RESULTS/checks/w1-$1.log" 2>&1 || rc=1
		[ -f "$3/$o" ] || rc=1
	done
	{ grep -E 'warning:' "$RESULTS/checks/w1-$1.log" || true; } |
		sed -E -e "$no_sgr" -e "s|$2/||g" -e 's/:[0-9]+:[0-9]+:/:/' | sort -u >"$RESULTS/checks/w1-$1.txt"
	return $rc
}

# w1_config DIR OUT: the walk's .config less Rust, in OUT, for the tree
# DIR; written (and olddefconfig run) only when it or DIR's tree changes,
# so that make rebuilds only what the tree's changes need.
w1_config() {
	mkdir -p "$2"
	cp "$out/.config" "$2/.config.in"
	"$1/scripts/config" --file "$2/.config.in" -d RUST
	echo "# wb tree $(git -C "$1" rev-parse 'HEAD^{tree}')" >>"$2/.config.in"
	cmp -s "$2/.config.in" "$2/.config.src" && [ -f "$2/.config" ] && return 0
	cp "$2/.config.in" "$2/.config"
	in_tree "$1" "$2" -s olddefconfig >&2 || die "olddefconfig in $2 failed"
	mv "$2/.config.in" "$2/.config.src"
}

# w1_base: the base's side of the W=1 comparison for $w1files, kept with
# the base's tree hash: the base never changes, so this runs once per
# cache (and again when a compile failed at base).
w1_base() {
	local base_dir
	base_dir=$base_stamps/w1-$(base_key base "$base_tree" "$cfg" $w1files)
	if [ -z "${WB_NO_STAMPS:-}" ] && [ -f "$base_dir/done" ]; then
		info "checks: the base's W=1 warnings are those of an earlier run ($base_dir)"
		cp "$base_dir/w1-base.txt" "$RESULTS/checks/"
		return 0
	fi
	step "checks: W=1 warnings at base (once per cache)"
	rm -rf "$base_dir"
	mkdir -p "$base_dir"
	worktree "$base_src" base
	w1_config "$base_src" "$base_w1_out"
	# A compile that fails at base would hide its warnings: not kept.
	if cfiles=$w1files w1 base "$base_src" "$base_w1_out"; then
		cp "$RESULTS/checks/w1-base.txt" "$base_dir/"
		touch "$base_dir/done"
	else
		info "checks: a W=1 compile failed at base (see $RESULTS/checks/w1-base.log); not kept"
	fi
}

# The mail, by b4 (b4.sh): the b4 prep branches made once, then two rows:
# b4 prep --check (checkpatch as b4 runs it; what checkpatch.allow allows
# is allowed), and b4 send -o, which must give every file of series/ a
# mail with a Subject, a To and a Cc, and each patch whose body has
# "Cc: stable@vger.kernel.org" that address in its Cc. About 3 minutes
# (get_maintainer.pl over each series), so kept with series/, MAINTAINERS,
# the scripts and b4's version.
#
# They read nothing the per-patch walk writes and write only their own
# files, branches and worktrees (build/b4), so they run beside the walk
# (b4_rows, in the background, its messages in checks/b4.console).
b4_rows() {
	sdirs=$(series_dirs)
	key=$(stamp_key b4 "$(for d in $sdirs; do cat "$d"/*.patch "$d"/series.env; done | sha1sum)" \
		"$(cat "$WB_ROOT/series.env" "$WB_ROOT/scripts/b4.sh" "$WB_ROOT/scripts/cover.py" | sha1sum)" \
		"$(git rev-parse HEAD:MAINTAINERS)" "$("$VENV/bin/b4" --version 2>&1)" \
		"$(grep -vE '^(#|$)' "$allow" | awk '{ print $1, $2 }' | sha1sum)")
	r_check="b4 prep --check: no error, no warning checkpatch.allow lacks"
	r_send="b4 send -o: a mail per file, each with To and Cc, Cc: stable kept"
	need=()
	if [ -n "${SERIES_DIR:-}" ]; then
		# b4.sh works on the series of series.env and their branches.
		row "$r_check" skip 0 "SERIES_DIR is set: b4 handles the series of series.env"
		row "$r_send" skip 0 "SERIES_DIR is set: b4 handles the series of series.env"
	else
		cached "$key-check" "$r_check" || need+=(check)
		cached "$key-send" "$r_send" || need+=(send)
	fi
	if [ ${#need[@]} -gt 0 ]; then
		t=$SECONDS
		if ! "$WB_ROOT/scripts/b4.sh" prep >"$RESULTS/checks/b4-prep" 2>&1; then
			for r in "${need[@]}"; do
				r=r_$r
				row "${!r}" fail $((SECONDS - t)) "b4.sh prep: $(tail -n 1 "$RESULTS/checks/b4-prep")"
			done
			need=()
		fi
		prep_s=$((SECONDS - t))
	fi
	# Each row's time has its share of the prep.
	for r in "${need[@]}"; do
		t=$((SECONDS - prep_s / ${#need[@]}))
		if [ "$r" = check ]; then
			if B4_PREPPED=1 "$WB_ROOT/scripts/b4.sh" check >"$RESULTS/checks/b4-check" 2>&1; then
				check "$key-check" "$r_check" pass $((SECONDS - t)) "$(grep -c '^Success: ' "$RESULTS/checks/b4-check") series, $(grep -o 'Warning: [0-9]*' "$RESULTS/checks/b4-check" | awk '{n += $2} END {print n + 0}') warning(s), each allowed"
			else
				row "$r_check" fail $((SECONDS - t)) "$(grep -m1 -E '^not in checkpatch.allow|^b4 prep --check: errors' "$RESULTS/checks/b4-check" || tail -n 1 "$RESULTS/checks/b4-check")"
			fi
			continue
		fi
		bad=()
		if B4_PREPPED=1 "$WB_ROOT/scripts/b4.sh" send --dry-run >"$RESULTS/checks/b4-send" 2>&1; then
			n=0
			for d in $sdirs; do
				m=$RESULTS/mail/$(basename "$d")
				for p in "$d"/[0-9][0-9][0-9][0-9]-*.patch; do
					[ "${p##*/}" = 0000-cover-letter.patch ] || n=$((n + 1))
					e=$(ls "$m/$(basename "$p" | cut -c1-4)"-*.eml 2>/dev/null || true)
					if [ -z "$e" ]; then
						bad+=("no mail for $(basename "$d")/${p##*/}")
						continue
					fi
					hdr=$(sed '/^$/q' "$e")
					grep -q '^Subject: ' <<<"$hdr" && grep -q '^To: ' <<<"$hdr" && grep -q '^Cc: ' <<<"$hdr" ||
						bad+=("$(basename "$d")/${e##*/} lacks a Subject, To or Cc")
					if sed '/^---$/q' "$p" | grep -qx 'Cc: stable@vger.kernel.org' &&
						! awk '/^$/ { exit } /^Cc: / { c = 1 } c && !/^(Cc: |[ \t])/ { c = 0 } c' "$e" | grep -q 'stable@vger.kernel.org'; then
						bad+=("$(basename "$d")/${e##*/}: its body's Cc: stable is not in its Cc")
					fi
				done
				[ "$(ls "$m"/*.eml | wc -l)" -eq "$(ls "$d"/*.patch | wc -l)" ] ||
					bad+=("$(basename "$d"): $(ls "$m"/*.eml | wc -l) mail(s) for $(ls "$d"/*.patch | wc -l) file(s)")
			done
		else
			bad+=("b4.sh send --dry-run: $(tail -n 1 "$RESULTS/checks/b4-send")")
		fi
		if [ ${#bad[@]} -eq 0 ]; then
			check "$key-send" "$r_send" pass $((SECONDS - t)) "$n patch mail(s) and $(echo $sdirs | wc -w) cover letter(s), in results/.../mail"
		else
			row "$r_send" fail $((SECONDS - t)) "${bad[0]}${bad[1]:+ (+$((${#bad[@]} - 1)) more)}"
		fi
	done
}

b4_rows >"$RESULTS/checks/b4.console" 2>&1 &
b4_pid=$!
trap '[ -z "${b4_pid:-}" ] || kill_tree "$b4_pid"' EXIT

# The per-patch walk. The worktree's build directory remembers which
# commit's kernel sources it last built ($out/.wb-kernel-at), so a patch
# that changes only selftests or documentation rebuilds no kernel.
[ -e "$src/.git" ] || worktree "$src" "$(git rev-list base..HEAD | tail -n 1)"
built_at() { cat "$out/.wb-kernel-at" 2>/dev/null || true; }
kernel_current() { # kernel_current COMMIT: is $out a build of COMMIT's kernel sources?
	local at
	at=$(built_at)
	[ -n "$at" ] && git cat-file -e "$at^{commit}" 2>/dev/null &&
		git diff --quiet "$at" "$1" -- "${kernel_paths[@]}"
}

# Which series each commit belongs to, and its number there: the rows
# and files are named SERIES.NNNN-subject (checkpatch.allow uses them).
snames=()
while IFS= read -r dir; do
	n=$(series_patches "$dir" | wc -l)
	for ((k = 1; k <= n; k++)); do
		snames+=("$(basename "$dir").$(printf '%04d' "$k")")
	done
done < <(series_dirs)
[ "${#snames[@]}" -eq "$(wc -w <<<"$commits")" ] ||
	die "$KSRC holds $(wc -w <<<"$commits") commit(s) but series/ ${#snames[@]} patch(es): run make apply"

i=0
for c in $commits; do
	i=$((i + 1))
	subj=$(git log -1 --format=%s "$c")
	name=${snames[i - 1]}-$(git log -1 --format=%f "$c" | cut -c1-52)
	step "checks: ${snames[i - 1]}: $subj"

	git format-patch -q --stdout -1 "$c" >"$RESULTS/checks/$name.patch"
	# The patch as mailed, less the commit id and date of this apply.
	key=$(stamp_key checkpatch "$name" "$(sed -e '1d' -e '/^Date: /d' "$RESULTS/checks/$name.patch")" \
		"$(grep -E "^$name[[:space:]]" "$allow" 2>/dev/null || true)")
	t=$SECONDS
	if cached "$key" "checkpatch --strict: $name"; then
		cp "$stamps/$key.out" "$RESULTS/checks/$name.checkpatch" 2>/dev/null || true
	else
		# Debian's python3 has python3-ply, which checkpatch's spdxcheck.py
		# needs; a python3 earlier in PATH (pyenv, the virtme-ng venv) may not.
		rc=0
		PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --terse --no-summary --show-types \
			"$RESULTS/checks/$name.patch" >"$RESULTS/checks/$name.checkpatch" 2>&1 || rc=$?
		left=()
		# checkpatch exits 1 when it reports something; anything else, a
		# perl error or a helper's traceback is checkpatch failing to run.
		if [ "$rc" -gt 1 ] || grep -qE '^Traceback|^Died at|^Can.t locate|line [0-9]+\.$' "$RESULTS/checks/$name.checkpatch"; then
			left+=("checkpatch did not run cleanly (exit $rc): $(grep -m1 -vE '^[^:]*:[0-9]*: (ERROR|WARNING|CHECK):' "$RESULTS/checks/$name.checkpatch")")
		fi
		while IFS= read -r line; do
			type=$(sed -nE 's/^[^:]*:[0-9]*: (ERROR|WARNING|CHECK):([A-Z_0-9]+):.*/\2/p' <<<"$line")
			[ -n "$type" ] || continue
			if [ -f "$allow" ] && grep -qE "^$name[[:space:]]+$type[[:space:]]" "$allow"; then
				continue
			fi
			left+=("$line")
		done <"$RESULTS/checks/$name.checkpatch"
		cp "$RESULTS/checks/$name.checkpatch" "$stamps/$key.out"
		if [ ${#left[@]} -eq 0 ]; then
			check "$key" "checkpatch --strict: $name" pass $((SECONDS - t))
		else
			check "$key" "checkpatch --strict: $name" fail $((SECONDS - t)) "${left[0]}${left[1]:+ (+$((${#left[@]} - 1)) more)}"
		fi
	fi

	key=$(stamp_key build "$(git rev-parse "$c^{tree}")" "$cfg")
	cached "$key" "build: $name" && continue
	t=$SECONDS
	worktree "$src" "$c"
	what=()
	ok=1
	if kernel_current "$c"; then
		what+=("kernel sources unchanged: not rebuilt")
	else
		rm -f "$out/.wb-kernel-at"
		cmp -s "$out/.config.wb" "$out/.config" || cp "$out/.config.wb" "$out/.config"
		if in_tree "$src" "$out" -s all >"$RESULTS/checks/$name.build" 2>&1; then
			echo "$c" >"$out/.wb-kernel-at"
			what+=("kernel")
		else
			ok=0
		fi
	fi
	if [ $ok = 1 ] && ! git diff --quiet "$c~1" "$c" -- tools/testing/selftests/livepatch; then
		if in_tree "$src" "$out" -s kselftest-install TARGETS=livepatch KDIR="$out" \
			>>"$RESULTS/checks/$name.build" 2>&1; then
			what+=("livepatch selftests")
		else
			ok=0
		fi
	fi
	if [ $ok = 1 ]; then
		check "$key" "build: $name" pass $((SECONDS - t)) "$(IFS=,; echo "${what[*]}" | sed 's/,/, /g')"
	else
		check "$key" "build: $name" fail $((SECONDS - t)) "$(grep -m1 -E 'error' "$RESULTS/checks/$name.build")"
	fi
done

# An entry of checkpatch.allow that no longer matches a message of its
# patch is stale: it would silently allow a new one.
t=$SECONDS
stale=()
while read -r pname ptype _; do
	case "$pname" in '' | '#'*) continue ;; esac
	cpout=$RESULTS/checks/$pname.checkpatch
	if [ ! -f "$cpout" ] || ! grep -qE ": (ERROR|WARNING|CHECK):$ptype:" "$cpout"; then
		stale+=("$pname $ptype")
	fi
done <"$allow"
if [ ${#stale[@]} -eq 0 ]; then
	row "checkpatch.allow: every entry matches a message" pass $((SECONDS - t)) "$(grep -cvE '^(#|$)' "$allow") entries"
else
	row "checkpatch.allow: every entry matches a message" fail $((SECONDS - t)) \
		"${#stale[@]} stale: ${stale[0]}${stale[1]:+, ...}"
fi

# The checks of the top of the series, in the worktree at HEAD; cached
# together with HEAD's tree.
top=$(stamp_key top "$head_tree" "$cfg")
ensure_head() {
	worktree "$src" "$head"
	if ! kernel_current "$head"; then
		rm -f "$out/.wb-kernel-at"
		cmp -s "$out/.config.wb" "$out/.config" || cp "$out/.config.wb" "$out/.config"
		in_tree "$src" "$out" -s all >"$RESULTS/checks/top.build" 2>&1 ||
			die "the top of the series does not build in $out (see $RESULTS/checks/top.build)"
		echo "$head" >"$out/.wb-kernel-at"
	fi
}

if ! cached "$top-rustfmt" "rustfmtcheck"; then
	ensure_head
	t=$SECONDS
	if in_tree "$src" "$out" rustfmtcheck >"$RESULTS/checks/rustfmtcheck" 2>&1; then
		check "$top-rustfmt" "rustfmtcheck" pass $((SECONDS - t))
	else
		check "$top-rustfmt" "rustfmtcheck" fail $((SECONDS - t)) "$(head -n 1 "$RESULTS/checks/rustfmtcheck")"
	fi
fi

# CLIPPY=1 in a build directory of its own, so that neither build
# recompiles the other's Rust objects.
if ! cached "$top-clippy" "CLIPPY=1 build"; then
	ensure_head
	t=$SECONDS
	mkdir -p "$clippy_out"
	cp "$out/.config" "$clippy_out/.config"
	in_tree "$src" "$clippy_out" CLIPPY=1 all >"$RESULTS/checks/clippy" 2>&1 || echo "error: CLIPPY=1 build failed" >>"$RESULTS/checks/clippy"
	n=$(grep -cE '^(warning|error)(\[|:)' "$RESULTS/checks/clippy" || true)
	if [ "$n" -eq 0 ]; then
		check "$top-clippy" "CLIPPY=1 build" pass $((SECONDS - t))
	else
		check "$top-clippy" "CLIPPY=1 build" fail $((SECONDS - t)) "$n warning(s): $(grep -m1 -E '^(warning|error)' "$RESULTS/checks/clippy")"
		# Its objects are built all the same, and make would not lint them
		# again: the next run starts this build directory anew.
		rm -rf "$clippy_out"
	fi
fi

if ! cached "$top-rustdoc" "rustdoc"; then
	ensure_head
	t=$SECONDS
	in_tree "$src" "$out" rustdoc >"$RESULTS/checks/rustdoc" 2>&1 || echo "error: make rustdoc failed" >>"$RESULTS/checks/rustdoc"
	n=$(grep -cE '^(warning|error)(\[|:)' "$RESULTS/checks/rustdoc" || true)
	if [ "$n" -eq 0 ]; then
		check "$top-rustdoc" "rustdoc" pass $((SECONDS - t))
	else
		check "$top-rustdoc" "rustdoc" fail $((SECONDS - t)) "$n warning(s): $(grep -m1 -E '^(warning|error)' "$RESULTS/checks/rustdoc")"
	fi
fi

# The promises of the Rust livepatch API that must be written in unsafe,
# and the signatures it checks against their bindings: each case of
# tests/must-not-build builds in its good form and not in its bad one
# (about 40 s for the 7 cases). The row is the case's "// wb-row:" line.
# Kept with the top's tree, the cases and the script, all or none.
mnb_key=$(stamp_key must-not-build "$top" \
	"$(cat "$WB_ROOT/scripts/must-not-build.sh" "$WB_ROOT"/tests/must-not-build/*.rs | sha1sum)")
if [ -f "$src/rust/kernel/livepatch.rs" ]; then
	mnb_kept=1
	for f in "$WB_ROOT"/tests/must-not-build/*.rs; do
		[ -z "${WB_NO_STAMPS:-}" ] && [ -f "$stamps/$mnb_key-$(basename "$f" .rs)" ] || mnb_kept=0
	done
	if [ $mnb_kept = 1 ]; then
		for f in "$WB_ROOT"/tests/must-not-build/*.rs; do
			what=$(sed -n 's|^// wb-row: ||p' "$f")
			cached "$mnb_key-$(basename "$f" .rs)" "must not build: ${what:-$(basename "$f" .rs)}"
		done
	else
		ensure_head
		t=$SECONDS
		n=0
		while read -r verdict name detail; do
			what=$(sed -n 's|^// wb-row: ||p' "$WB_ROOT/tests/must-not-build/$name.rs")
			check "$mnb_key-$name" "must not build: ${what:-$name}" "$verdict" $((SECONDS - t)) "$detail"
			n=$((n + 1))
			t=$SECONDS
		done < <("$WB_ROOT/scripts/must-not-build.sh" "$src" "$out" "$RESULTS/checks/must-not-build" 2>"$RESULTS/checks/must-not-build.err" || true)
		m=$(ls "$WB_ROOT"/tests/must-not-build/*.rs | wc -l)
		[ "$n" -eq "$m" ] || row "must not build: every case ran" fail 0 \
			"$n of $m case(s) reported: $(tail -n 1 "$RESULTS/checks/must-not-build.err")"
	fi
fi

if ! cached "$top-w1" "W=1 on touched C files: no new warnings"; then
	ensure_head
	t=$SECONDS
	# The touched files that this .config builds: a file of another
	# config (kernel/livepatch/btf.c needs DEBUG_INFO_BTF) does not
	# compile alone, and is named in the detail.
	w1files=
	unbuilt=
	for f in $cfiles; do
		if [ -f "$out/$(dirname "$f")/.$(basename "${f%.c}").o.cmd" ]; then
			w1files+=" $f"
		else
			unbuilt+=" $f"
		fi
	done
	w1_base
	w1_config "$src" "$w1_out"
	cfiles=$w1files w1 series "$src" "$w1_out" ||
		echo "error: a W=1 compile failed (checks/w1-series.log)" >>"$RESULTS/checks/w1-series.txt"
	new=$(comm -13 "$RESULTS/checks/w1-base.txt" "$RESULTS/checks/w1-series.txt")
	if [ -z "$new" ]; then
		check "$top-w1" "W=1 on touched C files: no new warnings" pass $((SECONDS - t)) \
			"$(echo $w1files | wc -w) file(s)${unbuilt:+; not built in this config:$unbuilt}"
	else
		check "$top-w1" "W=1 on touched C files: no new warnings" fail $((SECONDS - t)) "$(head -n 1 <<<"$new")"
	fi
fi

# The Rust livepatch patches go to both lists: get_maintainer.pl, with the
# MAINTAINERS of the top of the series, must name both for each patch that
# touches a Rust file of livepatch (a Rust patch of another subsystem, such
# as rust/kernel/time.rs, goes to its own list; b4.sh Ccs both lists
# on every mail anyway).
for p in "$RESULTS"/checks/*.[0-9][0-9][0-9][0-9]-*.patch; do
	grep -qE '^\+\+\+ b/(rust/.*livepatch|.*livepatch.*\.rs$)' "$p" || continue
	name=$(basename "$p" .patch)
	t=$SECONDS
	lists=$(perl scripts/get_maintainer.pl --no-git --no-git-fallback --no-rolestats \
		--no-m --no-r --l "$p" 2>&1)
	echo "$lists" >"$RESULTS/checks/$name.maintainers"
	missing=()
	for l in live-patching@vger.kernel.org rust-for-linux@vger.kernel.org; do
		grep -qx "$l" <<<"$lists" || missing+=("$l")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		row "get_maintainer names both lists: $name" pass $((SECONDS - t))
	else
		row "get_maintainer names both lists: $name" fail $((SECONDS - t)) "missing ${missing[*]}"
	fi
done

# The b4 rows, started before the walk, end here.
if [ -n "${b4_pid:-}" ]; then
	wait "$b4_pid" || row "b4 rows: ran to their end" fail 0 "exit $?: see checks/b4.console"
	b4_pid=
	cat "$RESULTS/checks/b4.console"
fi

# MAINTAINERS covers every file the series adds: get_maintainer.pl -f names
# a maintainer or supporter of an entry other than THE REST.
t=$SECONDS
uncovered=()
for f in $(git diff --name-only --diff-filter=A base..HEAD); do
	perl scripts/get_maintainer.pl --no-git --no-git-fallback -f "$f" 2>/dev/null |
		grep -v 'THE REST' | grep -qE '\((maintainer|supporter):' || uncovered+=("$f")
done
n=$(git diff --name-only --diff-filter=A base..HEAD | wc -l)
if [ ${#uncovered[@]} -eq 0 ]; then
	row "MAINTAINERS covers every added file" pass $((SECONDS - t)) "$n file(s)"
else
	row "MAINTAINERS covers every added file" fail $((SECONDS - t)) "${uncovered[*]}"
fi

# new_warnings_row ROW NAME FUNC [DETAIL]: runs "FUNC LABEL DIR", which
# writes the sorted warnings of the tree DIR to
# $RESULTS/checks/NAME-LABEL.txt, for the top of the series (./linux)
# and for the base (the base worktree, once per cache); a row that fails
# on a warning only the top has.
new_warnings_row() {
	local t=$SECONDS new key=$top-$2 bkey
	cached "$key" "$1" && return 0
	bkey=$base_stamps/$2-$(base_key "$2" "$base_tree" $kfiles)
	"$3" series "$KSRC" || true
	if [ -n "${WB_NO_STAMPS:-}" ] || [ ! -f "$bkey" ]; then
		worktree "$base_src" base
		# A base side that failed to run is used, never kept.
		if "$3" base "$base_src"; then
			cp "$RESULTS/checks/$2-base.txt" "$bkey"
		fi
	else
		cp "$bkey" "$RESULTS/checks/$2-base.txt"
	fi
	new=$(comm -13 "$RESULTS/checks/$2-base.txt" "$RESULTS/checks/$2-series.txt")
	if [ -z "$new" ]; then
		check "$key" "$1" pass $((SECONDS - t)) "${4:-}"
	else
		check "$key" "$1" fail $((SECONDS - t)) "$(head -n 1 <<<"$new")"
	fi
}

# kernel-doc of every C file and header the series touches.
kdoc() { # kdoc LABEL DIR
	local f
	for f in $kfiles; do
		[ -f "$2/$f" ] || continue
		grep -q '^/\*\*' "$2/$f" || continue
		(cd "$2" && PATH=/usr/bin:$PATH scripts/kernel-doc -none -Wall "$f" 2>&1) |
			sed -E -e "$no_sgr" -e 's/:[0-9]+:/:/' || true
	done | sort -u >"$RESULTS/checks/kdoc-$1.txt"
}
kfiles=$(git diff --name-only --diff-filter=AM base..HEAD -- '*.c' '*.h')
new_warnings_row "kernel-doc -Wall on touched files: no new warnings" kdoc kdoc \
	"$(echo $kfiles | wc -w) file(s)"

# The documentation: make htmldocs SPHINXDIRS=livepatch.
htmldocs() { # htmldocs LABEL DIR
	local o=$RESULTS/checks/htmldocs-$1
	rm -rf "$o"
	local rc=0
	make -s -C "$2" O="$o" htmldocs SPHINXDIRS=livepatch >"$o.log" 2>&1 || rc=1
	[ $rc = 0 ] || echo "error: make htmldocs failed" >>"$o.log"
	{ grep -iE 'warning|error' "$o.log" || true; } | sed -E -e "$no_sgr" -e "s|$2/||g" -e "s|$o/||g" -e 's/:[0-9]+:/:/' |
		sort -u >"$o.txt"
	rm -rf "$o"
	return $rc
}
if command -v sphinx-build >/dev/null; then
	new_warnings_row "htmldocs SPHINXDIRS=livepatch: no new warnings" htmldocs htmldocs
else
	row "htmldocs SPHINXDIRS=livepatch: no new warnings" skip 0 "SKIP: no sphinx-build (make toolchain installs it)"
fi
