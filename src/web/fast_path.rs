//! The hot path: a GET or HEAD for a page already in the [`PageCache`] is answered here, as soon
//! as the request is parsed, without the router and its layers (the in-flight limit, the
//! timeout, the error pages): none of them can matter to copying out bytes already made. The
//! answer is the same as through the router: the entry's headers, the security headers, and a
//! view counted for a person reading an article. Everything else goes to the router.

use super::access_log::{self, RequestId};
use super::cache::{PageCache, cache_key};
use super::views::{self, ViewCounter};
use super::{ClientAddr, headers};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use std::convert::Infallible;
use std::sync::Arc;

/// What the hot path needs, shared by every connection.
#[derive(Clone)]
pub struct FastPath {
    pub router: Router,
    pub cache: Arc<PageCache>,
    pub views: Arc<ViewCounter>,
    pub https: bool,
    /// Whose forwarding headers are believed.
    pub trusted: crate::config::TrustedProxies,
}

impl FastPath {
    /// The answer from the cache, or `None` when the router must handle the request.
    pub fn cached<B>(&self, request: &Request<B>) -> Option<Response<Body>> {
        let key = cache_key(request)?;
        let entry = match self.cache.get(&key) {
            Some(entry) => entry,
            // Stale, and another request is rendering it: its previous version, as the router
            // would answer.
            None => self.cache.previous_while_rendering(&key)?,
        };
        self.cache.count_fast_answer();
        crate::metrics::metrics().cache_hits.inc();
        let mut response = entry.respond(request.method(), request.headers());
        headers::add_security(response.headers_mut(), self.https);
        let path = request.uri().path();
        if views::counts(response.status()) && views::countable(request.method(), path, request.headers()) {
            self.views.record(path);
        }
        Some(response)
    }

    /// Answers one request of a connection from `peer`.
    pub async fn serve(
        self,
        peer: ClientAddr,
        mut request: Request<hyper::body::Incoming>,
    ) -> Result<Response<Body>, Infallible> {
        let started = std::time::Instant::now();
        let id = RequestId::for_request(peer.0, request.headers(), &self.trusted);
        if let Some(mut response) = self.cached(&request) {
            let client = super::client::resolve(peer.0, request.headers(), &self.trusted);
            access_log::cached(&request, &response, &id, client, started);
            response.headers_mut().insert(access_log::X_REQUEST_ID.clone(), id.header());
            return Ok(response);
        }
        let client = ClientAddr(super::client::resolve(peer.0, request.headers(), &self.trusted));
        request.extensions_mut().insert(client);
        request.extensions_mut().insert(id);
        tower::ServiceExt::oneshot(self.router, request).await
    }
}
