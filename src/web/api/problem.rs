//! API errors as RFC 9457 problem details (`application/problem+json`), worded in the
//! caller's language (`Accept-Language`, English or Russian). Nothing internal is ever
//! included: server failures say only that they happened and are logged.

use super::model::{FieldProblem, Problem};
use crate::i18n;
use crate::newsroom::{FieldError, NewsroomError};
use crate::storage::StoreError;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An API request that could not be answered as asked.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    /// The i18n key of the explanation (`detail`).
    key: &'static str,
    args: Vec<(&'static str, String)>,
    fields: Vec<FieldError>,
    retry_after: Option<u64>,
    /// English unless [`localize`] re-words it for the request.
    lang: &'static str,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, key: &'static str) -> ApiError {
        ApiError { status, key, args: Vec::new(), fields: Vec::new(), retry_after: None, lang: "en" }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> ApiError {
        self.args.push((name, value.to_string()));
        self
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "api_not_found")
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "api_unauthorized")
    }

    pub fn forbidden() -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "api_forbidden")
    }

    pub fn bad_request(key: &'static str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, key)
    }

    pub fn too_many(retry_after: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after.max(1)),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, "api_too_many")
        }
    }

    /// Input with something wrong in these fields (422).
    pub fn invalid(fields: Vec<FieldError>) -> ApiError {
        ApiError { fields, ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "api_invalid") }
    }

    pub fn field(field: &'static str, key: &'static str) -> ApiError {
        ApiError::invalid(vec![FieldError::new(field, key)])
    }

    fn render(&self) -> Response {
        let l = self.lang;
        let args: Vec<(&str, &str)> = self.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let problem = Problem {
            kind: format!("https://newsdesk.invalid/problems/{}", self.status.as_u16()),
            title: self.status.canonical_reason().unwrap_or("Error").to_string(),
            status: self.status.as_u16(),
            detail: i18n::text(l, self.key, &args),
            errors: self
                .fields
                .iter()
                .map(|f| FieldProblem { field: f.field.to_string(), message: f.message(l) })
                .collect(),
        };
        let body = super::json_bytes(&problem);
        let mut response = (self.status, body).into_response();
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(if l == "ru" { "ru" } else { "en" }));
        if let Some(seconds) = self.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response.extensions_mut().insert(self.clone());
        response
    }
}

/// Middleware for everything under `/api`: problems in the caller's language, and the bare
/// text answers of extractors and the router (a body that is not JSON, a wrong method, an
/// unknown path) turned into problems too, so a client always gets the same shape.
pub async fn localize(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let lang = lang_of(request.headers());
    let response = next.run(request).await;
    if let Some(problem) = response.extensions().get::<ApiError>() {
        if problem.lang == lang {
            return response;
        }
        let mut problem = problem.clone();
        problem.lang = lang;
        return problem.render();
    }
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.to_str().is_ok_and(|t| t.starts_with("text/plain")));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let key = match status {
        StatusCode::NOT_FOUND => "api_not_found",
        StatusCode::METHOD_NOT_ALLOWED => "api_method",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large_text",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "api_json_expected",
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "api_bad_json",
        StatusCode::REQUEST_TIMEOUT => "timeout_text",
        StatusCode::TOO_MANY_REQUESTS => "too_many_text",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable_text",
        s if s.is_server_error() => "server_error_text",
        _ => "bad_request_text",
    };
    let retry_after = response.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()?.parse().ok());
    let allow = response.headers().get(header::ALLOW).cloned();
    let mut out = ApiError { lang, retry_after, ..ApiError::new(status, key) }.render();
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    out
}

/// English or Russian, from `Accept-Language`.
pub fn lang_of(headers: &HeaderMap) -> &'static str {
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    match crate::web::public::root::negotiate(accept, &["en", "ru"]) {
        Some("ru") => "ru",
        _ => "en",
    }
}

impl From<NewsroomError> for ApiError {
    fn from(e: NewsroomError) -> ApiError {
        match e {
            NewsroomError::NotFound => ApiError::not_found(),
            NewsroomError::Forbidden => ApiError::forbidden(),
            NewsroomError::Invalid(fields) => ApiError::invalid(fields),
            // A missing required header, named like any other missing field.
            NewsroomError::VersionRequired => ApiError::field("If-Match", "api_if_match"),
            NewsroomError::Conflict(c) => {
                ApiError::new(StatusCode::CONFLICT, "api_conflict").with("version", c.current.version)
            }
            NewsroomError::Taken(field) => {
                ApiError { fields: vec![field], ..ApiError::new(StatusCode::CONFLICT, "api_taken") }
            }
            NewsroomError::Missing(field) => {
                ApiError { fields: vec![field], ..ApiError::new(StatusCode::NOT_FOUND, "api_missing") }
            }
            NewsroomError::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            other => {
                tracing::error!(error = %other, "API request failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "server_error_text")
            }
        }
    }
}

impl From<crate::web::error::WebError> for ApiError {
    fn from(e: crate::web::error::WebError) -> ApiError {
        use crate::web::error::WebError as W;
        match e {
            W::NotFound => ApiError::not_found(),
            W::Forbidden => ApiError::forbidden(),
            W::TooManyRequests { retry_after } => ApiError::too_many(retry_after),
            W::Store(e) => e.into(),
            W::Unavailable => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable_text"),
            other => {
                let status = other.status();
                if status.is_server_error() {
                    tracing::error!(error = %other, "API request failed");
                }
                ApiError::new(
                    status,
                    if status.is_server_error() { "server_error_text" } else { "bad_request_text" },
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.render()
    }
}
