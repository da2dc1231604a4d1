//! The page cache: rendered public pages kept in memory, with their compressed forms, so a
//! reader's request usually costs a hash lookup and a copy of bytes already made.
//!
//! Correctness comes from *scopes*. Every entry remembers the sequence number current when
//! its rendering started and the scopes it depends on: the articles it shows (tagged by the
//! handler with [`CacheTags`]), the lists of its language (home, sections, archive, feeds,
//! search; read from its path), search results, or, for a page that says nothing, any public
//! change. A change bumps only the scopes it touches ([`PageCache::touch`]): a publication in
//! English leaves Russian pages and other articles' pages cached; a draft saved touches
//! nothing. An entry whose scope moved past its sequence number is re-rendered on its next
//! request. Scopes are slots in fixed arrays indexed by hash, so they cost no memory per page;
//! two articles sharing a slot only cost an extra render.
//!
//! Entries also expire after [`MAX_AGE`], for what follows the clock or other pages (the
//! "latest news" beside an article, view counts). Memory is bounded by a well-kept cache crate
//! (`quick_cache`, weighted by bytes, evicting the least useful entries), with a share of its
//! own for search result pages so endless queries cannot push out the site's pages.
//!
//! Compressed bodies (gzip, Brotli) are made once per entry, when it is made, on the blocking
//! pool: the request that rendered the page waits for them, no reader of a cached page does.
//! Responses carry a strong ETag (a hash of the page) and Last-Modified, and conditional
//! requests get 304.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long an entry may be served without re-rendering even if nothing changed.
pub const MAX_AGE: Duration = Duration::from_secs(60);
/// The largest page kept; bigger responses pass through uncached.
const MAX_ENTRY: usize = 4 * 1024 * 1024;
/// Query parameters public pages understand; URLs with any other parameter are not cached, so
/// random query strings cannot fill memory.
const KNOWN_PARAMS: &[&str] = &["page", "from", "to", "q", "section", "sort", "tag", "month", "kind", "year"];
/// The default for pages that do not say: short for browsers and CDNs, with a long
/// stale-while-revalidate so a CDN keeps answering while it refreshes.
const DEFAULT_CACHE_CONTROL: &str = "public, max-age=60, stale-while-revalidate=600";

/// What a rendered page shows, as its handler tells the cache (a response extension): the
/// articles on it. Pages without tags depend on their language's lists (by path) or on any
/// public change.
#[derive(Debug, Clone, Default)]
pub struct CacheTags {
    pub articles: Vec<i64>,
}

/// The scopes an entry depends on.
#[derive(Debug, Clone, Default)]
struct Deps {
    /// Slots of the articles shown.
    articles: Vec<usize>,
    /// The slot of the language whose lists it shows.
    lists: Option<usize>,
    search: bool,
    /// Says nothing: any public change makes it stale.
    anything: bool,
}

