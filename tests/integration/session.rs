//! A browser-like HTTP client for the back office tests: a cookie jar, no redirects followed,
//! the back office's language asked for by `Accept-Language`; and the small readers of what
//! the back office answers (its CSRF field, a redirect's target, a header).

use crate::harness::TestServer;
use reqwest::{Method, RequestBuilder, Response};
use std::collections::BTreeMap;
use std::sync::Mutex;

pub struct Client<'a> {
    pub s: &'a TestServer,
    cookies: Mutex<BTreeMap<String, String>>,
    /// Sent as `Accept-Language`.
    pub lang: &'static str,
    /// Sent as `X-Forwarded-For`, as a load balancer would for a client behind it.
    pub forwarded_for: Option<String>,
}

impl<'a> Client<'a> {
    pub fn new(s: &'a TestServer) -> Self {
        Client { s, cookies: Mutex::new(BTreeMap::new()), lang: "en", forwarded_for: None }
    }

    /// The `Cookie` header this client sends now.
    pub fn cookie_header(&self) -> String {
        self.cookies.lock().unwrap().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    /// A request carrying the jar's cookies and the language.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self
            .s
            .client
            .request(method, format!("{}{path}", self.s.base))
            .header("cookie", self.cookie_header())
            .header("accept-language", self.lang);
        match &self.forwarded_for {
            Some(address) => request.header("x-forwarded-for", address),
            None => request,
        }
    }

    /// Sends, and keeps the cookies the answer sets (or clears).
    pub async fn send(&self, request: RequestBuilder) -> Response {
        let r = request.send().await.expect("request");
        for v in r.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let (k, val) = v.split(';').next().unwrap().split_once('=').unwrap();
            let mut jar = self.cookies.lock().unwrap();
            if val.is_empty() || v.contains("Max-Age=0") {
                jar.remove(k);
            } else {
                jar.insert(k.to_string(), val.to_string());
            }
        }
        r
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(self.request(Method::GET, path)).await
    }

    /// GETs a page that must answer 200 and returns its text.
    pub async fn page(&self, path: &str) -> String {
        let r = self.get(path).await;
        let status = r.status();
        let text = r.text().await.unwrap();
        assert_eq!(status, 200, "GET {path}: {text}");
        text
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.post_with(path, form, None).await
    }

    /// A form POST, with an `Origin` header when given.
    pub async fn post_with(&self, path: &str, form: &[(&str, &str)], origin: Option<&str>) -> Response {
        let mut request = self.request(Method::POST, path).form(form);
        if let Some(o) = origin {
            request = request.header("origin", o);
        }
        self.send(request).await
    }
}

/// The CSRF token of the first form in a page.
pub fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a CSRF field") + "name=\"csrf\" value=\"".len();
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

/// Where a redirect leads (empty when it is not one).
pub fn location(r: &Response) -> String {
    header(r, "location")
}

/// A header's value as text (empty when absent).
pub fn header(r: &Response, name: &str) -> String {
    r.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
}
