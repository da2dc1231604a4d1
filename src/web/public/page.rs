//! `GET /{lang}/{slug}` for a static page: a path of that shape names a section when one has
//! the slug, otherwise a published page of the language.

use super::{PageCtx, urls};
use crate::web::error::{WebError, WebResult};
use axum::response::Html;
use minijinja::context;

/// The published page at `/{lang}/{slug}`, rendered; 404 when there is none.
pub async fn render(ctx: &PageCtx<'_>, slug: &str) -> WebResult<Html<String>> {
    let page = ctx.state.store.page(ctx.lang.as_str(), slug).await?.filter(|p| p.is_published());
    let page = page.ok_or(WebError::NotFound)?;
    let description =
        crate::domain::markup::plain_text(&page.body_html).chars().take(200).collect::<String>();
    let path = format!("/{}/{}", ctx.lang, page.slug);
    let chrome = ctx.chrome("", &page.title, &description, &path, ctx.switcher_same_path("/"));
    ctx.render(
        "public/page.html",
        context! { heading => page.title, body_html => super::video::placeholders(&page.body_html, ctx.lang.as_str()), archive_href => urls::archive(&ctx.lang), ..chrome },
    )
}
