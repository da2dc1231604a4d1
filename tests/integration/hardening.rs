//! What an attacker tried, over real HTTP and raw TCP: saves abandoned mid-request, bodies sent
//! a byte at a time, parallel password guesses, redirects to other hosts, markup smuggled into
//! titles, structured data and feeds, and the person's mistakes that used to answer 500.

use crate::admin::{PASSWORD, make_user, save, sign_in, version_in, write};
use crate::harness::{Backend, TestServer, between};
use crate::on_both_backends;
use crate::session::{Client, csrf_in, header, location};
use newsdesk::domain::user::Role;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A form body of plain ASCII values (spaces as `+`), as a browser would send it.
fn form_body(fields: &[(&str, &str)]) -> String {
    fields.iter().map(|(k, v)| format!("{k}={}", v.replace(' ', "+"))).collect::<Vec<_>>().join("&")
}

/// Sends a request's head and body on a raw connection and returns the connection unread.
async fn send_raw(addr: &str, head: &str, body: &[u8]) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(head.as_bytes()).await.expect("write head");
    stream.write_all(body).await.expect("write body");
    stream
}

/// Closes a connection with a reset (RST), as a client killed mid-request does.
// A zero linger does not block on drop (the deprecation is about non-zero ones): the kernel
// sends RST at once.
#[allow(deprecated)]
fn reset(stream: TcpStream) {
    let _ = stream.set_linger(Some(Duration::ZERO));
    drop(stream);
}

fn write_body(csrf: &str, title: &str) -> String {
    form_body(&[
        ("csrf", csrf),
        ("lang", "en"),
        ("title", title),
        ("lead", "A lead"),
        ("body", "Text"),
        ("section", "1"),
        ("publish_at", ""),
        ("action", "save"),
    ])
}

/// Back-office saves whose connections are reset 0–10 ms after they are sent leave no
/// transaction or lock behind: afterwards every kind of write works.
async fn dropped_saves_leave_every_write_working(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = sign_in(&s, "editor@example.org").await;
    let (r, id) = write(&c, "Before the storm", "save", "").await;
    assert_eq!(r.status(), 303);
    let id = id.expect("created");
    let csrf = csrf_in(&c.page(&format!("/admin/articles/{id}")).await);
    let cookie = c.cookie_header();
    let addr = s.base.strip_prefix("http://").unwrap().to_string();
    for i in 0..120u64 {
        let path = if i % 2 == 0 { "/admin/articles".to_string() } else { format!("/admin/articles/{id}") };
        let body = write_body(&csrf, &format!("Dropped save {i}"));
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let stream = send_raw(&addr, &head, body.as_bytes()).await;
        tokio::time::sleep(Duration::from_micros((i * 1_373) % 10_000)).await;
        reset(stream);
    }
    // Signing in writes a session; creating, publishing and saving write articles; the store's
    // own writes are what the command line and the scheduler use.
    let again = sign_in(&s, "editor@example.org").await;
    let (r, new_id) = write(&again, "After the storm", "publish", "").await;
    assert_eq!(r.status(), 303, "a new article can be published: {}", r.text().await.unwrap());
    assert!(new_id.is_some());
    let html = again.page(&format!("/admin/articles/{id}")).await;
    let r = save(&again, id, "Still editable", &version_in(&html), "save").await;
    assert_eq!(r.status(), 303, "an existing article can be saved");
    s.state
        .store
        .create_user("later@example.org", "Later", Role::Author, None, jiff::Timestamp::now())
        .await
        .expect("a direct write to the store works");
    assert!(s.page("/en/news/after-the-storm").await.contains("After the storm"));
    s.stop().await;
}

/// Polls a future at most `left` times, then drops it where it stands: a request cancelled
/// at an exact await point, which no timing of a real client can aim at reliably.
struct CutAfter<F: std::future::Future> {
    inner: std::pin::Pin<Box<F>>,
    left: usize,
}

impl<F: std::future::Future> std::future::Future for CutAfter<F> {
    type Output = Option<F::Output>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        if self.left == 0 {
            return std::task::Poll::Ready(None);
        }
        self.left -= 1;
        self.inner.as_mut().poll(cx).map(Some)
    }
}

