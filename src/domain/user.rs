//! People who work in the back office and what each may do. Permissions are checked on the
//! server for every request (see `web::admin`), never by hiding buttons alone.

use std::fmt;

/// A back-office role, from least to most trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Writes and edits their own drafts and submits them for review; cannot publish.
    Author,
    /// Edits, publishes, schedules and unpublishes any article.
    Editor,
    /// Everything an editor does, plus users, sections, settings and the audit log.
    Admin,
}

/// Something a user may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Create an article (as a draft of one's own).
    CreateArticle,
    /// Edit a draft one wrote.
    EditOwnDraft,
    /// Edit any article in any status.
    EditAnyArticle,
    /// Publish, schedule or unpublish.
    Publish,
    /// Move to the trash and restore.
    DeleteArticle,
    /// Upload photos to the media library.
    UploadMedia,
    ManageSections,
    ManageUsers,
    ViewAuditLog,
    /// Subscribe URLs to events: each subscription makes the server call out, so admins only.
    ManageWebhooks,
}

/// Who may change an article: the one statement of the rule every writer applies. Editors and
/// admins may change any article; an author only a draft of their own, because once an article
/// is scheduled or public it is the editors' to change.
pub fn may_edit_article(role: Role, user_id: i64, author_id: Option<i64>, status: super::Status) -> bool {
    role.can(Permission::EditAnyArticle) || (author_id == Some(user_id) && status == super::Status::Draft)
}

/// Who may open an article in the back office: editors and admins any, authors their own.
pub fn may_open_article(role: Role, user_id: i64, author_id: Option<i64>) -> bool {
    role.can(Permission::EditAnyArticle) || author_id == Some(user_id)
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Author => "author",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "author" => Some(Role::Author),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// Least privilege: each role gets exactly what its job needs.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match permission {
            CreateArticle | EditOwnDraft | UploadMedia => true,
            EditAnyArticle | Publish | DeleteArticle => self >= Role::Editor,
            ManageSections | ManageUsers | ViewAuditLog | ManageWebhooks => self == Role::Admin,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A back-office account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    /// Lowercased; the sign-in name.
    pub email: String,
    pub name: String,
    pub role: Role,
    /// A disabled user cannot sign in and their sessions end.
    pub disabled: bool,
}

/// Normalizes and checks an e-mail address enough to catch typos; the address is a sign-in
/// name here, not a mailbox we write to.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.matches('@').count() == 1;
    ok.then_some(email)
}

/// The shortest password we accept. Length beats composition rules.
pub const MIN_PASSWORD: usize = 10;

#[cfg(test)]
mod access_tests {
    use super::*;
    use crate::domain::Status;

    #[test]
    fn authors_change_only_their_own_drafts() {
        assert!(may_edit_article(Role::Author, 7, Some(7), Status::Draft));
        assert!(!may_edit_article(Role::Author, 7, Some(7), Status::Published));
        assert!(!may_edit_article(Role::Author, 7, Some(7), Status::Scheduled));
        assert!(!may_edit_article(Role::Author, 7, Some(8), Status::Draft));
        assert!(!may_edit_article(Role::Author, 7, None, Status::Draft));
        for role in [Role::Editor, Role::Admin] {
            assert!(may_edit_article(role, 7, Some(8), Status::Published));
            assert!(may_open_article(role, 7, None));
        }
        assert!(may_open_article(Role::Author, 7, Some(7)) && !may_open_article(Role::Author, 7, Some(8)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_privilege() {
        assert!(Role::Author.can(Permission::CreateArticle));
        assert!(!Role::Author.can(Permission::Publish));
        assert!(!Role::Author.can(Permission::EditAnyArticle));
        assert!(!Role::Author.can(Permission::ViewAuditLog));
        assert!(Role::Editor.can(Permission::Publish));
        assert!(!Role::Editor.can(Permission::ManageUsers));
        assert!(!Role::Editor.can(Permission::ManageWebhooks));
        assert!(Role::Admin.can(Permission::ManageWebhooks));
        assert!(Role::Admin.can(Permission::ViewAuditLog));
        assert_eq!(Role::parse("editor"), Some(Role::Editor));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn emails() {
        assert_eq!(normalize_email(" Press@Example.ORG ").as_deref(), Some("press@example.org"));
        for bad in ["", "press", "a@b", "a@@b.c", "a b@c.d", "@b.c", "a@.b"] {
            assert!(normalize_email(bad).is_none(), "{bad}");
        }
    }
}
