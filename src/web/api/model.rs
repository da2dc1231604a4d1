//! The JSON the API speaks: what it answers and what it accepts. Every type here is described
//! in the OpenAPI document (`/api/openapi.json`), generated from these definitions.

use crate::domain::{Article, Section};
use crate::storage::ArticleSummary;
use crate::web::public::urls;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Times are RFC 3339 strings in UTC.
fn time(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// An article as the API returns it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleOut {
    pub id: i64,
    /// Send it back in `If-Match` with a change; it is also the `ETag`.
    pub version: i64,
    #[schema(example = "en")]
    pub lang: String,
    /// The section's slug.
    pub section: String,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub lead: String,
    /// Sanitized HTML.
    pub body_html: String,
    /// `draft`, `scheduled` or `published`.
    #[schema(example = "published")]
    pub status: String,
    pub publish_at: String,
    pub created_at: String,
    pub updated_at: String,
    /// Shared by the article's translations.
    pub translation_key: String,
    /// The public address; only for published articles.
    pub url: Option<String>,
    /// The lead photo's id in the library.
    pub lead_image_id: Option<i64>,
    /// Tag names, most important first.
    pub tags: Vec<String>,
    /// Who it is credited to, in order.
    pub bylines: Vec<String>,
    /// When it takes itself off the site (RFC 3339), if it does.
    pub expires_at: Option<String>,
}

impl ArticleOut {
    pub fn new(
        a: &Article,
        section: Option<&Section>,
        base_url: &str,
        lead_image_id: Option<i64>,
    ) -> ArticleOut {
        let section_slug = section.map(|s| s.slug.clone()).unwrap_or_default();
        let url = (a.status == crate::domain::Status::Published && section.is_some())
            .then(|| format!("{base_url}{}", urls::article(&a.lang, &section_slug, &a.slug)));
        ArticleOut {
            id: a.id,
            version: a.version,
            lang: a.lang.to_string(),
            section: section_slug,
            section_id: a.section_id,
            slug: a.slug.clone(),
            title: a.title.clone(),
            lead: a.lead.clone(),
            body_html: a.body_html.clone(),
            status: a.status.to_string(),
            publish_at: time(a.publish_at),
            created_at: time(a.created_at),
            updated_at: time(a.updated_at),
            translation_key: a.translation_key.clone(),
            url,
            lead_image_id,
            tags: a.tags.clone(),
            bylines: a.bylines.clone(),
            expires_at: a.expires_at.map(time),
        }
    }
}

/// An article in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticleItem {
    pub id: i64,
    pub lang: String,
    pub section: String,
    pub section_id: i64,
    pub slug: String,
    pub title: String,
    pub lead: String,
    pub publish_at: String,
    pub updated_at: String,
    pub url: String,
    pub lead_image_id: Option<i64>,
    pub tags: Vec<String>,
}

impl ArticleItem {
    pub fn new(a: &ArticleSummary, section: &str, base_url: &str) -> ArticleItem {
        ArticleItem {
            id: a.id,
            lang: a.lang.to_string(),
            section: section.to_string(),
            section_id: a.section_id,
            slug: a.slug.clone(),
            title: a.title.clone(),
            lead: a.lead.clone(),
            publish_at: time(a.publish_at),
            updated_at: time(a.updated_at),
            url: format!("{base_url}{}", urls::article(&a.lang, section, &a.slug)),
            lead_image_id: a.lead_image.as_ref().map(|i| i.id),
            tags: a.tags.clone(),
        }
    }
}

/// One page of a list, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ArticlePage {
    pub items: Vec<ArticleItem>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Filters of the article list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArticleQuery {
    /// A site language (default: the site's default language).
    pub lang: Option<String>,
    /// A section's slug.
    pub section: Option<String>,
    /// A tag's slug in the language (`moskva` for "Москва"), as in `/{lang}/tag/{slug}`.
    pub tag: Option<String>,
    /// Only articles published on or after this date (`YYYY-MM-DD`) or time (RFC 3339).
    pub from: Option<String>,
    /// Only articles published before this date or time.
    pub to: Option<String>,
    /// Words to search for (Russian and English stemming).
    pub q: Option<String>,
    /// From `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Items per page, 1 to 100 (default 20).
    pub limit: Option<u32>,
}

