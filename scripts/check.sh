#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: the static checks over series/ alone (checks.sh), with their
# own report, and no guest. The per-patch builds need the toolchain, the
# base and the series applied, which this sets up as make test does.

. "$(dirname "$0")/lib.sh"

start=$SECONDS
if [ "$(id -u)" = 0 ]; then
	"$WB_ROOT/scripts/toolchain.sh"
fi
"$WB_ROOT/scripts/base.sh"
"$WB_ROOT/scripts/apply.sh"
rm -rf "$RESULTS"
run_results
: >"$RESULTS/checks.tsv"
"$WB_ROOT/scripts/checks.sh"
"$WB_ROOT/scripts/test-workbench.sh" "$RESULTS/checks.tsv"
step "report ($((SECONDS - start)) s in all; logs in $RESULTS/checks)"
python3 "$WB_ROOT/scripts/report.py" "$RESULTS"
