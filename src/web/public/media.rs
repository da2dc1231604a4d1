//! `GET /media/{file}`: photos from the media library, and the views pages build of them
//! (`src`, `srcset`, `width`, `height`), so readers' browsers pick the variant that fits and
//! reserve the space before it arrives.
//!
//! Only names that [`media::parse_file_name`] accepts and that belong to a row of the `media`
//! table are served: a request never names an arbitrary path. Names are unique and files never
//! change, so they are cached for a year, immutably.

use crate::domain::markup;
use crate::media::{self, Fetched, FileName, Kind};
use crate::storage::media::{ImageRef, Media};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::public::feeds::FeedImage;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Cache-Control for media files: their names are never reused.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The media settings in force for this site, read at every use.
pub fn settings(state: &AppState) -> media::Settings {
    media::settings(&state.data_dir)
}

/// The path of a variant.
pub fn variant_url(key: &str, width: u32) -> String {
    format!("/media/{}", media::variant_name(key, width))
}

/// What a template needs to show a photo.
#[derive(Debug, Clone, Serialize)]
pub struct ImageView {
    pub id: i64,
    /// The variant browsers without `srcset` load.
    pub src: String,
    /// Every variant with its width (`/media/K-480.jpg 480w, …`).
    pub srcset: String,
    /// The size of `src`: the aspect ratio browsers reserve space for.
    pub width: u32,
    pub height: u32,
    /// The largest variant, for sharing (OpenGraph, JSON-LD, feeds).
    pub large: String,
    pub large_width: u32,
    pub large_height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

fn dims(width: i64, height: i64) -> (u32, u32) {
    (u32::try_from(width).unwrap_or(1).max(1), u32::try_from(height).unwrap_or(1).max(1))
}

/// A view of a photo whose `src` is the variant nearest `preferred` pixels wide (the smallest
/// at least that wide, else the largest).
pub fn image_view(id: i64, key: &str, width: i64, height: i64, preferred: u32) -> ImageView {
    let (w, h) = dims(width, height);
    let widths = media::variant_widths(w);
    let largest = widths.last().copied().unwrap_or(w);
    let src_w = widths.iter().copied().find(|vw| *vw >= preferred).unwrap_or(largest);
    ImageView {
        id,
        src: variant_url(key, src_w),
        srcset: widths
            .iter()
            .map(|vw| format!("{} {vw}w", variant_url(key, *vw)))
            .collect::<Vec<_>>()
            .join(", "),
        width: src_w,
        height: media::variant_height(w, h, src_w),
        large: variant_url(key, largest),
        large_width: largest,
        large_height: media::variant_height(w, h, largest),
        alt: String::new(),
        caption: String::new(),
        credit: String::new(),
    }
}

/// A lead photo on an article page, with its texts.
pub fn figure(m: &Media) -> ImageView {
    ImageView {
        alt: m.alt.clone(),
        caption: m.caption.clone(),
        credit: m.credit.clone(),
        ..image_view(m.id, &m.file_key, m.width, m.height, 960)
    }
}

/// A thumbnail in a list (decorative: the headline beside it says what it is).
pub fn thumb(i: &ImageRef) -> ImageView {
    image_view(i.id, &i.file_key, i.width, i.height, 480)
}

/// A feed enclosure: the largest variant, with its size in bytes (0 when the file is missing).
pub async fn feed_image(state: &AppState, i: &ImageRef) -> FeedImage {
    let view = thumb(i);
    let name = media::variant_name(&i.file_key, view.large_width);
    // Sizes kept in the database when the photo was stored; older photos are looked up.
    let length = match media::variant_size(&i.variant_bytes, view.large_width) {
        Some(n) => n,
        None => settings(state).store.size(&name).await.ok().flatten().unwrap_or(0),
    };
    FeedImage {
        url: format!("{}{}", state.site.base_url, view.large),
        mime_type: media::VARIANT_KIND.mime().into(),
        length,
    }
}

/// A stored file as a response body with its length, or a redirect to where the media store
/// serves it itself.
fn body_of(file: &str, fetched: Option<Fetched>) -> WebResult<Response> {
    Ok(match fetched {
        None => return Err(missing(file)),
        Some(Fetched::Elsewhere(url)) => {
            return Ok(Redirect::temporary(&url).into_response());
        }
        Some(Fetched::File { file: handle, length }) => {
            let mut r = Body::new(FileBody { file: handle, remaining: length, buf: vec![0; 64 * 1024] })
                .into_response();
            r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            r
        }
        Some(Fetched::Stream { length, body }) => {
            let mut r = Body::from_stream(body.bytes_stream()).into_response();
            if let Some(length) = length {
                r.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
            }
            r
        }
    })
}

/// The file `name` from the media store as a response through this node (no headers of its
/// own but its length), even where the store serves files itself.
pub(crate) async fn stored_here(state: &AppState, name: &str) -> WebResult<Response> {
    let fetched = settings(state).store.fetch_here(name).await.map_err(|e| unreadable(name, &e))?;
    body_of(name, fetched)
}

/// `GET /media/{file}`.
pub async fn serve(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let name = media::parse_file_name(&file).ok_or(WebError::NotFound)?;
    let item = state.store.media_by_key(name.key()).await?.ok_or(WebError::NotFound)?;
    let mut content_type = match name {
        // Originals stay on the server (for new variants later): they can carry EXIF data such
        // as where a photo was taken, which readers need not get. Variants are re-encoded and
        // carry none.
        FileName::Original { .. } => return Err(WebError::NotFound),
        FileName::Variant { width, kind, .. } => {
            let (w, _) = dims(item.width, item.height);
            if !media::variant_widths(w).contains(&width) {
                return Err(WebError::NotFound);
            }
            kind
        }
    };
    let etag = format!("\"{file}\"");
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*"));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let store = &settings(&state).store;
        let mut fetched = store.fetch(&file).await.map_err(|e| unreadable(&file, &e))?;
        // A photo uploaded before variants were JPEG has WebP ones: serve those.
        if fetched.is_none() && content_type == Kind::Jpeg {
            content_type = Kind::Webp;
            fetched = store.fetch(&file.replace(".jpg", ".webp")).await.map_err(|e| unreadable(&file, &e))?;
        }
        let mut r = body_of(&file, fetched)?;
        if r.status().is_redirection() {
            // The store serves it itself, under its own rules for caching.
            return Ok(r);
        }
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type.mime()));
        r
    };
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(response)
}

