//! Reading the change log, for whatever is derived from the database and must follow it (the
//! search index today). Every write to public content adds a row to `changes` in the same
//! transaction; a follower remembers the last id it applied and asks for what came after.
//!
//! On PostgreSQL, ids are handed out when a row is inserted, not when its transaction commits,
//! so a follower may see id 11 before id 10 commits. [`Store::write_horizon`] and
//! [`Store::horizon_passed`] let it tell a gap that may still fill (a transaction still running)
//! from one that never will (a rolled-back transaction). SQLite has one writer at a time, so
//! its ids always commit in order.

use super::rows::{ARTICLE_COLUMNS, ArticleRow};
use super::{BeginWrite, Pool, Result, Store, with_pool};
use crate::domain::{Article, ChangeKind, Status};

/// One entry of the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    /// The article that changed; `None` for changes that concern no single article.
    pub article_id: Option<i64>,
    pub kind: ChangeKind,
    /// The article's status before and after; `None` where it did not exist or was in the trash.
    pub status_before: Option<Status>,
    pub status_after: Option<Status>,
    /// Whether readers can see a difference. Rows from earlier releases say yes.
    pub public: bool,
    /// The article's language and section after the change (before it, for a removal).
    pub lang: Option<String>,
    pub section_id: Option<i64>,
    pub at: i64,
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    article_id: Option<i64>,
    kind: String,
    status_before: Option<String>,
    status_after: Option<String>,
    public: i64,
    lang: Option<String>,
    section_id: Option<i64>,
    at: i64,
}

impl From<ChangeRow> for Change {
    fn from(r: ChangeRow) -> Change {
        Change {
            id: r.id,
            article_id: r.article_id,
            kind: ChangeKind::parse(&r.kind),
            status_before: r.status_before.as_deref().and_then(Status::parse),
            status_after: r.status_after.as_deref().and_then(Status::parse),
            public: r.public != 0,
            lang: r.lang,
            section_id: r.section_id,
            at: r.at,
        }
    }
}

/// The columns a follower reads.
const CHANGE_COLUMNS: &str =
    "id, article_id, kind, status_before, status_after, public, lang, section_id, at";

/// Logs, inside the transaction `$tx`, a public or private update of `$article` that leaves its
/// status as it was (a pin, its event, its gallery), and evaluates to what was written.
macro_rules! log_article_update {
    ($tx:ident, $article:expr, $public:expr, $user_id:expr, $now:expr) => {{
        let article: $crate::domain::Article = $article;
        let kind = $crate::domain::ChangeKind::Updated;
        let status = article.status.as_str();
        let change_id: i64 =
            sqlx::query_scalar(&format!("{} RETURNING id", $crate::storage::changes::LOG_CHANGE))
                .bind(article.id)
                .bind(kind.as_str())
                .bind(status)
                .bind(status)
                .bind(i64::from($public))
                .bind($user_id)
                .bind(article.lang.as_str())
                .bind(article.section_id)
                .bind($now.as_second())
                .fetch_one(&mut *$tx)
                .await?;
        $crate::storage::editorial::Written {
            change_id,
            kind,
            public: $public,
            before: Some(article.clone()),
            after: Some(article),
            released: Vec::new(),
        }
    }};
}
pub(crate) use log_article_update;

/// Writes one change-log entry; every writer uses it inside its transaction. Binds: article id,
/// kind, status before, status after, public (0/1), user, language, section, time.
pub(crate) const LOG_CHANGE: &str = "INSERT INTO changes (article_id, kind, status_before, status_after, public, \
     user_id, lang, section_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// How long change-log entries are kept. A node that was away longer rebuilds what it derives
/// from the database instead of following the log.
pub const RETENTION: jiff::SignedDuration = jiff::SignedDuration::from_hours(24 * 30);

/// Longest `IN (…)` list sent in one statement; well under both backends' bind limits.
const MAX_IDS: usize = 500;

impl Store {
    /// Changes with an id above `after_id`, oldest first.
    pub async fn changes_after(&self, after_id: i64, limit: u32) -> Result<Vec<Change>> {
        let sql = format!("SELECT {CHANGE_COLUMNS} FROM changes WHERE id > $1 ORDER BY id LIMIT $2");
        let rows: Vec<ChangeRow> = with_pool!(self, p => sqlx::query_as(&sql).bind(after_id).bind(i64::from(limit)).fetch_all(p).await?);
        Ok(rows.into_iter().map(Change::from).collect())
    }

    /// Changes with an id above `after_id` and at most `up_to`, oldest first: how a follower
    /// looks into a gap it is waiting on without reading again what it has applied.
    pub async fn changes_between(&self, after_id: i64, up_to: i64, limit: u32) -> Result<Vec<Change>> {
        let sql =
            format!("SELECT {CHANGE_COLUMNS} FROM changes WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3");
        let rows: Vec<ChangeRow> = with_pool!(self, p => sqlx::query_as(&sql)
            .bind(after_id).bind(up_to).bind(i64::from(limit)).fetch_all(p).await?);
        Ok(rows.into_iter().map(Change::from).collect())
    }

    /// The oldest change still in the log (0 when it is empty): a follower whose position is
    /// below it missed pruned entries and must rebuild.
    pub async fn oldest_change(&self) -> Result<i64> {
        const SQL: &str = "SELECT COALESCE(MIN(id), 0) FROM changes";
        let id: i64 = with_pool!(self, p => sqlx::query_scalar(SQL).fetch_one(p).await?);
        Ok(id)
    }

