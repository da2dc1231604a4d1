//! The media library: one row per uploaded photo (its files live in `DATA/media`, named by
//! `file_key`; see [`crate::media`]), with the texts editors give it, and articles' lead images.

use super::BeginWrite;
use super::{Result, Store, StoreError, with_pool};
use jiff::Timestamp;

/// A photo in the library. `width` and `height` are the original's, as displayed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, sqlx::FromRow)]
pub struct Media {
    pub id: i64,
    /// The random key its files are named by (see [`crate::media::original_name`]).
    pub file_key: String,
    /// The name the file had on the uploader's computer: text to show, never a path.
    pub original_name: String,
    /// The original's sniffed type (`image/jpeg`, `image/png`, `image/webp`).
    pub mime: String,
    pub width: i64,
    pub height: i64,
    /// The original's size in bytes.
    pub bytes: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    pub user_id: Option<i64>,
    /// The uploader's name, when the account still exists.
    pub uploader: Option<String>,
    pub created_at: i64,
}

/// What an upload stores.
#[derive(Debug, Clone)]
pub struct NewMedia<'a> {
    pub file_key: &'a str,
    pub original_name: &'a str,
    pub mime: &'a str,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub alt: &'a str,
    pub caption: &'a str,
    pub credit: &'a str,
    /// Each variant's width and size in bytes, as [`crate::media::variant_bytes`] writes them.
    pub variant_bytes: &'a str,
}

/// A photo's texts in one language (see [`Store::media_in_language`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct MediaText {
    pub lang: String,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

/// What became of a change to a photo's texts (see [`Store::update_media_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEdit {
    Saved,
    /// Refused: someone else uploaded the photo.
    NotUploader,
    /// Refused: a published or scheduled article shows the photo.
    InUse,
}

/// Enough of a photo to link its files (lists and feeds; texts are not needed there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Each variant's size in bytes where the query carried them (feeds), else empty.
    pub variant_bytes: String,
    pub id: i64,
    pub file_key: String,
    pub width: i64,
    pub height: i64,
}

impl ImageRef {
    /// From the optional columns a summary query adds (`lead_image_id`, `_key`, `_width`,
    /// `_height`); `None` unless all are there.
    pub(crate) fn from_columns(
        id: Option<i64>,
        key: Option<String>,
        width: Option<i64>,
        height: Option<i64>,
    ) -> Option<ImageRef> {
        Some(ImageRef {
            id: id?,
            file_key: key?,
            width: width?,
            height: height?,
            variant_bytes: String::new(),
        })
    }
}

/// The columns that give a summary or feed row its lead image, for `SELECT … FROM articles`.
pub(crate) const LEAD_IMAGE_COLUMNS: &str = "lead_image_id, \
     (SELECT m.file_key FROM media m WHERE m.id = articles.lead_image_id) AS lead_image_key, \
     (SELECT m.width FROM media m WHERE m.id = articles.lead_image_id) AS lead_image_width, \
     (SELECT m.height FROM media m WHERE m.id = articles.lead_image_id) AS lead_image_height";

/// A row as shown: its client file name cleaned again, for rows stored before file names lost
/// their bidirectional and other invisible characters (see [`crate::media::clean_file_name`]).
fn shown(mut m: Media) -> Media {
    m.original_name = crate::media::clean_file_name(&m.original_name);
    m
}

const SELECT: &str = "SELECT m.id, m.file_key, m.original_name, m.mime, m.width, m.height, m.bytes, m.alt, \
     m.caption, m.credit, m.user_id, u.name AS uploader, m.created_at FROM media m \
     LEFT JOIN users u ON u.id = m.user_id";

impl Store {
    /// Every name the database gives a file in the media store: photos' keys (their originals
    /// and variants are named from them) and documents' files' names, for `media sweep`.
    pub async fn file_keys_in_use(&self) -> Result<(Vec<String>, Vec<String>)> {
        let (photos, documents) = with_pool!(self, p => {
            let photos: Vec<String> = sqlx::query_scalar("SELECT file_key FROM media").fetch_all(p).await?;
            let documents: Vec<String> =
                sqlx::query_scalar("SELECT file_key FROM document_files").fetch_all(p).await?;
            (photos, documents)
        });
        Ok((photos, documents))
    }

    /// Adds a photo to the library; returns its id.
    pub async fn create_media(&self, m: &NewMedia<'_>, user_id: Option<i64>, now: Timestamp) -> Result<i64> {
        const SQL: &str = "INSERT INTO media (file_key, original_name, mime, width, height, bytes, alt, caption, \
                           credit, user_id, created_at, variant_bytes) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
        let bytes = i64::try_from(m.bytes).map_err(|_| StoreError::Conflict("file too large".into()))?;
        let id: i64 = with_pool!(self, p => sqlx::query_scalar(SQL)
            .bind(m.file_key).bind(m.original_name).bind(m.mime)
            .bind(i64::from(m.width)).bind(i64::from(m.height)).bind(bytes)
            .bind(m.alt).bind(m.caption).bind(m.credit).bind(user_id).bind(now.as_second())
            .bind(m.variant_bytes)
            .fetch_one(p).await?);
        Ok(id)
    }

