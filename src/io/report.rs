//! What an import found and what became of it, for the summary and `--dry-run`.

use std::collections::BTreeMap;

/// Items of a list the summary names one by one before it only counts the rest.
const SHOWN: usize = 100;

/// How many of each kind an import found, for the summary and `--dry-run`.
#[derive(Debug, Default)]
pub struct Report {
    /// Posts by "old status → new status".
    pub posts: BTreeMap<String, usize>,
    /// What was left out, by kind.
    pub skipped: BTreeMap<String, usize>,
    pub comments: usize,
    /// Posts whose slug had to change (not Latin, or reserved): `(old, new)`.
    pub slugs_changed: Vec<(String, String)>,
    /// Old addresses of posts kept as redirects.
    pub redirects: usize,
    /// Photos the posts show that the uploads folder (`--uploads`) does not have.
    pub photos_missing: Vec<String>,
}

impl Report {
    /// Lines for a person: what was found and what becomes of it.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.posts.iter().map(|(k, n)| format!("{n} posts: {k}")).collect();
        out.extend(self.skipped.iter().map(|(k, n)| format!("{n} skipped: {k}")));
        if self.comments > 0 {
            out.push(format!("{} comments skipped (Newsdesk has no comments)", self.comments));
        }
        if !self.slugs_changed.is_empty() {
            out.push(format!(
                "{} slugs change (transliterated); their old addresses redirect:",
                self.slugs_changed.len()
            ));
            out.extend(self.slugs_changed.iter().take(SHOWN).map(|(old, new)| format!("    {old} → {new}")));
            if self.slugs_changed.len() > SHOWN {
                out.push(format!("    … and {} more", self.slugs_changed.len() - SHOWN));
            }
        }
        if self.redirects > 0 {
            out.push(format!("{} old post addresses redirect to the new ones", self.redirects));
        }
        if !self.photos_missing.is_empty() {
            out.push(format!(
                "{} photos not found (give the old site's uploads folder with --uploads); they stay links to the old site:",
                self.photos_missing.len()
            ));
            out.extend(self.photos_missing.iter().map(|p| format!("    {p}")));
        }
        out
    }
}

/// Counts `key` once more.
pub fn count(map: &mut BTreeMap<String, usize>, key: &str) {
    *map.entry(key.to_string()).or_default() += 1;
}
