//! The JSON API under `/api/v1/`, described by an OpenAPI 3.1 document generated from this
//! code (`/api/openapi.json`, readable at `/api/docs`).
//!
//! * [`public`]: read-only, no key: articles (filtered, keyset-paged), an article by id or by
//!   language and address, translations, sections, search. ETags and 304s; CORS for GETs.
//! * [`editorial`]: writes with a bearer token ([`auth`]), all through the newsroom: create,
//!   change (`If-Match` carries the version), workflow steps, photos, sections.
//! * [`problem`]: every error as RFC 9457 problem details in the caller's language.
//!
//! Nothing under `/api/` enters the public page cache; answers to GETs without a token may be
//! cached by browsers and CDNs for a minute (`Cache-Control`), answers to a token never.

pub mod auth;
pub mod docs;
pub mod editorial;
pub mod model;
pub mod problem;
pub mod public;

use crate::domain::{Article, Lang, Section};
use crate::newsroom::FieldError;
use crate::web::AppState;
use crate::web::api_limit::ApiLimit;
use axum::Router;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use problem::{ApiError, ApiResult};
use serde::Serialize;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

/// The largest JSON body accepted (an article's body may be up to 2 MB of HTML).
pub const MAX_JSON: usize = 4 * 1024 * 1024;

/// The API's routes; mounted at the root by [`crate::web::router`].
pub fn router(state: AppState) -> Router<AppState> {
    let limit = Arc::new(ApiLimit::default());
    let v1 = Router::new()
        .route("/articles", get(public::list).post(editorial::create))
        .route("/articles/{id}", get(public::get).patch(editorial::patch))
        .route("/articles/{id}/translations", get(public::translations))
        .route("/articles/{id}/{action}", post(editorial::act))
        .route("/languages/{lang}/articles/{slug}", get(public::by_slug))
        .route("/sections", get(public::sections).post(editorial::save_section))
        .route("/search", get(public::search))
        .route("/photos", post(editorial::upload_photo))
        .route("/webhooks", post(editorial::subscribe));
    Router::new()
        .nest("/api/v1", v1)
        .route("/api/openapi.json", get(docs::openapi))
        .route("/api/docs", get(docs::page))
        // Anything else under /api is the API's to answer, as a problem (not the site's
        // article pages, whose paths look the same).
        .route("/api", axum::routing::any(|| async { ApiError::not_found() }))
        .route("/api/{*rest}", axum::routing::any(|| async { ApiError::not_found() }))
        .layer(axum::middleware::from_fn(cors))
        .layer(axum::middleware::from_fn(problem::localize))
        .layer(axum::Extension(limit))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(crate::web::ADMIN_MAX_BODY))
        .with_state(state)
}

/// Cross-origin reads are welcome (the API is public); writes are for servers, with tokens.
async fn cors(request: Request, next: axum::middleware::Next) -> Response {
    if request.method() == Method::OPTIONS {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Accept, Accept-Language, If-None-Match, Authorization"),
        );
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        return response;
    }
    let read = request.method() == Method::GET || request.method() == Method::HEAD;
    let mut response = next.run(request).await;
    if read {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("ETag, Location, Retry-After"),
        );
    }
    response
}

/// A JSON body whose problems (not JSON, wrong fields, too large) come back as problem
/// details naming what is wrong, like every other error.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/json") || t.contains("+json"));
        if !json {
            return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "api_json_expected"));
        }
        let bytes = axum::body::Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large_text")
            } else {
                ApiError::bad_request("api_bad_json")
            }
        })?;
        if bytes.len() > MAX_JSON {
            return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large_text"));
        }
        serde_json::from_slice(&bytes).map(ApiJson).map_err(|e| {
            // serde's words name the field and the position, never anything internal.
            let reason: String = e.to_string().chars().take(300).collect();
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "api_bad_body").with("reason", reason)
        })
    }
}

/// A site language from a parameter (the default language when absent).
pub fn lang_param(state: &AppState, value: Option<&str>) -> Result<Lang, FieldError> {
    match value.map(str::trim) {
        None => Ok(state.site.default_language.clone()),
        Some(code) => state.site.language(code).cloned().ok_or_else(|| {
            let known: Vec<&str> = state.site.languages.iter().map(|l| l.as_str()).collect();
            FieldError::new("lang", "error_not_a_language").with("lang", code).with("known", known.join(", "))
        }),
    }
}

/// A section by slug or id.
pub async fn section_by_ref(state: &AppState, section: &model::SectionRef) -> ApiResult<Option<Section>> {
    let sections = state.listing.sections(state).await?;
    Ok(sections
        .iter()
        .find(|s| match section {
            model::SectionRef::Id(id) => s.id == *id,
            model::SectionRef::Slug(slug) => s.slug == *slug,
        })
        .cloned())
}

/// The version a change starts from, from `If-Match` (`"7"`, `W/"7"` or `7`).
pub fn if_match(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(value) = headers.get(header::IF_MATCH) else { return Ok(None) };
    let text = value.to_str().unwrap_or("").trim();
    let text = text.trim_start_matches("W/").trim_matches('"');
    text.parse::<i64>().map(Some).map_err(|_| ApiError::field("If-Match", "error_version_format"))
}

/// A value as JSON with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`: the
/// same JSON to any parser, but text a client sent (echoed in an error, or stored in a title)
/// can never read as markup to a browser or a proxy that sniffs. Those three characters only
/// ever occur inside JSON strings, so replacing them byte by byte is always valid.
pub fn json_bytes<T: Serialize>(value: &T) -> Vec<u8> {
    let raw = serde_json::to_vec(value).unwrap_or_default();
    let mut out = Vec::with_capacity(raw.len());
    for b in raw {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            _ => out.push(b),
        }
    }
    out
}

/// A 201 answer with what was created, as [`json_bytes`] writes it.
pub fn created<T: Serialize>(value: &T) -> Response {
    (StatusCode::CREATED, [(header::CONTENT_TYPE, "application/json")], json_bytes(value)).into_response()
}

/// A JSON answer with an ETag (given, or a hash of the body), 304 when the client has it, and
/// caching rules: shared caches may keep answers to requests without a token for a minute.
pub fn json<T: Serialize>(request: &HeaderMap, value: &T, etag: Option<String>) -> Response {
    let body = json_bytes(value);
    let etag = etag.unwrap_or_else(|| {
        let mut hasher = DefaultHasher::new();
        body.hash(&mut hasher);
        format!("\"{:016x}\"", hasher.finish())
    });
    let private = request.contains_key(header::AUTHORIZATION);
    let cache_control = if private { "private, no-store" } else { "public, max-age=60" };
    let matches = request
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*"));
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    h.insert(header::VARY, HeaderValue::from_static("Authorization, Accept-Language"));
    response
}

/// An article with its version as the ETag.
pub async fn article_response(
    state: &AppState,
    request: &HeaderMap,
    article: &Article,
    status: StatusCode,
) -> ApiResult<Response> {
    let sections = state.listing.sections(state).await?;
    let section = sections.iter().find(|s| s.id == article.section_id);
    let lead_image_id = state.store.lead_image_id(article.id).await?;
    let out = model::ArticleOut::new(article, section, &state.site.base_url, lead_image_id);
    let mut response = json(request, &out, Some(format!("\"{}\"", article.version)));
    if response.status() == StatusCode::OK && status != StatusCode::OK {
        *response.status_mut() = status;
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_json_is_written_as_unicode_escapes() {
        let value = serde_json::json!({ "field": "<script>alert('x')</script> & co" });
        let bytes = json_bytes(&value);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, value, "the same JSON to a parser");
    }
}
