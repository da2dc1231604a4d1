//! Keeping the index in step with the database: following its change log, and building the
//! index from scratch when it cannot be followed.

use super::cursor::{Cursor, Pending};
use super::schema::{Fields, document, payload};
use super::{CatchUp, Follow, Search, SearchError};
use crate::domain::Article;
use crate::storage::Store;
use crate::storage::changes::Change;
use std::path::Path;
use std::sync::PoisonError;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::{Index, IndexWriter, Term};

/// Change-log entries read (and committed) per batch.
const CHANGES_BATCH: u32 = 1_000;
/// Articles read per page during a rebuild.
const REBUILD_PAGE: u32 = 500;
/// How many of the newest change ids a rebuild checks for holes that may still fill.
const RECENT_WINDOW: u32 = 10_000;

impl Search {
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
        self.reload().await?;
        // The build's buffers are free now but kept by the allocator for reuse: most of the
        // process's memory after a build. Serving needs a fraction of it.
        let _ = tokio::task::spawn_blocking(crate::memory::release_free_memory).await;
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
        self.reload().await?;
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
        self.reload().await?;
        Ok(())
    }

    /// Makes searches see the last commit. Off the async workers: opening the new segments
    /// reads files and takes a millisecond or more at 100,000 articles, during which a worker
    /// would answer no one.
    async fn reload(&self) -> Result<(), SearchError> {
        let reader = self.reader.clone();
        tokio::task::spawn_blocking(move || reader.reload())
            .await
            .map_err(|e| SearchError::Index(format!("the reload task failed: {e}")))??;
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
}

/// Removes the segment files the committed index does not use: segments no commit adopted, and
/// deletes files of another operation than the one `meta.json` names; also interrupted atomic
/// writes (`.tmp…`). Call only while holding the index's writer lock, before the first commit.
pub(super) fn remove_leftovers(index: &Index, dir: &Path) -> Result<usize, SearchError> {
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
