//! A copy of a node's search index as of its last commit, taken while the node serves
//! (`newsdesk copy-index`), so that a new node starts from it instead of indexing every
//! article again (minutes at a million articles; see BENCHMARKS.md).
//!
//! Tantivy never changes a file once written: a commit writes new segment files and then
//! replaces `meta.json`, which names the segments in use; files of merged-away segments are
//! deleted afterwards. So a consistent copy is `meta.json` as read once, plus the files it
//! names. Files are hard-linked when the destination is on the same file system (instant, and
//! safe because they are never written again), copied otherwise. Should a merge delete a file
//! between reading `meta.json` and linking it, the copy starts over from the new `meta.json`.
//! The commit's payload holds the index's place in the change log, so the new node catches up
//! from there like any node after a restart.

use super::SearchError;
use std::path::{Path, PathBuf};

/// How many times a copy starts over after the index changed under it.
const ATTEMPTS: usize = 10;

/// What was copied.
#[derive(Debug, PartialEq, Eq)]
pub struct Copied {
    pub files: usize,
    pub bytes: u64,
    /// Whether the files were hard-linked (same file system) rather than copied.
    pub linked: bool,
}

/// Copies the index in `from` into `to`, which must not exist or be empty.
pub fn copy_index(from: &Path, to: &Path) -> Result<Copied, SearchError> {
    let fail = |what: &str, path: &Path, e: std::io::Error| {
        SearchError::Index(format!("{what} {}: {e}", path.display()))
    };
    if !from.join("meta.json").exists() {
        return Err(SearchError::Index(format!(
            "{} holds no search index (no meta.json); is it a node's DATA/search?",
            from.display()
        )));
    }
    if std::fs::read_dir(to).is_ok_and(|mut d| d.next().is_some()) {
        return Err(SearchError::Index(format!("{} is not empty; name a new directory", to.display())));
    }
    for _ in 0..ATTEMPTS {
        let before = std::fs::read(from.join("meta.json")).map_err(|e| fail("cannot read", from, e))?;
        let index = tantivy::Index::open_in_dir(from).map_err(|e| SearchError::Index(e.to_string()))?;
        let metas = index.load_metas().map_err(|e| SearchError::Index(e.to_string()))?;
        let after = std::fs::read(from.join("meta.json")).map_err(|e| fail("cannot read", from, e))?;
        if before != after {
            continue; // a commit in between: read again
        }
        // Every file of a segment in use is named after the segment's id.
        let segments: std::collections::HashSet<String> =
            metas.segments.iter().map(|s| s.id().uuid_string()).collect();
        let mut files: Vec<PathBuf> = std::fs::read_dir(from)
            .map_err(|e| fail("cannot read", from, e))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.split('.').next().is_some_and(|id| segments.contains(id)))
            .map(PathBuf::from)
            .collect();
        files.sort();
        let _ = std::fs::remove_dir_all(to);
        std::fs::create_dir_all(to).map_err(|e| fail("cannot create", to, e))?;
        let mut copied = Copied { files: 0, bytes: 0, linked: true };
        let mut vanished = false;
        for name in &files {
            let (source, target) = (from.join(name), to.join(name));
            let bytes = match std::fs::metadata(&source) {
                Ok(m) => m.len(),
                // A segment's optional files (its deletes, say) exist only when it has them.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(fail("cannot read", &source, e)),
            };
            let done = match std::fs::hard_link(&source, &target) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    vanished = true;
                    break;
                }
                Err(_) => {
                    copied.linked = false;
                    std::fs::copy(&source, &target).map(|_| ())
                }
            };
            match done {
                Ok(()) => {
                    copied.files += 1;
                    copied.bytes += bytes;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    vanished = true;
                    break;
                }
                Err(e) => return Err(fail("cannot copy", &source, e)),
            }
        }
        if vanished {
            continue; // a merge removed a file: start over from the new meta.json
        }
        std::fs::write(to.join("meta.json"), &before).map_err(|e| fail("cannot write", to, e))?;
        copied.files += 1;
        copied.bytes += before.len() as u64;
        return Ok(copied);
    }
    Err(SearchError::Index(format!(
        "the index in {} kept changing while it was copied; try again",
        from.display()
    )))
}
