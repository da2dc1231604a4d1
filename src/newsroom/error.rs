//! Why the newsroom refused a write, in terms a person can act on. Field errors carry an i18n
//! key, not a sentence, so each entry point words them in its user's language.

use crate::storage::StoreError;
use crate::storage::editorial::Conflict;

/// One thing wrong with one field of the input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The field as the API and the forms name it (`title`, `section`, `publish_at`, …).
    pub field: &'static str,
    /// The message's key in `locales/*.toml`.
    pub key: &'static str,
    /// Values the message names (`{max}`, `{id}`, …).
    pub args: Vec<(&'static str, String)>,
}

impl FieldError {
    pub fn new(field: &'static str, key: &'static str) -> FieldError {
        FieldError { field, key, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> FieldError {
        self.args.push((name, value.to_string()));
        self
    }

    /// The message in a UI language.
    pub fn message(&self, lang: &str) -> String {
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::i18n::text(lang, self.key, &args)
    }

    /// The field's name as people read it, in a UI language.
    pub fn label(&self, lang: &str) -> String {
        crate::i18n::text(lang, &format!("field_{}", self.field), &[])
    }

    /// "Title: this field is required." — for a message that stands apart from its field.
    pub fn labelled(&self, lang: &str) -> String {
        format!("{}: {}", self.label(lang), self.message(lang))
    }
}

/// Why a write did not happen. Nothing was written in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum NewsroomError {
    #[error("no such article")]
    NotFound,
    /// The actor's role does not allow this (see [`super::policy`]).
    #[error("not allowed for this role")]
    Forbidden,
    /// The input is wrong; every field's problem is listed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// A write must name the version it started from (forms carry it, the API sends `If-Match`).
    #[error("the version this change starts from is missing")]
    VersionRequired,
    /// Someone saved in between; the current version is included.
    #[error("the article changed meanwhile")]
    Conflict(Conflict),
    /// The input clashes with another article (its address is taken), or the step does not
    /// fit where the article stands (sending back what is not a draft).
    #[error("clashes with another article or the article's state")]
    Taken(FieldError),
    /// The input refers to something that does not exist (a photo).
    #[error("refers to something missing")]
    Missing(FieldError),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for NewsroomError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => NewsroomError::NotFound,
            StoreError::SlugTaken(slug) => {
                NewsroomError::Taken(FieldError::new("slug", "error_slug_taken").with("slug", slug))
            }
            StoreError::NoSuchSection(id) => {
                NewsroomError::Invalid(vec![FieldError::new("section", "error_no_section").with("id", id)])
            }
            other => NewsroomError::Store(other),
        }
    }
}

impl NewsroomError {
    /// What to tell a person, in a UI language (`None` for failures that are not theirs).
    pub fn message(&self, lang: &str) -> Option<String> {
        use crate::i18n::text;
        Some(match self {
            NewsroomError::NotFound => text(lang, "not_found_text", &[]),
            NewsroomError::Forbidden => text(lang, "forbidden_text", &[]),
            NewsroomError::Invalid(errors) => {
                errors.iter().map(|e| e.labelled(lang)).collect::<Vec<_>>().join(" ")
            }
            NewsroomError::VersionRequired => text(lang, "admin_version_missing", &[]),
            NewsroomError::Conflict(c) => {
                text(lang, "admin_conflict", &[("version", &c.current.version.to_string())])
            }
            NewsroomError::Taken(e) | NewsroomError::Missing(e) => e.labelled(lang),
            NewsroomError::Store(_) => return None,
        })
    }
}

pub type Result<T> = std::result::Result<T, NewsroomError>;
