//! Files in the media store that nothing names any more, and their removal
//! (`newsdesk media sweep`).
//!
//! A photo is written to the store before its row is inserted, and a document's files before
//! the document: a reader must never find a row whose file is missing. The price is that a
//! process killed between the two (or a failed clean-up after a refused insert, which is only
//! logged) leaves files behind that no row names. On a node's disk they cost space; in a shared
//! bucket they cost money and confuse anyone reading the bucket. The sweep lists the store,
//! then reads which names the database knows, and removes the rest of Newsdesk's own files
//! once they are older than a grace period, so an upload still on its way to its row is never
//! taken for an orphan. Files Newsdesk did not name are left alone.

use super::store::{Listed, MediaStore};
use std::collections::HashSet;

/// What a file in the store is, by its name and the keys the database holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A photo's original or variant, or a document's file, that a row names.
    InUse,
    /// One of Newsdesk's names that no row holds.
    Orphan,
    /// A `.part` file left by a write to the node's disk that never finished.
    Unfinished,
    /// A name Newsdesk never gives: not ours to remove.
    Foreign,
}

/// The keys the database names: photos' `file_key`s and documents' files' names.
#[derive(Debug, Default)]
pub struct InUse {
    pub photos: HashSet<String>,
    pub documents: HashSet<String>,
}

/// Judges one name. Documents' files are named `doc-KEY.pdf` or `doc-KEY.docx` (see
/// `newsroom::documents`); photos by [`super::parse_file_name`].
pub fn verdict(name: &str, in_use: &InUse) -> Verdict {
    if let Some(finished) = name.strip_suffix(".part") {
        return match verdict(finished, &InUse::default()) {
            Verdict::Foreign | Verdict::Unfinished => Verdict::Foreign,
            _ => Verdict::Unfinished,
        };
    }
    if let Some(photo) = super::parse_file_name(name) {
        return if in_use.photos.contains(photo.key()) { Verdict::InUse } else { Verdict::Orphan };
    }
    let is_document = name
        .strip_prefix("doc-")
        .and_then(|rest| rest.rsplit_once('.'))
        .is_some_and(|(key, ext)| super::is_key(key) && matches!(ext, "pdf" | "docx"));
    match (is_document, in_use.documents.contains(name)) {
        (true, true) => Verdict::InUse,
        (true, false) => Verdict::Orphan,
        _ => Verdict::Foreign,
    }
}

/// What a sweep found and did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Files removed (or, in a dry run, that would be), with their bytes.
    pub removed: u64,
    pub removed_bytes: u64,
    pub in_use: u64,
    /// Orphans younger than the grace period, left for a later sweep.
    pub too_young: u64,
    pub foreign: u64,
}

/// Which of `listed` may go: orphans and unfinished writes last written before `cutoff` (Unix
/// seconds). A file whose time is unknown is never taken for an old one.
pub fn removable<'a>(listed: &'a [Listed], in_use: &InUse, cutoff: i64) -> (Vec<&'a Listed>, Swept) {
    let mut swept = Swept::default();
    let mut gone = Vec::new();
    for file in listed {
        match verdict(&file.name, in_use) {
            Verdict::InUse => swept.in_use += 1,
            Verdict::Foreign => swept.foreign += 1,
            Verdict::Orphan | Verdict::Unfinished => {
                if file.modified.is_some_and(|m| m < cutoff) {
                    swept.removed += 1;
                    swept.removed_bytes += file.bytes;
                    gone.push(file);
                } else {
                    swept.too_young += 1;
                }
            }
        }
    }
    (gone, swept)
}

/// Removes the files [`removable`] picked from `store`, calling `on_file` after each. The
/// listing must have been taken *before* the names in use were read, so that a file whose row
/// was inserted in between is known.
pub async fn remove(store: &MediaStore, gone: &[&Listed], on_file: &dyn Fn()) -> std::io::Result<()> {
    for file in gone {
        store.delete(&file.name).await?;
        on_file();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef";
    const OTHER: &str = "fedcba9876543210fedcba9876543210";

    fn in_use() -> InUse {
        InUse {
            photos: HashSet::from([KEY.to_string()]),
            documents: HashSet::from([format!("doc-{KEY}.pdf")]),
        }
    }

    #[test]
    fn names_are_judged_by_what_the_database_holds() {
        let known = in_use();
        assert_eq!(verdict(&format!("{KEY}.jpg"), &known), Verdict::InUse);
        assert_eq!(verdict(&format!("{KEY}-960.jpg"), &known), Verdict::InUse);
        assert_eq!(verdict(&format!("{OTHER}.png"), &known), Verdict::Orphan);
        assert_eq!(verdict(&format!("{OTHER}-480.jpg"), &known), Verdict::Orphan);
        assert_eq!(verdict(&format!("doc-{KEY}.pdf"), &known), Verdict::InUse);
        assert_eq!(verdict(&format!("doc-{KEY}.docx"), &known), Verdict::Orphan);
        assert_eq!(verdict(&format!("doc-{OTHER}.pdf"), &known), Verdict::Orphan);
        assert_eq!(verdict(&format!("{KEY}-960.jpg.part"), &known), Verdict::Unfinished);
        assert_eq!(verdict(&format!("doc-{OTHER}.pdf.part"), &known), Verdict::Unfinished);
        for foreign in
            ["index.html", "backup.tar", "doc-notakey.pdf", &format!("doc-{KEY}.exe"), "x.part", ".part"]
        {
            assert_eq!(verdict(foreign, &known), Verdict::Foreign, "{foreign}");
        }
    }

    #[test]
    fn only_old_orphans_are_removable() {
        let file = |name: String, modified: Option<i64>| Listed { name, bytes: 10, modified };
        let listed = vec![
            file(format!("{KEY}.jpg"), Some(100)),
            file(format!("{OTHER}.jpg"), Some(100)),
            file(format!("{OTHER}-960.jpg"), Some(5_000)),
            file(format!("{OTHER}-480.jpg"), None),
            file("notes.txt".into(), Some(1)),
        ];
        let (gone, swept) = removable(&listed, &in_use(), 1_000);
        assert_eq!(gone.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), vec![format!("{OTHER}.jpg")]);
        assert_eq!(swept, Swept { removed: 1, removed_bytes: 10, in_use: 1, too_young: 2, foreign: 1 });
    }
}
