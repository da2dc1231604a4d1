//! Sections: the site's departments ("News", "Secretariat", "Joint Staff"...). A section has one
//! slug for all languages and a name in each.

use super::Lang;
use std::collections::BTreeMap;

/// A section as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Section {
    pub id: i64,
    pub slug: String,
    /// Display name per language code.
    pub names: BTreeMap<String, String>,
    /// Position in navigation, ascending.
    pub position: i64,
}

impl Section {
    /// The name in `lang`, falling back to any name, then the slug, so a section added before a
    /// language was configured still shows something sensible.
    pub fn name(&self, lang: &Lang) -> &str {
        self.names
            .get(lang.as_str())
            .or_else(|| self.names.get("en"))
            .or_else(|| self.names.values().next())
            .map(String::as_str)
            .unwrap_or(&self.slug)
    }
}
