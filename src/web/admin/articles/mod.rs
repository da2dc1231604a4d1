//! Articles in the back office: the filtered list, the editor (create, save, submit for review,
//! publish, schedule, unpublish), the preview, translations and the trash.
//!
//! Saving is optimistic: the form carries the version it was loaded at, and a save against a
//! newer version is refused with the other person's changes shown as a diff, while this
//! person's text stays in the form. Nobody's work is lost.

mod autosave;
mod editor;
mod list;

pub use autosave::{autosave, discard_autosave};
pub(super) use editor::{Shown, editor_page, editor_with_link};
pub use list::{list, trash_list};

use super::history::diff_view;
use super::session::Staff;
use super::{client_address, ui_lang};
use crate::domain::user::Permission;
use crate::domain::{Article, Lang, Status, dates};
use crate::i18n;
use crate::newsroom::input::{Base, resolve};
use crate::newsroom::{Action, Actor, FieldError, Fields, LeadImage, NewsroomError, Translation};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::public::PageCtx;
use autosave::{Unsaved, unsaved_text};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

/// Each site language's version of a story: missing, this one, draft, scheduled, published,
/// or outdated (made from a source whose text changed after it was last saved).
fn translation_states(
    state: &AppState,
    versions: &[crate::storage::editorial::TranslationVersion],
    this_id: i64,
) -> Vec<Value> {
    state
        .site
        .languages
        .iter()
        .map(|l| {
            let found = versions.iter().find(|v| v.lang == l.as_str());
            let (id, state_name) = match found {
                None => (None, "missing".to_string()),
                Some(v) if v.id == this_id => (Some(v.id), "this".to_string()),
                Some(v) if v.is_outdated(versions) => (Some(v.id), "outdated".to_string()),
                Some(v) => (Some(v.id), v.status.clone()),
            };
            context! { lang => l.as_str(), id, state => state_name }
        })
        .collect()
}

/// The editor's form (also what an autosave keeps, as JSON).
#[derive(Debug, Default, Deserialize, serde::Serialize, Clone)]
pub struct ArticleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    lead: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    section: String,
    lang: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    publish_at: String,
    #[serde(default, deserialize_with = "super::version_field")]
    version: Option<i64>,
    #[serde(default)]
    action: String,
    /// The lead photo's id, empty for none. A form without the field keeps the current one.
    lead_image: Option<String>,
    /// Tag names, comma-separated. A form without the field keeps the current ones.
    tags: Option<String>,
    /// Bylines, comma-separated. A form without the field keeps the current ones.
    bylines: Option<String>,
    /// When the article takes itself off the site; empty for never. A form without the field
    /// keeps the current expiry.
    expires_at: Option<String>,
    /// A public note that makes this edit of a published article a correction.
    correction: Option<String>,
    /// The article a new one translates (the editor of a new translation).
    translation_of: Option<i64>,
    /// Publish or schedule the story's other languages at the same moment.
    with_translations: Option<String>,
}

