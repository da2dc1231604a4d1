//! Photos on S3-compatible object storage, against a real Garage server started here (no
//! mock): two nodes on one PostgreSQL database share a bucket, so a photo uploaded through
//! one is served by the other; `newsdesk media sync --to s3` moves a library kept on disk into
//! the bucket. `.ci/run` installs Garage when it is missing; where it is not installed, the
//! tests say loudly that they skipped.

use crate::harness::{Backend, TestDb, say_skipped};
use crate::media::Multipart;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A throw-away single-node Garage with one bucket and one key, removed when dropped.
pub struct Garage {
    child: Child,
    _dir: tempfile::TempDir,
    pub endpoint: String,
    pub bucket: String,
    pub key: String,
    pub secret: String,
}

impl Drop for Garage {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn garage_binary() -> Option<std::path::PathBuf> {
    if let Ok(p) = std::env::var("GARAGE_BIN") {
        return Some(p.into());
    }
    let home = std::env::var("HOME").unwrap_or_default();
    let candidates =
        [format!("{home}/.cargo/bin/garage"), "/usr/local/bin/garage".into(), "/usr/bin/garage".into()];
    candidates.iter().map(std::path::PathBuf::from).find(|p| p.exists())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

impl Garage {
    /// Starts one, or says why not (and the test skips) when Garage is not installed.
    pub async fn start() -> Option<Garage> {
        let Some(binary) = garage_binary() else {
            say_skipped(
                "Garage is not installed (cargo install garage; .ci/run does it): S3 media store not tested",
            );
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let root = dir.path().display();
        let config = format!(
            "metadata_dir = \"{root}/meta\"\ndata_dir = \"{root}/data\"\ndb_engine = \"lmdb\"\n\
             replication_factor = 1\nrpc_bind_addr = \"127.0.0.1:0\"\nrpc_public_addr = \"127.0.0.1:0\"\n\
             rpc_secret = \"{}\"\n\n[s3_api]\ns3_region = \"garage\"\napi_bind_addr = \"127.0.0.1:{port}\"\n",
            hex(32)
        );
        std::fs::write(dir.path().join("garage.toml"), config).unwrap();
        let (key, secret, bucket) = (format!("GK{}", hex(12)), hex(32), "newsdesk-photos".to_string());
        let child = Command::new(binary)
            .arg("-c")
            .arg(dir.path().join("garage.toml"))
            .args(["server", "--single-node", "--default-bucket"])
            .env("GARAGE_DEFAULT_ACCESS_KEY", &key)
            .env("GARAGE_DEFAULT_SECRET_KEY", &secret)
            .env("GARAGE_DEFAULT_BUCKET", &bucket)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(dir.path().join("garage.log")).unwrap())
            .spawn()
            .expect("start garage");
        let endpoint = format!("http://127.0.0.1:{port}");
        let garage = Garage { child, _dir: dir, endpoint, bucket, key, secret };
        // The S3 listener opens once the layout, key and bucket exist; an anonymous request is
        // then refused with 403.
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = client.get(format!("{}/", garage.endpoint)).send().await
                && r.status() == 403
            {
                return Some(garage);
            }
            assert!(Instant::now() < deadline, "Garage never became ready");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The bucket as the library reaches it, for a test to look into or write to directly.
    pub fn store(&self, data_dir: &std::path::Path) -> newsdesk::media::MediaStore {
        let config = newsdesk::media::StoreConfig::S3(newsdesk::media::S3Config {
            endpoint: self.endpoint.clone(),
            bucket: self.bucket.clone(),
            region: "garage".into(),
            access_key: self.key.clone(),
            secret_key: self.secret.clone(),
            public_url: None,
        });
        newsdesk::media::MediaStore::new(data_dir, &config).unwrap()
    }

    /// The environment that points a node at this bucket.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("NEWSDESK_MEDIA_STORE", "s3".into()),
            ("NEWSDESK_MEDIA_S3_ENDPOINT", self.endpoint.clone()),
            ("NEWSDESK_MEDIA_S3_BUCKET", self.bucket.clone()),
            ("NEWSDESK_MEDIA_S3_REGION", "garage".into()),
            ("AWS_ACCESS_KEY_ID", self.key.clone()),
            ("AWS_SECRET_ACCESS_KEY", self.secret.clone()),
        ]
    }
}

/// A child process killed when dropped.
struct Node(Child);

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn newsdesk(data: &std::path::Path, db: &str, env: &[(&'static str, String)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsdesk"));
    c.arg("--data").arg(data).args(["--database-url", db]).env("NEWSDESK_LOG", "warn");
    for k in [
        "NEWSDESK_MEDIA_STORE",
        "NEWSDESK_MEDIA_S3_ENDPOINT",
        "NEWSDESK_MEDIA_S3_BUCKET",
        "AWS_ACCESS_KEY_ID",
    ] {
        c.env_remove(k);
    }
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

async fn start_node(data: &std::path::Path, db: &str, env: &[(&'static str, String)]) -> (Node, String) {
    let port = free_port();
    let node = Node(
        newsdesk(data, db, env)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status() == 200
        {
            return (node, base);
        }
        assert!(Instant::now() < deadline, "a node never became ready");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// An editor's API token, made by the command line.
fn token(data: &std::path::Path, db: &str) -> String {
    let out = newsdesk(data, db, &[])
        .args(["token", "create", "--role", "editor", "--name", "Photo desk"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).lines().last().unwrap().trim().to_string()
}

/// Uploads a photo through the API of the node at `base`; answers the URL of its 960 variant.
async fn upload(base: &str, token: &str, photo: &[u8]) -> String {
    let body =
        Multipart::new().text("alt", "A press conference").file("press.jpg", "image/jpeg", photo).done();
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/photos"))
        .bearer_auth(token)
        .header("content-type", format!("multipart/form-data; boundary={}", body.boundary))
        .body(body.bytes)
        .send()
        .await
        .unwrap();
    let status = r.status();
    let json: serde_json::Value = r.json().await.unwrap();
    assert_eq!(status, 201, "{json}");
    json["url"].as_str().unwrap().to_string()
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    rest[rest.find('/').unwrap()..].to_string()
}

fn local_files(data: &std::path::Path) -> usize {
    std::fs::read_dir(data.join("media")).map(|d| d.count()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_uploaded_through_one_node_is_served_by_the_other() {
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let Some(garage) = Garage::start().await else { return };
    let env = garage.env();
    let (a_dir, b_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (_a, a) = start_node(a_dir.path(), &db.url, &env).await;
    let (_b, b) = start_node(b_dir.path(), &db.url, &env).await;
    let photo = newsdesk::demo::photos::photo(0);
    let url = upload(&a, &token(a_dir.path(), &db.url), &photo).await;
    let path = path_of(&url);
    let client = reqwest::Client::new();
    let from_a = client.get(format!("{a}{path}")).send().await.unwrap();
    assert_eq!(from_a.status(), 200);
    let from_a = from_a.bytes().await.unwrap();
    let from_b = client.get(format!("{b}{path}")).send().await.unwrap();
    assert_eq!(from_b.status(), 200, "the other node serves it from the bucket");
    assert_eq!(from_b.headers()["content-type"], "image/jpeg");
    assert_eq!(from_b.headers()["content-length"].to_str().unwrap(), from_a.len().to_string());
    assert!(from_b.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(from_b.bytes().await.unwrap(), from_a, "the same bytes through either node");
    assert!(from_a.starts_with(&[0xFF, 0xD8]), "a JPEG");
    assert_eq!(local_files(a_dir.path()) + local_files(b_dir.path()), 0, "nothing on the nodes' disks");
    // The original stays private on the bucket too, and a name never uploaded is a 404.
    let original = path.replace("-960.jpg", ".jpg");
    assert_eq!(client.get(format!("{b}{original}")).send().await.unwrap().status(), 404);
    let unknown = format!("/media/{}-960.jpg", "0".repeat(32));
    assert_eq!(client.get(format!("{b}{unknown}")).send().await.unwrap().status(), 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_library_on_disk_moves_to_the_bucket_with_media_sync() {
    let Some(db) = TestDb::new(Backend::Sqlite).await else { return };
    let Some(garage) = Garage::start().await else { return };
    let data = db.data_dir().to_path_buf();
    let url = {
        let (_node, base) = start_node(&data, &db.url, &[]).await;
        upload(&base, &token(&data, &db.url), &newsdesk::demo::photos::photo(1)).await
    };
    let on_disk = local_files(&data);
    assert!(on_disk >= 2, "the original and its variants are on disk");
    let env = garage.env();
    let without = newsdesk(&data, &db.url, &[]).args(["media", "sync", "--to", "s3"]).output().unwrap();
    assert!(!without.status.success());
    assert!(String::from_utf8_lossy(&without.stderr).contains("no bucket to copy to"));
    let sync = newsdesk(&data, &db.url, &env).args(["media", "sync", "--to", "s3"]).output().unwrap();
    let said = String::from_utf8_lossy(&sync.stdout).into_owned();
    assert!(sync.status.success(), "{}", String::from_utf8_lossy(&sync.stderr));
    assert!(said.contains(&format!("copied {on_disk} file(s)")), "{said}");
    let again = newsdesk(&data, &db.url, &env).args(["media", "sync", "--to", "s3"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&again.stdout)
            .contains(&format!("copied 0 file(s) to the bucket; {on_disk} were there"))
    );
    // A node with an empty disk, on the bucket, serves the photo.
    std::fs::rename(data.join("media"), data.join("media-old")).unwrap();
    let (_node, base) = start_node(&data, &db.url, &env).await;
    let r = reqwest::get(format!("{base}{}", path_of(&url))).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.bytes().await.unwrap().len() as u64,
        std::fs::metadata(data.join("media-old").join(path_of(&url).trim_start_matches("/media/")))
            .unwrap()
            .len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_a_site_on_a_bucket_carries_its_photos_to_another_bucket() {
    let Some(db) = TestDb::new(Backend::Sqlite).await else { return };
    let Some(first) = Garage::start().await else { return };
    let Some(second) = Garage::start().await else { return };
    let data = db.data_dir().to_path_buf();
    let url = {
        let (_node, base) = start_node(&data, &db.url, &first.env()).await;
        upload(&base, &token(&data, &db.url), &newsdesk::demo::photos::photo(2)).await
    };
    let archive = tempfile::tempdir().unwrap();
    let file = archive.path().join("site.tar.gz");
    let made = newsdesk(&data, &db.url, &first.env()).args(["backup", "--out"]).arg(&file).output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let Some(target) = TestDb::new(Backend::Sqlite).await else { return };
    let restored = newsdesk(target.data_dir(), &target.url, &second.env())
        .args(["restore"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    assert_eq!(local_files(target.data_dir()), 0, "the photos went to the bucket, not the disk");
    let (_node, base) = start_node(target.data_dir(), &target.url, &second.env()).await;
    let path = path_of(&url);
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    assert_eq!(r.status(), 200, "the restored site serves the photo from its own bucket");
    assert!(r.bytes().await.unwrap().starts_with(&[0xFF, 0xD8]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_public_url_readers_are_sent_to_the_cdn() {
    let Some(db) = TestDb::new(Backend::Sqlite).await else { return };
    let Some(garage) = Garage::start().await else { return };
    let data = db.data_dir().to_path_buf();
    let mut env = garage.env();
    env.push(("NEWSDESK_MEDIA_PUBLIC_URL", "https://cdn.example.org/photos/".into()));
    let (_node, base) = start_node(&data, &db.url, &env).await;
    let url = upload(&base, &token(&data, &db.url), &newsdesk::demo::photos::photo(3)).await;
    let path = path_of(&url);
    let name = path.trim_start_matches("/media/");
    let no_redirects =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirects.get(format!("{base}{path}")).send().await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    assert_eq!(r.headers()["location"], format!("https://cdn.example.org/photos/{name}").as_str());
    // The upload itself went to the bucket the CDN reads from: a node without the public
    // address serves it from there.
    let other = tempfile::tempdir().unwrap();
    let (_direct, direct) = start_node(other.path(), &db.url, &garage.env()).await;
    let r = no_redirects.get(format!("{direct}{path}")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(&[0xFF, 0xD8]));
}

/// Runs `newsdesk media sweep ARGS` and answers what it printed.
fn sweep(data: &std::path::Path, db: &str, env: &[(&'static str, String)], args: &[&str]) -> String {
    let out = newsdesk(data, db, env).args(["media", "sweep"]).args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The files a process killed between writing a photo's or a document's files and inserting
/// its row leaves behind, and one that is not Newsdesk's.
fn strays() -> (Vec<String>, String) {
    let key = hex(16);
    let orphans = vec![format!("{key}.jpg"), format!("{key}-960.jpg"), format!("doc-{}.pdf", hex(16))];
    (orphans, "operators-notes.txt".to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_sweep_removes_from_the_bucket_only_old_files_nothing_names() {
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let Some(garage) = Garage::start().await else { return };
    let env = garage.env();
    let data = tempfile::tempdir().unwrap();
    let (_node, base) = start_node(data.path(), &db.url, &env).await;
    let url = upload(&base, &token(data.path(), &db.url), &newsdesk::demo::photos::photo(4)).await;
    let bucket = garage.store(data.path());
    let in_use = bucket.list().await.unwrap().len();
    assert!(in_use >= 2, "the photo's original and variants are in the bucket");
    let (orphans, foreign) = strays();
    for name in orphans.iter().chain([&foreign]) {
        bucket.put(name, b"left behind", "application/octet-stream").await.unwrap();
    }
    // S3 keeps times to the second: let the strays be at least a second old.
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let said = sweep(data.path(), &db.url, &env, &[]);
    assert!(said.contains("removed 0 file(s)"), "young files stay by default: {said}");
    assert!(said.contains("3 such file(s) younger than 24 h"), "{said}");
    let said = sweep(data.path(), &db.url, &env, &["--older-than", "0", "--dry-run"]);
    assert!(said.contains("would remove 3 file(s)"), "{said}");
    assert!(said.contains(&format!("{in_use} in use")), "{said}");
    assert!(said.contains("1 file(s) Newsdesk did not name left alone"), "{said}");
    for name in &orphans {
        assert!(bucket.size(name).await.unwrap().is_some(), "a dry run removes nothing: {name}");
    }

    let said = sweep(data.path(), &db.url, &env, &["--older-than", "0"]);
    assert!(said.contains("removed 3 file(s)"), "{said}");
    for name in &orphans {
        assert_eq!(bucket.size(name).await.unwrap(), None, "{name} is gone from the bucket");
    }
    assert!(bucket.size(&foreign).await.unwrap().is_some(), "a file Newsdesk did not name stays");
    assert_eq!(bucket.list().await.unwrap().len(), in_use + 1);
    let r = reqwest::get(format!("{base}{}", path_of(&url))).await.unwrap();
    assert_eq!(r.status(), 200, "the photo in use is still served");
    assert!(r.bytes().await.unwrap().starts_with(&[0xFF, 0xD8]));
    let said = sweep(data.path(), &db.url, &env, &["--older-than", "0"]);
    assert!(said.contains("removed 0 file(s)"), "a second sweep finds nothing: {said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_sweep_cleans_a_nodes_disk_of_orphans_and_unfinished_writes() {
    let Some(db) = TestDb::new(Backend::Sqlite).await else { return };
    let data = db.data_dir().to_path_buf();
    let url = {
        let (_node, base) = start_node(&data, &db.url, &[]).await;
        upload(&base, &token(&data, &db.url), &newsdesk::demo::photos::photo(5)).await
    };
    let in_use = local_files(&data);
    let (mut orphans, foreign) = strays();
    orphans.push(format!("{}-480.jpg.part", hex(16)));
    for name in orphans.iter().chain([&foreign]) {
        std::fs::write(data.join("media").join(name), b"left behind").unwrap();
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let said = sweep(&data, &db.url, &[], &["--older-than", "0"]);
    assert!(said.contains("removed 4 file(s)"), "{said}");
    assert!(said.contains(&format!("{in_use} in use")), "{said}");
    assert_eq!(local_files(&data), in_use + 1, "the photo's files and the foreign file stay");
    assert!(data.join("media").join(&foreign).exists());
    let (_node, base) = start_node(&data, &db.url, &[]).await;
    assert_eq!(reqwest::get(format!("{base}{}", path_of(&url))).await.unwrap().status(), 200);
}

/// Publishes an English article through the API of the node at `base`.
async fn publish(base: &str, token: &str, title: &str) {
    let client = reqwest::Client::new();
    let sections: serde_json::Value =
        client.get(format!("{base}/api/v1/sections")).send().await.unwrap().json().await.unwrap();
    let section = sections[0]["slug"].as_str().expect("a section").to_string();
    let r = client
        .post(format!("{base}/api/v1/articles"))
        .bearer_auth(token)
        .json(&serde_json::json!({"lang": "en", "title": title, "section": section,
            "body_html": format!("<p>{title}.</p>"), "status": "published"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// How many English articles a search for `word` finds on the node at `base`.
async fn found(base: &str, word: &str) -> u64 {
    let r = reqwest::get(format!("{base}/api/v1/search?lang=en&q={word}")).await.unwrap();
    assert_eq!(r.status(), 200);
    let json: serde_json::Value = r.json().await.unwrap();
    json["total"].as_u64().unwrap_or_else(|| panic!("{json}"))
}

/// The value of a counter in the node's `/metrics`.
async fn counter(base: &str, name: &str) -> f64 {
    let text = reqwest::get(format!("{base}/metrics")).await.unwrap().text().await.unwrap();
    text.lines()
        .find_map(|l| {
            l.strip_prefix(&format!("{name} ")).or_else(|| l.strip_prefix(&format!("{name}_total ")))
        })
        .map(|v| v.trim().parse().unwrap())
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_node_starts_from_the_search_snapshot_in_the_bucket() {
    let Some(db) = TestDb::new(Backend::Postgres).await else { return };
    let Some(garage) = Garage::start().await else { return };
    let env = garage.env();
    let a_dir = tempfile::tempdir().unwrap();
    let (_a, a) = start_node(a_dir.path(), &db.url, &env).await;
    let token = token(a_dir.path(), &db.url);
    publish(&a, &token, "Quarterly zanzibarite review").await;
    // A node publishes a snapshot by itself when the bucket has none.
    let deadline = Instant::now() + Duration::from_secs(30);
    while counter(&a, "newsdesk_search_snapshots_published").await < 1.0 {
        assert!(Instant::now() < deadline, "node A never published a snapshot of its search index");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // One taken on demand, while the node serves, holds the article published before it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while found(&a, "zanzibarite").await < 1 {
        assert!(Instant::now() < deadline, "node A never found its own article");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let out = newsdesk(a_dir.path(), &db.url, &env).arg("snapshot-index").output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("published the search index"), "{said}");
    // Published after the snapshot: the new node has it from the change log.
    publish(&a, &token, "Late obsidianite briefing").await;

    let b_dir = tempfile::tempdir().unwrap();
    let (_b, b) = start_node(b_dir.path(), &db.url, &env).await;
    assert_eq!(counter(&b, "newsdesk_search_snapshot_restored").await, 1.0, "node B fetched the snapshot");
    assert_eq!(found(&b, "zanzibarite").await, 1, "from the snapshot");
    let deadline = Instant::now() + Duration::from_secs(10);
    while found(&b, "obsidianite").await < 1 {
        assert!(Instant::now() < deadline, "node B never applied the change published after the snapshot");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(b_dir.path().join("search").join("meta.json").exists());
    assert!(!b_dir.path().join("search.incoming").exists(), "the fetch's folder is gone");

    // A node of another site on the same bucket passes the snapshot over and builds its own.
    let Some(other_db) = TestDb::new(Backend::Postgres).await else { return };
    let c_dir = tempfile::tempdir().unwrap();
    let (_c, c) = start_node(c_dir.path(), &other_db.url, &env).await;
    assert_eq!(counter(&c, "newsdesk_search_snapshot_restored").await, 0.0);
    assert_eq!(found(&c, "zanzibarite").await, 0, "nothing of the other site");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_larger_than_a_part_go_to_the_bucket_in_parts_and_come_back_whole() {
    use newsdesk::media::PART_BYTES;
    let Some(garage) = Garage::start().await else { return };
    let tmp = tempfile::tempdir().unwrap();
    let store = garage.store(tmp.path());
    // Two full parts and a short third one, of bytes that differ from part to part.
    let big: Vec<u8> = (0..2 * PART_BYTES + 12_345).map(|i| (i / 4093 % 251) as u8).collect();
    let source = tmp.path().join("big.bin");
    std::fs::write(&source, &big).unwrap();
    assert_eq!(store.put_file("_search/test/big.bin", &source).await.unwrap(), big.len() as u64);
    let small = tmp.path().join("small.bin");
    std::fs::write(&small, b"meta").unwrap();
    store.put_file("_search/test/meta.json", &small).await.unwrap();
    let listed = store.list_under("_search/test/").await.unwrap();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.iter().any(|l| l.name == "_search/test/big.bin" && l.bytes == big.len() as u64));
    let back = tmp.path().join("back.bin");
    assert_eq!(store.get_file("_search/test/big.bin", &back).await.unwrap(), Some(big.len() as u64));
    assert!(std::fs::read(&back).unwrap() == big, "the same bytes, in order");
    assert_eq!(store.get_file("_search/test/none.bin", &back).await.unwrap(), None);
}
