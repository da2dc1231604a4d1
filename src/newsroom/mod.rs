//! The editorial core: the one way every writer changes articles — the back office, the JSON
//! API, the importers, the scheduler and the command line.
//!
//! Each operation takes who acts ([`Actor`]), the version the writer started from (always
//! required: without it a concurrent save would be silently overwritten) and a typed input,
//! checks the role's permission ([`policy`]), validates every field ([`input`]), writes in one
//! transaction (the article, a revision, a typed change-log entry and, for status changes, an
//! audit entry) and then hands the result to the node's [`Followers`] — the one post-commit
//! step, which updates the read models and the page cache of the writing node at once. Other
//! nodes follow the change log.

pub mod accessibility;
pub mod autosave;
pub mod clippings;
pub mod documents;
pub mod error;
pub mod events;
pub mod galleries;
pub mod input;
pub mod notes;
pub mod pages;
pub mod policy;
pub mod previews;

pub use error::{FieldError, NewsroomError, Result};
pub use input::{Fields, LeadImage};
pub use policy::{Action, Actor, Intent};

use crate::domain::{Article, Clock, Lang, Status};
use crate::storage::Store;
use crate::storage::editorial::{ArticleEdit, SaveResult, WriteContext, Written};
use input::Base;
use policy::{Subject, allows};
use std::sync::Arc;

/// What runs after every committed write on the node that made it.
pub trait Followers: Send + Sync {
    fn committed(&self, written: &Written);
}

/// For processes without read models (the command line): other nodes follow the log.
#[derive(Debug, Default)]
pub struct NoFollowers;

impl Followers for NoFollowers {
    fn committed(&self, _: &Written) {}
}

/// What a save may carry besides its fields and step.
#[derive(Debug, Default, Clone, Copy)]
struct SaveExtra<'a> {
    /// A note for the review thread, written in the same transaction: `(kind, text)`.
    comment: Option<(&'a str, &'a str)>,
    /// Release the story's other languages not yet published with this publication.
    with_translations: bool,
}

/// A translation asked for: the new draft, or the one that already existed.
#[derive(Debug, Clone)]
pub enum Translation {
    Created(Box<Written>),
    Existing(i64),
}

/// The editorial core of one process.
#[derive(Clone)]
pub struct Newsroom {
    store: Store,
    clock: Arc<dyn Clock>,
    languages: Arc<Vec<Lang>>,
    followers: Arc<dyn Followers>,
}

impl std::fmt::Debug for Newsroom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Newsroom").field("languages", &self.languages).finish_non_exhaustive()
    }
}

