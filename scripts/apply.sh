#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Put the branch "series" of $KSRC at base + the patches of each series of
# series/ (series.env), git am in order. The branch named after each series
# marks where that series ends (the last one ends at "series"); with
# rebase.updateRefs set, git rebase --autosquash keeps them in place.
# Refuses, changing nothing, when the tree holds work that series/ lacks.

. "$(dirname "$0")/lib.sh"

[ -d "$KSRC/.git" ] || die "no kernel tree at $KSRC (run 'make base')"
cd "$KSRC"
git rev-parse -q --verify base >/dev/null || die "$KSRC has no tag 'base'"
git config user.name >/dev/null || git config user.name "klp workbench"
git config user.email >/dev/null || git config user.email "workbench@localhost"

[ -d .git/rebase-apply ] || [ -d .git/rebase-merge ] &&
	die "$KSRC is in the middle of a git am or rebase: finish or abort it first"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	git status --short --untracked-files=no >&2
	die "$KSRC has uncommitted changes: commit them (git commit --fixup=<patch>), then 'make export'"
fi

patches=()
counts=()
names=()
while IFS= read -r dir; do
	[ -d "$dir" ] || die "no series directory $dir"
	n=0
	while IFS= read -r p; do
		patches+=("$p")
		n=$((n + 1))
	done < <(series_patches "$dir")
	counts+=("$n")
	names+=("$(basename "$dir")")
done < <(series_dirs)

# set_bounds: the branch of each series but the last at its last commit,
# counted from base (the tree holds exactly the patches of series/).
set_bounds() {
	local i at=0 commits
	[ -z "${SERIES_DIR:-}" ] || return 0
	git config rebase.updateRefs true
	commits=($(git rev-list --reverse base..HEAD))
	for ((i = 0; i < ${#names[@]} - 1; i++)); do
		at=$((at + counts[i]))
		if [ "$at" -eq 0 ]; then
			git branch -f "${names[i]}" base
		else
			git branch -f "${names[i]}" "${commits[at - 1]}"
		fi
	done
}

# One id per patch: its patch-id, which ignores the commit message, plus
# a hash of the author and the message, so that a trailer added in series/
# or a mended commit message is a difference too.
file_id() { # file_id PATCH
	local tmp id
	tmp=$(mktemp -d)
	git mailinfo "$tmp/msg" "$tmp/diff" <"$1" >"$tmp/info"
	id=$(git patch-id --stable <"$1" | awk '{print $1}')
	printf '%s %s\n' "$id" "$({
		sed -n -e 's/^Author: //p' -e 's/^Email: //p' "$tmp/info"
		sed -n 's/^Subject: //p' "$tmp/info"
		git stripspace <"$tmp/msg"
	} | sha1sum | cut -c1-40)"
	rm -rf "$tmp"
}
commit_id() { # commit_id COMMIT
	local id
	id=$(git show "$1" | git patch-id --stable | awk '{print $1}')
	printf '%s %s\n' "$id" "$({
		git log -1 --format='%an%n%ae%n%s' "$1"
		git log -1 --format='%b' "$1" | git stripspace
	} | sha1sum | cut -c1-40)"
}

# The ids of series/, in order, against those of base..HEAD.
want=$(for p in "${patches[@]}"; do file_id "$p"; done)
have=$(for c in $(git rev-list --reverse base..HEAD); do commit_id "$c"; done)
# What the tree held when it last matched series/ (an apply or an
# export): if it still holds that, it has no work of its own and series/
# is the newer side, even where only a message or a trailer changed.
state=$(git rev-parse --git-dir)/wb-series-ids
if [ "$want" = "$have" ]; then
	printf '%s\n' "$want" >"$state"
	set_bounds
	info "series: $KSRC already holds the ${#patches[@]} patch(es) of series/ (${names[*]})"
	exit 0
fi
missing=0
[ -f "$state" ] && [ "$have" = "$(cat "$state")" ] && {
	info "series: series/ changed since the tree last matched it; applying it"
	have=
}
for c in ${have:+$(git rev-list --reverse base..HEAD)}; do
	id=$(commit_id "$c")
	if ! grep -qxF "$id" <<<"$want"; then
		info "not in series/ (code or message): $(git log -1 --format='%h %s' "$c")"
		missing=$((missing + 1))
	fi
done
[ "$missing" -eq 0 ] ||
	die "$missing commit(s) on $(git rev-parse --abbrev-ref HEAD) are not in series/: run 'make export' first (or 'git -C $KSRC reset --hard base' to drop them)"

step "series: applying ${#patches[@]} patch(es) of ${names[*]} to base with git am"
git checkout -q -B series base
[ ${#patches[@]} -eq 0 ] && { info "series/ is empty: tree is at base"; exit 0; }
for p in "${patches[@]}"; do
	# git am takes a hunk at another line than the patch says without a
	# word; git apply -v tells. The series must apply exactly.
	if off=$(git apply --check -v "$p" 2>&1 | grep -E 'offset [0-9]+ line|fuzz'); then
		printf '%s\n' "$off" | sed 's/^/    git apply: /' >&2
		git checkout -q -B series base
		die "$(basename "$p") applies only with an offset: regenerate series/ with 'make export'"
	fi
	# The committer date is the patch's date: the same series/ on the
	# same base makes the same commits on every machine (base.sh).
	if ! out=$(git am -q --whitespace=error-all --committer-date-is-author-date "$p" 2>&1); then
		git am --abort >/dev/null 2>&1 || true
		git checkout -q -B series base
		printf '%s\n' "$out" | sed 's/^/    git am: /' >&2
		die "$(basename "$p") does not apply to base"
	fi
	info "applied $(basename "$(dirname "$p")")/$(basename "$p")"
done
printf '%s\n' "$want" >"$state"
set_bounds
