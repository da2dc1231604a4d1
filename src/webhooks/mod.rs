//! Webhooks: an admin subscribes a URL to events (an article published, updated, unpublished
//! or deleted; a section changed) and Newsdesk sends each one there as a signed JSON POST.
//!
//! * [`events`]: which change in the change log is which event, and the JSON sent for it.
//! * [`signing`]: Standard Webhooks signatures and secrets.
//! * [`guard`]: which URLs and addresses may be called (no requests into our own network).
//! * [`retry`]: when a failed delivery is tried again, and when to stop.
//! * [`worker`]: the background job on every node; the one holding the lease turns new changes
//!   into deliveries and makes them, each subscription's in order.
//!
//! Rows are kept by `storage::webhooks`. See docs/webhooks.md for the whole story.

pub mod events;
pub mod guard;
pub mod retry;
pub mod signing;
pub mod worker;

pub use crate::config::WebhookSettings;
pub use crate::storage::webhooks::Subscription;
pub use events::Event;

use crate::storage::{Store, StoreError};
use jiff::Timestamp;

/// A subscription could not be made.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// One field of the request is not acceptable. `message_key` names the UI string (in
    /// `locales/*.toml`) that explains it; `detail` says the same in English, for logs and APIs.
    #[error("{field}: {detail}")]
    Invalid { field: &'static str, message_key: &'static str, detail: String },
    /// The system's random source failed while making the secret.
    #[error("cannot make a signing secret: {0}")]
    Random(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Checks the events asked for: at least one, each known; returned in a fixed order without
/// repeats.
pub fn parse_events(names: &[String]) -> Result<Vec<Event>, WebhookError> {
    let mut events = Vec::new();
    for name in names {
        let event = Event::parse(name.trim()).ok_or_else(|| WebhookError::Invalid {
            field: "events",
            message_key: "webhooks_bad_events",
            detail: format!("'{name}' is not an event; choose among {}", event_names().join(", ")),
        })?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    if events.is_empty() {
        return Err(WebhookError::Invalid {
            field: "events",
            message_key: "webhooks_no_events",
            detail: "choose at least one event".into(),
        });
    }
    events.sort_by_key(|e| Event::ALL.iter().position(|a| a == e));
    Ok(events)
}

/// The names of every event one can subscribe to.
pub fn event_names() -> Vec<&'static str> {
    Event::ALL.iter().map(|e| e.as_str()).collect()
}

/// Subscribes `url` to `events`. The URL must be http(s) and (unless the settings allow
/// private targets) resolve to public addresses only. Returns the subscription and its signing
/// secret (`whsec_…`), which is shown to the person this once.
pub async fn subscribe(
    store: &Store,
    settings: &WebhookSettings,
    url: &str,
    events: &[String],
    created_by: i64,
    now: Timestamp,
) -> Result<(Subscription, String), WebhookError> {
    let events = parse_events(events)?;
    let url = guard::check_target(url, settings.allow_private_targets).await.map_err(|e| {
        WebhookError::Invalid { field: "url", message_key: e.message_key(), detail: e.to_string() }
    })?;
    let secret = signing::new_secret().map_err(|e| WebhookError::Random(e.to_string()))?;
    let names: Vec<String> = events.iter().map(|e| e.as_str().to_string()).collect();
    let subscription =
        store.create_webhook_subscription(url.as_str(), &names, &secret, Some(created_by), now).await?;
    Ok((subscription, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_checked_and_ordered() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let got =
            parse_events(&names(&["section.changed", "article.published", "article.published"])).unwrap();
        assert_eq!(got, vec![Event::ArticlePublished, Event::SectionChanged]);
        match parse_events(&names(&["article.saved"])) {
            Err(WebhookError::Invalid { field: "events", message_key: "webhooks_bad_events", .. }) => {}
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_events(&[]),
            Err(WebhookError::Invalid { field: "events", message_key: "webhooks_no_events", .. })
        ));
    }
}
