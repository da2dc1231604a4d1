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
use super::stream::{Count, Input, Source, Step, json_error};
use super::{Batch, ImportError, ImportOptions};
use crate::config::SiteConfig;
use crate::domain::redirect::source_key;
use crate::domain::{ArticleExtras, ArticleInput, Lang, Status, markup, slug, tag};
use jiff::Timestamp;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Whether a JSON document is a Ghost export, from its first few thousand characters:
/// `{"db":[{"meta":…,"data":…}]}`, or the older `{"meta":…,"data":{"posts":…}}`.
pub fn is_ghost(head: &str) -> bool {
    let head: String = head.chars().take(4096).filter(|c| !c.is_whitespace()).collect();
    head.starts_with("{\"db\":[") || (head.starts_with("{\"meta\":") && head.contains("\"exported_on\""))
}

/// Reads a whole Ghost export held in memory into `batch`.
pub fn read(
    path: &Path,
    content: &str,
    site: &SiteConfig,
    options: &ImportOptions,
    now: Timestamp,
    batch: &mut Batch,
) -> Result<(), ImportError> {
    let input = Input::Bytes(std::sync::Arc::from(content.as_bytes()));
    let mut reader = Reader::open(path, &input, site, options, now)?;
    reader.read_chunk(batch, usize::MAX, 0)?;
    Ok(())
}

/// An id of Ghost's as a number: its 24 hexadecimal digits, or (for ids of another shape) a
/// hash of it with the top bit set, so millions of links take 16 bytes each rather than a
/// string's allocation.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Id(u128);

impl Id {
    fn of(raw: &str) -> Id {
        if raw.len() == 24
            && let Ok(n) = u128::from_str_radix(raw, 16)
        {
            return Id(n);
        }
        use sha2::Digest;
        let hash = sha2::Sha256::digest(raw.as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&hash[..16]);
        Id(u128::from_be_bytes(bytes) | 1 << 127)
    }
}

/// A field as text whatever JSON type the export gave it (`null` as empty).
#[derive(Debug, Default, Clone)]
struct Text(String);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Text, D::Error> {
        Ok(Text(plain(<Value as serde::Deserialize>::deserialize(de)?)))
    }
}

