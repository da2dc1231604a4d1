//! Row structs as the database returns them, and their conversion into domain types. Both
//! drivers decode these: integers are `BIGINT`/`INTEGER` (i64), text is `TEXT`.

use super::StoreError;
use crate::domain::{Article, Lang, Section, Status};
use jiff::Timestamp;

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SectionRow {
    pub id: i64,
    pub slug: String,
    pub names: String,
    pub position: i64,
}

impl TryFrom<SectionRow> for Section {
    type Error = StoreError;
    fn try_from(row: SectionRow) -> Result<Self, StoreError> {
        let names = serde_json::from_str(&row.names)
            .map_err(|e| StoreError::Corrupt(format!("section {} names: {e}", row.id)))?;
        Ok(Section { id: row.id, slug: row.slug, names, position: row.position })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ArticleRow {
    pub id: i64,
    pub external_id: String,
    pub translation_key: String,
    pub lang: String,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub body_html: String,
    pub status: String,
    pub publish_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// Tag names, a JSON array.
    pub tags: String,
    /// Byline names, a JSON array.
    pub bylines: String,
    pub expires_at: Option<i64>,
}

pub(crate) const ARTICLE_COLUMNS: &str = "id, external_id, translation_key, lang, section_id, slug, title, lead, \
     body_html, status, publish_at, created_at, updated_at, version, tags, bylines, expires_at";

/// Reads the tag names stored with an article or a revision.
pub(crate) fn tag_names(json: &str, what: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Corrupt(format!("{what} tags: {e}")))
}

pub(crate) fn timestamp(seconds: i64, what: &str) -> Result<Timestamp, StoreError> {
    Timestamp::from_second(seconds).map_err(|_| StoreError::Corrupt(format!("{what}: {seconds}")))
}

pub(crate) fn lang(code: &str) -> Result<Lang, StoreError> {
    Lang::parse(code).map_err(|e| StoreError::Corrupt(e.to_string()))
}

impl TryFrom<ArticleRow> for Article {
    type Error = StoreError;
    fn try_from(r: ArticleRow) -> Result<Self, StoreError> {
        Ok(Article {
            id: r.id,
            status: Status::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("article {} status {}", r.id, r.status)))?,
            lang: lang(&r.lang)?,
            publish_at: timestamp(r.publish_at, "publish_at")?,
            created_at: timestamp(r.created_at, "created_at")?,
            updated_at: timestamp(r.updated_at, "updated_at")?,
            external_id: r.external_id,
            translation_key: r.translation_key,
            section_id: r.section_id,
            slug: r.slug,
            title: r.title,
            lead: r.lead,
            body_html: r.body_html,
            version: r.version,
            tags: tag_names(&r.tags, &format!("article {}", r.id))?,
            bylines: tag_names(&r.bylines, &format!("article {} bylines", r.id))?,
            expires_at: r.expires_at.map(|s| timestamp(s, "expires_at")).transpose()?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SummaryRow {
    pub id: i64,
    pub lang: String,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub publish_at: i64,
    pub updated_at: i64,
    pub tags: String,
    pub lead_image_id: Option<i64>,
    pub lead_image_key: Option<String>,
    pub lead_image_width: Option<i64>,
    pub lead_image_height: Option<i64>,
}
