//! What the public site derives from the database and keeps in memory — the listing timeline,
//! related-news memo and page cache — kept in step with changes, incrementally.
//!
//! Changes reach it two ways. On the node that made them, the newsroom's post-commit step
//! ([`Followers::committed`]) applies them at once, knowing the article before and after.
//! Changes made elsewhere (other nodes, the command line) arrive through the change log, after
//! the search index applied them (`server::follow_changes`); a change this node already
//! applied is recognised by its id and skipped, so each change is applied once.
//!
//! Only public changes touch anything: a draft saved ten times a minute leaves every cached
//! page in place.

use super::cache::{PageCache, Touched};
use super::listing::{Listing, TimelineHint};
use super::related::RelatedMemo;
use crate::domain::{Article, ChangeKind, Status};
use crate::newsroom::Followers;
use crate::storage::changes::Change;
use crate::storage::editorial::Written;
use crate::storage::timeline::TimelineEntry;
use crate::storage::{Store, StoreError};
use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};

/// Change ids applied locally that the log follower has not seen yet; bounded.
const REMEMBERED: usize = 10_000;

/// The node's derived public state.
#[derive(Debug)]
pub struct ReadModels {
    pub listing: Arc<Listing>,
    pub cache: Arc<PageCache>,
    pub related: Arc<RelatedMemo>,
    /// The site's languages, touched when a change from elsewhere does not say enough.
    languages: Vec<String>,
    applied: Mutex<(HashSet<i64>, VecDeque<i64>)>,
    /// Every change up to this id has been applied here (from the log or locally).
    followed: AtomicI64,
}

fn entry(article: &Article) -> TimelineEntry {
    TimelineEntry {
        id: article.id,
        lang: article.lang.as_str().to_string(),
        section_id: article.section_id,
        publish_at: article.publish_at.as_second(),
    }
}

impl ReadModels {
    pub fn new(
        listing: Arc<Listing>,
        cache: Arc<PageCache>,
        related: Arc<RelatedMemo>,
        languages: Vec<String>,
    ) -> ReadModels {
        ReadModels {
            listing,
            cache,
            related,
            languages,
            applied: Mutex::default(),
            followed: AtomicI64::new(0),
        }
    }

    /// Every change up to this id is applied to this node's read models: what tests and
    /// readiness checks wait for after writing from elsewhere.
    pub fn followed(&self) -> i64 {
        self.followed.load(Ordering::SeqCst)
    }

    /// Records that the log has been followed up to `id`.
    pub fn followed_up_to(&self, id: i64) {
        self.followed.fetch_max(id, Ordering::SeqCst);
    }

    fn remember(&self, change_id: i64) {
        let mut applied = self.applied.lock().unwrap_or_else(|e| e.into_inner());
        let (set, order) = &mut *applied;
        if set.insert(change_id) {
            order.push_back(change_id);
        }
        while order.len() > REMEMBERED {
            if let Some(old) = order.pop_front() {
                set.remove(&old);
            }
        }
    }

    fn applied_here(&self, change_id: i64) -> bool {
        let mut applied = self.applied.lock().unwrap_or_else(|e| e.into_inner());
        applied.0.remove(&change_id)
    }

    /// Something every page shows changed (sections, a photo's texts), or the node lost
    /// track of the log: reload the listing on the next request and mark every page stale.
    pub fn everything_changed(&self) {
        self.listing.drop_snapshot();
        self.cache.invalidate();
    }

    /// Applies changes read from the log, skipping those this node made itself. Call after
    /// the search index applied them, so no page is cached from an index that lags behind.
    pub async fn follow(&self, store: &Store, changes: &[Change]) -> Result<(), StoreError> {
        let fresh: Vec<&Change> = changes.iter().filter(|c| !self.applied_here(c.id)).collect();
        if changes.iter().any(|c| c.public) {
            self.cache.touch_search();
        }
        if fresh.iter().any(|c| matches!(c.kind, ChangeKind::Section | ChangeKind::Photo | ChangeKind::Page))
        {
            self.everything_changed();
            return Ok(());
        }
        let mut ids: Vec<i64> = fresh.iter().filter(|c| c.public).filter_map(|c| c.article_id).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let published = store.timeline_entries(&ids).await?;
        let removed: Vec<(i64, Option<TimelineHint>)> = ids.iter().map(|id| (*id, None)).collect();
        self.listing.apply(&removed, &published);
        for id in &ids {
            self.related.forget(*id);
        }
        // A withdrawal takes the article off every page that links to it; otherwise the
        // articles' pages and their languages' lists (the change does not say which language
        // the article was in before, so all of them).
        let withdrawn = fresh
            .iter()
            .any(|c| c.status_before == Some(Status::Published) && c.status_after != Some(Status::Published));
        let languages: Vec<&str> = self.languages.iter().map(String::as_str).collect();
        self.cache.touch(&Touched { everything: withdrawn, articles: &ids, languages: &languages });
        Ok(())
    }
}

impl Followers for ReadModels {
    fn committed(&self, written: &Written) {
        self.remember(written.change_id);
        if !written.public {
            return;
        }
        let Some(article) = written.article() else { return };
        let was = written.before.as_ref().filter(|a| a.status == Status::Published);
        let is = written.after.as_ref().filter(|a| a.status == Status::Published);
        let hint = was.map(|a| TimelineHint {
            lang: a.lang.as_str().to_string(),
            section_id: a.section_id,
            publish_at: a.publish_at.as_second(),
        });
        let published: Vec<TimelineEntry> = is.map(entry).into_iter().collect();
        self.listing.apply(&[(article.id, hint)], &published);
        // A new title may relate the article to others.
        self.related.forget(article.id);
        let mut languages: Vec<&str> = [was, is].into_iter().flatten().map(|a| a.lang.as_str()).collect();
        languages.dedup();
        self.cache.touch(&Touched {
            everything: was.is_some() && is.is_none(),
            articles: &[article.id],
            languages: &languages,
        });
    }
}
