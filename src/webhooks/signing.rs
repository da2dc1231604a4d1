//! Signatures per Standard Webhooks 1.0 (<https://www.standardwebhooks.com/>): a receiver that
//! knows the secret can tell that a request came from us, unchanged and recently.
//!
//! The secret is `whsec_` followed by the base64 of a random key; each request carries
//! `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 of
//! HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`. The id stays the same on every retry of one
//! delivery, so a receiver can drop a delivery it has already handled.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The prefix of every signing secret.
pub const SECRET_PREFIX: &str = "whsec_";
/// Bytes of key in a new secret (the specification allows 24 to 64).
pub const KEY_BYTES: usize = 32;

/// A stored secret cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the signing secret is not whsec_ followed by base64")]
pub struct BadSecret;

/// A new random secret, `whsec_…`.
pub fn new_secret() -> Result<String, getrandom::Error> {
    let mut key = [0u8; KEY_BYTES];
    getrandom::fill(&mut key)?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(key)))
}

/// The key inside a `whsec_…` secret.
pub fn key_of(secret: &str) -> Result<Vec<u8>, BadSecret> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).ok_or(BadSecret)?;
    let key = STANDARD.decode(encoded).map_err(|_| BadSecret)?;
    if key.is_empty() {
        return Err(BadSecret);
    }
    Ok(key)
}

/// The `webhook-signature` header for one attempt: `v1,` and the base64 of the HMAC.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Result<String, BadSecret> {
    let key = key_of(secret)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|_| BadSecret)?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-id` of a delivery: the same on every attempt, different for every
/// subscription and change.
pub fn message_id(subscription_id: i64, change_id: i64) -> String {
    format!("msg_{subscription_id}_{change_id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    /// HMAC-SHA256 written out from its definition (RFC 2104), so the test does not trust the
    /// code it checks.
    fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
        let mut block = [0u8; 64];
        if key.len() > 64 {
            block[..32].copy_from_slice(&Sha256::digest(key));
        } else {
            block[..key.len()].copy_from_slice(key);
        }
        let inner: Vec<u8> = block.iter().map(|b| b ^ 0x36).chain(message.iter().copied()).collect();
        let inner = Sha256::digest(&inner);
        let outer: Vec<u8> = block.iter().map(|b| b ^ 0x5c).chain(inner.iter().copied()).collect();
        Sha256::digest(&outer).into()
    }

    #[test]
    fn the_textbook_hmac_agrees_with_rfc_4231() {
        // RFC 4231, test case 2.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn signatures_follow_standard_webhooks() {
        // The example of the Standard Webhooks reference libraries.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = br#"{"test": 2432232314}"#;
        let got = signature(secret, id, 1614265330, body).unwrap();
        assert_eq!(got, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        // And against the textbook HMAC of the same input.
        let key = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let expected =
            hmac_sha256(&key, format!("{id}.1614265330.{}", std::str::from_utf8(body).unwrap()).as_bytes());
        assert_eq!(got, format!("v1,{}", STANDARD.encode(expected)));
    }

    #[test]
    fn new_secrets_are_random_and_usable() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("whsec_"));
        assert_eq!(key_of(&a).unwrap().len(), KEY_BYTES);
        assert_eq!(key_of("whsec_!!"), Err(BadSecret));
        assert_eq!(key_of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), Err(BadSecret));
        assert_eq!(message_id(3, 41), "msg_3_41");
    }
}
