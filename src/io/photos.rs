//! Photos an import brings from the old site's files (a WordPress uploads folder): added to
//! the media library with their variants before the articles that show them are saved, then
//! the articles' placeholders become the library's addresses and lead photos.
//!
//! A photo is stored under a name made of its path in the old uploads folder
//! (`2025-05-photo.jpg`), so a second run of the same import finds it instead of storing it
//! again, and the articles come out unchanged.

use super::{Batch, ImportError};
use crate::domain::ArticleInput;
use crate::domain::markup;
use crate::media;
use crate::storage::Store;
use crate::storage::media::NewMedia;
use std::collections::BTreeMap;
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
    let settings = media::settings(data_dir);
    let media_store = &settings.store;
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
        media::save(media_store, &key, &bytes, &processed)
            .await
            .map_err(|source| ImportError::Read { path: settings.dir.clone(), source })?;
        let sizes = media::variant_bytes(&processed);
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
            variant_bytes: &sizes,
        };
        let id = match store.create_media(&new, None, now).await {
            Ok(id) => id,
            Err(e) => {
                media::remove(media_store, &key, processed.kind, processed.width).await;
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

/// Finds the photos a text and its post refer to in a local copy of the old site's image
/// folder (WordPress `wp-content/uploads`, Ghost `content/images`), each once per import.
pub struct Finder<'a> {
    /// The local copy, if the person importing gave one.
    pub root: Option<&'a Path>,
    /// What precedes a path inside the folder in the old site's addresses.
    pub mark: &'static str,
    /// Path in the folder → index in the batch's photos.
    pub found: BTreeMap<String, usize>,
}

impl Finder<'_> {
    /// The batch index of the photo at `relative` (`2025/05/photo.jpg`) in the uploads folder,
    /// adding it on first sight; `None` when there is no uploads folder or no such file.
    pub fn photo(&mut self, relative: &str, alt: &str, caption: &str, batch: &mut Batch) -> Option<usize> {
        let uploads = self.root?;
        let relative = percent_decode(relative.split(['?', '#']).next().unwrap_or(""));
        if relative.split('/').any(|part| part == ".." || part.is_empty()) {
            return None;
        }
        let relative = original_of(uploads, &relative);
        if let Some(index) = self.found.get(&relative) {
            return Some(*index);
        }
        let path = uploads.join(&relative);
        if !path.is_file() {
            return None;
        }
        let index = batch.photos.len();
        batch.photos.push(PhotoFile {
            path,
            name: relative.replace('/', "-"),
            alt: markup::plain_title(alt),
            caption: caption.to_string(),
        });
        self.found.insert(relative, index);
        Some(index)
    }

    /// The text with every address of a file in the folder (`…/wp-content/uploads/2025/05/
    /// photo-300x188.jpg`, `__GHOST_URL__/content/images/size/w600/2026/12/photo.jpg`, in
    /// `src`, `href` or `srcset`) replaced by its photo's placeholder; addresses of files the
    /// folder lacks are left and counted as missing.
    pub fn rewrite(&mut self, text: &str, batch: &mut Batch) -> String {
        let mark = self.mark;
        if !text.contains(mark) {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(mark) {
            // The address starts after the quote (or space) before it and ends at the next.
            let start = rest[..at].rfind(['"', '\'', ' ', '\n', '(', ',']).map_or(0, |i| i + 1);
            let after = &rest[at + mark.len()..];
            let len = after.find(['"', '\'', ' ', '\n', ')', ',', ']', '<']).unwrap_or(after.len());
            let relative = &after[..len];
            out.push_str(&rest[..start]);
            match self.photo(relative, "", "", batch) {
                Some(index) => out.push_str(&placeholder(index)),
                None => {
                    let address = &rest[start..at + mark.len() + len];
                    batch.report.photo_missing(address);
                    out.push_str(address);
                }
            }
            rest = &after[len..];
        }
        out.push_str(rest);
        out
    }
}

/// The original of a resized copy the old system made, when the folder has it: WordPress's
/// `photo-300x188.jpg` → `photo.jpg`, Ghost's `size/w600/2026/12/photo.jpg` →
/// `2026/12/photo.jpg`. The library makes its own variants from the original.
fn original_of(uploads: &Path, relative: &str) -> String {
    if let Some(rest) = relative.strip_prefix("size/")
        && let Some((_, path)) = rest.split_once('/')
        && uploads.join(path).is_file()
    {
        return path.to_string();
    }
    let Some((stem, ext)) = relative.rsplit_once('.') else { return relative.to_string() };
    if let Some((base, size)) = stem.rsplit_once('-') {
        let is_size = size.split_once('x').is_some_and(|(w, h)| {
            !w.is_empty()
                && !h.is_empty()
                && w.bytes().all(|b| b.is_ascii_digit())
                && h.bytes().all(|b| b.is_ascii_digit())
        });
        let original = format!("{base}.{ext}");
        if is_size && uploads.join(&original).is_file() {
            return original;
        }
    }
    relative.to_string()
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}
