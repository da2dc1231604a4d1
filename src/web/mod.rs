//! The HTTP server: one route table (below), the public site under [`public`], error mapping in
//! [`error`], page templates in [`templates`] and embedded static files in [`assets`].
//!
//! The server starts from a listener it is handed ([`serve`]), so tests bind `127.0.0.1:0`,
//! pass the listener in and talk to the real server; nothing sleeps waiting for readiness.

pub mod access_log;
pub mod admin;
pub mod admission;
pub mod api;
pub mod api_limit;
pub mod assets;
pub mod cache;
pub mod client;
pub mod emblem;
pub mod error;
mod fast_path;
mod headers;
pub mod listing;
pub mod metrics;
pub mod public;
pub mod read_models;
pub mod redirect;
pub mod related;
pub mod templates;
pub mod views;

use crate::config::SiteConfig;
use crate::domain::Clock;
use crate::storage::Store;
use axum::Router;
use axum::routing::get;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use templates::Templates;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Everything a request handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub site: Arc<SiteConfig>,
    pub templates: Arc<Templates>,
    pub clock: Arc<dyn Clock>,
    pub search: Arc<crate::search::Search>,
    /// Rendered pages; invalidated on every change to public content.
    pub cache: Arc<cache::PageCache>,
    /// Published articles in list order, for fast list pages.
    pub listing: Arc<listing::Listing>,
    /// Which articles are related to which, remembered across changes.
    pub related: Arc<related::RelatedMemo>,
    /// Article views gathered since the last write.
    pub views: Arc<views::ViewCounter>,
    /// The listing, related news and page cache, kept in step with changes.
    pub read_models: Arc<read_models::ReadModels>,
    /// The editorial core: every write to articles goes through it.
    pub newsroom: crate::newsroom::Newsroom,
    /// The site's data directory: its media settings and upload gate are kept per directory.
    pub data_dir: Arc<std::path::Path>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("backend", &self.store.backend()).finish_non_exhaustive()
    }
}

impl AppState {
    /// What a writer of something every page shows (sections, photos' texts) does after the
    /// change: the listing reloads on the next request and every cached page is stale.
    /// Articles change through the newsroom, whose post-commit step is finer.
    pub fn content_changed(&self) {
        self.read_models.everything_changed();
    }
}

