//! The request log: one line per request the router handles (method, path, status, time taken,
//! client), at `info` under the target `newsdesk::access`, and a span around the request so
//! that whatever is logged while it runs (a failed query, a refused write) names the request.
//!
//! Pages answered from the cache before the router (see `fast_path`) are logged at `debug`
//! only: at a hundred thousand a second a line each would cost more than the answer. Turn them
//! on with `NEWSDESK_LOG=info,newsdesk::access=debug`.

use super::ClientAddr;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;

/// Middleware: logs the request when its answer is ready.
pub async fn log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    // The path only: query strings may carry search words or tokens that logs should not keep.
    let path = request.uri().path().to_string();
    let client = request.extensions().get::<ClientAddr>().map(|c| c.0.to_string()).unwrap_or_default();
    let span = tracing::info_span!("request", %method, %path);
    let response = next.run(request).instrument(span).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(target: "newsdesk::access", %method, %path, status, ms = format_args!("{ms:.1}"), %client);
    response
}

/// A line for a page answered from the cache, at `debug`.
pub fn cached(method: &axum::http::Method, path: &str, status: u16) {
    tracing::debug!(target: "newsdesk::access", %method, %path, status, cached = true);
}
