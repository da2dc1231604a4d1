//! Static pages in the database ([`crate::domain::page`]): one row per page and language, a
//! revision per change, and a `page` entry in the change log so every node drops the pages
//! it cached (a page's address and the footer's links).

use super::{BeginWrite, Result, Store, StoreError, with_pool};
use crate::domain::page::{Page, PageInput};
use jiff::Timestamp;

const COLUMNS: &str =
    "id, external_id, lang, slug, title, body_html, status, version, created_at, updated_at";
const LOG_PAGE_CHANGE: &str =
    "INSERT INTO changes (article_id, kind, public, user_id, lang, at) VALUES (NULL, 'page', 1, $1, $2, $3)";
const REVISION: &str = "INSERT INTO page_revisions (page_id, version, user_id, at, title, slug, body_html, status) \
                        SELECT id, version, $2, $3, title, slug, body_html, status FROM pages WHERE id = $1";

/// One revision of a page, for its history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct PageRevision {
    pub version: i64,
    pub at: i64,
    pub email: Option<String>,
    pub title: String,
    pub status: String,
}

/// What an import did to pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PagesOutcome {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Store {
    /// Every page, by language and title (for the back office).
    pub async fn pages(&self) -> Result<Vec<Page>> {
        let sql = format!("SELECT {COLUMNS} FROM pages ORDER BY lang, title");
        Ok(with_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await?))
    }

    /// The published pages of a language, by title (for the footer and the sitemap).
    pub async fn published_pages(&self, lang: &str) -> Result<Vec<Page>> {
        let sql =
            format!("SELECT {COLUMNS} FROM pages WHERE lang = $1 AND status = 'published' ORDER BY title");
        Ok(with_pool!(self, p => sqlx::query_as(&sql).bind(lang).fetch_all(p).await?))
    }

    pub async fn page_by_id(&self, id: i64) -> Result<Option<Page>> {
        let sql = format!("SELECT {COLUMNS} FROM pages WHERE id = $1");
        Ok(with_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?))
    }

    /// The page at `/{lang}/{slug}`, in any status.
    pub async fn page(&self, lang: &str, slug: &str) -> Result<Option<Page>> {
        let sql = format!("SELECT {COLUMNS} FROM pages WHERE lang = $1 AND slug = $2");
        Ok(with_pool!(self, p => sqlx::query_as(&sql).bind(lang).bind(slug).fetch_optional(p).await?))
    }

    /// A page's revisions, newest first.
    /// One revision's text, `(title, slug, body_html, status)`, to load into the editor.
    pub async fn page_revision(
        &self,
        page_id: i64,
        version: i64,
    ) -> Result<Option<(String, String, String, String)>> {
        const SQL: &str = "SELECT title, slug, body_html, status FROM page_revisions \
                           WHERE page_id = $1 AND version = $2 ORDER BY id DESC LIMIT 1";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(page_id).bind(version).fetch_optional(p).await?))
    }

    pub async fn page_revisions(&self, page_id: i64) -> Result<Vec<PageRevision>> {
        const SQL: &str = "SELECT r.version, r.at, u.email, r.title, r.status FROM page_revisions r \
                           LEFT JOIN users u ON u.id = r.user_id WHERE r.page_id = $1 ORDER BY r.version DESC";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).bind(page_id).fetch_all(p).await?))
    }

    /// Creates a page (`id` `None`) or changes one at `version` (optimistic concurrency: a page
    /// changed meanwhile is [`StoreError::Conflict`]). Its address must be free among the
    /// language's pages and sections. Writes a revision and logs the change.
    pub async fn save_page(
        &self,
        id: Option<i64>,
        input: &PageInput,
        version: Option<i64>,
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<Page> {
        let slug = input.wanted_slug();
        let status = if input.published { "published" } else { "draft" };
        let lang = input.lang.as_str();
        let saved: i64 = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let section: Option<i64> = sqlx::query_scalar("SELECT id FROM sections WHERE slug = $1")
                .bind(&slug).fetch_optional(&mut *tx).await?;
            let holder: Option<i64> = sqlx::query_scalar("SELECT id FROM pages WHERE lang = $1 AND slug = $2")
                .bind(lang).bind(&slug).fetch_optional(&mut *tx).await?;
            if section.is_some() || holder.is_some_and(|h| Some(h) != id) {
                return Err(StoreError::SlugTaken(slug));
            }
            let saved = match id {
                Some(id) => {
                    let done = sqlx::query("UPDATE pages SET lang = $1, slug = $2, title = $3, body_html = $4, \
                         status = $5, updated_at = $6, version = version + 1 WHERE id = $7 AND version = $8")
                        .bind(lang).bind(&slug).bind(&input.title).bind(&input.body_html).bind(status)
                        .bind(now.as_second()).bind(id).bind(version.unwrap_or(-1))
                        .execute(&mut *tx).await?.rows_affected();
                    if done == 0 {
                        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM pages WHERE id = $1")
                            .bind(id).fetch_optional(&mut *tx).await?;
                        return Err(match exists {
                            Some(_) => StoreError::Conflict("the page was changed meanwhile".into()),
                            None => StoreError::NotFound,
                        });
                    }
                    id
                }
                None => {
                    let created = input.created_at.unwrap_or(now).as_second();
                    sqlx::query_scalar("INSERT INTO pages (external_id, lang, slug, title, body_html, status, \
                         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                        .bind(&input.external_id).bind(lang).bind(&slug).bind(&input.title).bind(&input.body_html)
                        .bind(status).bind(created).bind(now.as_second())
                        .fetch_one(&mut *tx).await?
                }
            };
            sqlx::query(REVISION).bind(saved).bind(user_id).bind(now.as_second()).execute(&mut *tx).await?;
            sqlx::query(LOG_PAGE_CHANGE).bind(user_id).bind(lang).bind(now.as_second()).execute(&mut *tx).await?;
            tx.commit().await?;
            saved
        });
        self.page_by_id(saved).await?.ok_or(StoreError::NotFound)
    }

    /// Creates or updates imported pages (found by external id, or by language and slug when
    /// they have none), in one transaction. A slug another page of the language (or a
    /// section) holds gets a numeric suffix.
    pub async fn import_pages(&self, pages: &[PageInput], now: Timestamp) -> Result<PagesOutcome> {
        let mut outcome = PagesOutcome::default();
        if pages.is_empty() {
            return Ok(outcome);
        }
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for input in pages {
                let status = if input.published { "published" } else { "draft" };
                let lang = input.lang.as_str();
                // By external id; a page without one (written here, then exported) by its address.
                let existing: Option<Page> = match &input.external_id {
                    Some(external) => {
                        let sql = format!("SELECT {COLUMNS} FROM pages WHERE external_id = $1");
                        sqlx::query_as(&sql).bind(external).fetch_optional(&mut *tx).await?
                    }
                    None => {
                        let sql = format!("SELECT {COLUMNS} FROM pages WHERE lang = $1 AND slug = $2 AND external_id IS NULL");
                        sqlx::query_as(&sql).bind(lang).bind(input.wanted_slug()).fetch_optional(&mut *tx).await?
                    }
                };
                let own = existing.as_ref().map_or(-1, |e| e.id);
                let wanted = input.wanted_slug();
                let mut slug = wanted.clone();
                for n in 2.. {
                    let page: Option<i64> = sqlx::query_scalar("SELECT id FROM pages WHERE lang = $1 AND slug = $2")
                        .bind(lang).bind(&slug).fetch_optional(&mut *tx).await?;
                    let section: Option<i64> = sqlx::query_scalar("SELECT id FROM sections WHERE slug = $1")
                        .bind(&slug).fetch_optional(&mut *tx).await?;
                    if section.is_none() && page.is_none_or(|p| p == own) {
                        break;
                    }
                    slug = format!("{wanted}-{n}");
                }
                let id = match &existing {
                    Some(e) if e.lang == lang && e.slug == slug && e.title == input.title
                        && e.body_html == input.body_html && e.status == status => {
                        outcome.unchanged += 1;
                        continue;
                    }
                    Some(e) => {
                        sqlx::query("UPDATE pages SET lang = $1, slug = $2, title = $3, body_html = $4, status = $5, \
                             updated_at = $6, version = version + 1 WHERE id = $7")
                            .bind(lang).bind(&slug).bind(&input.title).bind(&input.body_html).bind(status)
                            .bind(now.as_second()).bind(e.id).execute(&mut *tx).await?;
                        outcome.updated += 1;
                        e.id
                    }
                    None => {
                        let created = input.created_at.unwrap_or(now).as_second();
                        let id: i64 = sqlx::query_scalar("INSERT INTO pages (external_id, lang, slug, title, body_html, \
                             status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                            .bind(&input.external_id).bind(lang).bind(&slug).bind(&input.title)
                            .bind(&input.body_html).bind(status).bind(created).bind(now.as_second())
                            .fetch_one(&mut *tx).await?;
                        outcome.created += 1;
                        id
                    }
                };
                sqlx::query(REVISION).bind(id).bind(None::<i64>).bind(now.as_second()).execute(&mut *tx).await?;
                sqlx::query(LOG_PAGE_CHANGE).bind(None::<i64>).bind(lang).bind(now.as_second()).execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(outcome)
    }
}
