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

# The guests' queue (guests.sh, guest-run.sh), with guests that are
# guest-run.sh itself on the host (WB_BOOT: a boot.sh that runs its
# command here) and kselftests that are a fake runner's: each test is
# taken by one guest, a guest waits for its file at most GUEST_WAIT_MAX
# seconds, and a guest that finds the queue empty is not booted.
q=$tmp/queue-kernel
mkdir -p "$q/kselftest/kselftest_install/livepatch" "$tmp/bin"
cat >"$q/kselftest/kselftest_install/run_kselftest.sh" <<'SH'
#!/bin/bash
# -l: the list; -o SECONDS -t COLLECTION:TEST: that test's TAP.
[ "$1" = -l ] && { printf 'livepatch:%s\n' a.sh b.sh c.sh d.sh; exit 0; }
sleep "${FAKE_TEST_SECONDS:-0}"
echo "ok 1 selftests: ${4/:/: }"
SH
cat >"$tmp/boot" <<'SH'
#!/bin/bash
# boot.sh's interface: --probe OUT RES, or OUT RES COMMAND.
if [ "$1" = --probe ]; then echo tcg >"$3/accel"; exit 0; fi
shift 2
PATH=$FAKE_BIN:$PATH GUEST_KMSG=/dev/null bash -c "$*" >/dev/null 2>&1
SH
# Nothing of the host's: no kernel log read, no debugfs mounted; a guest
# has the CPUs that guests.sh gives it.
printf '#!/bin/sh\n' >"$tmp/bin/dmesg"
printf '#!/bin/sh\n' >"$tmp/bin/mount"
printf '#!/bin/sh\necho "$GUEST_CPUS"\n' >"$tmp/bin/nproc"
mkdir -p "$tmp/cache"
chmod +x "$q/kselftest/kselftest_install/run_kselftest.sh" "$tmp/boot" "$tmp/bin/dmesg" "$tmp/bin/mount" "$tmp/bin/nproc"
guests() { # guests RESULTS VAR=VALUE...: four tests in the guests of $q
	local r=$1
	shift
	timeout 60 env GUEST_CPUS= SMP_KSELFTESTS=none UP_KSELFTESTS=none "$@" WB_BOOT="$tmp/boot" FAKE_BIN="$tmp/bin" WB_CACHE="$tmp/cache" \
		"$WB_ROOT/scripts/guests.sh" "$q" "$r" -- livepatch:a.sh livepatch:b.sh livepatch:c.sh livepatch:d.sh \
		>"$r.log" 2>&1 || true
}
taken() { cat "$1/expected-kselftests" "$1"/guest-*/expected-kselftests 2>/dev/null | sort | tr '\n' ' '; }
all="livepatch:a.sh livepatch:b.sh livepatch:c.sh livepatch:d.sh "

# Two guests at once, each test slow enough that both take some.
guests "$tmp/r1" GUEST_JOBS=2 FAKE_TEST_SECONDS=1
if [ "$(taken "$tmp/r1")" = "$all" ] && [ -s "$tmp/r1/expected-kselftests" ] &&
	[ -s "$tmp/r1/guest-2/expected-kselftests" ]; then
	row "guests.sh: two guests take each test of the queue once" pass \
		"$(wc -l <"$tmp/r1/expected-kselftests") and $(wc -l <"$tmp/r1/guest-2/expected-kselftests")"
else
	row "guests.sh: two guests take each test of the queue once" fail "taken: $(taken "$tmp/r1")"
fi

# The second guest waits for a file that never comes: it boots after
# GUEST_WAIT_MAX seconds and takes what is left.
guests "$tmp/r2" GUEST_JOBS=2 FAKE_TEST_SECONDS=3 GUEST_WAIT="- $tmp/never" GUEST_WAIT_MAX=1
if grep -q "$tmp/never did not appear in 1 s; booting" "$tmp/r2.log" && [ "$(taken "$tmp/r2")" = "$all" ] &&
	[ -s "$tmp/r2/guest-2/expected-kselftests" ]; then
	row "guests.sh: a guest waits for its file at most GUEST_WAIT_MAX" pass
else
	row "guests.sh: a guest waits for its file at most GUEST_WAIT_MAX" fail "$(tail -n 1 "$tmp/r2.log")"
fi

# The second guest waits until the first has taken every test: it is not
# booted, and its directory is gone.
guests "$tmp/r3" GUEST_JOBS=2 GUEST_WAIT="- $tmp/r3/guest/guest-done" GUEST_WAIT_MAX=60
if grep -q 'guest 2: the queue is empty; not booted' "$tmp/r3.log" && [ ! -e "$tmp/r3/guest-2" ] &&
	[ "$(taken "$tmp/r3")" = "$all" ]; then
	row "guests.sh: a guest that finds the queue empty is not booted" pass
else
	row "guests.sh: a guest that finds the queue empty is not booted" fail "$(tail -n 1 "$tmp/r3.log")"
fi

# A test marked up goes to the guest of one CPU, even when that guest
# boots last: here it boots when the guest of two CPUs has ended.
guests "$tmp/r4" GUEST_JOBS=2 GUEST_WAIT="$tmp/r4/guest-2/guest/guest-done -" \
	SMP_KSELFTESTS=livepatch:a.sh UP_KSELFTESTS=livepatch:d.sh
if [ "$(taken "$tmp/r4")" = "$all" ] && [ "$(cat "$tmp/r4/expected-kselftests")" = livepatch:d.sh ]; then
	row "guests.sh: a test marked up goes to the guest of one CPU" pass \
		"guest 2 (2 CPUs): $(tr '\n' ' ' <"$tmp/r4/guest-2/expected-kselftests")"
else
	row "guests.sh: a test marked up goes to the guest of one CPU" fail \
		"guest 1 took: $(tr '\n' ' ' <"$tmp/r4/expected-kselftests" 2>/dev/null); $(tail -n 1 "$tmp/r4.log")"
fi

# A lone guest whose tests are all marked up has one CPU; one that also
# has others has two and takes the tests marked up all the same.
guests "$tmp/r5" UP_KSELFTESTS="livepatch:a.sh livepatch:b.sh livepatch:c.sh livepatch:d.sh"
guests "$tmp/r6" UP_KSELFTESTS=livepatch:d.sh
if grep -q 'guest 1 (1 CPU(s))' "$tmp/r5.log" && [ "$(taken "$tmp/r5")" = "$all" ] &&
	grep -q 'guest 1 (2 CPU(s))' "$tmp/r6.log" && [ "$(taken "$tmp/r6")" = "$all" ]; then
	row "guests.sh: a lone guest takes the tests marked up" pass
else
	row "guests.sh: a lone guest takes the tests marked up" fail \
		"$(grep -h 'CPU(s)' "$tmp/r5.log" "$tmp/r6.log" | tr '\n' ' ')taken: $(taken "$tmp/r6")"
fi
