//! Backup and restore by the real command line, on both backends: a site with imported
//! articles, photos, people, revisions and old addresses is backed up while it serves, restored
//! into an empty site, and walked page by page: every public page and photo byte for byte the
//! same, the same people able to sign in, search rebuilt.

use crate::admin::{make_user, sign_in, write};
use crate::cli::{failed, newsdesk, ok};
use crate::harness::{Backend, TestDb, TestServer, fixture};
use crate::on_both_backends;
use newsdesk::domain::SystemClock;
use newsdesk::domain::user::Role;
use std::collections::BTreeSet;
use std::sync::Arc;

const BASE: &str = "https://news.test.example";

/// Every address a reader or a crawler reaches from the sitemaps and the home pages: pages,
/// feeds, photos, plus a search and an old address.
async fn public_addresses(s: &TestServer) -> BTreeSet<String> {
    let mut paths = BTreeSet::from([
        "/".to_string(),
        "/robots.txt".into(),
        "/sitemap.xml".into(),
        "/en/search?q=summit".into(),
        "/en/search?q=written".into(),
        "/ru/search?q=%D1%81%D0%B0%D0%BC%D0%BC%D0%B8%D1%82".into(),
        "/?p=8".into(),
        "/feed/".into(),
        "/tag/%d0%bc%d0%be%d1%81%d0%ba%d0%b2%d0%b0/".into(),
    ]);
    let index = s.page("/sitemap.xml").await;
    let mut pages = Vec::new();
    for sitemap in locs(&index) {
        paths.insert(sitemap.clone());
        pages.extend(locs(&s.page(&sitemap).await));
    }
    for page in pages {
        let html = s.page(&page).await;
        for attr in ["src=\"", "href=\""] {
            for piece in html.split(attr).skip(1) {
                let link = piece.split('"').next().unwrap_or("").replace("&amp;", "&");
                let link = link.strip_prefix(BASE).unwrap_or(&link).to_string();
                let file = link.starts_with("/media/") || link.starts_with("/documents/files/");
                if file || link.ends_with(".xml") || link.ends_with(".json") || link.ends_with(".ics") {
                    paths.insert(link);
                }
            }
        }
        paths.insert(page);
    }
    paths
}

fn locs(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|rest| rest.split("</loc>").next().unwrap().replace("&amp;", "&"))
        .map(|url| url.strip_prefix(BASE).expect("absolute URLs on the site's base").to_string())
        .collect()
}

/// Status, type, location and body of each address.
async fn snapshot(s: &TestServer, paths: &BTreeSet<String>) -> Vec<(String, u16, String, String, Vec<u8>)> {
    let mut out = Vec::new();
    for path in paths {
        let response = s.get(path).await;
        let header = |name: &str| {
            response.headers().get(name).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default()
        };
        let (status, kind, location) =
            (response.status().as_u16(), header("content-type"), header("location"));
        out.push((path.clone(), status, kind, location, response.bytes().await.unwrap().to_vec()));
    }
    out
}

