//! Bulk content in and out: the JSON Lines format (Newsdesk's own, documented in
//! `docs/import-format.md`), WordPress and Ghost exports and RSS 2.0 / Atom / JSON Feed
//! imports from an existing site, and export. Every format is read a chunk at a time
//! ([`stream::Source`]), so files of any size import in bounded memory: every file is read and
//! every item validated before anything is written ([`check`]), then each chunk is one
//! transaction, with a checkpoint to resume from.

pub mod backup;
pub mod export;
pub mod feed;
pub mod ghost;
pub mod jsonl;
pub mod photos;
pub mod report;
pub mod stream;
pub mod wxr;

pub use stream::Source;

use crate::config::SiteConfig;
use crate::domain::{ArticleInput, Clock, Lang};
use crate::storage::{ImportOutcome, SectionInput, Store, StoreError};
use std::path::{Path, PathBuf};

/// Which parser reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Newsdesk JSON Lines (what `newsdesk export` writes).
    Jsonl,
    /// An RSS 2.0, Atom 1.0 or JSON Feed 1.1 document.
    Feed,
    /// A WordPress export (WXR 1.1 or 1.2).
    Wxr,
    /// A Ghost JSON export (Ghost 5 and 6).
    Ghost,
}

impl Format {
    /// Guesses the format from the first bytes: a feed starts with `<` (XML) or is a JSON
    /// object naming the JSON Feed version; anything else starting with `{` is JSON Lines.
    pub fn detect(content: &str) -> Option<Format> {
        let head = content.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with('<') {
            // WordPress declares its namespace on the root element, within the first lines.
            let start: String = head.chars().take(4096).collect();
            if wxr::is_wxr(&start) { Some(Format::Wxr) } else { Some(Format::Feed) }
        } else if head.starts_with('{') {
            // A JSON Lines file's first line is a whole object; a JSON Feed or a Ghost export
            // is one document, on one line or pretty-printed over many. (JSON Feed's `version`
            // may come anywhere in its object, after a long `items`, and PHP writes its slashes
            // as `\/`.)
            let first_line = head.lines().next().unwrap_or("").trim();
            let names_json_feed =
                |text: &str| text.contains("jsonfeed.org/version") || text.contains("jsonfeed.org\\/version");
            if ghost::is_ghost(head) {
                Some(Format::Ghost)
            } else if first_line == "{" {
                Some(Format::Feed)
            } else if let Ok(serde_json::Value::Object(object)) = serde_json::from_str(first_line) {
                let feed =
                    object.get("version").and_then(serde_json::Value::as_str).is_some_and(names_json_feed);
                Some(if feed { Format::Feed } else { Format::Jsonl })
            } else if names_json_feed(head) && !head.contains('\n') {
                // One line longer than what was read: a document, not a line of many.
                Some(Format::Feed)
            } else {
                Some(Format::Jsonl)
            }
        } else {
            None
        }
    }
}

/// Defaults for items that do not say.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub format: Option<Format>,
    /// Language for items (and feeds) that do not state one.
    pub lang: Option<Lang>,
    /// Section slug for items that do not state one; `news` when absent.
    pub section: Option<String>,
    /// WordPress category slug → section slug (`--map-category from=to`).
    pub category_map: std::collections::BTreeMap<String, String>,
    /// A local copy of the old site's uploads folder (WordPress `wp-content/uploads`), where
    /// photos are read from; nothing is fetched over the network.
    pub uploads: Option<PathBuf>,
}

/// Why an import was refused. Each variant names the file and, where it applies, the line
/// or item and the field. Nothing has been written when one of these is returned.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: cannot read: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: cannot tell the format (not JSON Lines, RSS, Atom or JSON Feed); use --format")]
    UnknownFormat { path: PathBuf },
    #[error("{path}: {location}: {message}")]
    Invalid { path: PathBuf, location: String, message: String },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// "line L, column C" of the end of `before` (the bytes preceding a fault): people open files
/// in editors that show lines and columns, not byte offsets. Columns count characters.
pub fn line_and_column(before: &[u8]) -> String {
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    format!("line {line}, column {column}")
}

