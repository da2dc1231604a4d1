//! `GET /{lang}/events`: the calendar of events announced in a language — a month's grid
//! (`?month=2026-12`, the current month by default), that month's events and the upcoming ones,
//! each linking to its announcement and, once written, its report — and
//! `GET /{lang}/events.ics`, the same events as an iCalendar feed for calendar programs.
//!
//! Days are the organizers' own: an event is on the days it covers in its time zone.

use super::{PageCtx, urls};
use crate::domain::dates;
use crate::i18n;
use crate::storage::ArticleSummary;
use crate::storage::events::Event;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use minijinja::{Value, context};
use serde::Deserialize;
use std::collections::HashMap;

/// The address of a language's calendar (`events` is a reserved slug).
pub const SLUG: &str = "events";

/// How many upcoming events the calendar page lists (the home page shows fewer).
const UPCOMING: u32 = 10;
/// Most events one month's grid shows; a month holding more is a data accident.
const PER_MONTH: u32 = 500;
/// How far back the iCalendar feed reaches: calendar programs keep what they once read.
const FEED_PAST_DAYS: i64 = 183;

#[derive(Debug, Default, Deserialize)]
pub struct CalendarQuery {
    month: Option<String>,
}

/// An event as pages show it.
#[derive(Debug, serde::Serialize)]
pub struct EventView {
    pub id: i64,
    pub title: String,
    pub href: String,
    pub lead: String,
    /// "10 December 2026, 10:00–12:00 (MSK)".
    pub when: String,
    pub start: String,
    pub end: String,
    pub place: String,
    pub report: Option<Value>,
    pub past: bool,
    /// When the announcement last changed: the feed's `DTSTAMP`, stable between requests.
    #[serde(skip)]
    pub changed: Timestamp,
}

/// Events with their announcements (and reports) read, published ones only, in `events`' order.
pub async fn views(ctx: &PageCtx<'_>, events: &[Event]) -> WebResult<Vec<EventView>> {
    let state = ctx.state;
    let mut ids: Vec<i64> = events.iter().map(|e| e.article_id).collect();
    ids.extend(events.iter().filter_map(|e| e.report_id));
    let rows: HashMap<i64, ArticleSummary> =
        state.listing.published(state, &ids).await?.into_iter().map(|a| (a.id, a)).collect();
    let now = state.clock.now().as_second();
    let href = |a: &ArticleSummary| {
        let section = ctx.section_by_id(a.section_id).map(|s| s.slug.as_str()).unwrap_or("news");
        urls::article(&a.lang, section, &a.slug)
    };
    Ok(events
        .iter()
        .filter_map(|e| {
            let a = rows.get(&e.article_id)?;
            let report = e
                .report_id
                .and_then(|id| rows.get(&id))
                .map(|r| context! { title => &r.title, href => href(r) });
            let zone = zone_of(e);
            Some(EventView {
                id: e.article_id,
                title: a.title.clone(),
                href: href(a),
                lead: a.lead.clone(),
                when: when(e, ctx.lang.as_str()),
                start: dates::rfc3339(at(e.starts_at), &zone),
                end: dates::rfc3339(at(e.ends_at), &zone),
                place: e.place.clone(),
                report,
                past: e.ends_at < now,
                changed: a.updated_at.max(a.publish_at).max(at(e.updated_at)),
            })
        })
        .collect())
}

/// The soonest `limit` events not yet over, for the calendar and the home page.
pub async fn upcoming(ctx: &PageCtx<'_>, limit: u32) -> WebResult<Vec<EventView>> {
    let now = ctx.state.clock.now().as_second();
    let events = ctx.state.store.events_between(ctx.lang.as_str(), now, i64::MAX, limit).await?;
    views(ctx, &events).await
}

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(second).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The event's own time zone (checked when it was saved; UTC should the name ever vanish).
fn zone_of(e: &Event) -> TimeZone {
    TimeZone::get(&e.time_zone).unwrap_or(TimeZone::UTC)
}

/// The days an event covers in its time zone, first and last.
fn days(e: &Event) -> (Date, Date) {
    let zone = zone_of(e);
    (dates::civil_date(at(e.starts_at), &zone), dates::civil_date(at(e.ends_at), &zone))
}

/// An event given as a day without a time (midnight, no length): a whole day.
fn all_day(e: &Event) -> bool {
    e.ends_at == e.starts_at && at(e.starts_at).to_zoned(zone_of(e)).time() == jiff::civil::Time::midnight()
}

