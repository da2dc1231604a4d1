//! The JSON API over real HTTP: tokens, the workflow through the newsroom, versions in
//! `If-Match`, problems in the caller's language, keyset paging, caching headers, the OpenAPI
//! document, and what a publication or a draft does to the public pages.

use crate::admin::{make_user, sign_in};
use crate::harness::{Backend, TestServer};
use crate::on_both_backends;
use newsdesk::domain::user::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

on_both_backends!(
    articles_go_through_the_workflow,
    mistakes_are_problems_in_the_callers_language,
    cookies_never_authenticate_and_roles_hold,
    lists_page_by_cursor_and_revalidate,
    drafts_leave_public_pages_cached_and_publications_show_at_once,
    a_token_is_rate_limited,
    restoring_a_revision_whose_address_is_taken_is_a_conflict,
);

async fn token(s: &TestServer, role: Role) -> String {
    let created =
        s.state.store.create_api_token(&format!("{role} robot"), role, None, jiff::Timestamp::now()).await;
    created.expect("token").secret
}

struct Api<'a> {
    s: &'a TestServer,
    token: Option<String>,
}

impl Api<'_> {
    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let r = self.s.client.request(method, format!("{}{path}", self.s.base));
        match &self.token {
            Some(t) => r.bearer_auth(t),
            None => r,
        }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.req(reqwest::Method::GET, path).send().await.unwrap()
    }

    async fn post(&self, path: &str, body: Value, version: Option<i64>) -> reqwest::Response {
        let mut r = self.req(reqwest::Method::POST, path).json(&body);
        if let Some(v) = version {
            r = r.header("if-match", format!("\"{v}\""));
        }
        r.send().await.unwrap()
    }

    async fn patch(&self, path: &str, body: Value, version: Option<i64>) -> reqwest::Response {
        let mut r = self.req(reqwest::Method::PATCH, path).json(&body);
        if let Some(v) = version {
            r = r.header("if-match", format!("\"{v}\""));
        }
        r.send().await.unwrap()
    }
}

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.expect("JSON")
}

async fn first_section(api: &Api<'_>) -> String {
    let sections = json_of(api.get("/api/v1/sections").await).await;
    sections[0]["slug"].as_str().expect("a section").to_string()
}

