//! What a reader types into the search box, through Search::search over a small real index.
//! The body lives in the fuzz crate's library (fuzz/src) so it can be replayed and reused.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk_fuzz::search::search_query(data));
