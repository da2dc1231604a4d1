//! Ghost's JSON export (Settings → Labs → Export, Ghost 5 and 6): posts with their status,
//! dates, custom excerpts, tags and feature images, and the addresses Ghost gave them.
//!
//! Published posts stay published at `published_at`, scheduled ones keep their date, drafts and
//! members-only posts arrive as drafts (never public). Tags become tags, except Ghost's internal
//! `#` tags; all posts go to one section (`--section`, default `news`), or to the section the
//! primary tag is mapped to with `--map-category`. Text is the exported `html`, rendered from
//! Lexical where Ghost left `html` out. Photos come from a local copy of `content/images`
//! (`--images`). Each post's external id is `ghost:` + its uuid, so a second run updates in
//! place.
//!
//! Pages become static pages; authors become bylines, in Ghost's order.

use super::photos::Finder;
use super::report::count;
use super::{Batch, ImportError, ImportOptions};
use crate::config::SiteConfig;
use crate::domain::redirect::source_key;
use crate::domain::{ArticleExtras, ArticleInput, Lang, Status, markup, slug, tag};
use jiff::Timestamp;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Whether a JSON document is a Ghost export: `{"db":[{"meta":…,"data":…}]}`, or the older
/// `{"meta":…,"data":{"posts":…}}`.
pub fn is_ghost(first_line: &str) -> bool {
    let head: String = first_line.chars().take(200).filter(|c| !c.is_whitespace()).collect();
    head.starts_with("{\"db\":[")
        || (head.starts_with("{\"meta\":") && first_line.contains("\"exported_on\""))
}

