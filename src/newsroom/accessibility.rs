//! The accessibility check an article passes before it is published: what a screen-reader
//! user, a keyboard user or someone with low vision would stumble on in its text. Pictures
//! without a text alternative always stop a publication; the other findings warn, or stop it
//! too where the site asks for that ([`Strictness`]).
//!
//! The text is the sanitized body ([`crate::domain::markup::sanitize_html`]): well-formed
//! HTML that a streaming XML reader walks in one pass, tolerant of HTML's void elements.

use super::FieldError;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Whether findings other than missing text alternatives stop a publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// They are shown in the editor; publishing goes ahead.
    Warn,
    /// They stop the publication like a missing text alternative does.
    Block,
}

impl Strictness {
    pub fn as_str(self) -> &'static str {
        match self {
            Strictness::Warn => "warn",
            Strictness::Block => "block",
        }
    }

    pub fn parse(value: &str) -> Strictness {
        if value == "block" { Strictness::Block } else { Strictness::Warn }
    }
}

/// One thing the check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The field it is in (`title`, `body_html`, `lead_image`).
    pub field: &'static str,
    /// The message's key in `locales/*.toml`; its `{detail}` names the place.
    pub key: &'static str,
    pub detail: String,
    /// Stops a publication whatever the site's strictness (a picture nobody can read).
    pub always_blocks: bool,
}

impl Finding {
    fn new(field: &'static str, key: &'static str, detail: impl Into<String>) -> Finding {
        Finding { field, key, detail: detail.into(), always_blocks: key == "a11y_missing_alt" }
    }

    pub fn blocks(&self, strictness: Strictness) -> bool {
        self.always_blocks || strictness == Strictness::Block
    }

    pub fn to_error(&self) -> FieldError {
        FieldError::new(self.field, self.key).with("detail", &self.detail)
    }
}

/// Link texts that do not say where a link goes, in the site's languages.
const VAGUE_LINKS: &[&str] = &[
    "click here",
    "click",
    "here",
    "this",
    "this link",
    "link",
    "more",
    "read more",
    "learn more",
    "details",
    "see more",
    "здесь",
    "тут",
    "нажмите",
    "нажмите здесь",
    "по ссылке",
    "по этой ссылке",
    "ссылка",
    "подробнее",
    "далее",
    "читать",
    "читать далее",
    "узнать больше",
];

/// Words in a picture's name or description that suggest it is a picture of text.
const TEXT_PICTURE_HINTS: &[&str] = &[
    "screenshot",
    "screen shot",
    "scan",
    "press release",
    "press-release",
    "text of",
    "скриншот",
    "снимок экрана",
    "скан",
    "пресс-релиз",
    "текст",
];

/// A description this long usually transcribes text shown in the picture.
const LONG_ALT: usize = 150;

/// A paragraph needs this many letters before capitals count as shouting rather than an
/// abbreviation.
const CAPS_MIN_LETTERS: usize = 20;

/// Checks an article's title and body, and its lead photo's text alternative (`None` without
/// a lead photo). Findings come in reading order.
pub fn check(title: &str, body_html: &str, lead_photo_alt: Option<&str>) -> Vec<Finding> {
    let mut findings = Vec::new();
    if is_shouting(title, 12) {
        findings.push(Finding::new("title", "a11y_all_caps", excerpt(title)));
    }
    if let Some(alt) = lead_photo_alt
        && alt.trim().is_empty()
    {
        findings.push(Finding::new("lead_image", "a11y_missing_alt", "lead photo"));
    }
    findings.extend(check_body(body_html));
    findings
}

/// What is being read inside the body.
#[derive(Default)]
struct Walk {
    findings: Vec<Finding>,
    /// The last heading level; the article's title is the page's H1.
    heading: u8,
    /// The text of the link being read, with pictures' descriptions.
    link: Option<String>,
    /// The text of the paragraph being read.
    paragraph: Option<String>,
}

fn check_body(body_html: &str) -> Vec<Finding> {
    let mut reader = Reader::from_str(body_html);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    let mut walk = Walk { heading: 1, ..Walk::default() };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => walk.open(&e),
            Ok(Event::Empty(e)) => {
                walk.open(&e);
                walk.close(e.name().as_ref());
            }
            Ok(Event::End(e)) => walk.close(e.name().as_ref()),
            Ok(Event::Text(t)) => walk.text(&String::from_utf8_lossy(&t)),
            Ok(Event::GeneralRef(r)) => {
                let ch = r.resolve_char_ref().ok().flatten();
                let name = String::from_utf8_lossy(&r).into_owned();
                let text = match (ch, quick_xml::escape::resolve_predefined_entity(&name)) {
                    (Some(c), _) => c.to_string(),
                    (None, Some(s)) => s.to_string(),
                    (None, None) => " ".to_string(),
                };
                walk.text(&text);
            }
            Ok(Event::Eof) => break,
            // Sanitized HTML always reads; anything else is not worth a refusal here.
            Err(_) => break,
            Ok(_) => {}
        }
    }
    walk.findings
}

