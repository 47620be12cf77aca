// SPDX-License-Identifier: GPL-2.0
// wb-row: a shadow! declaration without unsafe
// wb-expect: no rules expected
//! A `shadow!` declaration is a promise about every module that uses its id: it must be written
//! in `unsafe`.

use kernel::{livepatch::shadow::Shadow, prelude::*};

#[cfg(wb_good)]
kernel::shadow! {
    // SAFETY: Only this module uses the id 0x5742_0001, with values of type `u64`.
    unsafe static SV_COUNT: Shadow<u64> = 0x5742_0001;
}

#[cfg(not(wb_good))]
kernel::shadow! {
    static SV_COUNT: Shadow<u64> = 0x5742_0001;
}

struct Counter;

impl kernel::Module for Counter {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        let parent = 0u32;
        SV_COUNT.alloc(&parent, 1, GFP_KERNEL)?;
        SV_COUNT.free(&parent)?;
        Ok(Self)
    }
}

module! {
    type: Counter,
    name: "wb_must_not_build_shadow",
    description: "must not build without its unsafe",
    license: "GPL",
}
