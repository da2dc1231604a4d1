//! Dates as readers see them: in the site's time zone, formatted per language. Timestamps are
//! stored in UTC; this module is the only place that turns them into calendar dates and back.

use jiff::{Timestamp, ToSpan, Zoned, civil, tz::TimeZone};

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_RU_NOMINATIVE: [&str; 12] = [
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
];
const MONTHS_RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// `21.04.2025`: the list date on the sites Newsdesk replaces, in English and Russian alike.
pub fn short(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned(tz.clone()).strftime("%d.%m.%Y").to_string()
}

/// `21.04.2025 14:30`: when something happened, as the back office lists it.
pub fn short_with_time(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned(tz.clone()).strftime("%d.%m.%Y %H:%M").to_string()
}

/// `21 April 2025` or `21 апреля 2025`.
pub fn long(ts: Timestamp, tz: &TimeZone, lang: &str) -> String {
    long_date(civil_date(ts, tz), lang)
}

/// A calendar date as people write it: `21 April 2025` or `21 апреля 2025`.
pub fn long_date(d: civil::Date, lang: &str) -> String {
    let m = usize::try_from(d.month() - 1).unwrap_or(0);
    match lang {
        "ru" => format!("{} {} {}", d.day(), MONTHS_RU_GENITIVE[m], d.year()),
        _ => format!("{} {} {}", d.day(), MONTHS_EN[m], d.year()),
    }
}

/// The name of a month for headings: `April` or `Апрель`.
pub fn month_name(month: i8, lang: &str) -> &'static str {
    let m = usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0);
    match lang {
        "ru" => MONTHS_RU_NOMINATIVE[m],
        _ => MONTHS_EN[m],
    }
}

/// RFC 3339 with the site's offset, for `<time datetime>`, feeds and structured data.
pub fn rfc3339(ts: Timestamp, tz: &TimeZone) -> String {
    ts.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// The calendar date of a timestamp in the site's time zone.
pub fn civil_date(ts: Timestamp, tz: &TimeZone) -> civil::Date {
    ts.to_zoned(tz.clone()).date()
}

/// A date or time that cannot be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date; use 2025-04-21, 2025-04-21 10:30 or 2025-04-21T10:30:00+03:00")]
pub struct BadDate(pub String);

/// Parses a publication date: RFC 3339 with an offset, or a local date and time (or a date
/// alone, meaning midnight) in the site's time zone.
pub fn parse(input: &str, tz: &TimeZone) -> Result<Timestamp, BadDate> {
    let s = input.trim();
    let bad = || BadDate(input.to_string());
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(z) = s.parse::<Zoned>() {
        return Ok(z.timestamp());
    }
    let local: civil::DateTime = if s.len() == 10 {
        s.parse::<civil::Date>().map_err(|_| bad())?.to_datetime(civil::Time::midnight())
    } else {
        s.replacen(' ', "T", 1).parse::<civil::DateTime>().map_err(|_| bad())?
    };
    local.to_zoned(tz.clone()).map(|z| z.timestamp()).map_err(|_| bad())
}

/// Parses a calendar date `YYYY-MM-DD`.
pub fn parse_date(input: &str) -> Result<civil::Date, BadDate> {
    input.trim().parse::<civil::Date>().map_err(|_| BadDate(input.to_string()))
}

/// The half-open span of time `[start, end)` covering the given calendar days in the site's
/// time zone (both ends inclusive as days).
pub fn day_span(from: civil::Date, to: civil::Date, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
    let start = from.to_zoned(tz.clone()).ok()?.timestamp();
    let end = to.checked_add(1.day()).ok()?.to_zoned(tz.clone()).ok()?.timestamp();
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moscow() -> TimeZone {
        TimeZone::get("Europe/Moscow").unwrap()
    }

    #[test]
    fn formats_per_locale_in_the_site_time_zone() {
        // 22:30 UTC on the 20th is already the 21st in Moscow.
        let ts: Timestamp = "2025-04-20T22:30:00Z".parse().unwrap();
        assert_eq!(short(ts, &moscow()), "21.04.2025");
        assert_eq!(short_with_time(ts, &moscow()), "21.04.2025 01:30");
        assert_eq!(long(ts, &moscow(), "en"), "21 April 2025");
        assert_eq!(long(ts, &moscow(), "ru"), "21 апреля 2025");
        assert_eq!(rfc3339(ts, &moscow()), "2025-04-21T01:30:00+03:00");
        assert_eq!(month_name(4, "ru"), "Апрель");
    }

    #[test]
    fn parses_offsets_local_times_and_dates() {
        let tz = moscow();
        let want: Timestamp = "2025-04-21T07:30:00Z".parse().unwrap();
        assert_eq!(parse("2025-04-21T10:30:00+03:00", &tz).unwrap(), want);
        assert_eq!(parse("2025-04-21 10:30", &tz).unwrap(), want);
        assert_eq!(parse("2025-04-21T10:30:00", &tz).unwrap(), want);
        assert_eq!(parse("2025-04-21", &tz).unwrap(), "2025-04-20T21:00:00Z".parse().unwrap());
        for bad in ["", "yesterday", "2025-13-01", "21.04.2025", "2025-02-30"] {
            assert!(parse(bad, &tz).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn day_spans_cover_whole_local_days() {
        let d = parse_date("2025-04-21").unwrap();
        let (start, end) = day_span(d, d, &moscow()).unwrap();
        assert_eq!(start, "2025-04-20T21:00:00Z".parse().unwrap());
        assert_eq!(end, "2025-04-21T21:00:00Z".parse().unwrap());
    }
}
