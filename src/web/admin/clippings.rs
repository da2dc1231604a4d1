//! "Media about us" in the back office: the list of clippings with a form to add one, and a
//! form per clipping to change or delete it. The rules and the audit live in
//! [`crate::newsroom::clippings`]; this only reads forms and shows pages.

use super::articles::actor;
use super::session::Staff;
use super::{chrome, render, ui_lang};
use crate::domain::user::Permission;
use crate::i18n;
use crate::newsroom::NewsroomError;
use crate::newsroom::clippings::{ClippingFields, MAX_OUTLET, MAX_QUOTE, MAX_TITLE, MAX_URL};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::public::{Pager, page_number};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

/// Clippings per back-office page.
const PAGE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    done: Option<String>,
}

/// What a page shows besides the list: the form (empty, as typed, or a clipping's) and what
/// happened.
struct Shown<'a> {
    status: StatusCode,
    editing: Option<i64>,
    form: &'a ClippingFields,
    errors: Vec<(String, String)>,
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
    let (rows, total) = state.store.clippings_page(None, PAGE, (page - 1) * u64::from(PAGE)).await?;
    let pager = Pager::new(page, u64::try_from(total).unwrap_or(0), PAGE, "/admin/clippings");
    let languages: Vec<Value> = state
        .site
        .languages
        .iter()
        .map(|l| context! { code => l.as_str(), name => i18n::language_name(l.as_str()) })
        .collect();
    let error_of = |field: &str| shown.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone());
    let f = shown.form;
    let form = context! {
        lang => if f.lang.is_empty() { state.site.default_language.as_str() } else { f.lang.as_str() },
        // A date field holds a date or nothing (the error quotes what was typed).
        date => crate::domain::dates::parse_date(&f.date).map(|d| d.to_string()).unwrap_or_default(),
        outlet => &f.outlet, title => &f.title, url => &f.url, quote => &f.quote,
    };
    let errors = context! {
        lang => error_of("lang"), outlet => error_of("outlet"), date => error_of("date"),
        title => error_of("title"), url => error_of("url"), quote => error_of("quote"),
    };
    let title = i18n::text(ui, "admin_clippings", &[]);
    let ctx = context! {
        rows, pager, languages, form, errors, notice => shown.notice, editing => shown.editing,
        has_errors => !shown.errors.is_empty(),
        count => i18n::text(ui, "admin_clippings_count", &[("n", &total.to_string())]),
        max_outlet => MAX_OUTLET, max_title => MAX_TITLE, max_url => MAX_URL, max_quote => MAX_QUOTE,
        ..chrome(state, Some(staff), ui, &title, "clippings")
    };
    Ok((shown.status, render(state, "admin/clippings.html", ctx)?).into_response())
}

/// `GET /admin/clippings`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    staff.require(Permission::Publish)?;
    let ui = ui_lang(&headers);
    let notice = match q.done.as_deref() {
        Some("added") => Some(i18n::text(ui, "admin_clippings_added", &[])),
        Some("saved") => Some(i18n::text(ui, "admin_clippings_saved", &[])),
        Some("deleted") => Some(i18n::text(ui, "admin_clippings_deleted", &[])),
        _ => None,
    };
    let empty = ClippingFields::default();
    let shown = Shown { status: StatusCode::OK, editing: None, form: &empty, errors: Vec::new(), notice };
    page(&state, &staff, &headers, page_number(q.page.as_deref())?, shown).await
}

/// `GET /admin/clippings/{id}`: the list with this clipping in the form.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    staff.require(Permission::Publish)?;
    let c = state.store.clipping(id).await?.ok_or(WebError::NotFound)?.text;
    let form = ClippingFields {
        lang: c.lang,
        outlet: c.outlet,
        date: c.published_on,
        title: c.title,
        url: c.url,
        quote: c.quote,
    };
    let shown =
        Shown { status: StatusCode::OK, editing: Some(id), form: &form, errors: Vec::new(), notice: None };
    page(&state, &staff, &headers, 1, shown).await
}

/// A refusal as the page shows it: field errors beside their fields, and the text kept.
async fn refused(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    editing: Option<i64>,
    form: &ClippingFields,
    error: NewsroomError,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    match error {
        NewsroomError::Invalid(list) => {
            let errors = list.iter().map(|e| (e.field.to_string(), e.message(ui))).collect();
            let shown =
                Shown { status: StatusCode::UNPROCESSABLE_ENTITY, editing, form, errors, notice: None };
            page(state, staff, headers, 1, shown).await
        }
        other => Err(WebError::refused(other, ui)),
    }
}

/// `POST /admin/clippings`.
pub async fn add(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<ClippingFields>,
) -> WebResult<Response> {
    match state.newsroom.add_clipping(&actor(&staff, &extensions), &form).await {
        Ok(_) => {
            state.content_changed();
            Ok(Redirect::to("/admin/clippings?done=added").into_response())
        }
        Err(e) => refused(&state, &staff, &headers, None, &form, e).await,
    }
}

/// `POST /admin/clippings/{id}`.
pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(form): Form<ClippingFields>,
) -> WebResult<Response> {
    match state.newsroom.change_clipping(&actor(&staff, &extensions), id, &form).await {
        Ok(()) => {
            state.content_changed();
            Ok(Redirect::to("/admin/clippings?done=saved").into_response())
        }
        Err(e) => refused(&state, &staff, &headers, Some(id), &form, e).await,
    }
}

/// `POST /admin/clippings/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .remove_clipping(&actor(&staff, &extensions), id)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    state.content_changed();
    Ok(Redirect::to("/admin/clippings?done=deleted").into_response())
}
