//! An article's life after publication, over real HTTP on both backends: an expiry that takes a
//! temporary notice off the site by itself, exactly once however many schedulers race for it,
//! corrections that readers see under the article, on the corrections page and in its feed,
//! and the accessibility check an article passes before it goes public.

use crate::admin::{make_user, sign_in, version_in, write};
use crate::harness::{Backend, TestDb, TestServer, between};
use crate::on_both_backends;
use crate::session::{Client, csrf_in, location};
use jiff::{SignedDuration, Timestamp};
use newsdesk::domain::user::Role;
use newsdesk::domain::{ChangeKind, FixedClock, Status};
use std::sync::Arc;

on_both_backends!(
    expiry_unpublishes_once,
    corrections_are_public_and_listed,
    publishing_passes_the_accessibility_check
);

/// Saves article `id` from the editor with the form's usual fields plus `extra`.
pub async fn save_with(
    c: &Client<'_>,
    id: i64,
    title: &str,
    action: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let form = c.page(&format!("/admin/articles/{id}")).await;
    let (csrf, version) = (csrf_in(&form), version_in(&form));
    let mut fields: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("title", title),
        ("lead", "A lead."),
        ("body", "<p>Body.</p>"),
        ("section", "1"),
        ("publish_at", ""),
        ("version", &version),
        ("action", action),
    ];
    fields.retain(|(name, _)| !extra.iter().any(|(given, _)| given == name));
    fields.extend_from_slice(extra);
    c.post(&format!("/admin/articles/{id}"), &fields).await
}

