//! The search index's snapshot in the shared object store, so that a new node starts from it
//! instead of reading every article from the database (minutes at a million articles; seconds
//! to fetch the snapshot, see BENCHMARKS.md).
//!
//! With photos on S3 (`[media] store = "s3"`) the nodes already share a bucket. One node at a
//! time (under a lease) publishes a consistent copy of its index there (see [`super::copy`])
//! when there is none yet and then every `[search] snapshot_hours`: the files under
//! `_search/vFORMAT/ID/` and, last, a manifest `_search/vFORMAT/latest.json` naming them. A
//! node that starts with no index fetches the files the manifest names into its data
//! directory before it opens the index; the index's commit knows its place in the change log,
//! so the node applies what changed since, like any node after a restart.
//!
//! A snapshot is used only when it fits the node's database: the manifest carries the newest
//! change the index had applied and when that change was logged, and the node's database must
//! hold the same entry. A snapshot of another site, of a restored backup, or older than the log's
//! retention is passed over, and the node builds its index itself. Names under `_search/` are
//! never photos' names, so `media sweep` leaves them alone.

use super::SearchError;
use super::copy::copy_index;
use super::schema::{FORMAT, Payload};
use crate::media::MediaStore;
use crate::storage::Store;
use std::path::{Path, PathBuf};

/// Where every snapshot lives in the store.
pub const PREFIX: &str = "_search/";

/// Snapshots of this index format (an index of another format is of no use to this binary).
fn root() -> String {
    format!("{PREFIX}v{FORMAT}/")
}

fn manifest_name() -> String {
    format!("{}latest.json", root())
}

/// What a snapshot holds and how to recognise the database it was taken from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// The folder of its files in the store, ending in `/`.
    pub dir: String,
    /// When it was taken, in Unix seconds.
    pub taken_at: i64,
    /// Every change up to this id is in it.
    pub done: i64,
    /// The newest change at or below `done` and when it was logged; `None` for an index
    /// taken before anything was logged.
    pub mark: Option<(i64, i64)>,
    pub files: Vec<SnapshotFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SnapshotFile {
    pub name: String,
    pub bytes: u64,
}

impl Manifest {
    /// The size of all its files.
    pub fn bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }
}

fn store_error(e: std::io::Error) -> SearchError {
    SearchError::Index(format!("search snapshot: {e}"))
}

/// The newest snapshot's manifest, if the store has one for this index format.
pub async fn latest(store: &MediaStore) -> Result<Option<Manifest>, SearchError> {
    let Some(bytes) = store.read(&manifest_name()).await.map_err(store_error)? else { return Ok(None) };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|e| SearchError::Index(format!("search snapshot: the manifest cannot be read: {e}")))
}

/// Publishes a snapshot of the index in `search_dir` (served by this node or not): a
/// consistent copy is made in `work` (hard links, on the same file system), its files are
/// written to the store, then the manifest. Snapshots older than the one it replaces are
/// removed (the one replaced stays: a node may be fetching it right now).
pub async fn publish(
    search_dir: &Path,
    work: &Path,
    store: &MediaStore,
    db: &Store,
    now: jiff::Timestamp,
) -> Result<Manifest, SearchError> {
    let (from, to) = (search_dir.to_path_buf(), work.to_path_buf());
    let _ = tokio::fs::remove_dir_all(&to).await;
    tokio::task::spawn_blocking(move || copy_index(&from, &to))
        .await
        .map_err(|e| SearchError::Index(e.to_string()))??;
    let published = upload(work, store, db, now).await;
    let _ = tokio::fs::remove_dir_all(work).await;
    published
}

