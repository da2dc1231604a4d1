//! Corrections: public notes about edits of published articles. Readers see them under the
//! article, on the language's corrections page and in its feed; a press office's credibility
//! depends on saying openly what it changed.

use super::{Result, Store, with_pool};

/// The longest correction note, in characters: a sentence or two, not a second article.
pub const MAX_NOTE: usize = 1000;

/// One correction of one article.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Correction {
    pub id: i64,
    pub article_id: i64,
    /// The article's version the correction produced.
    pub version: i64,
    pub at: i64,
    pub note: String,
}

/// A correction with what the corrections page and feed need of its article.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ListedCorrection {
    pub id: i64,
    pub article_id: i64,
    pub at: i64,
    pub note: String,
    pub title: String,
    pub slug: String,
    pub section_id: i64,
    pub created_at: i64,
}

/// Writes a correction inside a transaction the caller holds.
macro_rules! insert_correction {
    ($tx:expr, $article:expr, $lang:expr, $version:expr, $user:expr, $now:expr, $note:expr) => {
        sqlx::query(
            "INSERT INTO corrections (article_id, lang, version, user_id, at, note) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($article)
        .bind($lang)
        .bind($version)
        .bind($user)
        .bind($now)
        .bind($note)
        .execute(&mut *$tx)
    };
}
pub(crate) use insert_correction;

impl Store {
    /// An article's corrections, oldest first, as its page lists them.
    pub async fn corrections_of(&self, article_id: i64) -> Result<Vec<Correction>> {
        const SQL: &str = "SELECT id, article_id, version, at, note FROM corrections WHERE article_id = $1 \
                           ORDER BY at, id";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(article_id).fetch_all(p).await?))
    }

    /// The newest corrections of a language's published articles, newest first.
    pub async fn recent_corrections(&self, lang: &str, limit: u32) -> Result<Vec<ListedCorrection>> {
        const SQL: &str = "SELECT c.id, c.article_id, c.at, c.note, a.title, a.slug, a.section_id, a.created_at \
             FROM corrections c JOIN articles a ON a.id = c.article_id \
             WHERE c.lang = $1 AND a.lang = $1 AND a.status = 'published' AND a.deleted_at IS NULL \
             ORDER BY c.at DESC, c.id DESC LIMIT $2";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(lang).bind(i64::from(limit)).fetch_all(p).await?))
    }
}
