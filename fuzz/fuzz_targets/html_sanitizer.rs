//! The HTML sanitizer (domain::markup): sanitize_html, markdown_to_html, plain_text, escape.
//! The body lives in the fuzz crate's library (fuzz/src) so it can be replayed and reused.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk_fuzz::html_sanitizer(data));
