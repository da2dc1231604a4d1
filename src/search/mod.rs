//! Full-text search: a Tantivy index in the node's data directory (`DATA/search`), one per
//! node, kept in step with the database by following its change log.
//!
//! - **What is indexed:** published articles only, each with the analyzer of its language
//!   (see [`analysis`]). One field holds every searchable word (title, lead, body with HTML
//!   reduced to text, tag names), so each word of a query is one list of postings to
//!   intersect. The title is written into it [`TITLE_COPIES`] times, so a word in the title
//!   counts more; a plain query is then a pure intersection of terms, which Tantivy ranks with
//!   block-max pruning (skipping blocks of postings that cannot reach the page) instead of
//!   scoring every match, and the total is counted only up to [`COUNT_CAP`]. A second field
//!   holds the title alone, for related news. Only what a result's heading needs is stored
//!   (id, section, slug, title, time); the snippet is cut from the text read from the database
//!   for the page's hits, so the index stays a quarter of the size and its memory-mapped pages
//!   do not pile up in memory.
//! - **Following changes:** [`Search::catch_up`] (run every 500 ms by each node, see
//!   `server.rs`) reads the change log after the last change the index applied and re-indexes
//!   each touched article from the store: delete by id, then add if it is published now. The
//!   position is saved in the index's commit payload, atomically with the documents. The first
//!   call on a new index builds it from scratch.
//! - **Robustness:** a missing, unreadable or incompatible index directory is rebuilt rather
//!   than failing the node. One `IndexWriter` per node, behind a mutex; CPU-heavy indexing runs
//!   on the blocking thread pool.
//!
//! The index layout and documents are in `schema.rs`, following the change log in `follow.rs`,
//! answering queries in `find.rs`.

mod analysis;
pub mod copy;
pub(crate) mod cursor;
mod find;
mod follow;
mod highlight;
mod query;
mod schema;
mod similar;
pub mod snapshot;

pub use analysis::Analyzer;
pub use find::COUNT_CAP;
pub use schema::TITLE_COPIES;

/// Whether short texts (the register of documents, small beside the news and not in the
/// index) hold every word of a query, each word as the language's search understands it
/// (stemmed, `ё` as `е`): "решения" finds "решение", "agreements" finds "Agreement".
pub struct TextMatcher {
    analyzer: TextAnalyzer,
    words: Vec<String>,
}

impl TextMatcher {
    pub fn new(lang: &str, query: &str) -> TextMatcher {
        let mut analyzer = Analyzer::for_lang(lang).build();
        let mut words = analysis::terms(&mut analyzer, query);
        words.sort();
        words.dedup();
        TextMatcher { analyzer, words }
    }

    /// `false` for a query without words.
    pub fn matches(&mut self, text: &str) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let found = analysis::terms(&mut self.analyzer, text);
        self.words.iter().all(|w| found.contains(w))
    }
}
pub use query::{Hit, MAX_QUERY, SearchRequest, SearchResults, Sort};
pub use similar::Like;

/// What [`Search::catch_up`] did.
#[derive(Debug)]
pub enum CatchUp {
    /// Applied these changes from the log (oldest first; empty when there were none).
    Applied(Vec<Change>),
    /// Built the index from scratch: what else derives from the log should reload too.
    Rebuilt,
}

use crate::storage::StoreError;
use crate::storage::changes::Change;
use cursor::Cursor;
use follow::remove_leftovers;
use schema::{FORMAT, Fields, Payload, schema};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tantivy::directory::error::LockError;
use tantivy::query::QueryParser;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyError};

/// Memory the writer may buffer before flushing a segment.
const WRITER_HEAP: usize = 50_000_000;

/// Why the index could not be opened, updated or queried.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(String),
    /// Another process (usually a running node) holds the index's writer lock.
    #[error(
        "the search index in {} is in use by another process (a running node?); stop it first — a running node keeps its own index up to date",
        .0.display()
    )]
    Busy(PathBuf),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Every query slot stayed busy for [`QUERY_WAIT`]; the reader is asked to retry.
    #[error("too many searches at once")]
    Overloaded,
    /// The index is still being built for the first time; the reader is asked to retry.
    #[error("the search index is still being built")]
    NotReady,
}

