//! The register of documents in the back office: the list with a form to add one (texts in
//! each language, files, the news it belongs to), a form per document to change or delete it.
//! One plain multipart form, working without scripts; the rules and the audit live in
//! [`crate::newsroom::documents`].

use super::articles::actor;
use super::session::Staff;
use super::{chrome, render, ui_lang};
use crate::domain::user::Permission;
use crate::i18n;
use crate::newsroom::NewsroomError;
use crate::newsroom::documents::{DocumentFields, KINDS, MAX_FILE_BYTES, Upload};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::public::documents::kind_name;
use crate::web::public::media::settings;
use crate::web::public::{Pager, page_number};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

/// Documents per back-office page.
const PAGE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    done: Option<String>,
}

/// The form as sent: its fields, its files and the files to remove.
#[derive(Debug, Default)]
struct Sent {
    fields: DocumentFields,
    uploads: Vec<Upload>,
    remove: Vec<i64>,
}

/// Reads the multipart form; a malformed one is a 400 saying so.
async fn read(state: &AppState, multipart: Result<Multipart, MultipartRejection>) -> WebResult<Sent> {
    let bad = |e: &dyn std::fmt::Display| WebError::BadRequest(format!("the form could not be read: {e}"));
    let mut multipart = multipart.map_err(|e| bad(&e))?;
    let mut sent = Sent::default();
    let mut texts: Vec<(String, String, String)> =
        state.site.languages.iter().map(|l| (l.to_string(), String::new(), String::new())).collect();
    while let Some(field) = multipart.next_field().await.map_err(|e| bad(&e))? {
        let name = field.name().unwrap_or("").to_string();
        // A file part is told by its file name (the form's field is `files`).
        if let Some(file_name) = field.file_name().map(str::to_string) {
            let bytes = field.bytes().await.map_err(|e| bad(&e))?;
            // A file input left empty sends a part with no name and no bytes.
            if !(file_name.is_empty() && bytes.is_empty()) {
                sent.uploads.push(Upload { name: file_name, bytes: bytes.to_vec() });
            }
            continue;
        }
        let value = field.text().await.map_err(|e| bad(&e))?;
        match name.as_str() {
            "kind" => sent.fields.kind = value,
            "number" => sent.fields.number = value,
            "date" => sent.fields.date = value,
            "news" => sent.fields.news = value,
            "remove" => sent.remove.push(value.trim().parse().map_err(|_| bad(&"a file number"))?),
            other => {
                for (lang, title, summary) in &mut texts {
                    if other == format!("title-{lang}") {
                        *title = value.clone();
                    } else if other == format!("summary-{lang}") {
                        *summary = value.clone();
                    }
                }
            }
        }
    }
    sent.fields.texts = texts;
    Ok(sent)
}

/// What a page shows besides the list: the form (empty, as typed, or a document's), its files
/// and what happened.
struct Shown<'a> {
    status: StatusCode,
    editing: Option<i64>,
    form: &'a DocumentFields,
    files: Vec<Value>,
    error: Option<String>,
    notice: Option<String>,
}

async fn page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    page: u64,
    shown: Shown<'_>,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let filter = crate::storage::documents::DocumentFilter::default();
    let (rows, total) = state.store.documents_page(ui, &filter, PAGE, (page - 1) * u64::from(PAGE)).await?;
    let pager = Pager::new(page, u64::try_from(total).unwrap_or(0), PAGE, "/admin/documents");
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            context! {
                id => r.id, title => &r.title, number => &r.number, date => &r.issued_on,
                kind => kind_name(&r.kind, ui),
            }
        })
        .collect();
    let f = shown.form;
    let texts: Vec<Value> = f
        .texts
        .iter()
        .map(|(lang, title, summary)| {
            context! {
                lang, title, summary,
                legend => i18n::text(ui, "admin_documents_texts_in", &[("language", &i18n::language_name(lang))]),
            }
        })
        .collect();
    let kinds: Vec<Value> = KINDS
        .iter()
        .map(|k| context! { value => k, name => kind_name(k, ui), selected => *k == f.kind })
        .collect();
    let title = i18n::text(ui, "admin_documents", &[]);
    let mb = (MAX_FILE_BYTES / (1024 * 1024)).to_string();
    let ctx = context! {
        rows, pager, kinds, texts, notice => shown.notice, error => shown.error, editing => shown.editing,
        form => context! {
            number => &f.number,
            date => crate::domain::dates::parse_date(&f.date).map(|d| d.to_string()).unwrap_or_default(),
            news => &f.news,
        },
        files => shown.files,
        public_href => shown.editing.map(|id| format!("/{ui}/documents/{id}")),
        count => i18n::text(ui, "admin_documents_count", &[("n", &total.to_string())]),
        files_hint => i18n::text(ui, "admin_documents_files_hint", &[("mb", &mb)]),
        ..chrome(state, Some(staff), ui, &title, "documents")
    };
    Ok((shown.status, render(state, "admin/documents.html", ctx)?).into_response())
}

