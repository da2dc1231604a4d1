//! Moving in from WordPress: the export in `tests/fixtures/wordpress` was made by the real
//! WordPress (Debian's package; see its README) and is imported by the real command line into
//! a running site, then walked as its readers and search engines would.

use crate::admin::{PASSWORD, make_user, sign_in};
use crate::cli::{newsdesk, ok};
use crate::harness::{Backend, TestDb, TestServer, fixture};
use crate::on_both_backends;
use crate::session::{Client, csrf_in};
use newsdesk::domain::user::Role;
use reqwest::StatusCode;

const PUBLISHED: [(&str, &str); 6] = [
    ("Саммит ШОС: «итоги первого дня» — главное", "/ru/news/sammit-shos-itogi-pervogo-dnia-glav"),
    (
        "“Press freedom” matters — a statement by the Secretariat",
        "/ru/news/press-freedom-matters-a-statement-by-the-secretariat",
    ),
    (
        "Заявление пресс-службы о ‘новом формате’ – уточнено",
        "/ru/novosti-sekretariata/press-statement-new-format",
    ),
    ("Фоторепортаж: открытие пресс-центра", "/ru/news/fotoreportazh-otkrytie-press-tsentra"),
    ("Пресс-центр в цифрах – “640 мест”", "/ru/news/press-tsentr-v-tsifrakh-640-mest"),
    ("Блоки: редакция переходит на «Гутенберг»", "/ru/news/gutenberg-blocks"),
];

/// Drafts, pending, private, scheduled and trashed posts, and a draft page: none of them public.
const HIDDEN: [&str; 6] =
    ["Черновик", "На согласовании", "Внутреннее", "Форум-2031", "Ошибочная публикация", "Аккредитация"];

async fn location(s: &TestServer, path: &str) -> (StatusCode, String) {
    let response = s.get(path).await;
    let to = response.headers().get("location").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (response.status(), to)
}

