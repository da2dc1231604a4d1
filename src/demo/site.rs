//! The hand-written demo site: the press office of a fictional regional security organization,
//! the Eurasian Cooperation Council, with about four months of news in English and Russian.
//!
//! It exists so that a first run, a screenshot or a manual test shows a site that looks like
//! the real thing: translated pairs next to single-language items, every section populated,
//! quotes, subheadings, lists and tables in bodies, and a couple of drafts and scheduled items
//! that must stay hidden. All dates are relative to the `now` passed in, so the demo always
//! looks fresh, and nothing else varies, so tests can rely on it.
//!
//! The stories are data, in `stories.toml` beside this file, built into the binary; bodies are
//! assembled from each story's paragraphs, quote and table or list, followed by one of a few
//! standard press-release closings.

use crate::domain::markup::{escape, sanitize_html};
use crate::domain::{ArticleInput, Lang, Status};
use crate::storage::SectionInput;
use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::{self, TimeZone};
use std::collections::BTreeMap;

/// Slug, English name and Russian name of each section, in navigation order.
const SECTIONS: [(&str, &str, &str); 5] = [
    ("news", "News", "Новости"),
    ("secretariat", "Secretariat", "Секретариат"),
    ("joint-staff", "Joint Staff", "Объединённый штаб"),
    ("parliamentary-assembly", "Parliamentary Assembly", "Парламентская ассамблея"),
    ("activities", "Activities", "Мероприятия"),
];

/// The demo site's sections, named in English and Russian, in navigation order.
///
/// Shared by the demo site and the benchmark corpus so both file articles under the same
/// sections.
pub fn sections() -> Vec<SectionInput> {
    SECTIONS
        .iter()
        .zip(0..)
        .map(|(&(slug, en, ru), position)| SectionInput {
            slug: slug.to_string(),
            names: BTreeMap::from([("en".to_string(), en.to_string()), ("ru".to_string(), ru.to_string())]),
            position,
        })
        .collect()
}

/// "Media about us" for the demo: what fictional outlets wrote about the Council, in both
/// languages, dated a few days to weeks before `now`.
pub fn clippings(now: Timestamp) -> Vec<crate::storage::clippings::ClippingText> {
    const ITEMS: [(&str, &str, i64, &str, &str, &str); 5] = [
        (
            "en",
            "The Caspian Herald",
            3,
            "Council opens its archive to researchers",
            "https://herald.example/council-archive",
            "A rare example of openness among regional organizations.",
        ),
        (
            "en",
            "Eurasia Wire",
            12,
            "Joint exercise ends without incident",
            "https://wire.example/joint-exercise-ends",
            "",
        ),
        (
            "en",
            "Steppe Daily",
            27,
            "What the new Secretary General plans",
            "https://steppe.example/secretary-general-plans",
            "We will publish every decision the day it is taken.",
        ),
        (
            "ru",
            "Вестник Прикаспия",
            5,
            "Совет открыл архив для исследователей",
            "https://vestnik.example/arkhiv-soveta",
            "Редкий пример открытости среди региональных организаций.",
        ),
        (
            "ru",
            "Евразия сегодня",
            19,
            "Парламентская ассамблея обсудила бюджет",
            "https://eurasia-today.example/byudzhet",
            "",
        ),
    ];
    let zone = TimeZone::fixed(tz::offset(3));
    let today = now.to_zoned(zone).date();
    ITEMS
        .iter()
        .map(|&(lang, outlet, days_ago, title, url, quote)| crate::storage::clippings::ClippingText {
            lang: lang.into(),
            outlet: outlet.into(),
            published_on: today.checked_sub(jiff::Span::new().days(days_ago)).unwrap_or(today).to_string(),
            title: title.into(),
            url: url.into(),
            quote: quote.into(),
        })
        .collect()
}

