#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: b4.sh prep | check | send --dry-run|--send | trailers [MBOX] | compare-to N
# The series of series/ (series.env) handed to b4 (PyPI, in the venv):
#   prep        one b4 prep branch per series, b4/NAME, in a worktree of
#               ./linux of its own (build/b4/NAME): cover letter from
#               series/NAME/0000-cover-letter.patch, revision and change-id
#               from series/NAME/series.env, To/Cc by b4 prep --auto-to-cc
#               (get_maintainer.pl) plus SERIES_LISTS; a series on top of
#               another names the base (base-commit) and the patches it
#               needs (prerequisite-patch-id). The other commands run it
#               first.
#   check       b4 prep --check of each series; exits 1 on an error.
#   send --dry-run  b4 send -o: the mails to $RESULTS/mail/NAME/, and each
#               one's Subject, To and Cc printed; no network.
#   send --send b4 send for real, from the sender's own git identity
#               (refuses the placeholder identities); then tags this
#               repository NAME-vN (what compare-to reads).
#   trailers [MBOX]  b4 trailers -u of each series (from MBOX, or from
#               lore, which needs the network), then the tree's series
#               branches moved to the result and series/ exported.
#   compare-to N  b4 prep --compare-to vN of each series: the range-diff
#               against version N, from this repository's tag NAME-vN (or
#               series-vN, from when series/ was one series).
# series/ stays the product: b4 reads the tree, export writes series/.
# B4_PREPPED=1: the branches are made already (make check makes them once
# for its two b4 rows).

. "$(dirname "$0")/lib.sh"

B4_BIN=$VENV/bin/b4
[ -x "$B4_BIN" ] || die "no b4 in $VENV: run 'make toolchain' (as root)"
[ -d "$KSRC/.git" ] || die "no kernel tree in $KSRC; run 'make apply' first"
# Debian's python3 for checkpatch.pl's helpers (spdxcheck.py needs
# python3-ply), not the venv's.
b4() { PATH=/usr/bin:$PATH "$B4_BIN" "$@"; }
B4_WT=$WB_ROOT/build/b4
base=$(git -C "$KSRC" rev-parse base)