/// The form of the site's languages with nothing typed.
fn empty_form(state: &AppState) -> DocumentFields {
    DocumentFields {
        texts: state.site.languages.iter().map(|l| (l.to_string(), String::new(), String::new())).collect(),
        ..DocumentFields::default()
    }
}

/// `GET /admin/documents`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    staff.require(Permission::Publish)?;
    let ui = ui_lang(&headers);
    let notice = match q.done.as_deref() {
        Some("added") => Some(i18n::text(ui, "admin_documents_added", &[])),
        Some("saved") => Some(i18n::text(ui, "admin_documents_saved", &[])),
        Some("deleted") => Some(i18n::text(ui, "admin_documents_deleted", &[])),
        _ => None,
    };
    let empty = empty_form(&state);
    let shown =
        Shown { status: StatusCode::OK, editing: None, form: &empty, files: Vec::new(), error: None, notice };
    page(&state, &staff, &headers, page_number(q.page.as_deref())?, shown).await
}

/// The files of document `id` as its form lists them (each with a box to remove it).
async fn file_rows(state: &AppState, id: i64, ui: &str) -> WebResult<Vec<Value>> {
    Ok(state
        .store
        .document_files(&[id])
        .await?
        .iter()
        .map(|f| {
            context! {
                id => f.id, name => &f.file_name, href => format!("/documents/files/{}", f.file_key),
                remove => i18n::text(ui, "admin_documents_remove_file", &[("name", &f.file_name)]),
            }
        })
        .collect())
}

/// `GET /admin/documents/{id}`: the list with this document in the form.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    staff.require(Permission::Publish)?;
    let ui = ui_lang(&headers);
    let d = state.store.document(id).await?.ok_or(WebError::NotFound)?;
    // Every linked article, drafts included: saving the form must not drop a link.
    let sections = state.listing.sections(&state).await?;
    let mut news = Vec::new();
    for a in state.store.summaries_by_ids(&d.articles).await? {
        let section =
            sections.iter().find(|s| s.id == a.section_id).map(|s| s.slug.as_str()).unwrap_or("news");
        news.push(crate::web::public::urls::article(&a.lang, section, &a.slug));
    }
    let mut form = empty_form(&state);
    for (lang, title, summary) in &mut form.texts {
        if let Some(t) = d.texts.iter().find(|t| &t.lang == lang) {
            *title = t.title.clone();
            *summary = t.summary.clone();
        }
    }
    form.kind = d.head.kind;
    form.number = d.head.number;
    form.date = d.head.issued_on;
    form.news = news.join("\n");
    let files = file_rows(&state, id, ui).await?;
    let shown =
        Shown { status: StatusCode::OK, editing: Some(id), form: &form, files, error: None, notice: None };
    page(&state, &staff, &headers, 1, shown).await
}

/// A refused form comes back as typed, with what to change.
async fn refused(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    editing: Option<i64>,
    sent: &Sent,
    e: NewsroomError,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let status = match e {
        NewsroomError::Invalid(_) | NewsroomError::Missing(_) => StatusCode::UNPROCESSABLE_ENTITY,
        NewsroomError::Taken(_) | NewsroomError::Conflict(_) => StatusCode::CONFLICT,
        e => return Err(WebError::refused(e, ui)),
    };
    let files = match editing {
        Some(id) => file_rows(state, id, ui).await?,
        None => Vec::new(),
    };
    let shown = Shown { status, editing, form: &sent.fields, files, error: e.message(ui), notice: None };
    page(state, staff, headers, 1, shown).await
}

/// `POST /admin/documents` (multipart; the CSRF token in the address, as uploads carry it).
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult<Response> {
    staff.require(Permission::Publish)?;
    let sent = read(&state, multipart).await?;
    let media = settings(&state).store;
    match state.newsroom.add_document(&actor(&staff, &extensions), &sent.fields, &sent.uploads, &media).await
    {
        Ok(_) => {
            state.content_changed();
            Ok(Redirect::to("/admin/documents?done=added").into_response())
        }
        Err(e) => refused(&state, &staff, &headers, None, &sent, e).await,
    }
}

/// `POST /admin/documents/{id}` (multipart).
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> WebResult<Response> {
    staff.require(Permission::Publish)?;
    let sent = read(&state, multipart).await?;
    let media = settings(&state).store;
    let actor = actor(&staff, &extensions);
    match state.newsroom.change_document(&actor, id, &sent.fields, &sent.uploads, &sent.remove, &media).await
    {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to("/admin/documents?done=saved").into_response())
        }
        Err(e) => refused(&state, &staff, &headers, Some(id), &sent, e).await,
    }
}

/// `POST /admin/documents/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    staff.require(Permission::Publish)?;
    let ui = ui_lang(&headers);
    let media = settings(&state).store;
    state
        .newsroom
        .remove_document(&actor(&staff, &extensions), id, &media)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    state.content_changed();
    Ok(Redirect::to("/admin/documents?done=deleted").into_response())
}
