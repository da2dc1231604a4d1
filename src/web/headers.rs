//! Security headers on every response. The site needs no third-party anything, so the content
//! security policy allows only its own origin (and the video hosts' players, framed only when a
//! reader starts a video); inline scripts and styles are refused.

use crate::config::SiteConfig;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The video hosts' players may be framed (a reader starts one by pressing a placeholder's play
/// button, see [`crate::web::public::video`]); nothing else from elsewhere.
const CSP: &str = "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; \
                   frame-src https://www.youtube-nocookie.com https://vkvideo.ru https://rutube.ru; \
                   object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Middleware: the security headers on every response that went through the router.
pub async fn security(State(site): State<Arc<SiteConfig>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    add_security(response.headers_mut(), site.is_https());
    response
}

/// Adds the security headers (HSTS only when the site is served over https; a page's own
/// content security policy, always stricter, is kept).
pub fn add_security(h: &mut HeaderMap, https: bool) {
    // A response with a stricter policy of its own (documents' files: a sandbox) keeps it.
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::CSP;
    use crate::domain::video::recognise;

    #[test]
    fn every_video_player_may_be_framed() {
        for address in [
            "https://youtu.be/dQw4w9WgXcQ",
            "https://vk.com/video-1_2",
            "https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
        ] {
            let player = url::Url::parse(&recognise(address).unwrap().player_url).unwrap();
            let origin = player.origin().ascii_serialization();
            let frame_src = CSP.split(';').find(|d| d.trim().starts_with("frame-src")).unwrap();
            assert!(frame_src.split_whitespace().any(|o| o == origin), "{origin} in {frame_src}");
        }
    }
}
