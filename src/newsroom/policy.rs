//! Who may do what to an article: the workflow's permissions, stated once. Every entry point
//! (back office, API, importers, command line) asks here through the newsroom.

use crate::domain::Status;
use crate::domain::user::{Permission, Role, may_edit_article, may_open_article};

/// Who acts: a person in the back office, an API token's account, or the system itself.
#[derive(Debug, Clone)]
pub struct Actor {
    /// `None` for the system (the scheduler, imports run by an operator).
    pub user_id: Option<i64>,
    pub role: Role,
    /// The client's address, for the audit log.
    pub address: String,
}

impl Actor {
    pub fn person(user_id: i64, role: Role, address: impl Into<String>) -> Actor {
        Actor { user_id: Some(user_id), role, address: address.into() }
    }

    /// The system: the scheduler and operator commands, with every permission.
    pub fn system(what: &str) -> Actor {
        Actor { user_id: None, role: Role::Admin, address: what.to_string() }
    }
}

/// What a save or a workflow step asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Keep the status; change the content.
    Save,
    /// Ask an editor to review (a draft stays a draft).
    Submit,
    /// Return a submitted draft to its author.
    SendBack,
    Publish,
    /// Publish at a time in the future.
    Schedule,
    /// Withdraw from the public site (back to draft).
    Unpublish,
}

impl Action {
    /// The word forms and the API use.
    pub fn parse(s: &str) -> Option<Action> {
        Some(match s {
            "save" | "" => Action::Save,
            "submit" => Action::Submit,
            "send-back" | "send_back" => Action::SendBack,
            "publish" => Action::Publish,
            "schedule" => Action::Schedule,
            "unpublish" => Action::Unpublish,
            _ => return None,
        })
    }

    /// What the revision history says of it.
    pub fn note(self) -> &'static str {
        match self {
            Action::Save => "saved",
            Action::Submit => "submitted for review",
            Action::SendBack => "sent back to the author",
            Action::Publish => "published",
            Action::Schedule => "scheduled",
            Action::Unpublish => "unpublished",
        }
    }

    /// Whether this step needs an editor's rights (beyond being allowed to edit the article).
    fn needs_publish_right(self) -> bool {
        !matches!(self, Action::Save | Action::Submit)
    }
}

/// What the actor wants to do with an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// See it in the back office (and its history).
    Open,
    Create(Action),
    /// Save or take a workflow step on an existing article.
    Change(Action),
    /// Bring back an old revision's text.
    RestoreRevision,
    Trash,
    Restore,
    Translate,
}

/// The article as far as permissions care: who wrote it and where it stands.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub author_id: Option<i64>,
    pub status: Status,
}

/// Whether `actor` may do `intent` to `subject` (`None` for an article not yet created).
pub fn allows(actor: &Actor, intent: Intent, subject: Option<Subject>) -> bool {
    let role = actor.role;
    let user = actor.user_id.unwrap_or(0);
    let opens = |s: Option<Subject>| {
        actor.user_id.is_none() || s.is_some_and(|s| may_open_article(role, user, s.author_id))
    };
    let edits = |s: Option<Subject>| {
        actor.user_id.is_none() || s.is_some_and(|s| may_edit_article(role, user, s.author_id, s.status))
    };
    match intent {
        Intent::Open => opens(subject),
        Intent::Create(action) => {
            role.can(Permission::CreateArticle)
                && (!action.needs_publish_right() || role.can(Permission::Publish))
        }
        Intent::Change(action) => {
            edits(subject) && (!action.needs_publish_right() || role.can(Permission::Publish))
        }
        Intent::RestoreRevision => edits(subject),
        Intent::Trash | Intent::Restore => role.can(Permission::DeleteArticle),
        Intent::Translate => role.can(Permission::CreateArticle) && opens(subject),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn author() -> Actor {
        Actor::person(7, Role::Author, "test")
    }

    #[test]
    fn authors_write_and_submit_their_own_drafts_only() {
        let own_draft = Some(Subject { author_id: Some(7), status: Status::Draft });
        let own_published = Some(Subject { author_id: Some(7), status: Status::Published });
        let others = Some(Subject { author_id: Some(8), status: Status::Draft });
        let a = author();
        assert!(allows(&a, Intent::Create(Action::Save), None));
        assert!(allows(&a, Intent::Create(Action::Submit), None));
        assert!(!allows(&a, Intent::Create(Action::Publish), None));
        assert!(allows(&a, Intent::Change(Action::Save), own_draft));
        assert!(allows(&a, Intent::Change(Action::Submit), own_draft));
        assert!(!allows(&a, Intent::Change(Action::Save), own_published));
        assert!(!allows(&a, Intent::Change(Action::Save), others));
        assert!(!allows(&a, Intent::Open, others));
        assert!(allows(&a, Intent::Open, own_published));
        for step in [Action::Publish, Action::Schedule, Action::Unpublish, Action::SendBack] {
            assert!(!allows(&a, Intent::Change(step), own_draft), "{step:?}");
        }
        assert!(!allows(&a, Intent::Trash, own_draft));
        assert!(!allows(&a, Intent::RestoreRevision, own_published));
        assert!(allows(&a, Intent::Translate, own_published) && !allows(&a, Intent::Translate, others));
    }

    #[test]
    fn editors_and_the_system_may_do_everything_to_articles() {
        let any = Some(Subject { author_id: None, status: Status::Published });
        for actor in [Actor::person(1, Role::Editor, "x"), Actor::system("scheduler")] {
            for step in [Action::Save, Action::Publish, Action::Schedule, Action::Unpublish, Action::SendBack]
            {
                assert!(allows(&actor, Intent::Change(step), any));
            }
            assert!(allows(&actor, Intent::Trash, any) && allows(&actor, Intent::Restore, any));
        }
    }

    #[test]
    fn actions_read_as_forms_and_the_api_spell_them() {
        assert_eq!(Action::parse("send-back"), Some(Action::SendBack));
        assert_eq!(Action::parse(""), Some(Action::Save));
        assert_eq!(Action::parse("delete"), None);
    }
}
