//! Who calls the API. Only `Authorization: Bearer …` authenticates: cookies never do (so a
//! page a signed-in editor visits cannot act through the API on their behalf, and bearer
//! requests need no CSRF token). Each token acts as its own account with its role, and is
//! rate-limited on its own.

use super::problem::ApiError;
use crate::newsroom::Actor;
use crate::storage::tokens::TokenUser;
use crate::web::api_limit::{ApiLimit, WRITE_COST};
use crate::web::{AppState, ClientAddr};
use axum::extract::FromRequestParts;
use axum::http::{Method, header, request::Parts};
use std::sync::Arc;
use std::time::Instant;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub token: TokenUser,
    pub actor: Actor,
}

/// The bearer token of a request: `None` without an `Authorization` header, an error for one
/// that is not a bearer token.
fn bearer(parts: &Parts) -> Result<Option<&str>, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else { return Ok(None) };
    let value = value.to_str().map_err(|_| ApiError::unauthorized())?;
    let (scheme, token) = value.trim().split_once(' ').ok_or_else(ApiError::unauthorized)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() || token.len() > 512 {
        return Err(ApiError::unauthorized());
    }
    Ok(Some(token.trim()))
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<Caller>, ApiError> {
    let Some(secret) = bearer(parts)? else { return Ok(None) };
    let token =
        state.store.authenticate(secret, state.clock.now()).await?.ok_or_else(ApiError::unauthorized)?;
    let limit = parts.extensions.get::<Arc<ApiLimit>>().cloned().unwrap_or_default();
    let cost = if parts.method == Method::GET || parts.method == Method::HEAD { 1 } else { WRITE_COST };
    if let Err(wait) = limit.check_cost(token.token_id, cost, Instant::now()) {
        return Err(ApiError::too_many(wait.as_secs_f64().ceil() as u64));
    }
    let address = parts.extensions.get::<ClientAddr>().map(|a| a.0.to_string()).unwrap_or_default();
    let actor =
        Actor::person(token.user.id, token.user.role, format!("{address} (API token {})", token.token_id));
    Ok(Some(Caller { token, actor }))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        authenticate(parts, state).await?.ok_or_else(ApiError::unauthorized)
    }
}

/// A caller who may or may not have sent a token (public reads show more to editors).
#[derive(Debug, Clone)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeCaller(authenticate(parts, state).await?))
    }
}
