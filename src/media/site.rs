//! Each site's media settings (its upload limit and the store its photos live in), and writing
//! or removing a photo's files there.

use super::{
    Kind, MediaStore, Processed, StoreConfig, StoreSetupError, VARIANT_KIND, file_names, original_name,
    variant_name,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, RwLock};

/// The largest upload accepted unless `NEWSDESK_MAX_UPLOAD_MB` says otherwise.
pub const DEFAULT_MAX_UPLOAD_MB: u64 = 20;
/// The environment variable that overrides [`DEFAULT_MAX_UPLOAD_MB`] (read once, at first use).
pub const MAX_UPLOAD_ENV: &str = "NEWSDESK_MAX_UPLOAD_MB";

/// Media settings of one site.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATA/media`.
    pub dir: PathBuf,
    /// The largest upload accepted, in bytes.
    pub max_upload_bytes: u64,
    /// Where the files are kept.
    pub store: Arc<MediaStore>,
}

/// The store of each site (by data directory) that said where its photos live; a site not
/// listed keeps them in `DATA/media`.
static STORES: LazyLock<RwLock<HashMap<PathBuf, Arc<MediaStore>>>> = LazyLock::new(Default::default);

/// Sets where the photos of the site in `data_dir` live, from its `[media]` settings. Called
/// once when the settings are loaded.
pub fn configure(data_dir: &Path, config: &StoreConfig) -> Result<(), StoreSetupError> {
    let store = Arc::new(MediaStore::new(data_dir, config)?);
    STORES.write().unwrap_or_else(|e| e.into_inner()).insert(data_dir.to_path_buf(), store);
    Ok(())
}

/// Upload limits set for one data directory, over the environment's (see [`set_max_upload`]).
static LIMIT_OVERRIDES: LazyLock<RwLock<HashMap<PathBuf, u64>>> = LazyLock::new(Default::default);

/// `NEWSDESK_MAX_UPLOAD_MB`, read once: changing the environment of a running process is racy.
static ENV_LIMIT: LazyLock<u64> = LazyLock::new(|| {
    std::env::var(MAX_UPLOAD_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|mb| *mb > 0)
        .unwrap_or(DEFAULT_MAX_UPLOAD_MB)
        .saturating_mul(1024 * 1024)
});

/// Sets (or with `None` clears) the upload limit for the site whose data directory this is,
/// read at every upload. Several sites in one process (tests) each keep their own.
pub fn set_max_upload(data_dir: &Path, bytes: Option<u64>) {
    let mut map = LIMIT_OVERRIDES.write().unwrap_or_else(|e| e.into_inner());
    match bytes {
        Some(b) => map.insert(data_dir.to_path_buf(), b),
        None => map.remove(data_dir),
    };
}

/// The media settings for a data directory.
pub fn settings(data_dir: &Path) -> Settings {
    let overridden = LIMIT_OVERRIDES.read().unwrap_or_else(|e| e.into_inner()).get(data_dir).copied();
    let store = STORES.read().unwrap_or_else(|e| e.into_inner()).get(data_dir).cloned();
    let dir = data_dir.join("media");
    let store = store.unwrap_or_else(|| Arc::new(MediaStore::Local { dir: dir.clone() }));
    Settings { dir, max_upload_bytes: overridden.unwrap_or(*ENV_LIMIT), store }
}

/// Writes an accepted upload's original and variants into `store`; each file appears whole
/// and on any failure none is left behind.
pub async fn save(
    store: &MediaStore,
    key: &str,
    original: &[u8],
    processed: &Processed,
) -> std::io::Result<()> {
    let mut files: Vec<(String, &[u8], &str)> =
        vec![(original_name(key, processed.kind), original, processed.kind.mime())];
    files.extend(
        processed
            .variants
            .iter()
            .map(|v| (variant_name(key, v.width), v.bytes.as_slice(), VARIANT_KIND.mime())),
    );
    let mut written: Vec<String> = Vec::new();
    for (name, bytes, mime) in files {
        if let Err(e) = store.put(&name, bytes, mime).await {
            for done in &written {
                let _ = store.delete(done).await;
            }
            return Err(e);
        }
        written.push(name);
    }
    Ok(())
}

/// Removes every file of a media item (after a failed database insert).
pub async fn remove(store: &MediaStore, key: &str, kind: Kind, width: u32) {
    for name in file_names(key, kind, width) {
        let _ = store.delete(&name).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_per_site() {
        let a = Path::new("/tmp/newsdesk-media-test-a");
        let b = Path::new("/tmp/newsdesk-media-test-b");
        set_max_upload(a, Some(1000));
        assert_eq!(settings(a).max_upload_bytes, 1000);
        assert_eq!(settings(a).dir, a.join("media"));
        assert_ne!(settings(b).max_upload_bytes, 1000);
        set_max_upload(a, None);
        assert_ne!(settings(a).max_upload_bytes, 1000);
    }
}
