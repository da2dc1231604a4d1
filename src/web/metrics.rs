//! `GET /metrics`: the node's metrics for Prometheus (see [`crate::metrics`]), at the site's
//! address, or only at `[server] metrics_address` when one is set ([`serve_apart`]).

use super::AppState;
use crate::metrics::{CONTENT_TYPE, Levels, metrics};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::net::TcpListener;

/// The metrics text, with the levels read now.
pub fn text(state: &AppState) -> String {
    let (cache_bytes, cache_entries) = state.cache.usage();
    let (connections, idle) = state.store.pool_usage();
    metrics().encode(&Levels {
        cache_bytes,
        cache_entries,
        timeline_articles: state.listing.articles() as u64,
        search_documents: state.search.num_docs(),
        pool_connections: u64::from(connections),
        pool_idle: idle as u64,
    })
}

fn answer(state: &AppState) -> Response {
    ([(header::CONTENT_TYPE, CONTENT_TYPE), (header::CACHE_CONTROL, "no-store")], text(state)).into_response()
}

/// `GET /metrics` on the site's address: not there when a separate address is set.
pub async fn scrape(State(state): State<AppState>) -> Response {
    if state.site.metrics_address.is_some() {
        return StatusCode::NOT_FOUND.into_response();
    }
    answer(&state)
}

/// Serves `/metrics` alone on `listener` (until the task is dropped).
pub async fn serve_apart(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let router = axum::Router::new()
        .route("/metrics", axum::routing::get(|State(state): State<AppState>| async move { answer(&state) }));
    axum::serve(listener, router.with_state(state)).await
}
