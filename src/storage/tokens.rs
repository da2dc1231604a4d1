//! API bearer tokens. Each token acts as its own account: creating one creates a user without a
//! password (it can never sign in through the form), so authorship, permissions and the audit
//! log work for programs as they do for people. Only a hash of the secret is stored; the secret
//! is handed back once, at creation.

use super::{BeginWrite, Result, Store, StoreError, with_pool};
use crate::accounts::{api_token_shown, looks_like_api_token, new_api_token, new_token, token_hash};
use crate::domain::user::{Role, User};
use jiff::Timestamp;

/// `last_used_at` is written at most this often per token, so that API requests, the hot path,
/// read the token without writing on every call.
pub const LAST_USED_EVERY_SECONDS: i64 = 60;

/// The e-mail domain of token accounts: `.invalid` is reserved (RFC 2606), so it can collide
/// with no person's address and no mail can go there.
pub const TOKEN_EMAIL_DOMAIN: &str = "api.invalid";

/// A token as shown in lists: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    /// The token's account (see the module documentation).
    pub user_id: i64,
    pub name: String,
    pub role: Role,
    /// The first characters of the secret, so a person can tell tokens apart.
    pub prefix: String,
    /// Unix seconds.
    pub created_at: i64,
    /// The name of who created it; `None` when it came from the command line.
    pub created_by: Option<String>,
    /// Unix seconds, to the minute (see [`LAST_USED_EVERY_SECONDS`]); `None` if never used.
    pub last_used_at: Option<i64>,
    /// Unix seconds; a revoked token authenticates nothing.
    pub revoked_at: Option<i64>,
}

/// A token just created, with its secret: shown once, stored nowhere.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    pub token: ApiToken,
    pub secret: String,
}