/// Logs a library file missing from the store (a damaged or half-restored media directory, a
/// bucket not synced) and answers 404.
fn missing(file: &str) -> WebError {
    tracing::warn!(file = %file, "a media file in the library is missing from the media store");
    WebError::NotFound
}

/// Logs a store that cannot be read (the bucket unreachable) and answers 503: the photo is
/// there, only not reachable now.
fn unreadable(file: &str, error: &std::io::Error) -> WebError {
    tracing::error!(file = %file, error = %error, "cannot read a media file");
    WebError::Unavailable
}

/// A file streamed in chunks, so a 20 MB original never sits whole in memory.
struct FileBody {
    file: tokio::fs::File,
    remaining: u64,
    buf: Vec<u8>,
}

impl hyper::body::Body for FileBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, std::io::Error>>> {
        use tokio::io::AsyncRead;
        let this = self.get_mut();
        if this.remaining == 0 {
            return Poll::Ready(None);
        }
        let mut read = tokio::io::ReadBuf::new(&mut this.buf);
        match Pin::new(&mut this.file).poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Ready(Ok(())) => {
                let filled = read.filled();
                if filled.is_empty() {
                    // The file shrank under us; end here rather than loop.
                    this.remaining = 0;
                    return Poll::Ready(None);
                }
                let take = filled.len().min(usize::try_from(this.remaining).unwrap_or(usize::MAX));
                this.remaining -= take as u64;
                Poll::Ready(Some(Ok(hyper::body::Frame::data(Bytes::copy_from_slice(&filled[..take])))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        hyper::body::SizeHint::with_exact(self.remaining)
    }
}

/// Photos from the library inside an article's text, made responsive for readers: each
/// `<img src="/media/{key}-{width}.jpg">` gets every variant in `srcset`, `sizes`, its
/// dimensions and lazy loading, so a phone downloads a small file and the page does not jump
/// while it loads. A photo alone in its paragraph (as the editor inserts them) becomes a
/// `<figure>` with the caption and credit the photo has in `lang`. Images that are not the
/// library's stay as they are. The text is sanitized HTML, whose attributes are always
/// `name="value"`.
pub async fn responsive_body(state: &AppState, body_html: &str, lang: &str) -> String {
    if !body_html.contains("<img") {
        return body_html.to_string();
    }
    let mut out = String::with_capacity(body_html.len() + 512);
    let mut rest = body_html;
    while let Some(at) = rest.find("<img ") {
        out.push_str(&rest[..at]);
        let tag_end = rest[at..].find('>').map(|e| at + e + 1).unwrap_or(rest.len());
        let tag = &rest[at..tag_end];
        rest = &rest[tag_end..];
        let Some(photo) = library_photo(state, tag, lang).await else {
            out.push_str(tag);
            continue;
        };
        // The text's own description, written for this article; the library's if it has none.
        let alt = match markup::attribute(tag, "alt") {
            Some(alt) if !alt.trim().is_empty() => alt.to_string(),
            _ => markup::escape(&photo.alt),
        };
        let img = format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"(min-width: 60rem) 42rem, calc(100vw - 2rem)\" \
             width=\"{}\" height=\"{}\" alt=\"{alt}\" loading=\"lazy\" decoding=\"async\">",
            photo.src, photo.srcset, photo.width, photo.height
        );
        let alone = out.ends_with("<p>") && rest.starts_with("</p>");
        if alone && !(photo.caption.is_empty() && photo.credit.is_empty()) {
            out.truncate(out.len() - "<p>".len());
            out.push_str("<figure class=\"photo\">");
            out.push_str(&img);
            out.push_str(&caption_html(&photo.caption, &photo.credit, lang));
            out.push_str("</figure>");
            rest = &rest["</p>".len()..];
        } else {
            out.push_str(&img);
        }
    }
    out.push_str(rest);
    out
}

/// A photo's caption and credit as a `<figcaption>`, escaped, worded as under the lead photo.
fn caption_html(caption: &str, credit: &str, lang: &str) -> String {
    let credit = if credit.is_empty() {
        String::new()
    } else {
        let credit = crate::i18n::text(lang, "photo_credit", &[("credit", credit)]);
        format!("<span class=\"credit\">{}</span>", markup::escape(&credit))
    };
    let space = if caption.is_empty() || credit.is_empty() { "" } else { " " };
    format!("<figcaption>{}{space}{credit}</figcaption>", markup::escape(caption))
}

/// The library photo an `<img>` tag shows, with its texts in `lang`, if it shows one.
async fn library_photo(state: &AppState, tag: &str, lang: &str) -> Option<ImageView> {
    let src = markup::attribute(tag, "src")?;
    let name = src.strip_prefix("/media/")?;
    let (key, _) = name.rsplit_once('-')?;
    match state.store.media_by_key_in_language(key, lang).await {
        Ok(m) => m.as_ref().map(figure),
        Err(e) => {
            // The photo is still shown, as the text has it; the page must not fail for it.
            tracing::warn!(error = %e, key, "cannot read a photo of an article's text");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_pick_a_variant_and_keep_the_ratio() {
        let key = "0123456789abcdef0123456789abcdef";
        let v = image_view(1, key, 2000, 1000, 960);
        assert_eq!(v.src, format!("/media/{key}-960.jpg"));
        assert_eq!((v.width, v.height), (960, 480));
        assert_eq!(
            v.srcset,
            format!("/media/{key}-480.jpg 480w, /media/{key}-960.jpg 960w, /media/{key}-1600.jpg 1600w")
        );
        assert_eq!((v.large_width, v.large_height), (1600, 800));
        let small = image_view(1, key, 300, 200, 960);
        assert_eq!(
            (small.src.as_str(), small.width, small.height),
            (format!("/media/{key}-300.jpg").as_str(), 300, 200)
        );
        assert_eq!(small.srcset, format!("/media/{key}-300.jpg 300w"));
    }
}
