//! Article bodies: one sanitizing policy for every way HTML enters the system (imports, the
//! editor, the API), and Markdown for people who prefer to write it.
//!
//! Bodies are stored already sanitized, so the hot read path serves them without re-parsing;
//! the policy lives here, in one function, so it cannot drift between entry points.

use std::collections::HashSet;
use std::sync::LazyLock;

static POLICY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let tags: HashSet<&str> = [
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "q",
        "cite",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "figure",
        "figcaption",
        "table",
        "caption",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "small",
        "code",
        "pre",
        "abbr",
        "dl",
        "dt",
        "dd",
        "mark",
    ]
    .into_iter()
    .collect();
    let mut builder = ammonia::Builder::default();
    builder
        .tags(tags)
        .generic_attributes(HashSet::from(["title", "lang"]))
        .tag_attributes(
            [
                ("a", HashSet::from(["href"])),
                ("img", HashSet::from(["src", "alt", "width", "height"])),
                ("th", HashSet::from(["colspan", "rowspan", "scope"])),
                ("td", HashSet::from(["colspan", "rowspan"])),
                ("ol", HashSet::from(["start"])),
                ("abbr", HashSet::from(["title"])),
            ]
            .into_iter()
            .collect(),
        )
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("noopener noreferrer"))
        .strip_comments(true);
    builder
});

/// Cleans HTML from outside: only structural and inline formatting survives; scripts, styles,
/// event handlers, `javascript:` and `data:` URLs, iframes and forms are dropped.
///
/// Images from other hosts become links to them: loading them would tell a third party who
/// reads what (tracking pixels), and the site's content security policy blocks them anyway.
pub fn sanitize_html(html: &str) -> String {
    let cleaned = POLICY.clean(&without_controls(html)).to_string();
    let cleaned = external_images_to_links(&cleaned);
    // Word and feed exports often wrap everything in empty paragraphs; they only add gaps.
    cleaned.replace("<p></p>", "").trim().to_string()
}

/// Rewrites `<img>` elements whose `src` is on another host as links. Works on the cleaner's
/// own output, whose tags and quoting are regular: attributes are `name="value"` with `&` and
/// `"` escaped inside values.
fn external_images_to_links(html: &str) -> String {
    if !html.contains("<img") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<img") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + len + 1];
        rest = &rest[start + len + 1..];
        let src = attribute(tag, "src").unwrap_or_default();
        let external = ["http://", "https://", "//"].iter().any(|p| src.to_ascii_lowercase().starts_with(p));
        if !external {
            out.push_str(tag);
            continue;
        }
        let alt = attribute(tag, "alt").filter(|a| !a.trim().is_empty()).unwrap_or(src);
        // Attribute values keep `<` and `>` raw; as element text they must be escaped.
        let text = alt.replace('<', "&lt;").replace('>', "&gt;");
        out.push_str(&format!("<a href=\"{src}\" rel=\"noopener noreferrer\">{text}</a>"));
    }
    out.push_str(rest);
    out
}

/// The raw (still escaped) value of `name="…"` in a tag of sanitized HTML, whose attributes
/// are always written `name="value"`.
pub fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Renders Markdown (CommonMark with tables) to sanitized HTML.
pub fn markdown_to_html(markdown: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    sanitize_html(&out)
}

/// Reduces HTML to its text, with entities decoded and white space folded; used for leads,
/// descriptions and texts that arrive as HTML. `&lt;i&gt;` in HTML is the text `<i>`, and
/// stays so; titles, which must never carry markup, go through [`plain_title`].
pub fn plain_text(html: &str) -> String {
    text_once(html)
}

/// A title as plain text. Feeds often escape a title's HTML once more (`&amp;lt;b&amp;gt;`,
/// which XML decoding turns into `&lt;b&gt;`), so what comes out of one reduction can still be
/// markup; reductions repeat until none is left. A title holds no tags however many times it
/// had been escaped (a `<` that starts no tag, as in "a < b", stays).
pub fn plain_title(html: &str) -> String {
    let mut text = text_once(html);
    for _ in 0..4 {
        if !text.contains('<') {
            break;
        }
        let again = text_once(&text);
        if again == text {
            break;
        }
        text = again;
    }
    text
}