/// The place a parser's message names by byte offset ("at position 120", "offset 7"), as
/// [`line_and_column`] in `content`; `None` when the message names no offset.
pub fn locate_offset(content: &str, message: &str) -> Option<String> {
    for marker in ["position ", "offset ", "byte "] {
        if let Some(i) = message.find(marker) {
            let digits: String =
                message[i + marker.len()..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(offset) = digits.parse::<usize>() {
                let end = offset.min(content.len());
                return Some(line_and_column(&content.as_bytes()[..end]));
            }
        }
    }
    None
}

/// Items read from files, ready to save, each remembering where it came from.
#[derive(Debug, Default)]
pub struct Batch {
    pub sections: Vec<SectionInput>,
    pub articles: Vec<ArticleInput>,
    /// `(file, location)` of each article, for error messages.
    pub origins: Vec<(PathBuf, String)>,
    /// Sections to create only if the site lacks them (from WordPress categories); existing
    /// sections keep their names.
    pub proposed_sections: Vec<SectionInput>,
    /// Old addresses of lists and feeds (keys) and the paths they lead to now.
    pub redirects: Vec<(String, String)>,
    /// What was found and left out, for the summary.
    pub report: report::Report,
    /// Photo files to add to the media library; texts refer to them by
    /// [`photos::placeholder`].
    pub photos: Vec<photos::PhotoFile>,
    /// `(article index, photo index)`: lead photos.
    pub lead_photos: Vec<(usize, usize)>,
    /// Static pages (WordPress and Ghost pages, `"type":"page"` lines).
    pub pages: Vec<crate::domain::page::PageInput>,
    /// The old site's authors with an e-mail address, `(email, name)`: added as people who
    /// cannot sign in until an admin invites them.
    pub people: Vec<(String, String)>,
}

impl Batch {
    /// Notes an author of the old site as a person to add, once per address; an address that
    /// does not look like one is left out.
    pub fn add_person(&mut self, email: &str, name: &str) {
        let Some(email) = crate::domain::user::normalize_email(email) else { return };
        if self.people.iter().any(|(e, _)| *e == email) {
            return;
        }
        let name = crate::domain::markup::plain_title(name);
        let name = if name.trim().is_empty() { email.clone() } else { name };
        self.people.push((email, name));
    }
}

/// Reads and validates one file whole into `batch` (for files known to be small; imports
/// from the command line read in chunks, see [`import_file`]).
pub fn read_file(
    path: &Path,
    site: &SiteConfig,
    options: &ImportOptions,
    now: jiff::Timestamp,
    batch: &mut Batch,
) -> Result<(), ImportError> {
    open_source(path, site, options, now)?.read_chunk(batch, usize::MAX, 0)?;
    Ok(())
}

/// The format of the file at `path`: `options.format`, or told from its first bytes.
pub fn format_of(path: &Path, options: &ImportOptions) -> Result<Format, ImportError> {
    if let Some(format) = options.format {
        return Ok(format);
    }
    use std::io::Read;
    let mut head = Vec::with_capacity(1 << 16);
    std::fs::File::open(path)
        .and_then(|f| f.take(1 << 16).read_to_end(&mut head))
        .map_err(|source| ImportError::Read { path: path.into(), source })?;
    Format::detect(&String::from_utf8_lossy(&head))
        .ok_or_else(|| ImportError::UnknownFormat { path: path.into() })
}

/// Opens the file at `path` to be read a chunk at a time, by the reader its format calls for.
pub fn open_source<'a>(
    path: &Path,
    site: &'a SiteConfig,
    options: &'a ImportOptions,
    now: jiff::Timestamp,
) -> Result<Box<dyn Source + 'a>, ImportError> {
    let input = stream::Input::File(path.into());
    Ok(match format_of(path, options)? {
        Format::Jsonl => Box::new(jsonl::Reader::open(path, &input, site, options)?),
        Format::Feed => Box::new(feed::Reader::open(path, &input, site, options, now)?),
        Format::Wxr => Box::new(wxr::Reader::open(path, site, options, now)?),
        Format::Ghost => Box::new(ghost::Reader::open(path, &input, site, options, now)?),
    })
}

