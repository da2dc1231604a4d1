//! Static pages in the back office: the list, a form to write or change one (its history
//! below it). Writes go through the newsroom ([`crate::newsroom`]); editors and admins only.

use super::articles::actor;
use super::session::Staff;
use super::{chrome, render, ui_lang};
use crate::domain::dates;
use crate::domain::page::{Page, PageInput};
use crate::domain::user::Permission;
use crate::domain::{Lang, markup};
use crate::i18n;
use crate::newsroom::NewsroomError;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use minijinja::context;
use serde::Deserialize;

/// The permission every handler here requires.
const NEEDED: Permission = Permission::EditAnyArticle;

/// `GET /admin/pages`.
pub async fn list(State(state): State<AppState>, staff: Staff, headers: HeaderMap) -> WebResult<Response> {
    staff.require(NEEDED)?;
    let ui = ui_lang(&headers);
    let pages: Vec<_> = state
        .store
        .pages()
        .await?
        .into_iter()
        .map(|p| {
            let href = p.is_published().then(|| format!("/{}/{}", p.lang, p.slug));
            context! { id => p.id, lang => p.lang, title => p.title, slug => p.slug, status => p.status, href }
        })
        .collect();
    let ctx =
        context! { pages, ..chrome(&state, Some(&staff), ui, &i18n::text(ui, "admin_pages", &[]), "pages") };
    Ok(render(&state, "admin/pages.html", ctx)?.into_response())
}

/// What the form sends.
#[derive(Debug, Default, Deserialize)]
pub struct PageForm {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    version: String,
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    page: Option<&Page>,
    form: Option<&PageForm>,
    refused: Option<(StatusCode, String)>,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let tz = &state.site.time_zone;
    let revisions: Vec<_> = match page {
        Some(p) => state
            .store
            .page_revisions(p.id)
            .await?
            .into_iter()
            .map(|r| {
                let at = Timestamp::from_second(r.at).ok().map(|t| dates::short_with_time(t, tz));
                context! { version => r.version, at, email => r.email, title => r.title, status => r.status }
            })
            .collect(),
        None => Vec::new(),
    };
    let value = |from_form: Option<&String>, stored: Option<&str>| {
        from_form.cloned().or_else(|| stored.map(str::to_string)).unwrap_or_default()
    };
    let fields = context! {
        lang => value(form.map(|f| &f.lang), page.map(|p| p.lang.as_str()).or(Some(state.site.default_language.as_str()))),
        title => value(form.map(|f| &f.title), page.map(|p| p.title.as_str())),
        slug => value(form.map(|f| &f.slug), page.map(|p| p.slug.as_str())),
        body => value(form.map(|f| &f.body), page.map(|p| p.body_html.as_str())),
        status => value(form.map(|f| &f.status), page.map(|p| p.status.as_str())),
        version => page.map(|p| p.version),
    };
    // A message with 200 is a notice (a version loaded), any other a refusal.
    let (status, error, notice) = match refused {
        Some((StatusCode::OK, message)) => (StatusCode::OK, None, Some(message)),
        Some((status, message)) => (status, Some(message), None),
        None => (StatusCode::OK, None, None),
    };
    let title = match page {
        Some(p) => p.title.clone(),
        None => i18n::text(ui, "admin_page_new", &[]),
    };
    let languages: Vec<String> = state.site.languages.iter().map(|l| l.to_string()).collect();
    let ctx = context! {
        page_id => page.map(|p| p.id), public_href => page.filter(|p| p.is_published()).map(|p| format!("/{}/{}", p.lang, p.slug)),
        fields, revisions, error, notice, languages,
        ..chrome(state, Some(staff), ui, &title, "pages")
    };
    Ok((status, render(state, "admin/page_edit.html", ctx)?).into_response())
}

/// `GET /admin/pages/new`.
pub async fn new(State(state): State<AppState>, staff: Staff, headers: HeaderMap) -> WebResult<Response> {
    staff.require(NEEDED)?;
    form_page(&state, &staff, &headers, None, None, None).await
}

/// Which earlier version to load into the form.
#[derive(Debug, Default, Deserialize)]
pub struct Load {
    revision: Option<i64>,
}

/// `GET /admin/pages/{id}`, or `?revision=N` to load version N's text into the form: saving
/// it then restores it as a new version (nothing changes until the editor saves).
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(load): Query<Load>,
) -> WebResult<Response> {
    staff.require(NEEDED)?;
    let page = state.store.page_by_id(id).await?.ok_or(WebError::NotFound)?;
    let Some(version) = load.revision else {
        return form_page(&state, &staff, &headers, Some(&page), None, None).await;
    };
    let (title, slug, body, status) =
        state.store.page_revision(id, version).await?.ok_or(WebError::NotFound)?;
    let form = PageForm {
        lang: page.lang.to_string(),
        title,
        slug,
        body,
        status,
        version: page.version.to_string(),
    };
    let ui = ui_lang(&headers);
    let notice = i18n::text(ui, "admin_page_revision_loaded", &[("version", &version.to_string())]);
    form_page(&state, &staff, &headers, Some(&page), Some(&form), Some((StatusCode::OK, notice))).await
}

/// `POST /admin/pages`: a new page.
pub async fn create(
    state: State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<PageForm>,
) -> WebResult<Response> {
    save(state, staff, headers, extensions, None, form).await
}

/// `POST /admin/pages/{id}`: a change to a page.
pub async fn update(
    state: State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(form): Form<PageForm>,
) -> WebResult<Response> {
    save(state, staff, headers, extensions, Some(id), form).await
}

async fn save(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    id: Option<i64>,
    form: PageForm,
) -> WebResult<Response> {
    staff.require(NEEDED)?;
    let ui = ui_lang(&headers);
    let existing = match id {
        Some(id) => Some(state.store.page_by_id(id).await?.ok_or(WebError::NotFound)?),
        None => None,
    };
    let lang = Lang::parse(form.lang.trim()).unwrap_or_else(|_| state.site.default_language.clone());
    let slug = form.slug.trim().to_lowercase();
    let input = PageInput {
        external_id: None,
        lang,
        slug: (!slug.is_empty()).then_some(slug),
        title: markup::plain_title(&form.title),
        body_html: markup::sanitize_html(&form.body),
        published: form.status == "published",
        created_at: None,
    };
    let version = form.version.trim().parse::<i64>().ok();
    match state.newsroom.save_page(&actor(&staff, &extensions), id, &input, version).await {
        Ok(page) => {
            state.content_changed();
            Ok(Redirect::to(&format!("/admin/pages/{}?saved=1", page.id)).into_response())
        }
        Err(e @ (NewsroomError::Invalid(_) | NewsroomError::Taken(_) | NewsroomError::VersionRequired)) => {
            let status = if matches!(e, NewsroomError::Taken(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let message = e.message(ui).unwrap_or_default();
            form_page(&state, &staff, &headers, existing.as_ref(), Some(&form), Some((status, message))).await
        }
        Err(e) => Err(WebError::refused(e, ui)),
    }
}