async fn articles_go_through_the_workflow(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let editor = Api { s: &s, token: Some(token(&s, Role::Editor).await) };
    let public = Api { s: &s, token: None };
    let section = first_section(&public).await;

    let r = editor
        .post(
            "/api/v1/articles",
            json!({"lang": "en", "title": "Talks resume in Geneva", "lead": "Delegations met.",
                   "body_html": "<p>Text<script>alert(1)</script></p>", "section": section}),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["etag"], "\"1\"");
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let created = json_of(r).await;
    let id = created["id"].as_i64().unwrap();
    assert_eq!(location, format!("/api/v1/articles/{id}"));
    assert_eq!((created["status"].as_str(), created["version"].as_i64()), (Some("draft"), Some(1)));
    assert_eq!(created["slug"], "talks-resume-in-geneva");
    assert!(!created["body_html"].as_str().unwrap().contains("script"), "sanitized on the way in");
    assert_eq!(public.get(&format!("/api/v1/articles/{id}")).await.status(), 404, "drafts are not public");
    assert_eq!(
        editor.get(&format!("/api/v1/articles/{id}")).await.status(),
        200,
        "an editor's token sees it"
    );

    // A step without the version it starts from is refused; with it, it goes through.
    let r = editor.post(&format!("/api/v1/articles/{id}/publish"), json!({}), None).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["field"], "If-Match");
    let started = Instant::now();
    let r = editor.post(&format!("/api/v1/articles/{id}/publish"), json!({}), Some(1)).await;
    assert_eq!(r.status(), 200);
    let published = json_of(r).await;
    assert_eq!((published["status"].as_str(), published["version"].as_i64()), (Some("published"), Some(2)));
    assert!(published["url"].as_str().unwrap().ends_with(&format!("/en/{section}/talks-resume-in-geneva")));
    // On the writing node the publication is on the pages it touches as soon as it is answered.
    let home = s.page("/en/").await;
    assert!(home.contains("Talks resume in Geneva"), "on the home page at once");
    let list = json_of(public.get("/api/v1/articles?lang=en").await).await;
    assert_eq!(list["items"][0]["id"].as_i64(), Some(id));
    assert!(started.elapsed() < Duration::from_secs(2));

    // A stale version is a conflict that says which version is current.
    let r = editor.patch(&format!("/api/v1/articles/{id}"), json!({"title": "Old base"}), Some(1)).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(json_of(r).await["detail"].as_str().unwrap().contains("version 2"));
    let r = editor
        .patch(&format!("/api/v1/articles/{id}"), json!({"lead": "Delegations met again."}), Some(2))
        .await;
    assert_eq!(r.status(), 200);
    let patched = json_of(r).await;
    assert_eq!(patched["title"], "Talks resume in Geneva", "absent fields are kept");
    assert_eq!(patched["lead"], "Delegations met again.");

    // Translations, trash and restore.
    let r = editor
        .post(
            "/api/v1/articles",
            json!({"lang": "ru", "title": "Переговоры в Женеве", "section": section, "translation_of": id, "status": "published"}),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let ru = json_of(r).await;
    assert_eq!(ru["slug"], "peregovory-v-zheneve", "Cyrillic transliterated");
    assert_eq!(ru["translation_key"], patched["translation_key"]);
    let translations = json_of(public.get(&format!("/api/v1/articles/{id}/translations")).await).await;
    assert_eq!(translations.as_array().unwrap().len(), 2);
    let r = editor.post(&format!("/api/v1/articles/{id}/trash"), json!({}), Some(3)).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(s.get(&format!("/en/{section}/talks-resume-in-geneva")).await.status(), 404);
    assert!(!s.page("/en/").await.contains("Talks resume in Geneva"), "off the home page at once");
    let r = editor.post(&format!("/api/v1/articles/{id}/restore"), json!({}), Some(4)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json_of(r).await["status"], "draft");

    // The description of all this.
    let doc = json_of(public.get("/api/openapi.json").await).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    for path in
        ["/api/v1/articles", "/api/v1/articles/{id}", "/api/v1/articles/{id}/{action}", "/api/v1/webhooks"]
    {
        assert!(doc["paths"][path].is_object(), "{path} described");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let docs = public.get("/api/docs").await;
    assert_eq!(docs.status(), 200);
    let html = docs.text().await.unwrap();
    assert!(
        html.contains("POST /api/v1/articles") && !html.contains("https://cdn"),
        "readable, self-contained"
    );
    s.stop().await;
}

async fn mistakes_are_problems_in_the_callers_language(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let editor = Api { s: &s, token: Some(token(&s, Role::Editor).await) };
    let r = editor
        .req(reqwest::Method::POST, "/api/v1/articles")
        .header("accept-language", "ru")
        .json(&json!({"lang": "de", "title": "", "section": "nowhere", "publish_at": "tomorrow"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let problem = json_of(r).await;
    let fields: Vec<&str> =
        problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["lang", "section", "publish_at"], "{problem}");
    assert!(
        problem["errors"][0]["message"].as_str().unwrap().contains("не входит в языки сайта"),
        "{problem}"
    );

    // An empty title, reported by the newsroom, in English by default.
    let section = first_section(&editor).await;
    let r =
        editor.post("/api/v1/articles", json!({"lang": "en", "title": "  ", "section": section}), None).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_of(r).await["errors"][0]["message"], "This field is required.");

    // Not JSON, unknown fields, a wrong method, an unknown path: problems too, never a 500.
    let r = editor
        .req(reqwest::Method::POST, "/api/v1/articles")
        .body("{")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = editor
        .post("/api/v1/articles", json!({"lang": "en", "title": "x", "section": section, "colour": 1}), None)
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_of(r).await["detail"].as_str().unwrap().contains("colour"));
    let r = editor.req(reqwest::Method::DELETE, "/api/v1/sections").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = editor.get("/api/v1/nothing").await;
    assert_eq!(r.status(), 404);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = editor.get("/api/v1/articles?limit=1000&cursor=x").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = editor.patch("/api/v1/articles/1", json!({}), None).await;
    assert!(r.status() == 404 || r.status() == StatusCode::UNPROCESSABLE_ENTITY, "{}", r.status());
    let r = editor
        .req(reqwest::Method::PATCH, "/api/v1/articles/999999")
        .header("if-match", "soon")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "an If-Match that is not a version");
    s.stop().await;
}

