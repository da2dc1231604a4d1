//! URL slugs. Titles in any script become readable ASCII slugs: Cyrillic is transliterated
//! ("Москва" becomes "moskva") rather than percent-encoded, so links stay legible when pasted
//! into e-mails and messengers.

/// The longest slug we generate; long enough to stay unique, short enough to read.
pub const MAX_SLUG_LEN: usize = 80;

/// Path segments the site uses for its own pages; a section may not take these slugs.
pub const RESERVED: &[&str] = &[
    "admin",
    "api",
    "archive",
    "author",
    "corrections",
    "documents",
    "events",
    "feed",
    "feeds",
    "galleries",
    "healthz",
    "media",
    "media-about-us",
    "search",
    "sitemap",
    "static",
    "tag",
];

/// Turns a title into a slug: transliterated, lowercase, words joined by hyphens, cut at a word
/// boundary. Returns an empty string when the text has no letters or digits at all.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if ch != '\'' && !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.len() > MAX_SLUG_LEN {
        let cut = slug[..MAX_SLUG_LEN].rfind('-').unwrap_or(MAX_SLUG_LEN);
        slug.truncate(cut);
    }
    slug
}

/// An imported system's slug as this site can use it: kept when already canonical, else
/// transliterated (`москва` → `moskva`); `None` when nothing usable is left or the result is
/// reserved, so the title's slug is taken instead.
pub fn adopt(old: &str) -> Option<String> {
    let slug = if is_valid(old) { old.to_string() } else { slugify(old) };
    Some(slug).filter(|s| !s.is_empty() && !RESERVED.contains(&s.as_str()))
}

/// Whether `slug` is already in the canonical form [`slugify`] produces (used to validate slugs
/// that arrive from imports and forms).
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 120
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_cyrillic() {
        assert_eq!(
            slugify("Заседание Совета коллективной безопасности ОДКБ"),
            "zasedanie-soveta-kollektivnoi-bezopasnosti-odkb"
        );
        assert_eq!(slugify("Москва, 21 апреля"), "moskva-21-aprelia");
    }

    #[test]
    fn english_titles_keep_their_words() {
        assert_eq!(
            slugify("The CSTO Secretary General met the Tajik Defense Minister!"),
            "the-csto-secretary-general-met-the-tajik-defense-minister"
        );
        assert_eq!(slugify("Russia's  \"second track\" — dialogue"), "russias-second-track-dialogue");
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let slug = slugify(&"word ".repeat(40));
        assert!(slug.len() <= MAX_SLUG_LEN);
        assert!(slug.ends_with("word"));
        assert!(is_valid(&slug));
    }

    #[test]
    fn text_without_letters_gives_empty_slug() {
        assert_eq!(slugify("!!! — ???"), "");
    }

    #[test]
    fn validity() {
        assert!(is_valid("news-2025"));
        for bad in ["", "News", "a--b", "-a", "a-", "a/b", "a b", "новости"] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }
}
