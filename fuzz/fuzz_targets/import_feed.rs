//! RSS 2.0 / Atom 1.0 / JSON Feed import (io::feed::read, feed-rs underneath).
//! The body lives in the fuzz crate's library (fuzz/src) so it can be replayed and reused.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk_fuzz::import_feed(data));
