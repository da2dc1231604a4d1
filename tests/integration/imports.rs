//! Every import format reads its file a chunk at a time: files of several chunks in each
//! format (JSON Lines, a Ghost export, RSS, Atom, JSON Feed, WordPress) are checked whole
//! before anything is written, so a broken item near the end writes nothing; whole ones arrive
//! exactly once with what later tables or earlier chunks carry; a killed run resumes.

use crate::cli::{failed, newsdesk, ok};
use crate::harness::{Backend, TestDb};
use crate::on_both_backends;

/// How many items the generated files hold: two chunks and part of a third.
fn size() -> usize {
    2 * newsdesk::io::CHUNK + 100
}

/// JSON Lines; item `broken` has a date that is none.
fn jsonl(n: usize, broken: Option<usize>) -> String {
    let mut out = String::from(r#"{"type":"section","slug":"briefings","names":{"en":"Briefings"}}"#);
    out.push('\n');
    for i in 1..=n {
        let date = if broken == Some(i) { "someday" } else { "2025-01-01 10:00" };
        out.push_str(&format!(
            "{{\"external_id\":\"gen-{i}\",\"title\":\"Generated post {i}\",\"section\":\"briefings\",\
             \"published_at\":\"{date}\",\"tags\":[\"Generated\"]}}\n"
        ));
    }
    out
}

/// A Ghost export whose tables of tags and authors come after the posts, as Ghost writes
/// them; post `broken` has a status Ghost does not have.
fn ghost(n: usize, broken: Option<usize>) -> String {
    let posts: Vec<String> = (1..=n)
        .map(|i| {
            let status = if broken == Some(i) { "sideways" } else { "published" };
            format!(
                r#"{{"id":"{i:024x}","uuid":"00000000-0000-4000-8000-{i:012x}","title":"Generated post {i}","slug":"generated-post-{i}","html":"<p>Text {i}</p>","status":"{status}","visibility":"public","type":"post","published_at":"2025-01-01T10:00:00.000Z","created_at":"2025-01-01T09:00:00.000Z"}}"#
            )
        })
        .collect();
    let tag_links: Vec<String> = (1..=n)
        .map(|i| {
            format!(
                r#"{{"id":"l{i}","post_id":"{i:024x}","tag_id":"{:024x}","sort_order":0}}"#,
                1_000_000 + i % 3
            )
        })
        .collect();
    let author_links: Vec<String> = (1..=n)
        .map(|i| format!(r#"{{"id":"a{i}","post_id":"{i:024x}","author_id":"u{}","sort_order":0}}"#, i % 2))
        .collect();
    format!(
        r#"{{"db":[{{"meta":{{"exported_on":1735725600000,"version":"5.130.4"}},"data":{{"posts":[{}],
"tags":[{{"id":"{:024x}","name":"Zero","slug":"zero","visibility":"public"}},{{"id":"{:024x}","name":"One","slug":"one","visibility":"public"}},{{"id":"{:024x}","name":"Two","slug":"two","visibility":"public"}}],
"posts_tags":[{}],
"users":[{{"id":"u0","name":"Anna Petrova","slug":"anna","email":"anna@example.org"}},{{"id":"u1","name":"Press Service","slug":"press","email":""}}],
"posts_authors":[{}],
"settings":[{{"key":"locale","value":"en"}}]}}}}]}}"#,
        posts.join(",\n"),
        1_000_000,
        1_000_001,
        1_000_002,
        tag_links.join(","),
        author_links.join(",")
    )
}

