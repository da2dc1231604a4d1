//! Articles' galleries: photos from the library in the editor's order. A change replaces the
//! whole list if it still is what the editor saw (so two people arranging one gallery never
//! silently undo each other), with the article's change-log entry in the same transaction.

use super::changes::log_article_update;
use super::media::Media;
use super::rows::{ARTICLE_COLUMNS, ArticleRow};
use super::{BeginWrite, Result, Store, StoreError, with_pool};
use crate::domain::{Article, Status};
use crate::storage::editorial::Written;
use jiff::Timestamp;

/// What came of a gallery write (besides the database failing).
#[derive(Debug)]
pub enum GalleryWrite {
    Done(Box<Written>),
    /// The gallery changed after the form was filled; what it holds now.
    Changed(Vec<i64>),
}

impl Store {
    /// The photo ids of an article's gallery, in order.
    pub async fn gallery_ids(&self, article_id: i64) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT media_id FROM gallery_photos WHERE article_id = $1 ORDER BY position";
        Ok(with_pool!(self, p => sqlx::query_scalar(SQL).bind(article_id).fetch_all(p).await?))
    }

    /// An article's gallery in order, each photo with the texts readers of `lang` see (that
    /// language's own, field by field, else the photo's own), in one query.
    pub async fn gallery(&self, article_id: i64, lang: &str) -> Result<Vec<Media>> {
        const SQL: &str = "SELECT m.id, m.file_key, m.original_name, m.mime, m.width, m.height, m.bytes, \
             COALESCE(NULLIF(t.alt, ''), m.alt) AS alt, COALESCE(NULLIF(t.caption, ''), m.caption) AS caption, \
             COALESCE(NULLIF(t.credit, ''), m.credit) AS credit, m.user_id, NULL AS uploader, m.created_at \
             FROM gallery_photos g JOIN media m ON m.id = g.media_id \
             LEFT JOIN media_texts t ON t.media_id = m.id AND t.lang = $2 \
             WHERE g.article_id = $1 ORDER BY g.position";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(article_id).bind(lang).fetch_all(p).await?))
    }

    /// Replaces article `id`'s gallery with `photos` (library ids, in order) if it still holds
    /// `expected`. Photos must exist (the caller checked; the foreign key makes sure).
    pub async fn set_gallery(
        &self,
        id: i64,
        expected: &[i64],
        photos: &[i64],
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<GalleryWrite> {
        let select = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1 AND deleted_at IS NULL");
        const CURRENT: &str = "SELECT media_id FROM gallery_photos WHERE article_id = $1 ORDER BY position";
        const INSERT: &str =
            "INSERT INTO gallery_photos (article_id, position, media_id) VALUES ($1, $2, $3)";
        let done = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            if sqlx::query(super::events::LOCK_ARTICLE).bind(id).execute(&mut *tx).await?.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let row: Option<ArticleRow> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            let article = Article::try_from(row.ok_or(StoreError::NotFound)?)?;
            let current: Vec<i64> = sqlx::query_scalar(CURRENT).bind(id).fetch_all(&mut *tx).await?;
            if current != expected {
                return Ok(GalleryWrite::Changed(current));
            }
            sqlx::query("DELETE FROM gallery_photos WHERE article_id = $1").bind(id).execute(&mut *tx).await?;
            for (position, media_id) in (1_i64..).zip(photos) {
                sqlx::query(INSERT).bind(id).bind(position).bind(*media_id).execute(&mut *tx).await?;
            }
            let public = article.status == Status::Published;
            let written = log_article_update!(tx, article, public, user_id, now);
            tx.commit().await?;
            GalleryWrite::Done(Box::new(written))
        });
        Ok(done)
    }
}
