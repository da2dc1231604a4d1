//! Importing an existing site's history from its RSS 2.0, Atom 1.0 or JSON Feed document.
//! Feeds arrive from outside and often carry hostile or broken HTML: titles and leads are
//! reduced to text, bodies go through the one sanitizing policy, and each entry's feed id (or
//! link) becomes its external id, so importing the same feed again updates instead of
//! duplicating.

use super::{Batch, ImportError, ImportOptions};
use crate::config::SiteConfig;
use crate::domain::{ArticleInput, Lang, Status, markup};
use jiff::Timestamp;
use std::path::Path;

/// The longest lead we derive from a body when the feed gives no summary, in characters.
const DERIVED_LEAD: usize = 400;

pub fn read(
    path: &Path,
    content: &str,
    site: &SiteConfig,
    options: &ImportOptions,
    now: Timestamp,
    batch: &mut Batch,
) -> Result<(), ImportError> {
    let feed = feed_rs::parser::parse(content.as_bytes()).map_err(|e| {
        // The feed parser does not say where XML breaks; a second, plain XML reading does.
        let (location, message) = match xml_fault(content) {
            Some((offset, fault)) => (super::line_and_column(&content.as_bytes()[..offset]), fault),
            None => {
                let message = e.to_string();
                (super::locate_offset(content, &message).unwrap_or_else(|| "document".into()), message)
            }
        };
        ImportError::Invalid {
            path: path.into(),
            location,
            message: format!("not a readable RSS, Atom or JSON feed: {message}"),
        }
    })?;
    let feed_lang = feed.language.as_deref().and_then(|l| Lang::parse(l.split(['-', '_']).next()?).ok());
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let location = format!("entry {}", i + 1);
        let invalid =
            |message: String| ImportError::Invalid { path: path.into(), location: location.clone(), message };
        let title = markup::plain_title(entry.title.as_ref().map(|t| t.content.as_str()).unwrap_or(""));
        // An entry with only a summary (RSS items that carry just a `<description>`) has it
        // as its text; it is not shown twice, as lead and again as body.
        let content = entry.content.as_ref().and_then(|c| c.body.clone()).filter(|b| !b.trim().is_empty());
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

/// Cuts text to at most `max` characters at a word boundary, adding an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let end = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..end].trim_end())
}

/// Where an XML document stops being well-formed (byte offset and what is wrong), if it does.
fn xml_fault(content: &str) -> Option<(usize, String)> {
    if !content.trim_start().starts_with('<') {
        return None;
    }
    let mut reader = quick_xml::Reader::from_str(content);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return None,
            Ok(_) => {}
            Err(e) => {
                let offset = usize::try_from(reader.error_position()).unwrap_or(0).min(content.len());
                let offset = (0..=offset).rev().find(|i| content.is_char_boundary(*i)).unwrap_or(0);
                return Some((offset, e.to_string()));
            }
        }
    }
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
    fn shortening_keeps_words() {
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("short", 10), "short");
    }
}
