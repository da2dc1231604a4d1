//! What search engines read: `/robots.txt`, the sitemap index `/sitemap.xml`, its parts under
//! `/sitemaps/` (`pages.xml` for the fixed pages of every language and the static pages, `articles-{n}.xml` for
//! articles) and the Google News sitemap `/sitemap-news.xml`.
//!
//! Article sitemaps are cut by id: file `n` holds the published articles with ids in
//! `(n * CHUNK, (n + 1) * CHUNK]`. The protocol allows 50,000 URLs and 50 MB per file; with
//! [`CHUNK`] = 10,000 and a few alternates per URL a file stays around 5 MB, and the index (at
//! most 50,000 files) covers 500 million articles. A file's address never changes as the site
//! grows, so crawlers re-fetch only the files whose `lastmod` moved. Every part is one query.

use super::feeds::{CACHE_CONTROL, xml_escape};
use super::urls;
use crate::domain::{Lang, Section, dates};
use crate::storage::feeds::{NewsArticle, SitemapArticle, SitemapChunk};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use std::fmt::Write as _;

/// Articles per sitemap file (ids per file, so a file may hold fewer after deletions).
pub const CHUNK: i64 = 10_000;

/// Google News sitemaps list only articles from the last two days, at most 1,000 of them.
pub const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);
pub const NEWS_LIMIT: u32 = 1_000;

const XML_TYPE: &str = "application/xml; charset=utf-8";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

fn xml(body: String) -> Response {
    ([(header::CONTENT_TYPE, XML_TYPE), (header::CACHE_CONTROL, CACHE_CONTROL)], body).into_response()
}

/// `GET /robots.txt`: everything public may be crawled; the (future) editors' area may not.
pub async fn robots(State(state): State<AppState>) -> Response {
    let base = &state.site.base_url;
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /admin\n\nSitemap: {base}/sitemap.xml\nSitemap: {base}/sitemap-news.xml\n"
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, CACHE_CONTROL)], body)
        .into_response()
}

/// `GET /sitemap.xml`: the index of the pages sitemap and every non-empty article sitemap.
pub async fn index(State(state): State<AppState>) -> WebResult<Response> {
    let chunks = state.store.sitemap_chunks(CHUNK).await?;
    Ok(xml(render_index(&state.site.base_url, &chunks, &state.site.time_zone)))
}

/// `GET /sitemaps/{file}`: `pages.xml` or `articles-{n}.xml`; 404 for anything else and for an
/// article file with no published article in it.
pub async fn part(State(state): State<AppState>, Path(file): Path<String>) -> WebResult<Response> {
    match parse_part(&file).ok_or(WebError::NotFound)? {
        Part::Pages => {
            let sections = state.store.sections().await?;
            let mut statics = Vec::new();
            for lang in &state.site.languages {
                let pages = state.store.published_pages(lang.as_str()).await?;
                statics.extend(pages.into_iter().map(|p| format!("/{}/{}", p.lang, p.slug)));
                // Each document's page in the languages it has a title in.
                let documents = state.store.all_documents(lang.as_str()).await?;
                statics.extend(
                    documents
                        .iter()
                        .filter(|d| d.lang == lang.as_str())
                        .map(|d| format!("/{lang}/{}/{}", super::documents::SLUG, d.id)),
                );
            }
            Ok(xml(render_pages(&state.site.base_url, &state.site.languages, &sections, &statics)))
        }
        Part::Articles(n) => {
            let articles = state.store.sitemap_articles(n, CHUNK).await?;
            if articles.is_empty() {
                return Err(WebError::NotFound);
            }
            let sections = state.store.sections().await?;
            let site = &state.site;
            Ok(xml(render_articles(&site.base_url, &site.languages, &sections, &articles, &site.time_zone)))
        }
    }
}

/// `GET /sitemap-news.xml`: articles published in the last two days, newest first.
pub async fn news(State(state): State<AppState>) -> WebResult<Response> {
    let since = state.clock.now() - NEWS_WINDOW;
    let articles = state.store.news_articles(since, NEWS_LIMIT).await?;
    let sections = state.store.sections().await?;
    let site = &state.site;
    let mut out = String::with_capacity(512 + articles.len() * 512);
    out.push_str(XML_DECL);
    let _ = writeln!(out, "<urlset xmlns=\"{SITEMAP_NS}\" xmlns:news=\"{NEWS_NS}\">");
    for a in articles.iter().filter(|a| site.languages.contains(&a.lang)) {
        let Some(loc) = news_loc(&site.base_url, &sections, a) else { continue };
        let _ = writeln!(
            out,
            "<url><loc>{}</loc><news:news><news:publication><news:name>{}</news:name>\
             <news:language>{}</news:language></news:publication>\
             <news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>",
            xml_escape(&loc),
            xml_escape(site.name(&a.lang)),
            xml_escape(a.lang.as_str()),
            dates::rfc3339(a.publish_at, &site.time_zone),
            xml_escape(&a.title),
        );
    }
    out.push_str("</urlset>\n");
    Ok(xml(out))
}

