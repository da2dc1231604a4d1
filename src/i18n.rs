//! UI strings per language. Locale files (`locales/*.toml`) are embedded in the binary; a
//! language without a file of its own falls back to English, key by key.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// The UI strings of one language, by key.
pub type Strings = BTreeMap<String, String>;

const LOCALES: &[(&str, &str)] =
    &[("en", include_str!("../locales/en.toml")), ("ru", include_str!("../locales/ru.toml"))];

static CATALOG: LazyLock<HashMap<&'static str, Strings>> = LazyLock::new(|| {
    LOCALES
        .iter()
        .map(|(code, text)| {
            let strings: Strings =
                toml::from_str(text).unwrap_or_else(|e| panic!("locales/{code}.toml is not valid: {e}"));
            (*code, strings)
        })
        .collect()
});

/// The strings for `lang`, English where the language has no locale file.
pub fn strings(lang: &str) -> &'static Strings {
    CATALOG.get(lang).unwrap_or_else(|| &CATALOG["en"])
}

/// One string, with `{name}` placeholders filled in.
pub fn text(lang: &str, key: &str, args: &[(&str, &str)]) -> String {
    let mut s =
        strings(lang).get(key).or_else(|| strings("en").get(key)).cloned().unwrap_or_else(|| key.to_string());
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// The language's own name for itself ("English", "Русский"), or its code.
pub fn language_name(lang: &str) -> String {
    CATALOG.get(lang).and_then(|s| s.get("lang_name")).cloned().unwrap_or_else(|| lang.to_uppercase())
}

/// A count written as the language writes numbers: digits grouped by thousands with the
/// locale's `thousands_separator` ("10,000", "10 000" with a no-break space).
pub fn number(lang: &str, n: u64) -> String {
    let digits = n.to_string();
    if digits.len() <= 4 {
        // "1000", not "1,000" or "1 000": both languages leave four digits whole in running text.
        return digits;
    }
    let separator = text(lang, "thousands_separator", &[]);
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(&separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_has_every_key() {
        let english: Vec<&String> = strings("en").keys().collect();
        for (code, _) in LOCALES {
            let keys: Vec<&String> = strings(code).keys().collect();
            assert_eq!(keys, english, "locales/{code}.toml keys differ from en.toml");
        }
    }

    #[test]
    fn placeholders_and_fallbacks() {
        assert_eq!(text("ru", "page_n", &[("n", "3")]), "Страница 3");
        assert_eq!(text("kk", "go_back", &[]), "Go back");
        assert_eq!(language_name("ru"), "Русский");
        assert_eq!(language_name("kk"), "KK");
    }

    #[test]
    fn numbers_are_grouped_by_thousands_per_language() {
        assert_eq!(number("en", 10_000), "10,000");
        assert_eq!(number("ru", 1_234_567), "1\u{a0}234\u{a0}567");
        assert_eq!(number("en", 9_999), "9999");
        assert_eq!(number("ru", 7), "7");
    }
}
