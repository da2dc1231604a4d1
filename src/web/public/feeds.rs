//! Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 per language and per section (placeholder).

use crate::web::error::WebError;

pub async fn rss() -> WebError {
    WebError::NotFound
}
pub async fn atom() -> WebError {
    WebError::NotFound
}
pub async fn json() -> WebError {
    WebError::NotFound
}
pub async fn section_rss() -> WebError {
    WebError::NotFound
}
pub async fn section_atom() -> WebError {
    WebError::NotFound
}
pub async fn section_json() -> WebError {
    WebError::NotFound
}