/// A response kept in memory.
#[derive(Debug)]
pub struct Entry {
    /// The cache's sequence number when rendering started.
    seq: u64,
    deps: Deps,
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
    pub fn new(mut headers: HeaderMap, body: Bytes) -> Entry {
        let mut hasher = DefaultHasher::new();
        body.hash(&mut hasher);
        let etag = HeaderValue::from_str(&format!("\"{:016x}\"", hasher.finish()))
            .unwrap_or_else(|_| HeaderValue::from_static("\"0\""));
        // HTTP's own time (when these bytes were made), not the site's clock.
        #[allow(clippy::disallowed_methods)]
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
            seq: 0,
            deps: Deps::default(),
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
        // Pages differ by the low-vision cookie ([`crate::web::public::low_vision`]).
        let html =
            self.headers.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        let vary = HeaderValue::from_static(if html { "Accept-Encoding, Cookie" } else { "Accept-Encoding" });
        h.insert(header::VARY, vary.clone());
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
        h.insert(header::VARY, vary);
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
    // Quality 5: on these pages within a few per cent of quality 9's size at a tenth of its
    // time (measured on a home page: 1,694 against 1,687 bytes, 0.16 against 1.95 ms), which
    // matters because every publication re-renders and recompresses the pages it touches.
    //
    // The window fits the page: a window as large as the page loses nothing, and the encoder
    // clears a ring buffer twice the window's size for every page, 8 MiB at the default 22
    // bits, which made most of the CPU a publication's recompressions took from the core that
    // serves readers.
    let params = brotli::enc::BrotliEncoderParams {
        quality: 5,
        lgwin: brotli_window_bits(body.len()),
        size_hint: body.len(),
        ..Default::default()
    };
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    Bytes::from(out)
}

/// The smallest Brotli window that holds a body of `len` bytes (the window is `2^bits - 16`
/// bytes), between 17 and 22 bits: at 16 bits and under, the encoder switches to another match
/// finder, which took twice as long on these pages.
fn brotli_window_bits(len: usize) -> i32 {
    let mut bits = 17;
    while bits < 22 && (1usize << bits) - 16 < len {
        bits += 1;
    }
    bits
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

/// Weighs entries by their bytes.
#[derive(Debug, Clone, Copy)]
struct ByBytes;

impl quick_cache::Weighter<String, Arc<Entry>> for ByBytes {
    fn weight(&self, key: &String, entry: &Arc<Entry>) -> u64 {
        (key.len() + entry.size()) as u64
    }
}

/// Counts the pages pushed out to make room, for the metrics.
#[derive(Debug, Clone, Copy, Default)]
struct CountEvictions;

impl quick_cache::Lifecycle<String, Arc<Entry>> for CountEvictions {
    type RequestState = ();

    fn begin_request(&self) {}

    fn on_evict(&self, _state: &mut (), _key: String, _entry: Arc<Entry>) {
        crate::metrics::metrics().cache_evictions.inc();
    }
}

type Store =
    quick_cache::sync::Cache<String, Arc<Entry>, ByBytes, quick_cache::DefaultHashBuilder, CountEvictions>;

/// Whether a page came from the cache, for the request log (a response extension).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    Hit,
    Miss,
}

impl CacheStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CacheStatus::Hit => "hit",
            CacheStatus::Miss => "miss",
        }
    }
}

/// Marks a response with where it came from and counts it.
fn marked(mut response: Response, status: CacheStatus) -> Response {
    let metrics = crate::metrics::metrics();
    match status {
        CacheStatus::Hit => metrics.cache_hits.inc(),
        CacheStatus::Miss => metrics.cache_misses.inc(),
    };
    response.extensions_mut().insert(status);
    response
}

/// Slots for article scopes; more slots, fewer pages re-rendered needlessly.
const ARTICLE_SLOTS: usize = 4096;
/// Slots for languages' list scopes.
const LIST_SLOTS: usize = 64;

/// The cache of one node. Search result pages have a store of their own: the queries people
/// type are endless, and filling the cache with them must not push out the site's pages.
#[derive(Debug)]
pub struct PageCache {
    fast_answers: AtomicU64,
    /// Bumped by every change; scopes record the number of their last change.
    seq: AtomicU64,
    /// Everything: sections, photos, withdrawals.
    everything: AtomicU64,
    /// Any public change (pages that say nothing of what they show).
    any: AtomicU64,
    search: AtomicU64,
    lists: Box<[AtomicU64]>,
    articles: Box<[AtomicU64]>,
    pages: Store,
    searches: Store,
    /// Pages being rendered now, with a signal for when they are done.
    rendering: std::sync::Mutex<std::collections::HashMap<String, tokio::sync::watch::Receiver<bool>>>,
}

/// The share of the cache's bytes that search result pages may use.
const SEARCH_SHARE: usize = 8;

/// What a change touches, for [`PageCache::touch`].
#[derive(Debug, Clone, Default)]
pub struct Touched<'a> {
    /// Every page (sections renamed, a photo changed, an article withdrawn).
    pub everything: bool,
    pub articles: &'a [i64],
    pub languages: &'a [&'a str],
}

