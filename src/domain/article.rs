//! Articles: the unit of news. An article is written in one language; its translations share a
//! translation key. Only published articles are ever shown to readers.

use super::{Lang, slug};
use jiff::Timestamp;
use std::fmt;

/// Longest title, in characters. Headlines past this are a paste accident, not a headline.
pub const MAX_TITLE: usize = 300;
/// Longest lead, in characters.
pub const MAX_LEAD: usize = 3_000;
/// Longest body, in bytes of HTML.
pub const MAX_BODY: usize = 2_000_000;
/// Longest external id or translation key.
pub const MAX_KEY: usize = 200;

/// Where an article is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being written; never public.
    Draft,
    /// Approved, waiting for its publication time; made public by the scheduler.
    Scheduled,
    /// Public.
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "draft" => Some(Status::Draft),
            "scheduled" => Some(Status::Scheduled),
            "published" => Some(Status::Published),
            _ => None,
        }
    }

    /// A published article dated in the future is really scheduled, and a scheduled one whose
    /// time has come is published: the stored status always agrees with the clock.
    pub fn normalized(self, publish_at: Timestamp, now: Timestamp) -> Status {
        match self {
            Status::Published if publish_at > now => Status::Scheduled,
            Status::Scheduled if publish_at <= now => Status::Published,
            other => other,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An article as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: i64,
    /// Stable identity across exports and re-imports; generated when the source has none.
    pub external_id: String,
    /// Shared by all translations of the same story.
    pub translation_key: String,
    pub lang: Lang,
    pub section_id: i64,
    /// Unique within the language; part of the URL.
    pub slug: String,
    pub title: String,
    /// Plain text summary shown in lists and feeds.
    pub lead: String,
    /// Sanitized HTML.
    pub body_html: String,
    pub status: Status,
    /// When the article is (or will be) public; shown as its date.
    pub publish_at: Timestamp,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Incremented on every save; a save names the version it started from.
    pub version: i64,
    /// Tag names, most important first (see [`super::tag`]).
    pub tags: Vec<String>,
    /// Who it is credited to (people or a desk), in credit order.
    pub bylines: Vec<String>,
    /// When a published article takes itself off the site (a temporary notice); the
    /// scheduler unpublishes it then and clears this.
    pub expires_at: Option<Timestamp>,
}

/// A new or changed article, as it arrives from an import, the editor or the API.
/// `body_html` must already be sanitized (see [`super::markup`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleInput {
    pub external_id: Option<String>,
    pub translation_key: Option<String>,
    pub lang: Lang,
    pub section_slug: String,
    /// Derived from the title when absent.
    pub slug: Option<String>,
    pub title: String,
    pub lead: String,
    pub body_html: String,
    pub status: Status,
    pub publish_at: Timestamp,
    pub created_at: Option<Timestamp>,
    pub updated_at: Option<Timestamp>,
    /// Tag names as the source has them; cleaned by [`super::tag::normalize`] on the way in.
    pub tags: Vec<String>,
    /// What an import brings from the old system besides the text.
    pub extras: ArticleExtras,
}

/// What an imported article brings from the system it comes from besides its text: where it
/// stood in that system's workflow, its photo, and the addresses readers knew it by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleExtras {
    /// Waiting for an editor's review (WordPress's "pending").
    pub review_requested: bool,
    /// In the old system's trash: it arrives in the trash, never public.
    pub trashed: bool,
    /// The lead photo, already in the media library.
    pub lead_image_id: Option<i64>,
    /// Who it is credited to on the old site (people or a desk), in credit order.
    pub bylines: Vec<String>,
    /// Paths it had on the old site (`/2024/05/17/slug`, `/?p=123`), as
    /// [`super::redirect::source_key`] normalizes them; each answers a permanent redirect.
    pub old_paths: Vec<String>,
}

/// One field of one article is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: &'static str,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        ValidationError { field, message: message.into() }
    }
}