async fn expiry_unpublishes_once(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let start = Timestamp::now();
    let clock = Arc::new(FixedClock::new(start));
    let s = TestServer::start_on(db, clock.clone()).await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    let tz = s.state.site.time_zone.clone();
    let local = |t: Timestamp| t.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M").to_string();

    let (r, id) = write(&c, "Road closure notice", "publish", "").await;
    assert_eq!(r.status(), 303);
    let id = id.unwrap();

    // An expiry before the publication is a person's mistake: told in words, nothing saved.
    let before = s.state.store.article_by_id(id).await.unwrap().unwrap();
    let early = local(start - SignedDuration::from_hours(3));
    let r = save_with(&c, id, "Road closure notice", "save", &[("expires_at", &early)]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("Unpublish at"), "the field is named in words: {page}");
    assert!(page.contains("must come after the publication date"), "{page}");
    assert_eq!(s.state.store.article_by_id(id).await.unwrap().unwrap().version, before.version);

    // Two hours from now it leaves the site; the editor says so.
    let until = local(start + SignedDuration::from_hours(2));
    let r = save_with(&c, id, "Road closure notice", "save", &[("expires_at", &until)]).await;
    assert_eq!(r.status(), 303);
    let edit = c.page(&location(&r)).await;
    assert!(edit.contains("It leaves the site by itself at"), "{edit}");
    assert!(edit.contains(&format!("value=\"{until}\"")), "the field shows the expiry");
    let stored = s.state.store.article_by_id(id).await.unwrap().unwrap();
    assert!(stored.expires_at.is_some());
    assert_eq!(s.get("/en/news/road-closure-notice").await.status(), 200);
    assert!(s.page("/en/").await.contains("Road closure notice"));

    // Time passes. The server's scheduler and two more "nodes" race to apply the expiry.
    clock.set(start + SignedDuration::from_mins(121));
    let (a, b) = tokio::join!(s.state.newsroom.unpublish_expired(), s.state.newsroom.unpublish_expired());
    let raced = a.unwrap().len() + b.unwrap().len();
    assert!(raced <= 1, "at most one of the racers unpublished it");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while s.state.store.article_by_id(id).await.unwrap().unwrap().status == Status::Published {
        assert!(std::time::Instant::now() < deadline, "never unpublished");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Give a late scheduler round its chance to do it twice.
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let article = s.state.store.article_by_id(id).await.unwrap().unwrap();
    assert_eq!(article.status, Status::Draft, "a draft again");
    assert_eq!(article.expires_at, None, "the expiry is spent, so publishing again keeps it up");
    assert_eq!(s.get("/en/news/road-closure-notice").await.status(), 404, "off the site");
    assert!(!s.page("/en/").await.contains("Road closure notice"), "and off the home page");

    let revisions = s.state.store.revisions(id).await.unwrap();
    let expiries = revisions.iter().filter(|r| r.note == "unpublished on expiry").count();
    assert_eq!(expiries, 1, "exactly one revision: {revisions:?}");
    assert_eq!(revisions[0].status, "draft");
    let audit = s.state.store.audit_log(Some("article.unpublish"), None, 10).await.unwrap();
    let by_scheduler: Vec<_> =
        audit.iter().filter(|a| a.target == format!("article {id}") && a.address == "scheduler").collect();
    assert_eq!(by_scheduler.len(), 1, "exactly one audit entry: {audit:?}");
    let changes = s.state.store.changes_after(0, 1_000).await.unwrap();
    let unpublished: Vec<_> =
        changes.iter().filter(|c| c.article_id == Some(id) && c.kind == ChangeKind::Unpublished).collect();
    assert_eq!(unpublished.len(), 1, "one public change");
    assert!(unpublished[0].public);

    // Published again, it stays up.
    let r = save_with(&c, id, "Road closure notice", "publish", &[("expires_at", "")]).await;
    assert_eq!(r.status(), 303);
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    assert_eq!(s.get("/en/news/road-closure-notice").await.status(), 200);
    s.stop().await;
}

async fn corrections_are_public_and_listed(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    let (_, draft) = write(&c, "Draft statement", "save", "").await;
    let draft = draft.unwrap();
    let (_, id) = write(&c, "Budget statement", "publish", "").await;
    let id = id.unwrap();

    // A draft has nothing public to correct: refused in words, nothing written.
    let r = save_with(&c, draft, "Draft statement", "save", &[("correction", "Fixed a figure.")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Only an edit of a published article"));
    assert!(s.state.store.corrections_of(draft).await.unwrap().is_empty());

    // The editor offers the note only on a published article.
    assert!(!c.page(&format!("/admin/articles/{draft}")).await.contains("name=\"correction\""));
    assert!(c.page(&format!("/admin/articles/{id}")).await.contains("name=\"correction\""));

    // A correction, with markup that must stay text.
    let note = "The budget is 4.2 million, not 42 million. <script>alert(1)</script>";
    let r = save_with(&c, id, "Budget statement", "save", &[("correction", note)]).await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).ends_with("saved=corrected"), "{}", location(&r));
    let edit = c.page(&location(&r)).await;
    assert!(edit.contains("Saved, with the correction shown under the article"), "{edit}");
    let stored = s.state.store.corrections_of(id).await.unwrap();
    assert_eq!(stored.len(), 1);
    let revisions = s.state.store.revisions(id).await.unwrap();
    assert_eq!(revisions[0].note, "correction");
    assert_eq!(stored[0].version, revisions[0].version, "the correction names the version it made");

    // Under the article, escaped, and in its structured data.
    let page = s.page("/en/news/budget-statement").await;
    let section = between(&page, "<section class=\"corrections\"", "</section>");
    assert!(section.contains("The budget is 4.2 million, not 42 million."), "{section}");
    assert!(!section.contains("<script>"), "markup in a note never reaches the page: {section}");
    assert!(!stored[0].note.contains('<'), "notes are kept as plain text: {:?}", stored[0].note);
    let ld = between(&page, "<script type=\"application/ld+json\">", "</script>");
    let ld: serde_json::Value = serde_json::from_str(ld).expect("JSON-LD parses");
    assert_eq!(ld["correction"][0]["@type"], "CorrectionComment", "{ld}");
    assert!(ld["correction"][0]["text"].as_str().unwrap().starts_with("The budget is 4.2 million"));

    // On the corrections page, linked to the article, and only in its language.
    let list = s.page("/en/corrections").await;
    assert!(
        list.contains(&format!("href=\"/en/news/budget-statement#correction-{}\"", stored[0].id)),
        "{list}"
    );
    assert!(!list.contains("<script>alert"), "escaped on the list too");
    assert!(!s.page("/ru/corrections").await.contains("Budget statement"));
    assert!(s.page("/en/").await.contains("href=\"/en/corrections\""), "every page links to it");

    // In its feeds, which a real reader parses.
    for path in ["/en/corrections/feed.xml", "/en/corrections/atom.xml", "/en/corrections/feed.json"] {
        let text = s.page(path).await;
        let feed = feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
        assert_eq!(feed.entries.len(), 1, "{path}");
        let entry = &feed.entries[0];
        assert_eq!(entry.title.as_ref().unwrap().content, "Correction: Budget statement", "{path}");
        assert!(
            entry.links[0].href.ends_with(&format!("/en/news/budget-statement#correction-{}", stored[0].id))
        );
        assert!(!text.contains("<script>alert"), "{path}: the note is escaped");
    }

    // The API takes a correction too, and refuses an overlong one without writing.
    let token =
        s.state.store.create_api_token("robot", Role::Editor, None, Timestamp::now()).await.unwrap().secret;
    let version = s.state.store.article_by_id(id).await.unwrap().unwrap().version;
    let patch = |body: serde_json::Value| {
        s.client
            .patch(format!("{}/api/v1/articles/{id}", s.base))
            .bearer_auth(&token)
            .header("if-match", format!("\"{version}\""))
            .json(&body)
            .send()
    };
    let r =
        patch(serde_json::json!({"lead": "Corrected lead.", "correction": "x".repeat(1001)})).await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(s.state.store.corrections_of(id).await.unwrap().len(), 1, "nothing written");
    let r =
        patch(serde_json::json!({"lead": "Corrected lead.", "correction": "The lead named the wrong city."}))
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(s.state.store.corrections_of(id).await.unwrap().len(), 2);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !s.page("/en/corrections").await.contains("The lead named the wrong city.") {
        assert!(std::time::Instant::now() < deadline, "the corrections page follows");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    s.stop().await;
}

/// Creates an article in English from the editor with `body`, taking the step `action`.
async fn create(c: &Client<'_>, title: &str, body: &str, action: &str) -> reqwest::Response {
    let csrf = csrf_in(&c.page("/admin/articles/new").await);
    let fields = [
        ("csrf", csrf.as_str()),
        ("lang", "en"),
        ("title", title),
        ("lead", "A lead."),
        ("body", body),
        ("section", "1"),
        ("publish_at", ""),
        ("action", action),
    ];
    c.post("/admin/articles", &fields).await
}

async fn publishing_passes_the_accessibility_check(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    make_user(&s, "admin@example.org", Role::Admin).await;
    let c = sign_in(&s, "editor@example.org").await;
    let count = || async { s.state.store.articles_after(0, 1000).await.unwrap().len() };

    // A picture without a text alternative stops a publication, and nothing is written.
    let before = count().await;
    let body = "<p>The chart:</p><p><img src=\"/media/abc/chart.webp\"></p>";
    let r = create(&c, "Budget chart", body, "publish").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("A picture has no text alternative (chart.webp)"), "{page}");
    assert!(page.contains("The chart:"), "the text stays in the form");
    assert_eq!(count().await, before, "nothing written");
    // As a draft it is kept: the check holds up publication, not writing.
    let r = create(&c, "Budget chart", body, "save").await;
    assert_eq!(r.status(), 303);
    let edit = c.page(&location(&r)).await;
    assert!(edit.contains("Accessibility check"), "the editor shows the check");
    assert!(edit.contains("Must be fixed before publishing."), "{edit}");

    // Other findings warn by default: published, and listed in the editor.
    let body = "<h3>Details</h3><p>The report is <a href=\"/en/\">here</a>.</p>";
    let r = create(&c, "Annual report", body, "publish").await;
    assert_eq!(r.status(), 303, "warnings do not hold up publication");
    let annual: i64 =
        location(&r).trim_start_matches("/admin/articles/").split('?').next().unwrap().parse().unwrap();
    let edit = c.page(&location(&r)).await;
    assert!(edit.contains("The link “here” does not say where it goes"), "{edit}");
    assert!(edit.contains("Heading levels jump (H1 → H3)"), "{edit}");
    assert!(edit.contains("Worth fixing; publishing is not held up."), "{edit}");
    let clean = create(&c, "Clean statement", "<h2>Summary</h2><p>Plain words.</p>", "publish").await;
    assert!(c.page(&location(&clean)).await.contains("No problems found."));

    // An admin makes every finding block; editors may not change the rule.
    let csrf = csrf_in(&c.page("/admin").await);
    let r = c.post("/admin/users/accessibility", &[("csrf", csrf.as_str()), ("rule", "block")]).await;
    assert_eq!(r.status(), 403, "an editor cannot loosen or tighten the rule");
    let admin = sign_in(&s, "admin@example.org").await;
    let users = admin.page("/admin/users").await;
    let r = admin
        .post("/admin/users/accessibility", &[("csrf", csrf_in(&users).as_str()), ("rule", "block")])
        .await;
    assert_eq!(r.status(), 303);
    assert!(admin.page(&location(&r)).await.contains("The accessibility check rule is saved."));
    assert_eq!(s.state.store.accessibility_strictness().await.unwrap(), "block");
    let r = create(&c, "Vague links", body, "publish").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("does not say where it goes"));
    // An article already published is never held up by the check (a correction must not wait).
    let r =
        save_with(&c, annual, "Annual report", "save", &[("body", body), ("correction", "Fixed the date.")])
            .await;
    assert_eq!(r.status(), 303);
    s.stop().await;
}
