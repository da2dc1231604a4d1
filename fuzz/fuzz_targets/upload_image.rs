//! An uploaded photo's bytes through media::process (sniff, check, decode, resize, encode).
//! The body lives in the fuzz crate's library (fuzz/src) so it can be replayed and reused.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk_fuzz::upload::upload_image(data));
