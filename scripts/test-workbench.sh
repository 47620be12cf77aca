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

# b4.sh send --send refuses, before it makes anything, a sender with the
# placeholder identity, and mails that the placeholder authored or
# signed (B4_SENDER_ONLY=1: it stops after those checks, whatever they
# say, so that a test never sends). (That a body's Cc: stable reaches the envelope is checked on
# series/ itself, by the b4 send -o row of checks.sh.)
if [ -d "$KSRC/.git" ]; then
	if ! GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="klp team" \
		GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=klp-team@localhost \
		B4_SENDER_ONLY=1 "$WB_ROOT/scripts/b4.sh" send --send >"$tmp/send.log" 2>&1 &&
		grep -q "'klp team <klp-team@localhost>' is a placeholder identity" "$tmp/send.log"; then
		row "b4.sh send --send refuses the placeholder sender" pass
	else
		row "b4.sh send --send refuses the placeholder sender" fail "$(tail -n 1 "$tmp/send.log")"
	fi
	if grep -qE '^From: .*klp-team@localhost' "$WB_ROOT"/series/*/0001-*.patch; then
		if ! GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="A Sender" \
			GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=sender@example.org \
			B4_SENDER_ONLY=1 "$WB_ROOT/scripts/b4.sh" send --send >"$tmp/send.log" 2>&1 &&
			grep -q 'authored or signed by a placeholder identity' "$tmp/send.log"; then
			row "b4.sh send --send refuses mails the placeholder authored" pass
		else
			row "b4.sh send --send refuses mails the placeholder authored" fail "$(tail -n 1 "$tmp/send.log")"
		fi
	else
		row "b4.sh send --send refuses mails the placeholder authored" skip "series/ is no longer authored by the placeholder"
	fi
fi
