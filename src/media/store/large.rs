//! Files too large to hold in memory (the search index's snapshot, `search::snapshot`), moved
//! between the node's disk and the store in bounded pieces: into a bucket as a multipart upload
//! of [`PART_BYTES`] parts, one part in memory at a time; out of it as one streamed GET written
//! to disk as it arrives. Photos stay on [`MediaStore::put`]: they are small and already in
//! memory when they are written.

use super::{Listed, MediaStore, S3Store, SIGNED_FOR, first_line, s3_error};
use futures_util::StreamExt;
use rusty_s3::S3Action;
use rusty_s3::actions::{AbortMultipartUpload, CompleteMultipartUpload, CreateMultipartUpload, UploadPart};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The size of one part of a multipart upload, and the most a file sent in one PUT may have.
/// S3 wants parts of at least 5 MiB (all but the last) and at most 10,000 of them: files up to
/// 160 GiB, with 16 MiB held at a time.
pub const PART_BYTES: usize = 16 * 1024 * 1024;

/// How long moving one large file may take, end to end (the client's usual limit is for photos).
const LARGE_TIMEOUT: Duration = Duration::from_secs(3600);

impl MediaStore {
    /// Writes the file at `path` to `name` (which may hold `/`); readers see the whole file or
    /// none of it. Answers the bytes written.
    pub async fn put_file(&self, name: &str, path: &Path) -> std::io::Result<u64> {
        match self {
            MediaStore::Local { dir } => {
                let target = dir.join(name);
                if let Some(parent) = target.parent() {
                    tokio::fs::create_dir_all(parent).await?;
                }
                let part = part_path(&target);
                let copied = async {
                    let bytes = tokio::fs::copy(path, &part).await?;
                    tokio::fs::rename(&part, &target).await?;
                    Ok(bytes)
                }
                .await;
                if copied.is_err() {
                    let _ = tokio::fs::remove_file(&part).await;
                }
                copied
            }
            MediaStore::S3(s3) => s3.put_file(name, path).await,
        }
    }

    /// Writes the object `name` to the file at `path` (created or truncated) as it arrives;
    /// answers its size, or `None` when there is no such object (no file is made then).
    pub async fn get_file(&self, name: &str, path: &Path) -> std::io::Result<Option<u64>> {
        match self {
            MediaStore::Local { dir } => match tokio::fs::copy(dir.join(name), path).await {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            },
            MediaStore::S3(s3) => {
                let url = rusty_s3::actions::GetObject::new(&s3.bucket, Some(&s3.credentials), name)
                    .sign(SIGNED_FOR);
                let answer = s3
                    .request(reqwest::Method::GET, url)
                    .timeout(LARGE_TIMEOUT)
                    .send()
                    .await
                    .map_err(|e| s3_error("cannot read", name, e))?;
                match answer.status() {
                    s if s.is_success() => {}
                    reqwest::StatusCode::NOT_FOUND => return Ok(None),
                    s => return Err(s3_error("cannot read", name, s)),
                }
                let mut file = tokio::fs::File::create(path).await?;
                let mut body = answer.bytes_stream();
                let mut bytes = 0u64;
                while let Some(chunk) = body.next().await {
                    let chunk = chunk.map_err(|e| s3_error("cannot read", name, e))?;
                    file.write_all(&chunk).await?;
                    bytes += chunk.len() as u64;
                }
                file.flush().await?;
                file.sync_all().await?;
                Ok(Some(bytes))
            }
        }
    }

    /// The files whose names start with `prefix` (a folder-like `dir/`), at any depth.
    pub async fn list_under(&self, prefix: &str) -> std::io::Result<Vec<Listed>> {
        match self {
            MediaStore::Local { dir } => {
                let dir = dir.clone();
                let prefix = prefix.to_string();
                tokio::task::spawn_blocking(move || list_local(&dir, &prefix))
                    .await
                    .map_err(std::io::Error::other)?
            }
            MediaStore::S3(s3) => s3.list(Some(prefix)).await,
        }
    }
}

impl S3Store {
    async fn put_file(&self, name: &str, path: &Path) -> std::io::Result<u64> {
        let mut file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        if length <= PART_BYTES as u64 {
            let mut bytes = Vec::with_capacity(length as usize);
            file.read_to_end(&mut bytes).await?;
            self.put(name, bytes, "application/octet-stream").await?;
            return Ok(length);
        }
        let url = CreateMultipartUpload::new(&self.bucket, Some(&self.credentials), name).sign(SIGNED_FOR);
        let answer = self
            .request(reqwest::Method::POST, url)
            .send()
            .await
            .map_err(|e| s3_error("cannot start writing", name, e))?;
        let text = check(answer, "cannot start writing", name).await?;
        let created = CreateMultipartUpload::parse_response(&text)
            .map_err(|e| s3_error("cannot start writing", name, e))?;
        let upload_id = created.upload_id().to_string();
        let sent = self.send_parts(name, &upload_id, &mut file).await;
        match sent {
            Ok(etags) => {
                let action = CompleteMultipartUpload::new(
                    &self.bucket,
                    Some(&self.credentials),
                    name,
                    &upload_id,
                    etags.iter().map(String::as_str),
                );
                let url = action.sign(SIGNED_FOR);
                let answer = self
                    .request(reqwest::Method::POST, url)
                    .body(action.body())
                    .send()
                    .await
                    .map_err(|e| s3_error("cannot finish writing", name, e));
                let finished = match answer {
                    Ok(answer) => check(answer, "cannot finish writing", name).await.map(|_| length),
                    Err(e) => Err(e),
                };
                if finished.is_err() {
                    self.abort(name, &upload_id).await;
                }
                finished
            }
            Err(e) => {
                self.abort(name, &upload_id).await;
                Err(e)
            }
        }
    }

