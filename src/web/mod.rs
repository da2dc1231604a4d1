//! The HTTP server: one route table (below), the public site under [`public`], error mapping in
//! [`error`], page templates in [`templates`] and embedded static files in [`assets`].
//!
//! The server starts from a listener it is handed ([`serve`]), so tests bind `127.0.0.1:0`,
//! pass the listener in and talk to the real server; nothing sleeps waiting for readiness.

pub mod assets;
pub mod error;
mod headers;
pub mod public;
pub mod templates;

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

/// Everything a request handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub site: Arc<SiteConfig>,
    pub templates: Arc<Templates>,
    pub clock: Arc<dyn Clock>,
    pub search: Arc<crate::search::Search>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("backend", &self.store.backend()).finish_non_exhaustive()
    }
}

/// The route table: every URL the site answers, in one place.
pub fn router(state: AppState) -> Router {
    use public::{archive, article, feeds, home, lists, root, search, sitemap};
    Router::new()
        .route("/", get(root::language_redirect))
        .route("/healthz", get(root::healthz))
        .route("/static/{name}", get(assets::serve))
        .route("/favicon.ico", get(root::favicon))
        .route("/robots.txt", get(sitemap::robots))
        .route("/sitemap.xml", get(sitemap::index))
        .route("/sitemap-news.xml", get(sitemap::news))
        .route("/sitemaps/{file}", get(sitemap::part))
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
        .route("/{lang}/{section}", get(lists::section))
        .route("/{lang}/{section}/{slug}", get(article::show))
        .fallback(root::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), public::error_page::render))
        .layer(axum::middleware::from_fn_with_state(state.site.clone(), headers::security))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .with_state(state)
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}
