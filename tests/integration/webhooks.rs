//! Webhooks end to end: changes written to the log reach a real receiver (a small HTTP server
//! on 127.0.0.1 inside the test) as signed POSTs; a receiver that is down for a while gets
//! everything in order once it is back, each retry under the same `webhook-id`; a day of
//! failures marks the subscription failing until it is re-enabled; internal addresses are
//! refused unless allowed; two nodes on one database deliver each event once.
//!
//! Signatures are checked here with `hmac` and `sha2` directly, not with Newsdesk's signing code.

use crate::admin::{make_user, sign_in};
use crate::harness::{Backend, TestDb, TestServer, test_site};
use crate::on_both_backends;
use crate::session::csrf_in;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use jiff::{SignedDuration, Timestamp};
use newsdesk::config::{SiteConfig, WebhookSettings};
use newsdesk::domain::user::Role;
use newsdesk::domain::{Clock, FixedClock, SystemClock};
use newsdesk::webhooks::{self, WebhookError};
use serde_json::Value;
use sha2::Sha256;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request the receiver got.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    content_type: String,
    body: String,
    /// What the receiver answered.
    status: u16,
}

impl Received {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    fn change_id(&self) -> i64 {
        self.json()["data"]["change_id"].as_i64().expect("change_id")
    }
}

/// A webhook receiver on 127.0.0.1: records every request, answers 503 to the first
/// `fail_first` ones (or to all while `down`), 200 otherwise.
#[derive(Clone, Default)]
struct Receiver {
    log: Arc<Mutex<Vec<Received>>>,
    fail_first: Arc<AtomicUsize>,
    down: Arc<AtomicBool>,
}

impl Receiver {
    async fn start() -> (Receiver, String) {
        let receiver = Receiver::default();
        let app =
            axum::Router::new().route("/hook", axum::routing::post(receive)).with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (receiver, url)
    }

    fn all(&self) -> Vec<Received> {
        self.log.lock().unwrap().clone()
    }

    fn accepted(&self) -> Vec<Received> {
        self.all().into_iter().filter(|r| r.status == 200).collect()
    }
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: String) -> StatusCode {
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let failing = r.down.load(Ordering::SeqCst)
        || r.fail_first.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
    let status = if failing { StatusCode::SERVICE_UNAVAILABLE } else { StatusCode::OK };
    r.log.lock().unwrap().push(Received {
        id: h("webhook-id"),
        timestamp: h("webhook-timestamp"),
        signature: h("webhook-signature"),
        content_type: h("content-type"),
        body,
        status: status.as_u16(),
    });
    status
}

/// Checks a request's signature the way a receiver would, from the specification.
fn signed_with(secret: &str, r: &Received) -> bool {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").expect("whsec_ prefix")).expect("base64 key");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", r.id, r.timestamp, r.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    r.signature.split(' ').any(|s| s == expected)
}

/// Test settings with private targets allowed (the receiver is on 127.0.0.1).
fn site_allowing_private() -> SiteConfig {
    let mut site = test_site();
    site.webhooks.allow_private_targets = true;
    site
}

async fn start(backend: Backend, clock: Arc<dyn Clock>, site: SiteConfig) -> Option<TestServer> {
    let db = TestDb::new(backend).await?;
    let s = TestServer::start_with(db, clock, site).await;
    s.import(&[crate::harness::fixture("site.jsonl")]).await;
    Some(s)
}

/// Writes to the change log directly, as the editorial core does.
enum Log {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Log {
    async fn open(url: &str) -> Log {
        if url.starts_with("sqlite:") {
            Log::Sqlite(sqlx::SqlitePool::connect(url).await.expect("connect"))
        } else {
            Log::Postgres(sqlx::PgPool::connect(url).await.expect("connect"))
        }
    }