fn slot(value: &impl Hash, slots: usize) -> usize {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    (hasher.finish() % slots as u64) as usize
}

impl PageCache {
    /// A cache holding at most about `max_bytes` of pages (bodies and their compressed forms),
    /// plus an eighth of that for search result pages.
    pub fn new(max_bytes: usize) -> PageCache {
        let store = |bytes: usize| {
            Store::with(bytes / 8192 + 16, bytes as u64, ByBytes, Default::default(), CountEvictions)
        };
        PageCache {
            fast_answers: AtomicU64::new(0),
            seq: AtomicU64::new(1),
            everything: AtomicU64::new(0),
            any: AtomicU64::new(0),
            search: AtomicU64::new(0),
            lists: (0..LIST_SLOTS).map(|_| AtomicU64::new(0)).collect(),
            articles: (0..ARTICLE_SLOTS).map(|_| AtomicU64::new(0)).collect(),
            pages: store(max_bytes),
            searches: store(max_bytes / SEARCH_SHARE),
            rendering: Default::default(),
        }
    }

    fn bump(&self, scope: &AtomicU64) {
        let seq = self.seq.fetch_add(1, Ordering::SeqCst) + 1;
        scope.fetch_max(seq, Ordering::SeqCst);
    }

    /// Marks every cached page stale.
    pub fn invalidate(&self) {
        self.bump(&self.everything);
    }

    /// Marks stale the pages a public change touches: the articles' own pages (and every
    /// page that shows them), the languages' lists, search results, and pages that say
    /// nothing of what they show.
    pub fn touch(&self, touched: &Touched<'_>) {
        if touched.everything {
            self.invalidate();
            return;
        }
        for id in touched.articles {
            self.bump(&self.articles[slot(id, ARTICLE_SLOTS)]);
        }
        for lang in touched.languages {
            self.bump(&self.lists[slot(lang, LIST_SLOTS)]);
        }
        self.bump(&self.search);
        self.bump(&self.any);
    }

    /// Search results may have changed (the index applied changes) though nothing else did.
    pub fn touch_search(&self) {
        self.bump(&self.search);
    }

    /// The sequence number to give a page whose rendering starts now.
    pub fn sequence(&self) -> u64 {
        self.seq.load(Ordering::SeqCst)
    }

    /// How many requests the hot path ([`crate::web::fast_path`]) answered from this cache,
    /// without the router: for tests and metrics.
    pub fn fast_answers(&self) -> u64 {
        self.fast_answers.load(Ordering::Relaxed)
    }

    /// The bytes and the pages held now (search results included), for the metrics.
    pub fn usage(&self) -> (u64, u64) {
        (self.pages.weight() + self.searches.weight(), (self.pages.len() + self.searches.len()) as u64)
    }

    pub(crate) fn count_fast_answer(&self) {
        self.fast_answers.fetch_add(1, Ordering::Relaxed);
    }

    fn is_search(key: &str) -> bool {
        key.split_once('?').is_some_and(|(_, q)| q.split('&').any(|p| p.starts_with("q=")))
    }

    fn store(&self, key: &str) -> &Store {
        if Self::is_search(key) { &self.searches } else { &self.pages }
    }

    /// Whether nothing an entry depends on changed since it was rendered.
    fn fresh(&self, entry: &Entry) -> bool {
        let seq = entry.seq;
        let ok = |scope: &AtomicU64| scope.load(Ordering::SeqCst) <= seq;
        let deps = &entry.deps;
        ok(&self.everything)
            && (!deps.anything || ok(&self.any))
            && (!deps.search || ok(&self.search))
            && deps.lists.is_none_or(|s| ok(&self.lists[s]))
            && deps.articles.iter().all(|s| ok(&self.articles[*s]))
            && entry.created.elapsed() < MAX_AGE
    }

    pub(crate) fn get(&self, key: &str) -> Option<Arc<Entry>> {
        let entry = self.store(key).get(key)?;
        self.fresh(&entry).then_some(entry)
    }

