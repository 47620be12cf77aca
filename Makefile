# SPDX-License-Identifier: GPL-2.0
# Workbench for the livepatch series in series/. See README.md.

SHELL := /bin/bash
S := scripts

.PHONY: help demo test test-debug bench toolchain base apply export config build boot check send-dry-run clean

help:
	@echo "make demo       build the patched kernel, boot it, show a livepatch taking effect"
	@echo "make test       the whole test suite (what .ci/run runs)"
	@echo "make test-debug only the kselftests on the debug kernel (KASAN, kmemleak)"
	@echo "make bench      the series against its base: build both, boot each in turn, print a table"
	@echo "make toolchain  install the build and boot toolchain (root)"
	@echo "make base       fetch the base and make the kernel tree ./linux"
	@echo "make apply      put ./linux at base + series/"
	@echo "make export     write ./linux base..HEAD back into series/"
	@echo "make build      configure and build ./linux in build/series"
	@echo "make boot       boot the built kernel with a shell (interactive)"
	@echo "make send-dry-run  git send-email --dry-run of series/ with get_maintainer recipients"
	@echo "make clean      remove build/, results/ and bench-results/ (never ./linux)"

demo:
	@$(S)/demo.sh

test:
	@$(S)/test.sh

test-debug: apply
	@$(S)/test-debug.sh

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
	@$(S)/send.sh --dry-run

clean:
	rm -rf build results bench-results
	-@git -C linux worktree prune 2>/dev/null
