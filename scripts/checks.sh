#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Static checks over series/, each a row in $RESULTS/checks.tsv:
#   per patch, in order: checkpatch.pl --strict (less checkpatch.allow) and a
#   build of the tree at that patch (bisectability);
#   at the top: rustfmtcheck, CLIPPY=1, rustdoc, W=1 on the C files the
#   series touches with no warning the base does not have, and, for each
#   patch that touches Rust, get_maintainer.pl naming both the live-patching
#   and the rust-for-linux lists.
# Leaves $KSRC at the top of the series. An empty series/ passes trivially.

. "$(dirname "$0")/lib.sh"

out=${1:-$KBUILD}
tsv=$RESULTS/checks.tsv
allow=$WB_ROOT/checkpatch.allow
mkdir -p "$RESULTS/checks"

row() { # row NAME pass|fail|skip SECONDS DETAIL
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$tsv"
	info "$2: $1 ${4:+($4)}"
}

cd "$KSRC"
head=$(git rev-parse HEAD)
branch=$(git rev-parse --abbrev-ref HEAD)
commits=$(git rev-list --reverse base..HEAD)
if [ -z "$commits" ]; then
	step "checks: series/ is empty; nothing to check"
	row "series: no patches to check" pass 0 "series/ is empty"
	exit 0
fi
restore() { git checkout -q "$branch" 2>/dev/null || git checkout -q "$head"; }
trap restore EXIT

# C files the series touches, for the W=1 comparison.
cfiles=$(git diff --name-only --diff-filter=AM base..HEAD -- '*.c' | grep -v '^tools/\|^samples/\|^Documentation/' || true)
w1() { # w1 LABEL: W=1 warnings of $cfiles at the checked-out commit, locations stripped
	local f o
	for f in $cfiles; do
		[ -f "$f" ] || continue
		o=${f%.c}.o
		kmake "$out" W=1 "$o" 2>&1 | grep -E 'warning:' |
			sed -E 's/:[0-9]+:[0-9]+:/:/' || true
	done | sort -u >"$RESULTS/checks/w1-$1.txt"
}

"$WB_ROOT/scripts/config.sh" "$out"
step "checks: W=1 warnings of the touched C files at base"
git checkout -q base
w1 base

