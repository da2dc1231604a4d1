//! Which change is which event, and what a receiver is told about it.
//!
//! Events come from the change log, never from the code paths that write: whatever writes
//! (the back office, the API, imports, the scheduler) logs a typed change, and this one mapping
//! decides what a subscriber hears of it.

use crate::domain::Lang;
use crate::storage::webhooks::{ArticleFacts, LoggedChange, SectionFacts};
use crate::web::public::urls;
use serde_json::{Value, json};

/// Something a URL can subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// An article became public.
    ArticlePublished,
    /// A public article changed in a way readers can see.
    ArticleUpdated,
    /// A public article was taken back (it is a draft or scheduled again).
    ArticleUnpublished,
    /// A public article went to the trash or was deleted.
    ArticleDeleted,
    /// A section was created, renamed or moved.
    SectionChanged,
}

impl Event {
    pub const ALL: [Event; 5] = [
        Event::ArticlePublished,
        Event::ArticleUpdated,
        Event::ArticleUnpublished,
        Event::ArticleDeleted,
        Event::SectionChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::ArticlePublished => "article.published",
            Event::ArticleUpdated => "article.updated",
            Event::ArticleUnpublished => "article.unpublished",
            Event::ArticleDeleted => "article.deleted",
            Event::SectionChanged => "section.changed",
        }
    }

    pub fn parse(name: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// The key of the UI string that names the event.
    pub fn label_key(self) -> &'static str {
        match self {
            Event::ArticlePublished => "webhooks_event_article_published",
            Event::ArticleUpdated => "webhooks_event_article_updated",
            Event::ArticleUnpublished => "webhooks_event_article_unpublished",
            Event::ArticleDeleted => "webhooks_event_article_deleted",
            Event::SectionChanged => "webhooks_event_section_changed",
        }
    }
}

/// The kinds of change the editorial core logs. Any other kind is a legacy one (`saved`,
/// `article.delete`, …) from before the log was typed.
const KNOWN_KINDS: &[&str] = &[
    "created",
    "updated",
    "published",
    "unpublished",
    "scheduled",
    "trashed",
    "restored",
    "deleted",
    "section",
    "photo",
    "page",
];

/// The event a change makes, if any.
pub fn event_for(change: &LoggedChange) -> Option<Event> {
    let public = change.public != 0;
    if change.kind == "section" {
        return Some(Event::SectionChanged);
    }
    change.article_id?;
    match change.kind.as_str() {
        "published" => Some(Event::ArticlePublished),
        "updated" if public => Some(Event::ArticleUpdated),
        "unpublished" => Some(Event::ArticleUnpublished),
        "trashed" | "deleted" if change.status_before.as_deref() == Some("published") => {
            Some(Event::ArticleDeleted)
        }
        kind if KNOWN_KINDS.contains(&kind) => None,
        // Older releases logged every public change under kinds of their own.
        _ if public => Some(Event::ArticleUpdated),
        _ => None,
    }
}

/// The body sent for an event: `{"type", "timestamp", "data"}`, `timestamp` being when the
/// change happened. `article` and `section` are as they are when the change is dispatched (an
/// article deleted meanwhile has only what the change log knows).
pub fn payload(
    event: Event,
    change: &LoggedChange,
    article: Option<&ArticleFacts>,
    section: Option<&SectionFacts>,
    base_url: &str,
) -> String {
    let data = match event {
        Event::SectionChanged => section_data(change, section),
        _ => article_data(change, article, base_url),
    };
    let timestamp = jiff::Timestamp::from_second(change.at).map(|t| t.to_string()).unwrap_or_default();
    json!({ "type": event.as_str(), "timestamp": timestamp, "data": data }).to_string()
}

fn rfc3339(seconds: i64) -> Value {
    jiff::Timestamp::from_second(seconds).map(|t| Value::from(t.to_string())).unwrap_or(Value::Null)
}

fn article_data(change: &LoggedChange, article: Option<&ArticleFacts>, base_url: &str) -> Value {
    let Some(a) = article else {
        return json!({
            "id": change.article_id, "lang": change.lang, "slug": null, "title": null, "lead": null,
            "section": null, "status": change.status_after, "url": null, "publish_at": null,
            "change_id": change.id,
        });
    };
    let url = Lang::parse(&a.lang)
        .ok()
        .map(|lang| format!("{base_url}{}", urls::article(&lang, &a.section, &a.slug)));
    json!({
        "id": a.id,
        "lang": a.lang,
        "slug": a.slug,
        "title": a.title,
        "lead": a.lead,
        "section": a.section,
        "status": change.status_after.as_deref().unwrap_or(&a.status),
        "url": url,
        "publish_at": rfc3339(a.publish_at),
        "change_id": change.id,
    })
}