    pub async fn media_by_id(&self, id: i64) -> Result<Option<Media>> {
        let sql = format!("{SELECT} WHERE m.id = $1");
        let row: Option<Media> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        Ok(row.map(shown))
    }

    /// The earliest photo stored under this original file name (an import's photos are named
    /// so that a second run finds them instead of storing them again).
    pub async fn media_by_original_name(&self, name: &str) -> Result<Option<Media>> {
        let sql = format!("{SELECT} WHERE m.original_name = $1 ORDER BY m.id LIMIT 1");
        let row: Option<Media> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(name).fetch_optional(p).await?);
        Ok(row.map(shown))
    }

    /// The photo whose files are named by `key`.
    pub async fn media_by_key(&self, key: &str) -> Result<Option<Media>> {
        let sql = format!("{SELECT} WHERE m.file_key = $1");
        let row: Option<Media> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(key).fetch_optional(p).await?);
        Ok(row.map(shown))
    }

    /// A photo by its file key with its texts in `lang` (where that language has them), in one
    /// query: an article's text names its photos by file, and each costs one read.
    pub async fn media_by_key_in_language(&self, key: &str, lang: &str) -> Result<Option<Media>> {
        const SQL: &str = "SELECT m.id, m.file_key, m.original_name, m.mime, m.width, m.height, m.bytes, \
             COALESCE(NULLIF(t.alt, ''), m.alt) AS alt, COALESCE(NULLIF(t.caption, ''), m.caption) AS caption, \
             COALESCE(NULLIF(t.credit, ''), m.credit) AS credit, m.user_id, u.name AS uploader, m.created_at \
             FROM media m LEFT JOIN users u ON u.id = m.user_id \
             LEFT JOIN media_texts t ON t.media_id = m.id AND t.lang = $2 WHERE m.file_key = $1";
        let row: Option<Media> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(key).bind(lang).fetch_optional(p).await?);
        Ok(row.map(shown))
    }

    /// A page of the library, newest first, and how many photos it holds.
    pub async fn media_page(&self, limit: u32, offset: u64) -> Result<(Vec<Media>, i64)> {
        let sql = format!("{SELECT} ORDER BY m.id DESC LIMIT $1 OFFSET $2");
        const COUNT: &str = "SELECT COUNT(*) FROM media";
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let (rows, total): (Vec<Media>, i64) = with_pool!(self, p => {
            let rows = sqlx::query_as(&sql).bind(i64::from(limit)).bind(offset).fetch_all(p).await?;
            let total: i64 = sqlx::query_scalar(COUNT).fetch_one(p).await?;
            (rows, total)
        });
        Ok((rows.into_iter().map(shown).collect(), total))
    }

    /// Changes a photo's texts: its own (`lang` = `None`, the fallback every language without
    /// texts of its own shows) or those of one language. Every published article showing it
    /// as its lead photo is logged as changed, so the page caches of every node let go of the
    /// old texts. `NotFound` for an unknown id.
    ///
    /// With `only_uploader`, the change is made only if that user uploaded the photo and no
    /// published or scheduled article has it as its lead photo (the rule for authors), checked
    /// in the same statement as the change; otherwise nothing changes and the answer says why.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_media_text(
        &self,
        id: i64,
        lang: Option<&str>,
        alt: &str,
        caption: &str,
        credit: &str,
        only_uploader: Option<i64>,
        now: Timestamp,
    ) -> Result<TextEdit> {
        const UPLOADER: &str = "SELECT user_id FROM media WHERE id = $1";
        const CHANGES: &str = "INSERT INTO changes (article_id, kind, status_before, status_after, public, lang, \
                               section_id, at) SELECT id, 'photo', 'published', 'published', 1, lang, section_id, $2 \
                               FROM articles WHERE (lead_image_id = $1 OR id IN (SELECT article_id FROM \
                               gallery_photos WHERE media_id = $1)) AND status = 'published'";
        // Parameters: $1-$3 the texts, $4 the photo, then the language if one is given, then
        // the author's id if the author's rule applies.
        let author = if lang.is_some() { 6 } else { 5 };
        let rule = match only_uploader {
            // The condition every author's change meets: their own photo, shown by nothing public.
            Some(_) => format!(
                "AND m.user_id = ${author} AND NOT EXISTS (SELECT 1 FROM articles a \
                 WHERE (a.lead_image_id = $4 OR a.id IN (SELECT article_id FROM gallery_photos \
                 WHERE media_id = $4)) AND a.status IN ('published', 'scheduled'))"
            ),
            None => String::new(),
        };
        let sql = match lang {
            None => format!(
                "UPDATE media SET alt = $1, caption = $2, credit = $3 WHERE id = $4 AND EXISTS \
                 (SELECT 1 FROM media m WHERE m.id = $4 {rule})"
            ),
            // The SELECT's WHERE also keeps SQLite's parser from reading `ON CONFLICT` as part
            // of a join.
            Some(_) => format!(
                "INSERT INTO media_texts (media_id, lang, alt, caption, credit) \
                 SELECT m.id, $5, $1, $2, $3 FROM media m WHERE m.id = $4 {rule} \
                 ON CONFLICT (media_id, lang) DO UPDATE SET alt = excluded.alt, caption = excluded.caption, \
                 credit = excluded.credit"
            ),
        };
        let outcome = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let mut q = sqlx::query(&sql).bind(alt).bind(caption).bind(credit).bind(id);
            if let Some(lang) = lang {
                q = q.bind(lang);
            }
            if let Some(user) = only_uploader {
                q = q.bind(user);
            }
            let done = q.execute(&mut *tx).await?;
            if done.rows_affected() == 1 {
                sqlx::query(CHANGES).bind(id).bind(now.as_second()).execute(&mut *tx).await?;
                tx.commit().await?;
                TextEdit::Saved
            } else {
                let Some(user) = only_uploader else { return Err(StoreError::NotFound) };
                let uploader: Option<Option<i64>> =
                    sqlx::query_scalar(UPLOADER).bind(id).fetch_optional(&mut *tx).await?;
                match uploader {
                    None => return Err(StoreError::NotFound),
                    Some(by) if by != Some(user) => TextEdit::NotUploader,
                    Some(_) => TextEdit::InUse,
                }
            }
        });
        Ok(outcome)
    }

    /// The texts a photo has in each language of its own (not its fallback texts).
    pub async fn media_texts(&self, id: i64) -> Result<Vec<MediaText>> {
        const SQL: &str =
            "SELECT lang, alt, caption, credit FROM media_texts WHERE media_id = $1 ORDER BY lang";
        let rows: Vec<MediaText> = with_pool!(self, p => sqlx::query_as(SQL).bind(id).fetch_all(p).await?);
        Ok(rows)
    }

    /// The texts `lang` has of its own for some photos (a page of the library already read),
    /// by photo id.
    pub async fn media_texts_in(
        &self,
        lang: &str,
        ids: &[i64],
    ) -> Result<std::collections::HashMap<i64, MediaText>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let placeholders: Vec<String> = (2..=ids.len() + 1).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT media_id, lang, alt, caption, credit FROM media_texts WHERE lang = $1 AND media_id IN ({})",
            placeholders.join(", ")
        );
        let rows: Vec<(i64, String, String, String, String)> = with_pool!(self, p => {
            let mut q = sqlx::query_as(&sql).bind(lang);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, lang, alt, caption, credit)| (id, MediaText { lang, alt, caption, credit }))
            .collect())
    }

    /// A photo with the texts readers of `lang` see: that language's own, field by field,
    /// falling back to the photo's own texts where it has none.
    pub async fn media_in_language(&self, mut m: Media, lang: &str) -> Result<Media> {
        const SQL: &str =
            "SELECT lang, alt, caption, credit FROM media_texts WHERE media_id = $1 AND lang = $2";
        let row: Option<MediaText> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(m.id).bind(lang).fetch_optional(p).await?);
        if let Some(t) = row {
            for (own, theirs) in [(&mut m.alt, t.alt), (&mut m.caption, t.caption), (&mut m.credit, t.credit)]
            {
                if !theirs.is_empty() {
                    *own = theirs;
                }
            }
        }
        Ok(m)
    }

    /// The lead image of an article, if it has one.
    pub async fn lead_image(&self, article_id: i64) -> Result<Option<Media>> {
        let sql = format!("{SELECT} JOIN articles a ON a.lead_image_id = m.id WHERE a.id = $1");
        let row: Option<Media> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(article_id).fetch_optional(p).await?);
        Ok(row.map(shown))
    }

    /// The id of an article's lead image.
    pub async fn lead_image_id(&self, article_id: i64) -> Result<Option<i64>> {
        const SQL: &str = "SELECT lead_image_id FROM articles WHERE id = $1";
        let id: Option<Option<i64>> =
            with_pool!(self, p => sqlx::query_scalar(SQL).bind(article_id).fetch_optional(p).await?);
        Ok(id.flatten())
    }
}
