//! Importing an existing site's history from its RSS 2.0, Atom 1.0 or JSON Feed document.
//! Feeds arrive from outside and often carry hostile or broken HTML: titles and leads are
//! reduced to text, bodies go through the one sanitizing policy, and each entry's feed id (or
//! link) becomes its external id, so importing the same feed again updates instead of
//! duplicating.

use super::stream::{Count, Counted, Input, JsonArray, Source, Step, json_error};
use super::{Batch, ImportError, ImportOptions};
use crate::config::SiteConfig;
use crate::domain::{ArticleInput, Lang, Status, markup};
use jiff::Timestamp;
use quick_xml::events::Event;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// The longest lead we derive from a body when the feed gives no summary, in characters.
const DERIVED_LEAD: usize = 400;

/// Reads a whole feed held in memory into `batch`.
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

/// The largest channel head (everything before the first item) kept to read items by; a
/// document with more before its first item is not a feed this reader takes.
const MAX_HEAD: usize = 16 << 20;

/// A feed read entry by entry. XML feeds are scanned for their items and read a chunk at a
/// time as the channel's head plus those items; a JSON Feed's `items` are streamed. Either
/// way memory holds one chunk of entries, and the feed parser sees a small feed of the same
/// channel each time.
pub struct Reader<'a> {
    path: PathBuf,
    input: Input,
    site: &'a SiteConfig,
    options: &'a ImportOptions,
    now: Timestamp,
    kind: Kind,
    /// Entries read so far.
    items: u64,
}

enum Kind {
    Xml(XmlItems),
    Json { head: serde_json::Map<String, serde_json::Value>, items: JsonArray },
}

