//! Three real `newsdesk serve` processes on one PostgreSQL database behind a real HAProxy
//! (Debian's `haproxy`): readers keep being served while a node is killed under load, a
//! signed-in editor stays signed in whichever node answers, and the nodes see each client's
//! own address through the trusted proxy.

use crate::harness::{Backend, TestDb, say_skipped};
use newsdesk::domain::user::Role;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const HAPROXY: &str = "/usr/sbin/haproxy";
/// Readers hammering the load balancer at once; a node killed mid-request can fail at most
/// the requests it was holding.
const READERS: usize = 8;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A child process killed when dropped, so a failing test leaves nothing running.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_node(db_url: &str, data: &std::path::Path, port: u16) -> Running {
    let child = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["--data", data.to_str().unwrap(), "--database-url", db_url, "serve", "--addr"])
        .arg(format!("127.0.0.1:{port}"))
        .env("NEWSDESK_LOG", "warn")
        .env("NEWSDESK_TRUSTED_PROXIES", "127.0.0.1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a node");
    Running(child)
}

fn haproxy_config(front: u16, nodes: &[u16]) -> String {
    let mut cfg = format!(
        "global\n  maxconn 512\n\ndefaults\n  mode http\n  timeout connect 500ms\n  timeout client 10s\n  \
         timeout server 10s\n  retries 3\n  option redispatch 1\n  retry-on all-retryable-errors\n  \
         option forwardfor\n\nfrontend readers\n  bind 127.0.0.1:{front}\n  default_backend nodes\n\n\
         backend nodes\n  balance roundrobin\n  option httpchk GET /readyz\n"
    );
    for (i, port) in nodes.iter().enumerate() {
        cfg.push_str(&format!("  server n{i} 127.0.0.1:{port} check inter 200ms fall 1 rise 1\n"));
    }
    cfg
}

