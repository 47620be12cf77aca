# SPDX-License-Identifier: GPL-2.0
# Workbench for the livepatch series in series/. See README.md.

SHELL := /bin/bash
S := scripts

.PHONY: help demo test check selftest test-debug stable-proof bench toolchain base apply export config build boot send-dry-run send b4-check trailers compare-to clean

help:
	@echo "make demo       build the patched kernel, boot it, show a livepatch taking effect"
	@echo "make test       the whole test suite (what .ci/run runs)"
	@echo "make check      the static checks alone: checkpatch and a build per patch, clippy, docs, mail"
	@echo "make selftest T=test-unwind.sh [T=...]  build what changed, boot, run only those kselftests"
	@echo "make test-debug only the kselftests on the debug kernel (KASAN, kmemleak)"
	@echo "make stable-proof  test-relocations.sh on the base and on base + patches 1-2: fails, then passes"
	@echo "make bench      the series against its base: build both, boot each in turn, print a table"
	@echo "make toolchain  install the build and boot toolchain (root)"
	@echo "make base       fetch the base and make the kernel tree ./linux"
	@echo "make apply      put ./linux at base + series/"
	@echo "make export     write ./linux base..HEAD back into series/"
	@echo "make build      configure and build ./linux in build/series"
	@echo "make boot       boot the built kernel with a shell (interactive)"
	@echo "make send-dry-run  b4 send -o: the mails of series/, with get_maintainer recipients, to results/latest/mail"
	@echo "make send       b4 send of series/ for real, from your own git identity (refuses placeholders)"
	@echo "make b4-check   b4 prep --check of each series"
	@echo "make trailers [MBOX=f]  b4 trailers -u: review tags from lore (or MBOX) into ./linux and series/"
	@echo "make compare-to V=2  b4 prep --compare-to: range-diff of each series against tagged version V"
	@echo "make clean      remove build/, results/ and bench-results/ (never ./linux)"

demo:
	@$(S)/demo.sh

test:
	@$(S)/test.sh

check:
	@$(S)/check.sh

# One or more livepatch kselftests, by file name, for iterating: no static
# checks, no sample comparison; the table lists only them.
selftest:
	@[ -n "$(T)" ] || { echo "usage: make selftest T=test-unwind.sh (a file of tools/testing/selftests/livepatch; several: T='a.sh b.sh')" >&2; exit 2; }
	@KSELFTESTS="$(addprefix livepatch:,$(T))" WB_GUEST_ONLY=1 $(S)/test.sh

test-debug: apply
	@$(S)/test-debug.sh

stable-proof: build
	@$(S)/stable-proof.sh

bench:
	@$(S)/bench.sh

toolchain:
	@$(S)/toolchain.sh

base:
	@$(S)/base.sh

apply: base
	@$(S)/apply.sh

export:
	@$(S)/export.sh

build: apply
	@$(S)/build.sh

boot:
	@. $(S)/lib.sh && vng --run "$$KBUILD" --user root --disable-kvm

send-dry-run:
	@$(S)/b4.sh send --dry-run

send:
	@$(S)/b4.sh send --send

b4-check:
	@$(S)/b4.sh check

trailers:
	@$(S)/b4.sh trailers $(MBOX)

compare-to:
	@[ -n "$(V)" ] || { echo "usage: make compare-to V=2 (a version tagged in this repository)" >&2; exit 2; }
	@$(S)/b4.sh compare-to $(V)

clean:
	rm -rf build results bench-results
	-@git -C linux worktree prune 2>/dev/null
