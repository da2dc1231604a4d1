//! Review notes: each article's thread between its author and the editors, and the notices a
//! person sees on the dashboard (their drafts sent back, their articles published).

use super::{Result, Store, with_pool};
use jiff::Timestamp;

/// What a note came with.
pub const NOTE: &str = "note";
/// A draft sent back to its author; the note says why.
pub const SENT_BACK: &str = "sent-back";

/// One note of a thread.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Note {
    pub id: i64,
    /// Who wrote it; `None` once their account is deleted.
    pub author: Option<String>,
    pub kind: String,
    pub body: String,
    pub created_at: i64,
}

/// Something that happened to one of a person's articles.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Notice {
    pub article_id: i64,
    pub title: String,
    /// `sent-back` or `published`.
    pub kind: String,
    /// Who did it (for a send-back), and what they said.
    pub actor_name: Option<String>,
    pub body: String,
    pub at: i64,
}

/// Writes a note inside a transaction the caller holds.
macro_rules! insert_note {
    ($tx:expr, $article:expr, $user:expr, $kind:expr, $body:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO article_notes (article_id, user_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind($article)
        .bind($user)
        .bind($kind)
        .bind($body)
        .bind($now)
        .execute(&mut *$tx)
    };
}
pub(crate) use insert_note;

impl Store {
    /// Adds a note to article `article_id`'s thread.
    pub async fn add_note(
        &self,
        article_id: i64,
        user_id: Option<i64>,
        kind: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO article_notes (article_id, user_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5)";
        with_pool!(self, p => sqlx::query(SQL).bind(article_id).bind(user_id).bind(kind).bind(body)
            .bind(now.as_second()).execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// An article's thread, oldest first.
    pub async fn notes(&self, article_id: i64) -> Result<Vec<Note>> {
        const SQL: &str = "SELECT n.id, u.name AS author, n.kind, n.body, n.created_at FROM article_notes n \
                           LEFT JOIN users u ON u.id = n.user_id WHERE n.article_id = $1 \
                           ORDER BY n.created_at, n.id";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(article_id).fetch_all(p).await?))
    }

    /// What happened to `user_id`'s articles since `since`, newest first: drafts sent back to
    /// them (while they are still drafts not resubmitted) and their articles now published.
    pub async fn notices(&self, user_id: i64, since: Timestamp, limit: i64) -> Result<Vec<Notice>> {
        const SQL: &str = "SELECT article_id, title, kind, actor_name, body, at FROM ( \
            SELECT n.article_id, a.title, 'sent-back' AS kind, u.name AS actor_name, n.body, n.created_at AS at \
              FROM article_notes n JOIN articles a ON a.id = n.article_id LEFT JOIN users u ON u.id = n.user_id \
             WHERE a.author_id = $1 AND n.kind = 'sent-back' AND n.created_at >= $2 \
               AND a.status = 'draft' AND a.deleted_at IS NULL AND a.review_requested = 0 \
               AND (n.user_id IS NULL OR n.user_id <> $1) \
            UNION ALL \
            SELECT a.id AS article_id, a.title, 'published' AS kind, NULL AS actor_name, '' AS body, a.publish_at AS at \
              FROM articles a \
             WHERE a.author_id = $1 AND a.status = 'published' AND a.publish_at >= $2 AND a.deleted_at IS NULL \
            ) AS notices ORDER BY at DESC, article_id DESC LIMIT $3";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(user_id).bind(since.as_second()).bind(limit)
            .fetch_all(p).await?))
    }
}
