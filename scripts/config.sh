#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make $KBUILD/.config from allnoconfig plus the fragments named in
# $FRAGMENTS (lib.sh), then check that Kconfig
# kept every option as requested: merge_config.sh drops unmet dependencies
# with a mere warning.
#
# .config is replaced only when its content changes, so a second run with no
# change rebuilds nothing.

. "$(dirname "$0")/lib.sh"

out=${1:-$KBUILD}
frags=()
for f in $FRAGMENTS; do
	[ -f "$WB_ROOT/config/$f.config" ] || die "no config fragment config/$f.config"
	# "# wb-only-if: FILE REGEX": the fragment is for a tree whose FILE
	# has a line matching REGEX (a Kconfig that a series adds).
	cond=$(sed -n 's/^# wb-only-if: //p' "$WB_ROOT/config/$f.config")
	[ -z "$cond" ] || [ -f "$KSRC/${cond%% *}" ] ||
		die "config/$f.config: wb-only-if names ${cond%% *}, which $KSRC lacks"
	if [ -n "$cond" ] && ! grep -qE "${cond#* }" "$KSRC/${cond%% *}"; then
		info "config/$f.config left out: ${cond%% *} has no ${cond#* }"
		continue
	fi
	frags+=("$WB_ROOT/config/$f.config")
done

step "config: allnoconfig + $(printf '%s\n' "${frags[@]##*/}" | sed 's/\.config$//' | paste -sd, | sed 's/,/, /g') -> $out/.config"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$KSRC" && RUST_LIB_SRC="$(rust_lib_src)" scripts/kconfig/merge_config.sh -n -O "$tmp" \
	"${frags[@]}" >"$tmp/merge.log" 2>&1) || {
	cat "$tmp/merge.log" >&2
	die "merge_config.sh failed"
}

# Every requested line must be in the result as written.
dropped=()
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n)
		sym=${line%%=*}
		grep -q "^$sym=" "$tmp/.config" && dropped+=("$line (got $(grep "^$sym=" "$tmp/.config"))")
		;;
	CONFIG_*=*)
		grep -qxF "$line" "$tmp/.config" ||
			dropped+=("$line (got $(grep -E "^(# )?${line%%=*}[= ]" "$tmp/.config" || echo 'not even offered'))")
		;;
	esac
done < <(cat "${frags[@]}")
if [ ${#dropped[@]} -gt 0 ]; then
	printf '    Kconfig dropped: %s\n' "${dropped[@]}" >&2
	grep -A3 'Value requested' "$tmp/merge.log" >&2 || true
	die "${#dropped[@]} requested option(s) not set as requested (unmet dependencies?)"
fi

if cmp -s "$tmp/.config" "$out/.config"; then
	info ".config unchanged"
else
	cp "$tmp/.config" "$out/.config"
	info "wrote $out/.config ($(grep -c '=' "$out/.config") options set)"
fi
