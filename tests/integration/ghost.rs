//! Moving in from Ghost: the export in `tests/fixtures/ghost` was made by the real Ghost 5 (see
//! its README) and is imported by the real command line into a running site, then walked as
//! its readers would.

use crate::cli::{newsdesk, ok};
use crate::harness::{Backend, TestServer, fixture};
use crate::on_both_backends;
use reqwest::StatusCode;

const PUBLISHED: [(&str, &str); 5] = [
    (
        "Саммит ШОС открылся в Москве: «новая глава» — заявили лидеры",
        "sammit-shos-otkrylsia-v-moskvie-novaia-ghlava-zaiavili-lidiery",
    ),
    ("Мэр Москвы: “Метро будет работать круглосуточно”", "mer-moskvy-mietro-budiet-rabotat-krughlosutochno"),
    ("Фоторепортаж: утро у Кремля", "fotorieportazh-utro-u-kriemlia"),
    ("Бюджет ‘2025’ – что изменится", "byudzhet-2025"),
    ("Interview: two reporters, one story", "interview-two-reporters-one-story"),
];

/// A draft, a scheduled post and a draft page: none of them public.
const HIDDEN: [&str; 3] = ["Черновик", "Анонс: саммит 2031", "Аккредитация"];

async fn a_ghost_export_moves_in(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let export = fixture("ghost/export.json");
    let images = fixture("ghost/images");
    let args = ["import", "--lang", "ru", "--images", images.to_str().unwrap(), export.to_str().unwrap()];

    let plan = ok(&newsdesk(&s.db, &[&args[..], &["--dry-run"]].concat()));
    for says in [
        "6 posts: published → published",
        "1 posts: scheduled → scheduled",
        "2 posts: page → published page",
        "2 photos",
    ] {
        assert!(plan.contains(says), "{says}: {plan}");
    }
    assert!(!s.state.store.has_external_id("ghost:e9696627-a3c3-42df-947a-4debac1339f3").await.unwrap());
    let out = newsdesk(&s.db, &args);
    ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("8 new"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    s.wait_followed().await;

    let feed = s.page("/ru/feed.xml").await;
    for (title, slug) in PUBLISHED {
        assert!(feed.contains(title), "{title} missing from the feed");
        // Ghost's address of the post (`/slug/`) leads to it here.
        let response = s.get(&format!("/{slug}/")).await;
        let to = response.headers().get("location").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(
            (response.status(), to.as_deref()),
            (StatusCode::PERMANENT_REDIRECT, Some(format!("/ru/news/{slug}").as_str()))
        );
    }
    assert!(feed.contains("Wed, 14 May 2025 12:00:00 +0300"), "published_at kept (UTC in Ghost): {feed}");
    for title in HIDDEN {
        assert!(!feed.contains(title), "{title} is public");
        assert!(!s.page("/ru/archive").await.contains(title), "{title} is listed");
    }
    let exported = ok(&newsdesk(&s.db, &["export"]));
    let line = exported.lines().find(|l| l.contains("Анонс: саммит 2031")).expect("the scheduled post");
    assert!(line.contains(r#""status":"scheduled""#) && line.contains("2031-06-01T11:00:00+03:00"), "{line}");

    // Tags (not Ghost's internal ones), the custom excerpt as the lead, photos in the library.
    let mayor = s.page("/ru/news/mer-moskvy-mietro-budiet-rabotat-krughlosutochno").await;
    assert!(
        mayor.contains("Ночной режим метро — с июня; «мы готовы», говорит мэр."),
        "the excerpt is the lead"
    );
    assert!(!mayor.contains("#internal") && !exported.contains("#internal"));
    assert!(s.page("/ru/tag/moskva").await.contains("Мэр Москвы"));
    for (old, new) in [
        ("/tag/moskva/", "/ru/tag/moskva"),
        ("/tag/sammit-shos/rss/", "/ru/tag/sammit-shos/feed.xml"),
        ("/rss/", "/ru/feed.xml"),
    ] {
        let response = s.get(old).await;
        assert_eq!(response.headers().get("location").map(|v| v.to_str().unwrap()), Some(new), "{old}");
    }
    let summit = s.page(&format!("/ru/news/{}", PUBLISHED[0].1)).await;
    let lead = crate::harness::between(&summit, "<img src=\"", "\"");
    assert!(lead.starts_with("/media/") && summit.contains(r#"alt="Зал заседаний саммита""#), "{summit}");
    assert_eq!(s.get(lead).await.status(), StatusCode::OK);
    let photo_story = s.page(&format!("/ru/news/{}", PUBLISHED[2].1)).await;
    assert!(photo_story.contains(r#"<figure><img src="/media/"#), "{photo_story}");
    for (_, slug) in PUBLISHED {
        let page = s.page(&format!("/ru/news/{slug}")).await;
        assert!(!page.contains("__GHOST_URL__") && !page.contains("/content/images/"), "{slug}");
    }

    // Authors became bylines, both of a two-author story in Ghost's order.
    let interview = s.page(&format!("/ru/news/{}", PUBLISHED[4].1)).await;
    let first = interview.find(">Анна Редакторова</a>").expect("the first author");
    let second = interview.find(">Pavel Reporter</a>").expect("the second author");
    assert!(first < second);
    assert!(s.page("/ru/author/pavel-reporter").await.contains("Interview: two reporters"));
    // Their old author pages lead there; their accounts await an invitation.
    let response = s.get("/author/pavel/").await;
    assert_eq!(
        response.headers().get("location").map(|v| v.to_str().unwrap()),
        Some("/ru/author/pavel-reporter")
    );
    let users = s.state.store.users().await.unwrap();
    assert!(users.iter().any(|u| u.name == "Pavel Reporter"), "{users:?}");
    assert_eq!(s.state.store.awaiting_invitation().await.unwrap().len(), users.len());

    // Pages became static pages at their own addresses, not news; the draft is not public.
    assert!(!feed.contains("About us") && !feed.contains("About this site"));
    assert!(s.page("/ru/about-us").await.contains("About us"));
    let response = s.get("/about-us/").await;
    assert_eq!(response.headers().get("location").map(|v| v.to_str().unwrap()), Some("/ru/about-us"));
    assert_eq!(s.get("/ru/akkrieditatsiia").await.status(), StatusCode::NOT_FOUND);

    let again = newsdesk(&s.db, &args);
    ok(&again);
    assert!(String::from_utf8_lossy(&again.stderr).contains("0 new, 0 updated, 8 unchanged"));
    s.stop().await;
}

on_both_backends!(a_ghost_export_moves_in);
