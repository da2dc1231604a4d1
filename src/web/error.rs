//! How failures become HTTP responses.
//!
//! Handlers return [`WebError`]. Its `IntoResponse` does no I/O: it picks the status and attaches
//! an [`ErrorPage`] extension; the `error_pages` middleware (which has the templates and knows
//! the page's language) then renders the reader-facing page. Internal details (SQL errors,
//! template errors) go to the log only; a reader sees a generic message with the status.

use crate::storage::StoreError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// A request that could not be answered with the page asked for.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// Signed in, but the role does not allow this; or a form without a valid CSRF token.
    #[error("forbidden")]
    Forbidden,
    /// The request itself is wrong; the message is shown to the reader, so it must be safe and
    /// helpful ("'2025-13-01' is not a date").
    #[error("{0}")]
    BadRequest(String),
    /// The input was understood but is not acceptable (a missing section, a bad date); the
    /// message is shown, in the reader's language, and says what to change.
    #[error("{0}")]
    Invalid(String),
    /// Someone else changed the thing first, or a unique name is taken; the message says what.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts or too much at once; retry after this many seconds.
    #[error("too many requests; retry after {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    /// Something this node depends on is not available right now.
    #[error("temporarily unavailable")]
    Unavailable,
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("template: {0:#}")]
    Template(#[from] minijinja::Error),
}

/// Attached to error responses for the error-page middleware to render.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// Safe to show; `None` means "use the generic text for this status".
    pub message: Option<String>,
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound | WebError::Store(StoreError::NotFound) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Conflict(_) | WebError::Store(StoreError::Conflict(_) | StoreError::SlugTaken(_)) => {
                StatusCode::CONFLICT
            }
            WebError::Store(StoreError::NoSuchSection(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            WebError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::Store(_) | WebError::Template(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            WebError::BadRequest(m) | WebError::Invalid(m) | WebError::Conflict(m) => Some(m.clone()),
            _ => None,
        };
        match &self {
            WebError::Store(StoreError::Conflict(detail)) => tracing::info!(%detail, "refused: conflict"),
            _ if status.is_server_error() => tracing::error!(error = %self, "request failed"),
            _ => {}
        }
        let mut response = (status, status.canonical_reason().unwrap_or("Error")).into_response();
        let retry_after = match &self {
            WebError::TooManyRequests { retry_after } => Some(*retry_after),
            WebError::Unavailable => Some(5),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response.extensions_mut().insert(ErrorPage { status, message });
        response
    }
}

impl WebError {
    /// A refusal of the newsroom, worded for a person reading `lang`.
    pub fn refused(error: crate::newsroom::NewsroomError, lang: &str) -> WebError {
        use crate::newsroom::NewsroomError as N;
        let message = error.message(lang).unwrap_or_default();
        match error {
            N::NotFound => WebError::NotFound,
            N::Forbidden => WebError::Forbidden,
            N::Invalid(_) | N::VersionRequired | N::Missing(_) => WebError::Invalid(message),
            N::Conflict(_) | N::Taken(_) => WebError::Conflict(message),
            N::Store(e) => WebError::Store(e),
        }
    }
}

pub type WebResult<T> = Result<T, WebError>;
