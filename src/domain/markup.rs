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
pub fn sanitize_html(html: &str) -> String {
    let cleaned = POLICY.clean(html).to_string();
    // Word and feed exports often wrap everything in empty paragraphs; they only add gaps.
    cleaned.replace("<p></p>", "").trim().to_string()
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
/// titles and descriptions that arrive as HTML from feeds.
pub fn plain_text(html: &str) -> String {
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