async fn wait_for(client: &reqwest::Client, url: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client.get(url).send().await
            && r.status() == 200
        {
            return;
        }
        assert!(Instant::now() < deadline, "{what} never became ready at {url}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The cookies a response sets, as `name=value` pairs.
fn cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
        .filter(|c| !c.ends_with('='))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_killed_behind_the_load_balancer_costs_readers_nothing() {
    if !std::path::Path::new(HAPROXY).exists() {
        say_skipped(&format!(
            "load balancer test: {HAPROXY} not installed (apt-get install haproxy; .ci/run does)"
        ));
        return;
    }
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    // Schema, an editor and some news, written before the nodes start.
    let store = newsdesk::storage::Store::open(&db.url).await.unwrap();
    let hash = newsdesk::accounts::hash_password(crate::admin::PASSWORD).unwrap();
    store
        .create_user("editor@example.org", "Editor", Role::Editor, Some(&hash), jiff::Timestamp::now())
        .await
        .unwrap();
    store.close().await;

    let ports: Vec<u16> = (0..3).map(|_| free_port()).collect();
    let mut nodes: Vec<Option<Running>> = ports
        .iter()
        .enumerate()
        .map(|(i, port)| {
            let data = db.dir.path().join(format!("node{i}"));
            Some(start_node(&db.url, &data, *port))
        })
        .collect();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    for port in &ports {
        wait_for(&client, &format!("http://127.0.0.1:{port}/readyz"), "a node").await;
    }
    let front = free_port();
    let cfg_path = db.dir.path().join("haproxy.cfg");
    std::fs::write(&cfg_path, haproxy_config(front, &ports)).unwrap();
    let _haproxy = Running(
        Command::new(HAPROXY)
            .args(["-db", "-f", cfg_path.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start haproxy"),
    );
    let base = format!("http://127.0.0.1:{front}");
    wait_for(&client, &format!("{base}/readyz"), "the load balancer").await;

    // An editor signs in through the load balancer.
    let login = client.get(format!("{base}/admin/login")).send().await.unwrap();
    let mut jar = cookies(&login);
    let page = login.text().await.unwrap();
    let csrf = crate::session::csrf_in(&page);
    let r = client
        .post(format!("{base}/admin/login"))
        .header("cookie", jar.join("; "))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "editor@example.org"),
            ("password", crate::admin::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "signed in through the load balancer");
    jar.extend(cookies(&r));
    let session = jar.join("; ");

    // Readers hammer the site while a node is killed.
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(4);
    let mut readers = Vec::new();
    for n in 0..READERS {
        let (client, base, ok, failed) = (client.clone(), base.clone(), ok.clone(), failed.clone());
        readers.push(tokio::spawn(async move {
            let paths = ["/en/", "/en/archive", "/ru/", "/en/search?q=news", "/en/feed.xml"];
            let mut i = n;
            while Instant::now() < until {
                let path = paths[i % paths.len()];
                i += 1;
                match client.get(format!("{base}{path}")).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(nodes[0].take());
    for r in readers {
        r.await.unwrap();
    }
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    assert!(ok > 200, "readers were served: {ok} answers");
    assert!(
        failed <= READERS as u64,
        "at most the requests in flight on the killed node may fail: {failed} of {}",
        ok + failed
    );

    // The editor is still signed in, whichever of the remaining nodes answers.
    for _ in 0..6 {
        let r = client.get(format!("{base}/admin")).header("cookie", &session).send().await.unwrap();
        assert_eq!(r.status(), 200, "still signed in after a node died");
    }
    // The nodes saw the client's address from the load balancer's X-Forwarded-For (the
    // sign-in is audited with it, not with an address of the proxy's choosing).
    let store = newsdesk::storage::Store::open(&db.url).await.unwrap();
    let audit = store.audit_log(Some("login"), None, 10).await.unwrap();
    assert!(audit.iter().any(|e| e.address == "127.0.0.1"), "{audit:?}");
    store.close().await;
    drop(nodes);
}

/// `newsdesk` on the test database with a data directory; its output, checked for success.
fn newsdesk(db_url: &str, data: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["--data", data.to_str().unwrap(), "--database-url", db_url])
        .args(args)
        .env("NEWSDESK_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_node_starts_from_a_copy_of_a_serving_nodes_search_index() {
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let dirs = tempfile::tempdir().unwrap();
    let (a_dir, b_dir, copy) = (dirs.path().join("a"), dirs.path().join("b"), dirs.path().join("copy"));
    newsdesk(&db.url, &a_dir, &["demo"]);
    let client = reqwest::Client::new();
    let a_port = free_port();
    let _a = start_node(&db.url, &a_dir, a_port);
    wait_for(&client, &format!("http://127.0.0.1:{a_port}/readyz"), "node A").await;

    // Copied while node A serves, then the site moves on: an article published after the copy.
    let said = newsdesk(&db.url, &a_dir, &["copy-index", "--out", copy.to_str().unwrap()]);
    assert!(said.contains("the search index ("), "{said}");
    let refused = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["--data", a_dir.to_str().unwrap(), "copy-index", "--out", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is not empty"), "a copy never overwrites");
    let later = dirs.path().join("later.jsonl");
    let published = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(5);
    std::fs::write(
        &later,
        format!(
            "{{\"title\":\"Harbour pilots rehearse a night rescue\",\"published_at\":\"{published}\",\
             \"lang\":\"en\",\"section\":\"news\",\"lead\":\"After the copy.\",\"body_html\":\"<p>After the copy.</p>\"}}\n"
        ),
    )
    .unwrap();
    newsdesk(&db.url, &a_dir, &["import", later.to_str().unwrap()]);

    // Node B starts from the copy: it catches up on the change log instead of indexing again.
    std::fs::create_dir_all(&b_dir).unwrap();
    std::fs::rename(&copy, b_dir.join("search")).unwrap();
    let b_port = free_port();
    let log = dirs.path().join("b.log");
    let _b = Running(
        Command::new(env!("CARGO_BIN_EXE_newsdesk"))
            .args(["--data", b_dir.to_str().unwrap(), "--database-url", &db.url, "serve", "--addr"])
            .arg(format!("127.0.0.1:{b_port}"))
            .env("NEWSDESK_LOG", "info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    wait_for(&client, &format!("http://127.0.0.1:{b_port}/readyz"), "node B").await;
    let search = |port: u16| {
        let client = client.clone();
        async move {
            let url = format!("http://127.0.0.1:{port}/en/search?q=pilots+rehearse");
            client.get(url).send().await.unwrap().text().await.unwrap()
        }
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while !search(b_port).await.contains("a night rescue") {
        let on_a = search(a_port).await.contains("a night rescue");
        assert!(
            Instant::now() < deadline,
            "node B never found the article published after the copy (node A did: {on_a}): {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let demo = client.get(format!("http://127.0.0.1:{b_port}/en/search?q=security")).send().await.unwrap();
    assert!(demo.text().await.unwrap().contains("news-title"), "the demo's articles are found from the copy");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(!log.contains("search index built"), "node B did not index everything again: {log}");
    assert!(!log.contains("rebuilding"), "{log}");
}
