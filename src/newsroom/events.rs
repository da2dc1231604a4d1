//! Events an article announces: who may set them (whoever may save the article), what a valid
//! event is (a start, an end not before it, a real time zone, a place, optionally the article
//! that reported on it) and the audit entry every change leaves.

use super::{Actor, FieldError, Intent, Newsroom, NewsroomError, Result};
use crate::domain::{dates, markup};
use crate::storage::editorial::Written;
use crate::storage::events::{EventEdit, EventWrite};
use jiff::tz::TimeZone;

/// Longest place, in characters.
pub const MAX_PLACE: usize = 300;

/// An event as typed in the editor's form or sent by a program. Times are the organizers'
/// wall-clock times in `time_zone` (`2026-12-10T10:00`, as `<input type="datetime-local">`
/// sends them).
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EventFields {
    #[serde(default)]
    pub starts: String,
    /// Empty: the event has no length of its own (it ends when it starts).
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub time_zone: String,
    #[serde(default)]
    pub place: String,
    /// The report's address on the site (or just its slug); empty for none yet.
    #[serde(default)]
    pub report: String,
}

impl Newsroom {
    /// Sets the event article `id` announces. `version` is the event's version the form was
    /// filled from (0 when it had none).
    pub async fn set_event(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        fields: &EventFields,
    ) -> Result<Written> {
        let (article, _) = self.may_change_event(actor, id).await?;
        let edit = self.checked_event(&article, fields).await?;
        let detail = format!("{} – {}, {}", fields.starts.trim(), fields.ends.trim(), edit.place);
        self.write_event(actor, id, version, Some(&edit), "event.set", &detail).await
    }

    /// Removes the event article `id` announced (the article stays).
    pub async fn remove_event(&self, actor: &Actor, id: i64, version: i64) -> Result<Written> {
        self.may_change_event(actor, id).await?;
        self.write_event(actor, id, version, None, "event.remove", "").await
    }

    async fn may_change_event(
        &self,
        actor: &Actor,
        id: i64,
    ) -> Result<(crate::domain::Article, Option<i64>)> {
        let (article, author_id) = self.open(actor, id).await?;
        if !self.may(actor, Intent::Change(super::Action::Save), &article, author_id) {
            return Err(NewsroomError::Forbidden);
        }
        Ok((article, author_id))
    }

    async fn write_event(
        &self,
        actor: &Actor,
        id: i64,
        version: i64,
        edit: Option<&EventEdit>,
        action: &str,
        detail: &str,
    ) -> Result<Written> {
        let now = self.clock.now();
        match self.store.set_event(id, version, edit, actor.user_id, now).await? {
            EventWrite::Changed(current) => Err(NewsroomError::Taken(
                FieldError::new("event", "error_event_changed").with("version", current),
            )),
            EventWrite::Done(written) => {
                self.store
                    .audit(actor.user_id, action, &format!("article {id}"), detail, &actor.address, now)
                    .await?;
                Ok(self.done(*written))
            }
        }
    }

    /// Every field checked at once; times made absolute in the event's own time zone.
    async fn checked_event(&self, article: &crate::domain::Article, f: &EventFields) -> Result<EventEdit> {
        let mut errors = Vec::new();
        let zone_name = f.time_zone.trim();
        let zone = match TimeZone::get(zone_name) {
            Ok(tz) if !zone_name.is_empty() => Some(tz),
            _ => {
                let key = if zone_name.is_empty() { "error_required" } else { "error_event_zone" };
                errors.push(FieldError::new("time_zone", key).with("value", zone_name));
                None
            }
        };
        let mut time = |field: &'static str, value: &str| -> Option<i64> {
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            match dates::parse(value, zone.as_ref()?) {
                Ok(ts) => Some(ts.as_second()),
                Err(_) => {
                    errors.push(FieldError::new(field, "error_event_time").with("value", value));
                    None
                }
            }
        };
        let starts_at = time("starts", &f.starts);
        let ends_at = if f.ends.trim().is_empty() { starts_at } else { time("ends", &f.ends) };
        if f.starts.trim().is_empty() {
            errors.push(FieldError::new("starts", "error_required"));
        }
        if let (Some(s), Some(e)) = (starts_at, ends_at)
            && e < s
        {
            errors.push(FieldError::new("ends", "error_event_order"));
        }
        let place = markup::plain_text(&f.place);
        let len = place.chars().count();
        if place.is_empty() {
            errors.push(FieldError::new("place", "error_required"));
        } else if len > MAX_PLACE {
            errors.push(FieldError::new("place", "error_too_long").with("len", len).with("max", MAX_PLACE));
        }
        let report_id = match report_slug(&f.report) {
            None => None,
            Some(slug) => match self.store.article_id_by_slug(article.lang.as_str(), &slug).await? {
                Some(id) if id != article.id => Some(id),
                _ => {
                    errors
                        .push(FieldError::new("report", "error_event_report").with("value", f.report.trim()));
                    None
                }
            },
        };
        match (starts_at, ends_at) {
            (Some(starts_at), Some(ends_at)) if errors.is_empty() => {
                Ok(EventEdit { starts_at, ends_at, time_zone: zone_name.to_string(), place, report_id })
            }
            _ => Err(NewsroomError::Invalid(errors)),
        }
    }
}

/// The slug of a report named by its address (`https://site/en/news/slug`, `/en/news/slug`)
/// or by the slug alone; `None` when nothing was given.
fn report_slug(value: &str) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let path = value.split(['?', '#']).next().unwrap_or(value);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    Some(last.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_named_by_its_address_or_slug() {
        assert_eq!(
            report_slug("https://news.example/en/news/summit-closes/?x=1").as_deref(),
            Some("summit-closes")
        );
        assert_eq!(report_slug("/ru/news/itogi").as_deref(), Some("itogi"));
        assert_eq!(report_slug(" Itogi "), Some("itogi".to_string()));
        assert_eq!(report_slug("  "), None);
    }
}