    fn put(&self, key: String, entry: Arc<Entry>) {
        if entry.size() + key.len() > 2 * MAX_ENTRY {
            return;
        }
        self.store(&key).insert(key, entry);
    }

    /// The scopes a page depends on, from its key and its handler's tags.
    fn deps(key: &str, tags: Option<&CacheTags>) -> Deps {
        if let Some(tags) = tags {
            let articles = tags.articles.iter().map(|id| slot(id, ARTICLE_SLOTS)).collect();
            return Deps { articles, ..Deps::default() };
        }
        let path = key.split('?').next().unwrap_or(key);
        let lang = path
            .strip_prefix('/')
            .and_then(|p| p.split('/').next())
            .filter(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()));
        match lang {
            Some(lang) => {
                Deps { lists: Some(slot(&lang, LIST_SLOTS)), search: Self::is_search(key), ..Deps::default() }
            }
            None => Deps { anything: true, ..Deps::default() },
        }
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
    let key = match uri.query() {
        None | Some("") => Some(path.to_string()),
        Some(q) if q.len() <= 300 => {
            let known = q.split('&').all(|pair| {
                let name = pair.split('=').next().unwrap_or("");
                KNOWN_PARAMS.contains(&name)
            });
            known.then(|| format!("{path}?{q}"))
        }
        Some(_) => None,
    };
    // The version for the visually impaired is another page at the same address.
    match crate::web::public::low_vision::LowVision::from_headers(request.headers()) {
        Some(lv) => key.map(|k| format!("{k}#lv={}", lv.value())),
        None => key,
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
        return marked(entry.respond(request.method(), request.headers()), CacheStatus::Hit);
    }
    // One render per page at a time: after a publication, the readers of a page that became
    // stale get its previous version for the few milliseconds its new one takes to render
    // (or, with none kept, wait for it), instead of every one of them rendering it.
    let flight = match cache.join_or_lead(&key) {
        Flight::Lead(flight) => flight,
        Flight::Follow(mut done) => {
            if let Some(previous) = cache.previous(&key) {
                return marked(previous.respond(request.method(), request.headers()), CacheStatus::Hit);
            }
            let _ = done.wait_for(|finished| *finished).await;
            if let Some(entry) = cache.get(&key) {
                return marked(entry.respond(request.method(), request.headers()), CacheStatus::Hit);
            }
            // The render failed or was not cacheable: answer this request on its own.
            return next.run(request).await;
        }
    };
    let method = request.method().clone();
    let request_headers = conditional_headers(request.headers());
    let seq = cache.sequence();
    let response = next.run(request).await;
    if !cacheable(&response) {
        // Whatever was kept for this address (a page since withdrawn) must not be served
        // to anyone waiting.
        cache.forget(&key);
        drop(flight);
        return response;
    }
    let (parts, body) = response.into_parts();
    let deps = PageCache::deps(&key, parts.extensions.get::<CacheTags>());
    let bytes = match axum::body::to_bytes(body, MAX_ENTRY).await {
        Ok(b) => b,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let headers = parts.headers;
    let made = tokio::task::spawn_blocking(move || {
        let mut entry = Entry::new(headers, bytes);
        entry.seq = seq;
        entry.deps = deps;
        Arc::new(entry)
    })
    .await;
    let Ok(entry) = made else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    cache.put(key, entry.clone());
    drop(flight);
    marked(entry.respond(&method, &request_headers), CacheStatus::Miss)
}

/// A render in progress, or a wait for one.
enum Flight {
    Lead(InFlight),
    Follow(tokio::sync::watch::Receiver<bool>),
}

/// The render of one page by one request; others wait for it. Dropping it (done, failed, or
/// the request cancelled) releases the waiters.
struct InFlight {
    cache: Arc<PageCache>,
    key: String,
    done: tokio::sync::watch::Sender<bool>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.cache.rendering.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.key);
        let _ = self.done.send(true);
    }
}