impl Walk {
    fn open(&mut self, e: &BytesStart<'_>) {
        let name = e.name().as_ref().to_ascii_lowercase();
        match name.as_slice() {
            b"img" => self.image(e),
            b"a" => self.link = Some(String::new()),
            b"p" => self.paragraph = Some(String::new()),
            [b'h', level @ b'1'..=b'6'] => {
                let level = level - b'0';
                if level > self.heading + 1 {
                    let detail = format!("H{} → H{level}", self.heading);
                    self.findings.push(Finding::new("body_html", "a11y_heading_skip", detail));
                }
                self.heading = level;
            }
            _ => {}
        }
    }

    fn close(&mut self, name: &[u8]) {
        match name.to_ascii_lowercase().as_slice() {
            b"a" => {
                if let Some(text) = self.link.take() {
                    let words = normalize(&text);
                    if words.is_empty() {
                        self.findings.push(Finding::new("body_html", "a11y_empty_link", ""));
                    } else if VAGUE_LINKS.contains(&words.as_str()) {
                        self.findings.push(Finding::new("body_html", "a11y_vague_link", text.trim()));
                    }
                }
            }
            b"p" => {
                if let Some(text) = self.paragraph.take()
                    && is_shouting(&text, CAPS_MIN_LETTERS)
                {
                    self.findings.push(Finding::new("body_html", "a11y_all_caps", excerpt(&text)));
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        for buffer in [&mut self.link, &mut self.paragraph].into_iter().flatten() {
            buffer.push_str(text);
        }
    }

    fn image(&mut self, e: &BytesStart<'_>) {
        let mut alt = None;
        let mut src = String::new();
        for attribute in e.html_attributes().flatten() {
            let value = String::from_utf8_lossy(&attribute.value).into_owned();
            match attribute.key.as_ref() {
                b"alt" => alt = Some(value),
                b"src" => src = value,
                _ => {}
            }
        }
        let file = src.rsplit('/').next().unwrap_or_default().to_string();
        let alt = alt.unwrap_or_default();
        if alt.trim().is_empty() {
            self.findings.push(Finding::new("body_html", "a11y_missing_alt", file));
            return;
        }
        if let Some(link) = &mut self.link {
            link.push_str(&alt);
        }
        let haystack = format!("{} {}", alt.to_lowercase(), file.to_lowercase().replace(['-', '_'], " "));
        if alt.chars().count() > LONG_ALT || TEXT_PICTURE_HINTS.iter().any(|hint| haystack.contains(hint)) {
            self.findings.push(Finding::new("body_html", "a11y_image_of_text", excerpt(&alt)));
        }
    }
}

/// Lowercase words without surrounding punctuation: "Read more »" → "read more".
fn normalize(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    words.join(" ")
}

/// Whether text of at least `min_letters` letters is nearly all capitals.
fn is_shouting(text: &str, min_letters: usize) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < min_letters {
        return false;
    }
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    upper * 10 >= letters.len() * 9
}

/// The first words of a text, to name where a finding is.
fn excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.key).collect()
    }

    #[test]
    fn a_clean_article_passes() {
        let body = "<h2>Results</h2><p>The council met on <a href=\"/en/news/x\">the annual report</a>.</p>\
                    <h3>Details</h3><p>NATO and the UN &amp; others agreed.</p>\
                    <p><img src=\"/media/1/photo.webp\" alt=\"Delegates at the table\"></p>";
        assert_eq!(check("Council meets", body, Some("Delegates")), Vec::new());
    }

    #[test]
    fn each_problem_is_found_where_it_is() {
        let body = "<h3>Too deep</h3><p><img src=\"/media/a/chart.png\"></p>\
                    <p>Details <a href=\"/x\">click here</a> and <a href=\"/y\"> </a>, \
                    <a href=\"/z\">Подробнее&nbsp;»</a>.</p>\
                    <p>THE MINISTERS WILL MEET IN GENEVA ON MONDAY.</p>\
                    <p><img src=\"/media/b/screenshot-2025.png\" alt=\"Statement\"></p>";
        let found = check("SUMMIT OPENS IN GENEVA TODAY", body, Some(""));
        assert_eq!(
            keys(&found),
            vec![
                "a11y_all_caps",
                "a11y_missing_alt",
                "a11y_heading_skip",
                "a11y_missing_alt",
                "a11y_vague_link",
                "a11y_empty_link",
                "a11y_vague_link",
                "a11y_all_caps",
                "a11y_image_of_text",
            ],
            "{found:#?}"
        );
        assert_eq!(found[2].detail, "H1 → H3");
        assert_eq!(found[3].detail, "chart.png");
        assert_eq!(found[6].detail, "Подробнее »");
        assert!(found[1].always_blocks && found[3].always_blocks);
        assert!(!found[4].blocks(Strictness::Warn) && found[4].blocks(Strictness::Block));
    }

    #[test]
    fn a_linked_picture_speaks_for_its_link_and_abbreviations_are_not_shouting() {
        let body = "<p><a href=\"/x\"><img src=\"/m/logo.png\" alt=\"Annual report 2025\"></a></p>\
                    <p>The OSCE, UNDP and WHO met.</p><h2>A</h2><h2>B</h2><h3>C</h3><h2>D</h2>";
        assert_eq!(check("OSCE meets UNDP", body, None), Vec::new());
    }
}
