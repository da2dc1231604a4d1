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
//!
//! A line is one per request, cached pages included, so its cost is paid at full speed: going
//! through `tracing`'s formatter (visitors, dynamic dispatch, a timestamp formatted from
//! scratch) took about 29 % of a cached page's throughput. When the binary set logging up it
//! installs a [`Sink`]: the line is then formatted here, in the very text or JSON shape
//! `tracing` would give it, and handed to the same writer thread, so it keeps its place among
//! the other lines. The filter still decides whether it is written.

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

/// Where request-log lines go when the binary set logging up: the writer thread every log
/// line goes through, and the format of the other lines.
pub struct Sink {
    writer: tracing_appender::non_blocking::NonBlocking,
    json: bool,
}

static SINK: OnceLock<Sink> = OnceLock::new();

/// Sends request-log lines, formatted here, to `writer` (text, or JSON with `json`). Without
/// it (tests that set up their own subscriber) they go through `tracing` like any event.
pub fn install_sink(writer: tracing_appender::non_blocking::NonBlocking, json: bool) {
    let _ = SINK.set(Sink { writer, json });
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
    let ms = (elapsed.as_secs_f64() * 100_000.0).round() / 100.0;
    let fields = Fields {
        request_id: l.id.as_str(),
        method: l.method.as_str(),
        path: l.path,
        status,
        ms,
        bytes: bytes.map(|b| b as i64).unwrap_or(-1),
        cache: l.cache.map(CacheStatus::as_str).unwrap_or("-"),
        client: l.client,
        route: l.route,
    };
    match SINK.get() {
        Some(sink) => {
            let mut text = Vec::with_capacity(256);
            // A log line's time is the machine's, whatever clock the site runs on.
            #[allow(clippy::disallowed_methods)]
            let at = jiff::Timestamp::now();
            fields.write(&mut text, at, sink.json);
            let _ = std::io::Write::write_all(&mut sink.writer.clone(), &text);
        }
        None => tracing::info!(
            target: "newsdesk::access",
            request_id = %fields.request_id,
            method = %fields.method,
            path = %fields.path,
            status,
            ms,
            bytes = fields.bytes,
            cache = %fields.cache,
            client = %fields.client.map(|c| c.to_string()).unwrap_or_default(),
            route = %fields.route,
        ),
    }
}

/// The fields of a request-log line, in their order.
struct Fields<'a> {
    request_id: &'a str,
    method: &'a str,
    path: &'a str,
    status: u16,
    ms: f64,
    bytes: i64,
    cache: &'a str,
    client: Option<IpAddr>,
    route: &'a str,
}

/// A field's value as the log's formatter writes it.
enum Value<'a> {
    Text(&'a str),
    Int(i64),
    /// Written with `{:?}`, as `tracing` writes a recorded `f64`.
    Float(f64),
}

impl Fields<'_> {
    /// The fields in the order of the line, named as in the `tracing` event (the fallback).
    fn pairs<'a>(&'a self, client: &'a str) -> [(&'static str, Value<'a>); 9] {
        [
            ("request_id", Value::Text(self.request_id)),
            ("method", Value::Text(self.method)),
            ("path", Value::Text(self.path)),
            ("status", Value::Int(i64::from(self.status))),
            ("ms", Value::Float(self.ms)),
            ("bytes", Value::Int(self.bytes)),
            ("cache", Value::Text(self.cache)),
            ("client", Value::Text(client)),
            ("route", Value::Text(self.route)),
        ]
    }

    /// The line as `tracing_subscriber`'s formatter writes an event outside any span: text
    /// (`TIME  INFO newsdesk::access: key=value …`) or one flattened JSON object.
    fn write(&self, out: &mut Vec<u8>, at: jiff::Timestamp, json: bool) {
        use std::io::Write;
        let at = at.strftime("%Y-%m-%dT%H:%M:%S%.6fZ");
        let client = self.client.map(|c| c.to_string()).unwrap_or_default();
        let pairs = self.pairs(&client);
        if json {
            let _ = write!(out, "{{\"timestamp\":\"{at}\",\"level\":\"INFO\"");
            for (key, value) in pairs {
                let _ = match value {
                    Value::Text(s) => {
                        let quoted = serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into());
                        write!(out, ",\"{key}\":{quoted}")
                    }
                    Value::Int(n) => write!(out, ",\"{key}\":{n}"),
                    Value::Float(x) => write!(out, ",\"{key}\":{x:?}"),
                };
            }
            let _ = writeln!(out, ",\"target\":\"newsdesk::access\"}}");
        } else {
            let _ = write!(out, "{at}  INFO newsdesk::access:");
            for (key, value) in pairs {
                let _ = match value {
                    Value::Text(s) => write!(out, " {key}={s}"),
                    Value::Int(n) => write!(out, " {key}={n}"),
                    Value::Float(x) => write!(out, " {key}={x:?}"),
                };
            }
            let _ = writeln!(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line formatted here is the line `tracing_subscriber` writes for the same event.
    #[test]
    fn lines_have_the_shape_of_every_other_log_line() {
        use tracing_subscriber::fmt::format::FmtSpan;
        let fields = Fields {
            request_id: "0a1b2c3d00000001",
            method: "GET",
            path: "/ru/novosti/\"x\"",
            status: 200,
            ms: 1.0,
            bytes: 12450,
            cache: "hit",
            client: Some("127.0.0.1".parse().unwrap()),
            route: "(page cache)",
        };
        for json in [false, true] {
            let captured = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
            let sink = captured.clone();
            let make = move || Capture(sink.clone());
            let builder =
                tracing_subscriber::fmt().with_writer(make).with_ansi(false).with_span_events(FmtSpan::NONE);
            let subscriber: Box<dyn tracing::Subscriber + Send + Sync> = if json {
                Box::new(
                    builder.json().flatten_event(true).with_current_span(true).with_span_list(false).finish(),
                )
            } else {
                Box::new(builder.finish())
            };
            tracing::subscriber::with_default(subscriber, || {
                tracing::info!(
                    target: "newsdesk::access",
                    request_id = %fields.request_id,
                    method = %fields.method,
                    path = %fields.path,
                    status = fields.status,
                    ms = fields.ms,
                    bytes = fields.bytes,
                    cache = %fields.cache,
                    client = %fields.client.unwrap(),
                    route = %fields.route,
                )
            });
            let theirs = String::from_utf8(captured.lock().unwrap().clone()).unwrap();
            let mut ours = Vec::new();
            #[allow(clippy::disallowed_methods)]
            let at = jiff::Timestamp::now();
            fields.write(&mut ours, at, json);
            let ours = String::from_utf8(ours).unwrap();
            // Everything but the time, which differs by the microseconds between the two.
            let (_, their_rest) =
                theirs.split_at(theirs.find(if json { "\",\"level" } else { "Z " }).unwrap());
            let (our_time, our_rest) =
                ours.split_at(ours.find(if json { "\",\"level" } else { "Z " }).unwrap());
            assert_eq!(our_rest, their_rest, "json: {json}");
            let our_time = our_time.trim_start_matches("{\"timestamp\":\"").trim_end_matches('Z');
            assert!(our_time.parse::<jiff::civil::DateTime>().is_ok(), "{our_time}");
            assert_eq!(
                our_time.len(),
                "2026-12-03T22:18:54.123456".len(),
                "microseconds, as tracing writes them"
            );
        }
    }

    #[derive(Clone)]
    struct Capture(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Capture {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

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