impl<'a> Reader<'a> {
    pub fn open(
        path: &Path,
        input: &Input,
        site: &'a SiteConfig,
        options: &'a ImportOptions,
        now: Timestamp,
    ) -> Result<Reader<'a>, ImportError> {
        let mut first = input.open().map_err(|e| Input::unreadable(path, e))?;
        let json = loop {
            let buffered = first.fill_buf().map_err(|e| Input::unreadable(path, e))?;
            match buffered.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(i) => break buffered[i..].starts_with(b"{"),
                None if buffered.is_empty() => break false,
                None => {
                    let n = buffered.len();
                    first.consume(n);
                }
            }
        };
        let kind = if json {
            let head: JsonHead = serde_json::from_reader(first).map_err(|e| json_error(path, &e))?;
            let items = super::stream::json_array(input, vec![Step::Key("items")])
                .map_err(|e| Input::unreadable(path, e))?;
            Kind::Json { head: head.0, items }
        } else {
            let mut counted = Counted::new(input.open().map_err(|e| Input::unreadable(path, e))?);
            counted.record = Some(Vec::new());
            Kind::Xml(XmlItems {
                reader: quick_xml::Reader::from_reader(counted),
                buf: Vec::new(),
                stack: Vec::new(),
                head: None,
                base: 0,
            })
        };
        Ok(Reader { path: path.into(), input: input.clone(), site, options, now, kind, items: 0 })
    }

    fn unreadable_feed(&self, location: String, message: impl std::fmt::Display) -> ImportError {
        ImportError::Invalid {
            path: self.path.clone(),
            location,
            message: format!("not a readable RSS, Atom or JSON feed: {message}"),
        }
    }

    /// The next `max` entries (or fewer at the end) as a small feed, and whether more remain.
    fn next_feed(&mut self, max: usize) -> Result<(Option<feed_rs::model::Feed>, bool), ImportError> {
        let first = self.items + 1;
        let mut more = true;
        // Each entry with the offset in the file where it starts (XML), or as JSON.
        let mut xml_items: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut json_items: Vec<serde_json::Value> = Vec::new();
        while xml_items.len() + json_items.len() < max {
            let got = match &mut self.kind {
                Kind::Json { items, .. } => match items.next() {
                    Some(item) => {
                        json_items.push(item.map_err(|e| json_error(&self.path, &e))?);
                        true
                    }
                    None => false,
                },
                Kind::Xml(xml) => match xml.next_item() {
                    Ok(Some(item)) => {
                        xml_items.push(item);
                        true
                    }
                    Ok(None) => false,
                    Err(fault) => {
                        return Err(self.unreadable_feed(self.input.locate(fault.offset), fault.message));
                    }
                },
            };
            if !got {
                more = false;
                break;
            }
        }
        let count = xml_items.len() + json_items.len();
        self.items += count as u64;
        if count == 0 && first > 1 {
            return Ok((None, more));
        }
        let document = self.document(&xml_items, json_items.clone());
        match feed_rs::parser::parse(document.as_slice()) {
            Ok(feed) => Ok((Some(feed), more)),
            Err(e) => {
                // Read the entries one by one to name the one that breaks, and where it is.
                for (i, (offset, item)) in xml_items.iter().enumerate() {
                    let single = self.document(std::slice::from_ref(&(*offset, item.clone())), Vec::new());
                    if let Err(e) = feed_rs::parser::parse(single.as_slice()) {
                        let location = format!("{} (entry {})", self.input.locate(*offset), first + i as u64);
                        return Err(self.unreadable_feed(location, e));
                    }
                }
                for (i, item) in json_items.into_iter().enumerate() {
                    let single = self.document(&[], vec![item]);
                    if let Err(e) = feed_rs::parser::parse(single.as_slice()) {
                        return Err(self.unreadable_feed(format!("entry {}", first + i as u64), e));
                    }
                }
                Err(self.unreadable_feed("document".into(), e))
            }
        }
    }

    /// A feed of the channel's head and these entries.
    fn document(&mut self, xml_items: &[(u64, Vec<u8>)], json_items: Vec<serde_json::Value>) -> Vec<u8> {
        match &mut self.kind {
            Kind::Xml(xml) => xml.document(xml_items),
            Kind::Json { head, .. } => {
                let mut feed = head.clone();
                feed.insert("items".into(), serde_json::Value::Array(json_items));
                serde_json::to_vec(&feed).unwrap_or_default()
            }
        }
    }

    /// A chunk's entries into the batch; `first` numbers the first one.
    fn entries_into(
        &self,
        feed: feed_rs::model::Feed,
        first: u64,
        skip: u64,
        batch: &mut Batch,
    ) -> Result<(), ImportError> {
        let (path, site, options, now) = (self.path.as_path(), self.site, self.options, self.now);
        let feed_lang = feed.language.as_deref().and_then(|l| Lang::parse(l.split(['-', '_']).next()?).ok());
        for (offset, entry) in feed.entries.into_iter().enumerate() {
            let number = first + offset as u64;
            if number <= skip {
                continue;
            }
            let location = format!("entry {number}");
            let invalid = |message: String| ImportError::Invalid {
                path: path.into(),
                location: location.clone(),
                message,
            };
            let title = markup::plain_title(entry.title.as_ref().map(|t| t.content.as_str()).unwrap_or(""));
            // An entry with only a summary (RSS items that carry just a `<description>`) has it
            // as its text; it is not shown twice, as lead and again as body.
            let content =
                entry.content.as_ref().and_then(|c| c.body.clone()).filter(|b| !b.trim().is_empty());
            let summary = entry.summary.as_ref().map(|s| s.content.clone()).filter(|s| !s.trim().is_empty());
            let (body_html, lead) = match (content, summary) {
                (Some(body), Some(summary)) => (markup::sanitize_html(&body), markup::plain_text(&summary)),
                (Some(body), None) => {
                    let body_html = markup::sanitize_html(&body);
                    let lead = shorten(&markup::plain_text(&body_html), DERIVED_LEAD);
                    (body_html, lead)
                }
                (None, Some(summary)) => (markup::sanitize_html(&summary), String::new()),
                (None, None) => (String::new(), String::new()),
            };
            // Categories become tags (their label where the feed gives one); internal ones that
            // cannot be a tag are dropped rather than refusing the entry.
            let tags: Vec<String> = entry
                .categories
                .iter()
                .map(|c| c.label.clone().unwrap_or_else(|| c.term.clone()))
                .filter(|name| crate::domain::tag::normalize(std::slice::from_ref(name)).is_ok())
                .take(crate::domain::tag::MAX_TAGS)
                .collect();
            let lead = shorten(&lead, crate::domain::article::MAX_LEAD);
            let when = entry.published.or(entry.updated).map(|d| d.timestamp());
            let publish_at = match when {
                Some(s) => {
                    Timestamp::from_second(s).map_err(|_| invalid(format!("date: {s} is out of range")))?
                }
                None => now,
            };
            let external_id = if entry.id.trim().is_empty() {
                entry.links.first().map(|l| l.href.clone())
            } else {
                Some(entry.id.clone())
            };
            let lang = options
                .lang
                .clone()
                .or_else(|| feed_lang.clone())
                .unwrap_or_else(|| site.default_language.clone());
            let input = ArticleInput {
                external_id: external_id.map(|id| id.chars().take(crate::domain::article::MAX_KEY).collect()),
                translation_key: None,
                lang,
                section_slug: options.section.clone().unwrap_or_else(|| "news".into()),
                slug: None,
                title,
                lead,
                body_html,
                status: Status::Published,
                publish_at,
                created_at: None,
                updated_at: entry.updated.map(|d| d.timestamp()).and_then(|s| Timestamp::from_second(s).ok()),
                tags: crate::domain::tag::normalize(&tags).unwrap_or_default(),
                extras: crate::domain::ArticleExtras {
                    bylines: entry
                        .authors
                        .iter()
                        .map(|a| markup::plain_title(&a.name))
                        .filter(|n| !n.is_empty())
                        .collect(),
                    ..Default::default()
                },
            };
            input.validate(&site.languages).map_err(|e| {
                let t = input.title.chars().take(60).collect::<String>();
                invalid(if t.is_empty() { e.to_string() } else { format!("'{t}': {e}") })
            })?;
            batch.articles.push(input);
            batch.origins.push((path.into(), location.clone()));
        }
        Ok(())
    }
}

