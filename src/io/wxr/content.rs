//! A WordPress post's stored text made into what WordPress itself would have shown: the
//! `[caption]` shortcode as a figure, Gutenberg's block comments and `<!--more-->` gone,
//! paragraphs from blank lines (WordPress's `wpautop`, which classic posts rely on), and embeds
//! (a bare video URL on its own line, `[embed]…[/embed]`) as plain links, so nothing is
//! requested from a video host until the reader follows one. The result still goes through
//! the one sanitizing policy.

/// Elements that start a block: text beginning with one is not wrapped in `<p>`.
const BLOCK_TAGS: [&str; 17] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "figure",
    "table",
    "pre",
    "hr",
    "dl",
];

/// The marker WordPress places between the teaser and the rest of a post.
pub const MORE: &str = "<!--more-->";

/// The post's text as readers saw it, before sanitizing.
pub fn render(raw: &str) -> String {
    let is_blocks = raw.contains("<!-- wp:");
    let text = raw.replace("\r\n", "\n");
    let text = strip_comments(&text);
    let text = captions(&text);
    let text = embeds(&text);
    if is_blocks { text } else { autop(&text) }
}

/// Splits the text at `<!--more-->` (in any of WordPress's spellings, with a custom label or
/// the Gutenberg `more` block around it): the teaser and the rest.
pub fn split_more(raw: &str) -> Option<(&str, &str)> {
    let start = raw.find("<!--more")?;
    let end = start + raw[start..].find("-->")? + 3;
    let rest = raw[end..].trim_start();
    let rest = rest.strip_prefix("<!-- /wp:more -->").unwrap_or(rest);
    let teaser = raw[..start].trim_end();
    let teaser = teaser.strip_suffix("<!-- wp:more -->").unwrap_or(teaser);
    Some((teaser, rest))
}

/// Removes HTML comments (Gutenberg's `<!-- wp:paragraph -->` and the like).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `[caption id="…" align="…" width="300"]<img …> The caption[/caption]` →
/// `<figure><img …><figcaption>The caption</figcaption></figure>`; the image may be wrapped
/// in a link, and the caption may also be a `caption="…"` attribute (older WordPress).
fn captions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[caption") {
        let Some(open_end) = rest[start..].find(']').map(|i| start + i) else { break };
        let Some(close) = rest[open_end..].find("[/caption]").map(|i| open_end + i) else { break };
        out.push_str(&rest[..start]);
        let attributes = &rest[start + "[caption".len()..open_end];
        let inner = rest[open_end + 1..close].trim();
        // The image (or the link around it) comes first; what follows is the caption.
        let media_end = if inner.starts_with("<a") {
            inner.find("</a>").map(|i| i + 4)
        } else {
            inner.find('>').map(|i| i + 1)
        }
        .unwrap_or(0);
        let (media, mut caption) = (inner[..media_end].trim(), inner[media_end..].trim().to_string());
        if caption.is_empty() {
            caption = attribute(attributes, "caption").unwrap_or_default();
        }
        out.push_str("\n\n<figure>");
        out.push_str(media);
        if !caption.is_empty() {
            out.push_str("<figcaption>");
            out.push_str(&caption);
            out.push_str("</figcaption>");
        }
        out.push_str("</figure>\n\n");
        rest = &rest[close + "[/caption]".len()..];
    }
    out.push_str(rest);
    out
}

/// The value of `name="…"` in a shortcode's attributes.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let start = attributes.find(&needle)? + needle.len();
    let end = start + attributes[start..].find('"')?;
    Some(attributes[start..end].to_string())
}

/// Embeds as links: `[embed]URL[/embed]`, and a line holding nothing but an `http(s)` URL
/// (how both the classic editor and Gutenberg's embed block store a video).
fn embeds(text: &str) -> String {
    let text = text.replace("[embed]", "\n").replace("[/embed]", "\n");
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let url = line.trim();
        let bare = (url.starts_with("https://") || url.starts_with("http://"))
            && !url.contains(char::is_whitespace)
            && !url.contains(['<', '>', '"']);
        if bare {
            // Stored text is HTML already (`&amp;` in a query stays as it is).
            out.push_str(&format!("<p><a href=\"{url}\">{url}</a></p>\n"));
        } else {
            out.push_str(line);
        }
    }
    out
}

/// WordPress's `wpautop`, in short: blank lines separate paragraphs, a single newline inside
/// one is a line break; text that already starts with a block element is left alone.
fn autop(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for chunk in text.split("\n\n") {
        let chunk = chunk.trim();
        if chunk.is_empty() {
            continue;
        }
        if starts_with_block(chunk) {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            out.push_str(&chunk.lines().map(str::trim).collect::<Vec<_>>().join("<br>\n"));
            out.push_str("</p>");
        }
        out.push('\n');
    }
    out
}

fn starts_with_block(chunk: &str) -> bool {
    let Some(rest) = chunk.strip_prefix('<') else { return false };
    let name: String =
        rest.chars().take_while(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    BLOCK_TAGS.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_text_gets_paragraphs_and_line_breaks() {
        assert_eq!(
            render("First line\nsecond line\n\nNext “paragraph”."),
            "<p>First line<br>\nsecond line</p>\n<p>Next “paragraph”.</p>\n"
        );
        assert_eq!(render("<h2>Title</h2>\n\nText"), "<h2>Title</h2>\n<p>Text</p>\n");
    }

    #[test]
    fn captions_become_figures() {
        let raw = r#"Before

[caption id="attachment_11" align="alignnone" width="300"]<img class="size-full wp-image-11" src="/wp-content/uploads/2025/05/photo.jpg" alt="Hall" width="640" height="400" /> Caption text[/caption]

After"#;
        let html = render(raw);
        assert!(html.contains(r#"<figure><img class="size-full wp-image-11" src="/wp-content/uploads/2025/05/photo.jpg" alt="Hall" width="640" height="400" /><figcaption>Caption text</figcaption></figure>"#), "{html}");
        assert!(html.starts_with("<p>Before</p>") && html.trim_end().ends_with("<p>After</p>"), "{html}");
        let linked =
            render(r#"[caption width="1" caption="Old style"]<a href="/x"><img src="/y.jpg"></a>[/caption]"#);
        assert!(
            linked.contains(
                r#"<figure><a href="/x"><img src="/y.jpg"></a><figcaption>Old style</figcaption></figure>"#
            ),
            "{linked}"
        );
    }

    #[test]
    fn blocks_lose_their_comments_and_embeds_become_links() {
        let raw = "<!-- wp:paragraph -->\n<p>Text</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=abc\"} -->\n<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=abc&amp;t=1\n</div></figure>\n<!-- /wp:embed -->";
        let html = render(raw);
        assert!(!html.contains("wp:"), "{html}");
        assert!(html.contains("<p>Text</p>") && !html.contains("<p><p>"), "{html}");
        assert!(html.contains(r#"<a href="https://www.youtube.com/watch?v=abc&amp;t=1">"#), "{html}");
        assert!(
            render("[embed]https://rutube.ru/video/1/[/embed]")
                .contains(r#"<a href="https://rutube.ru/video/1/">"#)
        );
    }

    #[test]
    fn the_more_marker_splits_teaser_and_rest() {
        assert_eq!(split_more("Teaser\n<!--more-->\nRest"), Some(("Teaser", "Rest")));
        assert_eq!(split_more("T <!--more Read on--> R"), Some(("T", "R")));
        assert_eq!(split_more("<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->x"), Some(("", "x")));
        assert_eq!(split_more("No marker"), None);
        assert!(!render("A<!--more-->B").contains("more"));
    }
}
