//! Feeds for readers and aggregators: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the latest news,
//! per language (`/{lang}/feed.xml`, `/{lang}/atom.xml`, `/{lang}/feed.json`) and per section
//! (`/{lang}/{section}/feed.xml` and so on) and per tag (`/{lang}/tag/{slug}/feed.xml` …);
//! the corrections feed ([`super::corrections`]) is written by the same renderers.
//!
//! Each request loads the newest [`FEED_SIZE`] published articles once into a format-neutral
//! [`Feed`], which one small renderer per format turns into text. XML is built by hand with
//! [`xml_escape`] on every piece of text and every attribute (no CDATA, so a `]]>` in a body
//! cannot end anything early); JSON goes through `serde_json`. All links are absolute, from
//! `site.base_url`, and all dates carry the site's UTC offset.

use super::{PageCtx, urls};
use crate::domain::{Lang, Section, dates, markup};
use crate::i18n;
use crate::storage::ListFilter;
use crate::storage::feeds::FeedArticle;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::fmt::Write as _;

/// How many articles a feed carries: enough for a reader polling a few times a day not to miss
/// anything on a busy day, small enough to keep the document light.
pub const FEED_SIZE: u32 = 20;

/// Whether feeds carry each article's full body (`<content:encoded>`, Atom `<content>`, JSON
/// `content_html`) or only its lead and link. On by default: the bodies are public pages
/// anyway, and full-text feeds serve readers who read offline or in a feed reader. Set to
/// `false` to publish teasers only, which sends readers to the site.
pub const FULL_TEXT: bool = true;

/// The generator named in RSS and Atom documents.
pub const GENERATOR: &str = "Newsdesk";

pub(crate) const RSS_TYPE: &str = "application/rss+xml; charset=utf-8";
pub(crate) const ATOM_TYPE: &str = "application/atom+xml; charset=utf-8";
pub(crate) const JSON_TYPE: &str = "application/feed+json; charset=utf-8";

/// Feeds and sitemaps may be cached briefly by browsers and proxies; readers poll them.
pub(crate) const CACHE_CONTROL: &str = "public, max-age=300";

/// A feed before it is written in one format.
#[derive(Debug, Clone)]
pub struct Feed {
    pub title: String,
    pub description: String,
    pub lang: Lang,
    /// The HTML page the feed follows (the language's home or the section page), absolute.
    pub home_url: String,
    /// Absolute URLs of this feed in each format; the one being written is its self link.
    pub rss_url: String,
    pub atom_url: String,
    pub json_url: String,
    /// The site's name: Atom's required author, JSON Feed's author, RSS's managing body.
    pub author: String,
    /// The newest change among the items. An empty feed says the Unix epoch ("nothing yet"):
    /// a fixed date keeps its bytes, and so its ETag and a restored copy, the same.
    pub updated: Timestamp,
    pub time_zone: TimeZone,
    pub entries: Vec<Entry>,
}

/// One article in a feed.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The article's absolute URL: RSS guid, JSON Feed id, and the link everywhere.
    pub url: String,
    /// A permanent Atom id that survives slug and section changes (see [`atom_id`]).
    pub atom_id: String,
    pub title: String,
    /// The lead, as plain text.
    pub summary: String,
    /// The sanitized body, or `None` when feeds are not full text.
    pub content_html: Option<String>,
    /// The section's name, then the tags: RSS and Atom categories, JSON Feed tags.
    pub categories: Vec<String>,
    pub published: Timestamp,
    pub updated: Timestamp,
    /// The article's lead photo (its largest WebP variant), carried by every format: RSS
    /// `<enclosure>`, Atom `<link rel="enclosure">`, JSON Feed `image`.
    pub image: Option<FeedImage>,
}

/// A lead image for a feed entry (see [`Entry::image`]).
#[derive(Debug, Clone)]
pub struct FeedImage {
    /// Absolute URL.
    pub url: String,
    /// `image/jpeg`, `image/webp`...
    pub mime_type: String,
    /// Size in bytes; RSS enclosures must state one (0 when unknown, as the spec allows).
    pub length: u64,
}

