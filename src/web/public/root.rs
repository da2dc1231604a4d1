//! The pages outside any language: `/`, `/healthz`, the favicon and the 404 fallback.

use crate::web::AppState;
use crate::web::error::WebError;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};

/// `GET /`: sends the reader to the home page in the language their browser prefers, if the
/// site runs in it, otherwise in the site's default language.
pub async fn language_redirect(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    // `/?p=123`: an old site's address of a story, when one was imported.
    if uri.query().is_some()
        && let Some(redirect) =
            super::old_addresses::lookup(&state, uri.path_and_query().map_or("/", |p| p.as_str())).await
    {
        return redirect;
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let codes: Vec<&str> = state.site.languages.iter().map(|l| l.as_str()).collect();
    let lang = negotiate(accept, &codes).unwrap_or(state.site.default_language.as_str());
    let mut response = Redirect::to(&format!("/{lang}/")).into_response();
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}

/// `GET /search`, `/archive`, `/feed.xml`, `/atom.xml`, `/feed.json`: the reader's language's
/// page (as for `/`), query string kept, for links and tools that leave out the language.
pub async fn language_page(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let codes: Vec<&str> = state.site.languages.iter().map(|l| l.as_str()).collect();
    let lang = negotiate(accept, &codes).unwrap_or(state.site.default_language.as_str());
    let target = match uri.query() {
        Some(q) => format!("/{lang}{}?{q}", uri.path()),
        None => format!("/{lang}{}", uri.path()),
    };
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    response
}

/// Picks the first of `available` with the highest `q` in an Accept-Language header, matching
/// on the primary subtag (`ru-RU` matches `ru`).
pub fn negotiate<'a>(accept: &str, available: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<(f32, &'a str)> = None;
    for part in accept.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let primary = tag.split('-').next().unwrap_or("");
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        if let Some(code) = available.iter().find(|c| **c == primary)
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, code));
        }
    }
    best.map(|(_, c)| c)
}

/// `GET /healthz`: 200 once the server can answer from its database.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.latest_change().await {
        Ok(_) => {
            ([(header::CACHE_CONTROL, "no-store")], format!("ok {}\n", state.store.backend())).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable\n").into_response()
        }
    }
}

/// `GET /readyz`: 200 once the node can serve everything readers ask of it (its database, the
/// lists, and search, which a new node builds first); 503 with `Retry-After` until then. Load
/// balancers send readers to a node only when it says ready; `/healthz` only says it is alive.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let not_yet = |what: &str| {
        let mut response = (StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {what}\n")).into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    };
    if let Err(e) = state.store.latest_change().await {
        tracing::error!(error = %e, "readiness: the database cannot be read");
        return not_yet("the database cannot be read");
    }
    if state.listing.sections(&state).await.is_err() {
        return not_yet("the article lists cannot be loaded");
    }
    if !state.search.is_ready() {
        return not_yet("the search index is being built");
    }
    ([(header::CACHE_CONTROL, "no-store")], "ready\n").into_response()
}

/// `GET /{lang}`: the language home lives at `/{lang}/`.
pub async fn add_slash(State(state): State<AppState>, Path(lang): Path<String>) -> Response {
    match state.site.language(&lang) {
        Some(l) => Redirect::permanent(&format!("/{l}/")).into_response(),
        None => WebError::NotFound.into_response(),
    }
}

/// `GET /favicon.ico`: browsers ask for it whatever the page says; send them to the icon.
pub async fn favicon() -> Redirect {
    Redirect::permanent(&crate::web::assets::url("icon"))
}

/// Anything else: an old address of an imported site goes on to the same story in one hop, a
/// trailing slash is dropped by a redirect (`/en/news/` to `/en/news`), the rest is a real
/// 404 page.
pub async fn not_found(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    if method == Method::GET || method == Method::HEAD {
        let address = uri.path_and_query().map_or("/", |p| p.as_str());
        if let Some(redirect) = super::old_addresses::lookup(&state, address).await {
            return redirect;
        }
    }
    let path = uri.path();
    if path.len() > 1 && path.ends_with('/') && !path[..path.len() - 1].ends_with('/') {
        let trimmed = &path[..path.len() - 1];
        // Only our own path shapes: letters, digits, hyphens and slashes.
        if trimmed.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'/') {
            let target = match uri.query() {
                Some(q) => format!("{trimmed}?{q}"),
                None => trimmed.to_string(),
            };
            if let Some(target) = crate::web::redirect::local_target(&target) {
                return Redirect::permanent(&target).into_response();
            }
        }
    }
    WebError::NotFound.into_response()
}

#[cfg(test)]
mod tests {
    use super::negotiate;

    #[test]
    fn accept_language_negotiation() {
        let langs = ["en", "ru"];
        assert_eq!(negotiate("ru-RU,ru;q=0.9,en;q=0.8", &langs), Some("ru"));
        assert_eq!(negotiate("de-DE,en;q=0.5,ru;q=0.7", &langs), Some("ru"));
        assert_eq!(negotiate("de", &langs), None);
        assert_eq!(negotiate("", &langs), None);
        assert_eq!(negotiate("ru;q=0,en", &langs), Some("en"));
    }
}
