//! Users, sessions, one-time password links, sign-in failures and the audit log.

use super::BeginWrite;
use super::{Result, Store, StoreError, with_pool};
use crate::domain::user::{Role, User};
use jiff::Timestamp;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    disabled: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<User> {
        Ok(User {
            role: Role::parse(&r.role)
                .ok_or_else(|| StoreError::Corrupt(format!("user {} role {}", r.id, r.role)))?,
            id: r.id,
            email: r.email,
            name: r.name,
            disabled: r.disabled != 0,
        })
    }
}

/// A session found by its token.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
    /// Whether the person has set up two-factor sign-in.
    pub two_factor: bool,
    /// Whether the site requires editors and admins to use it.
    pub two_factor_required: bool,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    disabled: i64,
    csrf_token: String,
    expires_at: i64,
    two_factor: i64,
    two_factor_required: Option<String>,
}

/// One line of the audit log.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub user: Option<String>,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub address: String,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    email: Option<String>,
    action: String,
    target: String,
    detail: String,
    address: String,
}

/// How long unsaved text is kept for its author to bring back (a draft left over a holiday).
pub const AUTOSAVE_DAYS: i64 = 30;

const USER_COLUMNS: &str = "id, email, name, role, disabled";

impl Store {
    /// Creates a user; `Conflict` when the e-mail is taken.
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: Option<&str>,
        now: Timestamp,
    ) -> Result<i64> {
        const SQL: &str = "INSERT INTO users (email, name, role, password_hash, disabled, created_at, updated_at) \
                           VALUES ($1, $2, $3, $4, 0, $5, $5) RETURNING id";
        let id: i64 = with_pool!(self, p => sqlx::query_scalar(SQL)
            .bind(email).bind(name).bind(role.as_str()).bind(password_hash).bind(now.as_second())
            .fetch_one(p).await?);
        Ok(id)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row: Option<UserRow> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(User::try_from).transpose()
    }

    /// A user and their password hash, for signing in.
    pub async fn user_for_login(&self, email: &str) -> Result<Option<(User, Option<String>)>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        const HASH: &str = "SELECT password_hash FROM users WHERE email = $1";
        let row: Option<UserRow> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(email).fetch_optional(p).await?);
        let Some(row) = row else { return Ok(None) };
        let hash: Option<String> =
            with_pool!(self, p => sqlx::query_scalar(HASH).bind(email).fetch_one(p).await?);
        Ok(Some((User::try_from(row)?, hash)))
    }

    /// Adds people an import brought (`(email, name)`) as authors who cannot sign in until an
    /// admin invites them (no password until they follow a set-password link). Addresses that
    /// already have an account are left alone. Returns how many were added.
    pub async fn add_people(&self, people: &[(String, String)], now: Timestamp) -> Result<usize> {
        const SQL: &str = "INSERT INTO users (email, name, role, password_hash, disabled, created_at, updated_at) \
                           VALUES ($1, $2, 'author', NULL, 0, $3, $3) ON CONFLICT (email) DO NOTHING";
        let mut added = 0;
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for (email, name) in people {
                added += sqlx::query(SQL).bind(email).bind(name).bind(now.as_second())
                    .execute(&mut *tx).await?.rows_affected() as usize;
            }
            tx.commit().await?;
        });
        Ok(added)
    }

    /// Ids of the people who have no password yet: imported, or added and not yet through
    /// their set-password link.
    pub async fn awaiting_invitation(&self) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT id FROM users WHERE password_hash IS NULL";
        Ok(with_pool!(self, p => sqlx::query_scalar(SQL).fetch_all(p).await?))
    }

    pub async fn users(&self) -> Result<Vec<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY email");
        let rows: Vec<UserRow> = with_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await?);
        rows.into_iter().map(User::try_from).collect()
    }

    pub async fn set_password(&self, user_id: i64, hash: &str, now: Timestamp) -> Result<()> {
        const SQL: &str = "UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3";
        with_pool!(self, p => sqlx::query(SQL).bind(hash).bind(now.as_second()).bind(user_id)
            .execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// Changes a user's role or disables them; disabling also ends their sessions.
    pub async fn update_user(&self, user_id: i64, role: Role, disabled: bool, now: Timestamp) -> Result<()> {
        const SQL: &str = "UPDATE users SET role = $1, disabled = $2, updated_at = $3 WHERE id = $4";
        const END: &str = "DELETE FROM sessions WHERE user_id = $1";
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(SQL).bind(role.as_str()).bind(i64::from(disabled)).bind(now.as_second()).bind(user_id)
                .execute(&mut *tx).await?;
            if disabled {
                sqlx::query(END).bind(user_id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: Timestamp,
        expires_at: Timestamp,
        device: (&str, &str),
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, \
                           user_agent, address) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        let agent: String = device.0.chars().take(300).collect();
        with_pool!(self, p => sqlx::query(SQL)
            .bind(token_hash).bind(user_id).bind(csrf_token).bind(now.as_second()).bind(expires_at.as_second())
            .bind(&agent).bind(device.1)
            .execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// A person's live sessions, newest first: `(token_hash, created_at, user_agent, address)`.
    pub async fn sessions_of(
        &self,
        user_id: i64,
        now: Timestamp,
    ) -> Result<Vec<(String, i64, String, String)>> {
        const SQL: &str = "SELECT token_hash, created_at, user_agent, address FROM sessions \
                           WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(user_id).bind(now.as_second()).fetch_all(p).await?))
    }

    /// The live session for a token hash: not expired, user not disabled.
    pub async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Option<SessionInfo>> {
        const SQL: &str = "SELECT u.id, u.email, u.name, u.role, u.disabled, s.csrf_token, s.expires_at, \
                           CAST(CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS BIGINT) AS two_factor, \
                           (SELECT value FROM settings WHERE key = 'two_factor_required') AS two_factor_required \
                           FROM sessions s JOIN users u ON u.id = s.user_id \
                           WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0";
        let row: Option<SessionRow> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(token_hash).bind(now.as_second()).fetch_optional(p).await?);
        let Some(r) = row else { return Ok(None) };
        let user = User::try_from(UserRow {
            id: r.id,
            email: r.email,
            name: r.name,
            role: r.role,
            disabled: r.disabled,
        })?;
        Ok(Some(SessionInfo {
            user,
            csrf_token: r.csrf_token,
            expires_at: super::rows::timestamp(r.expires_at, "expires_at")?,
            two_factor: r.two_factor != 0,
            two_factor_required: r.two_factor_required.as_deref() == Some("1"),
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        const SQL: &str = "DELETE FROM sessions WHERE token_hash = $1";
        with_pool!(self, p => sqlx::query(SQL).bind(token_hash).execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// Ends every session of a user except, optionally, one (after a password change).
    pub async fn delete_sessions_of(&self, user_id: i64, keep: Option<&str>) -> Result<()> {
        const SQL: &str = "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2";
        with_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(keep.unwrap_or(""))
            .execute(p).await.map(|_| ())?);
        Ok(())
    }

    pub async fn create_password_token(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: Timestamp,
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO password_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)";
        with_pool!(self, p => sqlx::query(SQL).bind(token_hash).bind(user_id).bind(expires_at.as_second())
            .execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// Uses up a one-time password token; returns its user if it was valid.
    pub async fn take_password_token(&self, token_hash: &str, now: Timestamp) -> Result<Option<i64>> {
        const SQL: &str =
            "DELETE FROM password_tokens WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id";
        let id: Option<i64> = with_pool!(self, p => sqlx::query_scalar(SQL)
            .bind(token_hash).bind(now.as_second()).fetch_optional(p).await?);
        Ok(id)
    }

    /// Counts one sign-in attempt under a scope (`account` or `address`) and returns how many
    /// the key has made in its current window, and when that window began. Counting happens
    /// before the password is checked and in one upsert, so parallel attempts each see their
    /// own number: the sixth of sixty simultaneous guesses is refused as surely as the sixth of
    /// six sequential ones, on every node. A window older than `since` starts over.
    pub async fn count_login_attempt(
        &self,
        scope: &str,
        key: &str,
        now: Timestamp,
        since: Timestamp,
    ) -> Result<(i64, i64)> {
        const SQL: &str = "INSERT INTO login_attempts (scope, key, window_start, attempts) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (scope, key) DO UPDATE SET \
             attempts = CASE WHEN login_attempts.window_start > $4 THEN login_attempts.attempts + 1 ELSE 1 END, \
             window_start = CASE WHEN login_attempts.window_start > $4 THEN login_attempts.window_start ELSE $3 END \
             RETURNING attempts, window_start";
        let row: (i64, i64) = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(scope).bind(key).bind(now.as_second()).bind(since.as_second()).fetch_one(p).await?);
        Ok(row)
    }

    /// Forgets an account's attempts after it signed in.
    pub async fn clear_login_attempts(&self, scope: &str, key: &str) -> Result<()> {
        const SQL: &str = "DELETE FROM login_attempts WHERE scope = $1 AND key = $2";
        with_pool!(self, p => sqlx::query(SQL).bind(scope).bind(key).execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// Takes back one counted attempt: a successful sign-in does not use up its address's budget,
    /// so a newsroom behind one address is not locked out by its own people signing in.
    pub async fn uncount_login_attempt(&self, scope: &str, key: &str) -> Result<()> {
        const SQL: &str = "UPDATE login_attempts SET attempts = attempts - 1 WHERE scope = $1 AND key = $2 AND attempts > 0";
        with_pool!(self, p => sqlx::query(SQL).bind(scope).bind(key).execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// Deletes what has expired: sessions, one-time password links, sign-in counters older
    /// than `attempts_before` and autosaves older than [`AUTOSAVE_DAYS`]. Returns how many rows went.
    pub async fn prune_expired(&self, now: Timestamp, attempts_before: Timestamp) -> Result<u64> {
        const BY_EXPIRY: [&str; 4] = [
            "DELETE FROM sessions WHERE expires_at <= $1",
            "DELETE FROM password_tokens WHERE expires_at <= $1",
            "DELETE FROM two_factor_challenges WHERE expires_at <= $1",
            "DELETE FROM preview_links WHERE expires_at <= $1",
        ];
        const BY_AGE: [&str; 2] = [
            "DELETE FROM login_failures WHERE at <= $1",
            "DELETE FROM login_attempts WHERE window_start <= $1",
        ];
        const AUTOSAVES: &str = "DELETE FROM autosaves WHERE saved_at <= $1";
        let autosaves_before = now - jiff::SignedDuration::from_hours(24 * AUTOSAVE_DAYS);
        let mut removed = 0;
        for (sql, at) in BY_EXPIRY
            .map(|s| (s, now))
            .into_iter()
            .chain(BY_AGE.map(|s| (s, attempts_before)))
            .chain([(AUTOSAVES, autosaves_before)])
        {
            removed += with_pool!(self, p => sqlx::query(sql).bind(at.as_second()).execute(p).await?.rows_affected());
        }
        Ok(removed)
    }

    /// Appends to the audit log.
    pub async fn audit(
        &self,
        user_id: Option<i64>,
        action: &str,
        target: &str,
        detail: &str,
        address: &str,
        now: Timestamp,
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO audit_log (at, user_id, action, target, detail, address) \
                           VALUES ($1, $2, $3, $4, $5, $6)";
        with_pool!(self, p => sqlx::query(SQL)
            .bind(now.as_second()).bind(user_id).bind(action).bind(target).bind(detail).bind(address)
            .execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// The audit log, newest first, optionally filtered by action prefix and user e-mail.
    pub async fn audit_log(
        &self,
        action: Option<&str>,
        email: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        const SQL: &str = "SELECT a.id, a.at, u.email, a.action, a.target, a.detail, a.address \
                           FROM audit_log a LEFT JOIN users u ON u.id = a.user_id \
                           WHERE ($1 = '' OR a.action LIKE $1 || '%') AND ($2 = '' OR u.email = $2) \
                           ORDER BY a.id DESC LIMIT $3";
        let rows: Vec<AuditRow> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(action.unwrap_or("")).bind(email.unwrap_or("")).bind(i64::from(limit))
            .fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at,
                user: r.email,
                action: r.action,
                target: r.target,
                detail: r.detail,
                address: r.address,
            })
            .collect())
    }
}