async fn upload(
    work: &Path,
    store: &MediaStore,
    db: &Store,
    now: jiff::Timestamp,
) -> Result<Manifest, SearchError> {
    let done = committed_done(work)?;
    let mark = db.change_mark(done).await?;
    let mut random = [0u8; 4];
    let _ = getrandom::fill(&mut random);
    let id: String = random.iter().map(|b| format!("{b:02x}")).collect();
    let dir = format!("{}{}-{id}/", root(), now.as_second());
    let mut names: Vec<String> = std::fs::read_dir(work)
        .map_err(|e| SearchError::Index(format!("cannot read {}: {e}", work.display())))?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    let mut files = Vec::with_capacity(names.len());
    for name in names {
        let bytes = store.put_file(&format!("{dir}{name}"), &work.join(&name)).await.map_err(store_error)?;
        files.push(SnapshotFile { name, bytes });
    }
    let manifest = Manifest { format: FORMAT, dir, taken_at: now.as_second(), done, mark, files };
    let previous = latest(store).await.ok().flatten();
    let json = serde_json::to_vec(&manifest).map_err(|e| SearchError::Index(e.to_string()))?;
    store.put(&manifest_name(), &json, "application/json").await.map_err(store_error)?;
    // Keep this snapshot and the one it replaces; the rest (and any upload that failed
    // half-way) goes.
    let keep: Vec<&str> = [Some(manifest.dir.as_str()), previous.as_ref().map(|p| p.dir.as_str())]
        .into_iter()
        .flatten()
        .collect();
    match store.list_under(&root()).await {
        Ok(listed) => {
            for old in listed {
                let stale = old.name != manifest_name() && !keep.iter().any(|k| old.name.starts_with(k));
                if stale && let Err(e) = store.delete(&old.name).await {
                    tracing::warn!(object = %old.name, error = %e, "cannot remove an old search snapshot's file");
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "cannot list old search snapshots to remove them"),
    }
    Ok(manifest)
}

/// The change-log position in the commit of the index in `dir`, read from its `meta.json`
/// (opening the copy as an index could write files of tantivy's own into it).
fn committed_done(dir: &Path) -> Result<i64, SearchError> {
    let meta = std::fs::read(dir.join("meta.json"))
        .map_err(|e| SearchError::Index(format!("cannot read {}: {e}", dir.display())))?;
    let payload = serde_json::from_slice::<serde_json::Value>(&meta)
        .ok()
        .and_then(|m| m.get("payload").and_then(|p| p.as_str()).map(str::to_string))
        .and_then(|p| serde_json::from_str::<Payload>(&p).ok());
    match payload {
        Some(p) if p.format == FORMAT => Ok(p.done),
        _ => Err(SearchError::Index(
            "the index has not finished its first build; nothing to publish yet".into(),
        )),
    }
}

/// What [`restore`] fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub files: usize,
    pub bytes: u64,
    /// Changes up to this id were in the snapshot; the node applies the rest from the log.
    pub done: i64,
    pub taken_at: i64,
}

/// Why a snapshot was not used (logged; the node then builds its index itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Passed {
    /// The node has an index of its own already.
    HasIndex,
    /// The store has no snapshot of this index format.
    NoSnapshot,
    /// Its mark is not in this database: another site, a restored backup, or pruned from the log.
    OtherDatabase,
}

/// Fills `search_dir`, when it holds no index, from the store's newest snapshot that fits
/// `db`. Files are fetched into a folder beside it and the folder renamed into place once all
/// are there with their sizes, so an interrupted fetch leaves no half index behind.
pub async fn restore(
    store: &MediaStore,
    db: &Store,
    search_dir: &Path,
) -> Result<Result<Restored, Passed>, SearchError> {
    if search_dir.join("meta.json").exists() {
        return Ok(Err(Passed::HasIndex));
    }
    let Some(manifest) = latest(store).await? else { return Ok(Err(Passed::NoSnapshot)) };
    if manifest.format != FORMAT {
        return Ok(Err(Passed::NoSnapshot));
    }
    // An index taken before anything was logged holds nothing worth fetching.
    let Some(mark) = manifest.mark else { return Ok(Err(Passed::NoSnapshot)) };
    if db.change_mark(manifest.done).await? != Some(mark) || db.oldest_change().await? > manifest.done + 1 {
        return Ok(Err(Passed::OtherDatabase));
    }
    let incoming = sibling(search_dir, "incoming");
    let _ = tokio::fs::remove_dir_all(&incoming).await;
    tokio::fs::create_dir_all(&incoming).await.map_err(|e| io_error(&incoming, e))?;
    let fetched = fetch_all(store, &manifest, &incoming).await;
    if let Err(e) = fetched {
        let _ = tokio::fs::remove_dir_all(&incoming).await;
        return Err(e);
    }
    // A directory without meta.json holds nothing worth keeping (an index never committed).
    let _ = tokio::fs::remove_dir_all(search_dir).await;
    tokio::fs::rename(&incoming, search_dir).await.map_err(|e| io_error(search_dir, e))?;
    Ok(Ok(Restored {
        files: manifest.files.len(),
        bytes: manifest.bytes(),
        done: manifest.done,
        taken_at: manifest.taken_at,
    }))
}

