//! Renders the page for error responses (see [`crate::web::error`]): for readers in the
//! language of the path when there is one, with the site's header so the reader can go on; in
//! the back office, in its own layout and its user's language.

use super::{PageCtx, urls};
use crate::i18n;
use crate::web::AppState;
use crate::web::error::ErrorPage;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use minijinja::context;

/// The page to render for a response: the one a handler attached, or, for a bare-text error
/// from an extractor or a limit (a form too large, a body that is not a form), one for its
/// status, so no person ever sees a plain-text error or a field name.
fn error_page_for(response: &Response) -> Option<ErrorPage> {
    if let Some(page) = response.extensions().get::<ErrorPage>() {
        return Some(page.clone());
    }
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.to_str().is_ok_and(|t| t.starts_with("text/plain")));
    ((status.is_client_error() || status.is_server_error()) && plain)
        .then_some(ErrorPage { status, message: None })
}

/// Renders the page for an error response, in the page's language.
pub async fn render(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let first = request.uri().path().trim_start_matches('/').split('/').next().unwrap_or("").to_string();
    let reading = matches!(*request.method(), Method::GET | Method::HEAD);
    let address = request.uri().path_and_query().map(|p| p.as_str().to_string());
    // The back office answers in its own layout and its user's language.
    let admin_ui = (first == "admin").then(|| crate::web::admin::ui_lang(request.headers()));
    let response = next.run(request).await;
    // Probes read status lines and short text, not pages.
    if first == "healthz" || first == "readyz" {
        return response;
    }
    // An address of the site this one replaced: send the reader on to the same story.
    if response.status() == StatusCode::NOT_FOUND
        && reading
        && first != "admin"
        && first != "api"
        && let Some(redirect) = super::old_addresses::lookup(&state, address.as_deref().unwrap_or("/")).await
    {
        return redirect;
    }
    let Some(page) = error_page_for(&response) else {
        return response;
    };
    let html = match admin_ui {
        Some(ui) => admin_page(&state, ui, &page),
        None => public_page(&state, &first, &page).await,
    };
    let mut out = match html {
        Some(html) => (page.status, axum::response::Html(html)).into_response(),
        // The database or templates are down too: a plain page, still without internals.
        None => (page.status, page.status.canonical_reason().unwrap_or("Error")).into_response(),
    };
    out.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // What the answer told the client to do next still holds.
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(value) = response.headers().get(&name) {
            out.headers_mut().insert(name, value.clone());
        }
    }
    out
}

/// The heading and text for an error page in `lang`.
fn wording(lang: &str, page: &ErrorPage) -> (String, String) {
    let t = |key: &str| i18n::text(lang, key, &[]);
    let told = |key: &str| page.message.clone().unwrap_or_else(|| t(key));
    match page.status.as_u16() {
        404 => (t("not_found_title"), t("not_found_text")),
        400 | 405 | 411 | 415 => (t("bad_request_title"), told("bad_request_text")),
        403 => (t("forbidden_title"), t("forbidden_text")),
        408 => (t("timeout_title"), t("timeout_text")),
        409 => (t("conflict_title"), told("conflict_text")),
        413 => (t("too_large_title"), t("too_large_text")),
        422 => (t("invalid_title"), told("invalid_text")),
        429 => (t("too_many_title"), t("too_many_text")),
        503 => (t("unavailable_title"), t("unavailable_text")),
        _ => (t("server_error_title"), t("server_error_text")),
    }
}

/// The reader's error page, in the language of the path (`first` segment) when there is one.
async fn public_page(state: &AppState, first: &str, page: &ErrorPage) -> Option<String> {
    let code = state.site.language(first).unwrap_or(&state.site.default_language).to_string();
    let ctx = PageCtx::new(state, &code).await.ok()?;
    let (title, text) = wording(ctx.lang.as_str(), page);
    let chrome = ctx.chrome("", &title, &text, &urls::home(&ctx.lang), ctx.switcher_same_path("/"));
    state
        .templates
        .render(
            "public/error.html",
            context! { status => page.status.as_u16(), heading => title, text,
            archive_href => urls::archive(&ctx.lang), ..chrome },
        )
        .ok()
}

/// The back office's error page, in its layout and the user's language.
fn admin_page(state: &AppState, ui: &str, page: &ErrorPage) -> Option<String> {
    let (title, text) = wording(ui, page);
    let chrome = crate::web::admin::chrome(state, None, ui, &title, "");
    state
        .templates
        .render(
            "admin/error.html",
            context! { status => page.status.as_u16(), heading => title, text, ..chrome },
        )
        .ok()
}
