//! Counting article views on the server, for "most read" lists: no cookies, no addresses, no
//! personal data — only which article was read on which day. Robots (by their User-Agent) and
//! HEAD requests are not counted. Counts gather in memory and are written every few seconds, so
//! a read costs no database write; a crash loses at most those seconds of counts.

use super::AppState;
use crate::domain::Lang;
use crate::storage::StoreError;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// How often gathered counts are written.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(5);
/// Distinct article paths held between writes; more are dropped rather than grow memory.
const MAX_PENDING: usize = 20_000;
/// User-Agent fragments of robots, compared in lowercase.
const ROBOTS: &[&str] = &["bot", "crawl", "spider", "slurp", "preview", "fetch", "monitor", "headless"];

/// How long a language's "most read" list is used before it is counted again, in seconds.
const MOST_READ_TTL: i64 = 60;
/// Articles in a "most read" list.
const MOST_READ: u32 = 5;

/// Views gathered since the last write, by article path; and the "most read" lists last
/// counted, by language.
#[derive(Debug, Default)]
pub struct ViewCounter {
    pending: Mutex<HashMap<String, i64>>,
    most_read: Mutex<HashMap<String, (i64, Vec<i64>)>>,
}

impl ViewCounter {
    pub(crate) fn record(&self, path: &str) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = pending.get_mut(path) {
            *n += 1;
        } else if pending.len() < MAX_PENDING {
            pending.insert(path.to_string(), 1);
        }
    }

    fn take(&self) -> HashMap<String, i64> {
        std::mem::take(&mut *self.pending.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The ids of the week's most read articles in `lang`, counted at most once a minute: each
    /// re-render of a home page shows them (after every publication), and a week's ranking
    /// does not move in a minute. Whether each is still published is the caller's to check.
    pub(crate) async fn most_read(&self, state: &AppState, lang: &Lang) -> Result<Vec<i64>, StoreError> {
        let now = state.clock.now().as_second();
        {
            let memo = self.most_read.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((at, ids)) = memo.get(lang.as_str())
                && (0..MOST_READ_TTL).contains(&(now - at))
            {
                return Ok(ids.clone());
            }
        }
        let week_ago = now.div_euclid(86_400) - 7;
        let ids = state.store.most_read(lang, week_ago, MOST_READ).await?;
        let mut memo = self.most_read.lock().unwrap_or_else(|e| e.into_inner());
        memo.insert(lang.as_str().to_string(), (now, ids.clone()));
        Ok(ids)
    }
}

/// Whether a path has the shape of an article page: `/{lang}/{section}/{slug}`.
fn is_article_path(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(lang), Some(section), Some(slug), None) => {
            (2..=3).contains(&lang.len())
                && !section.is_empty()
                && section != "archive"
                && !slug.is_empty()
                && !slug.contains('.')
        }
        _ => false,
    }
}

fn is_robot(headers: &HeaderMap) -> bool {
    match headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(ua) => {
            let ua = ua.to_ascii_lowercase();
            ROBOTS.iter().any(|r| ua.contains(r))
        }
    }
}

/// Whether a request is a person's read of an article page (counted when it succeeds).
pub(crate) fn countable(method: &Method, path: &str, headers: &HeaderMap) -> bool {
    method == Method::GET && is_article_path(path) && !is_robot(headers)
}

/// Whether a response to a countable request counts as a read.
pub(crate) fn counts(status: StatusCode) -> bool {
    matches!(status, StatusCode::OK | StatusCode::NOT_MODIFIED)
}

/// Middleware: counts successful reads of article pages by people.
pub async fn count(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let countable = countable(request.method(), request.uri().path(), request.headers());
    let path = countable.then(|| request.uri().path().to_string());
    let response = next.run(request).await;
    if let Some(path) = path
        && counts(response.status())
    {
        state.views.record(&path);
    }
    response
}

/// Writes gathered counts: each path is resolved to its article (paths of articles that no
/// longer exist are dropped).
pub async fn flush(state: &AppState) {
    let pending = state.views.take();
    if pending.is_empty() {
        return;
    }
    let day = state.clock.now().as_second().div_euclid(86_400);
    for (path, views) in pending {
        let mut parts = path.trim_start_matches('/').split('/');
        let (Some(lang), Some(_), Some(slug)) = (parts.next(), parts.next(), parts.next()) else { continue };
        let Some(lang) = state.site.language(lang) else { continue };
        match state.store.article_id_by_slug(lang.as_str(), slug).await {
            Ok(Some(id)) => {
                if let Err(e) = state.store.add_views(id, day, views).await {
                    tracing::warn!(error = %e, "cannot record views");
                }
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot record views"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_paths() {
        assert!(is_article_path("/en/news/some-story"));
        for p in [
            "/en/",
            "/en/news",
            "/en/news/feed.xml",
            "/en/archive/2025",
            "/en/archive/2025/04/01",
            "/static/a.css",
        ] {
            assert!(!is_article_path(p), "{p}");
        }
    }

    #[test]
    fn robots_are_not_counted() {
        let req = |ua: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(ua) = ua {
                headers.insert(header::USER_AGENT, ua.parse().unwrap());
            }
            headers
        };
        assert!(is_robot(&req(Some("Mozilla/5.0 (compatible; Googlebot/2.1)"))));
        assert!(is_robot(&req(None)));
        assert!(!is_robot(&req(Some("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"))));
    }
}
