//! Tags: the free keywords an article carries besides its one section ("Syria", "Москва",
//! "climate finance"). A tag belongs to a language: its address is the transliterated slug of
//! its name (`/ru/tag/moskva`), so two spellings that slug alike ("Москва", "москва") are one
//! tag, named as it was first written.
//!
//! Writers send tags as names; [`normalize`] turns what they typed into the list stored on the
//! article, refusing only what cannot become a tag.

use super::{markup, slug};

/// Most tags on one article: past this it is keyword stuffing, not tagging.
pub const MAX_TAGS: usize = 20;
/// Longest tag name, in characters.
pub const MAX_TAG_LEN: usize = 60;

/// A tag as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Tag {
    pub id: i64,
    pub lang: String,
    pub slug: String,
    pub name: String,
}

/// Why a list of tags cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("{count} tags; at most {MAX_TAGS} are allowed")]
    TooMany { count: usize },
    #[error("the tag '{name}' is {len} characters long; the limit is {MAX_TAG_LEN}")]
    TooLong { name: String, len: usize },
}

/// Cleans tag names as typed: markup, control characters and extra spaces go, empty entries
/// are dropped, and of names that make the same slug the first is kept. Order is kept: the
/// first tags are the most important ones. Any name that is left can be a tag: one made only
/// of symbols ("№", "+++") still gets an address from [`slug_of`].
pub fn normalize<S: AsRef<str>>(names: &[S]) -> Result<Vec<String>, TagError> {
    let mut out: Vec<String> = Vec::new();
    let mut slugs: Vec<String> = Vec::new();
    for raw in names {
        let text = markup::plain_title(raw.as_ref());
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            continue;
        }
        let len = name.chars().count();
        if len > MAX_TAG_LEN {
            return Err(TagError::TooLong { name: name.chars().take(30).collect(), len });
        }
        let slug = slug_of(&name);
        if !slugs.contains(&slug) {
            slugs.push(slug);
            out.push(name);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(TagError::TooMany { count: out.len() });
    }
    Ok(out)
}

/// Splits a comma-separated list as typed in the editor ("Москва, ОДКБ; summit"); semicolons
/// count as commas, since some keyboards and habits use them.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The address segment of a tag name: its transliterated slug, or for a name with no letters
/// or digits to transliterate, its characters' code points (`"№"` → `u2116`), so that every tag
/// a writer may type has a page.
pub fn slug_of(name: &str) -> String {
    let slug = slug::slugify(name);
    if !slug.is_empty() || name.trim().is_empty() {
        return slug;
    }
    let mut points = String::new();
    for ch in name.chars().filter(|c| !c.is_whitespace()) {
        let next = format!("u{:x}", u32::from(ch));
        if points.len() + next.len() + 1 > slug::MAX_SLUG_LEN {
            break;
        }
        if !points.is_empty() {
            points.push('-');
        }
        points.push_str(&next);
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_and_deduplicated_by_slug() {
        let tags = normalize(&["  Москва ", "москва", "<b>ОДКБ</b>", "", "climate   finance"]).unwrap();
        assert_eq!(tags, vec!["Москва", "ОДКБ", "climate finance"]);
        assert_eq!(slug_of(&tags[0]), "moskva");
        assert_eq!(slug_of(&tags[1]), "odkb");
    }

    #[test]
    fn what_cannot_be_a_tag_is_refused() {
        assert_eq!(normalize(&["!!!", "№"]).unwrap(), ["!!!", "№"]);
        assert_eq!(slug_of("!!!"), "u21-u21-u21");
        assert_eq!(slug_of("№ 1"), "no-1");
        assert!(crate::domain::slug::is_valid(&slug_of(&"→".repeat(60))));
        assert!(matches!(normalize(&["x".repeat(61)]), Err(TagError::TooLong { len: 61, .. })));
        let many: Vec<String> = (0..21).map(|n| format!("tag {n}")).collect();
        assert!(matches!(normalize(&many), Err(TagError::TooMany { count: 21 })));
        assert_eq!(normalize(&many[..20]).unwrap().len(), 20);
    }

    #[test]
    fn lists_split_on_commas_and_semicolons() {
        assert_eq!(split_list("Москва, ОДКБ; summit ,,"), vec!["Москва", "ОДКБ", "summit"]);
        assert!(split_list("  ").is_empty());
    }
}
