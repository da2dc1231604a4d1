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

    /// How many old addresses are kept.
    pub async fn redirect_count(&self) -> Result<i64> {
        Ok(with_pool!(self, p => sqlx::query_scalar("SELECT COUNT(*) FROM redirects").fetch_one(p).await?))
    }
}
