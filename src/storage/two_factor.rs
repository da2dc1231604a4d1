//! The stored side of two-factor sign-in ([`crate::accounts::two_factor`]): each person's
//! secret and last used step, their recovery codes, the sign-ins waiting for a code, and the
//! site setting that makes a second factor compulsory.
//!
//! Every "use it once" rule is one conditional statement, so two nodes (or two tabs) racing
//! with the same code or recovery code cannot both succeed.

use super::BeginWrite;
use super::{Result, Store, with_pool};
use jiff::Timestamp;

/// The setting under which "editors and admins must use two-factor sign-in" is kept.
const REQUIRED_KEY: &str = "two_factor_required";

/// A sign-in waiting for its code: whose it is and where to go afterwards.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Challenge {
    pub user_id: i64,
    pub next: String,
}

impl Store {
    /// A person's TOTP secret, if they have set up two-factor sign-in.
    pub async fn totp_secret(&self, user_id: i64) -> Result<Option<String>> {
        const SQL: &str = "SELECT totp_secret FROM users WHERE id = $1";
        let secret: Option<Option<String>> =
            with_pool!(self, p => sqlx::query_scalar(SQL).bind(user_id).fetch_optional(p).await?);
        Ok(secret.flatten())
    }

    /// Turns two-factor sign-in on (or re-keys it) with `secret`, whose code for `step` the
    /// person just typed, and replaces their recovery codes, all in one transaction.
    pub async fn enable_two_factor(
        &self,
        user_id: i64,
        secret: &str,
        step: i64,
        recovery_hashes: &[String],
        now: Timestamp,
    ) -> Result<()> {
        const SET: &str =
            "UPDATE users SET totp_secret = $2, totp_last_step = $3, updated_at = $4 WHERE id = $1";
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(SET).bind(user_id).bind(secret).bind(step).bind(now.as_second())
                .execute(&mut *tx).await?;
            replace_codes!(tx, user_id, recovery_hashes);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Turns two-factor sign-in off: the secret and the recovery codes go.
    pub async fn disable_two_factor(&self, user_id: i64, now: Timestamp) -> Result<()> {
        const SET: &str =
            "UPDATE users SET totp_secret = NULL, totp_last_step = 0, updated_at = $2 WHERE id = $1";
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(SET).bind(user_id).bind(now.as_second()).execute(&mut *tx).await?;
            replace_codes!(tx, user_id, &[] as &[String]);
            tx.commit().await?;
        });
        Ok(())
    }

    /// Replaces a person's recovery codes with new ones (the old ones stop working).
    pub async fn replace_recovery_codes(&self, user_id: i64, hashes: &[String]) -> Result<()> {
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            replace_codes!(tx, user_id, hashes);
            tx.commit().await?;
        });
        Ok(())
    }

    /// How many unused recovery codes a person has.
    pub async fn recovery_codes_left(&self, user_id: i64) -> Result<i64> {
        const SQL: &str = "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1";
        Ok(with_pool!(self, p => sqlx::query_scalar(SQL).bind(user_id).fetch_one(p).await?))
    }

    /// Records that a person used the code of `step`; false when that step (or a later one)
    /// was already used, i.e. the code is a replay.
    pub async fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool> {
        const SQL: &str = "UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2";
        let changed = with_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(step).execute(p).await?.rows_affected());
        Ok(changed == 1)
    }

    /// Uses up a recovery code; false when the person has no such unused code.
    pub async fn use_recovery_code(&self, user_id: i64, hash: &str) -> Result<bool> {
        const SQL: &str = "DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2";
        let gone = with_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(hash).execute(p).await?.rows_affected());
        Ok(gone == 1)
    }

    /// Starts a sign-in that waits for a code (the password was right).
    pub async fn create_challenge(
        &self,
        token_hash: &str,
        user_id: i64,
        next: &str,
        expires_at: Timestamp,
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO two_factor_challenges (token_hash, user_id, next, tries, expires_at) \
                           VALUES ($1, $2, $3, 0, $4)";
        with_pool!(self, p => sqlx::query(SQL).bind(token_hash).bind(user_id).bind(next)
            .bind(expires_at.as_second()).execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// The waiting sign-in for a token, if it is still open, without spending a try.
    pub async fn challenge(&self, token_hash: &str, now: Timestamp) -> Result<Option<Challenge>> {
        const SQL: &str = "SELECT user_id, next FROM two_factor_challenges \
                           WHERE token_hash = $1 AND expires_at > $2 AND tries < $3";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(token_hash).bind(now.as_second())
            .bind(MAX_TRIES).fetch_optional(p).await?))
    }

    /// Spends one of a waiting sign-in's tries; `None` once it has expired or has no tries left.
    pub async fn try_challenge(&self, token_hash: &str, now: Timestamp) -> Result<Option<Challenge>> {
        const SQL: &str = "UPDATE two_factor_challenges SET tries = tries + 1 \
                           WHERE token_hash = $1 AND expires_at > $2 AND tries < $3 RETURNING user_id, next";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(token_hash).bind(now.as_second())
            .bind(MAX_TRIES).fetch_optional(p).await?))
    }

    /// Ends a waiting sign-in (it succeeded, or was abandoned).
    pub async fn delete_challenge(&self, token_hash: &str) -> Result<()> {
        const SQL: &str = "DELETE FROM two_factor_challenges WHERE token_hash = $1";
        with_pool!(self, p => sqlx::query(SQL).bind(token_hash).execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// The ids of everyone who has set up a second factor (for the users page).
    pub async fn users_with_two_factor(&self) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT id FROM users WHERE totp_secret IS NOT NULL";
        Ok(with_pool!(self, p => sqlx::query_scalar(SQL).fetch_all(p).await?))
    }

    /// Whether editors and admins must sign in with a second factor.
    pub async fn two_factor_required(&self) -> Result<bool> {
        Ok(self.setting(REQUIRED_KEY).await?.as_deref() == Some("1"))
    }

    /// Makes a second factor compulsory for editors and admins, or optional again.
    pub async fn set_two_factor_required(&self, required: bool) -> Result<()> {
        self.set_setting(REQUIRED_KEY, if required { "1" } else { "0" }).await
    }
}

/// Tries a waiting sign-in has for its code: a six-digit code is one in a million, so five
/// guesses per password (itself throttled per account) give an attacker nothing.
pub const MAX_TRIES: i64 = 5;

/// Deletes a person's recovery codes and inserts `hashes`, inside transaction `tx`.
macro_rules! replace_codes {
    ($tx:ident, $user_id:expr, $hashes:expr) => {{
        const DELETE: &str = "DELETE FROM recovery_codes WHERE user_id = $1";
        const INSERT: &str = "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)";
        sqlx::query(DELETE).bind($user_id).execute(&mut *$tx).await?;
        for hash in $hashes {
            sqlx::query(INSERT).bind($user_id).bind(hash).execute(&mut *$tx).await?;
        }
    }};
}
use replace_codes;