/// Writes cut off after every number of polls, from the first await to the last, leave no
/// transaction or lock behind: the next write goes through at once.
async fn writes_cut_at_every_await_point_leave_no_lock(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let store = &s.state.store;
    let user = make_user(&s, "editor@example.org", Role::Editor).await;
    let now = jiff::Timestamp::now();
    let edit = |title: String| newsdesk::storage::editorial::ArticleEdit {
        lang: newsdesk::domain::Lang::parse("en").unwrap(),
        section_id: 1,
        title,
        slug: None,
        lead: "Lead".into(),
        body_html: "<p>Text</p>".into(),
        status: newsdesk::domain::Status::Draft,
        publish_at: now,
        review_requested: false,
        lead_image_id: None,
        tags: Vec::new(),
        bylines: Vec::new(),
        expires_at: None,
    };
    let ctx = newsdesk::storage::editorial::WriteContext {
        user_id: Some(user),
        address: "test",
        note: "created",
        audit: None,
        comment: None,
        correction: None,
        release: &[],
        now,
    };
    let mut completed = 0;
    for polls in 1..40 {
        for round in 0..5 {
            let e = edit(format!("Cut {polls} {round}"));
            let cut = CutAfter { inner: Box::pin(store.create_article(&e, None, ctx)), left: polls };
            if cut.await.is_some() {
                completed += 1;
            }
            // Between cuts, a write with a deadline: a leaked transaction would make it wait
            // for the lock (SQLite) or fail at once ("begin_with at non-zero depth").
            let probe = edit(format!("Probe {polls} {round}"));
            let written =
                tokio::time::timeout(Duration::from_secs(10), store.create_article(&probe, None, ctx)).await;
            assert!(
                matches!(written, Ok(Ok(_))),
                "after a write cut at poll {polls}: {:?}",
                written.map(|r| r.map(|_| ()))
            );
        }
    }
    assert!(completed > 0, "the longest cuts let writes finish, so every await point was crossed");
    s.stop().await;
}

/// Hundreds of request bodies trickling in a byte at a time use up only their own budget:
/// home, article and search pages keep answering 200.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_bodies_do_not_starve_readers() {
    let s = TestServer::with_fixture(Backend::Sqlite).await.expect("sqlite always runs");
    let addr = s.base.strip_prefix("http://").unwrap().to_string();
    let head = format!(
        "POST /admin/login HTTP/1.1\r\nHost: {addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
    );
    let mut slow = Vec::new();
    for _ in 0..530 {
        slow.push(send_raw(&addr, &head, b"e").await);
    }
    let started = Instant::now();
    for path in ["/en/", "/en/secretariat/april-story-number-1", "/en/search?q=April"] {
        let r = s.get(path).await;
        assert_eq!(r.status(), 200, "{path} while bodies trickle in");
    }
    assert!(started.elapsed() < Duration::from_secs(5), "readers were not kept waiting");
    // Past their budget, slow senders are told at once to come back later.
    let mut refused = 0;
    for stream in slow.iter_mut().rev().take(20) {
        let mut buf = [0u8; 64];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buf)).await {
            let answer = String::from_utf8_lossy(&buf[..n]);
            if answer.starts_with("HTTP/1.1 503") || answer.starts_with("HTTP/1.1 429") {
                refused += 1;
            }
        }
    }
    assert!(refused > 0, "the last slow senders were refused at once (429 or 503)");
    slow.into_iter().for_each(reset);
    s.stop().await;
}

/// Sixty guesses at one account sent at once: the count is taken before any password is
/// checked, so all but the first few are refused with 429 and Retry-After.
async fn parallel_guesses_are_counted_atomically(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "editor@example.org", Role::Editor).await;
    let c = Client::new(&s);
    let csrf = csrf_in(&c.page("/admin/login").await);
    let cookie = c.cookie_header();
    let guesses = (0..60).map(|i| {
        let request = s.client.post(format!("{}/admin/login", s.base)).header("cookie", &cookie).form(&[
            ("csrf", csrf.as_str()),
            ("email", "editor@example.org"),
            ("password", &format!("guess {i}")),
        ]);
        async move { request.send().await.expect("request") }
    });
    let answers = futures_join_all(guesses).await;
    let checked = answers.iter().filter(|r| r.status() == 401).count();
    let refused: Vec<_> = answers.iter().filter(|r| r.status() == 429).collect();
    // Refused either by the account's throttle or by the address's share of the server.
    assert!(checked <= 5, "{checked} guesses were checked");
    assert_eq!(checked + refused.len(), 60, "every guess is either checked or refused with 429");
    for r in &refused {
        let retry: u64 = header(r, "retry-after").parse().expect("Retry-After in seconds");
        assert!((1..=15 * 60).contains(&retry), "Retry-After {retry}");
    }
    // The right password waits too, until the window passes.
    let r = c
        .post("/admin/login", &[("csrf", &csrf), ("email", "editor@example.org"), ("password", PASSWORD)])
        .await;
    assert_eq!(r.status(), 429);
    s.stop().await;
}

