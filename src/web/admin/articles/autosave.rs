//! Autosave: the editor keeps the person's unsaved text every few seconds, and offers it back
//! when they return, unless the article already holds it.

use super::{ArticleForm, actor};
use crate::domain::{Article, dates};
use crate::i18n;
use crate::newsroom::NewsroomError;
use crate::newsroom::autosave::NEW_ARTICLE;
use crate::storage::editorial::at;
use crate::web::AppState;
use crate::web::admin::session::Staff;
use crate::web::admin::ui_lang;
use crate::web::error::{WebError, WebResult};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// Text the person typed and did not save, as the editor offers it back.
pub(super) struct Unsaved {
    pub(super) form: ArticleForm,
    /// When it was kept, in the site's time zone.
    pub(super) when: String,
}

/// The person's autosaved form of `article` (`None`: a new one), unless it holds nothing more
/// than the article does now (an autosave that arrived just after the save it preceded).
pub(super) async fn unsaved_text(
    state: &AppState,
    staff: &Staff,
    extensions: &Extensions,
    article: Option<&Article>,
    ui: &str,
) -> WebResult<Option<Unsaved>> {
    let id = article.map(|a| a.id).unwrap_or(NEW_ARTICLE);
    let actor = actor(staff, extensions);
    let Some(kept) = state.newsroom.unsaved(&actor, id).await.map_err(|e| WebError::refused(e, ui))? else {
        return Ok(None);
    };
    let Ok(mut form) = serde_json::from_str::<ArticleForm>(&kept.form) else {
        // Written by a release whose form this one cannot read: of no use to anyone.
        state.newsroom.discard_unsaved(&actor, id).await.map_err(|e| WebError::refused(e, ui))?;
        return Ok(None);
    };
    if let Some(a) = article
        && form.title == a.title
        && form.lead == a.lead
        && crate::domain::markup::sanitize_html(&form.body) == a.body_html
    {
        state.newsroom.discard_unsaved(&actor, id).await.map_err(|e| WebError::refused(e, ui))?;
        return Ok(None);
    }
    form.version = Some(kept.base_version);
    form.action = String::new();
    let tz = &state.site.time_zone;
    let at = at(kept.saved_at);
    let when = dates::short_with_time(at, tz);
    Ok(Some(Unsaved { form, when }))
}

/// What an autosave answers the editor's script.
fn autosave_answer(status: StatusCode, ok: bool, message: String) -> Response {
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({ "ok": ok, "message": message })),
    )
        .into_response()
}

/// `POST /admin/articles/{id}/autosave` (id 0 for an article not yet created): keeps the form
/// as this person's unsaved text, without saving the article. Answers JSON for the editor's
/// script, which says in the page when the text was last kept or why it was not.
pub async fn autosave(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(mut f): Form<ArticleForm>,
) -> Response {
    let ui = ui_lang(&headers);
    f.action = String::new();
    let base_version = f.version.unwrap_or(0);
    let form = match serde_json::to_string(&f) {
        Ok(form) => form,
        Err(_) => {
            return autosave_answer(
                StatusCode::BAD_REQUEST,
                false,
                i18n::text(ui, "admin_autosave_failed", &[]),
            );
        }
    };
    match state.newsroom.autosave(&actor(&staff, &extensions), id, base_version, &form).await {
        Ok(now) => {
            let time = now.to_zoned(state.site.time_zone.clone()).strftime("%H:%M").to_string();
            autosave_answer(StatusCode::OK, true, i18n::text(ui, "admin_autosaved", &[("time", &time)]))
        }
        Err(e) => {
            let key = match &e {
                NewsroomError::Forbidden => "admin_autosave_forbidden",
                NewsroomError::NotFound => "admin_autosave_gone",
                _ => "admin_autosave_failed",
            };
            let status = WebError::refused(e, ui).status();
            autosave_answer(status, false, i18n::text(ui, key, &[]))
        }
    }
}

/// `POST /admin/articles/{id}/autosave/discard`: throws this person's unsaved text away.
pub async fn discard_autosave(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .discard_unsaved(&actor(&staff, &extensions), id)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    let back =
        if id == NEW_ARTICLE { "/admin/articles/new".to_string() } else { format!("/admin/articles/{id}") };
    Ok(Redirect::to(&back).into_response())
}