/// A JSON value as text: strings as they are, `null` as empty, anything else as JSON.
fn plain(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// A position in Ghost's order: an integer, or 0 for anything else.
fn order<'de, D: serde::Deserializer<'de>>(de: D) -> Result<i64, D::Error> {
    Ok(<Value as serde::Deserialize>::deserialize(de)?.as_i64().unwrap_or(0))
}

impl<'de> serde::Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Id, D::Error> {
        Ok(Id::of(&Text::deserialize(de)?.0))
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct TagRow {
    id: Id,
    name: Text,
    slug: Text,
    visibility: Text,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct UserRow {
    id: Id,
    name: Text,
    slug: Text,
    email: Text,
}

/// A row of `posts_tags` or `posts_authors`: which post, which tag or author, in what order.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct LinkRow {
    post_id: Id,
    #[serde(alias = "author_id")]
    tag_id: Id,
    #[serde(deserialize_with = "order")]
    sort_order: i64,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct MetaRow {
    post_id: Id,
    feature_image_alt: Text,
    feature_image_caption: Text,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct SettingRow {
    key: Text,
    value: Text,
}

/// What the first pass keeps: every table but the posts, in the few fields the import uses.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Tables {
    posts: Option<Count>,
    tags: Vec<TagRow>,
    posts_tags: Vec<LinkRow>,
    users: Vec<UserRow>,
    posts_authors: Vec<LinkRow>,
    posts_meta: Vec<MetaRow>,
    settings: Vec<SettingRow>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Database {
    data: Option<Tables>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Export {
    db: Option<Vec<Database>>,
    data: Option<Tables>,
}

/// A Ghost export read post by post: a first pass keeps the small tables (tags, authors,
/// their links to posts, feature-image texts), the second streams the posts, so memory holds
/// the links and one chunk of posts, never the whole document.
pub struct Reader<'a> {
    path: PathBuf,
    site: &'a SiteConfig,
    options: &'a ImportOptions,
    now: Timestamp,
    posts: super::stream::JsonArray,
    lang: Lang,
    default_section: String,
    /// Public tags: name and Ghost slug.
    tags: HashMap<Id, (String, String)>,
    /// Authors' names.
    users: HashMap<Id, String>,
    /// `(post, order, tag)`, sorted.
    post_tags: Vec<(Id, i64, Id)>,
    /// `(post, order, author)`, sorted.
    post_authors: Vec<(Id, i64, Id)>,
    /// Feature-image alt text and caption, for posts that have either.
    meta: HashMap<Id, (String, String)>,
    /// The staff and their old author pages, said once in the first chunk.
    people: Vec<UserRow>,
    /// Tag addresses already redirected.
    tag_redirects: HashSet<String>,
    photos: Finder<'a>,
    items: u64,
    started: bool,
}

impl<'a> Reader<'a> {
    pub fn open(
        path: &Path,
        input: &Input,
        site: &'a SiteConfig,
        options: &'a ImportOptions,
        now: Timestamp,
    ) -> Result<Reader<'a>, ImportError> {
        let first = input.open().map_err(|e| Input::unreadable(path, e))?;
        let export: Export = serde_json::from_reader(first).map_err(|e| json_error(path, &e))?;
        let (tables, route) = match export {
            Export { db: Some(mut db), .. } if db.first().is_some_and(|d| d.data.is_some()) => {
                let tables = db.swap_remove(0).data.unwrap_or_default();
                (tables, vec![Step::Key("db"), Step::Index(0), Step::Key("data"), Step::Key("posts")])
            }
            Export { data: Some(tables), .. } => (tables, vec![Step::Key("data"), Step::Key("posts")]),
            _ => {
                return Err(ImportError::Invalid {
                    path: path.into(),
                    location: "document".into(),
                    message: "not a Ghost export: no \"data\" with posts".into(),
                });
            }
        };
        let locale = tables.settings.iter().find(|s| s.key.0 == "locale").map(|s| s.value.0.clone());
        let lang = options.lang.clone().unwrap_or_else(|| {
            Lang::parse(locale.as_deref().unwrap_or("").split(['-', '_']).next().unwrap_or(""))
                .ok()
                .filter(|l| site.languages.contains(l))
                .unwrap_or_else(|| site.default_language.clone())
        });
        let tags = tables
            .tags
            .into_iter()
            .filter(|t| t.visibility.0 != "internal" && !t.name.0.starts_with('#'))
            .map(|t| (t.id, (t.name.0, t.slug.0)))
            .collect();
        let links = |rows: Vec<LinkRow>| {
            let mut links: Vec<(Id, i64, Id)> =
                rows.into_iter().map(|l| (l.post_id, l.sort_order, l.tag_id)).collect();
            links.sort();
            links
        };
        let meta = tables
            .posts_meta
            .into_iter()
            .filter(|m| !m.feature_image_alt.0.is_empty() || !m.feature_image_caption.0.is_empty())
            .map(|m| (m.post_id, (m.feature_image_alt.0, m.feature_image_caption.0)))
            .collect();
        let posts = super::stream::json_array(input, route).map_err(|e| Input::unreadable(path, e))?;
        Ok(Reader {
            path: path.into(),
            site,
            options,
            now,
            posts,
            lang,
            default_section: options.section.clone().unwrap_or_else(|| "news".into()),
            tags,
            users: tables.users.iter().map(|u| (u.id, u.name.0.clone())).collect(),
            post_tags: links(tables.posts_tags),
            post_authors: links(tables.posts_authors),
            meta,
            people: tables.users,
            tag_redirects: HashSet::new(),
            photos: Finder {
                root: options.uploads.as_deref(),
                mark: "/content/images/",
                found: BTreeMap::new(),
            },
            items: 0,
            started: false,
        })
    }

    /// Ghost's staff accounts come as people who cannot sign in until an admin invites them,
    /// and their old author pages (`/author/slug/` and its feed) lead to their byline pages.
    fn add_people(&self, batch: &mut Batch) {
        let lang = &self.lang;
        for user in &self.people {
            batch.add_person(&user.email.0, &user.name.0);
            let (slug, name) = (&user.slug.0, markup::plain_title(&user.name.0));
            if slug.is_empty() || name.trim().is_empty() {
                continue;
            }
            let target = crate::web::public::urls::author(lang, &tag::slug_of(&name));
            for (old, new) in [
                (format!("/author/{slug}"), target.clone()),
                (format!("/author/{slug}/rss"), format!("/{lang}/feed.xml")),
            ] {
                if let Some(key) = source_key(&old) {
                    batch.redirects.push((key, new));
                }
            }
        }
    }

    /// The post's links in `links` (sorted), in Ghost's order.
    fn linked(links: &[(Id, i64, Id)], post: Id) -> impl Iterator<Item = Id> + '_ {
        let start = links.partition_point(|(p, _, _)| *p < post);
        links[start..].iter().take_while(move |(p, _, _)| *p == post).map(|(_, _, id)| *id)
    }

    /// One post or page into the batch.
    fn convert(&mut self, i: usize, post: &Value, batch: &mut Batch) -> Result<(), ImportError> {
        let (path, site, options, now) = (self.path.as_path(), self.site, self.options, self.now);
        let lang = self.lang.clone();
        let text =
            |row: &Value, field: &str| row.get(field).and_then(Value::as_str).unwrap_or("").to_string();
        // Numbers in exports of old Ghost versions, as the link tables read them.
        let post_id = Id::of(&post.get("id").cloned().map(plain).unwrap_or_default());
        let location = format!("post {} ('{}')", i + 1, text(post, "slug"));
        let invalid =
            |message: String| ImportError::Invalid { path: path.into(), location: location.clone(), message };
        let is_page = text(post, "type") == "page" || post.get("page").and_then(Value::as_i64) == Some(1);
        if is_page {
            let published = text(post, "status") == "published"
                && matches!(text(post, "visibility").as_str(), "" | "public");
            let html = body_of(post);
            let html = self.photos.rewrite(&html.replace("__GHOST_URL__", ""), batch);
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
            return Ok(());
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
        let named: Vec<&(String, String)> =
            Self::linked(&self.post_tags, post_id).filter_map(|id| self.tags.get(&id)).collect();
        let section_slug = named
            .first()
            .and_then(|(_, tag_slug)| options.category_map.get(tag_slug.as_str()))
            .cloned()
            .unwrap_or_else(|| self.default_section.clone());
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
                    && self.tag_redirects.insert(key.clone())
                {
                    batch.redirects.push((key, new));
                }
            }
        }

        let html = body_of(post);
        let html = self.photos.rewrite(&html.replace("__GHOST_URL__", ""), batch);
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
                    Self::linked(&self.post_authors, post_id)
                        .filter_map(|id| self.users.get(&id))
                        .filter(|name| !name.trim().is_empty())
                        .map(|name| markup::plain_title(name))
                        .collect()
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
            let (alt, caption) = self.meta.get(&post_id).cloned().unwrap_or_default();
            match self.photos.photo(&relative, &alt, &markup::plain_text(&caption), batch) {
                Some(index) => batch.lead_photos.push((batch.articles.len(), index)),
                None => batch.report.photo_missing(&feature),
            }
        }
        count(&mut batch.report.posts, kind);
        batch.articles.push(input);
        batch.origins.push((path.into(), location.clone()));
        Ok(())
    }
}

impl Source for Reader<'_> {
    fn read_chunk(&mut self, batch: &mut Batch, max: usize, skip: u64) -> Result<bool, ImportError> {
        // Photo indexes point into this batch's photo list.
        self.photos.found.clear();
        if skip > 0 {
            batch.report.resumed_after = skip;
        }
        if !self.started {
            self.started = true;
            self.add_people(batch);
        }
        while batch.articles.len() + batch.pages.len() < max {
            let Some(post) = self.posts.next() else {
                if let Some(key) = source_key("/rss") {
                    batch.redirects.push((key, format!("/{}/feed.xml", self.lang)));
                }
                return Ok(false);
            };
            let post = post.map_err(|e| json_error(&self.path, &e))?;
            self.items += 1;
            if self.items <= skip {
                continue;
            }
            self.convert(usize::try_from(self.items).unwrap_or(usize::MAX) - 1, &post, batch)?;
        }
        Ok(true)
    }

    fn items_read(&self) -> u64 {
        self.items
    }

    fn bytes_read(&self) -> u64 {
        self.posts.bytes_read()
    }
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
