//! Language codes. A site runs in a configurable list of languages; every page, article and
//! section name belongs to one of them.

use std::fmt;

/// A lowercase ISO 639-1/639-2 language code such as `en` or `ru`.
///
/// Kept as a validated string rather than an enum because operators configure the site's
/// languages; English and Russian are only the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct Lang(String);

/// A language code that is not two or three ASCII letters.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("'{0}' is not a language code (expected two or three letters, such as en or ru)")]
pub struct BadLang(pub String);

impl Lang {
    /// Parses a code, accepting any case (`EN` becomes `en`).
    pub fn parse(code: &str) -> Result<Self, BadLang> {
        let lower = code.trim().to_ascii_lowercase();
        if (2..=3).contains(&lower.len()) && lower.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(Lang(lower))
        } else {
            Err(BadLang(code.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Lang::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_two_and_three_letter_codes_in_any_case() {
        assert_eq!(Lang::parse("EN").unwrap().as_str(), "en");
        assert_eq!(Lang::parse("kaz").unwrap().as_str(), "kaz");
    }

    #[test]
    fn rejects_everything_else() {
        for bad in ["", "e", "english", "e1", "ру", "../"] {
            assert!(Lang::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
