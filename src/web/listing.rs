//! What public pages read on every render, kept in memory: the [`Timeline`] of published
//! articles, the sections, and the list rows of articles shown recently.
//!
//! The snapshot follows changes incrementally ([`Listing::apply`]): an article changed is taken
//! out of its lists and put back where it now belongs (if published), and its memoized row is
//! forgotten — microseconds, where reloading the whole timeline took about 50 ms at 100,000
//! articles. This happens *before* the page cache marks pages stale, so no page is built from
//! an older snapshot. Sections changing, or a node that lost track of the log, drop the
//! snapshot; the next request loads it whole (only that one waits).

use super::AppState;
use super::error::WebResult;
use crate::domain::Section;
use crate::storage::timeline::TimelineEntry;
use crate::storage::{ArticleSummary, ListFilter, Timeline};

/// Where an article was in the timeline, when the writer knows it.
#[derive(Debug, Clone)]
pub struct TimelineHint {
    pub lang: String,
    pub section_id: i64,
    pub publish_at: i64,
}
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tokio::sync::Mutex;

/// List rows kept per snapshot; past this the memo starts over (the hot rows come back on use).
const MAX_ROWS: usize = 4_096;

/// The public content as of the last change.
#[derive(Debug)]
struct Snapshot {
    timeline: RwLock<Timeline>,
    sections: Arc<Vec<Section>>,
    /// List rows already read since the last change, by article id: the "latest news" beside
    /// every article and the first pages of lists are the same few rows.
    rows: RwLock<HashMap<i64, ArticleSummary>>,
}

/// The current snapshot.
#[derive(Debug, Default)]
pub struct Listing {
    current: RwLock<Option<Arc<Snapshot>>>,
    reload: Mutex<()>,
}

impl Listing {
    async fn snapshot(&self, state: &AppState) -> WebResult<Arc<Snapshot>> {
        let current = || self.current.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(snapshot) = current() {
            return Ok(snapshot);
        }
        // One load at a time; requests that waited find it done.
        let _guard = self.reload.lock().await;
        if let Some(snapshot) = current() {
            return Ok(snapshot);
        }
        let snapshot = Arc::new(Snapshot::load(state).await?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(snapshot.clone());
        Ok(snapshot)
    }

    /// Applies changed articles: each is removed from the lists it was in and, when it is
    /// published now, inserted where it belongs. `hint` speeds up finding where it was.
    /// Published articles in the current snapshot (0 when none is loaded), for the metrics.
    pub fn articles(&self) -> usize {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner()).clone();
        current.map(|s| s.timeline.read().unwrap_or_else(|e| e.into_inner()).len()).unwrap_or(0)
    }

    pub fn apply(&self, removed: &[(i64, Option<TimelineHint>)], published: &[TimelineEntry]) {
        let Some(snapshot) = self.current.read().unwrap_or_else(|e| e.into_inner()).clone() else {
            // Nothing loaded: the next request loads what is current.
            return;
        };
        {
            let mut timeline = snapshot.timeline.write().unwrap_or_else(|e| e.into_inner());
            for (id, hint) in removed {
                timeline.remove(*id, hint.as_ref().map(|h| (h.lang.as_str(), h.section_id, h.publish_at)));
            }
            for e in published {
                timeline.insert(e.id, &e.lang, e.section_id, e.publish_at);
            }
        }
        let mut rows = snapshot.rows.write().unwrap_or_else(|e| e.into_inner());
        for (id, _) in removed {
            rows.remove(id);
        }
    }

    /// Forgets the snapshot; the next request loads it whole.
    pub fn drop_snapshot(&self) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Reloads the snapshot. Loads are serialized, so a slower, older load never replaces a
    /// newer one. When the database cannot be read, the snapshot is dropped and the next
    /// request tries again.
    pub async fn refresh(&self, state: &AppState) {
        let _guard = self.reload.lock().await;
        let loaded = match Snapshot::load(state).await {
            Ok(snapshot) => Some(Arc::new(snapshot)),
            Err(e) => {
                tracing::warn!(error = %e, "cannot reload the article timeline; will retry on the next request");
                None
            }
        };
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = loaded;
    }

    /// All sections in navigation order.
    pub async fn sections(&self, state: &AppState) -> WebResult<Arc<Vec<Section>>> {
        Ok(self.snapshot(state).await?.sections.clone())
    }

    /// The first and last publication times of published articles in a language.
    pub async fn span(
        &self,
        state: &AppState,
        lang: &crate::domain::Lang,
    ) -> WebResult<Option<(jiff::Timestamp, jiff::Timestamp)>> {
        let span = self
            .snapshot(state)
            .await?
            .timeline
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .span(lang.as_str());
        Ok(span.and_then(|(a, b)| {
            Some((jiff::Timestamp::from_second(a).ok()?, jiff::Timestamp::from_second(b).ok()?))
        }))
    }

