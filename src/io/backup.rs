//! `newsdesk backup` and `newsdesk restore`: the whole site in one file, and back.
//!
//! A backup is a gzip-compressed tar archive:
//!
//! ```text
//! manifest.json            format, version, schema version, row counts per table
//! db/<table>.jsonl         every row of every table that holds the site, one JSON object per line
//! media/…                  photo originals and their variants, as the data directory has them
//! settings/newsdesk.toml   the settings file, if the site has one
//! ```
//!
//! The database part is read from one snapshot ([`Store::snapshot`]) while the site keeps
//! serving; sign-in sessions and throttling state are left out ([`backup::LEFT_OUT`]). The
//! archive is written under a temporary name and renamed when complete, so a crash never leaves
//! a file that looks like a backup but is not one.
//!
//! A restore rebuilds an empty site: every row goes in one transaction and the photos into a
//! folder that takes the media folder's name only after the commit, so a broken or truncated
//! archive leaves nothing behind. Row counts are checked against the manifest.

use crate::media::MediaStore;
use crate::storage::backup::{self, Row};
use crate::storage::{Store, StoreError};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

/// What a manifest's `format` says.
const FORMAT: &str = "newsdesk-backup";
/// The archive layout's version (not the schema's).
const VERSION: u32 = 1;
/// A settings file larger than this is not a settings file.
const MAX_SETTINGS: u64 = 1 << 20;

/// What went wrong, for an operator to act on.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "this site is not empty: a restore rebuilds an empty site. Restore into a new data directory \
         (and, on PostgreSQL, a new database)"
    )]
    NotBlank,
    #[error("{0} already holds photos: restore into a new data directory")]
    MediaNotEmpty(PathBuf),
    #[error("{file} is not a Newsdesk backup: {why}")]
    NotABackup { file: PathBuf, why: String },
    #[error(
        "{file} was made by a newer Newsdesk (database schema {backup}, this one knows up to {known}); \
         restore it with that version or a newer one"
    )]
    Newer { file: PathBuf, backup: i64, known: i64 },
    #[error("{file}, {entry} line {line}: {why}")]
    Line { file: PathBuf, entry: String, line: u64, why: String },
    #[error("{file} is incomplete: {why}")]
    Incomplete { file: PathBuf, why: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io { path: path.to_path_buf(), source }
}

/// The first entry of every backup.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// The newest database migration the backed-up site had.
    pub schema: i64,
    /// Which database it came from (`sqlite` or `postgres`); a backup restores onto either.
    pub backend: String,
    /// When the snapshot was taken (RFC 3339, UTC).
    pub created_at: String,
    /// The Newsdesk version that wrote it.
    pub newsdesk: String,
    /// Rows per table.
    pub tables: BTreeMap<String, u64>,
    /// Files under `media/` when the backup started (one deleted meanwhile is left out).
    pub media_files: u64,
}

/// What a backup or a restore did.
#[derive(Debug)]
pub struct Summary {
    pub manifest: Manifest,
    /// Photo files that disappeared between listing and copying (deleted meanwhile).
    pub vanished: u64,
}

