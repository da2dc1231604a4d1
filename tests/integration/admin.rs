//! The back office over real HTTP, on both backends: signing in and out, roles enforced on the
//! server, CSRF, throttling, writing, scheduling, history, concurrent edits and the audit log.

use crate::harness::{Backend, TestServer};
use crate::on_both_backends;
use crate::session::{Client, csrf_in, location};
use newsdesk::domain::user::Role;
use reqwest::Response;

pub const PASSWORD: &str = "a long enough password";

pub async fn make_user(s: &TestServer, email: &str, role: Role) -> i64 {
    let hash = newsdesk::accounts::hash_password(PASSWORD).unwrap();
    s.state.store.create_user(email, email, role, Some(&hash), jiff::Timestamp::now()).await.unwrap()
}

pub async fn sign_in<'a>(s: &'a TestServer, email: &str) -> Client<'a> {
    let c = Client::new(s);
    let form = c.page("/admin/login").await;
    let csrf = csrf_in(&form);
    let r = c
        .post(
            "/admin/login",
            &[("csrf", &csrf), ("email", email), ("password", PASSWORD), ("next", "/admin")],
        )
        .await;
    assert_eq!(r.status(), 303, "sign-in of {email} failed: {}", r.text().await.unwrap());
    c
}

/// Creates an article through the editor; returns its id.
pub async fn write(c: &Client<'_>, title: &str, action: &str, publish_at: &str) -> (Response, Option<i64>) {
    let form = c.page("/admin/articles/new").await;
    let csrf = csrf_in(&form);
    let r = c
        .post(
            "/admin/articles",
            &[
                ("csrf", &csrf),
                ("lang", "en"),
                ("title", title),
                ("lead", "A lead."),
                ("body", "<p>Body <b>text</b>.</p><script>alert(1)</script>"),
                ("section", "1"),
                ("publish_at", publish_at),
                ("action", action),
            ],
        )
        .await;
    let id = location(&r)
        .strip_prefix("/admin/articles/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|i| i.parse().ok());
    (r, id)
}

pub async fn save(c: &Client<'_>, id: i64, title: &str, version: &str, action: &str) -> Response {
    let form = c.page(&format!("/admin/articles/{id}")).await;
    let csrf = csrf_in(&form);
    c.post(
        &format!("/admin/articles/{id}"),
        &[
            ("csrf", &csrf),
            ("title", title),
            ("lead", "A lead."),
            ("body", "<p>Body.</p>"),
            ("section", "1"),
            ("publish_at", ""),
            ("version", version),
            ("action", action),
        ],
    )
    .await
}

pub fn version_in(html: &str) -> String {
    let at = html.find("name=\"version\" value=\"").unwrap() + "name=\"version\" value=\"".len();
    html[at..at + html[at..].find('"').unwrap()].to_string()
}

async fn signed_out_requests_go_to_sign_in(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let c = Client::new(&s);
    let r = c.get("/admin/articles").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/login?next=/admin/articles");
    // The back office's address typed with a slash leads there too.
    let r = c.get("/admin/").await;
    assert_eq!((r.status().as_u16(), location(&r).as_str()), (308, "/admin"));
    let r = c.post("/admin/articles", &[("title", "x")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin/login");
    let login = c.get("/admin/login").await;
    assert_eq!(login.headers()["cache-control"], "no-store");
    let set_cookie = login.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert!(set_cookie.contains("Secure"), "the test site is https, so cookies are Secure: {set_cookie}");
    s.stop().await;
}

async fn roles_are_enforced_on_the_server(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let author_id = make_user(&s, "author@example.org", Role::Author).await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    make_user(&s, "admin@example.org", Role::Admin).await;
    let author = sign_in(&s, "author@example.org").await;
    // An author may write a draft but not publish it, by any route.
    let (r, _) = write(&author, "Author tries to publish", "publish", "").await;
    assert_eq!(r.status(), 403);
    let (r, id) = write(&author, "Author draft", "save", "").await;
    assert_eq!(r.status(), 303);
    let id = id.expect("article id");
    let edit = author.page(&format!("/admin/articles/{id}")).await;
    assert!(
        !edit.contains("value=\"publish\"") && !edit.contains("value=\"schedule\""),
        "no publish buttons for authors"
    );
    assert!(edit.contains("value=\"submit\""), "authors submit for review");
    assert_eq!(save(&author, id, "Author draft", &version_in(&edit), "publish").await.status(), 403);
    assert_eq!(save(&author, id, "Author draft", &version_in(&edit), "submit").await.status(), 303);
    for path in ["/admin/audit", "/admin/users", "/admin/sections", "/admin/trash"] {
        assert_eq!(author.get(path).await.status(), 403, "author GET {path}");
    }
    let csrf = csrf_in(&author.page("/admin").await);
    assert_eq!(author.post(&format!("/admin/articles/{id}/delete"), &[("csrf", &csrf)]).await.status(), 403);
    assert_eq!(s.get("/en/news/author-draft").await.status(), 404, "still a draft");
    // The editor sees it awaiting review, publishes it, and an author cannot open the editor's work.
    let editor = sign_in(&s, "editor@example.org").await;
    let dashboard = editor.page("/admin").await;
    assert!(dashboard.contains("Author draft"), "awaiting review on the dashboard");
    let edit = editor.page(&format!("/admin/articles/{id}")).await;
    assert_eq!(save(&editor, id, "Author draft", &version_in(&edit), "publish").await.status(), 303);
    s.page("/en/news/author-draft").await;
    let (_, editors) = write(&editor, "Editor piece", "save", "").await;
    assert_eq!(author.get(&format!("/admin/articles/{}", editors.unwrap())).await.status(), 403);
    for path in ["/admin/audit", "/admin/users"] {
        assert_eq!(editor.get(path).await.status(), 403, "editor GET {path}");
    }
    // The admin sees the audit log with the publication and the sign-ins.
    let admin = sign_in(&s, "admin@example.org").await;
    let audit = admin.page("/admin/audit").await;
    assert!(audit.contains("article.publish") && audit.contains("login"), "{audit}");
    let by_author = admin.page(&format!("/admin/articles?author={author_id}")).await;
    assert!(by_author.contains("Author draft") && !by_author.contains("Editor piece"), "filter by author");
    let by_text = admin.page("/admin/articles?q=editor+PIECE").await;
    assert!(by_text.contains("Editor piece") && !by_text.contains("Author draft"), "filter by text");
    let only_publish = admin.page("/admin/audit?action=article.publish").await;
    assert!(!only_publish.contains(">login<"), "the filter narrows");
    s.stop().await;
}

async fn forms_without_a_valid_csrf_token_are_refused(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    let fields = [
        ("title", "Forged"),
        ("lead", ""),
        ("body", ""),
        ("section", "1"),
        ("publish_at", ""),
        ("action", "publish"),
    ];
    assert_eq!(c.post("/admin/articles", &fields).await.status(), 403, "no token");
    let mut wrong = fields.to_vec();
    wrong.push(("csrf", "0123"));
    assert_eq!(c.post("/admin/articles", &wrong).await.status(), 403, "wrong token");
    let csrf = csrf_in(&c.page("/admin").await);
    let mut good = fields.to_vec();
    good.push(("csrf", &csrf));
    let r = c.post_with("/admin/articles", &good, Some("https://evil.example")).await;
    assert_eq!(r.status(), 403, "another site's Origin");
    assert_eq!(s.get("/en/news/forged").await.status(), 404);
    // The sign-in form needs its token too.
    let anon = Client::new(&s);
    let r = anon.post("/admin/login", &[("email", "editor@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), 403);
    s.stop().await;
}

async fn failed_sign_ins_are_throttled_without_revealing_accounts(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = Client::new(&s);
    let attempt = |email: &'static str, password: &'static str| {
        let c = &c;
        async move {
            let csrf = csrf_in(&c.page("/admin/login").await);
            c.post("/admin/login", &[("csrf", &csrf), ("email", email), ("password", password)]).await
        }
    };
    let unknown = attempt("nobody@example.org", "whatever password").await;
    assert_eq!(unknown.status(), 401);
    let unknown_text = unknown.text().await.unwrap();
    let wrong = attempt("editor@example.org", "wrong password!").await;
    assert_eq!(wrong.status(), 401);
    let wrong_text = wrong.text().await.unwrap();
    assert!(wrong_text.contains("Wrong e-mail or password."));
    assert_eq!(
        crate::harness::between(&unknown_text, "role=\"alert\">", "<"),
        crate::harness::between(&wrong_text, "role=\"alert\">", "<"),
        "the same message for unknown accounts and wrong passwords"
    );
    for _ in 0..4 {
        assert_eq!(attempt("editor@example.org", "wrong password!").await.status(), 401);
    }
    let throttled = attempt("editor@example.org", PASSWORD).await;
    assert_eq!(throttled.status(), 429, "even the right password waits once the account is throttled");
    assert!(throttled.text().await.unwrap().contains("Too many failed sign-ins"));
    s.stop().await;
}

/// One sign-in attempt through the form; its status.
async fn sign_in_with(c: &Client<'_>, email: &str, password: &str) -> reqwest::StatusCode {
    let csrf = csrf_in(&c.page("/admin/login").await);
    c.post("/admin/login", &[("csrf", &csrf), ("email", email), ("password", password)]).await.status()
}

/// Behind a trusted load balancer each editor is known by their own address: one address
/// that failed too often does not lock out the others, and is never refused a correct password.
async fn behind_a_trusted_proxy_each_client_is_throttled_alone(backend: Backend) {
    let Some(db) = crate::harness::TestDb::new(backend).await else { return };
    let mut site = crate::harness::test_site();
    site.trusted_proxies = newsdesk::config::TrustedProxies(vec!["127.0.0.0/8".parse().unwrap()]);
    let s = TestServer::start_with(db, std::sync::Arc::new(newsdesk::domain::SystemClock), site).await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    let client = |address: &str| {
        let mut c = Client::new(&s);
        c.forwarded_for = Some(format!("6.6.6.6, {address}"));
        c
    };
    let sprayer = client("198.51.100.1");
    let mut last = reqwest::StatusCode::OK;
    for n in 0..=newsdesk::web::admin::login::ADDRESS_LIMIT {
        last = sign_in_with(&sprayer, &format!("guess{n}@example.org"), "wrong password!").await;
    }
    assert_eq!(last, 429, "the address that sprayed guesses is throttled");
    let signed_in = sign_in_with(&sprayer, "editor@example.org", PASSWORD).await;
    assert_eq!(signed_in, 303, "but a correct password still signs in from it");
    let colleague = client("198.51.100.2");
    let other = sign_in_with(&colleague, "nobody@example.org", "x").await;
    assert_eq!(other, 401, "another client behind the same proxy is not throttled");
    let audit = s.state.store.audit_log(None, None, 100).await.unwrap();
    assert!(
        audit.iter().any(|e| e.address == "198.51.100.1"),
        "the audit log names the client, not the proxy"
    );
    assert!(
        !audit.iter().any(|e| e.address == "6.6.6.6"),
        "an address the client wrote itself is not believed"
    );
    s.stop().await;

    // Without trusted proxies the header is anyone's to write, and is ignored.
    let Some(db) = crate::harness::TestDb::new(backend).await else { return };
    let s = TestServer::start_on(db, std::sync::Arc::new(newsdesk::domain::SystemClock)).await;
    let mut last = reqwest::StatusCode::OK;
    for n in 0..=newsdesk::web::admin::login::ADDRESS_LIMIT {
        let mut c = Client::new(&s);
        c.forwarded_for = Some(format!("203.0.113.{n}"));
        last = sign_in_with(&c, &format!("guess{n}@example.org"), "wrong password!").await;
    }
    assert_eq!(last, 429, "a made-up X-Forwarded-For does not escape the throttle");
    s.stop().await;
}

async fn scheduled_from_the_editor_publishes_by_itself(backend: Backend) {
    let Some(db) = crate::harness::TestDb::new(backend).await else { return };
    let start = jiff::Timestamp::now();
    let clock = std::sync::Arc::new(newsdesk::domain::FixedClock::new(start));
    let s = TestServer::start_on(db, clock.clone()).await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    let tz = s.state.site.time_zone.clone();
    let at = |t: jiff::Timestamp| t.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let (r, _) =
        write(&c, "Scheduled in the past", "schedule", &at(start - jiff::SignedDuration::from_secs(60)))
            .await;
    assert_eq!(r.status(), 422, "scheduling needs a future time");
    let (r, id) =
        write(&c, "Scheduled announcement", "schedule", &at(start + jiff::SignedDuration::from_hours(2)))
            .await;
    assert_eq!(r.status(), 303);
    let edit = c.page(&location(&r)).await;
    assert!(edit.contains("status-scheduled"), "shown as scheduled");
    let when = start + jiff::SignedDuration::from_hours(2);
    let local = when
        .to_zoned(jiff::tz::TimeZone::get("Europe/Moscow").unwrap())
        .strftime("%d.%m.%Y %H:%M")
        .to_string();
    assert!(
        edit.contains(&format!("Scheduled for {local} (Europe/Moscow)")),
        "the message says when: {edit}"
    );
    assert!(!s.page("/en/").await.contains("Scheduled announcement"));
    // The injected clock moves past the time; the scheduler publishes on its next round.
    clock.set(start + jiff::SignedDuration::from_mins(121));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !s.page("/en/").await.contains("Scheduled announcement") {
        assert!(std::time::Instant::now() < deadline, "never published");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let page = s.page("/en/news/scheduled-announcement").await;
    assert!(page.contains("<b>text</b>") && !page.contains("<script>alert"), "body sanitized on save");
    // The scheduler's publication is in the history, the audit log and the change log like any
    // other: a revision, an audit entry, and a typed, public change.
    let id = id.unwrap();
    let revisions = s.state.store.revisions(id).await.unwrap();
    assert_eq!(revisions[0].note, "published on schedule", "{revisions:?}");
    assert_eq!(revisions[0].status, "published");
    let audit = s.state.store.audit_log(Some("article.publish"), None, 10).await.unwrap();
    assert!(
        audit.iter().any(|a| a.target == format!("article {id}") && a.address == "scheduler"),
        "{audit:?}"
    );
    let changes = s.state.store.changes_after(0, 1_000).await.unwrap();
    let last = changes.iter().rev().find(|c| c.article_id == Some(id)).unwrap();
    assert_eq!(last.kind, newsdesk::domain::ChangeKind::Published);
    assert_eq!(
        (last.status_before, last.status_after),
        (Some(newsdesk::domain::Status::Scheduled), Some(newsdesk::domain::Status::Published))
    );
    assert!(last.public);
    let article = s.state.store.article_by_id(id).await.unwrap().unwrap();
    assert!(article.updated_at > start, "the publication counts as an update");
    s.stop().await;
}

async fn history_diffs_and_restores(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    let (_, id) = write(&c, "First title", "publish", "").await;
    let id = id.unwrap();
    let edit = c.page(&format!("/admin/articles/{id}")).await;
    assert_eq!(save(&c, id, "Second title", &version_in(&edit), "save").await.status(), 303);
    let history = c.page(&format!("/admin/articles/{id}/revisions")).await;
    let ids: Vec<String> = history
        .match_indices("name=\"to\" value=\"")
        .map(|(i, m)| {
            let rest = &history[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect();
    assert_eq!(ids.len(), 2, "a revision per save");
    let diff = c.page(&format!("/admin/articles/{id}/diff?from={}&to={}", ids[1], ids[0])).await;
    assert!(
        diff.contains("class=\"del\">First title") && diff.contains("class=\"ins\">Second title"),
        "{diff}"
    );
    let csrf = csrf_in(&history);
    let seen = version_in(&history);
    let stale = (seen.parse::<i64>().unwrap() - 1).to_string();
    let r = c
        .post(
            &format!("/admin/articles/{id}/revisions/{}/restore", ids[1]),
            &[("csrf", &csrf), ("version", &stale)],
        )
        .await;
    assert_eq!(r.status(), 409, "restoring over a version the person has not seen is a conflict");
    let r = c.post(&format!("/admin/articles/{id}/revisions/{}/restore", ids[1]), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 422, "restoring without saying which version was seen");
    let r = c
        .post(
            &format!("/admin/articles/{id}/revisions/{}/restore", ids[1]),
            &[("csrf", &csrf), ("version", &seen)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let edit = c.page(&format!("/admin/articles/{id}")).await;
    assert!(edit.contains("value=\"First title\""), "restored");
    assert_eq!(
        c.page(&format!("/admin/articles/{id}/revisions")).await.matches("name=\"to\"").count(),
        3,
        "restoring is a new revision"
    );
    // Delete to the trash and back.
    let csrf = csrf_in(&edit);
    let v = version_in(&edit);
    assert_eq!(
        c.post(&format!("/admin/articles/{id}/delete"), &[("csrf", &csrf), ("version", &v)]).await.status(),
        303
    );
    assert_eq!(s.get("/en/news/first-title").await.status(), 404, "trashed articles leave the site");
    let trash = c.page("/admin/trash").await;
    assert!(trash.contains("First title"));
    let v = version_in(&trash);
    assert_eq!(
        c.post(&format!("/admin/articles/{id}/restore"), &[("csrf", &csrf), ("version", &v)]).await.status(),
        303
    );
    assert!(!c.page("/admin/trash").await.contains("First title"));
    s.stop().await;
}

async fn concurrent_edits_lose_nothing(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "anna@example.org", Role::Editor).await;
    make_user(&s, "boris@example.org", Role::Editor).await;
    let anna = sign_in(&s, "anna@example.org").await;
    let boris = sign_in(&s, "boris@example.org").await;
    let (_, id) = write(&anna, "Shared story", "save", "").await;
    let id = id.unwrap();
    let anna_form = anna.page(&format!("/admin/articles/{id}")).await;
    let boris_form = boris.page(&format!("/admin/articles/{id}")).await;
    let base = version_in(&anna_form);
    assert_eq!(base, version_in(&boris_form));
    assert_eq!(save(&anna, id, "Shared story, Anna's fix", &base, "save").await.status(), 303);
    let refused = save(&boris, id, "Shared story, Boris's fix", &base, "save").await;
    assert_eq!(refused.status(), 409, "the later save is refused");
    let page = refused.text().await.unwrap();
    assert!(page.contains("value=\"Shared story, Boris&#39;s fix\""), "Boris keeps his text");
    assert!(page.contains("class=\"ins\">Shared story, Anna&#39;s fix"), "and sees Anna's change");
    let newer = version_in(&page);
    assert_ne!(newer, base);
    assert_eq!(
        save(&boris, id, "Shared story, both fixes", &newer, "save").await.status(),
        303,
        "after seeing it, he saves"
    );
    let final_form = anna.page(&format!("/admin/articles/{id}")).await;
    assert!(final_form.contains("value=\"Shared story, both fixes\""));
    let history = anna.page(&format!("/admin/articles/{id}/revisions")).await;
    assert!(history.contains("Shared story, Anna&#39;s fix"), "Anna's version is in the history");
    // A form whose version is empty or garbled (a damaged page, a hand-made request) is refused
    // in words, not by the form parser, and changes nothing.
    for version in ["", "abc"] {
        let r = save(&boris, id, "Overwrite", version, "save").await;
        assert_eq!(r.status(), 422, "version {version:?}");
        let page = r.text().await.unwrap();
        assert!(page.contains("does not say which version"), "version {version:?}: {page}");
        let csrf = crate::session::csrf_in(&final_form);
        let note = anna
            .post(
                &format!("/admin/articles/{id}/notes"),
                &[("csrf", &csrf), ("comment", "x"), ("version", version)],
            )
            .await;
        assert_ne!(note.status().as_u16(), 400, "the notes form reads it too");
        assert!(!note.text().await.unwrap().contains("Failed to deserialize"));
    }
    assert!(anna.page(&format!("/admin/articles/{id}")).await.contains("value=\"Shared story, both fixes\""));
    s.stop().await;
}

async fn accounts_sessions_and_passwords(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "admin@example.org", Role::Admin).await;
    let admin = sign_in(&s, "admin@example.org").await;
    let csrf = csrf_in(&admin.page("/admin/users").await);
    let created = admin
        .post(
            "/admin/users",
            &[("csrf", &csrf), ("email", "New@Example.org"), ("name", "New Person"), ("role", "author")],
        )
        .await;
    assert_eq!(created.status(), 200);
    let page = created.text().await.unwrap();
    let link = crate::harness::between(&page, "<code>", "</code>").to_string();
    let path = &link[link.find("/admin/set-password/").unwrap()..];
    let newcomer = Client::new(&s);
    let form = newcomer.page(path).await;
    let token_csrf = csrf_in(&form);
    let short = newcomer.post(path, &[("csrf", &token_csrf), ("new", "short"), ("confirm", "short")]).await;
    assert_eq!(short.status(), 422);
    let ok = newcomer.post(path, &[("csrf", &token_csrf), ("new", PASSWORD), ("confirm", PASSWORD)]).await;
    assert_eq!(ok.status(), 303);
    assert_eq!(
        newcomer
            .post(path, &[("csrf", &token_csrf), ("new", PASSWORD), ("confirm", PASSWORD)])
            .await
            .status(),
        410,
        "one time only"
    );
    let person = sign_in(&s, "new@example.org").await;
    assert_eq!(person.get("/admin").await.status(), 200);
    // Disabling ends the session at once.
    let users = admin.page("/admin/users").await;
    let id =
        s.state.store.users().await.unwrap().into_iter().find(|u| u.email == "new@example.org").unwrap().id;
    let csrf = csrf_in(&users);
    let r = admin
        .post(&format!("/admin/users/{id}"), &[("csrf", &csrf), ("role", "author"), ("disabled", "1")])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(person.get("/admin").await.status(), 303, "signed out");
    // Logging out ends a session; the old cookie no longer works.
    let cookie = admin.cookie_header();
    let csrf = csrf_in(&admin.page("/admin").await);
    assert_eq!(admin.post("/admin/logout", &[("csrf", &csrf)]).await.status(), 303);
    let replay = s.client.get(format!("{}/admin", s.base)).header("cookie", cookie).send().await.unwrap();
    assert_eq!(replay.status(), 303, "the old session cookie is dead");
    s.stop().await;
}

/// Old addresses by hand: an admin pastes lines from the old server's configuration; a bad
/// line refuses the whole paste; the addresses then redirect; editors may not touch them.
async fn admins_keep_old_addresses_working(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    make_user(&s, "admin@example.org", Role::Admin).await;
    let editor = sign_in(&s, "editor@example.org").await;
    assert_eq!(editor.get("/admin/redirects").await.status(), 403);
    let admin = sign_in(&s, "admin@example.org").await;
    let page = admin.page("/admin/redirects").await;
    let csrf = csrf_in(&page);
    let lines = "# from the old nginx\nrewrite ^/press/2019/?$ /en/archive/2019 permanent;\n\
                 Redirect 301 /about-us https://news.test.example/en/news\n\
                 /old%20Page/,/en/";
    let bad = format!("{lines}\n/nowhere,https://elsewhere.example/");
    let r = admin.post("/admin/redirects", &[("csrf", &csrf), ("lines", &bad)]).await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("Line 5") && text.contains("Nothing was saved"), "{text}");
    assert_eq!(s.get("/about-us").await.status(), 404, "nothing of a refused paste is saved");
    let r = admin.post("/admin/redirects", &[("csrf", &csrf), ("lines", lines)]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("3 old addresses saved"));
    for (old, new) in
        [("/press/2019/", "/en/archive/2019"), ("/about-us", "/en/news"), ("/OLD%20page", "/en/")]
    {
        let r = s.get(old).await;
        assert_eq!((r.status().as_u16(), location(&r)), (308, new.to_string()), "{old}");
    }
    let listed = admin.page("/admin/redirects?q=/press").await;
    assert!(listed.contains("/press/2019") && !listed.contains("/about-us"), "the search narrows");
    let r = admin.post("/admin/redirects/delete", &[("csrf", &csrf), ("source", "/about-us")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(s.get("/about-us").await.status(), 404);
    assert!(admin.page("/admin/audit").await.contains("redirects.delete"));
    s.stop().await;
}

/// Static pages: an editor writes one, it is public at its own address and nowhere in the
/// news; a stale save is refused without loss; an author may not write pages.
async fn editors_keep_static_pages(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    make_user(&s, "author@example.org", Role::Author).await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    let author = sign_in(&s, "author@example.org").await;
    assert_eq!(author.get("/admin/pages").await.status(), 403);
    let editor = sign_in(&s, "editor@example.org").await;
    let csrf = csrf_in(&editor.page("/admin/pages/new").await);
    let form = |title: &'static str, status: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("lang", "ru".into()),
            ("title", title.into()),
            ("slug", String::new()),
            ("body", "<p>Аккредитация <script>alert(1)</script>открыта.</p>".into()),
            ("status", status.into()),
        ]
    };
    let post = |path: String, fields: Vec<(&'static str, String)>| {
        let editor = &editor;
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            editor.post(&path, &fields).await
        }
    };
    let r = post("/admin/pages".into(), form("Правила аккредитации", "published")).await;
    assert_eq!(r.status(), 303);
    let edit_path = location(&r).split('?').next().unwrap().to_string();
    let public = s.page("/ru/pravila-akkreditatsii").await;
    assert!(
        public.contains("Правила аккредитации") && public.contains("открыта") && !public.contains("alert(1)")
    );
    assert!(
        s.page("/ru/").await.contains(r#"<a href="/ru/pravila-akkreditatsii">"#),
        "linked from the footer"
    );
    assert!(!s.page("/ru/feed.xml").await.contains("Правила аккредитации"), "not in the feed");
    // A taken address and a missing title are refused in the editor's language.
    let r = post("/admin/pages".into(), form("Правила аккредитации", "draft")).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("pravila-akkreditatsii"));
    // A save from a stale version is refused; the newer text stays.
    let edit = editor.page(&edit_path).await;
    let version = crate::harness::between(&edit, "name=\"version\" value=\"", "\"").to_string();
    let mut first = form("Правила аккредитации (новые)", "published");
    first.push(("version", version.clone()));
    first[3].1 = "pravila-akkreditatsii".into();
    assert_eq!(post(edit_path.clone(), first.clone()).await.status(), 303);
    let mut stale = form("Устаревшая правка", "published");
    stale.push(("version", version));
    stale[3].1 = "pravila-akkreditatsii".into();
    let r = post(edit_path.clone(), stale).await;
    assert_eq!(r.status(), 409);
    assert!(s.page("/ru/pravila-akkreditatsii").await.contains("(новые)"));
    let history = editor.page(&edit_path).await;
    assert!(history.contains("editor@example.org"), "each save is in the history");
    // An earlier version is loaded into the form, and restored only when saved.
    assert!(history.contains("?revision=1"), "{history}");
    let loaded = editor.page(&format!("{edit_path}?revision=1")).await;
    assert!(
        loaded.contains(r#"value="Правила аккредитации""#) && loaded.contains("Version 1 is loaded"),
        "{loaded}"
    );
    assert!(s.page("/ru/pravila-akkreditatsii").await.contains("(новые)"), "loading changes nothing");
    let version = crate::harness::between(&loaded, "name=\"version\" value=\"", "\"").to_string();
    let mut restore = form("Правила аккредитации", "published");
    restore.push(("version", version));
    restore[3].1 = "pravila-akkreditatsii".into();
    assert_eq!(post(edit_path.clone(), restore).await.status(), 303);
    assert!(!s.page("/ru/pravila-akkreditatsii").await.contains("(новые)"), "restored by saving");
    assert_eq!(editor.get(&format!("{edit_path}?revision=99")).await.status(), 404);
    s.stop().await;
}

/// The dashboard lists every draft awaiting review, however many drafts came after it, and
/// what was published by publication time, not by last edit.
async fn the_dashboard_shows_what_needs_attention(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "author@example.org", Role::Author).await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    let author = sign_in(&s, "author@example.org").await;
    write(&author, "Please review this one", "submit", "").await;
    for n in 0..11 {
        write(&author, &format!("Plain draft {n}"), "save", "").await;
    }
    let editor = sign_in(&s, "editor@example.org").await;
    let (_, first) = write(&editor, "Published long ago", "publish", "2024-01-10 10:00").await;
    write(&editor, "Published recently", "publish", "2025-06-01 10:00").await;
    // Editing the older one later does not move it up the "recently published" list.
    let first = first.unwrap();
    let form = editor.page(&format!("/admin/articles/{first}")).await;
    let version = crate::harness::between(&form, "name=\"version\" value=\"", "\"").to_string();
    assert_eq!(save(&editor, first, "Published long ago (corrected)", &version, "save").await.status(), 303);
    let dashboard = editor.page("/admin").await;
    let review = crate::harness::between(&dashboard, "id=\"review-h\"", "</section>");
    assert!(review.contains("Please review this one") && !review.contains("Plain draft"), "{review}");
    let published = crate::harness::between(&dashboard, "id=\"published-h\"", "</section>");
    let recent = published.find("Published recently").expect("listed");
    let old = published.find("Published long ago").expect("listed");
    assert!(recent < old, "newest publication first: {published}");
    s.stop().await;
}

/// An author opening their own article once it is published sees why it cannot be saved,
/// not a Save button that answers 403.
async fn authors_see_their_published_articles_read_only(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "author@example.org", Role::Author).await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    let author = sign_in(&s, "author@example.org").await;
    let (_, id) = write(&author, "Author's story", "submit", "").await;
    let id = id.unwrap();
    let draft = author.page(&format!("/admin/articles/{id}")).await;
    assert!(draft.contains(r#"name="action" value="save""#), "a draft is the author's to save");
    let editor = sign_in(&s, "editor@example.org").await;
    let form = editor.page(&format!("/admin/articles/{id}")).await;
    let version = crate::harness::between(&form, "name=\"version\" value=\"", "\"").to_string();
    assert_eq!(save(&editor, id, "Author's story", &version, "publish").await.status(), 303);
    let published = author.page(&format!("/admin/articles/{id}")).await;
    assert!(!published.contains(r#"name="action" value="save""#), "{published}");
    assert!(published.contains("an editor changes it now"));
    s.stop().await;
}

/// A person sees where they are signed in and signs one of those places out, or all others.
async fn people_see_and_end_their_sessions(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let here = sign_in(&s, "editor@example.org").await;
    let laptop = sign_in(&s, "editor@example.org").await;
    let phone = sign_in(&s, "editor@example.org").await;
    let account = here.page("/admin/password").await;
    assert_eq!(
        account.matches("name=\"session\" value=\"").count(),
        3,
        "two others and 'everywhere else': {account}"
    );
    assert!(account.contains("This browser"));
    // End one (the first listed other session), then all others.
    let reference = crate::harness::between(&account, "name=\"session\" value=\"", "\"").to_string();
    let ended =
        here.post("/admin/sessions/end", &[("csrf", &csrf_in(&account)), ("session", &reference)]).await;
    assert_eq!(ended.status(), 303);
    let still = [laptop.get("/admin").await.status(), phone.get("/admin").await.status()];
    assert_eq!(
        still.iter().filter(|s| **s == 200).count(),
        1,
        "exactly one of them was signed out: {still:?}"
    );
    let account = here.page("/admin/password").await;
    assert!(account.contains("Signed out there.") || account.contains("This browser"));
    let others =
        here.post("/admin/sessions/end", &[("csrf", &csrf_in(&account)), ("session", "others")]).await;
    assert_eq!(others.status(), 303);
    assert_ne!(laptop.get("/admin").await.status(), 200);
    assert_ne!(phone.get("/admin").await.status(), 200);
    assert_eq!(here.get("/admin").await.status(), 200, "this one stays signed in");
    let bogus = here.post("/admin/sessions/end", &[("csrf", &csrf_in(&account)), ("session", "0000")]).await;
    assert_eq!(bogus.status(), 404);
    s.stop().await;
}

/// Editors choose the home page's lead story; authors cannot.
async fn editors_pin_the_lead_story(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    make_user(&s, "author@example.org", Role::Author).await;
    let editor = sign_in(&s, "editor@example.org").await;
    let (_, older) = write(&editor, "Older story to pin", "publish", "").await;
    let older = older.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    write(&editor, "Newest story", "publish", "").await;
    s.wait_followed().await;
    let lead =
        |home: &str| crate::harness::between(home, "<article class=\"lead-story", "</article>").to_string();
    assert!(lead(&s.page("/en/").await).contains("Newest story"));

    let page = editor.page(&format!("/admin/articles/{older}")).await;
    assert!(page.contains("Make it the lead story on the home page"), "{page}");
    let author = sign_in(&s, "author@example.org").await;
    let refused = author
        .post(
            &format!("/admin/articles/{older}/pin"),
            &[("csrf", &csrf_in(&author.page("/admin").await)), ("pinned", "1")],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let pinned = editor
        .post(&format!("/admin/articles/{older}/pin"), &[("csrf", &csrf_in(&page)), ("pinned", "1")])
        .await;
    assert_eq!(pinned.status(), 303);
    s.wait_followed().await;
    let home = s.page("/en/").await;
    assert!(lead(&home).contains("Older story to pin"), "the pinned story leads at once");
    assert_eq!(home.matches("Older story to pin").count(), 1, "and is not listed twice");
    let page = editor.page(&format!("/admin/articles/{older}")).await;
    assert!(page.contains("No longer the lead story"));
    editor.post(&format!("/admin/articles/{older}/pin"), &[("csrf", &csrf_in(&page)), ("pinned", "0")]).await;
    s.wait_followed().await;
    assert!(lead(&s.page("/en/").await).contains("Newest story"));
    s.stop().await;
}

on_both_backends!(
    people_see_and_end_their_sessions,
    authors_see_their_published_articles_read_only,
    the_dashboard_shows_what_needs_attention,
    editors_pin_the_lead_story,
    editors_keep_static_pages,
    admins_keep_old_addresses_working,
    signed_out_requests_go_to_sign_in,
    roles_are_enforced_on_the_server,
    forms_without_a_valid_csrf_token_are_refused,
    failed_sign_ins_are_throttled_without_revealing_accounts,
    behind_a_trusted_proxy_each_client_is_throttled_alone,
    scheduled_from_the_editor_publishes_by_itself,
    history_diffs_and_restores,
    concurrent_edits_lose_nothing,
    accounts_sessions_and_passwords,
);