/// The form's fields as the newsroom takes them; what cannot even be read (a date that is not
/// a date) is reported against its field like any other mistake.
fn form_fields(state: &AppState, f: &ArticleForm) -> Result<Fields, Vec<FieldError>> {
    let mut errors = Vec::new();
    let section_id = match f.section.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new("section", "error_no_section").with("id", s));
                None
            }
        },
    };
    let publish_at = match f.publish_at.trim() {
        "" => None,
        s => match dates::parse(s, &state.site.time_zone) {
            Ok(at) => Some(at),
            Err(_) => {
                errors.push(FieldError::new("publish_at", "error_date_format").with("value", s));
                None
            }
        },
    };
    let expires_at = match f.expires_at.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(s) => match dates::parse(s, &state.site.time_zone) {
            Ok(at) => Some(Some(at)),
            Err(_) => {
                errors.push(FieldError::new("expires_at", "error_date_format").with("value", s));
                None
            }
        },
    };
    let lead_image = match f.lead_image.as_deref().map(str::trim) {
        None => LeadImage::Keep,
        Some("") | Some("0") => LeadImage::Remove,
        Some(s) => match s.parse::<i64>() {
            Ok(id) => LeadImage::Set(id),
            Err(_) => {
                errors.push(FieldError::new("lead_image", "media_not_found").with("id", s));
                LeadImage::Keep
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Fields {
        title: Some(f.title.clone()),
        lead: Some(f.lead.clone()),
        body_html: Some(f.body.clone()),
        section_id,
        slug: f.slug.clone(),
        publish_at,
        lead_image,
        tags: f.tags.as_deref().map(crate::domain::tag::split_list),
        bylines: f.bylines.as_deref().map(crate::domain::tag::split_list),
        expires_at,
        correction: f.correction.clone(),
    })
}

/// The button pressed; an unknown one is a broken form, not a save.
fn form_action(f: &ArticleForm) -> WebResult<Action> {
    Action::parse(f.action.trim())
        .ok_or_else(|| WebError::BadRequest(format!("'{}' is not an action", f.action)))
}

/// The person at the keyboard, as the newsroom knows them.
pub(super) fn actor(staff: &Staff, extensions: &Extensions) -> Actor {
    Actor::person(staff.user.id, staff.user.role, client_address(extensions))
}

/// The site language a form or link names, or the default one when it names none the site runs.
fn site_lang(state: &AppState, code: Option<&str>) -> Lang {
    code.and_then(|l| state.site.language(l)).unwrap_or(&state.site.default_language).clone()
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    lang: Option<String>,
    /// `1`: bring back the autosaved text of an article not yet created.
    recover: Option<String>,
    /// Start a translation of this article (its source shown beside the empty form).
    translation_of: Option<i64>,
}

/// `GET /admin/articles/new`.
pub async fn new(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Query(q): Query<NewQuery>,
) -> WebResult<Response> {
    staff.require(Permission::CreateArticle)?;
    let ui = ui_lang(&headers);
    if let Some(source_id) = q.translation_of {
        return new_translation(&state, &staff, &headers, &extensions, source_id, q.lang.as_deref()).await;
    }
    let recovered = unsaved_text(&state, &staff, &extensions, None, ui).await?;
    match (recovered, q.recover.is_some()) {
        (Some(Unsaved { form, .. }), true) => {
            let lang = site_lang(&state, form.lang.as_deref());
            let notice = Some(i18n::text(ui, "admin_unsaved_restored", &[]));
            editor_page(
                &state,
                &staff,
                &headers,
                None,
                &lang,
                Shown { form: Some(&form), notice, ..Shown::default() },
            )
            .await
        }
        (recovered, _) => {
            let lang = site_lang(&state, q.lang.as_deref());
            let unsaved = recovered.map(|r| r.when);
            editor_page(&state, &staff, &headers, None, &lang, Shown { unsaved, ..Shown::default() }).await
        }
    }
}

/// The editor of a translation not yet written: empty fields in `lang`, with the source's
/// section, lead photo and bylines, and the source beside it as reference. An existing
/// translation is opened instead.
async fn new_translation(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    extensions: &Extensions,
    source_id: i64,
    lang: Option<&str>,
) -> WebResult<Response> {
    let source = load_for(state, staff, extensions, source_id).await?;
    let lang = site_lang(state, lang);
    let versions = state.store.translation_versions(&source.translation_key).await?;
    if let Some(existing) = versions.iter().find(|v| v.lang == lang.as_str()) {
        return Ok(Redirect::to(&format!("/admin/articles/{}", existing.id)).into_response());
    }
    let lead_image = state.store.lead_image_id(source.id).await?;
    let form = ArticleForm {
        lang: Some(lang.to_string()),
        section: source.section_id.to_string(),
        lead_image: Some(lead_image.map(|id| id.to_string()).unwrap_or_default()),
        bylines: Some(source.bylines.join(", ")),
        translation_of: Some(source.id),
        ..ArticleForm::default()
    };
    editor_page(state, staff, headers, None, &lang, Shown { form: Some(&form), ..Shown::default() }).await
}

/// `POST /admin/articles`: creates an article from the editor.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<ArticleForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let action = form_action(&f)?;
    let lang = site_lang(&state, f.lang.as_deref());
    let refused = |status, message| Shown::refused(status, &f, message);
    let fields = match form_fields(&state, &f) {
        Ok(fields) => fields,
        Err(errors) => {
            let message = NewsroomError::Invalid(errors).message(ui).unwrap_or_default();
            let shown = refused(StatusCode::UNPROCESSABLE_ENTITY, message);
            return editor_page(&state, &staff, &headers, None, &lang, shown).await;
        }
    };
    let actor = actor(&staff, &extensions);
    let created = match f.translation_of {
        None => state.newsroom.create(&actor, lang.clone(), fields, action).await,
        Some(source) => {
            match state.newsroom.create_translation(&actor, source, lang.clone(), fields, action).await {
                Ok(Translation::Created(written)) => Ok(*written),
                // Someone else started it meanwhile: open theirs rather than write a second one.
                Ok(Translation::Existing(id)) => {
                    return Ok(Redirect::to(&format!("/admin/articles/{id}")).into_response());
                }
                Err(e) => Err(e),
            }
        }
    };
    match created {
        Ok(written) => {
            let id = written.article().map(|a| a.id).unwrap_or(0);
            Ok(Redirect::to(&format!("/admin/articles/{id}?saved={}", done_word(action))).into_response())
        }
        Err(e @ (NewsroomError::Invalid(_) | NewsroomError::Taken(_) | NewsroomError::Missing(_))) => {
            let status = if matches!(e, NewsroomError::Taken(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let shown = refused(status, e.message(ui).unwrap_or_default());
            editor_page(&state, &staff, &headers, None, &lang, shown).await
        }
        Err(e) => Err(WebError::refused(e, ui)),
    }
}

/// Loads an article the user may open, with its author.
pub(super) async fn load_with_author(
    state: &AppState,
    staff: &Staff,
    extensions: &Extensions,
    id: i64,
) -> WebResult<(Article, Option<i64>)> {
    state.newsroom.open(&actor(staff, extensions), id).await.map_err(|e| WebError::refused(e, "en"))
}

/// [`load_with_author`] without the author.
pub(super) async fn load_for(
    state: &AppState,
    staff: &Staff,
    extensions: &Extensions,
    id: i64,
) -> WebResult<Article> {
    Ok(load_with_author(state, staff, extensions, id).await?.0)
}

#[derive(Debug, Deserialize)]
pub struct EditQuery {
    saved: Option<String>,
    /// `1`: bring back this person's autosaved text into the form.
    recover: Option<String>,
}

/// The word a redirect after a workflow step carries, for the message that says what happened.
fn done_word(action: Action) -> &'static str {
    match action {
        Action::Save => "saved",
        Action::Submit => "submitted",
        Action::SendBack => "sent-back",
        Action::Publish => "published",
        Action::Schedule => "scheduled",
        Action::Unpublish => "unpublished",
    }
}

/// "Published", "Sent back to the author", "Scheduled for 12.05.2026 10:00 (Europe/Moscow)": what
/// the last step did, in the back office's language.
fn done_message(state: &AppState, ui: &str, done: &str, article: &crate::domain::Article) -> String {
    let tz = &state.site.time_zone;
    let key = match done {
        "submitted" => "admin_done_submitted",
        "sent-back" => "admin_done_sent_back",
        "published" => "admin_done_published",
        "scheduled" => "admin_done_scheduled",
        "unpublished" => "admin_done_unpublished",
        "restored" => "admin_done_restored",
        "pinned" => "admin_done_pinned",
        "noted" => "admin_done_noted",
        "corrected" => "admin_done_corrected",
        "event" => "admin_event_saved",
        "event-removed" => "admin_event_removed",
        _ => "admin_saved",
    };
    let zone = &state.site.time_zone_name;
    let when = format!("{} ({zone})", dates::short_with_time(article.publish_at, tz));
    let mut message = i18n::text(ui, key, &[("when", &when)]);
    if let Some(expiry) = article.expires_at.filter(|_| article.status != crate::domain::Status::Draft) {
        let until = format!("{} ({zone})", dates::short_with_time(expiry, tz));
        message.push(' ');
        message.push_str(&i18n::text(ui, "admin_done_expires", &[("when", &until)]));
    }
    message
}

/// `GET /admin/articles/{id}`.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
    extensions: Extensions,
) -> WebResult<Response> {
    let article = load_for(&state, &staff, &extensions, id).await?;
    let ui = ui_lang(&headers);
    let lang = article.lang.clone();
    let recovered = unsaved_text(&state, &staff, &extensions, Some(&article), ui).await?;
    if let (Some(Unsaved { form, .. }), true) = (&recovered, q.recover.is_some()) {
        let notice = Some(i18n::text(ui, "admin_unsaved_restored", &[]));
        let shown = Shown { form: Some(form), notice, ..Shown::default() };
        return editor_page(&state, &staff, &headers, Some(&article), &lang, shown).await;
    }
    let notice = q.saved.as_deref().map(|done| done_message(&state, ui, done, &article));
    let unsaved = recovered.map(|r| r.when);
    editor_page(
        &state,
        &staff,
        &headers,
        Some(&article),
        &lang,
        Shown { notice, unsaved, ..Shown::default() },
    )
    .await
}

