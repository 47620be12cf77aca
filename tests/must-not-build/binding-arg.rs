// SPDX-License-Identifier: GPL-2.0
// wb-row: a signature that does not match its binding: an argument of another type
// wb-expect: a replacement function cannot take `Box<u64, Kmalloc>` for this argument
//! `kfree()` has a binding, `void kfree(const void *objp)`: the argument can be taken as a raw
//! pointer, not as a `KBox<u64>`, which this replacement would free.

use kernel::prelude::*;

#[cfg(wb_good)]
extern "C" fn new_kfree(_objp: *const c_void) {}

#[cfg(wb_good)]
kernel::livepatch! {
    static PATCH = {
        objects: [
            vmlinux {
                funcs: [
                    {
                        binding: kfree,
                        signature: fn(objp: *const c_void),
                        new_func: new_kfree,
                    },
                ],
            },
        ],
    };
}

#[cfg(not(wb_good))]
extern "C" fn new_kfree(objp: KBox<u64>) {
    drop(objp);
}

#[cfg(not(wb_good))]
kernel::livepatch! {
    static PATCH = {
        objects: [
            vmlinux {
                funcs: [
                    {
                        binding: kfree,
                        signature: fn(objp: KBox<u64>),
                        new_func: new_kfree,
                    },
                ],
            },
        ],
    };
}

kernel::module_livepatch! {
    patch: &PATCH,
    name: "wb_must_not_build_binding_arg",
    description: "must not build: an argument that does not map to its binding's",
    license: "GPL",
}