i=0
for c in $commits; do
	i=$((i + 1))
	subj=$(git log -1 --format=%s "$c")
	name=$(printf '%04d-%s' "$i" "$(git log -1 --format=%f "$c" | cut -c1-52)")
	step "checks: patch $i: $subj"

	t=$SECONDS
	git format-patch -q --stdout -1 "$c" >"$RESULTS/checks/$name.patch"
	# Debian's python3 has python3-ply, which checkpatch's spdxcheck.py
	# needs; a python3 earlier in PATH (pyenv, the virtme-ng venv) may not.
	PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --terse --no-summary --show-types \
		"$RESULTS/checks/$name.patch" >"$RESULTS/checks/$name.checkpatch" 2>&1 || true
	left=()
	if grep -q '^Traceback' "$RESULTS/checks/$name.checkpatch"; then
		left+=("checkpatch could not run a helper: $(grep -m1 'Error' "$RESULTS/checks/$name.checkpatch")")
	fi
	while IFS= read -r line; do
		type=$(sed -nE 's/^[^:]*:[0-9]*: (ERROR|WARNING|CHECK):([A-Z_0-9]+):.*/\2/p' <<<"$line")
		[ -n "$type" ] || continue
		if [ -f "$allow" ] && grep -qE "^$name[[:space:]]+$type[[:space:]]" "$allow"; then
			continue
		fi
		left+=("$line")
	done <"$RESULTS/checks/$name.checkpatch"
	if [ ${#left[@]} -eq 0 ]; then
		row "checkpatch --strict: $name" pass $((SECONDS - t))
	else
		row "checkpatch --strict: $name" fail $((SECONDS - t)) "${left[0]}${left[1]:+ (+$((${#left[@]} - 1)) more)}"
	fi

	t=$SECONDS
	git checkout -q "$c"
	if kmake "$out" -s all >"$RESULTS/checks/$name.build" 2>&1; then
		row "build: $name" pass $((SECONDS - t))
	else
		row "build: $name" fail $((SECONDS - t)) "$(grep -m1 -E 'error' "$RESULTS/checks/$name.build")"
	fi
done
restore
trap - EXIT

t=$SECONDS
if kmake "$out" rustfmtcheck >"$RESULTS/checks/rustfmtcheck" 2>&1; then
	row "rustfmtcheck" pass $((SECONDS - t))
else
	row "rustfmtcheck" fail $((SECONDS - t)) "$(head -n 1 "$RESULTS/checks/rustfmtcheck")"
fi

t=$SECONDS
kmake "$out" CLIPPY=1 all >"$RESULTS/checks/clippy" 2>&1 || echo "error: CLIPPY=1 build failed" >>"$RESULTS/checks/clippy"
n=$(grep -cE '^(warning|error)(\[|:)' "$RESULTS/checks/clippy" || true)
[ "$n" -eq 0 ] && row "CLIPPY=1 build" pass $((SECONDS - t)) ||
	row "CLIPPY=1 build" fail $((SECONDS - t)) "$n warning(s): $(grep -m1 -E '^(warning|error)' "$RESULTS/checks/clippy")"

t=$SECONDS
kmake "$out" rustdoc >"$RESULTS/checks/rustdoc" 2>&1 || echo "error: make rustdoc failed" >>"$RESULTS/checks/rustdoc"
n=$(grep -cE '^(warning|error)(\[|:)' "$RESULTS/checks/rustdoc" || true)
[ "$n" -eq 0 ] && row "rustdoc" pass $((SECONDS - t)) ||
	row "rustdoc" fail $((SECONDS - t)) "$n warning(s): $(grep -m1 -E '^(warning|error)' "$RESULTS/checks/rustdoc")"

t=$SECONDS
w1 series
new=$(comm -13 "$RESULTS/checks/w1-base.txt" "$RESULTS/checks/w1-series.txt")
if [ -z "$new" ]; then
	row "W=1 on touched C files: no new warnings" pass $((SECONDS - t)) "$(echo $cfiles | wc -w) file(s)"
else
	row "W=1 on touched C files: no new warnings" fail $((SECONDS - t)) "$(head -n 1 <<<"$new")"
fi

# The Rust livepatch patches go to both lists: get_maintainer.pl, with the
# MAINTAINERS of the top of the series, must name both for each patch that
# touches a Rust file of livepatch (a Rust patch of another subsystem, such
# as rust/kernel/time.rs, goes to its own list; send.sh Ccs both lists on
# every mail anyway).
for p in "$RESULTS"/checks/[0-9][0-9][0-9][0-9]-*.patch; do
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

# The mail itself: a send dry run must give every file of series/ a mail
# with a subject, a To and a Cc.
t=$SECONDS
n=$(ls "$WB_ROOT"/series/*.patch | wc -l)
if "$WB_ROOT/scripts/send.sh" --dry-run >"$RESULTS/checks/send-dry-run" 2>&1; then
	s=$(grep -c '^Subject: ' "$RESULTS/checks/send-dry-run" || true)
	to=$(grep -c '^To: ' "$RESULTS/checks/send-dry-run" || true)
	cc=$(grep -c '^Cc: ' "$RESULTS/checks/send-dry-run" || true)
	if [ "$s" -eq "$n" ] && [ "$to" -eq "$n" ] && [ "$cc" -eq "$n" ]; then
		row "send dry-run: every mail has To and Cc" pass $((SECONDS - t)) "$n mail(s)"
	else
		row "send dry-run: every mail has To and Cc" fail $((SECONDS - t)) "$n file(s), $s subject(s), $to To, $cc Cc"
	fi
else
	row "send dry-run: every mail has To and Cc" fail $((SECONDS - t)) "$(tail -n 2 "$RESULTS/checks/send-dry-run" | head -n 1)"
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

# new_warnings NAME FUNC: runs "FUNC LABEL", which writes the sorted
# warnings of the checked-out commit to $RESULTS/checks/NAME-LABEL.txt, at
# the top of the series and at base, and prints the warnings only the top
# has.
new_warnings() {
	"$2" series
	git checkout -q base
	"$2" base
	restore
	comm -13 "$RESULTS/checks/$1-base.txt" "$RESULTS/checks/$1-series.txt"
}

# new_warnings_row ROW NAME FUNC [DETAIL]: a row that fails on a new warning.
new_warnings_row() {
	local t=$SECONDS new
	new=$(new_warnings "$2" "$3")
	if [ -z "$new" ]; then
		row "$1" pass $((SECONDS - t)) "${4:-}"
	else
		row "$1" fail $((SECONDS - t)) "$(head -n 1 <<<"$new")"
	fi
}

# kernel-doc of every C file and header the series touches.
kdoc() { # kdoc LABEL
	local f
	for f in $kfiles; do
		[ -f "$f" ] || continue
		grep -q '^/\*\*' "$f" || continue
		PATH=/usr/bin:$PATH scripts/kernel-doc -none -Wall "$f" 2>&1 |
			sed -E 's/:[0-9]+:/:/' || true
	done | sort -u >"$RESULTS/checks/kdoc-$1.txt"
}
kfiles=$(git diff --name-only --diff-filter=AM base..HEAD -- '*.c' '*.h')
new_warnings_row "kernel-doc -Wall on touched files: no new warnings" kdoc kdoc \
	"$(echo $kfiles | wc -w) file(s)"

# The documentation: make htmldocs SPHINXDIRS=livepatch.
htmldocs() { # htmldocs LABEL
	local o=$RESULTS/checks/htmldocs-$1
	rm -rf "$o"
	make -s -C "$KSRC" O="$o" htmldocs SPHINXDIRS=livepatch >"$o.log" 2>&1 ||
		echo "error: make htmldocs failed" >>"$o.log"
	grep -iE 'warning|error' "$o.log" | sed -E 's/:[0-9]+:/:/' | sort -u >"$o.txt"
}
if command -v sphinx-build >/dev/null; then
	new_warnings_row "htmldocs SPHINXDIRS=livepatch: no new warnings" htmldocs htmldocs
else
	row "htmldocs SPHINXDIRS=livepatch: no new warnings" skip 0 "SKIP: no sphinx-build (make toolchain installs it)"
fi
