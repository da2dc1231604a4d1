//! Generated corpora for benchmarks and load tests.
//!
//! A corpus is a deterministic function of its size and of "now": article `i` of a corpus of
//! `total` articles is always the same, however the corpus is cut into chunks, so importers can
//! stream hundreds of thousands of articles without holding them in memory and two runs of a
//! benchmark see the same data.
//!
//! Articles come in translated pairs: indices `2k` (English) and `2k + 1` (Russian) are the same
//! story, built from the same random choices over parallel English and Russian phrase pools, so
//! the Russian text really is a sentence-by-sentence translation of the English one. Bodies are
//! about 600 words of grammatical-looking prose with quotes and subheadings, and the pools use
//! several inflected forms of the same words ("conference"/"conferences", "конференция"/
//! "конференции"/"конференцию") so that search stemming can be measured on the corpus.
//!
//! Generation is cheap: one string per field, phrase word counts computed at compile time, and a
//! splitmix64 generator seeded by the pair index.

use super::site::sections;
use crate::domain::{ArticleInput, Lang, Status};
use jiff::{SignedDuration, Timestamp};
use std::fmt::Write as _;

/// Publish dates are spread over this many seconds before `now`: ten years, counted with the
/// smallest number of leap days ten calendar years can contain, so every date is within ten
/// calendar years of `now`.
const TEN_YEARS_SECS: u64 = (10 * 365 + 2) * 86_400;

/// Articles `start .. start + count` (clipped to `total`) of a deterministic corpus of `total`
/// articles, dated over the ten years before `now`.
///
/// Benchmarks and load tests need realistic volumes of bilingual content without shipping it:
/// this generates it on demand, chunk by chunk, so memory stays flat whatever `total` is.
/// Article `i` depends only on `i`, `total` and `now`, never on how the corpus is chunked.
pub fn corpus_chunk(start: usize, count: usize, total: usize, now: Timestamp) -> Vec<ArticleInput> {
    let end = start.saturating_add(count).min(total);
    if start >= end {
        return Vec::new();
    }
    let mut slugs: Vec<String> = sections().into_iter().map(|s| s.slug).collect();
    if slugs.is_empty() {
        slugs.push("news".to_string());
    }
    let en = Lang::parse("en").expect("en is a valid language code");
    let ru = Lang::parse("ru").expect("ru is a valid language code");
    let pairs = total.div_ceil(2) as u64;
    (start..end)
        .map(|i| {
            let lang = if i % 2 == 0 { &en } else { &ru };
            article(i, pairs, now, &slugs, lang)
        })
        .collect()
}

/// Builds article `i`; `pairs` is the number of stories (translation keys) in the corpus.
fn article(i: usize, pairs: u64, now: Timestamp, slugs: &[String], lang: &Lang) -> ArticleInput {
    let story = (i / 2) as u64;
    let english = i.is_multiple_of(2);
    let mut rng = Rng::new(story);

    // Oldest story first: story 0 is almost ten years old, the last one a moment ago.
    let age = (u128::from(TEN_YEARS_SECS) * u128::from(pairs - story) / u128::from(pairs + 1)).max(1);
    let publish_at = now - SignedDuration::from_secs(age as i64);

    let section = slugs[rng.below(slugs.len())].clone();
    let head = rng.pick(HEADS);
    let topic = rng.pick(TITLE_TOPICS);
    let place = rng.pick(PLACES);

    let mut title = W::new(english, 160);
    title.f(head);
    title.raw(" ");
    title.f(topic);
    title.raw(" ");
    title.f(place);
    title.raw(" · ");
    title.num(story);

    let mut lead = W::new(english, 400);
    lead.cap(place);
    if english {
        lead.raw(",");
    }
    lead.raw(" ");
    action_clause(&mut lead, &mut rng);
    if rng.below(2) == 0 {
        lead.raw(" ");
        statement(&mut lead, &mut rng);
    }

    let mut body = W::new(english, if english { 5_200 } else { 9_000 });
    let target = 600 + rng.below(30) as u32;
    write_body(&mut body, &mut rng, target);

    ArticleInput {
        external_id: Some(format!("corpus-{i}")),
        translation_key: Some(format!("corpus-t{story}")),
        lang: lang.clone(),
        section_slug: section,
        slug: None,
        title: title.s,
        lead: lead.s,
        body_html: body.s,
        status: Status::Published,
        publish_at,
        created_at: None,
        updated_at: None,
        tags: Vec::new(),
        extras: Default::default(),
    }
}

/// The body: paragraphs of three to five sentences until about `target` words, with a quoted
/// official after the second paragraph (and sometimes later) and an occasional subheading.
///
/// Every random choice is drawn in the same order in both languages, and the only decision
/// taken on the length of one language is when to stop. Russian needs about a quarter fewer
/// words than English to say the same, so a Russian body is the translation of its English
/// twin followed by a few more sentences, and both come out at about `target` words.
fn write_body(w: &mut W, rng: &mut Rng, target: u32) {
    let mut para = 0;
    while w.words() < target {
        let second_quote = rng.below(2) == 0 && w.words_both() + 150 < target;
        if para == 2 || (para == 5 && second_quote) {
            quote(w, rng);
        }
        if para == 3 && rng.below(2) == 0 {
            w.block("<h2>");
            w.f(rng.pick(SUBHEADS));
            w.raw("</h2>");
        }
        w.block("<p>");
        let sentences = 3 + rng.below(3);
        for j in 0..sentences {
            if j > 0 {
                w.raw(" ");
            }
            sentence(w, rng);
            if w.words() >= target {
                break;
            }
        }
        w.raw("</p>");
        para += 1;
    }
}

