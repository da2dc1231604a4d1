//! The storage story (after atuin's db_story): one sequence that exercises every Store
//! operation, run against SQLite and PostgreSQL.

use crate::harness::{Backend, TestDb};
use crate::on_both_backends;
use jiff::Timestamp;
use newsdesk::domain::{ArticleInput, Lang, Status};
use newsdesk::storage::{ListFilter, SectionInput, Store, StoreError};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn article(ext: &str, lang: &str, title: &str, at: &str) -> ArticleInput {
    ArticleInput {
        external_id: Some(ext.into()),
        translation_key: None,
        lang: Lang::parse(lang).unwrap(),
        section_slug: "news".into(),
        slug: None,
        title: title.into(),
        lead: format!("Lead of {title}"),
        body_html: "<p>Body</p>".into(),
        status: Status::Published,
        publish_at: ts(at),
        created_at: None,
        updated_at: None,
        tags: Vec::new(),
        extras: Default::default(),
    }
}

async fn storage_story(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = Store::open(&db.url).await.unwrap();
    // Opening again re-runs migrations harmlessly.
    let store2 = Store::open(&db.url).await.unwrap();
    store2.close().await;
    let now = ts("2025-05-01T00:00:00Z");
    let en = Lang::parse("en").unwrap();
    let ru = Lang::parse("ru").unwrap();

    // A new site has the News section in both languages.
    let sections = store.sections().await.unwrap();
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].slug, "news");
    assert_eq!(sections[0].name(&ru), "Новости");

    // Save sections and articles in one go.
    let events = SectionInput {
        slug: "meetings".into(),
        names: [("en".to_string(), "Meetings".to_string())].into(),
        position: 5,
    };
    let mut a = article("a", "en", "First story", "2025-04-01T10:00:00Z");
    a.translation_key = Some("k1".into());
    let mut a_ru = article("a-ru", "ru", "Первая новость", "2025-04-01T10:00:00Z");
    a_ru.translation_key = Some("k1".into());
    let mut b = article("b", "en", "Second story", "2025-04-02T10:00:00Z");
    b.section_slug = "meetings".into();
    let same_title = article("c", "en", "First story", "2025-04-03T10:00:00Z");
    let mut future = article("f", "en", "Future story", "2025-06-01T10:00:00Z");
    future.status = Status::Published; // normalized to scheduled: its date is after `now`
    let mut draft = article("d", "en", "Draft story", "2025-04-04T10:00:00Z");
    draft.status = Status::Draft;
    let inputs = vec![a.clone(), a_ru, b, same_title, future, draft];
    let outcome = store.save_articles(&[events], &inputs, now, &|| {}).await.unwrap();
    assert_eq!((outcome.created, outcome.updated, outcome.unchanged), (6, 0, 0));
    assert_eq!(store.sections().await.unwrap()[1].slug, "meetings");

    // A colliding slug got a suffix; statuses follow the clock.
    let c = store.article_by_slug(&en, "first-story-2").await.unwrap().expect("suffixed slug");
    assert_eq!(c.external_id, "c");
    let f = store.article_by_slug(&en, "future-story").await.unwrap().unwrap();
    assert_eq!(f.status, Status::Scheduled);

    // Lists show only published, newest first; counts agree; filters narrow.
    let all = ListFilter::all(en.clone());
    let list = store.list_published(&all, 10, 0).await.unwrap();
    let titles: Vec<&str> = list.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["First story", "Second story", "First story"]);
    assert_eq!(list[0].slug, "first-story-2");
    assert_eq!(store.count_published(&all).await.unwrap(), 3);
    assert_eq!(store.list_published(&all, 2, 2).await.unwrap().len(), 1);
    let events_id = store.sections().await.unwrap()[1].id;
    let in_events = ListFilter { section_id: Some(events_id), ..all.clone() };
    assert_eq!(store.count_published(&in_events).await.unwrap(), 1);
    let span = ListFilter {
        from: Some(ts("2025-04-02T00:00:00Z")),
        to: Some(ts("2025-04-03T00:00:00Z")),
        ..all.clone()
    };
    assert_eq!(store.list_published(&span, 10, 0).await.unwrap()[0].title, "Second story");
    let (first, last) = store.published_span(&en).await.unwrap().unwrap();
    assert_eq!((first, last), (ts("2025-04-01T10:00:00Z"), ts("2025-04-03T10:00:00Z")));

    // Translations are linked by key.
    let links = store.translations("k1").await.unwrap();
    assert_eq!(links.iter().map(|l| l.lang.as_str()).collect::<Vec<_>>(), ["en", "ru"]);

    // Saving the same input again changes nothing; a changed slug leaves a redirect.
    let again = store.save_articles(&[], &[a.clone()], now, &|| {}).await.unwrap();
    assert_eq!(again.unchanged, 1);
    let before = store.article_by_slug(&en, "first-story").await.unwrap().unwrap();
    let mut renamed = a.clone();
    renamed.slug = Some("first-story-renamed".into());
    renamed.title = "First story, renamed".into();
    let updated = store.save_articles(&[], &[renamed], now, &|| {}).await.unwrap();
    assert_eq!(updated.updated, 1);
    let after = store.article_by_old_slug(&en, "first-story").await.unwrap().expect("redirect");
    assert_eq!(after.slug, "first-story-renamed");
    assert_eq!(after.version, before.version + 1);
    // History: the state before the change and the change itself (an import's first revision
    // is written when the article first changes).
    let history = store.revisions(before.id).await.unwrap();
    assert_eq!(history.iter().map(|r| r.version).collect::<Vec<_>>(), [after.version, before.version]);
    assert_eq!(history[1].title, "First story");

    // A second article in the same language under the same translation key is refused, and
    // the whole batch is rolled back.
    let mut dup = article("x", "en", "Another", "2025-04-05T10:00:00Z");
    dup.translation_key = Some("k1".into());
    let ok = article("y", "en", "Would be saved", "2025-04-05T10:00:00Z");
    let err = store.save_articles(&[], &[ok, dup], now, &|| {}).await.unwrap_err();
    assert_eq!(err.index, 1);
    assert!(matches!(err.error, StoreError::Conflict(_)), "{err}");
    assert!(store.article_by_slug(&en, "would-be-saved").await.unwrap().is_none(), "rolled back");

    // Scheduled articles are published once their time comes, exactly once.
    assert!(store.publish_due(now).await.unwrap().is_empty());
    let later = ts("2025-06-02T00:00:00Z");
    let published: Vec<i64> = store
        .publish_due(later)
        .await
        .unwrap()
        .iter()
        .filter_map(|w| w.after.as_ref().map(|a| a.id))
        .collect();
    assert_eq!(published, vec![f.id]);
    assert!(store.publish_due(later).await.unwrap().is_empty());
    assert_eq!(store.count_published(&all).await.unwrap(), 4);

    // Export paging walks every article once.
    let mut seen = 0;
    let mut after_id = 0;
    loop {
        let batch = store.articles_after(after_id, 2).await.unwrap();
        let Some(last) = batch.last() else { break };
        after_id = last.id;
        seen += batch.len();
    }
    assert_eq!(seen, 6);
    assert!(store.latest_change().await.unwrap() > 0);
    store.close().await;
}