impl Newsroom {
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        languages: Vec<Lang>,
        followers: Arc<dyn Followers>,
    ) -> Newsroom {
        Newsroom { store, clock, languages: Arc::new(languages), followers }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// An article the actor may open, with its author (for the edit rule).
    pub async fn open(&self, actor: &Actor, id: i64) -> Result<(Article, Option<i64>)> {
        let article = self.store.article_by_id(id).await?.ok_or(NewsroomError::NotFound)?;
        let (_, author_id, _) = self.store.article_meta(id).await?.ok_or(NewsroomError::NotFound)?;
        if !allows(actor, Intent::Open, Some(Subject { author_id, status: article.status })) {
            return Err(NewsroomError::Forbidden);
        }
        Ok((article, author_id))
    }

    /// Whether the actor may take this step on an article it has open.
    pub fn may(&self, actor: &Actor, intent: Intent, article: &Article, author_id: Option<i64>) -> bool {
        allows(actor, intent, Some(Subject { author_id, status: article.status }))
    }

    /// Creates an article in `lang`; `action` may publish or schedule it at once.
    pub async fn create(&self, actor: &Actor, lang: Lang, fields: Fields, action: Action) -> Result<Written> {
        if !allows(actor, Intent::Create(action), None) {
            return Err(NewsroomError::Forbidden);
        }
        let now = self.clock.now();
        let base = Base { article: None, review_requested: false, lead_image_id: None };
        let edit = input::resolve(&fields, &base, &lang, &self.languages, action, now)
            .map_err(NewsroomError::Invalid)?;
        self.check_references(&edit).await?;
        self.check_accessibility(&edit, None).await?;
        let ctx = self.context(actor, action.note(), None);
        let written = self.store.create_article(&edit, None, ctx).await?;
        self.forget_typed(actor, autosave::NEW_ARTICLE, &fields).await;
        Ok(self.done(written))
    }

    /// Saves `fields` over the article at `version` and takes the workflow step `action`.
    pub async fn save(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        fields: Fields,
        action: Action,
    ) -> Result<Written> {
        self.save_with(actor, id, version, fields, action, SaveExtra::default()).await
    }

    /// [`Newsroom::save`] with `Publish` or `Schedule`, releasing every other language version
    /// of the story not yet published at the same moment, in the same transaction: a statement
    /// goes out in both languages at once or not at all. Each translation must pass what its
    /// own publication would (permission, accessibility check).
    pub async fn release_together(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        fields: Fields,
        action: Action,
    ) -> Result<Written> {
        if !matches!(action, Action::Publish | Action::Schedule) {
            return self.save(actor, id, version, fields, action).await;
        }
        self.save_with(
            actor,
            id,
            version,
            fields,
            action,
            SaveExtra { with_translations: true, ..SaveExtra::default() },
        )
        .await
    }

    /// The other language versions of `article` that would be released with it.
    async fn releasable(&self, actor: &Actor, article: &Article, action: Action) -> Result<Vec<(i64, i64)>> {
        let versions = self.store.translation_versions(&article.translation_key).await?;
        let mut release = Vec::new();
        for v in versions.iter().filter(|v| v.id != article.id && v.status != Status::Published.as_str()) {
            let (other, author_id) = self.open(actor, v.id).await?;
            if !self.may(actor, Intent::Change(action), &other, author_id) {
                return Err(NewsroomError::Forbidden);
            }
            let lead_image_id = self.store.lead_image_id(other.id).await?;
            self.refuse_inaccessible(other.lang.as_str(), &other.title, &other.body_html, lead_image_id)
                .await?;
            release.push((other.id, other.version));
        }
        Ok(release)
    }

    /// [`Newsroom::save`], with a note for the review thread written in the same transaction.
    async fn save_with(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        fields: Fields,
        action: Action,
        extra: SaveExtra<'_>,
    ) -> Result<Written> {
        let SaveExtra { comment, with_translations } = extra;
        let (article, author_id) = self.open(actor, id).await?;
        if !self.may(actor, Intent::Change(action), &article, author_id) {
            return Err(NewsroomError::Forbidden);
        }
        let version = version.ok_or(NewsroomError::VersionRequired)?;
        if action == Action::SendBack && article.status != Status::Draft {
            return Err(NewsroomError::Taken(FieldError::new("status", "error_not_a_draft")));
        }
        let (_, _, review_requested) = self.store.article_meta(id).await?.ok_or(NewsroomError::NotFound)?;
        let lead_image_id = self.store.lead_image_id(id).await?;
        let base = Base { article: Some(&article), review_requested, lead_image_id };
        let edit = input::resolve(&fields, &base, &article.lang, &self.languages, action, self.clock.now())
            .map_err(NewsroomError::Invalid)?;
        self.check_references(&edit).await?;
        self.check_accessibility(&edit, Some(article.status)).await?;
        let correction = correction_note(&fields, &article, &edit)?;
        let release =
            if with_translations { self.releasable(actor, &article, action).await? } else { Vec::new() };
        let ctx = match &correction {
            Some(note) => WriteContext {
                comment,
                correction: Some(note),
                release: &release,
                ..self.context(actor, "correction", Some("article.correct"))
            },
            None => WriteContext { comment, release: &release, ..self.context(actor, action.note(), None) },
        };
        let written = self.finish(self.store.save_article(id, version, &edit, ctx).await?)?;
        self.forget_typed(actor, id, &fields).await;
        Ok(written)
    }

    /// After a save that carried the text, the person's autosave of it is spent. Failing to
    /// delete it is harmless (the editor offers it back, and it is pruned later), so the
    /// committed save is not reported as failed.
    async fn forget_typed(&self, actor: &Actor, id: i64, fields: &Fields) {
        if (fields.title.is_some() || fields.body_html.is_some())
            && let Err(e) = self.discard_unsaved(actor, id).await
        {
            tracing::warn!(article = id, error = %e, "an autosave outlived its save");
        }
    }

    /// A workflow step without changes to the text.
    pub async fn act(&self, actor: &Actor, id: i64, version: Option<i64>, action: Action) -> Result<Written> {
        self.save(actor, id, version, Fields::default(), action).await
    }

    /// Brings back an old revision's text, section and address as the newest version; the
    /// status, date and lead photo stay as they are now.
    pub async fn restore_revision(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        revision_id: i64,
    ) -> Result<Written> {
        let (article, author_id) = self.open(actor, id).await?;
        if !self.may(actor, Intent::RestoreRevision, &article, author_id) {
            return Err(NewsroomError::Forbidden);
        }
        let version = version.ok_or(NewsroomError::VersionRequired)?;
        let old = self.store.revision(id, Some(revision_id), None).await?.ok_or(NewsroomError::NotFound)?;
        let (tags, bylines) = (old.tag_names(), old.byline_names());
        let edit = ArticleEdit {
            lang: article.lang.clone(),
            section_id: old.section_id,
            title: old.title,
            slug: Some(old.slug),
            lead: old.lead,
            body_html: old.body_html,
            status: article.status,
            publish_at: article.publish_at,
            review_requested: false,
            lead_image_id: self.store.lead_image_id(id).await?,
            tags,
            bylines,
            expires_at: article.expires_at,
        };
        let note = format!("restored version {}", old.version);
        let ctx = self.context(actor, &note, Some("article.restore_revision"));
        self.finish(self.store.save_article(id, version, &edit, ctx).await?)
    }

    /// Makes an article the lead story of its language's home page, or no longer. Editors and
    /// admins (those who publish) choose it.
    pub async fn pin(&self, actor: &Actor, id: i64, pinned: bool) -> Result<Written> {
        if !actor.role.can(crate::domain::user::Permission::Publish) {
            return Err(NewsroomError::Forbidden);
        }
        let written = self.store.pin_article(id, pinned, actor.user_id, self.clock.now()).await?;
        Ok(self.done(written))
    }

    /// To the trash: off the public site at once.
    pub async fn trash(&self, actor: &Actor, id: i64, version: Option<i64>) -> Result<Written> {
        self.trash_or_restore(actor, id, version, true).await
    }

    /// Back from the trash, as a draft.
    pub async fn restore(&self, actor: &Actor, id: i64, version: Option<i64>) -> Result<Written> {
        self.trash_or_restore(actor, id, version, false).await
    }

    async fn trash_or_restore(
        &self,
        actor: &Actor,
        id: i64,
        version: Option<i64>,
        trash: bool,
    ) -> Result<Written> {
        let intent = if trash { Intent::Trash } else { Intent::Restore };
        if !allows(actor, intent, None) {
            return Err(NewsroomError::Forbidden);
        }
        let version = version.ok_or(NewsroomError::VersionRequired)?;
        let note = if trash { "moved to the trash" } else { "restored from the trash" };
        let ctx = self.context(actor, note, None);
        self.finish(self.store.set_trashed(id, version, trash, ctx).await?)
    }

    /// A translation of article `id` in `lang`, linked to it as made from it: `fields` over the
    /// source's section, lead photo and bylines (its text, and the address made from its own
    /// title, are its own), created with `action`; or the translation that already exists.
    pub async fn create_translation(
        &self,
        actor: &Actor,
        id: i64,
        lang: Lang,
        fields: Fields,
        action: Action,
    ) -> Result<Translation> {
        let (source, author_id) = self.open(actor, id).await?;
        if !self.may(actor, Intent::Translate, &source, author_id) {
            return Err(NewsroomError::Forbidden);
        }
        if !self.languages.contains(&lang) {
            let known: Vec<&str> = self.languages.iter().map(Lang::as_str).collect();
            let error = FieldError::new("lang", "error_not_a_language")
                .with("lang", &lang)
                .with("known", known.join(", "));
            return Err(NewsroomError::Invalid(vec![error]));
        }
        let versions = self.store.translation_versions(&source.translation_key).await?;
        if let Some(existing) = versions.iter().find(|v| v.lang == lang.as_str()) {
            return Ok(Translation::Existing(existing.id));
        }
        if !allows(actor, Intent::Create(action), None) {
            return Err(NewsroomError::Forbidden);
        }
        // A translation starts from the source's section, lead photo, bylines and date, never
        // its words: the text is the translator's own, and tags belong to a language.
        let mut start = source.clone();
        start.status = Status::Draft;
        start.tags.clear();
        start.title.clear();
        start.lead.clear();
        start.body_html.clear();
        start.expires_at = None;
        let base = Base {
            article: Some(&start),
            review_requested: false,
            lead_image_id: self.store.lead_image_id(source.id).await?,
        };
        let mut edit = input::resolve(&fields, &base, &lang, &self.languages, action, self.clock.now())
            .map_err(NewsroomError::Invalid)?;
        self.check_references(&edit).await?;
        self.check_accessibility(&edit, None).await?;
        // Not the source's address: the translation's own, from its title unless given.
        edit.slug = fields.slug.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let ctx = self.context(actor, "translation started", None);
        let written =
            self.store.create_article(&edit, Some((&source.translation_key, source.id)), ctx).await?;
        Ok(Translation::Created(Box::new(self.done(written))))
    }

    /// Publishes the scheduled articles whose time has come. Every node may call this at
    /// once: each article is published exactly once (one conditional UPDATE), with a revision
    /// and an audit entry like any other publication.
    pub async fn publish_due(&self) -> Result<Vec<Written>> {
        let written = self.store.publish_due(self.clock.now()).await?;
        Ok(written.into_iter().map(|w| self.done(w)).collect())
    }

    /// Unpublishes the published articles whose expiry has come, exactly once across nodes
    /// (one conditional UPDATE), each with a revision and an audit entry.
    pub async fn unpublish_expired(&self) -> Result<Vec<Written>> {
        let written = self.store.unpublish_expired(self.clock.now()).await?;
        Ok(written.into_iter().map(|w| self.done(w)).collect())
    }

    /// What the accessibility check finds in an article's text and lead photo (with the
    /// photo's description in the article's language).
    pub async fn accessibility_findings(
        &self,
        lang: &str,
        title: &str,
        body_html: &str,
        lead_image_id: Option<i64>,
    ) -> crate::storage::Result<Vec<accessibility::Finding>> {
        let alt = match lead_image_id {
            Some(id) => match self.store.media_by_id(id).await? {
                Some(m) => Some(self.store.media_in_language(m, lang).await?.alt),
                None => None,
            },
            None => None,
        };
        Ok(accessibility::check(title, body_html, alt.as_deref()))
    }

    /// An edit that makes an article public (published or scheduled) passes the accessibility
    /// check first; `was` is the status it had. Edits of an article already published are not
    /// held up (a correction must never wait), the editor shows their findings instead.
    async fn check_accessibility(&self, edit: &ArticleEdit, was: Option<Status>) -> Result<()> {
        let going_public = matches!(edit.status, Status::Published | Status::Scheduled);
        if !going_public || was == Some(Status::Published) {
            return Ok(());
        }
        self.refuse_inaccessible(edit.lang.as_str(), &edit.title, &edit.body_html, edit.lead_image_id).await
    }

    /// Refuses what the accessibility check finds that stops a publication under the site's
    /// rule (every finding, or only pictures without a text alternative).
    async fn refuse_inaccessible(
        &self,
        lang: &str,
        title: &str,
        body_html: &str,
        lead_image_id: Option<i64>,
    ) -> Result<()> {
        let findings = self.accessibility_findings(lang, title, body_html, lead_image_id).await?;
        if findings.is_empty() {
            return Ok(());
        }
        let strictness = accessibility::Strictness::parse(&self.store.accessibility_strictness().await?);
        let errors: Vec<FieldError> =
            findings.iter().filter(|f| f.blocks(strictness)).map(accessibility::Finding::to_error).collect();
        if errors.is_empty() { Ok(()) } else { Err(NewsroomError::Invalid(errors)) }
    }

    /// The section and the lead photo an edit names must exist.
    async fn check_references(&self, edit: &ArticleEdit) -> Result<()> {
        let mut errors = Vec::new();
        if !self.store.sections().await?.iter().any(|s| s.id == edit.section_id) {
            errors.push(FieldError::new("section", "error_no_section").with("id", edit.section_id));
        }
        if !errors.is_empty() {
            return Err(NewsroomError::Invalid(errors));
        }
        if let Some(id) = edit.lead_image_id
            && self.store.media_by_id(id).await?.is_none()
        {
            return Err(NewsroomError::Missing(
                FieldError::new("lead_image", "media_not_found").with("id", id),
            ));
        }
        Ok(())
    }

    fn context<'a>(&self, actor: &'a Actor, note: &'a str, audit: Option<&'a str>) -> WriteContext<'a> {
        WriteContext {
            user_id: actor.user_id,
            address: &actor.address,
            note,
            audit,
            comment: None,
            correction: None,
            release: &[],
            now: self.clock.now(),
        }
    }

    fn finish(&self, result: SaveResult) -> Result<Written> {
        match result {
            SaveResult::Saved(written) => Ok(self.done(*written)),
            SaveResult::Conflict(conflict) => Err(NewsroomError::Conflict(conflict)),
        }
    }

    /// The one post-commit step.
    fn done(&self, written: Written) -> Written {
        self.followers.committed(&written);
        for released in &written.released {
            self.followers.committed(released);
        }
        written
    }
}

/// The correction note a save carries, checked: only an edit of a published article that
/// stays published can be a correction, and the note is short plain text.
fn correction_note(fields: &Fields, article: &Article, edit: &ArticleEdit) -> Result<Option<String>> {
    use crate::storage::corrections::MAX_NOTE;
    let Some(note) = fields.correction.as_deref().map(crate::domain::markup::plain_text) else {
        return Ok(None);
    };
    let note = note.trim();
    if note.is_empty() {
        return Ok(None);
    }
    if article.status != Status::Published || edit.status != Status::Published {
        return Err(NewsroomError::Invalid(vec![FieldError::new(
            "correction",
            "error_correction_unpublished",
        )]));
    }
    let len = note.chars().count();
    if len > MAX_NOTE {
        let error = FieldError::new("correction", "error_too_long").with("len", len).with("max", MAX_NOTE);
        return Err(NewsroomError::Invalid(vec![error]));
    }
    Ok(Some(note.to_string()))
}