/// "The Chief of the Joint Staff said:" followed by a two-sentence blockquote.
fn quote(w: &mut W, rng: &mut Rng) {
    w.block("<p>");
    w.f(rng.pick(SPEAKERS));
    w.raw("</p>");
    let first = rng.below(QUOTES.len());
    let second = (first + 1 + rng.below(QUOTES.len() - 1)) % QUOTES.len();
    w.block("<blockquote><p>");
    w.raw(if w.en { "“" } else { "«" });
    w.f(&QUOTES[first]);
    w.raw(". ");
    w.f(&QUOTES[second]);
    w.raw(if w.en { ".”" } else { "»." });
    w.raw("</p></blockquote>");
}

/// One sentence of running text, of one of four kinds.
fn sentence(w: &mut W, rng: &mut Rng) {
    match rng.below(20) {
        0..=8 => {
            w.f(rng.pick(INTROS));
            w.raw(" ");
            action_clause(w, rng);
        }
        9..=13 => statement(w, rng),
        14..=16 => numbers(w, rng),
        _ => w.f(rng.pick(STOCK)),
    }
}

/// "the delegations discussed the plan of joint exercises in a constructive atmosphere."
fn action_clause(w: &mut W, rng: &mut Rng) {
    w.f(rng.pick(ACTIONS));
    w.raw(" ");
    w.f(rng.pick(OBJECTS));
    if rng.below(5) < 3 {
        w.raw(" ");
        w.f(rng.pick(TAILS));
    }
    w.raw(".");
}

/// "Border security remains one of the Council's priorities."
fn statement(w: &mut W, rng: &mut Rng) {
    w.cap(rng.pick(TOPICS));
    w.raw(" ");
    w.f(rng.pick(PREDICATES));
    w.raw(".");
}

/// Sentences with figures, with Russian nouns agreeing with their numerals.
fn numbers(w: &mut W, rng: &mut Rng) {
    let event = rng.pick(EVENTS);
    match rng.below(5) {
        0 => {
            let n = rng.range(40, 480);
            w.f(&NUM_PARTICIPANTS);
            w.raw(" ");
            w.f(&event.genitive);
            w.raw(" ");
            w.f(&NUM_REACHED);
            w.raw(" ");
            w.num(n);
            w.f(plural(n, &PEOPLE));
        }
        1 => {
            let n = rng.range(2, 6);
            w.f(&NUM_DELEGATIONS);
            w.raw(" ");
            w.num(n);
            w.raw(" ");
            w.f(&NUM_TOOK_PART);
            w.raw(" ");
            w.f(&event.locative);
        }
        2 => {
            let n = rng.range(2, 5);
            w.cap(&event.nominative);
            w.raw(" ");
            w.f(&NUM_WILL_LAST);
            w.raw(" ");
            w.num(n);
            w.f(plural(n, &DAYS));
        }
        3 => {
            let (n, m) = (rng.range(3, 12), rng.range(2, 5));
            w.f(&NUM_PROGRAMME);
            w.raw(" ");
            w.num(n);
            w.f(plural(n, &SESSIONS));
            w.f(&NUM_AND);
            w.num(m);
            w.f(plural(m, &ROUND_TABLES));
        }
        _ => {
            let n = rng.range(50, 900);
            w.f(&NUM_SINCE);
            w.raw(" ");
            w.num(n);
            w.f(plural(n, &OFFICERS));
        }
    }
    w.raw(".");
}

/// Picks the Russian form for `n` (one, few, many: 1 день, 2 дня, 5 дней); the English text of
/// all three forms is the same plural.
fn plural(n: u64, forms: &[F; 3]) -> &F {
    let (d10, d100) = (n % 10, n % 100);
    if d10 == 1 && d100 != 11 {
        &forms[0]
    } else if (2..=4).contains(&d10) && !(12..=14).contains(&d100) {
        &forms[1]
    } else {
        &forms[2]
    }
}

/// Builds one text in one language, counting the words of both languages as it goes.
struct W {
    s: String,
    en: bool,
    words_en: u32,
    words_ru: u32,
}

impl W {
    fn new(en: bool, capacity: usize) -> Self {
        W { s: String::with_capacity(capacity), en, words_en: 0, words_ru: 0 }
    }

    /// Words so far in the language being written: decides when a body is long enough.
    fn words(&self) -> u32 {
        if self.en { self.words_en } else { self.words_ru }
    }

    /// Words so far, averaged over both languages: the same in both versions of a story, so
    /// decisions based on it keep the two versions parallel.
    fn words_both(&self) -> u32 {
        (self.words_en + self.words_ru) / 2
    }

