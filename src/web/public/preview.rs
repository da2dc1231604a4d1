//! `GET /preview/{token}`: an unpublished article shown through a secret link to someone
//! outside the back office, until the link expires or is withdrawn
//! ([`crate::newsroom::previews`]). Also how every preview is marked as one.

use super::PageCtx;
use crate::accounts::token_hash;
use crate::domain::{dates, markup};
use crate::i18n;
use crate::storage::editorial::at;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

/// Marks a rendered article page as a preview: a visible banner at the top, and `noindex`.
pub fn mark_as_preview(html: Html<String>, banner: &str) -> Html<String> {
    let banner =
        format!("<body>\n<p class=\"preview-banner\" role=\"status\">{}</p>", markup::escape(banner));
    Html(html.0.replacen("<body>", &banner, 1).replacen(
        "<head>",
        "<head>\n<meta name=\"robots\" content=\"noindex\">",
        1,
    ))
}

/// A preview answer: never stored by a cache or indexed. (The site-wide referrer policy
/// already keeps the secret address from other sites: they get the origin only.)
pub fn preview_response(html: Html<String>) -> Response {
    (
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::X_FRAME_OPTIONS, "SAMEORIGIN"),
            (header::HeaderName::from_static("x-robots-tag"), "noindex, nofollow"),
        ],
        html,
    )
        .into_response()
}

/// `GET /preview/{token}`. An unknown, expired or withdrawn link is a plain 404: it says
/// nothing about which articles exist.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> WebResult<Response> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WebError::NotFound);
    }
    let now = state.clock.now();
    let (article_id, expires_at) =
        state.store.preview_link(&token_hash(&token), now).await?.ok_or(WebError::NotFound)?;
    let (trashed, _, _) = state.store.article_meta(article_id).await?.ok_or(WebError::NotFound)?;
    let article =
        state.store.article_by_id(article_id).await?.filter(|_| !trashed).ok_or(WebError::NotFound)?;
    let ctx = PageCtx::new(&state, article.lang.as_str()).await?;
    let section = ctx.section_by_id(article.section_id).ok_or(WebError::NotFound)?.clone();
    let html = super::article::render_article(&ctx, &article, &section).await?.html;
    let tz = &state.site.time_zone;
    let expires = at(expires_at);
    let when = format!("{} ({})", dates::short_with_time(expires, tz), state.site.time_zone_name);
    let banner = i18n::text(article.lang.as_str(), "preview_banner", &[("when", &when)]);
    Ok(preview_response(mark_as_preview(html, &banner)))
}
