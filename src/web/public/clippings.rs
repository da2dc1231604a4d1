//! `GET /{lang}/media-about-us`: what other media published about the organization, newest
//! first, with paging. Each item names its outlet and date and links out to the publication;
//! none of it is in the news lists, feeds, sitemaps or NewsArticle data.

use super::{PageCtx, Pager, page_number, urls};
use crate::domain::dates;
use crate::i18n;
use crate::web::AppState;
use crate::web::error::WebResult;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use minijinja::context;
use serde::Deserialize;

/// The address of a language's page, beside the news (`media-about-us` is a reserved slug).
pub const SLUG: &str = "media-about-us";

#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// `GET /{lang}/media-about-us?page=N`.
pub async fn page(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<PageQuery>,
) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let l = ctx.lang.as_str();
    let number = page_number(q.page.as_deref())?;
    let size = state.site.page_size;
    let (rows, total) = state.store.clippings_page(Some(l), size, (number - 1) * u64::from(size)).await?;
    let path = format!("/{l}/{SLUG}");
    let pager = Pager::new(number, u64::try_from(total).unwrap_or(0), size, &path);
    if number > 1 && rows.is_empty() {
        return Err(crate::web::error::WebError::NotFound);
    }
    let items: Vec<_> = rows
        .iter()
        .map(|row| {
            let c = &row.text;
            let date = dates::parse_date(&c.published_on).ok();
            context! {
                id => row.id, outlet => &c.outlet, title => &c.title, url => &c.url, quote => &c.quote,
                datetime => &c.published_on,
                date => date.map(|d| dates::long_date(d, l)).unwrap_or_else(|| c.published_on.clone()),
                link_label => i18n::text(l, "clippings_link", &[("outlet", &c.outlet)]),
            }
        })
        .collect();
    let heading = i18n::text(l, "clippings_title", &[]);
    let intro = i18n::text(l, "clippings_intro", &[]);
    let chrome = ctx.chrome("", &heading, &intro, &path, ctx.switcher_same_path(&format!("/{SLUG}")));
    ctx.render(
        "public/clippings.html",
        context! { heading, intro, items, pager, archive_href => urls::archive(&ctx.lang), ..chrome },
    )
}
