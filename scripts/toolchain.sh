#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what building, booting and checking a Rust-enabled kernel needs.
# Idempotent: each step checks first and does nothing when already done.

. "$(dirname "$0")/lib.sh"

APT_PKGS=(build-essential flex bison bc libelf-dev libssl-dev libxxhash-dev cpio kmod rsync
	dwarves python3-venv python3-ply python3-git git git-email perl busybox-static
	clang-19 libclang-19-dev llvm-19 lld-19 ccache)

[ "$(id -u)" = 0 ] || die "toolchain.sh installs packages and must run as root"

apt_sources() {
	local f=/etc/apt/sources.list.d/klp-workbench.sources
	local p=/etc/apt/preferences.d/klp-workbench

	# Backports suites are NotAutomatic in their Release files already; the
	# pin makes that explicit, so nothing is ever upgraded from them unasked.
	if [ ! -f "$f" ] || [ ! -f "$p" ]; then
		step "apt: adding bookworm-backports and trixie-backports (NotAutomatic, priority 100)"
		cat >"$f" <<-'SRC'
		Types: deb
		URIs: http://deb.debian.org/debian
		Suites: bookworm-backports trixie-backports
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
		SRC
		cat >"$p" <<-'PIN'
		Package: *
		Pin: release a=bookworm-backports
		Pin-Priority: 100

		Package: *
		Pin: release a=trixie-backports
		Pin-Priority: 100
		PIN
		rm -f "$WB_CACHE/.apt-updated"
	fi
	mkdir -p "$WB_CACHE"
	if [ ! -f "$WB_CACHE/.apt-updated" ]; then
		step "apt: updating package lists"
		apt-get update -q >&2 || die "apt-get update failed"
		touch "$WB_CACHE/.apt-updated"
	fi
}

apt_install() {
	local missing=() p

	for p in "${APT_PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		step "apt: installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			"${missing[@]}" >&2 || die "apt-get install failed"
	fi
	# bookworm's qemu-system-x86 (7.2) conflicts with the image's qemu-utils
	# from bookworm-backports, so take both from there.
	if ! command -v qemu-system-x86_64 >/dev/null; then
		step "apt: installing qemu-system-x86 from bookworm-backports"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			-t bookworm-backports qemu-system-x86 >&2 ||
			die "installing qemu-system-x86 from bookworm-backports failed"
	fi
}

# rust-src must match rustc exactly, or core/alloc do not build.
rust_src() {
	local rv dir ver deb

	rv=$(rustc --version | awk '{print $2}')
	dir=$WB_CACHE/rust-src-$rv
	[ -d "$(rust_lib_src)/core" ] && return 0

	step "rust-src: looking for Debian's rust-src $rv"
	ver=$(apt-cache madison rust-src | awk -F'|' '{gsub(/ /, "", $2); print $2}' |
		grep -E "^${rv//./\\.}\+" | head -n 1) || true
	[ -n "$ver" ] || die "Debian has no rust-src for rustc $rv (apt-cache madison rust-src lists: $(apt-cache madison rust-src | awk -F'|' '{print $2}' | tr -d ' ' | tr '\n' ' '))"
	info "using rust-src=$ver"
	rm -rf "$dir" && mkdir -p "$dir"
	(cd "$dir" && apt-get download -q "rust-src=$ver" >&2) || die "apt-get download rust-src=$ver failed"
	deb=$(ls "$dir"/rust-src_*.deb)
	dpkg-deb -x "$deb" "$dir" && rm -f "$deb"
	[ -d "$(rust_lib_src)/core" ] || die "rust-src $ver does not hold $(rust_lib_src)"
}

bindgen_cli() {
	local v

	if command -v bindgen >/dev/null; then
		v=$(bindgen --version | awk '{print $2}')
		# Kernel 7.3 needs >= 0.71.1.
		if printf '0.71.1\n%s\n' "$v" | sort -V -C; then
			return 0
		fi
	fi
	step "bindgen: cargo install --locked bindgen-cli (about 2 minutes)"
	cargo install -q --locked --root "$WB_CACHE" bindgen-cli >&2 ||
		die "cargo install bindgen-cli failed"
}

virtme_ng() {
	if [ -x "$VENV/bin/vng" ]; then
		return 0
	fi
	step "virtme-ng: installing from PyPI into $VENV"
	python3 -m venv "$VENV" >&2 || die "python3 -m venv failed"
	"$VENV/bin/pip" install -q virtme-ng >&2 || die "pip install virtme-ng failed"
}

# Sphinx for "make htmldocs SPHINXDIRS=livepatch" (Documentation/sphinx/
# requirements.txt), in the same venv; Debian 13's python3-sphinx would do
# too, but the venv keeps the version pinned.
sphinx() {
	if [ -x "$VENV/bin/sphinx-build" ]; then
		return 0
	fi
	step "sphinx: installing from PyPI into $VENV"
	"$VENV/bin/pip" install -q 'Sphinx==9.0.4' alabaster pyyaml >&2 || die "pip install Sphinx failed"
}

# b4 (make send, send-dry-run, trailers, compare-to; the b4 prep --check
# rows of make check), pinned, in the same venv.
b4_tool() {
	if "$VENV/bin/b4" --version 2>/dev/null | grep -qx 0.16.0; then
		return 0
	fi
	step "b4: installing b4 0.16.0 from PyPI into $VENV"
	"$VENV/bin/pip" install -q 'b4==0.16.0' >&2 || die "pip install b4 failed"
}

apt_sources
apt_install
rust_src
bindgen_cli
virtme_ng
sphinx
b4_tool
step "toolchain ready: $(rustc --version), bindgen $(bindgen --version | awk '{print $2}'), $(clang-19 --version | head -n 1), vng $(vng --version 2>&1 | tail -n 1), b4 $(b4 --version)"
