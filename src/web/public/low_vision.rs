//! The version for the visually impaired (GOST R 52872-2019, WCAG 2.1 AA): larger text (up to
//! 200%), four colour schemes, images on or off, wider letter and line spacing.
//!
//! It works without JavaScript: plain links to `/low-vision?…&next=PATH` set a cookie and lead
//! back; every page reads the cookie (through [`scope`]) and renders itself with the reader's
//! settings and a settings bar. The page cache keys such pages by the settings as well as the
//! address, and HTML answers say `Vary: Cookie`, so no one gets another reader's version.

use crate::web::AppState;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// The cookie holding the settings (`2.bw.i.n`: size, scheme, images, spacing).
pub const COOKIE: &str = "nd_lv";

/// One reader's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LowVision {
    /// 1, 2 or 3: text at 125%, 150% or 200%.
    pub size: u8,
    pub scheme: Scheme,
    pub images: bool,
    /// Wider letter, word and line spacing.
    pub wide: bool,
}

/// The colour schemes GOST R 52872-2019 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// Black on white.
    Bw,
    /// White on black.
    Wb,
    /// Dark blue on light blue.
    Blue,
    /// Brown on beige.
    Brown,
}

impl Scheme {
    const ALL: [Scheme; 4] = [Scheme::Bw, Scheme::Wb, Scheme::Blue, Scheme::Brown];

    fn as_str(self) -> &'static str {
        match self {
            Scheme::Bw => "bw",
            Scheme::Wb => "wb",
            Scheme::Blue => "blue",
            Scheme::Brown => "brown",
        }
    }

    fn parse(s: &str) -> Option<Scheme> {
        Scheme::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl Default for LowVision {
    fn default() -> Self {
        LowVision { size: 2, scheme: Scheme::Bw, images: true, wide: false }
    }
}

impl LowVision {
    /// The cookie's value.
    pub fn value(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            self.size,
            self.scheme.as_str(),
            if self.images { "i" } else { "n" },
            if self.wide { "w" } else { "n" }
        )
    }

    /// Reads a cookie value; anything else than what [`LowVision::value`] writes is ignored.
    pub fn parse(value: &str) -> Option<LowVision> {
        let mut parts = value.split('.');
        let size = match parts.next()? {
            "1" => 1,
            "2" => 2,
            "3" => 3,
            _ => return None,
        };
        let scheme = Scheme::parse(parts.next()?)?;
        let images = match parts.next()? {
            "i" => true,
            "n" => false,
            _ => return None,
        };
        let wide = match parts.next()? {
            "w" => true,
            "n" => false,
            _ => return None,
        };
        parts.next().is_none().then_some(LowVision { size, scheme, images, wide })
    }

    /// The reader's settings from a request's cookies.
    pub fn from_headers(headers: &HeaderMap) -> Option<LowVision> {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .and_then(|(_, value)| LowVision::parse(value.trim()))
    }

    /// The classes on `<html>` that the style sheet acts on.
    pub fn classes(&self) -> String {
        let mut out = format!("lv lv-s{} lv-{}", self.size, self.scheme.as_str());
        if !self.images {
            out.push_str(" lv-noimg");
        }
        if self.wide {
            out.push_str(" lv-wide");
        }
        out
    }
}

tokio::task_local! {
    /// The settings of the request being answered (`None`: the normal version).
    static CURRENT: Option<LowVision>;
}

/// The settings of the request being answered, for the page's chrome.
pub fn current() -> Option<LowVision> {
    CURRENT.try_with(|lv| *lv).ok().flatten()
}

/// Middleware: makes the request's settings known to whatever renders its page.
pub async fn scope(request: Request, next: Next) -> Response {
    let settings = LowVision::from_headers(request.headers());
    CURRENT.scope(settings, next.run(request)).await
}

/// What a settings link asks for.
#[derive(Debug, Default, Deserialize)]
pub struct Change {
    /// Turn the version on with the current or default settings.
    on: Option<String>,
    /// Back to the normal version.
    off: Option<String>,
    size: Option<u8>,
    scheme: Option<String>,
    images: Option<String>,
    spacing: Option<String>,
    /// Where to go back to (a path of this site).
    next: Option<String>,
}

/// `GET /low-vision?…&next=PATH`: changes the settings cookie and leads back.
pub async fn set(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(change): Query<Change>,
) -> Response {
    let next =
        change.next.as_deref().and_then(crate::web::redirect::local_target).unwrap_or_else(|| "/".into());
    let secure = if state.site.is_https() { "; Secure" } else { "" };
    let cookie = if change.off.is_some() {
        format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}")
    } else {
        let mut lv = LowVision::from_headers(&headers).unwrap_or_default();
        let _ = change.on;
        if let Some(size) = change.size.filter(|s| (1..=3).contains(s)) {
            lv.size = size;
        }
        if let Some(scheme) = change.scheme.as_deref().and_then(Scheme::parse) {
            lv.scheme = scheme;
        }
        match change.images.as_deref() {
            Some("on") => lv.images = true,
            Some("off") => lv.images = false,
            _ => {}
        }
        match change.spacing.as_deref() {
            Some("wide") => lv.wide = true,
            Some("normal") => lv.wide = false,
            _ => {}
        }
        format!("{COOKIE}={}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}", lv.value())
    };
    let mut response = (StatusCode::SEE_OTHER, [(header::LOCATION, next)]).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_survive_their_cookie_and_nothing_else_is_read() {
        let lv = LowVision { size: 3, scheme: Scheme::Brown, images: false, wide: true };
        assert_eq!(LowVision::parse(&lv.value()), Some(lv));
        for bad in ["", "4.bw.i.n", "2.red.i.n", "2.bw.i", "2.bw.i.n.x", "2.bw.x.n", "<script>"] {
            assert_eq!(LowVision::parse(bad), None, "{bad}");
        }
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=b; nd_lv=1.wb.n.w"));
        let read = LowVision::from_headers(&headers).unwrap();
        assert_eq!(read.classes(), "lv lv-s1 lv-wb lv-noimg lv-wide");
    }
}