/// Queries run at once, at most, on the blocking pool: each is a few milliseconds of CPU, and
/// unbounded they would take every core from the pages being served.
pub const QUERY_SLOTS: usize = 4;
/// How long a search waits for a slot before it is refused.
pub const QUERY_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

static QUERIES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(QUERY_SLOTS);

/// Runs index work (a query, "related news") on the blocking pool, [`QUERY_SLOTS`] at a time,
/// never on the async workers that serve other readers.
pub async fn run_query<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> Result<T, SearchError> {
    let _slot = tokio::time::timeout(QUERY_WAIT, QUERIES.acquire())
        .await
        .map_err(|_| SearchError::Overloaded)?
        .map_err(|_| SearchError::Overloaded)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| SearchError::Index(format!("the search task failed: {e}")))?
}

impl From<TantivyError> for SearchError {
    fn from(error: TantivyError) -> Self {
        SearchError::Index(error.to_string())
    }
}

/// The follower's state; its mutex also serializes every write to the index.
#[derive(Debug)]
struct Follow {
    cursor: Cursor,
    /// False until the index holds everything (a new, foreign or outdated index).
    built: bool,
    /// Whether the change log was checked to be the one this index followed.
    checked_store: bool,
}

/// The node's search index.
pub struct Search {
    dir: PathBuf,
    reader: IndexReader,
    fields: Fields,
    parsers: [QueryParser; 3],
    analyzers: [TextAnalyzer; 3],
    writer: Arc<Mutex<IndexWriter>>,
    follow: tokio::sync::Mutex<Follow>,
    /// Whether the index holds every article (false while the first build runs): until then a
    /// search would wrongly find nothing, so it is refused with "try again shortly".
    ready: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Search {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Search").field("dir", &self.dir).finish_non_exhaustive()
    }
}

/// Why an existing index directory could not be used as it is.
enum OpenError {
    Busy,
    Broken(String),
}

impl From<TantivyError> for OpenError {
    fn from(error: TantivyError) -> Self {
        match error {
            TantivyError::LockFailure(LockError::LockBusy, _) => OpenError::Busy,
            other => OpenError::Broken(other.to_string()),
        }
    }
}

impl From<std::io::Error> for OpenError {
    fn from(error: std::io::Error) -> Self {
        OpenError::Broken(error.to_string())
    }
}

impl Search {
    /// Opens the index in `dir`, creating it if missing. A directory that cannot be used (not an
    /// index, damaged, written by another version) is cleared and the index rebuilt by the first
    /// [`catch_up`](Self::catch_up): search is derived data, and the node must come up anyway.
    /// Fails only when the directory cannot be written or another process holds the index.
    pub fn open(dir: &Path) -> Result<Search, SearchError> {
        match Self::try_open(dir) {
            Ok(search) => Ok(search),
            Err(OpenError::Busy) => Err(SearchError::Busy(dir.to_path_buf())),
            Err(OpenError::Broken(why)) => {
                tracing::warn!(dir = %dir.display(), error = %why, "the search index cannot be used; rebuilding it from the database");
                clear(dir).map_err(|e| SearchError::Index(format!("cannot clear {}: {e}", dir.display())))?;
                match Self::try_open(dir) {
                    Ok(search) => Ok(search),
                    Err(OpenError::Busy) => Err(SearchError::Busy(dir.to_path_buf())),
                    Err(OpenError::Broken(why)) => {
                        Err(SearchError::Index(format!("cannot create an index in {}: {why}", dir.display())))
                    }
                }
            }
        }
    }

