//! The register of official documents on the public site: `GET /{lang}/documents` (by kind
//! and year, paged), `GET /{lang}/documents/{id}` (a document with its files and the news it
//! belongs to) and `GET /documents/files/{key}` (a file, as uploaded, with its name). Each
//! file's type, size and SHA-256 are shown, so a reader can tell the copy is the original.

use super::{PageCtx, Pager, page_number, urls};
use crate::domain::dates;
use crate::i18n;
use crate::storage::documents::{DocumentFile, DocumentFilter, DocumentRow};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use std::collections::HashMap;

/// The register's address in each language (`documents` is a reserved slug).
pub const SLUG: &str = "documents";
/// Documents per page of the register.
const PER_PAGE: u32 = 20;
/// Documents a search shows beside the news.
pub const IN_SEARCH: usize = 10;

#[derive(Debug, Default, Deserialize)]
pub struct RegisterQuery {
    kind: Option<String>,
    year: Option<String>,
    page: Option<String>,
}

/// "Decision", "Решение": a kind's name for headings and lists.
pub fn kind_name(kind: &str, lang: &str) -> String {
    i18n::text(lang, &format!("documents_kind_{kind}"), &[])
}

/// `1.4 MB`, `230 KB`, `900 bytes` in the reader's language.
fn size(bytes: i64, lang: &str) -> String {
    let b = bytes.max(0) as f64;
    let (n, unit) = if b >= 1024.0 * 1024.0 {
        (format!("{:.1}", b / 1024.0 / 1024.0), "documents_mb")
    } else if b >= 1024.0 {
        (format!("{:.0}", b / 1024.0), "documents_kb")
    } else {
        (format!("{b:.0}"), "documents_bytes")
    };
    let n = if lang == "ru" { n.replace('.', ",") } else { n };
    i18n::text(lang, unit, &[("n", &n)])
}

/// A file as lists and pages show it.
fn file_view(f: &DocumentFile, lang: &str) -> Value {
    let kind = if f.media_type == "application/pdf" { "PDF" } else { "DOCX" };
    context! {
        href => format!("/documents/files/{}", f.file_key),
        name => &f.file_name,
        media_type => &f.media_type,
        kind,
        size => size(f.bytes, lang),
        sha256 => &f.sha256,
        label => i18n::text(lang, "documents_download", &[("kind", kind), ("size", &size(f.bytes, lang))]),
    }
}

/// Rows of the register with their files, for lists (the register, search, an article).
pub async fn views(state: &AppState, rows: &[DocumentRow], lang: &str) -> WebResult<Vec<Value>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut files: HashMap<i64, Vec<Value>> = HashMap::new();
    for f in state.store.document_files(&ids).await? {
        files.entry(f.document_id).or_default().push(file_view(&f, lang));
    }
    Ok(rows
        .iter()
        .map(|r| {
            let date = dates::parse_date(&r.issued_on).ok();
            context! {
                id => r.id,
                href => format!("/{lang}/{SLUG}/{}", r.id),
                kind => kind_name(&r.kind, lang),
                number => &r.number,
                title => &r.title,
                title_lang => (r.lang != lang).then_some(&r.lang),
                summary => &r.summary,
                datetime => &r.issued_on,
                date => date.map(|d| dates::long_date(d, lang)).unwrap_or_else(|| r.issued_on.clone()),
                files => files.remove(&r.id).unwrap_or_default(),
            }
        })
        .collect())
}

/// Documents of the language whose texts hold every word of `q` (see
/// [`crate::search::TextMatcher`]), newest first.
pub async fn search(state: &AppState, lang: &str, q: &str) -> WebResult<Vec<Value>> {
    let mut matcher = crate::search::TextMatcher::new(lang, q);
    let rows: Vec<DocumentRow> = state
        .store
        .all_documents(lang)
        .await?
        .into_iter()
        .filter(|r| {
            r.number.eq_ignore_ascii_case(q.trim())
                || matcher.matches(&format!("{} {} {}", r.number, r.title, r.summary))
        })
        .take(IN_SEARCH)
        .collect();
    views(state, &rows, lang).await
}

