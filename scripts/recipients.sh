#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: recipients.sh to|cc PATCH
# The To (maintainers and reviewers) or Cc (lists) of one mail of series/,
# from scripts/get_maintainer.pl of the kernel tree at the top of the series.
# The cover letter goes to the union over all the patches, and every mail
# is Cc'd to the lists of its series (SERIES_LISTS of the series.env beside
# the patch). git send-email calls this as --to-cmd / --cc-cmd, from the
# kernel tree.

set -eu
kind=$1
patch=$2
case $kind in
to) opts=(--no-l) ;;
cc) opts=(--no-m --no-r) ;;
*) echo "recipients.sh: first argument must be 'to' or 'cc', not '$kind'" >&2; exit 2 ;;
esac
[ -f "$patch" ] || { echo "recipients.sh: no file $patch" >&2; exit 2; }
SERIES_LISTS=
if [ -f "$(dirname "$patch")/series.env" ]; then
	# shellcheck source=/dev/null
	. "$(dirname "$patch")/series.env"
fi

files=("$patch")
if grep -q '^Subject: .*\b0\+/[0-9]\+\]' "$patch"; then
	files=("$(dirname "$patch")"/[0-9][0-9][0-9][0-9]-*.patch)
	files=("${files[@]/*\/0000-*/}")
fi
{
	for f in "${files[@]}"; do
		[ -n "$f" ] || continue
		perl scripts/get_maintainer.pl --no-git --no-git-fallback --no-fixes --no-rolestats \
			"${opts[@]}" "$f"
	done
	# The lists of the series get every mail, so that each list has the
	# whole thread (SERIES_LISTS in the series' series.env).
	if [ "$kind" = cc ]; then
		printf '%s\n' ${SERIES_LISTS:-}
	fi
} | awk '!seen[$0]++'
