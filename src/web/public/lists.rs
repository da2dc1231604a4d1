//! Paginated lists of news: all news (`/{lang}/archive`, optionally between two dates) and one
//! section (`/{lang}/{section}`) and one tag (`/{lang}/tag/{slug}`). The archive by year, month and day reuses [`render_list`].

use super::{PageCtx, Pager, page_number, urls};
use crate::domain::dates;
use crate::i18n;
use crate::storage::ListFilter;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use minijinja::{Value, context};
use serde::Deserialize;

/// Query parameters of list pages; kept as text so bad values get our own clear message.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub page: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// What distinguishes one list page from another.
pub struct ListSpec {
    pub nav_current: String,
    pub heading: String,
    pub description: String,
    pub filter: ListFilter,
    pub page: u64,
    /// The list's path, with the filter's query string if any (pagination appends to it).
    pub base_href: String,
    /// The path after the language segment, for the language switcher.
    pub rest: String,
    /// Extra template values (archive calendar, date form).
    pub extra: Value,
}

/// Renders a list page; a page number past the end is a 404.
pub async fn render_list(ctx: &PageCtx<'_>, spec: ListSpec) -> WebResult<Html<String>> {
    let state = ctx.state;
    let size = state.site.page_size;
    let offset = (spec.page - 1) * u64::from(size);
    let (total, rows) = state.listing.page(state, &spec.filter, size, offset).await?;
    let pager = Pager::new(spec.page, total, size, &spec.base_href);
    // A tag that no published article carries has no page (its last article was withdrawn).
    if spec.page > pager.total || (total == 0 && spec.filter.needs_database()) {
        return Err(WebError::NotFound);
    }
    let items: Vec<_> = rows.iter().map(|a| ctx.item(a)).collect();
    let l = ctx.lang.as_str();
    let title = if spec.page > 1 {
        format!("{} — {}", spec.heading, i18n::text(l, "page_n", &[("n", &spec.page.to_string())]))
    } else {
        spec.heading.clone()
    };
    let path = if spec.page > 1 {
        pager.pages.iter().find(|p| p.current).and_then(|p| p.href.clone()).unwrap_or_default()
    } else {
        spec.base_href.clone()
    };
    let chrome =
        ctx.chrome(&spec.nav_current, &title, &spec.description, &path, ctx.switcher_same_path(&spec.rest));
    ctx.render(
        "public/list.html",
        context! { heading => spec.heading, items, pager, total, ..minijinja::value::merge_maps([chrome, spec.extra]) },
    )
}

/// `GET /{lang}/archive`: all news, newest first, optionally `?from=YYYY-MM-DD&to=YYYY-MM-DD`.
pub async fn all_news(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let tz = &state.site.time_zone;
    let parse = |raw: &Option<String>| -> WebResult<Option<jiff::civil::Date>> {
        match raw.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => dates::parse_date(s).map(Some).map_err(|e| WebError::BadRequest(e.to_string())),
        }
    };
    let (from, to) = (parse(&q.from)?, parse(&q.to)?);
    let mut filter = ListFilter::all(ctx.lang.clone());
    let mut base = urls::archive(&ctx.lang);
    let mut query = Vec::new();
    if let Some(from) = from {
        filter.from = dates::day_span(from, from, tz).map(|(start, _)| start);
        query.push(format!("from={from}"));
    }
    if let Some(to) = to {
        filter.to = dates::day_span(to, to, tz).map(|(_, end)| end);
        query.push(format!("to={to}"));
    }
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(WebError::BadRequest(format!("the range starts ({f}) after it ends ({t})")));
    }
    if !query.is_empty() {
        base = format!("{base}?{}", query.join("&"));
    }
    let l = ctx.lang.as_str();
    let heading = match (from, to) {
        (None, None) => i18n::text(l, "all_news", &[]),
        _ => format!(
            "{}: {} — {}",
            i18n::text(l, "archive_of", &[]),
            from.map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default(),
            to.map(|d| d.strftime("%d.%m.%Y").to_string()).unwrap_or_default()
        ),
    };
    let extra = super::archive::calendar(&ctx, None, from, to).await?;
    let spec = ListSpec {
        nav_current: "archive".into(),
        description: i18n::text(l, "home_description", &[]),
        heading,
        filter,
        page: page_number(q.page.as_deref())?,
        base_href: base,
        rest: "/archive".into(),
        extra,
    };
    render_list(&ctx, spec).await
}

/// `GET /{lang}/{section}`: one section's news.
pub async fn section(
    State(state): State<AppState>,
    Path((lang, slug)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let Some(section) = ctx.section_by_slug(&slug).cloned() else {
        // Not a section: a static page of the language, if one has the address.
        return super::page::render(&ctx, &slug).await;
    };
    let name = section.name(&ctx.lang).to_string();
    let spec = ListSpec {
        nav_current: section.slug.clone(),
        description: format!("{name} — {}", state.site.name(&ctx.lang)),
        heading: name,
        filter: ListFilter { section_id: Some(section.id), ..ListFilter::all(ctx.lang.clone()) },
        page: page_number(q.page.as_deref())?,
        base_href: urls::section(&ctx.lang, &section.slug),
        rest: format!("/{}", section.slug),
        extra: context! { show_calendar => false },
    };
    render_list(&ctx, spec).await
}

/// `GET /{lang}/author/{slug}`: the news credited to one person or desk; 404 for a name no
/// published article carries.
pub async fn author(
    State(state): State<AppState>,
    Path((lang, slug)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let author = state.store.author(&ctx.lang, &slug).await?.ok_or(WebError::NotFound)?;
    let l = ctx.lang.as_str();
    let site = state.site.name(&ctx.lang);
    let spec = ListSpec {
        nav_current: String::new(),
        description: i18n::text(l, "author_description", &[("name", &author.name), ("site", site)]),
        heading: i18n::text(l, "author_heading", &[("name", &author.name)]),
        filter: ListFilter { author_id: Some(author.id), ..ListFilter::all(ctx.lang.clone()) },
        page: page_number(q.page.as_deref())?,
        base_href: urls::author(&ctx.lang, &author.slug),
        rest: "/".into(),
        extra: context! { show_calendar => false },
    };
    render_list(&ctx, spec).await
}

/// `GET /{lang}/tag/{slug}`: the news carrying one tag; 404 for a tag no published article
/// carries.
pub async fn tag(
    State(state): State<AppState>,
    Path((lang, slug)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let tag = state.store.tag(&ctx.lang, &slug).await?.ok_or(WebError::NotFound)?;
    let l = ctx.lang.as_str();
    let site = state.site.name(&ctx.lang);
    let mut feeds = ctx.feed_links(&format!("/{}", ctx.lang), site);
    feeds.extend(ctx.feed_links(&urls::tag(&ctx.lang, &tag.slug), &format!("{site} — {}", tag.name)));
    let spec = ListSpec {
        nav_current: String::new(),
        description: i18n::text(l, "tag_description", &[("name", &tag.name), ("site", site)]),
        heading: i18n::text(l, "tag_heading", &[("name", &tag.name)]),
        filter: ListFilter { tag_id: Some(tag.id), ..ListFilter::all(ctx.lang.clone()) },
        page: page_number(q.page.as_deref())?,
        base_href: urls::tag(&ctx.lang, &tag.slug),
        // Tags belong to one language: the switcher leads to the other languages' homes.
        rest: "/".into(),
        extra: context! { show_calendar => false, feeds => feeds },
    };
    render_list(&ctx, spec).await
}