    /// Logs a change; returns its id.
    async fn change(&self, kind: &str, article_id: i64, before: &str, after: &str, public: bool) -> i64 {
        const SQL: &str = "INSERT INTO changes (article_id, kind, at, status_before, status_after, public, lang) \
                           VALUES ($1, $2, $3, $4, $5, $6, 'en') RETURNING id";
        let at = Timestamp::now().as_second();
        let public = i64::from(public);
        match self {
            Log::Sqlite(p) => sqlx::query_scalar(SQL)
                .bind(article_id)
                .bind(kind)
                .bind(at)
                .bind(before)
                .bind(after)
                .bind(public)
                .fetch_one(p)
                .await
                .expect("log a change"),
            Log::Postgres(p) => sqlx::query_scalar(SQL)
                .bind(article_id)
                .bind(kind)
                .bind(at)
                .bind(before)
                .bind(after)
                .bind(public)
                .fetch_one(p)
                .await
                .expect("log a change"),
        }
    }

    async fn section_change(&self, section_id: i64) -> i64 {
        const SQL: &str = "INSERT INTO changes (article_id, kind, at, section_id) VALUES (NULL, 'section', $1, $2) RETURNING id";
        let at = Timestamp::now().as_second();
        match self {
            Log::Sqlite(p) => sqlx::query_scalar(SQL).bind(at).bind(section_id).fetch_one(p).await.unwrap(),
            Log::Postgres(p) => sqlx::query_scalar(SQL).bind(at).bind(section_id).fetch_one(p).await.unwrap(),
        }
    }
}

/// Published articles of the fixture site.
async fn articles(s: &TestServer) -> Vec<newsdesk::domain::Article> {
    s.state.store.published_articles_after(0, 10).await.unwrap()
}

fn names(events: &[&str]) -> Vec<String> {
    events.iter().map(|e| e.to_string()).collect()
}

/// Polls `done` every 50 ms until it holds or `limit` passes; `tick` runs before each poll
/// (to move a test clock).
async fn wait_until(what: &str, limit: Duration, mut tick: impl FnMut(), mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        tick();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Events written to the change log reach the receiver, signed, in log order, with the
/// article's public URL; changes that concern no subscribed event send nothing.
async fn signed_deliveries_reach_the_receiver(backend: Backend) {
    let Some(s) = start(backend, Arc::new(SystemClock), site_allowing_private()).await else { return };
    let (receiver, url) = Receiver::start().await;
    let events = names(&["article.published", "article.updated", "section.changed"]);
    let (subscription, secret) =
        webhooks::subscribe(&s.state.store, &s.state.site.webhooks, &url, &events, 1, Timestamp::now())
            .await
            .expect("subscribe");
    assert!(subscription.active && !subscription.failing);
    assert_eq!(subscription.events, events);
    let a = &articles(&s).await[0];
    let log = Log::open(&s.db.url).await;
    let published = log.change("published", a.id, "draft", "published", true).await;
    log.change("updated", a.id, "draft", "draft", false).await; // not public: no event
    let updated = log.change("updated", a.id, "published", "published", true).await;
    log.change("unpublished", a.id, "published", "draft", true).await; // not subscribed
    log.change("scheduled", a.id, "draft", "scheduled", false).await; // never an event
    let section = log.section_change(a.section_id).await;
    wait_until("three deliveries arrived", Duration::from_secs(20), || {}, || receiver.all().len() >= 3)
        .await;
    let got = receiver.all();
    assert_eq!(got.iter().map(Received::change_id).collect::<Vec<_>>(), [published, updated, section]);
    let now = Timestamp::now().as_second();
    for r in &got {
        assert!(signed_with(&secret, r), "signature of {r:?}");
        assert!(!signed_with("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", r), "another secret does not verify");
        assert_eq!(r.content_type, "application/json");
        assert!(r.id.starts_with("msg_"), "{}", r.id);
        let ts: i64 = r.timestamp.parse().expect("unix seconds");
        assert!((now - ts).abs() < 60, "timestamp {ts} is now");
    }
    let first = got[0].json();
    assert_eq!(first["type"], "article.published");
    assert_eq!(first["data"]["id"], a.id);
    assert_eq!(first["data"]["title"], a.title.as_str());
    assert_eq!(first["data"]["lang"], "en");
    let expected_url =
        format!("https://news.test.example/en/{}/{}", first["data"]["section"].as_str().unwrap(), a.slug);
    assert_eq!(first["data"]["url"], expected_url.as_str());
    assert!(first["timestamp"].as_str().unwrap().ends_with('Z'), "RFC 3339: {first}");
    assert_eq!(got[1].json()["type"], "article.updated");
    let third = got[2].json();
    assert_eq!(third["type"], "section.changed");
    assert_eq!(third["data"]["id"], a.section_id);
    // Nothing else follows.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(receiver.all().len(), 3, "{:?}", receiver.all());
    s.stop().await;
}

/// A receiver that answers 503 for a while gets every event once it is back, in order; each
/// retry carries the same `webhook-id` and a fresh timestamp. The clock is moved, not waited for.
async fn a_receiver_that_was_down_gets_everything_in_order(backend: Backend) {
    let start_time = Timestamp::now();
    let clock = Arc::new(FixedClock::new(start_time));
    let Some(s) = start(backend, clock.clone(), site_allowing_private()).await else { return };
    let (receiver, url) = Receiver::start().await;
    receiver.fail_first.store(3, Ordering::SeqCst);
    let (_, secret) = webhooks::subscribe(
        &s.state.store,
        &s.state.site.webhooks,
        &url,
        &names(&["article.published"]),
        1,
        clock.now(),
    )
    .await
    .unwrap();
    let list = articles(&s).await;
    let log = Log::open(&s.db.url).await;
    let mut ids = Vec::new();
    for a in list.iter().take(3) {
        ids.push(log.change("published", a.id, "draft", "published", true).await);
    }
    wait_until("the first attempt", Duration::from_secs(20), || {}, || !receiver.all().is_empty()).await;
    // Each poll moves the clock a minute: the retries (5 s, 30 s, 2 min) come due one by one.
    let mut minutes = 0;
    wait_until(
        "every event was accepted",
        Duration::from_secs(60),
        || {
            minutes += 1;
            clock.set(start_time + SignedDuration::from_mins(minutes));
        },
        || receiver.accepted().len() >= 3,
    )
    .await;
    let all = receiver.all();
    assert_eq!(all.len(), 6, "three failures, then three successes: {all:?}");
    assert!(all[..3].iter().all(|r| r.status == 503 && r.change_id() == ids[0]), "{all:?}");
    assert_eq!(all[3..].iter().map(Received::change_id).collect::<Vec<_>>(), ids, "in order");
    assert!(all[..4].iter().all(|r| r.id == all[0].id), "retries keep the webhook-id");
    assert!(all[3].id != all[4].id && all[4].id != all[5].id, "each delivery has its own webhook-id");
    let stamps: Vec<&str> = all[..4].iter().map(|r| r.timestamp.as_str()).collect();
    assert!(stamps.windows(2).all(|w| w[0] < w[1]), "each attempt is stamped anew: {stamps:?}");
    assert!(all.iter().all(|r| signed_with(&secret, r)));
    // The delivery log says so too.
    // The receiver may hold the last request a moment before the worker records its answer.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let subscription = loop {
        let subscription = s.state.store.webhook_overview().await.unwrap().remove(0);
        if subscription.pending == 0 || std::time::Instant::now() > deadline {
            break subscription;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(subscription.pending, 0);
    let deliveries = s.state.store.webhook_deliveries(subscription.subscription.id, 10).await.unwrap();
    let first = deliveries.iter().find(|d| d.change_id == ids[0]).unwrap();
    assert_eq!((first.attempts, first.last_status, first.delivered_at.is_some()), (4, Some(200), true));
    s.stop().await;
}

/// A day of failures marks the subscription failing; nothing more is tried until an admin
/// re-enables it, and then the waiting deliveries go out, oldest first.
async fn a_day_of_failures_needs_an_admin(backend: Backend) {
    let start_time = Timestamp::now();
    let clock = Arc::new(FixedClock::new(start_time));
    let Some(s) = start(backend, clock.clone(), site_allowing_private()).await else { return };
    let (receiver, url) = Receiver::start().await;
    receiver.down.store(true, Ordering::SeqCst);
    let (subscription, _) = webhooks::subscribe(
        &s.state.store,
        &s.state.site.webhooks,
        &url,
        &names(&["article.published", "article.unpublished"]),
        1,
        clock.now(),
    )
    .await
    .unwrap();
    let a = &articles(&s).await[0];
    let log = Log::open(&s.db.url).await;
    let first = log.change("published", a.id, "draft", "published", true).await;
    let second = log.change("unpublished", a.id, "published", "draft", true).await;
    wait_until("the first attempt", Duration::from_secs(20), || {}, || !receiver.all().is_empty()).await;
    let mut step = 0;
    let store = s.state.store.clone();
    let failing = Arc::new(AtomicBool::new(false));
    let probe = failing.clone();
    let watcher = tokio::spawn(async move {
        loop {
            if store.webhook_subscription(subscription.id).await.unwrap().unwrap().failing {
                probe.store(true, Ordering::SeqCst);
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    // Each poll moves the clock an hour: about a day of retries in a few seconds.
    wait_until(
        "the subscription is failing",
        Duration::from_secs(90),
        || {
            step += 1;
            clock.set(start_time + SignedDuration::from_hours(step));
        },
        || failing.load(Ordering::SeqCst),
    )
    .await;
    watcher.await.unwrap();
    let tried = receiver.all();
    assert_eq!(tried.len() as i64, webhooks::retry::MAX_ATTEMPTS, "{tried:?}");
    assert!(tried.iter().all(|r| r.change_id() == first), "the second waits behind the first");
    let overview = s.state.store.webhook_overview().await.unwrap().remove(0);
    assert!(overview.subscription.failing && !overview.subscription.active);
    assert_eq!((overview.pending, overview.last_status), (2, Some(503)));
    // Failing: days pass and nothing is tried.
    clock.set(start_time + SignedDuration::from_hours(72));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(receiver.all().len(), tried.len());
    // The receiver is back and an admin re-enables the subscription in the back office.
    receiver.down.store(false, Ordering::SeqCst);
    make_user(&s, "admin@example.org", Role::Admin).await;
    let admin = sign_in(&s, "admin@example.org").await;
    let page = admin.page("/admin/webhooks").await;
    assert!(page.contains("failing") && page.contains("Re-enable"), "{page}");
    let r = admin
        .post(&format!("/admin/webhooks/{}/enable", subscription.id), &[("csrf", &csrf_in(&page))])
        .await;
    assert_eq!(r.status(), 303);
    wait_until("both were accepted", Duration::from_secs(20), || {}, || receiver.accepted().len() >= 2).await;
    assert_eq!(receiver.accepted().iter().map(Received::change_id).collect::<Vec<_>>(), [first, second]);
    let log_page = admin.page(&format!("/admin/webhooks/{}", subscription.id)).await;
    assert!(log_page.contains(&format!("msg_{}_{first}", subscription.id)), "{log_page}");
    assert!(log_page.contains("article.unpublished") && log_page.contains("200"), "{log_page}");
    s.stop().await;
}

/// Without the setting, internal addresses are refused when subscribing (through the API
/// function and the form) and again when delivering, where a stored URL that leads to one
/// (as a name could after a DNS change) is not called.
async fn internal_targets_are_refused_unless_allowed(backend: Backend) {
    let Some(s) = start(backend, Arc::new(SystemClock), test_site()).await else { return };
    assert_eq!(s.state.site.webhooks, WebhookSettings { allow_private_targets: false });
    let (receiver, url) = Receiver::start().await;
    let events = names(&["article.published"]);
    let port = url.split(':').nth(2).unwrap().split('/').next().unwrap().to_string();
    for target in [
        url.clone(),
        format!("http://localhost:{port}/hook"),
        format!("http://[::1]:{port}/hook"),
        "http://169.254.169.254/latest/meta-data".into(),
        "http://10.1.2.3/".into(),
    ] {
        match webhooks::subscribe(
            &s.state.store,
            &s.state.site.webhooks,
            &target,
            &events,
            1,
            Timestamp::now(),
        )
        .await
        {
            Err(WebhookError::Invalid { field: "url", message_key: "webhooks_url_internal", .. }) => {}
            other => panic!("{target}: {other:?}"),
        }
    }
    match webhooks::subscribe(
        &s.state.store,
        &s.state.site.webhooks,
        "ftp://x.example/",
        &events,
        1,
        Timestamp::now(),
    )
    .await
    {
        Err(WebhookError::Invalid { field: "url", message_key: "webhooks_bad_url", .. }) => {}
        other => panic!("{other:?}"),
    }
    // The form says why, in the person's language, and keeps what they typed.
    make_user(&s, "admin@example.org", Role::Admin).await;
    let admin = sign_in(&s, "admin@example.org").await;
    let page = admin.page("/admin/webhooks").await;
    let r = admin
        .post("/admin/webhooks", &[("csrf", &csrf_in(&page)), ("url", &url), ("events", "article.published")])
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("internal or private network address"), "{html}");
    assert!(html.contains(&format!("value=\"{url}\"")), "the URL stays in the form");
    assert!(s.state.store.webhook_overview().await.unwrap().is_empty());
    // A subscription stored earlier (or when the name still led elsewhere) is not called.
    let sub = s
        .state
        .store
        .create_webhook_subscription(
            &format!("http://localhost:{port}/hook"),
            &events,
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            None,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let log = Log::open(&s.db.url).await;
    log.change("published", articles(&s).await[0].id, "draft", "published", true).await;
    let store = s.state.store.clone();
    let deadline = Instant::now() + Duration::from_secs(20);
    let error = loop {
        let d = store.webhook_deliveries(sub.id, 1).await.unwrap();
        if let Some(e) = d.first().and_then(|d| d.last_error.clone()) {
            break e;
        }
        assert!(Instant::now() < deadline, "no attempt was recorded");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(error.contains("internal address"), "{error}");
    assert!(receiver.all().is_empty(), "the receiver was never called");
    s.stop().await;
}

/// The back office: admins only; a new subscription's secret is shown once; deleting removes it.
async fn the_back_office_manages_subscriptions(backend: Backend) {
    let Some(s) = start(backend, Arc::new(SystemClock), site_allowing_private()).await else { return };
    let (receiver, url) = Receiver::start().await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    make_user(&s, "admin@example.org", Role::Admin).await;
    let editor = sign_in(&s, "editor@example.org").await;
    assert_eq!(editor.get("/admin/webhooks").await.status(), 403);
    assert!(!editor.page("/admin").await.contains("/admin/webhooks"), "no menu entry for editors");
    let admin = sign_in(&s, "admin@example.org").await;
    let page = admin.page("/admin/webhooks").await;
    assert!(page.contains("href=\"/admin/webhooks\" aria-current=\"page\""), "{page}");
    let csrf = csrf_in(&page);
    let r = admin.post("/admin/webhooks", &[("csrf", &csrf), ("url", &url)]).await;
    assert_eq!(r.status(), 422, "at least one event");
    let r = admin
        .post(
            "/admin/webhooks",
            &[("csrf", &csrf), ("url", &url), ("events", "article.published"), ("events", "article.deleted")],
        )
        .await;
    assert_eq!(r.status(), 201);
    let html = r.text().await.unwrap();
    let secret = crate::harness::between(&html, "<code>whsec_", "</code>");
    let secret = format!("whsec_{secret}");
    assert!(html.contains(&url) && html.contains("Published article deleted"), "{html}");
    assert!(!admin.page("/admin/webhooks").await.contains(&secret), "the secret is shown once");
    let a = &articles(&s).await[0];
    let log = Log::open(&s.db.url).await;
    log.change("trashed", a.id, "published", "published", true).await;
    wait_until("the delivery", Duration::from_secs(20), || {}, || receiver.accepted().len() == 1).await;
    let got = &receiver.accepted()[0];
    assert!(signed_with(&secret, got));
    assert_eq!(got.json()["type"], "article.deleted");
    let id = s.state.store.webhook_overview().await.unwrap()[0].subscription.id;
    let ru = {
        let mut c = sign_in(&s, "admin@example.org").await;
        c.lang = "ru";
        c.page(&format!("/admin/webhooks/{id}")).await
    };
    assert!(ru.contains("Доставки вебхука") && ru.contains("article.deleted"), "{ru}");
    let r = admin.post(&format!("/admin/webhooks/{id}/delete"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 303);
    assert!(s.state.store.webhook_overview().await.unwrap().is_empty());
    assert_eq!(admin.get(&format!("/admin/webhooks/{id}")).await.status(), 404);
    let audit = admin.page("/admin/audit?action=webhook").await;
    assert!(audit.contains("webhook.create") && audit.contains("webhook.delete"), "{audit}");
    s.stop().await;
}

/// Two nodes on one database: one delivers, each event arrives once, also from changes written
/// at once from many connections; when the delivering node stops, the other takes over.
async fn two_nodes_deliver_each_event_once(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let url_db = db.url.clone();
    let a = TestServer::start_with(
        TestDb::shared(url_db.clone()),
        Arc::new(SystemClock),
        site_allowing_private(),
    )
    .await;
    a.import(&[crate::harness::fixture("site.jsonl")]).await;
    let b = TestServer::start_with(
        TestDb::shared(url_db.clone()),
        Arc::new(SystemClock),
        site_allowing_private(),
    )
    .await;
    let (receiver, url) = Receiver::start().await;
    let (_, secret) = webhooks::subscribe(
        &a.state.store,
        &a.state.site.webhooks,
        &url,
        &names(&["article.updated"]),
        1,
        Timestamp::now(),
    )
    .await
    .unwrap();
    let article = articles(&a).await[0].id;
    let log = Arc::new(Log::open(&url_db).await);
    let writers: Vec<_> = (0..20)
        .map(|_| {
            let log = log.clone();
            tokio::spawn(async move { log.change("updated", article, "published", "published", true).await })
        })
        .collect();
    let mut ids = Vec::new();
    for w in writers {
        ids.push(w.await.unwrap());
    }
    ids.sort_unstable();
    wait_until("twenty deliveries", Duration::from_secs(30), || {}, || receiver.all().len() >= 20).await;
    // The other node keeps asking for the lease meanwhile; give it rounds to misbehave.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut got: Vec<i64> = receiver.all().iter().map(Received::change_id).collect();
    got.sort_unstable();
    assert_eq!(got, ids, "each event exactly once");
    assert!(receiver.all().iter().all(|r| signed_with(&secret, r)));
    // One node stops (it gives up the lease if it held it); the other delivers what follows.
    a.stop().await;
    let more = log.change("updated", article, "published", "published", true).await;
    wait_until("the delivery after the stop", Duration::from_secs(30), || {}, || receiver.all().len() >= 21)
        .await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let all = receiver.all();
    assert_eq!(all.len(), 21, "{all:?}");
    assert_eq!(all[20].change_id(), more);
    b.stop().await;
    drop(db);
}

on_both_backends!(
    signed_deliveries_reach_the_receiver,
    a_receiver_that_was_down_gets_everything_in_order,
    a_day_of_failures_needs_an_admin,
    internal_targets_are_refused_unless_allowed,
    the_back_office_manages_subscriptions,
    two_nodes_deliver_each_event_once,
);
