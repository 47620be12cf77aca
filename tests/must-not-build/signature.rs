// SPDX-License-Identifier: GPL-2.0
// wb-row: a signature without unsafe
// wb-expect: no rules expected
//! A `signature:` is a promise about C code that nothing checks: it must be written in `unsafe`.

use kernel::{
    prelude::*,
    seq_file::{seq_print, SeqFile},
};

extern "C" fn new_cmdline_proc_show(m: &SeqFile, _v: *mut c_void) -> c_int {
    seq_print!(m, "patched\n");
    0
}

#[cfg(wb_good)]
kernel::livepatch! {
    static PATCH = {
        objects: [
            vmlinux {
                funcs: [
                    {
                        old_name: c"cmdline_proc_show",
                        // SAFETY: `static int cmdline_proc_show(struct seq_file *m, void *v)`.
                        signature: unsafe { fn(m: &SeqFile, v: *mut c_void) -> c_int },
                        new_func: new_cmdline_proc_show,
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
                        old_name: c"cmdline_proc_show",
                        signature: fn(m: &SeqFile, v: *mut c_void) -> c_int,
                        new_func: new_cmdline_proc_show,
                    },
                ],
            },
        ],
    };
}

kernel::module_livepatch! {
    patch: &PATCH,
    name: "wb_must_not_build_signature",
    description: "must not build without its unsafe",
    license: "GPL",
}