fn section_data(change: &LoggedChange, section: Option<&SectionFacts>) -> Value {
    match section {
        Some(s) => json!({
            "id": s.id,
            "slug": s.slug,
            "names": serde_json::from_str::<Value>(&s.names).unwrap_or(Value::Null),
            "change_id": change.id,
        }),
        None => json!({ "id": change.section_id, "slug": null, "names": null, "change_id": change.id }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: &str, article: Option<i64>, public: bool, before: Option<&str>) -> LoggedChange {
        LoggedChange {
            id: 7,
            article_id: article,
            kind: kind.into(),
            at: 1_700_000_000,
            status_before: before.map(Into::into),
            status_after: None,
            public: i64::from(public),
            lang: Some("en".into()),
            section_id: None,
        }
    }

    #[test]
    fn changes_map_to_events() {
        use Event::*;
        // kind, article, public, status before, event
        type Row<'a> = (&'a str, Option<i64>, bool, Option<&'a str>, Option<Event>);
        let table: &[Row] = &[
            ("published", Some(1), true, Some("draft"), Some(ArticlePublished)),
            ("published", Some(1), true, Some("scheduled"), Some(ArticlePublished)),
            ("updated", Some(1), true, Some("published"), Some(ArticleUpdated)),
            ("updated", Some(1), false, Some("draft"), None),
            ("unpublished", Some(1), true, Some("published"), Some(ArticleUnpublished)),
            ("trashed", Some(1), true, Some("published"), Some(ArticleDeleted)),
            ("trashed", Some(1), false, Some("draft"), None),
            ("deleted", Some(1), true, Some("published"), Some(ArticleDeleted)),
            ("deleted", Some(1), false, None, None),
            ("created", Some(1), false, None, None),
            ("scheduled", Some(1), false, Some("draft"), None),
            ("restored", Some(1), false, None, None),
            ("photo", Some(1), true, None, None),
            ("photo", None, true, None, None),
            ("section", None, true, None, Some(SectionChanged)),
            // Legacy kinds: public ones are updates of their article; none without an article.
            ("saved", Some(1), true, None, Some(ArticleUpdated)),
            ("article.delete", Some(1), true, None, Some(ArticleUpdated)),
            ("saved", Some(1), false, None, None),
            ("saved", None, true, None, None),
            ("published", None, true, None, None),
        ];
        for (kind, article, public, before, expected) in table {
            assert_eq!(
                event_for(&change(kind, *article, *public, *before)),
                *expected,
                "{kind} {article:?} {public}"
            );
        }
    }

    #[test]
    fn events_have_names_both_ways() {
        for e in Event::ALL {
            assert_eq!(Event::parse(e.as_str()), Some(e));
        }
        assert_eq!(Event::parse("article.saved"), None);
    }

    #[test]
    fn payloads_describe_the_article() {
        let article = ArticleFacts {
            id: 1,
            lang: "en".into(),
            slug: "budget-adopted".into(),
            title: "Budget adopted".into(),
            lead: "The council voted.".into(),
            status: "published".into(),
            publish_at: 1_700_000_000,
            section: "news".into(),
            deleted_at: None,
        };
        let c = change("published", Some(1), true, Some("draft"));
        let body = payload(Event::ArticlePublished, &c, Some(&article), None, "https://news.example.org");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["type"], "article.published");
        assert_eq!(v["timestamp"], "2023-11-14T22:13:20Z");
        assert_eq!(v["data"]["url"], "https://news.example.org/en/news/budget-adopted");
        assert_eq!(v["data"]["publish_at"], "2023-11-14T22:13:20Z");
        assert_eq!(v["data"]["status"], "published");
        assert_eq!(v["data"]["change_id"], 7);
        let gone = payload(
            Event::ArticleDeleted,
            &change("deleted", Some(9), true, Some("published")),
            None,
            None,
            "",
        );
        let v: Value = serde_json::from_str(&gone).unwrap();
        assert_eq!((v["data"]["id"].as_i64(), v["data"]["title"].is_null()), (Some(9), true));
    }
}
