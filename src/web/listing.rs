//! Lists of published articles for pages, served from the in-memory [`Timeline`], which is
//! reloaded from the database on the first list request after any change (it follows the page
//! cache's generation, so it is never older than the pages built from it).

use super::AppState;
use super::error::WebResult;
use crate::storage::{ArticleSummary, ListFilter, Timeline};
use std::sync::{Arc, RwLock};
use tokio::sync::Mutex;

/// The current timeline and the generation it was loaded in.
#[derive(Debug, Default)]
pub struct Listing {
    current: RwLock<Option<(u64, Arc<Timeline>)>>,
    reload: Mutex<()>,
}

impl Listing {
    async fn timeline(&self, state: &AppState) -> WebResult<Arc<Timeline>> {
        let generation = state.cache.generation();
        if let Some((g, t)) = self.current.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            if *g == generation {
                return Ok(t.clone());
            }
        }
        // One reload at a time; requests that waited find it done.
        let _guard = self.reload.lock().await;
        if let Some((g, t)) = self.current.read().unwrap_or_else(|e| e.into_inner()).as_ref() {
            if *g == generation {
                return Ok(t.clone());
            }
        }
        let timeline = Arc::new(state.store.load_timeline().await?);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some((generation, timeline.clone()));
        Ok(timeline)
    }

    /// The first and last publication times of published articles in a language.
    pub async fn span(
        &self,
        state: &AppState,
        lang: &crate::domain::Lang,
    ) -> WebResult<Option<(jiff::Timestamp, jiff::Timestamp)>> {
        let span = self.timeline(state).await?.span(lang.as_str());
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
        let (total, ids) = self.timeline(state).await?.page(filter, limit, offset);
        Ok((total, state.store.summaries_by_ids(&ids).await?))
    }
}