async fn cookies_never_authenticate_and_roles_hold(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "admin@example.org", Role::Admin).await;
    let signed_in = sign_in(&s, "admin@example.org").await;
    let r = signed_in.post("/api/v1/articles", &[("lang", "en"), ("title", "Cookie")]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "a session cookie does not open the API");
    let anonymous = Api { s: &s, token: None };
    let section = first_section(&anonymous).await;
    let body = json!({"lang": "en", "title": "No token", "section": section});
    assert_eq!(
        anonymous.post("/api/v1/articles", body.clone(), None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let forged = Api {
        s: &s,
        token: Some("nd_0000000000000000000000000000000000000000000000000000000000000000".into()),
    };
    assert_eq!(forged.post("/api/v1/articles", body.clone(), None).await.status(), StatusCode::UNAUTHORIZED);

    let author = Api { s: &s, token: Some(token(&s, Role::Author).await) };
    let r = author.post("/api/v1/articles", body.clone(), None).await;
    assert_eq!(r.status(), StatusCode::CREATED, "authors write drafts");
    let id = json_of(r).await["id"].as_i64().unwrap();
    assert_eq!(
        author.post(&format!("/api/v1/articles/{id}/publish"), json!({}), Some(1)).await.status(),
        403
    );
    let r = author.post(&format!("/api/v1/articles/{id}/submit"), json!({}), Some(1)).await;
    assert_eq!(r.status(), 200, "and submit them for review");
    let r = author
        .post(
            "/api/v1/articles",
            json!({"lang": "en", "title": "x", "section": section, "status": "published"}),
            None,
        )
        .await;
    assert_eq!(r.status(), 403, "but do not publish");
    let hook = json!({"url": "https://example.org/hook", "events": ["article.published"]});
    assert_eq!(author.post("/api/v1/webhooks", hook.clone(), None).await.status(), 403);
    let editor = Api { s: &s, token: Some(token(&s, Role::Editor).await) };
    assert_eq!(
        editor.post("/api/v1/webhooks", hook.clone(), None).await.status(),
        403,
        "webhooks are for admins"
    );
    let editor_draft = author.post(&format!("/api/v1/articles/{id}/send-back"), json!({}), Some(2)).await;
    assert_eq!(editor_draft.status(), 403);
    let empty =
        editor.post(&format!("/api/v1/articles/{id}/send-back"), json!({"comment": "  "}), Some(2)).await;
    assert_eq!(empty.status(), 422, "a send-back's note, when given, has words");
    let reason = "The figures need a source.";
    let sent =
        editor.post(&format!("/api/v1/articles/{id}/send-back"), json!({"comment": reason}), Some(2)).await;
    assert_eq!(sent.status(), 200);
    let notes = s.state.store.notes(id).await.unwrap();
    assert_eq!(
        notes.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(),
        [reason],
        "the reason is in the thread"
    );

    // Revoked: refused at once.
    let tokens = s.state.store.api_tokens().await.unwrap();
    let editor_token = tokens.iter().find(|t| t.role == Role::Editor).unwrap();
    s.state.store.revoke_api_token(editor_token.id, jiff::Timestamp::now()).await.unwrap();
    assert_eq!(editor.get(&format!("/api/v1/articles/{id}")).await.status(), StatusCode::UNAUTHORIZED);
    s.stop().await;
}

async fn lists_page_by_cursor_and_revalidate(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let public = Api { s: &s, token: None };
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/articles?lang=en&limit=4&cursor={c}"),
            None => "/api/v1/articles?lang=en&limit=4".to_string(),
        };
        let page = json_of(public.get(&path).await).await;
        for item in page["items"].as_array().unwrap() {
            seen.push((item["publish_at"].as_str().unwrap().to_string(), item["id"].as_i64().unwrap()));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted, "newest first, no repeats across pages");
    let mut ids: Vec<i64> = seen.iter().map(|(_, id)| *id).collect();
    ids.dedup();
    assert_eq!(ids.len(), seen.len());
    let html_items = s.page("/en/archive").await.matches("<article").count();
    assert!(seen.len() >= html_items, "every published English article: {} vs {html_items}", seen.len());

    // Searching and filtering.
    let found = json_of(public.get("/api/v1/articles?lang=en&q=april&limit=50").await).await;
    assert!(!found["items"].as_array().unwrap().is_empty());
    let r = public.get("/api/v1/search?q=april&lang=en").await;
    assert_eq!(r.status(), 200);
    let hits = json_of(r).await;
    assert!(hits["hits"][0]["title_html"].as_str().unwrap().contains("<mark>"));

    // ETags, 304s and CORS for reads.
    let r = public.get("/api/v1/articles?lang=en").await;
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers()["cache-control"].to_str().unwrap().contains("public"));
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let again = public
        .req(reqwest::Method::GET, "/api/v1/articles?lang=en")
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let preflight = public.req(reqwest::Method::OPTIONS, "/api/v1/articles").send().await.unwrap();
    assert_eq!(preflight.status(), StatusCode::NO_CONTENT);
    assert!(preflight.headers()["access-control-allow-methods"].to_str().unwrap().contains("GET"));
    s.stop().await;
}

