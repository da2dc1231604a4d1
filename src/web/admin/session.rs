//! Who is signed in: the session cookie, the `Staff` extractor that every back-office handler
//! takes, and the CSRF guard in front of every state-changing request.

use crate::accounts::{constant_time_eq, token_hash};
use crate::domain::user::{Permission, Role, User};
use crate::web::AppState;
use crate::web::error::WebError;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "newsdesk_session";
/// The sign-in form's CSRF cookie (before there is a session to hold the token).
pub const LOGIN_CSRF_COOKIE: &str = "newsdesk_login_csrf";
/// How long a session lasts after signing in.
pub const SESSION_HOURS: i64 = 12;
/// Largest form a back-office request may send (uploads have their own limit).
const MAX_FORM: usize = 4 * 1024 * 1024;

/// A signed-in member of staff, with the session's CSRF token for forms.
#[derive(Debug, Clone)]
pub struct Staff {
    pub user: User,
    pub csrf: String,
    pub token_hash: String,
    /// Whether this person signs in with a second factor.
    pub two_factor: bool,
    /// The site requires a second factor of this person's role and they have none yet: until
    /// they set one up, the back office shows them only that (see [`enrolment_allows`]).
    pub must_enrol: bool,
}

impl Staff {
    /// Fails with 403 unless the user's role grants `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), WebError> {
        if self.user.role.can(permission) { Ok(()) } else { Err(WebError::Forbidden) }
    }
}

/// Reads one cookie from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_string())
        })
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure on https sites, scoped to the back office.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/admin; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

async fn load(parts_headers: &HeaderMap, state: &AppState) -> Result<Option<Staff>, WebError> {
    let Some(token) = cookie(parts_headers, SESSION_COOKIE) else { return Ok(None) };
    let hash = token_hash(&token);
    Ok(state.store.session(&hash, state.clock.now()).await?.map(|s| Staff {
        must_enrol: s.two_factor_required && !s.two_factor && s.user.role >= Role::Editor,
        two_factor: s.two_factor,
        user: s.user,
        csrf: s.csrf_token,
        token_hash: hash,
    }))
}

/// What someone who must set up a second factor may still open: the set-up itself, their
/// account page, the language switch and signing out.
fn enrolment_allows(path: &str) -> bool {
    path == "/admin/two-factor"
        || path.starts_with("/admin/two-factor/")
        || path == "/admin/password"
        || path == "/admin/sessions/end"
        || path == "/admin/logout"
        || path.starts_with("/admin/lang/")
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(staff) = parts.extensions.get::<Staff>() {
            return Ok(staff.clone());
        }
        match load(&parts.headers, state).await {
            Ok(Some(staff)) => Ok(staff),
            Ok(None) => {
                let uri = original_uri(parts);
                let next = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/admin");
                let target = if parts.method == Method::GET && next.starts_with("/admin") {
                    format!("/admin/login?next={}", encode(next))
                } else {
                    "/admin/login".to_string()
                };
                Err(Redirect::to(&target).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The request's full URI: inside the nested back-office router, `parts.uri` has lost `/admin`.
fn original_uri(parts: &Parts) -> axum::http::Uri {
    parts
        .extensions
        .get::<axum::extract::OriginalUri>()
        .map(|o| o.0.clone())
        .unwrap_or_else(|| parts.uri.clone())
}

/// Percent-encodes a query value.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The CSRF token a request carries: the `X-CSRF-Token` header, a `csrf` query parameter
/// (multipart uploads), or a `csrf` field of an urlencoded form body.
fn token_in(headers: &HeaderMap, query: Option<&str>, body: &[u8]) -> Option<String> {
    if let Some(v) = headers.get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return Some(v.to_string());
    }
    let find =
        |text: &[u8]| form_urlencoded_pairs(text).into_iter().find(|(k, _)| k == "csrf").map(|(_, v)| v);
    query.and_then(|q| find(q.as_bytes())).or_else(|| find(body))
}

fn form_urlencoded_pairs(input: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(input);
    text.split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((decode(k), decode(v)))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether an `Origin` header, when present, names this site (the request's own host).
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else { return true };
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else { return false };
    origin.split_once("://").is_some_and(|(_, rest)| rest == host)
}

fn forbidden() -> Response {
    WebError::Forbidden.into_response()
}

/// Middleware for the back office: loads the session once, and refuses any state-changing
/// request whose CSRF token does not match the session's (or, for signing in, the sign-in
/// cookie's), or whose `Origin` is another site. Refusals are 403.
pub async fn guard(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let staff = match load(&parts.headers, &state).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    if let Some(s) = &staff {
        if s.must_enrol && !enrolment_allows(original_uri(&parts).path()) {
            return Redirect::to("/admin/two-factor").into_response();
        }
        parts.extensions.insert(s.clone());
    }
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    if !same_origin(&parts.headers) {
        return forbidden();
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let (bytes, body) = if is_form {
        match axum::body::to_bytes(body, MAX_FORM).await {
            Ok(b) => (b.clone(), Body::from(b)),
            Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response(),
        }
    } else {
        (axum::body::Bytes::new(), body)
    };
    let sent = token_in(&parts.headers, parts.uri.query(), &bytes);
    let path = original_uri(&parts).path().to_string();
    let signing_in =
        path == "/admin/login" || path == "/admin/login/code" || path.starts_with("/admin/set-password/");
    let expected = match &staff {
        Some(s) => Some(s.csrf.clone()),
        None if signing_in => cookie(&parts.headers, LOGIN_CSRF_COOKIE),
        None => None,
    };
    match (sent, expected) {
        (Some(sent), Some(expected)) if constant_time_eq(&sent, &expected) => {
            next.run(Request::from_parts(parts, body)).await
        }
        (_, None) if staff.is_none() && !signing_in => {
            // Signed out: send them to sign in rather than a bare 403.
            Redirect::to("/admin/login").into_response()
        }
        _ => forbidden(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_and_tokens_are_read() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; newsdesk_session=abc; b=2"));
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
        assert_eq!(token_in(&HeaderMap::new(), None, b"title=x&csrf=t%2B1&b=2").as_deref(), Some("t+1"));
        assert_eq!(token_in(&HeaderMap::new(), Some("csrf=q"), b"").as_deref(), Some("q"));
        assert_eq!(decode("a+b%20c%zz"), "a b c%zz");
    }

    #[test]
    fn origins() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("news.example"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://news.example"));
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("https://evil.example"));
        assert!(!same_origin(&h));
    }
}
