# SPDX-License-Identifier: GPL-2.0
# Common settings and helpers for the workbench scripts. Sourced, not run.

set -euo pipefail

WB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The one place that names the base.
# shellcheck source=../base.env
. "$WB_ROOT/base.env"
# The series of series/, in the order they apply (SERIES).
# shellcheck source=../series.env
. "$WB_ROOT/series.env"

WB_CACHE=${WB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/klp-workbench}
KSRC=${KSRC:-$WB_ROOT/linux}
export KSRC
KBUILD=${KBUILD:-$WB_ROOT/build/series}
KBUILD_DEBUG=${KBUILD_DEBUG:-$WB_ROOT/build/debug}
# The config fragments of the test and the debug kernel (config/*.config).
FRAGMENTS=${FRAGMENTS:-virtme livepatch rust rust-livepatch debug}
FRAGMENTS_DEBUG=${FRAGMENTS_DEBUG:-virtme livepatch rust rust-livepatch debug debug-kernel}
# What the debug kernel runs unless told otherwise: the tests of the error
# paths (README, "The debug kernel"), the signature checks, which need
# the BTF that only the debug kernel has, and the fail-nth sweep, which
# needs its fault injection.
DEBUG_KSELFTESTS=${DEBUG_KSELFTESTS:-livepatch:test-bad-input.sh livepatch:test-signature.sh livepatch:test-signature-rust.sh livepatch:test-fault-matrix.sh livepatch:test-stress.sh livepatch:test-fail-nth.sh}
# Of those, the ones the test kernel runs too: the fault matrix, whole
# there (about 3 minutes), and on the debug kernel up to
# FAULT_MATRIX_MAX_P livepatches (test-debug.sh: 3, 36 of the 60 cases;
# a failing livepatch is still first, in the middle and last), which
# halves the longest guest of CI.
BOTH_KSELFTESTS=${BOTH_KSELFTESTS:-livepatch:test-fault-matrix.sh}
# The tests that need a guest of two CPUs (guests.sh): the stress test's
# module loads race with the livepatches on the other CPU.
SMP_KSELFTESTS=${SMP_KSELFTESTS:-livepatch:test-stress.sh}
# The tests that a guest of one CPU takes (guests.sh), when the run has
# one: the fail-nth sweep undoes each failure it survives with livepatch
# transitions, which end at once with one CPU and wait about a second
# each for the other CPU's idle task with two (its three enabling sweeps
# on the debug kernel: 220 s with one CPU, 318 s with two).
UP_KSELFTESTS=${UP_KSELFTESTS:-livepatch:test-fail-nth.sh}
# One results directory per run, results/YYYYmmdd-HHMMSS, and
# results/latest pointing at the newest (run_results below); the scripts
# a run calls inherit it. RESULTS=DIR puts a run's results in DIR.
RESULTS=${RESULTS:-$WB_ROOT/results/$(date -u +%Y%m%d-%H%M%S)}
export RESULTS
VENV=$WB_CACHE/venv
JOBS=${JOBS:-$(nproc)}

export LIBCLANG_PATH=/usr/lib/llvm-19/lib
export PATH="$WB_CACHE/bin:$VENV/bin:$HOME/.cargo/bin:/usr/lib/llvm-19/bin:$PATH"
# No colours in any tool's output: Sphinx colours its warnings when CI=true
# is set (as CI does) even into a file, and a warning kept from a run
# without it would then differ from the same warning now.
export NO_COLOR=1

kill_tree() { # kill_tree PID: PID and its descendants
	local c
	for c in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$c"; done
	kill "$1" 2>/dev/null || true
}

# series_dirs: the directories of the series, in the order they apply;
# SERIES_DIR=DIR makes DIR the only one (for a run on other patches).
series_dirs() {
	local s
	if [ -n "${SERIES_DIR:-}" ]; then
		echo "$SERIES_DIR"
		return
	fi
	for s in $SERIES; do
		echo "$WB_ROOT/series/$s"
	done
}
# series_patches DIR: the patches of one series, in order, without its
# cover letter.
series_patches() {
	local p
	for p in "$1"/*.patch; do
		[ -e "$p" ] || continue
		[ "${p##*/}" = 0000-cover-letter.patch ] || echo "$p"
	done
}