impl Source for Reader<'_> {
    fn read_chunk(&mut self, batch: &mut Batch, max: usize, skip: u64) -> Result<bool, ImportError> {
        if skip > 0 {
            batch.report.resumed_after = skip;
        }
        loop {
            let first = self.items + 1;
            let room = max.saturating_sub(batch.articles.len());
            if room == 0 {
                return Ok(true);
            }
            let (feed, more) = self.next_feed(room.min(super::CHUNK))?;
            if let Some(feed) = feed {
                self.entries_into(feed, first, skip, batch)?;
            }
            if !more {
                return Ok(false);
            }
        }
    }

    fn items_read(&self) -> u64 {
        self.items
    }

    fn bytes_read(&self) -> u64 {
        match &self.kind {
            Kind::Xml(xml) => xml.reader.get_ref().bytes,
            Kind::Json { items, .. } => items.bytes_read(),
        }
    }
}

/// A JSON Feed's members other than `items` (counted in passing, not kept).
struct JsonHead(serde_json::Map<String, serde_json::Value>);

impl<'de> serde::Deserialize<'de> for JsonHead {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<JsonHead, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = JsonHead;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON Feed object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsonHead, A::Error> {
                let mut head = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    if key == "items" {
                        map.next_value::<Count>()?;
                    } else {
                        let value = map.next_value::<serde_json::Value>()?;
                        head.insert(key, value);
                    }
                }
                Ok(JsonHead(head))
            }
        }
        de.deserialize_map(Visit)
    }
}

/// Where an XML document stops being one (a byte offset in the file), and why.
struct XmlFault {
    offset: u64,
    message: String,
}

/// What the scan needs of an XML event, owned, so the reader can be used again at once.
enum Seen {
    Start { item: bool, name: Vec<u8> },
    EmptyItem,
    End,
    Eof,
    Other,
}

/// Whether an element named `local` inside the open elements `stack` is an entry: `item` in
/// an RSS channel (or an RSS 1.0 document), `entry` in an Atom feed.
fn is_item(stack: &[Vec<u8>], local: &[u8]) -> bool {
    let parent = stack.last().map(|p| p.rsplit(|b| *b == b':').next().unwrap_or(p));
    matches!((local, parent), (b"item", Some(b"channel" | b"RDF")) | (b"entry", Some(b"feed")))
}