async fn a_backup_restores_the_whole_site(backend: Backend) {
    let Some(s) = TestServer::start(backend).await else { return };
    s.import(&[fixture("site.jsonl")]).await;
    let uploads = fixture("wordpress/uploads");
    let export = fixture("wordpress/export.xml");
    ok(&newsdesk(
        &s.db,
        &["import", "--lang", "ru", "--uploads", uploads.to_str().unwrap(), export.to_str().unwrap()],
    ));
    make_user(&s, "editor@example.org", Role::Editor).await;
    let editor = sign_in(&s, "editor@example.org").await;
    let (_, id) = write(&editor, "Written just before the backup", "publish", "").await;
    let id = id.expect("the article was created");
    // A document with its file, an event and a gallery: in the backup like the rest.
    let media = newsdesk::web::public::media::settings(&s.state).store;
    let actor = newsdesk::newsroom::Actor::system("test");
    let fields = newsdesk::newsroom::documents::DocumentFields {
        kind: "decision".into(),
        number: "1".into(),
        date: "2026-11-20".into(),
        texts: vec![("en".into(), "Decision kept in the backup".into(), String::new())],
        news: "/en/news/written-just-before-the-backup".into(),
    };
    let file = newsdesk::newsroom::documents::Upload {
        name: "decision.pdf".into(),
        bytes: b"%PDF-1.4 kept".to_vec(),
    };
    s.state.newsroom.add_document(&actor, &fields, &[file], &media).await.unwrap();
    let event = newsdesk::newsroom::events::EventFields {
        starts: "2026-12-10T10:00".into(),
        time_zone: "Europe/Moscow".into(),
        place: "Geneva".into(),
        ..Default::default()
    };
    s.state.newsroom.set_event(&actor, id, 0, &event).await.unwrap();
    let photo = s.state.store.media_page(1, 0).await.unwrap().0[0].id;
    s.state.newsroom.set_gallery(&actor, id, &[], &[photo]).await.unwrap();
    s.wait_followed().await;

    let found = s.page("/en/search?q=written").await;
    assert!(found.contains("just before the backup"), "{found}");
    let paths = public_addresses(&s).await;
    assert!(paths.iter().filter(|p| p.starts_with("/media/")).count() >= 2, "photos are walked: {paths:?}");
    assert!(paths.iter().any(|p| p.starts_with("/documents/files/")), "documents' files are walked");
    assert!(paths.contains("/en/events.ics") && paths.contains("/en/documents"), "{paths:?}");
    assert!(paths.len() > 60, "{paths:?}");
    let before = snapshot(&s, &paths).await;
    assert!(before.iter().any(|(p, status, ..)| p == "/?p=8" && *status == 308), "an old address redirects");

    // Backed up while the site serves.
    let file = s.db.data_dir().join("site.tar.gz");
    let said = newsdesk(&s.db, &["backup", "--out", file.to_str().unwrap()]);
    ok(&said);
    assert!(
        String::from_utf8_lossy(&said.stderr).contains("2 people"), // the editor and the imported author
        "{}",
        String::from_utf8_lossy(&said.stderr)
    );

    let mut targets = vec![backend];
    if backend == Backend::Postgres {
        targets.push(Backend::Sqlite); // and a PostgreSQL site moves onto SQLite (and back, below)
    }
    for target in targets {
        let db = TestDb::new(target).await.expect("the backend of the source site runs");
        let said = newsdesk(&db, &["restore", file.to_str().unwrap()]);
        ok(&said);
        let restored = TestServer::start_on(db, Arc::new(SystemClock)).await;
        let after = snapshot(&restored, &paths).await;
        for (a, b) in before.iter().zip(&after) {
            assert_eq!((a.0.as_str(), a.1, &a.2, &a.3), (b.0.as_str(), b.1, &b.2, &b.3), "{target:?}");
            assert!(a.4 == b.4, "{} differs after a restore onto {target:?}", a.0);
        }
        // The same people sign in with the same passwords; the revision history came along.
        let editor = sign_in(&restored, "editor@example.org").await;
        let history = editor.page(&format!("/admin/articles/{id}/revisions")).await;
        assert!(history.contains("Written just before the backup"), "{history}");
        assert!(restored.page("/en/search?q=written").await.contains("just before the backup</a>"));
        // New content gets new ids (the id counters moved past the restored ones).
        let (_, new_id) = write(&editor, "Written after the restore", "publish", "").await;
        assert!(new_id.expect("created") > id);

        // A second restore onto a site that is no longer empty is refused, and changes nothing.
        let again = failed(&newsdesk(&restored.db, &["restore", file.to_str().unwrap()]));
        assert!(again.contains("not empty"), "{again}");
        assert!(restored.page("/en/").await.contains("Written after the restore"));
        restored.stop().await;
    }

    // A cut-off backup is refused whole: nothing written, no photos left behind.
    let bytes = std::fs::read(&file).unwrap();
    let cut = s.db.data_dir().join("cut.tar.gz");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let Some(empty) = TestDb::new(backend).await else { return };
    let said = failed(&newsdesk(&empty, &["restore", cut.to_str().unwrap()]));
    assert!(said.contains("cut.tar.gz"), "{said}");
    let store = newsdesk::storage::Store::open(&empty.url).await.unwrap();
    assert!(store.is_blank().await.unwrap(), "nothing of a failed restore is written");
    store.close().await;
    assert!(!empty.data_dir().join("media").exists() && !empty.data_dir().join("media.restoring").exists());
    // Something that is not a backup says so.
    let said = failed(&newsdesk(&empty, &["restore", export.to_str().unwrap()]));
    assert!(said.contains("is not a Newsdesk backup"), "{said}");
    s.stop().await;
}

/// Every table of the schema is either in a backup or knowingly left out, so a table added
/// later cannot be silently lost.
async fn every_table_is_backed_up_or_left_out_on_purpose(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let store = newsdesk::storage::Store::open(&db.url).await.unwrap();
    let tables = store.table_names().await.unwrap();
    store.close().await;
    use newsdesk::storage::backup::{LEFT_OUT, TABLES};
    for table in &tables {
        assert!(
            TABLES.contains(&table.as_str()) || LEFT_OUT.contains(&table.as_str()),
            "table {table} is neither backed up nor left out"
        );
    }
    for table in TABLES {
        assert!(tables.iter().any(|t| t == table), "{table} is not in the schema");
    }
}

on_both_backends!(a_backup_restores_the_whole_site, every_table_is_backed_up_or_left_out_on_purpose);
