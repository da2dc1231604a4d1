//! Where photo files live: `DATA/media` on the node's disk (the default), or a bucket on
//! S3-compatible object storage shared by every node (`[media] store = "s3"`), so that a photo
//! uploaded through one node is served by all of them.
//!
//! Uploads, imports, the demo and `newsdesk media sync` all write through [`MediaStore`]; the
//! public `/media/` route reads through it, streaming the object or, with `public_url` set,
//! redirecting to a CDN in front of the bucket. Requests to the bucket are signed with AWS
//! Signature V4 by `rusty-s3` and sent by `reqwest`; path-style addresses, so any S3
//! implementation (Garage, MinIO, Ceph, AWS) works without DNS per bucket.

use rusty_s3::actions::{DeleteObject, GetObject, HeadObject, ListObjectsV2, PutObject};
use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
use std::path::{Path, PathBuf};
use std::time::Duration;

mod large;
pub use large::PART_BYTES;

/// How long a signed request stays valid: long enough for a slow upload to start.
const SIGNED_FOR: Duration = Duration::from_secs(300);
/// The longest a request to the bucket may take before it counts as failed.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The `[media]` settings that say where photos live.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum StoreConfig {
    /// `DATA/media`.
    #[default]
    Local,
    S3(S3Config),
}

/// A bucket on S3-compatible storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    /// `http://127.0.0.1:3900`, `https://s3.eu-central-1.amazonaws.com`.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    /// From `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    pub access_key: String,
    pub secret_key: String,
    /// Where readers fetch photos from instead of the node (a CDN or a public bucket), without
    /// a trailing slash: `/media/NAME` then redirects to `PUBLIC_URL/NAME`.
    pub public_url: Option<String>,
}

/// Where photo files are, and how to reach them.
#[derive(Debug)]
pub enum MediaStore {
    Local { dir: PathBuf },
    S3(Box<S3Store>),
}

/// A bucket, its credentials and the HTTP client that speaks to it.
#[derive(Debug)]
pub struct S3Store {
    bucket: Bucket,
    credentials: Credentials,
    client: reqwest::Client,
    public_url: Option<String>,
}

/// A file read for a reader.
pub enum Fetched {
    File {
        file: tokio::fs::File,
        length: u64,
    },
    Stream {
        length: Option<u64>,
        body: reqwest::Response,
    },
    /// Fetch it from there instead (a CDN in front of the bucket).
    Elsewhere(String),
}

/// A file as the store lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub name: String,
    pub bytes: u64,
    /// When it was last written, in Unix seconds; `None` when the store did not say in a form
    /// understood here (such a file is never taken for an old one).
    pub modified: Option<i64>,
}

/// Why the store could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum StoreSetupError {
    #[error("media.endpoint: '{0}' is not an http(s) address such as http://127.0.0.1:3900")]
    Endpoint(String),
    #[error("cannot set up the HTTP client for the media store: {0}")]
    Client(String),
}

fn s3_error(what: &str, name: &str, detail: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(format!("object storage: {what} {name}: {detail}"))
}

impl S3Store {
    /// A request to the bucket, signed in its URL (valid for [`SIGNED_FOR`]); every S3
    /// implementation accepts an unsigned payload hash with a signed URL.
    fn request(&self, method: reqwest::Method, signed: url::Url) -> reqwest::RequestBuilder {
        self.client.request(method, signed).header("x-amz-content-sha256", "UNSIGNED-PAYLOAD")
    }

    /// A GET of an object whose body is still to be read, or `None` when there is none.
    async fn get(&self, name: &str) -> std::io::Result<Option<reqwest::Response>> {
        let url = GetObject::new(&self.bucket, Some(&self.credentials), name).sign(SIGNED_FOR);
        let answer = self
            .request(reqwest::Method::GET, url)
            .send()
            .await
            .map_err(|e| s3_error("cannot read", name, e))?;
        match answer.status() {
            s if s.is_success() => Ok(Some(answer)),
            reqwest::StatusCode::NOT_FOUND => Ok(None),
            s => Err(s3_error("cannot read", name, s)),
        }
    }
}

