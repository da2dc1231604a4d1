//! Article queries: reading for the public site, saving in bulk (imports), exporting, and
//! publishing what is due.

use super::BeginWrite;
use super::bulk::Name;
use super::media::{ImageRef, LEAD_IMAGE_COLUMNS};
use super::rows::{ARTICLE_COLUMNS, ArticleRow, SummaryRow, lang, timestamp};
use super::{Result, SectionInput, Store, StoreError, with_pool};
use crate::domain::{Article, ArticleInput, Lang, Status};
use jiff::Timestamp;
use std::collections::HashMap;

/// What a list page needs of an article (no body).
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleSummary {
    pub id: i64,
    pub lang: Lang,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub publish_at: Timestamp,
    pub updated_at: Timestamp,
    /// The lead photo, for thumbnails.
    pub lead_image: Option<ImageRef>,
    /// Tag names.
    pub tags: Vec<String>,
}

impl TryFrom<SummaryRow> for ArticleSummary {
    type Error = StoreError;
    fn try_from(r: SummaryRow) -> Result<Self> {
        Ok(ArticleSummary {
            id: r.id,
            lang: lang(&r.lang)?,
            section_id: r.section_id,
            slug: r.slug,
            title: r.title,
            lead: r.lead,
            publish_at: timestamp(r.publish_at, "publish_at")?,
            updated_at: timestamp(r.updated_at, "updated_at")?,
            tags: super::rows::tag_names(&r.tags, "summary")?,
            lead_image: ImageRef::from_columns(
                r.lead_image_id,
                r.lead_image_key,
                r.lead_image_width,
                r.lead_image_height,
            ),
        })
    }
}

/// Which published articles a list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ListFilter {
    pub lang: Lang,
    pub section_id: Option<i64>,
    /// Inclusive lower bound on the publication time.
    pub from: Option<Timestamp>,
    /// Exclusive upper bound on the publication time.
    pub to: Option<Timestamp>,
    /// Only articles carrying this tag. Tag lists are read from the database (the in-memory
    /// timeline knows languages and sections only); their pages are cached like any other.
    pub tag_id: Option<i64>,
    /// Only articles credited to this byline (read from the database, like tag lists).
    pub author_id: Option<i64>,
}

impl ListFilter {
    pub fn all(lang: Lang) -> Self {
        ListFilter { lang, section_id: None, from: None, to: None, tag_id: None, author_id: None }
    }

    /// Whether the list is read from the database rather than the in-memory timeline.
    pub fn needs_database(&self) -> bool {
        self.tag_id.is_some() || self.author_id.is_some()
    }

    /// The WHERE clause and its integer parameters; `$1` is always the language.
    pub(super) fn where_clause(&self) -> (String, Vec<i64>) {
        let mut sql = String::from("WHERE lang = $1 AND status = 'published'");
        let mut params = Vec::new();
        let mut push = |cond: &str, value: i64| {
            params.push(value);
            sql.push_str(&format!(" AND {cond} ${}", params.len() + 1));
        };
        if let Some(id) = self.section_id {
            push("section_id =", id);
        }
        if let Some(from) = self.from {
            push("publish_at >=", from.as_second());
        }
        if let Some(to) = self.to {
            push("publish_at <", to.as_second());
        }
        if let Some(tag) = self.tag_id {
            push("id IN (SELECT article_id FROM article_tags WHERE tag_id =", tag);
            sql.push(')');
        }
        if let Some(author) = self.author_id {
            params.push(author);
            let n = params.len() + 1;
            sql.push_str(&format!(
                " AND id IN (SELECT article_id FROM article_authors WHERE author_id = ${n})"
            ));
        }
        (sql, params)
    }
}

/// Another language's version of an article.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslationLink {
    pub id: i64,
    pub lang: Lang,
    pub section_id: i64,
    pub slug: String,
    pub status: Status,
}

#[derive(sqlx::FromRow)]
struct TranslationRow {
    id: i64,
    lang: String,
    section_id: i64,
    slug: String,
    status: String,
}