async fn a_wordpress_export_moves_in_whole(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let export = fixture("wordpress/export.xml");
    let export = export.to_str().unwrap();

    // A dry run says what would happen and writes nothing.
    let plan = ok(&newsdesk(&s.db, &["import", "--dry-run", "--lang", "ru", export]));
    for says in [
        "6 posts: publish → published",
        "1 posts: future → scheduled",
        "1 posts: page → published page",
        "3 comments skipped",
        "nothing was written",
    ] {
        assert!(plan.contains(says), "{says}: {plan}");
    }
    assert!(
        plan.contains("Фоторепортаж-открытие-пресс-центра → fotoreportazh-otkrytie-press-tsentra"),
        "{plan}"
    );
    assert_eq!(s.state.store.redirect_count().await.unwrap(), 0);
    assert!(!s.state.store.has_external_id("wordpress:http://old.example.org/?p=8").await.unwrap());

    let uploads = fixture("wordpress/uploads");
    let uploads = uploads.to_str().unwrap();
    let args = ["import", "--lang", "ru", "--map-category", "statements=news", "--uploads", uploads, export];
    let out = newsdesk(&s.db, &args);
    ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("11 new"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    s.wait_followed().await;

    // Published posts are public at their new addresses, with their dates; nothing else is.
    let feed = s.page("/ru/feed.xml").await;
    let sitemap = s.page("/sitemaps/articles-0.xml").await;
    for (title, path) in PUBLISHED {
        assert!(feed.contains(title), "{title} missing from the feed");
        assert_eq!(s.get(path).await.status(), StatusCode::OK, "{path}");
        assert!(sitemap.contains(path), "{path} missing from the sitemap");
    }
    // 10:00 in Moscow, as the old site showed it (WordPress stored 07:00 GMT).
    assert!(feed.contains("Fri, 15 Mar 2024 10:00:00 +0300"), "{feed}");
    for title in HIDDEN {
        assert!(!feed.contains(title), "{title} is public");
        assert!(!s.page("/ru/archive").await.contains(title), "{title} is listed");
    }
    let exported = ok(&newsdesk(&s.db, &["export"]));
    let line = exported.lines().find(|l| l.contains("Форум-2031")).expect("the scheduled post");
    assert!(line.contains(r#""status":"scheduled""#) && line.contains("2031-01-15T10:00:00+03:00"), "{line}");
    assert!(s.state.store.has_external_id("wordpress:http://old.example.org/?p=18").await.unwrap());

    // Pages became static pages: the published one at its address (and its old one), outside
    // the news; the draft nowhere.
    assert!(!feed.contains("About us"), "a page is not news");
    assert!(s.page("/ru/").await.contains(r#"<a href="/ru/about">About us</a>"#), "linked from the footer");
    let about = s.page("/ru/about").await;
    assert!(about.contains("About us") && about.contains("mailto:press@old.example.org"), "{about}");
    assert_eq!(location(&s, "/about/").await, (StatusCode::PERMANENT_REDIRECT, "/ru/about".to_string()));
    assert_eq!(s.get("/ru/akkreditatsiia").await.status(), StatusCode::NOT_FOUND);

    // The author is the byline, with a page of the news credited to her, and the JSON-LD author.
    let story = s.page(PUBLISHED[2].1).await;
    assert!(
        story.contains(r#"<a href="/ru/author/anna-redaktorova" rel="author">Анна Редакторова</a>"#),
        "{story}"
    );
    assert!(
        story.contains(r#""@type":"Person","name":"Анна Редакторова""#)
            || story.contains(r#""name":"Анна Редакторова""#)
    );
    let by_her = s.page("/ru/author/anna-redaktorova").await;
    assert!(
        PUBLISHED.iter().all(|(title, _)| by_her.contains(title)) || by_her.contains("?page=2"),
        "{by_her}"
    );
    assert!(!HIDDEN.iter().any(|title| by_her.contains(title)), "only public news on an author's page");
    assert_eq!(s.get("/ru/author/nobody").await.status(), StatusCode::NOT_FOUND);

    // The author became a person who cannot sign in until an admin invites her.
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 people added as authors"));
    let (person, hash) =
        s.state.store.user_for_login("newsroom@old.example.org").await.unwrap().expect("added");
    assert_eq!((person.name.as_str(), person.role, hash), ("Анна Редакторова", Role::Author, None));
    let stranger = Client::new(&s);
    let csrf = csrf_in(&stranger.page("/admin/login").await);
    let refused = stranger
        .post(
            "/admin/login",
            &[("csrf", &csrf), ("email", "newsroom@old.example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status(), 401, "no password, no sign-in");
    make_user(&s, "admin@example.org", Role::Admin).await;
    let admin = sign_in(&s, "admin@example.org").await;
    let users = admin.page("/admin/users").await;
    assert!(users.contains("Cannot sign in yet"), "{users}");
    let invited =
        admin.post(&format!("/admin/users/{}/invite", person.id), &[("csrf", &csrf_in(&users))]).await;
    assert_eq!(invited.status(), 200);
    let page = invited.text().await.unwrap();
    let link = crate::harness::between(&page, "<code>", "</code>").to_string();
    let path = &link[link.find("/admin/set-password/").unwrap()..];
    let form = stranger.page(path).await;
    let set =
        stranger.post(path, &[("csrf", &csrf_in(&form)), ("new", PASSWORD), ("confirm", PASSWORD)]).await;
    assert_eq!(set.status(), 303);
    assert_eq!(sign_in(&s, "newsroom@old.example.org").await.get("/admin").await.status(), 200);
    let again = admin
        .post(
            &format!("/admin/users/{}/invite", person.id),
            &[("csrf", &csrf_in(&admin.page("/admin/users").await))],
        )
        .await;
    assert_eq!(again.status(), 200, "someone who forgot a password gets a new link");
    assert!(again.text().await.unwrap().contains("/admin/set-password/"));

    // Categories became sections (mapped where asked), tags became tags.
    assert!(s.page("/ru/novosti-sekretariata").await.contains("Заявление пресс-службы"));
    assert_eq!(s.get("/ru/statements").await.status(), StatusCode::NOT_FOUND);
    assert!(s.page("/ru/tag/moskva").await.contains("Фоторепортаж: открытие пресс-центра"));

    // The text as WordPress showed it: paragraphs, captions as figures, no block comments,
    // embeds as plain links (shown as click-to-load video placeholders), the teaser before
    // <!--more--> as the lead and not twice.
    let blocks = s.page("/ru/news/gutenberg-blocks").await;
    assert!(
        !blocks.contains("wp:")
            && blocks.contains(r#"<a class="video-link" href="https://www.youtube.com/watch?v=M7lc1UVf-VE""#)
            && blocks
                .contains(r#"data-player="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1""#),
        "{blocks}"
    );
    assert!(!blocks.contains("<iframe"));
    let captioned = s.page("/ru/news/press-tsentr-v-tsifrakh-640-mest").await;
    assert!(
        captioned.contains("<figcaption>Caption text</figcaption>") && !captioned.contains("[caption"),
        "{captioned}"
    );
    // Photos came from the uploads folder into the library: the featured image is the lead
    // photo, images in the text point at the library, nothing points at the old site.
    let photo_story = s.page(PUBLISHED[3].1).await;
    let lead = crate::harness::between(&photo_story, "<img src=\"", "\"");
    assert!(lead.starts_with("/media/"), "{photo_story}");
    assert_eq!(s.get(lead).await.status(), StatusCode::OK);
    assert!(photo_story.contains("srcset=") && photo_story.contains(r#"alt="Зал заседаний пресс-центра""#));
    for (_, path) in PUBLISHED {
        let page = s.page(path).await;
        assert!(!page.contains("wp-content/uploads"), "{path} still shows the old site's files");
    }
    assert!(captioned.contains(r#"<figure><img src="/media/"#), "{captioned}");
    let teaser = s.page(PUBLISHED[1].1).await;
    assert!(!teaser.contains("more"), "the more marker leaked");

    // Every old address lands on the same story in one hop; list and feed addresses too.
    let permalink_6 = "/2024/03/15/%D0%A1%D0%B0%D0%BC%D0%BC%D0%B8%D1%82-%D0%A8%D0%9E%D0%A1-%D0%B8%D1%82%D0%BE%D0%B3%D0%B8-%D0%BF%D0%B5%D1%80%D0%B2%D0%BE%D0%B3%D0%BE-%D0%B4%D0%BD%D1%8F-%D0%B3%D0%BB%D0%B0%D0%B2/";
    for (old, new) in [
        ("/?p=8", PUBLISHED[2].1),
        ("/2024/11/20/press-statement-new-format/", PUBLISHED[2].1),
        ("/2024/11/20/zayavlenie-press-sluzhby/", PUBLISHED[2].1),
        ("/2025/08/03/gutenberg-blocks/?utm_source=telegram", PUBLISHED[5].1),
        (permalink_6, PUBLISHED[0].1),
        ("/category/statements/feed/", "/ru/news/feed.xml"),
        (
            "/category/%d0%9d%d0%be%d0%b2%d0%be%d1%81%d1%82%d0%b8-%d0%a1%d0%b5%d0%ba%d1%80%d0%b5%d1%82%d0%b0%d1%80%d0%b8%d0%b0%d1%82%d0%b0/",
            "/ru/novosti-sekretariata",
        ),
        ("/tag/%d0%bc%d0%be%d1%81%d0%ba%d0%b2%d0%b0/", "/ru/tag/moskva"),
        ("/feed/", "/ru/feed.xml"),
        ("/?attachment_id=11", PUBLISHED[3].1),
        ("/author/newsroom/", "/ru/author/anna-redaktorova"),
    ] {
        assert_eq!(location(&s, old).await, (StatusCode::PERMANENT_REDIRECT, new.to_string()), "{old}");
    }
    // What was not public on the old site is not reachable through its old address either.
    for old in ["/?p=14", "/?p=16", "/?p=17", "/?p=18"] {
        let (_, to) = location(&s, old).await;
        assert!(!to.contains("/news/") && !to.contains("/novosti"), "{old} → {to}");
    }
    assert_eq!(s.get("/2024/09/01/oshibochnaya-publikaciya").await.status(), StatusCode::NOT_FOUND);
    // Only reading follows an old address; a form posted to one is not sent on.
    let posted =
        s.client.post(format!("{}/2024/11/20/press-statement-new-format", s.base)).send().await.unwrap();
    assert!(posted.status().is_client_error(), "{}", posted.status());

    // A second run changes nothing.
    let again = newsdesk(&s.db, &args);
    ok(&again);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 new, 0 updated, 11 unchanged"));

    // The JSON Lines export carries the old addresses: a site rebuilt from it keeps them.
    let file = s.db.data_dir().join("site.jsonl");
    ok(&newsdesk(&s.db, &["export", "--out", file.to_str().unwrap()]));
    let Some(copy) = TestDb::new(backend).await else { return };
    ok(&newsdesk(&copy, &["import", file.to_str().unwrap()]));
    let rebuilt = TestServer::start_on(copy, std::sync::Arc::new(newsdesk::domain::SystemClock)).await;
    for (old, new) in [
        ("/?p=8", PUBLISHED[2].1),
        ("/2024/11/20/zayavlenie-press-sluzhby/", PUBLISHED[2].1),
        ("/category/statements/feed/", "/ru/news/feed.xml"),
        ("/about/", "/ru/about"),
    ] {
        assert_eq!(location(&rebuilt, old).await, (StatusCode::PERMANENT_REDIRECT, new.to_string()), "{old}");
    }
    assert!(rebuilt.page("/ru/about").await.contains("mailto:press@old.example.org"), "pages come along");
    rebuilt.stop().await;
    s.stop().await;
}

on_both_backends!(a_wordpress_export_moves_in_whole, large_exports_import_in_chunks_and_resume);

/// A WordPress export of `posts` generated posts (item `broken`, if any, has a status
/// WordPress does not have).
fn generated_export(posts: usize, broken: Option<usize>) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Big</title><language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>http://big.example</wp:base_site_url>
"#,
    );
    for i in 1..=posts {
        let status = if broken == Some(i) { "sideways" } else { "publish" };
        xml.push_str(&format!(
            "<item><title>Generated post {i}</title><link>http://big.example/?p={i}</link>\n\
             <content:encoded><![CDATA[<p>Paragraph of post {i}.</p>]]></content:encoded>\n\
             <wp:post_id>{i}</wp:post_id><wp:post_date>2025-01-01 10:00:00</wp:post_date>\n\
             <wp:post_date_gmt>2025-01-01 07:00:00</wp:post_date_gmt><wp:post_name>generated-post-{i}</wp:post_name>\n\
             <wp:status>{status}</wp:status><wp:post_type>post</wp:post_type></item>\n"
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}

async fn article_count(db: &TestDb) -> usize {
    let exported = ok(&newsdesk(db, &["export"]));
    exported.lines().filter(|l| l.contains(r#""type":"article""#)).count()
}

/// A large export is checked whole and saved in chunks: a broken item near its end stops the
/// import with its place named and nothing written; a run that was killed picks up where it
/// stopped and ends with every post exactly once.
async fn large_exports_import_in_chunks_and_resume(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let chunk = newsdesk::io::CHUNK;
    let file = db.data_dir().join("big.xml");
    std::fs::write(&file, generated_export(2 * chunk + 100, Some(2 * chunk + 50))).unwrap();
    let said = crate::cli::failed(&newsdesk(&db, &["import", file.to_str().unwrap()]));
    assert!(said.contains("big.xml: item at line ") && said.contains("sideways"), "{said}");
    assert_eq!(article_count(&db).await, 0, "the file is checked whole before any chunk is saved");

    // Killed in the middle, then run again.
    let Some(db) = TestDb::new(backend).await else { return };
    let posts = 8 * chunk;
    let file = db.data_dir().join("big.xml");
    std::fs::write(&file, generated_export(posts, None)).unwrap();
    killed_then_resumed(&db, &file);
    assert_eq!(article_count(&db).await, posts, "every post exactly once");
    let checkpoints = db.data_dir().join("imports");
    assert!(
        !checkpoints.exists() || std::fs::read_dir(&checkpoints).unwrap().count() == 0,
        "the checkpoint is cleared"
    );
}

/// Imports `file`, killing the import once it has saved a chunk, then runs it again, which
/// must say that it resumed (a first run that ends before it can be killed says it skipped).
pub fn killed_then_resumed(db: &TestDb, file: &std::path::Path) {
    let killed = kill_after_first_chunk(db, file);
    let again = newsdesk(db, &["import", file.to_str().unwrap()]);
    let said = ok(&again) + &String::from_utf8_lossy(&again.stderr);
    if killed {
        assert!(said.contains("resumed: the first "), "{said}");
    } else {
        crate::harness::say_skipped(
            "the first import ended before it could be killed; resuming not exercised",
        );
    }
}

/// Starts `newsdesk import FILE` and kills it once it has saved a chunk (its checkpoint is
/// written); `false` when it ended first.
fn kill_after_first_chunk(db: &TestDb, file: &std::path::Path) -> bool {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .arg("--data")
        .arg(db.data_dir())
        .arg("--database-url")
        .arg(&db.url)
        .args(["import", file.to_str().unwrap()])
        .env("NEWSDESK_LOG", "warn")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let checkpoints = db.data_dir().join("imports");
    let started = std::time::Instant::now();
    let killed = loop {
        // A finished checkpoint, not the temporary file it is written to before its rename.
        let saved = std::fs::read_dir(&checkpoints)
            .map(|d| d.flatten().any(|e| e.path().extension().is_some_and(|x| x == "done")))
            .unwrap_or(false);
        if saved {
            child.kill().unwrap();
            break true;
        }
        if child.try_wait().unwrap().is_some() {
            break false;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "the import neither saved nor ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let _ = child.wait();
    killed
}