/// A section.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionOut {
    pub id: i64,
    pub slug: String,
    /// The section's name per language code.
    #[schema(value_type = Object)]
    pub names: std::collections::BTreeMap<String, String>,
    pub position: i64,
}

impl From<&Section> for SectionOut {
    fn from(s: &Section) -> SectionOut {
        SectionOut { id: s.id, slug: s.slug.clone(), names: s.names.clone(), position: s.position }
    }
}

/// A section to create or rename (matched by slug).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionIn {
    pub slug: String,
    #[schema(value_type = Object)]
    pub names: std::collections::BTreeMap<String, String>,
    /// A whole number (`65535.0` is read as 65535).
    #[serde(default)]
    #[schema(value_type = i64)]
    pub position: f64,
}

/// One language version of an article.
#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationOut {
    pub id: i64,
    pub lang: String,
    pub status: String,
    /// The public address, when published.
    pub url: Option<String>,
}

/// A search hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    pub id: i64,
    pub title: String,
    /// The title, escaped, with matched words in `<mark>`.
    pub title_html: String,
    /// A passage around the matches, escaped, matches in `<mark>`.
    pub snippet_html: String,
    pub publish_at: String,
    pub url: String,
}

/// Search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOut {
    /// How many articles match; when `more` is true, how many were counted before counting
    /// stopped (10,000, or enough to reach the requested page).
    pub total: usize,
    /// More articles match than `total`.
    pub more: bool,
    pub hits: Vec<SearchHit>,
}

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words to search for.
    pub q: String,
    pub lang: Option<String>,
    /// A section's slug.
    pub section: Option<String>,
    /// A tag's slug.
    pub tag: Option<String>,
    /// `relevance` (default) or `date`.
    pub sort: Option<String>,
    pub offset: Option<usize>,
    /// 1 to 50 (default 10).
    pub limit: Option<usize>,
}

/// A new article.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleCreate {
    #[schema(example = "en")]
    pub lang: String,
    pub title: String,
    #[serde(default)]
    pub lead: Option<String>,
    /// HTML; sanitized on the way in.
    #[serde(default)]
    pub body_html: Option<String>,
    /// A section's slug or id.
    pub section: SectionRef,
    /// An address; made from the title when absent (Cyrillic transliterated).
    #[serde(default)]
    pub slug: Option<String>,
    /// RFC 3339; with `status: scheduled`, when to publish.
    #[serde(default)]
    pub publish_at: Option<String>,
    /// `draft` (default), `published` or `scheduled`.
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "whole_option")]
    pub lead_image_id: Option<i64>,
    /// The article this one translates: linked to it, with its section, lead photo and bylines
    /// unless given here; the text is this article's own.
    #[serde(default, deserialize_with = "whole_option")]
    pub translation_of: Option<i64>,
    /// Tag names, most important first (at most 20, each up to 60 characters).
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// Who the article is credited to, in order: people or a desk ("Press Service"); the same
    /// limits as tags.
    #[serde(default)]
    pub bylines: Option<Vec<String>>,
    /// RFC 3339; when the article takes itself off the site again (a temporary notice).
    #[serde(default)]
    pub expires_at: Option<String>,
}

/// A section named by slug or by id.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum SectionRef {
    Id(#[serde(deserialize_with = "whole")] i64),
    Slug(String),
}

/// Changes to an article; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticlePatch {
    pub title: Option<String>,
    pub lead: Option<String>,
    pub body_html: Option<String>,
    pub section: Option<SectionRef>,
    pub slug: Option<String>,
    pub publish_at: Option<String>,
    /// A photo id, or `null` to remove the lead photo.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub lead_image_id: Option<Option<i64>>,
    /// Tag names; replaces the article's tags (`[]` removes them all).
    pub tags: Option<Vec<String>>,
    /// Bylines; replaces the article's (`[]` removes them all).
    pub bylines: Option<Vec<String>>,
    /// RFC 3339; when the article takes itself off the site, or `null` for never.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub expires_at: Option<Option<String>>,
    /// A public note (at most 1000 characters) that makes this change of a published article a
    /// correction: shown under the article, on the corrections page and in its feed.
    pub correction: Option<String>,
}

