//! Editorial writes from the back office: creating and saving articles under optimistic
//! concurrency (a save names the version it started from), status changes, revisions, the
//! trash. Every save is one transaction: the article row, a whole revision, a change-log entry
//! and, for publications and deletions, an audit entry.

use super::BeginWrite;
use super::changes::LOG_CHANGE;
use super::rows::{ARTICLE_COLUMNS, ArticleRow, timestamp};
use super::{Result, Store, StoreError, with_pool};
use crate::domain::change::is_public;
use crate::domain::{Article, ChangeKind, Lang, Status, slug};
use jiff::Timestamp;

/// The fields an editor changes.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleEdit {
    pub lang: Lang,
    pub section_id: i64,
    pub title: String,
    /// Keep the current slug when `None` (URLs stay stable when a title is corrected).
    pub slug: Option<String>,
    pub lead: String,
    /// Sanitized HTML.
    pub body_html: String,
    pub status: Status,
    pub publish_at: Timestamp,
    pub review_requested: bool,
    pub lead_image_id: Option<i64>,
    /// Normalized tag names ([`crate::domain::tag::normalize`]).
    pub tags: Vec<String>,
    /// Who the article is credited to, in order, normalized like tags.
    pub bylines: Vec<String>,
    /// When it takes itself off the site again; after `publish_at`.
    pub expires_at: Option<Timestamp>,
}

/// One language version of a story, for telling whether it is behind its source.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TranslationVersion {
    pub id: i64,
    pub lang: String,
    pub status: String,
    pub updated_at: i64,
    /// The article it was translated from, if it was made as a translation here.
    pub source_id: Option<i64>,
    /// When its title, lead or body last changed.
    pub text_changed_at: i64,
}

impl TranslationVersion {
    /// Outdated: the source's text changed after this translation was last saved.
    pub fn is_outdated(&self, versions: &[TranslationVersion]) -> bool {
        self.source_id
            .and_then(|source| versions.iter().find(|v| v.id == source))
            .is_some_and(|source| source.text_changed_at > self.updated_at)
    }
}

/// A save could not be applied because someone saved in between.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The version the editor started from.
    pub base_version: i64,
    /// The version now stored.
    pub current: Box<Article>,
}

/// What a save did or why it did not.
#[derive(Debug)]
pub enum SaveResult {
    Saved(Box<Written>),
    Conflict(Conflict),
}

/// Who writes and what the history and the audit log should say about it.
#[derive(Debug, Clone, Copy)]
pub struct WriteContext<'a> {
    /// `None` for the system (the scheduler).
    pub user_id: Option<i64>,
    /// The client's address, for the audit log.
    pub address: &'a str,
    /// The revision's note ("saved", "published", "restored version 3", …).
    pub note: &'a str,
    /// An audit action to log even when the status does not change (restoring a revision).
    pub audit: Option<&'a str>,
    /// A note for the article's review thread, written in the same transaction (why a draft
    /// was sent back): `(kind, text)`.
    pub comment: Option<(&'a str, &'a str)>,
    /// A public correction note for this edit of a published article, written in the same
    /// transaction (the newsroom checks that the article is and stays published).
    pub correction: Option<&'a str>,
    /// Translations `(id, version)` to publish or schedule with this save, at its moment and in
    /// its transaction (both languages released together); none may be published already.
    pub release: &'a [(i64, i64)],
    pub now: Timestamp,
}

/// What a committed write did, for whatever follows it (read models, caches, webhooks): the
/// article before and after (`None` where it did not exist or was in the trash), the change
/// logged, and whether readers can see a difference.
#[derive(Debug, Clone)]
pub struct Written {
    pub change_id: i64,
    pub kind: ChangeKind,
    pub public: bool,
    pub before: Option<Article>,
    pub after: Option<Article>,
    /// Translations released in the same transaction (published or scheduled with it).
    pub released: Vec<Written>,
}

impl Written {
    /// The article as it is now, or as it was for a removal.
    pub fn article(&self) -> Option<&Article> {
        self.after.as_ref().or(self.before.as_ref())
    }
}

