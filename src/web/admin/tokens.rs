//! API tokens in the back office: the list with each token's last use, a form to create one
//! (its secret shown once, on the answer to that form) and revocation. Admins only: a token is
//! an account, possibly an admin one, so making one is managing users.

use super::session::Staff;
use super::{chrome, client_address, render, ui_lang};
use crate::domain::dates;
use crate::domain::user::{Permission, Role};
use crate::i18n;
use crate::storage::NewApiToken;
use crate::storage::tokens::{MAX_NAME, clean_name};
use crate::web::AppState;
use crate::web::error::WebResult;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use minijinja::context;
use serde::Deserialize;

/// The permission every handler here requires.
const NEEDED: Permission = Permission::ManageUsers;

async fn tokens_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
    created: Option<&NewApiToken>,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let tz = &state.site.time_zone;
    let when = |at: Option<i64>| {
        at.and_then(|s| Timestamp::from_second(s).ok()).map(|t| dates::short_with_time(t, tz))
    };
    let tokens: Vec<_> = state
        .store
        .api_tokens()
        .await?
        .into_iter()
        .map(|t| {
            context! {
                id => t.id, name => t.name, role => t.role.as_str(), prefix => t.prefix,
                created_at => when(Some(t.created_at)), created_by => t.created_by,
                last_used_at => when(t.last_used_at), revoked_at => when(t.revoked_at),
            }
        })
        .collect();
    let created = created.map(|c| context! { name => c.token.name, secret => c.secret });
    let ctx = context! { tokens, error, created, max_name => MAX_NAME, roles => ["author", "editor", "admin"],
    ..chrome(state, Some(staff), ui, &i18n::text(ui, "admin_tokens", &[]), "tokens") };
    Ok((status, render(state, "admin/tokens.html", ctx)?).into_response())
}

/// `GET /admin/tokens`.
pub async fn list(State(state): State<AppState>, staff: Staff, headers: HeaderMap) -> WebResult<Response> {
    staff.require(NEEDED)?;
    tokens_page(&state, &staff, &headers, StatusCode::OK, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct NewToken {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/tokens`: creates a token and answers with the page showing its secret, the
/// only time it is ever shown (the answer is `no-store`, like every back-office page).
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<NewToken>,
) -> WebResult<Response> {
    staff.require(NEEDED)?;
    let ui = ui_lang(&headers);
    let (Some(name), Some(role)) = (clean_name(&f.name), Role::parse(&f.role)) else {
        let message = i18n::text(ui, "admin_token_bad", &[("n", &MAX_NAME.to_string())]);
        return tokens_page(&state, &staff, &headers, StatusCode::UNPROCESSABLE_ENTITY, Some(message), None)
            .await;
    };
    let now = state.clock.now();
    let created = state.store.create_api_token(&name, role, Some(staff.user.id), now).await?;
    state
        .store
        .audit(Some(staff.user.id), "token.create", &name, role.as_str(), &client_address(&extensions), now)
        .await?;
    tokens_page(&state, &staff, &headers, StatusCode::OK, None, Some(&created)).await
}

/// `POST /admin/tokens/{id}/revoke`: revokes for good and disables the token's account.
pub async fn revoke(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    staff.require(NEEDED)?;
    let now = state.clock.now();
    // No such token is `StoreError::NotFound`, a 404.
    let token = state.store.revoke_api_token(id, now).await?;
    state
        .store
        .audit(
            Some(staff.user.id),
            "token.revoke",
            &token.name,
            &token.prefix,
            &client_address(&extensions),
            now,
        )
        .await?;
    Ok(Redirect::to("/admin/tokens").into_response())
}
