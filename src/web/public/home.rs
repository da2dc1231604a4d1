//! `GET /{lang}/`: the language's home page, the latest news first.

use super::{PageCtx, urls};
use crate::i18n;
use crate::storage::ListFilter;
use crate::web::AppState;
use crate::web::error::WebResult;
use axum::extract::{Path, State};
use axum::response::Html;
use minijinja::context;

pub async fn show(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let filter = ListFilter::all(ctx.lang.clone());
    let (_, latest) = state.listing.page(&state, &filter, state.site.page_size, 0).await?;
    let items: Vec<_> = latest.iter().map(|a| ctx.item(a)).collect();
    let most_read = ctx.most_read().await?;
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
        context! { items, most_read, all_news_href => urls::archive(&ctx.lang), ..chrome },
    )
}
