//! One Newsdesk node: the HTTP server and its background jobs, started from a listener the
//! caller binds (the CLI binds the configured address, tests bind `127.0.0.1:0`).

use crate::config::SiteConfig;
use crate::domain::Clock;
use crate::newsroom::Newsroom;
use crate::outage::Outage;
use crate::search::{CatchUp, Search, SearchError};
use crate::storage::Store;
use crate::storage::notify::ChangeListener;
use crate::web::{self, AppState, cache::PageCache, read_models::ReadModels, templates::Templates};
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
    let cache = Arc::new(PageCache::new(PAGE_CACHE_BYTES));
    let listing: Arc<web::listing::Listing> = Arc::default();
    let related: Arc<web::related::RelatedMemo> = Arc::default();
    let languages = site.languages.iter().map(|l| l.as_str().to_string()).collect();
    let read_models = Arc::new(ReadModels::new(listing.clone(), cache.clone(), related.clone(), languages));
    let newsroom = Newsroom::new(store.clone(), clock.clone(), site.languages.clone(), read_models.clone());
    Ok(AppState {
        store,
        site: Arc::new(site),
        templates: Arc::new(templates),
        clock,
        search: Arc::new(search),
        cache,
        listing,
        related,
        views: Arc::default(),
        read_models,
        newsroom,
        data_dir: Arc::from(data_dir),
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
    let snapshots = tokio::spawn(publish_search_snapshots(state.clone(), stop_rx.clone()));
    let webhooks = tokio::spawn(crate::webhooks::worker::run(state.clone(), stop_rx));
    let state_for_flush = state.clone();
    let result = web::serve(listener, state, async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    })
    .await;
    scheduler.abort();
    follower.abort();
    // Stopped by `stop_tx` above; they give their leases up so another node takes over at once.
    for task in [webhooks, snapshots] {
        let abort = task.abort_handle();
        if tokio::time::timeout(Duration::from_secs(2), task).await.is_err() {
            abort.abort();
        }
    }
    // Keep the last few seconds of view counts.
    crate::web::views::flush(&state_for_flush).await;
    result
}

/// How often a node checks the change log for content changed by others (other nodes, the
/// command line) and brings its search index up to date, when no notification woke it first.
pub const FOLLOW_INTERVAL: Duration = Duration::from_millis(250);