/// What a bulk save did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// People an import added as authors awaiting an invitation.
    pub people_added: usize,
}

/// One item of a bulk save failed; the whole save was rolled back.
#[derive(Debug, thiserror::Error)]
#[error("item {index}: {error}")]
pub struct ItemError {
    /// Position of the item in the input, from 0.
    pub index: usize,
    pub error: StoreError,
}

/// Keeps the article's current state as a revision if it has none yet (articles created by an
/// import get their first revision only when they first change).
pub(crate) const ENSURE_REVISION: &str = "INSERT INTO revisions (article_id, version, user_id, at, note, title, \
     lead, body_html, slug, section_id, status, publish_at, lead_image_id, tags, bylines) SELECT a.id, a.version, NULL, \
     a.updated_at, 'imported', a.title, a.lead, a.body_html, a.slug, a.section_id, a.status, a.publish_at, a.lead_image_id, \
     a.tags, a.bylines \
     FROM articles a WHERE a.id = $1 AND NOT EXISTS \
     (SELECT 1 FROM revisions r WHERE r.article_id = a.id AND r.version = a.version)";

/// Before the scheduler's publication, the scheduled version must be in the history too (an
/// article imported as scheduled has no revision yet): recorded from the revision-less row,
/// whose version the publication has just moved on by one.
const ENSURE_REVISION_BEFORE_SCHEDULE: &str = "INSERT INTO revisions (article_id, version, user_id, at, note, title, \
     lead, body_html, slug, section_id, status, publish_at, lead_image_id, tags, bylines) SELECT a.id, a.version - 1, NULL, \
     a.created_at, 'imported', a.title, a.lead, a.body_html, a.slug, a.section_id, 'scheduled', a.publish_at, \
     a.lead_image_id, a.tags, a.bylines \
     FROM articles a WHERE a.id = $1 AND NOT EXISTS (SELECT 1 FROM revisions r WHERE r.article_id = a.id)";

/// Before an expiry's unpublication, the published version must be in the history too (an
/// imported article has no revision yet): recorded from the row, whose version has just moved.
const ENSURE_REVISION_BEFORE_EXPIRY: &str = "INSERT INTO revisions (article_id, version, user_id, at, note, title, \
     lead, body_html, slug, section_id, status, publish_at, lead_image_id, tags, bylines) SELECT a.id, a.version - 1, NULL, \
     a.created_at, 'imported', a.title, a.lead, a.body_html, a.slug, a.section_id, 'published', a.publish_at, \
     a.lead_image_id, a.tags, a.bylines \
     FROM articles a WHERE a.id = $1 AND NOT EXISTS \
     (SELECT 1 FROM revisions r WHERE r.article_id = a.id AND r.version = a.version - 1)";

/// One of the scheduler's timed status changes.
struct DueStep {
    /// Changes the rows whose time has come (`$1` = now) and returns their ids.
    update: &'static str,
    ensure_before: &'static str,
    note: &'static str,
    audit: &'static str,
    kind: crate::domain::ChangeKind,
    before: Status,
}

const PUBLISH_DUE: DueStep = DueStep {
    update: "UPDATE articles SET status = 'published', version = version + 1, updated_at = $1 \
             WHERE status = 'scheduled' AND publish_at <= $1 AND deleted_at IS NULL RETURNING id",
    ensure_before: ENSURE_REVISION_BEFORE_SCHEDULE,
    note: "published on schedule",
    audit: "article.publish",
    kind: crate::domain::ChangeKind::Published,
    before: Status::Scheduled,
};

// Run twice a second: it must read the few articles that expire, through the partial index
// `articles_expiring`. Written `status = 'published'`, SQLite (without statistics) preferred the
// status index and read every published article each time: 55 ms of a core twice a second at
// 100,000 articles, on the node's one core beside its readers. `status || ''` is the same test
// that no index on status can serve, on both databases.
const UNPUBLISH_EXPIRED: DueStep = DueStep {
    update: "UPDATE articles SET status = 'draft', expires_at = NULL, version = version + 1, updated_at = $1 \
             WHERE expires_at <= $1 AND status || '' = 'published' AND deleted_at IS NULL RETURNING id",
    ensure_before: ENSURE_REVISION_BEFORE_EXPIRY,
    note: "unpublished on expiry",
    audit: "article.unpublish",
    kind: crate::domain::ChangeKind::Unpublished,
    before: Status::Published,
};

