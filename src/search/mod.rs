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

mod analysis;
pub mod copy;
pub(crate) mod cursor;
mod highlight;
mod query;
mod similar;

pub use analysis::Analyzer;

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

use crate::domain::Article;
use crate::domain::markup::plain_text;
use crate::storage::changes::Change;
use crate::storage::{Store, StoreError};
use cursor::{Cursor, Pending};
use highlight::Highlighter;
use jiff::Timestamp;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::collector::TopDocs;
use tantivy::directory::error::LockError;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TERMINATED,
    TantivyDocument, TantivyError, Term,
};

/// Bumped whenever analysis or the document layout changes without changing the schema: an
/// index written by another format is rebuilt on start.
const FORMAT: u32 = 3;
/// Memory the writer may buffer before flushing a segment.
const WRITER_HEAP: usize = 50_000_000;
/// Change-log entries read (and committed) per batch.
const CHANGES_BATCH: u32 = 1_000;
/// Articles read per page during a rebuild.
const REBUILD_PAGE: u32 = 500;
/// How many of the newest change ids a rebuild checks for holes that may still fill.
const RECENT_WINDOW: u32 = 10_000;
/// How many times the title is written into the words field: its words count that many
/// times in an article's score, so title matches rank first while the query stays one
/// field (and so one postings list per word, ranked with pruning).
pub const TITLE_COPIES: usize = 3;
/// Matches are counted up to this many: an exact count of a common word at a million articles
/// would visit every match, which the ranking no longer does. Pages beyond it are not offered.
pub const COUNT_CAP: usize = 10_000;
/// Length of a result's snippet, in characters.
const SNIPPET_CHARS: usize = 240;

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

/// What the index finds for a query: (id, section, slug, title, publish time) per hit.
type Found = Vec<(i64, i64, String, String, i64)>;

/// How many articles matched, as far as they were counted ([`COUNT_CAP`]).
#[derive(Debug, Clone, Copy)]
struct Total {
    n: usize,
    /// More matched than `n`: the count stopped.
    more: bool,
}

/// A search with everything owned, to hand to the blocking pool.
struct Find {
    lang: String,
    text: String,
    section_id: Option<i64>,
    tag: Option<String>,
    from: Option<Timestamp>,
    to: Option<Timestamp>,
    sort: Sort,
    offset: usize,
    limit: usize,
}

impl From<TantivyError> for SearchError {
    fn from(error: TantivyError) -> Self {
        SearchError::Index(error.to_string())
    }
}

/// The schema's fields. Title and words exist once per [`Analyzer`], indexed by
/// [`Analyzer::index`]; an article fills only those of its language's analyzer.
#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    lang: Field,
    section: Field,
    /// The slugs of the article's tags, for filtering.
    tag: Field,
    publish_at: Field,
    slug: Field,
    /// The title alone: stored for result headings, and searched by related news.
    title: [Field; 3],
    /// Every searchable word of the article, title included: what a query must match. One
    /// field rather than title-or-text per word: at a million articles the union of two
    /// postings lists per word, intersected and scored for every match, cost 20-30 ms a query.
    words: [Field; 3],
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Fast fields (columns) let related news rank candidates without reading documents.
    let id = b.add_i64_field("id", INDEXED | STORED | tantivy::schema::FAST);
    let lang = b.add_text_field("lang", STRING | STORED);
    let section = b.add_i64_field("section", INDEXED | STORED | tantivy::schema::FAST);
    let publish_at = b.add_i64_field("publish_at", INDEXED | STORED | tantivy::schema::FAST);
    let slug = b.add_text_field("slug", STORED);
    let tag = b.add_text_field("tag", STRING);
    let text_options = |a: Analyzer, record: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(&a.tokenizer_name()).set_index_option(record),
        )
    };
    // Titles are stored for result pages; words only indexed: snippets are cut from the text
    // read from the database, so the index's document store stays small and its pages (mapped
    // into memory) do not grow with every distinct search. Phrases are matched in the words
    // field, so only it keeps positions.
    let title = Analyzer::ALL.map(|a| {
        b.add_text_field(
            &format!("title_{}", a.suffix()),
            text_options(a, IndexRecordOption::WithFreqs).set_stored(),
        )
    });
    let words = Analyzer::ALL.map(|a| {
        b.add_text_field(
            &format!("words_{}", a.suffix()),
            text_options(a, IndexRecordOption::WithFreqsAndPositions),
        )
    });
    (b.build(), Fields { id, lang, section, tag, publish_at, slug, title, words })
}

