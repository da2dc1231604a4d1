//! Secrets for people: argon2id password hashes, random tokens for sessions, CSRF and one-time
//! links, API bearer tokens, and the hashes under which tokens are stored. Used by the back
//! office and by `newsdesk user` and `newsdesk token`; the second factor is in [`two_factor`].

pub mod two_factor;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// Password hashing could not be done (the system's random source failed).
#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password: {0}")]
pub struct HashError(String);

/// Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with a fresh random salt, in PHC string form.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| HashError(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError(e.to_string()))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// A hash of a password nobody has, checked when the account does not exist so that a
/// sign-in takes as long for unknown e-mails as for known ones.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("not a real password").unwrap_or_default());

/// Whether `password` matches `hash`; `None` (no account, or no password set yet) never
/// matches but costs the same time.
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let stored = hash.unwrap_or(DUMMY_HASH.as_str());
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    argon2().verify_password(password.as_bytes(), &parsed).is_ok() && hash.is_some()
}

/// Password hashes computed at once, at most. Each takes 19 MiB and tens of milliseconds of a
/// core; without a bound, a few hundred parallel sign-ins took the server to gigabytes.
pub const HASHING_SLOTS: usize = 2;
/// How long a sign-in waits for a hashing slot before it is told to retry.
pub const HASHING_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHING_SLOTS);

/// Every hashing slot stayed busy for [`HASHING_WAIT`]: the caller answers 429, retry soon.
#[derive(Debug, thiserror::Error)]
#[error("too many passwords are being checked at once")]
pub struct HashingBusy;

/// Runs password work (`verify_password`, `hash_password`) on the blocking pool, but only
/// [`HASHING_SLOTS`] at a time; waits at most [`HASHING_WAIT`] for a slot. The slot is held by
/// the blocking task itself, so a caller that goes away does not free it early.
pub async fn with_hashing_slot<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, HashingBusy> {
    let permit = tokio::time::timeout(HASHING_WAIT, HASHING.acquire())
        .await
        .map_err(|_| HashingBusy)?
        .map_err(|_| HashingBusy)?;
    permit.forget();
    let result = tokio::task::spawn_blocking(move || {
        let _slot = ReturnSlot;
        work()
    })
    .await;
    result.map_err(|_| HashingBusy)
}

/// Gives a hashing slot back when the blocking task ends, however it ends.
struct ReturnSlot;

impl Drop for ReturnSlot {
    fn drop(&mut self) {
        HASHING.add_permits(1);
    }
}

/// A new random token: 32 bytes, URL-safe hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source does not fail on supported systems; if it did, an all-zero token
    // would be a security hole, so refuse to continue.
    getrandom::fill(&mut bytes).expect("the system's random source failed");
    hex(&bytes)
}

/// What is stored for a token: its SHA-256, so a copy of the database opens nothing.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// What every API token starts with, so a leaked one is recognizable (by people and by secret
/// scanners) and anything else can be refused without a database lookup.
pub const API_TOKEN_PREFIX: &str = "nd_";
/// How many leading characters of an API token are stored in clear and shown, so a person can
/// tell tokens apart: `nd_` and seven hex digits, far too few to guess the rest from.
pub const API_TOKEN_SHOWN: usize = 10;

/// A new API bearer token: `nd_` and 32 random bytes in hex. Stored only as [`token_hash`].
pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", new_token())
}

/// Whether `secret` has the shape of an API token; anything else is refused before any lookup.
pub fn looks_like_api_token(secret: &str) -> bool {
    secret.strip_prefix(API_TOKEN_PREFIX).is_some_and(|rest| {
        rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The part of an API token shown in lists.
pub fn api_token_shown(secret: &str) -> &str {
    secret.get(..API_TOKEN_SHOWN).unwrap_or(secret)
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("wrong", Some(&hash)));
        assert!(!verify_password("not a real password", None), "no account never matches");
        assert_ne!(hash, hash_password("correct horse battery").unwrap(), "salted");
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
    }

    #[test]
    fn api_tokens_have_a_recognizable_shape() {
        let (a, b) = (new_api_token(), new_api_token());
        assert!(a.starts_with("nd_") && a.len() == 67, "{a}");
        assert_ne!(a, b);
        assert!(looks_like_api_token(&a));
        assert_eq!(api_token_shown(&a).len(), API_TOKEN_SHOWN);
        assert!(a.starts_with(api_token_shown(&a)));
        for bad in ["", "nd_", &a[3..], &a[..66], &format!("{a}0"), &a.to_uppercase().replace("ND_", "nd_")] {
            assert!(!looks_like_api_token(bad), "{bad}");
        }
    }
}