/// An XML feed's items, found by a plain XML scan that keeps the bytes it has read since the
/// current item began (and, once, the channel's head before the first item).
struct XmlItems {
    reader: quick_xml::Reader<Counted<Box<dyn BufRead + Send>>>,
    buf: Vec<u8>,
    /// Open elements' names.
    stack: Vec<Vec<u8>>,
    /// The document before the first item, and the closing tags of what is open there.
    head: Option<(Vec<u8>, Vec<u8>)>,
    /// Offset in the file of the first recorded byte.
    base: u64,
}

impl XmlItems {
    fn recorded(&mut self) -> &mut Vec<u8> {
        self.reader.get_mut().record.get_or_insert_with(Vec::new)
    }

    /// Forgets what was read before `offset`.
    fn forget_before(&mut self, offset: u64) {
        let cut = usize::try_from(offset - self.base).unwrap_or(usize::MAX);
        let recorded = self.recorded();
        recorded.drain(..cut.min(recorded.len()));
        self.base = offset;
    }

    /// The next item's offset in the file and bytes, or `None` at the end.
    fn next_item(&mut self) -> Result<Option<(u64, Vec<u8>)>, XmlFault> {
        let mut item_start: Option<(u64, usize)> = None;
        loop {
            // Positions as the file has them: quick-xml does not count a byte-order mark.
            let start = self.reader.get_ref().bytes;
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(event) => event,
                Err(e) => {
                    let skipped = self.reader.get_ref().bytes.saturating_sub(self.reader.buffer_position());
                    return Err(XmlFault {
                        offset: self.reader.error_position() + skipped,
                        message: e.to_string(),
                    });
                }
            };
            let end = self.reader.get_ref().bytes;
            let seen = match event {
                Event::Start(e) => Seen::Start {
                    item: item_start.is_none() && is_item(&self.stack, e.local_name().as_ref()),
                    name: e.name().as_ref().to_vec(),
                },
                Event::Empty(e) if item_start.is_none() && is_item(&self.stack, e.local_name().as_ref()) => {
                    Seen::EmptyItem
                }
                Event::End(_) => Seen::End,
                Event::Eof => Seen::Eof,
                _ => Seen::Other,
            };
            match seen {
                Seen::Start { item, name } => {
                    if item {
                        item_start = Some((start, self.stack.len()));
                        self.keep_head(start);
                    }
                    self.stack.push(name);
                }
                Seen::EmptyItem => {
                    self.keep_head(start);
                    return Ok(Some((start, self.take(start, end))));
                }
                Seen::End => {
                    self.stack.pop();
                    if let Some((at, depth)) = item_start
                        && self.stack.len() == depth
                    {
                        return Ok(Some((at, self.take(at, end))));
                    }
                }
                Seen::Eof => {
                    if let Some(open) = self.stack.last() {
                        let name = String::from_utf8_lossy(open).into_owned();
                        return Err(XmlFault {
                            offset: end,
                            message: format!("the document ends inside <{name}>"),
                        });
                    }
                    return Ok(None);
                }
                Seen::Other => {}
            }
            if item_start.is_none() {
                if self.head.is_some() {
                    self.forget_before(end);
                } else if self.recorded().len() > MAX_HEAD {
                    return Err(XmlFault {
                        offset: end,
                        message: "no item or entry in the first 16 MB".into(),
                    });
                }
            }
        }
    }

    /// At the first item: the head is the document so far; the tail closes what is open.
    fn keep_head(&mut self, at: u64) {
        if self.head.is_some() {
            return;
        }
        let cut = usize::try_from(at - self.base).unwrap_or(usize::MAX);
        let head = self.recorded()[..cut].to_vec();
        let tail: Vec<u8> =
            self.stack.iter().rev().flat_map(|name| [b"</".as_slice(), name, b">"].concat()).collect();
        self.head = Some((head, tail));
        self.forget_before(at);
    }

    /// The bytes from `from` to `to`, forgetting everything before `to`.
    fn take(&mut self, from: u64, to: u64) -> Vec<u8> {
        let (a, b) = (from - self.base, to - self.base);
        let bytes =
            self.recorded()[usize::try_from(a).unwrap_or(0)..usize::try_from(b).unwrap_or(0)].to_vec();
        self.forget_before(to);
        bytes
    }

    /// A feed of the channel's head and these items; without items (a document that has
    /// none), the whole document read.
    fn document(&mut self, items: &[(u64, Vec<u8>)]) -> Vec<u8> {
        match &self.head {
            Some((head, tail)) => {
                let mut document = head.clone();
                for (_, item) in items {
                    document.extend_from_slice(item);
                }
                document.extend_from_slice(tail);
                document
            }
            None => self.recorded().clone(),
        }
    }
}

