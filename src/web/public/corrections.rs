//! The corrections page and feed of a language (`/{lang}/corrections`, with `feed.xml`,
//! `atom.xml` and `feed.json` under it): every public correction note of its published
//! articles, newest first, each linking to the corrected article. Corrections are also shown
//! under the article itself ([`super::article`]).

use super::feeds::{self, Entry, Feed};
use super::{PageCtx, urls};
use crate::domain::{Lang, dates, markup};
use crate::i18n;
use crate::storage::corrections::ListedCorrection;
use crate::web::AppState;
use crate::web::error::WebResult;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use jiff::Timestamp;
use minijinja::context;

/// How many corrections the page and the feeds list: a press office corrects rarely, so this
/// reaches back years.
const LISTED: u32 = 100;

/// `GET /{lang}/corrections`.
pub async fn page(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let l = ctx.lang.as_str();
    let tz = &state.site.time_zone;
    let listed = state.store.recent_corrections(l, LISTED).await?;
    let items: Vec<_> = listed
        .iter()
        .filter_map(|c| {
            let href = article_path(&ctx, c)?;
            let at = at(c.at);
            Some(context! {
                id => c.id, title => &c.title, href, note => &c.note,
                date => dates::short_with_time(at, tz), datetime => dates::rfc3339(at, tz),
            })
        })
        .collect();
    let path = path(&ctx.lang);
    let heading = i18n::text(l, "corrections_title", &[]);
    let description = i18n::text(l, "corrections_intro", &[]);
    let chrome = ctx.chrome("", &heading, &description, &path, ctx.switcher_same_path("/corrections"));
    let feed_label = format!("{} — {}", state.site.name(&ctx.lang), heading);
    ctx.render(
        "public/corrections.html",
        context! {
            heading, intro => description, items,
            feeds => ctx.feed_links(&path, &feed_label),
            feed_href => format!("{path}/feed.xml"),
            archive_href => urls::archive(&ctx.lang),
            ..chrome
        },
    )
}

/// `GET /{lang}/corrections/feed.xml`.
pub async fn rss(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Response> {
    Ok(feeds::respond(feeds::RSS_TYPE, feeds::render_rss(&feed(&state, &lang).await?)))
}

/// `GET /{lang}/corrections/atom.xml`.
pub async fn atom(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Response> {
    Ok(feeds::respond(feeds::ATOM_TYPE, feeds::render_atom(&feed(&state, &lang).await?)))
}

/// `GET /{lang}/corrections/feed.json`.
pub async fn json(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Response> {
    Ok(feeds::respond(feeds::JSON_TYPE, feeds::render_json(&feed(&state, &lang).await?)))
}

/// The corrections feed: one entry per correction, titled after its article and linking to the
/// note under it; its Atom id names the correction, so a second correction of the same
/// article is a new entry for feed readers.
async fn feed(state: &AppState, lang: &str) -> WebResult<Feed> {
    let ctx = PageCtx::new(state, lang).await?;
    let l = ctx.lang.as_str();
    let site = &state.site;
    let base = &site.base_url;
    let listed = state.store.recent_corrections(l, feeds::FEED_SIZE).await?;
    let entries: Vec<Entry> = listed
        .iter()
        .filter_map(|c| {
            let url = format!("{base}{}#correction-{}", article_path(&ctx, c)?, c.id);
            let article_id = feeds::atom_id(base, c.article_id, at(c.created_at));
            Some(Entry {
                url,
                atom_id: format!("{article_id}-correction-{}", c.id),
                title: i18n::text(l, "corrections_entry", &[("title", &markup::plain_title(&c.title))]),
                summary: c.note.clone(),
                content_html: None,
                categories: Vec::new(),
                published: at(c.at),
                updated: at(c.at),
                image: None,
            })
        })
        .collect();
    let path = path(&ctx.lang);
    let heading = i18n::text(l, "corrections_title", &[]);
    Ok(Feed {
        title: format!("{} — {heading}", site.name(&ctx.lang)),
        description: i18n::text(l, "corrections_feed_description", &[("site", site.name(&ctx.lang))]),
        lang: ctx.lang.clone(),
        home_url: format!("{base}{path}"),
        rss_url: format!("{base}{path}/feed.xml"),
        atom_url: format!("{base}{path}/atom.xml"),
        json_url: format!("{base}{path}/feed.json"),
        author: site.name(&ctx.lang).to_string(),
        updated: entries.first().map(|e| e.updated).unwrap_or(Timestamp::UNIX_EPOCH),
        time_zone: site.time_zone.clone(),
        entries,
    })
}

fn path(lang: &Lang) -> String {
    format!("/{lang}/corrections")
}

/// The corrected article's address; `None` when its section is gone.
fn article_path(ctx: &PageCtx<'_>, c: &ListedCorrection) -> Option<String> {
    let section = ctx.section_by_id(c.section_id)?;
    Some(urls::article(&ctx.lang, &section.slug, &c.slug))
}

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH)
}
