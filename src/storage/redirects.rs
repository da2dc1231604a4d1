//! Old addresses of imported content ([`crate::domain::redirect`]) and where they lead now.
//! Articles' old addresses are written with the article ([`Store::save_articles`]); addresses
//! of lists and feeds (`/category/news/feed`) by [`Store::save_redirects`].

use super::rows::{ARTICLE_COLUMNS, ArticleRow};
use super::{BeginWrite, Result, Store, with_pool};
use crate::domain::Article;
use jiff::Timestamp;

/// Where an old address leads.
#[derive(Debug, Clone, PartialEq)]
pub enum RedirectTarget {
    /// An article, wherever it lives now (its address is built from its current slug).
    Article(Box<Article>),
    /// A path of this site.
    Path(String),
}

/// An old address as the back office lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RedirectRow {
    /// The normalized key ([`crate::domain::redirect::source_key`]).
    pub source: String,
    /// The article it leads to, if it leads to one.
    pub article_id: Option<i64>,
    pub title: Option<String>,
    /// Where a reader lands now; `None` while the article is not public.
    pub to: Option<String>,
}

impl Store {
    /// The target of the old address with this key ([`crate::domain::redirect::source_key`]).
    pub async fn redirect(&self, key: &str) -> Result<Option<RedirectTarget>> {
        const SQL: &str = "SELECT article_id, target FROM redirects WHERE source = $1";
        let row: Option<(Option<i64>, Option<String>)> =
            with_pool!(self, p => sqlx::query_as(SQL).bind(key).fetch_optional(p).await?);
        match row {
            Some((Some(id), _)) => {
                let sql =
                    format!("SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1 AND deleted_at IS NULL");
                let article: Option<ArticleRow> =
                    with_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
                Ok(article.map(Article::try_from).transpose()?.map(|a| RedirectTarget::Article(Box::new(a))))
            }
            Some((None, Some(path))) => Ok(Some(RedirectTarget::Path(path))),
            _ => Ok(None),
        }
    }

    /// Adds or replaces redirects from old addresses (keys) to paths of this site, in one
    /// transaction.
    pub async fn save_redirects(&self, redirects: &[(String, String)], now: Timestamp) -> Result<()> {
        with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            for (source, target) in redirects {
                sqlx::query(
                    "INSERT INTO redirects (source, article_id, target, created_at) VALUES ($1, NULL, $2, $3) \
                     ON CONFLICT (source) DO UPDATE SET article_id = NULL, target = excluded.target",
                )
                .bind(source).bind(target).bind(now.as_second())
                .execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The old addresses of articles with ids in `(after, last]`: `(article id, key)` from
    /// imports, and `(article id, slug)` of the slugs they had here before (for export).
    pub async fn old_addresses_between(
        &self,
        after: i64,
        last: i64,
    ) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>)> {
        const PATHS: &str = "SELECT article_id, source FROM redirects WHERE article_id > $1 AND article_id <= $2 \
                             ORDER BY article_id, source";
        const SLUGS: &str = "SELECT article_id, slug FROM slug_redirects WHERE article_id > $1 AND article_id <= $2 \
                             ORDER BY article_id, slug";
        let paths: Vec<(i64, String)> =
            with_pool!(self, p => sqlx::query_as(PATHS).bind(after).bind(last).fetch_all(p).await?);
        let slugs: Vec<(i64, String)> =
            with_pool!(self, p => sqlx::query_as(SLUGS).bind(after).bind(last).fetch_all(p).await?);
        Ok((paths, slugs))
    }

    /// Old addresses that lead to paths (lists and feeds of an imported site), by key.
    pub async fn path_redirects(&self) -> Result<Vec<(String, String)>> {
        const SQL: &str = "SELECT source, target FROM redirects WHERE target IS NOT NULL ORDER BY source";
        Ok(with_pool!(self, p => sqlx::query_as(SQL).fetch_all(p).await?))
    }

    /// Old addresses whose key starts with `prefix`, in key order, at most `limit`, each with
    /// the path it leads to now (`None` for an article that is not public).
    pub async fn redirects_page(&self, prefix: &str, limit: u32) -> Result<Vec<RedirectRow>> {
        const SQL: &str = "SELECT r.source, r.article_id, r.target, a.title, a.lang, a.slug, a.status, s.slug \
             FROM redirects r LEFT JOIN articles a ON a.id = r.article_id AND a.deleted_at IS NULL \
             LEFT JOIN sections s ON s.id = a.section_id \
             WHERE r.source LIKE $1 ESCAPE '\\' ORDER BY r.source LIMIT $2";
        let pattern = format!("{}%", prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        type Row = (
            String,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(&pattern).bind(i64::from(limit)).fetch_all(p).await?);
        Ok(rows
            .into_iter()
            .map(|(source, article_id, target, title, lang, slug, status, section)| {
                let to = match (target, lang, section, slug, status.as_deref()) {
                    (Some(path), ..) => Some(path),
                    (None, Some(lang), Some(section), Some(slug), Some("published")) => {
                        Some(format!("/{lang}/{section}/{slug}"))
                    }
                    _ => None,
                };
                RedirectRow { source, article_id, title, to }
            })
            .collect())
    }

    /// Removes the old address with this key; whether there was one.
    pub async fn delete_redirect(&self, source: &str) -> Result<bool> {
        let done = with_pool!(self, p => sqlx::query("DELETE FROM redirects WHERE source = $1")
            .bind(source).execute(p).await?.rows_affected());
        Ok(done > 0)
    }

    /// How many old addresses are kept.
    pub async fn redirect_count(&self) -> Result<i64> {
        Ok(with_pool!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM redirects").fetch_one(p).await?))
    }
}
