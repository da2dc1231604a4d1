//! What an operator sees of a running node: a request log line per request (cached pages
//! included) with its request id, in JSON when asked, and Prometheus metrics at `/metrics`,
//! at the site's address or only at a separate one. The real binary, over real HTTP.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Stops a server as an operator does (SIGTERM), so it shuts down gracefully and its log
/// writer writes out every line it holds, and waits for it.
pub fn stop(child: &mut Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.wait();
}

fn free_addr() -> String {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().to_string()
}

/// A node started with `env`, its stderr in `log`, answered once it is ready.
fn start(data: &std::path::Path, addr: &str, log: &std::path::Path, env: &[(&str, &str)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_newsdesk"));
    command
        .args(["--data", data.to_str().unwrap(), "serve", "--addr", addr])
        .env_remove("NEWSDESK_LOG")
        .env_remove("NEWSDESK_LOG_FORMAT")
        .env_remove("NEWSDESK_METRICS_ADDR")
        .stderr(std::fs::File::create(log).unwrap())
        .stdout(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    let child = command.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if get(&format!("http://{addr}/readyz")).is_some_and(|(status, _, _)| status == 200) {
            break;
        }
        assert!(Instant::now() < deadline, "the server never became ready");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

/// A plain HTTP/1.1 GET: status, the `x-request-id` header and the body.
fn get(url: &str) -> Option<(u16, Option<String>, String)> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://")?;
    let (addr, path) = rest.split_at(rest.find('/')?);
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let (head, body) = answer.split_once("\r\n\r\n")?;
    let status = head.lines().next()?.split_whitespace().nth(1)?.parse().ok()?;
    let id = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("x-request-id")))
        .map(|(_, v)| v.trim().to_string());
    Some((status, id, body.to_string()))
}

/// The value of one sample line of the metrics text (`name{labels} value`).
fn sample(text: &str, prefix: &str) -> Option<f64> {
    text.lines().find(|l| l.starts_with(prefix)).and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

#[test]
fn the_request_log_in_json_names_each_request_by_the_id_its_answer_carries() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, log) = (free_addr(), dir.path().join("server.log"));
    let mut child = start(&dir.path().join("data"), &addr, &log, &[("NEWSDESK_LOG_FORMAT", "json")]);
    let url = |p: &str| format!("http://{addr}{p}");
    let (status, first_id, _) = get(&url("/en/")).unwrap();
    assert_eq!(status, 200);
    let (status, second_id, _) = get(&url("/en/")).unwrap();
    assert_eq!(status, 200);
    let (first_id, second_id) = (first_id.expect("an x-request-id"), second_id.expect("an x-request-id"));
    assert_ne!(first_id, second_id, "every request has its own id");
    let (status, missing_id, _) = get(&url("/en/no-such-section")).unwrap();
    assert_eq!(status, 404);
    let missing_id = missing_id.unwrap();

    let (status, _, metrics) = get(&url("/metrics")).unwrap();
    assert_eq!(status, 200);
    assert!(
        sample(&metrics, "newsdesk_http_requests_total{route=\"/{lang}/\",method=\"GET\",status=\"200\"}")
            .is_some_and(|n| n >= 1.0),
        "the rendered home page is counted under its route: {metrics}"
    );
    assert!(
        sample(
            &metrics,
            "newsdesk_http_requests_total{route=\"(page cache)\",method=\"GET\",status=\"200\"}"
        )
        .is_some_and(|n| n >= 1.0),
        "the cached home page is counted too: {metrics}"
    );
    assert!(
        sample(
            &metrics,
            "newsdesk_http_requests_total{route=\"/{lang}/{section}\",method=\"GET\",status=\"404\"}"
        )
        .is_some_and(|n| n >= 1.0),
        "a 404 keeps its route: {metrics}"
    );
    assert!(sample(&metrics, "newsdesk_http_request_duration_seconds_count{route=\"/{lang}/\"}").is_some());
    assert!(sample(&metrics, "newsdesk_page_cache_hits_total").is_some_and(|n| n >= 1.0), "{metrics}");
    assert!(sample(&metrics, "newsdesk_page_cache_misses_total").is_some_and(|n| n >= 1.0), "{metrics}");
    assert!(sample(&metrics, "newsdesk_page_cache_size_bytes").is_some_and(|n| n > 0.0), "{metrics}");
    assert!(sample(&metrics, "newsdesk_process_resident_memory_bytes").is_some_and(|n| n > 1e6), "{metrics}");
    assert!(sample(&metrics, "newsdesk_follower_lag_seconds").is_some_and(|n| n < 5.0), "{metrics}");
    assert!(sample(&metrics, "newsdesk_database_pool_connections").is_some_and(|n| n >= 1.0), "{metrics}");
    assert!(sample(&metrics, "newsdesk_scheduler_runs_total").is_some_and(|n| n >= 1.0), "{metrics}");
    for name in [
        "newsdesk_timeline_articles",
        "newsdesk_search_index_documents",
        "newsdesk_page_cache_evictions_total",
    ] {
        assert!(sample(&metrics, name).is_some(), "{name} is there: {metrics}");
    }

    stop(&mut child);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(!text.contains('\u{1b}'), "no terminal colour codes in a file");
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not one JSON object per line ({e}): {l}"))
        })
        .collect();
    let access = |id: &str| {
        lines
            .iter()
            .find(|l| l["target"] == "newsdesk::access" && l["request_id"] == id)
            .unwrap_or_else(|| panic!("no request-log line for {id}: {text}"))
    };
    let rendered = access(&first_id);
    assert_eq!(rendered["method"], "GET");
    assert_eq!(rendered["path"], "/en/");
    assert_eq!(rendered["status"], 200);
    assert_eq!(rendered["cache"], "miss");
    assert!(rendered["bytes"].as_i64().is_some_and(|b| b > 500), "{rendered}");
    assert!(rendered["ms"].as_f64().is_some_and(|ms| ms > 0.0), "a number: {rendered}");
    assert_eq!(rendered["client"], "127.0.0.1");
    let cached = access(&second_id);
    assert_eq!(cached["cache"], "hit", "a page from the cache is logged too: {cached}");
    assert_eq!(cached["bytes"], rendered["bytes"]);
    let missing = access(&missing_id);
    assert_eq!(
        (missing["status"].as_i64(), missing["route"].as_str()),
        (Some(404), Some("/{lang}/{section}"))
    );
}

