//! Feeds, sitemaps and robots.txt over real HTTP, on both backends, with the fixture site
//! imported (`tests/fixtures/site.jsonl`: 16 published English items, 3 Russian translations of
//! stories 1–3, a draft, a far-future scheduled item and one hostile item). Feeds are read back
//! with the same parser the importer uses (`feed_rs`), so "valid" means "a real reader reads it".

use crate::harness::{Backend, TestServer, between};
use crate::on_both_backends;
use newsdesk::domain::{ArticleInput, Lang, Status};
use std::collections::BTreeMap;

const BASE: &str = "https://news.test.example";

/// GETs a document that must answer 200 with the given content type; returns its text.
async fn document(s: &TestServer, path: &str, content_type: &str) -> String {
    let r = s.get(path).await;
    let status = r.status();
    let got = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let text = r.text().await.expect("body");
    assert_eq!(status, 200, "GET {path} answered {status}:\n{text}");
    assert_eq!(got, content_type, "GET {path}");
    text
}

fn parse(path: &str, text: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| panic!("{path} does not parse: {e}\n{text}"))
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.title.as_ref().expect("entry title").content.clone()).collect()
}

fn ids(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries.iter().map(|e| e.id.clone()).collect()
}

/// What every feed of the fixture must satisfy, whatever its format.
fn check_entries(path: &str, feed: &feed_rs::model::Feed, lang_prefix: &str) {
    assert!(!feed.entries.is_empty(), "{path} has entries");
    for e in &feed.entries {
        let title = &e.title.as_ref().unwrap().content;
        assert!(!e.id.is_empty(), "{path}: {title} has an id");
        let link = &e.links.first().unwrap_or_else(|| panic!("{path}: {title} has a link")).href;
        assert!(link.starts_with(&format!("{BASE}{lang_prefix}")), "{path}: absolute link {link}");
        assert!(e.published.is_some() && e.updated.is_some(), "{path}: {title} has dates");
        assert!(e.summary.as_ref().is_some_and(|s| !s.content.is_empty()), "{path}: {title} has a summary");
        let body = e.content.as_ref().and_then(|c| c.body.clone()).unwrap_or_default();
        assert!(!body.is_empty(), "{path}: {title} has its full text");
        assert!(!body.to_lowercase().contains("<script"), "{path}: script in {title}: {body}");
        assert!(!body.to_lowercase().contains("javascript:"), "{path}: javascript: in {title}");
        assert!(!title.contains("Secret draft item") && !title.contains("Future scheduled item"), "{path}");
    }
    // Newest first.
    let published: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
    assert!(published.windows(2).all(|w| w[0] >= w[1]), "{path}: newest first");
}

