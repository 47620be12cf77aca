#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Write base..HEAD of $KSRC into series/ as git format-patch output with a
# cover letter. The cover letter's subject and text are kept from the
# previous series/0000-cover-letter.patch; everything else is regenerated.

. "$(dirname "$0")/lib.sh"
. "$WB_ROOT/series.env"

cd "$KSRC"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "$KSRC has uncommitted changes: commit them first"
n=$(git rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "nothing to export: HEAD is at base"

series=$WB_ROOT/series
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The cover letter is from the series' author (that of its first patch),
# not from whoever runs the export.
first=$(git rev-list --reverse base..HEAD | head -n 1)
export GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
GIT_COMMITTER_NAME=$(git log -1 --format=%an "$first")
GIT_COMMITTER_EMAIL=$(git log -1 --format=%ae "$first")
GIT_AUTHOR_NAME=$GIT_COMMITTER_NAME
GIT_AUTHOR_EMAIL=$GIT_COMMITTER_EMAIL

vopt=()
[ "${SERIES_VERSION:-1}" -gt 1 ] && vopt=(-v "$SERIES_VERSION")
git format-patch -q --zero-commit --cover-letter --no-signature \
	--subject-prefix="${SERIES_PREFIX:-PATCH}" "${vopt[@]}" \
	-o "$tmp" base..HEAD
for f in "$tmp"/v*-*.patch; do [ -e "$f" ] && mv "$f" "$tmp/${f#"$tmp"/v*-}"; done

# Carry the old cover letter's subject and blurb into the new one.
python3 "$WB_ROOT/scripts/cover.py" "$series/0000-cover-letter.patch" "$tmp/0000-cover-letter.patch"

rm -f "$series"/*.patch
cp "$tmp"/*.patch "$series"/
step "export: wrote $n patch(es) and a cover letter to series/"
ls "$series"/*.patch | sed 's|.*/|    |' >&2
# Records that the tree and series/ match (apply.sh finds nothing to do).
"$WB_ROOT/scripts/apply.sh"
