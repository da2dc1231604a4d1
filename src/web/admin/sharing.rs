//! Secret preview links in the back office: made from the editor (shown once, with how long
//! they last) and withdrawn there. The rules are the newsroom's.

use super::articles::{actor, editor_with_link};
use super::session::Staff;
use super::ui_lang;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Extensions, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct LinkForm {
    /// How long the link lives, in hours.
    #[serde(default)]
    hours: String,
}

/// `POST /admin/articles/{id}/preview-links`: a new link, shown once in the editor.
pub async fn make(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<LinkForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let hours = f.hours.trim().parse::<i64>().unwrap_or(0);
    let (token, _) = state
        .newsroom
        .share_preview(&actor(&staff, &extensions), id, hours)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    let link = format!("{}/preview/{token}", state.site.base_url);
    editor_with_link(&state, &staff, &headers, &extensions, id, link).await
}

/// `POST /admin/articles/{id}/preview-links/{link}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path((id, link)): Path<(i64, i64)>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .withdraw_preview(&actor(&staff, &extensions), id, link)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    Ok(Redirect::to(&format!("/admin/articles/{id}#preview-links")).into_response())
}
