//! `GET /{lang}/search?q=…&section=slug&from=YYYY-MM-DD&to=YYYY-MM-DD&sort=date|relevance&page=N`:
//! full-text search over the published news of the page's language.
//!
//! An empty query shows the form and a hint; a query the parser cannot use is searched
//! leniently, never answered with an error; bad dates and pages are the same 400 as in the
//! archive. Results come from the node's index alone (see [`crate::search`]).

use super::{PageCtx, Pager, page_number, urls};
use crate::domain::dates;
use crate::i18n;
use crate::search::{SearchRequest, Sort};
use crate::storage::StoreError;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

/// Results past this many are not paged to: nobody reads them, and collecting them costs
/// memory proportional to the offset.
const MAX_RESULTS: u64 = 1_000;

/// The search form's parameters, kept as text so bad values get our own clear message.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    pub q: Option<String>,
    pub section: Option<String>,
    /// A tag's name or slug.
    pub tag: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// One result as the template shows it.
#[derive(Debug, Serialize)]
struct ResultView {
    href: String,
    /// Escaped here, with `<mark>` around matches.
    title_html: Value,
    snippet_html: Value,
    date: String,
    datetime: String,
    section: String,
    section_href: String,
}

#[derive(Debug, Serialize)]
struct SectionOption {
    slug: String,
    name: String,
    selected: bool,
}

