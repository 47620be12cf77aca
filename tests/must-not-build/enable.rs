// SPDX-License-Identifier: GPL-2.0
// wb-row: Patch::enable() outside unsafe
// wb-expect: E0133
//! Enabling the patch and then failing `init` frees a module whose patch stays enabled:
//! `Patch::enable()` is `unsafe`, and `module_livepatch!` is the safe way to call it.

use kernel::{livepatch::Callbacks, prelude::*};

struct Nothing;

#[vtable]
impl Callbacks for Nothing {}

kernel::livepatch! {
    static PATCH = {
        objects: [
            vmlinux {
                callbacks: Nothing,
            },
        ],
    };
}

struct Enabler;

impl kernel::Module for Enabler {
    #[cfg(wb_good)]
    fn init(module: &'static ThisModule) -> Result<Self> {
        // SAFETY: This is the `init` of `module`, which holds `PATCH`, and nothing fails after.
        unsafe { PATCH.enable(module) }?;
        Ok(Self)
    }

    #[cfg(not(wb_good))]
    fn init(module: &'static ThisModule) -> Result<Self> {
        PATCH.enable(module)?;
        // Something that fails after the patch is enabled.
        Err(ENOMEM)
    }
}

module! {
    type: Enabler,
    name: "wb_must_not_build_enable",
    description: "must not build without its unsafe",
    license: "GPL",
    livepatch: true,
}
