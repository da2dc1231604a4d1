//! The photo library at `/admin/media`: upload (a plain file form that works without
//! JavaScript; `admin.js` adds drag and drop, posting each file with `fetch` and the
//! `X-CSRF-Token` header), and alternative text, caption and credit per photo.
//!
//! An upload is read up to the configured limit and no further, checked by its bytes (see
//! [`crate::media::process_gated`]: headers first, then the decode on the blocking pool, as
//! many at once as the process's [`crate::media::Gate`] lets through, or 503 with
//! `Retry-After` when it stays full), and only then written: a refused upload leaves nothing
//! behind. The multipart form carries its CSRF token in the `csrf` query parameter or the
//! header, which the session guard checks before this runs.
//!
//! Texts follow the rule articles follow: editors and admins change any photo's; an author
//! only those of photos they uploaded that no published or scheduled article shows, since
//! those texts are on the public site under an editor's responsibility.

use super::session::Staff;
use super::{chrome, client_address, render, ui_lang};
use crate::domain::Lang;
use crate::domain::markup;
use crate::domain::user::Permission;
use crate::i18n;
use crate::media::{self, Refusal};
use crate::storage::StoreError;
use crate::storage::editorial::at;
use crate::storage::media::{NewMedia, TextEdit};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::public::media::{image_view, settings};
use crate::web::public::{Pager, page_number};
use axum::extract::multipart::{Field, MultipartRejection};
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use minijinja::context;
use serde::Deserialize;
use std::sync::Arc;

/// Photos per library page.
const PAGE: u32 = 24;
/// Longest texts, in characters.
pub const MAX_ALT: usize = 500;
pub const MAX_CAPTION: usize = 1_000;
pub const MAX_CREDIT: usize = 200;
/// Text fields of the upload form are read up to this many bytes.
const MAX_FIELD: usize = 16 * 1024;

#[derive(Debug, Default, Deserialize)]
pub struct LibraryQuery {
    page: Option<String>,
    uploaded: Option<String>,
    saved: Option<String>,
    /// The language whose texts the page shows and edits (the default language's otherwise).
    lang: Option<String>,
}

/// A photo's texts, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct TextForm {
    #[serde(default)]
    pub(crate) alt: String,
    #[serde(default)]
    pub(crate) caption: String,
    #[serde(default)]
    pub(crate) credit: String,
    /// The language these texts are in; empty or the site's default language for the photo's
    /// own texts (those every language without its own shows).
    #[serde(default)]
    pub(crate) lang: String,
}

impl TextForm {
    /// Plain text, whitespace folded, each within its length; the error names the field.
    pub(crate) fn clean(&self, ui: &str) -> Result<TextForm, String> {
        let mut out = TextForm { lang: self.lang.clone(), ..TextForm::default() };
        for (value, target, key, max) in [
            (&self.alt, &mut out.alt, "media_alt", MAX_ALT),
            (&self.caption, &mut out.caption, "media_caption", MAX_CAPTION),
            (&self.credit, &mut out.credit, "media_credit", MAX_CREDIT),
        ] {
            let text = markup::plain_text(value);
            if text.chars().count() > max {
                let field = i18n::text(ui, key, &[]);
                return Err(i18n::text(
                    ui,
                    "media_text_too_long",
                    &[("field", &field), ("n", &max.to_string())],
                ));
            }
            *target = text;
        }
        Ok(out)
    }
}

/// The language a form's or address's texts are in: `None` for the photo's own texts (no
/// language given, or the site's default one), else one of the site's languages. Any other
/// code is refused in words.
pub(crate) fn texts_language(state: &AppState, code: &str, ui: &str) -> Result<Option<Lang>, String> {
    let code = code.trim();
    if code.is_empty() || code == state.site.default_language.as_str() {
        return Ok(None);
    }
    state.site.language(code).cloned().map(Some).ok_or_else(|| i18n::text(ui, "media_unknown_language", &[]))
}

/// `GET /admin/media`.
pub async fn library(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<LibraryQuery>,
) -> WebResult<Response> {
    staff.require(Permission::UploadMedia)?;
    let ui = ui_lang(&headers);
    let notice = if q.uploaded.is_some() {
        Some(i18n::text(ui, "media_uploaded", &[]))
    } else {
        q.saved.as_ref().map(|_| i18n::text(ui, "media_saved", &[]))
    };
    let page = page_number(q.page.as_deref())?;
    let lang = texts_language(&state, q.lang.as_deref().unwrap_or(""), ui).map_err(WebError::BadRequest)?;
    let highlight = q.uploaded.or(q.saved).and_then(|s| s.parse::<i64>().ok());
    let view = View { page, lang, highlight };
    library_page(&state, &staff, &headers, StatusCode::OK, &view, notice, None, None).await
}