/// Checks that every article names a section that exists or arrives in the same import.
fn check_sections(batch: &Batch, existing: &[String]) -> Result<(), ImportError> {
    for (article, (path, location)) in batch.articles.iter().zip(&batch.origins) {
        let known = existing.contains(&article.section_slug)
            || batch.sections.iter().any(|s| s.slug == article.section_slug);
        if !known {
            return Err(ImportError::Invalid {
                path: path.clone(),
                location: location.clone(),
                message: format!("section: there is no section '{}'", article.section_slug),
            });
        }
    }
    Ok(())
}

/// Reads and validates every file; nothing is written.
pub async fn read_all(
    store: &Store,
    site: &SiteConfig,
    now: jiff::Timestamp,
    files: &[PathBuf],
    options: &ImportOptions,
) -> Result<Batch, ImportError> {
    let mut batch = Batch::default();
    for path in files {
        read_file(path, site, options, now, &mut batch)?;
    }
    settle_sections(store, &mut batch).await?;
    Ok(batch)
}

/// Sections a batch proposes (from categories) join it only when the site lacks them; then
/// every article must name a section that exists or arrives with it.
async fn settle_sections(store: &Store, batch: &mut Batch) -> Result<(), ImportError> {
    let existing: Vec<String> = store.sections().await?.into_iter().map(|s| s.slug).collect();
    for proposed in std::mem::take(&mut batch.proposed_sections) {
        let known =
            existing.contains(&proposed.slug) || batch.sections.iter().any(|s| s.slug == proposed.slug);
        if !known {
            batch.sections.push(proposed);
        }
    }
    check_sections(batch, &existing)
}

/// As [`settle_sections`] against the section slugs in `known` instead of the database's;
/// the batch's sections join `known`, as they would once saved.
fn settle_sections_known(batch: &mut Batch, known: &mut Vec<String>) -> Result<(), ImportError> {
    for proposed in std::mem::take(&mut batch.proposed_sections) {
        if !known.contains(&proposed.slug) && !batch.sections.iter().any(|s| s.slug == proposed.slug) {
            batch.sections.push(proposed);
        }
    }
    known.extend(batch.sections.iter().map(|s| s.slug.clone()));
    check_sections(batch, known)
}

/// Saves a validated batch that brings no photos in one transaction. `on_item` is called once
/// per article as it is saved (for a progress bar).
pub async fn save(
    store: &Store,
    batch: &Batch,
    now: jiff::Timestamp,
    on_item: &(dyn Fn() + Send + Sync),
) -> Result<ImportOutcome, ImportError> {
    if !batch.photos.is_empty() {
        return Err(ImportError::Store(StoreError::Conflict("photos need the site's data directory".into())));
    }
    let mut outcome = save_articles(store, batch, &batch.articles, now, on_item).await?;
    store.import_pages(&batch.pages, now).await?;
    outcome.people_added = store.add_people(&batch.people, now).await?;
    Ok(outcome)
}

/// Saves a validated batch: its photos into the media library of the site in `data_dir`
/// first, then its articles (with their photos in place) in one transaction.
pub async fn save_with_photos(
    store: &Store,
    batch: &Batch,
    data_dir: &Path,
    now: jiff::Timestamp,
    on_item: &(dyn Fn() + Send + Sync),
) -> Result<ImportOutcome, ImportError> {
    if batch.photos.is_empty() {
        return save(store, batch, now, on_item).await;
    }
    let stored = photos::store_all(store, data_dir, &batch.photos, now).await?;
    let mut articles = batch.articles.clone();
    photos::apply(&mut articles, &batch.lead_photos, &stored);
    let mut pages = batch.pages.clone();
    for page in &mut pages {
        for (index, photo) in stored.iter().enumerate() {
            page.body_html = page.body_html.replace(&photos::placeholder(index), &photo.src);
        }
    }
    let mut outcome = save_articles(store, batch, &articles, now, on_item).await?;
    store.import_pages(&pages, now).await?;
    outcome.people_added = store.add_people(&batch.people, now).await?;
    Ok(outcome)
}

