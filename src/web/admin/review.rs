//! Review in the back office: the thread of notes beside the editor, and sending a draft back
//! to its author with a note. The rules and the writing are the newsroom's.

use super::articles::actor;
use super::session::Staff;
use super::ui_lang;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Extensions, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// The notes form: the note, and the version the page was shown at (for a send-back).
#[derive(Debug, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    comment: String,
    #[serde(default, deserialize_with = "super::version_field")]
    version: Option<i64>,
}

/// `POST /admin/articles/{id}/notes`: adds a note to the article's thread.
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<NoteForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .add_note(&actor(&staff, &extensions), id, &f.comment)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved=noted#notes")).into_response())
}

/// `POST /admin/articles/{id}/send-back`: returns the draft to its author with the note.
pub async fn send_back(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<NoteForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .send_back(&actor(&staff, &extensions), id, f.version, &f.comment)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved=sent-back")).into_response())
}
