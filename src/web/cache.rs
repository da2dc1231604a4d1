//! The page cache: rendered public pages kept in memory, with their compressed forms, so a
//! reader's request usually costs a hash lookup and a copy of bytes already made.
//!
//! Correctness comes from one number, the *generation*: every entry remembers the generation
//! it was rendered in, and any change to public content bumps it (directly for changes made
//! by this node, through the change-log follower in [`crate::server`] for changes made by other
//! nodes or the command line). A stale entry is simply re-rendered on its next request, so a
//! publication shows at once on every page it touches without tracking which pages those are.
//! Entries also expire after [`MAX_AGE`], for pages that depend on the clock.
//!
//! Compressed bodies (gzip, Brotli) are made once per entry, when it is made, on the blocking
//! pool: the request that rendered the page waits for them, no reader of a cached page does. Responses carry a strong ETag (a hash of the page) and Last-Modified, and
//! conditional requests get 304.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How long an entry may be served without re-rendering even if nothing changed.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// The largest page kept; bigger responses pass through uncached.
const MAX_ENTRY: usize = 4 * 1024 * 1024;
/// Query parameters public pages understand; URLs with any other parameter are not cached, so
/// random query strings cannot fill memory.
const KNOWN_PARAMS: &[&str] = &["page", "from", "to", "q", "section", "sort"];
/// The default for pages that do not say: short for browsers and CDNs, with a long
/// stale-while-revalidate so a CDN keeps answering while it refreshes.
const DEFAULT_CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=600";

/// A response kept in memory.
#[derive(Debug)]
pub struct Entry {
    generation: u64,
    created: Instant,
    headers: HeaderMap,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
    etag: HeaderValue,
    last_modified: HeaderValue,
}

impl Entry {
    /// Makes an entry from a rendered body, compressing it (CPU work: call it on the blocking
    /// pool); `headers` should hold at least the content type.
    pub fn new(generation: u64, mut headers: HeaderMap, body: Bytes) -> Entry {
        let mut hasher = DefaultHasher::new();
        body.hash(&mut hasher);
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        let now = jiff::Timestamp::now();
        let last_modified =
            HeaderValue::from_str(&http_date(now)).unwrap_or_else(|_| HeaderValue::from_static(""));
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::CONTENT_ENCODING);
        headers.remove(header::TRANSFER_ENCODING);
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert_with(|| HeaderValue::from_static(DEFAULT_CACHE_CONTROL));
        Entry {
            generation,
            created: Instant::now(),
            headers,
            gzip: gzip(&body),
            brotli: brotli(&body),
            identity: body,
            etag,
            last_modified,
        }
    }

    fn size(&self) -> usize {
        self.identity.len() + self.gzip.len() + self.brotli.len() + 512
    }

    /// Answers a request from this entry: 304 when the client's copy is current, otherwise
    /// the body in the best encoding the client accepts.
    pub fn respond(&self, method: &Method, request: &HeaderMap) -> Response {
        let mut response = Response::new(Body::empty());
        let h = response.headers_mut();
        h.insert(header::ETAG, self.etag.clone());
        h.insert(header::LAST_MODIFIED, self.last_modified.clone());
        h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        if let Some(cc) = self.headers.get(header::CACHE_CONTROL) {
            h.insert(header::CACHE_CONTROL, cc.clone());
        }
        if not_modified(request, &self.etag, &self.last_modified) {
            *response.status_mut() = StatusCode::NOT_MODIFIED;
            return response;
        }
        for (name, value) in &self.headers {
            h.insert(name.clone(), value.clone());
        }
        let (body, encoding) = match preferred_encoding(request) {
            Encoding::Brotli => (self.brotli.clone(), Some("br")),
            Encoding::Gzip => (self.gzip.clone(), Some("gzip")),
            Encoding::Identity => (self.identity.clone(), None),
        };
        if let Some(e) = encoding {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
        }
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        if method != Method::HEAD {
            *response.body_mut() = Body::from(body);
        }
        response
    }
}

fn gzip(body: &[u8]) -> Bytes {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = enc.write_all(body);
    Bytes::from(enc.finish().unwrap_or_default())
}

fn brotli(body: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(body.len() / 3);
    let params = brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, ..Default::default() };
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    Bytes::from(out)
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(ts: jiff::Timestamp) -> String {
    jiff::fmt::rfc2822::DateTimePrinter::new().timestamp_to_rfc9110_string(&ts).unwrap_or_default()
}