    fn f(&mut self, f: &F) {
        self.s.push_str(if self.en { f.en } else { f.ru });
        self.words_en += u32::from(f.words_en);
        self.words_ru += u32::from(f.words_ru);
    }

    /// Like [`W::f`], with the first letter capitalized (for phrases that start a sentence).
    fn cap(&mut self, f: &F) {
        let mut chars = (if self.en { f.en } else { f.ru }).chars();
        if let Some(first) = chars.next() {
            self.s.extend(first.to_uppercase());
            self.s.push_str(chars.as_str());
        }
        self.words_en += u32::from(f.words_en);
        self.words_ru += u32::from(f.words_ru);
    }

    fn num(&mut self, n: u64) {
        let _ = write!(self.s, "{n}");
        self.words_en += 1;
        self.words_ru += 1;
    }

    /// Markup and punctuation: no words.
    fn raw(&mut self, s: &str) {
        self.s.push_str(s);
    }

    /// Opens a block element on its own line.
    fn block(&mut self, open: &str) {
        if !self.s.is_empty() {
            self.s.push('\n');
        }
        self.s.push_str(open);
    }
}

/// splitmix64: tiny, fast and good enough to vary text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x6E65_7773_6465_736B)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` well below 2³²).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below((hi - lo + 1) as usize) as u64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A phrase in English and its Russian translation, with word counts worked out at compile time.
struct F {
    en: &'static str,
    ru: &'static str,
    words_en: u16,
    words_ru: u16,
}

const fn f(en: &'static str, ru: &'static str) -> F {
    F { en, ru, words_en: count_words(en), words_ru: count_words(ru) }
}

const fn count_words(s: &str) -> u16 {
    let bytes = s.as_bytes();
    let (mut i, mut n, mut in_word) = (0, 0, false);
    while i < bytes.len() {
        let space = matches!(bytes[i], b' ' | b'\n' | b'\t');
        if !space && !in_word {
            n += 1;
        }
        in_word = !space;
        i += 1;
    }
    n
}

/// An event, with the Russian forms each sentence needs (nominative, genitive, prepositional).
struct Event {
    nominative: F,
    genitive: F,
    locative: F,
}

const fn event(en: &'static str, nom: &'static str, genitive: &'static str, locative: &'static str) -> Event {
    Event { nominative: f(en, nom), genitive: f(en, genitive), locative: f(en, locative) }
}

static EVENTS: &[Event] = &[
    event("the conference", "конференция", "конференции", "конференции"),
    event("the meeting", "встреча", "встречи", "встрече"),
    event("the seminar", "семинар", "семинара", "семинаре"),
    event("the exercise", "учение", "учения", "учении"),
    event("the forum", "форум", "форума", "форуме"),
    event("the training course", "учебный курс", "учебного курса", "учебном курсе"),
    event("the round table", "круглый стол", "круглого стола", "круглом столе"),
    event("the expert meeting", "экспертная встреча", "экспертной встречи", "экспертной встрече"),
];

const NUM_PARTICIPANTS: F = f("The number of participants in", "Число участников");
const NUM_REACHED: F = f("reached", "составило");
const PEOPLE: [F; 3] = [f("", " человек"), f("", " человека"), f("", " человек")];
const NUM_DELEGATIONS: F = f("Delegations of", "Делегации");
const NUM_TOOK_PART: F = f("member states took part in", "государств-членов приняли участие в");
const NUM_WILL_LAST: F = f("will last", "продлится");
const DAYS: [F; 3] = [f(" days", " день"), f(" days", " дня"), f(" days", " дней")];
const NUM_PROGRAMME: F = f("The programme includes", "Программа включает");
const SESSIONS: [F; 3] = [f(" sessions", " сессию"), f(" sessions", " сессии"), f(" sessions", " сессий")];
const NUM_AND: F = f(" and ", " и ");
const ROUND_TABLES: [F; 3] = [
    f(" round tables", " круглый стол"),
    f(" round tables", " круглых стола"),
    f(" round tables", " круглых столов"),
];
const NUM_SINCE: F =
    f("Since the programme was launched, more than", "С момента запуска программы подготовку прошли более");
const OFFICERS: [F; 3] = [
    f(" officers have completed the training", " офицера"),
    f(" officers have completed the training", " офицеров"),
    f(" officers have completed the training", " офицеров"),
];

/// Headline subjects and verbs. Headline parts are kept short so that a title's slug always
/// keeps its unique number (slugs are cut at 80 characters).
static HEADS: &[F] = &[
    f("Experts discuss", "Эксперты обсудили"),
    f("Delegations review", "Делегации рассмотрели"),
    f("Ministers to discuss", "Министры обсудят"),
    f("Lawmakers discuss", "Парламентарии обсудили"),
    f("Parties discuss", "Стороны обсудили"),
    f("Officers examine", "Офицеры изучили"),
    f("Experts to examine", "Эксперты изучат"),
    f("Border guards discuss", "Пограничники обсудили"),
    f("Diplomats discuss", "Дипломаты обсудили"),
    f("Deputies review", "Депутаты рассмотрели"),
    f("Rescuers discuss", "Спасатели обсудили"),
    f("Analysts assess", "Аналитики оценили"),
];

