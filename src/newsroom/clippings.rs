//! "Media about us": clippings of what other outlets wrote about the organization. Those who
//! may publish keep the list (it is on the public site at once); every change is audited.

use super::{Actor, FieldError, Newsroom, NewsroomError, Result};
use crate::domain::user::Permission;
use crate::domain::{dates, markup};
use crate::storage::clippings::ClippingText;

/// Longest texts, in characters.
pub const MAX_OUTLET: usize = 200;
pub const MAX_TITLE: usize = 300;
pub const MAX_URL: usize = 2000;
pub const MAX_QUOTE: usize = 2000;

/// A clipping as typed in a form or sent by a program.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ClippingFields {
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub outlet: String,
    /// The outlet's date, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub quote: String,
}

impl Newsroom {
    /// Adds a clipping; returns its id.
    pub async fn add_clipping(&self, actor: &Actor, fields: &ClippingFields) -> Result<i64> {
        may_keep_clippings(actor)?;
        let clean = self.checked(fields)?;
        let now = self.clock.now();
        let id = self.store.create_clipping(&clean, actor.user_id, now).await?;
        let target = format!("clipping {id}");
        let detail = format!("{}: {}", clean.outlet, clean.title);
        self.store.audit(actor.user_id, "clipping.add", &target, &detail, &actor.address, now).await?;
        Ok(id)
    }

    /// Replaces a clipping's texts.
    pub async fn change_clipping(&self, actor: &Actor, id: i64, fields: &ClippingFields) -> Result<()> {
        may_keep_clippings(actor)?;
        let clean = self.checked(fields)?;
        let now = self.clock.now();
        if !self.store.update_clipping(id, &clean, actor.user_id, now).await? {
            return Err(NewsroomError::NotFound);
        }
        let detail = format!("{}: {}", clean.outlet, clean.title);
        self.store
            .audit(actor.user_id, "clipping.edit", &format!("clipping {id}"), &detail, &actor.address, now)
            .await?;
        Ok(())
    }

    /// Removes a clipping.
    pub async fn remove_clipping(&self, actor: &Actor, id: i64) -> Result<()> {
        may_keep_clippings(actor)?;
        let now = self.clock.now();
        if !self.store.delete_clipping(id, actor.user_id, now).await? {
            return Err(NewsroomError::NotFound);
        }
        self.store
            .audit(actor.user_id, "clipping.delete", &format!("clipping {id}"), "", &actor.address, now)
            .await?;
        Ok(())
    }

    /// Plain text, each field within its length; a language of the site, a real date no later
    /// than tomorrow (outlets abroad may be a day ahead), an `http(s)` address. Every field's
    /// problem is listed at once.
    fn checked(&self, f: &ClippingFields) -> Result<ClippingText> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, value: &str, max: usize, required: bool| {
            let clean = markup::plain_text(value);
            let len = clean.chars().count();
            if required && clean.is_empty() {
                errors.push(FieldError::new(field, "error_required"));
            } else if len > max {
                errors.push(FieldError::new(field, "error_too_long").with("len", len).with("max", max));
            }
            clean
        };
        let outlet = text("outlet", &f.outlet, MAX_OUTLET, true);
        let title = text("title", &f.title, MAX_TITLE, true);
        let quote = text("quote", &f.quote, MAX_QUOTE, false);
        let lang = f.lang.trim();
        if !self.languages.iter().any(|l| l.as_str() == lang) {
            errors.push(FieldError::new("lang", "error_page_lang"));
        }
        let tomorrow = dates::civil_date(self.clock.now(), &jiff::tz::TimeZone::UTC).tomorrow().ok();
        let date = match dates::parse_date(&f.date) {
            Ok(d) if tomorrow.is_none_or(|t| d <= t) => Some(d),
            Ok(_) => {
                errors.push(FieldError::new("date", "error_clipping_future"));
                None
            }
            Err(_) => {
                errors.push(FieldError::new("date", "error_clipping_date").with("value", f.date.trim()));
                None
            }
        };
        let url = f.url.trim();
        let parsed = url::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
        if url.is_empty() {
            errors.push(FieldError::new("url", "error_required"));
        } else if url.chars().count() > MAX_URL {
            errors.push(
                FieldError::new("url", "error_too_long")
                    .with("len", url.chars().count())
                    .with("max", MAX_URL),
            );
        } else if parsed.is_none() {
            errors.push(FieldError::new("url", "error_clipping_url"));
        }
        match (date, parsed) {
            (Some(date), Some(url)) if errors.is_empty() => Ok(ClippingText {
                lang: lang.to_string(),
                outlet,
                published_on: date.to_string(),
                title,
                url: url.to_string(),
                quote,
            }),
            _ => Err(NewsroomError::Invalid(errors)),
        }
    }
}

/// Clippings are public at once: those who may publish keep them.
fn may_keep_clippings(actor: &Actor) -> Result<()> {
    if actor.role.can(Permission::Publish) { Ok(()) } else { Err(NewsroomError::Forbidden) }
}
