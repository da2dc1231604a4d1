//! What a change to the content was, as the change log records it. Every writer says which
//! kind of change it made; followers (the page cache, the timeline, the search index, webhooks)
//! read the kind and the "public" flag to apply only what concerns them: a draft saved ten
//! times a minute must not empty the cache of a site that did not change for its readers.

use super::Status;
use std::fmt;

/// What happened to an article (or to something every page shows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    /// Text, section, photo or date changed; the status did not.
    Updated,
    Published,
    Unpublished,
    Scheduled,
    Trashed,
    Restored,
    /// Gone for good (removed from the trash).
    Deleted,
    /// Sections were added, renamed or reordered: every page's navigation.
    Section,
    /// A photo's text or file changed: the pages showing it.
    Photo,
    /// A static page was created or changed (its address and the links to it), or the list of
    /// "Media about us".
    Page,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Updated => "updated",
            ChangeKind::Published => "published",
            ChangeKind::Unpublished => "unpublished",
            ChangeKind::Scheduled => "scheduled",
            ChangeKind::Trashed => "trashed",
            ChangeKind::Restored => "restored",
            ChangeKind::Deleted => "deleted",
            ChangeKind::Section => "section",
            ChangeKind::Photo => "photo",
            ChangeKind::Page => "page",
        }
    }

    /// Reads a logged kind. Rows written by earlier releases used other words (`saved`,
    /// `article.delete`, …); they read as `Updated`, which followers treat as "re-read the
    /// article", exactly what those releases asked of them.
    pub fn parse(s: &str) -> ChangeKind {
        match s {
            "created" => ChangeKind::Created,
            "published" => ChangeKind::Published,
            "unpublished" => ChangeKind::Unpublished,
            "scheduled" => ChangeKind::Scheduled,
            "trashed" | "article.delete" => ChangeKind::Trashed,
            "restored" | "article.restore" => ChangeKind::Restored,
            "deleted" => ChangeKind::Deleted,
            "section" => ChangeKind::Section,
            "photo" | "media" => ChangeKind::Photo,
            "page" => ChangeKind::Page,
            _ => ChangeKind::Updated,
        }
    }

    /// The kind of an article's change from its status before (`None`: it did not exist)
    /// and after (`None`: it is gone or in the trash).
    pub fn of_transition(before: Option<Status>, after: Option<Status>, restored: bool) -> ChangeKind {
        match (before, after) {
            (None, Some(_)) if restored => ChangeKind::Restored,
            // Created already public (or on its way there) is a publication to those who
            // follow the log: readers, feeds, webhooks.
            (None, Some(Status::Published)) => ChangeKind::Published,
            (None, Some(Status::Scheduled)) => ChangeKind::Scheduled,
            (None, Some(_)) => ChangeKind::Created,
            (Some(_), None) => ChangeKind::Trashed,
            (None, None) => ChangeKind::Deleted,
            (Some(b), Some(a)) if a == b => ChangeKind::Updated,
            (_, Some(Status::Published)) => ChangeKind::Published,
            (_, Some(Status::Scheduled)) => ChangeKind::Scheduled,
            (_, Some(Status::Draft)) => ChangeKind::Unpublished,
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether readers can see a difference after an article went from `before` to `after`
/// (statuses; `None` for "did not exist" or "in the trash"). Only published articles are
/// public, so a change is public exactly when the article was or is published.
pub fn is_public(before: Option<Status>, after: Option<Status>) -> bool {
    before == Some(Status::Published) || after == Some(Status::Published)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn transitions_name_what_happened() {
        let k = ChangeKind::of_transition;
        assert_eq!(k(None, Some(Draft), false), ChangeKind::Created);
        assert_eq!(k(None, Some(Published), false), ChangeKind::Published);
        assert_eq!(k(None, Some(Scheduled), false), ChangeKind::Scheduled);
        assert_eq!(k(None, Some(Draft), true), ChangeKind::Restored);
        assert_eq!(k(Some(Draft), Some(Draft), false), ChangeKind::Updated);
        assert_eq!(k(Some(Published), Some(Published), false), ChangeKind::Updated);
        assert_eq!(k(Some(Draft), Some(Published), false), ChangeKind::Published);
        assert_eq!(k(Some(Scheduled), Some(Published), false), ChangeKind::Published);
        assert_eq!(k(Some(Published), Some(Draft), false), ChangeKind::Unpublished);
        assert_eq!(k(Some(Scheduled), Some(Draft), false), ChangeKind::Unpublished);
        assert_eq!(k(Some(Draft), Some(Scheduled), false), ChangeKind::Scheduled);
        assert_eq!(k(Some(Published), Some(Scheduled), false), ChangeKind::Scheduled);
        assert_eq!(k(Some(Published), None, false), ChangeKind::Trashed);
        assert_eq!(k(None, None, false), ChangeKind::Deleted);
    }

    #[test]
    fn kinds_round_trip_and_old_words_still_read() {
        for kind in [
            ChangeKind::Created,
            ChangeKind::Updated,
            ChangeKind::Published,
            ChangeKind::Unpublished,
            ChangeKind::Scheduled,
            ChangeKind::Trashed,
            ChangeKind::Restored,
            ChangeKind::Deleted,
            ChangeKind::Section,
            ChangeKind::Photo,
        ] {
            assert_eq!(ChangeKind::parse(kind.as_str()), kind);
        }
        assert_eq!(ChangeKind::parse("saved"), ChangeKind::Updated);
        assert_eq!(ChangeKind::parse("article.delete"), ChangeKind::Trashed);
    }

    #[test]
    fn only_what_was_or_is_published_is_public() {
        assert!(!is_public(Some(Draft), Some(Draft)));
        assert!(!is_public(None, Some(Scheduled)));
        assert!(!is_public(Some(Draft), None));
        assert!(is_public(Some(Draft), Some(Published)));
        assert!(is_public(Some(Published), None));
        assert!(is_public(Some(Published), Some(Published)));
    }
}