async fn drafts_leave_public_pages_cached_and_publications_show_at_once(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let editor = Api { s: &s, token: Some(token(&s, Role::Editor).await) };
    let section = first_section(&editor).await;
    let pages = ["/en/", "/ru/", "/en/archive", "/sitemap.xml"];
    for p in pages {
        s.get(p).await;
    }
    let r = editor
        .post("/api/v1/articles", json!({"lang": "en", "title": "Quiet draft", "section": section}), None)
        .await;
    let id = json_of(r).await["id"].as_i64().unwrap();
    for v in 1..=5 {
        let r = editor
            .patch(&format!("/api/v1/articles/{id}"), json!({"lead": format!("Draft {v}")}), Some(v))
            .await;
        assert_eq!(r.status(), 200);
    }
    s.wait_followed().await;
    let before = s.state.cache.fast_answers();
    for p in pages {
        s.get(p).await;
    }
    assert_eq!(
        s.state.cache.fast_answers() - before,
        pages.len() as u64,
        "draft saves left every page cached"
    );

    // A publication in English: English lists change at once; Russian ones stay cached.
    let r = editor.post(&format!("/api/v1/articles/{id}/publish"), json!({}), Some(6)).await;
    assert_eq!(r.status(), 200);
    let before = s.state.cache.fast_answers();
    assert!(s.page("/en/").await.contains("Quiet draft"));
    assert_eq!(s.state.cache.fast_answers(), before, "the English home page was rendered anew");
    s.get("/ru/").await;
    assert_eq!(s.state.cache.fast_answers(), before + 1, "the Russian home page is still cached");
    s.stop().await;
}

async fn a_token_is_rate_limited(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let editor = Api { s: &s, token: Some(token(&s, Role::Editor).await) };
    let mut limited = None;
    for _ in 0..2_000 {
        // Every request carrying the token counts, whatever it reads.
        let r = editor.get("/api/v1/articles/1").await;
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
            break;
        }
    }
    let r = limited.expect("refused past the burst");
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=5).contains(&wait), "{wait}");
    // Other callers are not affected.
    assert_eq!(Api { s: &s, token: None }.get("/api/v1/sections").await.status(), 200);
    s.stop().await;
}

async fn restoring_a_revision_whose_address_is_taken_is_a_conflict(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    let editor = Api { s: &s, token: Some(token(&s, Role::Editor).await) };
    let section = first_section(&editor).await;
    let a = json_of(
        editor
            .post("/api/v1/articles", json!({"lang": "en", "title": "Summit", "section": section}), None)
            .await,
    )
    .await;
    let id = a["id"].as_i64().unwrap();
    let r = editor.patch(&format!("/api/v1/articles/{id}"), json!({"slug": "summit-2026"}), Some(1)).await;
    assert_eq!(r.status(), 200);
    let b = editor
        .post("/api/v1/articles", json!({"lang": "en", "title": "Summit", "section": section}), None)
        .await;
    assert_eq!(json_of(b).await["slug"], "summit", "the freed address is taken by another article");
    let revisions = c.page(&format!("/admin/articles/{id}/revisions")).await;
    let first: Vec<&str> =
        revisions.split("name=\"from\" value=\"").skip(1).map(|r| &r[..r.find('"').unwrap()]).collect();
    let oldest = first.last().unwrap();
    let csrf = crate::session::csrf_in(&revisions);
    let r = c
        .post(
            &format!("/admin/articles/{id}/revisions/{oldest}/restore"),
            &[("csrf", &csrf), ("version", "2")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "not a server error");
    assert!(r.text().await.unwrap().contains("already uses the address"));
    s.stop().await;
}