impl S3Store {
    /// Writes one object whole, in one request.
    async fn put(&self, name: &str, bytes: Vec<u8>, content_type: &str) -> std::io::Result<()> {
        let url = PutObject::new(&self.bucket, Some(&self.credentials), name).sign(SIGNED_FOR);
        let answer = self
            .request(reqwest::Method::PUT, url)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(bytes)
            .send()
            .await
            .map_err(|e| s3_error("cannot write", name, e))?;
        if !answer.status().is_success() {
            let status = answer.status();
            let text = answer.text().await.unwrap_or_default();
            return Err(s3_error("cannot write", name, format!("{status} {}", first_line(&text))));
        }
        Ok(())
    }

    /// The bucket's objects (those under `prefix` when given), a thousand names per request.
    async fn list(&self, prefix: Option<&str>) -> std::io::Result<Vec<Listed>> {
        let bucket = self.bucket.name();
        let mut listed = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut action = ListObjectsV2::new(&self.bucket, Some(&self.credentials));
            action.with_max_keys(1000);
            if let Some(prefix) = prefix {
                action.with_prefix(prefix);
            }
            if let Some(token) = token.take() {
                action.with_continuation_token(token);
            }
            let answer = self
                .request(reqwest::Method::GET, action.sign(SIGNED_FOR))
                .send()
                .await
                .map_err(|e| s3_error("cannot list", bucket, e))?;
            let status = answer.status();
            let text = answer.text().await.map_err(|e| s3_error("cannot list", bucket, e))?;
            if !status.is_success() {
                return Err(s3_error("cannot list", bucket, format!("{status} {}", first_line(&text))));
            }
            let page = ListObjectsV2::parse_response(&text)
                .map_err(|e| s3_error("cannot read the listing of", bucket, e))?;
            listed.extend(page.contents.into_iter().map(|object| Listed {
                modified: object.last_modified.parse::<jiff::Timestamp>().ok().map(|t| t.as_second()),
                name: object.key,
                bytes: object.size,
            }));
            match page.next_continuation_token {
                Some(next) if !next.is_empty() => token = Some(next),
                _ => return Ok(listed),
            }
        }
    }
}

impl MediaStore {
    /// The store `config` describes, for the site whose data directory is `data_dir`.
    pub fn new(data_dir: &Path, config: &StoreConfig) -> Result<MediaStore, StoreSetupError> {
        match config {
            StoreConfig::Local => Ok(MediaStore::Local { dir: data_dir.join("media") }),
            StoreConfig::S3(s3) => {
                let endpoint: url::Url =
                    s3.endpoint.parse().map_err(|_| StoreSetupError::Endpoint(s3.endpoint.clone()))?;
                let bucket = Bucket::new(endpoint, UrlStyle::Path, s3.bucket.clone(), s3.region.clone())
                    .map_err(|_| StoreSetupError::Endpoint(s3.endpoint.clone()))?;
                let client = reqwest::Client::builder()
                    .timeout(REQUEST_TIMEOUT)
                    .connect_timeout(Duration::from_secs(5))
                    .no_proxy()
                    .build()
                    .map_err(|e| StoreSetupError::Client(e.to_string()))?;
                Ok(MediaStore::S3(Box::new(S3Store {
                    bucket,
                    credentials: Credentials::new(s3.access_key.clone(), s3.secret_key.clone()),
                    client,
                    public_url: s3.public_url.clone(),
                })))
            }
        }
    }