/// Which part of the library a page shows.
struct View {
    page: u64,
    /// The language whose texts are shown and edited (`None`: the photos' own texts).
    lang: Option<Lang>,
    /// The photo just uploaded or saved.
    highlight: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
async fn library_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    status: StatusCode,
    view: &View,
    notice: Option<String>,
    error: Option<String>,
    kept: Option<&TextForm>,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let tz = &state.site.time_zone;
    let (page, highlight) = (view.page, view.highlight);
    let offset = (page - 1) * u64::from(PAGE);
    let (rows, total) = state.store.media_page(PAGE, offset).await?;
    let own = match &view.lang {
        Some(lang) => {
            let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
            state.store.media_texts_in(lang.as_str(), &ids).await?
        }
        None => Default::default(),
    };
    let text_lang = view.lang.clone().unwrap_or_else(|| state.site.default_language.clone());
    let languages: Vec<_> = state
        .site
        .languages
        .iter()
        .map(|l| {
            let href = if *l == state.site.default_language {
                format!("/admin/media?page={page}")
            } else {
                format!("/admin/media?page={page}&lang={l}")
            };
            context! { code => l.as_str(), name => i18n::language_name(l.as_str()), href, current => *l == text_lang }
        })
        .collect();
    let items: Vec<_> = rows
        .iter()
        .map(|m| {
            // In another language: that language's own texts, the photo's own as placeholders.
            let texts = match &view.lang {
                Some(_) => own.get(&m.id).map(|t| (t.alt.as_str(), t.caption.as_str(), t.credit.as_str())),
                None => Some((m.alt.as_str(), m.caption.as_str(), m.credit.as_str())),
            };
            let (alt, caption, credit) = texts.unwrap_or(("", "", ""));
            let thumb = image_view(m.id, &m.file_key, m.width, m.height, 480);
            let original = media::Kind::from_mime(&m.mime).map(|k| media::original_name(&m.file_key, k));
            context! {
                id => m.id,
                thumb,
                original_name => &m.original_name,
                original_url => original.map(|o| format!("/media/{o}")),
                details => i18n::text(ui, "media_details", &[
                    ("width", &m.width.to_string()),
                    ("height", &m.height.to_string()),
                    ("size", &human_size(m.bytes)),
                ]),
                uploaded => i18n::text(ui, "media_uploaded_by", &[
                    ("date", &crate::domain::dates::short_with_time(at(m.created_at), tz)),
                    ("name", m.uploader.as_deref().unwrap_or("—")),
                ]),
                alt, caption, credit,
                fallback => view.lang.as_ref().map(|_| context! {
                    alt => &m.alt, caption => &m.caption, credit => &m.credit,
                }),
                thumb_alt => &m.alt,
                no_alt => m.alt.is_empty() && alt.is_empty(),
                highlight => highlight == Some(m.id),
            }
        })
        .collect();
    let base = match &view.lang {
        Some(l) => format!("/admin/media?lang={l}"),
        None => "/admin/media".to_string(),
    };
    let pager = Pager::new(page, u64::try_from(total).unwrap_or(0), PAGE, &base);
    let limit = settings(state).max_upload_bytes;
    let kept = kept.cloned().unwrap_or_default();
    let title = i18n::text(ui, "admin_media", &[]);
    let ctx = context! {
        items, pager, total, notice, error,
        count => i18n::text(ui, "media_count", &[("n", &total.to_string())]),
        file_label => i18n::text(ui, "media_file", &[("mb", &media::format_mb(limit))]),
        max_bytes => limit,
        max_mb => media::format_mb(limit),
        form => context! { alt => kept.alt, caption => kept.caption, credit => kept.credit },
        languages, text_lang => text_lang.as_str(),
        text_lang_name => i18n::language_name(text_lang.as_str()),
        other_language => view.lang.is_some(),
        max_alt => MAX_ALT, max_caption => MAX_CAPTION, max_credit => MAX_CREDIT,
        ..chrome(state, Some(staff), ui, &title, "media")
    };
    Ok((status, render(state, "admin/media.html", ctx)?).into_response())
}

/// `1.4 MB`, `230 KB`.
fn human_size(bytes: i64) -> String {
    let b = bytes.max(0) as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (b / 1024.0).ceil() as u64)
    }
}

/// Whether the client (the drag-and-drop script) wants JSON rather than a page.
fn wants_json(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"))
}

/// What the multipart form held.
#[derive(Default)]
pub(crate) struct Upload {
    /// The first file: its name as the client gave it, and its bytes.
    pub(crate) file: Option<(String, Vec<u8>)>,
    pub(crate) too_large: bool,
    pub(crate) texts: TextForm,
}

