//! WordPress's export format (WXR 1.1 and 1.2, what Tools → Export writes): posts with their
//! workflow state, sections from categories, tags, slugs, and every address the old site had.
//!
//! What WordPress kept private stays private: drafts, pending and private posts arrive as
//! drafts (pending ones asking for review), scheduled posts keep their date, trashed ones land
//! in the trash. Dates come from `post_date_gmt`, or for drafts (which WordPress leaves at
//! `0000-00-00`) from `post_date` in the site's time zone. Each post's external id is the old
//! site's address plus its post id, so a second import of the same export updates in place.
//!
//! Photos come from a local copy of the uploads folder (`--uploads`): featured images become
//! lead photos and images in the text come into the media library (see [`super::photos`]).
//!
//! Pages become static pages and authors bylines; comments are counted and left out.
//!
//! The export is streamed ([`Reader`]): a multi-gigabyte file is read item by item and saved
//! in chunks, so memory stays bounded by a chunk, not by the file.

pub mod content;

use super::photos::Finder;
use super::report::count;
use super::stream::Counted;
use super::{Batch, ImportError, ImportOptions};
use crate::config::SiteConfig;
use crate::domain::redirect::source_key;
use crate::domain::{ArticleExtras, ArticleInput, Lang, Status, markup, slug, tag};
use crate::storage::SectionInput;
use jiff::Timestamp;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// What WordPress writes for a date it does not have (an unscheduled draft's GMT date).
const NO_DATE: &str = "0000-00-00 00:00:00";

/// One `<item>` as the export has it.
#[derive(Debug, Default)]
struct Item {
    title: String,
    link: String,
    guid: String,
    content: String,
    excerpt: String,
    post_id: String,
    post_date: String,
    post_date_gmt: String,
    post_name: String,
    status: String,
    post_type: String,
    /// The post an attachment belongs to (`0` for none).
    post_parent: String,
    /// Set for a password-protected post, whose text WordPress showed only to those who had it.
    post_password: String,
    /// The author's login (`dc:creator`).
    creator: String,
    /// `(domain, nicename, name)` of each `<category>`.
    terms: Vec<(String, String, String)>,
    meta: Vec<(String, String)>,
    comments: usize,
    /// Where the item starts, for messages.
    location: String,
}

/// The channel's facts an item needs.
#[derive(Debug, Default)]
struct Channel {
    /// Author login → the name WordPress showed.
    authors: BTreeMap<String, String>,
    /// Author login → e-mail address.
    emails: BTreeMap<String, String>,
    base_site_url: String,
    language: String,
    wxr_version: String,
}

/// Whether a file is a WordPress export: an RSS document declaring the WXR namespace.
pub fn is_wxr(head: &str) -> bool {
    head.contains("wordpress.org/export/1.")
}

/// Reads a whole export held in memory into `batch` (tests, fuzzing; `newsdesk import`
/// streams files through [`Reader`] instead).
pub fn read(
    path: &Path,
    content: &str,
    site: &SiteConfig,
    options: &ImportOptions,
    now: Timestamp,
    batch: &mut Batch,
) -> Result<(), ImportError> {
    let mut reader = Reader::from_bytes(path, content.as_bytes(), site, options, now)?;
    while reader.read_chunk(batch, usize::MAX, 0)? {}
    Ok(())
}

/// A featured image's facts, gathered from the attachment items in a first pass (WordPress
/// lists an attachment wherever its id falls, often after the post that features it).
#[derive(Debug)]
struct Attachment {
    file: Option<String>,
    alt: String,
    title: String,
    caption: String,
    link: String,
}

/// A WordPress export read item by item, in bounded memory whatever its size: each call of
/// [`Reader::read_chunk`] fills a batch with up to so many posts and pages, which the caller
/// saves before asking for more.
pub struct Reader<'a> {
    xml: Xml<'a>,
    site: &'a SiteConfig,
    options: &'a ImportOptions,
    now: Timestamp,
    attachments: BTreeMap<String, Attachment>,
    /// Post id → the addresses of its attachments' pages (`/?attachment_id=N`, their
    /// permalinks), which lead to the post from now on.
    attachment_pages: BTreeMap<String, Vec<String>>,
    photos: Finder<'a>,
    /// The export's language (or `--lang`), known once the channel's head is read.
    lang: Lang,
    origin: String,
    default_section: String,
    /// Items read so far (of any type), to resume an interrupted import.
    items: u64,
    started: bool,
}

