//! A POST /admin/media multipart body, read as the upload handler reads it, then media::process.
//! The body lives in the fuzz crate's library (fuzz/src) so it can be replayed and reused.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdesk_fuzz::upload::upload_multipart(data));
