#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The main job: build the patched kernel, boot it, and show a livepatch
# changing /proc/cmdline, then disable and unload it. Uses the Rust sample
# when the series provides one, the C livepatch-sample otherwise.

. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" = 0 ]; then
	"$WB_ROOT/scripts/toolchain.sh"
fi
"$WB_ROOT/scripts/base.sh"
"$WB_ROOT/scripts/apply.sh"
"$WB_ROOT/scripts/build.sh" "$KBUILD"

# Decided by the configuration, not by which .ko files exist: a stale
# module from an earlier build must not stand in for this one.
if grep -q '^CONFIG_SAMPLE_LIVEPATCH_RUST=m$' "$KBUILD/.config"; then
	ko=$KBUILD/samples/livepatch/livepatch_sample_rust.ko
else
	ko=$KBUILD/samples/livepatch/livepatch-sample.ko
fi
[ -f "$ko" ] || die "the livepatch sample $ko was not built"

run_results
res=$RESULTS/demo
rm -rf "$res"
mkdir -p "$res"
"$WB_ROOT/scripts/boot.sh" "$KBUILD" "$res" "$WB_ROOT/scripts/guest-demo.sh" "$ko" "$res"
[ -f "$res/guest-done" ] || die "the demo did not complete (console log: $res/console.log)"
if grep -qE -f "$WB_ROOT/scripts/splat-patterns" "$res/dmesg.txt"; then
	grep -E -f "$WB_ROOT/scripts/splat-patterns" "$res/dmesg.txt" >&2
	die "the kernel log has a splat (see $res/dmesg.txt)"
fi
step "demo: done; kernel log in $res/dmesg.txt"
