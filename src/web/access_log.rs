//! The request log: one line per request under the target `newsdesk::access` (method, path,
//! status, time taken, bytes, whether the page cache answered, the request id, the client and
//! the route), pages answered from the cache before the router included, and a span around a
//! routed request so that whatever is logged while it runs (a failed query, a refused write)
//! carries the same request id, method and path.
//!
//! Every request gets an id: the one a trusted proxy sent in `X-Request-Id` (so a load
//! balancer's log and the node's log name the same request), or one made here. The answer
//! carries it back in `X-Request-Id`. Each request is also counted in the metrics by route.
//!
//! Writing the lines never makes a request wait: the log goes through a writer thread (see
//! `cli::init_tracing`). Silence the request log with `NEWSDESK_LOG=info,newsdesk::access=warn`.

use super::ClientAddr;
use super::cache::CacheStatus;
use crate::config::TrustedProxies;
use crate::metrics::{CACHED_ROUTE, UNMATCHED_ROUTE, metrics};
use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Response};
use axum::middleware::Next;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, OnceLock};
use std::time::Instant;
use tracing::Instrument;

/// The header that carries a request's id both ways.
pub static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The longest request id taken from a proxy.
const MAX_ID_LEN: usize = 128;

/// A request's id, as it goes into the log and the answer's `X-Request-Id`.
#[derive(Debug, Clone)]
pub struct RequestId(HeaderValue);

/// This process's id prefix: random, so two nodes (or two runs) do not hand out the same ids.
static PREFIX: LazyLock<u32> = LazyLock::new(|| {
    let mut bytes = [0u8; 4];
    let _ = getrandom::fill(&mut bytes);
    u32::from_le_bytes(bytes)
});
static NEXT: AtomicU64 = AtomicU64::new(1);

impl RequestId {
    /// The id a trusted proxy gave the request, or a new one.
    pub fn for_request(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> RequestId {
        if !trusted.is_empty()
            && trusted.trusts(peer)
            && let Some(given) = headers.get(&X_REQUEST_ID).filter(|v| acceptable(v.as_bytes()))
        {
            return RequestId(given.clone());
        }
        RequestId::new()
    }

    /// A new id: the process's prefix and a counter, 8 + up to 16 hex digits.
    pub fn new() -> RequestId {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let text = format!("{:08x}{n:08x}", *PREFIX);
        RequestId(HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("-")))
    }

    pub fn as_str(&self) -> &str {
        self.0.to_str().unwrap_or("-")
    }

    pub fn header(&self) -> HeaderValue {
        self.0.clone()
    }
}

impl Default for RequestId {
    fn default() -> Self {
        RequestId::new()
    }
}

/// A proxy's id is kept only when it is short and plain (letters, digits, `-_.:`), so nothing
/// odd reaches log lines or answers.
fn acceptable(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Where the route that handled a request is written down (by [`mark_route`], inside the
/// router) for the log line written outside it.
#[derive(Debug, Clone, Default)]
struct RouteSlot(Arc<OnceLock<MatchedPath>>);

/// Route-layer middleware: notes which route matched.
pub async fn mark_route(request: Request, next: Next) -> axum::response::Response {
    if let (Some(slot), Some(route)) =
        (request.extensions().get::<RouteSlot>(), request.extensions().get::<MatchedPath>())
    {
        let _ = slot.0.set(route.clone());
    }
    next.run(request).await
}

/// Paths whose last part is a secret (a preview link, a set-password link): logs keep the
/// prefix only, so a copy of the logs opens nothing.
const SECRET_PATHS: [&str; 2] = ["/preview/", "/admin/set-password/"];

/// The path as logs may keep it.
fn loggable(path: &str) -> std::borrow::Cow<'_, str> {
    match SECRET_PATHS.iter().find(|p| path.starts_with(*p) && path.len() > p.len()) {
        Some(prefix) => format!("{prefix}…").into(),
        None => path.into(),
    }
}

/// Middleware around the router: logs and counts the request when its answer is ready.
pub async fn log(mut request: Request, next: Next) -> axum::response::Response {
    let started = Instant::now();
    let method = request.method().clone();
    // The path only: query strings may carry search words or tokens that logs should not keep.
    let path = loggable(request.uri().path()).to_string();
    let client = request.extensions().get::<ClientAddr>().map(|c| c.0);
    let id = request.extensions().get::<RequestId>().cloned().unwrap_or_default();
    let slot = RouteSlot::default();
    request.extensions_mut().insert(slot.clone());
    let span = tracing::info_span!("request", request_id = %id.as_str(), %method, %path);
    let mut response = next.run(request).instrument(span).await;
    let route = slot.0.get().map(|r| r.as_str()).unwrap_or(UNMATCHED_ROUTE);
    let cache = response.extensions().get::<CacheStatus>().copied();
    line(&Line { id: &id, method: &method, path: &path, client, route, cache, started }, &response);
    response.headers_mut().insert(X_REQUEST_ID.clone(), id.header());
    response
}

/// A page answered from the cache before the router (see `fast_path`).
pub fn cached<B: http_body::Body>(
    request: &axum::http::Request<impl Sized>,
    response: &Response<B>,
    id: &RequestId,
    client: IpAddr,
    started: Instant,
) {
    let path = &*loggable(request.uri().path());
    let line_of = Line {
        id,
        method: request.method(),
        path,
        client: Some(client),
        route: CACHED_ROUTE,
        cache: Some(CacheStatus::Hit),
        started,
    };
    line(&line_of, response);
}

/// What a log line says of a request.
struct Line<'a> {
    id: &'a RequestId,
    method: &'a Method,
    path: &'a str,
    client: Option<IpAddr>,
    route: &'a str,
    cache: Option<CacheStatus>,
    started: Instant,
}

