//! What an import found and what became of it, for the summary and `--dry-run`.

use std::collections::BTreeMap;

/// Items of a list the summary names one by one before it only counts the rest.
const SHOWN: usize = 100;

/// How many of each kind an import found, for the summary and `--dry-run`.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Posts by "old status → new status".
    pub posts: BTreeMap<String, usize>,
    /// What was left out, by kind.
    pub skipped: BTreeMap<String, usize>,
    pub comments: usize,
    /// Posts whose slug had to change (not Latin, or reserved): `(old, new)`, the first
    /// hundred of them ([`Report::slug_changed`]); `slugs_changed_count` counts them all.
    pub slugs_changed: Vec<(String, String)>,
    pub slugs_changed_count: usize,
    /// Old addresses of posts kept as redirects.
    pub redirects: usize,
    /// Photos the posts show that the uploads folder (`--uploads`) does not have: the first
    /// hundred addresses ([`Report::photo_missing`]), and how many in all.
    pub photos_missing: Vec<String>,
    pub photos_missing_count: usize,
    /// Items an earlier, interrupted run of the same import had already saved.
    pub resumed_after: u64,
}

impl Report {
    /// Notes a slug that changes; only the first hundred are kept by name, so a huge import
    /// stays in bounded memory.
    pub fn slug_changed(&mut self, old: String, new: String) {
        self.slugs_changed_count += 1;
        if self.slugs_changed.len() < SHOWN {
            self.slugs_changed.push((old, new));
        }
    }

    /// Notes a photo the uploads folder lacks (once per address among those kept by name).
    pub fn photo_missing(&mut self, address: &str) {
        if self.photos_missing.iter().any(|m| m == address) {
            return;
        }
        self.photos_missing_count += 1;
        if self.photos_missing.len() < SHOWN {
            self.photos_missing.push(address.to_string());
        }
    }

    /// Adds what another part of the same import found (imports save in chunks).
    pub fn absorb(&mut self, other: Report) {
        for (k, n) in other.posts {
            *self.posts.entry(k).or_default() += n;
        }
        for (k, n) in other.skipped {
            *self.skipped.entry(k).or_default() += n;
        }
        self.comments += other.comments;
        self.redirects += other.redirects;
        self.slugs_changed_count += other.slugs_changed_count;
        for (old, new) in other.slugs_changed {
            if self.slugs_changed.len() < SHOWN {
                self.slugs_changed.push((old, new));
            }
        }
        self.photos_missing_count += other.photos_missing_count;
        for address in other.photos_missing {
            if self.photos_missing.len() < SHOWN && !self.photos_missing.contains(&address) {
                self.photos_missing.push(address);
            }
        }
        self.resumed_after = self.resumed_after.max(other.resumed_after);
    }

    /// Lines for a person: what was found and what becomes of it.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if self.resumed_after > 0 {
            out.push(format!(
                "resumed: the first {} items were saved by an earlier run that stopped",
                self.resumed_after
            ));
        }
        out.extend(self.posts.iter().map(|(k, n)| format!("{n} posts: {k}")));
        out.extend(self.skipped.iter().map(|(k, n)| format!("{n} skipped: {k}")));
        if self.comments > 0 {
            out.push(format!("{} comments skipped (Newsdesk has no comments)", self.comments));
        }
        if self.slugs_changed_count > 0 {
            out.push(format!(
                "{} slugs change (transliterated); their old addresses redirect:",
                self.slugs_changed_count
            ));
            out.extend(self.slugs_changed.iter().map(|(old, new)| format!("    {old} → {new}")));
            if self.slugs_changed_count > self.slugs_changed.len() {
                out.push(format!("    … and {} more", self.slugs_changed_count - self.slugs_changed.len()));
            }
        }
        if self.redirects > 0 {
            out.push(format!("{} old post addresses redirect to the new ones", self.redirects));
        }
        if self.photos_missing_count > 0 {
            out.push(format!(
                "{} photos not found (give the old site's uploads folder with --uploads); they stay links to the old site:",
                self.photos_missing_count
            ));
            out.extend(self.photos_missing.iter().map(|p| format!("    {p}")));
            if self.photos_missing_count > self.photos_missing.len() {
                out.push(format!("    … and {} more", self.photos_missing_count - self.photos_missing.len()));
            }
        }
        out
    }
}

/// Counts `key` once more.
pub fn count(map: &mut BTreeMap<String, usize>, key: &str) {
    *map.entry(key.to_string()).or_default() += 1;
}
