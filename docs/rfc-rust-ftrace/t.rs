#![no_std]
#[no_mangle]
pub fn foo(a: u64, b: u64) -> u64 { a.wrapping_mul(b) ^ 0x1234 }
pub fn bar(x: &[u8]) -> usize { x.iter().filter(|&&c| c == b'a').count() }
#[inline(never)]
pub fn gen<T: Copy + core::ops::Add<Output = T>>(a: T, b: T) -> T { a + b }
pub fn use_gen(a: u32, b: u64) -> u64 { gen(a, a) as u64 + gen(b, b) }
#[panic_handler] fn p(_: &core::panic::PanicInfo) -> ! { loop {} }
