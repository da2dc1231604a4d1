//! Events announced by articles: one per article, with its times, place and, once it has
//! happened, the article reporting on it. Written with the article's change-log entry, so the
//! announcement's page, its language's calendar and its iCalendar feed follow on every node.

use super::changes::log_article_update;
use super::rows::{ARTICLE_COLUMNS, ArticleRow};
use super::{BeginWrite, Result, Store, StoreError, with_pool};
use crate::domain::{Article, Status};
use crate::storage::editorial::Written;
use jiff::Timestamp;

/// An event as stored. Times are UTC seconds; `time_zone` is the IANA name the organizers
/// gave, in which it is shown.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Event {
    pub article_id: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub time_zone: String,
    pub place: String,
    pub report_id: Option<i64>,
    /// Incremented on every change: a form names the one it was filled from.
    pub version: i64,
    /// When it last changed (UTC seconds).
    pub updated_at: i64,
}

/// What a change sets (checked by [`crate::newsroom`]); `None` removes the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventEdit {
    pub starts_at: i64,
    pub ends_at: i64,
    pub time_zone: String,
    pub place: String,
    pub report_id: Option<i64>,
}

/// Takes the article's row lock for the rest of the transaction (PostgreSQL; SQLite's write
/// transactions already run one at a time), so two writers of one article's parts take turns
/// and the second reads what the first wrote. `false` when there is no such article.
pub(crate) const LOCK_ARTICLE: &str =
    "UPDATE articles SET version = version WHERE id = $1 AND deleted_at IS NULL";

const COLUMNS: &str = "article_id, starts_at, ends_at, time_zone, place, report_id, version, updated_at";

/// What came of an event write (besides the database failing).
#[derive(Debug)]
pub enum EventWrite {
    Done(Box<Written>),
    /// Someone changed the event after the form was filled; its current version.
    Changed(i64),
}

impl Store {
    /// The event article `id` announces, if any.
    pub async fn event_of(&self, article_id: i64) -> Result<Option<Event>> {
        let sql = format!("SELECT {COLUMNS} FROM events WHERE article_id = $1");
        Ok(with_pool!(self, p => sqlx::query_as(&sql).bind(article_id).fetch_optional(p).await?))
    }

    /// Sets (or with `None` removes) the event article `id` announces, if its current version
    /// (0 for none) is `version`; logs a change of the article in the same transaction.
    pub async fn set_event(
        &self,
        id: i64,
        version: i64,
        edit: Option<&EventEdit>,
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<EventWrite> {
        let select = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1 AND deleted_at IS NULL");
        const UPSERT: &str = "INSERT INTO events (article_id, starts_at, ends_at, time_zone, place, report_id, version, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7) ON CONFLICT (article_id) DO UPDATE SET starts_at = $2, \
             ends_at = $3, time_zone = $4, place = $5, report_id = $6, version = events.version + 1, updated_at = $7";
        let done = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            if sqlx::query(LOCK_ARTICLE).bind(id).execute(&mut *tx).await?.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let row: Option<ArticleRow> = sqlx::query_as(&select).bind(id).fetch_optional(&mut *tx).await?;
            let article = Article::try_from(row.ok_or(StoreError::NotFound)?)?;
            let current: i64 = sqlx::query_scalar("SELECT version FROM events WHERE article_id = $1")
                .bind(id).fetch_optional(&mut *tx).await?.unwrap_or(0);
            if current != version {
                return Ok(EventWrite::Changed(current));
            }
            match edit {
                Some(e) => {
                    sqlx::query(UPSERT).bind(id).bind(e.starts_at).bind(e.ends_at).bind(&e.time_zone)
                        .bind(&e.place).bind(e.report_id).bind(now.as_second()).execute(&mut *tx).await?;
                }
                None => {
                    sqlx::query("DELETE FROM events WHERE article_id = $1").bind(id).execute(&mut *tx).await?;
                }
            }
            let public = article.status == Status::Published;
            let written = log_article_update!(tx, article, public, user_id, now);
            tx.commit().await?;
            EventWrite::Done(Box::new(written))
        });
        Ok(done)
    }

    /// Events of published announcements in `lang` that overlap `[from, to)` (UTC seconds),
    /// soonest first, at most `limit`.
    pub async fn events_between(&self, lang: &str, from: i64, to: i64, limit: u32) -> Result<Vec<Event>> {
        // `CROSS JOIN` keeps SQLite reading the few events in the window first and their articles
        // by id; with `JOIN` it read every published article of the language (370 ms at 100,000
        // articles, on every render of a home page). PostgreSQL plans it as the join it is.
        let sql = format!(
            "SELECT {} FROM events e CROSS JOIN articles a \
             WHERE a.id = e.article_id AND a.lang = $1 AND a.status = 'published' AND a.deleted_at IS NULL \
             AND e.ends_at >= $2 AND e.starts_at < $3 ORDER BY e.starts_at, e.article_id LIMIT $4",
            COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ")
        );
        Ok(with_pool!(self, p => sqlx::query_as(&sql)
            .bind(lang).bind(from).bind(to).bind(i64::from(limit)).fetch_all(p).await?))
    }

    /// The id of the article in `lang` at `slug` (or an earlier slug of it),
    /// for naming a report by its address.
    pub async fn article_id_by_slug(&self, lang: &str, slug: &str) -> Result<Option<i64>> {
        // The article that has the slug now comes before one that had it once.
        const SQL: &str = "SELECT id FROM (SELECT id, 0 AS earlier FROM articles WHERE lang = $1 AND slug = $2 \
             AND deleted_at IS NULL UNION ALL SELECT r.article_id, 1 FROM slug_redirects r JOIN articles a \
             ON a.id = r.article_id AND a.deleted_at IS NULL WHERE r.lang = $1 AND r.slug = $2) AS found \
             ORDER BY earlier LIMIT 1";
        let id: Option<i64> =
            with_pool!(self, p => sqlx::query_scalar(SQL).bind(lang).bind(slug).fetch_optional(p).await?);
        Ok(id)
    }
}
