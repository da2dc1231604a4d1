//! Tags end to end: written through the API, cleaned and kept per language, shown on the
//! article (links, `article:tag`, JSON-LD `keywords`), listed on tag pages with their own
//! feeds, used as a filter by the API and search, kept in revisions, and refused with a clear
//! message when they cannot be tags.

use crate::harness::{Backend, TestServer, between};
use crate::on_both_backends;
use newsdesk::domain::user::Role;
use newsdesk::newsroom::Actor;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(tags_are_written_shown_listed_and_filtered);

async fn send(
    s: &TestServer,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
    version: Option<i64>,
) -> (StatusCode, Value) {
    let mut r = s.client.request(method, format!("{}{path}", s.base)).bearer_auth(token).json(&body);
    if let Some(v) = version {
        r = r.header("if-match", format!("\"{v}\""));
    }
    let r = r.header("accept-language", "ru").send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn json_at(s: &TestServer, path: &str) -> Value {
    let r = s.get(path).await;
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

async fn tags_are_written_shown_listed_and_filtered(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let token = s.state.store.create_api_token("tagger", Role::Editor, None, jiff::Timestamp::now()).await;
    let token = token.expect("token").secret;
    let post = reqwest::Method::POST;
    let section = json_at(&s, "/api/v1/sections").await[0]["slug"].as_str().unwrap().to_string();

    // Names are cleaned, and spellings that make the same address are one tag.
    let (status, tagged) = send(
        &s,
        &token,
        post.clone(),
        "/api/v1/articles",
        json!({"lang": "en", "title": "Ministers meet on climate finance", "section": section,
               "body_html": "<p>Ministers agreed a fund.</p>", "status": "published",
               "tags": ["  Москва ", "<b>climate   finance</b>", "москва"],
               "bylines": ["Anna Editor", "Press Service"]}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{tagged}");
    assert_eq!(tagged["tags"], json!(["Москва", "climate finance"]));
    assert_eq!(tagged["bylines"], json!(["Anna Editor", "Press Service"]));
    let id = tagged["id"].as_i64().unwrap();
    let (status, draft) = send(
        &s,
        &token,
        post.clone(),
        "/api/v1/articles",
        json!({"lang": "en", "title": "Unfinished draft about Moscow", "section": section, "tags": ["Москва"]}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");

    // The article links its tags and names them for search engines and sharing.
    let page = s.page(&format!("/en/{section}/ministers-meet-on-climate-finance")).await;
    assert!(page.contains(r#"<a href="/en/tag/moskva" rel="tag">Москва</a>"#), "tag link: {page}");
    assert!(page.contains(r#"href="/en/tag/climate-finance""#));
    assert!(page.contains(r#"<meta property="article:tag" content="climate finance">"#));
    let ld: Value =
        serde_json::from_str(between(&page, r#"<script type="application/ld+json">"#, "</script>"))
            .expect("JSON-LD");
    assert_eq!(ld["keywords"], "Москва, climate finance");

    // The tag page lists what is published with the tag, never a draft, and offers its feeds.
    let tag_page = s.page("/en/tag/moskva").await;
    assert!(tag_page.contains("Ministers meet on climate finance"));
    assert!(!tag_page.contains("Unfinished draft"), "drafts stay off tag pages");
    assert!(tag_page.contains("News tagged “Москва”"), "named in the page's language");
    assert!(tag_page.contains(r#"href="/en/tag/moskva/feed.xml""#), "feed autodiscovery");
    assert_eq!(s.get("/en/tag/no-such-tag").await.status(), 404);
    assert_eq!(s.get("/ru/tag/moskva").await.status(), 404, "tags belong to a language");
    let rss = s.page("/en/tag/moskva/feed.xml").await;
    assert!(
        rss.contains("Ministers meet on climate finance") && rss.contains("<category>Москва</category>"),
        "{rss}"
    );
    assert!(!rss.contains("Unfinished draft"));
    let atom = s.page("/en/tag/climate-finance/atom.xml").await;
    assert!(atom.contains(r#"<category term="climate finance"/>"#), "{atom}");
    let feed = json_at(&s, "/en/tag/moskva/feed.json").await;
    assert_eq!(feed["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(feed["items"][0]["tags"][1], "Москва", "the section first, then the tags");
    let language_feed = s.page("/en/feed.xml").await;
    assert!(language_feed.contains("<category>climate finance</category>"), "every feed carries tags");

    // The API filters by tag; an unknown tag lists nothing.
    let list = json_at(&s, "/api/v1/articles?lang=en&tag=moskva").await;
    let ids: Vec<i64> = list["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![id]);
    assert_eq!(list["items"][0]["tags"], json!(["Москва", "climate finance"]));
    let none = json_at(&s, "/api/v1/articles?lang=en&tag=nothing-here").await;
    assert_eq!(none["items"], json!([]));

    // Search: tag names are found like words, and a tag narrows the results.
    s.wait_followed().await;
    let hits = json_at(&s, "/api/v1/search?lang=en&q=fund&tag=climate-finance").await;
    assert_eq!(hits["total"], 1, "{hits}");
    let other = json_at(&s, "/api/v1/search?lang=en&q=fund&tag=summit").await;
    assert_eq!(other["total"], 0, "{other}");
    let by_name = s.page("/en/search?q=fund&tag=climate+finance").await;
    assert!(by_name.contains("Ministers meet on"), "the search form takes a tag's name");

    // Changing the tags moves the article between tag pages at once.
    let (status, changed) = send(
        &s,
        &token,
        reqwest::Method::PATCH,
        &format!("/api/v1/articles/{id}"),
        json!({"tags": ["summit"], "bylines": ["Pavel Reporter"]}),
        Some(1),
    )
    .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["tags"], json!(["summit"]));
    assert_eq!(changed["bylines"], json!(["Pavel Reporter"]));
    assert!(s.page("/en/author/pavel-reporter").await.contains("Ministers meet on climate finance"));
    assert_eq!(s.get("/en/author/press-service").await.status(), 404, "no published article credits it now");
    assert_eq!(s.get("/en/tag/moskva").await.status(), 404, "no published article carries it now");
    assert!(s.page("/en/tag/summit").await.contains("Ministers meet on climate finance"));

    // A revision keeps its tags: restoring the first brings them back.
    let first = s.state.store.revisions(id).await.unwrap().into_iter().map(|r| r.id).min().unwrap();
    let admin = Actor::system("test");
    let restored = s.state.newsroom.restore_revision(&admin, id, Some(2), first).await.expect("restored");
    let restored = restored.after.unwrap();
    assert_eq!(restored.tags, vec!["Москва", "climate finance"]);
    assert_eq!(restored.bylines, vec!["Anna Editor", "Press Service"], "a revision keeps its bylines");
    assert!(s.page("/en/tag/moskva").await.contains("Ministers meet on climate finance"));

    // What cannot be a tag is refused against its field, in the caller's language.
    let many: Vec<String> = (0..21).map(|n| format!("tag {n}")).collect();
    for (tags, says) in [(json!(["д".repeat(61)]), "61"), (json!(many), "21")] {
        let (status, problem) = send(
            &s,
            &token,
            post.clone(),
            "/api/v1/articles",
            json!({"lang": "en", "title": "Bad tags", "section": section, "tags": tags}),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "tags");
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says) && message.to_lowercase().contains("тег"), "{message}");
    }
    let (status, problem) = send(
        &s,
        &token,
        post.clone(),
        "/api/v1/articles",
        json!({"lang": "en", "title": "Bad bylines", "section": section, "bylines": ["д".repeat(61)]}),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "bylines");
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("Подпись"), "{problem}");
    s.stop().await;
}
