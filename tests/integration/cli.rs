//! The command line, run as a real process against real databases: import, export, demo and
//! the clear, non-zero exits on bad input.

use crate::harness::{Backend, TestDb, fixture};
use crate::on_both_backends;

use std::process::{Command, Output};

pub fn newsdesk(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .arg("--data")
        .arg(db.data_dir())
        .arg("--database-url")
        .arg(&db.url)
        .args(args)
        .env_remove("NEWSDESK_CONFIG")
        .env("NEWSDESK_LOG", "warn")
        .output()
        .expect("run newsdesk")
}

pub fn ok(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "command failed: {stderr}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn failed(output: &Output) -> String {
    assert!(!output.status.success(), "command should have failed");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    stderr
}

fn export(db: &TestDb) -> String {
    ok(&newsdesk(db, &["export"]))
}

fn article_lines(export: &str) -> usize {
    export.lines().filter(|l| l.contains(r#""type":"article""#)).count()
}

async fn import_export_round_trip(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    ok(&newsdesk(&db, &["import", fixture("site.jsonl").to_str().unwrap()]));
    let first = export(&db);
    assert_eq!(article_lines(&first), 21);
    assert!(first.contains(r#""status":"draft""#) && first.contains(r#""status":"scheduled""#));
    // Import the export into an empty site: the second export is identical.
    let Some(copy) = TestDb::new(backend).await else { return };
    let file = copy.data_dir().join("export.jsonl");
    std::fs::write(&file, &first).unwrap();
    let out = newsdesk(&copy, &["import", file.to_str().unwrap()]);
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stderr).contains("21 new"));
    assert_eq!(export(&copy), first);
    // Importing again updates nothing and duplicates nothing.
    let again = newsdesk(&copy, &["import", file.to_str().unwrap()]);
    ok(&again);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 new, 0 updated, 21 unchanged"));
    // --out writes a file.
    let out_file = copy.data_dir().join("out.jsonl");
    ok(&newsdesk(&copy, &["export", "--out", out_file.to_str().unwrap()]));
    assert_eq!(std::fs::read_to_string(out_file).unwrap(), first);
}

async fn feeds_import_idempotently(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let rss = fixture("feed.rss");
    let atom = fixture("feed.atom");
    ok(&newsdesk(&db, &["import", rss.to_str().unwrap()]));
    let out = newsdesk(&db, &["import", "--lang", "ru", atom.to_str().unwrap(), rss.to_str().unwrap()]);
    ok(&out);
    let exported = export(&db);
    assert_eq!(article_lines(&exported), 3, "{exported}");
    assert!(exported.contains("Summit opens in Astana"));
    assert!(exported.contains("Учения «Взаимодействие» завершились"));
    let lower = exported.to_lowercase();
    assert!(!lower.contains("<script") && !lower.contains("javascript:") && !lower.contains("onerror"));
}

/// Bad input: one clear message naming the file, line and field; non-zero exit; nothing written.
async fn bad_imports_are_refused_whole(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    ok(&newsdesk(&db, &["import", fixture("site.jsonl").to_str().unwrap()]));
    let before = export(&db);
    let dir = db.data_dir();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let good = r#"{"external_id":"new-1","title":"A new item","published_at":"2025-05-01"}"#;
    let cases = [
        ("bad-json.jsonl", format!("{good}\n{{\"title\": oops"), "bad-json.jsonl: line 2: not valid JSON"),
        (
            "bad-date.jsonl",
            format!("{good}\n{{\"title\":\"T\",\"published_at\":\"31.12.2025\"}}"),
            "bad-date.jsonl: line 2: published_at: '31.12.2025' is not a date",
        ),
        (
            "bad-section.jsonl",
            format!("{good}\n{{\"title\":\"T\",\"section\":\"sport\",\"published_at\":\"2025-01-01\"}}"),
            "bad-section.jsonl: line 2: section: there is no section 'sport'",
        ),
        (
            "long.jsonl",
            format!("{good}\n{{\"title\":\"{}\",\"published_at\":\"2025-01-01\"}}", "x".repeat(301)),
            "long.jsonl: line 2: title: is 301 characters long; the limit is 300",
        ),
        (
            "dup.jsonl",
            format!(
                "{good}\n{{\"title\":\"T\",\"translation_key\":\"story-1\",\"lang\":\"en\",\"published_at\":\"2025-01-01\"}}"
            ),
            "dup.jsonl: line 2: translation_key: 'story-1' already has a 'en' version",
        ),
        (
            "broken.xml",
            "<rss><channel><item><title>x".to_string(),
            "broken.xml: line 1, column 29: not a readable RSS",
        ),
        ("text.txt", "hello".to_string(), "text.txt: cannot tell the format"),
    ];
    for (name, content, expected) in cases {
        let path = write(name, &content);
        let err = failed(&newsdesk(&db, &["import", path.to_str().unwrap()]));
        assert!(err.contains(expected), "{name}: expected {expected:?} in {err:?}");
        assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    }
    let missing = failed(&newsdesk(&db, &["import", "/no/such/file.jsonl"]));
    assert!(missing.contains("/no/such/file.jsonl: cannot read"), "{missing}");
    // A good file followed by a bad one: nothing from the good one is written either.
    let good_file = write("good.jsonl", good);
    let bad_file = dir.join("bad-date.jsonl");
    failed(&newsdesk(&db, &["import", good_file.to_str().unwrap(), bad_file.to_str().unwrap()]));
    assert_eq!(export(&db), before, "nothing was written");
}

async fn demo_fills_an_empty_site_once(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    ok(&newsdesk(&db, &["demo"]));
    let exported = export(&db);
    assert!(article_lines(&exported) >= 60, "demo has at least 60 articles");
    let err = failed(&newsdesk(&db, &["demo"]));
    assert!(err.contains("already has articles"), "{err}");

    // The demo looks like a press site: a lead story with its photo, thumbnails in the list,
    // each section's newest; photos served in every variant they list.
    let s =
        crate::harness::TestServer::start_on(db, std::sync::Arc::new(newsdesk::domain::SystemClock)).await;
    let home = s.page("/en/").await;
    let lead = crate::harness::between(&home, r#"<article class="lead-story""#, "</article>");
    assert!(lead.contains(r#"fetchpriority="high""#) && lead.contains("srcset="), "{lead}");
    let lead_href =
        crate::harness::between(lead, r#"<h2 id="lead-title" class="lead-title"><a href=""#, "\"");
    let latest = crate::harness::between(&home, r#"<ol class="news-list">"#, "</ol>");
    assert!(!latest.contains(lead_href), "the lead story is not listed twice");
    assert!(latest.matches(r#"class="news-thumb""#).count() >= 2, "{latest}");
    assert!(home.matches(r#"<section class="section-block""#).count() >= 3, "each section's newest");
    let src = crate::harness::between(lead, r#"src=""#, "\"");
    let photo = s.get(src).await;
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    s.stop().await;
}

/// A forgotten password on a site without mail: `user reset` prints a one-time link that
/// works, for people who exist.
async fn a_forgotten_password_gets_a_one_time_link(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    ok(&newsdesk(&db, &["user", "add", "chief@example.org", "--role", "admin"]));
    let link = ok(&newsdesk(&db, &["user", "reset", "Chief@Example.org"]));
    let path =
        link.trim().split_once("/admin/set-password/").map(|(_, t)| format!("/admin/set-password/{t}"));
    let path = path.expect("a link");
    let err = failed(&newsdesk(&db, &["user", "reset", "nobody@example.org"]));
    assert!(err.contains("there is no user with the e-mail nobody@example.org"), "{err}");
    let s =
        crate::harness::TestServer::start_on(db, std::sync::Arc::new(newsdesk::domain::SystemClock)).await;
    assert!(s.page(&path).await.contains("name=\"new\""), "the link opens the set-password form");
    s.stop().await;
}

#[test]
fn bad_database_urls_and_directories_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_newsdesk")).args(args).env("NEWSDESK_LOG", "warn").output().unwrap()
    };
    let data = dir.path().to_str().unwrap();
    let e = failed(&run(&["--data", data, "--database-url", "mysql://x", "migrate"]));
    assert!(e.contains("is not a database URL"), "{e}");
    let started = std::time::Instant::now();
    let e = failed(&run(&[
        "--data",
        data,
        "--database-url",
        "postgres://nobody:secret@127.0.0.1:1/none",
        "migrate",
    ]));
    assert!(e.contains("cannot open the database") && !e.contains("secret"), "{e}");
    assert!(e.to_lowercase().contains("connection refused"), "said as it is: {e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "at once, not after a timeout");
    // Without a database name the schema would land in the server's default database.
    let e = failed(&run(&["--data", data, "--database-url", "postgres://postgres@127.0.0.1:1", "migrate"]));
    assert!(e.contains("names no database"), "{e}");
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let e = failed(&run(&["--data", file.to_str().unwrap(), "migrate"]));
    assert!(e.contains("cannot create the data directory"), "{e}");
    let bad_config = dir.path().join("bad.toml");
    std::fs::write(&bad_config, "[site]\ntime_zone = \"Mars/Base\"\n").unwrap();
    let e = failed(&run(&["--data", data, "--config", bad_config.to_str().unwrap(), "migrate"]));
    assert!(e.contains("site.time_zone"), "{e}");
}

#[test]
fn an_import_of_sections_only_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sections.jsonl");
    std::fs::write(&file, "{\"type\":\"section\",\"slug\":\"briefings\",\"names\":{\"en\":\"Briefings\"}}\n")
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["--data", dir.path().join("data").to_str().unwrap(), "import", file.to_str().unwrap()])
        .env("NEWSDESK_LOG", "warn")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{said}");
    assert!(said.contains("1 section(s) created or updated") && said.contains("sections only"), "{said}");
}

#[test]
fn a_port_in_use_is_reported() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["--data", dir.path().to_str().unwrap(), "serve", "--addr", &addr])
        .env("NEWSDESK_LOG", "warn")
        .output()
        .unwrap();
    let e = failed(&out);
    assert!(e.contains(&format!("cannot listen on {addr}")), "{e}");
}

#[test]
fn every_command_has_help() {
    /// The subcommands a help text lists under "Commands:" (wrapped descriptions are indented
    /// further and skipped), without clap's own `help`.
    fn commands(help: &str) -> Vec<String> {
        help.lines()
            .skip_while(|l| !l.starts_with("Commands:"))
            .skip(1)
            .take_while(|l| !l.trim().is_empty())
            .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
            .filter_map(|l| l.split_whitespace().next())
            .filter(|c| *c != "help")
            .map(str::to_string)
            .collect()
    }
    let help = |cmd: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_newsdesk")).args(cmd).arg("--help").output().unwrap();
        ok(&out)
    };
    // Every command the binary lists, and every command of those, so a new one is covered
    // without anyone adding it here.
    let top = commands(&help(&[]));
    for must in ["serve", "import", "user", "reindex", "snapshot-index", "media", "token", "redirects"] {
        assert!(top.iter().any(|c| c == must), "{must} is not listed: {top:?}");
    }
    let mut checked = 0;
    for cmd in &top {
        let text = help(&[cmd]);
        assert!(text.contains("--data") && text.contains("--database-url"), "{cmd} --help: {text}");
        checked += 1;
        for sub in commands(&text) {
            let text = help(&[cmd, &sub]);
            assert!(text.contains("--data") && text.contains("--database-url"), "{cmd} {sub} --help: {text}");
            checked += 1;
        }
    }
    assert!(checked > top.len(), "nested commands (user add, token create…) were checked too");
}

/// Old addresses from a server configuration file: all or none, a bad line named.
async fn redirect_lists_import_whole_or_not_at_all(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("redirects.conf");
    std::fs::write(
        &good,
        "# old server\nRedirect 301 /about-us /en/news\nrewrite ^/press/?$ /en/archive permanent;\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "/a,/en/\n/b,https://elsewhere.example/x\n").unwrap();
    let e = failed(&newsdesk(&db, &["redirects", "import", bad.to_str().unwrap()]));
    assert!(e.contains("bad.csv: line 2") && e.contains("nothing was saved"), "{e}");
    assert_eq!(ok(&newsdesk(&db, &["redirects", "list"])), "");
    ok(&newsdesk(&db, &["redirects", "import", good.to_str().unwrap()]));
    let listed = ok(&newsdesk(&db, &["redirects", "list"]));
    assert_eq!(listed, "/about-us\t/en/news\n/press\t/en/archive\n");
    assert_eq!(ok(&newsdesk(&db, &["redirects", "list", "/press/"])), "/press\t/en/archive\n");
}

/// A deploy script's view of `migrate`: what it applied, and `--check` answering in its exit
/// status (0 nothing to do, 3 pending), a newer release's migrations named but no obstacle.
async fn migrate_says_what_it_did_and_check_answers_in_its_exit_status(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let check = || newsdesk(&db, &["migrate", "--check"]);
    let pending = check();
    assert_eq!(pending.status.code(), Some(3), "a new database needs every migration");
    let listed = String::from_utf8_lossy(&pending.stdout).into_owned();
    assert!(listed.contains("migration(s) pending") && listed.contains("  1 "), "{listed}");
    let applied = ok(&newsdesk(&db, &["migrate"]));
    assert!(applied.starts_with("applied ") && applied.contains("to a new database"), "{applied}");
    assert!(applied.lines().count() > 10, "each migration is named: {applied}");
    assert_eq!(check().status.code(), Some(0));
    assert!(ok(&newsdesk(&db, &["migrate"])).contains("nothing to apply"));

    // The newest migration forgotten (as on a database an older release left) and a newer
    // release's one added: the first is pending, the second only mentioned.
    const FORGET: &str =
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)";
    const NEWER: &str = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                         VALUES (99990101, 'a later release', TRUE, $1, 0)";
    match backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(FORGET).execute(&pool).await.unwrap();
            sqlx::query(NEWER).bind(vec![0u8; 48]).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(FORGET).execute(&pool).await.unwrap();
            sqlx::query(NEWER).bind(vec![0u8; 48]).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
    let out = check();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(text.contains("1 migration(s) pending") && text.contains("newer release (99990101)"), "{text}");
}

on_both_backends!(
    migrate_says_what_it_did_and_check_answers_in_its_exit_status,
    a_forgotten_password_gets_a_one_time_link,
    redirect_lists_import_whole_or_not_at_all,
    import_export_round_trip,
    feeds_import_idempotently,
    bad_imports_are_refused_whole,
    demo_fills_an_empty_site_once,
);

/// What an operator reads: a line per request with method, path, status and time, in plain
/// text when the log is a file (no colour codes).
#[test]
fn the_server_logs_each_request_in_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let addr = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().to_string()
    };
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let data = dir.path().join("data");
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .args(["--data", data.to_str().unwrap(), "serve", "--addr", &addr])
        .env_remove("NEWSDESK_LOG")
        .stderr(log)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let fetch = |path: &str| -> Option<String> {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&addr).ok()?;
        write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").ok()?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).ok()?;
        Some(answer)
    };
    let get = |path: &str| fetch(path).and_then(|a| a.lines().next().map(str::to_string));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while get("/healthz").is_none_or(|status| !status.contains("200")) {
        assert!(std::time::Instant::now() < deadline, "the server never answered");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    while get("/readyz").is_none_or(|status| !status.contains("200")) {
        assert!(std::time::Instant::now() < deadline, "the server never became ready");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Without base_url, absolute links name the address the site is served on.
    let sitemap = fetch("/sitemap.xml").unwrap();
    assert!(sitemap.contains(&format!("<loc>http://{addr}/sitemaps/")), "{sitemap}");
    assert!(get("/en/no-such-section").unwrap().contains("404"));
    assert!(get("/en/archive?page=2").unwrap().contains("404"));
    // Stopped as an operator stops it, so the log writer writes out what it holds.
    crate::observability::stop(&mut child);
    let text = std::fs::read_to_string(&log_path).unwrap();
    assert!(!text.contains('\u{1b}'), "no terminal colour codes in a file: {text}");
    let line =
        text.lines().find(|l| l.contains("path=/en/no-such-section")).unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("newsdesk::access") && line.contains("method=GET") && line.contains("status=404"),
        "{line}"
    );
    assert!(line.contains("ms=") && line.contains("client=127.0.0.1"), "{line}");
    let paged = text.lines().find(|l| l.contains("path=/en/archive ")).unwrap_or_else(|| panic!("{text}"));
    assert!(!paged.contains("page=2"), "query strings are not logged: {paged}");
}