pub async fn show(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(params): Query<SearchQuery>,
) -> WebResult<Response> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let l = ctx.lang.as_str();
    let tz = &state.site.time_zone;
    let parse = |raw: &Option<String>| -> WebResult<Option<jiff::civil::Date>> {
        match raw.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => dates::parse_date(s).map(Some).map_err(|e| WebError::BadRequest(e.to_string())),
        }
    };
    let (from, to) = (parse(&params.from)?, parse(&params.to)?);
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(WebError::BadRequest(format!("the range starts ({f}) after it ends ({t})")));
    }
    let section = match params.section.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(slug) => Some(
            ctx.section_by_slug(slug)
                .ok_or_else(|| WebError::BadRequest(format!("there is no section '{slug}'")))?
                .clone(),
        ),
    };
    // A tag as typed ("Москва") or as linked ("moskva"): both name the same slug.
    let tag_text: String = params.tag.as_deref().unwrap_or("").trim().chars().take(100).collect();
    let tag = Some(crate::domain::tag::slug_of(&tag_text)).filter(|s| !s.is_empty());
    let sort = match params.sort.as_deref().map(str::trim) {
        Some("date") => Sort::Date,
        _ => Sort::Relevance,
    };
    let page = page_number(params.page.as_deref())?;
    let q: String = params.q.as_deref().unwrap_or("").trim().chars().take(crate::search::MAX_QUERY).collect();

    // The query string that reproduces this search, for pagination links.
    let search_href = format!("/{}/search", ctx.lang);
    let mut query = vec![format!("q={}", encode(&q))];
    if let Some(s) = &section {
        query.push(format!("section={}", encode(&s.slug)));
    }
    if let Some(t) = &tag {
        query.push(format!("tag={}", encode(t)));
    }
    if let Some(f) = from {
        query.push(format!("from={f}"));
    }
    if let Some(t) = to {
        query.push(format!("to={t}"));
    }
    if sort == Sort::Date {
        query.push("sort=date".into());
    }
    let base_href = format!("{search_href}?{}", query.join("&"));

    let size = u64::from(state.site.page_size.max(1));
    let mut results = Vec::new();
    let mut total = 0u64;
    let mut more = false;
    let mut pager = Pager::new(1, 0, state.site.page_size.max(1), &base_href);
    if !q.is_empty() {
        if (page - 1) * size >= MAX_RESULTS {
            return Err(WebError::NotFound);
        }
        let request = SearchRequest {
            lang: l,
            text: &q,
            section_id: section.as_ref().map(|s| s.id),
            tag: tag.as_deref(),
            from: from.and_then(|d| dates::day_span(d, d, tz)).map(|(start, _)| start),
            to: to.and_then(|d| dates::day_span(d, d, tz)).map(|(_, end)| end),
            sort,
            offset: ((page - 1) * size) as usize,
            limit: size as usize,
        };
        let found = state.search.search(&state.store, &request).await.map_err(|e| match e {
            crate::search::SearchError::Overloaded | crate::search::SearchError::NotReady => {
                WebError::Unavailable
            }
            e => WebError::Store(StoreError::Corrupt(format!("search: {e}"))),
        })?;
        total = found.total as u64;
        more = found.more;
        pager = Pager::new(page, total.min(MAX_RESULTS), state.site.page_size.max(1), &base_href);
        if page > pager.total {
            return Err(WebError::NotFound);
        }
        results = found
            .hits
            .into_iter()
            .map(|hit| {
                let s = ctx.section_by_id(hit.section_id);
                let section_slug = s.map(|s| s.slug.as_str()).unwrap_or("news");
                ResultView {
                    href: urls::article(&ctx.lang, section_slug, &hit.slug),
                    title_html: Value::from_safe_string(hit.title_html),
                    snippet_html: Value::from_safe_string(hit.snippet_html),
                    date: dates::short(hit.publish_at, tz),
                    datetime: dates::rfc3339(hit.publish_at, tz),
                    section: s.map(|s| s.name(&ctx.lang).to_string()).unwrap_or_default(),
                    section_href: urls::section(&ctx.lang, section_slug),
                }
            })
            .collect();
    }

    // The register of documents, searched beside the news on the first page.
    let documents =
        if q.is_empty() || page > 1 { Vec::new() } else { super::documents::search(&state, l, &q).await? };
    let heading = i18n::text(l, "search", &[]);
    let title = if q.is_empty() {
        heading.clone()
    } else if page > 1 {
        format!(
            "{} — {}",
            i18n::text(l, "search_title_for", &[("q", &q)]),
            i18n::text(l, "page_n", &[("n", &page.to_string())])
        )
    } else {
        i18n::text(l, "search_title_for", &[("q", &q)])
    };
    let count_key = if more { "search_results_more" } else { plural_key(l, total) };
    let count_text = i18n::text(l, count_key, &[("n", &i18n::number(l, total)), ("q", &q)]);
    let none_text = i18n::text(l, "search_none", &[("q", &q)]);
    let section_options: Vec<SectionOption> = ctx
        .sections
        .iter()
        .map(|s| SectionOption {
            slug: s.slug.clone(),
            name: s.name(&ctx.lang).to_string(),
            selected: section.as_ref().is_some_and(|x| x.id == s.id),
        })
        .collect();
    let path = if q.is_empty() { search_href.clone() } else { base_href.clone() };
    let description = i18n::text(l, "search_label", &[]);
    let chrome = ctx.chrome("search", &title, &description, &path, ctx.switcher_same_path("/search"));
    let html = ctx.render(
        "public/search.html",
        context! {
            heading,
            q,
            search_href,
            section_options,
            tag_value => &tag_text,
            from_value => from.map(|d| d.to_string()).unwrap_or_default(),
            to_value => to.map(|d| d.to_string()).unwrap_or_default(),
            sort_date => sort == Sort::Date,
            results,
            documents,
            total,
            count_text,
            none_text,
            pager,
            ..chrome
        },
    )?;
    // Result pages are cached like lists (in a bucket of their own, see `web::cache`): a
    // popular query during a spike costs one search per change, not one per reader. The index
    // follows the database within a moment, and the follower invalidates pages after it caught up.
    Ok(html.into_response())
}

/// Which plural form of "N results" a language uses for `n` (Russian has three).
fn plural_key(lang: &str, n: u64) -> &'static str {
    match lang {
        "ru" => match (n % 10, n % 100) {
            (1, r) if r != 11 => "search_results_one",
            (2..=4, r) if !(12..=14).contains(&r) => "search_results_few",
            _ => "search_results_many",
        },
        _ if n == 1 => "search_results_one",
        _ => "search_results_many",
    }
}

/// Percent-encodes a query-string value (everything but unreserved ASCII).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals() {
        let forms: Vec<&str> = [1, 2, 5, 11, 12, 21, 22, 25, 101, 111]
            .iter()
            .map(|n| plural_key("ru", *n).trim_start_matches("search_results_"))
            .collect();
        assert_eq!(forms, ["one", "few", "many", "many", "many", "one", "few", "many", "one", "many"]);
        assert_eq!(plural_key("en", 1), "search_results_one");
        assert_eq!(plural_key("en", 0), "search_results_many");
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(encode("a b&c=\"d\""), "a+b%26c%3D%22d%22");
        assert_eq!(encode("ёж"), "%D1%91%D0%B6");
    }
}