    /// `local` or `s3`, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            MediaStore::Local { .. } => "local",
            MediaStore::S3(_) => "s3",
        }
    }

    /// Writes one file whole: a reader never sees part of it.
    pub async fn put(&self, name: &str, bytes: &[u8], content_type: &str) -> std::io::Result<()> {
        match self {
            MediaStore::Local { dir } => {
                tokio::fs::create_dir_all(dir).await?;
                let path = dir.join(name);
                let part = dir.join(format!("{name}.part"));
                let written = async {
                    tokio::fs::write(&part, bytes).await?;
                    tokio::fs::rename(&part, &path).await
                }
                .await;
                if written.is_err() {
                    let _ = tokio::fs::remove_file(&part).await;
                }
                written
            }
            MediaStore::S3(s3) => s3.put(name, bytes.to_vec(), content_type).await,
        }
    }

    /// Removes one file; one already gone is no error.
    pub async fn delete(&self, name: &str) -> std::io::Result<()> {
        match self {
            MediaStore::Local { dir } => match tokio::fs::remove_file(dir.join(name)).await {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            MediaStore::S3(s3) => {
                let url = DeleteObject::new(&s3.bucket, Some(&s3.credentials), name).sign(SIGNED_FOR);
                let answer = s3
                    .request(reqwest::Method::DELETE, url)
                    .send()
                    .await
                    .map_err(|e| s3_error("cannot delete", name, e))?;
                if answer.status().is_success() || answer.status() == reqwest::StatusCode::NOT_FOUND {
                    Ok(())
                } else {
                    Err(s3_error("cannot delete", name, answer.status()))
                }
            }
        }
    }

    /// A file's size, or `None` when it is not there.
    pub async fn size(&self, name: &str) -> std::io::Result<Option<u64>> {
        match self {
            MediaStore::Local { dir } => match tokio::fs::metadata(dir.join(name)).await {
                Ok(m) => Ok(Some(m.len())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            MediaStore::S3(s3) => {
                let url = HeadObject::new(&s3.bucket, Some(&s3.credentials), name).sign(SIGNED_FOR);
                let answer = s3
                    .request(reqwest::Method::HEAD, url)
                    .send()
                    .await
                    .map_err(|e| s3_error("cannot look up", name, e))?;
                match answer.status() {
                    // The header, not `content_length()`: a HEAD answer has no body to measure.
                    s if s.is_success() => Ok(declared_length(&answer)),
                    reqwest::StatusCode::NOT_FOUND => Ok(None),
                    s => Err(s3_error("cannot look up", name, s)),
                }
            }
        }
    }

    /// A file for a reader, or `None` when it is not there.
    pub async fn fetch(&self, name: &str) -> std::io::Result<Option<Fetched>> {
        self.fetch_with(name, true).await
    }

    /// [`MediaStore::fetch`], always through the node (never [`Fetched::Elsewhere`]): for
    /// files served under headers of their own (documents' names and sandbox).
    pub async fn fetch_here(&self, name: &str) -> std::io::Result<Option<Fetched>> {
        self.fetch_with(name, false).await
    }

    async fn fetch_with(&self, name: &str, elsewhere: bool) -> std::io::Result<Option<Fetched>> {
        match self {
            MediaStore::Local { dir } => match tokio::fs::File::open(dir.join(name)).await {
                Ok(file) => {
                    let length = file.metadata().await?.len();
                    Ok(Some(Fetched::File { file, length }))
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            MediaStore::S3(s3) => {
                if let Some(public) = s3.public_url.as_ref().filter(|_| elsewhere) {
                    return Ok(Some(Fetched::Elsewhere(format!("{public}/{name}"))));
                }
                let answer = s3.get(name).await?;
                Ok(answer.map(|body| Fetched::Stream { length: declared_length(&body), body }))
            }
        }
    }

    /// Every file in the store, in no particular order (`media sweep`). A bucket is listed a
    /// thousand names per request; only names, sizes and times are held.
    pub async fn list(&self) -> std::io::Result<Vec<Listed>> {
        match self {
            MediaStore::Local { dir } => {
                let mut listed = Vec::new();
                let mut entries = match tokio::fs::read_dir(dir).await {
                    Ok(entries) => entries,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(listed),
                    Err(e) => return Err(e),
                };
                while let Some(entry) = entries.next_entry().await? {
                    let meta = entry.metadata().await?;
                    if !meta.is_file() {
                        continue;
                    }
                    let modified = meta
                        .modified()
                        .ok()
                        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                        .and_then(|d| i64::try_from(d.as_secs()).ok());
                    let name = entry.file_name().to_string_lossy().into_owned();
                    listed.push(Listed { name, bytes: meta.len(), modified });
                }
                Ok(listed)
            }
            MediaStore::S3(s3) => s3.list(None).await,
        }
    }

    /// The whole of a file, or `None` when it is not there (`media sync`).
    pub async fn read(&self, name: &str) -> std::io::Result<Option<Vec<u8>>> {
        match self {
            MediaStore::Local { dir } => match tokio::fs::read(dir.join(name)).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            MediaStore::S3(s3) => {
                let Some(answer) = s3.get(name).await? else { return Ok(None) };
                Ok(Some(answer.bytes().await.map_err(|e| s3_error("cannot read", name, e))?.to_vec()))
            }
        }
    }
}

/// The `Content-Length` an answer declares.
fn declared_length(answer: &reqwest::Response) -> Option<u64> {
    answer.headers().get(reqwest::header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("").trim()
}
