//! Full-text search over real HTTP, on both backends: word forms in English and Russian,
//! phrases, filters, sorting, highlighting, pagination, hostile input, and the index following
//! the change log (publication, edits, unpublication, writes from another connection, holes
//! left by transactions that commit out of order) within seconds. Articles are saved through
//! the store, then the tests poll the search page until the node's background catch-up has
//! indexed them (a deadline, no fixed sleeps).

use crate::harness::{Backend, TestServer};
use crate::on_both_backends;
use jiff::Timestamp;
use newsdesk::domain::{ArticleInput, Lang, Status};
use newsdesk::search::{CatchUp, Search, SearchRequest, Sort};
use newsdesk::storage::{SectionInput, Store};
use std::time::{Duration, Instant};

/// How long a change may take to show in search results; the node follows every 500 ms.
const FOLLOW_DEADLINE: Duration = Duration::from_secs(10);

struct Item<'a> {
    id: &'a str,
    lang: &'a str,
    section: &'a str,
    title: &'a str,
    body: &'a str,
    status: Status,
    at: &'a str,
}

fn item<'a>(id: &'a str, lang: &'a str, title: &'a str, body: &'a str, at: &'a str) -> Item<'a> {
    Item { id, lang, section: "news", title, body, status: Status::Published, at }
}

fn input(i: &Item<'_>) -> ArticleInput {
    ArticleInput {
        external_id: Some(i.id.to_string()),
        translation_key: None,
        lang: Lang::parse(i.lang).unwrap(),
        section_slug: i.section.to_string(),
        slug: None,
        title: i.title.to_string(),
        lead: String::new(),
        body_html: format!("<p>{}</p>", i.body),
        status: i.status,
        publish_at: i.at.parse().expect("timestamp"),
        created_at: None,
        updated_at: None,
        tags: Vec::new(),
        extras: Default::default(),
    }
}