fn news_loc(base: &str, sections: &[Section], a: &NewsArticle) -> Option<String> {
    let section = sections.iter().find(|s| s.id == a.section_id)?;
    Some(format!("{base}{}", urls::article(&a.lang, &section.slug, &a.slug)))
}

/// A sitemap part named in a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Pages,
    Articles(i64),
}

/// Reads a part's file name. Only the canonical spelling is accepted (`articles-0.xml`, not
/// `articles-00.xml` or `articles-+1.xml`), so each file has exactly one address.
pub fn parse_part(file: &str) -> Option<Part> {
    if file == "pages.xml" {
        return Some(Part::Pages);
    }
    let digits = file.strip_prefix("articles-")?.strip_suffix(".xml")?;
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && digits.len() <= 12;
    if !canonical {
        return None;
    }
    digits.parse().ok().map(Part::Articles)
}

/// The sitemap index: the pages part, then one article part per non-empty chunk.
pub fn render_index(base: &str, chunks: &[SitemapChunk], tz: &TimeZone) -> String {
    let mut out = String::with_capacity(256 + chunks.len() * 160);
    out.push_str(XML_DECL);
    let _ = writeln!(out, "<sitemapindex xmlns=\"{SITEMAP_NS}\">");
    // The lists on the fixed pages change whenever any article does.
    let newest = chunks.iter().map(|c| c.lastmod).max();
    let lastmod = |ts: Option<Timestamp>| {
        ts.map(|t| format!("<lastmod>{}</lastmod>", dates::rfc3339(t, tz))).unwrap_or_default()
    };
    let _ = writeln!(
        out,
        "<sitemap><loc>{}/sitemaps/pages.xml</loc>{}</sitemap>",
        xml_escape(base),
        lastmod(newest)
    );
    for c in chunks {
        let _ = writeln!(
            out,
            "<sitemap><loc>{}/sitemaps/articles-{}.xml</loc>{}</sitemap>",
            xml_escape(base),
            c.number,
            lastmod(Some(c.lastmod))
        );
    }
    out.push_str("</sitemapindex>\n");
    out
}

/// Appends `<xhtml:link rel="alternate" hreflang=".." href=".."/>` for each (language, URL).
fn alternates(out: &mut String, links: &[(&Lang, String)]) {
    for (lang, href) in links {
        let _ = write!(
            out,
            "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
            xml_escape(lang.as_str()),
            xml_escape(href)
        );
    }
}

/// The fixed pages of every language (home, all news, each section), each naming its versions
/// in the other languages.
pub fn render_pages(base: &str, languages: &[Lang], sections: &[Section], statics: &[String]) -> String {
    // Each page exists at the same path after the language segment in every language.
    let mut rests =
        vec!["/".to_string(), "/archive".to_string(), "/events".to_string(), "/documents".to_string()];
    rests.extend(sections.iter().map(|s| format!("/{}", s.slug)));
    let mut out = String::with_capacity(512 + rests.len() * languages.len() * 400);
    out.push_str(XML_DECL);
    let _ = writeln!(out, "<urlset xmlns=\"{SITEMAP_NS}\" xmlns:xhtml=\"{XHTML_NS}\">");
    for rest in &rests {
        let links: Vec<(&Lang, String)> =
            languages.iter().map(|l| (l, format!("{base}/{l}{rest}"))).collect();
        for (_, loc) in &links {
            let _ = write!(out, "<url><loc>{}</loc>", xml_escape(loc));
            if links.len() > 1 {
                alternates(&mut out, &links);
            }
            out.push_str("</url>\n");
        }
    }
    // Static pages (about, contacts…), each in its own language.
    for path in statics {
        let _ = writeln!(out, "<url><loc>{}</loc></url>", xml_escape(&format!("{base}{path}")));
    }
    out.push_str("</urlset>\n");
    out
}