static TITLE_TOPICS: &[F] = &[
    f("border security", "пограничную безопасность"),
    f("information security", "информационную безопасность"),
    f("joint exercises", "совместные учения"),
    f("the crisis response plan", "план реагирования на кризисы"),
    f("anti-drug cooperation", "борьбу с наркотрафиком"),
    f("peacekeeping training", "подготовку миротворцев"),
    f("the conference agenda", "повестку конференции"),
    f("results of the exercises", "итоги учений"),
    f("cyber threats", "киберугрозы"),
    f("illegal migration", "незаконную миграцию"),
    f("results of the meeting", "итоги встречи"),
    f("air defence cooperation", "сотрудничество в сфере ПВО"),
    f("protecting infrastructure", "защиту инфраструктуры"),
    f("regional security", "региональную безопасность"),
    f("anti-terrorism steps", "меры против терроризма"),
    f("transport security", "безопасность транспорта"),
    f("results of the conference", "итоги конференции"),
    f("the exercise programme", "программу учений"),
    f("defence cooperation", "оборонное сотрудничество"),
    f("emergency response", "кризисное реагирование"),
];

static PLACES: &[F] = &[
    f("in Minsk", "в Минске"),
    f("in Astana", "в Астане"),
    f("in Bishkek", "в Бишкеке"),
    f("in Dushanbe", "в Душанбе"),
    f("in Yerevan", "в Ереване"),
    f("in Moscow", "в Москве"),
    f("in Almaty", "в Алматы"),
    f("in Osh", "в Оше"),
    f("in Brest", "в Бресте"),
    f("in Gyumri", "в Гюмри"),
    f("in Khujand", "в Худжанде"),
    f("in Kazan", "в Казани"),
    f("in Karaganda", "в Караганде"),
    f("at the Secretariat", "в Секретариате"),
];

static INTROS: &[F] = &[
    f("During the talks,", "В ходе переговоров"),
    f("At the meeting,", "На встрече"),
    f("During the meeting,", "В ходе встречи"),
    f("As part of the programme,", "В рамках программы"),
    f("On the first day of the conference,", "В первый день конференции"),
    f("After the plenary session,", "После пленарного заседания"),
    f("At the same time,", "Вместе с тем"),
    f("In addition,", "Кроме того,"),
    f("Following the consultations,", "По итогам консультаций"),
    f("At the closing session,", "На заключительном заседании"),
    f("During the exercise,", "В ходе учения"),
    f("Later in the day,", "Позднее в тот же день"),
    f("At the working session,", "На рабочем заседании"),
    f("As noted in the final document,", "Как отмечается в итоговом документе,"),
    f("During the visit,", "В ходе визита"),
    f("At the round table,", "На круглом столе"),
    f("Within the framework of the conference,", "В рамках конференции"),
    f("At the expert meeting,", "На экспертной встрече"),
];

/// Subject and verb together, so that Russian verbs always agree with their subjects.
static ACTIONS: &[F] = &[
    f("delegations discussed", "делегации обсудили"),
    f("experts reviewed", "эксперты рассмотрели"),
    f("participants examined", "участники изучили"),
    f("ministers considered", "министры рассмотрели"),
    f("both sides discussed in detail", "стороны подробно обсудили"),
    f("the working group analysed", "рабочая группа проанализировала"),
    f("the Secretary General presented", "Генеральный секретарь представил"),
    f("heads of delegations assessed", "главы делегаций оценили"),
    f("staff officers studied", "офицеры штабов изучили"),
    f("parliamentarians discussed", "парламентарии обсудили"),
    f("agency representatives considered", "представители ведомств рассмотрели"),
    f("the Chair of the Assembly presented", "председатель Ассамблеи представила"),
    f("meeting participants analysed", "участники встречи проанализировали"),
    f("the Joint Staff prepared", "Объединённый штаб подготовил"),
    f("conference participants discussed", "участники конференции обсудили"),
    f("security council secretaries reviewed", "секретари советов безопасности рассмотрели"),
];