async fn save_articles(
    store: &Store,
    batch: &Batch,
    articles: &[ArticleInput],
    now: jiff::Timestamp,
    on_item: &(dyn Fn() + Send + Sync),
) -> Result<ImportOutcome, ImportError> {
    let outcome =
        store.save_articles(&batch.sections, articles, now, on_item).await.map_err(|e| {
            match batch.origins.get(e.index) {
                Some((path, location)) => ImportError::Invalid {
                    path: path.clone(),
                    location: location.clone(),
                    message: e.error.to_string(),
                },
                None => ImportError::Store(e.error),
            }
        })?;
    if !batch.redirects.is_empty() {
        store.save_redirects(&batch.redirects, now).await?;
    }
    Ok(outcome)
}

/// What saving `batch` would do, as lines for a person (`import --dry-run`): articles new and
/// updated by status, sections to create, slugs that change, old addresses kept, what is
/// left out. Reads the database; writes nothing.
pub async fn plan(store: &Store, batch: &Batch) -> Result<Vec<String>, ImportError> {
    let mut plan = Plan::default();
    plan.add(store, batch).await?;
    Ok(plan.lines())
}

/// What an import would do, added up over the batches (chunks) it is read in.
#[derive(Debug, Default)]
pub struct Plan {
    /// Section slugs that exist or that the planned import brings so far.
    known_sections: Option<Vec<String>>,
    read: usize,
    new: std::collections::BTreeMap<&'static str, usize>,
    updated: usize,
    /// Section slug → its names, as the import would create or update it.
    sections: std::collections::BTreeMap<String, String>,
    tags: std::collections::BTreeSet<String>,
    list_redirects: std::collections::BTreeSet<String>,
    pages: usize,
    pages_published: usize,
    photos: usize,
    lead_photos: usize,
    /// The old site's authors that have no account here yet.
    people: std::collections::BTreeSet<String>,
    report: report::Report,
}

impl Plan {
    /// Adds what saving `batch` would do (reading the database to tell new from updated).
    pub async fn add(&mut self, store: &Store, batch: &Batch) -> Result<(), ImportError> {
        for article in &batch.articles {
            let exists = match &article.external_id {
                Some(id) => store.has_external_id(id).await?,
                None => false,
            };
            if exists {
                self.updated += 1;
            } else {
                let status = if article.extras.trashed { "trash" } else { article.status.as_str() };
                *self.new.entry(status).or_default() += 1;
            }
            self.tags.extend(article.tags.iter().cloned());
        }
        self.read += batch.articles.len();
        for section in &batch.sections {
            let names: Vec<&str> = section.names.values().map(String::as_str).collect();
            self.sections.insert(section.slug.clone(), names.join(", "));
        }
        self.list_redirects.extend(batch.redirects.iter().map(|(from, _)| from.clone()));
        self.pages += batch.pages.len();
        self.pages_published += batch.pages.iter().filter(|p| p.published).count();
        self.photos += batch.photos.len();
        self.lead_photos += batch.lead_photos.len();
        for (email, _) in &batch.people {
            if store.user_for_login(email).await?.is_none() {
                self.people.insert(email.clone());
            }
        }
        self.report.absorb(batch.report.clone());
        Ok(())
    }

    /// The plan for a person.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("{} articles read", self.read)];
        lines.extend(self.new.iter().map(|(status, n)| format!("{n} new articles: {status}")));
        if self.updated > 0 {
            lines.push(format!("{} articles already imported: updated where they changed", self.updated));
        }
        for (slug, names) in &self.sections {
            lines.push(format!("section to create or update: {slug} ({names})"));
        }
        if !self.tags.is_empty() {
            let shown: Vec<&str> = self.tags.iter().take(200).map(String::as_str).collect();
            let more = if self.tags.len() > shown.len() { ", …" } else { "" };
            lines.push(format!("{} tags: {}{more}", self.tags.len(), shown.join(", ")));
        }
        if !self.list_redirects.is_empty() {
            lines.push(format!("{} old addresses of lists and feeds redirect", self.list_redirects.len()));
        }
        if self.pages > 0 {
            lines.push(format!(
                "{} pages: {} published, {} drafts",
                self.pages,
                self.pages_published,
                self.pages - self.pages_published
            ));
        }
        if self.photos > 0 {
            lines.push(format!(
                "{} photos into the media library ({} lead photos)",
                self.photos, self.lead_photos
            ));
        }
        if !self.people.is_empty() {
            lines.push(format!(
                "{} people to add as authors who cannot sign in until an admin invites them: {}",
                self.people.len(),
                self.people.iter().map(String::as_str).collect::<Vec<_>>().join(", ")
            ));
        }
        lines.extend(self.report.lines());
        lines
    }
}

