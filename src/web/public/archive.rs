//! The archive by date: `/{lang}/archive/{year}`, `/{year}/{month}` and `/{year}/{month}/{day}`,
//! with a calendar of years and months to move around in, and a from–to form.

use super::lists::{ListQuery, ListSpec, render_list};
use super::{PageCtx, page_number, urls};
use crate::domain::dates;
use crate::i18n;
use crate::storage::ListFilter;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use jiff::civil::Date;
use minijinja::{Value, context};

/// The calendar block: links to every year with news, the months of `year` if one is chosen,
/// and the from–to form prefilled with the current range.
pub async fn calendar(
    ctx: &PageCtx<'_>,
    year: Option<i16>,
    from: Option<Date>,
    to: Option<Date>,
) -> WebResult<Value> {
    let tz = &ctx.state.site.time_zone;
    let span = ctx.state.listing.span(ctx.state, &ctx.lang).await?;
    let years: Vec<Value> = match span {
        Some((first, last)) => {
            let (a, b) = (dates::civil_date(first, tz).year(), dates::civil_date(last, tz).year());
            (a..=b)
                .rev()
                .map(|y| context! { label => y, href => urls::archive_year(&ctx.lang, y), current => Some(y) == year })
                .collect()
        }
        None => Vec::new(),
    };
    let months: Vec<Value> = match year {
        Some(y) => (1..=12)
            .map(|m: i8| {
                context! {
                    label => dates::month_name(m, ctx.lang.as_str()),
                    href => urls::archive_month(&ctx.lang, y, m),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(context! {
        show_calendar => true,
        years,
        months,
        from_value => from.map(|d| d.to_string()).unwrap_or_default(),
        to_value => to.map(|d| d.to_string()).unwrap_or_default(),
        archive_href => urls::archive(&ctx.lang),
    })
}

fn parse_part<T: std::str::FromStr>(raw: &str, what: &str) -> WebResult<T> {
    raw.parse().map_err(|_| WebError::BadRequest(format!("'{raw}' is not a {what}")))
}

async fn render_span(
    state: &AppState,
    lang: &str,
    (first, last): (Date, Date),
    heading: String,
    rest: String,
    year: i16,
    page: Option<&str>,
) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(state, lang).await?;
    let (start, end) = dates::day_span(first, last, &state.site.time_zone).ok_or(WebError::NotFound)?;
    let extra = calendar(&ctx, Some(year), Some(first), Some(last)).await?;
    let spec = ListSpec {
        nav_current: "archive".into(),
        description: format!("{heading} — {}", state.site.name(&ctx.lang)),
        heading,
        filter: ListFilter { from: Some(start), to: Some(end), ..ListFilter::all(ctx.lang.clone()) },
        page: page_number(page)?,
        base_href: format!("/{}{rest}", ctx.lang),
        rest,
        extra,
    };
    render_list(&ctx, spec).await
}

fn heading(lang: &str, when: &str) -> String {
    format!("{}: {when}", i18n::text(lang, "archive_of", &[]))
}

/// `GET /{lang}/archive/{year}`.
pub async fn year(
    State(state): State<AppState>,
    Path((lang, year)): Path<(String, String)>,
    Query(q): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let y: i16 = parse_part(&year, "year")?;
    let first = Date::new(y, 1, 1).map_err(|_| WebError::NotFound)?;
    let last = Date::new(y, 12, 31).map_err(|_| WebError::NotFound)?;
    let h = heading(&lang, &y.to_string());
    render_span(&state, &lang, (first, last), h, format!("/archive/{y}"), y, q.page.as_deref()).await
}

/// `GET /{lang}/archive/{year}/{month}`.
pub async fn month(
    State(state): State<AppState>,
    Path((lang, year, month)): Path<(String, String, String)>,
    Query(q): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let y: i16 = parse_part(&year, "year")?;
    let m: i8 = parse_part(&month, "month")?;
    let first = Date::new(y, m, 1).map_err(|_| WebError::NotFound)?;
    let last = first.last_of_month();
    let h = heading(&lang, &format!("{} {y}", dates::month_name(m, &lang)));
    render_span(&state, &lang, (first, last), h, format!("/archive/{y}/{m:02}"), y, q.page.as_deref()).await
}

/// `GET /{lang}/archive/{year}/{month}/{day}`.
pub async fn day(
    State(state): State<AppState>,
    Path((lang, year, month, day)): Path<(String, String, String, String)>,
    Query(q): Query<ListQuery>,
) -> WebResult<Html<String>> {
    let y: i16 = parse_part(&year, "year")?;
    let m: i8 = parse_part(&month, "month")?;
    let d: i8 = parse_part(&day, "day")?;
    let date = Date::new(y, m, d).map_err(|_| WebError::NotFound)?;
    let h = heading(&lang, &date.strftime("%d.%m.%Y").to_string());
    render_span(&state, &lang, (date, date), h, format!("/archive/{y}/{m:02}/{d:02}"), y, q.page.as_deref())
        .await
}