pub fn read(
    path: &Path,
    content: &str,
    site: &SiteConfig,
    options: &ImportOptions,
    now: Timestamp,
    batch: &mut Batch,
) -> Result<(), ImportError> {
    let whole =
        |message: String| ImportError::Invalid { path: path.into(), location: "document".into(), message };
    let root: Value = serde_json::from_str(content).map_err(|e| ImportError::Invalid {
        path: path.into(),
        location: format!("line {}, column {}", e.line(), e.column()),
        message: format!("not valid JSON: {e}"),
    })?;
    let data = root
        .get("db")
        .and_then(|db| db.get(0))
        .unwrap_or(&root)
        .get("data")
        .ok_or_else(|| whole("not a Ghost export: no \"data\" with posts".into()))?;
    let rows = |table: &str| data.get(table).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let text = |row: &Value, field: &str| row.get(field).and_then(Value::as_str).unwrap_or("").to_string();

    let locale = rows("settings")
        .iter()
        .find(|s| s.get("key").and_then(Value::as_str) == Some("locale"))
        .map(|s| text(s, "value"))
        .unwrap_or_default();
    let lang = options.lang.clone().unwrap_or_else(|| {
        Lang::parse(locale.split(['-', '_']).next().unwrap_or(""))
            .ok()
            .filter(|l| site.languages.contains(l))
            .unwrap_or_else(|| site.default_language.clone())
    });
    let default_section = options.section.clone().unwrap_or_else(|| "news".into());

    // Public tags by id, and each post's tags in Ghost's order.
    let tags: HashMap<String, (String, String)> = rows("tags")
        .iter()
        .filter(|t| text(t, "visibility") != "internal" && !text(t, "name").starts_with('#'))
        .map(|t| (text(t, "id"), (text(t, "name"), text(t, "slug"))))
        .collect();
    let mut post_tags: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for link in rows("posts_tags") {
        let order = link.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
        post_tags.entry(text(link, "post_id")).or_default().push((order, text(link, "tag_id")));
    }
    // Each post's authors in Ghost's order, by name.
    let users: HashMap<String, String> =
        rows("users").iter().map(|u| (text(u, "id"), text(u, "name"))).collect();
    // Ghost's staff accounts come as people who cannot sign in until an admin invites them,
    // and their old author pages (`/author/slug/` and its feed) lead to their byline pages.
    for user in rows("users") {
        batch.add_person(&text(user, "email"), &text(user, "name"));
        let (slug, name) = (text(user, "slug"), markup::plain_title(&text(user, "name")));
        if slug.is_empty() || name.trim().is_empty() {
            continue;
        }
        let target = crate::web::public::urls::author(&lang, &tag::slug_of(&name));
        for (old, new) in [
            (format!("/author/{slug}"), target.clone()),
            (format!("/author/{slug}/rss"), format!("/{lang}/feed.xml")),
        ] {
            if let Some(key) = source_key(&old) {
                batch.redirects.push((key, new));
            }
        }
    }
    let mut post_authors: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for link in rows("posts_authors") {
        let order = link.get("sort_order").and_then(Value::as_i64).unwrap_or(0);
        if let Some(name) = users.get(&text(link, "author_id")).filter(|n| !n.trim().is_empty()) {
            post_authors.entry(text(link, "post_id")).or_default().push((order, name.clone()));
        }
    }
    let meta: HashMap<String, &Value> = rows("posts_meta").iter().map(|m| (text(m, "post_id"), m)).collect();
    let mut photos =
        Finder { root: options.uploads.as_deref(), mark: "/content/images/", found: BTreeMap::new() };

    for (i, post) in rows("posts").iter().enumerate() {
        let location = format!("post {} ('{}')", i + 1, text(post, "slug"));
        let invalid =
            |message: String| ImportError::Invalid { path: path.into(), location: location.clone(), message };
        let is_page = text(post, "type") == "page" || post.get("page").and_then(Value::as_i64) == Some(1);
        if is_page {
            let published = text(post, "status") == "published"
                && matches!(text(post, "visibility").as_str(), "" | "public");
            let html = body_of(post);
            let html = photos.rewrite(&html.replace("__GHOST_URL__", ""), batch);
            let ghost_slug = text(post, "slug");
            let slug = Some(ghost_slug.clone())
                .filter(|s| slug::is_valid(s) && !slug::RESERVED.contains(&s.as_str()));
            let page = crate::domain::page::PageInput {
                external_id: Some(format!("ghost:{}", text(post, "uuid").trim())),
                lang: lang.clone(),
                slug,
                title: markup::plain_title(&text(post, "title")),
                body_html: markup::sanitize_html(&html),
                published,
                created_at: ghost_date(&text(post, "created_at")),
            };
            page.validate(&site.languages).map_err(|e| invalid(e.to_string()))?;
            if published && let Some(key) = source_key(&format!("/{ghost_slug}")).filter(|k| k != "/") {
                batch.redirects.push((key, format!("/{lang}/{}", page.wanted_slug())));
            }
            count(
                &mut batch.report.posts,
                if published { "page → published page" } else { "page → draft page" },
            );
            batch.pages.push(page);
            continue;
        }
        let visibility = text(post, "visibility");
        let members_only = !visibility.is_empty() && visibility != "public";
        let (status, kind) = match (text(post, "status").as_str(), members_only) {
            ("published", false) => (Status::Published, "published → published"),
            ("published", true) => (Status::Draft, "members-only → draft"),
            ("scheduled", _) => (Status::Scheduled, "scheduled → scheduled"),
            ("draft", _) => (Status::Draft, "draft → draft"),
            ("sent", _) => (Status::Draft, "sent by e-mail only → draft"),
            (other, _) => return Err(invalid(format!("status: '{other}' is not a Ghost post status"))),
        };
        let date_field = if status == Status::Draft { "created_at" } else { "published_at" };
        let raw_date =
            post.get(date_field).or_else(|| post.get("created_at")).and_then(Value::as_str).unwrap_or("");
        let publish_at = ghost_date(raw_date).ok_or_else(|| {
            invalid(format!("{date_field}: '{raw_date}' is not a date like 2025-05-14 09:00:00"))
        })?;

        // Tags in Ghost's order; the primary (first) one may choose the section.
        let mut links = post_tags.remove(&text(post, "id")).unwrap_or_default();
        links.sort();
        let named: Vec<&(String, String)> = links.iter().filter_map(|(_, id)| tags.get(id)).collect();
        let section_slug = named
            .first()
            .and_then(|(_, tag_slug)| options.category_map.get(tag_slug.as_str()))
            .cloned()
            .unwrap_or_else(|| default_section.clone());
        let names: Vec<String> = named.iter().map(|(name, _)| markup::plain_title(name)).collect();
        let names = match tag::normalize(&names) {
            Ok(n) => n,
            Err(tag::TagError::TooMany { .. }) => tag::normalize(&names[..tag::MAX_TAGS]).unwrap_or_default(),
            Err(e) => return Err(invalid(format!("tags: {e}"))),
        };
        for (name, old_slug) in &named {
            let target = crate::web::public::urls::tag(&lang, &tag::slug_of(&markup::plain_title(name)));
            for (old, new) in [
                (format!("/tag/{old_slug}"), target.clone()),
                (format!("/tag/{old_slug}/rss"), format!("{target}/feed.xml")),
            ] {
                if let Some(key) = source_key(&old)
                    && !batch.redirects.iter().any(|(k, _)| *k == key)
                {
                    batch.redirects.push((key, new));
                }
            }
        }

        let html = body_of(post);
        let html = photos.rewrite(&html.replace("__GHOST_URL__", ""), batch);
        let body_html = markup::sanitize_html(&html);
        let lead: String = markup::plain_text(&text(post, "custom_excerpt"))
            .chars()
            .take(crate::domain::article::MAX_LEAD)
            .collect();

        let ghost_slug = text(post, "slug");
        let new_slug = slug::adopt(&ghost_slug);
        if !ghost_slug.is_empty() && new_slug.as_deref() != Some(ghost_slug.as_str()) {
            let new =
                new_slug.clone().unwrap_or_else(|| slug::slugify(&markup::plain_title(&text(post, "title"))));
            batch.report.slug_changed(ghost_slug.clone(), new);
        }
        let old_paths: Vec<String> =
            source_key(&format!("/{ghost_slug}")).filter(|k| k != "/").into_iter().collect();
        batch.report.redirects += old_paths.len();

        let input = ArticleInput {
            external_id: Some(format!("ghost:{}", text(post, "uuid").trim())),
            translation_key: None,
            lang: lang.clone(),
            section_slug,
            slug: new_slug,
            title: markup::plain_title(&text(post, "title")),
            lead,
            body_html,
            status,
            publish_at,
            created_at: ghost_date(&text(post, "created_at")).map(|t| t.min(now)),
            updated_at: None,
            tags: names,
            extras: ArticleExtras {
                old_paths,
                bylines: {
                    let mut authors = post_authors.remove(&text(post, "id")).unwrap_or_default();
                    authors.sort();
                    authors.into_iter().map(|(_, name)| markup::plain_title(&name)).collect()
                },
                ..ArticleExtras::default()
            },
        };
        if text(post, "uuid").trim().is_empty() {
            return Err(invalid("uuid: missing; a Ghost post always has one".into()));
        }
        input.validate(&site.languages).map_err(|e| invalid(e.to_string()))?;

        // The feature image, when the images folder has it.
        let feature = text(post, "feature_image").replace("__GHOST_URL__", "");
        if let Some(relative) = feature.split_once("/content/images/").map(|(_, r)| r.to_string()) {
            let m = meta.get(&text(post, "id"));
            let alt = m.and_then(|m| m.get("feature_image_alt")).and_then(Value::as_str).unwrap_or("");
            let caption = markup::plain_text(
                m.and_then(|m| m.get("feature_image_caption")).and_then(Value::as_str).unwrap_or(""),
            );
            match photos.photo(&relative, alt, &caption, batch) {
                Some(index) => batch.lead_photos.push((batch.articles.len(), index)),
                None => batch.report.photo_missing(&feature),
            }
        }
        count(&mut batch.report.posts, kind);
        batch.articles.push(input);
        batch.origins.push((path.into(), location.clone()));
    }
    for (old, new) in [("/rss", "feed.xml")] {
        if let Some(key) = source_key(old) {
            batch.redirects.push((key, format!("/{lang}/{new}")));
        }
    }
    Ok(())
}

