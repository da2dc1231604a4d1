//! `POST /admin/articles/{id}/event`: the event an article announces, set or removed from the
//! editor's side panel through the editorial core. A refused form comes back with what was
//! typed and what to change.

use super::articles::{Shown, editor_page, load_for};
use super::session::Staff;
use super::ui_lang;
use crate::newsroom::events::EventFields;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// What the event panel sends.
#[derive(Debug, Deserialize)]
pub struct EventForm {
    /// The event's version the form was filled from; 0 when it had none.
    #[serde(default, deserialize_with = "super::version_field")]
    version: Option<i64>,
    /// `remove` to take the event off the article.
    #[serde(default)]
    action: String,
    #[serde(flatten)]
    fields: EventFields,
}

/// `POST /admin/articles/{id}/event`.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<EventForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let actor = super::articles::actor(&staff, &extensions);
    let version = f.version.unwrap_or(0);
    let result = if f.action == "remove" {
        state.newsroom.remove_event(&actor, id, version).await
    } else {
        state.newsroom.set_event(&actor, id, version, &f.fields).await
    };
    match result {
        Ok(_) => {
            let done = if f.action == "remove" { "event-removed" } else { "event" };
            Ok(Redirect::to(&format!("/admin/articles/{id}?saved={done}#event")).into_response())
        }
        Err(e @ (crate::newsroom::NewsroomError::Invalid(_) | crate::newsroom::NewsroomError::Taken(_))) => {
            let status = match e {
                crate::newsroom::NewsroomError::Taken(_) => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let message = e.message(ui).unwrap_or_default();
            let article = load_for(&state, &staff, &extensions, id).await?;
            let lang = article.lang.clone();
            // After a conflict the panel shows what the event says now.
            let typed = matches!(status, StatusCode::UNPROCESSABLE_ENTITY).then_some(&f.fields);
            let shown = Shown { status, error: Some(message), event: typed, ..Shown::default() };
            editor_page(&state, &staff, &headers, Some(&article), &lang, shown).await
        }
        Err(e) => Err(WebError::refused(e, ui)),
    }
}