/// RSS 2.0; item `broken` closes its title with the wrong tag.
fn rss(n: usize, broken: Option<usize>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <channel><title>Press</title><link>https://old.example/</link><description>d</description>\
         <language>en</language>\n",
    );
    for i in 1..=n {
        let close = if broken == Some(i) { "titel" } else { "title" };
        out.push_str(&format!(
            "<item><title>Generated post {i}</{close}><link>https://old.example/news/{i}</link>\
             <guid>https://old.example/news/{i}</guid><pubDate>Wed, 01 Jan 2025 10:00:00 +0000</pubDate>\
             <category>Generated</category><dc:creator>Anna Petrova</dc:creator>\
             <description>&lt;p&gt;Text {i}&lt;/p&gt;</description></item>\n"
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// Atom 1.0; entry `broken` has a title over the limit.
fn atom(n: usize, broken: Option<usize>) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\
         <title>Press</title><id>urn:press</id><updated>2025-01-01T10:00:00Z</updated>\n",
    );
    for i in 1..=n {
        let title = if broken == Some(i) { "x".repeat(400) } else { format!("Generated post {i}") };
        out.push_str(&format!(
            "<entry><title>{title}</title><id>urn:press:{i}</id><updated>2025-01-01T10:00:00Z</updated>\
             <published>2025-01-01T10:00:00Z</published><author><name>Anna Petrova</name></author>\
             <category term=\"Generated\"/><content type=\"html\">&lt;p&gt;Text {i}&lt;/p&gt;</content></entry>\n"
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// A JSON Feed 1.1, pretty-printed over many lines; item `broken` has a title over the limit.
fn json_feed(n: usize, broken: Option<usize>) -> String {
    let items: Vec<serde_json::Value> = (1..=n)
        .map(|i| {
            let title = if broken == Some(i) { "x".repeat(400) } else { format!("Generated post {i}") };
            serde_json::json!({
                "id": format!("urn:press:{i}"),
                "title": title,
                "content_html": format!("<p>Text {i}</p>"),
                "date_published": "2025-01-01T10:00:00Z",
                "tags": ["Generated"],
                "authors": [{"name": "Anna Petrova"}],
            })
        })
        .collect();
    let feed = serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Press",
        "language": "en",
        "items": items,
        "home_page_url": "https://old.example/",
    });
    serde_json::to_string_pretty(&feed).unwrap()
}

async fn article_count(db: &TestDb) -> usize {
    ok(&newsdesk(db, &["export"])).lines().filter(|l| l.contains(r#""type":"article""#)).count()
}

/// The broken file is refused with its place named and nothing written; the whole file then
/// imports every item once, and again changes nothing. Returns the export after the import.
async fn imports_whole_or_not_at_all(
    backend: Backend,
    name: &str,
    make: fn(usize, Option<usize>) -> String,
    says: &str,
) -> Option<String> {
    let db = TestDb::new(backend).await?;
    let n = size();
    let file = db.data_dir().join(name);
    std::fs::write(&file, make(n, Some(n - 50))).unwrap();
    let refused = failed(&newsdesk(&db, &["import", file.to_str().unwrap()]));
    assert!(refused.contains(&format!("{name}: ")) && refused.contains(says), "{name}: {refused}");
    assert_eq!(article_count(&db).await, 0, "{name}: a broken item near the end writes nothing");

    std::fs::write(&file, make(n, None)).unwrap();
    // A dry run reads it in the same chunks, sections from earlier ones counting for later.
    let plan = ok(&newsdesk(&db, &["import", "--dry-run", file.to_str().unwrap()]));
    assert!(plan.contains(&format!("{n} articles read")) && plan.contains("nothing was written"), "{plan}");
    assert_eq!(article_count(&db).await, 0, "{name}: a dry run writes nothing");
    let out = newsdesk(&db, &["import", file.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    ok(&out);
    assert!(said.contains(&format!("imported {n} articles")) && said.contains(&format!("{n} new")), "{said}");
    assert_eq!(article_count(&db).await, n, "{name}: every item exactly once");
    let again = newsdesk(&db, &["import", file.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&again.stderr).into_owned();
    ok(&again);
    assert!(said.contains(&format!("0 new, 0 updated, {n} unchanged")), "{name}: {said}");
    Some(ok(&newsdesk(&db, &["export"])))
}

/// The exported line of generated post `i`.
fn line_of(export: &str, i: usize) -> serde_json::Value {
    let line = export
        .lines()
        .find(|l| l.contains(&format!("\"Generated post {i}\"")))
        .unwrap_or_else(|| panic!("post {i} is not in the export"));
    serde_json::from_str(line).unwrap()
}

async fn json_lines_stream(backend: Backend) {
    let Some(export) =
        imports_whole_or_not_at_all(backend, "big.jsonl", jsonl, "big.jsonl: line 1051: published_at").await
    else {
        return;
    };
    let last = line_of(&export, size());
    assert_eq!(last["section"], "briefings", "a section from the first chunk serves the last");
}

async fn ghost_exports_stream(backend: Backend) {
    let says = "post 1050 ('generated-post-1050'): status: 'sideways'";
    let Some(export) = imports_whole_or_not_at_all(backend, "big.json", ghost, says).await else { return };
    // Tags and authors are listed after every post, so they come from the first pass.
    for i in [1, 501, size()] {
        let post = line_of(&export, i);
        let tag = ["Zero", "One", "Two"][i % 3];
        assert_eq!(post["tags"], serde_json::json!([tag]), "post {i}: {post}");
        let byline = ["Anna Petrova", "Press Service"][i % 2];
        assert_eq!(post["bylines"], serde_json::json!([byline]), "post {i}: {post}");
        assert_eq!(post["status"], "published");
    }
}

async fn feeds_stream(backend: Backend) {
    let says = "big.rss: line 1052, column";
    let Some(export) = imports_whole_or_not_at_all(backend, "big.rss", rss, says).await else { return };
    let post = line_of(&export, size());
    assert_eq!(post["tags"], serde_json::json!(["Generated"]), "{post}");
    assert_eq!(post["bylines"], serde_json::json!(["Anna Petrova"]), "{post}");
    assert!(post["body_html"].as_str().unwrap().contains(&format!("Text {}", size())), "{post}");

    let says = "entry 1050: ";
    let Some(export) = imports_whole_or_not_at_all(backend, "big.atom", atom, says).await else { return };
    let post = line_of(&export, 777);
    assert_eq!(post["bylines"], serde_json::json!(["Anna Petrova"]), "{post}");

    let Some(export) = imports_whole_or_not_at_all(backend, "big-feed.json", json_feed, says).await else {
        return;
    };
    let post = line_of(&export, size());
    assert_eq!(post["tags"], serde_json::json!(["Generated"]), "{post}");
}

/// A JSON Lines import killed after its first saved chunk resumes where it stopped.
async fn a_killed_json_lines_import_resumes(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let n = 8 * newsdesk::io::CHUNK;
    let file = db.data_dir().join("big.jsonl");
    std::fs::write(&file, jsonl(n, None)).unwrap();
    crate::wordpress::killed_then_resumed(&db, &file);
    assert_eq!(article_count(&db).await, n, "every line exactly once");
}

on_both_backends!(json_lines_stream, ghost_exports_stream, feeds_stream, a_killed_json_lines_import_resumes);
