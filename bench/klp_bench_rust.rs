// SPDX-License-Identifier: GPL-2.0

//! Livepatch bench: the Rust livepatch of `klp_bench_target` (scripts/bench.sh).
//!
//! It replaces `klp_bench_fn()` as `klp_bench_lp.c` does, adding 3 instead of 2, and has no
//! callbacks.

use kernel::prelude::*;

module! {
    type: KlpBenchRust,
    name: "klp_bench_rust",
    authors: ["klp team"],
    description: "Livepatch bench: a Rust livepatch of klp_bench_target",
    license: "GPL",
    livepatch: true,
}

kernel::livepatch! {
    static PATCH = {
        objects: [
            module(c"klp_bench_target") {
                funcs: [
                    {
                        old_name: c"klp_bench_fn",
                        // unsigned long klp_bench_fn(unsigned long x)
                        signature: fn(x: c_ulong) -> c_ulong,
                        new_func: klp_bench_rust_fn,
                    },
                ],
            },
        ],
    };
}

/// Replaces `klp_bench_fn()`.
extern "C" fn klp_bench_rust_fn(x: c_ulong) -> c_ulong {
    x.wrapping_add(3)
}

struct KlpBenchRust;

impl kernel::Module for KlpBenchRust {
    fn init(module: &'static ThisModule) -> Result<Self> {
        PATCH.enable(module)?;
        Ok(Self)
    }
}