pub(crate) const SUMMARY_COLUMNS: &str =
    "id, lang, section_id, slug, title, lead, publish_at, updated_at, tags";
const ORDER: &str = "ORDER BY publish_at DESC, id DESC";

/// Points an article's old addresses ([`crate::domain::ArticleExtras::old_paths`]) at it,
/// inside the caller's transaction. Evaluates to `Result<(), sqlx::Error>`.
macro_rules! save_old_paths {
    ($tx:expr, $article_id:expr, $paths:expr, $now:expr) => {
        async {
            for source in $paths {
                sqlx::query(
                    "INSERT INTO redirects (source, article_id, target, created_at) VALUES ($1, $2, NULL, $3) \
                     ON CONFLICT (source) DO UPDATE SET article_id = excluded.article_id, target = NULL",
                )
                .bind(source)
                .bind($article_id)
                .bind($now.as_second())
                .execute(&mut *$tx)
                .await?;
            }
            Ok::<(), sqlx::Error>(())
        }
    };
}

impl Store {
    /// The article with this slug in this language, whatever its status.
    pub async fn article_by_slug(&self, lang: &Lang, slug: &str) -> Result<Option<Article>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE lang = $1 AND slug = $2");
        let row: Option<ArticleRow> = with_pool!(self, p => sqlx::query_as(&sql)
            .bind(lang.as_str()).bind(slug).fetch_optional(p).await?);
        row.map(Article::try_from).transpose()
    }

    /// The lead and body of each of the given articles, for search snippets.
    pub async fn search_texts(&self, ids: &[i64]) -> Result<HashMap<i64, (String, String)>> {
        let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
        let sql =
            format!("SELECT id, lead, body_html FROM articles WHERE id IN ({})", placeholders.join(", "));
        let rows: Vec<(i64, String, String)> = with_pool!(self, p => {
            let mut q = sqlx::query_as(&sql);
            for id in ids {
                q = q.bind(*id);
            }
            q.fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|(id, lead, body)| (id, (lead, body))).collect())
    }

    pub async fn article_by_id(&self, id: i64) -> Result<Option<Article>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1");
        let row: Option<ArticleRow> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        row.map(Article::try_from).transpose()
    }

    /// Whether an article with this external id exists, in any status, trash included (an
    /// import's dry run tells new articles from updates).
    pub async fn has_external_id(&self, external_id: &str) -> Result<bool> {
        Ok(self.article_id_by_external_id(external_id).await?.is_some())
    }

    /// The id of the article with this external id, in any status, trash included.
    pub async fn article_id_by_external_id(&self, external_id: &str) -> Result<Option<i64>> {
        Ok(with_pool!(self, p => sqlx::query_scalar("SELECT id FROM articles WHERE external_id = $1")
            .bind(external_id).fetch_optional(p).await?))
    }

    /// The article an old slug now belongs to, for redirects after a slug change.
    pub async fn article_by_old_slug(&self, lang: &Lang, slug: &str) -> Result<Option<Article>> {
        let sql = format!(
            "SELECT {} FROM articles a JOIN slug_redirects r ON r.article_id = a.id \
             WHERE r.lang = $1 AND r.slug = $2",
            ARTICLE_COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row: Option<ArticleRow> = with_pool!(self, p => sqlx::query_as(&sql)
            .bind(lang.as_str()).bind(slug).fetch_optional(p).await?);
        row.map(Article::try_from).transpose()
    }

    /// All language versions sharing a translation key, in any status.
    pub async fn translations(&self, translation_key: &str) -> Result<Vec<TranslationLink>> {
        const SQL: &str = "SELECT id, lang, section_id, slug, status FROM articles \
                           WHERE translation_key = $1 ORDER BY lang";
        let rows: Vec<TranslationRow> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(translation_key).fetch_all(p).await?);
        rows.into_iter()
            .map(|r| {
                Ok(TranslationLink {
                    id: r.id,
                    lang: lang(&r.lang)?,
                    section_id: r.section_id,
                    slug: r.slug,
                    status: Status::parse(&r.status)
                        .ok_or_else(|| StoreError::Corrupt(format!("status {}", r.status)))?,
                })
            })
            .collect()
    }

    /// A page of published articles, newest first.
    pub async fn list_published(
        &self,
        filter: &ListFilter,
        limit: u32,
        offset: u64,
    ) -> Result<Vec<ArticleSummary>> {
        let (cond, params) = filter.where_clause();
        let n = params.len();
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, {LEAD_IMAGE_COLUMNS} FROM articles {cond} {ORDER} LIMIT ${} OFFSET ${}",
            n + 2,
            n + 3
        );
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let rows: Vec<SummaryRow> = with_pool!(self, p => {
            let mut q = sqlx::query_as(&sql).bind(filter.lang.as_str());
            for v in &params {
                q = q.bind(*v);
            }
            q.bind(i64::from(limit)).bind(offset).fetch_all(p).await?
        });
        rows.into_iter().map(ArticleSummary::try_from).collect()
    }

    /// Keyset paging from the database: the keys `(publish_at, id)` of up to `limit` published
    /// articles after `after`, newest first, and whether more follow.
    pub async fn published_keys_after(
        &self,
        filter: &ListFilter,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> Result<(Vec<(i64, i64)>, bool)> {
        let (cond, params) = filter.where_clause();
        let n = params.len();
        let (at, id) = after.unwrap_or((i64::MAX, i64::MAX));
        let sql = format!(
            "SELECT publish_at, id FROM articles {cond} AND (publish_at < ${a} OR (publish_at = ${a} AND id < ${b})) \
             {ORDER} LIMIT ${c}",
            a = n + 2,
            b = n + 3,
            c = n + 4
        );
        let mut keys: Vec<(i64, i64)> = with_pool!(self, p => {
            let mut q = sqlx::query_as(&sql).bind(filter.lang.as_str());
            for v in &params {
                q = q.bind(*v);
            }
            q.bind(at).bind(id).bind(i64::from(limit) + 1).fetch_all(p).await?
        });
        let more = keys.len() > limit as usize;
        keys.truncate(limit as usize);
        Ok((keys, more))
    }

    /// How many published articles a filter matches.
    pub async fn count_published(&self, filter: &ListFilter) -> Result<u64> {
        let (cond, params) = filter.where_clause();
        let sql = format!("SELECT COUNT(*) FROM articles {cond}");
        let count: i64 = with_pool!(self, p => {
            let mut q = sqlx::query_scalar(&sql).bind(filter.lang.as_str());
            for v in &params {
                q = q.bind(*v);
            }
            q.fetch_one(p).await?
        });
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The first and last publication times in a language, for the archive's calendar.
    pub async fn published_span(&self, lang: &Lang) -> Result<Option<(Timestamp, Timestamp)>> {
        const SQL: &str = "SELECT MIN(publish_at), MAX(publish_at) FROM articles \
                           WHERE lang = $1 AND status = 'published'";
        let (min, max): (Option<i64>, Option<i64>) =
            with_pool!(self, p => sqlx::query_as(SQL).bind(lang.as_str()).fetch_one(p).await?);
        match (min, max) {
            (Some(a), Some(b)) => Ok(Some((timestamp(a, "publish_at")?, timestamp(b, "publish_at")?))),
            _ => Ok(None),
        }
    }

    /// Articles in id order after `after_id`, for exports that do not hold everything in memory.
    pub async fn articles_after(&self, after_id: i64, limit: u32) -> Result<Vec<Article>> {
        let sql = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id > $1 ORDER BY id LIMIT $2");
        let rows: Vec<ArticleRow> = with_pool!(self, p => sqlx::query_as(&sql)
            .bind(after_id).bind(i64::from(limit)).fetch_all(p).await?);
        rows.into_iter().map(Article::try_from).collect()
    }

    /// Publishes every scheduled article whose time has come. One conditional UPDATE, so it is
    /// safe to run on every node at once: each article is published exactly once.
    pub async fn publish_due(&self, now: Timestamp) -> Result<Vec<super::editorial::Written>> {
        self.run_due(now, &PUBLISH_DUE).await
    }

    /// Unpublishes every published article whose expiry has come (back to a draft, the expiry
    /// cleared so that publishing it again does not take it straight off). Like
    /// [`Store::publish_due`], one conditional UPDATE: exactly once across nodes.
    pub async fn unpublish_expired(&self, now: Timestamp) -> Result<Vec<super::editorial::Written>> {
        self.run_due(now, &UNPUBLISH_EXPIRED).await
    }

    /// Applies one of the scheduler's timed steps: the UPDATE picks and changes the rows in one
    /// statement, and each gets a revision, an audit entry and a change-log entry in the same
    /// transaction.
    async fn run_due(&self, now: Timestamp, step: &DueStep) -> Result<Vec<super::editorial::Written>> {
        const REVISION: &str = "INSERT INTO revisions (article_id, version, user_id, at, note, title, lead, body_html, \
             slug, section_id, status, publish_at, lead_image_id, tags, bylines) SELECT id, version, NULL, $2, \
             $3, title, lead, body_html, slug, section_id, status, publish_at, lead_image_id, tags, \
             bylines FROM articles WHERE id = $1";
        const AUDIT: &str = "INSERT INTO audit_log (at, user_id, action, target, detail, address) \
             SELECT $2, NULL, $3, 'article ' || id, title, 'scheduler' FROM articles WHERE id = $1";
        let select = format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1");
        let log = format!("{} RETURNING id", super::changes::LOG_CHANGE);
        let at = now.as_second();
        let written: Vec<super::editorial::Written> = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let ids: Vec<i64> = sqlx::query_scalar(step.update).bind(at).fetch_all(&mut *tx).await?;
            let mut written = Vec::with_capacity(ids.len());
            for id in ids {
                sqlx::query(step.ensure_before).bind(id).execute(&mut *tx).await?;
                sqlx::query(REVISION).bind(id).bind(at).bind(step.note).execute(&mut *tx).await?;
                sqlx::query(AUDIT).bind(id).bind(at).bind(step.audit).execute(&mut *tx).await?;
                let row: ArticleRow = sqlx::query_as(&select).bind(id).fetch_one(&mut *tx).await?;
                let after = Article::try_from(row)?;
                let change_id: i64 = sqlx::query_scalar(&log)
                    .bind(id).bind(step.kind.as_str()).bind(step.before.as_str()).bind(after.status.as_str())
                    .bind(1_i64).bind(None::<i64>).bind(after.lang.as_str()).bind(after.section_id).bind(at)
                    .fetch_one(&mut *tx).await?;
                let mut before = after.clone();
                before.status = step.before;
                before.version -= 1;
                written.push(super::editorial::Written {
                    change_id, kind: step.kind, public: true, before: Some(before), after: Some(after), released: Vec::new(),
                });
            }
            tx.commit().await?;
            written
        });
        Ok(written)
    }

    /// Creates or updates sections (by slug) and articles (by external id), all in one
    /// transaction: either every item is saved or none is. Slugs taken by another article get a numeric suffix; a changed slug
    /// leaves a redirect behind.
    pub async fn save_articles(
        &self,
        sections: &[SectionInput],
        items: &[ArticleInput],
        now: Timestamp,
        on_item: &(dyn Fn() + Send + Sync),
    ) -> std::result::Result<ImportOutcome, ItemError> {
        let at = |index: usize| move |error: sqlx::Error| ItemError { index, error: error.into() };
        let whole = |error: sqlx::Error| ItemError { index: 0, error: error.into() };
        let mut outcome = ImportOutcome::default();
        with_pool!(self, p => {
            let mut tx = p.begin_write().await.map_err(whole)?;
            for section in sections {
                let names = serde_json::to_string(&section.names).unwrap_or_else(|_| "{}".into());
                sqlx::query(super::sections::UPSERT_SECTION)
                    .bind(&section.slug).bind(&names).bind(section.position)
                    .execute(&mut *tx).await.map_err(whole)?;
                sqlx::query(super::sections::LOG_SECTION_CHANGE)
                    .bind(&section.slug).bind(now.as_second()).execute(&mut *tx).await.map_err(whole)?;
            }
            let sections: Vec<(i64, String)> = sqlx::query_as("SELECT id, slug FROM sections")
                .fetch_all(&mut *tx).await.map_err(whole)?;
            let sections: HashMap<String, i64> = sections.into_iter().map(|(id, s)| (s, id)).collect();
            // Each item's (external id, language, wanted slug, translation key), and what the
            // database holds under those names, asked for the whole chunk at once.
            let keys: Vec<(String, String, String, String)> = items.iter().map(|item| {
                let wanted = item.wanted_slug();
                let external_id = item.external_id.clone()
                    .unwrap_or_else(|| format!("{}:{}", item.lang, wanted));
                let translation_key = item.translation_key.clone().unwrap_or_else(|| external_id.clone());
                (external_id, item.lang.as_str().to_string(), wanted, translation_key)
            }).collect();
            let mut known = super::bulk::known_before!(tx, &keys).await.map_err(whole)?;
            for (index, item) in items.iter().enumerate() {
                on_item();
                let fail = |error: StoreError| ItemError { index, error };
                let section_id = *sections.get(&item.section_slug).ok_or_else(|| {
                    fail(StoreError::Conflict(format!("section: there is no section '{}'", item.section_slug)))
                })?;
                let (external_id, lang_code, wanted, translation_key) = &keys[index];
                let (wanted, translation_key) = (wanted.clone(), translation_key.clone());
                let existing: Option<ArticleRow> = if known.is_touched(Name::ExternalId, external_id, "") {
                    sqlx::query_as(&format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE external_id = $1"))
                        .bind(external_id).fetch_optional(&mut *tx).await.map_err(at(index))?
                } else {
                    known.existing.remove(external_id)
                };
                known.touch(Name::ExternalId, external_id, "");
                let external_id = external_id.clone();
                let own_id = existing.as_ref().map(|r| r.id).unwrap_or(-1);
                let mut slug = wanted.clone();
                let free = !known.is_touched(Name::Slug, lang_code, &wanted)
                    && known.holders.get(&(lang_code.clone(), wanted.clone())).is_none_or(|h| *h == own_id);
                if !free {
                    for n in 2.. {
                        let holder: Option<i64> = sqlx::query_scalar(
                            "SELECT id FROM articles WHERE lang = $1 AND slug = $2")
                            .bind(item.lang.as_str()).bind(&slug)
                            .fetch_optional(&mut *tx).await.map_err(at(index))?;
                        if holder.is_none() || holder == Some(own_id) {
                            break;
                        }
                        slug = format!("{wanted}-{n}");
                    }
                }
                let other: Option<String> = if known.is_touched(Name::Translation, &translation_key, lang_code) {
                    sqlx::query_scalar(
                        "SELECT external_id FROM articles WHERE translation_key = $1 AND lang = $2 AND id <> $3")
                        .bind(&translation_key).bind(item.lang.as_str()).bind(own_id)
                        .fetch_optional(&mut *tx).await.map_err(at(index))?
                } else {
                    known.translations.get(&(translation_key.clone(), lang_code.clone()))
                        .filter(|(id, _)| *id != own_id).map(|(_, e)| e.clone())
                };
                // From here on this item's names are the chunk's own.
                known.touch(Name::Slug, lang_code, &slug);
                known.touch(Name::Translation, &translation_key, lang_code);
                if let Some(old) = &existing {
                    known.touch(Name::Slug, &old.lang, &old.slug);
                    known.touch(Name::Translation, &old.translation_key, &old.lang);
                    known.touch(Name::Redirect, &old.lang, &old.slug);
                }
                if let Some(other) = other {
                    return Err(fail(StoreError::Conflict(format!(
                        "translation_key: '{translation_key}' already has a '{}' version (external_id '{other}')",
                        item.lang
                    ))));
                }
                let trashed_at = match &existing {
                    Some(old) if item.extras.trashed => sqlx::query_scalar::<_, Option<i64>>(
                        "SELECT deleted_at FROM articles WHERE id = $1")
                        .bind(old.id).fetch_one(&mut *tx).await.map_err(at(index))?
                        .or(Some(now.as_second())),
                    _ => item.extras.trashed.then(|| now.as_second()),
                };
                let workflow = (trashed_at, i64::from(item.extras.review_requested), item.extras.lead_image_id);
                let old_workflow: Option<(Option<i64>, i64, Option<i64>)> = match &existing {
                    Some(old) => Some(sqlx::query_as(
                        "SELECT deleted_at, review_requested, lead_image_id FROM articles WHERE id = $1")
                        .bind(old.id).fetch_one(&mut *tx).await.map_err(at(index))?),
                    None => None,
                };
                // What is in the trash is never public, whatever its status was.
                let status = if item.extras.trashed { Status::Draft } else { item.status.normalized(item.publish_at, now) };
                let status = status.as_str();
                let tags = crate::domain::tag::normalize(&item.tags)
                    .map_err(|e| fail(StoreError::Conflict(format!("tags: {e}"))))?;
                let tags_json = serde_json::to_string(&tags).unwrap_or_else(|_| "[]".into());
                // Bylines from an import: long names are cut rather than refused.
                let bylines: Vec<String> = item.extras.bylines.iter()
                    .map(|n| n.chars().take(crate::domain::tag::MAX_TAG_LEN).collect::<String>())
                    .take(crate::domain::tag::MAX_TAGS).collect();
                let bylines = crate::domain::tag::normalize(&bylines).unwrap_or_default();
                let bylines_json = serde_json::to_string(&bylines).unwrap_or_else(|_| "[]".into());
                let publish_at = item.publish_at.as_second();
                let updated_at = item.updated_at.unwrap_or(now).as_second();
                let id = match &existing {
                    Some(old) if old.translation_key == translation_key && old.lang == item.lang.as_str()
                        && old.section_id == section_id && old.slug == slug && old.title == item.title
                        && old.lead == item.lead && old.body_html == item.body_html
                        && old.status == status && old.publish_at == publish_at && old.tags == tags_json
                        && old.bylines == bylines_json && old_workflow == Some(workflow) => {
                        outcome.unchanged += 1;
                        save_old_paths!(tx, old.id, &item.extras.old_paths, now).await.map_err(at(index))?;
                        continue;
                    }
                    Some(old) => {
                        sqlx::query(ENSURE_REVISION).bind(old.id).execute(&mut *tx).await.map_err(at(index))?;
                        sqlx::query("UPDATE articles SET translation_key = $1, lang = $2, section_id = $3, \
                             slug = $4, title = $5, lead = $6, body_html = $7, status = $8, publish_at = $9, \
                             updated_at = $10, version = version + 1, deleted_at = $12, review_requested = $13, \
                             lead_image_id = $14 WHERE id = $11")
                            .bind(&translation_key).bind(item.lang.as_str()).bind(section_id).bind(&slug)
                            .bind(&item.title).bind(&item.lead).bind(&item.body_html).bind(status)
                            .bind(publish_at).bind(updated_at).bind(old.id)
                            .bind(workflow.0).bind(workflow.1).bind(workflow.2)
                            .execute(&mut *tx).await.map_err(at(index))?;
                        if old.slug != slug {
                            sqlx::query("INSERT INTO slug_redirects (lang, slug, article_id) VALUES ($1, $2, $3) \
                                 ON CONFLICT (lang, slug) DO UPDATE SET article_id = excluded.article_id")
                                .bind(&old.lang).bind(&old.slug).bind(old.id)
                                .execute(&mut *tx).await.map_err(at(index))?;
                        }
                        if old.tags != tags_json || old.lang != item.lang.as_str() {
                            super::tags::set_tags!(tx, old.id, item.lang.as_str(), &tags).await.map_err(at(index))?;
                        }
                        if old.bylines != bylines_json || old.lang != item.lang.as_str() {
                            super::tags::set_labels!(tx, super::tags::BYLINES, old.id, item.lang.as_str(), &bylines)
                                .await.map_err(at(index))?;
                        }
                        outcome.updated += 1;
                        old.id
                    }
                    None => {
                        let created_at = item.created_at.unwrap_or(now).as_second();
                        let id: i64 = sqlx::query_scalar("INSERT INTO articles (external_id, translation_key, \
                             lang, section_id, slug, title, lead, body_html, status, publish_at, created_at, \
                             updated_at, deleted_at, review_requested, lead_image_id) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id")
                            .bind(&external_id).bind(&translation_key).bind(item.lang.as_str()).bind(section_id)
                            .bind(&slug).bind(&item.title).bind(&item.lead).bind(&item.body_html).bind(status)
                            .bind(publish_at).bind(created_at).bind(updated_at)
                            .bind(workflow.0).bind(workflow.1).bind(workflow.2)
                            .fetch_one(&mut *tx).await.map_err(at(index))?;
                        if !tags.is_empty() {
                            super::tags::set_tags!(tx, id, item.lang.as_str(), &tags).await.map_err(at(index))?;
                        }
                        if !bylines.is_empty() {
                            super::tags::set_labels!(tx, super::tags::BYLINES, id, item.lang.as_str(), &bylines)
                                .await.map_err(at(index))?;
                        }
                        outcome.created += 1;
                        id
                    }
                };
                // Every change keeps a whole revision, imports included. A newly created
                // article's first revision is written when it is first changed (see
                // ENSURE_REVISION), which halves what a large import writes.
                if existing.is_some() {
                    sqlx::query("INSERT INTO revisions (article_id, version, user_id, at, note, title, lead, body_html, \
                         slug, section_id, status, publish_at, lead_image_id, tags, bylines) SELECT id, version, NULL, $2, \
                         'import', title, lead, body_html, slug, section_id, status, publish_at, lead_image_id, tags, bylines FROM articles \
                         WHERE id = $1")
                        .bind(id).bind(now.as_second())
                        .execute(&mut *tx).await.map_err(at(index))?;
                }
                save_old_paths!(tx, id, &item.extras.old_paths, now).await.map_err(at(index))?;
                if known.is_touched(Name::Redirect, lang_code, &slug)
                    || known.redirects.contains(&(lang_code.clone(), slug.clone()))
                {
                    sqlx::query("DELETE FROM slug_redirects WHERE lang = $1 AND slug = $2 AND article_id <> $3")
                        .bind(item.lang.as_str()).bind(&slug).bind(id)
                        .execute(&mut *tx).await.map_err(at(index))?;
                }
                // Logged like any other write: what happened, and whether readers see it.
                let before = existing.as_ref().and_then(|old| Status::parse(&old.status));
                let after = Status::parse(status);
                let kind = crate::domain::ChangeKind::of_transition(before, after, false);
                let public = crate::domain::change::is_public(before, after);
                sqlx::query(super::changes::LOG_CHANGE)
                    .bind(id).bind(kind.as_str()).bind(before.map(Status::as_str)).bind(status)
                    .bind(i64::from(public)).bind(None::<i64>).bind(item.lang.as_str()).bind(section_id)
                    .bind(now.as_second())
                    .execute(&mut *tx).await.map_err(at(index))?;
            }
            tx.commit().await.map_err(whole)?;
        });
        // Statistics are an optimization: a failure to refresh them loses nothing written.
        if let Err(e) = self.after_bulk_write((outcome.created + outcome.updated) as u64).await {
            tracing::warn!(error = %e, "cannot refresh table statistics after a bulk write");
        }
        Ok(outcome)
    }
}
