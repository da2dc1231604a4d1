//! Queries for syndication: the newest articles with their bodies for RSS, Atom and JSON Feed,
//! and the article lists behind the sitemaps (the chunked article sitemaps with their
//! translations, and the Google News sitemap of the last days).
//!
//! Only published articles ever leave this module. Sitemap files are cut by id range, never by
//! `OFFSET`: the index is one grouped query, each file one range query, so serving the last file
//! of a million-article site costs the same as serving the first.

use super::media::{ImageRef, LEAD_IMAGE_COLUMNS};
use super::rows::{lang as parse_lang, timestamp};
use super::{Result, Store, StoreError, with_pool};
use crate::domain::Lang;
use jiff::Timestamp;

/// An article as a feed shows it: the summary fields plus the stored (already sanitized) body.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedArticle {
    pub id: i64,
    pub lang: Lang,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub lead: String,
    /// Sanitized when it was saved (see `domain::markup`), so it is served as is.
    pub body_html: String,
    pub publish_at: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Tag names, carried as categories.
    pub tags: Vec<String>,
    /// The lead photo, for enclosures.
    pub lead_image: Option<ImageRef>,
}

impl FeedArticle {
    /// When the article last changed as readers see it: an article scheduled long after it was
    /// written "changes" when it appears, so this is never earlier than the publication time.
    pub fn modified_at(&self) -> Timestamp {
        self.updated_at.max(self.publish_at)
    }
}

#[derive(sqlx::FromRow)]
struct FeedRow {
    id: i64,
    lang: String,
    section_id: i64,
    slug: String,
    title: String,
    lead: String,
    body_html: String,
    publish_at: i64,
    created_at: i64,
    updated_at: i64,
    tags: String,
    lead_image_id: Option<i64>,
    lead_image_key: Option<String>,
    lead_image_width: Option<i64>,
    lead_image_height: Option<i64>,
    lead_image_variant_bytes: Option<String>,
}

/// One non-empty article sitemap file: its number and when its newest change happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapChunk {
    /// File `n` holds the published articles with ids in `(n * chunk, (n + 1) * chunk]`.
    pub number: i64,
    /// The latest modification among its articles (publication counts as a modification).
    pub lastmod: Timestamp,
    /// How many published articles it holds (never more than the chunk size).
    pub count: i64,
}

/// A published language version of an article, for `hreflang` alternates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapAlternate {
    pub lang: Lang,
    pub section_id: i64,
    pub slug: String,
}

/// One `<url>` of an article sitemap: the article and every published version of it (itself
/// included), ordered by language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapArticle {
    pub id: i64,
    pub lang: Lang,
    pub section_id: i64,
    pub slug: String,
    pub lastmod: Timestamp,
    pub alternates: Vec<SitemapAlternate>,
}

#[derive(sqlx::FromRow)]
struct SitemapRow {
    id: i64,
    lang: String,
    section_id: i64,
    slug: String,
    lastmod: i64,
    alt_lang: String,
    alt_section_id: i64,
    alt_slug: String,
}

/// An article for the Google News sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsArticle {
    pub id: i64,
    pub lang: Lang,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub publish_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct NewsRow {
    id: i64,
    lang: String,
    section_id: i64,
    slug: String,
    title: String,
    publish_at: i64,
}

/// The first and last id (exclusive, inclusive) of sitemap file `number` for a chunk size;
/// `None` when the numbers do not make sense or the range would overflow.
pub fn chunk_bounds(number: i64, chunk: i64) -> Option<(i64, i64)> {
    if number < 0 || chunk < 1 {
        return None;
    }
    let start = number.checked_mul(chunk)?;
    Some((start, start.checked_add(chunk)?))
}

/// Portable `GREATEST(updated_at, publish_at)` (SQLite spells it `MAX(a, b)`).
const MODIFIED: &str = "CASE WHEN updated_at > publish_at THEN updated_at ELSE publish_at END";

impl Store {
    /// The newest `limit` published articles a list shows (a language, a section, a tag),
    /// newest first, with their bodies: what a feed carries.
    pub async fn feed_articles(&self, filter: &super::ListFilter, limit: u32) -> Result<Vec<FeedArticle>> {
        let (cond, params) = filter.where_clause();
        let sql = format!(
            "SELECT id, lang, section_id, slug, title, lead, body_html, publish_at, created_at, updated_at, tags, \
             {LEAD_IMAGE_COLUMNS}, \
             (SELECT m.variant_bytes FROM media m WHERE m.id = articles.lead_image_id) AS lead_image_variant_bytes \
             FROM articles {cond} ORDER BY publish_at DESC, id DESC LIMIT ${}",
            params.len() + 2
        );
        let rows: Vec<FeedRow> = with_pool!(self, p => {
            let mut q = sqlx::query_as(&sql).bind(filter.lang.as_str());
            for v in &params {
                q = q.bind(*v);
            }
            q.bind(i64::from(limit)).fetch_all(p).await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(FeedArticle {
                    id: r.id,
                    lang: parse_lang(&r.lang)?,
                    section_id: r.section_id,
                    slug: r.slug,
                    title: r.title,
                    lead: r.lead,
                    body_html: r.body_html,
                    publish_at: timestamp(r.publish_at, "publish_at")?,
                    created_at: timestamp(r.created_at, "created_at")?,
                    updated_at: timestamp(r.updated_at, "updated_at")?,
                    tags: super::rows::tag_names(&r.tags, "feed article")?,
                    lead_image: ImageRef::from_columns(
                        r.lead_image_id,
                        r.lead_image_key,
                        r.lead_image_width,
                        r.lead_image_height,
                    )
                    .map(|i| ImageRef { variant_bytes: r.lead_image_variant_bytes.unwrap_or_default(), ..i }),
                })
            })
            .collect()
    }

