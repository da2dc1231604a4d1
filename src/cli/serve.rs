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
    let state = crate::server::state(store.clone(), config.site.clone(), clock, &config.data_dir)?;
    let listener = tokio::net::TcpListener::bind(&opts.addr)
        .await
        .with_context(|| format!("cannot listen on {}", opts.addr))?;
    let local = listener.local_addr().context("cannot read the listening address")?;
    tracing::info!(backend = store.backend(), "Newsdesk is serving on http://{local}/");
    crate::server::run(state, listener, shutdown_signal()).await.context("the server stopped")?;
    store.close().await;
    Ok(())
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
