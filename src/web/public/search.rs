//! `GET /{lang}/search?q=`: full-text search (placeholder).

use crate::web::error::WebError;

pub async fn show() -> WebError {
    WebError::NotFound
}