/// Cuts text to at most `max` characters at a word boundary, adding an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Press</title><link>https://old.example/</link>
<description>d</description><language>ru-RU</language>
<item><title>Встреча &lt;script&gt;alert(1)&lt;/script&gt;министров</title>
<link>https://old.example/news/1</link><guid>https://old.example/news/1</guid>
<pubDate>Mon, 21 Apr 2025 10:00:00 +0300</pubDate>
<category>Москва</category><category>ОДКБ</category><category>!!!</category>
<description><![CDATA[<p onmouseover="x()">Текст <a href="javascript:alert(1)">ссылка</a></p><img src=x onerror=alert(1)>]]></description>
</item></channel></rss>"#;

    #[test]
    fn reads_rss_and_removes_hostile_html() {
        let mut batch = Batch::default();
        let site = SiteConfig::default_for_test();
        read(Path::new("f.xml"), RSS, &site, &ImportOptions::default(), Timestamp::UNIX_EPOCH, &mut batch)
            .unwrap();
        let a = &batch.articles[0];
        assert_eq!(a.lang.as_str(), "ru");
        assert_eq!(a.title, "Встреча министров");
        assert_eq!(a.external_id.as_deref(), Some("https://old.example/news/1"));
        assert_eq!(a.publish_at, "2025-04-21T07:00:00Z".parse().unwrap());
        let body = a.body_html.to_lowercase();
        assert!(
            !body.contains("javascript") && !body.contains("onerror") && !body.contains("onmouseover"),
            "{body}"
        );
        // The description is the text, once: not the lead as well.
        assert_eq!(a.lead, "");
        assert!(body.contains("текст"), "{body}");
        // A symbol-only category is a tag too (its address is made of code points).
        assert_eq!(a.tags, vec!["Москва", "ОДКБ", "!!!"]);
    }

    #[test]
    fn broken_feeds_are_refused_with_the_file_name() {
        let mut batch = Batch::default();
        let site = SiteConfig::default_for_test();
        let e = read(
            Path::new("bad.xml"),
            "<rss><channel><item>",
            &site,
            &ImportOptions::default(),
            Timestamp::UNIX_EPOCH,
            &mut batch,
        );
        let message = e.unwrap_err().to_string();
        assert!(message.starts_with("bad.xml: "), "{message}");
    }

    #[test]
    fn a_byte_order_mark_is_no_obstacle_and_faults_name_their_entry() {
        let site = SiteConfig::default_for_test();
        let feed = "\u{feff}<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>P</title>\n\
                    <item><title>One</title><guid>1</guid></item>\n\
                    <item><title>Two</title><guid>2</guid></item>\n</channel></rss>";
        let mut batch = Batch::default();
        read(Path::new("bom.rss"), feed, &site, &ImportOptions::default(), Timestamp::UNIX_EPOCH, &mut batch)
            .unwrap();
        let titles: Vec<&str> = batch.articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["One", "Two"]);

        // The mark's three bytes count where the file breaks, too.
        let broken = feed.replace("<title>Two</title>", "<title>Two</titel>");
        let mut batch = Batch::default();
        let e = read(
            Path::new("bom.rss"),
            &broken,
            &site,
            &ImportOptions::default(),
            Timestamp::UNIX_EPOCH,
            &mut batch,
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("bom.rss: line 4, column 17: not a readable"), "{e}");
    }

    #[test]
    fn shortening_keeps_words() {
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 10), "short");
    }
}
