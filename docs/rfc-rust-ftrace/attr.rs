#![no_std]
#![feature(patchable_function_entry)]
#[no_mangle]
#[patchable_function_entry(prefix_nops = 16, entry_nops = 0)]
pub fn notrace(a: u64) -> u64 { a + 1 }
#[no_mangle]
pub fn traced(a: u64) -> u64 { a + 2 }
