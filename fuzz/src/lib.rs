//! What the fuzz targets share: each target's body (so a target file is one line, and a saved
//! input can be replayed by the same code), and the checks a result must pass beyond "did not
//! panic".
//!
//! Inputs are the raw bytes the server would see (a feed document, a JSON Lines file, what a
//! reader typed, an uploaded file, a multipart body), with no control bytes in front, so a seed
//! or a crash file can be read, edited and fed to `newsdesk import` or `curl` as it is.

use newsdesk::config::SiteConfig;
use newsdesk::domain::markup;
use std::sync::LazyLock;

pub mod search;
pub mod upload;

/// The site every target runs against: the test defaults (English and Russian, Moscow time).
pub static SITE: LazyLock<SiteConfig> = LazyLock::new(SiteConfig::default_for_test);

/// A fixed "now", so that the same input always takes the same path.
pub fn now() -> jiff::Timestamp {
    jiff::Timestamp::from_second(1_750_000_000).expect("a valid time")
}

/// Panics that are known bugs in a dependency, reported upstream and harmless in release
/// builds, that would otherwise stop every run of a target at once: (where the panic happens,
/// what its message says). Set `NEWSDESK_FUZZ_NO_SUPPRESS=1` to see them crash again; delete an
/// entry once the dependency is fixed. docs/fuzzing.md lists them with their reasons.
const KNOWN_PANICS: &[(&str, &str)] = &[
    // tantivy 0.27.0: an excluded phrase (`-"loss and"`) makes `Exclude` ask a phrase scorer
    // that is already exhausted to seek backwards, which a debug_assert! in
    // `PhraseScorer::seek_danger` refuses (release builds skip the check).
    // fuzz/regressions/search_query/excluded-phrase.txt
    ("src/query/phrase_query/phrase_scorer.rs", "should be greater than or equal to doc"),
];

static SUPPRESSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Installs (once) a panic hook in front of libFuzzer's that lets the [`KNOWN_PANICS`] unwind
/// like any panic instead of aborting the process, and notes that one happened. Call it where
/// a target sets up; then check [`take_suppressed`] when the code under test reports a failure.
pub fn suppress_known_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    if std::env::var_os("NEWSDESK_FUZZ_NO_SUPPRESS").is_some() {
        return;
    }
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map(|l| l.file()).unwrap_or("");
            let message = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or("");
            if KNOWN_PANICS.iter().any(|(f, m)| file.ends_with(f) && message.contains(m)) {
                SUPPRESSED.store(true, std::sync::atomic::Ordering::SeqCst);
                static SAID: std::sync::Once = std::sync::Once::new();
                SAID.call_once(|| {
                    eprintln!("fuzz: suppressed a known panic (see KNOWN_PANICS): {file}: {message}")
                });
                return;
            }
            previous(info)
        }));
    });
}

/// Whether a known panic was suppressed since the last call.
pub fn take_suppressed() -> bool {
    SUPPRESSED.swap(false, std::sync::atomic::Ordering::SeqCst)
}

/// `html_sanitizer`: the one sanitizing policy, Markdown rendering, HTML to text, and escaping.
pub fn html_sanitizer(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    check_sanitized(&markup::sanitize_html(text));
    check_sanitized(&markup::markdown_to_html(text));
    let _ = markup::plain_text(text);
    let escaped = markup::escape(text);
    assert!(!escaped.contains(['<', '>', '"', '\'']), "escape left markup in {escaped:?}");
    let paragraphs = markup::paragraphs_to_html(text);
    assert!(
        !paragraphs.replace("<p>", "").replace("</p>", "").contains(['<', '>']),
        "paragraphs_to_html left markup in {paragraphs:?}"
    );
}

/// `import_feed`: an RSS 2.0, Atom 1.0 or JSON Feed document, as `newsdesk import --format feed`
/// reads it, and the same bytes as a WordPress export (`--format wxr`); the file must be
/// UTF-8, as `io::read_file` requires.
pub fn import_feed(data: &[u8]) {
    use newsdesk::io::{Batch, ImportOptions, feed, wxr};
    let Ok(content) = std::str::from_utf8(data) else { return };
    let _ = newsdesk::io::Format::detect(content);
    let mut batch = Batch::default();
    let path = std::path::Path::new("fuzz.xml");
    if feed::read(path, content, &SITE, &ImportOptions::default(), now(), &mut batch).is_ok() {
        check_batch(&batch);
    }
    let mut batch = Batch::default();
    if wxr::read(path, content, &SITE, &ImportOptions::default(), now(), &mut batch).is_ok() {
        check_batch(&batch);
        // Old addresses are paths of this site, never another host or a header break.
        let keys = batch.articles.iter().flat_map(|a| a.extras.old_paths.iter()).chain(batch.redirects.iter().map(|r| &r.0));
        for key in keys {
            assert!(key.starts_with('/') && !key.starts_with("//") && !key.contains(['\r', '\n']), "{key:?}");
        }
    }
}

/// `import_jsonl`: a Newsdesk JSON Lines file, as `newsdesk import --format jsonl` reads it,
/// and the same bytes as a Ghost export (`--format ghost`).
pub fn import_jsonl(data: &[u8]) {
    use newsdesk::io::{Batch, ImportOptions, ghost, jsonl};
    let Ok(content) = std::str::from_utf8(data) else { return };
    let _ = newsdesk::io::Format::detect(content);
    let mut batch = Batch::default();
    let path = std::path::Path::new("fuzz.jsonl");
    if jsonl::read(path, content, &SITE, &ImportOptions::default(), &mut batch).is_ok() {
        check_batch(&batch);
    }
    let mut batch = Batch::default();
    if ghost::read(path, content, &SITE, &ImportOptions::default(), now(), &mut batch).is_ok() {
        check_batch(&batch);
    }
}