/// An article row for the back-office list.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct EditorialRow {
    pub id: i64,
    pub lang: String,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub publish_at: i64,
    pub updated_at: i64,
    pub author_id: Option<i64>,
    pub author: Option<String>,
    pub review_requested: i64,
    pub translation_key: String,
    pub version: i64,
}

/// Filters of the back-office article list.
#[derive(Debug, Clone, Default)]
pub struct EditorialFilter {
    pub lang: Option<String>,
    pub section_id: Option<i64>,
    pub status: Option<String>,
    pub author_id: Option<i64>,
    /// Matched against titles (case-insensitive substring).
    pub text: Option<String>,
    /// Show the trash instead of live articles.
    pub trash: bool,
    /// Only drafts whose author asked for review.
    pub review_only: bool,
    pub order: EditorialOrder,
}

/// How an editorial list is sorted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EditorialOrder {
    /// Last edited first (the back office's article list).
    #[default]
    Edited,
    /// By publication time, newest first ("recently published").
    PublishedNewest,
    /// By publication time, soonest first ("scheduled").
    PublishedSoonest,
}

#[derive(sqlx::FromRow)]
struct TrashRow {
    #[sqlx(flatten)]
    article: ArticleRow,
    deleted_at: Option<i64>,
}

/// A revision's metadata.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct RevisionMeta {
    pub id: i64,
    pub version: i64,
    pub at: i64,
    pub author: Option<String>,
    pub note: String,
    pub status: String,
    pub title: String,
}

/// A whole revision.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Revision {
    pub id: i64,
    pub article_id: i64,
    pub version: i64,
    pub at: i64,
    pub note: String,
    pub title: String,
    pub lead: String,
    pub body_html: String,
    pub slug: String,
    pub section_id: i64,
    pub status: String,
    pub publish_at: i64,
    /// Tag names, a JSON array.
    pub tags: String,
    /// Bylines, a JSON array.
    pub bylines: String,
}

impl Revision {
    /// The revision's tag names (none when they cannot be read).
    pub fn tag_names(&self) -> Vec<String> {
        super::rows::tag_names(&self.tags, "revision").unwrap_or_default()
    }

    /// The revision's bylines (none when they cannot be read).
    pub fn byline_names(&self) -> Vec<String> {
        super::rows::tag_names(&self.bylines, "revision").unwrap_or_default()
    }
}

/// Published-per-month counts for the dashboard chart.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MonthCount {
    pub lang: String,
    pub publish_at: i64,
}

const REVISION: &str = "INSERT INTO revisions (article_id, version, user_id, at, note, title, lead, body_html, \
     slug, section_id, status, publish_at, lead_image_id, tags, bylines) SELECT id, version, $2, $3, $4, title, lead, \
     body_html, slug, section_id, status, publish_at, lead_image_id, tags, bylines FROM articles WHERE id = $1";
const AUDIT: &str =
    "INSERT INTO audit_log (at, user_id, action, target, detail, address) VALUES ($1, $2, $3, $4, $5, $6)";

