#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Usage: boot.sh [--probe] BUILD_DIR RESULTS_DIR COMMAND
# Boot BUILD_DIR's kernel under virtme-ng with RESULTS_DIR writable and run
# COMMAND as root. Probes KVM once per results dir: nested KVM fails on these
# machines ("emulation failure"), and then the guest runs under TCG.
# --probe only probes (guests.sh, before it starts guests side by side).

. "$(dirname "$0")/lib.sh"

probe_only=0
[ "${1:-}" = --probe ] && { probe_only=1; shift; }
out=$1
res=$2
shift 2
mkdir -p "$res"

# GUEST_RWDIRS="DIR...": more directories the guest may write, at the
# same path (guests.sh: the queue its guests share).
vng_base=(vng --run "$out" --user root --memory 2G --cpus "${GUEST_CPUS:-2}" --rwdir "$res")
for d in ${GUEST_RWDIRS:-}; do
	vng_base+=(--rwdir "$d")
done

# The answer holds until the host reboots: it is kept in $WB_CACHE under
# the host's boot id and the kernel's release (a failed probe waits out
# its 90 s timeout on these machines).
probe_file=$WB_CACHE/kvm-probe-$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo none)-$(cat "$out/include/config/kernel.release" 2>/dev/null || echo unknown)
if [ ! -f "$res/accel" ] && [ -f "$probe_file" ] && [ -z "${WB_NO_KVM:-}" ]; then
	cp "$probe_file" "$res/accel"
	info "boot: $(cat "$res/accel") (KVM probed earlier since the host booted)"
fi
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
		mkdir -p "$WB_CACHE"
		echo "$accel" >"$probe_file"
	fi
	echo "$accel" >"$res/accel"
fi
accel=$(cat "$res/accel")
[ $probe_only = 1 ] && exit 0
accel_opt=()
[ "$accel" = tcg ] && accel_opt=(--disable-kvm)
# BOOT_APPEND: more kernel command line (guests.sh: kunit.enable=0).
append=${BOOT_APPEND:-}
# A KASAN kernel boots with 4-level paging: QEMU's "-cpu max" has LA57,
# and with 5-level paging an interrupt that lands while identify_cpu()
# has cleared boot_cpu_data's capabilities (so pgtable_l5_enabled() is
# false for a moment) makes KASAN report a wild-memory-access on the
# per-CPU data, in the base kernel, before any test runs
# (docs/evidence/debug-boot-kasan-la57.txt).
grep -qx 'CONFIG_KASAN=y' "$out/.config" 2>/dev/null && append="no5lvl${append:+ $append}"
[ -n "$append" ] && accel_opt+=(--append "$append")

# BOOT_TIMEOUT bounds the whole guest run: the kselftests of make test take
# about 25 minutes under TCG.
label=${GUEST_LABEL:+$GUEST_LABEL: }
step "boot: ${label}$(basename "$out") kernel under virtme-ng ($accel)"
timeout "${BOOT_TIMEOUT:-3600}" "${vng_base[@]}" "${accel_opt[@]}" --verbose --exec "$*" \
	</dev/null 2>&1 | tee "$res/console.log" |
	grep --line-buffered -E '^guest: |Kernel panic|BUG:|WARNING:' | sed -u "s/^/${label}/" >&2 || true