/// Several writers at once (an import, the scheduler, the back office) each wait their turn
/// instead of failing with "database is locked".
async fn concurrent_writers_wait_their_turn(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = Store::open(&db.url).await.unwrap();
    let now = ts("2025-05-01T00:00:00Z");
    let writers: Vec<_> = (0..12)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                let item =
                    article(&format!("w{i}"), "en", &format!("Concurrent story {i}"), "2025-04-01T10:00:00Z");
                store.save_articles(&[], &[item], now, &|| {}).await.map(|_| ())?;
                store
                    .publish_due(now)
                    .await
                    .map(|_| ())
                    .map_err(|e| newsdesk::storage::ItemError { index: 0, error: e })
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap().unwrap();
    }
    assert_eq!(store.count_published(&ListFilter::all(Lang::parse("en").unwrap())).await.unwrap(), 12);
    store.close().await;
}

/// The timeline arrives packed into one string on both databases: every published article,
/// newest first (ties by id), per language and per section; drafts and scheduled ones left out.
async fn the_timeline_loads_in_list_order(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = Store::open(&db.url).await.unwrap();
    assert!(store.load_timeline().await.unwrap().is_empty(), "an empty site has an empty timeline");
    let now = ts("2025-05-01T00:00:00Z");
    let mut items = vec![
        article("t1", "en", "First", "2025-04-01T10:00:00Z"),
        article("t2", "en", "Second", "2025-04-02T10:00:00Z"),
        article("t3", "en", "Same time", "2025-04-02T10:00:00Z"),
        article("t4", "ru", "Четвёртая", "2025-04-03T10:00:00Z"),
        article("t5", "en", "Draft", "2025-04-04T10:00:00Z"),
    ];
    items[4].status = newsdesk::domain::Status::Draft;
    store.save_articles(&[], &items, now, &|| {}).await.unwrap();
    let timeline = store.load_timeline().await.unwrap();
    assert_eq!(timeline.len(), 4);
    let en = ListFilter::all(Lang::parse("en").unwrap());
    let (total, ids) = timeline.page(&en, 10, 0);
    let titles: Vec<String> =
        store.summaries_by_ids(&ids).await.unwrap().into_iter().map(|a| a.title).collect();
    assert_eq!(total, 3);
    assert_eq!(titles, ["Same time", "Second", "First"], "newest first, the later id first on a tie");
    assert!(ids[0] > ids[1]);
    let (ru_total, _) = timeline.page(&ListFilter::all(Lang::parse("ru").unwrap()), 10, 0);
    assert_eq!(ru_total, 1);
    store.close().await;
}