/// Text without the characters HTML forbids in documents: C0 controls other than tab, line
/// feed and carriage return, DEL, C1 controls and noncharacters. They arrive from pasted text
/// and other systems' exports, and would make every page that shows them invalid.
pub fn without_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let forbidden = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c as u32, 0xFDD0..=0xFDEF)
            || (c as u32 & 0xFFFE) == 0xFFFE
    };
    if text.chars().any(forbidden) {
        std::borrow::Cow::Owned(text.chars().map(|c| if forbidden(c) { ' ' } else { c }).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

fn text_once(html: &str) -> String {
    let html = without_controls(html);
    let html = html.as_ref();
    static TEXT_ONLY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut builder = ammonia::Builder::empty();
        builder.clean_content_tags(HashSet::from(["script", "style", "template", "noscript"]));
        builder
    });
    let text = TEXT_ONLY.clean(html).to_string();
    let decoded = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod control_tests {
    use super::*;

    #[test]
    fn characters_html_forbids_never_reach_a_page() {
        assert_eq!(plain_title("Talks\u{6} resume\u{99}"), "Talks resume");
        assert_eq!(plain_text("a\u{7f}b\u{fffe}c"), "a b c");
        let body = sanitize_html("<p>x\u{1}y\u{fdd0}</p>");
        assert!(!body.chars().any(|c| c == '\u{1}' || c == '\u{fdd0}'), "{body:?}");
        assert_eq!(plain_text("tabs\tand\nlines"), "tabs and lines");
        assert!(matches!(without_controls("plain"), std::borrow::Cow::Borrowed(_)));
    }
}

/// Wraps plain text paragraphs (separated by blank lines) in `<p>`, escaping as it goes.
pub fn paragraphs_to_html(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes text for use in HTML element content or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_javascript_links_do_not_survive() {
        let dirty = r#"<p onclick="steal()">Hi<script>alert(1)</script></p>
            <a href="javascript:alert(2)">x</a><img src="x" onerror="alert(3)">
            <iframe src="https://evil.example"></iframe><style>body{}</style>
            <a href="JaVaScRiPt:alert(4)">y</a><svg onload="alert(5)"></svg>
            <img src="data:image/svg+xml;base64,PHN2Zz4=">"#;
        let clean = sanitize_html(dirty);
        let lower = clean.to_lowercase();
        for bad in ["script", "onclick", "onerror", "javascript", "iframe", "style", "onload", "data:"] {
            assert!(!lower.contains(bad), "{bad} survived in {clean}");
        }
        assert!(clean.contains("<p>Hi</p>"));
    }

    #[test]
    fn images_from_other_hosts_become_links() {
        let out = sanitize_html(
            r#"<p>a<img src="https://tracker.example/p.gif?u=1&amp;v=2" alt="x<y"> b <img src="/media/1.jpg" alt="ok"><IMG SRC="//cdn.example/i.png"></p>"#,
        );
        assert!(!out.contains("tracker.example/p.gif?u=1&amp;v=2\" alt"), "{out}");
        assert!(
            out.contains(
                r#"<a href="https://tracker.example/p.gif?u=1&amp;v=2" rel="noopener noreferrer">x&lt;y</a>"#
            ),
            "{out}"
        );
        assert!(out.contains(r#"<img src="/media/1.jpg" alt="ok">"#), "local photos stay: {out}");
        assert!(
            out.contains(
                r#"<a href="//cdn.example/i.png" rel="noopener noreferrer">//cdn.example/i.png</a>"#
            ),
            "{out}"
        );
        assert_eq!(out.matches("<img").count(), 1, "{out}");
    }

    #[test]
    fn titles_escaped_twice_lose_their_markup_too() {
        assert_eq!(plain_title("&lt;b&gt;Bold&lt;/b&gt; news"), "Bold news");
        assert_eq!(plain_title("&lt;!--&lt;script&gt;"), "");
        assert_eq!(plain_title("a < b and c > d"), "a < b and c > d");
        assert_eq!(plain_text("Cats &lt;i&gt; and mice"), "Cats <i> and mice", "texts keep literal tags");
    }

    #[test]
    fn structure_survives() {
        let html = r#"<h2>Title</h2><blockquote><p>Quote</p></blockquote><ul><li>One</li></ul>
            <table><tr><td colspan="2">Cell</td></tr></table><a href="https://csto.example/">link</a>"#;
        let clean = sanitize_html(html);
        assert!(clean.contains("<h2>Title</h2>"));
        assert!(clean.contains("<blockquote>"));
        assert!(clean.contains("<li>One</li>"));
        assert!(clean.contains(r#"<td colspan="2">"#));
        assert!(clean.contains(r#"rel="noopener noreferrer""#));
    }

    #[test]
    fn markdown_renders_and_is_sanitized() {
        let html = markdown_to_html(
            "## Head\n\n> quoted\n\n<script>x()</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |",
        );
        assert!(html.contains("<h2>Head</h2>"));
        assert!(html.contains("<blockquote>"));
        assert!(html.contains("<table>"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn plain_text_decodes_and_folds() {
        assert_eq!(plain_text("<p>Tom &amp; Jerry&nbsp;<b>met</b>\n\n again</p>"), "Tom & Jerry met again");
        assert_eq!(plain_text("<script>alert(1)</script>Safe"), "Safe");
    }

    #[test]
    fn paragraphs_are_escaped() {
        assert_eq!(paragraphs_to_html("a <b>\n\nsecond"), "<p>a &lt;b&gt;</p>\n<p>second</p>");
    }
}
