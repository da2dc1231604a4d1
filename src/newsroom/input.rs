//! What a writer sends (every field optional, as in a PATCH) and its checking against the
//! article as it stands: each problem is reported against its field, all of them at once.

use super::error::FieldError;
use super::policy::Action;
use crate::domain::article::{MAX_BODY, MAX_LEAD, MAX_TITLE};
use crate::domain::{Article, Lang, Status, markup, slug};

use crate::storage::editorial::ArticleEdit;
use jiff::Timestamp;

/// The lead photo: keep what the article has, remove it, or set one from the library.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LeadImage {
    #[default]
    Keep,
    Remove,
    Set(i64),
}

/// An article's editable fields; `None` keeps the current value (or, for a new article, the
/// default). Text arrives as the writer typed it: titles and leads lose markup, bodies are
/// sanitized here, whoever sent them.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub title: Option<String>,
    pub lead: Option<String>,
    pub body_html: Option<String>,
    pub section_id: Option<i64>,
    /// An address to use; `None` keeps the current one (or makes one from the title).
    pub slug: Option<String>,
    pub publish_at: Option<Timestamp>,
    pub lead_image: LeadImage,
    /// Tag names as typed; `Some(vec![])` removes every tag.
    pub tags: Option<Vec<String>>,
    /// Bylines as typed (people or desks, in credit order); `Some(vec![])` removes them.
    pub bylines: Option<Vec<String>>,
    /// When the article takes itself off the site; `Some(None)` removes the expiry, `None`
    /// keeps the current one.
    pub expires_at: Option<Option<Timestamp>>,
    /// A public note that makes this edit of a published article a correction.
    pub correction: Option<String>,
}

/// The article state a change starts from.
pub(crate) struct Base<'a> {
    pub article: Option<&'a Article>,
    pub review_requested: bool,
    pub lead_image_id: Option<i64>,
}

/// Merges `fields` over the current article and checks the result; `action` decides the
/// status. Checks that need the database (the section and the photo exist) follow in the
/// newsroom.
pub(crate) fn resolve(
    fields: &Fields,
    base: &Base<'_>,
    lang: &Lang,
    languages: &[Lang],
    action: Action,
    now: Timestamp,
) -> Result<ArticleEdit, Vec<FieldError>> {
    let mut errors = Vec::new();
    let current = base.article;
    if !languages.contains(lang) {
        let known: Vec<&str> = languages.iter().map(Lang::as_str).collect();
        errors.push(
            FieldError::new("lang", "error_not_a_language")
                .with("lang", lang)
                .with("known", known.join(", ")),
        );
    }
    let title = match &fields.title {
        Some(t) => markup::plain_title(t),
        None => current.map(|a| a.title.clone()).unwrap_or_default(),
    };
    let title_len = title.chars().count();
    if title.is_empty() {
        errors.push(FieldError::new("title", "error_required"));
    } else if title_len > MAX_TITLE {
        errors.push(FieldError::new("title", "error_too_long").with("len", title_len).with("max", MAX_TITLE));
    }
    let lead = match &fields.lead {
        Some(l) => markup::plain_text(l),
        None => current.map(|a| a.lead.clone()).unwrap_or_default(),
    };
    let lead_len = lead.chars().count();
    if lead_len > MAX_LEAD {
        errors.push(FieldError::new("lead", "error_too_long").with("len", lead_len).with("max", MAX_LEAD));
    }
    let body_html = match &fields.body_html {
        Some(b) if b.len() > MAX_BODY * 2 => {
            errors.push(
                FieldError::new("body_html", "error_body_too_long")
                    .with("len", b.len())
                    .with("max", MAX_BODY),
            );
            String::new()
        }
        Some(b) => markup::sanitize_html(b),
        None => current.map(|a| a.body_html.clone()).unwrap_or_default(),
    };
    if body_html.len() > MAX_BODY {
        errors.push(
            FieldError::new("body_html", "error_body_too_long")
                .with("len", body_html.len())
                .with("max", MAX_BODY),
        );
    }
    let section_id = fields.section_id.or(current.map(|a| a.section_id));
    if section_id.is_none() {
        errors.push(FieldError::new("section", "error_required"));
    }
    let slug = match fields.slug.as_deref().map(str::trim) {
        Some("") | None => None,
        Some(s) if !slug::is_valid(s) => {
            errors.push(FieldError::new("slug", "error_slug_format"));
            None
        }
        Some(s) => Some(s.to_string()),
    };
    let tags = match &fields.tags {
        Some(names) => match crate::domain::tag::normalize(names) {
            Ok(tags) => tags,
            Err(e) => {
                errors.push(tag_error(&e));
                Vec::new()
            }
        },
        None => current.map(|a| a.tags.clone()).unwrap_or_default(),
    };
    let bylines = match &fields.bylines {
        Some(names) => match crate::domain::tag::normalize(names) {
            Ok(names) => names,
            Err(e) => {
                errors.push(byline_error(&e));
                Vec::new()
            }
        },
        None => current.map(|a| a.bylines.clone()).unwrap_or_default(),
    };
    let publish_at = fields.publish_at.or(current.map(|a| a.publish_at)).unwrap_or(now);
    let current_status = current.map(|a| a.status).unwrap_or(Status::Draft);
    let (status, publish_at) = match action {
        Action::Save | Action::Submit | Action::SendBack => (current_status, publish_at),
        Action::Publish => (Status::Published, publish_at.min(now)),
        Action::Schedule => {
            if publish_at <= now {
                errors.push(FieldError::new("publish_at", "admin_schedule_past"));
            }
            (Status::Scheduled, publish_at)
        }
        Action::Unpublish => (Status::Draft, publish_at),
    };
    let expires_at = match fields.expires_at {
        Some(expiry) => expiry,
        None => current.and_then(|a| a.expires_at),
    };
    if let Some(expiry) = expires_at
        && (expiry <= publish_at || (fields.expires_at.is_some() && expiry <= now))
    {
        errors.push(FieldError::new("expires_at", "error_expiry_too_early"));
    }
    let review_requested = match action {
        Action::Submit => true,
        Action::Save => base.review_requested && status == Status::Draft,
        _ => false,
    };
    let lead_image_id = match fields.lead_image {
        LeadImage::Keep => base.lead_image_id,
        LeadImage::Remove => None,
        LeadImage::Set(id) => Some(id),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ArticleEdit {
        lang: lang.clone(),
        section_id: section_id.unwrap_or_default(),
        title,
        slug,
        lead,
        body_html,
        status,
        publish_at,
        review_requested,
        lead_image_id,
        tags,
        bylines,
        expires_at,
    })
}