/// The demo site: its sections and its articles, dated relative to `now`.
///
/// Published articles fall on weekdays at office hours (Moscow time, UTC+3) over the four
/// months before `now`, the newest on the last working day; two scheduled articles (one story in
/// both languages) are due a few working days after `now`, and two drafts have no public life
/// at all. The result depends only on `now`.
pub fn demo_site(now: Timestamp) -> (Vec<SectionInput>, Vec<ArticleInput>) {
    let zone = TimeZone::fixed(tz::offset(3));
    let today = now.to_zoned(zone.clone()).date();
    let en = Lang::parse("en").expect("en is a valid language code");
    let ru = Lang::parse("ru").expect("ru is a valid language code");
    let stories = stories();
    let mut articles = Vec::with_capacity(stories.len() * 2);
    for (story, n) in stories.iter().zip(1usize..) {
        let publish_at = story.when().timestamp(today, &zone);
        let versions = [(&en, &story.en, &CLOSINGS_EN), (&ru, &story.ru, &CLOSINGS_RU)];
        for (lang, text, closings) in versions {
            let Some(text) = text else { continue };
            articles.push(ArticleInput {
                external_id: Some(format!("demo-{n}-{lang}")),
                translation_key: Some(format!("demo-{n}")),
                lang: lang.clone(),
                section_slug: story.section.clone(),
                slug: None,
                title: text.title.clone(),
                lead: text.lead.clone(),
                body_html: body(text, closings[n % closings.len()]),
                status: story.status,
                publish_at,
                created_at: None,
                updated_at: None,
                tags: tags_for(lang, text),
                extras: Default::default(),
            });
        }
    }
    (sections(), articles)
}

/// Assembles a body: first paragraph, the quote (introduced by its own paragraph), the other
/// paragraphs, the list or table under a subheading, and the closing paragraph.
fn body(text: &Text, closing: &str) -> String {
    let mut html = String::with_capacity(4_096);
    let (first, rest) = text.paras.split_first().expect("every story has a paragraph");
    paragraph(&mut html, first);
    if let Some(quote) = &text.quote {
        paragraph(&mut html, &quote.intro);
        html.push_str("\n<blockquote><p>");
        html.push_str(&escape(&quote.words));
        html.push_str("</p></blockquote>");
    }
    for p in rest {
        paragraph(&mut html, p);
    }
    if let Some(List { heading, items }) = &text.list {
        subheading(&mut html, heading);
        html.push_str("\n<ul>");
        for item in items {
            element(&mut html, "li", item);
        }
        html.push_str("</ul>");
    }
    if let Some(Table { heading, head, rows }) = &text.table {
        subheading(&mut html, heading);
        html.push_str("\n<table><thead><tr>");
        for cell in head {
            element(&mut html, "th", cell);
        }
        html.push_str("</tr></thead><tbody>");
        for row in rows {
            html.push_str("<tr>");
            for cell in row {
                element(&mut html, "td", cell);
            }
            html.push_str("</tr>");
        }
        html.push_str("</tbody></table>");
    }
    paragraph(&mut html, closing);
    sanitize_html(&html)
}

/// `<tag>text</tag>`, the text escaped.
fn element(html: &mut String, tag: &str, text: &str) {
    html.push('<');
    html.push_str(tag);
    html.push('>');
    html.push_str(&escape(text));
    html.push_str("</");
    html.push_str(tag);
    html.push('>');
}

fn paragraph(html: &mut String, text: &str) {
    if !html.is_empty() {
        html.push('\n');
    }
    element(html, "p", text);
}

fn subheading(html: &mut String, text: &str) {
    html.push('\n');
    element(html, "h2", text);
}

/// When a story appears, in Moscow time: `days` working days before or after today, at `hour:minute`.
#[derive(Clone, Copy)]
struct When {
    days: u32,
    forward: bool,
    hour: i8,
    minute: i8,
}

impl When {
    const fn ago(days: u32, hour: i8, minute: i8) -> When {
        When { days, forward: false, hour, minute }
    }

    const fn ahead(days: u32, hour: i8, minute: i8) -> When {
        When { days, forward: true, hour, minute }
    }