/// One article sitemap file. Articles in languages the site no longer runs in, or in a section
/// that no longer exists, have no page and are left out, as are such alternates.
pub fn render_articles(
    base: &str,
    languages: &[Lang],
    sections: &[Section],
    articles: &[SitemapArticle],
    tz: &TimeZone,
) -> String {
    let url = |lang: &Lang, section_id: i64, slug: &str| -> Option<String> {
        if !languages.contains(lang) {
            return None;
        }
        let section = sections.iter().find(|s| s.id == section_id)?;
        Some(format!("{base}{}", urls::article(lang, &section.slug, slug)))
    };
    let mut out = String::with_capacity(512 + articles.len() * 600);
    out.push_str(XML_DECL);
    let _ = writeln!(out, "<urlset xmlns=\"{SITEMAP_NS}\" xmlns:xhtml=\"{XHTML_NS}\">");
    for a in articles {
        let Some(loc) = url(&a.lang, a.section_id, &a.slug) else { continue };
        let _ = write!(
            out,
            "<url><loc>{}</loc><lastmod>{}</lastmod>",
            xml_escape(&loc),
            dates::rfc3339(a.lastmod, tz)
        );
        let links: Vec<(&Lang, String)> = a
            .alternates
            .iter()
            .filter_map(|t| Some((&t.lang, url(&t.lang, t.section_id, &t.slug)?)))
            .collect();
        alternates(&mut out, &links);
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::feeds::SitemapAlternate;
    use std::collections::BTreeMap;

    fn lang(code: &str) -> Lang {
        Lang::parse(code).unwrap()
    }

    #[test]
    fn part_names_have_one_spelling() {
        assert_eq!(parse_part("pages.xml"), Some(Part::Pages));
        assert_eq!(parse_part("articles-0.xml"), Some(Part::Articles(0)));
        assert_eq!(parse_part("articles-42.xml"), Some(Part::Articles(42)));
        for bad in [
            "articles-.xml",
            "articles-01.xml",
            "articles--1.xml",
            "articles-+1.xml",
            "articles-1.xml.gz",
            "articles-1",
            "articles-9999999999999.xml",
            "articles-1x.xml",
            "Pages.xml",
            "../pages.xml",
        ] {
            assert_eq!(parse_part(bad), None, "{bad}");
        }
    }

    #[test]
    fn index_lists_pages_and_each_chunk() {
        let tz = TimeZone::get("Europe/Moscow").unwrap();
        let ts = |s: &str| s.parse::<Timestamp>().unwrap();
        let chunks = [
            SitemapChunk { number: 0, lastmod: ts("2025-04-01T07:00:00Z"), count: 3 },
            SitemapChunk { number: 2, lastmod: ts("2025-04-02T07:00:00Z"), count: 1 },
        ];
        let xml = render_index("https://x.example", &chunks, &tz);
        assert!(xml.contains(
            "<loc>https://x.example/sitemaps/pages.xml</loc><lastmod>2025-04-02T10:00:00+03:00</lastmod>"
        ));
        assert!(xml.contains(
            "<loc>https://x.example/sitemaps/articles-0.xml</loc><lastmod>2025-04-01T10:00:00+03:00"
        ));
        assert!(xml.contains("articles-2.xml") && !xml.contains("articles-1.xml"));
        assert_eq!(xml.matches("<sitemap>").count(), 3);
    }

    #[test]
    fn articles_carry_their_alternates_and_skip_what_has_no_page() {
        let tz = TimeZone::get("Europe/Moscow").unwrap();
        let sections = [Section {
            id: 1,
            slug: "news".into(),
            names: BTreeMap::from([("en".into(), "News".into())]),
            position: 0,
        }];
        let lastmod: Timestamp = "2025-04-01T07:00:00Z".parse().unwrap();
        let alt = |l: &str, slug: &str, section_id| SitemapAlternate {
            lang: lang(l),
            section_id,
            slug: slug.into(),
        };
        let articles = [
            SitemapArticle {
                id: 1,
                lang: lang("en"),
                section_id: 1,
                slug: "a&b".into(),
                lastmod,
                alternates: vec![alt("de", "x", 1), alt("en", "a&b", 1), alt("ru", "a-ru", 1)],
            },
            SitemapArticle {
                id: 2,
                lang: lang("en"),
                section_id: 99,
                slug: "gone".into(),
                lastmod,
                alternates: vec![alt("en", "gone", 99)],
            },
        ];
        let xml = render_articles("https://x.example", &[lang("en"), lang("ru")], &sections, &articles, &tz);
        assert_eq!(xml.matches("<url>").count(), 1);
        assert!(xml.contains(
            "<loc>https://x.example/en/news/a&amp;b</loc><lastmod>2025-04-01T10:00:00+03:00</lastmod>"
        ));
        assert!(xml.contains(r#"hreflang="en" href="https://x.example/en/news/a&amp;b"/>"#));
        assert!(xml.contains(r#"hreflang="ru" href="https://x.example/ru/news/a-ru"/>"#));
        assert!(!xml.contains("hreflang=\"de\"") && !xml.contains("gone"));
    }

    #[test]
    fn pages_name_every_language_version() {
        let sections = [Section { id: 1, slug: "news".into(), names: BTreeMap::new(), position: 0 }];
        let xml =
            render_pages("https://x.example", &[lang("en"), lang("ru")], &sections, &["/ru/about".into()]);
        assert!(xml.contains("<url><loc>https://x.example/ru/about</loc></url>"));
        assert_eq!(
            xml.matches("<url>").count(),
            11,
            "five pages (home, archive, events, documents, a section) in two languages, and the static page"
        );
        assert_eq!(xml.matches("<xhtml:link").count(), 20);
        assert!(xml.contains("<url><loc>https://x.example/ru/events</loc>"));
        assert!(xml.contains("<url><loc>https://x.example/en/documents</loc>"));
        assert!(xml.contains("<url><loc>https://x.example/ru/archive</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://x.example/en/archive\"/>"));
    }
}
