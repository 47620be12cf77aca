// SPDX-License-Identifier: GPL-2.0
// wb-row: a checked signature in a module object
// wb-expect: `binding` names a function of vmlinux with a unique name
//! A module may have a `static` function of the name that a binding declares, with another
//! prototype: `binding` is only taken in a `vmlinux` object. In a module object, the entry gives
//! `old_name` and its signature in `unsafe`.

use kernel::prelude::*;

extern "C" fn new_kfree(_objp: *const c_void) {}

#[cfg(wb_good)]
kernel::livepatch! {
    static PATCH = {
        objects: [
            module(c"wb_some_module") {
                funcs: [
                    {
                        old_name: c"kfree",
                        // SAFETY: `void kfree(const void *objp)`, as the module's own `kfree()`
                        // is. This is only built, never loaded.
                        signature: unsafe { fn(objp: *const c_void) },
                        new_func: new_kfree,
                    },
                ],
            },
        ],
    };
}

#[cfg(not(wb_good))]
kernel::livepatch! {
    static PATCH = {
        objects: [
            module(c"wb_some_module") {
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

kernel::module_livepatch! {
    patch: &PATCH,
    name: "wb_must_not_build_binding_module",
    description: "must not build: a checked signature in a module object",
    license: "GPL",
}