    fn timestamp(self, today: Date, zone: &TimeZone) -> Timestamp {
        let date = working_day(today, self.days, self.forward);
        date.at(self.hour, self.minute, 0, 0)
            .to_zoned(zone.clone())
            .expect("demo dates are near now")
            .timestamp()
    }
}

/// The `n`th working day (Monday to Friday) before or after `today`.
fn working_day(today: Date, n: u32, forward: bool) -> Date {
    let mut date = today;
    let mut left = n;
    while left > 0 {
        date = if forward { date.tomorrow() } else { date.yesterday() }.expect("demo dates are near now");
        if !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            left -= 1;
        }
    }
    date
}

/// Topics the demo tags by: (a word stem in English, in Russian, the tag in each language).
const TOPICS: &[(&str, &str, &str, &str)] = &[
    ("secretary general", "генеральн", "Secretary General", "Генеральный секретарь"),
    ("peacekeep", "миротвор", "peacekeeping", "миротворчество"),
    ("exercise", "учени", "exercises", "учения"),
    ("security", "безопасност", "security", "безопасность"),
    ("parliament", "парламент", "Parliamentary Assembly", "Парламентская ассамблея"),
    ("youth", "молодёж", "youth", "молодёжь"),
    ("humanitarian", "гуманитарн", "humanitarian aid", "гуманитарная помощь"),
    ("terror", "террор", "counter-terrorism", "противодействие терроризму"),
];

/// The demo's tags for one language version: the topics its title and lead mention.
fn tags_for(lang: &Lang, text: &Text) -> Vec<String> {
    let haystack = format!("{} {}", text.title, text.lead).to_lowercase();
    TOPICS
        .iter()
        .filter(|(en, ru, ..)| haystack.contains(if lang.as_str() == "ru" { ru } else { en }))
        .map(|(_, _, en, ru)| if lang.as_str() == "ru" { ru } else { en }.to_string())
        .collect()
}

/// The stories, newest first, as written in `stories.toml` (the file says how).
static STORIES_TOML: &str = include_str!("stories.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StoriesFile {
    story: Vec<Story>,
}

/// One story: one or two language versions sharing a section, a date and a status.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Story {
    section: String,
    /// Working days before today.
    ago: Option<u32>,
    /// Working days after today.
    ahead: Option<u32>,
    /// Time of day in Moscow, `HH:MM`.
    at: String,
    status: Status,
    en: Option<Text>,
    ru: Option<Text>,
}

impl Story {
    fn when(&self) -> When {
        let (hour, minute) = self.at.split_once(':').expect("a story's `at` is HH:MM");
        let hour = hour.parse().expect("a story's hour is a number");
        let minute = minute.parse().expect("a story's minute is a number");
        match (self.ago, self.ahead) {
            (Some(days), None) => When::ago(days, hour, minute),
            (None, Some(days)) => When::ahead(days, hour, minute),
            _ => panic!("a story has either `ago` or `ahead`"),
        }
    }
}

/// One language version of a story.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Text {
    title: String,
    /// Plain text, one or two sentences.
    lead: String,
    /// Plain text paragraphs; the quote goes after the first one.
    paras: Vec<String>,
    quote: Option<Quote>,
    list: Option<List>,
    table: Option<Table>,
}

/// An official's words: a paragraph introducing the speaker, then the words as a blockquote.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Quote {
    intro: String,
    words: String,
}

/// A list under a subheading, after the story's paragraphs.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct List {
    heading: String,
    items: Vec<String>,
}

/// A table under a subheading, after the story's paragraphs.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    heading: String,
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The stories of `stories.toml`, newest first. The file is part of the binary and checked by
/// the tests below, so a mistake in it cannot reach a running site.
fn stories() -> Vec<Story> {
    let file: StoriesFile = toml::from_str(STORIES_TOML).expect("src/demo/stories.toml is valid (tested)");
    file.story
}

/// Standard last paragraphs of a press release, one per story in turn.
const CLOSINGS_EN: [&str; 3] = [
    "The Eurasian Cooperation Council is an intergovernmental organization of six member states. It coordinates their work on collective security, crisis response and countering transnational threats.",
    "Journalists who wish to receive the Council’s press releases may write to the press office. Accreditation for upcoming events opens two weeks before each event.",
    "More information about the Council’s work is available in the sections of this website and in the annual report of the Secretary General.",
];

