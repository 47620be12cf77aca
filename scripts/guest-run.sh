#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside the virtme-ng guest. Usage: [SAMPLES_KO=DIR] guest-run.sh KSELFTEST_DIR OUTDIR [COLLECTION:TEST...]
# Runs each livepatch kselftest on its own, keeping its TAP output and wall
# time, then saves the whole kernel log. Writes OUTDIR/guest-done last, so the
# host can tell a finished run from a guest that died.

set -u
ksft=$1
out=$2
shift 2

mkdir -p "$out/kselftest"
uname -r >"$out/uname"

cd "$ksft" || exit 1
if [ $# -eq 0 ]; then
	set -- $(./run_kselftest.sh -l | grep '^livepatch:')
fi
for t in "$@"; do
	name=${t#*:}
	echo "guest: running $t" >/dev/kmsg
	start=$(date +%s.%N)
	./run_kselftest.sh -t "$t" >"$out/kselftest/$name.tap" 2>&1
	end=$(date +%s.%N)
	echo "$name $start $end" >>"$out/kselftest/durations"
	grep -E '^(not )?ok [0-9]+ ' "$out/kselftest/$name.tap" | sed 's/^/guest: /'
done

dmesg >"$out/dmesg.txt"

# SAMPLES_KO=DIR: then compare the C and Rust livepatch samples of DIR. It
# clears the kernel log as it goes, so it runs after the log is saved.
if [ -n "${SAMPLES_KO:-}" ]; then
	bash "$(dirname "$0")/sample-compare.sh" --guest "$SAMPLES_KO" "$out/samples"
fi
touch "$out/guest-done"