impl<'a> Reader<'a> {
    /// Reads the export in the file at `path`: a first pass gathers the attachments, the
    /// second reads the posts.
    pub fn open(
        path: &Path,
        site: &'a SiteConfig,
        options: &'a ImportOptions,
        now: Timestamp,
    ) -> Result<Reader<'a>, ImportError> {
        let open = || -> Result<Box<dyn BufRead + 'a>, ImportError> {
            let file = std::fs::File::open(path)
                .map_err(|source| ImportError::Read { path: path.into(), source })?;
            Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, file)))
        };
        Reader::new(path, open()?, open()?, site, options, now)
    }

    /// Reads an export held in memory.
    pub fn from_bytes(
        path: &Path,
        bytes: &'a [u8],
        site: &'a SiteConfig,
        options: &'a ImportOptions,
        now: Timestamp,
    ) -> Result<Reader<'a>, ImportError> {
        Reader::new(path, Box::new(bytes), Box::new(bytes), site, options, now)
    }

    fn new(
        path: &Path,
        first: Box<dyn BufRead + 'a>,
        second: Box<dyn BufRead + 'a>,
        site: &'a SiteConfig,
        options: &'a ImportOptions,
        now: Timestamp,
    ) -> Result<Reader<'a>, ImportError> {
        let mut attachments = BTreeMap::new();
        let mut attachment_pages: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut pass = Xml::new(path, first);
        while let Some(item) = pass.next_item()? {
            if item.post_type != "attachment" {
                continue;
            }
            if !item.post_parent.is_empty() && item.post_parent != "0" {
                let pages = attachment_pages.entry(item.post_parent.clone()).or_default();
                pages.push(format!("/?attachment_id={}", item.post_id));
                pages.push(item.link.clone());
            }
            let meta = |key: &str| item.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            attachments.insert(
                item.post_id.clone(),
                Attachment {
                    file: meta("_wp_attached_file"),
                    alt: meta("_wp_attachment_image_alt").unwrap_or_default(),
                    caption: markup::plain_text(&item.excerpt),
                    title: item.title,
                    link: item.link,
                },
            );
        }
        Ok(Reader {
            xml: Xml::new(path, second),
            site,
            options,
            now,
            attachments,
            attachment_pages,
            photos: Finder {
                root: options.uploads.as_deref(),
                mark: "/wp-content/uploads/",
                found: BTreeMap::new(),
            },
            lang: site.default_language.clone(),
            origin: String::new(),
            default_section: options.section.clone().unwrap_or_else(|| "news".into()),
            items: 0,
            started: false,
        })
    }

    /// Bytes of the file read so far, for a progress bar.
    pub fn bytes_read(&self) -> u64 {
        self.xml.reader.get_ref().bytes
    }

    /// Items read so far.
    pub fn items_read(&self) -> u64 {
        self.items
    }

    /// Reads items into `batch` until it holds `max` posts and pages or the export ends;
    /// `true` while more remain. Items up to number `skip` are read but left out (an earlier
    /// run saved them). At the end, the site's old feed addresses are added.
    pub fn read_chunk(&mut self, batch: &mut Batch, max: usize, skip: u64) -> Result<bool, ImportError> {
        // Photo indexes point into this batch's photo list.
        self.photos.found.clear();
        if skip > 0 {
            batch.report.resumed_after = skip;
        }
        while batch.articles.len() + batch.pages.len() < max {
            let Some(item) = self.xml.next_item()? else {
                self.finish(batch)?;
                return Ok(false);
            };
            if !self.started {
                self.begin()?;
                self.add_authors(batch);
            }
            self.items += 1;
            if self.items <= skip {
                continue;
            }
            self.convert(&item, batch)?;
        }
        Ok(true)
    }

    /// Once the channel's head is read: is this WordPress, and in which language.
    fn begin(&mut self) -> Result<(), ImportError> {
        if self.started {
            return Ok(());
        }
        let channel = &self.xml.channel;
        if channel.wxr_version.is_empty() {
            return Err(ImportError::Invalid {
                path: self.xml.path.clone(),
                location: "document".into(),
                message: "not a WordPress export: no <wp:wxr_version>; use --format feed for an RSS feed"
                    .into(),
            });
        }
        self.lang = self.options.lang.clone().unwrap_or_else(|| {
            let primary = channel.language.split(['-', '_']).next().unwrap_or("");
            Lang::parse(primary)
                .ok()
                .filter(|l| self.site.languages.contains(l))
                .unwrap_or_else(|| self.site.default_language.clone())
        });
        self.origin = channel.base_site_url.trim_end_matches('/').to_string();
        self.started = true;
        Ok(())
    }

    /// The export's authors with an address, into the first batch, and their old author
    /// pages (`/author/login/`) leading to their byline pages.
    fn add_authors(&self, batch: &mut Batch) {
        let channel = &self.xml.channel;
        for (login, email) in &channel.emails {
            batch.add_person(email, channel.authors.get(login).unwrap_or(login));
        }
        for (login, name) in &channel.authors {
            let name = markup::plain_title(name);
            if name.trim().is_empty() {
                continue;
            }
            let target = crate::web::public::urls::author(&self.lang, &tag::slug_of(&name));
            if let Some(key) = source_key(&format!("/author/{}", login.to_lowercase())) {
                batch.redirects.push((key, target));
            }
        }
    }

    /// The end of the export: the site's own feed addresses lead to the new feeds.
    fn finish(&mut self, batch: &mut Batch) -> Result<(), ImportError> {
        if !self.started {
            self.begin()?;
            self.add_authors(batch);
        }
        let lang = &self.lang;
        for (old, new) in [
            ("/feed", "feed.xml"),
            ("/feed/rss2", "feed.xml"),
            ("/feed/atom", "atom.xml"),
            ("/?feed=rss2", "feed.xml"),
        ] {
            if let Some(key) = source_key(old) {
                batch.redirects.push((key, format!("/{lang}/{new}")));
            }
        }
        Ok(())
    }

    /// One item into the batch: a post as an article, a page as a static page.
    fn convert(&mut self, item: &Item, batch: &mut Batch) -> Result<(), ImportError> {
        let (site, options, now) = (self.site, self.options, self.now);
        let (lang, origin) = (self.lang.clone(), self.origin.clone());
        batch.report.comments += item.comments;
        let invalid = |message: String| ImportError::Invalid {
            path: self.xml.path.clone(),
            location: item.location.clone(),
            message,
        };
        match item.post_type.as_str() {
            "post" => {}
            "page" => {
                let page = page_of(item, &lang, &origin, &mut self.photos, batch);
                if let Some(page) = page {
                    page.validate(&site.languages).map_err(|e| invalid(e.to_string()))?;
                    batch.pages.push(page);
                }
                return Ok(());
            }
            "attachment" => return Ok(()),
            other => {
                count(&mut batch.report.skipped, &format!("items of type '{other}'"));
                return Ok(());
            }
        }
        let protected =
            !item.post_password.is_empty() && matches!(item.status.as_str(), "publish" | "future");
        let (status, extras_state) = match item.status.as_str() {
            // A password kept the text from the public: it stays out of public view here too.
            "publish" | "future" if protected => (Status::Draft, (false, false)),
            "publish" => (Status::Published, (false, false)),
            "future" => (Status::Scheduled, (false, false)),
            "draft" | "private" => (Status::Draft, (false, false)),
            "pending" => (Status::Draft, (true, false)),
            "trash" => (Status::Draft, (false, true)),
            "auto-draft" | "inherit" => {
                count(&mut batch.report.skipped, &format!("{} posts", item.status));
                return Ok(());
            }
            other => return Err(invalid(format!("wp:status: '{other}' is not a WordPress post status"))),
        };
        let publish_at = date_of(item, &site.time_zone).map_err(invalid)?;
        // Polylang keeps each post's language and its translation group as taxonomies.
        let term =
            |domain: &str| item.terms.iter().find(|t| t.0 == domain).map(|t| decode(&t.1).to_lowercase());
        let post_lang = term("language")
            .and_then(|code| Lang::parse(code.split(['-', '_']).next().unwrap_or("")).ok())
            .filter(|l| options.lang.is_none() && site.languages.contains(l))
            .unwrap_or_else(|| lang.clone());
        let translation_key = term("post_translations").map(|group| format!("wordpress:{origin}/{group}"));
        // Section: the first category (mapped, or created from it); further ones become tags.
        let categories: Vec<&(String, String, String)> =
            item.terms.iter().filter(|t| t.0 == "category").collect();
        let section_slug = match categories.first() {
            Some((_, nicename, name)) => {
                section_for(nicename, name, &post_lang, &self.default_section, options, batch)
            }
            None => self.default_section.clone(),
        };
        let mut tags: Vec<String> =
            item.terms.iter().filter(|t| t.0 == "post_tag").map(|t| markup::plain_title(&t.2)).collect();
        tags.extend(categories.iter().skip(1).map(|t| markup::plain_title(&t.2)));
        let tags = match tag::normalize(&tags) {
            Ok(tags) => tags,
            Err(tag::TagError::TooMany { .. }) => tag::normalize(&tags[..tag::MAX_TAGS]).unwrap_or_default(),
            Err(e) => return Err(invalid(format!("tags: {e}"))),
        };
        for t in item.terms.iter().filter(|t| t.0 == "post_tag") {
            let target = crate::web::public::urls::tag(&post_lang, &tag::slug_of(&markup::plain_title(&t.2)));
            list_redirects(batch, "tag", &t.1, &target, &format!("{target}/feed.xml"));
        }
        // Text: the teaser before <!--more--> becomes the lead when there is no excerpt.
        let excerpt = markup::plain_text(&item.excerpt);
        let raw = self.photos.rewrite(&item.content, batch);
        let (lead, body) = match content::split_more(&raw) {
            Some((teaser, rest)) if excerpt.is_empty() && !rest.trim().is_empty() => {
                let teaser_text = markup::plain_text(&markup::sanitize_html(&content::render(teaser)));
                if teaser_text.chars().count() <= crate::domain::article::MAX_LEAD {
                    (teaser_text, rest.to_string())
                } else {
                    (String::new(), raw.clone())
                }
            }
            _ => (excerpt, raw.clone()),
        };
        let body_html = markup::sanitize_html(&content::render(&body));
        let lead: String = lead.chars().take(crate::domain::article::MAX_LEAD).collect();
        // Slug as WordPress had it, transliterated when it is not Latin.
        let desired = item.meta.iter().find(|(k, _)| k == "_wp_desired_post_slug").map(|(_, v)| v.as_str());
        let wp_slug = decode(desired.unwrap_or(item.post_name.trim_end_matches("__trashed")));
        let new_slug = slug::adopt(&wp_slug);
        if !wp_slug.is_empty() && new_slug.as_deref() != Some(wp_slug.as_str()) {
            let new = new_slug.clone().unwrap_or_else(|| slug::slugify(&markup::plain_title(&item.title)));
            batch.report.slug_changed(wp_slug.clone(), new);
        }
        // Every address the post had: its permalink, `?p=ID`, its guid, and its earlier slugs.
        let mut old_paths: Vec<String> = Vec::new();
        if !extras_state.1 {
            let mut push = |address: &str| {
                if let Some(key) = source_key(address).filter(|k| k != "/")
                    && !old_paths.contains(&key)
                {
                    old_paths.push(key);
                }
            };
            push(&item.link);
            push(&item.guid);
            push(&format!("/?p={}", item.post_id));
            for page in self.attachment_pages.get(&item.post_id).into_iter().flatten() {
                push(page);
            }
            let link_path = source_key(&item.link).unwrap_or_default();
            let current = decode(&item.post_name).to_lowercase();
            for (_, old) in item.meta.iter().filter(|(k, _)| k == "_wp_old_slug") {
                if let Some(prefix) = link_path.strip_suffix(current.as_str()).filter(|_| !current.is_empty())
                {
                    push(&format!("{prefix}{}", decode(old).to_lowercase()));
                }
            }
        }
        batch.report.redirects += old_paths.len();
        let input = ArticleInput {
            external_id: Some(format!("wordpress:{origin}/?p={}", item.post_id)),
            translation_key,
            lang: post_lang,
            section_slug,
            slug: new_slug,
            title: markup::plain_title(&item.title),
            lead,
            body_html,
            status,
            publish_at,
            created_at: Some(publish_at.min(now)),
            updated_at: None,
            tags,
            extras: ArticleExtras {
                review_requested: extras_state.0,
                trashed: extras_state.1,
                lead_image_id: None,
                bylines: self
                    .xml
                    .channel
                    .authors
                    .get(&item.creator)
                    .cloned()
                    .or_else(|| Some(item.creator.clone()))
                    .filter(|name| !name.trim().is_empty())
                    .map(|name| vec![markup::plain_title(&name)])
                    .unwrap_or_default(),
                old_paths,
            },
        };
        input.validate(&site.languages).map_err(|e| invalid(e.to_string()))?;
        // The featured image, when the uploads folder has it.
        let featured = item
            .meta
            .iter()
            .find(|(k, _)| k == "_thumbnail_id")
            .and_then(|(_, id)| self.attachments.get(id.trim()));
        if let Some(attachment) = featured {
            let alt = if attachment.alt.trim().is_empty() { &attachment.title } else { &attachment.alt };
            match attachment
                .file
                .as_deref()
                .and_then(|f| self.photos.photo(f, alt, &attachment.caption, batch))
            {
                Some(index) => batch.lead_photos.push((batch.articles.len(), index)),
                None => batch.report.photo_missing(attachment.file.as_deref().unwrap_or(&attachment.link)),
            }
        }
        let kind = match item.status.as_str() {
            _ if protected => "password-protected → draft",
            "private" => "private → draft",
            "pending" => "pending → draft awaiting review",
            "trash" => "trash → trash",
            "future" => "future → scheduled",
            "publish" => "publish → published",
            _ => "draft → draft",
        };
        count(&mut batch.report.posts, kind);
        batch.articles.push(input);
        batch.origins.push((self.xml.path.clone(), item.location.clone()));

        Ok(())
    }
}

