#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make $KSRC a git tree of the base with a commit tagged "base".
# The .deb is cached in $WB_CACHE; an existing tree is never touched.

. "$(dirname "$0")/lib.sh"

if [ -e "$KSRC" ]; then
	git -C "$KSRC" rev-parse -q --verify base >/dev/null 2>&1 ||
		die "$KSRC exists but is not a workbench tree (no tag 'base'); move it away or set KSRC"
	exit 0
fi

debdir=$WB_CACHE/debs
mkdir -p "$debdir"
deb=$(ls "$debdir"/"${BASE_PKG}"_*.deb 2>/dev/null | tail -n 1 || true)
if [ -z "$deb" ]; then
	step "base: downloading $BASE_PKG from $BASE_SUITE (about 170 MB)"
	(cd "$debdir" && apt-get download -q -t "$BASE_SUITE" "$BASE_PKG" >&2) ||
		die "apt-get download $BASE_PKG failed (is $BASE_SUITE in the apt sources? run 'make toolchain')"
	deb=$(ls "$debdir"/"${BASE_PKG}"_*.deb | tail -n 1)
fi
debver=$(dpkg-deb -f "$deb" Version)

step "base: extracting $BASE_PKG $debver into $KSRC"
tmp=$(mktemp -d "$(dirname "$KSRC")/.base.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" "./usr/src/$BASE_PKG.tar.xz"
tar -xJf "$tmp/usr/src/$BASE_PKG.tar.xz" -C "$tmp"
rm -f "$tmp/usr/src/$BASE_PKG.tar.xz"

# Debian's tree ignores everything at its top level but debian/; with that
# block in place "git add" silently skips new files of the series.
python3 - "$tmp/$BASE_PKG/.gitignore" <<'PY'
import re, sys
p = sys.argv[1]
lines = open(p).read().split('\n')
out, skip = [], False
for l in lines:
    if l.strip() == '/*':
        skip = True
        # Drop the comment lines that introduce the block as well.
        while out and out[-1].startswith('#'):
            out.pop()
        continue
    if skip and l.startswith('!/'):
        continue
    skip = False
    out.append(l)
# Upstream's .gitignore keeps the .gitignore files themselves in git;
# Debian's lacks that exception, so without it the base would track
# none of them, and a patch that touches one would not apply.
if '!.gitignore' not in out:
    while out and out[-1] == '':
        out.pop()
    out += ['', '# The workbench: keep .gitignore files, as upstream does.',
            '!.gitignore', '']
open(p, 'w').write('\n'.join(out))
PY
grep -qx '/\*' "$tmp/$BASE_PKG/.gitignore" && die "could not drop Debian's '/*' block from .gitignore"

step "base: committing the tree and tagging it 'base'"
git -C "$tmp/$BASE_PKG" init -q -b base-tree
git -C "$tmp/$BASE_PKG" config user.name "klp workbench"
git -C "$tmp/$BASE_PKG" config user.email "workbench@localhost"
# A background "gc --auto" after the first commit of ~95k files would hold
# the ref locks while apply.sh runs git am.
git -C "$tmp/$BASE_PKG" config gc.auto 0
git -C "$tmp/$BASE_PKG" config maintenance.auto false
# Every file of the tarball, ignored or not: Debian's .gitignore lacks
# upstream's exceptions for the top-level dotfiles (.rustfmt.toml,
# .clippy.toml, .mailmap, ...) and the .kunitconfig files, and a worktree
# of a base without them checks and formats Rust differently.
git -C "$tmp/$BASE_PKG" add -A -f
# A fixed date, so that the base commit's id depends on the tarball only:
# every machine gets the same base, and with apply.sh's committer dates
# the same commits of the series (b4 keys its checkpatch cache by them).
GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' \
	git -C "$tmp/$BASE_PKG" -c core.bigFileThreshold=1m commit -q \
		-m "base: Debian $BASE_PKG $debver" \
		-m "Extracted from $(basename "$deb"), every file of it; Debian's top-level ignore-everything block dropped from .gitignore, and upstream's !.gitignore exception added."
[ -z "$(git -C "$tmp/$BASE_PKG" status --porcelain --ignored)" ] ||
	die "the base commit leaves files of $BASE_PKG out"
git -C "$tmp/$BASE_PKG" tag base
mv "$tmp/$BASE_PKG" "$KSRC"
info "base is $(git -C "$KSRC" rev-parse --short base): $(git -C "$KSRC" log -1 --format=%s base)"