/// What the index remembers between commits (its commit payload).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct Payload {
    format: u32,
    /// Every change up to this id is in the index.
    done: i64,
}

fn payload(done: i64) -> String {
    serde_json::json!({ "format": FORMAT, "done": done }).to_string()
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

    /// Brings the index up to date with the store's change log; returns how many articles
    /// were (re)indexed. The first call on a new index builds it from every published article.
    pub async fn catch_up(&self, store: &Store) -> Result<CatchUp, SearchError> {
        let mut follow = self.follow.lock().await;
        if follow.built && follow.cursor.done() > 0 && store.oldest_change().await? > follow.cursor.done() + 1
        {
            // Entries this index never applied were pruned from the log: only a rebuild can
            // tell what they changed.
            tracing::warn!(
                index = follow.cursor.done(),
                "the change log was pruned past the search index; rebuilding it"
            );
            follow.built = false;
        }
        if !follow.checked_store {
            // An index ahead of the log was built from another database (a restored backup, a
            // changed URL): it cannot be trusted for anything.
            let latest = store.latest_change().await?;
            if latest < follow.cursor.done() {
                tracing::warn!(
                    index = follow.cursor.done(),
                    database = latest,
                    "the search index is ahead of the database's change log; rebuilding it"
                );
                follow.built = false;
            }
            follow.checked_store = true;
        }
        if !follow.built {
            self.rebuild_locked(store, &mut follow, &|_| {}).await?;
            return Ok(CatchUp::Rebuilt);
        }
        self.follow_log(store, &mut follow.cursor).await.map(CatchUp::Applied)
    }

    /// Rebuilds the whole index from the store, calling `progress` with the number of articles
    /// indexed after each page. Searches keep seeing the old index until the new one commits.
    pub async fn rebuild(
        &self,
        store: &Store,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<usize, SearchError> {
        let mut follow = self.follow.lock().await;
        self.rebuild_locked(store, &mut follow, progress).await
    }

    async fn rebuild_locked(
        &self,
        store: &Store,
        follow: &mut Follow,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<usize, SearchError> {
        // No background merges while the build flushes segment after segment: the build ends
        // by merging them all into one, and a merge the policy started meanwhile would take
        // some of them from under it. Serving goes back to the usual policy whatever happens.
        let _ = self
            .with_writer(|w, _| {
                w.set_merge_policy(Box::new(NoMergePolicy));
                Ok(())
            })
            .await;
        let result = self.build_all(store, follow, progress).await;
        if result.is_err() {
            // Never let a half-built index reach a later commit.
            let _ = self.with_writer(|w, _| w.rollback().map(|_| ())).await;
        }
        let _ = self
            .with_writer(|w, _| {
                w.set_merge_policy(Box::new(LogMergePolicy::default()));
                Ok(())
            })
            .await;
        result
    }

    async fn build_all(
        &self,
        store: &Store,
        follow: &mut Follow,
        progress: &(dyn Fn(u64) + Send + Sync),
    ) -> Result<usize, SearchError> {
        let started = std::time::Instant::now();
        let latest = store.latest_change().await?;
        let recent = store.recent_change_ids(latest, RECENT_WINDOW).await?;
        // Taken after reading the log: any transaction holding a hole below `latest` is older.
        let horizon = store.write_horizon().await?;
        self.with_writer(|w, _| w.delete_all_documents().map(|_| ())).await?;
        let mut after = 0;
        let mut count = 0;
        loop {
            let page = store.published_articles_after(after, REBUILD_PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let n = page.len();
            self.with_writer(move |w, f| {
                for article in &page {
                    w.add_document(document(f, article))?;
                }
                Ok(())
            })
            .await?;
            count += n;
            progress(n as u64);
            if n < REBUILD_PAGE as usize {
                break;
            }
        }
        let mut cursor = Cursor::after_rebuild(latest, &recent, recent.len() < RECENT_WINDOW as usize);
        if cursor.has_holes() {
            cursor.pending = Some(Pending { horizon, upto: cursor.highest() });
        }
        self.commit(cursor.done()).await?;
        // One segment instead of the several a build flushes: searches visit one, and no merge
        // of the whole index starts later, in the middle of serving.
        // The index is complete and committed already: a merge that fails (a merge started
        // before the build still running on some of the segments) leaves it in several
        // segments, which background merges combine later, rather than failing the build.
        let merged = self
            .with_writer(|w, _| {
                let segments = w.index().searchable_segment_ids()?;
                Ok(if segments.len() > 1 { w.merge(&segments).wait().err() } else { None })
            })
            .await?;
        if let Some(e) = merged {
            tracing::warn!(error = %e, "the new search index stays in several segments for now");
        }
        self.reader.reload()?;
        follow.cursor = cursor;
        follow.built = true;
        self.ready.store(true, std::sync::atomic::Ordering::SeqCst);
        tracing::info!(
            articles = count,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "search index built"
        );
        Ok(count)
    }

    /// Applies the changes logged since the cursor, in batches, each committed with the new
    /// position.
    async fn follow_log(&self, store: &Store, cursor: &mut Cursor) -> Result<Vec<Change>, SearchError> {
        // Asked before reading: if every transaction that could fill the open holes has ended,
        // what is read now is final for them.
        let give_up = match cursor.pending {
            Some(p) if store.horizon_passed(p.horizon).await? => Some(p.upto),
            _ => None,
        };
        let mut applied = Vec::new();
        for (after, up_to) in cursor.unread() {
            let mut after = after;
            loop {
                let rows = match up_to {
                    Some(up_to) => store.changes_between(after, up_to, CHANGES_BATCH).await?,
                    None => store.changes_after(after, CHANGES_BATCH).await?,
                };
                let Some(last) = rows.last() else { break };
                after = last.id;
                let full = rows.len() == CHANGES_BATCH as usize;
                self.apply(store, cursor, &rows).await?;
                applied.extend(rows);
                if !full {
                    break;
                }
            }
        }
        if let Some(upto) = give_up {
            let before = cursor.done();
            cursor.give_up_to(upto);
            cursor.pending = None;
            if cursor.done() != before {
                tracing::debug!(
                    from = before,
                    to = cursor.done(),
                    "gave up waiting for holes in the change log"
                );
                self.commit(cursor.done()).await?;
            }
        }
        if cursor.has_holes() && cursor.pending.is_none() {
            cursor.pending = Some(Pending { horizon: store.write_horizon().await?, upto: cursor.highest() });
        }
        Ok(applied)
    }

    /// Re-indexes the articles a batch of changes touched publicly and commits with the new
    /// position. Changes readers cannot see (drafts) cost no commit: the position moves on in
    /// memory and is saved with the next commit.
    async fn apply(&self, store: &Store, cursor: &mut Cursor, rows: &[Change]) -> Result<usize, SearchError> {
        let mut ids: Vec<i64> = rows.iter().filter(|c| c.public).filter_map(|c| c.article_id).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            for row in rows {
                cursor.mark(row.id);
            }
            return Ok(0);
        }
        let articles =
            if ids.is_empty() { Vec::new() } else { store.published_articles_by_ids(&ids).await? };
        let mut next = cursor.clone();
        for row in rows {
            next.mark(row.id);
        }
        let payload = payload(next.done());
        let touched = ids.len();
        self.with_writer(move |w, f| {
            let result = index_batch(w, f, &ids, &articles, &payload);
            if result.is_err() {
                let _ = w.rollback();
            }
            result
        })
        .await?;
        self.reader.reload()?;
        *cursor = next;
        Ok(touched)
    }

    /// Commits whatever the writer holds, recording `done` as the index's position.
    async fn commit(&self, done: i64) -> Result<(), SearchError> {
        let payload = payload(done);
        self.with_writer(move |w, _| {
            let mut commit = w.prepare_commit()?;
            commit.set_payload(&payload);
            commit.commit().map(|_| ())
        })
        .await?;
        self.reader.reload()?;
        Ok(())
    }

    /// Runs `f` with the writer on the blocking thread pool (indexing is CPU work).
    async fn with_writer<T, F>(&self, f: F) -> Result<T, SearchError>
    where
        T: Send + 'static,
        F: FnOnce(&mut IndexWriter, &Fields) -> tantivy::Result<T> + Send + 'static,
    {
        let writer = self.writer.clone();
        let fields = self.fields;
        let outcome = tokio::task::spawn_blocking(move || {
            let mut writer = writer.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut writer, &fields)
        })
        .await
        .map_err(|e| SearchError::Index(format!("the indexing task failed: {e}")))?;
        Ok(outcome?)
    }

    /// One page of results. Never fails on what the reader typed: syntax the parser cannot use
    /// is dropped (lenient parsing), and a query with no words finds nothing. The index is
    /// read on the blocking pool ([`run_query`]); snippets come from the database after.
    pub async fn search(
        self: &Arc<Self>,
        store: &Store,
        req: &SearchRequest<'_>,
    ) -> Result<SearchResults, SearchError> {
        let analyzer = Analyzer::for_lang(req.lang);
        let k = analyzer.index();
        let text = query::sanitize(req.text);
        if text.trim().is_empty() {
            return Ok(SearchResults::default());
        }
        if !self.is_ready() {
            return Err(SearchError::NotReady);
        }
        let find = Find {
            lang: req.lang.to_string(),
            text,
            section_id: req.section_id,
            tag: req.tag.map(str::to_string),
            from: req.from,
            to: req.to,
            sort: req.sort,
            offset: req.offset,
            limit: req.limit,
        };
        let this = self.clone();
        let (total, found, terms) = run_query(move || this.find(k, &find)).await?;
        self.finish(store, k, total, found, terms).await
    }

    /// The index part of [`search`](Self::search): total, hits and the query's terms (for
    /// highlighting).
    fn find(&self, k: usize, req: &Find) -> Result<(Total, Found, Vec<String>), SearchError> {
        let text = &req.text;
        let (user_query, errors) = self.parsers[k].parse_query_lenient(text);
        if !errors.is_empty() {
            tracing::debug!(query = %text, errors = ?errors, "search query parsed leniently");
        }
        let (title_field, words_field) = (self.fields.title[k], self.fields.words[k]);
        let mut terms = Vec::new();
        user_query.query_terms(&mut |term, _| {
            if term.field() == words_field
                && let Some(s) = term.value().as_str()
                && !terms.iter().any(|t| t == s)
            {
                terms.push(s.to_string());
            }
        });
        let filter = |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) {
            (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0)))
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        // English and Russian have analyzers (and so fields) of their own: only the plain
        // analyzer's fields are shared by several languages and need the language as a filter.
        if Analyzer::for_lang(&req.lang).is_shared() {
            let lang = Term::from_field_text(self.fields.lang, &req.lang);
            clauses.push(filter(Box::new(TermQuery::new(lang, IndexRecordOption::Basic))));
        }
        if let Some(section) = req.section_id {
            let term = Term::from_field_i64(self.fields.section, section);
            clauses.push(filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if let Some(tag) = &req.tag {
            let term = Term::from_field_text(self.fields.tag, tag);
            clauses.push(filter(Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        if req.from.is_some() || req.to.is_some() {
            let bound = |t: Option<Timestamp>, make: fn(Term) -> Bound<Term>| match t {
                Some(t) => make(Term::from_field_i64(self.fields.publish_at, t.as_second())),
                None => Bound::Unbounded,
            };
            let range = RangeQuery::new(bound(req.from, Bound::Included), bound(req.to, Bound::Excluded));
            clauses.push(filter(Box::new(range)));
        }
        // Without filters the parsed query is used as it is: a plain intersection of terms is
        // what Tantivy's block-max pruning recognises (a wrapping query would hide it).
        let query: Box<dyn Query> = if clauses.is_empty() {
            user_query
        } else {
            clauses.insert(0, (Occur::Must, user_query));
            Box::new(BooleanQuery::new(clauses))
        };
        let searcher = self.reader.searcher();
        let top = TopDocs::with_limit(req.limit.max(1)).and_offset(req.offset);
        let addresses: Vec<DocAddress> = match req.sort {
            Sort::Relevance => {
                searcher.search(&query, &top.order_by_score())?.into_iter().map(|(_, a)| a).collect()
            }
            Sort::Date => searcher
                .search(&query, &top.order_by_fast_field::<i64>("publish_at", Order::Desc))?
                .into_iter()
                .map(|(_, a)| a)
                .collect(),
        };
        // Always enough to tell whether a next page exists.
        let cap = COUNT_CAP.max(req.offset + req.limit + 1);
        let counted = count_up_to(&searcher, query.as_ref(), cap)?;
        let total = Total { n: counted.min(cap), more: counted > cap };
        let mut found = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let str_of =
                |f: Field| doc.get_first(f).and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
            let int_of = |f: Field| doc.get_first(f).and_then(|v| v.as_i64()).unwrap_or_default();
            found.push((
                int_of(self.fields.id),
                int_of(self.fields.section),
                str_of(self.fields.slug),
                str_of(title_field),
                int_of(self.fields.publish_at),
            ));
        }
        Ok((total, found, terms))
    }

    /// The database part of [`search`](Self::search): snippets from the stored texts.
    async fn finish(
        &self,
        store: &Store,
        k: usize,
        total: Total,
        found: Found,
        terms: Vec<String>,
    ) -> Result<SearchResults, SearchError> {
        let ids: Vec<i64> = found.iter().map(|f| f.0).collect();
        let texts = if ids.is_empty() { Default::default() } else { store.search_texts(&ids).await? };
        let mut highlighter = Highlighter::new(self.analyzers[k].clone(), terms);
        let hits = found
            .into_iter()
            .map(|(id, section_id, slug, title, publish_at)| {
                let text = texts.get(&id).map(|(lead, body)| searchable_text(lead, body)).unwrap_or_default();
                Hit {
                    id,
                    section_id,
                    slug,
                    title_html: highlighter.mark_all(&title),
                    snippet_html: highlighter.snippet(&text, SNIPPET_CHARS),
                    title,
                    publish_at: Timestamp::from_second(publish_at).unwrap_or(Timestamp::UNIX_EPOCH),
                }
            })
            .collect();
        Ok(SearchResults { total: total.n, more: total.more, hits })
    }
}

/// How many articles match, counting no further than `cap` (one more than it at most): the
/// matches are walked without scoring, and a common word stops costing at the cap.
fn count_up_to(searcher: &Searcher, query: &dyn Query, cap: usize) -> tantivy::Result<usize> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut n = 0;
    for reader in searcher.segment_readers() {
        let mut docs = weight.scorer(reader, 1.0)?;
        let alive = reader.alive_bitset();
        let mut doc = docs.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                n += 1;
                if n > cap {
                    return Ok(n);
                }
            }
            doc = docs.advance();
        }
    }
    Ok(n)
}

