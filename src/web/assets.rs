//! Static assets (stylesheet, script, icon, and the emblem drawn as PNG), embedded in the binary and served under
//! fingerprinted names (`style.3f2a9c1e.css`) so browsers and CDNs may cache them forever: a
//! new release changes the name, never the content behind a name.

use super::cache::Entry;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// The name pages link to, with its fingerprint.
    pub name: String,
    pub content_type: &'static str,
    pub body: &'static [u8],
}

fn asset(stem: &str, ext: &str, content_type: &'static str, body: &'static [u8]) -> Asset {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    let name = format!("{stem}.{:08x}.{ext}", hasher.finish() as u32);
    Asset { name, content_type, body }
}

/// Every asset, built once.
pub static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    vec![
        asset("style", "css", "text/css; charset=utf-8", include_bytes!("../../static/style.css")),
        asset("app", "js", "text/javascript; charset=utf-8", include_bytes!("../../static/app.js")),
        asset("icon", "svg", "image/svg+xml", include_bytes!("../../static/icon.svg")),
        // Drawn once per process; kept for its life like the embedded files.
        asset("logo", "png", "image/png", Box::leak(super::emblem::logo_png().into_boxed_slice())),
        asset("share", "png", "image/png", Box::leak(super::emblem::card_png().into_boxed_slice())),
        asset("admin", "css", "text/css; charset=utf-8", include_bytes!("../../static/admin.css")),
        asset(
            "admin-editor",
            "js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../static/admin.js"),
        ),
        // The rich-text editor, Quill 2.0.3 (BSD-3-Clause; licence in static/vendor/quill-2.0.3/).
        asset(
            "quill",
            "js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../static/vendor/quill-2.0.3/quill.js"),
        ),
        asset(
            "quill-snow",
            "css",
            "text/css; charset=utf-8",
            include_bytes!("../../static/vendor/quill-2.0.3/quill.snow.css"),
        ),
    ]
});

/// The public URL of the asset whose fingerprinted name starts with `stem.`.
pub fn url(stem: &str) -> String {
    ASSETS
        .iter()
        .find(|a| a.name.starts_with(stem) && a.name.as_bytes().get(stem.len()) == Some(&b'.'))
        .map(|a| format!("/static/{}", a.name))
        .unwrap_or_default()
}

/// The assets as cache entries: compressed once, served with ETags like pages.
static ENTRIES: LazyLock<HashMap<&'static str, Entry>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.content_type));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            (a.name.as_str(), Entry::new(headers, Bytes::from_static(a.body)))
        })
        .collect()
});

/// `GET /static/{name}`.
pub async fn serve(Path(name): Path<String>, method: Method, headers: HeaderMap) -> Response {
    match ENTRIES.get(name.as_str()) {
        Some(entry) => entry.respond(&method, &headers),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
