//! One Newsdesk node: the HTTP server and its background jobs, started from a listener the
//! caller binds (the CLI binds the configured address, tests bind `127.0.0.1:0`).

use crate::config::SiteConfig;
use crate::domain::Clock;
use crate::storage::Store;
use crate::web::{self, AppState, templates::Templates};
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;

/// How often each node looks for scheduled articles that are due. Every node may run this at
/// once: publishing is one conditional UPDATE, so each article is published exactly once.
pub const SCHEDULER_INTERVAL: Duration = Duration::from_millis(500);

/// Builds the shared state: templates from the data directory's theme (if any) over the
/// built-in ones.
pub fn state(
    store: Store,
    site: SiteConfig,
    clock: Arc<dyn Clock>,
    data_dir: &Path,
) -> Result<AppState, minijinja::Error> {
    let theme = data_dir.join("theme").join("templates");
    let templates = Templates::load(theme.is_dir().then_some(theme.as_path()))?;
    Ok(AppState { store, site: Arc::new(site), templates: Arc::new(templates), clock })
}

/// Serves until `shutdown` resolves, with the scheduler running beside the server.
pub async fn run(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let scheduler = tokio::spawn(scheduler(state.clone(), stop_rx));
    let result = web::serve(listener, state, async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    })
    .await;
    scheduler.abort();
    result
}

/// Publishes due articles until told to stop.
async fn scheduler(state: AppState, mut stop: watch::Receiver<bool>) {
    loop {
        match state.store.publish_due(state.clock.now()).await {
            Ok(ids) if !ids.is_empty() => tracing::info!(count = ids.len(), "published scheduled articles"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "scheduled publishing failed; will retry"),
        }
        tokio::select! {
            _ = tokio::time::sleep(SCHEDULER_INTERVAL) => {}
            _ = stop.changed() => return,
        }
    }
}