    /// One page of a list and the list's total.
    pub async fn page(
        &self,
        state: &AppState,
        filter: &ListFilter,
        limit: u32,
        offset: u64,
    ) -> WebResult<(u64, Vec<ArticleSummary>)> {
        if filter.needs_database() {
            let total = state.store.count_published(filter).await?;
            return Ok((total, state.store.list_published(filter, limit, offset).await?));
        }
        let snapshot = self.snapshot(state).await?;
        let (total, ids) =
            snapshot.timeline.read().unwrap_or_else(|e| e.into_inner()).page(filter, limit, offset);
        Ok((total, snapshot.rows(state, &ids).await?))
    }

    /// The first `limit` rows of each of several lists (the home page's section blocks), their
    /// rows read in one query instead of one per list. Filters the timeline cannot answer
    /// (tags, authors) are not for this: use [`page`](Self::page).
    pub async fn firsts(
        &self,
        state: &AppState,
        filters: &[ListFilter],
        limit: u32,
    ) -> WebResult<Vec<Vec<ArticleSummary>>> {
        debug_assert!(filters.iter().all(|f| !f.needs_database()));
        let snapshot = self.snapshot(state).await?;
        let lists: Vec<Vec<i64>> = {
            let timeline = snapshot.timeline.read().unwrap_or_else(|e| e.into_inner());
            filters.iter().map(|f| timeline.page(f, limit, 0).1).collect()
        };
        let all: Vec<i64> = lists.iter().flatten().copied().collect();
        let rows: HashMap<i64, ArticleSummary> =
            snapshot.rows(state, &all).await?.into_iter().map(|r| (r.id, r)).collect();
        Ok(lists.iter().map(|ids| ids.iter().filter_map(|id| rows.get(id).cloned()).collect()).collect())
    }

    /// Keyset paging for the API: rows after `after` (`(publish_at, id)`), and the key of the
    /// last row when more follow.
    pub async fn page_after(
        &self,
        state: &AppState,
        filter: &ListFilter,
        after: Option<(i64, i64)>,
        limit: u32,
    ) -> WebResult<(Vec<ArticleSummary>, Option<(i64, i64)>)> {
        let snapshot = self.snapshot(state).await?;
        let (keys, more) = if filter.needs_database() {
            state.store.published_keys_after(filter, after, limit).await?
        } else {
            snapshot.timeline.read().unwrap_or_else(|e| e.into_inner()).page_after(filter, after, limit)
        };
        let ids: Vec<i64> = keys.iter().map(|(_, id)| *id).collect();
        let rows = snapshot.rows(state, &ids).await?;
        Ok((rows, if more { keys.last().copied() } else { None }))
    }

    /// The list rows of those of `ids` that are published, in the order given.
    pub async fn published(&self, state: &AppState, ids: &[i64]) -> WebResult<Vec<ArticleSummary>> {
        let snapshot = self.snapshot(state).await?;
        let mut rows = snapshot.rows(state, ids).await?;
        let timeline = snapshot.timeline.read().unwrap_or_else(|e| e.into_inner());
        rows.retain(|r| timeline.contains(r.lang.as_str(), r.publish_at.as_second(), r.id));
        Ok(rows)
    }
}

impl Snapshot {
    async fn load(state: &AppState) -> WebResult<Snapshot> {
        Ok(Snapshot {
            timeline: RwLock::new(state.store.load_timeline().await?),
            sections: Arc::new(state.store.sections().await?),
            rows: RwLock::new(HashMap::new()),
        })
    }

    /// List rows by id, in the order given, from the memo or else the database.
    async fn rows(&self, state: &AppState, ids: &[i64]) -> WebResult<Vec<ArticleSummary>> {
        let mut found: HashMap<i64, ArticleSummary> = {
            let rows = self.rows.read().unwrap_or_else(|e| e.into_inner());
            ids.iter().filter_map(|id| rows.get(id).map(|r| (*id, r.clone()))).collect()
        };
        let missing: Vec<i64> = ids.iter().copied().filter(|id| !found.contains_key(id)).collect();
        if !missing.is_empty() {
            let read = state.store.summaries_by_ids(&missing).await?;
            let mut rows = self.rows.write().unwrap_or_else(|e| e.into_inner());
            if rows.len() + read.len() > MAX_ROWS {
                rows.clear();
            }
            for row in read {
                rows.insert(row.id, row.clone());
                found.insert(row.id, row);
            }
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }
}
