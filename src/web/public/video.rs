//! Videos in an article's text as click-to-load placeholders. An editor pastes a YouTube,
//! VK Video or Rutube address on a line of its own; the text keeps that plain link, and pages
//! show a box with a play button instead. Nothing is requested from the video's host until the
//! reader presses it: without JavaScript the box is a link to the video's page on its host, with
//! `app.js` the host's player (YouTube's privacy-enhanced domain) takes the box's place.

use crate::domain::markup;
use crate::domain::video::{self, Video};
use crate::i18n;

/// Turns each paragraph that holds nothing but a link to (or the address of) a known host's
/// video into a placeholder. The text is sanitized HTML: paragraphs are bare `<p>` and
/// attributes are written `name="value"`.
pub fn placeholders(body_html: &str, lang: &str) -> String {
    if !["youtu", "vk.", "vkvideo", "rutube"].iter().any(|h| body_html.contains(h)) {
        return body_html.to_string();
    }
    let mut out = String::with_capacity(body_html.len() + 512);
    let mut rest = body_html;
    while let Some(start) = rest.find("<p>") {
        let Some(len) = rest[start..].find("</p>") else { break };
        let inner = &rest[start + "<p>".len()..start + len];
        out.push_str(&rest[..start]);
        match lone_address(inner).and_then(|a| video::recognise(&a)) {
            Some(v) => out.push_str(&placeholder(&v, lang)),
            None => out.push_str(&rest[start..start + len + "</p>".len()]),
        }
        rest = &rest[start + len + "</p>".len()..];
    }
    out.push_str(rest);
    out
}

/// The address a paragraph consists of: a bare address, or one link and nothing else.
fn lone_address(inner: &str) -> Option<String> {
    let inner = inner.trim();
    let address = if !inner.contains('<') {
        inner
    } else {
        let tag_end = inner.find('>')?;
        let (tag, text) = (&inner[..=tag_end], &inner[tag_end + 1..]);
        let text = text.strip_suffix("</a>")?;
        if !tag.starts_with("<a ") || text.contains('<') {
            return None;
        }
        markup::attribute(tag, "href")?
    };
    Some(address.replace("&amp;", "&"))
}

/// The box that stands for a video until a reader starts it.
fn placeholder(v: &Video, lang: &str) -> String {
    let host = v.host.name();
    let label = i18n::text(lang, "video_play", &[("host", host)]);
    let note = i18n::text(lang, "video_privacy", &[("host", host)]);
    let title = i18n::text(lang, "video_title", &[("host", host)]);
    format!(
        "<figure class=\"video\"><a class=\"video-link\" href=\"{}\" data-player=\"{}\" data-title=\"{}\">\
         <span class=\"video-play\" aria-hidden=\"true\"></span><span class=\"video-label\">{}</span></a>\
         <figcaption>{}</figcaption></figure>",
        markup::escape(&v.watch_url),
        markup::escape(&v.player_url),
        markup::escape(&title),
        markup::escape(&label),
        markup::escape(&note),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_link_or_address_becomes_a_placeholder() {
        let body = "<p>Before.</p><p><a href=\"https://youtu.be/dQw4w9WgXcQ\" rel=\"noopener noreferrer\">\
                    https://youtu.be/dQw4w9WgXcQ</a></p><p>https://rutube.ru/video/0123456789abcdef0123456789abcdef/</p>\
                    <p>After.</p>";
        let out = placeholders(body, "en");
        assert_eq!(out.matches("<figure class=\"video\">").count(), 2, "{out}");
        assert!(out.starts_with("<p>Before.</p><figure") && out.ends_with("</figure><p>After.</p>"), "{out}");
        assert!(out.contains("href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""));
        assert!(
            out.contains("data-player=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\"")
        );
        assert!(out.contains(
            "data-player=\"https://rutube.ru/play/embed/0123456789abcdef0123456789abcdef?autoplay=1\""
        ));
        assert!(!out.contains("<iframe"), "nothing loads by itself");
    }

    #[test]
    fn links_inside_sentences_and_other_sites_stay_links() {
        let body = "<p>See <a href=\"https://youtu.be/dQw4w9WgXcQ\">the video</a> here.</p>\
                    <p><a href=\"https://example.org/watch?v=dQw4w9WgXcQ\">x</a></p>\
                    <p><a href=\"https://vk.com/video-1_2\"><strong>bold</strong></a></p>";
        assert_eq!(placeholders(body, "en"), body);
    }

    #[test]
    fn the_placeholder_speaks_the_page_language() {
        let out = placeholders("<p>https://vk.com/video-1_2?list=a&amp;b=c</p>", "ru");
        assert!(out.contains("VK Video") && out.contains("видео"), "{out}");
        assert!(
            out.contains("data-player=\"https://vkvideo.ru/video_ext.php?oid=-1&amp;id=2&amp;autoplay=1\""),
            "{out}"
        );
    }
}
