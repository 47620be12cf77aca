#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest. Usage: guest-demo.sh MODULE.ko OUTDIR
# Shows a livepatch taking effect on /proc/cmdline and going away again.
# Exits non-zero, and says why, if any step does not do what it should.

set -u
ko=$1
out=$2
mod=$(basename "$ko" .ko)
lp=/sys/kernel/livepatch/${mod//-/_}
say() { echo "guest: $*"; }
fail() { say "DEMO FAILED: $*"; dmesg >"$out/dmesg.txt"; exit 1; }
wait_for() { # wait_for SECONDS TEST...
	local n=$(($1 * 10))
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 0.1
	done
}
transition_done() { [ "$(cat "$lp/transition" 2>/dev/null)" = 0 ]; }

mkdir -p "$out"
say "kernel $(uname -r)"
say "\$ cat /proc/cmdline"
say "  $(cat /proc/cmdline)"
grep -q 'this has been live patched' /proc/cmdline && fail "patched before the livepatch was loaded"

say "\$ insmod $mod.ko"
insmod "$ko" || fail "insmod $ko failed"
wait_for 30 transition_done || fail "transition did not finish within 30 s"
say "  $lp: enabled=$(cat "$lp/enabled") transition=$(cat "$lp/transition")"
say "\$ cat /proc/cmdline"
text=$(cat /proc/cmdline)
say "  $text"
[ "$text" = "this has been live patched" ] || fail "/proc/cmdline is not patched"

say "\$ echo 0 > $lp/enabled"
echo 0 >"$lp/enabled" || fail "disabling the livepatch failed"
wait_for 30 test ! -e "$lp" || fail "$lp still there 30 s after disabling"
say "\$ rmmod $mod"
rmmod "$mod" || fail "rmmod $mod failed"
say "\$ cat /proc/cmdline"
text=$(cat /proc/cmdline)
say "  $text"
[ "$text" != "this has been live patched" ] || fail "/proc/cmdline still patched after unload"
dmesg >"$out/dmesg.txt"
say "DEMO OK"
touch "$out/guest-done"