impl ArticleInput {
    /// Checks every field against the site's rules; the first problem found is returned.
    pub fn validate(&self, languages: &[Lang]) -> Result<(), ValidationError> {
        if !languages.contains(&self.lang) {
            let known: Vec<&str> = languages.iter().map(Lang::as_str).collect();
            return Err(ValidationError::new(
                "lang",
                format!("'{}' is not one of the site's languages ({})", self.lang, known.join(", ")),
            ));
        }
        let title_len = self.title.chars().count();
        if self.title.trim().is_empty() {
            return Err(ValidationError::new("title", "must not be empty"));
        }
        if title_len > MAX_TITLE {
            return Err(ValidationError::new(
                "title",
                format!("is {title_len} characters long; the limit is {MAX_TITLE}"),
            ));
        }
        let lead_len = self.lead.chars().count();
        if lead_len > MAX_LEAD {
            return Err(ValidationError::new(
                "lead",
                format!("is {lead_len} characters long; the limit is {MAX_LEAD}"),
            ));
        }
        if self.body_html.len() > MAX_BODY {
            return Err(ValidationError::new(
                "body",
                format!("is {} bytes long; the limit is {MAX_BODY}", self.body_html.len()),
            ));
        }
        if let Some(s) = &self.slug {
            if !slug::is_valid(s) {
                return Err(ValidationError::new(
                    "slug",
                    format!("'{s}' must be lowercase letters, digits and single hyphens"),
                ));
            }
        } else if slug::slugify(&self.title).is_empty() {
            return Err(ValidationError::new("slug", "the title has no letters to make a slug from"));
        }
        for (field, value) in [("external_id", &self.external_id), ("translation_key", &self.translation_key)]
        {
            if let Some(v) = value
                && (v.trim().is_empty() || v.len() > MAX_KEY)
            {
                return Err(ValidationError::new(field, format!("must be 1 to {MAX_KEY} characters")));
            }
        }
        if self.section_slug.trim().is_empty() {
            return Err(ValidationError::new("section", "must not be empty"));
        }
        super::tag::normalize(&self.tags).map_err(|e| ValidationError::new("tags", e.to_string()))?;
        Ok(())
    }

    /// The slug to use: the given one, or one made from the title.
    pub fn wanted_slug(&self) -> String {
        self.slug.clone().unwrap_or_else(|| slug::slugify(&self.title))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ArticleInput {
        ArticleInput {
            external_id: None,
            translation_key: None,
            lang: Lang::parse("en").unwrap(),
            section_slug: "news".into(),
            slug: None,
            tags: vec!["Москва".into()],
            extras: Default::default(),
            title: "Annual training course".into(),
            lead: "From 21 to 25 April".into(),
            body_html: "<p>Text</p>".into(),
            status: Status::Published,
            publish_at: Timestamp::UNIX_EPOCH,
            created_at: None,
            updated_at: None,
        }
    }

    fn langs() -> Vec<Lang> {
        vec![Lang::parse("en").unwrap(), Lang::parse("ru").unwrap()]
    }

    #[test]
    fn a_good_article_passes() {
        assert_eq!(input().validate(&langs()), Ok(()));
        assert_eq!(input().wanted_slug(), "annual-training-course");
    }

    #[test]
    fn each_bad_field_is_named() {
        let cases: Vec<(ArticleInput, &str)> = vec![
            (ArticleInput { title: " ".into(), ..input() }, "title"),
            (ArticleInput { title: "x".repeat(MAX_TITLE + 1), ..input() }, "title"),
            (ArticleInput { lead: "x".repeat(MAX_LEAD + 1), ..input() }, "lead"),
            (ArticleInput { lang: Lang::parse("de").unwrap(), ..input() }, "lang"),
            (ArticleInput { slug: Some("Bad Slug".into()), ..input() }, "slug"),
            (ArticleInput { title: "???".into(), ..input() }, "slug"),
            (ArticleInput { external_id: Some(String::new()), ..input() }, "external_id"),
            (ArticleInput { body_html: "x".repeat(MAX_BODY + 1), ..input() }, "body"),
            (ArticleInput { tags: vec!["x".repeat(61)], ..input() }, "tags"),
        ];
        for (article, field) in cases {
            assert_eq!(article.validate(&langs()).unwrap_err().field, field);
        }
    }

    #[test]
    fn status_follows_the_clock() {
        let now = Timestamp::from_second(1_000).unwrap();
        let later = Timestamp::from_second(2_000).unwrap();
        assert_eq!(Status::Published.normalized(later, now), Status::Scheduled);
        assert_eq!(Status::Scheduled.normalized(now, later), Status::Published);
        assert_eq!(Status::Draft.normalized(now, later), Status::Draft);
    }
}
