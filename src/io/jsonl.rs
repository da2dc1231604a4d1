//! Newsdesk JSON Lines: one JSON object per line, `"type": "section"` or `"type": "article"`
//! (the default). The format is documented in `docs/import-format.md`; `newsdesk export` writes
//! it and `newsdesk import` reads it back without loss.

use super::stream::{Counted, Input, Source};
use super::{Batch, ImportError, ImportOptions};
use crate::config::SiteConfig;
use crate::domain::{ArticleInput, Lang, Status, dates, markup};
use crate::storage::SectionInput;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// A section line.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SectionRecord {
    pub slug: String,
    pub names: BTreeMap<String, String>,
    #[serde(default)]
    pub position: i64,
}

/// An article line. Dates are RFC 3339 (`2025-04-21T10:30:00+03:00`) or local to the site's
/// time zone (`2025-04-21 10:30`, `2025-04-21`).
#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    pub title: String,
    #[serde(default)]
    pub lead: String,
    /// HTML; sanitized on import.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    /// Markdown, for hand-written files; used when `body_html` is absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_markdown: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub published_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
    /// Tag names, most important first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Who it is credited to (people or a desk), in credit order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bylines: Vec<String>,
    /// Addresses the article had before (on an imported site, or here under an earlier
    /// slug), each answered by a permanent redirect to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub old_paths: Vec<String>,
}

/// A static page line.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct PageRecord {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    pub title: String,
    /// HTML; sanitized on import.
    #[serde(default)]
    pub body_html: String,
    /// `draft` or `published` (default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

/// A redirect line: an old address of a list or feed and the path it leads to now.
#[derive(Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedirectRecord {
    pub from: String,
    pub to: String,
}

fn invalid(path: &Path, line: usize, message: impl Into<String>) -> ImportError {
    ImportError::Invalid { path: path.into(), location: format!("line {line}"), message: message.into() }
}

/// Reads a whole JSON Lines document into `batch`, validating every line.
pub fn read(
    path: &Path,
    content: &str,
    site: &SiteConfig,
    options: &ImportOptions,
    batch: &mut Batch,
) -> Result<(), ImportError> {
    let input = Input::Bytes(std::sync::Arc::from(content.as_bytes()));
    let mut reader = Reader::open(path, &input, site, options)?;
    reader.read_chunk(batch, usize::MAX, 0)?;
    Ok(())
}

/// A JSON Lines file read line by line, in the memory of its longest line.
pub struct Reader<'a> {
    path: PathBuf,
    lines: Counted<Box<dyn BufRead + Send>>,
    site: &'a SiteConfig,
    options: &'a ImportOptions,
    /// Lines read so far.
    line: usize,
    /// Non-blank lines read so far.
    items: u64,
    buf: Vec<u8>,
}

impl<'a> Reader<'a> {
    pub fn open(
        path: &Path,
        input: &Input,
        site: &'a SiteConfig,
        options: &'a ImportOptions,
    ) -> Result<Reader<'a>, ImportError> {
        let lines = Counted::new(input.open().map_err(|e| Input::unreadable(path, e))?);
        Ok(Reader { path: path.into(), lines, site, options, line: 0, items: 0, buf: Vec::new() })
    }

    /// The next line without its line break, or `None` at the end of the file.
    fn next_line(&mut self) -> Result<Option<&str>, ImportError> {
        self.buf.clear();
        let read = self.lines.read_until(b'\n', &mut self.buf);
        let n = read.map_err(|e| Input::unreadable(&self.path, e))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        let mut text = std::str::from_utf8(&self.buf).map_err(|e| ImportError::Invalid {
            path: self.path.clone(),
            location: super::line_and_column(&self.buf[..e.valid_up_to()]).replacen(
                "line 1",
                &format!("line {}", self.line),
                1,
            ),
            message: "the file is not UTF-8 text".into(),
        })?;
        if self.line == 1 {
            text = text.trim_start_matches('\u{feff}');
        }
        Ok(Some(text.trim_end_matches(['\n', '\r'])))
    }
}

impl Source for Reader<'_> {
    fn read_chunk(&mut self, batch: &mut Batch, max: usize, skip: u64) -> Result<bool, ImportError> {
        if skip > 0 {
            batch.report.resumed_after = skip;
        }
        let (site, options) = (self.site, self.options);
        while batch.articles.len() + batch.pages.len() < max {
            let path = self.path.clone();
            let Some(line) = self.next_line()? else { return Ok(false) };
            if line.trim().is_empty() {
                continue;
            }
            let line = line.to_string();
            self.items += 1;
            if self.items <= skip {
                continue;
            }
            line_into(&path, self.line, &line, site, options, batch)?;
        }
        Ok(true)
    }

    fn items_read(&self) -> u64 {
        self.items
    }

    fn bytes_read(&self) -> u64 {
        self.lines.bytes
    }
}