/// Direct objects, in the Russian accusative.
static OBJECTS: &[F] = &[
    f("the draft plan of joint exercises", "проект плана совместных учений"),
    f("the results of the command-staff exercise", "итоги командно-штабного учения"),
    f("measures to strengthen border security", "меры по укреплению пограничной безопасности"),
    f("the state of information security", "состояние информационной безопасности"),
    f(
        "proposals on cooperation between law enforcement agencies",
        "предложения по сотрудничеству правоохранительных органов",
    ),
    f("the programme of the international conference", "программу международной конференции"),
    f("preparations for the conference of defence ministers", "подготовку к конференции министров обороны"),
    f("the situation on the external borders", "обстановку на внешних границах"),
    f("the schedule of joint exercises for the next year", "график совместных учений на следующий год"),
    f(
        "the draft agreement on the transit of the collective forces",
        "проект соглашения о транзите коллективных сил",
    ),
    f("the results of the anti-drug operation", "итоги антинаркотической операции"),
    f("ways to protect critical infrastructure", "способы защиты критически важной инфраструктуры"),
    f("the training programme for peacekeepers", "программу подготовки миротворцев"),
    f(
        "the report on the collective security strategy",
        "доклад о реализации стратегии коллективной безопасности",
    ),
    f(
        "the experience of recent crisis response operations",
        "опыт недавних операций по реагированию на кризисы",
    ),
    f("the agenda of the next meeting", "повестку дня следующей встречи"),
    f("new approaches to countering cyber threats", "новые подходы к противодействию киберугрозам"),
    f("the exchange of information between crisis centres", "обмен информацией между кризисными центрами"),
    f("the conclusions of the expert meeting", "выводы экспертной встречи"),
    f("joint exercises in mountainous terrain", "совместные учения в горной местности"),
    f("a draft model law on civil defence", "проект модельного закона о гражданской обороне"),
    f("the mechanism for early warning of crises", "механизм раннего предупреждения кризисов"),
    f("the equipment needs of the rapid reaction forces", "потребности сил быстрого реагирования в технике"),
    f("the outcomes of the youth security forum", "итоги молодёжного форума по безопасности"),
    f("measures against the financing of terrorism", "меры противодействия финансированию терроризма"),
    f(
        "the plan of consultations between foreign ministries",
        "план консультаций между министерствами иностранных дел",
    ),
    f(
        "prospects for cooperation in emergency response",
        "перспективы сотрудничества в области реагирования на чрезвычайные ситуации",
    ),
    f("the budget of the joint training programme", "бюджет совместной программы подготовки"),
    f("the lessons of the recent exercises", "уроки недавних учений"),
    f("the results of the regional security conferences", "итоги конференций по региональной безопасности"),
];

static TAILS: &[F] = &[
    f("taking into account new challenges", "с учётом новых вызовов"),
    f("for the coming year", "на предстоящий год"),
    f("in a constructive atmosphere", "в конструктивной атмосфере"),
    f("with the participation of national experts", "с участием национальных экспертов"),
    f("in the light of recent events in the region", "в свете последних событий в регионе"),
    f("at the request of the member states", "по просьбе государств-членов"),
    f("in line with the decisions of the Council", "в соответствии с решениями Совета"),
    f("as a matter of priority", "в приоритетном порядке"),
    f("behind closed doors", "в закрытом режиме"),
    f("via video link", "в режиме видеоконференции"),
    f("ahead of the summit", "в преддверии саммита"),
    f("in the interests of regional security", "в интересах региональной безопасности"),
];

/// Singular subjects, so any of them agrees with any predicate in both languages.
static TOPICS: &[F] = &[
    f("cooperation between the special services", "сотрудничество специальных служб"),
    f("border security", "пограничная безопасность"),
    f("information security", "информационная безопасность"),
    f("the fight against drug trafficking", "борьба с наркотрафиком"),
    f("the training of peacekeeping personnel", "подготовка миротворческого персонала"),
    f("the protection of critical infrastructure", "защита критически важной инфраструктуры"),
    f("the crisis response system", "система кризисного реагирования"),
    f("military cooperation among the member states", "военное сотрудничество государств-членов"),
    f("the security of transport corridors", "безопасность транспортных коридоров"),
    f("the exchange of operational information", "обмен оперативной информацией"),
    f("countering illegal migration", "противодействие незаконной миграции"),
    f("humanitarian demining", "гуманитарное разминирование"),
    f("regional security", "региональная безопасность"),
    f("interparliamentary cooperation", "межпарламентское сотрудничество"),
    f("the joint air defence system", "объединённая система противовоздушной обороны"),
    f("the prevention of radicalisation among young people", "профилактика радикализации среди молодёжи"),
];

static PREDICATES: &[F] = &[
    f("remains one of the Council's priorities", "остаётся одним из приоритетов Совета"),
    f(
        "requires constant attention from all member states",
        "требует постоянного внимания всех государств-членов",
    ),
    f("is becoming increasingly important", "приобретает всё большее значение"),
    f("depends on trust between the national agencies", "зависит от доверия между национальными ведомствами"),
    f("needs stable and predictable funding", "нуждается в стабильном и предсказуемом финансировании"),
    f("is developing steadily", "последовательно развивается"),
    f("calls for closer coordination", "требует более тесной координации"),
    f("is discussed at every meeting of the working group", "обсуждается на каждой встрече рабочей группы"),
    f(
        "plays a key role in the collective security system",
        "играет ключевую роль в системе коллективной безопасности",
    ),
    f("draws on the experience of recent exercises", "опирается на опыт недавних учений"),
    f("remains at the centre of the Secretariat's work", "остаётся в центре внимания Секретариата"),
    f("faces new challenges", "сталкивается с новыми вызовами"),
];