/// When an event is, as people write it: "10 December 2026, 10:00–12:00 (MSK)", "10 December
/// 2026" for a day without a time, "10 – 12 December 2026" style spans as two long dates.
pub fn when(e: &Event, lang: &str) -> String {
    let zone = zone_of(e);
    let (start, end) = (at(e.starts_at).to_zoned(zone.clone()), at(e.ends_at).to_zoned(zone));
    let all_day = all_day(e);
    // "MSK" where the zone has a name readers know, else "UTC+03:00" rather than a bare "+03".
    let abbreviation = match start.strftime("%Z").to_string() {
        a if a.starts_with(['+', '-']) => format!("UTC{}", start.strftime("%:z")),
        a => a,
    };
    if start.date() == end.date() {
        let day = dates::long_date(start.date(), lang);
        if all_day {
            return day;
        }
        let hours = if e.ends_at == e.starts_at {
            start.strftime("%H:%M").to_string()
        } else {
            format!("{}–{}", start.strftime("%H:%M"), end.strftime("%H:%M"))
        };
        return format!("{day}, {hours} ({abbreviation})");
    }
    format!(
        "{}, {} – {}, {} ({abbreviation})",
        dates::long_date(start.date(), lang),
        start.strftime("%H:%M"),
        dates::long_date(end.date(), lang),
        end.strftime("%H:%M"),
    )
}

/// `2026-12` → the month's first day; `None` for anything else (or a year past 9999).
fn parse_month(value: &str) -> Option<Date> {
    let (year, month) = value.trim().split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    Date::new(year.parse().ok()?, month.parse().ok()?, 1).ok()
}

/// `GET /{lang}/events?month=YYYY-MM`.
pub async fn page(
    State(state): State<AppState>,
    Path(lang): Path<String>,
    Query(q): Query<CalendarQuery>,
) -> WebResult<Html<String>> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let l = ctx.lang.as_str();
    let tz = &state.site.time_zone;
    let today = dates::civil_date(state.clock.now(), tz);
    let first = match q.month.as_deref().filter(|m| !m.is_empty()) {
        None => today.first_of_month(),
        Some(m) => parse_month(m).ok_or_else(|| {
            WebError::BadRequest(format!("'{m}' is not a month; use the form {}", today.strftime("%Y-%m")))
        })?,
    };
    let next = first.checked_add(1.month()).map_err(|_| WebError::NotFound)?;
    let previous = first.checked_sub(1.month()).map_err(|_| WebError::NotFound)?;
    // A day's margin each side: an event's own time zone may put it in the month when the
    // site's does not.
    let span = dates::day_span(first.yesterday().unwrap_or(first), next, tz).ok_or(WebError::NotFound)?;
    let in_span = state.store.events_between(l, span.0.as_second(), span.1.as_second(), PER_MONTH).await?;
    let in_month: Vec<Event> = in_span
        .into_iter()
        .filter(|e| {
            let (from, to) = days(e);
            from < next && to >= first
        })
        .collect();
    let month_views = views(&ctx, &in_month).await?;
    let shown: std::collections::HashSet<i64> = month_views.iter().map(|v| v.id).collect();
    // Each day of the month, the first event on it (for the grid's link) and how many.
    let mut on_day: HashMap<Date, (i64, usize)> = HashMap::new();
    for e in in_month.iter().filter(|e| shown.contains(&e.article_id)) {
        let (from, to) = days(e);
        let mut day = from.max(first);
        while day <= to && day < next {
            on_day.entry(day).or_insert((e.article_id, 0)).1 += 1;
            let Ok(d) = day.tomorrow() else { break };
            day = d;
        }
    }
    let month_label = format!("{} {}", dates::month_name(first.month(), l), first.year());
    let weeks = grid(first, next, today, &on_day, l);
    let upcoming = upcoming(&ctx, UPCOMING).await?;
    let path = format!("/{l}/{SLUG}");
    let month_href = |d: Date| format!("{path}?month={}", d.strftime("%Y-%m"));
    let heading = i18n::text(l, "events_title", &[]);
    let description = i18n::text(l, "events_description", &[]);
    let canonical =
        if q.month.as_deref().is_some_and(|m| !m.is_empty()) { month_href(first) } else { path.clone() };
    let chrome =
        ctx.chrome(SLUG, &heading, &description, &canonical, ctx.switcher_same_path(&format!("/{SLUG}")));
    let weekdays: Vec<Value> = i18n::text(l, "events_weekdays", &[])
        .split(' ')
        .zip(i18n::text(l, "events_weekdays_long", &[]).split(' '))
        .map(|(short, long)| context! { short, long })
        .collect();
    ctx.render(
        "public/events.html",
        context! {
            heading,
            intro => description,
            month_label => &month_label,
            calendar_label => i18n::text(l, "events_calendar", &[("month", &month_label)]),
            in_month_label => i18n::text(l, "events_in_month", &[("month", &month_label)]),
            weekdays,
            weeks,
            month_events => month_views,
            upcoming,
            previous_href => month_href(previous),
            next_href => month_href(next),
            ics_href => format!("/{l}/events.ics"),
            archive_href => urls::archive(&ctx.lang),
            ..chrome
        },
    )
}

