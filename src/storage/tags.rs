//! Tags in the database: each tag once per language (`tags`), the articles carrying it in the
//! writer's order (`article_tags`), and the names kept on the article row itself (`articles.tags`)
//! so that an article and its revisions read whole in one query.
//!
//! Every writer of articles calls [`set_tags!`] inside its transaction, so the three always
//! agree. Tag lists are [`super::ListFilter`]s with a `tag_id`.

use super::{Result, Store, with_pool};
use crate::domain::{Lang, Tag};

/// The tables of names an article carries in order, each once per language with a page of its
/// own: tags (`/{lang}/tag/{slug}`) and bylines (`/{lang}/author/{slug}`).
pub(crate) struct Labels {
    /// The names, once per language and slug.
    pub table: &'static str,
    /// Article ↔ name links, with the writer's order.
    pub link: &'static str,
    /// The link table's column naming the name's row.
    pub key: &'static str,
    /// The article's column keeping the names as JSON.
    pub column: &'static str,
}

pub(crate) const TAGS: Labels = Labels { table: "tags", link: "article_tags", key: "tag_id", column: "tags" };
pub(crate) const BYLINES: Labels =
    Labels { table: "authors", link: "article_authors", key: "author_id", column: "bylines" };

/// Replaces an article's names of one kind ([`Labels`]) inside a transaction: creates those
/// the language does not have yet (named as first written), links them in order and stores
/// the names on the row. Evaluates to `Result<(), sqlx::Error>`; `$names` must already be
/// normalized ([`crate::domain::tag::normalize`]).
macro_rules! set_labels {
    ($tx:expr, $labels:expr, $article_id:expr, $lang:expr, $names:expr) => {
        async {
            let labels: &$crate::storage::tags::Labels = &$labels;
            let article_id: i64 = $article_id;
            let lang: &str = $lang;
            let names: &[String] = $names;
            sqlx::query(&format!("DELETE FROM {} WHERE article_id = $1", labels.link))
                .bind(article_id)
                .execute(&mut *$tx)
                .await?;
            for (position, name) in names.iter().enumerate() {
                let slug = $crate::domain::tag::slug_of(name);
                sqlx::query(&format!(
                    "INSERT INTO {} (lang, slug, name) VALUES ($1, $2, $3) ON CONFLICT (lang, slug) DO NOTHING",
                    labels.table
                ))
                .bind(lang)
                .bind(&slug)
                .bind(name)
                .execute(&mut *$tx)
                .await?;
                let id: i64 = sqlx::query_scalar(&format!("SELECT id FROM {} WHERE lang = $1 AND slug = $2", labels.table))
                    .bind(lang)
                    .bind(&slug)
                    .fetch_one(&mut *$tx)
                    .await?;
                sqlx::query(&format!(
                    "INSERT INTO {} (article_id, {}, position) VALUES ($1, $2, $3) ON CONFLICT (article_id, {}) DO NOTHING",
                    labels.link, labels.key, labels.key
                ))
                .bind(article_id)
                .bind(id)
                .bind(position as i64)
                .execute(&mut *$tx)
                .await?;
            }
            let json = serde_json::to_string(names).unwrap_or_else(|_| "[]".into());
            sqlx::query(&format!("UPDATE articles SET {} = $1 WHERE id = $2", labels.column))
                .bind(json)
                .bind(article_id)
                .execute(&mut *$tx)
                .await?;
            Ok::<(), sqlx::Error>(())
        }
    };
}
pub(crate) use set_labels;

/// Replaces an article's tags inside a transaction ([`set_labels!`] with [`TAGS`]).
macro_rules! set_tags {
    ($tx:expr, $article_id:expr, $lang:expr, $names:expr) => {
        $crate::storage::tags::set_labels!($tx, $crate::storage::tags::TAGS, $article_id, $lang, $names)
    };
}
pub(crate) use set_tags;

/// A tag with how many published articles carry it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct TagCount {
    pub id: i64,
    pub lang: String,
    pub slug: String,
    pub name: String,
    pub articles: i64,
}

impl Store {
    /// The byline (person or desk) of a language with this slug.
    pub async fn author(&self, lang: &Lang, slug: &str) -> Result<Option<Tag>> {
        const SQL: &str = "SELECT id, lang, slug, name FROM authors WHERE lang = $1 AND slug = $2";
        let row: Option<(i64, String, String, String)> = with_pool!(self, p => sqlx::query_as(SQL).bind(lang.as_str()).bind(slug).fetch_optional(p).await?);
        Ok(row.map(|(id, lang, slug, name)| Tag { id, lang, slug, name }))
    }

    /// The tag of a language with this slug.
    pub async fn tag(&self, lang: &Lang, slug: &str) -> Result<Option<Tag>> {
        const SQL: &str = "SELECT id, lang, slug, name FROM tags WHERE lang = $1 AND slug = $2";
        let row: Option<(i64, String, String, String)> = with_pool!(self, p => sqlx::query_as(SQL).bind(lang.as_str()).bind(slug).fetch_optional(p).await?);
        Ok(row.map(|(id, lang, slug, name)| Tag { id, lang, slug, name }))
    }

    /// A language's tags with their published articles, most used first; tags no published
    /// article carries are left out.
    pub async fn tags_in_use(&self, lang: &Lang, limit: u32) -> Result<Vec<TagCount>> {
        const SQL: &str = "SELECT g.id, g.lang, g.slug, g.name, COUNT(a.id) AS articles FROM tags g \
             JOIN article_tags t ON t.tag_id = g.id \
             JOIN articles a ON a.id = t.article_id AND a.status = 'published' AND a.deleted_at IS NULL \
             WHERE g.lang = $1 GROUP BY g.id, g.lang, g.slug, g.name \
             ORDER BY articles DESC, g.slug LIMIT $2";
        let rows: Vec<TagCount> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(lang.as_str()).bind(i64::from(limit)).fetch_all(p).await?);
        Ok(rows)
    }
}
