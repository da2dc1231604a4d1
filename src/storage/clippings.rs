//! "Media about us": clippings of what other outlets published about the organization, kept
//! in a table of their own so they never mix with its own news (lists, feeds, sitemaps,
//! structured data all read `articles`).

use super::{BeginWrite, Result, Store, with_pool};
use jiff::Timestamp;

/// Every write logs a public change of its language's pages (kind `page`, like static pages),
/// so each node's page cache lets go of the list, in the write's transaction.
const LOG_CHANGE: &str =
    "INSERT INTO changes (article_id, kind, public, user_id, lang, at) VALUES (NULL, 'page', 1, $1, $2, $3)";

/// One clipping as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Clipping {
    pub id: i64,
    #[serde(flatten)]
    #[sqlx(flatten)]
    pub text: ClippingText,
}

/// What a clipping is made of, checked (see [`crate::newsroom::clippings`]). `published_on`
/// is the outlet's date, `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct ClippingText {
    pub lang: String,
    pub outlet: String,
    pub published_on: String,
    pub title: String,
    pub url: String,
    pub quote: String,
}

const COLUMNS: &str = "id, lang, outlet, published_on, title, url, quote";

impl Store {
    /// Adds a clipping; returns its id.
    pub async fn create_clipping(
        &self,
        c: &ClippingText,
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<i64> {
        const SQL: &str = "INSERT INTO clippings (lang, outlet, published_on, title, url, quote, user_id, \
                           created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id";
        let id: i64 = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let id: i64 = sqlx::query_scalar(SQL)
                .bind(&c.lang).bind(&c.outlet).bind(&c.published_on).bind(&c.title).bind(&c.url).bind(&c.quote)
                .bind(user_id).bind(now.as_second())
                .fetch_one(&mut *tx).await?;
            sqlx::query(LOG_CHANGE).bind(user_id).bind(&c.lang).bind(now.as_second()).execute(&mut *tx).await?;
            tx.commit().await?;
            id
        });
        Ok(id)
    }

    /// Replaces a clipping's texts; `false` when there is no such clipping.
    pub async fn update_clipping(
        &self,
        id: i64,
        c: &ClippingText,
        user_id: Option<i64>,
        now: Timestamp,
    ) -> Result<bool> {
        const SQL: &str = "UPDATE clippings SET lang = $1, outlet = $2, published_on = $3, title = $4, url = $5, \
                           quote = $6, updated_at = $7 WHERE id = $8 RETURNING (SELECT lang FROM clippings WHERE id = $8)";
        let done = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            // Every row read: a RETURNING statement must run to its end before the commit.
            let before: Option<String> = sqlx::query_scalar(SQL)
                .bind(&c.lang).bind(&c.outlet).bind(&c.published_on).bind(&c.title).bind(&c.url).bind(&c.quote)
                .bind(now.as_second()).bind(id)
                .fetch_all(&mut *tx).await?.pop();
            if let Some(before) = &before {
                // Both languages' lists, when the clipping moved between them.
                for lang in [before.as_str(), c.lang.as_str()] {
                    sqlx::query(LOG_CHANGE).bind(user_id).bind(lang).bind(now.as_second()).execute(&mut *tx).await?;
                }
                tx.commit().await?;
            }
            before.is_some()
        });
        Ok(done)
    }

    /// Removes a clipping; `false` when there was none.
    pub async fn delete_clipping(&self, id: i64, user_id: Option<i64>, now: Timestamp) -> Result<bool> {
        const SQL: &str = "DELETE FROM clippings WHERE id = $1 RETURNING lang";
        let done = with_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let lang: Option<String> = sqlx::query_scalar(SQL).bind(id).fetch_all(&mut *tx).await?.pop();
            if let Some(lang) = &lang {
                sqlx::query(LOG_CHANGE).bind(user_id).bind(lang).bind(now.as_second()).execute(&mut *tx).await?;
                tx.commit().await?;
            }
            lang.is_some()
        });
        Ok(done)
    }

    pub async fn clipping(&self, id: i64) -> Result<Option<Clipping>> {
        let sql = format!("SELECT {COLUMNS} FROM clippings WHERE id = $1");
        let row: Option<Clipping> =
            with_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        Ok(row)
    }

    /// A page of clippings, newest outlet date first (of one language, or all), and how many
    /// there are.
    pub async fn clippings_page(
        &self,
        lang: Option<&str>,
        limit: u32,
        offset: u64,
    ) -> Result<(Vec<Clipping>, i64)> {
        let sql = format!(
            "SELECT {COLUMNS} FROM clippings WHERE ($1 = '' OR lang = $1) \
             ORDER BY published_on DESC, id DESC LIMIT $2 OFFSET $3"
        );
        const COUNT: &str = "SELECT COUNT(*) FROM clippings WHERE ($1 = '' OR lang = $1)";
        let lang = lang.unwrap_or("");
        let offset = i64::try_from(offset).unwrap_or(i64::MAX);
        let (rows, total) = with_pool!(self, p => {
            let rows: Vec<Clipping> =
                sqlx::query_as(&sql).bind(lang).bind(i64::from(limit)).bind(offset).fetch_all(p).await?;
            let total: i64 = sqlx::query_scalar(COUNT).bind(lang).fetch_one(p).await?;
            (rows, total)
        });
        Ok((rows, total))
    }
}