#[test]
fn metrics_on_a_separate_address_are_not_on_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let (addr, apart, log) = (free_addr(), free_addr(), dir.path().join("server.log"));
    let mut child =
        start(&dir.path().join("data"), &addr, &log, &[("NEWSDESK_METRICS_ADDR", apart.as_str())]);
    let on_site = get(&format!("http://{addr}/metrics")).unwrap();
    assert_eq!(on_site.0, 404, "the public address does not show the metrics");
    let mut scraped = None;
    let deadline = Instant::now() + Duration::from_secs(10);
    while scraped.is_none() && Instant::now() < deadline {
        scraped = get(&format!("http://{apart}/metrics")).filter(|(s, _, _)| *s == 200);
        std::thread::sleep(Duration::from_millis(50));
    }
    let (_, _, text) = scraped.expect("the metrics address answers");
    assert!(text.contains("newsdesk_http_requests_total"), "{text}");
    assert!(text.trim_end().ends_with("# EOF"));
    stop(&mut child);
}

/// A TCP relay to PostgreSQL that the test can cut and restore, to make a database outage.
struct Relay {
    port: u16,
    task: Option<tokio::task::JoinHandle<()>>,
    upstream: String,
}

impl Relay {
    async fn start(upstream: &str, port: u16) -> Relay {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let up = upstream.to_string();
        let task = tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            while let Ok((mut inbound, _)) = listener.accept().await {
                let up = up.clone();
                links.spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&up).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        Relay { port, task: Some(task), upstream: upstream.to_string() }
    }

    /// Drops the listener and every connection through it: the database is gone.
    fn cut(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }

    async fn restore(&mut self) {
        *self = Relay::start(&self.upstream, self.port).await;
    }
}

/// During a database outage a node says so once per job, then nothing more until a summary a
/// minute later, and says when it works again, instead of a warning every round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_is_logged_once_then_its_end() {
    let Some(db) = crate::harness::TestDb::new(crate::harness::Backend::Postgres).await else { return };
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (scheme_host, name) = db.url.rsplit_once('/').unwrap();
    let (_, upstream) = scheme_host.rsplit_once('@').unwrap();
    let mut relay = Relay::start(upstream, port).await;
    let via_relay = format!("postgres://postgres@127.0.0.1:{port}/{name}");
    let dir = tempfile::tempdir().unwrap();
    let (addr, log) = (free_addr(), dir.path().join("server.log"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["--data", dir.path().join("data").to_str().unwrap(), "--database-url", &via_relay])
        .args(["serve", "--addr", &addr])
        .env("NEWSDESK_LOG", "info,newsdesk::access=warn")
        .env_remove("NEWSDESK_LOG_FORMAT")
        .stderr(std::fs::File::create(&log).unwrap())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while get(&format!("http://{addr}/readyz")).is_none_or(|(s, _, _)| s != 200) {
        assert!(Instant::now() < deadline, "the server never became ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    relay.cut();
    // A query in flight fails at once; a new connection is given up on after the pool's
    // 10-second wait. Then the rounds keep failing (the follower every 250 ms, the scheduler
    // every 500 ms) and must stay quiet.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !std::fs::read_to_string(&log).unwrap().contains("failing; retrying quietly") {
        assert!(
            Instant::now() < deadline,
            "the outage is never reported: {}",
            std::fs::read_to_string(&log).unwrap()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(12)).await;
    let during = std::fs::read_to_string(&log).unwrap();
    let warnings = during.lines().filter(|l| l.contains(" WARN ")).count();
    assert!(warnings <= 6, "once per job, not once per round ({warnings} warnings): {during}");
    relay.restore().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(&log).unwrap();
        if text.contains("working again") {
            break;
        }
        assert!(Instant::now() < deadline, "the recovery is never reported: {text}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(get(&format!("http://{addr}/readyz")).map(|(s, _, _)| s), Some(200));
    stop(&mut child);
}
