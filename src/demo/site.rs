//! The hand-written demo site (placeholder until the content lands).

use crate::domain::ArticleInput;
use crate::storage::SectionInput;
use jiff::Timestamp;

/// The demo site's sections, in both languages.
pub fn sections() -> Vec<SectionInput> {
    Vec::new()
}

/// The demo site: its sections and its articles, dated relative to `now`.
pub fn demo_site(_now: Timestamp) -> (Vec<SectionInput>, Vec<ArticleInput>) {
    (sections(), Vec::new())
}