/// A WordPress page as a static page: published when WordPress showed it to everyone, a draft
/// otherwise; one in the trash is left out. Its old addresses lead to its new one.
fn page_of(
    item: &Item,
    lang: &Lang,
    origin: &str,
    photos: &mut Finder<'_>,
    batch: &mut Batch,
) -> Option<crate::domain::page::PageInput> {
    if item.status == "trash" || item.status == "auto-draft" {
        count(&mut batch.report.skipped, &format!("{} pages", item.status));
        return None;
    }
    let published = item.status == "publish" && item.post_password.is_empty();
    let raw = photos.rewrite(&item.content, batch);
    let wp_slug = decode(&item.post_name);
    let title = markup::plain_title(&item.title);
    let slug = slug::adopt(&wp_slug);
    let target = format!("/{lang}/{}", slug.clone().unwrap_or_else(|| slug::slugify(&title)));
    for old in [item.link.clone(), format!("/?page_id={}", item.post_id)] {
        if let Some(key) = source_key(&old).filter(|k| k != "/" && published) {
            batch.redirects.push((key, target.clone()));
        }
    }
    count(&mut batch.report.posts, if published { "page → published page" } else { "page → draft page" });
    Some(crate::domain::page::PageInput {
        external_id: Some(format!("wordpress:{origin}/?page_id={}", item.post_id)),
        lang: lang.clone(),
        slug,
        title,
        body_html: markup::sanitize_html(&content::render(&raw)),
        published,
        created_at: date_of(item, &jiff::tz::TimeZone::UTC).ok(),
    })
}