on_both_backends!(
    storage_story,
    concurrent_writers_wait_their_turn,
    the_timeline_loads_in_list_order,
    a_database_migrated_by_a_newer_release_still_opens
);

/// A rolling upgrade or a rollback: this release opens, migrates and serves a database that a
/// newer release has already migrated further (its migrations are unknown here), instead of
/// stopping at "previously applied but is missing".
async fn a_database_migrated_by_a_newer_release_still_opens(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = Store::open(&db.url).await.unwrap();
    store.close().await;
    const NEWER: &str = "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
                         VALUES (99990101, 'a later release', TRUE, $1, 0)";
    match backend {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(NEWER).bind(vec![0u8; 48]).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(NEWER).bind(vec![0u8; 48]).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
    let store = Store::open(&db.url).await.expect("an older release opens a newer database");
    let en = Lang::parse("en").unwrap();
    store
        .save_articles(
            &[],
            &[article("newer-1", "en", "Still writing", "2025-05-01T00:00:00Z")],
            ts("2025-05-02T00:00:00Z"),
            &|| {},
        )
        .await
        .unwrap();
    assert!(store.article_by_slug(&en, "still-writing").await.unwrap().is_some());
    store.close().await;
}

/// A chunk of an import is checked against what the database held before it, read in a few
/// statements; names an earlier item of the same chunk wrote are looked up again, so each
/// item sees the chunk's own writes exactly as if it were saved alone.
async fn a_chunk_sees_its_own_writes(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = Store::open(&db.url).await.unwrap();
    let now = ts("2025-05-01T00:00:00Z");
    let en = Lang::parse("en").unwrap();
    let mut moving = article("m", "en", "Harbour story", "2025-04-01T10:00:00Z");
    moving.translation_key = Some("story".into());
    let saved = store.save_articles(&[], &[moving.clone()], now, &|| {}).await.unwrap();
    assert_eq!(saved.created, 1);
    let moving_id = store.article_by_slug(&en, "harbour-story").await.unwrap().unwrap().id;

    // In one chunk: the article moves to another slug and translation key; a new article
    // takes its old slug and key; another new one wants the same title twice over; and the
    // same external id comes twice, the second time changed.
    moving.slug = Some("harbour-story-moved".into());
    moving.translation_key = Some("story-moved".into());
    let mut taker = article("t", "en", "Harbour story", "2025-04-02T10:00:00Z");
    taker.translation_key = Some("story".into());
    let twin = article("u", "en", "Harbour story", "2025-04-03T10:00:00Z");
    let first = article("twice", "en", "Said twice", "2025-04-04T10:00:00Z");
    let mut second = first.clone();
    second.lead = "Said twice, the second time changed".into();
    let outcome = store.save_articles(&[], &[moving, taker, twin, first, second], now, &|| {}).await.unwrap();
    assert_eq!((outcome.created, outcome.updated, outcome.unchanged), (3, 2, 0));
    let taken = store.article_by_slug(&en, "harbour-story").await.unwrap().expect("the freed slug");
    assert_eq!(taken.external_id, "t", "the slug the moved article left is free within the chunk");
    assert_eq!(
        store.article_by_old_slug(&en, "harbour-story").await.unwrap().map(|a| a.id),
        None,
        "the old slug no longer redirects: an article holds it"
    );
    assert_eq!(store.article_by_slug(&en, "harbour-story-moved").await.unwrap().unwrap().id, moving_id);
    assert_eq!(store.article_by_slug(&en, "harbour-story-2").await.unwrap().unwrap().external_id, "u");
    let keys = store.translations("story").await.unwrap();
    assert_eq!(keys.len(), 1, "the key the moved article left was taken within the chunk");
    let twice = store.article_by_slug(&en, "said-twice").await.unwrap().unwrap();
    assert_eq!(
        twice.lead, "Said twice, the second time changed",
        "the second of the same id updated the first"
    );
    assert!(store.article_by_slug(&en, "said-twice-2").await.unwrap().is_none());

    // And a key taken in the database before the chunk is refused, naming its holder.
    let mut clash = article("c", "en", "Clash", "2025-04-05T10:00:00Z");
    clash.translation_key = Some("story".into());
    let err = store.save_articles(&[], &[clash], now, &|| {}).await.unwrap_err();
    assert!(err.to_string().contains("external_id 't'"), "{err}");
    store.close().await;
}

on_both_backends!(a_chunk_sees_its_own_writes);