    /// The newest change at or below `up_to` and when it was logged (Unix seconds): a mark by
    /// which a copy of derived data (the search index's snapshot) recognises the database it
    /// was made from, since another database will not have the same entry at the same id.
    pub async fn change_mark(&self, up_to: i64) -> Result<Option<(i64, i64)>> {
        const SQL: &str = "SELECT id, at FROM changes WHERE id <= $1 ORDER BY id DESC LIMIT 1";
        let mark: Option<(i64, i64)> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(up_to).fetch_optional(p).await?);
        Ok(mark)
    }

    /// Deletes change-log entries older than `before`, always keeping the newest one (the
    /// log's position must survive a quiet month) and those the webhook worker has yet to
    /// read. Returns how many were deleted.
    pub async fn prune_changes(&self, before: jiff::Timestamp) -> Result<u64> {
        // Entries a follower kept in the database (webhooks) has not read yet stay, however old.
        const SQL: &str = "DELETE FROM changes WHERE at < $1 AND id < (SELECT MAX(id) FROM changes) \
                           AND id <= (SELECT COALESCE(MIN(done), 9223372036854775807) FROM log_followers)";
        let done = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let done = sqlx::query(SQL).bind(before.as_second()).execute(&mut *tx).await?;
            tx.commit().await?;
            done.rows_affected()
        });
        Ok(done)
    }

    /// The ids of the newest changes up to `up_to`, newest first. A follower that rebuilds from
    /// scratch uses them to notice recent gaps that an unfinished transaction may still fill.
    pub async fn recent_change_ids(&self, up_to: i64, limit: u32) -> Result<Vec<i64>> {
        const SQL: &str = "SELECT id FROM changes WHERE id <= $1 ORDER BY id DESC LIMIT $2";
        let ids: Vec<i64> = with_pool!(self, p => sqlx::query_scalar(SQL).bind(up_to).bind(i64::from(limit)).fetch_all(p).await?);
        Ok(ids)
    }

    /// Published articles in id order after `after_id` (keyset pagination), in every language:
    /// what a full rebuild of the search index reads.
    pub async fn published_articles_after(&self, after_id: i64, limit: u32) -> Result<Vec<Article>> {
        let sql = format!(
            "SELECT {ARTICLE_COLUMNS} FROM articles WHERE status = 'published' AND id > $1 ORDER BY id LIMIT $2"
        );
        let rows: Vec<ArticleRow> = with_pool!(self, p => sqlx::query_as(&sql)
            .bind(after_id).bind(i64::from(limit)).fetch_all(p).await?);
        rows.into_iter().map(Article::try_from).collect()
    }

    /// Those of the given articles that are published now, in id order. Ids that are missing
    /// (deleted) or not published are simply absent from the answer.
    pub async fn published_articles_by_ids(&self, ids: &[i64]) -> Result<Vec<Article>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(MAX_IDS) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT {ARTICLE_COLUMNS} FROM articles WHERE status = 'published' AND id IN ({}) ORDER BY id",
                placeholders.join(", ")
            );
            let rows: Vec<ArticleRow> = with_pool!(self, p => {
                let mut q = sqlx::query_as(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.fetch_all(p).await?
            });
            for row in rows {
                out.push(Article::try_from(row)?);
            }
        }
        Ok(out)
    }

    /// How many articles are published, in every language (for progress bars).
    pub async fn count_all_published(&self) -> Result<u64> {
        const SQL: &str = "SELECT COUNT(*) FROM articles WHERE status = 'published'";
        let count: i64 = with_pool!(self, p => sqlx::query_scalar(SQL).fetch_one(p).await?);
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// A mark that every transaction running now is older than: on PostgreSQL the next
    /// transaction id to be handed out; `None` on SQLite, where no write runs beside a read.
    ///
    /// A follower that sees a gap in the change log takes this mark; once
    /// [`horizon_passed`](Self::horizon_passed) says so, whatever could fill the gap has
    /// committed or rolled back, and a gap still open is permanent.
    pub async fn write_horizon(&self) -> Result<Option<i64>> {
        match &self.pool {
            Pool::Sqlite(_) => Ok(None),
            Pool::Postgres(p) => {
                const SQL: &str = "SELECT pg_snapshot_xmax(pg_current_snapshot())::text";
                let xmax: String = sqlx::query_scalar(SQL).fetch_one(p).await?;
                Ok(Some(parse_xid(&xmax)?))
            }
        }
    }

    /// Whether every transaction that was running when `horizon` was taken has ended.
    pub async fn horizon_passed(&self, horizon: Option<i64>) -> Result<bool> {
        match (&self.pool, horizon) {
            (_, None) | (Pool::Sqlite(_), _) => Ok(true),
            (Pool::Postgres(p), Some(horizon)) => {
                const SQL: &str = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text";
                let xmin: String = sqlx::query_scalar(SQL).fetch_one(p).await?;
                Ok(parse_xid(&xmin)? >= horizon)
            }
        }
    }
}

fn parse_xid(text: &str) -> Result<i64> {
    text.trim()
        .parse::<i64>()
        .map_err(|_| super::StoreError::Corrupt(format!("transaction id '{text}' is not a number")))
}