/// Posts and pages a streamed import saves per transaction: small enough to keep memory and
/// a transaction short, large enough that the commits cost little.
pub const CHUNK: usize = 500;

/// What a streamed import did.
#[derive(Debug, Default)]
pub struct Streamed {
    pub outcome: ImportOutcome,
    pub articles: usize,
    pub sections: usize,
    pub pages: usize,
    pub report: report::Report,
}

/// Imports a file of any size and format in chunks of [`CHUNK`] articles and pages, each
/// saved (photos first) in its own transaction: memory stays bounded by a chunk, a broken item
/// stops the import with nothing of its chunk written, and a run that stopped is resumed by
/// running the same command again (a checkpoint in `DATA/imports/` says how far the last run
/// came; re-importing is idempotent anyway). `progress` gets the bytes of the file read so far.
/// [`check`] reads the files through first, so that broken input is found before anything is
/// written.
pub async fn import_file(
    store: &Store,
    site: &SiteConfig,
    data_dir: &Path,
    path: &Path,
    options: &ImportOptions,
    now: jiff::Timestamp,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<Streamed, ImportError> {
    let checkpoint = Checkpoint::new(data_dir, path, options);
    let skip = checkpoint.as_ref().map(Checkpoint::load).unwrap_or(0);
    let mut source = open_source(path, site, options, now)?;
    let mut done = Streamed::default();
    loop {
        let mut batch = Batch::default();
        let more = source.read_chunk(&mut batch, CHUNK, skip)?;
        settle_sections(store, &mut batch).await?;
        let outcome = save_with_photos(store, &batch, data_dir, now, &|| {}).await?;
        done.outcome.created += outcome.created;
        done.outcome.updated += outcome.updated;
        done.outcome.unchanged += outcome.unchanged;
        done.outcome.people_added += outcome.people_added;
        done.articles += batch.articles.len();
        done.sections += batch.sections.len();
        done.pages += batch.pages.len();
        done.report.absorb(batch.report);
        if let Some(checkpoint) = &checkpoint {
            checkpoint.save(source.items_read());
        }
        progress(source.bytes_read());
        if !more {
            break;
        }
    }
    if let Some(checkpoint) = &checkpoint {
        checkpoint.clear();
    }
    Ok(done)
}

/// Reads every file through, chunk by chunk, and validates every item, writing nothing: an
/// import checks its files this way before it saves the first chunk, so that a broken item
/// anywhere in any file leaves the site as it was. Sections that earlier chunks bring count
/// as existing for later ones. `progress` gets the bytes read so far, over all files.
pub async fn check(
    store: &Store,
    site: &SiteConfig,
    files: &[PathBuf],
    options: &ImportOptions,
    now: jiff::Timestamp,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<(), ImportError> {
    let mut known: Vec<String> = store.sections().await?.into_iter().map(|s| s.slug).collect();
    let mut before = 0;
    for path in files {
        let mut source = open_source(path, site, options, now)?;
        loop {
            let mut batch = Batch::default();
            let more = source.read_chunk(&mut batch, CHUNK, 0)?;
            settle_sections_known(&mut batch, &mut known)?;
            progress(before + source.bytes_read());
            if !more {
                break;
            }
        }
        before += source.bytes_read();
    }
    Ok(())
}

/// What importing a file would do, read in chunks as [`import_file`] reads it. Sections that
/// earlier chunks and files of the plan bring count as existing, as they would after saving.
pub async fn plan_file(
    store: &Store,
    site: &SiteConfig,
    path: &Path,
    options: &ImportOptions,
    now: jiff::Timestamp,
    plan: &mut Plan,
) -> Result<(), ImportError> {
    if plan.known_sections.is_none() {
        plan.known_sections = Some(store.sections().await?.into_iter().map(|s| s.slug).collect());
    }
    let mut source = open_source(path, site, options, now)?;
    loop {
        let mut batch = Batch::default();
        let more = source.read_chunk(&mut batch, CHUNK, 0)?;
        let known = plan.known_sections.get_or_insert_with(Vec::new);
        settle_sections_known(&mut batch, known)?;
        plan.add(store, &batch).await?;
        if !more {
            return Ok(());
        }
    }
}

/// How far an interrupted streamed import came: items of the file already saved. Kept per
/// file (path, size, modification time) and options, so a changed file or other options
/// start from the top.
struct Checkpoint {
    file: PathBuf,
}

impl Checkpoint {
    fn new(data_dir: &Path, path: &Path, options: &ImportOptions) -> Option<Checkpoint> {
        use sha2::Digest;
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
        let canonical = std::fs::canonicalize(path).ok()?;
        let key = format!("{}|{}|{modified}|{options:?}", canonical.display(), meta.len());
        let hash = sha2::Sha256::digest(key.as_bytes());
        let name: String = hash.iter().take(12).map(|b| format!("{b:02x}")).collect();
        Some(Checkpoint { file: data_dir.join("imports").join(format!("{name}.done")) })
    }

    fn load(&self) -> u64 {
        std::fs::read_to_string(&self.file).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0)
    }

    /// Best effort: without a checkpoint a re-run starts over, which is slower but correct.
    fn save(&self, items: u64) {
        let Some(dir) = self.file.parent() else { return };
        let tmp = self.file.with_extension("tmp");
        let written = std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&tmp, items.to_string()))
            .and_then(|()| std::fs::rename(&tmp, &self.file));
        if let Err(e) = written {
            tracing::warn!(error = %e, "cannot write the import checkpoint; a re-run would start over");
        }
    }

    /// Removes the checkpoint and any temporary copy a killed run left half-written.
    fn clear(&self) {
        let _ = std::fs::remove_file(&self.file);
        let _ = std::fs::remove_file(self.file.with_extension("tmp"));
    }
}