/// Keeps this node's derived state (the search index, the listing, the page cache) in step
/// with changes made elsewhere (other nodes, the command line): the search index first, then
/// the read models from the same changes, so no page is cached from an index that lags behind.
async fn follow_changes(state: AppState, mut stop: watch::Receiver<bool>) {
    // Woken by the database's notifications where it sends them (PostgreSQL); the poll
    // stays as the fallback, and covers notifications lost with a connection.
    let mut listener: Option<ChangeListener> = None;
    let mut next_listen = std::time::Instant::now();
    let mut outage = Outage::new("following changes");
    loop {
        let mut trouble: Option<String> = None;
        if listener.is_none() && std::time::Instant::now() >= next_listen {
            match state.store.change_listener().await {
                Ok(found) => listener = found,
                Err(e) => {
                    trouble = Some(format!("cannot listen for change notifications (polling meanwhile): {e}"))
                }
            }
            next_listen = std::time::Instant::now() + LISTEN_RETRY;
        }
        // Read before catching up: once caught up, everything up to here is applied.
        let latest = state.store.latest_change().await;
        let caught_up = state.search.catch_up(&state.store).await;
        let index_ok = caught_up.is_ok();
        match caught_up {
            Ok(CatchUp::Applied(changes)) if !changes.is_empty() => {
                if let Err(e) = state.read_models.follow(&state.store, &changes).await {
                    tracing::warn!(error = %e, "cannot apply changes to the listing; reloading it");
                    state.read_models.everything_changed();
                }
            }
            Ok(CatchUp::Applied(_)) => {}
            // Built from scratch (a new index, or the log was pruned past its position):
            // nothing derived can be trusted to be current.
            Ok(CatchUp::Rebuilt) => state.read_models.everything_changed(),
            Err(e) => trouble = Some(format!("search index catch-up failed: {e}")),
        }
        match latest {
            Ok(latest) => {
                state.read_models.followed_up_to(latest);
                if index_ok {
                    crate::metrics::metrics().followed_now();
                }
            }
            Err(e) => trouble = Some(format!("cannot read the change log: {e}")),
        }
        match &trouble {
            Some(t) => outage.failed(t),
            None => outage.worked(),
        }
        let notified = async {
            match listener.as_mut() {
                Some(l) => l.next().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(FOLLOW_INTERVAL) => {}
            woke = notified => {
                if let Err(e) = woke {
                    tracing::warn!(error = %e, "lost the change notifications; polling until they are back");
                    listener = None;
                }
            }
            _ = stop.changed() => return,
        }
    }
}

/// How often a node asks whether the search index's snapshot is due.
const SNAPSHOT_CHECK: Duration = Duration::from_secs(60);
/// How long the node publishing a snapshot holds it for others, renewed every
/// [`SNAPSHOT_RENEW`] while it sends.
const SNAPSHOT_LEASE: jiff::SignedDuration = jiff::SignedDuration::from_mins(5);
const SNAPSHOT_RENEW: Duration = Duration::from_secs(60);
/// A snapshot this many changes behind the log (a large import) is replaced sooner than its
/// interval, once it is at least [`SNAPSHOT_SOONEST`] old.
const SNAPSHOT_BEHIND: i64 = 50_000;
const SNAPSHOT_SOONEST: jiff::SignedDuration = jiff::SignedDuration::from_mins(15);

/// Publishes the search index's snapshot to the shared media store for new nodes to start from
/// (`crate::search::snapshot`): when there is none, when the newest is older than `[search]
/// snapshot_hours` and the index has moved on, or when it lags far behind. One node at a time,
/// under a lease; nothing at all without a shared (S3) store.
async fn publish_search_snapshots(state: AppState, mut stop: watch::Receiver<bool>) {
    let Some(every) = state.site.search_snapshot_every else { return };
    let media = crate::media::settings(&state.data_dir).store;
    if !matches!(*media, crate::media::MediaStore::S3(_)) {
        return;
    }
    let every = jiff::SignedDuration::try_from(every).unwrap_or(jiff::SignedDuration::MAX);
    let holder = crate::storage::leases::holder_id();
    let work = crate::search::snapshot::sibling(state.search.dir(), "snapshot");
    while !*stop.borrow() {
        let ready = state.search.is_ready();
        if ready && let Err(e) = snapshot_if_due(&state, &media, &work, every, &holder, &mut stop).await {
            tracing::warn!(error = %e, "cannot publish the search index's snapshot; will try again");
        }
        let wait = if ready { SNAPSHOT_CHECK } else { Duration::from_secs(1) };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn snapshot_if_due(
    state: &AppState,
    media: &crate::media::MediaStore,
    work: &Path,
    every: jiff::SignedDuration,
    holder: &str,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), SearchError> {
    use crate::search::snapshot;
    const LEASE: &str = "search-snapshot";
    let now = state.clock.now();
    let latest_change = state.store.latest_change().await?;
    let due = match snapshot::latest(media).await? {
        None => latest_change > 0,
        Some(last) => {
            let age = now.duration_since(jiff::Timestamp::from_second(last.taken_at).unwrap_or(now));
            (age >= every && latest_change > last.done)
                || (age >= SNAPSHOT_SOONEST && latest_change - last.done >= SNAPSHOT_BEHIND)
        }
    };
    if !due || !state.store.take_lease(LEASE, holder, now, now + SNAPSHOT_LEASE).await? {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let publishing = snapshot::publish(state.search.dir(), work, media, &state.store, now);
    tokio::pin!(publishing);
    // The lease is short and renewed while the snapshot is sent, so that a node that dies
    // half-way holds up the others for minutes, not hours; a node told to stop gives it up.
    let mut renew = tokio::time::interval(SNAPSHOT_RENEW);
    renew.tick().await;
    let published = loop {
        tokio::select! {
            done = &mut publishing => break Some(done),
            _ = renew.tick() => {
                let now = state.clock.now();
                if !state.store.take_lease(LEASE, holder, now, now + SNAPSHOT_LEASE).await? {
                    tracing::warn!("another node took the search snapshot's lease; this node stops sending its own");
                    break None;
                }
            }
            _ = stop.changed() => break None,
        }
    };
    if let Err(e) = state.store.release_lease(LEASE, holder).await {
        tracing::warn!(error = %e, "cannot release the search snapshot's lease; it expires by itself");
    }
    let Some(published) = published else { return Ok(()) };
    let manifest = published?;
    crate::metrics::metrics().search_snapshots_published.inc();
    tracing::info!(
        files = manifest.files.len(),
        bytes = manifest.bytes(),
        change = manifest.done,
        seconds = started.elapsed().as_secs_f64(),
        "published a snapshot of the search index for new nodes"
    );
    Ok(())
}

/// How long a node polls alone before it tries again to listen for notifications.
const LISTEN_RETRY: Duration = Duration::from_secs(5);

/// How often expired sessions, one-time links and old sign-in counters are deleted.
pub const PRUNE_INTERVAL: Duration = Duration::from_secs(600);

/// How long webhook deliveries stay in the log (made or not).
pub const WEBHOOK_LOG_RETENTION: jiff::SignedDuration = jiff::SignedDuration::from_hours(30 * 24);

/// Publishes due articles until told to stop, writes gathered view counts and prunes what has
/// expired.
async fn scheduler(state: AppState, mut stop: watch::Receiver<bool>) {
    let mut last_flush = std::time::Instant::now();
    let mut last_prune: Option<std::time::Instant> = None;
    let mut outage = Outage::new("scheduled publishing");
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
            match state.store.prune_changes(now - crate::storage::changes::RETENTION).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "pruned change-log entries past the retention period"),
                Err(e) => tracing::warn!(error = %e, "pruning the change log failed; will retry"),
            }
            match state.store.prune_webhook_deliveries(now - WEBHOOK_LOG_RETENTION).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "pruned old webhook deliveries"),
                Err(e) => tracing::warn!(error = %e, "pruning webhook deliveries failed; will retry"),
            }
            last_prune = Some(std::time::Instant::now());
        }
        crate::metrics::metrics().scheduler_runs.inc();
        match state.newsroom.publish_due().await {
            Ok(published) => {
                outage.worked();
                if !published.is_empty() {
                    crate::metrics::metrics().scheduled_published.inc_by(published.len() as u64);
                    tracing::info!(count = published.len(), "published scheduled articles");
                }
            }
            Err(e) => outage.failed(&e),
        }
        match state.newsroom.unpublish_expired().await {
            Ok(expired) if !expired.is_empty() => {
                tracing::info!(count = expired.len(), "unpublished expired articles");
            }
            Ok(_) => {}
            Err(e) => outage.failed(&e),
        }
        tokio::select! {
            _ = tokio::time::sleep(SCHEDULER_INTERVAL) => {}
            _ = stop.changed() => return,
        }
    }
}
