//! Test harness: real databases (a SQLite file in a temp dir, or a fresh PostgreSQL database
//! per test) and the real server on an ephemeral port, reached over real HTTP.
//!
//! PostgreSQL tests connect to `NEWSDESK_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`, an account that may create databases); each test
//! creates its own database and drops it afterwards (set `NEWSDESK_TEST_KEEP_DB=1` to keep it
//! for debugging). When no server answers there, the PostgreSQL variants print a loud SKIPPED
//! line; under CI (`CI=true`) they fail instead.

use newsdesk::config::{RawSite, SiteConfig};
use newsdesk::domain::{Clock, SystemClock};
use newsdesk::storage::Store;
use newsdesk::web::AppState;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use tempfile::TempDir;
use tokio::sync::oneshot;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database for one test, removed when dropped.
pub struct TestDb {
    pub url: String,
    pub dir: TempDir,
    postgres: Option<(String, String)>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDb {
    /// A fresh database, or `None` (after saying so loudly) when PostgreSQL is not configured
    /// outside CI.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("newsdesk.db").display());
                Some(TestDb { url, dir, postgres: None })
            }
            Backend::Postgres => {
                let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
                let admin = std::env::var("NEWSDESK_TEST_POSTGRES_URL")
                    .ok()
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| DEFAULT_POSTGRES.to_string());
                if let Err(e) = try_connect_pg(&admin).await {
                    if in_ci {
                        panic!(
                            "CI=true but PostgreSQL is not reachable at {admin}: {e}; PostgreSQL tests must run in CI"
                        );
                    }
                    say_skipped(&format!(
                        "PostgreSQL test: no server at {admin} ({e}). Start one or set NEWSDESK_TEST_POSTGRES_URL to run it."
                    ));
                    return None;
                }
                let name = format!(
                    "newsdesk_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    jiff::Timestamp::now().as_nanosecond() % 1_000_000
                );
                let mut conn = connect_pg(&admin).await;
                sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("create test database");
                let url = replace_db(&admin, &name);
                Some(TestDb { url, dir, postgres: Some((admin, name)) })
            }
        }
    }

    /// Another node's view of an existing database: its own data directory (search index,
    /// media), the same database, which it does not drop.
    pub fn shared(url: String) -> TestDb {
        TestDb { url, dir: tempfile::tempdir().expect("temp dir"), postgres: None }
    }

    pub fn data_dir(&self) -> &Path {
        self.dir.path()
    }
}

/// Says loudly that a test was skipped and why, on the process's real stderr: libtest
/// captures `eprintln!` of a passing test, so a skip printed that way would show only as `ok`
/// in a plain `cargo test`. Written directly, the line appears in the run's output.
pub fn say_skipped(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "\n*** SKIPPED: {message} ***\n");
}

/// Where PostgreSQL tests look when `NEWSDESK_TEST_POSTGRES_URL` is not set.
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";

async fn try_connect_pg(url: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let conn = sqlx::PgConnection::connect(url).await?;
    conn.close().await
}

async fn connect_pg(url: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL at {url}: {e}"))
}

/// The same URL with another database name.
fn replace_db(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let slash = base.rfind('/').filter(|i| *i > "postgres://".len()).unwrap_or(base.len());
    let mut out = format!("{}/{db}", &base[..slash]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else { return };
        if std::env::var("NEWSDESK_TEST_KEEP_DB").is_ok() {
            eprintln!("keeping test database {name}");
            return;
        }
        // Drop runs inside the test's runtime; do the async cleanup on a thread of its own.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                let mut conn = connect_pg(&admin).await;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = sqlx::Executor::execute(&mut conn, sql.as_str()).await;
            });
        })
        .join();
    }
}

/// The site settings tests use: small pages so pagination shows with little data.
pub fn test_site() -> SiteConfig {
    RawSite { base_url: Some("https://news.test.example".into()), page_size: Some(5), ..RawSite::default() }
        .validate()
        .expect("valid test settings")
}

/// A running server on a real port, with its database.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    /// Kept so the database lives as long as the server.
    #[allow(dead_code)]
    pub db: TestDb,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server on an empty site; `None` when the backend is skipped.
    pub async fn start(backend: Backend) -> Option<TestServer> {
        let db = TestDb::new(backend).await?;
        Some(Self::start_on(db, Arc::new(SystemClock)).await)
    }

    /// Starts a server with the fixture site (`tests/fixtures/site.jsonl`) imported.
    pub async fn with_fixture(backend: Backend) -> Option<TestServer> {
        let server = Self::start(backend).await?;
        server.import(&[fixture("site.jsonl")]).await;
        Some(server)
    }

    pub async fn start_on(db: TestDb, clock: Arc<dyn Clock>) -> TestServer {
        Self::start_with(db, clock, test_site()).await
    }

    /// Starts a server with settings of the test's own.
    pub async fn start_with(db: TestDb, clock: Arc<dyn Clock>, site: SiteConfig) -> TestServer {
        let store = Store::open(&db.url).await.expect("open store");
        let state = newsdesk::server::state(store, site, clock, db.data_dir()).expect("templates");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = oneshot::channel::<()>();
        let run_state = state.clone();
        let handle = tokio::spawn(async move {
            newsdesk::server::run(run_state, listener, async {
                let _ = rx.await;
            })
            .await
            .expect("server");
        });
        let client =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        let server = TestServer { base, client, state, db, shutdown: Some(tx), handle: Some(handle) };
        let health = server.get("/healthz").await;
        assert_eq!(health.status(), 200, "server did not become healthy");
        // Ready once its search index is built (at once for an empty site): a readiness probe
        // that never turns 200, or says so before search works, fails here.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let ready = server.get("/readyz").await;
            if ready.status() == 200 {
                break;
            }
            assert_eq!(ready.status(), 503, "/readyz answers 200 or 503");
            assert!(ready.headers().contains_key("retry-after"), "a 503 from /readyz says when to retry");
            assert!(std::time::Instant::now() < deadline, "the server never became ready");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        server
    }

    /// Imports files through the same code path as `newsdesk import`.
    pub async fn import(&self, files: &[PathBuf]) {
        newsdesk::io::import_files(
            &self.state.store,
            &self.state.site,
            &SystemClock,
            files,
            &newsdesk::io::ImportOptions::default(),
        )
        .await
        .expect("fixture import");
        self.wait_followed().await;
    }

    /// Waits until this node has applied every change in the log (the search index, the
    /// listing and the page cache follow writes made elsewhere within a poll or two).
    pub async fn wait_followed(&self) {
        let latest = self.state.store.latest_change().await.expect("change log");
        let started = std::time::Instant::now();
        while self.state.read_models.followed() < latest {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "the node did not follow the log"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect("request")
    }

    /// GETs a page that must answer 200 and returns its text.
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        let status = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(status, 200, "GET {path} answered {status}:\n{text}");
        text
    }

    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
        self.state.store.close().await;
    }
}

/// Path of a file under `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Runs a test function on both backends, as `NAME::sqlite` and `NAME::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::harness::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::harness::Backend::Postgres).await
            }
        }
    )*};
}

/// Text between the first occurrence of `start` and the following `end`.
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("{start:?} not found in:\n{text}")) + start.len();
    let to = text[from..].find(end).map(|i| from + i).unwrap_or(text.len());
    &text[from..to]
}
