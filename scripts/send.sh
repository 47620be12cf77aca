#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: send.sh --dry-run
# git send-email --dry-run of series/, each mail to the recipients that
# scripts/get_maintainer.pl gives for it (see recipients.sh). Prints each
# mail's subject, To and Cc. Needs no network; only a dry run is offered
# here, sending for real is left to a person with git-send-email configured.

. "$(dirname "$0")/lib.sh"

[ "${1:-}" = --dry-run ] || die "usage: send.sh --dry-run (this workbench does not send mail)"
patches=("$WB_ROOT"/series/*.patch)
[ -e "${patches[0]}" ] || die "series/ has no patches"
[ -d "$KSRC/.git" ] || die "no kernel tree in $KSRC; run 'make apply' first"

cd "$KSRC"
# get_maintainer.pl reads the MAINTAINERS of the checked-out tree, which
# must be the top of the series (what apply.sh leaves).
from="$(git config user.name) <$(git config user.email)>"
git send-email --dry-run --confirm=never --no-chain-reply-to --thread \
	--from="$from" --suppress-cc=self --suppress-cc=author --suppress-cc=sob --suppress-cc=bodycc --suppress-cc=misc-by --8bit-encoding=UTF-8 \
	--to-cmd="$WB_ROOT/scripts/recipients.sh to" \
	--cc-cmd="$WB_ROOT/scripts/recipients.sh cc" \
	"${patches[@]}" 2>&1 |
	awk '/^Dry-OK/ { if (n) print ""; n++; next }
		/^(To|Cc|Subject): / { hdr = 1; print; next }
		hdr && /^[ \t]/ { print; next } { hdr = 0 }
		/^error|^fatal|Died at/ { print; bad = 1 }
		END { print n " mail(s)"; exit bad }'
