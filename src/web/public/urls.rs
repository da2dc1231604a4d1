//! The site's URL scheme, in one place. Every public URL begins with the language.

use crate::domain::Lang;

pub fn home(lang: &Lang) -> String {
    format!("/{lang}/")
}

pub fn archive(lang: &Lang) -> String {
    format!("/{lang}/archive")
}

pub fn archive_year(lang: &Lang, year: i16) -> String {
    format!("/{lang}/archive/{year}")
}

pub fn archive_month(lang: &Lang, year: i16, month: i8) -> String {
    format!("/{lang}/archive/{year}/{month:02}")
}

pub fn archive_day(lang: &Lang, year: i16, month: i8, day: i8) -> String {
    format!("/{lang}/archive/{year}/{month:02}/{day:02}")
}

pub fn section(lang: &Lang, section: &str) -> String {
    format!("/{lang}/{section}")
}

pub fn article(lang: &Lang, section: &str, slug: &str) -> String {
    format!("/{lang}/{section}/{slug}")
}

pub fn tag(lang: &Lang, slug: &str) -> String {
    format!("/{lang}/tag/{slug}")
}

/// The page of a byline (a person or a desk) and the news credited to it.
pub fn author(lang: &Lang, slug: &str) -> String {
    format!("/{lang}/author/{slug}")
}

/// Percent-encodes text for a URL's query or a `mailto:` field (spaces as `%20`, which every
/// reader of such links understands).
pub fn percent(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Links that share an article on the services readers of the site use, as plain links: no
/// script and no request to any of them until the reader clicks.
pub fn share_links(url: &str, title: &str) -> Vec<(&'static str, String)> {
    let (u, t) = (percent(url), percent(title));
    vec![
        ("Telegram", format!("https://t.me/share/url?url={u}&text={t}")),
        ("VK", format!("https://vk.com/share.php?url={u}&title={t}")),
        ("X", format!("https://x.com/intent/post?url={u}&text={t}")),
        ("Facebook", format!("https://www.facebook.com/sharer/sharer.php?u={u}")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_links_carry_the_address_and_title_encoded() {
        let links = share_links("https://news.example/ru/news/vstrecha", "Встреча & «итоги»");
        let telegram = &links[0].1;
        assert!(telegram.starts_with(
            "https://t.me/share/url?url=https%3A%2F%2Fnews.example%2Fru%2Fnews%2Fvstrecha&text=%D0%92"
        ));
        assert!(!telegram.contains(' '));
        assert_eq!(telegram.matches('&').count(), 1, "the title's own & is encoded: {telegram}");
        assert_eq!(percent("a b&c"), "a%20b%26c");
    }
}
