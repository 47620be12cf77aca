// SPDX-License-Identifier: GPL-2.0
// wb-row: a signature that does not match its binding: wrong number of arguments
// wb-expect: found fn item `unsafe extern "C" fn() {kernel::bindings::schedule}`
//! `schedule()` has a binding, `void schedule(void)`: a signature that takes an argument does not
//! build. With the unchecked form, `signature: unsafe { fn(b: KBox<u64>) }`, this replacement
//! would free whatever the first argument register holds.

#[cfg(not(wb_good))]
use kernel::prelude::*;

#[cfg(wb_good)]
extern "C" fn new_schedule() {}

#[cfg(wb_good)]
kernel::livepatch! {
    static PATCH = {
        objects: [
            vmlinux {
                funcs: [
                    {
                        binding: schedule,
                        signature: fn(),
                        new_func: new_schedule,
                    },
                ],
            },
        ],
    };
}

#[cfg(not(wb_good))]
extern "C" fn new_schedule(b: KBox<u64>) {
    drop(b);
}

#[cfg(not(wb_good))]
kernel::livepatch! {
    static PATCH = {
        objects: [
            vmlinux {
                funcs: [
                    {
                        binding: schedule,
                        signature: fn(b: KBox<u64>),
                        new_func: new_schedule,
                    },
                ],
            },
        ],
    };
}

kernel::module_livepatch! {
    patch: &PATCH,
    name: "wb_must_not_build_binding_count",
    description: "must not build: a signature with more arguments than its binding",
    license: "GPL",
}
