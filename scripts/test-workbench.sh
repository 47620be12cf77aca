#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: test-workbench.sh TSV
# Tests of the workbench itself, on a small git tree made here, each a
# row of TSV: apply.sh must carry a commit message or trailer changed in
# series/ into the tree (the next export would otherwise revert it), and
# must refuse, changing nothing, when the tree holds work series/ lacks.

. "$(dirname "$0")/lib.sh"

tsv=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

row() { # row NAME pass|fail DETAIL
	printf 'workbench: %s\t%s\t0\t%s\n' "$1" "$2" "${3:-}" >>"$tsv"
	info "$2: workbench: $1 ${3:+($3)}"
}
g() { git -C "$tmp/tree" -c user.name=t -c user.email=t@localhost "$@"; }
apply() { KSRC=$tmp/tree SERIES_DIR=$tmp/series "$WB_ROOT/scripts/apply.sh" >"$tmp/apply.log" 2>&1; }

git init -q -b main "$tmp/tree"
echo one >"$tmp/tree/file"
g add file
g commit -q -m base
g tag base
echo two >"$tmp/tree/file"
g commit -q -a -m "file: Say two" -m "Because two is more."
mkdir "$tmp/series"
g format-patch -q --zero-commit -o "$tmp/series" base..HEAD
g reset -q --hard base

if apply && [ "$(g log -1 --format=%s)" = "file: Say two" ]; then
	row "apply.sh applies series/" pass
else
	row "apply.sh applies series/" fail "$(tail -n 1 "$tmp/apply.log")"
fi

# A trailer added in series/ (b4 trailers does this), the code unchanged.
p=$(ls "$tmp/series"/0001-*.patch)
sed -i 's/^Because two is more\.$/&\n\nReviewed-by: A Reviewer <r@localhost>/' "$p"
if apply && g log -1 --format=%b | grep -q '^Reviewed-by: A Reviewer'; then
	row "apply.sh takes a trailer added in series/" pass
else
	row "apply.sh takes a trailer added in series/" fail \
		"the tree's commit lacks it: $(tail -n 1 "$tmp/apply.log")"
fi

# A message mended in the tree and not exported: apply.sh must refuse.
g commit -q --amend -m "file: Say two, mended" -m "Because two is more."
before=$(g rev-parse HEAD)
if ! apply && [ "$(g rev-parse HEAD)" = "$before" ] &&
	grep -q 'not in series/' "$tmp/apply.log"; then
	row "apply.sh refuses a tree whose message series/ lacks" pass
else
	row "apply.sh refuses a tree whose message series/ lacks" fail \
		"it applied over it: $(tail -n 1 "$tmp/apply.log")"
fi

# send.sh: a Cc: in a commit body reaches the envelope, and a real send
# refuses a mail authored by the placeholder identity. One patch of
# series/ (the first of the first series), so that get_maintainer.pl has
# real files to name.
# (No head in a pipe: under pipefail, a writer cut short fails the script.)
first=$(series_patches "$(series_dirs | sed -n 1p)" | sed -n 1p)
if [ -n "$first" ] && [ -d "$KSRC/.git" ]; then
	mkdir "$tmp/send"
	sed '0,/^Signed-off-by: /s//Cc: stable@vger.kernel.org\n&/' "$first" >"$tmp/send/0001-test.patch"
	if SERIES_DIR=$tmp/send "$WB_ROOT/scripts/send.sh" --dry-run >"$tmp/send.log" 2>&1 &&
		grep -q '^Cc: .*stable@vger.kernel.org' "$tmp/send.log"; then
		row "send.sh puts a body's Cc: stable on the envelope" pass
	else
		row "send.sh puts a body's Cc: stable on the envelope" fail "$(grep -m1 '^Cc:' "$tmp/send.log")"
	fi
	sed -i 's/^From: .*/From: klp team <klp-team@localhost>/' "$tmp/send/0001-test.patch"
	if ! SERIES_DIR=$tmp/send "$WB_ROOT/scripts/send.sh" --send >"$tmp/send.log" 2>&1 &&
		grep -q 'placeholder identity' "$tmp/send.log"; then
		row "send.sh --send refuses the placeholder identity" pass
	else
		row "send.sh --send refuses the placeholder identity" fail "$(tail -n 1 "$tmp/send.log")"
	fi
fi