/// The section a category becomes: `--map-category` first, then the category's own slug
/// (transliterated); WordPress's "uncategorized" is the default section. Sections that do not
/// exist are proposed with the category's name.
fn section_for(
    nicename: &str,
    name: &str,
    lang: &Lang,
    default_section: &str,
    options: &ImportOptions,
    batch: &mut Batch,
) -> String {
    let decoded = decode(nicename).to_lowercase();
    let slug = if let Some(mapped) =
        options.category_map.get(&decoded).or_else(|| options.category_map.get(nicename))
    {
        mapped.clone()
    } else if decoded == "uncategorized" || decoded == "без-рубрики" {
        default_section.to_string()
    } else {
        let s = slug::slugify(&decoded);
        if s.is_empty() || slug::RESERVED.contains(&s.as_str()) {
            format!("{s}-news").trim_start_matches('-').to_string()
        } else {
            s
        }
    };
    if !batch.proposed_sections.iter().any(|s| s.slug == slug) {
        let names =
            BTreeMap::from([(lang.to_string(), markup::plain_title(name).chars().take(100).collect())]);
        batch.proposed_sections.push(SectionInput { slug: slug.clone(), names, position: 0 });
    }
    let target = format!("/{lang}/{slug}");
    list_redirects(batch, "category", nicename, &target, &format!("{target}/feed.xml"));
    slug
}

