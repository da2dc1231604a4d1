//! An article's history: every revision, a readable diff between any two, and restoring an old
//! revision as a new save (so restoring is itself in the history).

use super::session::Staff;
use super::{chrome, render, ui_lang};
use crate::domain::{dates, markup};
use crate::i18n;
use crate::newsroom::Intent;
use crate::storage::editorial::at;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

/// Splits an article into lines worth comparing: title, lead, then each block of the body as
/// text, so a diff reads like the article rather than like HTML.
fn lines(title: &str, lead: &str, body: &str) -> String {
    let mut out = format!("{title}\n{lead}\n");
    let blocks = ["</p>", "</li>", "</h2>", "</h3>", "</h4>", "</blockquote>", "</tr>", "<br>"]
        .iter()
        .fold(body.to_string(), |text, end| text.replace(end, &format!("{end}\n")));
    for block in blocks.lines() {
        let text = markup::plain_text(block);
        if !text.is_empty() {
            out.push_str(&text);
            out.push('\n');
        }
    }
    out
}

/// A line diff from `old` (when known) to `new`, as template rows.
pub fn diff_view(old: Option<(&str, &str, &str)>, new: (&str, &str, &str)) -> Value {
    let before = old.map(|(t, l, b)| lines(t, l, b)).unwrap_or_default();
    let after = lines(new.0, new.1, new.2);
    let diff = similar::TextDiff::from_lines(&before, &after);
    let rows: Vec<Value> = diff
        .iter_all_changes()
        .map(|c| {
            let kind = match c.tag() {
                similar::ChangeTag::Delete => "del",
                similar::ChangeTag::Insert => "ins",
                similar::ChangeTag::Equal => "same",
            };
            context! { kind, text => c.value().trim_end().to_string() }
        })
        .collect();
    Value::from(rows)
}

/// `GET /admin/articles/{id}/revisions`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let (article, author) = super::articles::load_with_author(&state, &staff, &extensions, id).await?;
    let ui = ui_lang(&headers);
    let tz = &state.site.time_zone;
    let revisions: Vec<Value> = state
        .store
        .revisions(id)
        .await?
        .into_iter()
        .map(|r| {
            context! {
                id => r.id, version => r.version, author => r.author, note => r.note, title => r.title,
                status => i18n::text(ui, &format!("admin_status_{}", r.status), &[]),
                at => format!("{} {}", dates::short(at(r.at), tz), at(r.at).to_zoned(tz.clone()).strftime("%H:%M:%S")),
            }
        })
        .collect();
    let title = format!("{}: {}", i18n::text(ui, "admin_history", &[]), article.title);
    let actor = super::articles::actor(&staff, &extensions);
    let can_restore = state.newsroom.may(&actor, Intent::RestoreRevision, &article, author);
    let ctx = context! { article => context! { id => article.id, title => article.title, version => article.version }, revisions,
    can_restore,
    ..chrome(&state, Some(&staff), ui, &title, "articles") };
    Ok(render(&state, "admin/revisions.html", ctx)?.into_response())
}

#[derive(Debug, Deserialize)]
pub struct DiffQuery {
    from: i64,
    to: i64,
}

/// `GET /admin/articles/{id}/diff?from=REV&to=REV`.
pub async fn diff(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DiffQuery>,
    extensions: Extensions,
) -> WebResult<Response> {
    let article = super::articles::load_for(&state, &staff, &extensions, id).await?;
    let from = state.store.revision(id, Some(q.from), None).await?.ok_or(WebError::NotFound)?;
    let to = state.store.revision(id, Some(q.to), None).await?.ok_or(WebError::NotFound)?;
    let ui = ui_lang(&headers);
    let rows =
        diff_view(Some((&from.title, &from.lead, &from.body_html)), (&to.title, &to.lead, &to.body_html));
    let title = format!("{}: {}", i18n::text(ui, "admin_compare", &[]), article.title);
    let ctx = context! { article => context! { id => article.id, title => article.title },
    from => from.version, to => to.version, rows, ..chrome(&state, Some(&staff), ui, &title, "articles") };
    Ok(render(&state, "admin/diff.html", ctx)?.into_response())
}

/// The version the revisions page was shown at.
#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    #[serde(default, deserialize_with = "super::version_field")]
    version: Option<i64>,
}

/// `POST /admin/articles/{id}/revisions/{rev}/restore`: the old revision's text becomes the
/// article's newest version (status and date stay as they are now).
pub async fn restore(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path((id, rev)): Path<(i64, i64)>,
    Form(f): Form<RestoreForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let actor = super::articles::actor(&staff, &extensions);
    state
        .newsroom
        .restore_revision(&actor, id, f.version, rev)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved=1")).into_response())
}