/// Tells "absent" (keep) from `null` (remove) for any value.
fn nullable<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Tells "absent" (keep) from `null` (remove).
fn double_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    whole_option(d).map(Some)
}

/// An id as JSON writers send it: JSON has one number type, and some clients (JavaScript,
/// schema-driven generators) write a whole number as `24716.0`. A fraction is refused.
fn whole<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
        _ => Err(serde::de::Error::custom(format!("expected a whole number, found {n}"))),
    }
}

/// [`whole`], or `null`.
fn whole_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole")] i64);
    Ok(Option::<Whole>::deserialize(d)?.map(|w| w.0))
}

/// Details of a workflow step: `{}` for most; `schedule` may name the time, `send-back` may
/// say why.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepIn {
    /// RFC 3339, in the future.
    pub publish_at: Option<String>,
    /// For `send-back`: what the author should change; added to the article's review notes in
    /// the same transaction as the step (at most 5,000 characters).
    pub comment: Option<String>,
    /// For `publish` and `schedule`: release the story's other languages not yet published at
    /// the same moment, in the same transaction (all go out, or none does).
    #[serde(default)]
    pub with_translations: bool,
}

/// A photo in the library.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoOut {
    pub id: i64,
    pub width: i64,
    pub height: i64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
    /// A resized copy for pages.
    pub url: String,
}

/// What went wrong (RFC 9457 problem details), in the language of `Accept-Language`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What to do about it.
    pub detail: String,
    /// Per-field messages for invalid input.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// One field's problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// A webhook subscription to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// Where to POST deliveries (http or https; private networks only where the site allows).
    #[schema(example = "https://portal.example.org/hooks/news")]
    pub url: String,
    /// Any of `article.published`, `article.updated`, `article.unpublished`, `article.deleted`,
    /// `section.changed`.
    pub events: Vec<String>,
}

/// A webhook subscription, with its signing secret (shown this once).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookOut {
    pub id: i64,
    pub url: String,
    pub events: Vec<String>,
    pub active: bool,
    pub failing: bool,
    pub created_at: String,
    /// `whsec_…`: verify deliveries with it (Standard Webhooks); it is not shown again.
    pub secret: String,
}

/// A photo to upload.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct PhotoUpload {
    /// JPEG, PNG or WebP.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    /// Alternative text for people who cannot see the photo.
    pub alt: Option<String>,
    pub caption: Option<String>,
    pub credit: Option<String>,
    /// The language the texts are in, when not the site's default: they become the photo's
    /// texts for that language's readers as well as its own.
    pub lang: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_may_come_as_whole_floats_but_not_fractions() {
        let create: ArticleCreate = serde_json::from_str(
            r#"{"lang":"en","title":"T","section":3.0,"translation_of":24716.0,"lead_image_id":null}"#,
        )
        .unwrap();
        assert_eq!(create.translation_of, Some(24716));
        assert!(matches!(create.section, SectionRef::Id(3)));
        assert_eq!(create.lead_image_id, None);
        let patch: ArticlePatch = serde_json::from_str(r#"{"lead_image_id":7.0}"#).unwrap();
        assert_eq!(patch.lead_image_id, Some(Some(7)));
        let patch: ArticlePatch = serde_json::from_str(r#"{"lead_image_id":null}"#).unwrap();
        assert_eq!(patch.lead_image_id, Some(None));
        assert!(
            serde_json::from_str::<ArticleCreate>(
                r#"{"lang":"en","title":"T","section":"news","translation_of":1.5}"#
            )
            .is_err()
        );
        assert!(serde_json::from_str::<ArticlePatch>(r#"{"lead_image_id":1e300}"#).is_err());
    }
}
