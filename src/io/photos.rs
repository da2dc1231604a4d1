//! Photos an import brings from the old site's files (a WordPress uploads folder): added to
//! the media library with their variants before the articles that show them are saved, then
//! the articles' placeholders become the library's addresses and lead photos.
//!
//! A photo is stored under a name made of its path in the old uploads folder
//! (`2025-05-photo.jpg`), so a second run of the same import finds it instead of storing it
//! again, and the articles come out unchanged.

use super::ImportError;
use crate::domain::ArticleInput;
use crate::media;
use crate::storage::Store;
use crate::storage::media::NewMedia;
use std::path::{Path, PathBuf};

/// The width of the variant an article's text shows (the largest that fits the text column).
const TEXT_WIDTH: u32 = 960;

/// A photo file to add to the library.
#[derive(Debug, Clone)]
pub struct PhotoFile {
    /// The file on disk.
    pub path: PathBuf,
    /// Its name in the library, unique to its place in the old uploads folder.
    pub name: String,
    pub alt: String,
    pub caption: String,
}

/// The address an article's text uses for photo `index` of a batch until the photo is stored.
pub fn placeholder(index: usize) -> String {
    format!("/media/import-{index}-photo")
}

/// A photo as stored: its id and the address of the variant the text shows.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub src: String,
}

/// Adds each photo to the library of the site in `data_dir` (or finds it there from an
/// earlier run). A file that is not a usable image is refused by name.
pub async fn store_all(
    store: &Store,
    data_dir: &Path,
    photos: &[PhotoFile],
    now: jiff::Timestamp,
) -> Result<Vec<Stored>, ImportError> {
    let media_dir = &media::settings(data_dir).dir;
    let mut out = Vec::with_capacity(photos.len());
    for photo in photos {
        if let Some(existing) = store.media_by_original_name(&photo.name).await? {
            let width = u32::try_from(existing.width).unwrap_or(0);
            out.push(Stored { id: existing.id, src: text_src(&existing.file_key, width) });
            continue;
        }
        let bytes = std::fs::read(&photo.path)
            .map_err(|source| ImportError::Read { path: photo.path.clone(), source })?;
        let bytes = std::sync::Arc::new(bytes);
        let processed =
            media::process_gated(bytes.clone(), &media::gate(data_dir)).await.map_err(|refusal| {
                ImportError::Invalid {
                    path: photo.path.clone(),
                    location: "photo".into(),
                    message: format!("not a usable image ({})", refusal.message_key()),
                }
            })?;
        let key = media::new_key();
        media::save(media_dir, &key, &bytes, &processed)
            .await
            .map_err(|source| ImportError::Read { path: media_dir.to_path_buf(), source })?;
        let new = NewMedia {
            file_key: &key,
            original_name: &photo.name,
            mime: processed.kind.mime(),
            width: processed.width,
            height: processed.height,
            bytes: bytes.len() as u64,
            alt: &photo.alt,
            caption: &photo.caption,
            credit: "",
        };
        let id = match store.create_media(&new, None, now).await {
            Ok(id) => id,
            Err(e) => {
                media::remove(media_dir, &key, processed.kind, processed.width).await;
                return Err(e.into());
            }
        };
        out.push(Stored { id, src: text_src(&key, processed.width) });
    }
    Ok(out)
}

/// The address of the variant an article's text shows.
fn text_src(key: &str, width: u32) -> String {
    let widths = media::variant_widths(width);
    let chosen = widths.iter().rev().find(|w| **w <= TEXT_WIDTH).or(widths.first()).copied().unwrap_or(width);
    format!("/media/{}", media::variant_name(key, chosen))
}

/// Puts stored photos into articles: placeholders in texts become addresses, and each
/// `(article, photo)` pair of `leads` sets that article's lead photo.
pub fn apply(articles: &mut [ArticleInput], leads: &[(usize, usize)], stored: &[Stored]) {
    if stored.is_empty() {
        return;
    }
    for article in articles.iter_mut() {
        if article.body_html.contains("/media/import-") {
            for (index, photo) in stored.iter().enumerate() {
                article.body_html = article.body_html.replace(&placeholder(index), &photo.src);
            }
        }
    }
    for (article, photo) in leads {
        if let (Some(a), Some(p)) = (articles.get_mut(*article), stored.get(*photo)) {
            a.extras.lead_image_id = Some(p.id);
        }
    }
}