/// Removes the segment files the committed index does not use: segments no commit adopted, and
/// deletes files of another operation than the one `meta.json` names; also interrupted atomic
/// writes (`.tmp…`). Call only while holding the index's writer lock, before the first commit.
fn remove_leftovers(index: &Index, dir: &Path) -> Result<usize, SearchError> {
    let living: std::collections::HashMap<String, Option<u64>> = index
        .searchable_segment_metas()?
        .iter()
        .map(|m| (m.id().uuid_string(), m.delete_opstamp()))
        .collect();
    let mut removed = 0;
    let entries = std::fs::read_dir(dir).map_err(|e| SearchError::Index(e.to_string()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let leftover = if name.starts_with(".tmp") {
            true
        } else if let Some((id, rest)) = name.split_once('.') {
            let segment_file = id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
            match (segment_file, living.get(id)) {
                (false, _) => false,
                (true, None) => true,
                (true, Some(deletes)) => match rest.strip_suffix(".del") {
                    Some(opstamp) => opstamp.parse::<u64>().ok() != *deletes,
                    None => false,
                },
            }
        } else {
            false
        };
        if leftover {
            std::fs::remove_file(entry.path()).map_err(|e| SearchError::Index(e.to_string()))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Deletes the touched articles, adds back those published now, and commits.
fn index_batch(
    w: &mut IndexWriter,
    f: &Fields,
    ids: &[i64],
    articles: &[Article],
    payload: &str,
) -> tantivy::Result<()> {
    for id in ids {
        w.delete_term(Term::from_field_i64(f.id, *id));
    }
    for article in articles {
        w.add_document(document(f, article))?;
    }
    let mut commit = w.prepare_commit()?;
    commit.set_payload(payload);
    commit.commit().map(|_| ())
}

/// The index document of an article, in the fields of its language's analyzer.
fn document(f: &Fields, a: &Article) -> TantivyDocument {
    let k = Analyzer::for_lang(a.lang.as_str()).index();
    let mut doc = TantivyDocument::new();
    doc.add_i64(f.id, a.id);
    doc.add_text(f.lang, a.lang.as_str());
    doc.add_i64(f.section, a.section_id);
    doc.add_i64(f.publish_at, a.publish_at.as_second());
    doc.add_text(f.slug, &a.slug);
    for name in &a.tags {
        doc.add_text(f.tag, crate::domain::tag::slug_of(name));
    }
    doc.add_text(f.title[k], &a.title);
    for _ in 0..TITLE_COPIES {
        doc.add_text(f.words[k], &a.title);
    }
    doc.add_text(f.words[k], searchable_text(&a.lead, &a.body_html));
    if !a.tags.is_empty() {
        // Tag names are found like the text's words.
        doc.add_text(f.words[k], a.tags.join(", "));
    }
    doc
}

/// The text searched besides the title, and cut into snippets: the lead, then the body's text.
fn searchable_text(lead: &str, body_html: &str) -> String {
    let body = body_text(body_html);
    match (lead.trim(), body.is_empty()) {
        ("", _) => body,
        (lead, true) => lead.to_string(),
        (lead, false) => format!("{lead}\n{body}"),
    }
}

/// Tags after which words must not run together once the markup is gone.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "ul",
    "ol",
    "li",
    "figure",
    "figcaption",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "pre",
    "dl",
    "dt",
    "dd",
    "div",
    "img",
];

/// The body's text. `plain_text` drops tags without leaving a gap, so "<p>end.</p><p>Start"
/// would become "end.Start"; a space is put before every block-level tag first.
fn body_text(html: &str) -> String {
    let mut spaced = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        spaced.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let name = after.trim_start_matches('/');
        let len = name.bytes().take_while(u8::is_ascii_alphanumeric).count();
        if BLOCK_TAGS.iter().any(|t| t.eq_ignore_ascii_case(&name[..len])) {
            spaced.push(' ');
        }
        spaced.push('<');
        rest = after;
    }
    spaced.push_str(rest);
    plain_text(&spaced)
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
    fn block_tags_keep_words_apart() {
        assert_eq!(
            body_text("<p>end.</p><p>Start <b>bold</b>ly</p><ul><li>one</li><li>two</li></ul>"),
            "end. Start boldly one two"
        );
    }

    #[test]
    fn counting_stops_one_past_the_cap() {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        for a in Analyzer::ALL {
            index.tokenizers().register(&a.tokenizer_name(), a.build());
        }
        let en = Analyzer::for_lang("en");
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for n in 0..5 {
            let mut doc = TantivyDocument::new();
            doc.add_i64(fields.id, n);
            let text = if n == 4 { "annual report" } else { "annual budget report" };
            doc.add_text(fields.words[en.index()], text);
            writer.add_document(doc).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let parser = QueryParser::for_index(&index, vec![fields.words[en.index()]]);
        let both = parser.parse_query("+budget +report").unwrap();
        assert_eq!(count_up_to(&searcher, both.as_ref(), 10).unwrap(), 4, "an exact count under the cap");
        assert_eq!(count_up_to(&searcher, both.as_ref(), 2).unwrap(), 3, "cap + 1: more than the cap");
        writer.delete_term(Term::from_field_i64(fields.id, 0));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(count_up_to(&searcher, both.as_ref(), 10).unwrap(), 3, "deleted articles do not count");
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

    #[tokio::test]
    async fn empty_and_odd_queries_find_nothing_without_failing() {
        let tmp = tempfile::tempdir().unwrap();
        let search = Arc::new(Search::open(&tmp.path().join("search")).unwrap());
        let url = format!("sqlite://{}?mode=rwc", tmp.path().join("site.db").display());
        let store = Store::open(&url).await.unwrap();
        // A new index refuses searches until it is built, rather than finding nothing.
        assert!(!search.is_ready());
        let req = SearchRequest {
            lang: "en",
            text: "anything",
            section_id: None,
            tag: None,
            from: None,
            to: None,
            sort: Sort::Relevance,
            offset: 0,
            limit: 10,
        };
        assert!(matches!(search.search(&store, &req).await, Err(SearchError::NotReady)));
        search.catch_up(&store).await.unwrap();
        assert!(search.is_ready());
        for text in ["", "   ", "!!!", "\"unclosed", "a AND OR", "-only", "title_en:x", "(((", "*"] {
            let req = SearchRequest { text, ..req.clone() };
            let results = search.search(&store, &req).await.unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(results.total, 0, "{text:?}");
        }
    }
}