async fn save(store: &Store, items: &[Item<'_>]) {
    let sections = [SectionInput {
        slug: "secretariat".into(),
        names: [("en".into(), "Secretariat".into()), ("ru".into(), "Секретариат".into())].into(),
        position: 1,
    }];
    let inputs: Vec<ArticleInput> = items.iter().map(input).collect();
    store.save_articles(&sections, &inputs, Timestamp::now(), &|| {}).await.expect("save articles");
}

/// Polls a page until `ready` holds for its text, failing after [`FOLLOW_DEADLINE`].
async fn page_until(s: &TestServer, path: &str, what: &str, ready: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + FOLLOW_DEADLINE;
    loop {
        let page = s.page(path).await;
        if ready(&page) {
            return page;
        }
        assert!(
            Instant::now() < deadline,
            "GET {path}: {what} did not happen within {FOLLOW_DEADLINE:?}:\n{page}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn position(text: &str, needle: &str) -> usize {
    text.find(needle).unwrap_or_else(|| panic!("{needle:?} not found in:\n{text}"))
}

/// The results list only (the form echoes the query, which would confuse `contains`).
fn results(page: &str) -> &str {
    match page.find("class=\"search-results\"") {
        Some(i) => &page[i..],
        None => "",
    }
}

async fn word_forms_are_found_in_both_languages(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    save(
        &s.state.store,
        &[
            item(
                "en-a",
                "en",
                "Conferences of the member states",
                "Two conferences met.",
                "2025-03-01T10:00:00Z",
            ),
            item(
                "en-b",
                "en",
                "A meeting in Minsk",
                "The delegates were meeting all day.",
                "2025-03-02T10:00:00Z",
            ),
            item(
                "ru-a",
                "ru",
                "Итоги конференции",
                "Участники конференции подписали заявление.",
                "2025-03-03T10:00:00Z",
            ),
            item(
                "ru-b",
                "ru",
                "Открытие",
                "Министры открыли конференцию по безопасности.",
                "2025-03-04T10:00:00Z",
            ),
            item(
                "ru-c",
                "ru",
                "Учения «Взаимодействие»",
                "Объединённый штаб провёл учения.",
                "2025-03-05T10:00:00Z",
            ),
        ],
    )
    .await;
    let en = page_until(&s, "/en/search?q=conference", "finding 'conferences'", |p| {
        results(p).contains("Conferences</mark> of the member states")
    })
    .await;
    assert!(en.contains("<mark>conferences</mark> met"), "the snippet marks the matched form:\n{en}");
    assert!(!results(&en).contains("конференц"), "an English search shows English articles only");
    let meets = s.page("/en/search?q=meetings").await;
    assert!(results(&meets).contains("A <mark>meeting</mark> in Minsk"), "{meets}");

    let ru = page_until(
        &s,
        "/ru/search?q=%D0%BA%D0%BE%D0%BD%D1%84%D0%B5%D1%80%D0%B5%D0%BD%D1%86%D0%B8%D1%8F",
        "finding 'конференция'",
        |p| results(p).contains("Открытие") && results(p).contains("Итоги"),
    )
    .await;
    assert!(ru.contains("<mark>конференцию</mark>") && ru.contains("<mark>конференции</mark>"), "{ru}");
    assert!(ru.contains("найдено 2 материала"), "Russian plural in the count:\n{ru}");
    assert!(!results(&ru).contains("Conferences"));
    let yo =
        s.page("/ru/search?q=%D0%BE%D0%B1%D1%8A%D0%B5%D0%B4%D0%B8%D0%BD%D0%B5%D0%BD%D0%BD%D1%8B%D0%B9").await;
    assert!(yo.contains("<mark>Объединённый</mark>"), "«объединенный» finds «Объединённый»:\n{yo}");
    s.stop().await;
}

async fn phrases_filters_sorting_and_pages(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let mut items = vec![
        item(
            "c1",
            "en",
            "Climate summit opens",
            "Leaders discuss climate change in Geneva.",
            "2025-03-01T10:00:00Z",
        ),
        Item {
            section: "secretariat",
            ..item(
                "c2",
                "en",
                "Change of climate policy",
                "A change on the climate was announced.",
                "2025-03-05T10:00:00Z",
            )
        },
        item(
            "c3",
            "en",
            "Summit summary",
            "The summit also covered finance for the climate.",
            "2025-03-10T10:00:00Z",
        ),
    ];
    let budget: Vec<(String, String)> =
        (1..=7).map(|n| (format!("b{n}"), format!("Budget report number {n}"))).collect();
    for (n, (id, title)) in budget.iter().enumerate() {
        let at = [
            "2025-01-01T10:00:00Z",
            "2025-01-02T10:00:00Z",
            "2025-01-03T10:00:00Z",
            "2025-01-04T10:00:00Z",
            "2025-01-05T10:00:00Z",
            "2025-01-06T10:00:00Z",
            "2025-01-07T10:00:00Z",
        ][n];
        items.push(item(id, "en", title, "The annual budget.", at));
    }
    save(&s.state.store, &items).await;
    page_until(&s, "/en/search?q=budget", "indexing", |p| p.contains("7 results")).await;

    let (opens, policy, summary) =
        ("/climate-summit-opens\"", "/change-of-climate-policy\"", "/summit-summary\"");
    let loose = s.page("/en/search?q=climate+change").await;
    assert!(results(&loose).contains(opens) && results(&loose).contains(policy), "{loose}");
    let phrase = s.page("/en/search?q=%22climate+change%22").await;
    assert!(results(&phrase).contains(opens), "{phrase}");
    assert!(!results(&phrase).contains(policy), "a quoted phrase needs its words together:\n{phrase}");
    assert!(phrase.contains("1 result for"), "{phrase}");
    assert!(phrase.contains("<mark>climate</mark> <mark>change</mark>"), "{phrase}");

    let section = s.page("/en/search?q=climate&section=secretariat").await;
    assert!(results(&section).contains(policy) && !results(&section).contains(opens), "{section}");
    assert!(section.contains(r#"<option value="secretariat" selected>"#), "the form keeps the section");
    let dates = s.page("/en/search?q=climate&from=2025-03-04&to=2025-03-06").await;
    assert!(results(&dates).contains(policy) && !results(&dates).contains(summary), "{dates}");
    assert!(dates.contains(r#"value="2025-03-04""#), "the form keeps the dates");

    let by_relevance = s.page("/en/search?q=climate").await;
    let r = results(&by_relevance);
    assert!(
        position(r, summary) > position(r, opens) && position(r, summary) > position(r, policy),
        "title matches first:\n{r}"
    );
    let by_date = s.page("/en/search?q=climate&sort=date").await;
    let r = results(&by_date);
    assert!(position(r, summary) < position(r, policy) && position(r, policy) < position(r, opens), "{r}");
    assert!(r.contains("10.03.2025"), "dates are dd.mm.yyyy");
    assert!(r.contains(r#"href="/en/secretariat/change-of-climate-policy""#), "results link to the article");
    assert!(by_date.contains(r#"<option value="date" selected>"#), "the form keeps the order");

    let p1 = s.page("/en/search?q=budget&sort=date").await;
    assert_eq!(results(&p1).matches("class=\"search-result\"").count(), 5, "five per page");
    assert!(p1.contains(r#"href="/en/search?q=budget&amp;sort=date&amp;page=2" rel="next""#), "{p1}");
    let p2 = s.page("/en/search?q=budget&sort=date&page=2").await;
    assert!(results(&p2).contains("number 2<") && results(&p2).contains("number 1<"), "{p2}");
    assert_eq!(s.get("/en/search?q=budget&page=3").await.status(), 404);
    s.stop().await;
}

async fn empty_odd_and_bad_input(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let empty = s.page("/en/search").await;
    assert!(empty.contains(r#"<form role="search""#) && empty.contains(r#"name="q""#));
    assert!(empty.contains("other forms of a word are found too"), "a hint for an empty query");
    assert!(empty.contains(r#"<meta name="robots" content="noindex"#));
    let home = s.page("/ru/").await;
    assert!(
        home.contains(r#"action="/ru/search""#) && home.contains("class=\"site-search\""),
        "every page has the search form"
    );
    page_until(&s, "/en/search?q=april", "indexing the fixture", |p| p.contains("results for")).await;
    let none = s.page("/en/search?q=xylophone").await;
    assert!(
        none.contains("Nothing was found for “xylophone”") && none.contains("Check the spelling"),
        "{none}"
    );
    for odd in [
        "%22unclosed",
        "a+AND+OR",
        "title_en%3A%28",
        "%5B",
        "*",
        "%5C",
        "-april",
        "(((",
        "%27",
        "april~2",
        "a%5E2",
    ] {
        let r = s.get(&format!("/en/search?q={odd}")).await;
        assert_eq!(r.status(), 200, "q={odd}");
    }
    let hostile = s.page("/en/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!hostile.contains("<script>alert(1)"), "the query is escaped when shown");
    for bad in ["from=2025-13-01", "to=yesterday"] {
        let r = s.get(&format!("/en/search?q=april&{bad}")).await;
        assert_eq!(r.status(), 400, "{bad}");
        let archive = s.get(&format!("/en/archive?{bad}")).await;
        assert_eq!(archive.status(), 400);
        let message = r.text().await.unwrap();
        assert!(message.contains("is not a date"), "{message}");
    }
    assert_eq!(s.get("/en/search?q=april&from=2025-05-01&to=2025-04-01").await.status(), 400);
    assert_eq!(s.get("/en/search?q=april&page=abc").await.status(), 400);
    assert_eq!(s.get("/de/search?q=april").await.status(), 404);
    s.stop().await;
}

async fn stored_text_is_escaped_in_results(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    save(
        &s.state.store,
        &[item(
            "x1",
            "en",
            "Tom & <b>Jerry</b> meeting",
            "Cats &lt;i&gt; and <em>mice</em> meeting.",
            "2025-02-01T10:00:00Z",
        )],
    )
    .await;
    let page = page_until(&s, "/en/search?q=meeting", "indexing", |p| results(p).contains("Jerry")).await;
    let r = results(&page);
    assert!(r.contains("Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; <mark>meeting</mark>"), "{r}");
    assert!(r.contains("Cats &lt;i&gt; and mice <mark>meeting</mark>"), "{r}");
    assert!(!r.contains("<b>") && !r.contains("<em>"), "{r}");
    s.stop().await;
}

async fn the_index_follows_publication_edits_and_unpublication(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let future = (Timestamp::now() + jiff::SignedDuration::from_hours(24 * 30)).to_string();
    save(
        &s.state.store,
        &[
            item("z1", "en", "Zeppelin landing", "A zeppelin landed.", "2025-02-01T10:00:00Z"),
            Item {
                status: Status::Draft,
                ..item("z2", "en", "Secret zeppelin draft", "Draft.", "2025-02-02T10:00:00Z")
            },
            Item { status: Status::Scheduled, ..item("z3", "en", "Future zeppelin plan", "Later.", &future) },
        ],
    )
    .await;
    let page = page_until(&s, "/en/search?q=zeppelin", "indexing", |p| results(p).contains("landing")).await;
    assert!(
        !results(&page).contains("Secret") && !results(&page).contains("Future"),
        "drafts and scheduled items stay out:\n{page}"
    );
    assert!(page.contains("1 result for"));

    // An edit: the new words are found, the old ones no longer.
    let started = Instant::now();
    save(
        &s.state.store,
        &[item("z1", "en", "Airship landing", "An airship landed.", "2025-02-01T10:00:00Z")],
    )
    .await;
    page_until(&s, "/en/search?q=airship", "the edit", |p| results(p).contains("Airship</mark> landing"))
        .await;
    let old = s.page("/en/search?q=zeppelin").await;
    assert!(old.contains("Nothing was found"), "{old}");

    // Unpublishing removes it; publishing the draft adds that.
    save(
        &s.state.store,
        &[
            Item {
                status: Status::Draft,
                ..item("z1", "en", "Airship landing", "An airship landed.", "2025-02-01T10:00:00Z")
            },
            item("z2", "en", "Secret zeppelin draft", "Draft.", "2025-02-02T10:00:00Z"),
        ],
    )
    .await;
    page_until(&s, "/en/search?q=airship", "the unpublication", |p| p.contains("Nothing was found")).await;
    page_until(&s, "/en/search?q=zeppelin", "the publication", |p| results(p).contains("Secret")).await;
    assert!(started.elapsed() < Duration::from_secs(10), "changes are followed within seconds");

    // A write through another connection (another node, the command line) is followed too.
    let other = Store::open(&s.db.url).await.expect("second connection");
    save(&other, &[item("z4", "en", "Blimp parade", "Blimps everywhere.", "2025-02-03T10:00:00Z")]).await;
    page_until(&s, "/en/search?q=blimps", "a change from another connection", |p| {
        results(p).contains("parade")
    })
    .await;
    other.close().await;
    s.stop().await;
}

/// On PostgreSQL a change id becomes visible when its transaction commits, so a later id can
/// be seen first. The follower must come back for the earlier one.
async fn holes_in_the_change_log_are_waited_for(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    save(
        &s.state.store,
        &[item("h1", "en", "Harbour report", "Ships in the harbour.", "2025-02-01T10:00:00Z")],
    )
    .await;
    page_until(&s, "/en/search?q=harbour", "indexing", |p| results(p).contains("Harbour")).await;
    let pool = sqlx::PgPool::connect(&s.db.url).await.expect("connect");
    let mut slow = pool.begin().await.expect("begin");
    sqlx::query(
        "UPDATE articles SET title = 'Lighthouse report', version = version + 1 WHERE external_id = 'h1'",
    )
    .execute(&mut *slow)
    .await
    .expect("update");
    sqlx::query("INSERT INTO changes (article_id, kind, at) SELECT id, 'saved', 0 FROM articles WHERE external_id = 'h1'")
        .execute(&mut *slow)
        .await
        .expect("log");
    // A later change commits first…
    save(&s.state.store, &[item("h2", "en", "Pier news", "The pier reopened.", "2025-02-02T10:00:00Z")])
        .await;
    page_until(&s, "/en/search?q=pier", "the later change", |p| results(p).contains("Pier")).await;
    // …then the earlier one, which must not be skipped.
    slow.commit().await.expect("commit");
    page_until(&s, "/en/search?q=lighthouse", "the earlier change", |p| results(p).contains("Lighthouse"))
        .await;
    pool.close().await;
    s.stop().await;
}

mod holes_in_the_change_log_are_waited_for {
    /// PostgreSQL only: SQLite has one writer at a time, so its ids always commit in order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::holes_in_the_change_log_are_waited_for(crate::harness::Backend::Postgres).await
    }
}

async fn a_broken_index_is_rebuilt_from_the_database(backend: Backend) {
    let Some(s) = TestServer::with_fixture(backend).await else { return };
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("search");
    std::fs::create_dir_all(&index_dir).unwrap();
    std::fs::write(index_dir.join("meta.json"), b"garbage").unwrap();
    std::fs::write(index_dir.join("0123.idx"), b"more garbage").unwrap();
    let request = SearchRequest {
        lang: "en",
        text: "april stories",
        section_id: None,
        tag: None,
        from: None,
        to: None,
        sort: Sort::Date,
        offset: 0,
        limit: 3,
    };
    {
        let search =
            std::sync::Arc::new(Search::open(&index_dir).expect("a broken index does not stop the node"));
        let indexed = search.catch_up(&s.state.store).await.expect("rebuild");
        assert!(matches!(indexed, CatchUp::Rebuilt), "the first catch-up builds the index");
        let found = search.search(&s.state.store, &request).await.unwrap();
        assert_eq!(found.total, 12, "every English April story");
        assert_eq!(found.hits[0].title, "April story number 12");
        assert_eq!(found.hits[0].title_html, "<mark>April</mark> <mark>story</mark> number 12");
        let items =
            search.search(&s.state.store, &SearchRequest { text: "item", ..request.clone() }).await.unwrap();
        assert_eq!(items.total, 3, "the March items, not the draft nor the scheduled item");
        let again = search.catch_up(&s.state.store).await.unwrap();
        assert!(matches!(again, CatchUp::Applied(ref c) if c.is_empty()), "nothing new: {again:?}");
    }
    // Reopened, the index keeps its documents and its place in the change log.
    let search = std::sync::Arc::new(Search::open(&index_dir).unwrap());
    assert_eq!(search.search(&s.state.store, &request).await.unwrap().total, 12);
    let reopened = search.catch_up(&s.state.store).await.unwrap();
    assert!(matches!(reopened, CatchUp::Applied(ref c) if c.is_empty()), "{reopened:?}");
    let progress = std::sync::atomic::AtomicU64::new(0);
    let rebuilt = search
        .rebuild(&s.state.store, &|n| {
            progress.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        })
        .await
        .unwrap();
    assert_eq!(rebuilt, 19, "16 English and 3 Russian published articles");
    assert_eq!(progress.into_inner(), 19, "progress counts every article");
    assert_eq!(search.search(&s.state.store, &request).await.unwrap().total, 12);
    s.stop().await;
}

/// A process killed in the middle of a commit leaves a deletes file that `meta.json` does not
/// name; the next process commits the same changes and would want the same file name. The
/// index tidies such files when it opens, so it follows the database again.
async fn a_commit_cut_by_a_kill_does_not_stop_the_index(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let store = &s.state.store;
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("search");
    let find = |search: std::sync::Arc<Search>, text: &'static str| async move {
        let request = SearchRequest {
            lang: "en",
            text,
            section_id: None,
            tag: None,
            from: None,
            to: None,
            sort: Sort::Date,
            offset: 0,
            limit: 5,
        };
        search.search(store, &request).await.unwrap().total
    };
    let ids: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
    let alpha: Vec<Item<'_>> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let title = if i == 0 { "Story alpha" } else { "Story plain" };
            item(id, "en", title, "Text", "2025-01-02T10:00:00Z")
        })
        .collect();
    save(store, &alpha).await;
    {
        let search = std::sync::Arc::new(Search::open(&index_dir).unwrap());
        search.catch_up(store).await.unwrap();
        assert_eq!(find(search.clone(), "alpha").await, 1);
    }
    let before = dir.path().join("before");
    copy_dir(&index_dir, &before);
    save(store, &[item("k0", "en", "Story bravo", "Text", "2025-01-02T10:00:00Z")]).await;
    {
        let search = std::sync::Arc::new(Search::open(&index_dir).unwrap());
        search.catch_up(store).await.unwrap();
        assert_eq!(find(search.clone(), "bravo").await, 1);
    }
    // What a kill between writing the deletes file and writing meta.json leaves: the old
    // commit, and the new deletes file beside it.
    let orphans: Vec<_> = std::fs::read_dir(&index_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().ends_with(".del") && !before.join(n).exists())
        .collect();
    assert!(!orphans.is_empty(), "the update wrote a deletes file");
    let after = dir.path().join("after");
    std::fs::rename(&index_dir, &after).unwrap();
    copy_dir(&before, &index_dir);
    for name in &orphans {
        std::fs::copy(after.join(name), index_dir.join(name)).unwrap();
    }
    let search = std::sync::Arc::new(Search::open(&index_dir).unwrap());
    search.catch_up(store).await.expect("the same changes commit again");
    assert_eq!(find(search.clone(), "bravo").await, 1, "the index follows the database again");
    assert_eq!(find(search, "alpha").await, 0);
    s.stop().await;
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

on_both_backends!(
    a_commit_cut_by_a_kill_does_not_stop_the_index,
    word_forms_are_found_in_both_languages,
    phrases_filters_sorting_and_pages,
    empty_odd_and_bad_input,
    stored_text_is_escaped_in_results,
    the_index_follows_publication_edits_and_unpublication,
    a_broken_index_is_rebuilt_from_the_database,
    an_index_behind_the_pruned_log_rebuilds,
);

/// Change-log entries are pruned after the retention period. An index whose position is older
/// than the oldest entry left cannot know what the pruned ones changed: it rebuilds, and what
/// follows it (the node's listing and cache) hears so.
async fn an_index_behind_the_pruned_log_rebuilds(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    let store = &s.state.store;
    save(store, &[item("p-1", "en", "Lighthouse keepers meet", "Before pruning", "2026-04-01T09:00:00Z")])
        .await;
    let dir = tempfile::tempdir().unwrap();
    let search = std::sync::Arc::new(Search::open(&dir.path().join("search")).unwrap());
    assert!(!search.is_ready(), "a new index is not ready before it is built");
    assert!(matches!(search.catch_up(store).await.unwrap(), CatchUp::Rebuilt), "a new index is built");
    assert!(search.is_ready());
    let behind = store.latest_change().await.unwrap();
    // Meanwhile: more changes, then pruning (once the node's webhook worker has read them,
    // which it must before anything is pruned).
    save(store, &[item("p-2", "en", "Harbour pilots gather", "After pruning", "2026-04-02T09:00:00Z")]).await;
    save(store, &[item("p-3", "en", "Ferry timetable agreed", "After pruning", "2026-04-03T09:00:00Z")])
        .await;
    let started = Instant::now();
    loop {
        store.prune_changes(Timestamp::now() + jiff::SignedDuration::from_hours(24 * 60)).await.unwrap();
        if store.oldest_change().await.unwrap() > behind + 1 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "the log was never pruned past the index");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        store.oldest_change().await.unwrap(),
        store.latest_change().await.unwrap(),
        "only the newest entry is kept"
    );
    assert!(
        matches!(search.catch_up(store).await.unwrap(), CatchUp::Rebuilt),
        "behind the pruned log: rebuilt"
    );
    let request = SearchRequest {
        lang: "en",
        text: "harbour",
        section_id: None,
        tag: None,
        from: None,
        to: None,
        sort: Sort::Date,
        offset: 0,
        limit: 3,
    };
    assert_eq!(
        search.search(store, &request).await.unwrap().total,
        1,
        "what the pruned entries changed is in"
    );
    let again = search.catch_up(store).await.unwrap();
    assert!(
        matches!(again, CatchUp::Applied(ref c) if c.is_empty()),
        "and it follows the log again: {again:?}"
    );
    s.stop().await;
}
