//! The public site over real HTTP, on both backends, with the fixture site imported
//! (`tests/fixtures/site.jsonl`: 16 published English items, 3 Russian translations, a draft,
//! a far-future scheduled item and one hostile item; five items per page).

use crate::harness::{Backend, TestServer, between};
use crate::on_both_backends;
use newsdesk::domain::{ArticleInput, Lang, Status};

fn position(text: &str, needle: &str) -> usize {
    text.find(needle).unwrap_or_else(|| panic!("{needle:?} not found"))
}

async fn home_lists_latest_news_newest_first(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let home = s.page("/en/").await;
    assert!(home.contains(r#"<html lang="en">"#));
    assert!(position(&home, "April story number 12") < position(&home, "April story number 11"));
    assert!(home.contains("12.04.2025"), "dates are dd.mm.yyyy");
    assert!(home.contains("Lead of April story 12."));
    assert!(!home.contains("Secret draft item") && !home.contains("Future scheduled item"));
    assert!(home.contains(r#"<form"#) || home.contains("archive"), "home links onwards");
    let ru = s.page("/ru/").await;
    assert!(ru.contains(r#"<html lang="ru">"#));
    assert!(ru.contains("Заседание Совета коллективной безопасности"));
    assert!(ru.contains("Последние новости"));
    assert!(!ru.contains("April story"), "the Russian home lists Russian news only");
    s.stop().await;
}

async fn all_news_paginates(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let p1 = s.page("/en/archive").await;
    for n in 8..=12 {
        assert!(p1.contains(&format!("April story number {n}<")), "page 1 has story {n}");
    }
    assert!(!p1.contains("April story number 7<"));
    assert!(p1.contains(r#"href="/en/archive?page=2" rel="next""#), "next link");
    let p2 = s.page("/en/archive?page=2").await;
    assert!(p2.contains("April story number 7<") && p2.contains("April story number 3<"));
    assert!(p2.contains(r#"rel="prev""#));
    let p4 = s.page("/en/archive?page=4").await;
    assert!(p4.contains("Hostile"), "16 items over pages of 5: the last page has the oldest");
    assert_eq!(s.get("/en/archive?page=5").await.status(), 404);
    for bad in ["0", "abc", "-2"] {
        let r = s.get(&format!("/en/archive?page={bad}")).await;
        assert_eq!(r.status(), 400, "page={bad}");
        assert!(r.text().await.unwrap().contains("is not a page number"));
    }
    s.stop().await;
}

async fn section_pages_list_their_own_news(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let page = s.page("/en/secretariat").await;
    assert!(page.contains("<h1>Secretariat</h1>"));
    for n in [10, 7, 4, 1] {
        assert!(page.contains(&format!("April story number {n}<")), "story {n}");
    }
    assert!(!page.contains("April story number 12<"));
    assert!(page.contains(r#"href="/en/secretariat" aria-current="page""#), "current section marked");
    let ru = s.page("/ru/secretariat").await;
    assert!(ru.contains("<h1>Секретариат</h1>"));
    assert_eq!(s.get("/en/no-such-section").await.status(), 404);
    s.stop().await;
}

async fn archive_filters_by_date(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let march = s.page("/en/archive/2025/03").await;
    assert!(march.contains("March item 1") && march.contains("March item 3"));
    assert!(!march.contains("April story"));
    let year = s.page("/en/archive/2025").await;
    assert!(year.contains(r#"href="/en/archive/2025/04""#), "the year page offers its months");
    let day = s.page("/en/archive/2025/04/05").await;
    assert!(day.contains("April story number 5<"));
    assert!(!day.contains("April story number 4<") && !day.contains("April story number 6<"));
    let range = s.page("/en/archive?from=2025-04-10&to=2025-04-11").await;
    assert!(range.contains("April story number 10<") && range.contains("April story number 11<"));
    assert!(!range.contains("April story number 12<") && !range.contains("April story number 9<"));
    assert!(range.contains(r#"value="2025-04-10""#), "the form keeps the range");
    let bad = s.get("/en/archive?from=2025-13-45").await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("is not a date"));
    assert_eq!(s.get("/en/archive?from=2025-05-01&to=2025-04-01").await.status(), 400);
    assert_eq!(s.get("/en/archive/2025/13").await.status(), 404);
    assert_eq!(s.get("/en/archive/abcd").await.status(), 400);
    s.stop().await;
}

async fn article_page_has_body_links_and_latest_news(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let page = s.page("/en/secretariat/april-story-number-1").await;
    assert!(page.contains("<h1>April story number 1</h1>"));
    assert!(page.contains("01.04.2025"));
    assert!(page.contains("<p>Body paragraph of story 1.</p>"));
    assert!(page.contains("<blockquote>"));
    let foot = between(&page, r#"<nav class="article-foot""#, "</nav>");
    assert!(foot.contains(r#"<a href="/en/archive/2025/04" data-back>Go back</a>"#), "{foot}");
    assert!(foot.contains(r#"<a href="/en/secretariat">Back to the section</a>"#), "{foot}");
    assert!(foot.contains(r#"<a href="/en/archive">Back to all news</a>"#), "{foot}");
    let latest = between(&page, r#"<aside class="latest""#, "</aside>");
    assert!(latest.contains("April story number 12") && latest.contains("12.04.2025"));
    assert!(!latest.contains("April story number 1<"), "the article itself is not in the block");
    // Structured data and sharing metadata.
    let ld = between(&page, r#"<script type="application/ld+json">"#, "</script>");
    let json: serde_json::Value = serde_json::from_str(ld).expect("valid JSON-LD");
    assert_eq!(json["@type"], "NewsArticle");
    assert_eq!(json["headline"], "April story number 1");
    assert_eq!(json["datePublished"], "2025-04-01T10:00:00+03:00");
    // Sharing is plain links: nothing is asked of those services until a reader clicks.
    assert!(page.contains(
        "https://t.me/share/url?url=https%3A%2F%2Fnews.test.example%2Fen%2Fsecretariat%2Fapril-story-number-1&amp;text=April%20story%20number%201"
    ), "a Telegram share link");
    assert!(page.contains("href=\"mailto:?subject=April%20story%20number%201"), "an e-mail link");
    // Without a photo of its own the article still has a picture: the site's card, a PNG of
    // the size link previews want, and the publisher's logo is a PNG too.
    let card = json["image"][0]["url"].as_str().expect("an image");
    assert!(card.starts_with("https://news.test.example/static/share.") && card.ends_with(".png"), "{card}");
    assert!(page.contains(&format!(r#"<meta property="og:image" content="{card}">"#)), "og:image");
    assert_eq!(page.matches(r#"property="og:image""#).count(), 1);
    let logo = json["publisher"]["logo"]["url"].as_str().expect("a logo");
    for (url, size) in [(card, (1200, 630)), (logo, (512, 512))] {
        let r = s.get(url.trim_start_matches("https://news.test.example")).await;
        assert_eq!(r.headers()["content-type"], "image/png", "{url}");
        let png = image::load_from_memory(&r.bytes().await.unwrap()).expect("a PNG");
        assert_eq!((png.width(), png.height()), size, "{url}");
    }
    assert!(page.contains(
        r#"<link rel="canonical" href="https://news.test.example/en/secretariat/april-story-number-1">"#
    ));
    // The Russian version: Russian labels, a link back to the English one.
    let switcher = between(&page, r#"<nav class="lang-switcher""#, "</nav>");
    let ru_href = between(switcher, r#"<a href=""#, "\"").to_string();
    assert!(ru_href.starts_with("/ru/secretariat/"), "{switcher}");
    let ru = s.page(&ru_href).await;
    assert!(ru.contains(r#"<html lang="ru">"#));
    assert!(
        ru.contains(">Назад</a>")
            && ru.contains(">Вернуться в раздел</a>")
            && ru.contains(">Все новости</a>")
    );
    assert!(ru.contains(r#"href="/en/secretariat/april-story-number-1""#), "switcher links the original");
    s.stop().await;
}

async fn missing_translation_leads_to_the_other_home(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let page = s.page("/en/secretariat/april-story-number-4").await;
    let switcher = between(&page, r#"<nav class="lang-switcher""#, "</nav>");
    assert!(switcher.contains(r#"<a href="/ru/""#), "{switcher}");
    assert!(switcher.contains("not translated"), "{switcher}");
    s.stop().await;
}

async fn old_urls_redirect_and_unpublished_items_are_hidden(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let wrong_section = s.get("/en/news/april-story-number-1").await;
    assert_eq!(wrong_section.status(), 308);
    assert_eq!(wrong_section.headers()["location"], "/en/secretariat/april-story-number-1");
    // Rename the slug by re-importing the same external id.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rename.jsonl");
    std::fs::write(&file, r#"{"external_id":"en-1","translation_key":"story-1","lang":"en","section":"secretariat","slug":"renamed-story","title":"April story number 1","lead":"Lead of April story 1.","body_html":"<p>Body paragraph of story 1.</p>","published_at":"2025-04-01 10:00"}"#).unwrap();
    s.import(&[file]).await;
    let old = s.get("/en/secretariat/april-story-number-1").await;
    assert_eq!(old.status(), 308);
    assert_eq!(old.headers()["location"], "/en/secretariat/renamed-story");
    s.page("/en/secretariat/renamed-story").await;
    assert_eq!(s.get("/en/news/secret-draft-item").await.status(), 404);
    assert_eq!(s.get("/en/news/future-scheduled-item").await.status(), 404);
    assert_eq!(s.get("/en/news/").await.status(), 308, "a trailing slash is dropped");
    s.stop().await;
}

async fn errors_are_real_pages_without_internals(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    for path in ["/en/does/not/exist/at/all", "/de/", "/en/news/no-such-article", "/xx"] {
        let r = s.get(path).await;
        assert_eq!(r.status(), 404, "{path}");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let body = r.text().await.unwrap();
        assert!(body.contains("Page not found"), "{path}: {body}");
    }
    let ru = s.get("/ru/no-such-section").await;
    assert_eq!(ru.status(), 404);
    assert!(ru.text().await.unwrap().contains("Страница не найдена"));
    s.stop().await;
}

async fn root_negotiates_the_language(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let plain = s.get("/").await;
    assert!(plain.status().is_redirection());
    assert_eq!(plain.headers()["location"], "/en/");
    let ru = s
        .client
        .get(format!("{}/", s.base))
        .header("accept-language", "ru-RU,ru;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(ru.headers()["location"], "/ru/");
    assert_eq!(s.get("/en").await.headers()["location"], "/en/");
    // Addresses without the language lead to the reader's language's page, query kept.
    assert_eq!(s.get("/search?q=summit").await.headers()["location"], "/en/search?q=summit");
    assert_eq!(s.get("/feed.xml").await.headers()["location"], "/en/feed.xml");
    assert_eq!(s.get("/archive").await.headers()["location"], "/en/archive");
    let ru_feed =
        s.client.get(format!("{}/atom.xml", s.base)).header("accept-language", "ru").send().await.unwrap();
    assert_eq!(ru_feed.headers()["location"], "/ru/atom.xml");
    s.stop().await;
}

async fn hostile_content_is_neutralized(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let list = s.page("/en/archive?page=4").await;
    let href = between(&list, r#"<h2 class="news-title"><a href=""#, "\"").to_string();
    let page = s.page(&href).await;
    let main = between(&page, "<main", "</main>");
    let lower = main.to_lowercase();
    for bad in ["<script", "onclick", "onerror", "javascript:", "<iframe"] {
        assert!(!lower.contains(bad), "{bad} reached the page: {main}");
    }
    assert!(main.contains("Safe text"));
    assert!(page.contains("&quot;quoted&quot; &amp; more"), "titles are escaped");
    s.stop().await;
}

async fn security_headers_assets_and_head(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let r = s.get("/en/").await;
    let h = r.headers();
    assert!(h["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h.contains_key("strict-transport-security"), "https base URL turns HSTS on");
    let html = r.text().await.unwrap();
    let css = between(&html, r#"<link rel="stylesheet" href=""#, "\"").to_string();
    let asset = s.get(&css).await;
    assert_eq!(asset.status(), 200);
    assert!(asset.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert!(asset.text().await.unwrap().contains("@media print"), "a print stylesheet");
    let head = s.client.head(format!("{}/en/", s.base)).send().await.unwrap();
    assert_eq!(head.status(), 200);
    assert!(head.text().await.unwrap().is_empty());
    s.stop().await;
}

async fn scheduled_articles_appear_by_themselves(backend: Backend) {
    let Some(db) = crate::harness::TestDb::new(backend).await else { return };
    let now = jiff::Timestamp::now();
    let clock = std::sync::Arc::new(newsdesk::domain::FixedClock::new(now));
    let s = TestServer::start_on(db, clock.clone()).await;
    let soon = ArticleInput {
        external_id: Some("soon".into()),
        translation_key: None,
        lang: Lang::parse("en").unwrap(),
        section_slug: "news".into(),
        slug: None,
        title: "Announcement at the top of the hour".into(),
        lead: "Scheduled".into(),
        body_html: "<p>x</p>".into(),
        status: Status::Scheduled,
        publish_at: now + jiff::SignedDuration::from_hours(1),
        created_at: None,
        updated_at: None,
        tags: Vec::new(),
        extras: Default::default(),
    };
    s.state.store.save_articles(&[], &[soon], now, &|| {}).await.unwrap();
    assert!(!s.page("/en/").await.contains("Announcement at the top of the hour"));
    // The scheduler reads the injected clock: move it past the hour instead of waiting.
    clock.set(now + jiff::SignedDuration::from_mins(61));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if s.page("/en/").await.contains("Announcement at the top of the hour") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the scheduled article never appeared");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    s.stop().await;
}

async fn related_news_share_words_with_the_title(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let page = loop {
        s.state.content_changed();
        let page = s.page("/en/secretariat/april-story-number-4").await;
        if page.contains("class=\"latest related\"") {
            break page;
        }
        assert!(std::time::Instant::now() < deadline, "no related news appeared");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let related = between(&page, "class=\"latest related\"", "</aside>");
    assert!(related.contains("April story number"), "{related}");
    assert!(!related.contains("April story number 4<"), "not itself");
    assert!(!related.contains("Secret draft") && !related.contains("Future scheduled"));
    s.stop().await;
}

async fn most_read_counts_people_not_robots(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let read = |path: &'static str, ua: &'static str, times: usize| {
        let s = &s;
        async move {
            for _ in 0..times {
                let r =
                    s.client.get(format!("{}{path}", s.base)).header("user-agent", ua).send().await.unwrap();
                assert_eq!(r.status(), 200);
            }
        }
    };
    let person = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    read("/en/joint-staff/april-story-number-2", person, 3).await;
    read("/en/secretariat/april-story-number-1", person, 1).await;
    read("/en/news/april-story-number-3", "Mozilla/5.0 (compatible; Googlebot/2.1)", 10).await;
    newsdesk::web::views::flush(&s.state).await;
    s.state.content_changed();
    let home = s.page("/en/").await;
    let block = between(&home, "class=\"latest most-read\"", "</aside>");
    assert!(block.contains("April story number 2<") && block.contains("April story number 1<"), "{block}");
    assert!(block.find("April story number 2<") < block.find("April story number 1<"), "most read first");
    assert!(!block.contains("April story number 3<"), "robots are not counted");
    s.stop().await;
}

on_both_backends!(
    most_read_counts_people_not_robots,
    related_news_share_words_with_the_title,
    home_lists_latest_news_newest_first,
    all_news_paginates,
    section_pages_list_their_own_news,
    archive_filters_by_date,
    article_page_has_body_links_and_latest_news,
    missing_translation_leads_to_the_other_home,
    old_urls_redirect_and_unpublished_items_are_hidden,
    errors_are_real_pages_without_internals,
    root_negotiates_the_language,
    hostile_content_is_neutralized,
    security_headers_assets_and_head,
    scheduled_articles_appear_by_themselves,
);

/// The version for the visually impaired: one link from every page, settings kept in a
/// cookie by plain links (no JavaScript), each reader getting their own version from the
/// page cache and caches told so.
async fn the_version_for_the_visually_impaired(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let with = |cookie: &'static str, path: &'static str| {
        let request = s.client.get(format!("{}{path}", s.base));
        if cookie.is_empty() { request } else { request.header("cookie", format!("nd_lv={cookie}")) }
    };
    let normal = s.page("/ru/").await;
    assert!(normal.contains(
        r#"<a class="lv-link" href="/low-vision?on=1&amp;next=%2Fru%2F">Версия для слабовидящих</a>"#
    ));
    assert!(!normal.contains("lv-panel"));

    let on = s.get("/low-vision?on=1&next=/ru/").await;
    assert_eq!(on.status(), 303);
    assert_eq!(on.headers()["location"], "/ru/");
    let cookie = on.headers()["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("nd_lv=2.bw.i.n;")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    let elsewhere = s.get("/low-vision?on=1&next=//evil.example/").await;
    assert_eq!(elsewhere.headers()["location"], "/", "only back to this site");

    // The same address, twice each way: the page cache keeps the versions apart.
    for _ in 0..2 {
        let page = with("3.wb.n.w", "/en/").send().await.unwrap();
        assert!(page.headers()["vary"].to_str().unwrap().contains("Cookie"));
        let html = page.text().await.unwrap();
        assert!(html.contains(r#"<html lang="en" class="lv lv-s3 lv-wb lv-noimg lv-wide">"#), "{html}");
        assert!(html.contains(r#"<nav class="lv-panel" aria-label="Settings for the visually impaired">"#));
        assert!(html.contains(r#"href="/low-vision?off=1&amp;next=%2Fen%2F">Normal version</a>"#));
        let plain = with("", "/en/").send().await.unwrap().text().await.unwrap();
        assert!(plain.starts_with("<!doctype html>\n<html lang=\"en\">"), "{plain}");
        let forged = with("9.<script>.x.y", "/en/").send().await.unwrap().text().await.unwrap();
        assert_eq!(forged, plain, "a cookie that is not a setting is the normal version");
    }
    // Changing one setting keeps the others; off ends it.
    let changed = with("3.wb.n.w", "/low-vision?scheme=brown&next=/en/").send().await.unwrap();
    assert!(changed.headers()["set-cookie"].to_str().unwrap().starts_with("nd_lv=3.brown.n.w;"));
    let off = s.get("/low-vision?off=1&next=/en/").await;
    assert!(off.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    s.stop().await;
}

on_both_backends!(the_version_for_the_visually_impaired);
