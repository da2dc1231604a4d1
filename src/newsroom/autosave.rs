//! Unsaved typing, kept for its author: the editor sends its form every few seconds and when
//! the page is left, and brings it back after a reload, a crash or a refused save.
//!
//! An autosave is not a save. It is stored beside the article ([`crate::storage::autosaves`]),
//! so it never overwrites a newer save, never moves the version another person's save is
//! checked against, and never reaches the public site. Only the person who typed it sees it;
//! a real save of the text deletes it.

use super::policy::{Subject, allows};
use super::{Action, Actor, Intent, Newsroom, NewsroomError, Result};
use crate::storage::autosaves::Autosave;
use jiff::Timestamp;

/// The article id under which the form of a new, not yet created article is kept.
pub const NEW_ARTICLE: i64 = 0;

impl Newsroom {
    /// Keeps `form` (the editor's fields, as JSON) as the actor's unsaved text of article `id`
    /// ([`NEW_ARTICLE`] for a new one), loaded at `base_version`. Only someone who may save the
    /// article may keep text for it.
    pub async fn autosave(&self, actor: &Actor, id: i64, base_version: i64, form: &str) -> Result<Timestamp> {
        let user_id = self.autosave_owner(actor, id).await?;
        let now = self.clock.now();
        self.store.put_autosave(user_id, id, base_version, form, now).await?;
        Ok(now)
    }

    /// The actor's unsaved text of article `id`, if any.
    pub async fn unsaved(&self, actor: &Actor, id: i64) -> Result<Option<Autosave>> {
        let Some(user_id) = actor.user_id else { return Ok(None) };
        if id != NEW_ARTICLE {
            self.open(actor, id).await?;
        }
        Ok(self.store.autosave(user_id, id).await?)
    }

    /// Forgets the actor's unsaved text of article `id` (discarded, or saved for real).
    pub async fn discard_unsaved(&self, actor: &Actor, id: i64) -> Result<()> {
        if let Some(user_id) = actor.user_id {
            self.store.delete_autosave(user_id, id).await?;
        }
        Ok(())
    }

    /// Whose autosave this would be: a person allowed to save the article (or to create one).
    async fn autosave_owner(&self, actor: &Actor, id: i64) -> Result<i64> {
        let user_id = actor.user_id.ok_or(NewsroomError::Forbidden)?;
        let allowed = if id == NEW_ARTICLE {
            allows(actor, Intent::Create(Action::Save), None)
        } else {
            let (article, author_id) = self.open(actor, id).await?;
            allows(actor, Intent::Change(Action::Save), Some(Subject { author_id, status: article.status }))
        };
        if !allowed {
            return Err(NewsroomError::Forbidden);
        }
        Ok(user_id)
    }
}