fn line<B: http_body::Body>(l: &Line<'_>, response: &Response<B>) {
    let elapsed = l.started.elapsed();
    let status = response.status().as_u16();
    metrics().record_request(l.route, l.method.as_str(), status, elapsed.as_secs_f64());
    if !tracing::enabled!(target: "newsdesk::access", tracing::Level::INFO) {
        return;
    }
    // HEAD answers and 304s carry no body whatever their Content-Length says.
    let bytes = if l.method == Method::HEAD || status == 304 {
        Some(0)
    } else {
        response.body().size_hint().exact().or_else(|| {
            response
                .headers()
                .get(axum::http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok()?.parse().ok())
        })
    };
    tracing::info!(
        target: "newsdesk::access",
        request_id = %l.id.as_str(),
        method = %l.method,
        path = %l.path,
        status,
        ms = (elapsed.as_secs_f64() * 100_000.0).round() / 100.0,
        bytes = bytes.map(|b| b as i64).unwrap_or(-1),
        cache = %l.cache.map(CacheStatus::as_str).unwrap_or("-"),
        client = %l.client.map(|c| c.to_string()).unwrap_or_default(),
        route = %l.route,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_links_are_not_logged() {
        assert_eq!(loggable("/preview/0a1b2c"), "/preview/…");
        assert_eq!(loggable("/admin/set-password/feed"), "/admin/set-password/…");
        assert_eq!(loggable("/en/news/summit"), "/en/news/summit");
        assert_eq!(loggable("/preview/"), "/preview/", "nothing secret to hide");
    }

    #[test]
    fn ids_are_new_each_time_unless_a_trusted_proxy_names_one() {
        let (a, b) = (RequestId::new(), RequestId::new());
        assert_ne!(a.as_str(), b.as_str());
        assert!(
            a.as_str().len() >= 16 && a.as_str().bytes().all(|c| c.is_ascii_hexdigit()),
            "{}",
            a.as_str()
        );

        let mut headers = HeaderMap::new();
        headers.insert(&X_REQUEST_ID, HeaderValue::from_static("lb-7f3a:42"));
        let proxy: IpAddr = "10.0.0.5".parse().unwrap();
        let trusted = TrustedProxies(vec!["10.0.0.0/8".parse().unwrap()]);
        assert_eq!(RequestId::for_request(proxy, &headers, &trusted).as_str(), "lb-7f3a:42");
        let stranger: IpAddr = "192.0.2.9".parse().unwrap();
        assert_ne!(RequestId::for_request(stranger, &headers, &trusted).as_str(), "lb-7f3a:42");
        assert_ne!(
            RequestId::for_request(proxy, &headers, &TrustedProxies::default()).as_str(),
            "lb-7f3a:42"
        );
        headers.insert(&X_REQUEST_ID, HeaderValue::from_static("a b<script>"));
        assert_ne!(RequestId::for_request(proxy, &headers, &trusted).as_str(), "a b<script>");
    }
}