/// Runs futures at once and collects their outputs in order (no extra crate for one helper).
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.expect("task"));
    }
    out
}

/// No answer, to any path, redirects to another host.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_redirect_leaves_the_site() {
    let s = TestServer::with_fixture(Backend::Sqlite).await.expect("sqlite always runs");
    for path in [
        "//1249767246/",
        "//0x7f000001/",
        "//evil/",
        "///evil.example/",
        "////evil.example/",
        "/%2F%2Fevil.example/",
        "/\\evil.example/",
        "/en//evil.example/",
        "//evil.example/en/",
        "/admin/login?next=//evil.example",
        "/admin/lang/ru",
    ] {
        let mut request = s.client.get(format!("{}{path}", s.base));
        if path.starts_with("/admin/lang") {
            request = request.header("referer", "https://evil.example//evil.example/admin");
        }
        let r = request.send().await.expect("request");
        let status = r.status();
        assert_ne!(status.as_u16(), 500, "{path}");
        if status.is_redirection() {
            let to = location(&r);
            assert!(
                to.starts_with('/') && !to.starts_with("//") && !to.starts_with("/\\"),
                "{path} redirects off the site to {to:?}"
            );
        }
    }
    // The sign-in form carries `next` only as a path of the back office.
    let form = s.page("/admin/login?next=//evil.example").await;
    assert!(!form.contains("evil.example"));
    s.stop().await;
}

/// The article page's JSON-LD is valid JSON holding the title, with no raw `<`, `>` or `&`
/// that could end the script element or open a comment in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn structured_data_cannot_break_out_of_its_script() {
    let s = TestServer::with_fixture(Backend::Sqlite).await.expect("sqlite always runs");
    let file = s.db.data_dir().join("hostile.jsonl");
    std::fs::write(
        &file,
        r#"{"type": "article", "external_id": "h-1", "lang": "en", "section": "secretariat", "title": "Prices rise 5% <3 & fall >2", "lead": "Lead </script> &amp; more", "body_html": "<p>Text <img src=\"https://tracker.example/p.gif\" alt=\"pixel\"></p>", "published_at": "2025-05-01 10:00"}"#,
    )
    .unwrap();
    s.import(&[file]).await;
    let page = s.page("/en/secretariat/prices-rise-5-3-fall-2").await;
    assert_eq!(page.matches("application/ld+json").count(), 1);
    let json = between(&page, "<script type=\"application/ld+json\">", "</script>");
    assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'), "{json}");
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON-LD parses");
    assert_eq!(value["headline"], "Prices rise 5% <3 & fall >2");
    // A third-party image in a body is a link, never loaded by the reader's browser.
    assert!(!page.contains("src=\"https://tracker.example"), "no third-party image is loaded");
    assert!(page.contains("href=\"https://tracker.example/p.gif\""), "it stays as a link");
    s.stop().await;
}

/// A feed title escaped twice (`&amp;lt;b&amp;gt;`) is stored and published as plain text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feed_titles_stay_plain_text() {
    let s = TestServer::start(Backend::Sqlite).await.expect("sqlite always runs");
    let file = s.db.data_dir().join("double.rss");
    std::fs::write(
        &file,
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Old</title><link>https://old.example/</link><description>d</description>
<item><title>&amp;lt;b&amp;gt;Bold&amp;lt;/b&amp;gt; move</title><link>https://old.example/1</link><description>Text</description><pubDate>Tue, 01 Apr 2025 10:00:00 +0000</pubDate></item>
</channel></rss>"#,
    )
    .unwrap();
    s.import(&[file]).await;
    let rss = s.page("/en/feed.xml").await;
    let item = between(&rss, "<item>", "</item>");
    let title = between(item, "<title>", "</title>");
    assert_eq!(title, "Bold move", "{item}");
    s.stop().await;
}

