//! Static pages: "About us", contacts, accreditation rules, the corrections policy. They live
//! outside the news (no date, no section; not in lists, feeds or the news sitemap), each at
//! `/{lang}/{slug}`, and keep a revision per change like articles.

use super::article::{MAX_BODY, MAX_TITLE, ValidationError};
use super::{Lang, slug};
use jiff::Timestamp;

/// A page as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Page {
    pub id: i64,
    pub external_id: Option<String>,
    pub lang: String,
    pub slug: String,
    pub title: String,
    pub body_html: String,
    /// `draft` or `published`.
    pub status: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Page {
    pub fn is_published(&self) -> bool {
        self.status == "published"
    }
}

/// A new or changed page, from the back office or an import. `body_html` must already be
/// sanitized.
#[derive(Debug, Clone, PartialEq)]
pub struct PageInput {
    /// The page's id on the site it was imported from; a second import updates it.
    pub external_id: Option<String>,
    pub lang: Lang,
    /// Made from the title when absent.
    pub slug: Option<String>,
    pub title: String,
    pub body_html: String,
    pub published: bool,
    /// When it was written, for imports; now otherwise.
    pub created_at: Option<Timestamp>,
}

impl PageInput {
    /// The slug to store: the one given, or the title's.
    pub fn wanted_slug(&self) -> String {
        self.slug.clone().unwrap_or_else(|| slug::slugify(&self.title))
    }

    /// Checks what a page must have; the error names the field.
    pub fn validate(&self, languages: &[Lang]) -> Result<(), ValidationError> {
        if !languages.contains(&self.lang) {
            return Err(ValidationError::new(
                "lang",
                format!("'{}' is not one of the site's languages", self.lang),
            ));
        }
        let title_len = self.title.chars().count();
        if self.title.trim().is_empty() || title_len > MAX_TITLE {
            return Err(ValidationError::new(
                "title",
                format!("give a title of 1 to {MAX_TITLE} characters"),
            ));
        }
        if self.body_html.len() > MAX_BODY {
            return Err(ValidationError::new("body", format!("the limit is {MAX_BODY} bytes")));
        }
        let wanted = self.wanted_slug();
        if !slug::is_valid(&wanted) {
            return Err(ValidationError::new("slug", "use lowercase letters, digits and single hyphens"));
        }
        if slug::RESERVED.contains(&wanted.as_str()) {
            return Err(ValidationError::new(
                "slug",
                format!("'{wanted}' is reserved for the site's own pages"),
            ));
        }
        if self.external_id.as_deref().is_some_and(|e| e.trim().is_empty()) {
            return Err(ValidationError::new("external_id", "must not be empty when given"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PageInput {
        PageInput {
            external_id: None,
            lang: Lang::parse("ru").unwrap(),
            slug: None,
            title: "Аккредитация СМИ".into(),
            body_html: "<p>Правила</p>".into(),
            published: true,
            created_at: None,
        }
    }

    #[test]
    fn pages_need_a_title_and_a_free_address() {
        let langs = [Lang::parse("en").unwrap(), Lang::parse("ru").unwrap()];
        assert_eq!(input().wanted_slug(), "akkreditatsiia-smi");
        assert!(input().validate(&langs).is_ok());
        for (page, field) in [
            (PageInput { title: " ".into(), ..input() }, "title"),
            (PageInput { slug: Some("Bad Slug".into()), ..input() }, "slug"),
            (PageInput { slug: Some("archive".into()), ..input() }, "slug"),
            (PageInput { lang: Lang::parse("de").unwrap(), ..input() }, "lang"),
        ] {
            assert_eq!(page.validate(&langs).unwrap_err().field, field);
        }
    }
}