    fn try_open(dir: &Path) -> Result<Search, OpenError> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let index = if dir.join("meta.json").exists() {
            let index = Index::open_in_dir(dir)?;
            if index.schema() != schema {
                return Err(OpenError::Broken("the index was built with another schema".into()));
            }
            index
        } else {
            let stray = std::fs::read_dir(dir)?
                .filter_map(Result::ok)
                .any(|e| !e.file_name().to_string_lossy().starts_with(".tantivy-"));
            if stray {
                return Err(OpenError::Broken("the directory holds files but no index".into()));
            }
            Index::create_in_dir(dir, schema)?
        };
        for a in Analyzer::ALL {
            index.tokenizers().register(&a.tokenizer_name(), a.build());
        }
        let options = tantivy::indexer::IndexWriterOptions::builder()
            .num_worker_threads(1)
            .num_merge_threads(1)
            .memory_budget_per_thread(WRITER_HEAP)
            .build();
        let writer: IndexWriter = index.writer_with_options(options)?;
        // A process killed in the middle of a commit leaves files that `meta.json` does not
        // name (a segment's deletes written, the commit not): the next commit of the same
        // changes would want the same file names and fail for ever with "FileAlreadyExists".
        // Nothing else writes here (the writer holds the directory's lock), so whatever the
        // last commit does not use can go.
        match remove_leftovers(&index, dir) {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(files = n, "removed files an interrupted commit left in the search index")
            }
            Err(e) => return Err(OpenError::Broken(format!("cannot tidy the index directory: {e}"))),
        }
        if let Err(e) = writer.garbage_collect_files().wait() {
            tracing::warn!(error = %e, "cannot remove unused files of the search index");
        }
        // Reloaded by hand after each commit of ours (so pages are invalidated only once the
        // index has the change), and by itself after background merges, so the segments a merge
        // replaced are unmapped instead of staying in memory.
        let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        let saved = index.load_metas()?.payload.and_then(|p| serde_json::from_str::<Payload>(&p).ok());
        let follow = match saved {
            Some(p) if p.format == FORMAT => {
                Follow { cursor: Cursor::at(p.done), built: true, checked_store: false }
            }
            _ => Follow { cursor: Cursor::at(0), built: false, checked_store: true },
        };
        let ready = std::sync::atomic::AtomicBool::new(follow.built);
        let parsers = Analyzer::ALL.map(|a| {
            let mut parser = QueryParser::for_index(&index, vec![fields.words[a.index()]]);
            parser.set_conjunction_by_default();
            parser
        });
        Ok(Search {
            dir: dir.to_path_buf(),
            analyzers: Analyzer::ALL.map(Analyzer::build),
            parsers,
            reader,
            fields,
            writer: Arc::new(Mutex::new(writer)),
            follow: tokio::sync::Mutex::new(follow),
            ready,
        })
    }

    /// Whether searches can be answered: the index has been built at least once.
    pub fn is_ready(&self) -> bool {
        self.ready.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The directory the index lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many articles the index holds (as of its last commit).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

/// Removes whatever is at `dir` and leaves an empty directory there.
fn clear(dir: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(dir)?,
        Ok(_) => std::fs::remove_file(dir)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_match_every_word_of_a_query_as_search_understands_it() {
        let mut ru = TextMatcher::new("ru", "решения совета");
        assert!(ru.matches("Решение Совета министров иностранных дел № 12"));
        assert!(!ru.matches("Решение министров"), "every word must be there");
        let mut en = TextMatcher::new("en", "agreements");
        assert!(en.matches("Agreement on cooperation in civil defence"));
        assert!(!TextMatcher::new("en", "  ").matches("anything"), "no words, no match");
    }

    #[test]
    fn a_broken_directory_is_replaced_by_an_empty_index() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("search");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("meta.json"), b"{ not json").unwrap();
        std::fs::write(dir.join("junk.bin"), b"\x00\x01").unwrap();
        let search = Search::open(&dir).unwrap();
        assert_eq!(search.num_docs(), 0);
        assert!(!dir.join("junk.bin").exists());
        drop(search);
        // A file where the directory should be is replaced too.
        let file = tmp.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        assert!(Search::open(&file).is_ok());
    }

    #[test]
    fn one_writer_per_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let _first = Search::open(tmp.path()).unwrap();
        assert!(matches!(Search::open(tmp.path()), Err(SearchError::Busy(_))));
    }
}