/// The month's weeks, Monday first; days outside the month are blank cells.
fn grid(
    first: Date,
    next: Date,
    today: Date,
    on_day: &HashMap<Date, (i64, usize)>,
    lang: &str,
) -> Vec<Vec<Value>> {
    let lead = i64::from(first.weekday().to_monday_zero_offset());
    let mut weeks = Vec::new();
    let mut week: Vec<Value> = (0..lead).map(|_| Value::from(())).collect();
    let mut day = first;
    while day < next {
        let date = dates::long_date(day, lang);
        let events = on_day.get(&day);
        week.push(context! {
            number => day.day(),
            today => day == today,
            href => events.map(|(id, _)| format!("#event-{id}")),
            count => events.map(|(_, n)| *n).unwrap_or(0),
            label => events.map(|_| i18n::text(lang, "events_on_day", &[("date", &date)])),
        });
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        let Ok(d) = day.tomorrow() else { break };
        day = d;
    }
    if !week.is_empty() {
        week.resize_with(7, || Value::from(()));
        weeks.push(week);
    }
    weeks
}

/// `GET /{lang}/events.ics`: the language's events of the last half year and all to come.
pub async fn ics(State(state): State<AppState>, Path(lang): Path<String>) -> WebResult<Response> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let l = ctx.lang.as_str();
    let now = state.clock.now();
    let from = now.as_second() - FEED_PAST_DAYS * 86_400;
    let events = state.store.events_between(l, from, i64::MAX, PER_MONTH).await?;
    let shown = views(&ctx, &events).await?;
    let by_id: HashMap<i64, &Event> = events.iter().map(|e| (e.article_id, e)).collect();
    let site = &state.site;
    let host = url::Url::parse(&site.base_url).ok().and_then(|u| u.host_str().map(str::to_string));
    let host = host.unwrap_or_else(|| "newsdesk".to_string());
    let mut cal =
        ical::Calendar::new(&format!("{} — {}", site.name(&ctx.lang), i18n::text(l, "events_title", &[])), l);
    for v in &shown {
        let Some(e) = by_id.get(&v.id) else { continue };
        let mut description = v.lead.clone();
        if let Some(report) = &v.report {
            let href = report.get_attr("href").ok().map(|h| h.to_string()).unwrap_or_default();
            description.push_str(&format!(
                "\n\n{}: {}{href}",
                i18n::text(l, "events_report", &[]),
                site.base_url
            ));
        }
        let (first, last) = days(e);
        cal.event(&ical::Entry {
            uid: &format!("event-{}@{host}", v.id),
            stamp: v.changed,
            sequence: e.version - 1,
            when: if all_day(e) {
                ical::When::Days(first, last)
            } else {
                ical::When::Timed(at(e.starts_at), at(e.ends_at))
            },
            summary: &v.title,
            location: &v.place,
            description: &description,
            url: &format!("{}{}", site.base_url, v.href),
        });
    }
    Ok(super::feeds::respond("text/calendar; charset=utf-8", cal.finish()))
}

/// Just enough of iCalendar (RFC 5545) for a published feed: `VEVENT`s with UTC times, text
/// escaped and lines folded at 75 octets. Written here rather than taken from a crate: a feed
/// is these few lines, and the crates for it bring their own date-time and property types to
/// convert to and from.
pub mod ical {
    use jiff::Timestamp;
    use jiff::civil::Date;