async fn rss_feed_is_complete_and_valid(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let path = "/en/feed.xml";
    let text = document(&s, path, "application/rss+xml; charset=utf-8").await;
    let feed = parse(path, &text);
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::RSS2);
    assert_eq!(feed.title.as_ref().unwrap().content, "Newsdesk");
    assert!(feed.description.as_ref().is_some_and(|d| !d.content.is_empty()), "RSS requires a description");
    assert!(feed.links.iter().any(|l| l.href == format!("{BASE}/en/")), "{:?}", feed.links);
    assert_eq!(feed.language.as_deref(), Some("en"));
    assert_eq!(feed.generator.as_ref().map(|g| g.content.as_str()), Some("Newsdesk"));
    assert!(text.contains(&format!(
        r#"<atom:link href="{BASE}/en/feed.xml" rel="self" type="application/rss+xml"/>"#
    )));
    check_entries(path, &feed, "/en/");
    assert_eq!(feed.entries.len(), 16, "every published English item (fewer than 30)");
    let newest = feed.entries.iter().filter_map(|e| e.published).max();
    assert!(feed.updated.is_some() && feed.updated >= newest, "lastBuildDate");
    let t = titles(&feed);
    assert_eq!(t[0], "April story number 12");
    assert_eq!(t[1], "April story number 11");
    // The guid is the permalink, and the permalink is the page.
    let first = &feed.entries[0];
    assert_eq!(first.id, first.links[0].href);
    assert!(text.contains(&format!(r#"<guid isPermaLink="true">{}</guid>"#, first.id)));
    s.page(first.links[0].href.strip_prefix(BASE).unwrap()).await;
    // RFC 2822 in the site's time zone.
    assert!(text.contains("<pubDate>Sat, 12 Apr 2025 10:00:00 +0300</pubDate>"), "{text}");
    // The hostile item: its title is text (escaped, no live markup), its body sanitized.
    assert!(!text.contains("<script"), "no raw script element anywhere");
    assert!(t.contains(&r#"Hostile title "quoted" & more"#.to_string()), "the title survives as text");
    assert!(text.contains("<title>Hostile title &quot;quoted&quot; &amp; more</title>"), "and is escaped");
    let hostile =
        feed.entries.iter().find(|e| e.title.as_ref().unwrap().content.starts_with("Hostile")).unwrap();
    let lead = &hostile.summary.as_ref().unwrap().content;
    assert!(!lead.contains('<'), "the lead is text, escaped for readers that render HTML: {lead}");
    // Stable ids: a second fetch names every item the same way.
    let again = parse(path, &document(&s, path, "application/rss+xml; charset=utf-8").await);
    assert_eq!(ids(&feed), ids(&again));
    s.stop().await;
}

async fn atom_feed_is_complete_and_valid(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let path = "/en/atom.xml";
    let text = document(&s, path, "application/atom+xml; charset=utf-8").await;
    let feed = parse(path, &text);
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(feed.id, format!("{BASE}/en/atom.xml"));
    assert_eq!(feed.title.as_ref().unwrap().content, "Newsdesk");
    assert!(feed.updated.is_some(), "Atom requires updated");
    assert_eq!(feed.authors.first().map(|a| a.name.as_str()), Some("Newsdesk"), "Atom requires an author");
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("self") && l.href == format!("{BASE}/en/atom.xml"))
    );
    assert!(
        feed.links.iter().any(|l| l.rel.as_deref() == Some("alternate") && l.href == format!("{BASE}/en/"))
    );
    assert_eq!(feed.generator.as_ref().map(|g| g.content.as_str()), Some("Newsdesk"));
    check_entries(path, &feed, "/en/");
    let newest = feed.entries.iter().filter_map(|e| e.updated).max();
    assert_eq!(feed.updated, newest, "the feed is as new as its newest item");
    assert_eq!(titles(&feed)[0], "April story number 12");
    for e in &feed.entries {
        assert!(e.id.starts_with("tag:news.test.example,"), "a permanent tag URI: {}", e.id);
    }
    assert!(text.contains("<content type=\"html\">"));
    assert!(text.contains("<published>2025-04-12T10:00:00+03:00</published>"), "RFC 3339 with the offset");
    let again = parse(path, &document(&s, path, "application/atom+xml; charset=utf-8").await);
    assert_eq!(ids(&feed), ids(&again));
    // The Russian feed lists the Russian translations only.
    let ru =
        parse("/ru/atom.xml", &document(&s, "/ru/atom.xml", "application/atom+xml; charset=utf-8").await);
    assert_eq!(ru.title.as_ref().unwrap().content, "Ньюсдеск");
    assert_eq!(ru.entries.len(), 3);
    check_entries("/ru/atom.xml", &ru, "/ru/");
    assert_eq!(titles(&ru)[0], "Заседание Совета коллективной безопасности");
    s.stop().await;
}

async fn json_feed_is_complete_and_valid(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let path = "/en/feed.json";
    let text = document(&s, path, "application/feed+json; charset=utf-8").await;
    let feed = parse(path, &text);
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::JSON);
    check_entries(path, &feed, "/en/");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["title"], "Newsdesk");
    assert_eq!(json["home_page_url"], format!("{BASE}/en/"));
    assert_eq!(json["feed_url"], format!("{BASE}/en/feed.json"));
    assert_eq!(json["language"], "en");
    assert_eq!(json["authors"][0]["name"], "Newsdesk");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 16);
    let first = &items[0];
    assert_eq!(first["title"], "April story number 12");
    assert_eq!(first["id"], first["url"], "the id is the URL");
    assert_eq!(first["date_published"], "2025-04-12T10:00:00+03:00");
    assert!(first["date_modified"].as_str().unwrap().ends_with("+03:00"));
    assert_eq!(first["summary"], "Lead of April story 12.");
    assert!(first["content_html"].as_str().unwrap().contains("<p>Body paragraph of story 12.</p>"));
    for item in items {
        let html = item["content_html"].as_str().unwrap().to_lowercase();
        assert!(!html.contains("<script") && !html.contains("onclick"), "{html}");
    }
    let again = parse(path, &document(&s, path, "application/feed+json; charset=utf-8").await);
    assert_eq!(ids(&feed), ids(&again));
    s.stop().await;
}