fn not_modified(request: &HeaderMap, etag: &HeaderValue, last_modified: &HeaderValue) -> bool {
    if let Some(inm) = request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        let ours = etag.to_str().unwrap_or("");
        return inm.split(',').map(|t| t.trim().trim_start_matches("W/")).any(|t| t == ours || t == "*");
    }
    let since = request.get(header::IF_MODIFIED_SINCE).and_then(|v| v.to_str().ok());
    let ours = last_modified.to_str().ok();
    match (since, ours) {
        (Some(since), Some(ours)) => {
            let parser = jiff::fmt::rfc2822::DateTimeParser::new();
            match (parser.parse_timestamp(since), parser.parse_timestamp(ours)) {
                (Ok(since), Ok(ours)) => ours <= since,
                _ => false,
            }
        }
        _ => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// Brotli if the client takes it, then gzip, else none (a `q=0` refuses an encoding).
fn preferred_encoding(request: &HeaderMap) -> Encoding {
    let Some(accept) = request.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
        return Encoding::Identity;
    };
    let accepts = |name: &str| {
        accept.split(',').any(|part| {
            let mut pieces = part.trim().split(';');
            let coding = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
                .unwrap_or(1.0);
            coding.eq_ignore_ascii_case(name) && q > 0.0
        })
    };
    if accepts("br") {
        Encoding::Brotli
    } else if accepts("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Entries of one kind, bounded in bytes.
#[derive(Debug)]
struct Bucket {
    entries: RwLock<HashMap<String, Arc<Entry>>>,
    bytes: AtomicUsize,
    max_bytes: usize,
}

impl Bucket {
    fn new(max_bytes: usize) -> Bucket {
        Bucket { entries: RwLock::new(HashMap::new()), bytes: AtomicUsize::new(0), max_bytes }
    }

    fn put(&self, key: String, entry: Arc<Entry>) {
        let size = entry.size();
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if self.bytes.load(Ordering::Relaxed) + size > self.max_bytes {
            // Simple and bounded: start over rather than track recency per entry. Entries of
            // old generations are dead weight anyway, and the hot pages return on first use.
            entries.clear();
            self.bytes.store(0, Ordering::Relaxed);
        }
        if let Some(old) = entries.insert(key, entry) {
            self.bytes.fetch_sub(old.size(), Ordering::Relaxed);
        }
        self.bytes.fetch_add(size, Ordering::Relaxed);
    }
}

/// The cache of one node. Search result pages have a bucket of their own: the queries people
/// type are endless, and filling the cache with them must not push out the site's pages.
#[derive(Debug)]
pub struct PageCache {
    fast_answers: AtomicU64,
    generation: AtomicU64,
    pages: Bucket,
    searches: Bucket,
}

/// The share of the cache's bytes that search result pages may use.
const SEARCH_SHARE: usize = 8;

impl PageCache {
    /// A cache holding at most about `max_bytes` of pages (bodies and their compressed forms),
    /// plus an eighth of that for search result pages.
    pub fn new(max_bytes: usize) -> PageCache {
        PageCache {
            fast_answers: AtomicU64::new(0),
            generation: AtomicU64::new(1),
            pages: Bucket::new(max_bytes),
            searches: Bucket::new(max_bytes / SEARCH_SHARE),
        }
    }

    /// Marks every cached page stale: call after any change to public content (through
    /// [`crate::web::AppState::content_changed`], which also reloads what pages are built from).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// How many requests the hot path ([`crate::web::fast_path`]) answered from this cache,
    /// without the router: for tests and metrics.
    pub fn fast_answers(&self) -> u64 {
        self.fast_answers.load(Ordering::Relaxed)
    }

    pub(crate) fn count_fast_answer(&self) {
        self.fast_answers.fetch_add(1, Ordering::Relaxed);
    }

    fn bucket(&self, key: &str) -> &Bucket {
        let is_search = key.split_once('?').is_some_and(|(_, q)| q.split('&').any(|p| p.starts_with("q=")));
        if is_search { &self.searches } else { &self.pages }
    }

    pub(crate) fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entries = self.bucket(key).entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(key)?;
        (entry.generation == self.generation() && entry.created.elapsed() < MAX_AGE).then(|| entry.clone())
    }

    fn put(&self, key: String, entry: Arc<Entry>) {
        self.bucket(&key).put(key, entry);
    }
}

/// The cache key of a request, or `None` when it must not be cached.
pub(crate) fn cache_key<B>(request: &axum::http::Request<B>) -> Option<String> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return None;
    }
    let uri = request.uri();
    let path = uri.path();
    if path.len() > 300
        || path == "/healthz"
        || path.starts_with("/static/")
        || path.starts_with("/admin")
        || path.starts_with("/api/")
    {
        return None;
    }
    match uri.query() {
        None | Some("") => Some(path.to_string()),
        Some(q) if q.len() <= 300 => {
            let known = q.split('&').all(|pair| {
                let name = pair.split('=').next().unwrap_or("");
                KNOWN_PARAMS.contains(&name)
            });
            known.then(|| format!("{path}?{q}"))
        }
        Some(_) => None,
    }
}

fn cacheable(response: &Response) -> bool {
    let h = response.headers();
    let kind = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    response.status() == StatusCode::OK
        && !h.contains_key(header::SET_COOKIE)
        && !h.contains_key(header::CONTENT_ENCODING)
        && !h.get(header::CACHE_CONTROL).is_some_and(|v| v.to_str().is_ok_and(|s| s.contains("no-store")))
        && (kind.starts_with("text/") || kind.contains("xml") || kind.contains("json"))
}