const CLOSINGS_RU: [&str; 3] = [
    "Евразийский совет сотрудничества — межправительственная организация, объединяющая шесть государств-членов. Совет координирует их работу в сфере коллективной безопасности, реагирования на кризисы и противодействия трансграничным угрозам.",
    "Журналисты, желающие получать пресс-релизы Совета, могут обратиться в пресс-службу. Аккредитация на предстоящие мероприятия открывается за две недели до их начала.",
    "Подробнее о деятельности Совета можно узнать в разделах этого сайта и в ежегодном докладе Генерального секретаря.",
];

/// An event a demo story announces: when (in `time_zone`, wall-clock), where, and the story
/// that reported on it.
#[derive(Debug, Clone)]
pub struct DemoEvent {
    /// The announcing story's number (its translation key is `demo-<n>`).
    pub story: usize,
    pub starts: String,
    pub ends: String,
    pub time_zone: &'static str,
    pub place_en: &'static str,
    pub place_ru: &'static str,
    pub report: Option<usize>,
}

/// The demo's events: two ahead, one past with its report, dated around `now`.
pub fn events(now: Timestamp) -> Vec<DemoEvent> {
    let zone = TimeZone::fixed(tz::offset(3));
    let today = now.to_zoned(zone.clone()).date();
    let local = |when: When| {
        when.timestamp(today, &zone).to_zoned(zone.clone()).strftime("%Y-%m-%dT%H:%M").to_string()
    };
    vec![
        DemoEvent {
            story: 48,
            starts: local(When::ahead(4, 11, 0)),
            ends: local(When::ahead(4, 13, 0)),
            time_zone: "Europe/Moscow",
            place_en: "Press centre of the Secretariat, 12 Pokrovka Street, Moscow",
            place_ru: "Пресс-центр Секретариата, Москва, ул. Покровка, 12",
            report: None,
        },
        DemoEvent {
            story: 49,
            starts: local(When::ahead(9, 10, 0)),
            ends: local(When::ahead(10, 17, 0)),
            time_zone: "Europe/Minsk",
            place_en: "Palace of Independence, Minsk",
            place_ru: "Дворец Независимости, Минск",
            report: None,
        },
        DemoEvent {
            story: 50,
            starts: local(When::ago(10, 10, 0)),
            ends: local(When::ago(8, 13, 0)),
            time_zone: "Europe/Minsk",
            place_en: "Belarusian State University, Minsk",
            place_ru: "Белорусский государственный университет, Минск",
            report: Some(6),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::slug::slugify;
    use std::collections::{HashMap, HashSet};

    fn now() -> Timestamp {
        "2025-06-18T09:30:00Z".parse().unwrap()
    }

    fn langs() -> Vec<Lang> {
        vec![Lang::parse("en").unwrap(), Lang::parse("ru").unwrap()]
    }

    fn published(articles: &[ArticleInput]) -> Vec<&ArticleInput> {
        articles.iter().filter(|a| a.status == Status::Published).collect()
    }

    #[test]
    fn sections_have_names_in_both_languages_and_distinct_positions() {
        let sections = sections();
        let slugs: Vec<&str> = sections.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, ["news", "secretariat", "joint-staff", "parliamentary-assembly", "activities"]);
        assert_eq!(sections[0].names["ru"], "Новости");
        assert_eq!(sections[0].position, 0);
        let positions: HashSet<i64> = sections.iter().map(|s| s.position).collect();
        assert_eq!(positions.len(), sections.len());
        for s in &sections {
            assert!(crate::domain::slug::is_valid(&s.slug));
            assert!(!s.names["en"].is_empty() && !s.names["ru"].is_empty());
        }
    }

    #[test]
    fn there_are_enough_articles_and_translation_pairs() {
        let (_, articles) = demo_site(now());
        let public = published(&articles);
        assert!(public.len() >= 64, "only {} published articles", public.len());
        let mut by_key: HashMap<&str, Vec<&ArticleInput>> = HashMap::new();
        for a in &public {
            by_key.entry(a.translation_key.as_deref().unwrap()).or_default().push(a);
        }
        let pairs: Vec<_> = by_key.values().filter(|v| v.len() == 2).collect();
        assert!(pairs.len() >= 20, "only {} translated pairs", pairs.len());
        for pair in pairs {
            let langs: HashSet<&str> = pair.iter().map(|a| a.lang.as_str()).collect();
            assert_eq!(langs, HashSet::from(["en", "ru"]));
            assert_eq!(pair[0].section_slug, pair[1].section_slug);
            assert_eq!(pair[0].publish_at, pair[1].publish_at);
        }
        let singles: Vec<_> = by_key.values().filter(|v| v.len() == 1).map(|v| v[0].lang.as_str()).collect();
        assert!(singles.contains(&"en") && singles.contains(&"ru"), "single items in both languages");
    }

    #[test]
    fn every_input_validates() {
        let (_, articles) = demo_site(now());
        let mut ids = HashSet::new();
        for a in &articles {
            a.validate(&langs()).unwrap_or_else(|e| panic!("{}: {e}", a.title));
            assert_eq!(a.slug, None);
            assert_eq!((a.created_at, a.updated_at), (None, None));
            let id = a.external_id.as_deref().unwrap();
            let key = a.translation_key.as_deref().unwrap();
            assert_eq!(id, format!("{key}-{}", a.lang));
            assert!(ids.insert(id.to_string()), "duplicate external id {id}");
        }
    }

    #[test]
    fn exactly_two_scheduled_and_two_drafts() {
        let (_, articles) = demo_site(now());
        let count = |s| articles.iter().filter(|a| a.status == s).count();
        assert_eq!(count(Status::Scheduled), 2);
        assert_eq!(count(Status::Draft), 2);
    }

    #[test]
    fn dates_are_past_for_published_and_future_for_scheduled() {
        // Several "nows", including a weekend and a time just after midnight in Moscow.
        for now in
            ["2025-06-18T09:30:00Z", "2025-06-21T22:00:00Z", "2024-12-30T21:05:00Z", "2026-03-02T05:59:00Z"]
        {
            let now: Timestamp = now.parse().unwrap();
            let (_, articles) = demo_site(now);
            let zone = TimeZone::fixed(tz::offset(3));
            for a in &articles {
                match a.status {
                    Status::Published => assert!(a.publish_at < now, "{} is not in the past", a.title),
                    Status::Scheduled => {
                        assert!(a.publish_at > now + jiff::SignedDuration::from_hours(24), "{}", a.title);
                        assert!(a.publish_at < now + jiff::SignedDuration::from_hours(24 * 8), "{}", a.title);
                    }
                    Status::Draft => {}
                }
                assert_eq!(a.status.normalized(a.publish_at, now), a.status);
                let local = a.publish_at.to_zoned(zone.clone());
                assert!((9..18).contains(&local.hour()), "{} at {local}", a.title);
                assert!(
                    !matches!(local.weekday(), Weekday::Saturday | Weekday::Sunday),
                    "{} on {local}",
                    a.title
                );
            }
            let public = published(&articles);
            let newest = public.iter().map(|a| a.publish_at).max().unwrap();
            let oldest = public.iter().map(|a| a.publish_at).min().unwrap();
            assert!(now.duration_since(newest) < jiff::SignedDuration::from_hours(24 * 4));
            let span = now.duration_since(oldest);
            assert!(
                span > jiff::SignedDuration::from_hours(24 * 100)
                    && span < jiff::SignedDuration::from_hours(24 * 130)
            );
            // Several per week: no gap between consecutive stories longer than a week.
            let mut dates: Vec<Timestamp> = public.iter().map(|a| a.publish_at).collect();
            dates.sort();
            for w in dates.windows(2) {
                assert!(w[1].duration_since(w[0]) <= jiff::SignedDuration::from_hours(24 * 7));
            }
        }
    }

    #[test]
    fn clippings_are_past_and_in_both_languages() {
        let today = now().to_zoned(TimeZone::fixed(tz::offset(3))).date().to_string();
        let list = clippings(now());
        assert!(list.iter().all(|c| c.published_on < today && c.url.starts_with("https://")));
        assert!(list.iter().any(|c| c.lang == "en") && list.iter().any(|c| c.lang == "ru"));
    }

    #[test]
    fn every_story_parses_with_one_date_and_a_time_of_day() {
        let stories = stories();
        assert_eq!(stories.len(), 50);
        for (story, n) in stories.iter().zip(1..) {
            assert!(story.ago.is_some() != story.ahead.is_some(), "story {n}: `ago` or `ahead`, one of them");
            let When { hour, minute, .. } = story.when();
            assert!((0..24).contains(&hour) && (0..60).contains(&minute), "story {n} at {}", story.at);
            assert!(story.en.is_some() || story.ru.is_some(), "story {n} has no text");
            for text in [&story.en, &story.ru].into_iter().flatten() {
                assert!(
                    !(text.list.is_some() && text.table.is_some()),
                    "story {n}: a list or a table, not both"
                );
                assert!(
                    text.table.iter().all(|t| t.rows.iter().all(|r| r.len() == t.head.len())),
                    "story {n}"
                );
            }
        }
    }

    #[test]
    fn demo_is_deterministic() {
        assert_eq!(demo_site(now()), demo_site(now()));
    }

    #[test]
    fn titles_and_slugs_are_unique_per_language() {
        let (_, articles) = demo_site(now());
        let mut titles = HashSet::new();
        let mut slugs = HashSet::new();
        for a in &articles {
            let slug = slugify(&a.title);
            assert!(!slug.is_empty(), "{}", a.title);
            assert!(titles.insert((a.lang.clone(), a.title.clone())), "duplicate title {}", a.title);
            assert!(slugs.insert((a.lang.clone(), slug)), "duplicate slug for {}", a.title);
        }
    }

    #[test]
    fn every_section_is_used_and_exists() {
        let (sections, articles) = demo_site(now());
        let known: HashSet<&str> = sections.iter().map(|s| s.slug.as_str()).collect();
        let used: HashSet<&str> = published(&articles).iter().map(|a| a.section_slug.as_str()).collect();
        assert_eq!(used, known);
    }

    #[test]
    fn texts_are_in_their_language_and_bodies_are_well_formed() {
        let (_, articles) = demo_site(now());
        let cyrillic = |s: &str| s.chars().filter(|c| ('\u{0400}'..='\u{04FF}').contains(c)).count();
        for a in &articles {
            let letters = a.title.chars().filter(|c| c.is_alphabetic()).count();
            if a.lang.as_str() == "ru" {
                assert!(cyrillic(&a.title) * 10 >= letters * 8, "{}", a.title);
                assert!(cyrillic(&a.body_html) > 300, "{}", a.title);
            } else {
                assert_eq!(cyrillic(&a.title) + cyrillic(&a.lead) + cyrillic(&a.body_html), 0, "{}", a.title);
            }
            assert!(!a.lead.contains('<') && !a.lead.is_empty(), "{}", a.title);
            let sentences = a.lead.matches(['.', '!', '?']).count();
            assert!((1..=2).contains(&sentences), "lead of {}", a.title);
            assert_eq!(sanitize_html(&a.body_html), a.body_html, "{}", a.title);
            // Paragraphs outside quotes.
            let paragraphs = a.body_html.matches("<p>").count() - a.body_html.matches("<blockquote>").count();
            assert!((3..=7).contains(&paragraphs), "{} has {paragraphs} paragraphs", a.title);
        }
        let public = published(&articles);
        for (tag, at_least) in [("<blockquote><p>", 40), ("<h2>", 20), ("<ul>", 15), ("<table>", 8)] {
            let n = public.iter().filter(|a| a.body_html.contains(tag)).count();
            assert!(n >= at_least, "only {n} bodies with {tag}");
        }
    }
}