async fn section_feeds_follow_their_section(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let want =
        ["April story number 10", "April story number 7", "April story number 4", "April story number 1"];
    for (file, kind) in [
        ("feed.xml", "application/rss+xml; charset=utf-8"),
        ("atom.xml", "application/atom+xml; charset=utf-8"),
        ("feed.json", "application/feed+json; charset=utf-8"),
    ] {
        let path = format!("/en/secretariat/{file}");
        let text = document(&s, &path, kind).await;
        let feed = parse(&path, &text);
        assert_eq!(feed.title.as_ref().unwrap().content, "Newsdesk — Secretariat", "{path}");
        assert_eq!(titles(&feed), want, "{path}");
        check_entries(&path, &feed, "/en/secretariat/");
        assert!(text.contains(&format!("{BASE}/en/secretariat/{file}")), "{path}: self link");
    }
    let ru = parse("/ru/secretariat/feed.xml", &s.page("/ru/secretariat/feed.xml").await);
    assert_eq!(ru.title.as_ref().unwrap().content, "Ньюсдеск — Секретариат");
    assert_eq!(ru.entries.len(), 1);
    for path in
        ["/de/feed.xml", "/de/atom.xml", "/xx/feed.json", "/en/no-such-section/feed.xml", "/ru/nope/atom.xml"]
    {
        assert_eq!(s.get(path).await.status(), 404, "{path}");
    }
    // Pages announce their feeds (autodiscovery), the section's on a section page.
    let home = s.page("/en/").await;
    assert!(home.contains(r#"<link rel="alternate" type="application/rss+xml""#));
    assert!(home.contains(r#"href="/en/feed.xml""#) && home.contains(r#"href="/en/atom.xml""#));
    let section = s.page("/en/secretariat").await;
    assert!(section.contains(r#"href="/en/secretariat/feed.json""#));
    s.stop().await;
}

async fn robots_and_sitemap_index(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let robots = document(&s, "/robots.txt", "text/plain; charset=utf-8").await;
    assert!(robots.contains("User-agent: *"));
    assert!(robots.contains("Disallow: /admin"));
    assert!(robots.contains(&format!("Sitemap: {BASE}/sitemap.xml")));
    assert!(robots.contains(&format!("Sitemap: {BASE}/sitemap-news.xml")));
    let index = document(&s, "/sitemap.xml", "application/xml; charset=utf-8").await;
    assert!(index.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    assert!(index.contains(r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#));
    assert!(index.contains(&format!("<loc>{BASE}/sitemaps/pages.xml</loc>")));
    assert!(index.contains(&format!("<loc>{BASE}/sitemaps/articles-0.xml</loc><lastmod>")));
    assert_eq!(index.matches("<sitemap>").count(), 2, "all fixture ids fit the first file:\n{index}");
    assert!(index.trim_end().ends_with("</sitemapindex>"));

    let pages = document(&s, "/sitemaps/pages.xml", "application/xml; charset=utf-8").await;
    // Home, all news, events, documents and three sections, in two languages.
    assert_eq!(pages.matches("<url>").count(), 14, "{pages}");
    assert!(
        pages.contains(&format!("<loc>{BASE}/ru/events</loc>"))
            && pages.contains(&format!("<loc>{BASE}/en/documents</loc>"))
    );
    let home = between(&pages, &format!("<url><loc>{BASE}/ru/</loc>"), "</url>");
    assert!(home.contains(&format!(r#"<xhtml:link rel="alternate" hreflang="en" href="{BASE}/en/"/>"#)));
    assert!(home.contains(&format!(r#"<xhtml:link rel="alternate" hreflang="ru" href="{BASE}/ru/"/>"#)));
    assert!(pages.contains(&format!("<loc>{BASE}/en/joint-staff</loc>")));
    s.stop().await;
}

async fn article_sitemap_lists_published_articles_with_translations(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let xml = document(&s, "/sitemaps/articles-0.xml", "application/xml; charset=utf-8").await;
    assert!(xml.contains(r#"xmlns:xhtml="http://www.w3.org/1999/xhtml""#));
    assert_eq!(xml.matches("<url>").count(), 19, "16 English and 3 Russian published items");
    assert_eq!(xml.matches("<url>").count(), xml.matches("</url>").count());
    assert!(!xml.contains("secret-draft-item") && !xml.contains("future-scheduled-item"));
    // Story 1 exists in both languages: each version names both, itself included.
    let en_loc = format!("{BASE}/en/secretariat/april-story-number-1");
    let en = between(&xml, &format!("<url><loc>{en_loc}</loc>"), "</url>");
    assert!(en.starts_with("<lastmod>") && en.contains("+03:00</lastmod>"), "{en}");
    assert!(en.contains(&format!(r#"hreflang="en" href="{en_loc}"/>"#)), "{en}");
    let ru_loc = between(en, r#"hreflang="ru" href=""#, "\"").to_string();
    assert!(ru_loc.starts_with(&format!("{BASE}/ru/secretariat/")), "{en}");
    let ru = between(&xml, &format!("<url><loc>{ru_loc}</loc>"), "</url>");
    assert!(ru.contains(&format!(r#"hreflang="en" href="{en_loc}"/>"#)), "{ru}");
    assert_eq!(xml.matches(r#"hreflang="ru""#).count(), 6, "stories 1-3, from both sides");
    // A story without a translation names only itself.
    let alone =
        between(&xml, &format!("<url><loc>{BASE}/en/secretariat/april-story-number-4</loc>"), "</url>");
    assert_eq!(alone.matches("<xhtml:link").count(), 1, "{alone}");
    // Past the end, and names that are not sitemap parts.
    for path in [
        "/sitemaps/articles-1.xml",
        "/sitemaps/articles-00.xml",
        "/sitemaps/articles--1.xml",
        "/sitemaps/articles-x.xml",
        "/sitemaps/articles-99999999999999999999.xml",
        "/sitemaps/other.xml",
        "/sitemaps/pages.xml.gz",
    ] {
        assert_eq!(s.get(path).await.status(), 404, "{path}");
    }
    s.stop().await;
}

/// The chunking rules with a tiny chunk size, straight against the store: the grouped index
/// query and the range query agree, every file respects the limit, and together they list each
/// published article exactly once.
async fn sitemap_chunks_honour_the_limit(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let store = &s.state.store;
    let all = store.articles_after(0, 1000).await.unwrap();
    let published: Vec<i64> = all.iter().filter(|a| a.status == Status::Published).map(|a| a.id).collect();
    assert_eq!(published.len(), 19);
    const CHUNK: i64 = 4;
    let mut want: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for id in &published {
        want.entry((id - 1) / CHUNK).or_default().push(*id);
    }
    let chunks = store.sitemap_chunks(CHUNK).await.unwrap();
    assert_eq!(chunks.iter().map(|c| c.number).collect::<Vec<_>>(), want.keys().copied().collect::<Vec<_>>());
    let mut seen = Vec::new();
    for c in &chunks {
        assert!(c.count >= 1 && c.count <= CHUNK, "{c:?}");
        let part = store.sitemap_articles(c.number, CHUNK).await.unwrap();
        let ids: Vec<i64> = part.iter().map(|a| a.id).collect();
        assert_eq!(ids, want[&c.number], "file {}", c.number);
        assert_eq!(c.count as usize, ids.len());
        assert_eq!(Some(c.lastmod), part.iter().map(|a| a.lastmod).max(), "file {}", c.number);
        for a in &part {
            assert!(a.alternates.iter().any(|t| t.lang == a.lang && t.slug == a.slug), "lists itself");
        }
        seen.extend(ids);
    }
    assert_eq!(seen, published, "every published article once, in id order");
    let past = chunks.last().unwrap().number + 1;
    assert!(store.sitemap_articles(past, CHUNK).await.unwrap().is_empty());
    assert!(store.sitemap_articles(-1, CHUNK).await.unwrap().is_empty());
    s.stop().await;
}

async fn news_sitemap_lists_the_last_two_days(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let now = jiff::Timestamp::now();
    let item = |id: &str, lang: &str, title: &str, hours_ago: i64| ArticleInput {
        external_id: Some(id.into()),
        translation_key: None,
        lang: Lang::parse(lang).unwrap(),
        section_slug: "news".into(),
        slug: None,
        title: title.into(),
        lead: "Lead".into(),
        body_html: "<p>x</p>".into(),
        status: Status::Published,
        publish_at: now - jiff::SignedDuration::from_hours(hours_ago),
        created_at: None,
        updated_at: None,
        tags: Vec::new(),
        extras: Default::default(),
    };
    let items = [
        item("fresh", "en", "Fresh news & views", 1),
        item("fresh-ru", "ru", "Свежая новость", 2),
        item("stale", "en", "Three days old", 72),
    ];
    s.state.store.save_articles(&[], &items, now, &|| {}).await.unwrap();
    let xml = document(&s, "/sitemap-news.xml", "application/xml; charset=utf-8").await;
    assert!(xml.contains(r#"xmlns:news="http://www.google.com/schemas/sitemap-news/0.9""#));
    assert_eq!(xml.matches("<url>").count(), 2, "{xml}");
    assert!(xml.contains("<news:title>Fresh news &amp; views</news:title>"));
    assert!(
        xml.contains("<news:publication><news:name>Newsdesk</news:name><news:language>en</news:language>")
    );
    assert!(xml.contains("<news:name>Ньюсдеск</news:name><news:language>ru</news:language>"));
    assert!(xml.contains(&format!("<loc>{BASE}/en/news/fresh-news-views</loc>")), "{xml}");
    assert!(xml.contains("+03:00</news:publication_date>"));
    assert!(xml.find("Fresh news").unwrap() < xml.find("Свежая новость").unwrap(), "newest first");
    assert!(!xml.contains("Three days old") && !xml.contains("April story"));
    // The new articles also lead the feed.
    let feed = parse("/en/feed.xml", &s.page("/en/feed.xml").await);
    assert_eq!(titles(&feed)[0], "Fresh news & views");
    s.stop().await;
}

on_both_backends!(
    rss_feed_is_complete_and_valid,
    atom_feed_is_complete_and_valid,
    json_feed_is_complete_and_valid,
    section_feeds_follow_their_section,
    robots_and_sitemap_index,
    article_sitemap_lists_published_articles_with_translations,
    sitemap_chunks_honour_the_limit,
    news_sitemap_lists_the_last_two_days,
);
