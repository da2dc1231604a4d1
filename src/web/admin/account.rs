//! One's own account: the password form and the list of one's sessions (where one is signed
//! in), each of which can be signed out, or all but this one.

use super::session::Staff;
use super::{chrome, client_address, render, ui_lang};
use crate::domain::dates;
use crate::i18n;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::Form;
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;
use sha2::Digest;

/// A session's name in forms: a digest of its token's hash, so that neither leaves the server.
fn reference(token_hash: &str) -> String {
    let digest = sha2::Sha256::digest(token_hash.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The account page (`/admin/password`) with its sessions.
pub async fn account_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
) -> WebResult<Response> {
    let lang = ui_lang(headers);
    let tz = &state.site.time_zone;
    let sessions: Vec<_> = state
        .store
        .sessions_of(staff.user.id, state.clock.now())
        .await?
        .into_iter()
        .map(|(hash, created, agent, address)| {
            let at = crate::storage::editorial::at(created);
            context! {
                reference => reference(&hash),
                since => dates::short_with_time(at, tz),
                device => if agent.is_empty() { i18n::text(lang, "admin_session_unknown", &[]) } else { agent.chars().take(120).collect() },
                address,
                current => hash == staff.token_hash,
            }
        })
        .collect();
    let title = i18n::text(lang, "admin_change_password", &[]);
    let two_factor = staff.two_factor;
    let ctx =
        context! { error, notice, sessions, two_factor, ..chrome(state, Some(staff), lang, &title, "") };
    Ok((status, render(state, "admin/password.html", ctx)?).into_response())
}

/// What the sign-out buttons send.
#[derive(Debug, Deserialize)]
pub struct EndForm {
    /// One session's reference, or `others` for every session but this one.
    session: String,
}

/// `POST /admin/sessions/end`: signs one of one's sessions out (or all the others).
pub async fn end_session(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Form(f): Form<EndForm>,
) -> WebResult<Response> {
    let now = state.clock.now();
    if f.session == "others" {
        state.store.delete_sessions_of(staff.user.id, Some(&staff.token_hash)).await?;
    } else {
        let sessions = state.store.sessions_of(staff.user.id, now).await?;
        let (hash, ..) =
            sessions.into_iter().find(|(hash, ..)| reference(hash) == f.session).ok_or(WebError::NotFound)?;
        state.store.delete_session(&hash).await?;
        if hash == staff.token_hash {
            return Ok(Redirect::to("/admin/login").into_response());
        }
    }
    let address = client_address(&extensions);
    state
        .store
        .audit(Some(staff.user.id), "session.end", &staff.user.email, &f.session, &address, now)
        .await?;
    Ok(Redirect::to("/admin/password?ended=1").into_response())
}
