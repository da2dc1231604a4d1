//! Autosaved editor forms: what a person typed in the editor and has not saved yet, kept so
//! that a reload, a crash or a refused save loses nothing.
//!
//! They live beside the article, never in it: writing one changes neither the article nor its
//! version, so an autosave cannot overwrite a newer save or trip another person's conflict
//! check. One per person and article (article 0 is a new article not yet created).

use super::{Result, Store, with_pool};
use jiff::Timestamp;

/// One autosaved form.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Autosave {
    /// The article version the form was loaded at.
    pub base_version: i64,
    /// The form's fields, as JSON.
    pub form: String,
    pub saved_at: i64,
}

impl Store {
    /// Keeps `form` as `user_id`'s unsaved text of `article_id`, replacing their previous one.
    pub async fn put_autosave(
        &self,
        user_id: i64,
        article_id: i64,
        base_version: i64,
        form: &str,
        now: Timestamp,
    ) -> Result<()> {
        const SQL: &str = "INSERT INTO autosaves (user_id, article_id, base_version, form, saved_at) \
                           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, article_id) DO UPDATE \
                           SET base_version = excluded.base_version, form = excluded.form, saved_at = excluded.saved_at";
        with_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(article_id).bind(base_version)
            .bind(form).bind(now.as_second()).execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// `user_id`'s unsaved text of `article_id`, if any.
    pub async fn autosave(&self, user_id: i64, article_id: i64) -> Result<Option<Autosave>> {
        const SQL: &str =
            "SELECT base_version, form, saved_at FROM autosaves WHERE user_id = $1 AND article_id = $2";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(user_id).bind(article_id).fetch_optional(p).await?))
    }

    /// Forgets `user_id`'s unsaved text of `article_id` (saved, or discarded).
    pub async fn delete_autosave(&self, user_id: i64, article_id: i64) -> Result<()> {
        const SQL: &str = "DELETE FROM autosaves WHERE user_id = $1 AND article_id = $2";
        with_pool!(self, p => sqlx::query(SQL).bind(user_id).bind(article_id).execute(p).await.map(|_| ())?);
        Ok(())
    }
}