# The boundaries of the series in the tree, as export.sh reads them: a
# series ends at the branch of its name, the last one at HEAD.
names=($SERIES)
tips=() starts=()
for i in "${!names[@]}"; do
	if [ "$i" -eq 0 ]; then starts+=("$base"); else starts+=("${tips[i - 1]}"); fi
	if [ "$i" -eq $((${#names[@]} - 1)) ]; then
		tips+=("$(git -C "$KSRC" rev-parse HEAD)")
	else
		tips+=("$(git -C "$KSRC" rev-parse -q --verify "refs/heads/${names[i]}")") ||
			die "no branch ${names[i]} in $KSRC marks the end of series ${names[i]} (run 'make apply')"
	fi
done

# series_env NAME: the series' settings, with the defaults of export.sh.
series_env() {
	SERIES_VERSION=1 SERIES_PREFIX=PATCH SERIES_LISTS= B4_CHANGE_ID=
	# shellcheck source=/dev/null
	. "$WB_ROOT/series/$1/series.env"
	[ -n "$B4_CHANGE_ID" ] || die "series/$1/series.env has no B4_CHANGE_ID"
}

# prep_one I: the b4 prep branch of series I, made anew at its commits.
prep_one() {
	local i=$1 name=${names[$1]} wt=$B4_WT/${names[$1]} prev prevbranch desc tracking
	local cfg="branch.b4/$name"
	series_env "$name"
	if [ "$i" -eq 0 ]; then
		prev=$base prevbranch=base-tree
		[ "$(git -C "$KSRC" rev-parse -q --verify base-tree)" = "$base" ] ||
			git -C "$KSRC" branch -f base-tree "$base" || die "cannot point base-tree at the base"
	else
		prev=${tips[i - 1]} prevbranch=b4/${names[i - 1]}
	fi
	[ -d "$wt" ] || git -C "$KSRC" worktree add -q --detach "$wt" "${tips[i]}" >&2 ||
		die "cannot make the worktree $wt"
	# A new branch each time: b4 finds where a series starts with
	# git merge-base --fork-point, which would also take an old tip of the
	# branch before it from that branch's reflog.
	git -C "$wt" checkout -q --detach "${tips[i]}" || die "cannot check out series $name in $wt"
	git -C "$wt" branch -q -D "b4/$name" 2>/dev/null || true
	git -C "$wt" checkout -q -b "b4/$name" || die "cannot make branch b4/$name"
	git -C "$wt" config "$cfg.b4-prep-cover-strategy" branch-description
	# checkpatch's message types in b4 prep --check, for checkpatch.allow.
	git -C "$wt" config b4.prep-perpatch-check-cmd \
		'./scripts/checkpatch.pl -q --terse --no-summary --mailback --showfile --show-types'
	# Subject and text of the cover letter, the lists as Cc: trailers.
	desc=$(python3 "$WB_ROOT/scripts/cover.py" --text "$WB_ROOT/series/$name/0000-cover-letter.patch") ||
		die "cannot read the cover letter of series/$name"
	[ -n "$SERIES_LISTS" ] && desc+=$'\n\n'$(printf 'Cc: %s\n' $SERIES_LISTS)
	git -C "$wt" config "$cfg.description" "$desc"
	tracking=$(
		prereq=()
		if [ "$i" -gt 0 ]; then
			prereq+=("base-commit: $base")
			while read -r c; do
				prereq+=("patch-id: $(git -C "$wt" diff-tree -p "$c" | git -C "$wt" patch-id --stable | cut -d' ' -f1)")
			done < <(git -C "$wt" rev-list --reverse "$base..$prev")
		fi
		python3 - "$SERIES_VERSION" "$B4_CHANGE_ID" "$SERIES_PREFIX" "$prevbranch" "${prereq[@]}" <<-'PY'
		import json, sys
		rev, cid, prefix, basebranch, *prereq = sys.argv[1:]
		s = {'revision': int(rev), 'change-id': cid,
		     'prefixes': [p for p in prefix.split() if p != 'PATCH'],
		     'presubject': '', 'base-branch': basebranch}
		if prereq:
		    s['prerequisites'] = prereq
		print(json.dumps({'series': s}))
		PY
	)
	[ -n "$tracking" ] || die "cannot make b4's tracking data for $name"
	git -C "$wt" config "$cfg.b4-tracking" "$tracking"
	(cd "$wt" && b4 prep --auto-to-cc >"$wt.auto-to-cc" 2>&1) ||
		die "b4 prep --auto-to-cc of $name failed: $(tail -n 3 "$wt.auto-to-cc")"
	info "b4 prep: b4/$name, v$SERIES_VERSION, $(git -C "$wt" rev-list --count "$prev..b4/$name") patch(es), $(git -C "$wt" config "$cfg.description" | grep -cE '^(To|Cc): ') recipient(s)"
}

prep() {
	local i
	[ -z "${B4_PREPPED:-}" ] || return 0
	mkdir -p "$B4_WT"
	git -C "$KSRC" worktree prune
	for i in "${!names[@]}"; do
		prep_one "$i"
	done
}

# in_each CMD...: CMD in each series' worktree, in order; NAME and I (its
# index) are set.
in_each() {
	local rc=0
	for I in "${!names[@]}"; do
		NAME=${names[I]}
		(cd "$B4_WT/$NAME" && "$@") || rc=1
	done
	return $rc
}

# check_one: b4 prep --check, with checkpatch's message types shown; it
# passes with no error and no warning that checkpatch.allow does not allow
# for that patch (the same entries as the --strict rows of make check).
check_one() {
	local out sha= type idx found left=0 seen=0 line warnings
	local -a commits
	echo "== series $NAME"
	out=$(b4 prep --check 2>&1 | sed 's/\x1b\[[0-9;]*m//g')
	echo "$out"
	# b4 ends with "Success: N, Warning: N, Error: N".
	[[ $(tail -n 1 <<<"$out") =~ ^Success:\ [0-9]+,\ Warning:\ ([0-9]+),\ Error:\ 0$ ]] ||
		{ echo "b4 prep --check: errors in $NAME"; return 1; }
	warnings=${BASH_REMATCH[1]}
	mapfile -t commits < <(git rev-list --reverse "${starts[$I]}..HEAD")
	while IFS= read -r line; do
		if [[ $line =~ ^[^\ ]+\ ([0-9a-f]{12}):\  ]]; then
			sha=${BASH_REMATCH[1]}
		elif [[ $line =~ :\ (WARNING|ERROR|CHECK):([A-Z_]+): ]]; then
			type=${BASH_REMATCH[2]}
			seen=$((seen + 1))
			found=
			for idx in "${!commits[@]}"; do
				if [ -n "$sha" ] && [[ ${commits[idx]} == "$sha"* ]]; then
					found=1
					break
				fi
			done
			if [ -z "$found" ]; then
				echo "not in checkpatch.allow: $NAME, a patch b4 names as '${sha:-?}': $line"
				left=$((left + 1))
			elif ! grep -qE "^$NAME\.$(printf '%04d' $((idx + 1)))-[^ ]* $type( |\$)" "$WB_ROOT/checkpatch.allow"; then
				echo "not in checkpatch.allow: $NAME patch $((idx + 1)): $line"
				left=$((left + 1))
			fi
		fi
	done <<<"$out"
	# b4 counts other findings as warnings too: each must be one of these.
	if [ "$seen" -ne "$warnings" ]; then
		echo "not in checkpatch.allow: b4 counts $warnings warning(s) in $NAME, of which $seen are checkpatch's"
		left=$((left + 1))
	fi
	[ "$left" -eq 0 ]
}

# Without an SMTP server in git's config b4 would use its web endpoint,
# which needs a signature; a dry run sends nothing, so any server does.
dry_smtp() {
	if git config sendemail.smtpserver >/dev/null; then
		"$@"
	else
		GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=sendemail.smtpserver \
			GIT_CONFIG_VALUE_0=/bin/false "$@"
	fi
}

send_dry_one() {
	local out=$RESULTS/mail/$NAME
	rm -rf "$out"
	echo "== series $NAME"
	dry_smtp b4 send --no-sign -o "$out" >"$out.log" 2>&1 ||
		{ cat "$out.log"; return 1; }
	compgen -G "$out/*.eml" >/dev/null || { cat "$out.log"; echo "b4 send -o wrote no mail for $NAME"; return 1; }
	# Subject, To and Cc of each mail, headers unfolded.
	awk 'FNR == 1 { if (NR > 1) print ""; hdr = 1 }
		hdr && /^$/ { hdr = 0 }
		hdr && /^(Subject|To|Cc): / { k = 1; printf "%s%s", (n++ ? "\n" : ""), $0; next }
		hdr && /^[ \t]/ && k { sub(/^[ \t]+/, ""); printf "%s", $0; next }
		{ k = 0 }
		END { print "" }' "$out"/*.eml | sed 's/ $//'
	echo "$(ls "$out"/*.eml | wc -l) mail(s) in ${out#"$WB_ROOT"/}"
}

placeholder='klp-team@localhost|workbench@localhost|@localhost>?$'
# sender: refuse a placeholder sender or author before anything is made;
# sets SENDER_NAME and SENDER_EMAIL.
sender() {
	local name email bad
	# The sender is whoever runs this, as git knows them outside ./linux.
	name=$(git -C "$WB_ROOT" config user.name || true)
	email=$(git -C "$WB_ROOT" config user.email || true)
	[ -n "$name" ] && [ -n "$email" ] ||
		die "set your identity first: git config --global user.name/user.email"
	grep -qE "$placeholder" <<<"$email" &&
		die "'$name <$email>' is a placeholder identity: set your own with git config user.email"
	bad=$(git -C "$KSRC" log --format='From: %an <%ae>%n%b' base..HEAD | grep -E "^(From|Signed-off-by): .*($placeholder)" || true)
	[ -z "$bad" ] ||
		die "commits of $KSRC are authored or signed by a placeholder identity ($(head -n 1 <<<"$bad")); re-author them as '$name <$email>' with Signed-off-by, then make export"
	for NAME in "${names[@]}"; do
		bad=$(grep -lE "^(From|Signed-off-by): .*($placeholder)" "$WB_ROOT/series/$NAME"/*.patch || true)
		[ -z "$bad" ] ||
			die "$(echo "$bad" | wc -l) mail(s) of series/$NAME are authored or signed by a placeholder identity (first: $(basename "$(head -n 1 <<<"$bad")")); re-author them in ./linux as '$name <$email>' with Signed-off-by, then make export"
	done
	SENDER_NAME=$name SENDER_EMAIL=$email
}

send_real() {
	local sign=()
	git config patatt.signingkey >/dev/null || git config user.signingkey >/dev/null ||
		sign=(--no-sign)
	# b4 send's pre-flight checks want b4 prep --check run on this content;
	# the dependencies of a later series are the series sent just before
	# it, which lore cannot know yet (--check-deps), so that check is off.
	in_each check_one >/dev/null || die "b4 prep --check fails: make b4-check says why"
	for I in "${!names[@]}"; do
		NAME=${names[I]}
		series_env "$NAME"
		echo "== series $NAME v$SERIES_VERSION"
		(cd "$B4_WT/$NAME" &&
			GIT_CONFIG_COUNT=3 GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="$SENDER_NAME" \
				GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1="$SENDER_EMAIL" \
				GIT_CONFIG_KEY_2=b4.prep-pre-flight-checks \
				GIT_CONFIG_VALUE_2=$([ "$I" -gt 0 ] && echo disable-needs-checking-deps || echo enable-all) \
				b4 send "${sign[@]}") || die "b4 send of $NAME failed"
		git -C "$WB_ROOT" tag "$NAME-v$SERIES_VERSION" ||
			info "could not tag $NAME-v$SERIES_VERSION here: tag this repository's commit yourself"
	done
	info "sent: bump SERIES_VERSION in series/*/series.env for the next version"
}

trailers() {
	local mbox=${1:-} i old new from=()
	[ "$(git -C "$KSRC" rev-parse --abbrev-ref HEAD)" = series ] ||
		die "$KSRC is not on its branch series"
	[ -z "$mbox" ] || from=(-m "$(realpath "$mbox")")
	# old: the former tip of the series before, when its commits changed.
	old=
	for i in "${!names[@]}"; do
		NAME=${names[i]}
		orig=$(git -C "$B4_WT/$NAME" rev-parse HEAD)
		# A series on top of one whose commits changed moves onto them.
		if [ -n "$old" ]; then
			git -C "$B4_WT/$NAME" rebase -q --onto "b4/${names[i - 1]}" "$old" ||
				die "rebasing b4/$NAME onto the new b4/${names[i - 1]} failed"
		fi
		(cd "$B4_WT/$NAME" && b4 -n trailers -u "${from[@]}") || die "b4 trailers -u of $NAME failed"
		old=
		[ "$orig" = "$(git -C "$B4_WT/$NAME" rev-parse HEAD)" ] || old=$orig
	done
	# The tree follows: its boundary branches and series at the new tips.
	for i in "${!names[@]}"; do
		new=$(git -C "$KSRC" rev-parse "b4/${names[i]}")
		if [ "$i" -eq $((${#names[@]} - 1)) ]; then
			git -C "$KSRC" reset -q --hard "$new"
		else
			git -C "$KSRC" branch -f "${names[i]}" "$new"
		fi
	done
	"$WB_ROOT/scripts/export.sh"
}

# sent_tag N: b4's tag sent/CHANGE-ID-vN of series NAME, made from this
# repository's tag NAME-vN (series/NAME of it, on top of the series
# before it in that tag) or series-vN (series/*.patch, one series).
sent_tag() {
	local n=$1 tag rtag wt start dir f
	series_env "$NAME"
	tag=sent/$B4_CHANGE_ID-v$n
	git -C "$KSRC" rev-parse -q --verify "refs/tags/$tag" >/dev/null && return 0
	if git -C "$WB_ROOT" rev-parse -q --verify "refs/tags/$NAME-v$n" >/dev/null; then
		rtag=$NAME-v$n
	elif git -C "$WB_ROOT" rev-parse -q --verify "refs/tags/series-v$n" >/dev/null; then
		rtag=series-v$n
	else
		die "no tag $NAME-v$n or series-v$n in this repository: nothing to compare to"
	fi
	wt=$B4_WT/.v$n
	rm -rf "$wt" "$wt.patches"
	git -C "$KSRC" worktree prune
	git -C "$KSRC" worktree add -q --detach "$wt" "$base" >&2
	mkdir -p "$wt.patches"
	start=$base
	for dir in $(if [ "$rtag" = "$NAME-v$n" ]; then
		for s in $SERIES; do echo "series/$s"; [ "$s" = "$NAME" ] && break; done
	else echo series; fi); do
		[ "$dir" = "series/$NAME" ] && start=$(git -C "$wt" rev-parse HEAD)
		for f in $(git -C "$WB_ROOT" ls-tree --name-only "$rtag" "$dir/" | grep -E '/[0-9]{4}-.*\.patch$' | grep -v /0000-cover-letter.patch); do
			git -C "$WB_ROOT" show "$rtag:$f" >"$wt.patches/${f##*/}"
			git -C "$wt" -c user.name=b4.sh -c user.email=b4.sh@localhost am -q --keep-cr "$wt.patches/${f##*/}" ||
				die "$f of tag $rtag does not apply on the base"
		done
	done
	git -C "$wt" -c user.name=b4.sh -c user.email=b4.sh@localhost tag -a "$tag" \
		-m "$NAME v$n, from this repository's tag $rtag" -m "base-commit: $start" -m "change-id: $B4_CHANGE_ID"
	git -C "$KSRC" worktree remove --force "$wt"
	rm -rf "$wt.patches"
}

compare_one() {
	echo "== series $NAME: v$1 -> this"
	sent_tag "$1"
	b4 prep --compare-to "v$1"
}

# series_clean: series/ committed and ./linux holding it (apply.sh
# refuses a tree with work series/ lacks), before what writes series/ or
# mails the tree.
series_clean() {
	[ -z "$(git -C "$WB_ROOT" status --porcelain -- series/)" ] ||
		die "series/ has uncommitted changes: commit them (or make apply and make export) first"
	"$WB_ROOT/scripts/apply.sh" >&2 || die "make apply refuses; see above"
}

cmd=${1:-}
shift || true
case $cmd in
prep) prep ;;
check)
	prep
	in_each check_one
	;;
send)
	case ${1:-} in
	--dry-run)
		prep
		run_results
		mkdir -p "$RESULTS/mail"
		in_each send_dry_one
		;;
	--send)
		sender
		# B4_SENDER_ONLY=1 (test-workbench.sh): the identity checks alone.
		[ -z "${B4_SENDER_ONLY:-}" ] || { info "b4.sh: the sender checks pass"; exit 0; }
		series_clean
		prep
		send_real
		;;
	*) die "usage: b4.sh send --dry-run | --send" ;;
	esac
	;;
trailers)
	series_clean
	prep
	trailers "${1:-}"
	;;
compare-to)
	[[ ${1:-} =~ ^v?[0-9]+$ ]] || die "usage: b4.sh compare-to N (a version this repository tagged)"
	prep
	in_each compare_one "${1#v}"
	;;
*) die "usage: b4.sh prep | check | send --dry-run|--send | trailers [MBOX] | compare-to N" ;;
esac
