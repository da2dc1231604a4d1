//! Public, read-only API: no key needed. Only published articles are shown to callers without
//! a token; a token whose role may open an article also sees drafts and scheduled ones.

use super::auth::MaybeCaller;
use super::model::*;
use super::problem::{ApiError, ApiResult};
use super::{json, lang_param, section_by_ref};
use crate::domain::{Lang, Status, dates};
use crate::newsroom::FieldError;
use crate::search::{SearchRequest, Sort};
use crate::storage::ListFilter;
use crate::web::AppState;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

/// Items per page when the caller does not say.
const DEFAULT_LIMIT: u32 = 20;
const MAX_LIMIT: u32 = 100;

/// Parses a `from`/`to` bound: a date (midnight in the site's time zone) or an RFC 3339 time.
fn bound(
    state: &AppState,
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<jiff::Timestamp>, FieldError> {
    match value.map(str::trim) {
        None => Ok(None),
        Some(v) => dates::parse(v, &state.site.time_zone)
            .map(Some)
            .map_err(|_| FieldError::new(field, "error_date_format").with("value", v)),
    }
}

/// A cursor is `publish_at.id` of the last item seen.
fn parse_cursor(cursor: Option<&str>) -> Result<Option<(i64, i64)>, FieldError> {
    let Some(c) = cursor.map(str::trim) else { return Ok(None) };
    let bad = || FieldError::new("cursor", "api_bad_cursor");
    let (at, id) = c.split_once('.').ok_or_else(bad)?;
    Ok(Some((at.parse().map_err(|_| bad())?, id.parse().map_err(|_| bad())?)))
}

/// List published articles, newest first, with keyset paging.
#[utoipa::path(get, path = "/api/v1/articles", tag = "articles", params(ArticleQuery),
    responses((status = 200, body = ArticlePage), (status = 304, description = "Not modified"),
              (status = 422, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ArticleQuery>,
) -> ApiResult<Response> {
    let mut errors = Vec::new();
    let lang = lang_param(&state, q.lang.as_deref()).map_err(|e| errors.push(e)).ok();
    let from = bound(&state, "from", q.from.as_deref()).map_err(|e| errors.push(e)).ok().flatten();
    let to = bound(&state, "to", q.to.as_deref()).map_err(|e| errors.push(e)).ok().flatten();
    let cursor = match q.cursor.as_deref() {
        Some(c) if c.trim().starts_with('o') => None,
        c => parse_cursor(c).map_err(|e| errors.push(e)).ok().flatten(),
    };
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.push(FieldError::new("limit", "api_bad_limit").with("max", MAX_LIMIT));
    }
    let sections = state.listing.sections(&state).await?;
    let section = match q.section.as_deref().map(str::trim) {
        None => None,
        Some(slug) => match sections.iter().find(|s| s.slug == slug) {
            Some(s) => Some(s.id),
            None => {
                errors.push(FieldError::new("section", "error_no_section").with("id", slug));
                None
            }
        },
    };
    let Some(lang) = lang.filter(|_| errors.is_empty()) else { return Err(ApiError::invalid(errors)) };
    let tag = q.tag.as_deref().map(str::trim).filter(|t| !t.is_empty());
    // An unknown tag lists nothing, as a tag no article carries yet would.
    let tag_id = match tag {
        Some(slug) => Some(state.store.tag(&lang, slug).await?.map(|t| t.id).unwrap_or(-1)),
        None => None,
    };
    let base = state.site.base_url.clone();
    let section_slug =
        |id: i64| sections.iter().find(|s| s.id == id).map(|s| s.slug.clone()).unwrap_or_default();
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        // Search results page by offset: the cursor is `o` and the offset.
        let offset = match q.cursor.as_deref().and_then(|c| c.strip_prefix('o')) {
            Some(n) => n.parse::<usize>().map_err(|_| ApiError::field("cursor", "api_bad_cursor"))?,
            None => 0,
        };
        let request = SearchRequest {
            lang: lang.as_str(),
            text,
            section_id: section,
            tag,
            from,
            to,
            sort: Sort::Date,
            offset,
            limit: limit as usize,
        };
        let found = state.search.search(&state.store, &request).await.map_err(|e| {
            tracing::warn!(error = %e, "API search failed");
            ApiError::new(axum::http::StatusCode::SERVICE_UNAVAILABLE, "unavailable_text")
        })?;
        let ids: Vec<i64> = found.hits.iter().map(|h| h.id).collect();
        let rows = state.listing.published(&state, &ids).await?;
        let items = rows.iter().map(|r| ArticleItem::new(r, &section_slug(r.section_id), &base)).collect();
        let next = offset + found.hits.len();
        let next_cursor = (next < found.total).then(|| format!("o{next}"));
        return Ok(json(&headers, &ArticlePage { items, next_cursor }, None));
    }
    let filter = ListFilter { lang, section_id: section, from, to, tag_id, author_id: None };
    if let Some(offset) = q.cursor.as_deref().and_then(|c| c.trim().strip_prefix('o')) {
        // An offset cursor (as search results use) pages the list the same way.
        let offset: u64 = offset.parse().map_err(|_| ApiError::field("cursor", "api_bad_cursor"))?;
        let (total, rows) = state.listing.page(&state, &filter, limit, offset).await?;
        let items = rows.iter().map(|r| ArticleItem::new(r, &section_slug(r.section_id), &base)).collect();
        let next = offset + rows.len() as u64;
        let next_cursor = (next < total && !rows.is_empty()).then(|| format!("o{next}"));
        return Ok(json(&headers, &ArticlePage { items, next_cursor }, None));
    }
    let (rows, last) = state.listing.page_after(&state, &filter, cursor, limit).await?;
    let items = rows.iter().map(|r| ArticleItem::new(r, &section_slug(r.section_id), &base)).collect();
    let next_cursor = last.map(|(at, id)| format!("{at}.{id}"));
    Ok(json(&headers, &ArticlePage { items, next_cursor }, None))
}