/// Reads a text field, keeping at most [`MAX_FIELD`] bytes.
async fn read_text(mut field: Field<'_>) -> Result<String, axum::extract::multipart::MultipartError> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        let room = MAX_FIELD.saturating_sub(out.len());
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Reads the form, never holding more than `limit` bytes of file: past it, the rest of the
/// body is read and dropped (so the browser gets the answer instead of a broken connection).
pub(crate) async fn read_upload(
    multipart: &mut Multipart,
    limit: u64,
) -> Result<Upload, axum::extract::multipart::MultipartError> {
    let mut upload = Upload::default();
    while let Some(mut field) = multipart.next_field().await? {
        match field.name().unwrap_or("") {
            "file" if upload.file.is_none() && !upload.too_large => {
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
                    upload.too_large = true;
                } else if !(name.is_empty() && bytes.is_empty()) {
                    upload.file = Some((name, bytes));
                }
            }
            "alt" => upload.texts.alt = read_text(field).await?,
            "caption" => upload.texts.caption = read_text(field).await?,
            "credit" => upload.texts.credit = read_text(field).await?,
            "lang" => upload.texts.lang = read_text(field).await?,
            _ => while field.chunk().await?.is_some() {},
        }
    }
    Ok(upload)
}

/// `POST /admin/media` (multipart: `file`, `alt`, `caption`, `credit`).
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult<Response> {
    staff.require(Permission::UploadMedia)?;
    let ui = ui_lang(&headers);
    let json = wants_json(&headers);
    let settings = settings(&state);
    let refuse = |status: StatusCode, message: String, kept: Option<TextForm>| {
        let state = state.clone();
        let staff = staff.clone();
        let headers = headers.clone();
        async move {
            let mut response = if json {
                (status, Json(serde_json::json!({ "ok": false, "error": message }))).into_response()
            } else {
                let lang = kept.as_ref().and_then(|k| texts_language(&state, &k.lang, ui).ok().flatten());
                let view = View { page: 1, lang, highlight: None };
                library_page(&state, &staff, &headers, status, &view, None, Some(message), kept.as_ref())
                    .await?
            };
            // Busy: say when to come back (the drop zone's script and browsers may retry).
            if status == StatusCode::SERVICE_UNAVAILABLE {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(media::RETRY_AFTER_SECS));
            }
            Ok::<Response, WebError>(response)
        }
    };
    let refusal = |r: &Refusal| {
        let args = r.message_args();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
        (
            StatusCode::from_u16(r.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
            i18n::text(ui, r.message_key(), &args),
        )
    };

    let mut multipart = match multipart {
        Ok(m) => m,
        Err(_) => {
            let (status, message) = refusal(&Refusal::NoFile);
            return refuse(status, message, None).await;
        }
    };
    let upload = match read_upload(&mut multipart, settings.max_upload_bytes).await {
        Ok(u) => u,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let (status, message) = refusal(&Refusal::TooLarge { limit: settings.max_upload_bytes });
            return refuse(status, message, None).await;
        }
        Err(e) => return Err(WebError::BadRequest(e.body_text())),
    };
    let texts = match upload.texts.clean(ui) {
        Ok(t) => t,
        Err(message) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, message, Some(upload.texts)).await,
    };
    let lang = match texts_language(&state, &texts.lang, ui) {
        Ok(lang) => lang,
        Err(message) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, message, None).await,
    };
    if upload.too_large {
        let (status, message) = refusal(&Refusal::TooLarge { limit: settings.max_upload_bytes });
        return refuse(status, message, Some(texts)).await;
    }
    let Some((original_name, bytes)) = upload.file else {
        let (status, message) = refusal(&Refusal::NoFile);
        return refuse(status, message, Some(texts)).await;
    };

    let (id, key, width, height) = match store_photo(
        &state,
        original_name,
        bytes,
        &texts,
        lang.as_ref(),
        staff.user.id,
        &client_address(&extensions),
    )
    .await?
    {
        Ok(stored) => stored,
        Err(r) => {
            let (status, message) = refusal(&r);
            return refuse(status, message, Some(texts)).await;
        }
    };
    if json {
        let view = image_view(id, &key, i64::from(width), i64::from(height), 480);
        return Ok((
            StatusCode::CREATED,
            Json(serde_json::json!({ "ok": true, "id": id, "thumb": view.src, "src": view.large })),
        )
            .into_response());
    }
    let lang = lang.map(|l| format!("&lang={l}")).unwrap_or_default();
    Ok(Redirect::to(&format!("/admin/media?uploaded={id}{lang}#media-{id}")).into_response())
}

