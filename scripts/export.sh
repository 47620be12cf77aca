#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Write base..HEAD of $KSRC back into the series of series/ (series.env),
# each as git format-patch output with a cover letter. A series ends at
# the branch of its name (apply.sh puts it there, git rebase with
# rebase.updateRefs keeps it there); the last one ends at HEAD. Each cover
# letter's subject and text are kept from the series' previous
# 0000-cover-letter.patch; everything else is regenerated. Every patch
# names the base (base-commit:), and a series on top of another lists the
# patches it needs (prerequisite-patch-id:).

. "$(dirname "$0")/lib.sh"

[ -z "${SERIES_DIR:-}" ] || die "export writes series/: unset SERIES_DIR"
cd "$KSRC"
[ -z "$(git status --porcelain --untracked-files=no)" ] ||
	die "$KSRC has uncommitted changes: commit them first"
[ "$(git rev-list --count base..HEAD)" -gt 0 ] || die "nothing to export: HEAD is at base"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

names=($SERIES)
last=$((${#names[@]} - 1))
# Check every boundary before writing anything.
prev=base
tips=()
for i in "${!names[@]}"; do
	name=${names[i]}
	if [ "$i" -eq "$last" ]; then
		tip=HEAD
	else
		git rev-parse -q --verify "refs/heads/$name" >/dev/null ||
			die "no branch $name in $KSRC marks the end of series $name (run 'make apply' on a clean tree)"
		tip=$name
	fi
	git merge-base --is-ancestor "$prev" "$tip" && git merge-base --is-ancestor "$tip" HEAD ||
		die "branch $name is not between $prev and HEAD: rebase with --update-refs, or move it with 'git branch -f $name <its last commit>'"
	[ "$(git rev-list --count "$prev..$tip")" -gt 0 ] || die "series $name has no commits ($prev..$tip)"
	tips+=("$tip")
	prev=$tip
done

prev=base
for i in "${!names[@]}"; do
	name=${names[i]}
	tip=${tips[i]}
	dir=$WB_ROOT/series/$name
	mkdir -p "$dir" "$tmp/$name"
	# shellcheck source=/dev/null
	SERIES_VERSION=1 SERIES_PREFIX=PATCH
	[ -f "$dir/series.env" ] && . "$dir/series.env"
	# The cover letter is from the series' author (that of its first
	# patch), not from whoever runs the export.
	first=$(git rev-list --reverse "$prev..$tip" | sed -n 1p)
	vopt=()
	[ "$SERIES_VERSION" -gt 1 ] && vopt=(-v "$SERIES_VERSION")
	GIT_COMMITTER_NAME=$(git log -1 --format=%an "$first") \
	GIT_COMMITTER_EMAIL=$(git log -1 --format=%ae "$first") \
	GIT_AUTHOR_NAME=$(git log -1 --format=%an "$first") \
	GIT_AUTHOR_EMAIL=$(git log -1 --format=%ae "$first") \
		git format-patch -q --zero-commit --cover-letter --no-signature \
		--base=base --subject-prefix="$SERIES_PREFIX" "${vopt[@]}" \
		-o "$tmp/$name" "$prev..$tip"
	for f in "$tmp/$name"/v*-*.patch; do
		[ -e "$f" ] && mv "$f" "$tmp/$name/${f#"$tmp/$name"/v*-}"
	done
	# Carry the old cover letter's subject and blurb into the new one.
	python3 "$WB_ROOT/scripts/cover.py" "$dir/0000-cover-letter.patch" "$tmp/$name/0000-cover-letter.patch"
	rm -f "$dir"/*.patch
	cp "$tmp/$name"/*.patch "$dir"/
	step "export: wrote $(git rev-list --count "$prev..$tip") patch(es) and a cover letter to series/$name"
	ls "$dir"/*.patch | sed 's|.*/|    |' >&2
	prev=$tip
done
# A flat view of base..HEAD, in apply order: series/NNNN-*.patch are
# links to the patches of the series, for tools that read series/*.patch
# as one list (apply.sh and b4.sh read the directories).
find "$WB_ROOT/series" -maxdepth 1 -name '*.patch' -type l -delete
k=0
for name in "${names[@]}"; do
	while IFS= read -r p; do
		k=$((k + 1))
		ln -s "$name/${p##*/}" "$WB_ROOT/series/$(printf '%04d' "$k")-${p##*/[0-9][0-9][0-9][0-9]-}"
	done < <(series_patches "$WB_ROOT/series/$name")
done
# Records that the tree and series/ match (apply.sh finds nothing to do).
"$WB_ROOT/scripts/apply.sh"
