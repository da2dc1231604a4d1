//! Events over real HTTP on both backends: an editor gives an announcement its event in the
//! editor's side panel (refused in words when wrong, never overwriting a newer change), and
//! readers find it in the month's calendar, the upcoming list, the home page, the article's
//! page with its schema.org `Event`, and the iCalendar feed; afterwards with its report.

use crate::admin::{make_user, sign_in, write};
use crate::harness::{Backend, TestDb, TestServer, between};
use crate::on_both_backends;
use crate::session::{Client, csrf_in, location};
use newsdesk::domain::FixedClock;
use newsdesk::domain::user::Role;
use std::sync::Arc;

async fn post_event(c: &Client<'_>, id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    let csrf = csrf_in(&c.page(&format!("/admin/articles/{id}")).await);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    c.post(&format!("/admin/articles/{id}/event"), &form).await
}

async fn events_are_announced_listed_and_exported(backend: Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    // 3 December 2026, noon in Moscow (the test site's time zone).
    let now: jiff::Timestamp = "2026-12-03T09:00:00Z".parse().unwrap();
    let s = TestServer::start_on(db, Arc::new(FixedClock::new(now))).await;
    make_user(&s, "editor@example.org", Role::Editor).await;
    make_user(&s, "author@example.org", Role::Author).await;
    let editor = sign_in(&s, "editor@example.org").await;
    let (_, announcement) = write(&editor, "Briefing on the summit", "publish", "").await;
    let (_, report) = write(&editor, "Summit report", "publish", "").await;
    let (_, draft) = write(&editor, "Secret visit", "save", "").await;
    let (a, report, draft) = (announcement.unwrap(), report.unwrap(), draft.unwrap());

    // Mistakes are refused field by field, with what was typed kept and nothing written.
    let r = post_event(
        &editor,
        a,
        &[("version", "0"), ("starts", "next Tuesday"), ("time_zone", "Mars/Olympus"), ("place", "")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("“Mars/Olympus” is not a time zone"), "{page}");
    assert!(page.contains("Place: This field is required."), "{page}");
    assert!(page.contains(r#"value="Mars/Olympus""#), "typed text is kept");
    let r = post_event(
        &editor,
        a,
        &[
            ("version", "0"),
            ("starts", "2026-12-10T12:00"),
            ("ends", "2026-12-10T10:00"),
            ("time_zone", "Europe/Moscow"),
            ("place", "Geneva"),
            ("report", "no-such-article"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("The event ends before it starts"), "{page}");
    assert!(page.contains("No article was found at “no-such-article”"), "{page}");
    assert_eq!(s.state.store.event_of(a).await.unwrap(), None, "nothing half-written");

    // A good event, in the organizers' time zone.
    let good = [
        ("version", "0"),
        ("starts", "2026-12-10T10:00"),
        ("ends", "2026-12-10T12:00"),
        ("time_zone", "Europe/Moscow"),
        ("place", "Palais des Nations, Geneva <b>Room XX</b>"),
    ];
    let r = post_event(&editor, a, &good).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/admin/articles/{a}?saved=event#event"));
    let event = s.state.store.event_of(a).await.unwrap().expect("stored");
    assert_eq!(event.starts_at, "2026-12-10T07:00:00Z".parse::<jiff::Timestamp>().unwrap().as_second());
    assert_eq!(event.place, "Palais des Nations, Geneva Room XX", "plain text");
    let panel = editor.page(&format!("/admin/articles/{a}?saved=event")).await;
    assert!(panel.contains("Event saved.") && panel.contains(r#"value="2026-12-10T10:00""#), "{panel}");
    // A form filled before that change is refused rather than overwriting it.
    let r = post_event(&editor, a, &good).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("Someone changed this event meanwhile"));
    // A draft's event is nobody's business yet.
    let r = post_event(
        &editor,
        draft,
        &[("version", "0"), ("starts", "2026-12-11"), ("time_zone", "Europe/Moscow"), ("place", "Hidden")],
    )
    .await;
    assert_eq!(r.status(), 303);

    // Readers: the month's calendar, its list, the upcoming list.
    let calendar = s.page("/en/events").await;
    assert!(calendar.contains("<h2 id=\"month-title\">December 2026</h2>"), "{calendar}");
    let grid = between(&calendar, "<table class=\"events-calendar\">", "</table>");
    assert!(
        grid.contains(&format!(r##"<a href="#event-{a}" aria-label="Events on 10 December 2026">10</a>"##)),
        "{grid}"
    );
    assert!(grid.contains(r#"<td class="today" aria-current="date"><span>3</span></td>"#), "{grid}");
    let list = between(&calendar, "<ol class=\"events-list\">", "</ol>");
    assert!(list.contains(&format!("id=\"event-{a}\"")), "{list}");
    assert!(list.contains("10 December 2026, 10:00–12:00 (MSK)") && list.contains("Palais des Nations"));
    assert!(!calendar.contains("Secret visit") && !calendar.contains("Hidden"), "drafts stay hidden");
    let upcoming = between(&calendar, "<aside class=\"latest events-upcoming\"", "</aside>");
    assert!(upcoming.contains("Briefing on the summit"), "{upcoming}");
    let home = s.page("/en/").await;
    assert!(between(&home, "events-upcoming", "</aside>").contains("Briefing on the summit"), "{home}");
    assert!(home.contains(r#"href="/en/events""#), "in the navigation");
    let january = s.page("/en/events?month=2027-01").await;
    assert!(january.contains("No events in this month.") && january.contains("Briefing on the summit"));
    let r = s.get("/en/events?month=2026-13").await;
    assert_eq!(r.status(), 400);

    // The announcement's page: when and where, and a schema.org Event.
    let article = s.page("/en/news/briefing-on-the-summit").await;
    let box_ = between(&article, "<aside class=\"event-box\"", "</aside>");
    assert!(box_.contains("10 December 2026, 10:00–12:00 (MSK)") && box_.contains("Palais des Nations"));
    let ld = between(&article, "\"@type\":\"Event\"", "</script>");
    assert!(ld.contains(r#""startDate":"2026-12-10T10:00:00+03:00""#), "{ld}");
    assert!(ld.contains(r#""endDate":"2026-12-10T12:00:00+03:00""#), "{ld}");
    assert!(ld.contains(r#""location":{"#) && ld.contains("Palais des Nations"), "{ld}");

    // The iCalendar feed, in UTC, escaped and folded.
    let r = s.get("/en/events.ics").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    let ics = r.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"), "{ics}");
    let unfolded = ics.replace("\r\n ", "");
    assert!(unfolded.contains("DTSTART:20261210T070000Z\r\nDTEND:20261210T090000Z\r\n"), "{ics}");
    assert!(unfolded.contains("SUMMARY:Briefing on the summit\r\n"));
    assert!(unfolded.contains("LOCATION:Palais des Nations\\, Geneva Room XX\r\n"));
    assert!(unfolded.contains("URL:https://news.test.example/en/news/briefing-on-the-summit\r\n"));
    assert!(!ics.contains("Hidden"));
    assert!(ics.split("\r\n").all(|line| line.len() <= 75), "{ics}");

    // Afterwards, its report, named by its address.
    let r = post_event(
        &editor,
        a,
        &[
            ("version", "1"),
            ("starts", "2026-12-10T10:00"),
            ("ends", "2026-12-10T12:00"),
            ("time_zone", "Europe/Moscow"),
            ("place", "Palais des Nations"),
            ("report", "https://news.test.example/en/news/summit-report"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(s.state.store.event_of(a).await.unwrap().unwrap().report_id, Some(report));
    let calendar = s.page("/en/events").await;
    assert!(
        calendar.contains(r#"Report: <a href="/en/news/summit-report">Summit report</a>"#),
        "the page cache let go: {calendar}"
    );

    // Authors may not set events on what they may not edit.
    let author = sign_in(&s, "author@example.org").await;
    let csrf = csrf_in(&author.page("/admin").await);
    let r = author
        .post(
            &format!("/admin/articles/{a}/event"),
            &[("csrf", csrf.as_str()), ("version", "2"), ("action", "remove")],
        )
        .await;
    assert_eq!(r.status(), 403);

    // Removing it takes it off every list; every change is audited.
    let r = post_event(&editor, a, &[("version", "2"), ("action", "remove")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(s.state.store.event_of(a).await.unwrap(), None);
    assert!(!s.page("/en/events").await.contains("Briefing on the summit"));
    assert!(!s.page("/en/news/briefing-on-the-summit").await.contains("event-box"));
    let audit = s.state.store.audit_log(None, None, 50).await.unwrap();
    let actions: Vec<&str> =
        audit.iter().map(|e| e.action.as_str()).filter(|a| a.starts_with("event.")).collect();
    assert_eq!(actions, ["event.remove", "event.set", "event.set", "event.set"], "newest first");
    s.stop().await;
}

on_both_backends!(events_are_announced_listed_and_exported);