/// Redirects for a WordPress archive page (`/category/x/`, `/tag/x/`) and its feed.
fn list_redirects(batch: &mut Batch, base: &str, nicename: &str, target: &str, feed: &str) {
    for (old, new) in [(format!("/{base}/{nicename}"), target), (format!("/{base}/{nicename}/feed"), feed)] {
        if let Some(key) = source_key(&old)
            && !batch.redirects.iter().any(|(k, _)| *k == key)
        {
            batch.redirects.push((key, new.to_string()));
        }
    }
}

/// A percent-encoded slug as text (`%d0%bc%d0%be…` → `мо…`).
fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// When a post was (or will be) published.
fn date_of(item: &Item, tz: &jiff::tz::TimeZone) -> Result<Timestamp, String> {
    let parse = |s: &str, zone: &jiff::tz::TimeZone| -> Option<Timestamp> {
        let local: jiff::civil::DateTime = s.trim().replacen(' ', "T", 1).parse().ok()?;
        local.to_zoned(zone.clone()).ok().map(|z| z.timestamp())
    };
    let gmt = item.post_date_gmt.trim();
    if !gmt.is_empty() && gmt != NO_DATE {
        return parse(gmt, &jiff::tz::TimeZone::UTC)
            .ok_or_else(|| format!("wp:post_date_gmt: '{gmt}' is not a date like 2025-05-17 10:30:00"));
    }
    let local = item.post_date.trim();
    parse(local, tz).ok_or_else(|| format!("wp:post_date: '{local}' is not a date like 2025-05-17 10:30:00"))
}

