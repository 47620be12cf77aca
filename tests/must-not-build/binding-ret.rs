// SPDX-License-Identifier: GPL-2.0
// wb-row: a checked signature that returns a pointer
// wb-expect: a replacement function with a checked signature cannot return `*mut u8`
//! `kstrdup()` returns a pointer that its callers use, and safe code can make any pointer: a
//! replacement that returns one is written in the unchecked form, in `unsafe`, even though
//! `kstrdup()` has a binding.

use kernel::prelude::*;

extern "C" fn new_kstrdup(_s: *const c_char, _gfp: c_uint) -> *mut c_char {
    core::ptr::dangling_mut()
}

#[cfg(wb_good)]
kernel::livepatch! {
    static PATCH = {
        objects: [
            vmlinux {
                funcs: [
                    {
                        old_name: c"kstrdup",
                        // SAFETY: `char *kstrdup(const char *s, gfp_t gfp)`, where `gfp_t` is an
                        // `unsigned int`. This is only built, never loaded.
                        signature: unsafe { fn(s: *const c_char, gfp: c_uint) -> *mut c_char },
                        new_func: new_kstrdup,
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
            vmlinux {
                funcs: [
                    {
                        binding: kstrdup,
                        signature: fn(s: *const c_char, gfp: c_uint) -> *mut c_char,
                        new_func: new_kstrdup,
                    },
                ],
            },
        ],
    };
}

kernel::module_livepatch! {
    patch: &PATCH,
    name: "wb_must_not_build_binding_ret",
    description: "must not build: a checked signature that returns a pointer",
    license: "GPL",
}
