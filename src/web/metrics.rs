//! `GET /metrics`: the node's metrics for Prometheus (see [`crate::metrics`]), at the site's
//! address, or only at `[server] metrics_address` when one is set ([`serve_apart`]).

use super::{AppState, ClientAddr};
use crate::metrics::{CONTENT_TYPE, Levels, metrics};
use axum::Extension;
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

/// `GET /metrics` on the site's address: only for clients on this machine or a private network
/// (where Prometheus runs; the public need not see what a node is doing), and not at all when
/// a separate address is set.
pub async fn scrape(State(state): State<AppState>, client: Option<Extension<ClientAddr>>) -> Response {
    let inside = client.is_some_and(|Extension(c)| is_internal(c.0));
    if state.site.metrics_address.is_some() || !inside {
        return StatusCode::NOT_FOUND.into_response();
    }
    answer(&state)
}

/// Loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7) or link-local.
fn is_internal(ip: std::net::IpAddr) -> bool {
    match crate::config::canonical(ip) {
        std::net::IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
        std::net::IpAddr::V6(v6) => {
            v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00 || (v6.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

/// Serves `/metrics` alone on `listener` (until the task is dropped).
pub async fn serve_apart(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let router = axum::Router::new()
        .route("/metrics", axum::routing::get(|State(state): State<AppState>| async move { answer(&state) }));
    axum::serve(listener, router.with_state(state)).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_internal_clients_see_the_metrics_on_the_site_address() {
        for inside in
            ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.20", "::1", "fd00::5", "::ffff:10.0.0.1"]
        {
            assert!(super::is_internal(inside.parse().unwrap()), "{inside}");
        }
        for outside in ["203.0.113.9", "8.8.8.8", "2001:db8::1", "172.32.0.1"] {
            assert!(!super::is_internal(outside.parse().unwrap()), "{outside}");
        }
    }
}