/// People's mistakes get pages that say what to do, never a 500 or a bare-text error.
async fn mistakes_are_never_server_errors(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    make_user(&s, "admin@example.org", Role::Admin).await;
    let c = sign_in(&s, "admin@example.org").await;

    // The audit log filtered by a person.
    let audit = c.page("/admin/audit?user=admin%40example.org").await;
    assert!(audit.contains("admin@example.org"));

    // A section that does not exist: 422, the text kept, the reason in words.
    let csrf = csrf_in(&c.page("/admin/articles/new").await);
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("lang", "en"),
        ("title", "Lost section"),
        ("lead", "Kept lead"),
        ("body", "<p>Kept body</p>"),
        ("section", "999999"),
        ("publish_at", ""),
        ("action", "save"),
    ];
    let r = c.post("/admin/articles", &fields).await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("There is no section 999999") && text.contains("Kept body"), "{text}");

    // A save that does not name the version it started from cannot be checked for conflicts:
    // refused, the text kept.
    let (r, id) = write(&c, "Versioned", "save", "").await;
    assert_eq!(r.status(), 303);
    let id = id.unwrap();
    let csrf_edit = csrf_in(&c.page(&format!("/admin/articles/{id}")).await);
    let r = c
        .post(
            &format!("/admin/articles/{id}"),
            &[
                ("csrf", &csrf_edit),
                ("title", "Versioned"),
                ("lead", "L"),
                ("body", "<p>Unversioned text</p>"),
                ("section", "1"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("Unversioned text") && text.contains("which version"), "{text}");

    // A `next` with CR/LF at sign-in.
    let fresh = Client::new(&s);
    let login_csrf = csrf_in(&fresh.page("/admin/login").await);
    let r = fresh
        .post(
            "/admin/login",
            &[
                ("csrf", &login_csrf),
                ("email", "admin@example.org"),
                ("password", PASSWORD),
                ("next", "/admin\r\nSet-Cookie: x=1"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/admin");

    // A 3 MB form is read and answered with the editor, the text kept, and why it is too long
    // (texts are limited to 2 MB); a 9 MB one gets a page saying what to do, not bare text.
    let big = format!("<p>{}</p>", "word ".repeat(600_000));
    fields[5] = ("section", "1");
    fields[4] = ("body", &big);
    let r = c.post("/admin/articles", &fields).await;
    assert_eq!(r.status(), 422, "a 3 MB text is refused by the editor, not by the server");
    let text = r.text().await.unwrap();
    assert!(
        text.contains("word word word") && text.contains("2000000"),
        "the text is kept and the limit said"
    );
    let huge = format!("<p>{}</p>", "word ".repeat(1_900_000));
    fields[4] = ("body", &huge);
    let r = c.post("/admin/articles", &fields).await;
    assert_eq!(r.status(), 413);
    assert!(header(&r, "content-type").starts_with("text/html"), "a page, not bare text");
    assert!(r.text().await.unwrap().contains("your browser still has what you typed"));
    s.stop().await;
}

/// A broken feed is refused with the line and column of the fault.
#[test]
fn import_errors_name_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.rss");
    std::fs::write(
        &file,
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<item><title>x</titel></item>\n",
    )
    .unwrap();
    let site = crate::harness::test_site();
    let mut batch = newsdesk::io::Batch::default();
    let error = newsdesk::io::read_file(
        &file,
        &site,
        &newsdesk::io::ImportOptions::default(),
        jiff::Timestamp::now(),
        &mut batch,
    )
    .expect_err("a broken feed is refused")
    .to_string();
    assert!(error.contains("broken.rss: line 3, column"), "{error}");
}

on_both_backends!(
    writes_cut_at_every_await_point_leave_no_lock,
    dropped_saves_leave_every_write_working,
    parallel_guesses_are_counted_atomically,
    mistakes_are_never_server_errors,
);
