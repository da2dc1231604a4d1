//! `GET /admin`: what needs attention (drafts awaiting review, scheduled items), what went out
//! recently, and articles published per month by language, drawn as a small server-side chart.

use super::session::Staff;
use super::{chrome, render, ui_lang};
use crate::domain::dates;
use crate::i18n;
use crate::storage::editorial::{EditorialFilter, EditorialOrder, at};
use crate::web::AppState;
use crate::web::error::WebResult;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use minijinja::{Value, context};

/// How far back the dashboard tells a person what happened to their articles.
const NOTICE_DAYS: i64 = 14;

pub async fn show(State(state): State<AppState>, staff: Staff, headers: HeaderMap) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let tz = &state.site.time_zone;
    let mine = (staff.user.role == crate::domain::user::Role::Author).then_some(staff.user.id);
    let list = |status: &str, order: EditorialOrder| EditorialFilter {
        status: Some(status.into()),
        author_id: mine,
        order,
        ..EditorialFilter::default()
    };
    let row = |r: &crate::storage::editorial::EditorialRow| {
        context! { id => r.id, title => &r.title, lang => &r.lang, author => &r.author, review => r.review_requested != 0,
        date => dates::short_with_time(at(r.publish_at), tz) }
    };
    // Every draft awaiting review (oldest request first would need the request's time; the
    // last edited come first), the next scheduled, and the latest by publication time.
    let awaiting = EditorialFilter { review_only: true, ..list("draft", EditorialOrder::Edited) };
    let (drafts, _) = state.store.editorial_list(&awaiting, 50, 0).await?;
    let review: Vec<Value> = drafts.iter().map(row).collect();
    let (scheduled, _) =
        state.store.editorial_list(&list("scheduled", EditorialOrder::PublishedSoonest), 10, 0).await?;
    let (published, _) =
        state.store.editorial_list(&list("published", EditorialOrder::PublishedNewest), 10, 0).await?;
    // What happened to this person's own articles in the last two weeks.
    let since = state.clock.now() - jiff::SignedDuration::from_hours(24 * NOTICE_DAYS);
    let notices: Vec<Value> = state
        .store
        .notices(staff.user.id, since, 10)
        .await?
        .iter()
        .map(|n| {
            let when = at(n.at);
            context! {
                id => n.article_id, title => &n.title, body => &n.body, sent_back => n.kind == "sent-back",
                by => i18n::text(ui, "admin_notice_sent_back", &[("who", n.actor_name.as_deref().unwrap_or("—"))]),
                date => dates::short_with_time(when, tz),
            }
        })
        .collect();
    // Twelve months of publications per language.
    let today = dates::civil_date(state.clock.now(), tz);
    let first = today.first_of_month().checked_sub(11.months()).unwrap_or(today);
    let since = first.to_zoned(tz.clone()).map(|z| z.timestamp()).unwrap_or(state.clock.now());
    let counts = state.store.published_since(since).await?;
    let mut months: Vec<(i16, i8)> = Vec::new();
    let mut d = first;
    for _ in 0..12 {
        months.push((d.year(), d.month()));
        d = d.checked_add(1.month()).unwrap_or(d);
    }
    let langs: Vec<String> = state.site.languages.iter().map(|l| l.to_string()).collect();
    let mut table = vec![vec![0u32; langs.len()]; 12];
    for c in &counts {
        let date = dates::civil_date(at(c.publish_at), tz);
        if let (Some(m), Some(l)) = (
            months.iter().position(|m| *m == (date.year(), date.month())),
            langs.iter().position(|l| *l == c.lang),
        ) {
            table[m][l] += 1;
        }
    }
    let max = table.iter().flatten().copied().max().unwrap_or(0).max(1);
    let chart: Vec<Value> = months
        .iter()
        .zip(&table)
        .map(|((y, m), row)| {
            context! {
                label => format!("{:02}.{}", m, y % 100),
                bars => row.iter().zip(&langs).map(|(n, l)| context! { lang => l, count => n, height => n * 100 / max }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let ctx = context! {
        review, notices, scheduled => scheduled.iter().map(row).collect::<Vec<_>>(), published => published.iter().map(row).collect::<Vec<_>>(),
        chart, chart_langs => langs,
        ..chrome(&state, Some(&staff), ui, &i18n::text(ui, "admin_dashboard", &[]), "dashboard")
    };
    Ok(render(&state, "admin/dashboard.html", ctx)?.into_response())
}