# livepatch_kselftests KSFT_INSTALL_DIR: the livepatch kselftests, as
# COLLECTION:NAME, that the runner lists (TEST_PROGS), then those only
# installed (TEST_PROGS_EXTENDED: test-fault-matrix.sh, test-stress.sh),
# which guest-run.sh runs directly.
livepatch_kselftests() {
	local f
	grep '^livepatch:' "$1/kselftest-list.txt" || true
	for f in "$1"/livepatch/test-*.sh; do
		[ -x "$f" ] || continue
		grep -qxF "livepatch:${f##*/}" "$1/kselftest-list.txt" || echo "livepatch:${f##*/}"
	done
}

step() { printf '\n==> %s\n' "$*" >&2; }
info() { printf '    %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The rust-src unpacked by toolchain.sh for the rustc on PATH.
rust_lib_src() {
	local v
	v=$(rustc --version | awk '{print $2}')
	printf '%s/rust-src-%s/usr/src/rustc-%s/library\n' "$WB_CACHE" "$v" "$v"
}

# ccache (Debian's) for every C compile of every kernel build: the test
# kernel, the per-patch builds, the base of the bench and the debug kernel
# share one cache in $WB_CACHE. rustc is not cached; Kbuild rebuilds Rust
# objects only when their inputs change. WB_NO_CCACHE=1 builds without it.
export CCACHE_DIR=${CCACHE_DIR:-$WB_CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-12G}
# Paths under the workbench are hashed relative to the build directory, so
# a worktree laid out like ./linux and build/series (build/wt/NAME/linux
# and build/wt/NAME/build) hits the objects of the main tree's builds.
export CCACHE_BASEDIR=$WB_ROOT
# Kbuild writes its generated headers just before the compiles that read
# them, which would keep every first build out of ccache's direct mode
# (and every later hit would run the preprocessor).
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-include_file_mtime,include_file_ctime}
# The debug kernel has debug info (DWARF, for BTF), for which ccache would
# hash the directory of each compile: a fresh clone would miss every
# object. The debug info of a hit names the directory it was built in.
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
cc_opts() {
	if [ -n "${WB_NO_CCACHE:-}" ] || ! command -v ccache >/dev/null; then
		return 0
	fi
	# Only CC: HOSTCC is also the linker of Rust host programs
	# (-Clinker=$(HOSTCC)), which takes no wrapper.
	if [ -n "${LLVM:-}" ]; then
		echo "CC=ccache clang"
	else
		echo "CC=ccache gcc"
	fi
}

# make in the kernel tree, out of tree, with the Rust toolchain set.
# Each kernel's release names its build directory (LOCALVERSION, not
# CONFIG_LOCALVERSION, so the .config and ccache's hits stay): 7.3.4-klp-series,
# -klp-debug, -klp-base, so that logs and uname -r tell them apart.
kmake() {
	local o=$1 cc=()
	shift
	mapfile -t cc < <(cc_opts)
	make -C "$KSRC" O="$o" -j"$JOBS" RUST_LIB_SRC="$(rust_lib_src)" \
		LOCALVERSION="-klp-$(basename "$o")" "${cc[@]}" "$@"
}

# run_results: make this run's results directory; under results/, point
# results/latest at it and keep the newest RESULTS_KEEP (10) runs.
run_results() {
	local top=$WB_ROOT/results
	mkdir -p "$RESULTS"
	[ "$(cd "$RESULTS/.." && pwd)" = "$(cd "$top" 2>/dev/null && pwd)" ] || return 0
	ln -sfn "$(basename "$RESULTS")" "$top/latest"
	find "$top" -mindepth 1 -maxdepth 1 -type d -name '20[0-9]*-[0-9]*' | sort |
		head -n -"${RESULTS_KEEP:-10}" | xargs -r rm -rf
}