/// Writes a backup of the site to `out`. `settings` is the settings file in use, if any.
pub async fn backup(
    store: &Store,
    data_dir: &Path,
    settings: Option<&Path>,
    out: &Path,
) -> Result<Summary, BackupError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let scratch = tempfile::tempdir_in(&parent).map_err(io(&parent))?;

    // 1. The database, from one snapshot, into one scratch file per table.
    let mut writers = BTreeMap::new();
    for table in backup::TABLES {
        let path = scratch.path().join(format!("{table}.jsonl"));
        let file = std::fs::File::create(&path).map_err(io(&path))?;
        writers.insert(*table, (BufWriter::new(file), 0u64));
    }
    let created_at = crate::domain::Clock::now(&crate::domain::SystemClock).to_string();
    let schema = store.schema_version().await?;
    store
        .snapshot(|table, row| {
            let (writer, count) = writers.get_mut(table).expect("every snapshot table has a writer");
            serde_json::to_writer(&mut *writer, &row)?;
            writer.write_all(b"\n")?;
            *count += 1;
            Ok(())
        })
        .await?;
    let mut tables = BTreeMap::new();
    for (table, (mut writer, count)) in writers {
        writer.flush().map_err(io(scratch.path()))?;
        tables.insert(table.to_string(), count);
    }

    // 2. The photo files there are now (a photo uploaded since is harmless extra): the media
    // folder's files, or in a bucket the files of every photo the library lists and of every
    // document the register lists.
    let media_settings = crate::media::settings(data_dir);
    let media_dir = media_settings.dir.clone();
    let in_bucket = !matches!(*media_settings.store, MediaStore::Local { .. });
    let mut media = Vec::new();
    if in_bucket {
        media = bucket_files(store).await?;
    } else if media_dir.is_dir() {
        list_files(&media_dir, &media_dir, &mut media)?;
    }
    media.sort();

    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        schema,
        backend: store.backend().into(),
        created_at,
        newsdesk: env!("CARGO_PKG_VERSION").into(),
        tables,
        media_files: media.len() as u64,
    };

    // 3. The archive, under a temporary name until it is whole.
    let partial = tempfile::NamedTempFile::new_in(&parent).map_err(io(&parent))?;
    let gz = flate2::write::GzEncoder::new(
        BufWriter::new(partial.reopen().map_err(io(out))?),
        flate2::Compression::fast(),
    );
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    let manifest_json = serde_json::to_vec_pretty(&manifest).expect("a manifest serializes");
    append_bytes(&mut tar, "manifest.json", &manifest_json).map_err(io(out))?;
    for table in backup::TABLES {
        let path = scratch.path().join(format!("{table}.jsonl"));
        let mut file = std::fs::File::open(&path).map_err(io(&path))?;
        tar.append_file(format!("db/{table}.jsonl"), &mut file).map_err(io(out))?;
    }
    let mut vanished = 0;
    for relative in &media {
        if in_bucket {
            let name = relative.to_string_lossy();
            match media_settings.store.read(&name).await.map_err(io(relative))? {
                Some(bytes) => append_bytes(&mut tar, &format!("media/{name}"), &bytes).map_err(io(out))?,
                None => vanished += 1,
            }
            continue;
        }
        let path = media_dir.join(relative);
        match std::fs::File::open(&path) {
            Ok(mut file) => tar.append_file(Path::new("media").join(relative), &mut file).map_err(io(out))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => vanished += 1,
            Err(e) => return Err(io(&path)(e)),
        }
    }
    if let Some(settings) = settings.filter(|p| p.is_file()) {
        let bytes = std::fs::read(settings).map_err(io(settings))?;
        append_bytes(&mut tar, "settings/newsdesk.toml", &bytes).map_err(io(out))?;
    }
    let gz = tar.into_inner().map_err(io(out))?;
    let mut buffered = gz.finish().map_err(io(out))?;
    buffered.flush().map_err(io(out))?;
    buffered.get_ref().sync_all().map_err(io(out))?;
    drop(buffered);
    partial.persist(out).map_err(|e| io(out)(e.error))?;
    Ok(Summary { manifest, vanished })
}

fn append_bytes<W: Write>(tar: &mut tar::Builder<W>, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_cksum();
    tar.append_data(&mut header, name, bytes)
}

/// Every regular file under `dir`, as paths relative to `root`.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), BackupError> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let entry = entry.map_err(io(dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io(&path))?;
        if kind.is_dir() {
            list_files(root, &path, out)?;
        } else if kind.is_file()
            && let Ok(relative) = path.strip_prefix(root)
        {
            out.push(relative.to_path_buf());
        }
    }
    Ok(())
}

/// The files of every photo in the library, for a backup of a site whose photos are in a
/// bucket (listing a bucket would also find what other sites keep there).
async fn bucket_files(store: &Store) -> Result<Vec<PathBuf>, BackupError> {
    const PAGE: u32 = 500;
    let mut names = Vec::new();
    let mut offset = 0u64;
    loop {
        let (rows, _) = store.media_page(PAGE, offset).await?;
        for m in &rows {
            let kind = crate::media::Kind::from_mime(&m.mime).unwrap_or(crate::media::Kind::Jpeg);
            let width = u32::try_from(m.width).unwrap_or(0);
            names.extend(crate::media::file_names(&m.file_key, kind, width).into_iter().map(PathBuf::from));
        }
        if rows.len() < PAGE as usize {
            break;
        }
        offset += u64::from(PAGE);
    }
    // The register's files live in the same store.
    names.extend(store.document_file_keys().await?.into_iter().map(PathBuf::from));
    Ok(names)
}