/// A tag problem as a field error in the writer's language.
fn tag_error(e: &crate::domain::tag::TagError) -> FieldError {
    label_error(e, "tags", "error_too_many_tags", "error_tag_too_long")
}

/// A byline problem (bylines follow the tags' rules) as a field error.
fn byline_error(e: &crate::domain::tag::TagError) -> FieldError {
    label_error(e, "bylines", "error_too_many_bylines", "error_byline_too_long")
}

/// A problem with a list of names (tags, bylines) against `field`, with its two messages.
fn label_error(
    e: &crate::domain::tag::TagError,
    field: &'static str,
    too_many: &'static str,
    too_long: &'static str,
) -> FieldError {
    use crate::domain::tag::{MAX_TAG_LEN, MAX_TAGS, TagError};
    match e {
        TagError::TooMany { count } => {
            FieldError::new(field, too_many).with("count", count).with("max", MAX_TAGS)
        }
        TagError::TooLong { name, len } => {
            FieldError::new(field, too_long).with("name", name).with("len", len).with("max", MAX_TAG_LEN)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<Lang> {
        vec![Lang::parse("en").unwrap(), Lang::parse("ru").unwrap()]
    }

    fn base() -> Base<'static> {
        Base { article: None, review_requested: false, lead_image_id: None }
    }

    #[test]
    fn every_problem_is_reported_against_its_field() {
        let fields = Fields {
            title: Some("<b></b>".into()),
            lead: Some("x".repeat(MAX_LEAD + 1)),
            slug: Some("Not A Slug".into()),
            tags: Some(vec!["ok".into(), "т".repeat(61)]),
            ..Fields::default()
        };
        let now = Timestamp::from_second(1_000_000).unwrap();
        let errors = resolve(&fields, &base(), &Lang::parse("de").unwrap(), &langs(), Action::Schedule, now)
            .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["lang", "title", "lead", "section", "slug", "tags", "publish_at"]);
        assert!(errors[5].message("ru").contains("61"), "{}", errors[5].message("ru"));
        assert!(errors[2].message("en").contains(&MAX_LEAD.to_string()), "{}", errors[2].message("en"));
        assert_ne!(errors[0].message("ru"), errors[0].message("en"));
    }

    #[test]
    fn bodies_are_sanitized_and_statuses_follow_the_action() {
        let fields = Fields {
            title: Some("Talks <i>resume</i>".into()),
            body_html: Some("<p onclick=\"x()\">Hi<script>alert(1)</script></p>".into()),
            section_id: Some(1),
            ..Fields::default()
        };
        let now = Timestamp::from_second(1_000_000).unwrap();
        let edit =
            resolve(&fields, &base(), &Lang::parse("en").unwrap(), &langs(), Action::Publish, now).unwrap();
        assert_eq!(edit.title, "Talks resume");
        assert!(
            !edit.body_html.contains("script") && !edit.body_html.contains("onclick"),
            "{}",
            edit.body_html
        );
        assert_eq!(edit.status, Status::Published);
        let submitted =
            resolve(&fields, &base(), &Lang::parse("en").unwrap(), &langs(), Action::Submit, now).unwrap();
        assert_eq!((submitted.status, submitted.review_requested), (Status::Draft, true));
    }
}