async fn fetch_all(store: &MediaStore, manifest: &Manifest, into: &Path) -> Result<(), SearchError> {
    for file in &manifest.files {
        if file.name.contains('/') || file.name.starts_with('.') {
            return Err(SearchError::Index(format!(
                "search snapshot: '{}' is not an index file's name",
                file.name
            )));
        }
        let object = format!("{}{}", manifest.dir, file.name);
        match store.get_file(&object, &into.join(&file.name)).await.map_err(store_error)? {
            Some(bytes) if bytes == file.bytes => {}
            Some(bytes) => {
                return Err(SearchError::Index(format!(
                    "search snapshot: {object} has {bytes} bytes, the manifest says {}",
                    file.bytes
                )));
            }
            None => {
                return Err(SearchError::Index(format!(
                    "search snapshot: {object} is missing (replaced while it was fetched?)"
                )));
            }
        }
    }
    Ok(())
}

/// `DATA/search.WHAT`: on the same file system as the index, so a rename moves it into place.
pub fn sibling(search_dir: &Path, what: &str) -> PathBuf {
    let mut name = search_dir.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{what}"));
    search_dir.with_file_name(name)
}

fn io_error(path: &Path, e: std::io::Error) -> SearchError {
    SearchError::Index(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Search;

    async fn site(dir: &Path, with_articles: bool) -> Store {
        let url = format!("sqlite://{}?mode=rwc", dir.join("site.db").display());
        let store = Store::open(&url).await.unwrap();
        if with_articles {
            let now = jiff::Timestamp::from_second(1_780_000_000).unwrap();
            let (sections, articles) = crate::demo::demo_site(now);
            store.save_articles(&sections, &articles, now, &|| {}).await.unwrap();
        }
        store
    }

    #[tokio::test]
    async fn a_snapshot_seeds_an_empty_node_of_the_same_database_only() {
        let tmp = tempfile::tempdir().unwrap();
        let bucket = MediaStore::Local { dir: tmp.path().join("bucket") };
        let db = site(tmp.path(), true).await;
        let now = jiff::Timestamp::from_second(1_780_000_100).unwrap();
        let search = Search::open(&tmp.path().join("search")).unwrap();
        // A new index has nothing worth publishing.
        assert!(publish(search.dir(), &tmp.path().join("work"), &bucket, &db, now).await.is_err());
        search.catch_up(&db).await.unwrap();
        let indexed = search.num_docs();
        assert!(indexed > 0);
        let manifest = publish(search.dir(), &tmp.path().join("work"), &bucket, &db, now).await.unwrap();
        assert_eq!(latest(&bucket).await.unwrap().as_ref(), Some(&manifest));
        assert_eq!(manifest.done, db.latest_change().await.unwrap());
        assert!(manifest.files.iter().any(|f| f.name == "meta.json"));
        assert!(!tmp.path().join("work").exists(), "the copy it sent is removed");

        // Another node of the same site starts from it, and is where the first one was.
        let node = tmp.path().join("node-b").join("search");
        let restored = restore(&bucket, &db, &node).await.unwrap().unwrap();
        assert_eq!((restored.files, restored.done), (manifest.files.len(), manifest.done));
        let copy = Search::open(&node).unwrap();
        assert!(copy.is_ready(), "usable before it has read anything from the database");
        assert_eq!(copy.num_docs(), indexed);
        drop(copy);
        assert_eq!(restore(&bucket, &db, &node).await.unwrap(), Err(Passed::HasIndex));

        // A node of another site sharing the bucket passes it over.
        let other = tempfile::tempdir().unwrap();
        let other_db = site(other.path(), false).await;
        let their = other.path().join("search");
        assert_eq!(restore(&bucket, &other_db, &their).await.unwrap(), Err(Passed::OtherDatabase));
        assert!(!their.exists());

        // A newer snapshot replaces it; the one replaced stays for nodes fetching it, older go.
        let later = now + jiff::SignedDuration::from_hours(7);
        let second = publish(search.dir(), &tmp.path().join("work"), &bucket, &db, later).await.unwrap();
        let third = publish(search.dir(), &tmp.path().join("work"), &bucket, &db, later).await.unwrap();
        let names: Vec<String> =
            bucket.list_under(&root()).await.unwrap().into_iter().map(|l| l.name).collect();
        assert!(names.iter().any(|n| n.starts_with(&third.dir)));
        assert!(names.iter().any(|n| n.starts_with(&second.dir)));
        assert!(!names.iter().any(|n| n.starts_with(&manifest.dir)), "{names:?}");
    }
}
