//! `GET /{lang}/`: the language's home page as a press site has it: the lead story with its
//! photo, the latest news with thumbnails, the latest of each section, upcoming events and the most read.

use super::{PageCtx, media, urls};
use crate::i18n;
use crate::storage::ListFilter;
use crate::web::AppState;
use crate::web::error::WebResult;
use axum::extract::{Path, State};
use axum::response::Html;
use minijinja::context;

/// Stories per section in the home page's section blocks.
const PER_SECTION: u32 = 3;

/// Upcoming events in the home page's events block.
const UPCOMING_EVENTS: u32 = 3;

/// How far down the latest news the lead story is looked for: the newest story with a photo
/// leads, so the top of the page is never a bare headline while a photo story is this fresh.
const LEAD_WINDOW: usize = 5;

pub async fn show(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let filter = ListFilter::all(ctx.lang.clone());
    let (_, latest) = state.listing.page(&state, &filter, state.site.page_size + 1, 0).await?;
    // The lead story: the one an editor pinned, else the newest with a photo among the
    // freshest few, else the newest.
    let pinned = match state.store.pinned_article(&ctx.lang).await? {
        Some(id) => state.store.summaries_by_ids(&[id]).await?.into_iter().next(),
        None => None,
    };
    let lead_index = match &pinned {
        Some(p) => latest.iter().position(|a| a.id == p.id).unwrap_or(usize::MAX),
        None => latest.iter().take(LEAD_WINDOW).position(|a| a.lead_image.is_some()).unwrap_or(0),
    };
    let lead = pinned.as_ref().or(latest.get(lead_index)).map(|a| {
        let photo =
            a.lead_image.as_ref().map(|i| media::image_view(i.id, &i.file_key, i.width, i.height, 960));
        context! { photo, item => ctx.item(a) }
    });
    let items: Vec<_> = latest
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != lead_index)
        .map(|(_, a)| ctx.item(a))
        .take(state.site.page_size as usize)
        .collect();
    let mut sections = Vec::new();
    if ctx.sections.len() > 1 {
        let filters: Vec<ListFilter> = ctx
            .sections
            .iter()
            .map(|s| ListFilter { section_id: Some(s.id), ..ListFilter::all(ctx.lang.clone()) })
            .collect();
        let newest = state.listing.firsts(&state, &filters, PER_SECTION).await?;
        for (section, newest) in ctx.sections.iter().zip(newest) {
            if newest.is_empty() {
                continue;
            }
            sections.push(context! {
                name => section.name(&ctx.lang),
                href => urls::section(&ctx.lang, &section.slug),
                items => newest.iter().map(|a| ctx.item(a)).collect::<Vec<_>>(),
            });
        }
    }
    let most_read = ctx.most_read().await?;
    let events = super::events::upcoming(&ctx, UPCOMING_EVENTS).await?;
    let l = ctx.lang.as_str();
    let chrome = ctx.chrome(
        "home",
        &i18n::text(l, "home_title", &[]),
        &i18n::text(l, "home_description", &[]),
        &urls::home(&ctx.lang),
        ctx.switcher_same_path("/"),
    );
    ctx.render(
        "public/home.html",
        context! { lead, items, sections, most_read, events, events_href => format!("/{l}/{}", super::events::SLUG), all_news_href => urls::archive(&ctx.lang), ..chrome },
    )
}