/// Rebuilds an empty site from the backup `file`: the database rows, the photos into the data
/// directory's media folder, and the settings file if the data directory has none.
/// Returns the backup's manifest; the caller rebuilds the search index.
pub async fn restore(store: &Store, data_dir: &Path, file: &Path) -> Result<Summary, BackupError> {
    if !store.is_blank().await? {
        return Err(BackupError::NotBlank);
    }
    let media_settings = crate::media::settings(data_dir);
    let media_dir = media_settings.dir.clone();
    let in_bucket = !matches!(*media_settings.store, MediaStore::Local { .. });
    if !in_bucket && std::fs::read_dir(&media_dir).map(|mut d| d.next().is_some()).unwrap_or(false) {
        return Err(BackupError::MediaNotEmpty(media_dir));
    }
    let not_a_backup = |why: &str| BackupError::NotABackup { file: file.to_path_buf(), why: why.to_string() };
    let reader = std::fs::File::open(file).map_err(io(file))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(BufReader::new(reader)));
    let mut entries = archive.entries().map_err(|e| not_a_backup(&e.to_string()))?;

    // The manifest comes first and decides whether to go on.
    let mut first = match entries.next() {
        Some(Ok(entry)) => entry,
        Some(Err(e)) => return Err(not_a_backup(&e.to_string())),
        None => return Err(not_a_backup("it is empty")),
    };
    if first.path().map(|p| p.as_ref() != Path::new("manifest.json")).unwrap_or(true) {
        return Err(not_a_backup("it does not start with manifest.json"));
    }
    let mut text = String::new();
    first.by_ref().take(MAX_SETTINGS).read_to_string(&mut text).map_err(|e| not_a_backup(&e.to_string()))?;
    drop(first);
    let manifest: Manifest =
        serde_json::from_str(&text).map_err(|e| not_a_backup(&format!("manifest.json: {e}")))?;
    if manifest.format != FORMAT || manifest.version != VERSION {
        return Err(not_a_backup(&format!("its format is {} {}", manifest.format, manifest.version)));
    }
    let known = store.known_schema_version();
    if manifest.schema > known {
        return Err(BackupError::Newer { file: file.to_path_buf(), backup: manifest.schema, known });
    }

    let staging = data_dir.join("media.restoring");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    let result = restore_entries(store, file, entries, &manifest, &staging).await;
    let settings = match result {
        Ok(settings) => settings,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    if staging.exists() && in_bucket {
        // The photos go to the bucket the settings name; the database rows are already in.
        let mut files = Vec::new();
        list_files(&staging, &staging, &mut files)?;
        for relative in &files {
            let path = staging.join(relative);
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            let name = relative.to_string_lossy();
            media_settings
                .store
                .put(&name, &bytes, crate::media::content_type(&name))
                .await
                .map_err(io(&path))?;
        }
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    } else if staging.exists() {
        if media_dir.exists() {
            std::fs::remove_dir(&media_dir).map_err(io(&media_dir))?;
        }
        std::fs::rename(&staging, &media_dir).map_err(io(&media_dir))?;
    }
    if let Some(bytes) = settings {
        let target = data_dir.join("newsdesk.toml");
        if !target.exists() {
            std::fs::write(&target, bytes).map_err(io(&target))?;
        }
    }
    Ok(Summary { manifest, vanished: 0 })
}

/// Everything after the manifest. Returns the settings file's bytes, if the backup has one.
async fn restore_entries<R: Read>(
    store: &Store,
    file: &Path,
    entries: tar::Entries<'_, R>,
    manifest: &Manifest,
    staging: &Path,
) -> Result<Option<Vec<u8>>, BackupError> {
    let not_a_backup = |why: String| BackupError::NotABackup { file: file.to_path_buf(), why };
    let mut restorer = store.begin_restore().await?;
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut settings = None;
    for entry in entries {
        let entry = entry.map_err(|e| incomplete(file, &e))?;
        let name = entry.path().map_err(|e| not_a_backup(e.to_string()))?.into_owned();
        let label = name.display().to_string();
        let parts: Vec<&str> = name
            .components()
            .map(|c| match c {
                Component::Normal(s) => s.to_str().ok_or(()),
                _ => Err(()),
            })
            .collect::<Result<_, _>>()
            .map_err(|()| not_a_backup(format!("it names an unsafe path '{label}'")))?;
        match parts.as_slice() {
            ["db", table_file] => {
                let table = table_file
                    .strip_suffix(".jsonl")
                    .filter(|t| backup::TABLES.contains(t))
                    .ok_or_else(|| not_a_backup(format!("unknown table file '{label}'")))?;
                let mut lines = BufReader::new(entry);
                let mut line = String::new();
                let mut n = 0u64;
                loop {
                    line.clear();
                    let read = lines.read_line(&mut line).map_err(|e| incomplete(file, &e))?;
                    if read == 0 {
                        break;
                    }
                    n += 1;
                    let at = |why: String| BackupError::Line {
                        file: file.to_path_buf(),
                        entry: label.clone(),
                        line: n,
                        why,
                    };
                    let row: Row = serde_json::from_str(line.trim_end()).map_err(|e| at(e.to_string()))?;
                    restorer.insert(table, row).await.map_err(|e| at(e.to_string()))?;
                }
                counts.insert(table.to_string(), n);
            }
            ["media", rest @ ..] if !rest.is_empty() => {
                let target = rest.iter().fold(staging.to_path_buf(), |p, part| p.join(part));
                if let Some(dir) = target.parent() {
                    std::fs::create_dir_all(dir).map_err(io(dir))?;
                }
                let mut out = std::fs::File::create(&target).map_err(io(&target))?;
                let mut entry = entry;
                std::io::copy(&mut entry, &mut out).map_err(|e| incomplete(file, &e))?;
            }
            ["settings", "newsdesk.toml"] => {
                let mut bytes = Vec::new();
                entry.take(MAX_SETTINGS).read_to_end(&mut bytes).map_err(|e| incomplete(file, &e))?;
                settings = Some(bytes);
            }
            _ => return Err(not_a_backup(format!("unexpected entry '{label}'"))),
        }
    }
    for (table, expected) in &manifest.tables {
        let got = counts.get(table).copied().unwrap_or(0);
        if got != *expected {
            return Err(BackupError::Incomplete {
                file: file.to_path_buf(),
                why: format!("table {table} has {got} rows, its manifest says {expected}"),
            });
        }
    }
    restorer.finish().await?;
    Ok(settings)
}

fn incomplete(file: &Path, e: &std::io::Error) -> BackupError {
    BackupError::Incomplete { file: file.to_path_buf(), why: e.to_string() }
}
