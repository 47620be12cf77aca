#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the kernel, its modules and the livepatch kselftests in $KBUILD.

. "$(dirname "$0")/lib.sh"

out=${1:-$KBUILD}
"$WB_ROOT/scripts/config.sh" "$out"

kmake "$out" -s rustavailable >&2 ||
	die "Rust is not available to this kernel build (see the message above; 'make toolchain' installs it)"

step "build: kernel and modules in $out (-j$JOBS; about 5 minutes cold)"
start=$SECONDS
kmake "$out" -s all >&2 || die "kernel build failed"
info "built in $((SECONDS - start)) s: $(cd "$out" && ls -la arch/x86/boot/bzImage | awk '{print $5}') bytes bzImage"

step "build: livepatch kselftests (kselftest-install, KDIR=$out)"
kmake "$out" -s kselftest-install TARGETS=livepatch KDIR="$out" >"$out/kselftest-install.log" 2>&1 ||
	die "kselftest-install failed"
[ -x "$out/kselftest/kselftest_install/run_kselftest.sh" ] ||
	die "kselftest-install left no run_kselftest.sh"
# The test livepatches' klp relocations come from objtool klp post-link,
# which objtool has only when built with libxxhash: without them, the
# tests that need them would only skip.
ko=$out/kselftest/kselftest_install/livepatch/test_modules/test_klp_reloc.ko
if [ -f "$ko" ]; then
	readelf -SW "$ko" | grep -q '\.klp\.rela\.' ||
		die "$ko has no klp relocations: objtool has no klp post-link (libxxhash-dev, make toolchain)"
fi