/// The export's XML, item by item: the channel's facts are gathered on the way.
struct Xml<'a> {
    path: PathBuf,
    reader: quick_xml::Reader<Counted<Box<dyn BufRead + 'a>>>,
    buf: Vec<u8>,
    stack: Vec<String>,
    channel: Channel,
}

impl<'a> Xml<'a> {
    fn new(path: &Path, source: Box<dyn BufRead + 'a>) -> Xml<'a> {
        let counted = Counted::new(source);
        Xml {
            path: path.to_path_buf(),
            reader: quick_xml::Reader::from_reader(counted),
            buf: Vec::new(),
            stack: Vec::new(),
            channel: Channel::default(),
        }
    }

    /// Where the parser is, as people read files.
    fn here(&self) -> (u64, u64) {
        let counted = self.reader.get_ref();
        (counted.lines + 1, counted.column + 1)
    }

    fn fault(&self, message: String) -> ImportError {
        let (line, column) = self.here();
        ImportError::Invalid {
            path: self.path.clone(),
            location: format!("line {line}, column {column}"),
            message,
        }
    }

    /// The next `<item>`, or `None` at the end of the document.
    fn next_item(&mut self) -> Result<Option<Item>, ImportError> {
        let mut text = String::new();
        let mut item: Option<Item> = None;
        let mut term: Option<(String, String)> = None;
        let mut meta_key = String::new();
        let mut author_login = String::new();
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(event) => event.into_owned(),
                Err(e) => return Err(self.fault(format!("not well-formed XML: {e}"))),
            };
            match event {
                Event::Start(e) => {
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    text.clear();
                    match name.as_str() {
                        "item" => {
                            let (line, _) = self.here();
                            item = Some(Item { location: format!("item at line {line}"), ..Item::default() });
                        }
                        "category" if item.is_some() => {
                            let attr = |key: &[u8]| {
                                e.try_get_attribute(key)
                                    .ok()
                                    .flatten()
                                    .and_then(|a| {
                                        a.normalized_value(quick_xml::XmlVersion::default())
                                            .ok()
                                            .map(|v| v.into_owned())
                                    })
                                    .unwrap_or_default()
                            };
                            term = Some((attr(b"domain"), attr(b"nicename")));
                        }
                        _ => {}
                    }
                    self.stack.push(name);
                }
                Event::Text(e) => match e.xml10_content() {
                    Ok(t) => text.push_str(&t),
                    Err(e) => return Err(self.fault(format!("text is not UTF-8: {e}"))),
                },
                Event::CData(e) => text.push_str(&String::from_utf8_lossy(&e)),
                Event::GeneralRef(e) => {
                    if let Ok(Some(ch)) = e.resolve_char_ref() {
                        text.push(ch);
                    } else {
                        let name = String::from_utf8_lossy(&e).into_owned();
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => text.push_str(s),
                            None => {
                                text.push('&');
                                text.push_str(&name);
                                text.push(';');
                            }
                        }
                    }
                }
                Event::End(_) => {
                    let name = self.stack.pop().unwrap_or_default();
                    let value = std::mem::take(&mut text);
                    let parent = self.stack.last().map(String::as_str).unwrap_or("");
                    let channel = &mut self.channel;
                    match (&mut item, name.as_str()) {
                        (Some(_), "item") => return Ok(item.take()),
                        (Some(it), "category") => {
                            if let Some((domain, nicename)) = term.take() {
                                it.terms.push((domain, nicename, value.trim().to_string()));
                            }
                        }
                        (Some(it), _) if parent == "item" => match name.as_str() {
                            "title" => it.title = value,
                            "link" => it.link = value.trim().to_string(),
                            "guid" => it.guid = value.trim().to_string(),
                            "content:encoded" => it.content = value,
                            "excerpt:encoded" => it.excerpt = value,
                            "wp:post_id" => it.post_id = value.trim().to_string(),
                            "wp:post_date" => it.post_date = value,
                            "wp:post_date_gmt" => it.post_date_gmt = value,
                            "wp:post_name" => it.post_name = value.trim().to_string(),
                            "wp:status" => it.status = value.trim().to_string(),
                            "wp:post_type" => it.post_type = value.trim().to_string(),
                            "wp:post_parent" => it.post_parent = value.trim().to_string(),
                            "wp:post_password" => it.post_password = value.trim().to_string(),
                            "dc:creator" => it.creator = value.trim().to_string(),
                            "wp:comment" => it.comments += 1,
                            _ => {}
                        },
                        (Some(_), "wp:meta_key") => meta_key = value.trim().to_string(),
                        (Some(it), "wp:meta_value") => it.meta.push((std::mem::take(&mut meta_key), value)),
                        (None, "wp:base_site_url") => channel.base_site_url = value.trim().to_string(),
                        (None, "wp:author_login") => author_login = value.trim().to_string(),
                        (None, "wp:author_email") => {
                            channel.emails.insert(author_login.clone(), value.trim().to_string());
                        }
                        (None, "wp:author_display_name") => {
                            channel
                                .authors
                                .insert(std::mem::take(&mut author_login), value.trim().to_string());
                        }
                        (None, "language") if parent == "channel" => {
                            channel.language = value.trim().to_string()
                        }
                        (None, "wp:wxr_version") => channel.wxr_version = value.trim().to_string(),
                        _ => {}
                    }
                }
                Event::Eof => {
                    if !self.stack.is_empty() {
                        return Err(
                            self.fault(format!("the document ends inside <{}>", self.stack.join("><")))
                        );
                    }
                    return Ok(None);
                }
                _ => {}
            }
        }
    }
}