impl PageCache {
    fn join_or_lead(self: &Arc<Self>, key: &str) -> Flight {
        let mut rendering = self.rendering.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(done) = rendering.get(key) {
            return Flight::Follow(done.clone());
        }
        let (done, waiting) = tokio::sync::watch::channel(false);
        rendering.insert(key.to_string(), waiting);
        Flight::Lead(InFlight { cache: self.clone(), key: key.to_string(), done })
    }

    /// The version of a page kept before it went stale (not for pages past their age).
    fn previous(&self, key: &str) -> Option<Arc<Entry>> {
        self.store(key).get(key).filter(|e| e.created.elapsed() < MAX_AGE * 10)
    }

    /// The previous version of a page whose new one is being rendered now, for the hot path:
    /// the same answer a request that joins the render gets ([`layer`]), without the router
    /// and its layers. After a publication, every reader of the home page would otherwise
    /// take the slow way for as long as its render lasts.
    pub(crate) fn previous_while_rendering(&self, key: &str) -> Option<Arc<Entry>> {
        if !self.rendering.lock().unwrap_or_else(|e| e.into_inner()).contains_key(key) {
            return None;
        }
        self.previous(key)
    }

    fn forget(&self, key: &str) {
        self.store(key).remove(key);
    }
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
        let entry = Entry::new(headers(&[("content-type", "text/html")]), page.clone());
        let mut out = String::new();
        flate2::read::GzDecoder::new(&entry.gzip[..]).read_to_string(&mut out).unwrap();
        assert_eq!(out.as_bytes(), &page[..]);
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &entry.brotli[..], &mut out).unwrap();
        assert_eq!(out, &page[..]);
        assert!(entry.brotli.len() < page.len() / 10);
    }

    #[test]
    fn the_brotli_window_holds_the_whole_page() {
        assert_eq!(brotli_window_bits(0), 17);
        assert_eq!(brotli_window_bits(60_000), 17);
        assert_eq!(brotli_window_bits(131_056), 17);
        assert_eq!(brotli_window_bits(131_057), 18);
        assert_eq!(brotli_window_bits(50_000_000), 22);
        // Random letters repeated once: the second half costs nothing only if the window
        // reaches back to the first, so the size shows whether the window held the page.
        use std::io::Read;
        let mut seed: u64 = 1;
        for len in [1_000, 200_000, 5_000_000] {
            let half: String = (0..len / 2)
                .map(|_| {
                    seed =
                        seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    char::from(b'a' + ((seed >> 33) % 26) as u8)
                })
                .collect();
            let page = format!("{half}{half}");
            let packed = brotli(page.as_bytes());
            let mut out = Vec::new();
            brotli::Decompressor::new(&packed[..], 4096).read_to_end(&mut out).unwrap();
            assert_eq!(out, page.as_bytes(), "{len} bytes");
            // One random half: about 0.59 of its size; both halves, had the window missed. (A
            // body of megabytes only comes back whole: quality 5's match finder forgets
            // positions that far back, whatever the window.)
            if len <= 200_000 {
                assert!(packed.len() * 10 < len * 4, "{len} bytes packed into {}", packed.len());
            }
        }
    }

    #[test]
    fn conditional_requests() {
        let entry = Entry::new(headers(&[("content-type", "text/html")]), Bytes::from("x"));
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

    fn entry(cache: &PageCache, key: &str, tags: Option<CacheTags>, size: usize) -> Arc<Entry> {
        let mut entry = Entry::new(HeaderMap::new(), Bytes::from(vec![b'x'; size]));
        entry.seq = cache.sequence();
        entry.deps = PageCache::deps(key, tags.as_ref());
        Arc::new(entry)
    }

    fn put(cache: &PageCache, key: &str, tags: Option<CacheTags>) {
        cache.put(key.to_string(), entry(cache, key, tags, 100));
    }

    #[test]
    fn changes_make_stale_only_what_they_touch() {
        let cache = PageCache::new(1_000_000);
        let article = |id| Some(CacheTags { articles: vec![id] });
        put(&cache, "/en/", None);
        put(&cache, "/ru/", None);
        put(&cache, "/en/news/a", article(1));
        put(&cache, "/en/news/b", article(2));
        put(&cache, "/ru/news/a", Some(CacheTags { articles: vec![3, 1] }));
        put(&cache, "/sitemap.xml", None);
        cache.touch(&Touched { articles: &[1], languages: &["en"], everything: false });
        assert!(cache.get("/en/").is_none(), "the language's lists");
        assert!(cache.get("/en/news/a").is_none(), "the article");
        assert!(cache.get("/ru/news/a").is_none(), "its translation, which shows it");
        assert!(cache.get("/sitemap.xml").is_none(), "pages that say nothing");
        assert!(cache.get("/ru/").is_some(), "another language's lists stay");
        assert!(cache.get("/en/news/b").is_some(), "another article stays");
        cache.invalidate();
        assert!(cache.get("/en/news/b").is_none() && cache.get("/ru/").is_none());
    }

    #[test]
    fn a_change_during_rendering_makes_the_page_stale() {
        let cache = PageCache::new(1_000_000);
        let rendering = entry(&cache, "/en/", None, 10);
        cache.touch(&Touched { languages: &["en"], ..Touched::default() });
        cache.put("/en/".into(), rendering);
        assert!(cache.get("/en/").is_none());
    }

    #[tokio::test]
    async fn one_render_per_page_at_a_time() {
        let cache = Arc::new(PageCache::new(1_000_000));
        let Flight::Lead(first) = cache.join_or_lead("/en/") else { panic!("the first request renders") };
        let Flight::Follow(mut waiting) = cache.join_or_lead("/en/") else { panic!("the second waits") };
        assert!(matches!(cache.join_or_lead("/ru/"), Flight::Lead(_)), "other pages render beside it");
        assert!(cache.previous("/en/").is_none(), "nothing kept yet: the follower waits");
        put(&cache, "/en/", None);
        put(&cache, "/ru/", None);
        cache.touch(&Touched { languages: &["en", "ru"], ..Touched::default() });
        assert!(
            cache.get("/en/").is_none() && cache.previous("/en/").is_some(),
            "stale, but kept to serve meanwhile"
        );
        assert!(cache.previous_while_rendering("/en/").is_some(), "the hot path serves it meanwhile too");
        assert!(cache.previous_while_rendering("/ru/").is_none(), "not a page nobody is rendering");
        drop(first);
        assert!(cache.previous_while_rendering("/en/").is_none(), "nor once its render ended");
        assert!(waiting.wait_for(|done| *done).await.is_ok(), "released when the render ends");
        assert!(matches!(cache.join_or_lead("/en/"), Flight::Lead(_)), "and the next miss renders again");
        cache.forget("/en/");
        assert!(cache.previous("/en/").is_none());
    }

    #[test]
    fn memory_is_bounded() {
        let cache = PageCache::new(100_000);
        for i in 0..1_000 {
            cache.put(format!("/en/news/{i}"), entry(&cache, "/en/", None, 500));
        }
        assert!(cache.pages.weight() <= 100_000, "{}", cache.pages.weight());
        assert!(cache.pages.len() > 10);
    }

    #[test]
    fn searches_cannot_push_out_pages() {
        let cache = PageCache::new(80_000);
        put(&cache, "/en/", None);
        for i in 0..1_000 {
            let key = format!("/en/search?q=word{i}");
            cache.put(key.clone(), entry(&cache, &key, None, 500));
        }
        assert!(cache.get("/en/").is_some(), "the home page survives a flood of queries");
        assert!(cache.searches.weight() <= 10_000);
        assert!(cache.get("/en/search?q=word999").is_some());
        cache.touch_search();
        assert!(cache.get("/en/search?q=word999").is_none() && cache.get("/en/").is_some());
    }
}
