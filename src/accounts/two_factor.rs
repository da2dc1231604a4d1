//! Two-factor sign-in: six-digit codes from an authenticator app (TOTP, RFC 6238, the variant
//! every app speaks: SHA-1, 30-second steps) and one-time recovery codes for a lost phone.
//!
//! A secret is 20 random bytes, handed to the app as base32 text and as an `otpauth://` QR
//! code. A code is accepted for the step it belongs to and one step either side (a phone's
//! clock a little off), and each step at most once per person (the caller records the step, so
//! a code seen over someone's shoulder cannot be replayed). Recovery codes are 80 random bits
//! each, stored only as SHA-256 digests, and each works once.

use base64::Engine;
use totp_rs::{Algorithm, Secret, TOTP};

/// Length of a TOTP secret in bytes (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;
/// How many recovery codes a person gets at a time.
pub const RECOVERY_CODES: usize = 10;
/// Seconds per TOTP step.
const STEP: u64 = 30;
/// Steps either side of the current one that are still accepted.
const SKEW: i64 = 1;

/// A new random secret in base32 (no padding), as authenticator apps take it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).expect("the system's random source failed");
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(text) => text.trim_end_matches('=').to_string(),
        Secret::Raw(_) => unreachable!("to_encoded returns the encoded form"),
    }
}

/// Whether `secret` is one this module made: base32 for exactly [`SECRET_BYTES`] bytes. A
/// secret comes back from the set-up form, so anything else is refused.
pub fn is_valid_secret(secret: &str) -> bool {
    decode(secret).is_some_and(|bytes| bytes.len() == SECRET_BYTES)
}

fn decode(secret: &str) -> Option<Vec<u8>> {
    Secret::Encoded(secret.trim().to_ascii_uppercase()).to_bytes().ok()
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = decode(secret)?;
    TOTP::new(Algorithm::SHA1, 6, SKEW as u8, STEP, bytes).ok()
}

/// The step a six-digit `code` belongs to, if it is right for `secret` at `unix_seconds` (or
/// one step either side). Spaces in the code are ignored, as apps show "123 456".
pub fn matching_step(secret: &str, code: &str, unix_seconds: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) || unix_seconds < 0 {
        return None;
    }
    let totp = totp(secret)?;
    let now = unix_seconds / STEP as i64;
    (now - SKEW..=now + SKEW).filter(|step| *step >= 0).find(|step| {
        let expected = totp.generate(*step as u64 * STEP);
        super::constant_time_eq(&expected, &code)
    })
}

/// The code for `secret` at `unix_seconds` (for tests and the set-up page's self-check).
pub fn code_at(secret: &str, unix_seconds: i64) -> Option<String> {
    Some(totp(secret)?.generate(unix_seconds.max(0) as u64))
}

/// The `otpauth://` address an app reads from the QR code: the site as issuer, the person's
/// e-mail as account.
pub fn otpauth_uri(secret: &str, issuer: &str, account: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let issuer = utf8_percent_encode(issuer, NON_ALPHANUMERIC).to_string();
    let account = utf8_percent_encode(account, NON_ALPHANUMERIC).to_string();
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30"
    )
}

/// The QR code of `text` as a `data:` address of an SVG image, for an `<img>`.
pub fn qr_data_uri(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg =
        code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(220, 220).quiet_zone(true).build();
    Some(format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg)))
}

/// The secret in groups of four, easier to type into an app by hand.
pub fn grouped(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// New recovery codes, shown once: 16 base32 characters each, in groups of four.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 16];
            getrandom::fill(&mut bytes).expect("the system's random source failed");
            let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[(b & 31) as usize] as char).collect();
            chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
        })
        .collect()
}

/// Whether `input` has the shape of a recovery code (so a sign-in form can tell it from a
/// six-digit app code).
pub fn looks_like_recovery_code(input: &str) -> bool {
    normalize_recovery_code(input).len() == 16
}

/// What is stored for a recovery code: the SHA-256 of its characters in lower case, without
/// the dashes and spaces people type or leave out.
pub fn recovery_code_hash(code: &str) -> String {
    super::token_hash(&normalize_recovery_code(code))
}

fn normalize_recovery_code(input: &str) -> String {
    input.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 test vectors (eight digits there; six are the last six).
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(s) => s,
            Secret::Raw(_) => unreachable!(),
        };
        for (time, code) in
            [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")]
        {
            assert_eq!(code_at(&secret, time).as_deref(), Some(code), "at {time}");
            assert_eq!(matching_step(&secret, code, time), Some(time / 30), "at {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let secret = new_secret();
        assert!(is_valid_secret(&secret), "{secret}");
        let now = 1_800_000_000;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(matching_step(&secret, &code, now + 30), Some(now / 30));
        assert_eq!(matching_step(&secret, &code, now - 30), Some(now / 30));
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(matching_step(&secret, &spaced, now), Some(now / 30));
        assert_eq!(matching_step(&secret, &code, now + 95), None, "three steps later");
        for bad in ["", "12345", "1234567", "abcdef", "12345x"] {
            assert_eq!(matching_step(&secret, bad, now), None, "{bad}");
        }
        assert_eq!(matching_step("not base32!", &code, now), None);
    }

    #[test]
    fn secrets_are_fresh_and_well_formed() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 32, "20 bytes in base32");
        assert!(!is_valid_secret("ABCDEFGH"), "too short");
        assert!(!is_valid_secret("0189!"), "not base32");
        assert_eq!(grouped("ABCDEFGHIJ"), "ABCD EFGH IJ");
    }

    #[test]
    fn recovery_codes_are_distinct_and_forgiving_to_type() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let unique: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 19, "{code}");
        assert!(looks_like_recovery_code(code));
        assert!(!looks_like_recovery_code("123456"));
        let typed = code.replace('-', " ").to_uppercase();
        assert_eq!(recovery_code_hash(&typed), recovery_code_hash(code));
        assert_ne!(recovery_code_hash(code), recovery_code_hash(&codes[1]));
    }

    #[test]
    fn the_qr_code_carries_the_otpauth_address() {
        let uri = otpauth_uri("JBSWY3DPEHPK3PXP", "Press Office", "ana@example.org");
        assert_eq!(
            uri,
            "otpauth://totp/Press%20Office:ana%40example%2Eorg?secret=JBSWY3DPEHPK3PXP&issuer=Press%20Office&algorithm=SHA1&digits=6&period=30"
        );
        let data = qr_data_uri(&uri).unwrap();
        let svg = base64::engine::general_purpose::STANDARD
            .decode(data.strip_prefix("data:image/svg+xml;base64,").unwrap())
            .unwrap();
        assert!(String::from_utf8(svg).unwrap().contains("<svg"));
    }
}