/// The request headers an entry's answer depends on, kept while the page renders.
fn conditional_headers(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in [header::ACCEPT_ENCODING, header::IF_NONE_MATCH, header::IF_MODIFIED_SINCE] {
        if let Some(v) = headers.get(&name) {
            kept.insert(name, v.clone());
        }
    }
    kept
}

/// Middleware: answers from the cache, or renders, keeps and answers.
pub async fn layer(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    let Some(key) = cache_key(&request) else {
        return next.run(request).await;
    };
    if let Some(entry) = cache.get(&key) {
        // The hot path: no copies of the request, just the entry's bytes.
        return entry.respond(request.method(), request.headers());
    }
    let method = request.method().clone();
    let request_headers = conditional_headers(request.headers());
    let generation = cache.generation();
    let response = next.run(request).await;
    if !cacheable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ENTRY).await {
        Ok(b) => b,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let headers = parts.headers;
    let made = tokio::task::spawn_blocking(move || Arc::new(Entry::new(generation, headers, bytes))).await;
    let Ok(entry) = made else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    cache.put(key, entry.clone());
    entry.respond(&method, &request_headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn encodings_are_negotiated() {
        assert_eq!(
            preferred_encoding(&headers(&[("accept-encoding", "gzip, deflate, br")])),
            Encoding::Brotli
        );
        assert_eq!(preferred_encoding(&headers(&[("accept-encoding", "gzip")])), Encoding::Gzip);
        assert_eq!(preferred_encoding(&headers(&[("accept-encoding", "br;q=0, gzip")])), Encoding::Gzip);
        assert_eq!(preferred_encoding(&headers(&[])), Encoding::Identity);
    }

    #[test]
    fn compressed_bodies_decompress_to_the_page() {
        use std::io::Read;
        let page = Bytes::from("<p>hello</p>".repeat(500));
        let entry = Entry::new(1, headers(&[("content-type", "text/html")]), page.clone());
        let mut out = String::new();
        flate2::read::GzDecoder::new(&entry.gzip[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out.as_bytes(), &page[..]);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &entry.brotli[..], &mut out).unwrap();
        assert_eq!(out, &page[..]);
        assert!(entry.brotli.len() < page.len() / 10);
    }

    #[test]
    fn conditional_requests() {
        let entry = Entry::new(1, headers(&[("content-type", "text/html")]), Bytes::from("x"));
        let etag = entry.etag.to_str().unwrap().to_string();
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_str(&etag).unwrap());
        assert_eq!(entry.respond(&Method::GET, &h).status(), StatusCode::NOT_MODIFIED);
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert_eq!(entry.respond(&Method::GET, &h).status(), StatusCode::OK);
        let mut h = HeaderMap::new();
        h.insert(header::IF_MODIFIED_SINCE, entry.last_modified.clone());
        assert_eq!(entry.respond(&Method::GET, &h).status(), StatusCode::NOT_MODIFIED);
    }

    #[test]
    fn only_known_query_parameters_are_cached() {
        let key = |uri: &str| cache_key(&Request::builder().uri(uri).body(Body::empty()).unwrap());
        assert_eq!(key("/en/archive?page=2").as_deref(), Some("/en/archive?page=2"));
        assert_eq!(key("/en/archive?utm_source=x"), None);
        assert_eq!(key("/healthz"), None);
        assert_eq!(key("/static/style.1.css"), None);
        let post = Request::builder().method("POST").uri("/en/").body(Body::empty()).unwrap();
        assert_eq!(cache_key(&post), None);
    }

    #[test]
    fn generations_and_limits() {
        let cache = PageCache::new(10_000);
        let entry = Arc::new(Entry::new(cache.generation(), HeaderMap::new(), Bytes::from("a")));
        cache.put("/a".into(), entry);
        assert!(cache.get("/a").is_some());
        cache.invalidate();
        assert!(cache.get("/a").is_none(), "stale after a change");
        for i in 0..100 {
            let e = Arc::new(Entry::new(cache.generation(), HeaderMap::new(), Bytes::from(vec![b'x'; 500])));
            cache.put(format!("/{i}"), e);
        }
        assert!(cache.pages.bytes.load(Ordering::Relaxed) <= 10_000);
    }

    #[test]
    fn searches_cannot_push_out_pages() {
        let cache = PageCache::new(80_000);
        let page = Arc::new(Entry::new(cache.generation(), HeaderMap::new(), Bytes::from(vec![b'p'; 500])));
        cache.put("/en/".into(), page);
        for i in 0..1_000 {
            let e = Arc::new(Entry::new(cache.generation(), HeaderMap::new(), Bytes::from(vec![b's'; 500])));
            cache.put(format!("/en/search?q=word{i}"), e);
        }
        assert!(cache.get("/en/").is_some(), "the home page survives a flood of queries");
        assert!(cache.searches.bytes.load(Ordering::Relaxed) <= 10_000);
        assert!(cache.get("/en/search?q=word999").is_some());
    }
}