impl Store {
    /// Makes an article its language's lead story on the home page (`pinned`), or no longer
    /// (`!pinned`): one lead per language, so pinning one unpins the others. Logged as a public
    /// update of the article, which sends its home page and every node's copy of it afresh.
    pub async fn pin_article(
        &self,
        id: i64,
        pinned: bool,
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<Written> {
        let select = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1 AND deleted_at IS NULL");
        let written: Written = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: Option<ArticleRow> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            let article = Article::try_from(row.ok_or(StoreError::NotFound)?)?;
            if pinned {
                sqlx::query("UPDATE articles SET pinned_at = NULL WHERE lang = $1 AND pinned_at IS NOT NULL")
                    .bind(article.lang.as_str()).execute(&mut *tx).await?;
            }
            sqlx::query("UPDATE articles SET pinned_at = $1 WHERE id = $2")
                .bind(pinned.then_some(now.as_second())).bind(id).execute(&mut *tx).await?;
            let written = super::changes::log_article_update!(tx, article, true, user_id, now);
            tx.commit().await?;
            written
        });
        Ok(written)
    }

    /// The language's pinned lead story, if it is published.
    pub async fn pinned_article(&self, lang: &Lang) -> Result<Option<i64>> {
        const SQL: &str = "SELECT id FROM articles WHERE lang = $1 AND pinned_at IS NOT NULL \
                           AND status = 'published' AND deleted_at IS NULL ORDER BY pinned_at DESC LIMIT 1";
        Ok(with_pool!(self, p => sqlx::query_scalar(SQL).bind(lang.as_str()).fetch_optional(p).await?))
    }

    /// Creates an article; the slug comes from the title (with a numeric suffix if taken)
    /// unless given. One transaction: the row, its first revision, the change-log entry and,
    /// for a publication, the audit entry.
    pub async fn create_article(
        &self,
        edit: &ArticleEdit,
        translation: Option<(&str, i64)>,
        ctx: WriteContext<'_>,
    ) -> Result<Written> {
        let now = ctx.now;
        let base = edit.slug.clone().unwrap_or_else(|| slug::slugify(&edit.title));
        let base = if base.is_empty() { "article".to_string() } else { base };
        let status = edit.status.normalized(edit.publish_at, now);
        let kind = ChangeKind::of_transition(None, Some(status), false);
        let public = is_public(None, Some(status));
        let select = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1");
        let written: Written = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let section: Option<i64> = sqlx::query_scalar("SELECT id FROM sections WHERE id = $1")
                .bind(edit.section_id).fetch_optional(&mut *tx).await?;
            if section.is_none() {
                return Err(StoreError::NoSuchSection(edit.section_id));
            }
            let mut candidate = base.clone();
            for n in 2.. {
                let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM articles WHERE lang = $1 AND slug = $2")
                    .bind(edit.lang.as_str()).bind(&candidate).fetch_optional(&mut *tx).await?;
                if taken.is_none() {
                    break;
                }
                candidate = format!("{base}-{n}");
            }
            let external_id = format!("nd-{}-{}", now.as_millisecond(), crate::accounts::new_token().get(..8).unwrap_or("x"));
            let key = translation.map(|(key, _)| key.to_string()).unwrap_or_else(|| external_id.clone());
            let id: i64 = sqlx::query_scalar("INSERT INTO articles (external_id, translation_key, lang, section_id, \
                 slug, title, lead, body_html, status, publish_at, created_at, updated_at, author_id, \
                 review_requested, lead_image_id, expires_at, source_id, text_changed_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16, $11) RETURNING id")
                .bind(&external_id).bind(&key).bind(edit.lang.as_str()).bind(edit.section_id).bind(&candidate)
                .bind(&edit.title).bind(&edit.lead).bind(&edit.body_html).bind(status.as_str()).bind(edit.publish_at.as_second())
                .bind(now.as_second()).bind(ctx.user_id).bind(i64::from(edit.review_requested)).bind(edit.lead_image_id)
                .bind(edit.expires_at.map(|t| t.as_second())).bind(translation.map(|(_, source)| source))
                .fetch_one(&mut *tx).await?;
            super::tags::set_tags!(tx, id, edit.lang.as_str(), &edit.tags).await?;
            super::tags::set_labels!(tx, super::tags::BYLINES, id, edit.lang.as_str(), &edit.bylines).await?;
            sqlx::query(REVISION).bind(id).bind(ctx.user_id).bind(now.as_second()).bind(ctx.note)
                .execute(&mut *tx).await?;
            let change_id: i64 = sqlx::query_scalar(&format!("{LOG_CHANGE} RETURNING id"))
                .bind(id).bind(kind.as_str()).bind(None::<&str>).bind(status.as_str()).bind(i64::from(public))
                .bind(ctx.user_id).bind(edit.lang.as_str()).bind(edit.section_id).bind(now.as_second())
                .fetch_one(&mut *tx).await?;
            if status != Status::Draft || ctx.audit.is_some() {
                let action = ctx.audit.unwrap_or(if status == Status::Published { "article.publish" } else { "article.schedule" });
                sqlx::query(AUDIT).bind(now.as_second()).bind(ctx.user_id).bind(action)
                    .bind(format!("article {id}")).bind(&edit.title).bind(ctx.address)
                    .execute(&mut *tx).await?;
            }
            let row: ArticleRow = sqlx::query_as(&select).bind(id).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Written { change_id, kind, public, before: None, after: Some(Article::try_from(row)?), released: Vec::new() }
        });
        Ok(written)
    }

    /// Saves an edit if the article is still at `base_version`; otherwise reports the conflict
    /// and changes nothing. The change is logged with what it did (published, unpublished,
    /// scheduled or updated) and whether it is public; status changes are audited.
    pub async fn save_article(
        &self,
        id: i64,
        base_version: i64,
        edit: &ArticleEdit,
        ctx: WriteContext<'_>,
    ) -> Result<SaveResult> {
        let now = ctx.now;
        let status = edit.status.normalized(edit.publish_at, now);
        let select = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1 AND deleted_at IS NULL");
        let result: SaveResult = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let current: Option<ArticleRow> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            let current = Article::try_from(current.ok_or(StoreError::NotFound)?)?;
            if current.version != base_version {
                tx.rollback().await?;
                return Ok(SaveResult::Conflict(Conflict { base_version, current: Box::new(current) }));
            }
            let new_slug = edit.slug.clone().unwrap_or_else(|| current.slug.clone());
            if new_slug != current.slug || edit.lang != current.lang {
                let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM articles WHERE lang = $1 AND slug = $2 AND id <> $3")
                    .bind(edit.lang.as_str()).bind(&new_slug).bind(id).fetch_optional(&mut *tx).await?;
                if taken.is_some() {
                    return Err(StoreError::SlugTaken(new_slug));
                }
                sqlx::query("INSERT INTO slug_redirects (lang, slug, article_id) VALUES ($1, $2, $3) \
                     ON CONFLICT (lang, slug) DO UPDATE SET article_id = excluded.article_id")
                    .bind(current.lang.as_str()).bind(&current.slug).bind(id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM slug_redirects WHERE lang = $1 AND slug = $2")
                    .bind(edit.lang.as_str()).bind(&new_slug).execute(&mut *tx).await?;
            }
            let section: Option<i64> = sqlx::query_scalar("SELECT id FROM sections WHERE id = $1")
                .bind(edit.section_id).fetch_optional(&mut *tx).await?;
            if section.is_none() {
                return Err(StoreError::NoSuchSection(edit.section_id));
            }
            sqlx::query(super::articles::ENSURE_REVISION).bind(id).execute(&mut *tx).await?;
            let updated = sqlx::query("UPDATE articles SET lang = $1, section_id = $2, slug = $3, title = $4, lead = $5, \
                 body_html = $6, status = $7, publish_at = $8, review_requested = $9, lead_image_id = $10, \
                 updated_at = $11, expires_at = $14, version = version + 1, text_changed_at = CASE \
                 WHEN title <> $4 OR lead <> $5 OR body_html <> $6 THEN $11 ELSE text_changed_at END \
                 WHERE id = $12 AND version = $13")
                .bind(edit.lang.as_str()).bind(edit.section_id).bind(&new_slug).bind(&edit.title).bind(&edit.lead)
                .bind(&edit.body_html).bind(status.as_str()).bind(edit.publish_at.as_second())
                .bind(i64::from(edit.review_requested)).bind(edit.lead_image_id).bind(now.as_second())
                .bind(id).bind(base_version).bind(edit.expires_at.map(|t| t.as_second()))
                .execute(&mut *tx).await?;
            if updated.rows_affected() != 1 {
                return Err(StoreError::Conflict("the article changed while saving; try again".into()));
            }
            if edit.tags != current.tags || edit.lang != current.lang {
                super::tags::set_tags!(tx, id, edit.lang.as_str(), &edit.tags).await?;
            }
            if edit.bylines != current.bylines || edit.lang != current.lang {
                super::tags::set_labels!(tx, super::tags::BYLINES, id, edit.lang.as_str(), &edit.bylines).await?;
            }
            sqlx::query(REVISION).bind(id).bind(ctx.user_id).bind(now.as_second()).bind(ctx.note).execute(&mut *tx).await?;
            let kind = ChangeKind::of_transition(Some(current.status), Some(status), false);
            let public = is_public(Some(current.status), Some(status));
            let change_id: i64 = sqlx::query_scalar(&format!("{LOG_CHANGE} RETURNING id"))
                .bind(id).bind(kind.as_str()).bind(current.status.as_str()).bind(status.as_str()).bind(i64::from(public))
                .bind(ctx.user_id).bind(edit.lang.as_str()).bind(edit.section_id).bind(now.as_second())
                .fetch_one(&mut *tx).await?;
            let action = match kind {
                ChangeKind::Published => Some("article.publish"),
                ChangeKind::Unpublished => Some("article.unpublish"),
                ChangeKind::Scheduled => Some("article.schedule"),
                _ => None,
            };
            if let Some(action) = ctx.audit.or(action) {
                sqlx::query(AUDIT).bind(now.as_second()).bind(ctx.user_id).bind(action)
                    .bind(format!("article {id}")).bind(&edit.title).bind(ctx.address)
                    .execute(&mut *tx).await?;
            }
            if let Some((note_kind, text)) = ctx.comment {
                super::notes::insert_note!(tx, id, ctx.user_id, note_kind, text, now.as_second()).await?;
            }
            let mut released = Vec::with_capacity(ctx.release.len());
            for &(other, other_version) in ctx.release {
                let row: Option<ArticleRow> = sqlx::query_as(&select).bind(other).fetch_optional(&mut *tx).await?;
                let Some(before) = row.map(Article::try_from).transpose()? else {
                    return Err(StoreError::Conflict("a translation was deleted meanwhile; reload and try again".into()));
                };
                sqlx::query(super::articles::ENSURE_REVISION).bind(other).execute(&mut *tx).await?;
                let moved = sqlx::query("UPDATE articles SET status = $1, publish_at = $2, review_requested = 0, \
                     updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5 AND deleted_at IS NULL \
                     AND status <> 'published'")
                    .bind(status.as_str()).bind(edit.publish_at.as_second()).bind(now.as_second())
                    .bind(other).bind(other_version)
                    .execute(&mut *tx).await?;
                if moved.rows_affected() != 1 {
                    return Err(StoreError::Conflict(
                        "a translation changed while releasing it; reload and try again".into(),
                    ));
                }
                sqlx::query(REVISION).bind(other).bind(ctx.user_id).bind(now.as_second()).bind("released with its translation")
                    .execute(&mut *tx).await?;
                let other_kind = ChangeKind::of_transition(Some(before.status), Some(status), false);
                let other_public = is_public(Some(before.status), Some(status));
                let other_change: i64 = sqlx::query_scalar(&format!("{LOG_CHANGE} RETURNING id"))
                    .bind(other).bind(other_kind.as_str()).bind(before.status.as_str()).bind(status.as_str())
                    .bind(i64::from(other_public)).bind(ctx.user_id).bind(before.lang.as_str()).bind(before.section_id)
                    .bind(now.as_second())
                    .fetch_one(&mut *tx).await?;
                let audit = if status == Status::Published { "article.publish" } else { "article.schedule" };
                sqlx::query(AUDIT).bind(now.as_second()).bind(ctx.user_id).bind(audit)
                    .bind(format!("article {other}")).bind(&before.title).bind(ctx.address)
                    .execute(&mut *tx).await?;
                let row: ArticleRow = sqlx::query_as(&select).bind(other).fetch_one(&mut *tx).await?;
                released.push(Written {
                    change_id: other_change, kind: other_kind, public: other_public,
                    before: Some(before), after: Some(Article::try_from(row)?), released: Vec::new(),
                });
            }
            if let Some(note) = ctx.correction {
                super::corrections::insert_correction!(
                    tx, id, edit.lang.as_str(), base_version + 1, ctx.user_id, now.as_second(), note
                ).await?;
            }
            let row: ArticleRow = sqlx::query_as(&select).bind(id).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            let after = Article::try_from(row)?;
            SaveResult::Saved(Box::new(Written { change_id, kind, public, before: Some(current), after: Some(after), released }))
        });
        Ok(result)
    }

    /// Moves an article to the trash (off the public site, as a draft) or restores it from
    /// there as a draft, if it is still at `base_version`.
    pub async fn set_trashed(
        &self,
        id: i64,
        base_version: i64,
        trashed: bool,
        ctx: WriteContext<'_>,
    ) -> Result<SaveResult> {
        const TRASH: &str = "UPDATE articles SET deleted_at = $1, status = 'draft', version = version + 1, \
                             updated_at = $1 WHERE id = $2 AND deleted_at IS NULL AND version = $3";
        const RESTORE: &str = "UPDATE articles SET deleted_at = NULL, version = version + 1, updated_at = $1 \
                               WHERE id = $2 AND deleted_at IS NOT NULL AND version = $3";
        let now = ctx.now;
        let (sql, action, kind) = if trashed {
            (TRASH, "article.delete", ChangeKind::Trashed)
        } else {
            (RESTORE, "article.restore", ChangeKind::Restored)
        };
        let select = format!("SELECT {ARTICLE_COLUMNS}, deleted_at FROM articles WHERE id = $1");
        let result: SaveResult = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let row: Option<TrashRow> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            let Some(row) = row else { return Err(StoreError::NotFound) };
            let in_trash = row.deleted_at.is_some();
            let current = Article::try_from(row.article)?;
            if in_trash == trashed {
                // Already where it was asked to go.
                return Err(StoreError::NotFound);
            }
            if current.version != base_version {
                tx.rollback().await?;
                return Ok(SaveResult::Conflict(Conflict { base_version, current: Box::new(current) }));
            }
            sqlx::query(super::articles::ENSURE_REVISION).bind(id).execute(&mut *tx).await?;
            sqlx::query(sql).bind(now.as_second()).bind(id).bind(base_version).execute(&mut *tx).await?;
            sqlx::query(REVISION).bind(id).bind(ctx.user_id).bind(now.as_second()).bind(ctx.note).execute(&mut *tx).await?;
            let (before, after) = if trashed { (Some(current.status), None) } else { (None, Some(Status::Draft)) };
            let public = is_public(before, after);
            let change_id: i64 = sqlx::query_scalar(&format!("{LOG_CHANGE} RETURNING id"))
                .bind(id).bind(kind.as_str()).bind(before.map(Status::as_str)).bind(after.map(Status::as_str))
                .bind(i64::from(public)).bind(ctx.user_id).bind(current.lang.as_str()).bind(current.section_id)
                .bind(now.as_second())
                .fetch_one(&mut *tx).await?;
            sqlx::query(AUDIT).bind(now.as_second()).bind(ctx.user_id).bind(action).bind(format!("article {id}"))
                .bind(&current.title).bind(ctx.address).execute(&mut *tx).await?;
            let row: ArticleRow = sqlx::query_as(&format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1"))
                .bind(id).fetch_one(&mut *tx).await?;
            tx.commit().await?;
            let now_row = Article::try_from(row)?;
            let written = if trashed {
                Written { change_id, kind, public, before: Some(current), after: None, released: Vec::new() }
            } else {
                Written { change_id, kind, public, before: None, after: Some(now_row), released: Vec::new() }
            };
            SaveResult::Saved(Box::new(written))
        });
        Ok(result)
    }

    /// Whether an article is in the trash, and who wrote it.
    pub async fn article_meta(&self, id: i64) -> Result<Option<(bool, Option<i64>, bool)>> {
        const SQL: &str = "SELECT deleted_at, author_id, review_requested FROM articles WHERE id = $1";
        let row: Option<(Option<i64>, Option<i64>, i64)> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(id).fetch_optional(p).await?);
        Ok(row.map(|(deleted, author, review)| (deleted.is_some(), author, review != 0)))
    }

    /// The back-office list: any status, filtered, newest change first.
    pub async fn editorial_list(
        &self,
        f: &EditorialFilter,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<EditorialRow>, i64)> {
        let mut cond = vec![if f.trash {
            "a.deleted_at IS NOT NULL".to_string()
        } else {
            "a.deleted_at IS NULL".to_string()
        }];
        let mut texts: Vec<String> = Vec::new();
        let mut ints: Vec<i64> = Vec::new();
        // Text parameters first ($1..), then integers; the numbering is built as we go.
        if let Some(l) = &f.lang {
            texts.push(l.clone());
            cond.push(format!("a.lang = $T{}", texts.len()));
        }
        if let Some(s) = &f.status {
            texts.push(s.clone());
            cond.push(format!("a.status = $T{}", texts.len()));
        }
        if let Some(t) = &f.text {
            texts.push(format!("%{}%", t.to_lowercase().replace(['%', '_'], "")));
            cond.push(format!("LOWER(a.title) LIKE $T{}", texts.len()));
        }
        if let Some(s) = f.section_id {
            ints.push(s);
            cond.push(format!("a.section_id = $I{}", ints.len()));
        }
        if let Some(a) = f.author_id {
            ints.push(a);
            cond.push(format!("a.author_id = $I{}", ints.len()));
        }
        if f.review_only {
            cond.push("a.review_requested = 1".to_string());
        }
        let mut where_sql = cond.join(" AND ");
        for i in (1..=ints.len()).rev() {
            where_sql = where_sql.replace(&format!("$I{i}"), &format!("${}", texts.len() + i));
        }
        for i in (1..=texts.len()).rev() {
            where_sql = where_sql.replace(&format!("$T{i}"), &format!("${i}"));
        }
        let n = texts.len() + ints.len();
        let sql = format!(
            "SELECT a.id, a.lang, a.section_id, a.slug, a.title, a.status, a.publish_at, a.updated_at, a.author_id, \
             u.name AS author, a.review_requested, a.translation_key, a.version \
             FROM articles a LEFT JOIN users u ON u.id = a.author_id WHERE {where_sql} \
             ORDER BY {} LIMIT ${} OFFSET ${}",
            match f.order {
                EditorialOrder::Edited => "a.updated_at DESC, a.id DESC",
                EditorialOrder::PublishedNewest => "a.publish_at DESC, a.id DESC",
                EditorialOrder::PublishedSoonest => "a.publish_at ASC, a.id ASC",
            },
            n + 1,
            n + 2
        );
        let count_sql = format!("SELECT COUNT(*) FROM articles a WHERE {where_sql}");
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let (rows, total): (Vec<EditorialRow>, i64) = with_pool!(self, p => {
            let mut q = sqlx::query_as(&sql);
            let mut c = sqlx::query_scalar(&count_sql);
            for t in &texts {
                q = q.bind(t);
                c = c.bind(t);
            }
            for i in &ints {
                q = q.bind(*i);
                c = c.bind(*i);
            }
            let rows = q.bind(i64::from(limit)).bind(offset).fetch_all(p).await?;
            let total: i64 = c.fetch_one(p).await?;
            (rows, total)
        });
        Ok((rows, total))
    }

    /// Every language version of a story (not in the trash), with what tells whether one is
    /// behind the one it was translated from.
    pub async fn translation_versions(&self, key: &str) -> Result<Vec<TranslationVersion>> {
        const SQL: &str = "SELECT id, lang, status, updated_at, source_id, \
                           COALESCE(text_changed_at, created_at) AS text_changed_at FROM articles \
                           WHERE translation_key = $1 AND deleted_at IS NULL ORDER BY lang";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(key).fetch_all(p).await?))
    }

    /// [`Store::translation_versions`] of several stories at once, by translation key: one
    /// query for a whole list page instead of one per row.
    pub async fn translation_versions_of(
        &self,
        keys: &[&str],
    ) -> Result<std::collections::HashMap<String, Vec<TranslationVersion>>> {
        #[derive(sqlx::FromRow)]
        struct Keyed {
            translation_key: String,
            #[sqlx(flatten)]
            version: TranslationVersion,
        }
        let mut keys: Vec<&str> = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut out = std::collections::HashMap::new();
        if keys.is_empty() {
            return Ok(out);
        }
        let placeholders: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT translation_key, id, lang, status, updated_at, source_id, \
             COALESCE(text_changed_at, created_at) AS text_changed_at FROM articles \
             WHERE translation_key IN ({}) AND deleted_at IS NULL ORDER BY lang",
            placeholders.join(", ")
        );
        let rows: Vec<Keyed> = with_pool!(self, p => {
            let mut q = sqlx::query_as(&sql);
            for key in &keys {
                q = q.bind(*key);
            }
            q.fetch_all(p).await?
        });
        for row in rows {
            out.entry(row.translation_key).or_insert_with(Vec::new).push(row.version);
        }
        Ok(out)
    }

    /// The revision of an article that was current at `at` (the newest one saved by then).
    pub async fn revision_as_of(&self, article_id: i64, at: Timestamp) -> Result<Option<Revision>> {
        const SQL: &str = "SELECT id, article_id, version, at, note, title, lead, body_html, slug, section_id, \
                           status, publish_at, tags, bylines FROM revisions WHERE article_id = $1 AND at <= $2 \
                           ORDER BY at DESC, id DESC LIMIT 1";
        Ok(
            with_pool!(self, p => sqlx::query_as(SQL).bind(article_id).bind(at.as_second()).fetch_optional(p).await?),
        )
    }

    pub async fn revisions(&self, article_id: i64) -> Result<Vec<RevisionMeta>> {
        const SQL: &str = "SELECT r.id, r.version, r.at, u.name AS author, r.note, r.status, r.title \
                           FROM revisions r LEFT JOIN users u ON u.id = r.user_id \
                           WHERE r.article_id = $1 ORDER BY r.id DESC";
        let rows: Vec<RevisionMeta> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(article_id).fetch_all(p).await?);
        Ok(rows)
    }

    /// A revision by id, or by article and version.
    pub async fn revision(
        &self,
        article_id: i64,
        id: Option<i64>,
        version: Option<i64>,
    ) -> Result<Option<Revision>> {
        const BY_ID: &str = "SELECT id, article_id, version, at, note, title, lead, body_html, slug, section_id, status, \
                             publish_at, tags, bylines FROM revisions WHERE article_id = $1 AND id = $2";
        const BY_VERSION: &str = "SELECT id, article_id, version, at, note, title, lead, body_html, slug, section_id, \
                                  status, publish_at, tags, bylines FROM revisions WHERE article_id = $1 AND version = $2 \
                                  ORDER BY id DESC LIMIT 1";
        let (sql, key) = match (id, version) {
            (Some(id), _) => (BY_ID, id),
            (None, Some(v)) => (BY_VERSION, v),
            (None, None) => return Ok(None),
        };
        let row: Option<Revision> =
            with_pool!(self, p => sqlx::query_as(sql).bind(article_id).bind(key).fetch_optional(p).await?);
        Ok(row)
    }

    /// Publication times of published articles since a time, for the dashboard chart.
    pub async fn published_since(&self, since: Timestamp) -> Result<Vec<MonthCount>> {
        const SQL: &str =
            "SELECT lang, publish_at FROM articles WHERE status = 'published' AND publish_at >= $1";
        let rows: Vec<(String, i64)> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(since.as_second()).fetch_all(p).await?);
        Ok(rows.into_iter().map(|(lang, publish_at)| MonthCount { lang, publish_at }).collect())
    }
}

/// Seconds to a timestamp, for views.
pub fn at(seconds: i64) -> Timestamp {
    timestamp(seconds, "at").unwrap_or(Timestamp::UNIX_EPOCH)
}
