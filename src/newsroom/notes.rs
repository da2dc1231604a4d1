//! Review: the thread of notes on each article, and sending a draft back to its author with
//! the reason, written in the same transaction as the step so neither is ever without the other.

use super::{Action, Actor, FieldError, Fields, Intent, Newsroom, NewsroomError, Result, SaveExtra};
use crate::storage::editorial::Written;
use crate::storage::notes::{NOTE, Note, SENT_BACK};

/// The longest note kept; a review note is a few sentences, not a second article.
pub const MAX_NOTE_CHARS: usize = 5000;

/// A note's text, trimmed, or why it cannot be one.
fn note_text(text: &str) -> Result<&str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(NewsroomError::Invalid(vec![FieldError::new("comment", "error_comment_required")]));
    }
    let len = text.chars().count();
    if len > MAX_NOTE_CHARS {
        let error = FieldError::new("comment", "error_too_long").with("len", len).with("max", MAX_NOTE_CHARS);
        return Err(NewsroomError::Invalid(vec![error]));
    }
    Ok(text)
}

impl Newsroom {
    /// Returns a draft awaiting review to its author, saying why.
    pub async fn send_back(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        reason: &str,
    ) -> Result<Written> {
        let reason = note_text(reason)?;
        self.save_with(
            actor,
            id,
            version,
            Fields::default(),
            Action::SendBack,
            SaveExtra { comment: Some((SENT_BACK, reason)), ..SaveExtra::default() },
        )
        .await
    }

    /// Adds a note to an article's thread: anyone who may open the article may write in it.
    pub async fn add_note(&self, actor: &Actor, id: i64, text: &str) -> Result<()> {
        let text = note_text(text)?;
        let (article, author_id) = self.open(actor, id).await?;
        if !self.may(actor, Intent::Open, &article, author_id) {
            return Err(NewsroomError::Forbidden);
        }
        Ok(self.store.add_note(id, actor.user_id, NOTE, text, self.clock.now()).await?)
    }

    /// An article's thread, oldest first, for whoever may open the article.
    pub async fn notes(&self, actor: &Actor, id: i64) -> Result<Vec<Note>> {
        self.open(actor, id).await?;
        Ok(self.store.notes(id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_needs_words_and_not_too_many() {
        assert_eq!(note_text("  Check the second quote.  ").unwrap(), "Check the second quote.");
        let empty = note_text(" \n ").unwrap_err();
        assert!(matches!(empty, NewsroomError::Invalid(ref e) if e[0].key == "error_comment_required"));
        let long = "я".repeat(MAX_NOTE_CHARS + 1);
        assert!(
            matches!(note_text(&long), Err(NewsroomError::Invalid(ref e)) if e[0].key == "error_too_long")
        );
        assert!(note_text(&"я".repeat(MAX_NOTE_CHARS)).is_ok(), "the limit counts characters, not bytes");
    }
}
