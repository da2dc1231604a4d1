//! Daily view counts per article, for "most read" lists.

use super::{Result, Store, with_pool};
use crate::domain::Lang;

impl Store {
    /// Adds views to an article's count for a day (days since the Unix epoch, UTC).
    pub async fn add_views(&self, article_id: i64, day: i64, views: i64) -> Result<()> {
        const SQL: &str = "INSERT INTO article_views (article_id, day, views) VALUES ($1, $2, $3) \
                           ON CONFLICT (article_id, day) DO UPDATE SET views = article_views.views + excluded.views";
        with_pool!(self, p => sqlx::query(SQL).bind(article_id).bind(day).bind(views).execute(p).await.map(|_| ())?);
        Ok(())
    }

    /// The most viewed published articles in a language since a day, most viewed first.
    pub async fn most_read(&self, lang: &Lang, since_day: i64, limit: u32) -> Result<Vec<i64>> {
        // `CROSS JOIN`: the week's views first, then their articles by id (SQLite otherwise reads
        // every published article of the language and looks each up in the views).
        const SQL: &str = "SELECT a.id FROM article_views v CROSS JOIN articles a \
                           WHERE a.id = v.article_id AND v.day >= $1 AND a.lang = $2 AND a.status = 'published' \
                           GROUP BY a.id ORDER BY SUM(v.views) DESC, a.id DESC LIMIT $3";
        let ids: Vec<i64> = with_pool!(self, p => sqlx::query_scalar(SQL)
            .bind(since_day).bind(lang.as_str()).bind(i64::from(limit)).fetch_all(p).await?);
        Ok(ids)
    }
}