    /// Sends the file part by part; answers the parts' ETags in order.
    async fn send_parts(
        &self,
        name: &str,
        upload_id: &str,
        file: &mut tokio::fs::File,
    ) -> std::io::Result<Vec<String>> {
        let mut etags = Vec::new();
        let mut buffer = vec![0u8; PART_BYTES];
        loop {
            let mut filled = 0;
            while filled < PART_BYTES {
                let n = file.read(&mut buffer[filled..]).await?;
                if n == 0 {
                    break;
                }
                filled += n;
            }
            if filled == 0 && !etags.is_empty() {
                return Ok(etags);
            }
            let number = u16::try_from(etags.len() + 1)
                .map_err(|_| s3_error("cannot write", name, "the file needs more than 65,535 parts"))?;
            let url = UploadPart::new(&self.bucket, Some(&self.credentials), name, number, upload_id)
                .sign(SIGNED_FOR);
            let answer = self
                .request(reqwest::Method::PUT, url)
                .body(buffer[..filled].to_vec())
                .send()
                .await
                .map_err(|e| s3_error("cannot write", name, e))?;
            let etag =
                answer.headers().get(reqwest::header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_string);
            check(answer, "cannot write", name).await?;
            etags.push(etag.ok_or_else(|| s3_error("cannot write", name, "a part's answer had no ETag"))?);
            if filled < PART_BYTES {
                return Ok(etags);
            }
        }
    }

    /// Drops a failed upload's parts, so they take no space in the bucket (best effort: a
    /// bucket lifecycle rule catches what this misses).
    async fn abort(&self, name: &str, upload_id: &str) {
        let url = AbortMultipartUpload::new(&self.bucket, Some(&self.credentials), name, upload_id)
            .sign(SIGNED_FOR);
        if let Err(e) = self.request(reqwest::Method::DELETE, url).send().await {
            tracing::warn!(object = name, error = %e, "cannot drop the parts of a failed upload");
        }
    }
}

/// The answer's text when it says success, or the error it says.
async fn check(answer: reqwest::Response, what: &str, name: &str) -> std::io::Result<String> {
    let status = answer.status();
    let text = answer.text().await.map_err(|e| s3_error(what, name, e))?;
    if status.is_success() {
        Ok(text)
    } else {
        Err(s3_error(what, name, format!("{status} {}", first_line(&text))))
    }
}

/// `NAME.part` beside `NAME`: where a file is written before it takes its name.
fn part_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    target.with_file_name(name)
}

/// Files under `dir/prefix`, named relative to `dir` with `/` between folders.
fn list_local(dir: &Path, prefix: &str) -> std::io::Result<Vec<Listed>> {
    let (folder, _) = prefix.rsplit_once('/').unwrap_or(("", prefix));
    let mut listed = Vec::new();
    let mut pending = vec![folder.to_string()];
    while let Some(relative) = pending.pop() {
        let entries = match std::fs::read_dir(dir.join(&relative)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let name = if relative.is_empty() { file_name } else { format!("{relative}/{file_name}") };
            let meta = entry.metadata()?;
            if meta.is_dir() {
                pending.push(name);
            } else if name.starts_with(prefix) {
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .and_then(|d| i64::try_from(d.as_secs()).ok());
                listed.push(Listed { name, bytes: meta.len(), modified });
            }
        }
    }
    Ok(listed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_local_store_keeps_large_files_under_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let store = MediaStore::Local { dir: tmp.path().join("media") };
        let source = tmp.path().join("source.bin");
        std::fs::write(&source, vec![7u8; 1000]).unwrap();
        assert_eq!(store.put_file("_search/v1/a/seg.idx", &source).await.unwrap(), 1000);
        store.put_file("_search/v1/b/meta.json", &source).await.unwrap();
        store.put_file("photo.jpg", &source).await.unwrap();
        let mut names: Vec<String> =
            store.list_under("_search/v1/").await.unwrap().into_iter().map(|l| l.name).collect();
        names.sort();
        assert_eq!(names, ["_search/v1/a/seg.idx", "_search/v1/b/meta.json"]);
        assert!(store.list_under("_search/v2/").await.unwrap().is_empty());
        let back = tmp.path().join("back.bin");
        assert_eq!(store.get_file("_search/v1/a/seg.idx", &back).await.unwrap(), Some(1000));
        assert_eq!(std::fs::read(&back).unwrap(), vec![7u8; 1000]);
        assert_eq!(store.get_file("_search/v1/none", &back).await.unwrap(), None);
    }
}