    /// When an event is: from one instant to another (the same one for an event without a
    /// length), or whole days, first to last, as the organizers' calendar has them.
    pub enum When {
        Timed(Timestamp, Timestamp),
        Days(Date, Date),
    }

    /// One event of the feed.
    pub struct Entry<'a> {
        pub uid: &'a str,
        /// When the announcement last changed.
        pub stamp: Timestamp,
        /// Bumped by every change, so calendar programs take a rescheduling.
        pub sequence: i64,
        pub when: When,
        pub summary: &'a str,
        pub location: &'a str,
        pub description: &'a str,
        pub url: &'a str,
    }

    pub struct Calendar {
        out: String,
    }

    impl Calendar {
        pub fn new(name: &str, lang: &str) -> Calendar {
            let mut c = Calendar { out: String::new() };
            c.line("BEGIN:VCALENDAR");
            c.line("VERSION:2.0");
            c.line("PRODID:-//Newsdesk//Events//EN");
            c.line("CALSCALE:GREGORIAN");
            c.line(&format!("X-WR-CALNAME;LANGUAGE={lang}:{}", escape(name)));
            c
        }

        pub fn event(&mut self, e: &Entry<'_>) {
            self.line("BEGIN:VEVENT");
            self.line(&format!("UID:{}", escape(e.uid)));
            self.line(&format!("DTSTAMP:{}", utc(e.stamp)));
            self.line(&format!("SEQUENCE:{}", e.sequence.max(0)));
            match e.when {
                When::Timed(starts, ends) => {
                    self.line(&format!("DTSTART:{}", utc(starts)));
                    // Without DTEND an event ends as it starts; DTEND must be later (§3.6.1).
                    if ends > starts {
                        self.line(&format!("DTEND:{}", utc(ends)));
                    }
                }
                When::Days(first, last) => {
                    // DTEND is the day after the last, as dates are (§3.6.1).
                    let after = last.tomorrow().unwrap_or(last);
                    self.line(&format!("DTSTART;VALUE=DATE:{}", first.strftime("%Y%m%d")));
                    self.line(&format!("DTEND;VALUE=DATE:{}", after.strftime("%Y%m%d")));
                }
            }
            self.line(&format!("SUMMARY:{}", escape(e.summary)));
            self.line(&format!("LOCATION:{}", escape(e.location)));
            if !e.description.is_empty() {
                self.line(&format!("DESCRIPTION:{}", escape(e.description)));
            }
            self.line(&format!("URL:{}", e.url));
            self.line("END:VEVENT");
        }

        pub fn finish(mut self) -> String {
            self.line("END:VCALENDAR");
            self.out
        }

        /// A content line, folded so no line is longer than 75 octets (never inside a
        /// character), ended by CRLF.
        fn line(&mut self, text: &str) {
            let mut width = 0;
            for c in text.chars() {
                let len = c.len_utf8();
                if width + len > 75 {
                    self.out.push_str("\r\n ");
                    width = 1;
                }
                self.out.push(c);
                width += len;
            }
            self.out.push_str("\r\n");
        }
    }

    fn utc(ts: Timestamp) -> String {
        ts.strftime("%Y%m%dT%H%M%SZ").to_string()
    }

    /// TEXT values: backslash, semicolon, comma and line breaks escaped; other control
    /// characters dropped.
    fn escape(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                ';' => out.push_str("\\;"),
                ',' => out.push_str("\\,"),
                '\n' => out.push_str("\\n"),
                '\r' => {}
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn lines_are_folded_at_75_octets_without_splitting_characters() {
            let mut c = Calendar { out: String::new() };
            let long = format!("SUMMARY:{}", "Встреча; итоги, ".repeat(10));
            c.line(&escape(&long));
            for line in c.out.split("\r\n").filter(|l| !l.is_empty()) {
                assert!(line.len() <= 75, "{} octets: {line}", line.len());
            }
            let unfolded = c.out.replace("\r\n ", "");
            assert_eq!(unfolded.strip_suffix("\r\n"), Some(escape(&long).as_str()));
            assert!(unfolded.contains("Встреча\\; итоги\\, "));
        }

        #[test]
        fn an_event_is_written_in_utc_with_its_text_escaped() {
            let mut c = Calendar::new("News, events", "en");
            let at: Timestamp = "2026-12-10T07:00:00Z".parse().unwrap();
            c.event(&Entry {
                uid: "event-1@news.example",
                stamp: at,
                sequence: 2,
                when: When::Timed(at, at),
                summary: "Briefing\nline two",
                location: "Geneva, Room 1",
                description: "",
                url: "https://news.example/en/news/briefing",
            });
            let out = c.finish();
            assert!(out.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
            assert!(out.contains("X-WR-CALNAME;LANGUAGE=en:News\\, events\r\n"));
            assert!(
                out.contains("SEQUENCE:2\r\nDTSTART:20261210T070000Z\r\nSUMMARY:"),
                "no DTEND for no length: {out}"
            );
            assert!(!out.contains("METHOD:"), "a plain feed, not a scheduling message");
            assert!(out.contains("SUMMARY:Briefing\\nline two\r\n"));
            assert!(out.contains("LOCATION:Geneva\\, Room 1\r\n"));
            assert!(!out.contains("DESCRIPTION"));
            assert!(out.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
            let mut c = Calendar::new("Events", "ru");
            let days = When::Days(Date::constant(2026, 12, 10), Date::constant(2026, 12, 11));
            let entry = Entry {
                uid: "e",
                stamp: at,
                sequence: 0,
                when: days,
                summary: "s",
                location: "l",
                description: "",
                url: "u",
            };
            c.event(&entry);
            let out = c.finish();
            assert!(out.contains("DTSTART;VALUE=DATE:20261210\r\nDTEND;VALUE=DATE:20261212\r\n"), "{out}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(starts: &str, ends: &str, zone: &str) -> Event {
        let s: Timestamp = starts.parse().unwrap();
        let e: Timestamp = ends.parse().unwrap();
        Event {
            article_id: 1,
            starts_at: s.as_second(),
            ends_at: e.as_second(),
            time_zone: zone.into(),
            place: "Geneva".into(),
            report_id: None,
            version: 1,
            updated_at: 0,
        }
    }

    #[test]
    fn times_are_told_in_the_event_s_own_zone() {
        let e = event("2026-12-10T07:00:00Z", "2026-12-10T09:00:00Z", "Europe/Moscow");
        assert_eq!(when(&e, "en"), "10 December 2026, 10:00–12:00 (MSK)");
        assert_eq!(when(&e, "ru"), "10 декабря 2026, 10:00–12:00 (MSK)");
        let day = event("2026-12-09T21:00:00Z", "2026-12-09T21:00:00Z", "Europe/Moscow");
        assert_eq!(when(&day, "en"), "10 December 2026");
        let span = event("2026-12-10T07:00:00Z", "2026-12-12T15:00:00Z", "Europe/Moscow");
        assert_eq!(when(&span, "en"), "10 December 2026, 10:00 – 12 December 2026, 18:00 (MSK)");
        assert_eq!(days(&span), (Date::constant(2026, 12, 10), Date::constant(2026, 12, 12)));
        let minsk = event("2026-12-10T07:00:00Z", "2026-12-10T09:00:00Z", "Europe/Minsk");
        assert_eq!(when(&minsk, "en"), "10 December 2026, 10:00–12:00 (UTC+03:00)");
    }

    #[test]
    fn months_are_read_as_year_and_month() {
        assert_eq!(parse_month("2026-12"), Some(Date::constant(2026, 12, 1)));
        for bad in ["2026-13", "2026", "26-12", "2026-1", "x-y", "2026-12-01"] {
            assert_eq!(parse_month(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_grid_starts_on_monday_and_fills_whole_weeks() {
        // December 2026 begins on a Tuesday and has 31 days.
        let first = Date::constant(2026, 12, 1);
        let next = Date::constant(2027, 1, 1);
        let mut on_day = HashMap::new();
        on_day.insert(Date::constant(2026, 12, 10), (7, 2));
        let weeks = grid(first, next, Date::constant(2026, 12, 3), &on_day, "en");
        assert_eq!(weeks.len(), 5);
        assert!(weeks.iter().all(|w| w.len() == 7));
        assert!(weeks[0][0].is_none());
        assert_eq!(weeks[0][1].get_attr("number").unwrap().as_i64(), Some(1));
        let tenth = &weeks[1][3];
        assert_eq!(tenth.get_attr("number").unwrap().as_i64(), Some(10));
        assert_eq!(tenth.get_attr("href").unwrap().as_str(), Some("#event-7"));
        assert_eq!(tenth.get_attr("count").unwrap().as_i64(), Some(2));
        assert!(weeks[0][3].get_attr("today").unwrap().is_true());
    }
}
