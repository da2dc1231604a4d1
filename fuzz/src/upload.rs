//! The photo upload path: `upload_image` gives the bytes of an uploaded file to
//! [`media::process`] (format sniffing, the header check, decoding under limits, resizing,
//! JPEG encoding); `upload_multipart` starts one step earlier, from the body of a
//! `POST /admin/media`, read by axum's multipart extractor the way the handler reads it.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart};
use axum::http::{Request, header};
use newsdesk::domain::markup;
use newsdesk::media::{self, Processed, Refusal};
use std::sync::LazyLock;

/// The boundary every `upload_multipart` input is read with (the seeds use it too).
pub const BOUNDARY: &str = "newsdesk-fuzz";
/// The handler's default upload limit.
const LIMIT: u64 = media::DEFAULT_MAX_UPLOAD_MB * 1024 * 1024;
/// As `MAX_FIELD` in `web/admin/media.rs`: text fields are read up to this many bytes.
const MAX_FIELD: usize = 16 * 1024;

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime")
});

pub fn upload_image(data: &[u8]) {
    check_processed(media::process(data));
}

pub fn upload_multipart(data: &[u8]) {
    let request = Request::builder()
        .method("POST")
        .uri("/admin/media")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(Body::from(data.to_vec()))
        .expect("a request");
    let Some(upload) = RUNTIME.block_on(async {
        let mut multipart = Multipart::from_request(request, &()).await.ok()?;
        read_upload(&mut multipart, LIMIT).await.ok()
    }) else {
        return;
    };
    for text in [&upload.alt, &upload.caption, &upload.credit] {
        let _ = markup::plain_text(text);
    }
    if let Some((name, bytes)) = upload.file {
        assert!(name.chars().count() <= media::MAX_NAME_CHARS && !name.contains(['/', '\\']));
        check_processed(media::process(&bytes));
    }
}

/// What an accepted photo must be: within the size limits, with JPEG variants no wider than
/// the photo, largest first.
fn check_processed(result: Result<Processed, Refusal>) {
    let Ok(p) = result else { return };
    assert!(p.width >= 1 && p.height >= 1 && p.width <= media::MAX_SIDE && p.height <= media::MAX_SIDE);
    assert!(!p.variants.is_empty(), "an accepted photo has variants");
    let mut previous = u32::MAX;
    for v in &p.variants {
        assert!(v.width <= p.width && v.width < previous, "variant widths {:?}", widths(&p));
        assert!(v.height >= 1);
        assert!(v.bytes.starts_with(&[0xFF, 0xD8]), "a variant is not a JPEG");
        previous = v.width;
    }
}

fn widths(p: &Processed) -> Vec<u32> {
    p.variants.iter().map(|v| v.width).collect()
}

/// What the form held (as `Upload` in `web/admin/media.rs`).
#[derive(Default)]
struct Upload {
    file: Option<(String, Vec<u8>)>,
    alt: String,
    caption: String,
    credit: String,
}

// The two functions below are copies of the private `read_upload` and `read_text` in
// `src/web/admin/media.rs`; once those are public, call them instead.

async fn read_upload(
    multipart: &mut Multipart,
    limit: u64,
) -> Result<Upload, axum::extract::multipart::MultipartError> {
    let mut upload = Upload::default();
    let mut too_large = false;
    while let Some(mut field) = multipart.next_field().await? {
        match field.name().unwrap_or("") {
            "file" if upload.file.is_none() && !too_large => {
                let name = media::clean_file_name(field.file_name().unwrap_or(""));
                let mut bytes: Vec<u8> = Vec::new();
                let mut over = false;
                while let Some(chunk) = field.chunk().await? {
                    if over {
                        continue;
                    }
                    if (bytes.len() + chunk.len()) as u64 > limit {
                        over = true;
                        bytes = Vec::new();
                        continue;
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if over {
                    too_large = true;
                } else if !(name.is_empty() && bytes.is_empty()) {
                    upload.file = Some((name, bytes));
                }
            }
            "alt" => upload.alt = read_text(field).await?,
            "caption" => upload.caption = read_text(field).await?,
            "credit" => upload.credit = read_text(field).await?,
            _ => while field.chunk().await?.is_some() {},
        }
    }
    Ok(upload)
}

async fn read_text(
    mut field: axum::extract::multipart::Field<'_>,
) -> Result<String, axum::extract::multipart::MultipartError> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        let room = MAX_FIELD.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}
