//! `search_query`: what a reader types into the search box, through the whole of
//! [`Search::search`]: the reader-syntax filter, Tantivy's lenient query parser, the query
//! itself, and the highlighting of the hits' titles and snippets.
//!
//! The index is real: a SQLite database and a Tantivy index in a scratch directory
//! (`$TMPDIR/newsdesk-fuzz-search-PID`, made once per fuzzing process; the next run removes
//! those of processes that have ended), holding a few English and Russian articles so that
//! queries find something and the highlighter has work to do.

use newsdesk::io::{self, Batch, ImportOptions};
use newsdesk::search::{Search, SearchRequest, Sort};
use newsdesk::storage::Store;
use std::sync::{Arc, LazyLock};

/// A few articles to find, in both analyzers' languages.
const ARTICLES: &str = r#"{"type":"section","slug":"news","names":{"en":"News","ru":"Новости"}}
{"lang":"en","title":"Climate conference opens in Geneva","lead":"Delegates meet for the organization's annual climate conference.","body_html":"<p>The conference on climate finance opened on Monday. Ministers said the &quot;loss and damage&quot; fund needs more money.</p><p>Running, runs, ran: stemming test.</p>","published_at":"2025-04-21T10:30:00+03:00"}
{"lang":"en","title":"Budget <em>committee</em> meets","lead":"The budget committee meets on Tuesday & Wednesday.","body_html":"<p>Budget C++ \"quoted\" text with +plus -minus (parens) OR and AND NOT words.</p>","published_at":"2025-04-22T09:00:00+03:00"}
{"lang":"ru","title":"Встреча министров иностранных дел","lead":"Министры обсудили климат и бюджет.","body_html":"<p>Встреча министров прошла в Москве. Министр сказал: «Мы договорились».</p>","published_at":"2025-04-21T12:00:00+03:00"}
{"lang":"ru","title":"Конференция по климату","lead":"Ёлка, ёж и e-mail: разные слова.","body_html":"<p>Климатическая конференция, климатический фонд, климату.</p>","published_at":"2025-04-23"}
"#;

/// What results may be shown at most per search here.
const LIMIT: usize = 10;

struct Fixture {
    runtime: tokio::runtime::Runtime,
    store: Store,
    search: Arc<Search>,
}

/// The scratch directories' names: this prefix and the fuzzing process's id.
const SCRATCH_PREFIX: &str = "newsdesk-fuzz-search-";

/// Removes the scratch directories of fuzzing processes that have ended (libFuzzer exits
/// without running destructors, so each run leaves its directory behind). Linux only: a
/// process is alive while `/proc/PID` exists.
fn remove_stale_scratch() {
    let proc = std::path::Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(SCRATCH_PREFIX)) else { continue };
        if pid.parse::<u32>().is_ok() && !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    super::suppress_known_panics();
    remove_stale_scratch();
    let dir = std::env::temp_dir().join(format!("{SCRATCH_PREFIX}{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime");
    let (store, search) = runtime.block_on(async {
        let url = format!("sqlite://{}", dir.join("newsdesk.db").display());
        let store = Store::open(&url).await.expect("a SQLite store");
        let mut batch = Batch::default();
        let options = ImportOptions::default();
        io::jsonl::read(std::path::Path::new("articles.jsonl"), ARTICLES, &super::SITE, &options, &mut batch)
            .expect("the fixture articles are valid");
        io::save(&store, &batch, super::now(), &|| {}).await.expect("the fixture articles are saved");
        let search = Search::open(&dir.join("search")).expect("a search index");
        let indexed = search.rebuild(&store, &|_| {}).await.expect("the index is built");
        assert_eq!(indexed, 4, "every fixture article is indexed");
        (store, Arc::new(search))
    });
    Fixture { runtime, store, search }
});

pub fn search_query(data: &[u8]) {
    // The search box's text arrives as a query-string parameter, which axum decodes to UTF-8.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let f = &*FIXTURE;
    // One search per input (each costs a trip through the blocking pool and the database);
    // the input's length picks the language and order, so both get their share.
    let (lang, sort) = if data.len() % 2 == 0 { ("en", Sort::Relevance) } else { ("ru", Sort::Date) };
    let request =
        SearchRequest { lang, text, section_id: None, tag: None, from: None, to: None, sort, offset: 0, limit: LIMIT };
    let results = match f.runtime.block_on(f.search.search(&f.store, &request)) {
        Ok(results) => results,
        Err(_) if super::take_suppressed() => return,
        Err(e) => panic!("a search failed on what the reader typed ({text:?}): {e}"),
    };
    assert!(results.hits.len() <= LIMIT && results.hits.len() <= results.total);
    for hit in &results.hits {
        check_marked(&hit.title_html);
        check_marked(&hit.snippet_html);
    }
}

/// Highlighted text is escaped text with `<mark>` around matches, and nothing else.
fn check_marked(html: &str) {
    let rest = html.replace("<mark>", "").replace("</mark>", "");
    assert!(!rest.contains(['<', '>', '"']), "highlighted text carries markup: {html:?}");
}
