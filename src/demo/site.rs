//! The hand-written demo site: the press office of a fictional regional security organization,
//! the Eurasian Cooperation Council, with about four months of news in English and Russian.
//!
//! It exists so that a first run, a screenshot or a manual test shows a site that looks like
//! the real thing: translated pairs next to single-language items, every section populated,
//! quotes, subheadings, lists and tables in bodies, and a couple of drafts and scheduled items
//! that must stay hidden. All dates are relative to the `now` passed in, so the demo always
//! looks fresh, and nothing else varies, so tests can rely on it.
//!
//! The stories are kept as compact data (`STORIES`); bodies are assembled from each story's
//! paragraphs, quote and table or list, followed by one of a few standard press-release
//! closings.

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
    let mut articles = Vec::with_capacity(STORIES.len() * 2);
    for (story, n) in STORIES.iter().zip(1usize..) {
        let publish_at = story.when.timestamp(today, &zone);
        let versions = [(&en, &story.en, &CLOSINGS_EN), (&ru, &story.ru, &CLOSINGS_RU)];
        for (lang, text, closings) in versions {
            let Some(text) = text else { continue };
            articles.push(ArticleInput {
                external_id: Some(format!("demo-{n}-{lang}")),
                translation_key: Some(format!("demo-{n}")),
                lang: lang.clone(),
                section_slug: story.section.to_string(),
                slug: None,
                title: text.title.to_string(),
                lead: text.lead.to_string(),
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
        paragraph(&mut html, quote.intro);
        html.push_str("\n<blockquote><p>");
        html.push_str(&escape(quote.words));
        html.push_str("</p></blockquote>");
    }
    for p in rest {
        paragraph(&mut html, p);
    }
    match &text.extra {
        Extra::None => {}
        Extra::List(heading, items) => {
            subheading(&mut html, heading);
            html.push_str("\n<ul>");
            for item in *items {
                html.push_str("<li>");
                html.push_str(&escape(item));
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        Extra::Table(heading, head, rows) => {
            subheading(&mut html, heading);
            html.push_str("\n<table><thead><tr>");
            for cell in *head {
                html.push_str("<th>");
                html.push_str(&escape(cell));
                html.push_str("</th>");
            }
            html.push_str("</tr></thead><tbody>");
            for row in *rows {
                html.push_str("<tr>");
                for cell in *row {
                    html.push_str("<td>");
                    html.push_str(&escape(cell));
                    html.push_str("</td>");
                }
                html.push_str("</tr>");
            }
            html.push_str("</tbody></table>");
        }
    }
    paragraph(&mut html, closing);
    sanitize_html(&html)
}

fn paragraph(html: &mut String, text: &str) {
    if !html.is_empty() {
        html.push('\n');
    }
    html.push_str("<p>");
    html.push_str(&escape(text));
    html.push_str("</p>");
}

fn subheading(html: &mut String, text: &str) {
    html.push_str("\n<h2>");
    html.push_str(&escape(text));
    html.push_str("</h2>");
}

/// When a story appears, in Moscow time.
#[derive(Clone, Copy)]
enum When {
    /// This many working days before today, at hour:minute.
    Ago(u32, i8, i8),
    /// This many working days after today, at hour:minute.
    Ahead(u32, i8, i8),
}

impl When {
    fn timestamp(self, today: Date, zone: &TimeZone) -> Timestamp {
        let (date, hour, minute) = match self {
            When::Ago(days, hour, minute) => (working_day(today, days, false), hour, minute),
            When::Ahead(days, hour, minute) => (working_day(today, days, true), hour, minute),
        };
        date.at(hour, minute, 0, 0).to_zoned(zone.clone()).expect("demo dates are near now").timestamp()
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

/// One story: one or two language versions sharing a section, a date and a status.
struct Story {
    section: &'static str,
    when: When,
    status: Status,
    en: Option<Text>,
    ru: Option<Text>,
}

/// One language version of a story.
struct Text {
    title: &'static str,
    /// Plain text, one or two sentences.
    lead: &'static str,
    /// Plain text paragraphs; the quote goes after the first one.
    paras: &'static [&'static str],
    quote: Option<Quote>,
    extra: Extra,
}

/// An official's words: a paragraph introducing the speaker, then the words as a blockquote.
struct Quote {
    intro: &'static str,
    words: &'static str,
}

/// A list or table under a subheading, after the story's paragraphs.
enum Extra {
    None,
    List(&'static str, &'static [&'static str]),
    Table(&'static str, &'static [&'static str], &'static [&'static [&'static str]]),
}

const PUBLISHED: Status = Status::Published;

const fn quote(intro: &'static str, words: &'static str) -> Option<Quote> {
    Some(Quote { intro, words })
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

/// The stories, newest first. Story `n` (counting from 1) gets the translation key `demo-<n>`.
static STORIES: &[Story] = &[
    // 1
    Story {
        section: "news",
        when: When::Ago(1, 11, 30),
        status: PUBLISHED,
        en: Some(Text {
            title: "Secretary General briefs permanent representatives ahead of the foreign ministers’ meeting",
            lead: "Nurlan Abenov outlined the draft agenda of the Council of Foreign Ministers and the documents that member states are expected to approve.",
            paras: &[
                "The Secretary General of the Eurasian Cooperation Council, Nurlan Abenov, held a working meeting with the permanent representatives of the member states at the Secretariat today. The discussion focused on preparations for the next meeting of the Council of Foreign Ministers.",
                "The permanent representatives reviewed the draft statement on strengthening crisis response, the report on the implementation of the collective security strategy and the plan of consultations for the coming year. Most of the documents have already been agreed at expert level.",
            ],
            quote: quote(
                "Summing up the meeting, the Secretary General said:",
                "“Our task is to bring the ministers documents that are ready for signature, not drafts with open questions. I am grateful to the permanent representatives for their constructive work in recent weeks.”",
            ),
            extra: Extra::List(
                "Documents on the agenda",
                &[
                    "Statement on strengthening the crisis response system",
                    "Report on the implementation of the collective security strategy",
                    "Plan of consultations between the foreign ministries for the coming year",
                ],
            ),
        }),
        ru: Some(Text {
            title: "Генеральный секретарь провёл встречу с постоянными представителями накануне заседания СМИД",
            lead: "Нурлан Абенов представил проект повестки дня Совета министров иностранных дел и документы, которые государства-члены планируют утвердить.",
            paras: &[
                "Генеральный секретарь Евразийского совета сотрудничества Нурлан Абенов провёл сегодня в Секретариате рабочую встречу с постоянными представителями государств-членов. Основное внимание было уделено подготовке очередного заседания Совета министров иностранных дел.",
                "Постоянные представители рассмотрели проект заявления об укреплении системы кризисного реагирования, доклад о ходе реализации стратегии коллективной безопасности и план консультаций на следующий год. Большинство документов уже согласовано на экспертном уровне.",
            ],
            quote: quote(
                "Подводя итоги встречи, Генеральный секретарь заявил:",
                "«Наша задача — вынести на рассмотрение министров документы, готовые к подписанию, а не проекты с открытыми вопросами. Благодарю постоянных представителей за конструктивную работу последних недель».",
            ),
            extra: Extra::List(
                "Документы в повестке дня",
                &[
                    "Заявление об укреплении системы кризисного реагирования",
                    "Доклад о ходе реализации стратегии коллективной безопасности",
                    "План консультаций между министерствами иностранных дел на следующий год",
                ],
            ),
        }),
    },
    // 2
    Story {
        section: "joint-staff",
        when: When::Ago(2, 10, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Steppe Shield command-staff exercise concludes",
            lead: "Staff officers from all six member states spent five days planning and commanding a joint crisis response operation.",
            paras: &[
                "The active phase of the Steppe Shield command-staff exercise has ended at a training ground near Astana. More than 400 officers from the headquarters of the member states’ armed forces and the Joint Staff of the Council took part.",
                "The scenario involved a sudden escalation of an armed conflict near the border of one of the member states. The participants planned the deployment of the collective rapid reaction forces, organised supply and medical support and practised cooperation with civilian emergency services.",
                "The results of the exercise will be discussed at the next meeting of the Council of Defence Ministers, and the lessons learned will be reflected in the training plan for the coming year.",
            ],
            quote: quote(
                "Chief of the Joint Staff Colonel General Vadim Ostrovsky noted:",
                "“The exercise confirmed that our headquarters can plan and run a joint operation within the time limits set by the collective security agreements. We also saw where communication between the national command posts still needs work.”",
            ),
            extra: Extra::Table(
                "The exercise in figures",
                &["Indicator", "Value"],
                &[
                    &["Participating officers", "over 400"],
                    &["Member states", "6"],
                    &["Duration", "5 days"],
                    &["Command posts deployed", "9"],
                ],
            ),
        }),
        ru: Some(Text {
            title: "Завершилось командно-штабное учение «Степной щит»",
            lead: "В течение пяти дней офицеры штабов шести государств-членов отрабатывали планирование совместной операции по реагированию на кризис и управление ею.",
            paras: &[
                "На полигоне под Астаной завершилась активная фаза командно-штабного учения «Степной щит». В нём приняли участие более 400 офицеров штабов вооружённых сил государств-членов и Объединённого штаба Совета.",
                "По замыслу учения, вблизи границы одного из государств-членов произошла внезапная эскалация вооружённого конфликта. Участники спланировали развёртывание коллективных сил быстрого реагирования, организовали тыловое и медицинское обеспечение и отработали взаимодействие с гражданскими службами экстренного реагирования.",
                "Итоги учения будут рассмотрены на ближайшем заседании Совета министров обороны, а извлечённые уроки найдут отражение в плане подготовки на следующий год.",
            ],
            quote: quote(
                "Начальник Объединённого штаба генерал-полковник Вадим Островский отметил:",
                "«Учение подтвердило, что наши штабы способны спланировать и провести совместную операцию в сроки, установленные соглашениями о коллективной безопасности. Мы также увидели, где связь между национальными пунктами управления ещё требует доработки».",
            ),
            extra: Extra::Table(
                "Учение в цифрах",
                &["Показатель", "Значение"],
                &[
                    &["Офицеры-участники", "более 400"],
                    &["Государства-члены", "6"],
                    &["Продолжительность", "5 дней"],
                    &["Развёрнуто пунктов управления", "9"],
                ],
            ),
        }),
    },
    // 3
    Story {
        section: "parliamentary-assembly",
        when: When::Ago(4, 15, 0),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Постоянная комиссия ПА ЕСС одобрила проект модельного закона о гражданской обороне",
            lead: "Документ направлен на сближение национальных законодательств в сфере защиты населения при чрезвычайных ситуациях.",
            paras: &[
                "Постоянная комиссия Парламентской ассамблеи Евразийского совета сотрудничества по вопросам обороны и безопасности провела очередное заседание в режиме видеоконференции. Депутаты одобрили во втором чтении проект модельного закона «О гражданской обороне».",
                "Законопроект закрепляет общие понятия, порядок оповещения населения и принципы взаимодействия органов власти при крупных авариях и стихийных бедствиях. Государства-члены смогут использовать его положения при обновлении национального законодательства.",
                "Проект будет внесён на рассмотрение пленарного заседания Парламентской ассамблеи.",
            ],
            quote: quote(
                "Председатель комиссии Игорь Бельский подчеркнул:",
                "«Модельный закон не заменяет национальные нормы, но помогает говорить на одном языке. Когда спасатели разных стран работают вместе, общие термины и процедуры экономят драгоценное время».",
            ),
            extra: Extra::None,
        }),
    },
    // 4
    Story {
        section: "news",
        when: When::Ago(5, 12, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Crisis Response Centre opens its doors to journalists",
            lead: "Reporters from the member states were shown how the Centre monitors the situation in the region and supports decision-making in an emergency.",
            paras: &[
                "The Crisis Response Centre of the Eurasian Cooperation Council held an open day for journalists accredited to the Secretariat. Around thirty reporters from news agencies, newspapers and television channels of the member states visited the Centre.",
                "The duty officers demonstrated the situation room, the secure video link with the national crisis centres and the information system used to prepare reports for the Council’s leadership. The guests also took part in a short training session simulating an alert about a large-scale flood.",
                "The head of the Centre, Colonel Dmitry Savelyev, answered questions about the Centre’s staffing, its round-the-clock duty system and the exchange of data with the member states.",
            ],
            quote: quote(
                "Colonel Savelyev told the journalists:",
                "“In a crisis, minutes matter. Our job is to make sure that the ministers receive verified information quickly and in a form that allows them to decide. Openness with the media is part of that work, because people need accurate information too.”",
            ),
            extra: Extra::List(
                "What the visitors saw",
                &[
                    "The situation room and the duty shift at work",
                    "A secure video conference with a national crisis centre",
                    "A training alert about a simulated flood",
                ],
            ),
        }),
        ru: None,
    },
    // 5
    Story {
        section: "secretariat",
        when: When::Ago(7, 10, 30),
        status: PUBLISHED,
        en: Some(Text {
            title: "Deputy Secretary General discusses counter-narcotics cooperation with international partners",
            lead: "Sergei Lipnitsky met representatives of regional organizations to coordinate efforts against drug trafficking routes.",
            paras: &[
                "Deputy Secretary General Sergei Lipnitsky held consultations at the Secretariat with representatives of international and regional organizations working to counter illicit drug trafficking. The meeting was devoted to the results of the regional anti-drug operation Crossroads and to plans for next year.",
                "The participants noted a shift in smuggling routes towards postal and courier shipments and the growing use of online platforms to sell synthetic drugs. They agreed to exchange analytical reviews regularly and to hold a joint training course for customs and police officers.",
            ],
            quote: quote(
                "Sergei Lipnitsky stressed:",
                "“Drug traffickers do not respect borders, and neither can our response. The Crossroads operation shows that when agencies share information in real time, results follow.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Заместитель Генерального секретаря обсудил с международными партнёрами антинаркотическое сотрудничество",
            lead: "Сергей Липницкий встретился с представителями региональных организаций, чтобы скоординировать усилия по перекрытию каналов наркотрафика.",
            paras: &[
                "Заместитель Генерального секретаря Сергей Липницкий провёл в Секретариате консультации с представителями международных и региональных организаций, занимающихся противодействием незаконному обороту наркотиков. Встреча была посвящена итогам региональной антинаркотической операции «Перекрёсток» и планам на следующий год.",
                "Участники отметили смещение маршрутов контрабанды в сторону почтовых и курьерских отправлений, а также рост продаж синтетических наркотиков через онлайн-площадки. Стороны договорились регулярно обмениваться аналитическими обзорами и провести совместный учебный курс для сотрудников таможенных органов и полиции.",
            ],
            quote: quote(
                "Сергей Липницкий подчеркнул:",
                "«Наркоторговцы не признают границ, поэтому и наш ответ не может ими ограничиваться. Операция „Перекрёсток“ показывает: когда ведомства обмениваются информацией в реальном времени, результат не заставляет себя ждать».",
            ),
            extra: Extra::None,
        }),
    },
    // 6
    Story {
        section: "activities",
        when: When::Ago(8, 14, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Youth forum on security and dialogue gathers students from six countries",
            lead: "Over three days, students of international relations discussed regional security with diplomats and experts and drafted their own recommendations.",
            paras: &[
                "The youth forum “Security Through Dialogue”, organised by the Secretariat together with the association of universities of the member states, has ended in Minsk. About 120 students and young researchers took part.",
                "The programme included lectures by the Council’s diplomats, a simulation of a meeting of the Council of Foreign Ministers and workshops on countering disinformation. The participants worked in mixed teams, each including students from at least three countries.",
                "The best recommendations drafted by the teams will be published on the Council’s website and sent to the Secretariat’s working group on youth policy.",
            ],
            quote: quote(
                "Addressing the participants at the closing ceremony, Secretary General Nurlan Abenov said:",
                "“Your generation will have to maintain the security architecture we are building today. I was impressed by how seriously you approached the simulation and how quickly you found compromises.”",
            ),
            extra: Extra::List(
                "Forum workshops",
                &[
                    "Countering disinformation in the digital space",
                    "The art of negotiation: a simulated meeting of the Council of Foreign Ministers",
                    "Careers in international organizations",
                ],
            ),
        }),
        ru: Some(Text {
            title: "Молодёжный форум о безопасности и диалоге собрал студентов из шести стран",
            lead: "В течение трёх дней студенты-международники обсуждали с дипломатами и экспертами вопросы региональной безопасности и подготовили собственные рекомендации.",
            paras: &[
                "В Минске завершился молодёжный форум «Безопасность через диалог», организованный Секретариатом совместно с ассоциацией университетов государств-членов. В нём приняли участие около 120 студентов и молодых исследователей.",
                "Программа включала лекции дипломатов Совета, моделирование заседания Совета министров иностранных дел и мастер-классы по противодействию дезинформации. Участники работали в смешанных командах, в каждую из которых входили студенты как минимум из трёх стран.",
                "Лучшие рекомендации команд будут опубликованы на сайте Совета и направлены в рабочую группу Секретариата по молодёжной политике.",
            ],
            quote: quote(
                "Выступая на церемонии закрытия, Генеральный секретарь Нурлан Абенов сказал:",
                "«Именно вашему поколению предстоит поддерживать архитектуру безопасности, которую мы выстраиваем сегодня. Меня впечатлило, насколько серьёзно вы подошли к моделированию и как быстро находили компромиссы».",
            ),
            extra: Extra::List(
                "Мастер-классы форума",
                &[
                    "Противодействие дезинформации в цифровом пространстве",
                    "Искусство переговоров: моделирование заседания СМИД",
                    "Карьера в международных организациях",
                ],
            ),
        }),
    },
    // 7
    Story {
        section: "news",
        when: When::Ago(10, 16, 0),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Нурлан Абенов выступил на международной конференции по евразийской безопасности",
            lead: "Генеральный секретарь рассказал о подходах Совета к предотвращению конфликтов и призвал развивать диалог между региональными организациями.",
            paras: &[
                "Генеральный секретарь Евразийского совета сотрудничества Нурлан Абенов выступил на пленарном заседании международной конференции по евразийской безопасности, собравшей дипломатов, военных экспертов и учёных из двадцати стран.",
                "В своём выступлении он остановился на механизмах раннего предупреждения кризисов, которые Совет развивает в последние годы, и на опыте совместной работы государств-членов по защите критически важной инфраструктуры.",
                "На полях конференции Генеральный секретарь провёл ряд двусторонних встреч с руководителями делегаций и представителями экспертного сообщества.",
            ],
            quote: quote(
                "Нурлан Абенов отметил:",
                "«Ни одна организация сегодня не может в одиночку справиться с трансграничными угрозами. Нам нужен постоянный профессиональный диалог между региональными структурами — не ради деклараций, а для обмена практическим опытом».",
            ),
            extra: Extra::None,
        }),
    },
    // 8
    Story {
        section: "joint-staff",
        when: When::Ago(11, 9, 45),
        status: PUBLISHED,
        en: Some(Text {
            title: "Joint Staff holds planning conference for next year’s joint exercises",
            lead: "Representatives of the member states’ defence ministries agreed on the main parameters of the joint training programme.",
            paras: &[
                "The Joint Staff of the Eurasian Cooperation Council hosted the main planning conference for next year’s joint operational and combat training. Officers from the defence ministries and general staffs of all member states attended.",
                "The participants agreed on the timing, venues and scenarios of the joint exercises, as well as on the forces and equipment involved. Particular attention was paid to training the peacekeeping contingent and the units specialising in natural disaster response.",
                "The draft plan will be submitted to the Council of Defence Ministers for approval.",
            ],
            quote: quote(
                "Deputy Chief of the Joint Staff Major General Aram Petrosyan said:",
                "“The plan is ambitious but realistic. For the first time, every major exercise will include a civilian component, because modern crises rarely stay purely military.”",
            ),
            extra: Extra::Table(
                "Main exercises planned",
                &["Exercise", "Focus", "Host city"],
                &[
                    &["Steppe Shield", "Command and control of the collective forces", "Astana"],
                    &["Mountain Echo", "Operations in mountainous terrain", "Dushanbe"],
                    &["Blue Helmet", "Peacekeeping training", "Yerevan"],
                    &["Safe Harbour", "Disaster response", "Minsk"],
                ],
            ),
        }),
        ru: None,
    },
    // 9
    Story {
        section: "secretariat",
        when: When::Ago(13, 11, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Experts discuss information security at the Secretariat",
            lead: "The working group on information security reviewed measures to protect critical infrastructure from cyber attacks.",
            paras: &[
                "A meeting of the working group on information security under the Committee of Secretaries of Security Councils was held at the Secretariat of the Eurasian Cooperation Council. Experts from the national security councils, law enforcement agencies and computer emergency response teams of the member states took part.",
                "The participants exchanged information on recent attacks on energy, transport and banking systems and discussed a draft regulation on notifying one another of major computer incidents. They also agreed on the programme of the joint cyber exercise Cyber Frontier.",
            ],
            quote: quote(
                "Opening the meeting, Deputy Secretary General Sergei Lipnitsky said:",
                "“Cyber attacks do not need visas, and they can paralyse a city faster than any conventional threat. A common procedure for notifying one another of incidents is the least we owe our citizens.”",
            ),
            extra: Extra::List(
                "Agreed next steps",
                &[
                    "Finalise the regulation on incident notification",
                    "Hold the Cyber Frontier exercise with the national response teams",
                    "Prepare a Russian–English glossary of information security terms",
                ],
            ),
        }),
        ru: Some(Text {
            title: "Эксперты обсудили в Секретариате вопросы информационной безопасности",
            lead: "Рабочая группа по информационной безопасности рассмотрела меры защиты критически важной инфраструктуры от компьютерных атак.",
            paras: &[
                "В Секретариате Евразийского совета сотрудничества состоялось заседание рабочей группы по информационной безопасности при Комитете секретарей советов безопасности. В нём приняли участие эксперты аппаратов советов безопасности, правоохранительных органов и национальных групп реагирования на компьютерные инциденты государств-членов.",
                "Участники обменялись информацией о недавних атаках на системы энергетики, транспорта и банковского сектора и обсудили проект положения о взаимном оповещении о крупных компьютерных инцидентах. Также была согласована программа совместного киберучения «Киберрубеж».",
            ],
            quote: quote(
                "Открывая заседание, заместитель Генерального секретаря Сергей Липницкий сказал:",
                "«Компьютерным атакам не нужны визы, а парализовать город они способны быстрее любой традиционной угрозы. Общий порядок оповещения друг друга об инцидентах — это минимум, который мы обязаны обеспечить нашим гражданам».",
            ),
            extra: Extra::List(
                "Согласованные дальнейшие шаги",
                &[
                    "Доработать положение об оповещении о компьютерных инцидентах",
                    "Провести учение «Киберрубеж» с участием национальных групп реагирования",
                    "Подготовить русско-английский глоссарий терминов в области информационной безопасности",
                ],
            ),
        }),
    },
    // 10
    Story {
        section: "parliamentary-assembly",
        when: When::Ago(15, 13, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Parliamentary Assembly Council meets in Yerevan",
            lead: "The heads of the member states’ parliamentary delegations approved the Assembly’s model law-making programme and discussed international election observation.",
            paras: &[
                "A meeting of the Council of the Parliamentary Assembly of the Eurasian Cooperation Council, chaired by Galina Zhukova, was held in Yerevan. The heads of the national parliamentary delegations of all member states took part.",
                "The Council approved the updated programme of model law-making, which now includes draft laws on countering the financing of terrorism, on the status of peacekeeping personnel and on information security. The parliamentarians also heard a report on the Assembly’s observation missions at recent elections in the member states.",
                "The date of the next plenary session of the Assembly will be announced after consultations with the national parliaments.",
            ],
            quote: quote(
                "Galina Zhukova stressed:",
                "“Model laws are the Assembly’s most practical contribution to our common security. They allow member states to close the legal gaps that criminals and terrorists exploit.”",
            ),
            extra: Extra::List(
                "Model laws added to the programme",
                &[
                    "On countering the financing of terrorism",
                    "On the status of personnel of the collective peacekeeping forces",
                    "On information security",
                ],
            ),
        }),
        ru: Some(Text {
            title: "В Ереване состоялось заседание Совета Парламентской ассамблеи",
            lead: "Руководители парламентских делегаций государств-членов утвердили программу модельного законотворчества Ассамблеи и обсудили международное наблюдение за выборами.",
            paras: &[
                "В Ереване под председательством Галины Жуковой прошло заседание Совета Парламентской ассамблеи Евразийского совета сотрудничества. В нём приняли участие руководители национальных парламентских делегаций всех государств-членов.",
                "Совет утвердил обновлённую программу модельного законотворчества, в которую вошли проекты законов о противодействии финансированию терроризма, о статусе военнослужащих миротворческих сил и об информационной безопасности. Парламентарии также заслушали доклад о работе миссий наблюдателей Ассамблеи на недавних выборах в государствах-членах.",
                "Дата следующего пленарного заседания Ассамблеи будет объявлена после консультаций с национальными парламентами.",
            ],
            quote: quote(
                "Галина Жукова подчеркнула:",
                "«Модельные законы — самый практический вклад Ассамблеи в нашу общую безопасность. Они позволяют государствам-членам устранять правовые пробелы, которыми пользуются преступники и террористы».",
            ),
            extra: Extra::List(
                "Модельные законы, включённые в программу",
                &[
                    "О противодействии финансированию терроризма",
                    "О статусе военнослужащих коллективных миротворческих сил",
                    "Об информационной безопасности",
                ],
            ),
        }),
    },
    // 11
    Story {
        section: "news",
        when: When::Ago(16, 17, 10),
        status: PUBLISHED,
        en: Some(Text {
            title: "Member states coordinate humanitarian aid for flood-hit districts",
            lead: "At the request of the affected member state, the Crisis Response Centre coordinated the delivery of tents, generators and water purification equipment.",
            paras: &[
                "Following severe flooding in several mountain districts, the Crisis Response Centre of the Eurasian Cooperation Council coordinated humanitarian assistance from the member states. The first cargo aircraft landed within 36 hours of the request.",
                "The aid included tents, mobile power generators, water purification units and medical supplies. Rescue teams from two member states are helping local emergency services to restore roads and evacuate residents from areas at risk of landslides.",
                "The Centre continues to monitor the situation around the clock and is in constant contact with the national emergency authorities.",
            ],
            quote: quote(
                "Secretary General Nurlan Abenov expressed his condolences to the families of the victims and said:",
                "“Solidarity is not an abstract principle for our Council. When disaster strikes one of us, the others respond — quickly and without unnecessary formalities.”",
            ),
            extra: Extra::Table(
                "Aid delivered so far",
                &["Item", "Quantity"],
                &[
                    &["Tents", "650"],
                    &["Power generators", "40"],
                    &["Water purification units", "25"],
                    &["Medical kits", "1,200"],
                ],
            ),
        }),
        ru: None,
    },
    // 12
    Story {
        section: "activities",
        when: When::Ago(18, 10, 15),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "В Секретариате открылась фотовыставка о работе миротворцев",
            lead: "Экспозиция рассказывает о подготовке и службе миротворческого контингента Совета за последние десять лет.",
            paras: &[
                "В здании Секретариата Евразийского совета сотрудничества открылась фотовыставка «Служба мира». На ней представлено около ста снимков, сделанных военными фотографами и журналистами во время учений и миротворческих миссий.",
                "Отдельный раздел посвящён гуманитарным акциям: миротворцы разминируют поля, доставляют питьевую воду и помогают восстанавливать школы. Многие фотографии сопровождаются воспоминаниями самих военнослужащих.",
                "Выставка открыта для посетителей по будним дням с 10:00 до 18:00 по предварительной записи. Вход свободный.",
            ],
            quote: quote(
                "На церемонии открытия начальник Объединённого штаба генерал-полковник Вадим Островский сказал:",
                "«За каждой фотографией — люди, которые добровольно взяли на себя ответственность за чужую безопасность. Эта выставка — знак уважения к их труду».",
            ),
            extra: Extra::None,
        }),
    },
    // 13
    Story {
        section: "joint-staff",
        when: When::Ago(20, 12, 30),
        status: PUBLISHED,
        en: Some(Text {
            title: "Peacekeeping staff officers complete advanced training course",
            lead: "Thirty-six officers assigned to the collective peacekeeping forces studied international humanitarian law, negotiation and mission planning.",
            paras: &[
                "A four-week advanced training course for staff officers of the collective peacekeeping forces has ended at the peacekeeping training centre in Yerevan. The course was organised by the Joint Staff together with the defence ministry of the host country.",
                "The programme covered the legal framework of peacekeeping operations, the protection of civilians, negotiation with the parties to a conflict and cooperation with humanitarian organizations. The final exam was a two-day staff exercise in which the officers planned the deployment of a peacekeeping battalion.",
            ],
            quote: quote(
                "Presenting the certificates, Major General Aram Petrosyan said:",
                "“A peacekeeper’s main weapon is professionalism: knowledge of the law, the ability to listen and the ability to stay calm. I am confident that the graduates of this course will be a credit to their countries.”",
            ),
            extra: Extra::List(
                "Course modules",
                &[
                    "Legal framework of peacekeeping operations",
                    "Protection of civilians",
                    "Negotiation and mediation",
                    "Planning and logistics of a peacekeeping mission",
                ],
            ),
        }),
        ru: Some(Text {
            title: "Офицеры миротворческих сил завершили курс повышения квалификации",
            lead: "Тридцать шесть офицеров, выделенных в состав коллективных миротворческих сил, изучили международное гуманитарное право, ведение переговоров и планирование миссий.",
            paras: &[
                "В миротворческом учебном центре в Ереване завершился четырёхнедельный курс повышения квалификации для штабных офицеров коллективных миротворческих сил. Курс организован Объединённым штабом совместно с министерством обороны принимающей страны.",
                "Программа включала правовые основы миротворческих операций, защиту гражданского населения, ведение переговоров со сторонами конфликта и взаимодействие с гуманитарными организациями. Итоговым экзаменом стало двухдневное штабное учение, в ходе которого офицеры спланировали развёртывание миротворческого батальона.",
            ],
            quote: quote(
                "Вручая сертификаты, генерал-майор Арам Петросян сказал:",
                "«Главное оружие миротворца — профессионализм: знание права, умение слушать и способность сохранять спокойствие. Уверен, что выпускники этого курса будут достойно представлять свои страны».",
            ),
            extra: Extra::List(
                "Модули курса",
                &[
                    "Правовые основы миротворческих операций",
                    "Защита гражданского населения",
                    "Переговоры и посредничество",
                    "Планирование и тыловое обеспечение миротворческой миссии",
                ],
            ),
        }),
    },
    // 14
    Story {
        section: "news",
        when: When::Ago(21, 15, 30),
        status: PUBLISHED,
        en: Some(Text {
            title: "Secretary General visits Dushanbe for talks on border security",
            lead: "Nurlan Abenov discussed with the country’s leadership the situation on the external borders and the Council’s programme to strengthen them.",
            paras: &[
                "Secretary General Nurlan Abenov paid a working visit to Dushanbe, where he held talks with the foreign minister and the secretary of the Security Council. The main topic was the situation on the external borders of the Council’s area of responsibility.",
                "The sides discussed the implementation of the interstate programme to strengthen border security, including the supply of surveillance equipment and the training of border guards. The Secretary General also visited a border outpost that has received new equipment under the programme.",
                "The parties agreed to hold expert consultations in the coming months to prepare the next stage of the programme.",
            ],
            quote: quote(
                "After the talks, Nurlan Abenov told journalists:",
                "“The security of the external border is the security of every member state. What I saw at the outpost today shows that the programme is working, but there is still a lot to do.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Генеральный секретарь посетил Душанбе с рабочим визитом",
            lead: "Нурлан Абенов обсудил с руководством страны обстановку на внешних границах и программу Совета по их укреплению.",
            paras: &[
                "Генеральный секретарь Нурлан Абенов совершил рабочий визит в Душанбе, где провёл переговоры с министром иностранных дел и секретарём Совета безопасности. Главной темой стала обстановка на внешних границах зоны ответственности Совета.",
                "Стороны обсудили ход реализации межгосударственной программы укрепления пограничной безопасности, в том числе поставки средств наблюдения и подготовку пограничников. Генеральный секретарь также посетил пограничную заставу, получившую новое оборудование в рамках программы.",
                "Стороны договорились в ближайшие месяцы провести экспертные консультации, чтобы подготовить следующий этап программы.",
            ],
            quote: quote(
                "По итогам переговоров Нурлан Абенов заявил журналистам:",
                "«Безопасность внешней границы — это безопасность каждого государства-члена. То, что я сегодня увидел на заставе, показывает, что программа работает, но сделать предстоит ещё многое».",
            ),
            extra: Extra::None,
        }),
    },
    // 15
    Story {
        section: "secretariat",
        when: When::Ago(23, 10, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Council launches new bilingual website",
            lead: "The redesigned site publishes news in English and Russian, loads faster on mobile phones and makes the archive of press releases easier to search.",
            paras: &[
                "The Secretariat of the Eurasian Cooperation Council has launched a new version of its official website. News, statements and documents are now published in English and Russian at the same time, and readers can switch between the language versions of an article with one click.",
                "The site has been designed for mobile phones and slow connections: pages are light, and the archive of press releases since the founding of the Council can be searched by keyword, section and date.",
                "The press office welcomes feedback from readers and will continue to improve the site over the coming months.",
            ],
            quote: quote(
                "Press Secretary Elena Morozova said:",
                "“Our readers are diplomats, journalists, researchers and ordinary citizens in six countries. We wanted a site that respects their time: fast, clear and in their language.”",
            ),
            extra: Extra::List(
                "What is new",
                &[
                    "News in English and Russian, with links between translations",
                    "Search across the full archive",
                    "Feeds for every section",
                    "Pages that load quickly on mobile networks",
                ],
            ),
        }),
        ru: None,
    },
    // 16
    Story {
        section: "activities",
        when: When::Ago(25, 14, 30),
        status: PUBLISHED,
        en: Some(Text {
            title: "Round table discusses the role of women in peacekeeping",
            lead: "Diplomats, officers and researchers shared their experience of involving women in peacekeeping missions and crisis response.",
            paras: &[
                "The Secretariat of the Eurasian Cooperation Council hosted a round table on the role of women in peacekeeping and conflict prevention. The event brought together diplomats, officers of the collective peacekeeping forces, representatives of non-governmental organizations and researchers.",
                "The participants noted that mixed teams work better with local people, especially with women and children affected by conflict. Over the past five years, the share of women among the officers trained for the Council’s peacekeeping contingent has doubled.",
                "The recommendations of the round table will be taken into account in preparing the next peacekeeping training programme.",
            ],
            quote: quote(
                "Lieutenant Colonel Marina Orlova, an instructor at the peacekeeping training centre, said:",
                "“In the field, trust is everything. Very often it is a woman officer who can talk to the families and find out what is really happening in a village.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Участники круглого стола обсудили роль женщин в миротворчестве",
            lead: "Дипломаты, офицеры и исследователи поделились опытом привлечения женщин к миротворческим миссиям и реагированию на кризисы.",
            paras: &[
                "В Секретариате Евразийского совета сотрудничества прошёл круглый стол, посвящённый роли женщин в миротворчестве и предотвращении конфликтов. В нём приняли участие дипломаты, офицеры коллективных миротворческих сил, представители неправительственных организаций и исследователи.",
                "Участники отметили, что смешанные группы эффективнее работают с местным населением, особенно с женщинами и детьми, пострадавшими от конфликтов. За последние пять лет доля женщин среди офицеров, подготовленных для миротворческого контингента Совета, выросла вдвое.",
                "Рекомендации круглого стола будут учтены при подготовке следующей программы миротворческой подготовки.",
            ],
            quote: quote(
                "Преподаватель миротворческого учебного центра подполковник Марина Орлова сказала:",
                "«В полевых условиях доверие решает всё. Очень часто именно женщина-офицер может поговорить с семьями и узнать, что на самом деле происходит в селе».",
            ),
            extra: Extra::None,
        }),
    },
    // 17
    Story {
        section: "parliamentary-assembly",
        when: When::Ago(27, 11, 45),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Экспертно-консультативный совет при ПА ЕСС обсудил противодействие вербовке молодёжи",
            lead: "Эксперты предложили дополнить модельное законодательство нормами о профилактике радикализации в интернете.",
            paras: &[
                "Состоялось заседание Экспертно-консультативного совета при Парламентской ассамблее Евразийского совета сотрудничества. Его участники — юристы, социологи и представители силовых ведомств — обсудили меры противодействия вербовке молодёжи в террористические и экстремистские организации.",
                "По данным экспертов, значительная часть вербовки сегодня ведётся через мессенджеры и онлайн-игры. Участники предложили закрепить в модельном законодательстве обязанность платформ оперативно удалять противоправные материалы и предусмотреть программы реабилитации для молодых людей, отказавшихся от радикальных взглядов.",
                "Предложения совета будут направлены в постоянную комиссию Ассамблеи по вопросам обороны и безопасности.",
            ],
            quote: quote(
                "Ответственный секретарь Парламентской ассамблеи Тимур Саидов отметил:",
                "«Одними запретами эту проблему не решить. Нужны законы, которые одновременно защищают молодых людей от вербовщиков и дают им шанс вернуться к нормальной жизни».",
            ),
            extra: Extra::List(
                "Основные предложения экспертов",
                &[
                    "Обязать платформы оперативно удалять материалы, призывающие к насилию",
                    "Создать программы реабилитации для отказавшихся от радикальных взглядов",
                    "Включить основы медиаграмотности в школьные программы",
                ],
            ),
        }),
    },
    // 18
    Story {
        section: "news",
        when: When::Ago(28, 9, 30),
        status: PUBLISHED,
        en: Some(Text {
            title: "Committee of Secretaries of Security Councils reviews threats in the region",
            lead: "The secretaries of the member states’ security councils assessed the situation on the external borders and approved measures against cross-border crime.",
            paras: &[
                "A meeting of the Committee of Secretaries of Security Councils of the Eurasian Cooperation Council was held in Bishkek. The participants heard reports on the military and political situation in the region, on trends in international terrorism and on the results of joint operations against illegal migration and drug trafficking.",
                "The Committee approved a set of measures to strengthen cooperation between the special services in identifying and closing channels for recruiting and financing terrorists, and instructed the Secretariat to prepare proposals on protecting critical infrastructure.",
            ],
            quote: quote(
                "Secretary General Nurlan Abenov, who attended the meeting, said:",
                "“The secretaries of the security councils see the whole picture, from border incidents to cyber attacks. Decisions taken at this level quickly become practical measures.”",
            ),
            extra: Extra::List(
                "Decisions of the Committee",
                &[
                    "Measures to cut off the financing of terrorist organizations",
                    "Instructions to prepare proposals on protecting critical infrastructure",
                    "Approval of the plan of joint operations against illegal migration",
                ],
            ),
        }),
        ru: Some(Text {
            title: "Комитет секретарей советов безопасности оценил угрозы в регионе",
            lead: "Секретари советов безопасности государств-членов проанализировали обстановку на внешних границах и утвердили меры по борьбе с трансграничной преступностью.",
            paras: &[
                "В Бишкеке состоялось заседание Комитета секретарей советов безопасности Евразийского совета сотрудничества. Участники заслушали доклады о военно-политической обстановке в регионе, тенденциях международного терроризма и итогах совместных операций по противодействию незаконной миграции и наркотрафику.",
                "Комитет утвердил комплекс мер по усилению взаимодействия спецслужб в выявлении и пресечении каналов вербовки и финансирования террористов и поручил Секретариату подготовить предложения по защите критически важной инфраструктуры.",
            ],
            quote: quote(
                "Принявший участие в заседании Генеральный секретарь Нурлан Абенов заявил:",
                "«Секретари советов безопасности видят всю картину — от пограничных инцидентов до кибератак. Решения, принятые на этом уровне, быстро превращаются в практические меры».",
            ),
            extra: Extra::List(
                "Решения Комитета",
                &[
                    "Меры по пресечению финансирования террористических организаций",
                    "Поручение подготовить предложения по защите критически важной инфраструктуры",
                    "Утверждение плана совместных операций против незаконной миграции",
                ],
            ),
        }),
    },
    // 19
    Story {
        section: "joint-staff",
        when: When::Ago(30, 14, 0),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Специалисты РХБ защиты государств-членов провели совместное учение",
            lead: "Подразделения радиационной, химической и биологической защиты отработали ликвидацию последствий аварии на химическом предприятии.",
            paras: &[
                "На полигоне под Минском прошло совместное специальное учение подразделений радиационной, химической и биологической защиты вооружённых сил государств-членов. В нём были задействованы около 300 военнослужащих и 70 единиц техники.",
                "По замыслу учения, в результате аварии на химическом предприятии произошёл выброс опасных веществ. Подразделения провели разведку заражённого района, эвакуацию условно пострадавших и специальную обработку техники и местности.",
                "Руководство учением осуществлял Объединённый штаб Совета.",
            ],
            quote: quote(
                "Генерал-майор Арам Петросян отметил:",
                "«Такие аварии не признают государственных границ, поэтому наши специалисты должны работать по единым методикам. Сегодня расчёты разных стран действовали как одно подразделение».",
            ),
            extra: Extra::Table(
                "Участники учения",
                &["Участник", "Численность"],
                &[
                    &["Военнослужащие", "около 300"],
                    &["Единицы техники", "70"],
                    &["Мобильные лаборатории", "6"],
                ],
            ),
        }),
    },
    // 20
    Story {
        section: "secretariat",
        when: When::Ago(32, 16, 30),
        status: PUBLISHED,
        en: Some(Text {
            title: "Secretariat signs memorandum with the Regional Centre for Disaster Risk Reduction",
            lead: "The two organizations will exchange early warning data, organise joint training and share the results of their research.",
            paras: &[
                "Secretary General Nurlan Abenov and the director of the Regional Centre for Disaster Risk Reduction, Askar Nurmagambetov, signed a memorandum of understanding at the Secretariat. The document provides a framework for cooperation in preventing and responding to natural and man-made disasters.",
                "Under the memorandum, the organizations will exchange early warning data on floods, mudflows and earthquakes, invite each other’s experts to exercises and prepare joint training materials for national emergency services.",
                "A joint working group will draw up a detailed plan of activities within three months.",
            ],
            quote: quote(
                "After the signing ceremony, Nurlan Abenov said:",
                "“Earthquakes and floods are among the most serious threats our citizens face. By joining forces with specialists in disaster risk reduction, we make our crisis response system stronger.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Секретариат подписал меморандум с Региональным центром по снижению риска бедствий",
            lead: "Организации будут обмениваться данными раннего предупреждения, проводить совместную подготовку и делиться результатами исследований.",
            paras: &[
                "Генеральный секретарь Нурлан Абенов и директор Регионального центра по снижению риска бедствий Аскар Нурмагамбетов подписали в Секретариате меморандум о взаимопонимании. Документ создаёт основу для сотрудничества в области предупреждения и ликвидации последствий природных и техногенных катастроф.",
                "В соответствии с меморандумом организации будут обмениваться данными раннего предупреждения о паводках, селях и землетрясениях, приглашать экспертов друг друга на учения и готовить совместные учебные материалы для национальных служб по чрезвычайным ситуациям.",
                "В течение трёх месяцев совместная рабочая группа разработает подробный план мероприятий.",
            ],
            quote: quote(
                "После церемонии подписания Нурлан Абенов заявил:",
                "«Землетрясения и наводнения — одни из самых серьёзных угроз, с которыми сталкиваются наши граждане. Объединяя усилия со специалистами в области снижения риска бедствий, мы делаем нашу систему кризисного реагирования сильнее».",
            ),
            extra: Extra::None,
        }),
    },
    // 21
    Story {
        section: "news",
        when: When::Ago(34, 12, 15),
        status: PUBLISHED,
        en: Some(Text {
            title: "New permanent representative presents credentials to the Secretary General",
            lead: "Ambassador Kairat Zhunusov will represent his country in the Council’s permanent bodies.",
            paras: &[
                "Secretary General Nurlan Abenov received the credentials of Ambassador Kairat Zhunusov, who has been appointed his country’s permanent representative to the Eurasian Cooperation Council.",
                "The Secretary General briefed the ambassador on the current work of the Council’s statutory bodies and on preparations for upcoming meetings. They also discussed the role of the Permanent Council in coordinating the positions of the member states between ministerial meetings.",
                "Ambassador Zhunusov previously served as deputy foreign minister and headed his country’s delegation at the Council’s expert consultations on crisis response.",
            ],
            quote: quote(
                "The Secretary General wished the ambassador success and said:",
                "“The permanent representatives are the everyday voice of the member states in our organization. I look forward to working together.”",
            ),
            extra: Extra::None,
        }),
        ru: None,
    },
    // 22
    Story {
        section: "activities",
        when: When::Ago(35, 10, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Journalists from member states attend seminar on reporting on security",
            lead: "Twenty-five reporters learned how to work with official sources, verify information in a crisis and explain complex security topics to readers.",
            paras: &[
                "The Secretariat’s press office held a two-day seminar for journalists from the member states who cover defence, security and international affairs. Twenty-five reporters from print, online and broadcast media took part.",
                "Experts from the Secretariat and the Joint Staff explained how the Council’s bodies take decisions, what information can be released during an exercise or a crisis, and how to request comments from officials. A separate session was devoted to verifying photos and videos circulating on social networks.",
            ],
            quote: quote(
                "Press Secretary Elena Morozova said:",
                "“Good journalism about security is only possible when reporters understand how our institutions work. We want to be a reliable source for them, especially when rumours spread faster than facts.”",
            ),
            extra: Extra::List(
                "Seminar topics",
                &[
                    "How the Council’s statutory bodies work",
                    "Working with official sources during a crisis",
                    "Verifying photos and videos from social networks",
                    "Covering military exercises",
                ],
            ),
        }),
        ru: Some(Text {
            title: "Журналисты из государств-членов прошли семинар по освещению тем безопасности",
            lead: "Двадцать пять корреспондентов узнали, как работать с официальными источниками, проверять информацию во время кризиса и объяснять читателям сложные темы безопасности.",
            paras: &[
                "Пресс-служба Секретариата провела двухдневный семинар для журналистов государств-членов, освещающих вопросы обороны, безопасности и международных отношений. В нём приняли участие двадцать пять корреспондентов печатных, интернет- и телевизионных СМИ.",
                "Эксперты Секретариата и Объединённого штаба рассказали, как принимаются решения в органах Совета, какую информацию можно публиковать во время учений или кризиса и как запрашивать комментарии должностных лиц. Отдельное занятие было посвящено проверке фотографий и видеозаписей, распространяющихся в социальных сетях.",
            ],
            quote: quote(
                "Пресс-секретарь Елена Морозова сказала:",
                "«Качественная журналистика о безопасности возможна только тогда, когда корреспонденты понимают, как работают наши институты. Мы хотим быть для них надёжным источником, особенно когда слухи распространяются быстрее фактов».",
            ),
            extra: Extra::List(
                "Темы семинара",
                &[
                    "Как работают уставные органы Совета",
                    "Работа с официальными источниками во время кризиса",
                    "Проверка фотографий и видео из социальных сетей",
                    "Освещение военных учений",
                ],
            ),
        }),
    },
    // 23
    Story {
        section: "news",
        when: When::Ago(37, 13, 30),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Постоянный совет согласовал проекты документов к заседанию министров обороны",
            lead: "Полномочные представители государств-членов одобрили проект плана коллективной подготовки и рекомендации по оснащению сил быстрого реагирования.",
            paras: &[
                "В Секретариате под председательством полномочного представителя председательствующего государства прошло очередное заседание Постоянного совета Евразийского совета сотрудничества.",
                "Участники согласовали проекты документов, которые будут вынесены на рассмотрение Совета министров обороны, в том числе план коллективной подготовки органов управления и рекомендации по оснащению сил быстрого реагирования современными средствами связи.",
                "Кроме того, Постоянный совет рассмотрел ход выполнения решений, принятых на предыдущей сессии, и заслушал информацию Секретариата об исполнении бюджета.",
            ],
            quote: None,
            extra: Extra::None,
        }),
    },
    // 24
    Story {
        section: "joint-staff",
        when: When::Ago(39, 11, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Mountain Echo exercise of the collective rapid reaction forces begins",
            lead: "Units from four member states will spend the next week practising operations in high mountain terrain.",
            paras: &[
                "The active phase of the Mountain Echo exercise of the collective rapid reaction forces has begun at a mountain training ground in the south of the region. Around 1,500 troops, 200 vehicles and 12 aircraft and helicopters are involved.",
                "Under the scenario, illegal armed groups have crossed the border and occupied several villages in a mountain valley. The units will practise blocking and neutralising the groups, evacuating civilians and delivering supplies by air at altitudes of more than 3,000 metres.",
                "Observers from the Secretariat and the Parliamentary Assembly have been invited to the final stage of the exercise.",
            ],
            quote: quote(
                "Colonel General Vadim Ostrovsky, who is directing the exercise, said:",
                "“Mountains punish every mistake in planning. That is why we train here: if the forces can work together at three thousand metres, they can work together anywhere.”",
            ),
            extra: Extra::Table(
                "Forces involved",
                &["Component", "Numbers"],
                &[&["Personnel", "about 1,500"], &["Vehicles", "200"], &["Aircraft and helicopters", "12"]],
            ),
        }),
        ru: Some(Text {
            title: "Началось учение коллективных сил быстрого реагирования «Горное эхо»",
            lead: "В течение недели подразделения четырёх государств-членов будут отрабатывать действия в условиях высокогорья.",
            paras: &[
                "На горном полигоне на юге региона началась активная фаза учения коллективных сил быстрого реагирования «Горное эхо». К нему привлечены около 1500 военнослужащих, 200 единиц техники, 12 самолётов и вертолётов.",
                "По замыслу учения, незаконные вооружённые формирования пересекли границу и заняли несколько сёл в горной долине. Подразделениям предстоит отработать блокирование и нейтрализацию формирований, эвакуацию мирных жителей и доставку грузов по воздуху на высоте более 3000 метров.",
                "На заключительный этап учения приглашены наблюдатели от Секретариата и Парламентской ассамблеи.",
            ],
            quote: quote(
                "Руководитель учения генерал-полковник Вадим Островский заявил:",
                "«Горы наказывают за каждую ошибку в планировании. Поэтому мы и тренируемся здесь: если силы способны взаимодействовать на высоте трёх тысяч метров, они смогут взаимодействовать где угодно».",
            ),
            extra: Extra::Table(
                "Привлекаемые силы и средства",
                &["Компонент", "Количество"],
                &[&["Личный состав", "около 1500"], &["Техника", "200"], &["Самолёты и вертолёты", "12"]],
            ),
        }),
    },
    // 25
    Story {
        section: "parliamentary-assembly",
        when: When::Ago(41, 10, 30),
        status: PUBLISHED,
        en: Some(Text {
            title: "Parliamentary Assembly holds plenary session and adopts five model laws",
            lead: "Members of parliament from the six member states adopted model laws and recommendations on harmonising security legislation.",
            paras: &[
                "The plenary session of the Parliamentary Assembly of the Eurasian Cooperation Council has taken place in Minsk. It was attended by delegations of the national parliaments of all member states, the Secretary General of the Council and observers from partner parliaments.",
                "The Assembly adopted five model laws, including laws on countering illegal migration and on protecting critical infrastructure, as well as recommendations on harmonising the member states’ export control legislation.",
                "The parliamentarians also approved the report on the Assembly’s activities over the past year and its budget.",
            ],
            quote: quote(
                "In her closing remarks, the Chair of the Council of the Assembly, Galina Zhukova, said:",
                "“Every model law adopted today is the result of months of work by experts and members of parliament from six countries. Now it is up to the national parliaments to turn them into working legislation.”",
            ),
            extra: Extra::Table(
                "Documents adopted",
                &["Document", "Type"],
                &[
                    &["On countering illegal migration", "Model law"],
                    &["On the protection of critical infrastructure", "Model law"],
                    &["On volunteer rescue teams", "Model law"],
                    &["On private security activities", "Model law"],
                    &["On humanitarian demining", "Model law"],
                    &["On harmonising export control legislation", "Recommendations"],
                ],
            ),
        }),
        ru: Some(Text {
            title: "Парламентская ассамблея провела пленарное заседание и приняла пять модельных законов",
            lead: "Депутаты из шести государств-членов приняли модельные законы и рекомендации по сближению законодательства в сфере безопасности.",
            paras: &[
                "В Минске состоялось пленарное заседание Парламентской ассамблеи Евразийского совета сотрудничества. В нём приняли участие делегации национальных парламентов всех государств-членов, Генеральный секретарь Совета и наблюдатели от парламентов государств-партнёров.",
                "Ассамблея приняла пять модельных законов, в том числе о противодействии незаконной миграции и о защите критически важной инфраструктуры, а также рекомендации по сближению законодательства государств-членов в области экспортного контроля.",
                "Парламентарии также утвердили отчёт о деятельности Ассамблеи за прошедший год и её бюджет.",
            ],
            quote: quote(
                "Подводя итоги, председатель Совета Ассамблеи Галина Жукова сказала:",
                "«Каждый принятый сегодня модельный закон — результат многомесячной работы экспертов и депутатов шести стран. Теперь дело за национальными парламентами, которым предстоит превратить их в действующее законодательство».",
            ),
            extra: Extra::Table(
                "Принятые документы",
                &["Документ", "Вид"],
                &[
                    &["О противодействии незаконной миграции", "Модельный закон"],
                    &["О защите критически важной инфраструктуры", "Модельный закон"],
                    &["О добровольных спасательных формированиях", "Модельный закон"],
                    &["О частной охранной деятельности", "Модельный закон"],
                    &["О гуманитарном разминировании", "Модельный закон"],
                    &["О сближении законодательства в области экспортного контроля", "Рекомендации"],
                ],
            ),
        }),
    },
    // 26
    Story {
        section: "activities",
        when: When::Ago(43, 15, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Council staff take part in charity run for a children’s hospital",
            lead: "More than 80 employees of the Council’s bodies and their families raised money for new equipment for a children’s rehabilitation centre.",
            paras: &[
                "Employees of the Secretariat, the Joint Staff and the Parliamentary Assembly took part in a charity run in a city park at the weekend, together with their families and friends.",
                "Runners could choose a distance of three, five or ten kilometres. The entry fees and donations collected will be used to buy rehabilitation equipment for a children’s hospital.",
                "The organisers thanked the volunteers from the Council’s youth council who helped at the start and the finish.",
            ],
            quote: None,
            extra: Extra::Table(
                "Runners by distance",
                &["Distance", "Runners"],
                &[&["3 km", "37"], &["5 km", "29"], &["10 km", "17"]],
            ),
        }),
        ru: None,
    },
    // 27
    Story {
        section: "news",
        when: When::Ago(44, 10, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Secretary General and Chair of the Parliamentary Assembly Council discuss joint priorities",
            lead: "Nurlan Abenov and Galina Zhukova agreed to strengthen coordination between the Secretariat and the Assembly in drafting model laws.",
            paras: &[
                "Secretary General Nurlan Abenov met the Chair of the Council of the Parliamentary Assembly, Galina Zhukova. They discussed the implementation of decisions of the Council’s statutory bodies and the Assembly’s model law-making programme.",
                "They agreed that experts from the Secretariat will join the work of the Assembly’s standing committees at an early stage of drafting, so that model laws reflect the practical experience of the Council’s bodies. They also discussed organising parliamentary hearings on information security.",
            ],
            quote: quote(
                "Galina Zhukova noted:",
                "“The Assembly gives our common decisions a legal foundation. The more closely we work with the Secretariat, the faster those decisions reach people’s lives.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Генеральный секретарь и председатель Совета Парламентской ассамблеи обсудили совместные приоритеты",
            lead: "Нурлан Абенов и Галина Жукова договорились усилить координацию между Секретариатом и Ассамблеей при разработке модельных законов.",
            paras: &[
                "Генеральный секретарь Нурлан Абенов встретился с председателем Совета Парламентской ассамблеи Галиной Жуковой. Стороны обсудили ход выполнения решений уставных органов Совета и программу модельного законотворчества Ассамблеи.",
                "Стороны договорились, что эксперты Секретариата будут участвовать в работе постоянных комиссий Ассамблеи уже на ранней стадии подготовки законопроектов, чтобы модельные законы учитывали практический опыт органов Совета. Также обсуждалась организация парламентских слушаний по вопросам информационной безопасности.",
            ],
            quote: quote(
                "Галина Жукова отметила:",
                "«Ассамблея придаёт нашим общим решениям правовую основу. Чем теснее мы работаем с Секретариатом, тем быстрее эти решения доходят до жизни людей».",
            ),
            extra: Extra::None,
        }),
    },
    // 28
    Story {
        section: "secretariat",
        when: When::Ago(46, 11, 30),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Руководители служб спасения обсудили создание единого резерва техники",
            lead: "Представители национальных ведомств по чрезвычайным ситуациям рассмотрели концепцию совместного резерва спасательной техники и оборудования.",
            paras: &[
                "В Секретариате Евразийского совета сотрудничества прошло совещание руководителей подразделений ведомств по чрезвычайным ситуациям государств-членов. Участники рассмотрели концепцию создания единого резерва спасательной техники, оборудования и гуманитарных грузов.",
                "Предполагается, что резерв будет размещён на нескольких складах в разных странах, чтобы помощь можно было доставить в любую точку региона в течение суток. Финансировать резерв планируется за счёт долевых взносов государств-членов.",
                "Доработанная концепция будет представлена Комитету секретарей советов безопасности.",
            ],
            quote: quote(
                "Руководитель Центра кризисного реагирования полковник Дмитрий Савельев пояснил:",
                "«Опыт последних лет показывает, что при бедствиях всё решает скорость доставки помощи. Общий резерв позволит не собирать технику по всем странам, а сразу отправлять её туда, где она нужна».",
            ),
            extra: Extra::List(
                "Что войдёт в резерв",
                &[
                    "Мобильные электростанции и насосы",
                    "Палатки и модули для временного размещения людей",
                    "Установки для очистки воды",
                    "Медицинские укладки",
                ],
            ),
        }),
    },
    // 29
    Story {
        section: "joint-staff",
        when: When::Ago(48, 10, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Signal troops test the collective forces’ secure communications network",
            lead: "A joint training session confirmed that command posts in all member states can exchange classified messages and hold video conferences.",
            paras: &[
                "The Joint Staff held a joint training session for the signal units of the collective forces. For three days, specialists from all member states tested the secure communications network that links the national command posts with the Joint Staff.",
                "The participants practised switching to back-up channels when the main lines fail, restoring communications after a simulated cyber attack and setting up video conferences for commanders at short notice.",
                "The results will be used to update the plan for developing the automated command and control system of the collective forces.",
            ],
            quote: quote(
                "Deputy Chief of the Joint Staff Major General Aram Petrosyan said:",
                "“Without reliable communications there is no command and control. This time, all national command posts joined the network within the standard time, which we could not achieve two years ago.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Связисты проверили защищённую сеть связи коллективных сил",
            lead: "Совместная тренировка подтвердила, что пункты управления во всех государствах-членах могут обмениваться секретными сообщениями и проводить видеоконференции.",
            paras: &[
                "Объединённый штаб провёл совместную тренировку подразделений связи коллективных сил. В течение трёх дней специалисты всех государств-членов проверяли защищённую сеть связи, объединяющую национальные пункты управления с Объединённым штабом.",
                "Участники отработали переход на резервные каналы при отказе основных линий, восстановление связи после условной кибератаки и организацию видеоконференций для руководства в сжатые сроки.",
                "Результаты будут использованы при уточнении плана развития автоматизированной системы управления коллективными силами.",
            ],
            quote: quote(
                "Заместитель начальника Объединённого штаба генерал-майор Арам Петросян заявил:",
                "«Без надёжной связи нет управления. На этот раз все национальные пункты управления вошли в сеть в нормативные сроки — два года назад этого добиться не удавалось».",
            ),
            extra: Extra::None,
        }),
    },
    // 30
    Story {
        section: "news",
        when: When::Ago(50, 16, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Secretary General lectures at the Diplomatic Academy",
            lead: "Nurlan Abenov spoke to future diplomats about the history of the Council, the way it takes decisions and the challenges it faces.",
            paras: &[
                "Secretary General Nurlan Abenov gave a lecture to students and teachers of the Diplomatic Academy. He spoke about how the Council was created, how consensus is reached among the member states and how the organization’s priorities have changed over the past decade.",
                "In the question-and-answer session, students asked about the Council’s relations with other international organizations, the role of the Parliamentary Assembly and opportunities for internships at the Secretariat.",
                "The Secretary General invited the best students to apply for the Secretariat’s internship programme, which accepts applications twice a year.",
            ],
            quote: quote(
                "Answering a question about consensus, he said:",
                "“Consensus is slow, and sometimes it is frustrating. But a decision that all six countries have agreed to is a decision that all six countries will carry out.”",
            ),
            extra: Extra::None,
        }),
        ru: None,
    },
    // 31
    Story {
        section: "activities",
        when: When::Ago(52, 12, 0),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Подведены итоги конкурса студенческих эссе о коллективной безопасности",
            lead: "Жюри выбрало лучшие из 340 эссе, присланных студентами вузов шести государств-членов.",
            paras: &[
                "Секретариат Евразийского совета сотрудничества подвёл итоги ежегодного конкурса студенческих эссе «Безопасность: взгляд молодых». В этом году на конкурс поступило 340 работ из вузов всех государств-членов.",
                "Участники писали о противодействии киберугрозам, роли миротворчества в урегулировании конфликтов, защите молодёжи от вербовки и экологических рисках для региона. Жюри, в которое вошли дипломаты и преподаватели университетов, отметило высокий уровень работ и самостоятельность суждений авторов.",
                "Победители получат возможность пройти стажировку в Секретариате, а лучшие эссе будут опубликованы отдельным сборником.",
            ],
            quote: quote(
                "Председатель жюри, заместитель Генерального секретаря Сергей Липницкий отметил:",
                "«Нас порадовало, что студенты не пересказывают учебники, а предлагают собственные решения. Некоторые идеи мы всерьёз обсудим с коллегами в Секретариате».",
            ),
            extra: Extra::Table(
                "Призёры конкурса",
                &["Место", "Тема эссе"],
                &[
                    &["1", "Киберустойчивость малых городов"],
                    &["2", "Миротворчество и доверие местного населения"],
                    &["3", "Климатические риски как угроза безопасности"],
                ],
            ),
        }),
    },
    // 32
    Story {
        section: "secretariat",
        when: When::Ago(54, 10, 45),
        status: PUBLISHED,
        en: Some(Text {
            title: "Working group on illegal migration agrees on joint operation plan",
            lead: "Experts from migration services and border agencies agreed on the timing and stages of the next regional operation against illegal migration.",
            paras: &[
                "The working group on countering illegal migration met at the Secretariat. It brought together representatives of the migration services, border agencies and interior ministries of the member states.",
                "The participants reviewed the results of the previous operation, during which more than 2,000 violations of migration law were detected and several criminal groups involved in people smuggling were broken up. They agreed on a plan for the next operation, which will focus more on forged documents and illegal job offers on the internet.",
            ],
            quote: quote(
                "Deputy Secretary General Sergei Lipnitsky said:",
                "“Behind every case of people smuggling there are people who have been deceived and exploited. Our operations target the criminals, not the migrants who became their victims.”",
            ),
            extra: Extra::List(
                "Priorities of the next operation",
                &[
                    "Detecting forged identity and travel documents",
                    "Illegal offers of employment abroad on the internet",
                    "The finances of smuggling networks",
                ],
            ),
        }),
        ru: Some(Text {
            title: "Рабочая группа по противодействию незаконной миграции согласовала план совместной операции",
            lead: "Эксперты миграционных служб и пограничных ведомств согласовали сроки и этапы очередной региональной операции против незаконной миграции.",
            paras: &[
                "В Секретариате состоялось заседание рабочей группы по противодействию незаконной миграции. В нём приняли участие представители миграционных служб, пограничных ведомств и министерств внутренних дел государств-членов.",
                "Участники рассмотрели итоги предыдущей операции, в ходе которой было выявлено более 2000 нарушений миграционного законодательства и ликвидировано несколько преступных групп, занимавшихся незаконной переправкой людей. Был согласован план следующей операции, в ходе которой особое внимание будет уделено поддельным документам и предложениям незаконного трудоустройства в интернете.",
            ],
            quote: quote(
                "Заместитель Генерального секретаря Сергей Липницкий сказал:",
                "«За каждым случаем незаконной переправки стоят обманутые и эксплуатируемые люди. Наши операции направлены против преступников, а не против мигрантов, ставших их жертвами».",
            ),
            extra: Extra::List(
                "Приоритеты следующей операции",
                &[
                    "Выявление поддельных удостоверений личности и проездных документов",
                    "Предложения незаконного трудоустройства за рубежом в интернете",
                    "Финансовые потоки сетей незаконной переправки",
                ],
            ),
        }),
    },
    // 33
    Story {
        section: "news",
        when: When::Ago(56, 14, 15),
        status: PUBLISHED,
        en: Some(Text {
            title: "Council of Defence Ministers approves plan for equipping the rapid reaction forces",
            lead: "The ministers also discussed the training of the peacekeeping contingent and military medicine.",
            paras: &[
                "A meeting of the Council of Defence Ministers of the Eurasian Cooperation Council was held in Astana. The ministers heard a report by the Chief of the Joint Staff on the state of the collective forces and the results of joint training.",
                "The Council approved a plan for equipping the collective rapid reaction forces with modern weapons, communications equipment and unmanned aerial vehicles, as well as a programme for training military medical specialists. The ministers also agreed on the list of joint exercises for the next training period.",
            ],
            quote: quote(
                "Speaking after the meeting, Colonel General Vadim Ostrovsky said:",
                "“The decisions taken today give the collective forces a clear plan for the next three years. The key is to make sure that units from different countries use compatible equipment and can operate side by side.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Совет министров обороны утвердил план оснащения сил быстрого реагирования",
            lead: "Министры также обсудили подготовку миротворческого контингента и вопросы военной медицины.",
            paras: &[
                "В Астане состоялось заседание Совета министров обороны Евразийского совета сотрудничества. Министры заслушали доклад начальника Объединённого штаба о состоянии коллективных сил и итогах совместной подготовки.",
                "Совет утвердил план оснащения коллективных сил быстрого реагирования современным вооружением, средствами связи и беспилотными летательными аппаратами, а также программу подготовки военно-медицинских специалистов. Министры согласовали перечень совместных учений на следующий учебный период.",
            ],
            quote: quote(
                "По итогам заседания генерал-полковник Вадим Островский заявил:",
                "«Принятые сегодня решения дают коллективным силам ясный план на ближайшие три года. Главное — добиться того, чтобы подразделения разных стран использовали совместимую технику и могли действовать плечом к плечу».",
            ),
            extra: Extra::None,
        }),
    },
    // 34
    Story {
        section: "parliamentary-assembly",
        when: When::Ago(58, 11, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Parliamentary Assembly observers monitor parliamentary elections",
            lead: "The observation mission found that the vote was well organised and made several recommendations on training polling station staff.",
            paras: &[
                "A mission of observers from the Parliamentary Assembly of the Eurasian Cooperation Council monitored parliamentary elections in one of the member states at the invitation of its central election commission. The mission included 42 members of parliament and experts from five countries.",
                "The observers visited more than 300 polling stations in the capital and the regions. In its preliminary statement, the mission noted that voting was well organised and that voters were able to express their will freely.",
                "The mission recommended further training for members of polling station commissions and wider use of accessible voting equipment for people with disabilities. Its final report will be presented to the Council of the Assembly.",
            ],
            quote: quote(
                "The head of the mission, Timur Saidov, said at a press conference:",
                "“We saw calm and orderly voting. Our recommendations are practical, and we are ready to share how other member states have put similar ones into practice.”",
            ),
            extra: Extra::None,
        }),
        ru: None,
    },
    // 35
    Story {
        section: "activities",
        when: When::Ago(60, 10, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Scientific conference examines new challenges to regional security",
            lead: "Researchers from universities and think tanks discussed climate risks, cyber threats and the future of arms control.",
            paras: &[
                "The annual conference “Regional Security: New Challenges” took place at the Secretariat. More than 150 researchers, diplomats and military experts from the member states and partner countries took part.",
                "The conference was organised in four panels devoted to climate and water security, threats in the information space, the prevention of armed conflicts and the future of arms control. Several speakers drew attention to the growing link between environmental problems and social tension.",
                "The conference papers will be published in a collection, and the Secretariat will use the recommendations in preparing analytical materials for the Council’s statutory bodies.",
            ],
            quote: quote(
                "Opening the conference, Deputy Secretary General Sergei Lipnitsky said:",
                "“Practitioners need researchers who are not afraid to look ahead. The threats we will face in ten years are often visible today only to specialists.”",
            ),
            extra: Extra::List(
                "Conference panels",
                &[
                    "Climate and water security",
                    "Threats in the information space",
                    "Preventing armed conflicts",
                    "The future of arms control",
                ],
            ),
        }),
        ru: Some(Text {
            title: "Научная конференция рассмотрела новые вызовы региональной безопасности",
            lead: "Учёные университетов и аналитических центров обсудили климатические риски, киберугрозы и будущее контроля над вооружениями.",
            paras: &[
                "В Секретариате прошла ежегодная научно-практическая конференция «Региональная безопасность: новые вызовы». В ней приняли участие более 150 учёных, дипломатов и военных экспертов из государств-членов и стран-партнёров.",
                "Работа конференции была организована в четырёх секциях, посвящённых климатической и водной безопасности, угрозам в информационном пространстве, предотвращению вооружённых конфликтов и будущему контроля над вооружениями. Ряд выступающих обратил внимание на растущую связь между экологическими проблемами и социальной напряжённостью.",
                "Доклады участников будут опубликованы в сборнике, а рекомендации конференции Секретариат использует при подготовке аналитических материалов для уставных органов Совета.",
            ],
            quote: quote(
                "Открывая конференцию, заместитель Генерального секретаря Сергей Липницкий сказал:",
                "«Практикам нужны исследователи, которые не боятся заглядывать вперёд. Угрозы, с которыми мы столкнёмся через десять лет, сегодня зачастую видны только специалистам».",
            ),
            extra: Extra::List(
                "Секции конференции",
                &[
                    "Климатическая и водная безопасность",
                    "Угрозы в информационном пространстве",
                    "Предотвращение вооружённых конфликтов",
                    "Будущее контроля над вооружениями",
                ],
            ),
        }),
    },
    // 36
    Story {
        section: "news",
        when: When::Ago(62, 9, 50),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Завершилась региональная антинаркотическая операция «Перекрёсток»",
            lead: "В ходе операции из незаконного оборота изъято более 12 тонн наркотиков и выявлено 37 подпольных лабораторий.",
            paras: &[
                "Завершилась региональная антинаркотическая операция «Перекрёсток», проходившая под координацией Секретариата Евразийского совета сотрудничества. В ней участвовали органы внутренних дел, службы безопасности, пограничные и таможенные ведомства всех государств-членов.",
                "В ходе операции из незаконного оборота изъято более 12 тонн наркотических средств и психотропных веществ, в том числе около 900 килограммов синтетических наркотиков. Выявлено 37 подпольных лабораторий, возбуждено более 4000 уголовных дел.",
                "Впервые в качестве наблюдателей в операции участвовали представители ряда международных организаций.",
            ],
            quote: None,
            extra: Extra::Table(
                "Основные результаты",
                &["Показатель", "Значение"],
                &[
                    &["Изъято наркотиков", "более 12 т"],
                    &["в том числе синтетических", "около 900 кг"],
                    &["Выявлено лабораторий", "37"],
                    &["Возбуждено уголовных дел", "более 4000"],
                ],
            ),
        }),
    },
    // 37
    Story {
        section: "joint-staff",
        when: When::Ago(64, 13, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Military doctors practise evacuating casualties in joint training",
            lead: "Medical units from five member states worked out procedures for treating and evacuating large numbers of casualties.",
            paras: &[
                "Military medical units from five member states held a joint training session organised by the Joint Staff. More than 120 doctors, nurses and paramedics took part, together with ambulance crews and a medical helicopter.",
                "The scenario simulated a mass-casualty incident after an explosion at a transport hub. The medics practised triage, emergency surgery in a field hospital and the evacuation of the seriously wounded by air to a hospital in the rear.",
            ],
            quote: quote(
                "The head of the medical service of the Joint Staff, Colonel Irina Vasilenko, said:",
                "“In a real emergency, medics from different countries will be working in the same tent. They need to use the same triage categories and the same forms, and today we checked that they do.”",
            ),
            extra: Extra::List(
                "Skills practised",
                &[
                    "Triage of casualties",
                    "Emergency surgery in a field hospital",
                    "Air evacuation of the seriously wounded",
                    "Exchange of medical records between national teams",
                ],
            ),
        }),
        ru: None,
    },
    // 38
    Story {
        section: "secretariat",
        when: When::Ago(66, 15, 45),
        status: PUBLISHED,
        en: Some(Text {
            title: "Secretariat publishes analytical review of terrorist threats in the region",
            lead: "The review notes the growing use of online platforms for recruitment and of cryptocurrencies for financing terrorist activity.",
            paras: &[
                "The Secretariat of the Eurasian Cooperation Council has published its annual analytical review of terrorist and extremist threats in the region. The review is based on data provided by the competent authorities of the member states and on open sources.",
                "According to the review, the number of terrorist crimes in the member states fell over the year, but recruiters remain highly active on the internet. The authors also point to the increasing use of cryptocurrencies and informal money transfer systems to finance terrorist activity.",
                "The review contains recommendations for the competent authorities and will be discussed by the Committee of Secretaries of Security Councils.",
            ],
            quote: quote(
                "Presenting the review, Sergei Lipnitsky said:",
                "“The numbers are moving in the right direction, but the threat is changing shape. Terrorists are moving online and into the financial shadows, and our response has to follow them there.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Секретариат опубликовал аналитический обзор террористических угроз в регионе",
            lead: "В обзоре отмечается рост использования онлайн-платформ для вербовки и криптовалют для финансирования террористической деятельности.",
            paras: &[
                "Секретариат Евразийского совета сотрудничества опубликовал ежегодный аналитический обзор террористических и экстремистских угроз в регионе. Обзор подготовлен на основе данных компетентных органов государств-членов и открытых источников.",
                "Согласно обзору, число преступлений террористического характера в государствах-членах за год снизилось, однако активность вербовщиков в интернете остаётся высокой. Авторы также указывают на всё более широкое использование криптовалют и неформальных систем денежных переводов для финансирования террористической деятельности.",
                "Обзор содержит рекомендации для компетентных органов и будет рассмотрен на заседании Комитета секретарей советов безопасности.",
            ],
            quote: quote(
                "Представляя обзор, Сергей Липницкий сказал:",
                "«Цифры меняются в правильном направлении, но угроза меняет форму. Террористы уходят в интернет и в финансовую тень, и наши меры противодействия должны следовать за ними».",
            ),
            extra: Extra::None,
        }),
    },
    // 39
    Story {
        section: "parliamentary-assembly",
        when: When::Ago(69, 10, 15),
        status: PUBLISHED,
        en: Some(Text {
            title: "Standing Committee on Political Affairs discusses cooperation with partner parliaments",
            lead: "The committee approved a plan of contacts with the parliaments of partner countries and heard a report on the Assembly’s international activities.",
            paras: &[
                "The Standing Committee on Political Affairs and International Cooperation of the Parliamentary Assembly held its regular meeting. Members of parliament from all member states discussed ways of developing contacts with the parliaments of partner countries and with interparliamentary organizations.",
                "The committee approved a plan of joint events for the coming year, including a seminar for parliamentary staff and a joint conference on the role of parliaments in conflict prevention. It also recommended granting observer status to the parliamentary delegation of one of the partner states.",
            ],
            quote: quote(
                "The chair of the committee, Daniyar Omarov, said:",
                "“Parliamentary diplomacy can open doors that remain closed to governments. We intend to use this opportunity to explain the Council’s goals to our partners.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Постоянная комиссия по политическим вопросам обсудила сотрудничество с парламентами-партнёрами",
            lead: "Комиссия утвердила план контактов с парламентами стран-партнёров и заслушала доклад о международной деятельности Ассамблеи.",
            paras: &[
                "Состоялось очередное заседание Постоянной комиссии Парламентской ассамблеи по политическим вопросам и международному сотрудничеству. Депутаты всех государств-членов обсудили пути развития контактов с парламентами стран-партнёров и межпарламентскими организациями.",
                "Комиссия утвердила план совместных мероприятий на следующий год, включающий семинар для сотрудников парламентских аппаратов и совместную конференцию о роли парламентов в предотвращении конфликтов. Кроме того, комиссия рекомендовала предоставить статус наблюдателя парламентской делегации одного из государств-партнёров.",
            ],
            quote: quote(
                "Председатель комиссии Данияр Омаров заявил:",
                "«Парламентская дипломатия способна открыть двери, которые остаются закрытыми для правительств. Мы намерены использовать эту возможность, чтобы разъяснять партнёрам цели Совета».",
            ),
            extra: Extra::None,
        }),
    },
    // 40
    Story {
        section: "news",
        when: When::Ago(72, 12, 30),
        status: PUBLISHED,
        en: Some(Text {
            title: "Applications open for the Secretariat’s internship programme",
            lead: "Graduate students and young professionals from the member states can apply for three-month internships in the Secretariat’s departments.",
            paras: &[
                "The Secretariat of the Eurasian Cooperation Council has opened applications for its internship programme. Up to twelve interns will be selected to work for three months in the political, military, crisis response, legal and press departments.",
                "Internships are unpaid, but interns from outside the host city receive a contribution towards accommodation.",
                "Applications, including a CV, a motivation letter and a recommendation from a university, are accepted through the form on the Council’s website for one month.",
            ],
            quote: None,
            extra: Extra::List(
                "Requirements for candidates",
                &[
                    "Citizenship of a member state",
                    "A master’s or doctoral degree, completed or in progress",
                    "A good working knowledge of Russian and English",
                    "Availability for three months",
                ],
            ),
        }),
        ru: None,
    },
    // 41
    Story {
        section: "joint-staff",
        when: When::Ago(75, 10, 30),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Инструкторы Объединённого штаба провели сборы по гуманитарному разминированию",
            lead: "Сапёры государств-членов освоили новые методики обнаружения взрывоопасных предметов с применением беспилотников.",
            paras: &[
                "В учебном центре инженерных войск прошли двухнедельные сборы сапёров вооружённых сил государств-членов, организованные Объединённым штабом. Основная тема сборов — гуманитарное разминирование территорий, на которых в прошлом велись боевые действия или проводились стрельбы.",
                "Военнослужащие освоили применение беспилотных летательных аппаратов с тепловизорами и металлодетекторами для предварительной разведки местности, а также новые стандарты маркировки опасных участков. Отдельные занятия были посвящены работе с местным населением и оказанию первой помощи.",
                "Подготовленные специалисты смогут войти в состав сводного отряда гуманитарного разминирования, который планируется создать в рамках коллективных сил.",
            ],
            quote: quote(
                "Руководитель сборов полковник Андрей Гусев сказал:",
                "«Сапёр ошибается один раз — эта старая истина никуда не делась. Но современные технологии позволяют сделать так, чтобы человеку приходилось рисковать гораздо реже».",
            ),
            extra: Extra::None,
        }),
    },
    // 42
    Story {
        section: "secretariat",
        when: When::Ago(78, 14, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Legal advisers of the foreign ministries review the Council’s treaty base",
            lead: "The consultations focused on simplifying procedures for the transit of the collective forces and on the status of the Council’s staff.",
            paras: &[
                "The Secretariat hosted consultations of the heads of the legal departments of the member states’ foreign ministries. The participants reviewed the state of the Council’s treaty base, which includes more than sixty international agreements.",
                "Particular attention was paid to the draft protocol simplifying procedures for the transit of personnel and equipment of the collective forces across the territories of the member states. The lawyers also discussed amendments to the agreement on the privileges and immunities of the Council’s staff.",
            ],
            quote: quote(
                "The head of the Secretariat’s legal department, Natalia Grigoryeva, said:",
                "“A good treaty is one that works when it is needed. If a rescue team loses a day at a border crossing, the agreement has failed, however well it is written.”",
            ),
            extra: Extra::Table(
                "The Council’s treaty base",
                &["Area", "Agreements"],
                &[
                    &["Founding documents", "4"],
                    &["Collective forces", "18"],
                    &["Countering transnational threats", "21"],
                    &["Emergency response", "9"],
                    &["Institutional and financial matters", "11"],
                ],
            ),
        }),
        ru: None,
    },
    // 43
    Story {
        section: "activities",
        when: When::Ago(81, 11, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Peacekeeping units compete in professional skills contest",
            lead: "Teams from five member states competed in shooting, first aid, checkpoint procedures and a night march.",
            paras: &[
                "A professional skills contest for units of the collective peacekeeping forces was held at a training ground near Bishkek. Ten teams from five member states took part.",
                "Over four days, the teams competed in shooting, first aid, searching vehicles at a checkpoint, negotiating with a crowd and a 20-kilometre night march. Referees from the Joint Staff assessed not only speed but also compliance with the rules on the use of force.",
                "The winning team will represent the collective forces at an international peacekeeping competition.",
            ],
            quote: quote(
                "Presenting the awards, Colonel General Vadim Ostrovsky said:",
                "“A peacekeeper must be a good soldier and a good diplomat at the same time. The teams that won this contest were the ones that did not forget the second part.”",
            ),
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Миротворческие подразделения состязались в профессиональном мастерстве",
            lead: "Команды пяти государств-членов соревновались в стрельбе, оказании первой помощи, работе на контрольно-пропускном пункте и ночном марше.",
            paras: &[
                "На полигоне под Бишкеком прошёл конкурс профессионального мастерства среди подразделений коллективных миротворческих сил. В нём участвовали десять команд из пяти государств-членов.",
                "В течение четырёх дней команды соревновались в стрельбе, оказании первой помощи, досмотре транспорта на контрольно-пропускном пункте, ведении переговоров с толпой и двадцатикилометровом ночном марше. Судьи Объединённого штаба оценивали не только скорость, но и соблюдение правил применения силы.",
                "Команда-победитель представит коллективные силы на международном конкурсе миротворцев.",
            ],
            quote: quote(
                "Вручая награды, генерал-полковник Вадим Островский сказал:",
                "«Миротворец должен быть одновременно хорошим солдатом и хорошим дипломатом. В этом конкурсе победили те команды, которые не забыли о второй части».",
            ),
            extra: Extra::None,
        }),
    },
    // 44
    Story {
        section: "news",
        when: When::Ago(84, 16, 20),
        status: PUBLISHED,
        en: None,
        ru: Some(Text {
            title: "Генеральный секретарь ответил на вопросы читателей сайта",
            lead: "Нурлан Абенов рассказал о приоритетах Совета, работе Секретариата и о том, как гражданин может обратиться в организацию.",
            paras: &[
                "Генеральный секретарь Евразийского совета сотрудничества Нурлан Абенов ответил на вопросы, присланные читателями официального сайта. За две недели поступило более 400 вопросов из всех государств-членов.",
                "Чаще всего читатели спрашивали о том, как Совет помогает пострадавшим от стихийных бедствий, как попасть на работу или стажировку в Секретариат и чем занимаются коллективные миротворческие силы. Отвечая на вопрос о приоритетах, Генеральный секретарь назвал защиту от киберугроз, укрепление внешних границ и развитие системы кризисного реагирования.",
                "Видеозапись ответов будет опубликована на сайте в ближайшие дни.",
            ],
            quote: quote(
                "Отвечая на вопрос о том, зачем Совет нужен простым людям, Нурлан Абенов сказал:",
                "«Лучшая работа организации по безопасности — та, которую никто не замечает: кризис, который не случился, теракт, который предотвратили, наводнение, после которого помощь пришла вовремя».",
            ),
            extra: Extra::None,
        }),
    },
    // 45: scheduled, goes out by itself in a few days.
    Story {
        section: "news",
        when: When::Ahead(3, 10, 0),
        status: Status::Scheduled,
        en: Some(Text {
            title: "Accreditation opens for the meeting of the Council of Foreign Ministers",
            lead: "Journalists who wish to cover the meeting should send their applications to the press office within ten days.",
            paras: &[
                "The Secretariat’s press office has opened accreditation for media representatives who wish to cover the upcoming meeting of the Council of Foreign Ministers of the Eurasian Cooperation Council.",
                "Applications must include the journalist’s full name, the name of the media outlet, a copy of the press card and a recent photograph. Camera crews should also list the equipment they intend to bring.",
            ],
            quote: None,
            extra: Extra::List(
                "Key information",
                &[
                    "Applications are accepted for ten days from today",
                    "The press centre opens the day before the meeting",
                    "Photo and video crews will have pool access to the opening of the meeting",
                ],
            ),
        }),
        ru: Some(Text {
            title: "Открыта аккредитация на заседание Совета министров иностранных дел",
            lead: "Журналистам, желающим освещать заседание, необходимо направить заявки в пресс-службу в течение десяти дней.",
            paras: &[
                "Пресс-служба Секретариата открыла аккредитацию представителей средств массовой информации, желающих освещать предстоящее заседание Совета министров иностранных дел Евразийского совета сотрудничества.",
                "В заявке необходимо указать фамилию и имя журналиста, название издания, приложить копию редакционного удостоверения и актуальную фотографию. Съёмочным группам также следует перечислить оборудование, которое они планируют привезти.",
            ],
            quote: None,
            extra: Extra::List(
                "Основная информация",
                &[
                    "Заявки принимаются в течение десяти дней с сегодняшнего дня",
                    "Пресс-центр начнёт работу накануне заседания",
                    "Фото- и видеогруппы получат пул-доступ к открытию заседания",
                ],
            ),
        }),
    },
    // 46: a draft still being written.
    Story {
        section: "secretariat",
        when: When::Ahead(8, 11, 0),
        status: Status::Draft,
        en: Some(Text {
            title: "Secretary General presents annual report on the Council’s activities",
            lead: "The report sums up the year’s work of the Council’s statutory bodies and sets out priorities for the next year.",
            paras: &[
                "Secretary General Nurlan Abenov presented his annual report on the activities of the Eurasian Cooperation Council to the Permanent Council.",
                "The report covers the implementation of the collective security strategy, joint exercises and training, countering transnational threats and cooperation with partner organizations.",
            ],
            quote: None,
            extra: Extra::None,
        }),
        ru: None,
    },
    // 47: another draft.
    Story {
        section: "activities",
        when: When::Ahead(10, 10, 0),
        status: Status::Draft,
        en: None,
        ru: Some(Text {
            title: "Объявлен новый конкурс студенческих эссе «Безопасность: взгляд молодых»",
            lead: "Студенты вузов государств-членов могут прислать эссе на русском или английском языке до конца семестра.",
            paras: &[
                "Секретариат Евразийского совета сотрудничества объявляет очередной конкурс студенческих эссе «Безопасность: взгляд молодых».",
                "К участию приглашаются студенты бакалавриата и магистратуры. Объём эссе — не более 15 000 знаков; работы принимаются через форму на сайте Совета.",
            ],
            quote: None,
            extra: Extra::None,
        }),
    },
    // 48: an announcement; its event is a few days ahead (see [`events`]).
    Story {
        section: "news",
        when: When::Ago(1, 15, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Secretary General to hold a year-end press conference",
            lead: "Nurlan Abenov will sum up the Council’s year and answer journalists’ questions. Accreditation is open until the day before.",
            paras: &[
                "The Secretary General of the Eurasian Cooperation Council, Nurlan Abenov, will hold his annual press conference at the Secretariat’s press centre.",
                "The Secretary General will speak about the results of the year, the work of the Council’s statutory bodies and the priorities for next year, and will answer journalists’ questions.",
                "Journalists wishing to attend should apply for accreditation to the press office no later than the day before the press conference. The press conference will be streamed on the Council’s website.",
            ],
            quote: None,
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "Генеральный секретарь проведёт итоговую пресс-конференцию",
            lead: "Нурлан Абенов подведёт итоги года работы Совета и ответит на вопросы журналистов. Аккредитация открыта до дня, предшествующего пресс-конференции.",
            paras: &[
                "Генеральный секретарь Евразийского совета сотрудничества Нурлан Абенов проведёт ежегодную пресс-конференцию в пресс-центре Секретариата.",
                "Генеральный секретарь расскажет об итогах года, о работе уставных органов Совета и о приоритетах на следующий год, а также ответит на вопросы журналистов.",
                "Журналистам, желающим принять участие, необходимо аккредитоваться в пресс-службе не позднее чем за день до пресс-конференции. Трансляция будет вестись на сайте Совета.",
            ],
            quote: None,
            extra: Extra::None,
        }),
    },
    // 49: an announcement of a two-day meeting.
    Story {
        section: "secretariat",
        when: When::Ago(3, 11, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Council of Foreign Ministers to meet in Minsk",
            lead: "The ministers will discuss the implementation of the collective security strategy and the draft programme of cooperation for the next three years.",
            paras: &[
                "A regular meeting of the Council of Foreign Ministers of the member states will take place in Minsk over two days.",
                "The agenda includes the implementation of the collective security strategy, the draft programme of cooperation for the next three years and the Council’s relations with partner organizations.",
                "The press office will publish the results of the meeting and the documents adopted on this website.",
            ],
            quote: None,
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "В Минске пройдёт заседание Совета министров иностранных дел",
            lead: "Министры обсудят ход реализации стратегии коллективной безопасности и проект программы сотрудничества на ближайшие три года.",
            paras: &[
                "Очередное заседание Совета министров иностранных дел государств-членов пройдёт в Минске и продлится два дня.",
                "В повестке дня — ход реализации стратегии коллективной безопасности, проект программы сотрудничества на ближайшие три года и отношения Совета с организациями-партнёрами.",
                "Пресс-служба опубликует итоги заседания и принятые документы на этом сайте.",
            ],
            quote: None,
            extra: Extra::None,
        }),
    },
    // 50: the announcement of the youth forum that story 6 reports on.
    Story {
        section: "activities",
        when: When::Ago(13, 10, 0),
        status: PUBLISHED,
        en: Some(Text {
            title: "Youth forum “Security Through Dialogue” to open in Minsk",
            lead: "About 120 students from the six member states will spend three days with diplomats and experts discussing regional security.",
            paras: &[
                "The Secretariat, together with the association of universities of the member states, is holding the youth forum “Security Through Dialogue” in Minsk.",
                "The programme includes lectures by the Council’s diplomats, a simulated meeting of the Council of Foreign Ministers and workshops on countering disinformation.",
            ],
            quote: None,
            extra: Extra::None,
        }),
        ru: Some(Text {
            title: "В Минске откроется молодёжный форум «Безопасность через диалог»",
            lead: "Около 120 студентов из шести государств-членов проведут три дня с дипломатами и экспертами, обсуждая вопросы региональной безопасности.",
            paras: &[
                "Секретариат совместно с ассоциацией университетов государств-членов проводит в Минске молодёжный форум «Безопасность через диалог».",
                "В программе — лекции дипломатов Совета, моделирование заседания Совета министров иностранных дел и мастер-классы по противодействию дезинформации.",
            ],
            quote: None,
            extra: Extra::None,
        }),
    },
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
            starts: local(When::Ahead(4, 11, 0)),
            ends: local(When::Ahead(4, 13, 0)),
            time_zone: "Europe/Moscow",
            place_en: "Press centre of the Secretariat, 12 Pokrovka Street, Moscow",
            place_ru: "Пресс-центр Секретариата, Москва, ул. Покровка, 12",
            report: None,
        },
        DemoEvent {
            story: 49,
            starts: local(When::Ahead(9, 10, 0)),
            ends: local(When::Ahead(10, 17, 0)),
            time_zone: "Europe/Minsk",
            place_en: "Palace of Independence, Minsk",
            place_ru: "Дворец Независимости, Минск",
            report: None,
        },
        DemoEvent {
            story: 50,
            starts: local(When::Ago(10, 10, 0)),
            ends: local(When::Ago(8, 13, 0)),
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