/// One article, with its version as the `ETag` (send it back in `If-Match` to change it).
#[utoipa::path(get, path = "/api/v1/articles/{id}", tag = "articles",
    params(("id" = i64, Path, description = "The article's id")),
    responses((status = 200, body = ArticleOut), (status = 304, description = "Not modified"),
              (status = 404, body = Problem)),
    security((), ("bearer" = [])))]
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeCaller(caller): MaybeCaller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let article = state.store.article_by_id(id).await?.ok_or_else(ApiError::not_found)?;
    if article.status != Status::Published && !insider(&state, caller.as_ref(), id).await {
        return Err(ApiError::not_found());
    }
    super::article_response(&state, &headers, &article, axum::http::StatusCode::OK).await
}

/// Whether the caller's token may open the article in the back office (and so see it, and its
/// translations, whatever their status). Readers without a token see published articles only.
async fn insider(state: &AppState, caller: Option<&super::auth::Caller>, id: i64) -> bool {
    match caller {
        Some(c) => state.newsroom.open(&c.actor, id).await.is_ok(),
        None => false,
    }
}

/// A published article by its language and address.
#[utoipa::path(get, path = "/api/v1/languages/{lang}/articles/{slug}", tag = "articles",
    params(("lang" = String, Path), ("slug" = String, Path)),
    responses((status = 200, body = ArticleOut), (status = 404, body = Problem)))]
pub async fn by_slug(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((lang, slug)): Path<(String, String)>,
) -> ApiResult<Response> {
    let lang = state.site.language(&lang).cloned().ok_or_else(ApiError::not_found)?;
    let article = state.store.article_by_slug(&lang, &slug).await?.ok_or_else(ApiError::not_found)?;
    if article.status != Status::Published {
        return Err(ApiError::not_found());
    }
    super::article_response(&state, &headers, &article, axum::http::StatusCode::OK).await
}

/// The language versions of an article (itself included): the published ones, or all of them
/// for a token that may open it.
#[utoipa::path(get, path = "/api/v1/articles/{id}/translations", tag = "articles",
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<TranslationOut>), (status = 404, body = Problem)),
    security((), ("bearer" = [])))]