/// `GET /{lang}/documents?kind=decision&year=2026&page=N`.
pub async fn register(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<RegisterQuery>,
) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let l = ctx.lang.as_str();
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) if crate::newsroom::documents::KINDS.contains(&k) => Some(k.to_string()),
        Some(k) => return Err(WebError::BadRequest(format!("'{k}' is not a kind of document"))),
    };
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => None,
        Some(y) => match y.parse::<i32>() {
            Ok(n) if (1000..=9999).contains(&n) => Some(n),
            _ => return Err(WebError::BadRequest(format!("'{y}' is not a year"))),
        },
    };
    let page = page_number(q.page.as_deref())?;
    let filter = DocumentFilter { kind: kind.clone(), year };
    let (rows, total) =
        state.store.documents_page(l, &filter, PER_PAGE, (page - 1) * u64::from(PER_PAGE)).await?;
    if page > 1 && rows.is_empty() {
        return Err(WebError::NotFound);
    }
    let path = format!("/{l}/{SLUG}");
    let href = |kind: Option<&str>, year: Option<i32>| {
        let mut query = Vec::new();
        if let Some(k) = kind {
            query.push(format!("kind={k}"));
        }
        if let Some(y) = year {
            query.push(format!("year={y}"));
        }
        if query.is_empty() { path.clone() } else { format!("{path}?{}", query.join("&")) }
    };
    let kinds: Vec<Value> = std::iter::once(None)
        .chain(crate::newsroom::documents::KINDS.iter().map(|k| Some(*k)))
        .map(|k| {
            context! {
                name => k.map(|k| kind_name(k, l)).unwrap_or_else(|| i18n::text(l, "documents_all_kinds", &[])),
                href => href(k, year),
                current => k == kind.as_deref(),
            }
        })
        .collect();
    let mut years: Vec<Value> = vec![context! {
        name => i18n::text(l, "documents_all_years", &[]), href => href(kind.as_deref(), None), current => year.is_none(),
    }];
    for (y, _) in state.store.document_years().await? {
        let n = y.parse::<i32>().ok();
        years.push(
            context! { name => &y, href => href(kind.as_deref(), n), current => n.is_some() && n == year },
        );
    }
    let base = href(kind.as_deref(), year);
    let pager = Pager::new(page, u64::try_from(total).unwrap_or(0), PER_PAGE, &base);
    let items = views(&state, &rows, l).await?;
    let heading = i18n::text(l, "documents_title", &[]);
    let description = i18n::text(l, "documents_description", &[]);
    let canonical = if page > 1 {
        format!("{base}{}page={page}", if base.contains('?') { '&' } else { '?' })
    } else {
        base.clone()
    };
    let chrome =
        ctx.chrome(SLUG, &heading, &description, &canonical, ctx.switcher_same_path(&format!("/{SLUG}")));
    ctx.render(
        "public/documents.html",
        context! { heading, intro => description, items, kinds, years, pager, total, archive_href => urls::archive(&ctx.lang), ..chrome },
    )
}

/// `GET /{lang}/documents/{id}`.
pub async fn show(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let l = ctx.lang.as_str();
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let document = state.store.document(id).await?.ok_or(WebError::NotFound)?;
    let text =
        document.texts.iter().find(|t| t.lang == l).or(document.texts.first()).ok_or(WebError::NotFound)?;
    let news: Vec<_> =
        state.listing.published(&state, &document.articles).await?.iter().map(|a| ctx.item(a)).collect();
    let files: Vec<Value> = document.files.iter().map(|f| file_view(f, l)).collect();
    let date = dates::parse_date(&document.head.issued_on).ok();
    let path = format!("/{l}/{SLUG}/{id}");
    let switcher = state
        .site
        .languages
        .iter()
        .map(|other| super::SwitchItem {
            lang: other.to_string(),
            name: i18n::language_name(other.as_str()),
            href: format!("/{other}/{SLUG}/{id}"),
            current: *other == ctx.lang,
            missing: !document.texts.iter().any(|t| t.lang == other.as_str()),
        })
        .collect();
    let description = if text.summary.is_empty() { text.title.clone() } else { text.summary.clone() };
    let chrome = ctx.chrome(SLUG, &text.title, &description, &path, switcher);
    ctx.render(
        "public/document.html",
        context! {
            document => context! {
                title => &text.title,
                title_lang => (text.lang != l).then_some(&text.lang),
                summary => &text.summary,
                kind => kind_name(&document.head.kind, l),
                number => &document.head.number,
                datetime => &document.head.issued_on,
                date => date.map(|d| dates::long_date(d, l)).unwrap_or_else(|| document.head.issued_on.clone()),
            },
            files, news,
            register_href => format!("/{l}/{SLUG}"),
            archive_href => urls::archive(&ctx.lang),
            ..chrome
        },
    )
}

/// `GET /documents/files/{key}`: the file as uploaded, downloaded under its own name, always
/// through the node (so the name and the sandbox hold on a bucket with a public address too).
/// Sandboxed: nothing in a file runs with the site's rights.
pub async fn file(
    State(state): State<AppState>,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let f = state.store.document_file_by_key(&key).await?.ok_or(WebError::NotFound)?;
    let etag = format!("\"{}\"", f.sha256);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag));
    let mut response = if fresh {
        axum::http::StatusCode::NOT_MODIFIED.into_response()
    } else {
        super::media::stored_here(&state, &f.file_key).await?
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&f.media_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    // Downloaded, not shown: a browser's PDF viewer refuses a sandboxed document.
    let disposition = "attachment";
    let ascii: String = f
        .file_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' })
        .collect();
    let value =
        format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{}", urls::percent(&f.file_name));
    if let Ok(v) = HeaderValue::from_str(&value) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Asked again each time (a 304 by the checksum): a withdrawn document is gone at once.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::size;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size(1_468_006, "en"), "1.4 MB");
        assert_eq!(size(1_468_006, "ru"), "1,4 МБ");
        assert_eq!(size(235_520, "en"), "230 KB");
        assert_eq!(size(900, "ru"), "900 байт");
    }
}
