//! One Newsdesk node: the HTTP server and its background jobs, started from a listener the
//! caller binds (the CLI binds the configured address, tests bind `127.0.0.1:0`).

use crate::config::SiteConfig;
use crate::domain::Clock;
use crate::search::{Search, SearchError};
use crate::storage::Store;
use crate::web::{self, AppState, cache::PageCache, templates::Templates};
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How often each node looks for scheduled articles that are due. Every node may run this at
/// once: publishing is one conditional UPDATE, so each article is published exactly once.
pub const SCHEDULER_INTERVAL: Duration = Duration::from_millis(500);

/// A node could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the site's templates cannot be compiled: {0:#}")]
    Templates(#[from] minijinja::Error),
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// Memory for rendered pages (bodies plus compressed forms); enough for the hot pages of a
/// large archive while keeping the whole server well under 150 MB.
pub const PAGE_CACHE_BYTES: usize = 48 * 1024 * 1024;

/// Builds the shared state: templates from the data directory's theme (if any) over the
/// built-in ones, and the search index in `DATA/search`.
pub fn state(
    store: Store,
    site: SiteConfig,
    clock: Arc<dyn Clock>,
    data_dir: &Path,
) -> Result<AppState, StartError> {
    let theme = data_dir.join("theme").join("templates");
    let templates = Templates::load(theme.is_dir().then_some(theme.as_path()))?;
    let search = Search::open(&data_dir.join("search"))?;
    Ok(AppState {
        store,
        site: Arc::new(site),
        templates: Arc::new(templates),
        clock,
        search: Arc::new(search),
        cache: Arc::new(PageCache::new(PAGE_CACHE_BYTES)),
        listing: Arc::default(),
        related: Arc::default(),
        views: Arc::default(),
    })
}

/// Serves until `shutdown` resolves, with the scheduler running beside the server.
pub async fn run(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let scheduler = tokio::spawn(scheduler(state.clone(), stop_rx.clone()));
    let follower = tokio::spawn(follow_changes(state.clone(), stop_rx.clone()));
    let webhooks = tokio::spawn(crate::webhooks::worker::run(state.clone(), stop_rx));
    let state_for_flush = state.clone();
    let result = web::serve(listener, state, async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    })
    .await;
    scheduler.abort();
    follower.abort();
    // Stopped by `stop_tx` above; it gives its lease up so another node takes over at once.
    let webhooks_abort = webhooks.abort_handle();
    if tokio::time::timeout(Duration::from_secs(2), webhooks).await.is_err() {
        webhooks_abort.abort();
    }
    // Keep the last few seconds of view counts.
    crate::web::views::flush(&state_for_flush).await;
    result
}

/// How often a node checks the change log for content changed by others (other nodes, the
/// command line) and brings its search index up to date.
pub const FOLLOW_INTERVAL: Duration = Duration::from_millis(250);

/// Keeps this node's derived state (the search index, the page cache) in step with the
/// database: the search index first, so no page is cached from an index that lags behind.
async fn follow_changes(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut seen = state.store.latest_change().await.unwrap_or(0);
    loop {
        // Read the newest change before catching up: a change that commits in between is then
        // seen again on the next round, so no page is cached from an index that lags behind.
        let latest = state.store.latest_change().await;
        // On PostgreSQL an older change can commit after a newer one (a hole in the log that
        // fills): the newest id stays the same, but the index applies it, and pages must follow.
        let applied = match state.search.catch_up(&state.store).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(error = %e, "search index catch-up failed; will retry");
                0
            }
        };
        match latest {
            Ok(latest) if latest != seen || applied > 0 => {
                seen = latest;
                state.content_changed().await;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot read the change log; will retry"),
        }
        tokio::select! {
            _ = tokio::time::sleep(FOLLOW_INTERVAL) => {}
            _ = stop.changed() => return,
        }
    }
}

/// How often expired sessions, one-time links and old sign-in counters are deleted.
pub const PRUNE_INTERVAL: Duration = Duration::from_secs(600);

/// How long webhook deliveries stay in the log (made or not).
pub const WEBHOOK_LOG_RETENTION: jiff::SignedDuration = jiff::SignedDuration::from_hours(30 * 24);

/// Publishes due articles until told to stop, writes gathered view counts and prunes what has
/// expired.
async fn scheduler(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut last_flush = std::time::Instant::now();
    let mut last_prune: Option<std::time::Instant> = None;
    loop {
        if last_flush.elapsed() >= crate::web::views::FLUSH_INTERVAL {
            crate::web::views::flush(&state).await;
            last_flush = std::time::Instant::now();
        }
        if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_INTERVAL) {
            let now = state.clock.now();
            match state.store.prune_expired(now, now - crate::web::admin::login::WINDOW).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "pruned expired sessions, links and sign-in counters"),
                Err(e) => tracing::warn!(error = %e, "pruning failed; will retry"),
            }
            match state.store.prune_webhook_deliveries(now - WEBHOOK_LOG_RETENTION).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "pruned old webhook deliveries"),
                Err(e) => tracing::warn!(error = %e, "pruning webhook deliveries failed; will retry"),
            }
            last_prune = Some(std::time::Instant::now());
        }
        match state.store.publish_due(state.clock.now()).await {
            Ok(ids) if !ids.is_empty() => {
                tracing::info!(count = ids.len(), "published scheduled articles");
                state.content_changed().await;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "scheduled publishing failed; will retry"),
        }
        tokio::select! {
            _ = tokio::time::sleep(SCHEDULER_INTERVAL) => {}
            _ = stop.changed() => return,
        }
    }
}