/// What an accepted import must hold: one origin per article, and bodies that obey the
/// policy. Titles and leads are plain text that templates escape, so they are not checked.
fn check_batch(batch: &newsdesk::io::Batch) {
    assert_eq!(batch.articles.len(), batch.origins.len());
    for article in &batch.articles {
        check_sanitized(&article.body_html);
    }
}

/// Tags the policy in `domain::markup` keeps, and the attributes each may carry (besides the
/// generic `title` and `lang`).
const TAGS: &[(&str, &[&str])] = &[
    ("p", &[]),
    ("br", &[]),
    ("hr", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("blockquote", &[]),
    ("q", &[]),
    ("cite", &[]),
    ("ul", &[]),
    ("ol", &["start"]),
    ("li", &[]),
    ("a", &["href", "rel"]),
    ("img", &["src", "alt", "width", "height"]),
    ("figure", &[]),
    ("figcaption", &[]),
    ("table", &[]),
    ("caption", &[]),
    ("thead", &[]),
    ("tbody", &[]),
    ("tfoot", &[]),
    ("tr", &[]),
    ("th", &["colspan", "rowspan", "scope"]),
    ("td", &["colspan", "rowspan"]),
    ("strong", &[]),
    ("b", &[]),
    ("em", &[]),
    ("i", &[]),
    ("u", &[]),
    ("s", &[]),
    ("sub", &[]),
    ("sup", &[]),
    ("small", &[]),
    ("code", &[]),
    ("pre", &[]),
    ("abbr", &[]),
    ("dl", &[]),
    ("dt", &[]),
    ("dd", &[]),
    ("mark", &[]),
];

/// URL schemes the policy lets through in `href` and `src`.
const SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Checks sanitized HTML the way a browser would read it: every tag is one the policy keeps,
/// every attribute one it allows on that tag, no comments, and every `href`/`src` is relative
/// or uses an allowed scheme (after undoing what the serializer escaped and what browsers
/// ignore: tabs and newlines anywhere, control characters and spaces in front).
///
/// The sanitizer's output is html5ever's serialization: `<` in text is always `&lt;`, tags are
/// `<name attr="value">` with values in double quotes (`"` inside as `&quot;`, while `<` and
/// `>` may appear raw inside a value). Anything else is reported too.
pub fn check_sanitized(html: &str) {
    let fail = |at: usize, why: &str| -> ! {
        panic!("sanitized HTML breaks the policy at byte {at}: {why}\n--- output ---\n{html}\n---")
    };
    let b = html.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            if b[i] == b'>' {
                fail(i, "a raw '>' in text");
            }
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let name = &html[name_start..i];
        if name.is_empty() {
            fail(start, "a '<' that does not start a tag (comment, doctype, or unescaped text)");
        }
        let Some((_, allowed)) = TAGS.iter().find(|(t, _)| *t == name) else {
            fail(start, &format!("tag <{name}> is not in the policy"));
        };
        if closing {
            if b.get(i) != Some(&b'>') {
                fail(i, "a closing tag with more than a name");
            }
            i += 1;
            continue;
        }
        loop {
            match b.get(i) {
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(b' ') => i += 1,
                Some(_) => {
                    let attr_start = i;
                    while i < b.len() && !matches!(b[i], b'=' | b' ' | b'>') {
                        i += 1;
                    }
                    let attr = &html[attr_start..i];
                    if b.get(i) != Some(&b'=') || b.get(i + 1) != Some(&b'"') {
                        fail(i, &format!("attribute {attr} is not written as name=\"value\""));
                    }
                    i += 2;
                    let value_start = i;
                    while i < b.len() && b[i] != b'"' {
                        i += 1;
                    }
                    if i >= b.len() {
                        fail(value_start, "an attribute value that does not end");
                    }
                    let value = &html[value_start..i];
                    i += 1;
                    if !(["title", "lang"].contains(&attr) || allowed.contains(&attr)) {
                        fail(attr_start, &format!("attribute {attr} is not allowed on <{name}>"));
                    }
                    if attr == "href" || attr == "src" {
                        if let Some(scheme) = url_scheme(value) {
                            if !SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
                                fail(value_start, &format!("a {scheme}: URL in {attr}"));
                            }
                        }
                    }
                }
                None => fail(start, "a tag that does not end"),
            }
        }
    }
}

/// The scheme a browser would see in an attribute value as serialized, if any.
fn url_scheme(serialized: &str) -> Option<String> {
    let value = serialized.replace("&quot;", "\"").replace("&nbsp;", "\u{a0}").replace("&amp;", "&");
    let value: String = value.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let value = value.trim_start_matches(|c: char| c <= ' ');
    let end = value.find(':')?;
    let scheme = &value[..end];
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_ok && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then(|| scheme.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_accepts_policy_output_and_refuses_the_rest() {
        check_sanitized(
            r#"<p title="a <b> &quot;c&quot;">x &lt; y</p><a href="/x" rel="noopener noreferrer">l</a>"#,
        );
        for bad in [
            "<script>x</script>",
            "<p onclick=\"x\">",
            "<a href=\"javascript:x\">",
            "<a href=\" java\tscript:x\">",
            "<!-- c -->",
            "a > b",
        ] {
            assert!(std::panic::catch_unwind(|| check_sanitized(bad)).is_err(), "{bad}");
        }
    }
}