/// The route table: every URL the site answers, in one place.
pub fn router(state: AppState) -> Router {
    use public::{archive, article, corrections, feeds, home, lists, root, search, sitemap};
    Router::new()
        .route("/", get(root::language_redirect))
        .route("/healthz", get(root::healthz))
        .route("/readyz", get(root::readyz))
        .route("/metrics", get(metrics::scrape))
        .route("/static/{name}", get(assets::serve))
        .route("/media/{file}", get(public::media::serve))
        .route("/favicon.ico", get(root::favicon))
        .route("/low-vision", get(public::low_vision::set))
        .route("/preview/{token}", get(public::preview::show))
        .route("/robots.txt", get(sitemap::robots))
        .route("/sitemap.xml", get(sitemap::index))
        .route("/sitemap-news.xml", get(sitemap::news))
        .route("/sitemaps/{file}", get(sitemap::part))
        .route("/search", get(root::language_page))
        .route("/archive", get(root::language_page))
        .route("/feed.xml", get(root::language_page))
        .route("/atom.xml", get(root::language_page))
        .route("/feed.json", get(root::language_page))
        .route("/{lang}", get(root::add_slash))
        .route("/{lang}/", get(home::show))
        .route("/{lang}/archive", get(lists::all_news))
        .route("/{lang}/search", get(search::show))
        .route("/{lang}/feed.xml", get(feeds::rss))
        .route("/{lang}/atom.xml", get(feeds::atom))
        .route("/{lang}/feed.json", get(feeds::json))
        .route("/{lang}/{section}/feed.xml", get(feeds::section_rss))
        .route("/{lang}/{section}/atom.xml", get(feeds::section_atom))
        .route("/{lang}/{section}/feed.json", get(feeds::section_json))
        .route("/{lang}/archive/{year}", get(archive::year))
        .route("/{lang}/archive/{year}/{month}", get(archive::month))
        .route("/{lang}/archive/{year}/{month}/{day}", get(archive::day))
        .route("/{lang}/corrections", get(corrections::page))
        .route("/{lang}/corrections/feed.xml", get(corrections::rss))
        .route("/{lang}/corrections/atom.xml", get(corrections::atom))
        .route("/{lang}/corrections/feed.json", get(corrections::json))
        .route("/{lang}/media-about-us", get(public::clippings::page))
        .route("/{lang}/events", get(public::events::page))
        .route("/{lang}/events.ics", get(public::events::ics))
        .route("/{lang}/documents", get(public::documents::register))
        .route("/{lang}/documents/{id}", get(public::documents::show))
        .route("/documents/files/{key}", get(public::documents::file))
        .route("/{lang}/tag/{slug}", get(lists::tag))
        .route("/{lang}/author/{slug}", get(lists::author))
        .route("/{lang}/tag/{slug}/feed.xml", get(feeds::tag_rss))
        .route("/{lang}/tag/{slug}/atom.xml", get(feeds::tag_atom))
        .route("/{lang}/tag/{slug}/feed.json", get(feeds::tag_json))
        .route("/{lang}/{section}", get(lists::section))
        .route("/{lang}/{section}/{slug}", get(article::show))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(MAX_BODY))
        .merge(api::router(state.clone()))
        // The back office's address as people type it, with a slash.
        .route("/admin/", get(|| async { axum::response::Redirect::permanent("/admin") }))
        .nest(
            "/admin",
            admin::router(state.clone()).layer(tower_http::limit::RequestBodyLimitLayer::new(ADMIN_MAX_BODY)),
        )
        .fallback(root::not_found)
        .route_layer(axum::middleware::from_fn(access_log::mark_route))
        .layer(axum::middleware::from_fn_with_state(state.clone(), public::error_page::render))
        .layer(axum::middleware::from_fn(public::low_vision::scope))
        .layer(axum::middleware::from_fn_with_state(state.cache.clone(), cache::layer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), views::count))
        // Inside the timeout: a write that outlives it still runs to its end in its own task.
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(admission::Admission::default()),
            admission::admit,
        ))
        .layer(axum::middleware::from_fn_with_state(state.site.clone(), headers::security))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::from_fn(access_log::log))
        .with_state(state)
}

/// The client's address: the connection's peer, or the address a trusted proxy names for it
/// (see [`client`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub std::net::IpAddr);

/// Connections held open at once; past this, new connections wait in the kernel's backlog.
pub const MAX_CONNECTIONS: usize = 4_096;
/// A client must send its request headers within this time, or the connection is closed: slow
/// clients cannot hold connections open forever.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest a request may take before it is answered with 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest request body the public site accepts.
pub const MAX_BODY: usize = 64 * 1024;
/// The largest request body the back office accepts (photo uploads; see also the upload
/// limit in the media settings).
pub const ADMIN_MAX_BODY: usize = 32 * 1024 * 1024;

/// Serves until `shutdown` resolves, then lets the requests in flight finish (for up to ten
/// seconds). HTTP/1.1 with keep-alive, bounded connections and header timeouts.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let fast = fast_path::FastPath {
        cache: state.cache.clone(),
        views: state.views.clone(),
        https: state.site.is_https(),
        trusted: state.site.trusted_proxies.clone(),
        router: router(state),
    };
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => permit.map_err(std::io::Error::other)?,
            _ = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let peer =
            ClientAddr(stream.peer_addr().map(|a| a.ip()).unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into()));
        let fast = fast.clone();
        let service = hyper::service::service_fn(move |request| fast.clone().serve(peer, request));
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(HEADER_READ_TIMEOUT)
            .max_buf_size(64 * 1024)
            .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(10)) => tracing::warn!("closing connections still open after 10 s"),
    }
    Ok(())
}