/// A Ghost date: `2025-05-14 09:00:00` (SQLite exports) or `2025-05-14T09:00:00.000Z`, in UTC.
fn ghost_date(raw: &str) -> Option<Timestamp> {
    let raw = raw.trim();
    if let Ok(ts) = raw.parse::<Timestamp>() {
        return Some(ts);
    }
    let civil: jiff::civil::DateTime = raw.replacen(' ', "T", 1).parse().ok()?;
    civil.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp())
}

/// Plain text as paragraphs (blank lines separate them).
fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

/// A post's or page's text: `html`, or rendered from Lexical (Ghost 5+) or mobiledoc (older
/// Ghost), or the plain text as paragraphs.
fn body_of(post: &Value) -> String {
    if let Some(html) = post.get("html").and_then(Value::as_str).filter(|h| !h.trim().is_empty()) {
        return html.to_string();
    }
    let document = |field: &str| {
        post.get(field).and_then(Value::as_str).and_then(|l| serde_json::from_str::<Value>(l).ok())
    };
    if let Some(lexical) = document("lexical") {
        return lexical_html(&lexical);
    }
    if let Some(mobiledoc) = document("mobiledoc") {
        return mobiledoc_html(&mobiledoc);
    }
    paragraphs(post.get("plaintext").and_then(Value::as_str).unwrap_or(""))
}

