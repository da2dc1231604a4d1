//! What a node is doing, in numbers an operator's Prometheus can scrape at `/metrics`.
//!
//! One process-wide set of metrics ([`metrics`]): counters and histograms are bumped where the
//! work happens (the request log, the page cache's hot path, the scheduler, the webhook
//! worker); what is a level rather than a count (cache bytes, timeline rows, index documents,
//! the database pool, memory) is read when a scrape asks for it ([`Levels`]), so nothing pays
//! for it between scrapes. The text is OpenMetrics, which Prometheus reads natively, encoded by
//! the Prometheus project's own Rust client.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::{Registry, Unit};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The content type of [`Metrics::encode`]'s text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// A request's route (the route table's pattern, so `/en/news/some-slug` and every other
/// article count together), method and status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    pub status: u16,
}

/// A route alone, for latency.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

/// How a webhook delivery attempt ended.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub outcome: String,
}

/// The route label of a page answered from the cache before routing: which route made it is
/// not known there, and looking it up would cost more than the answer.
pub const CACHED_ROUTE: &str = "(page cache)";
/// The route label of a request no route matched.
pub const UNMATCHED_ROUTE: &str = "(none)";

type Gauge64 = Gauge<f64, AtomicU64>;

/// Every metric of the process.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pub cache_hits: Counter,
    pub cache_misses: Counter,
    pub cache_evictions: Counter,
    cache_bytes: Gauge,
    cache_entries: Gauge,
    follower_lag: Gauge64,
    timeline_rows: Gauge,
    search_documents: Gauge,
    pub scheduler_runs: Counter,
    pub scheduled_published: Counter,
    /// Snapshots of the search index this node published to the shared store.
    pub search_snapshots_published: Counter,
    /// 1 when this node's search index was fetched from a snapshot at start.
    pub search_snapshot_restored: Counter,
    pool_size: Gauge,
    pool_idle: Gauge,
    pub webhook_deliveries: Family<OutcomeLabels, Counter>,
    resident_memory: Gauge,
    /// When this node last caught up with the change log, in milliseconds since [`START`].
    followed_at_ms: AtomicU64,
}

/// When the process started (first asked), the origin of [`Metrics::followed_at_ms`].
static START: LazyLock<Instant> = LazyLock::new(Instant::now);

