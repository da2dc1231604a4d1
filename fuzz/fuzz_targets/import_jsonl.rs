//! Newsdesk JSON Lines import (io::jsonl::read).
//! The body lives in the fuzz crate's library (fuzz/src) so it can be replayed and reused.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk_fuzz::import_jsonl(data));