/// `POST /admin/articles/{id}`: saves with the chosen action.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<ArticleForm>,
) -> WebResult<Response> {
    let (article, _) = load_with_author(&state, &staff, &extensions, id).await?;
    let ui = ui_lang(&headers);
    let action = form_action(&f)?;
    let lang = article.lang.clone();
    let fields = match form_fields(&state, &f) {
        Ok(fields) => fields,
        Err(errors) => {
            let message = NewsroomError::Invalid(errors).message(ui).unwrap_or_default();
            let shown = Shown::refused(StatusCode::UNPROCESSABLE_ENTITY, &f, message);
            return editor_page(&state, &staff, &headers, Some(&article), &lang, shown).await;
        }
    };
    let corrected =
        action == Action::Save && fields.correction.as_deref().is_some_and(|n| !n.trim().is_empty());
    let together = f.with_translations.as_deref().is_some_and(|v| !v.is_empty());
    let saved = if together {
        state.newsroom.release_together(&actor(&staff, &extensions), id, f.version, fields, action).await
    } else {
        state.newsroom.save(&actor(&staff, &extensions), id, f.version, fields, action).await
    };
    match saved {
        Ok(_) => {
            let done = if corrected { "corrected" } else { done_word(action) };
            Ok(Redirect::to(&format!("/admin/articles/{id}?saved={done}")).into_response())
        }
        Err(NewsroomError::Conflict(conflict)) => {
            // Keep this person's text in the form, show what the other person changed, and let
            // the next save go through against the version they have now seen.
            let theirs = state.store.revision(id, None, Some(conflict.base_version)).await?;
            let diff = diff_view(
                theirs.as_ref().map(|r| (r.title.as_str(), r.lead.as_str(), r.body_html.as_str())),
                (&conflict.current.title, &conflict.current.lead, &conflict.current.body_html),
            );
            let mut kept = f.clone();
            kept.version = Some(conflict.current.version);
            let message =
                i18n::text(ui, "admin_conflict", &[("version", &conflict.current.version.to_string())]);
            let current = *conflict.current;
            editor_page(
                &state,
                &staff,
                &headers,
                Some(&current),
                &lang,
                Shown { conflict: Some(diff), ..Shown::refused(StatusCode::CONFLICT, &kept, message) },
            )
            .await
        }
        Err(
            e @ (NewsroomError::Invalid(_)
            | NewsroomError::Taken(_)
            | NewsroomError::Missing(_)
            | NewsroomError::VersionRequired),
        ) => {
            let status = if matches!(e, NewsroomError::Taken(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let shown = Shown::refused(status, &f, e.message(ui).unwrap_or_default());
            editor_page(&state, &staff, &headers, Some(&article), &lang, shown).await
        }
        Err(e) => Err(WebError::refused(e, ui)),
    }
}

/// `POST /admin/articles/{id}/preview` (id 0 for an unsaved article): the form's content in
/// the public article template, exactly as readers would see it; nothing is saved.
pub async fn preview(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    extensions: Extensions,
    Form(f): Form<ArticleForm>,
) -> WebResult<Response> {
    let existing = if id == 0 { None } else { Some(load_for(&state, &staff, &extensions, id).await?) };
    let ui = ui_lang(&headers);
    let lang = match &existing {
        Some(a) => a.lang.clone(),
        None => site_lang(&state, f.lang.as_deref()),
    };
    let invalid = |errors| WebError::refused(NewsroomError::Invalid(errors), ui);
    let fields = form_fields(&state, &f).map_err(invalid)?;
    let lead_image_id = match existing.as_ref() {
        Some(a) => state.store.lead_image_id(a.id).await?,
        None => None,
    };
    let base = Base { article: existing.as_ref(), review_requested: false, lead_image_id };
    let edit = resolve(&fields, &base, &lang, &state.site.languages, Action::Save, state.clock.now())
        .map_err(invalid)?;
    let lead_image = match edit.lead_image_id {
        Some(id) => match state.store.media_by_id(id).await? {
            Some(m) => Some(state.store.media_in_language(m, lang.as_str()).await?),
            None => None,
        },
        None => None,
    };
    let ctx = PageCtx::new(&state, lang.as_str()).await?;
    let section = ctx
        .section_by_id(edit.section_id)
        .ok_or_else(|| {
            invalid(vec![FieldError::new("section", "error_no_section").with("id", edit.section_id)])
        })?
        .clone();
    let now = state.clock.now();
    let article = Article {
        id: existing.as_ref().map(|a| a.id).unwrap_or(0),
        external_id: String::new(),
        translation_key: existing.as_ref().map(|a| a.translation_key.clone()).unwrap_or_default(),
        lang,
        section_id: edit.section_id,
        slug: edit
            .slug
            .clone()
            .or(existing.as_ref().map(|a| a.slug.clone()))
            .unwrap_or_else(|| crate::domain::slug::slugify(&edit.title)),
        title: edit.title,
        lead: edit.lead,
        body_html: edit.body_html,
        status: Status::Draft,
        publish_at: edit.publish_at,
        created_at: now,
        updated_at: now,
        version: 0,
        tags: edit.tags,
        bylines: edit.bylines,
        expires_at: edit.expires_at,
    };
    let html =
        crate::web::public::article::render_article_with(&ctx, &article, &section, lead_image.as_ref())
            .await?
            .html;
    // Nobody mistakes a preview for the published page, and no search engine keeps it.
    let banner = i18n::text(ui, "admin_preview_banner", &[]);
    Ok(crate::web::public::preview::preview_response(crate::web::public::preview::mark_as_preview(
        html, &banner,
    )))
}

#[derive(Debug, Deserialize)]
pub struct TranslateForm {
    lang: String,
}

/// `POST /admin/articles/{id}/translate`: the editor of a new translation into another
/// language (created when first saved), or the existing translation if there is one.
pub async fn translate(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<TranslateForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let Some(lang) = state.site.language(&f.lang).cloned() else {
        let error = FieldError::new("lang", "error_not_a_language")
            .with("lang", &f.lang)
            .with("known", state.site.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", "));
        return Err(WebError::refused(NewsroomError::Invalid(vec![error]), ui));
    };
    let source = load_for(&state, &staff, &extensions, id).await?;
    let versions = state.store.translation_versions(&source.translation_key).await?;
    let to = match versions.iter().find(|v| v.lang == lang.as_str()) {
        Some(existing) => format!("/admin/articles/{}", existing.id),
        None => format!("/admin/articles/new?translation_of={id}&lang={lang}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// The version a trash or restore button was shown at.
#[derive(Debug, Deserialize)]
pub struct VersionForm {
    #[serde(default, deserialize_with = "super::version_field")]
    version: Option<i64>,
}

/// `POST /admin/articles/{id}/delete`: to the trash (and off the public site).
pub async fn trash(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<VersionForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .trash(&actor(&staff, &extensions), id, f.version)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    Ok(Redirect::to("/admin/trash").into_response())
}

/// What the lead-story button sends.
#[derive(Debug, Deserialize)]
pub struct PinForm {
    /// `1` to make the article its language's lead story, `0` to stop.
    pinned: String,
}

/// `POST /admin/articles/{id}/pin`: the lead story of its language's home page, or no longer.
pub async fn pin(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<PinForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .pin(&actor(&staff, &extensions), id, f.pinned == "1")
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    let done = if f.pinned == "1" { "pinned" } else { "saved" };
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved={done}")).into_response())
}

/// `POST /admin/articles/{id}/restore`: back from the trash, as a draft.
pub async fn restore(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<VersionForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .restore(&actor(&staff, &extensions), id, f.version)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved=restored")).into_response())
}