impl super::stream::Source for Reader<'_> {
    fn read_chunk(&mut self, batch: &mut Batch, max: usize, skip: u64) -> Result<bool, ImportError> {
        Reader::read_chunk(self, batch, max, skip)
    }

    fn items_read(&self) -> u64 {
        Reader::items_read(self)
    }

    fn bytes_read(&self) -> u64 {
        Reader::bytes_read(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: u32, status: &str, extra: &str) -> String {
        format!(
            r#"<item><title>Post {id} &amp; “quotes”</title><link>http://old.example/?p={id}</link>
<guid isPermaLink="false">http://old.example/?p={id}</guid>
<content:encoded><![CDATA[Text <script>alert(1)</script><img src=x onerror=alert(1)>]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{id}</wp:post_id>
<wp:post_date><![CDATA[2025-05-17 10:30:00]]></wp:post_date><wp:post_date_gmt><![CDATA[2025-05-17 07:30:00]]></wp:post_date_gmt>
<wp:post_name><![CDATA[post-{id}]]></wp:post_name><wp:status><![CDATA[{status}]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type>{extra}</item>"#
        )
    }

    fn export(items: &[String]) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old</title><language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>http://old.example</wp:base_site_url>
{}
</channel></rss>"#,
            items.join("\n")
        )
    }

    fn read_str(text: &str) -> Result<Batch, ImportError> {
        let mut batch = Batch::default();
        let site = SiteConfig::default_for_test();
        read(Path::new("wp.xml"), text, &site, &ImportOptions::default(), Timestamp::UNIX_EPOCH, &mut batch)?;
        Ok(batch)
    }

    #[test]
    fn password_protected_posts_stay_out_of_public_view() {
        let batch = read_str(&export(&[
            item(1, "publish", ""),
            item(2, "publish", "<wp:post_password><![CDATA[secret]]></wp:post_password>"),
        ]))
        .unwrap();
        assert_eq!(batch.articles[0].status, Status::Published);
        assert_eq!(batch.articles[1].status, Status::Draft);
        assert_eq!(batch.report.posts.get("password-protected → draft"), Some(&1));
        let a = &batch.articles[0];
        assert_eq!(a.title, "Post 1 & “quotes”");
        assert!(!a.body_html.contains("script") && !a.body_html.contains("onerror"), "{}", a.body_html);
        assert_eq!(a.publish_at, "2025-05-17T07:30:00Z".parse().unwrap());
    }

    #[test]
    fn polylang_languages_and_translation_groups_are_kept() {
        let terms = |lang: &str| {
            format!(
                r#"<category domain="language" nicename="{lang}"><![CDATA[{lang}]]></category>
<category domain="post_translations" nicename="pll_5f1a"><![CDATA[pll_5f1a]]></category>"#
            )
        };
        let batch =
            read_str(&export(&[item(1, "publish", &terms("en")), item(2, "publish", &terms("ru"))])).unwrap();
        let (en, ru) = (&batch.articles[0], &batch.articles[1]);
        assert_eq!((en.lang.as_str(), ru.lang.as_str()), ("en", "ru"));
        assert!(en.translation_key.is_some());
        assert_eq!(en.translation_key, ru.translation_key);
    }

    #[test]
    fn broken_exports_name_the_place() {
        let broken = export(&[item(1, "publish", "")]).replace("</wp:post_type>", "</wp:post_typo>");
        let e = read_str(&broken).unwrap_err().to_string();
        assert!(e.starts_with("wp.xml: line ") && e.contains("column"), "{e}");
        let e = read_str(&export(&[item(1, "sideways", "")])).unwrap_err().to_string();
        assert!(e.contains("item at line 5") && e.contains("sideways"), "{e}");
    }
}