    /// The non-empty article sitemap files for a chunk size, in order: one grouped query over
    /// the published articles, no matter how many there are.
    pub async fn sitemap_chunks(&self, chunk: i64) -> Result<Vec<SitemapChunk>> {
        if chunk < 1 {
            return Err(StoreError::Corrupt(format!("sitemap chunk size {chunk}")));
        }
        // Ids start at 1, so `(id - 1) / chunk` is never negative and integer division agrees
        // between the dialects (both truncate BIGINT division).
        let sql = format!(
            "SELECT (id - 1) / $1 AS number, MAX({MODIFIED}) AS lastmod, COUNT(*) AS count \
             FROM articles WHERE status = 'published' GROUP BY (id - 1) / $1 ORDER BY 1"
        );
        let rows: Vec<(i64, i64, i64)> = with_pool!(self, p => sqlx::query_as(&sql)
            .bind(chunk).fetch_all(p).await?);
        rows.into_iter()
            .map(|(number, lastmod, count)| {
                Ok(SitemapChunk { number, lastmod: timestamp(lastmod, "sitemap lastmod")?, count })
            })
            .collect()
    }

    /// The articles of sitemap file `number` (ids in `(number * chunk, (number + 1) * chunk]`),
    /// in id order, each with its published translations: one range query. Empty past the end.
    pub async fn sitemap_articles(&self, number: i64, chunk: i64) -> Result<Vec<SitemapArticle>> {
        let Some((after, upto)) = chunk_bounds(number, chunk) else {
            return Ok(Vec::new());
        };
        const SQL: &str = "SELECT a.id, a.lang, a.section_id, a.slug, \
             CASE WHEN a.updated_at > a.publish_at THEN a.updated_at ELSE a.publish_at END AS lastmod, \
             t.lang AS alt_lang, t.section_id AS alt_section_id, t.slug AS alt_slug \
             FROM articles a JOIN articles t \
               ON t.translation_key = a.translation_key AND t.status = 'published' \
             WHERE a.status = 'published' AND a.id > $1 AND a.id <= $2 \
             ORDER BY a.id, t.lang";
        let rows: Vec<SitemapRow> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(after).bind(upto).fetch_all(p).await?);
        let mut out: Vec<SitemapArticle> = Vec::new();
        for r in rows {
            let alternate = SitemapAlternate {
                lang: parse_lang(&r.alt_lang)?,
                section_id: r.alt_section_id,
                slug: r.alt_slug,
            };
            match out.last_mut() {
                Some(last) if last.id == r.id => last.alternates.push(alternate),
                _ => out.push(SitemapArticle {
                    id: r.id,
                    lang: parse_lang(&r.lang)?,
                    section_id: r.section_id,
                    slug: r.slug,
                    lastmod: timestamp(r.lastmod, "sitemap lastmod")?,
                    alternates: vec![alternate],
                }),
            }
        }
        Ok(out)
    }

    /// Articles published at or after `since`, newest first, at most `limit`: the Google News
    /// sitemap, which may only list the last two days.
    pub async fn news_articles(&self, since: Timestamp, limit: u32) -> Result<Vec<NewsArticle>> {
        const SQL: &str = "SELECT id, lang, section_id, slug, title, publish_at FROM articles \
                           WHERE status = 'published' AND publish_at >= $1 \
                           ORDER BY publish_at DESC, id DESC LIMIT $2";
        let rows: Vec<NewsRow> = with_pool!(self, p => sqlx::query_as(SQL)
            .bind(since.as_second()).bind(i64::from(limit)).fetch_all(p).await?);
        rows.into_iter()
            .map(|r| {
                Ok(NewsArticle {
                    id: r.id,
                    lang: parse_lang(&r.lang)?,
                    section_id: r.section_id,
                    slug: r.slug,
                    title: r.title,
                    publish_at: timestamp(r.publish_at, "publish_at")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_half_open_id_ranges() {
        assert_eq!(chunk_bounds(0, 10_000), Some((0, 10_000)));
        assert_eq!(chunk_bounds(3, 10_000), Some((30_000, 40_000)));
        assert_eq!(chunk_bounds(2, 5), Some((10, 15)));
        assert_eq!(chunk_bounds(-1, 5), None);
        assert_eq!(chunk_bounds(1, 0), None);
        assert_eq!(chunk_bounds(i64::MAX, 2), None);
        // Every id lands in exactly the file the grouped query names: (id - 1) / chunk.
        for chunk in [1, 3, 10] {
            for id in 1..=50_i64 {
                let (after, upto) = chunk_bounds((id - 1) / chunk, chunk).unwrap();
                assert!(after < id && id <= upto, "id {id} chunk {chunk}");
            }
        }
    }
}
