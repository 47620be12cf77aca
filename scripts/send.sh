#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: send.sh --dry-run | --send
# git send-email of each series of series/ (series.env), in order, each
# series its own thread (SERIES_DIR=DIR: that directory only); each mail to
# the recipients that
# scripts/get_maintainer.pl gives for it (see recipients.sh), plus every
# Cc: of a commit body (Cc: stable@vger.kernel.org reaches the envelope).
# --dry-run prints each mail's subject, To and Cc and needs no network.
# --send sends for real, from the sender's own git identity, and refuses
# the workbench's placeholder identities (klp team <klp-team@localhost>,
# klp workbench <workbench@localhost>) as sender, author or signer.

. "$(dirname "$0")/lib.sh"

mode=${1:-}
case $mode in
--dry-run | --send) ;;
*) die "usage: send.sh --dry-run | --send" ;;
esac
[ -d "$KSRC/.git" ] || die "no kernel tree in $KSRC; run 'make apply' first"
placeholder='klp-team@localhost|workbench@localhost|@localhost>?$'

# send_series DIR: git send-email of one series.
send_series() {
	local dir=$1 patches bad name email from dry
	patches=("$dir"/*.patch)
	[ -e "${patches[0]}" ] || die "$dir has no patches"
	if [ "$mode" = --send ]; then
		# The sender is whoever runs this, as git knows them outside ./linux.
		name=$(git -C "$WB_ROOT" config user.name || true)
		email=$(git -C "$WB_ROOT" config user.email || true)
		[ -n "$name" ] && [ -n "$email" ] ||
			die "set your identity first: git config --global user.name/user.email"
		grep -qE "$placeholder" <<<"$email" &&
			die "'$name <$email>' is a placeholder identity: set your own with git config user.email"
		bad=$(grep -lE "^(From|Signed-off-by): .*($placeholder)" "${patches[@]}" || true)
		[ -z "$bad" ] ||
			die "$(echo "$bad" | wc -l) mail(s) of $dir are authored or signed by a placeholder identity (first: $(basename "$(head -n 1 <<<"$bad")")); re-author them in ./linux as '$name <$email>' with Signed-off-by, then make export"
		from="$name <$email>"
		dry=()
	else
		from="$(git -C "$KSRC" config user.name) <$(git -C "$KSRC" config user.email)>"
		dry=(--dry-run)
	fi

	# get_maintainer.pl reads the MAINTAINERS of the checked-out tree,
	# which must be the top of the series (what apply.sh leaves).
	(cd "$KSRC" && git send-email "${dry[@]}" --confirm=never --no-chain-reply-to --thread \
		--from="$from" --suppress-cc=self --suppress-cc=author --suppress-cc=sob --suppress-cc=misc-by --8bit-encoding=UTF-8 \
		--to-cmd="$WB_ROOT/scripts/recipients.sh to" \
		--cc-cmd="$WB_ROOT/scripts/recipients.sh cc" \
		"${patches[@]}" 2>&1) |
		awk '/^Dry-OK|^OK\. Log says:/ { if (n) print ""; n++; next }
			/^(To|Cc|Subject): / { hdr = 1; print; next }
			hdr && /^[ \t]/ { print; next } { hdr = 0 }
			/^error|^fatal|Died at/ { print; bad = 1 }
			END { print n " mail(s)"; exit bad }'
}

# get_maintainer.pl once per patch (recipients.sh), not once per header
# and again for each cover letter.
RECIPIENTS_CACHE=$(mktemp -d)
export RECIPIENTS_CACHE
trap 'rm -rf "$RECIPIENTS_CACHE"' EXIT
rc=0
while IFS= read -r dir; do
	echo "== series $(basename "$dir")"
	send_series "$dir" || rc=1
done < <(series_dirs)
exit $rc