/// Complete sentences.
static STOCK: &[F] = &[
    f("The meeting was held in a constructive atmosphere.", "Встреча прошла в конструктивной атмосфере."),
    f(
        "The next meeting is planned for the second half of the year.",
        "Следующую встречу планируется провести во втором полугодии.",
    ),
    f("The conference will continue its work tomorrow.", "Конференция продолжит работу завтра."),
    f(
        "It was decided to hold the next conference in the capital of the presiding state.",
        "Следующую конференцию решено провести в столице председательствующего государства.",
    ),
    f(
        "The Secretariat has held a series of similar conferences over the past two years.",
        "За последние два года Секретариат провёл серию подобных конференций.",
    ),
    f("The exercises will continue until the end of the week.", "Учения продлятся до конца недели."),
    f(
        "The final document of the meeting will be sent to the governments of the member states.",
        "Итоговый документ встречи будет направлен правительствам государств-членов.",
    ),
    f(
        "Observers from partner organizations also attended the event.",
        "На мероприятии также присутствовали наблюдатели от организаций-партнёров.",
    ),
    f(
        "The participants noted the high level of mutual understanding.",
        "Участники отметили высокий уровень взаимопонимания.",
    ),
    f(
        "Representatives of the media were invited to the opening ceremony.",
        "На церемонию открытия были приглашены представители средств массовой информации.",
    ),
    f(
        "The results of the work will be reported to the Council of Foreign Ministers.",
        "О результатах работы будет доложено Совету министров иностранных дел.",
    ),
    f(
        "The exercise was conducted according to the plan approved by the defence ministers.",
        "Учение проводилось в соответствии с планом, утверждённым министрами обороны.",
    ),
    f(
        "A press conference for journalists was held at the end of the day.",
        "По окончании дня для журналистов была проведена пресс-конференция.",
    ),
    f(
        "Security issues were at the top of the agenda.",
        "Вопросы безопасности заняли центральное место в повестке дня.",
    ),
    f("Cooperation in this area has a long history.", "Сотрудничество в этой области имеет давнюю историю."),
    f(
        "The meeting ended with the adoption of a joint statement.",
        "Встреча завершилась принятием совместного заявления.",
    ),
];

/// Who is quoted; the verb is included so that it agrees with the speaker in Russian.
static SPEAKERS: &[F] = &[
    f("The Secretary General of the Council stressed:", "Генеральный секретарь Совета подчеркнул:"),
    f("The Deputy Secretary General noted:", "Заместитель Генерального секретаря отметил:"),
    f("The Chief of the Joint Staff said:", "Начальник Объединённого штаба заявил:"),
    f(
        "The Chair of the Council of the Parliamentary Assembly said:",
        "Председатель Совета Парламентской ассамблеи заявила:",
    ),
    f("The head of the host country's delegation noted:", "Глава делегации принимающей страны отметил:"),
    f("Summing up, the chair of the meeting said:", "Подводя итоги, председательствующий на встрече сказал:"),
    f(
        "The head of the Crisis Response Centre explained:",
        "Руководитель Центра кризисного реагирования пояснил:",
    ),
    f(
        "One of the participants, a senior border service officer, said:",
        "Один из участников, старший офицер пограничной службы, рассказал:",
    ),
    f(
        "Opening the session, the head of the working group said:",
        "Открывая заседание, руководитель рабочей группы сказал:",
    ),
    f("The director of the exercise stressed:", "Руководитель учения подчеркнул:"),
];

/// Quoted sentences, without their final full stop (the quote adds it in each language's style).
static QUOTES: &[F] = &[
    f(
        "Our countries face common threats, and we can only counter them together",
        "Наши страны сталкиваются с общими угрозами, и противостоять им мы можем только вместе",
    ),
    f(
        "The results of the exercise show that cooperation between our staffs has grown significantly",
        "Итоги учения показывают, что взаимодействие наших штабов значительно выросло",
    ),
    f(
        "We must not only react to crises but also prevent them",
        "Мы должны не только реагировать на кризисы, но и предотвращать их",
    ),
    f(
        "Security today means protecting not only borders but also networks, data and critical infrastructure",
        "Безопасность сегодня — это защита не только границ, но и сетей, данных и критически важной инфраструктуры",
    ),
    f(
        "The decisions taken at this meeting will have a direct effect on the lives of our citizens",
        "Решения, принятые на этой встрече, напрямую скажутся на жизни наших граждан",
    ),
    f(
        "I am grateful to all the delegations for their constructive and professional approach",
        "Я благодарен всем делегациям за конструктивный и профессиональный подход",
    ),
    f(
        "Cooperation between our agencies has become more practical and more trusting",
        "Сотрудничество между нашими ведомствами стало более практичным и доверительным",
    ),
    f(
        "No country can cope with transnational crime on its own",
        "Ни одна страна не в состоянии в одиночку справиться с транснациональной преступностью",
    ),
    f(
        "We are ready to share our experience with our partners",
        "Мы готовы делиться своим опытом с партнёрами",
    ),
    f(
        "This conference has shown how much we can achieve when experts speak openly",
        "Эта конференция показала, как многого можно добиться, когда эксперты говорят открыто",
    ),
    f(
        "Our priority is to make the crisis response system faster and more reliable",
        "Наш приоритет — сделать систему кризисного реагирования более быстрой и надёжной",
    ),
    f(
        "Young people must be protected from those who try to draw them into extremist networks",
        "Молодёжь необходимо защитить от тех, кто пытается втянуть её в экстремистские сети",
    ),
    f(
        "Every exercise is a chance to find our weak points before a real crisis does",
        "Каждое учение — это возможность найти свои слабые места раньше, чем это сделает настоящий кризис",
    ),
    f(
        "The work of the peacekeepers deserves the highest respect",
        "Работа миротворцев заслуживает самого высокого уважения",
    ),
    f("We will continue this dialogue at the next meeting", "Мы продолжим этот диалог на следующей встрече"),
    f(
        "The Council is an organization of equal partners, and every voice matters here",
        "Совет — это организация равноправных партнёров, и здесь важен каждый голос",
    ),
    f(
        "Legislation must keep pace with new technologies",
        "Законодательство должно идти в ногу с новыми технологиями",
    ),
    f(
        "Regular meetings of experts have become a reliable tool of cooperation",
        "Регулярные встречи экспертов стали надёжным инструментом сотрудничества",
    ),
];