/// Who an API request acts as: the token (for rate limiting and logs) and its account (for
/// permissions, authorship and the audit log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenUser {
    pub token_id: i64,
    pub user: User,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    name: String,
    role: String,
    prefix: String,
    created_at: i64,
    created_by: Option<String>,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl TryFrom<TokenRow> for ApiToken {
    type Error = StoreError;
    fn try_from(r: TokenRow) -> Result<ApiToken> {
        Ok(ApiToken {
            role: Role::parse(&r.role)
                .ok_or_else(|| StoreError::Corrupt(format!("token {} role {}", r.id, r.role)))?,
            id: r.id,
            user_id: r.user_id,
            name: r.name,
            prefix: r.prefix,
            created_at: r.created_at,
            created_by: r.created_by,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AuthRow {
    token_id: i64,
    last_used_at: Option<i64>,
    id: i64,
    email: String,
    name: String,
    role: String,
    disabled: i64,
}

const TOKEN_SELECT: &str = "SELECT t.id, t.user_id, t.name, u.role, t.prefix, t.created_at, \
                            c.name AS created_by, t.last_used_at, t.revoked_at \
                            FROM api_tokens t JOIN users u ON u.id = t.user_id \
                            LEFT JOIN users c ON c.id = t.created_by";

impl Store {
    /// Creates a token and its account in one transaction. `name` is the account's display
    /// name too (it signs what the token writes); `created_by` is the admin, `None` from the
    /// command line. The returned secret is the only copy.
    pub async fn create_api_token(
        &self,
        name: &str,
        role: Role,
        created_by: Option<i64>,
        now: Timestamp,
    ) -> Result<NewApiToken> {
        const USER: &str = "INSERT INTO users (email, name, role, password_hash, disabled, created_at, updated_at) \
                            VALUES ($1, $2, $3, NULL, 0, $4, $4) RETURNING id";
        const TOKEN: &str = "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, created_by) \
                             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let secret = new_api_token();
        let prefix = api_token_shown(&secret).to_string();
        // Random, so two tokens with the same name still get distinct accounts.
        let email = format!("token-{}@{TOKEN_EMAIL_DOMAIN}", &new_token()[..16]);
        let (user_id, id): (i64, i64) = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let user_id: i64 = sqlx::query_scalar(USER)
                .bind(&email).bind(name).bind(role.as_str()).bind(now.as_second())
                .fetch_one(&mut *tx).await?;
            let id: i64 = sqlx::query_scalar(TOKEN)
                .bind(user_id).bind(name).bind(token_hash(&secret)).bind(&prefix).bind(now.as_second())
                .bind(created_by)
                .fetch_one(&mut *tx).await?;
            tx.commit().await?;
            (user_id, id)
        });
        let created_by = match created_by {
            Some(by) => self.user_by_id(by).await?.map(|u| u.name),
            None => None,
        };
        let token = ApiToken {
            id,
            user_id,
            name: name.to_string(),
            role,
            prefix,
            created_at: now.as_second(),
            created_by,
            last_used_at: None,
            revoked_at: None,
        };
        Ok(NewApiToken { token, secret })
    }

    /// Every token, revoked ones too, newest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>> {
        let sql = format!("{TOKEN_SELECT} ORDER BY t.id DESC");
        let rows: Vec<TokenRow> = with_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await?);
        rows.into_iter().map(ApiToken::try_from).collect()
    }

    pub async fn api_token(&self, id: i64) -> Result<Option<ApiToken>> {
        let sql = format!("{TOKEN_SELECT} WHERE t.id = $1");
        let row: Option<TokenRow> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(ApiToken::try_from).transpose()
    }

    /// Revokes a token for good and disables its account (ending any session it could have),
    /// in one transaction; `NotFound` when there is no such token. Revoking twice keeps the
    /// first time.
    pub async fn revoke_api_token(&self, id: i64, now: Timestamp) -> Result<ApiToken> {
        const REVOKE: &str =
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 RETURNING user_id";
        const DISABLE: &str = "UPDATE users SET disabled = 1, updated_at = $1 WHERE id = $2";
        const END: &str = "DELETE FROM sessions WHERE user_id = $1";
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let user_id: Option<i64> = sqlx::query_scalar(REVOKE).bind(now.as_second()).bind(id)
                .fetch_optional(&mut *tx).await?;
            let user_id = user_id.ok_or(StoreError::NotFound)?;
            sqlx::query(DISABLE).bind(now.as_second()).bind(user_id).execute(&mut *tx).await?;
            sqlx::query(END).bind(user_id).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        self.api_token(id).await?.ok_or(StoreError::NotFound)
    }

    /// Who a bearer secret acts as, or `None` when it is malformed, unknown, revoked or its
    /// account is disabled. The lookup is by the secret's hash. Records `last_used_at`, but
    /// writes it only when the stored value is [`LAST_USED_EVERY_SECONDS`] old, so most calls
    /// are one read; the conditional update keeps parallel requests (and nodes) from writing
    /// more than once per period.
    pub async fn authenticate(&self, secret: &str, now: Timestamp) -> Result<Option<TokenUser>> {
        const SQL: &str = "SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.name, u.role, u.disabled \
                           FROM api_tokens t JOIN users u ON u.id = t.user_id \
                           WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled = 0";
        const TOUCH: &str = "UPDATE api_tokens SET last_used_at = $1 \
                             WHERE id = $2 AND (last_used_at IS NULL OR last_used_at <= $3)";
        if !looks_like_api_token(secret) {
            return Ok(None);
        }
        let row: Option<AuthRow> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(token_hash(secret)).fetch_optional(p).await?);
        let Some(r) = row else { return Ok(None) };
        let due = now.as_second() - LAST_USED_EVERY_SECONDS;
        if r.last_used_at.is_none_or(|at| at <= due) {
            with_pool!(self, p => sqlx::query(TOUCH).bind(now.as_second()).bind(r.token_id).bind(due)
                .execute(p).await.map(|_| ())?);
        }
        let role = Role::parse(&r.role)
            .ok_or_else(|| StoreError::Corrupt(format!("user {} role {}", r.id, r.role)))?;
        Ok(Some(TokenUser {
            token_id: r.token_id,
            user: User { id: r.id, email: r.email, name: r.name, role, disabled: r.disabled != 0 },
        }))
    }
}

/// The longest token name accepted, in characters.
pub const MAX_NAME: usize = 100;

/// A token's name as given by a person, trimmed; `None` when empty or longer than
/// [`MAX_NAME`]. The command line and the back office both apply it.
pub fn clean_name(raw: &str) -> Option<String> {
    let name = raw.trim();
    (!name.is_empty() && name.chars().count() <= MAX_NAME && !name.chars().any(char::is_control))
        .then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(clean_name("  Wire feed ").as_deref(), Some("Wire feed"));
        assert_eq!(clean_name(&"я".repeat(MAX_NAME)).map(|n| n.chars().count()), Some(MAX_NAME));
        for bad in ["", "   ", "a\nb", &"x".repeat(MAX_NAME + 1)] {
            assert_eq!(clean_name(bad), None, "{bad:?}");
        }
    }
}
