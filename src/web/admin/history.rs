//! An article's history: every revision, a readable diff between any two, and restoring an old
//! revision as a new save (so restoring is itself in the history).

use super::session::Staff;
use super::{chrome, client_address, render, ui_lang};
use crate::domain::user::may_edit_article;
use crate::domain::{dates, markup};
use crate::i18n;
use crate::storage::editorial::{ArticleEdit, SaveResult, at};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
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
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let (article, author) = super::articles::load_with_author(&state, &staff, id).await?;
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
    let ctx = context! { article => context! { id => article.id, title => article.title }, revisions,
    can_restore => may_edit_article(staff.user.role, staff.user.id, author, article.status),
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
) -> WebResult<Response> {
    let article = super::articles::load_for(&state, &staff, id).await?;
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

/// `POST /admin/articles/{id}/revisions/{rev}/restore`: the old revision's text becomes the
/// article's newest version (status and date stay as they are now).
pub async fn restore(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Path((id, rev)): Path<(i64, i64)>,
) -> WebResult<Response> {
    let (article, author) = super::articles::load_with_author(&state, &staff, id).await?;
    if !may_edit_article(staff.user.role, staff.user.id, author, article.status) {
        return Err(WebError::Forbidden);
    }
    let old = state.store.revision(id, Some(rev), None).await?.ok_or(WebError::NotFound)?;
    // The text comes back; the lead photo stays as it is now.
    let lead_image_id = state.store.lead_image_id(id).await?;
    let edit = ArticleEdit {
        lang: article.lang.clone(),
        section_id: old.section_id,
        title: old.title,
        slug: Some(old.slug),
        lead: old.lead,
        body_html: old.body_html,
        status: article.status,
        publish_at: article.publish_at,
        review_requested: false,
        lead_image_id,
    };
    let note = format!("restored version {}", old.version);
    let address = client_address(&extensions);
    match state
        .store
        .save_article(
            id,
            article.version,
            &edit,
            staff.user.id,
            &note,
            Some(("article.restore_revision", &address)),
            state.clock.now(),
        )
        .await?
    {
        SaveResult::Saved { .. } => {
            // The old title may relate the article to others.
            state.related.forget(id);
            state.content_changed().await;
            Ok(Redirect::to(&format!("/admin/articles/{id}?saved=1")).into_response())
        }
        SaveResult::Conflict(_) => {
            Ok(Redirect::to(&format!("/admin/articles/{id}/revisions")).into_response())
        }
    }
}
