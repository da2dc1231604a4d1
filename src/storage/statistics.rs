//! Fresh planner statistics after bulk writes, on PostgreSQL.
//!
//! PostgreSQL plans a session's repeated statements once, after a few executions, from the
//! tables' statistics at that moment, and keeps that plan until the statistics change. A table
//! loaded in bulk from empty (an import into a new site, the demo corpus) is planned while it
//! is nearly empty and has never been analyzed: a lookup by language and slug then used an
//! index on the language alone, reading half the table for every article, so a million-article
//! import would have slowed to a crawl (20,000 articles took 56 s, ten times SQLite's pace,
//! and falling). Autovacuum analyzes the table eventually, minutes later. Bulk writers
//! therefore analyze the tables they grow each time they have written as many rows as at the
//! previous analysis (1,000, 2,000, 4,000, …): a few dozen ANALYZEs for a million rows, and
//! every session re-plans with the real sizes. SQLite plans each statement from its schema
//! and needs nothing.

use super::{Pool, Result, Store};
use std::sync::atomic::{AtomicU64, Ordering};

/// The fewest rows written before the first analysis.
const FIRST_AFTER: u64 = 1_000;

/// Rows a bulk writer of this process has written, since and up to the last analysis.
#[derive(Debug, Default)]
pub(crate) struct BulkRows {
    since: AtomicU64,
    analyzed: AtomicU64,
}

impl Store {
    /// Notes `rows` articles written in bulk, analyzing the tables they grew when they have
    /// doubled what was written before.
    pub(crate) async fn after_bulk_write(&self, rows: u64) -> Result<()> {
        let Pool::Postgres(pool) = &self.pool else { return Ok(()) };
        let since = self.bulk.since.fetch_add(rows, Ordering::Relaxed) + rows;
        let analyzed = self.bulk.analyzed.load(Ordering::Relaxed);
        if since < analyzed.max(FIRST_AFTER) {
            return Ok(());
        }
        self.bulk.since.store(0, Ordering::Relaxed);
        self.bulk.analyzed.store(analyzed + since, Ordering::Relaxed);
        sqlx::query("ANALYZE articles, article_tags, tags, changes, redirects, slug_redirects, revisions")
            .execute(pool)
            .await?;
        tracing::debug!(rows = analyzed + since, "table statistics refreshed after a bulk write");
        Ok(())
    }
}
