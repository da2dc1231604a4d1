//! `newsdesk serve`: run the site.

use super::Global;
use crate::domain::SystemClock;
use anyhow::Context;
use std::sync::Arc;

#[derive(Debug, clap::Args)]
pub struct Opts {
    /// Address to listen on.
    #[arg(long, env = "NEWSDESK_ADDR", default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub addr: String,
    /// Fill an empty site with demo content before serving.
    #[arg(long)]
    pub demo: bool,
}

pub async fn run(global: &Global, opts: Opts) -> anyhow::Result<()> {
    let (config, store) = super::open(global).await?;
    let clock = Arc::new(SystemClock);
    if opts.demo {
        super::demo::fill_demo_if_empty(&store, &config, clock.as_ref()).await?;
    }
    // Before listening: a node fetching its index is not up yet, rather than up and silent.
    seed_search_index(&config.data_dir, &store).await;
    let listener = tokio::net::TcpListener::bind(&opts.addr)
        .await
        .with_context(|| format!("cannot listen on {}", opts.addr))?;
    let local = listener.local_addr().context("cannot read the listening address")?;
    let mut site = config.site.clone();
    if !site.base_url_configured {
        site.base_url = served_base_url(local);
        if !local.ip().is_loopback() {
            tracing::warn!(
                "serving on {local} without [site] base_url: canonical links, feeds, sitemaps and \
                 structured data say {}; set base_url (or NEWSDESK_BASE_URL) to the public address",
                site.base_url
            );
        }
    }
    let state = crate::server::state(store.clone(), site, clock, &config.data_dir)?;
    let metrics = match state.site.metrics_address {
        Some(addr) => {
            let apart = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("cannot listen on {addr} for metrics (server.metrics_address)"))?;
            tracing::info!("metrics are served on http://{addr}/metrics");
            Some(tokio::spawn(crate::web::metrics::serve_apart(apart, state.clone())))
        }
        None => None,
    };
    tracing::info!(backend = store.backend(), "Newsdesk is serving on http://{local}/");
    let served = crate::server::run(state, listener, shutdown_signal()).await;
    if let Some(task) = metrics {
        task.abort();
    }
    served.context("the server stopped")?;
    store.close().await;
    Ok(())
}

/// Fills a new node's empty search index from the snapshot other nodes publish to the shared
/// media store (`crate::search::snapshot`), so that it is ready in seconds instead of reading
/// every article. Whatever goes wrong, the node builds its index from the database instead.
async fn seed_search_index(data_dir: &std::path::Path, store: &crate::storage::Store) {
    use crate::search::snapshot::{Passed, restore};
    let media = crate::media::settings(data_dir).store;
    if !matches!(*media, crate::media::MediaStore::S3(_)) {
        return;
    }
    let started = std::time::Instant::now();
    match restore(&media, store, &data_dir.join("search")).await {
        Ok(Ok(restored)) => {
            crate::metrics::metrics().search_snapshot_restored.inc();
            tracing::info!(
                files = restored.files,
                bytes = restored.bytes,
                change = restored.done,
                taken_at = restored.taken_at,
                seconds = started.elapsed().as_secs_f64(),
                "fetched the search index from its snapshot in the media store; applying the changes since"
            );
        }
        Ok(Err(Passed::HasIndex | Passed::NoSnapshot)) => {}
        Ok(Err(Passed::OtherDatabase)) => tracing::info!(
            "the search index's snapshot in the media store is not of this database (or older than \
             its change log); building the index from the database"
        ),
        Err(e) => tracing::warn!(
            error = %e,
            "cannot fetch the search index's snapshot; building the index from the database"
        ),
    }
}

/// The absolute address links use when no `base_url` is set: the one the server listens on
/// (a wildcard address is named by this machine's loopback, the only name it surely has).
fn served_base_url(local: std::net::SocketAddr) -> String {
    let host = match local.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => "[::1]".to_string(),
        std::net::IpAddr::V4(ip) => ip.to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
    };
    format!("http://{host}:{}", local.port())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    #[test]
    fn links_follow_the_served_address() {
        let at = |s: &str| super::served_base_url(s.parse().unwrap());
        assert_eq!(at("127.0.0.1:18100"), "http://127.0.0.1:18100");
        assert_eq!(at("0.0.0.0:8080"), "http://127.0.0.1:8080");
        assert_eq!(at("[::1]:9000"), "http://[::1]:9000");
        assert_eq!(at("192.0.2.5:80"), "http://192.0.2.5:80");
    }
}