/// Latency buckets from half a millisecond to about four seconds, doubling.
fn latency_histogram() -> Histogram {
    Histogram::new(prometheus_client::metrics::histogram::exponential_buckets(0.0005, 2.0, 14))
}

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::with_prefix("newsdesk");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route, method and status",
            requests.clone(),
        );
        let latency =
            Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        registry.register_with_unit(
            "http_request_duration",
            "Time from a request's arrival to its answer, by route",
            Unit::Seconds,
            latency.clone(),
        );
        let cache_hits = Counter::default();
        registry.register("page_cache_hits", "Pages answered from the page cache", cache_hits.clone());
        let cache_misses = Counter::default();
        registry.register(
            "page_cache_misses",
            "Pages rendered because the cache had no current copy",
            cache_misses.clone(),
        );
        let cache_evictions = Counter::default();
        registry.register(
            "page_cache_evictions",
            "Pages pushed out of the page cache to make room",
            cache_evictions.clone(),
        );
        let cache_bytes = Gauge::default();
        registry.register_with_unit(
            "page_cache_size",
            "Bytes held by the page cache",
            Unit::Bytes,
            cache_bytes.clone(),
        );
        let cache_entries = Gauge::default();
        registry.register("page_cache_entries", "Pages held by the page cache", cache_entries.clone());
        let follower_lag = Gauge64::default();
        registry.register_with_unit(
            "follower_lag",
            "Time since this node last caught up with the change log",
            Unit::Seconds,
            follower_lag.clone(),
        );
        let timeline_rows = Gauge::default();
        registry.register(
            "timeline_articles",
            "Published articles in this node's listing",
            timeline_rows.clone(),
        );
        let search_documents = Gauge::default();
        registry.register(
            "search_index_documents",
            "Documents in this node's search index",
            search_documents.clone(),
        );
        let scheduler_runs = Counter::default();
        registry.register(
            "scheduler_runs",
            "Rounds of the scheduler (scheduled publishing, pruning)",
            scheduler_runs.clone(),
        );
        let scheduled_published = Counter::default();
        registry.register(
            "scheduler_published",
            "Scheduled articles this node published when they fell due",
            scheduled_published.clone(),
        );
        let search_snapshots_published = Counter::default();
        registry.register(
            "search_snapshots_published",
            "Snapshots of the search index this node published to the shared store for new nodes",
            search_snapshots_published.clone(),
        );
        let search_snapshot_restored = Counter::default();
        registry.register(
            "search_snapshot_restored",
            "Search indexes this node fetched from a snapshot at start instead of building them",
            search_snapshot_restored.clone(),
        );
        let pool_size = Gauge::default();
        registry.register("database_pool_connections", "Open database connections", pool_size.clone());
        let pool_idle = Gauge::default();
        registry.register("database_pool_idle", "Open database connections not in use", pool_idle.clone());
        let webhook_deliveries = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "webhook_deliveries",
            "Webhook delivery attempts, by outcome (delivered, failed and to be retried, gave_up)",
            webhook_deliveries.clone(),
        );
        let resident_memory = Gauge::default();
        registry.register_with_unit(
            "process_resident_memory",
            "Memory the process holds in RAM",
            Unit::Bytes,
            resident_memory.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            cache_hits,
            cache_misses,
            cache_evictions,
            cache_bytes,
            cache_entries,
            follower_lag,
            timeline_rows,
            search_documents,
            scheduler_runs,
            scheduled_published,
            search_snapshots_published,
            search_snapshot_restored,
            pool_size,
            pool_idle,
            webhook_deliveries,
            resident_memory,
            followed_at_ms: AtomicU64::new(0),
        }
    }

    /// Counts one answered request.
    pub fn record_request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels { route: route.to_owned(), method: method.to_owned(), status })
            .inc();
        self.latency.get_or_create(&RouteLabels { route: route.to_owned() }).observe(seconds);
    }

    /// Notes that this node has just applied every change in the log.
    pub fn followed_now(&self) {
        let ms = u64::try_from(START.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.followed_at_ms.store(ms, Ordering::Relaxed);
    }

    /// How long ago this node last caught up with the change log (since start if never).
    pub fn follower_lag(&self) -> Duration {
        let at = Duration::from_millis(self.followed_at_ms.load(Ordering::Relaxed));
        START.elapsed().saturating_sub(at)
    }

    /// Counts one webhook delivery attempt.
    pub fn record_delivery(&self, outcome: &str) {
        self.webhook_deliveries.get_or_create(&OutcomeLabels { outcome: outcome.to_owned() }).inc();
    }

    /// The text a scrape gets, with the levels read just now.
    pub fn encode(&self, levels: &Levels) -> String {
        let clamp = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
        self.cache_bytes.set(clamp(levels.cache_bytes));
        self.cache_entries.set(clamp(levels.cache_entries));
        self.follower_lag.set(self.follower_lag().as_secs_f64());
        self.timeline_rows.set(clamp(levels.timeline_articles));
        self.search_documents.set(clamp(levels.search_documents));
        self.pool_size.set(clamp(levels.pool_connections));
        self.pool_idle.set(clamp(levels.pool_idle));
        self.resident_memory.set(clamp(resident_memory_bytes()));
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
        text
    }
}

/// What a scrape reads at the moment it asks.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    pub cache_bytes: u64,
    pub cache_entries: u64,
    pub timeline_articles: u64,
    pub search_documents: u64,
    pub pool_connections: u64,
    pub pool_idle: u64,
}

/// The process's resident set, from `/proc/self/statm` (0 where there is none).
fn resident_memory_bytes() -> u64 {
    let Ok(statm) = std::fs::read_to_string("/proc/self/statm") else { return 0 };
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    pages * 4096
}

static METRICS: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics.
pub fn metrics() -> &'static Metrics {
    &METRICS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scrape_names_every_metric_with_its_values() {
        let m = Metrics::new();
        m.record_request("/{lang}/{section}/{slug}", "GET", 200, 0.002);
        m.record_request("/{lang}/{section}/{slug}", "GET", 200, 0.004);
        m.record_delivery("delivered");
        m.cache_hits.inc();
        let text = m.encode(&Levels { cache_bytes: 4096, timeline_articles: 12, ..Levels::default() });
        assert!(
            text.contains(
                "newsdesk_http_requests_total{route=\"/{lang}/{section}/{slug}\",method=\"GET\",status=\"200\"} 2"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "newsdesk_http_request_duration_seconds_count{route=\"/{lang}/{section}/{slug}\"} 2"
            )
        );
        assert!(text.contains("newsdesk_page_cache_hits_total 1"));
        assert!(text.contains("newsdesk_page_cache_size_bytes 4096"));
        assert!(text.contains("newsdesk_timeline_articles 12"));
        assert!(text.contains("newsdesk_webhook_deliveries_total{outcome=\"delivered\"} 1"));
        assert!(text.trim_end().ends_with("# EOF"));
        if std::path::Path::new("/proc/self/statm").exists() {
            assert!(!text.contains("newsdesk_process_resident_memory_bytes 0\n"), "memory is read");
        }
    }
}