/// Which list a feed follows.
#[derive(Debug, Clone, Copy)]
enum Scope<'a> {
    Language,
    Section(&'a str),
    Tag(&'a str),
}

/// `GET /{lang}/feed.xml`
pub async fn rss(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Response> {
    Ok(respond(RSS_TYPE, render_rss(&load(&state, &lang, Scope::Language).await?)))
}

/// `GET /{lang}/atom.xml`
pub async fn atom(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Response> {
    Ok(respond(ATOM_TYPE, render_atom(&load(&state, &lang, Scope::Language).await?)))
}

/// `GET /{lang}/feed.json`
pub async fn json(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Response> {
    Ok(respond(JSON_TYPE, render_json(&load(&state, &lang, Scope::Language).await?)))
}

/// `GET /{lang}/{section}/feed.xml`
pub async fn section_rss(
    State(state): State<AppState>,
    Path((lang, section)): Path<(String, String)>,
) -> WebResult<Response> {
    Ok(respond(RSS_TYPE, render_rss(&load(&state, &lang, Scope::Section(&section)).await?)))
}

/// `GET /{lang}/{section}/atom.xml`
pub async fn section_atom(
    State(state): State<AppState>,
    Path((lang, section)): Path<(String, String)>,
) -> WebResult<Response> {
    Ok(respond(ATOM_TYPE, render_atom(&load(&state, &lang, Scope::Section(&section)).await?)))
}

/// `GET /{lang}/{section}/feed.json`
pub async fn section_json(
    State(state): State<AppState>,
    Path((lang, section)): Path<(String, String)>,
) -> WebResult<Response> {
    Ok(respond(JSON_TYPE, render_json(&load(&state, &lang, Scope::Section(&section)).await?)))
}

/// `GET /{lang}/tag/{slug}/feed.xml`
pub async fn tag_rss(
    State(state): State<AppState>,
    Path((lang, tag)): Path<(String, String)>,
) -> WebResult<Response> {
    Ok(respond(RSS_TYPE, render_rss(&load(&state, &lang, Scope::Tag(&tag)).await?)))
}

/// `GET /{lang}/tag/{slug}/atom.xml`
pub async fn tag_atom(
    State(state): State<AppState>,
    Path((lang, tag)): Path<(String, String)>,
) -> WebResult<Response> {
    Ok(respond(ATOM_TYPE, render_atom(&load(&state, &lang, Scope::Tag(&tag)).await?)))
}

/// `GET /{lang}/tag/{slug}/feed.json`
pub async fn tag_json(
    State(state): State<AppState>,
    Path((lang, tag)): Path<(String, String)>,
) -> WebResult<Response> {
    Ok(respond(JSON_TYPE, render_json(&load(&state, &lang, Scope::Tag(&tag)).await?)))
}

pub(crate) fn respond(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, CACHE_CONTROL)], body).into_response()
}

/// Builds the feed of a language, one of its sections or one of its tags; 404 for a language
/// the site does not run in, or a section or tag that does not exist.
async fn load(state: &AppState, lang: &str, scope: Scope<'_>) -> WebResult<Feed> {
    let ctx = PageCtx::new(state, lang).await?;
    let site = &state.site;
    let base = &site.base_url;
    let l = &ctx.lang;
    let mut filter = ListFilter::all(l.clone());
    let (title, description, path, home_url) = match scope {
        Scope::Language => (
            site.name(l).to_string(),
            i18n::text(l.as_str(), "home_description", &[]),
            format!("/{l}"),
            format!("{base}{}", urls::home(l)),
        ),
        Scope::Section(slug) => {
            let s = ctx.section_by_slug(slug).ok_or(WebError::NotFound)?;
            filter.section_id = Some(s.id);
            let path = urls::section(l, &s.slug);
            (
                format!("{} — {}", site.name(l), s.name(l)),
                format!("{} — {}", s.name(l), site.name(l)),
                path.clone(),
                format!("{base}{path}"),
            )
        }
        Scope::Tag(slug) => {
            let tag = state.store.tag(l, slug).await?.ok_or(WebError::NotFound)?;
            filter.tag_id = Some(tag.id);
            let path = urls::tag(l, &tag.slug);
            (
                format!("{} — {}", site.name(l), tag.name),
                i18n::text(l.as_str(), "tag_description", &[("name", &tag.name), ("site", site.name(l))]),
                path.clone(),
                format!("{base}{path}"),
            )
        }
    };
    let articles = state.store.feed_articles(&filter, FEED_SIZE).await?;
    let mut images = std::collections::HashMap::new();
    for a in &articles {
        if let Some(image) = &a.lead_image {
            images.insert(a.id, super::media::feed_image(state, image).await);
        }
    }
    let entries: Vec<Entry> = articles.iter().filter_map(|a| entry(&ctx, a, images.remove(&a.id))).collect();
    let updated = articles.iter().map(FeedArticle::modified_at).max().unwrap_or(Timestamp::UNIX_EPOCH);
    Ok(Feed {
        title,
        description,
        lang: l.clone(),
        home_url,
        rss_url: format!("{base}{path}/feed.xml"),
        atom_url: format!("{base}{path}/atom.xml"),
        json_url: format!("{base}{path}/feed.json"),
        author: site.name(l).to_string(),
        updated,
        time_zone: site.time_zone.clone(),
        entries,
    })
}

/// The feed entry for an article, with its lead photo's enclosure if it has one; `None` when
/// its section is gone (it has no page to link to).
fn entry(ctx: &PageCtx<'_>, a: &FeedArticle, image: Option<FeedImage>) -> Option<Entry> {
    let section: &Section = ctx.section_by_id(a.section_id)?;
    let base = &ctx.state.site.base_url;
    Some(Entry {
        url: format!("{base}{}", urls::article(&a.lang, &section.slug, &a.slug)),
        atom_id: atom_id(base, a.id, a.created_at),
        // Titles are plain text in every format; one stored before titles were cleaned on the
        // way in might still hold markup.
        title: markup::plain_title(&a.title),
        summary: a.lead.clone(),
        // An article without a body is told by its lead (or title) as text instead.
        content_html: FULL_TEXT.then(|| a.body_html.clone()).filter(|b| !b.trim().is_empty()),
        categories: std::iter::once(section.name(&ctx.lang).to_string())
            .chain(a.tags.iter().cloned())
            .collect(),
        published: a.publish_at,
        updated: a.modified_at(),
        image,
    })
}

/// A permanent id for Atom (RFC 4151 tag URI): `tag:news.example.org,2025-04-01:article-17`,
/// from the site's host, the day the article was created and its id. Unlike the URL it does
/// not change when an editor fixes a slug or moves the article to another section, so feed
/// readers do not show the article twice. Falls back to a URL when the host is not a DNS name.
pub fn atom_id(base_url: &str, id: i64, created_at: Timestamp) -> String {
    let authority = base_url.split_once("://").map(|(_, rest)| rest).unwrap_or(base_url);
    let host = authority.split(['/', ':']).next().unwrap_or("").to_ascii_lowercase();
    let dns_like = !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if dns_like {
        let day = created_at.to_zoned(TimeZone::UTC).date();
        format!("tag:{host},{day}:article-{id}")
    } else {
        format!("{base_url}/articles/{id}")
    }
}

/// Escapes text for XML element content and quoted attributes, and drops the characters XML 1.0
/// cannot carry at all (control characters other than tab and newlines, U+FFFE, U+FFFF), which
/// would make the whole document unreadable to a strict parser.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 2822 with the site's offset, as RSS wants: `Tue, 01 Apr 2025 10:00:00 +0300`.
pub fn rfc2822(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned(tz.clone()).strftime("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// Appends `<name>escaped text</name>`.
fn element(out: &mut String, name: &str, text: &str) {
    let _ = writeln!(out, "<{name}>{}</{name}>", xml_escape(text));
}

/// Writes an RSS 2.0 document (with the Atom self link and the content module).
pub fn render_rss(feed: &Feed) -> String {
    let tz = &feed.time_zone;
    let mut out = String::with_capacity(4096 + feed.entries.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n",
    );
    element(&mut out, "title", &feed.title);
    element(&mut out, "link", &feed.home_url);
    element(&mut out, "description", &markup::escape(&feed.description));
    element(&mut out, "language", feed.lang.as_str());
    element(&mut out, "lastBuildDate", &rfc2822(feed.updated, tz));
    element(&mut out, "generator", GENERATOR);
    let _ = writeln!(
        out,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        xml_escape(&feed.rss_url)
    );
    for e in &feed.entries {
        out.push_str("<item>\n");
        element(&mut out, "title", &e.title);
        element(&mut out, "link", &e.url);
        let _ = writeln!(out, "<guid isPermaLink=\"true\">{}</guid>", xml_escape(&e.url));
        if !e.summary.is_empty() {
            // RSS readers treat `<description>` as HTML: the plain-text lead is escaped as
            // HTML first, so a `<` in it is shown, never interpreted.
            element(&mut out, "description", &markup::escape(&e.summary));
        }
        if let Some(html) = &e.content_html {
            element(&mut out, "content:encoded", html);
        }
        for category in &e.categories {
            element(&mut out, "category", category);
        }
        if let Some(image) = &e.image {
            let _ = writeln!(
                out,
                "<enclosure url=\"{}\" length=\"{}\" type=\"{}\"/>",
                xml_escape(&image.url),
                image.length,
                xml_escape(&image.mime_type)
            );
        }
        element(&mut out, "pubDate", &rfc2822(e.published, tz));
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// Writes an Atom 1.0 document.
pub fn render_atom(feed: &Feed) -> String {
    let tz = &feed.time_zone;
    let mut out = String::with_capacity(4096 + feed.entries.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(feed.lang.as_str())
    );
    // The feed's own URL is as permanent as a feed id gets: subscribers know it by that URL.
    element(&mut out, "id", &feed.atom_url);
    let _ = writeln!(out, "<title type=\"text\">{}</title>", xml_escape(&feed.title));
    let _ = writeln!(out, "<subtitle type=\"text\">{}</subtitle>", xml_escape(&feed.description));
    element(&mut out, "updated", &dates::rfc3339(feed.updated, tz));
    let _ =
        writeln!(out, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml_escape(&feed.home_url));
    let _ = writeln!(
        out,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&feed.atom_url)
    );
    let _ = writeln!(
        out,
        "<author><name>{}</name><uri>{}</uri></author>",
        xml_escape(&feed.author),
        xml_escape(&feed.home_url)
    );
    let _ = writeln!(out, "<generator>{}</generator>", xml_escape(GENERATOR));
    for e in &feed.entries {
        out.push_str("<entry>\n");
        element(&mut out, "id", &e.atom_id);
        let _ = writeln!(out, "<title type=\"text\">{}</title>", xml_escape(&e.title));
        let _ = writeln!(out, "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>", xml_escape(&e.url));
        if let Some(image) = &e.image {
            let _ = writeln!(
                out,
                "<link rel=\"enclosure\" type=\"{}\" href=\"{}\"{}/>",
                xml_escape(&image.mime_type),
                xml_escape(&image.url),
                if image.length > 0 { format!(" length=\"{}\"", image.length) } else { String::new() }
            );
        }
        element(&mut out, "published", &dates::rfc3339(e.published, tz));
        element(&mut out, "updated", &dates::rfc3339(e.updated, tz));
        for category in &e.categories {
            let _ = writeln!(out, "<category term=\"{}\"/>", xml_escape(category));
        }
        if !e.summary.is_empty() {
            let _ = writeln!(out, "<summary type=\"text\">{}</summary>", xml_escape(&e.summary));
        }
        if let Some(html) = &e.content_html {
            let _ = writeln!(out, "<content type=\"html\">{}</content>", xml_escape(html));
        }
        out.push_str("</entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// A JSON Feed 1.1 document; a struct rather than `json!` so the keys come out in the
/// conventional order, `version` first.
#[derive(serde::Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    description: &'a str,
    language: &'a str,
    authors: [JsonAuthor<'a>; 1],
    items: Vec<JsonItem<'a>>,
}

#[derive(serde::Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
    url: &'a str,
}

#[derive(serde::Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    /// An item needs content; a teaser-only feed carries the lead as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    language: &'a str,
}

/// Writes a JSON Feed 1.1 document.
pub fn render_json(feed: &Feed) -> String {
    let tz = &feed.time_zone;
    let lang = feed.lang.as_str();
    let items = feed
        .entries
        .iter()
        .map(|e| JsonItem {
            id: &e.url,
            url: &e.url,
            title: &e.title,
            summary: (!e.summary.is_empty()).then_some(e.summary.as_str()),
            content_html: e.content_html.as_deref(),
            content_text: e.content_html.is_none().then_some(if e.summary.is_empty() {
                e.title.as_str()
            } else {
                e.summary.as_str()
            }),
            image: e.image.as_ref().map(|i| i.url.as_str()),
            date_published: dates::rfc3339(e.published, tz),
            date_modified: dates::rfc3339(e.updated, tz),
            tags: e.categories.iter().map(String::as_str).collect(),
            language: lang,
        })
        .collect();
    let doc = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title: &feed.title,
        home_page_url: &feed.home_url,
        feed_url: &feed.json_url,
        description: &feed.description,
        language: lang,
        authors: [JsonAuthor { name: &feed.author, url: &feed.home_url }],
        items,
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(body: &str) -> Feed {
        let tz = TimeZone::get("Europe/Moscow").unwrap();
        let published: Timestamp = "2025-04-01T07:00:00Z".parse().unwrap();
        Feed {
            title: "Site & \"Co\" <b>".into(),
            description: "News".into(),
            lang: Lang::parse("en").unwrap(),
            home_url: "https://x.example/en/".into(),
            rss_url: "https://x.example/en/feed.xml".into(),
            atom_url: "https://x.example/en/atom.xml".into(),
            json_url: "https://x.example/en/feed.json".into(),
            author: "Site".into(),
            updated: published,
            time_zone: tz,
            entries: vec![Entry {
                url: "https://x.example/en/news/a?b=1&c=2".into(),
                atom_id: atom_id("https://x.example", 7, published),
                title: "Tom & Jerry <script>".into(),
                summary: "Lead <img src=x>\u{1}".into(),
                content_html: Some(body.into()),
                categories: vec!["News".into(), "Москва".into()],
                published,
                updated: published,
                image: Some(FeedImage {
                    url: "https://x.example/i.jpg".into(),
                    mime_type: "image/jpeg".into(),
                    length: 12,
                }),
            }],
        }
    }

    #[test]
    fn escaping_covers_text_attributes_and_forbidden_characters() {
        assert_eq!(xml_escape("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
        assert_eq!(xml_escape("x\u{0}\u{8}\u{b}y\tz\n"), "xy\tz\n");
        assert_eq!(xml_escape("]]>"), "]]&gt;");
    }

    #[test]
    fn dates_carry_the_site_offset() {
        let tz = TimeZone::get("Europe/Moscow").unwrap();
        let ts: Timestamp = "2025-04-01T07:00:00Z".parse().unwrap();
        assert_eq!(rfc2822(ts, &tz), "Tue, 01 Apr 2025 10:00:00 +0300");
    }

    #[test]
    fn atom_ids_are_tag_uris_when_the_host_allows() {
        let ts: Timestamp = "2025-04-01T07:00:00Z".parse().unwrap();
        assert_eq!(
            atom_id("https://News.Example.org:8443/sub", 17, ts),
            "tag:news.example.org,2025-04-01:article-17"
        );
        assert_eq!(atom_id("http://[::1]:8080", 3, ts), "http://[::1]:8080/articles/3");
    }

    #[test]
    fn hostile_bodies_cannot_break_out_in_any_format() {
        let body = "<p>a]]></content></item><script>x</script></p>";
        for (name, text) in [("rss", render_rss(&sample(body))), ("atom", render_atom(&sample(body)))] {
            assert!(!text.contains("<script"), "{name}: {text}");
            assert!(!text.contains("]]>"), "{name}");
            assert!(!text.contains('\u{1}'), "{name}");
            let parsed =
                feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            let entry = &parsed.entries[0];
            assert_eq!(entry.title.as_ref().unwrap().content, "Tom & Jerry <script>", "{name}");
            assert_eq!(entry.content.as_ref().unwrap().body.as_deref(), Some(body), "{name}");
            assert_eq!(entry.links[0].href, "https://x.example/en/news/a?b=1&c=2", "{name}");
            // The lead stays text: plain in Atom, HTML-escaped in RSS (whose readers expect HTML).
            let want = if name == "rss" { "Lead &lt;img src=x&gt;" } else { "Lead <img src=x>" };
            assert_eq!(entry.summary.as_ref().unwrap().content, want, "{name}");
        }
        let json = render_json(&sample(body));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["items"][0]["content_html"], body);
        assert_eq!(value["items"][0]["image"], "https://x.example/i.jpg");
        feed_rs::parser::parse(json.as_bytes()).expect("JSON Feed parses");
    }

    #[test]
    fn enclosures_are_the_lead_image_hook() {
        let rss = render_rss(&sample("<p>x</p>"));
        assert!(rss.contains(r#"<enclosure url="https://x.example/i.jpg" length="12" type="image/jpeg"/>"#));
        let atom = render_atom(&sample("<p>x</p>"));
        assert!(atom.contains(
            r#"<link rel="enclosure" type="image/jpeg" href="https://x.example/i.jpg" length="12"/>"#
        ));
    }

    #[test]
    fn teaser_only_feeds_stay_valid() {
        let mut feed = sample("");
        feed.entries[0].content_html = None;
        feed.entries[0].image = None;
        for text in [render_rss(&feed), render_atom(&feed), render_json(&feed)] {
            let parsed = feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert!(parsed.entries[0].summary.is_some(), "{text}");
            assert!(
                !text.contains("content:encoded")
                    && !text.contains("<content")
                    && !text.contains("content_html")
            );
        }
        assert!(render_json(&feed).contains("\"content_text\""));
    }
}