/// HTML from a mobiledoc document (Ghost before Lexical): markup sections (paragraphs,
/// headings, quotes), lists, images and the cards that carry text or a picture (`image`,
/// `html`, `markdown`, `hr`); other cards become links where they have a URL.
fn mobiledoc_html(doc: &Value) -> String {
    let list = |name: &str| doc.get(name).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let (markups, cards, sections) = (list("markups"), list("cards"), list("sections"));
    // Markers: [type, opened markup indexes, how many to close, text]; atoms (type 1) are skipped.
    let markers = |items: &[Value], out: &mut String| {
        let mut open: Vec<String> = Vec::new();
        for marker in items {
            let m = marker.as_array().map(Vec::as_slice).unwrap_or(&[]);
            for index in m.get(1).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
                let markup = index.as_u64().and_then(|i| markups.get(i as usize)).and_then(Value::as_array);
                let tag = markup.and_then(|m| m.first()).and_then(Value::as_str).unwrap_or("span");
                let tag = match tag {
                    "a" | "strong" | "b" | "em" | "i" | "u" | "s" | "code" | "sup" | "sub" => tag,
                    _ => "span",
                };
                let attrs = markup.and_then(|m| m.get(1)).and_then(Value::as_array);
                let href = attrs.and_then(|a| a.chunks(2).find(|p| p[0] == "href")).and_then(|p| p.get(1));
                match (tag, href.and_then(Value::as_str)) {
                    ("a", Some(href)) => out.push_str(&format!("<a href=\"{}\">", escape(href))),
                    _ => out.push_str(&format!("<{tag}>")),
                }
                open.push(tag.to_string());
            }
            if m.first().and_then(Value::as_i64) == Some(0) {
                out.push_str(&escape(m.get(3).and_then(Value::as_str).unwrap_or("")));
            }
            for _ in 0..m.get(2).and_then(Value::as_u64).unwrap_or(0) {
                if let Some(tag) = open.pop() {
                    out.push_str(&format!("</{tag}>"));
                }
            }
        }
        while let Some(tag) = open.pop() {
            out.push_str(&format!("</{tag}>"));
        }
    };
    let mut out = String::new();
    for section in sections {
        let s = section.as_array().map(Vec::as_slice).unwrap_or(&[]);
        let field = |i: usize| s.get(i).and_then(Value::as_str).unwrap_or("");
        match s.first().and_then(Value::as_i64) {
            Some(1) => {
                let tag = match field(1).to_ascii_lowercase().as_str() {
                    t @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => t.to_string(),
                    "blockquote" | "aside" | "pull-quote" => "blockquote".into(),
                    _ => "p".into(),
                };
                out.push_str(&format!("<{tag}>"));
                markers(s.get(2).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]), &mut out);
                out.push_str(&format!("</{tag}>"));
            }
            Some(2) => out.push_str(&format!("<figure><img src=\"{}\" alt=\"\"></figure>", escape(field(1)))),
            Some(3) => {
                let tag = if field(1) == "ol" { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>"));
                for item in s.get(2).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
                    out.push_str("<li>");
                    markers(item.as_array().map(Vec::as_slice).unwrap_or(&[]), &mut out);
                    out.push_str("</li>");
                }
                out.push_str(&format!("</{tag}>"));
            }
            Some(10) => {
                let card = s.get(1).and_then(Value::as_u64).and_then(|i| cards.get(i as usize));
                let card = card.and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
                let name = card.first().and_then(Value::as_str).unwrap_or("");
                let payload = card.get(1);
                let get = |key: &str| payload.and_then(|p| p.get(key)).and_then(Value::as_str).unwrap_or("");
                match name {
                    "hr" => out.push_str("<hr>"),
                    "html" => out.push_str(get("html")),
                    "markdown" => out.push_str(&markup::markdown_to_html(get("markdown"))),
                    "image" => {
                        out.push_str(&format!(
                            "<figure><img src=\"{}\" alt=\"{}\">",
                            escape(get("src")),
                            escape(get("alt"))
                        ));
                        if !get("caption").is_empty() {
                            out.push_str(&format!("<figcaption>{}</figcaption>", get("caption")));
                        }
                        out.push_str("</figure>");
                    }
                    _ => {
                        let url = get("url");
                        if !url.is_empty() {
                            out.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", escape(url)));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// HTML from Ghost's Lexical document, for posts exported without `html`: paragraphs,
/// headings, quotes, lists, links, line breaks, bold and italic text, images. Cards Ghost
/// renders with its own templates (bookmarks, galleries, embeds) become links where they have
/// a URL. The result goes through the sanitizer like any imported text.
fn lexical_html(doc: &Value) -> String {
    let mut out = String::new();
    if let Some(children) = doc.get("root").and_then(|r| r.get("children")).and_then(Value::as_array) {
        for node in children {
            lexical_node(node, &mut out);
        }
    }
    out
}

fn lexical_node(node: &Value, out: &mut String) {
    let field = |name: &str| node.get(name).and_then(Value::as_str).unwrap_or("");
    let children = |out: &mut String| {
        for child in node.get("children").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
            lexical_node(child, out);
        }
    };
    let wrap = |tag: &str, out: &mut String| {
        out.push_str(&format!("<{tag}>"));
        children(out);
        out.push_str(&format!("</{tag}>"));
    };
    match field("type") {
        "paragraph" => wrap("p", out),
        "heading" | "extended-heading" => {
            let tag = match field("tag") {
                t @ ("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => t,
                _ => "h2",
            };
            wrap(tag, out);
        }
        "quote" | "extended-quote" | "aside" => wrap("blockquote", out),
        "list" => wrap(if field("listType") == "number" { "ol" } else { "ul" }, out),
        "listitem" => wrap("li", out),
        "link" => {
            out.push_str(&format!("<a href=\"{}\">", escape(field("url"))));
            children(out);
            out.push_str("</a>");
        }
        "linebreak" => out.push_str("<br>"),
        "text" | "extended-text" => {
            let format = node.get("format").and_then(Value::as_i64).unwrap_or(0);
            let mut text = escape(field("text"));
            if format & 1 != 0 {
                text = format!("<strong>{text}</strong>");
            }
            if format & 2 != 0 {
                text = format!("<em>{text}</em>");
            }
            out.push_str(&text);
        }
        "image" => {
            out.push_str(&format!(
                "<figure><img src=\"{}\" alt=\"{}\">",
                escape(field("src")),
                escape(field("alt"))
            ));
            if !field("caption").is_empty() {
                out.push_str(&format!("<figcaption>{}</figcaption>", field("caption")));
            }
            out.push_str("</figure>");
        }
        "horizontalrule" => out.push_str("<hr>"),
        "html" => out.push_str(field("html")),
        _ => {
            let url = field("url");
            if url.starts_with("https://") || url.starts_with("http://") {
                out.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", escape(url)));
            } else {
                children(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ghost_exports_are_recognised() {
        assert!(is_ghost(r#"{"db":[{"meta":{"exported_on":1,"version":"5.130.4"},"data":{}}]}"#));
        assert!(is_ghost(r#"{"meta":{"exported_on":1,"version":"0.4"},"data":{"posts":[]}}"#));
        assert!(!is_ghost(r#"{"type":"article","title":"x"}"#));
    }

    #[test]
    fn dates_are_utc_in_either_spelling() {
        let t: Timestamp = "2025-05-14T09:00:00Z".parse().unwrap();
        assert_eq!(ghost_date("2025-05-14 09:00:00"), Some(t));
        assert_eq!(ghost_date("2025-05-14T09:00:00.000Z"), Some(t));
        assert_eq!(ghost_date("yesterday"), None);
    }

    #[test]
    fn mobiledoc_renders_to_plain_html() {
        let doc: Value = serde_json::from_str(r#"{"version":"0.3.1","atoms":[],
            "cards":[["hr",{}],["image",{"src":"__GHOST_URL__/content/images/a.jpg","alt":"A <b>","caption":"Cap"}],
                     ["markdown",{"markdown":"**md**"}],["bookmark",{"url":"https://example.org/x"}]],
            "markups":[["a",["href","https://example.org/?a=1&b=2"]],["strong"],["script"]],
            "sections":[[1,"h2",[[0,[],0,"Title <x>"]]],
              [1,"p",[[0,[1],1,"bold"],[0,[],0," and "],[0,[0],1,"a link"],[0,[2],1,"x"]]],
              [3,"ol",[[[0,[],0,"one"]],[[0,[1],1,"two"]]]],
              [10,0],[10,1],[10,2],[10,3],[2,"/p.jpg"]]}"#)
        .unwrap();
        assert_eq!(
            mobiledoc_html(&doc),
            "<h2>Title &lt;x&gt;</h2><p><strong>bold</strong> and <a href=\"https://example.org/?a=1&amp;b=2\">a link</a><span>x</span></p>\
             <ol><li>one</li><li><strong>two</strong></li></ol><hr>\
             <figure><img src=\"__GHOST_URL__/content/images/a.jpg\" alt=\"A &lt;b&gt;\"><figcaption>Cap</figcaption></figure>\
             <p><strong>md</strong></p><p><a href=\"https://example.org/x\">https://example.org/x</a></p><figure><img src=\"/p.jpg\" alt=\"\"></figure>"
        );
    }

    #[test]
    fn lexical_renders_to_plain_html() {
        let doc: Value = serde_json::from_str(r#"{"root":{"children":[
            {"type":"heading","tag":"h3","children":[{"type":"text","text":"Title <x>","format":0}]},
            {"type":"paragraph","children":[{"type":"text","text":"bold","format":1},{"type":"linebreak"},
              {"type":"link","url":"https://example.org/?a=1&b=2","children":[{"type":"text","text":"link","format":2}]}]},
            {"type":"list","listType":"number","children":[{"type":"listitem","children":[{"type":"text","text":"one"}]}]},
            {"type":"embed","url":"https://www.youtube.com/watch?v=x"}]}}"#)
        .unwrap();
        assert_eq!(
            lexical_html(&doc),
            "<h3>Title &lt;x&gt;</h3><p><strong>bold</strong><br><a href=\"https://example.org/?a=1&amp;b=2\"><em>link</em></a></p>\
             <ol><li>one</li></ol><p><a href=\"https://www.youtube.com/watch?v=x\">https://www.youtube.com/watch?v=x</a></p>"
        );
    }
}