/// One line into the batch.
fn line_into(
    path: &Path,
    n: usize,
    line: &str,
    site: &SiteConfig,
    options: &ImportOptions,
    batch: &mut Batch,
) -> Result<(), ImportError> {
    let mut value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| invalid(path, n, format!("not valid JSON: {e}")))?;
    let object = value.as_object_mut().ok_or_else(|| invalid(path, n, "expected a JSON object"))?;
    let kind = match object.remove("type") {
        None => "article".to_string(),
        Some(serde_json::Value::String(s)) => s,
        Some(other) => return Err(invalid(path, n, format!("type: expected a string, found {other}"))),
    };
    match kind.as_str() {
        "section" => {
            let r: SectionRecord =
                serde_json::from_value(value).map_err(|e| invalid(path, n, e.to_string()))?;
            batch.sections.push(section_input(r).map_err(|m| invalid(path, n, m))?);
        }
        "article" => {
            let r: ArticleRecord =
                serde_json::from_value(value).map_err(|e| invalid(path, n, e.to_string()))?;
            let input = article_input(r, site, options).map_err(|m| invalid(path, n, m))?;
            batch.articles.push(input);
            batch.origins.push((path.into(), format!("line {n}")));
        }
        "page" => {
            let r: PageRecord = serde_json::from_value(value).map_err(|e| invalid(path, n, e.to_string()))?;
            let lang = match (&r.lang, &options.lang) {
                (Some(code), _) => Lang::parse(code).map_err(|e| invalid(path, n, format!("lang: {e}")))?,
                (None, Some(lang)) => lang.clone(),
                (None, None) => site.default_language.clone(),
            };
            let published = match r.status.as_deref() {
                None | Some("published") => true,
                Some("draft") => false,
                Some(other) => {
                    return Err(invalid(
                        path,
                        n,
                        format!("status: '{other}' is neither draft nor published"),
                    ));
                }
            };
            let page = crate::domain::page::PageInput {
                external_id: r.external_id,
                lang,
                slug: r.slug,
                title: markup::plain_title(&r.title),
                body_html: markup::sanitize_html(&r.body_html),
                published,
                created_at: None,
            };
            page.validate(&site.languages).map_err(|e| invalid(path, n, e.to_string()))?;
            batch.pages.push(page);
        }
        "redirect" => {
            let r: RedirectRecord =
                serde_json::from_value(value).map_err(|e| invalid(path, n, e.to_string()))?;
            let from = crate::domain::redirect::source_key(&r.from)
                .ok_or_else(|| invalid(path, n, format!("from: '{}' is not a path", r.from)))?;
            let to = crate::web::redirect::local_target(&r.to)
                .ok_or_else(|| invalid(path, n, format!("to: '{}' is not a path of this site", r.to)))?;
            batch.redirects.push((from, to));
        }
        other => {
            return Err(invalid(
                path,
                n,
                format!("type: '{other}' is not one of 'article', 'section', 'page', 'redirect'"),
            ));
        }
    }
    Ok(())
}

fn section_input(r: SectionRecord) -> Result<SectionInput, String> {
    if !crate::domain::slug::is_valid(&r.slug) {
        return Err(format!("slug: '{}' must be lowercase letters, digits and single hyphens", r.slug));
    }
    if crate::domain::slug::RESERVED.contains(&r.slug.as_str()) {
        return Err(format!("slug: '{}' is reserved for the site's own pages", r.slug));
    }
    if r.names.is_empty() || r.names.values().any(|n| n.trim().is_empty() || n.chars().count() > 100) {
        return Err("names: give each language a name of 1 to 100 characters".into());
    }
    for code in r.names.keys() {
        Lang::parse(code).map_err(|e| format!("names: {e}"))?;
    }
    Ok(SectionInput { slug: r.slug, names: r.names, position: r.position })
}