/// Reads, validates and saves files in one go.
pub async fn import_files(
    store: &Store,
    site: &SiteConfig,
    clock: &dyn Clock,
    files: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportOutcome, ImportError> {
    let now = clock.now();
    let batch = read_all(store, site, now, files, options).await?;
    save(store, &batch, now, &|| {}).await
}

#[cfg(test)]
mod location_tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        assert_eq!(line_and_column(b""), "line 1, column 1");
        assert_eq!(line_and_column("ab\nпри".as_bytes()), "line 2, column 4");
        let content = "<rss>\n<channel>\n<item><title>x</titel>";
        assert_eq!(locate_offset(content, "ill-formed at position 28").as_deref(), Some("line 3, column 13"));
        assert_eq!(locate_offset(content, "no offset here"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn detects_formats() {
        assert_eq!(Format::detect("\u{feff}<?xml version=\"1.0\"?><rss>"), Some(Format::Feed));
        assert_eq!(Format::detect("  <feed xmlns=\"http://www.w3.org/2005/Atom\">"), Some(Format::Feed));
        assert_eq!(Format::detect("{\"version\": \"https://jsonfeed.org/version/1.1\"}"), Some(Format::Feed));
        assert_eq!(Format::detect("{\"type\":\"article\"}\n{}"), Some(Format::Jsonl));
        assert_eq!(
            Format::detect("{\n  \"version\": \"https://jsonfeed.org/version/1.1\",\n  \"items\": []\n}"),
            Some(Format::Feed)
        );
        assert_eq!(Format::detect("{\n  \"db\": [\n    {\"meta\": {}}]}"), Some(Format::Ghost));
        // Keys sorted: `items` before `version`; PHP's escaped slashes.
        let sorted = "{\"items\":[],\"title\":\"t\",\"version\":\"https://jsonfeed.org/version/1.1\"}";
        assert_eq!(Format::detect(sorted), Some(Format::Feed));
        let php = "{\"version\":\"https:\\/\\/jsonfeed.org\\/version\\/1\",\"items\":[]}";
        assert_eq!(Format::detect(php), Some(Format::Feed));
        // A long first line cut where the head was read.
        let cut =
            format!("{{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{}", "{},".repeat(100));
        assert_eq!(Format::detect(&cut), Some(Format::Feed));
        assert_eq!(Format::detect("{\"title\":\"jsonfeed.org/version\"}\n{}"), Some(Format::Jsonl));
        assert_eq!(Format::detect("hello"), None);
    }
}
