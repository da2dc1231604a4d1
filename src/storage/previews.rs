//! Secret preview links: an article shown to someone outside the back office until the link
//! expires or is withdrawn. Only each token's SHA-256 is stored.

use super::{BeginWrite, Result, Store, with_pool};
use jiff::Timestamp;

const AUDIT: &str =
    "INSERT INTO audit_log (at, user_id, action, target, detail, address) VALUES ($1, $2, $3, $4, $5, $6)";

/// Who changed a link, from where and when: what its audit entry records.
#[derive(Debug, Clone, Copy)]
pub struct Audited<'a> {
    /// `None` for the system.
    pub user_id: Option<i64>,
    pub address: &'a str,
    pub at: Timestamp,
}

/// A live preview link, as the editor lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PreviewLink {
    pub id: i64,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

impl Store {
    /// Stores a new link to article `article_id`, valid until `expires_at`, and its audit
    /// entry, in one transaction: a link nobody can trace is never left behind.
    pub async fn create_preview_link(
        &self,
        token_hash: &str,
        article_id: i64,
        by: Audited<'_>,
        expires_at: Timestamp,
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO preview_links (token_hash, article_id, created_by, created_at, expires_at) \
                           VALUES ($1, $2, $3, $4, $5)";
        let detail = format!("until {expires_at}");
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(SQL).bind(token_hash).bind(article_id).bind(by.user_id)
                .bind(by.at.as_second()).bind(expires_at.as_second()).execute(&mut *tx).await?;
            sqlx::query(AUDIT).bind(by.at.as_second()).bind(by.user_id).bind("article.preview_link")
                .bind(format!("article {article_id}")).bind(&detail).bind(by.address).execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The article a token shows and until when, if the link is still live at `now`.
    pub async fn preview_link(&self, token_hash: &str, now: Timestamp) -> Result<Option<(i64, i64)>> {
        const SQL: &str =
            "SELECT article_id, expires_at FROM preview_links WHERE token_hash = $1 AND expires_at > $2";
        Ok(
            with_pool!(self, p => sqlx::query_as(SQL).bind(token_hash).bind(now.as_second()).fetch_optional(p).await?),
        )
    }

    /// An article's live links, newest first.
    pub async fn preview_links(&self, article_id: i64, now: Timestamp) -> Result<Vec<PreviewLink>> {
        const SQL: &str = "SELECT l.id, u.name AS created_by, l.created_at, l.expires_at FROM preview_links l \
                           LEFT JOIN users u ON u.id = l.created_by \
                           WHERE l.article_id = $1 AND l.expires_at > $2 ORDER BY l.created_at DESC, l.id DESC";
        Ok(
            with_pool!(self, p => sqlx::query_as(SQL).bind(article_id).bind(now.as_second()).fetch_all(p).await?),
        )
    }

    /// Withdraws link `id` of article `article_id`, with its audit entry in the same
    /// transaction; whether there was one.
    pub async fn withdraw_preview_link(&self, article_id: i64, id: i64, by: Audited<'_>) -> Result<bool> {
        const SQL: &str = "DELETE FROM preview_links WHERE id = $1 AND article_id = $2";
        let removed = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query(SQL).bind(id).bind(article_id).execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                sqlx::query(AUDIT).bind(by.at.as_second()).bind(by.user_id).bind("article.preview_link_withdrawn")
                    .bind(format!("article {article_id}")).bind(format!("link {id}")).bind(by.address)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            n > 0
        });
        Ok(removed)
    }
}
