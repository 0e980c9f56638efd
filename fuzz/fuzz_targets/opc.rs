#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| o365lint_fuzz::opc(data));