static SUBHEADS: &[F] = &[
    f("Next steps", "Дальнейшие шаги"),
    f("Main results", "Основные итоги"),
    f("Background", "Справка"),
    f("Practical cooperation", "Практическое взаимодействие"),
    f("Exercises and training", "Учения и подготовка"),
    f("Security in the region", "Безопасность в регионе"),
    f("The conference agenda", "Повестка конференции"),
    f("Cooperation with partners", "Сотрудничество с партнёрами"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::markup::sanitize_html;
    use crate::domain::slug::slugify;
    use jiff::ToSpan;
    use jiff::tz::TimeZone;
    use std::collections::HashSet;

    fn now() -> Timestamp {
        "2025-06-18T09:30:00Z".parse().unwrap()
    }

    fn langs() -> Vec<Lang> {
        vec![Lang::parse("en").unwrap(), Lang::parse("ru").unwrap()]
    }

    /// Words of the visible text: tags become spaces.
    fn word_count(html: &str) -> usize {
        let mut text = String::with_capacity(html.len());
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    text.push(' ');
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.split_whitespace().count()
    }

    #[test]
    fn chunks_are_deterministic_and_independent_of_chunking() {
        let a = corpus_chunk(0, 60, 1_000, now());
        assert_eq!(a, corpus_chunk(0, 60, 1_000, now()));
        let mut b = corpus_chunk(0, 25, 1_000, now());
        b.extend(corpus_chunk(25, 35, 1_000, now()));
        assert_eq!(a, b);
    }

    #[test]
    fn chunks_are_clipped_to_the_total() {
        assert_eq!(corpus_chunk(990, 50, 1_000, now()).len(), 10);
        assert!(corpus_chunk(1_000, 50, 1_000, now()).is_empty());
        assert!(corpus_chunk(5, 0, 1_000, now()).is_empty());
        // An odd total ends with an English story that has no translation.
        let last = corpus_chunk(6, 10, 7, now());
        assert_eq!(last.len(), 1);
        assert_eq!(last[0].lang.as_str(), "en");
    }

    #[test]
    fn external_ids_are_distinct_across_chunk_boundaries() {
        let mut seen = HashSet::new();
        for start in (0..600).step_by(100) {
            for (offset, a) in corpus_chunk(start, 100, 600, now()).iter().enumerate() {
                let id = a.external_id.clone().unwrap();
                assert_eq!(id, format!("corpus-{}", start + offset));
                assert!(seen.insert(id));
            }
        }
        assert_eq!(seen.len(), 600);
    }

    #[test]
    fn every_article_validates_and_bodies_are_about_600_words() {
        let total = 100_000;
        let mut articles = corpus_chunk(0, 400, total, now());
        articles.extend(corpus_chunk(50_000, 200, total, now()));
        articles.extend(corpus_chunk(total - 200, 200, total, now()));
        for a in &articles {
            a.validate(&langs()).unwrap();
            assert_eq!(a.status, Status::Published);
            let words = word_count(&a.body_html);
            assert!((500..=800).contains(&words), "{} has {words} words", a.title);
            assert!(a.body_html.matches("<p>").count() >= 5, "{}", a.body_html);
            assert!(!a.lead.contains('<') && !a.lead.is_empty());
        }
        assert!(articles.iter().all(|a| a.body_html.contains("<blockquote><p>")));
        assert!(articles.iter().any(|a| a.body_html.contains("<h2>")));
    }

    #[test]
    fn bodies_are_already_sanitized() {
        for a in corpus_chunk(0, 40, 1_000, now()) {
            assert_eq!(sanitize_html(&a.body_html), a.body_html);
        }
    }

    #[test]
    fn dates_are_spread_over_the_last_ten_years() {
        let total = 10_000;
        let ten_years_ago = now().to_zoned(TimeZone::UTC).checked_sub(10.years()).unwrap().timestamp();
        let all = corpus_chunk(0, total, total, now());
        for a in &all {
            assert!(a.publish_at < now(), "{} is not in the past", a.publish_at);
            assert!(a.publish_at > ten_years_ago, "{} is older than ten years", a.publish_at);
        }
        // Evenly: the oldest is close to ten years old, the newest from the last day, and each
        // year holds about a tenth of the corpus.
        let oldest = all.iter().map(|a| a.publish_at).min().unwrap();
        let newest = all.iter().map(|a| a.publish_at).max().unwrap();
        assert!(
            oldest < now().to_zoned(TimeZone::UTC).checked_sub(9.years().months(11)).unwrap().timestamp()
        );
        assert!(newest > now() - SignedDuration::from_hours(24));
        let last_year = now().to_zoned(TimeZone::UTC).checked_sub(1.year()).unwrap().timestamp();
        let recent = all.iter().filter(|a| a.publish_at > last_year).count();
        assert!((900..=1_100).contains(&recent), "{recent} articles in the last year");
    }

    fn tags(html: &str) -> Vec<&str> {
        html.match_indices('<').map(|(i, _)| &html[i..=i + html[i..].find('>').unwrap()]).collect()
    }

    #[test]
    fn pairs_are_translations_of_one_story() {
        let all = corpus_chunk(0, 200, 200, now());
        for pair in all.chunks(2) {
            let (en, ru) = (&pair[0], &pair[1]);
            assert_eq!(en.translation_key, ru.translation_key);
            assert_eq!((en.lang.as_str(), ru.lang.as_str()), ("en", "ru"));
            assert_eq!(en.section_slug, ru.section_slug);
            assert_eq!(en.publish_at, ru.publish_at);
            assert!(ru.title.chars().any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap())));
            assert!(ru.body_html.chars().filter(|c| ('а'..='я').contains(c)).count() > 2_000);
            // The Russian body translates the English one sentence by sentence and may then go
            // on a little: its markup starts like the English markup, and the first paragraphs
            // have as many sentences.
            let (en_tags, ru_tags) = (tags(&en.body_html), tags(&ru.body_html));
            let common = en_tags.len().min(ru_tags.len());
            assert!(common >= 10);
            assert_eq!(en_tags[..common], ru_tags[..common]);
            let first_sentences = |html: &str| html[..html.find("</p>").unwrap()].matches('.').count();
            assert_eq!(first_sentences(&en.body_html), first_sentences(&ru.body_html));
        }
        let keys: HashSet<_> = all.iter().map(|a| a.translation_key.clone()).collect();
        assert_eq!(keys.len(), 100);
    }

    #[test]
    fn sections_exist_and_are_all_used() {
        let known: HashSet<String> = sections().into_iter().map(|s| s.slug).collect();
        let used: HashSet<String> =
            corpus_chunk(0, 500, 500, now()).into_iter().map(|a| a.section_slug).collect();
        assert!(used.is_subset(&known));
        assert_eq!(used, known);
    }

    #[test]
    fn titles_and_slugs_are_unique_per_language() {
        let all = corpus_chunk(0, 20_000, 20_000, now());
        let mut titles = HashSet::new();
        let mut slugs = HashSet::new();
        for a in &all {
            assert!(titles.insert((a.lang.clone(), a.title.clone())), "duplicate {}", a.title);
            assert!(slugs.insert((a.lang.clone(), a.wanted_slug())), "duplicate slug of {}", a.title);
        }
    }

    #[test]
    fn slugs_always_keep_the_unique_number() {
        // Every combination of headline parts, with a number larger than any corpus will need.
        for head in HEADS {
            for topic in TITLE_TOPICS {
                for place in PLACES {
                    for english in [true, false] {
                        let mut w = W::new(english, 100);
                        for (j, part) in [head, topic, place].into_iter().enumerate() {
                            if j > 0 {
                                w.raw(" ");
                            }
                            w.f(part);
                        }
                        w.raw(" · ");
                        w.num(12_345_678);
                        let slug = slugify(&w.s);
                        assert!(slug.ends_with("-12345678"), "{} gives {slug}", w.s);
                    }
                }
            }
        }
    }

    #[test]
    fn vocabulary_for_stemming_is_present() {
        let mut words = HashSet::new();
        for a in corpus_chunk(0, 300, 300, now()) {
            let text = format!("{} {} {}", a.title, a.lead, a.body_html).to_lowercase();
            for w in text.split(|c: char| !c.is_alphanumeric()) {
                words.insert(w.to_string());
            }
        }
        for w in [
            "conference",
            "conferences",
            "security",
            "meeting",
            "exercise",
            "exercises",
            "cooperation",
            "конференция",
            "конференции",
            "конференцию",
            "безопасность",
            "безопасности",
            "учения",
            "сотрудничество",
            "встреча",
            "встречи",
        ] {
            assert!(words.contains(w), "{w} never occurs");
        }
    }

    #[test]
    fn russian_numerals_agree() {
        let forms = |n| plural(n, &DAYS).ru;
        assert_eq!(
            [forms(1), forms(2), forms(4), forms(5), forms(11), forms(12), forms(21), forms(22), forms(25)],
            [" день", " дня", " дня", " дней", " дней", " дней", " день", " дня", " дней"]
        );
    }

    /// `cargo test --lib demo::corpus -- --ignored --nocapture` prints how long 100,000 take.
    #[test]
    #[ignore = "a timing run, not a check: run it with --ignored --nocapture"]
    fn time_100k() {
        let total = 100_000;
        let started = std::time::Instant::now();
        let mut bytes = 0usize;
        for start in (0..total).step_by(1_000) {
            for a in corpus_chunk(start, 1_000, total, now()) {
                bytes += a.body_html.len() + a.title.len() + a.lead.len();
            }
        }
        println!("generated {total} articles ({} MB) in {:?}", bytes / 1_000_000, started.elapsed());
    }
}
