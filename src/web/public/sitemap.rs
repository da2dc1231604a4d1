//! robots.txt and sitemaps (placeholder).

use crate::web::error::WebError;

pub async fn robots() -> WebError {
    WebError::NotFound
}
pub async fn index() -> WebError {
    WebError::NotFound
}
pub async fn news() -> WebError {
    WebError::NotFound
}
pub async fn part() -> WebError {
    WebError::NotFound
}
