#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: boot.sh BUILD_DIR RESULTS_DIR COMMAND
# Boot BUILD_DIR's kernel under virtme-ng with RESULTS_DIR writable and run
# COMMAND as root. Probes KVM once per results dir: nested KVM fails on these
# machines ("emulation failure"), and then the guest runs under TCG.

. "$(dirname "$0")/lib.sh"

out=$1
res=$2
shift 2
mkdir -p "$res"

vng_base=(vng --run "$out" --user root --memory 2G --cpus "${GUEST_CPUS:-2}" --rwdir "$res")

if [ ! -f "$res/accel" ]; then
	accel=tcg
	if [ -w /dev/kvm ] && [ -z "${WB_NO_KVM:-}" ]; then
		step "boot: probing KVM"
		if timeout 90 "${vng_base[@]}" --exec 'echo wb-kvm-probe-ok' </dev/null 2>&1 |
			grep -q wb-kvm-probe-ok; then
			accel=kvm
		else
			info "KVM does not boot this kernel here; using TCG"
		fi
	fi
	echo "$accel" >"$res/accel"
fi
accel=$(cat "$res/accel")
accel_opt=()
[ "$accel" = tcg ] && accel_opt=(--disable-kvm)

# BOOT_TIMEOUT bounds the whole guest run: the kselftests of make test take
# about 25 minutes under TCG.
step "boot: $(basename "$out") kernel under virtme-ng ($accel)"
timeout "${BOOT_TIMEOUT:-3600}" "${vng_base[@]}" "${accel_opt[@]}" --verbose --exec "$*" \
	</dev/null 2>&1 | tee "$res/console.log" | grep --line-buffered -E '^guest: |Kernel panic|BUG:|WARNING:' >&2 || true
