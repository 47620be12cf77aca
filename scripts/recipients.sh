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
to | cc) ;;
*) echo "recipients.sh: first argument must be 'to' or 'cc', not '$kind'" >&2; exit 2 ;;
esac
[ -f "$patch" ] || { echo "recipients.sh: no file $patch" >&2; exit 2; }
SERIES_LISTS=
if [ -f "$(dirname "$patch")/series.env" ]; then
	# shellcheck source=/dev/null
	. "$(dirname "$patch")/series.env"
fi

# roles FILE: get_maintainer.pl's answer for one patch, each address with
# its role ("(maintainer:LIVE PATCHING)", "(open list:...)"). One call
# serves both kinds and the cover letter: kept in RECIPIENTS_CACHE (a
# directory send.sh makes for one run), keyed by the patch's contents.
roles() {
	local key
	key=${RECIPIENTS_CACHE:+$RECIPIENTS_CACHE/$(sha1sum <"$1" | cut -d' ' -f1)}
	if [ -z "$key" ] || [ ! -f "$key" ]; then
		perl scripts/get_maintainer.pl --no-git --no-git-fallback --no-fixes --rolestats "$1" \
			>"${key:-/dev/stdout}${key:+.$$}"
		[ -z "$key" ] && return
		mv "$key.$$" "$key"
	fi
	cat "$key"
}

files=("$patch")
if grep -q '^Subject: .*\b0\+/[0-9]\+\]' "$patch"; then
	files=("$(dirname "$patch")"/[0-9][0-9][0-9][0-9]-*.patch)
	files=("${files[@]/*\/0000-*/}")
fi
{
	for f in "${files[@]}"; do
		[ -n "$f" ] || continue
		# To: maintainers and reviewers; Cc: the lists.
		roles "$f" | awk -v kind="$kind" '
			{ list = match($0, / \((open |moderated |subscriber )?list[:)]/) }
			list && kind == "cc" || !list && kind == "to" {
				# The address ends at its ">", or at the space of a bare one.
				if (match($0, /> \(/))
					print substr($0, 1, RSTART)
				else if (index($0, " ("))
					print substr($0, 1, index($0, " (") - 1)
				else
					print
			}'
	done
	# The lists of the series get every mail, so that each list has the
	# whole thread (SERIES_LISTS in the series' series.env).
	if [ "$kind" = cc ]; then
		printf '%s\n' ${SERIES_LISTS:-}
	fi
} | awk '!seen[$0]++'