/// Turns a record into a validated article input; the error names the field.
pub fn article_input(
    r: ArticleRecord,
    site: &SiteConfig,
    options: &ImportOptions,
) -> Result<ArticleInput, String> {
    let tz = &site.time_zone;
    let lang = match (&r.lang, &options.lang) {
        (Some(code), _) => Lang::parse(code).map_err(|e| format!("lang: {e}"))?,
        (None, Some(lang)) => lang.clone(),
        (None, None) => site.default_language.clone(),
    };
    let date = |field: &str, raw: &str| dates::parse(raw, tz).map_err(|e| format!("{field}: {e}"));
    let body_html = match (&r.body_html, &r.body_markdown) {
        (Some(html), _) => markup::sanitize_html(html),
        (None, Some(md)) => markup::markdown_to_html(md),
        (None, None) => String::new(),
    };
    let status = match r.status.as_deref() {
        None => Status::Published,
        Some(s) => Status::parse(s)
            .ok_or_else(|| format!("status: '{s}' is not one of draft, scheduled, published"))?,
    };
    let input = ArticleInput {
        external_id: r.external_id,
        translation_key: r.translation_key,
        lang,
        section_slug: r.section.or_else(|| options.section.clone()).unwrap_or_else(|| "news".into()),
        slug: r.slug,
        title: markup::plain_title(&r.title),
        lead: markup::plain_text(&r.lead),
        body_html,
        status,
        publish_at: date("published_at", &r.published_at)?,
        created_at: r.created_at.as_deref().map(|d| date("created_at", d)).transpose()?,
        updated_at: r.updated_at.as_deref().map(|d| date("updated_at", d)).transpose()?,
        tags: crate::domain::tag::normalize(&r.tags).map_err(|e| format!("tags: {e}"))?,
        extras: crate::domain::ArticleExtras {
            bylines: r.bylines.iter().map(|n| markup::plain_title(n)).filter(|n| !n.is_empty()).collect(),
            old_paths: r
                .old_paths
                .iter()
                .map(|p| {
                    crate::domain::redirect::source_key(p)
                        .ok_or_else(|| format!("old_paths: '{p}' is not a path"))
                })
                .collect::<Result<Vec<_>, _>>()?,
            ..Default::default()
        },
    };
    input.validate(&site.languages).map_err(|e| e.to_string())?;
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_str(text: &str) -> Result<Batch, ImportError> {
        let mut batch = Batch::default();
        read(
            Path::new("in.jsonl"),
            text,
            &SiteConfig::default_for_test(),
            &ImportOptions::default(),
            &mut batch,
        )?;
        Ok(batch)
    }

    fn error_of(text: &str) -> String {
        read_str(text).unwrap_err().to_string()
    }

    #[test]
    fn reads_sections_and_articles() {
        let batch = read_str(concat!(
            r#"{"type":"section","slug":"secretariat","names":{"en":"Secretariat","ru":"Секретариат"}}"#, "\n\n",
            r#"{"title":"Hello <b>world</b>","lead":"Lead","body_html":"<p onclick=x>Body</p><script>1</script>","published_at":"2025-04-21 10:00","lang":"ru","section":"secretariat"}"#,
        ))
        .unwrap();
        assert_eq!(batch.sections[0].slug, "secretariat");
        let a = &batch.articles[0];
        assert_eq!(a.title, "Hello world");
        assert_eq!(a.body_html, "<p>Body</p>");
        assert_eq!(a.lang.as_str(), "ru");
        assert_eq!(a.publish_at, "2025-04-21T07:00:00Z".parse().unwrap());
        assert_eq!(batch.origins[0].1, "line 3");
    }

    #[test]
    fn errors_name_the_line_and_field() {
        let e = error_of("{\"title\":\"A\",\"published_at\":\"2025-13-45\"}");
        assert!(e.contains("in.jsonl: line 1: published_at:"), "{e}");
        let e = error_of("{\"title\":\"A\",\"published_at\":\"2025-01-01\"}\n{oops");
        assert!(e.contains("line 2: not valid JSON"), "{e}");
        let e = error_of("{\"title\":\"A\",\"published_at\":\"2025-01-01\",\"titel\":1}");
        assert!(e.contains("unknown field `titel`"), "{e}");
        let e = error_of("{\"published_at\":\"2025-01-01\"}");
        assert!(e.contains("missing field `title`"), "{e}");
        let e = error_of(&format!("{{\"title\":\"{}\",\"published_at\":\"2025-01-01\"}}", "x".repeat(400)));
        assert!(e.contains("title: is 400 characters long"), "{e}");
        let e = error_of("{\"title\":\"A\",\"published_at\":\"2025-01-01\",\"lang\":\"de\"}");
        assert!(e.contains("lang: 'de' is not one of the site's languages"), "{e}");
        let e = error_of("{\"type\":\"section\",\"slug\":\"archive\",\"names\":{\"en\":\"A\"}}");
        assert!(e.contains("reserved"), "{e}");
        let e = error_of("{\"title\":\"A\",\"published_at\":\"2025-01-01\",\"status\":\"live\"}");
        assert!(e.contains("status: 'live'"), "{e}");
    }
}
