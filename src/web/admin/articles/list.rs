//! The back office's list of articles and its trash: filtered by language, section, status,
//! author and text, a page at a time, each row with its translations' states.

use super::translation_states;
use crate::domain::user::{Permission, Role};
use crate::domain::{Lang, Status, dates};
use crate::i18n;
use crate::storage::editorial::{EditorialFilter, at};
use crate::web::AppState;
use crate::web::admin::session::Staff;
use crate::web::admin::{chrome, render, ui_lang};
use crate::web::error::WebResult;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use serde::Deserialize;

const PAGE: u32 = 30;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    lang: Option<String>,
    section: Option<String>,
    status: Option<String>,
    mine: Option<String>,
    author: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// `GET /admin/articles`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    list_page(&state, &staff, &headers, q, false).await
}

/// `GET /admin/trash`.
pub async fn trash_list(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    staff.require(Permission::DeleteArticle)?;
    list_page(&state, &staff, &headers, q, true).await
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    q: ListQuery,
    trash: bool,
) -> WebResult<Response> {
    let lang = ui_lang(headers);
    let sections = state.store.sections().await?;
    let page = crate::web::public::page_number(q.page.as_deref())?;
    let status = nonempty(&q.status).filter(|s| Status::parse(s).is_some());
    let filter = EditorialFilter {
        lang: nonempty(&q.lang).filter(|l| state.site.language(l).is_some()),
        section_id: nonempty(&q.section).and_then(|s| s.parse().ok()),
        status,
        // Authors only ever see their own work; others may pick any author.
        author_id: if q.mine.is_some() || staff.user.role == Role::Author {
            Some(staff.user.id)
        } else {
            nonempty(&q.author).and_then(|a| a.parse().ok())
        },
        text: nonempty(&q.q),
        trash,
        ..EditorialFilter::default()
    };
    let (rows, total) = state.store.editorial_list(&filter, PAGE, (page - 1) * u64::from(PAGE)).await?;
    let tz = &state.site.time_zone;
    let keys: Vec<&str> = rows.iter().map(|r| r.translation_key.as_str()).collect();
    let groups = state.store.translation_versions_of(&keys).await?;
    let mut items = Vec::new();
    for r in &rows {
        let versions = groups.get(&r.translation_key).map(Vec::as_slice).unwrap_or_default();
        let states = translation_states(state, versions, r.id);
        items.push(context! {
            id => r.id, version => r.version, title => &r.title, lang => &r.lang, status => &r.status,
            status_label => i18n::text(lang, &format!("admin_status_{}", r.status), &[]),
            review => r.review_requested != 0,
            section => sections.iter().find(|s| s.id == r.section_id).map(|s| s.name(&Lang::parse(lang).unwrap_or_else(|_| state.site.default_language.clone())).to_string()),
            date => dates::short(at(r.publish_at), tz),
            updated => dates::short_with_time(at(r.updated_at), tz),
            author => &r.author,
            translations => states,
        });
    }
    let base = format!(
        "/admin/{}?lang={}&section={}&status={}&q={}&author={}{}",
        if trash { "trash" } else { "articles" },
        crate::web::admin::session::encode(&filter.lang.clone().unwrap_or_default()),
        filter.section_id.map(|s| s.to_string()).unwrap_or_default(),
        crate::web::admin::session::encode(&filter.status.clone().unwrap_or_default()),
        crate::web::admin::session::encode(&filter.text.clone().unwrap_or_default()),
        filter.author_id.map(|a| a.to_string()).unwrap_or_default(),
        if q.mine.is_some() { "&mine=1" } else { "" },
    );
    let pager = crate::web::public::Pager::new(page, u64::try_from(total).unwrap_or(0), PAGE, &base);
    let title = i18n::text(lang, if trash { "admin_trash" } else { "admin_articles" }, &[]);
    let ctx = context! {
        items, pager, total, trash,
        filter => context! { lang => filter.lang, section => filter.section_id, status => filter.status, q => filter.text, mine => q.mine.is_some(), author => filter.author_id },
        authors => if staff.user.role == Role::Author { Vec::new() } else {
            state.store.users().await?.into_iter().map(|u| context! { id => u.id, name => u.name }).collect::<Vec<_>>()
        },
        sections => sections.iter().map(|s| context! { id => s.id, name => s.name(&state.site.default_language) }).collect::<Vec<_>>(),
        statuses => ["draft", "scheduled", "published"].iter().map(|s| context! { value => s, label => i18n::text(lang, &format!("admin_status_{s}"), &[]) }).collect::<Vec<_>>(),
        ..chrome(state, Some(staff), lang, &title, if trash { "trash" } else { "articles" })
    };
    Ok(render(state, "admin/articles.html", ctx)?.into_response())
}