/// Checks, resizes and stores an uploaded photo and records it in the library (with an audit
/// entry): the one way photos enter, from the back office or the API. The texts become the
/// photo's own and, when typed in another language than the site's default (`lang`), that
/// language's too. Returns the photo's id, file key and size, or why the file was refused.
pub(crate) async fn store_photo(
    state: &AppState,
    original_name: String,
    bytes: Vec<u8>,
    texts: &TextForm,
    lang: Option<&Lang>,
    user_id: i64,
    address: &str,
) -> WebResult<Result<(i64, String, u32, u32), Refusal>> {
    let settings = settings(state);
    // Decode and resize off the async workers, as many at once as the gate lets through.
    let bytes = Arc::new(bytes);
    let gate = media::gate(&state.data_dir);
    let processed = match media::process_gated(bytes.clone(), &gate).await {
        Ok(p) => p,
        Err(r) => return Ok(Err(r)),
    };
    let key = media::new_key();
    if let Err(e) = media::save(&settings.store, &key, &bytes, &processed).await {
        tracing::error!(error = %e, store = settings.store.kind(), "cannot write media files");
        return Err(WebError::Store(StoreError::Corrupt(format!("cannot write media files: {e}"))));
    }
    let now = state.clock.now();
    let sizes = media::variant_bytes(&processed);
    let new = NewMedia {
        file_key: &key,
        original_name: &original_name,
        mime: processed.kind.mime(),
        width: processed.width,
        height: processed.height,
        bytes: bytes.len() as u64,
        alt: &texts.alt,
        caption: &texts.caption,
        credit: &texts.credit,
        variant_bytes: &sizes,
    };
    let id = match state.store.create_media(&new, Some(user_id), now).await {
        Ok(id) => id,
        Err(e) => {
            media::remove(&settings.store, &key, processed.kind, processed.width).await;
            return Err(e.into());
        }
    };
    if let Some(lang) = lang {
        let own = (&texts.alt, &texts.caption, &texts.credit);
        state.store.update_media_text(id, Some(lang.as_str()), own.0, own.1, own.2, None, now).await?;
    }
    let detail = format!("{original_name} ({}×{}, {} bytes)", processed.width, processed.height, bytes.len());
    state.store.audit(Some(user_id), "media.upload", &format!("media {id}"), &detail, address, now).await?;
    Ok(Ok((id, key, processed.width, processed.height)))
}

/// `POST /admin/media/{id}`: alternative text, caption and credit.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<TextForm>,
) -> WebResult<Response> {
    staff.require(Permission::UploadMedia)?;
    let ui = ui_lang(&headers);
    let lang = texts_language(&state, &f.lang, ui).map_err(WebError::BadRequest)?;
    let view = View { page: 1, lang: lang.clone(), highlight: Some(id) };
    let texts = match f.clean(ui) {
        Ok(t) => t,
        Err(message) => {
            state.store.media_by_id(id).await?.ok_or(WebError::NotFound)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return library_page(&state, &staff, &headers, status, &view, None, Some(message), None).await;
        }
    };
    // Editors and admins change any photo's texts; an author only those of a photo of their
    // own that nothing public shows (checked in the same statement as the change).
    let author_only = (!staff.user.role.can(Permission::EditAnyArticle)).then_some(staff.user.id);
    let now = state.clock.now();
    let refused = match state
        .store
        .update_media_text(
            id,
            lang.as_ref().map(Lang::as_str),
            &texts.alt,
            &texts.caption,
            &texts.credit,
            author_only,
            now,
        )
        .await?
    {
        TextEdit::Saved => None,
        TextEdit::NotUploader => Some("media_edit_not_yours"),
        TextEdit::InUse => Some("media_edit_in_use"),
    };
    if let Some(key) = refused {
        let message = i18n::text(ui, key, &[("id", &id.to_string())]);
        return library_page(
            &state,
            &staff,
            &headers,
            StatusCode::FORBIDDEN,
            &view,
            None,
            Some(message),
            None,
        )
        .await;
    }
    state
        .store
        .audit(
            Some(staff.user.id),
            "media.edit",
            &format!("media {id}"),
            &match &lang {
                Some(l) => format!("{l}: {}", texts.alt),
                None => texts.alt.clone(),
            },
            &client_address(&extensions),
            now,
        )
        .await?;
    // Articles showing this photo show its new texts at once.
    state.content_changed();
    let lang = lang.map(|l| format!("&lang={l}")).unwrap_or_default();
    Ok(Redirect::to(&format!("/admin/media?saved={id}{lang}#media-{id}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(2_500_000), "2.4 MB");
        assert_eq!(human_size(1000), "1 KB");
    }

    #[test]
    fn texts_are_plain_and_bounded() {
        let f = TextForm { alt: "<b>A</b>  cat".into(), caption: "x".into(), ..TextForm::default() };
        assert_eq!(f.clean("en").unwrap().alt, "A cat");
        let long = TextForm { credit: "c".repeat(MAX_CREDIT + 1), ..TextForm::default() };
        assert!(long.clean("en").unwrap_err().contains("Credit"));
    }
}
