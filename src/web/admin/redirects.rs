//! Old addresses in the back office: what an import brought and what an admin adds by hand or
//! pastes from the old site's server configuration (`Redirect 301 …`, `rewrite …`, CSV).
//! Admins only, like sections: they shape where every link to the site lands.

use super::session::Staff;
use super::{chrome, client_address, render, ui_lang};
use crate::domain::redirect::{PairError, pair, source_key};
use crate::domain::user::Permission;
use crate::i18n;
use crate::web::AppState;
use crate::web::error::WebResult;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

/// The permission every handler here requires.
const NEEDED: Permission = Permission::ManageSections;
/// Rows shown at once; the search narrows the rest.
const SHOWN: u32 = 200;
/// Lines one paste may hold.
const MAX_LINES: usize = 5000;

#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    q: String,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    status: StatusCode,
    q: &str,
    message: Option<String>,
    error: Option<String>,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let prefix = if q.trim().is_empty() { String::new() } else { source_key(q).unwrap_or_default() };
    let rows = state.store.redirects_page(&prefix, SHOWN).await?;
    let total = state.store.redirect_count().await?;
    let ctx = context! { rows, total, q, message, error, shown => SHOWN,
    ..chrome(state, Some(staff), ui, &i18n::text(ui, "admin_redirects", &[]), "redirects") };
    Ok((status, render(state, "admin/redirects.html", ctx)?).into_response())
}

/// `GET /admin/redirects?q=/2024/`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(filter): Query<Filter>,
) -> WebResult<Response> {
    staff.require(NEEDED)?;
    page(&state, &staff, &headers, StatusCode::OK, &filter.q, None, None).await
}

#[derive(Debug, Deserialize)]
pub struct Lines {
    #[serde(default)]
    lines: String,
}

/// `POST /admin/redirects`: adds the pasted lines (one redirect per line, in any shape
/// [`crate::domain::redirect::parse_line`] reads), all or none: one bad line refuses the paste, naming it.
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<Lines>,
) -> WebResult<Response> {
    staff.require(NEEDED)?;
    let ui = ui_lang(&headers);
    let refuse = |message: String| {
        let (state, staff, headers) = (state.clone(), staff.clone(), headers.clone());
        async move {
            page(&state, &staff, &headers, StatusCode::UNPROCESSABLE_ENTITY, "", None, Some(message)).await
        }
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (i, line) in form.lines.lines().enumerate() {
        let n = (i + 1).to_string();
        if i >= MAX_LINES {
            return refuse(i18n::text(ui, "admin_redirects_too_many", &[("n", &MAX_LINES.to_string())]))
                .await;
        }
        match pair(line, &state.site.base_url) {
            Ok(Some(p)) => pairs.push(p),
            Ok(None) => {}
            Err(PairError::Line) => {
                return refuse(i18n::text(ui, "admin_redirects_bad_line", &[("n", &n), ("line", line)]))
                    .await;
            }
            Err(PairError::From(from)) => {
                return refuse(i18n::text(ui, "admin_redirects_bad_from", &[("n", &n), ("from", &from)]))
                    .await;
            }
            Err(PairError::To(to)) => {
                return refuse(i18n::text(ui, "admin_redirects_bad_to", &[("n", &n), ("to", &to)])).await;
            }
        }
    }
    if pairs.is_empty() {
        return refuse(i18n::text(ui, "admin_redirects_empty", &[])).await;
    }
    let now = state.clock.now();
    state.store.save_redirects(&pairs, now).await?;
    let detail = pairs.first().map(|(from, to)| format!("{from} → {to}")).unwrap_or_default();
    let count = pairs.len().to_string();
    state
        .store
        .audit(Some(staff.user.id), "redirects.add", &count, &detail, &client_address(&extensions), now)
        .await?;
    let message = i18n::text(ui, "admin_redirects_added", &[("n", &count)]);
    page(&state, &staff, &headers, StatusCode::OK, "", Some(message), None).await
}

#[derive(Debug, Deserialize)]
pub struct Source {
    #[serde(default)]
    source: String,
}

/// `POST /admin/redirects/delete`: forgets one old address.
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Form(form): Form<Source>,
) -> WebResult<Response> {
    staff.require(NEEDED)?;
    let now = state.clock.now();
    if state.store.delete_redirect(&form.source).await? {
        state
            .store
            .audit(
                Some(staff.user.id),
                "redirects.delete",
                &form.source,
                "",
                &client_address(&extensions),
                now,
            )
            .await?;
    }
    Ok(Redirect::to("/admin/redirects").into_response())
}