pub async fn translations(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeCaller(caller): MaybeCaller,
    Path(id): Path<i64>,
) -> ApiResult<Response> {
    let article = state.store.article_by_id(id).await?.ok_or_else(ApiError::not_found)?;
    let insider = insider(&state, caller.as_ref(), id).await;
    if article.status != Status::Published && !insider {
        return Err(ApiError::not_found());
    }
    let sections = state.listing.sections(&state).await?;
    let links = state.store.translations(&article.translation_key).await?;
    let out: Vec<TranslationOut> = links
        .iter()
        .filter(|t| insider || t.status == Status::Published)
        .map(|t| TranslationOut {
            id: t.id,
            lang: t.lang.to_string(),
            status: t.status.to_string(),
            url: sections.iter().find(|s| s.id == t.section_id && t.status == Status::Published).map(|s| {
                format!(
                    "{}{}",
                    state.site.base_url,
                    crate::web::public::urls::article(&t.lang, &s.slug, &t.slug)
                )
            }),
        })
        .collect();
    Ok(json(&headers, &out, None))
}

/// Every section, in navigation order.
#[utoipa::path(get, path = "/api/v1/sections", tag = "sections",
    responses((status = 200, body = Vec<SectionOut>)))]
pub async fn sections(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let sections = state.listing.sections(&state).await?;
    let out: Vec<SectionOut> = sections.iter().map(SectionOut::from).collect();
    Ok(json(&headers, &out, None))
}

/// Full-text search in one language (Russian and English stemming), with highlights.
#[utoipa::path(get, path = "/api/v1/search", tag = "articles", params(SearchQuery),
    responses((status = 200, body = SearchOut), (status = 422, body = Problem)))]
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Response> {
    let mut errors = Vec::new();
    let lang: Option<Lang> = lang_param(&state, q.lang.as_deref()).map_err(|e| errors.push(e)).ok();
    let limit = q.limit.unwrap_or(10);
    if !(1..=50).contains(&limit) {
        errors.push(FieldError::new("limit", "api_bad_limit").with("max", 50));
    }
    let sort = match q.sort.as_deref() {
        None | Some("relevance") => Sort::Relevance,
        Some("date") => Sort::Date,
        Some(_) => {
            errors.push(FieldError::new("sort", "api_bad_sort"));
            Sort::Relevance
        }
    };
    let section = match q.section.as_deref() {
        None => None,
        Some(s) => match section_by_ref(&state, &SectionRef::Slug(s.to_string())).await? {
            Some(s) => Some(s.id),
            None => {
                errors.push(FieldError::new("section", "error_no_section").with("id", s));
                None
            }
        },
    };
    let offset = q.offset.unwrap_or(0);
    if offset > 10_000 {
        errors.push(FieldError::new("offset", "api_bad_offset"));
    }
    let Some(lang) = lang.filter(|_| errors.is_empty()) else { return Err(ApiError::invalid(errors)) };
    let request = SearchRequest {
        lang: lang.as_str(),
        text: &q.q,
        section_id: section,
        tag: q.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()),
        from: None,
        to: None,
        sort,
        offset,
        limit,
    };
    let found = state.search.search(&state.store, &request).await.map_err(|e| {
        tracing::warn!(error = %e, "API search failed");
        ApiError::new(axum::http::StatusCode::SERVICE_UNAVAILABLE, "unavailable_text")
    })?;
    let sections = state.listing.sections(&state).await?;
    let hits = found
        .hits
        .into_iter()
        .map(|h| {
            let slug = sections.iter().find(|s| s.id == h.section_id).map(|s| s.slug.as_str()).unwrap_or("");
            SearchHit {
                id: h.id,
                url: format!(
                    "{}{}",
                    state.site.base_url,
                    crate::web::public::urls::article(&lang, slug, &h.slug)
                ),
                title: h.title,
                title_html: h.title_html,
                snippet_html: h.snippet_html,
                publish_at: h.publish_at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            }
        })
        .collect();
    Ok(json(&headers, &SearchOut { total: found.total, more: found.more, hits }, None))
}
