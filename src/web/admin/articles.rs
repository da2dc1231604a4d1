//! Articles in the back office: the filtered list, the editor (create, save, submit for review,
//! publish, schedule, unpublish), the preview, translations and the trash.
//!
//! Saving is optimistic: the form carries the version it was loaded at, and a save against a
//! newer version is refused with the other person's changes shown as a diff, while this
//! person's text stays in the form. Nobody's work is lost.

use super::history::diff_view;
use super::session::Staff;
use super::{chrome, client_address, render, ui_lang};
use crate::domain::user::{Permission, Role};
use crate::domain::{Article, Lang, Status, dates};
use crate::i18n;
use crate::newsroom::autosave::NEW_ARTICLE;
use crate::newsroom::input::{Base, resolve};
use crate::newsroom::{Action, Actor, FieldError, Fields, LeadImage, NewsroomError, Translation};
use crate::storage::editorial::{EditorialFilter, at};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use crate::web::public::PageCtx;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

const PAGE: u32 = 30;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    lang: Option<String>,
    section: Option<String>,
    status: Option<String>,
    mine: Option<String>,
    author: Option<String>,
    q: Option<String>,
    page: Option<String>,
}

fn nonempty(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// `GET /admin/articles`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    list_page(&state, &staff, &headers, q, false).await
}

/// `GET /admin/trash`.
pub async fn trash_list(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    staff.require(Permission::DeleteArticle)?;
    list_page(&state, &staff, &headers, q, true).await
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    q: ListQuery,
    trash: bool,
) -> WebResult<Response> {
    let lang = ui_lang(headers);
    let sections = state.store.sections().await?;
    let page = crate::web::public::page_number(q.page.as_deref())?;
    let status = nonempty(&q.status).filter(|s| Status::parse(s).is_some());
    let filter = EditorialFilter {
        lang: nonempty(&q.lang).filter(|l| state.site.language(l).is_some()),
        section_id: nonempty(&q.section).and_then(|s| s.parse().ok()),
        status,
        // Authors only ever see their own work; others may pick any author.
        author_id: if q.mine.is_some() || staff.user.role == Role::Author {
            Some(staff.user.id)
        } else {
            nonempty(&q.author).and_then(|a| a.parse().ok())
        },
        text: nonempty(&q.q),
        trash,
        ..EditorialFilter::default()
    };
    let (rows, total) = state.store.editorial_list(&filter, PAGE, (page - 1) * u64::from(PAGE)).await?;
    let tz = &state.site.time_zone;
    let keys: Vec<&str> = rows.iter().map(|r| r.translation_key.as_str()).collect();
    let groups = state.store.translation_versions_of(&keys).await?;
    let mut items = Vec::new();
    for r in &rows {
        let versions = groups.get(&r.translation_key).map(Vec::as_slice).unwrap_or_default();
        let states = translation_states(state, versions, r.id);
        items.push(context! {
            id => r.id, version => r.version, title => &r.title, lang => &r.lang, status => &r.status,
            status_label => i18n::text(lang, &format!("admin_status_{}", r.status), &[]),
            review => r.review_requested != 0,
            section => sections.iter().find(|s| s.id == r.section_id).map(|s| s.name(&Lang::parse(lang).unwrap_or_else(|_| state.site.default_language.clone())).to_string()),
            date => dates::short(at(r.publish_at), tz),
            updated => dates::short_with_time(at(r.updated_at), tz),
            author => &r.author,
            translations => states,
        });
    }
    let base = format!(
        "/admin/{}?lang={}&section={}&status={}&q={}&author={}{}",
        if trash { "trash" } else { "articles" },
        super::session::encode(&filter.lang.clone().unwrap_or_default()),
        filter.section_id.map(|s| s.to_string()).unwrap_or_default(),
        super::session::encode(&filter.status.clone().unwrap_or_default()),
        super::session::encode(&filter.text.clone().unwrap_or_default()),
        filter.author_id.map(|a| a.to_string()).unwrap_or_default(),
        if q.mine.is_some() { "&mine=1" } else { "" },
    );
    let pager = crate::web::public::Pager::new(page, u64::try_from(total).unwrap_or(0), PAGE, &base);
    let title = i18n::text(lang, if trash { "admin_trash" } else { "admin_articles" }, &[]);
    let ctx = context! {
        items, pager, total, trash,
        filter => context! { lang => filter.lang, section => filter.section_id, status => filter.status, q => filter.text, mine => q.mine.is_some(), author => filter.author_id },
        authors => if staff.user.role == Role::Author { Vec::new() } else {
            state.store.users().await?.into_iter().map(|u| context! { id => u.id, name => u.name }).collect::<Vec<_>>()
        },
        sections => sections.iter().map(|s| context! { id => s.id, name => s.name(&state.site.default_language) }).collect::<Vec<_>>(),
        statuses => ["draft", "scheduled", "published"].iter().map(|s| context! { value => s, label => i18n::text(lang, &format!("admin_status_{s}"), &[]) }).collect::<Vec<_>>(),
        ..chrome(state, Some(staff), lang, &title, if trash { "trash" } else { "articles" })
    };
    Ok(render(state, "admin/articles.html", ctx)?.into_response())
}

/// Each site language's version of a story: missing, this one, draft, scheduled, published,
/// or outdated (made from a source whose text changed after it was last saved).
fn translation_states(
    state: &AppState,
    versions: &[crate::storage::editorial::TranslationVersion],
    this_id: i64,
) -> Vec<Value> {
    state
        .site
        .languages
        .iter()
        .map(|l| {
            let found = versions.iter().find(|v| v.lang == l.as_str());
            let (id, state_name) = match found {
                None => (None, "missing".to_string()),
                Some(v) if v.id == this_id => (Some(v.id), "this".to_string()),
                Some(v) if v.is_outdated(versions) => (Some(v.id), "outdated".to_string()),
                Some(v) => (Some(v.id), v.status.clone()),
            };
            context! { lang => l.as_str(), id, state => state_name }
        })
        .collect()
}

/// The source shown beside a translation: for a translation being written, the article it
/// translates; for a saved one, its source with what changed since it was last saved.
async fn source_beside(
    state: &AppState,
    article: Option<&Article>,
    form: Option<&ArticleForm>,
    versions: &[crate::storage::editorial::TranslationVersion],
) -> WebResult<Option<Value>> {
    let (source_id, since) = match article {
        Some(a) => (versions.iter().find(|v| v.id == a.id).and_then(|v| v.source_id), Some(a.updated_at)),
        None => (form.and_then(|f| f.translation_of), None),
    };
    let Some(source) = source_id else { return Ok(None) };
    let Some(source) = state.store.article_by_id(source).await? else { return Ok(None) };
    let then = match since {
        Some(at) => state.store.revision_as_of(source.id, at).await?,
        None => None,
    };
    Ok(Some(super::translation::source_view(
        source.id,
        source.lang.as_str(),
        (&source.title, &source.lead, &source.body_html),
        then.as_ref().map(|r| (r.title.as_str(), r.lead.as_str(), r.body_html.as_str())),
    )))
}

/// The editor's form (also what an autosave keeps, as JSON).
#[derive(Debug, Default, Deserialize, serde::Serialize, Clone)]
pub struct ArticleForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    lead: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    section: String,
    lang: Option<String>,
    slug: Option<String>,
    #[serde(default)]
    publish_at: String,
    #[serde(default, deserialize_with = "super::version_field")]
    version: Option<i64>,
    #[serde(default)]
    action: String,
    /// The lead photo's id, empty for none. A form without the field keeps the current one.
    lead_image: Option<String>,
    /// Tag names, comma-separated. A form without the field keeps the current ones.
    tags: Option<String>,
    /// Bylines, comma-separated. A form without the field keeps the current ones.
    bylines: Option<String>,
    /// When the article takes itself off the site; empty for never. A form without the field
    /// keeps the current expiry.
    expires_at: Option<String>,
    /// A public note that makes this edit of a published article a correction.
    correction: Option<String>,
    /// The article a new one translates (the editor of a new translation).
    translation_of: Option<i64>,
    /// Publish or schedule the story's other languages at the same moment.
    with_translations: Option<String>,
}

/// The form's fields as the newsroom takes them; what cannot even be read (a date that is not
/// a date) is reported against its field like any other mistake.
fn form_fields(state: &AppState, f: &ArticleForm) -> Result<Fields, Vec<FieldError>> {
    let mut errors = Vec::new();
    let section_id = match f.section.trim() {
        "" => None,
        s => match s.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.push(FieldError::new("section", "error_no_section").with("id", s));
                None
            }
        },
    };
    let publish_at = match f.publish_at.trim() {
        "" => None,
        s => match dates::parse(s, &state.site.time_zone) {
            Ok(at) => Some(at),
            Err(_) => {
                errors.push(FieldError::new("publish_at", "error_date_format").with("value", s));
                None
            }
        },
    };
    let expires_at = match f.expires_at.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(s) => match dates::parse(s, &state.site.time_zone) {
            Ok(at) => Some(Some(at)),
            Err(_) => {
                errors.push(FieldError::new("expires_at", "error_date_format").with("value", s));
                None
            }
        },
    };
    let lead_image = match f.lead_image.as_deref().map(str::trim) {
        None => LeadImage::Keep,
        Some("") | Some("0") => LeadImage::Remove,
        Some(s) => match s.parse::<i64>() {
            Ok(id) => LeadImage::Set(id),
            Err(_) => {
                errors.push(FieldError::new("lead_image", "media_not_found").with("id", s));
                LeadImage::Keep
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Fields {
        title: Some(f.title.clone()),
        lead: Some(f.lead.clone()),
        body_html: Some(f.body.clone()),
        section_id,
        slug: f.slug.clone(),
        publish_at,
        lead_image,
        tags: f.tags.as_deref().map(crate::domain::tag::split_list),
        bylines: f.bylines.as_deref().map(crate::domain::tag::split_list),
        expires_at,
        correction: f.correction.clone(),
    })
}

/// The button pressed; an unknown one is a broken form, not a save.
fn form_action(f: &ArticleForm) -> WebResult<Action> {
    Action::parse(f.action.trim())
        .ok_or_else(|| WebError::BadRequest(format!("'{}' is not an action", f.action)))
}

/// The person at the keyboard, as the newsroom knows them.
pub(super) fn actor(staff: &Staff, extensions: &Extensions) -> Actor {
    Actor::person(staff.user.id, staff.user.role, client_address(extensions))
}

/// How many recent photos the lead-photo picker offers.
const LEAD_CHOICES: u32 = 60;

/// The lead-photo picker: the photo chosen (from the form, else the article's) and the most
/// recent photos of the library, the chosen one always among them.
async fn lead_image_choices(
    state: &AppState,
    article: Option<&Article>,
    form: Option<&ArticleForm>,
    ui: &str,
) -> WebResult<(Option<i64>, Vec<Value>, Option<Value>)> {
    use crate::web::public::media::image_view;
    let selected: Option<i64> = match form.and_then(|f| f.lead_image.as_deref()) {
        Some(s) => s.trim().parse().ok(),
        None => match article {
            Some(a) => state.store.lead_image_id(a.id).await?,
            None => None,
        },
    };
    let (mut photos, _) = state.store.media_page(LEAD_CHOICES, 0).await?;
    if let Some(id) = selected
        && !photos.iter().any(|m| m.id == id)
        && let Some(m) = state.store.media_by_id(id).await?
    {
        photos.insert(0, m);
    }
    let mut preview = None;
    let choices = photos
        .iter()
        .map(|m| {
            let view = image_view(m.id, &m.file_key, m.width, m.height, 480);
            let name = if m.alt.is_empty() { &m.original_name } else { &m.alt };
            let name: String = if name.chars().count() > 60 {
                format!("{}…", name.chars().take(59).collect::<String>())
            } else {
                name.clone()
            };
            let label = format!(
                "{} · {name} · {}×{}",
                i18n::text(ui, "media_number", &[("id", &m.id.to_string())]),
                m.width,
                m.height
            );
            let value =
                context! { id => m.id, label, thumb => view.src, width => view.width, height => view.height };
            if Some(m.id) == selected {
                preview = Some(value.clone());
            }
            value
        })
        .collect();
    Ok((selected.filter(|_| preview.is_some()), choices, preview))
}

/// What the editor page shows around the article: the answer's status, the submitted form to
/// keep (so nobody's text is lost), and messages.
#[derive(Default)]
pub(super) struct Shown<'a> {
    pub(super) status: StatusCode,
    pub(super) form: Option<&'a ArticleForm>,
    pub(super) error: Option<String>,
    /// A diff of what someone else saved meanwhile.
    pub(super) conflict: Option<Value>,
    pub(super) notice: Option<String>,
    /// Unsaved text autosaved earlier, offered back: when it was kept.
    pub(super) unsaved: Option<String>,
    /// A preview link just made, shown once.
    pub(super) preview_link: Option<String>,
    /// The event panel's refused form, shown back as typed.
    pub(super) event: Option<&'a crate::newsroom::events::EventFields>,
}

impl<'a> Shown<'a> {
    /// The form comes back with the person's text and what was wrong with it.
    fn refused(status: StatusCode, form: &'a ArticleForm, error: String) -> Self {
        Shown { status, form: Some(form), error: Some(error), ..Shown::default() }
    }
}

/// Everything the editor template needs.
pub(super) async fn editor_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    article: Option<&Article>,
    lang: &Lang,
    shown: Shown<'_>,
) -> WebResult<Response> {
    let Shown {
        status: status_code,
        form,
        error,
        conflict,
        notice,
        unsaved,
        preview_link,
        event: event_form,
    } = shown;
    let ui = ui_lang(headers);
    let tz = &state.site.time_zone;
    let sections = state.store.sections().await?;
    let role = staff.user.role;
    let (trashed, review) = match article {
        Some(a) => state.store.article_meta(a.id).await?.map(|(t, _, r)| (t, r)).unwrap_or((false, false)),
        None => (false, false),
    };
    let value = |from_form: Option<&String>, from_article: Option<String>| -> String {
        from_form.cloned().or(from_article).unwrap_or_default()
    };
    let versions = match article {
        Some(a) => state.store.translation_versions(&a.translation_key).await?,
        None => Vec::new(),
    };
    let translations = match article {
        Some(a) => translation_states(state, &versions, a.id),
        None => Vec::new(),
    };
    let source = source_beside(state, article, form, &versions).await?;
    // The story's other languages not yet published, which may go out with this one.
    let releasable: Vec<&str> = match article {
        Some(a) => versions
            .iter()
            .filter(|v| v.id != a.id && v.status != Status::Published.as_str())
            .map(|v| v.lang.as_str())
            .collect(),
        None => Vec::new(),
    };
    let public_url = article.filter(|a| a.status == Status::Published).and_then(|a| {
        sections
            .iter()
            .find(|s| s.id == a.section_id)
            .map(|s| crate::web::public::urls::article(&a.lang, &s.slug, &a.slug))
    });
    let title_text = match article {
        Some(a) => a.title.clone(),
        None => i18n::text(ui, "admin_new_article", &[]),
    };
    let (lead_image, media_choices, lead_preview) = lead_image_choices(state, article, form, ui).await?;
    let accessibility = match article {
        Some(a) => {
            use crate::newsroom::accessibility::Strictness;
            let strictness = Strictness::parse(&state.store.accessibility_strictness().await?);
            let findings = state
                .newsroom
                .accessibility_findings(a.lang.as_str(), &a.title, &a.body_html, lead_image)
                .await?;
            let list: Vec<Value> = findings
                .iter()
                .map(|f| context! { message => f.to_error().message(ui), blocks => f.blocks(strictness) })
                .collect();
            Some(list)
        }
        None => None,
    };
    let notes = match article {
        Some(a) => state.store.notes(a.id).await?,
        None => Vec::new(),
    };
    let notes: Vec<Value> = notes
        .iter()
        .map(|n| {
            let at = at(n.created_at);
            context! {
                author => n.author.clone().unwrap_or_default(), body => &n.body,
                sent_back => n.kind == crate::storage::notes::SENT_BACK,
                when => dates::short_with_time(at, tz),
            }
        })
        .collect();
    let event = match article {
        Some(a) => event_panel(state, a, event_form).await?,
        None => None,
    };
    let ctx = context! {
        article => context! {
            id => article.map(|a| a.id).unwrap_or(0),
            title => value(form.map(|f| &f.title), article.map(|a| a.title.clone())),
            lead => value(form.map(|f| &f.lead), article.map(|a| a.lead.clone())),
            body => value(form.map(|f| &f.body), article.map(|a| a.body_html.clone())),
            slug => value(form.and_then(|f| f.slug.as_ref()), article.map(|a| a.slug.clone())),
            tags => value(form.and_then(|f| f.tags.as_ref()), article.map(|a| a.tags.join(", "))),
            bylines => value(form.and_then(|f| f.bylines.as_ref()), article.map(|a| a.bylines.join(", "))),
            section => form.and_then(|f| f.section.parse::<i64>().ok()).or(article.map(|a| a.section_id)).unwrap_or_else(|| sections.first().map(|s| s.id).unwrap_or(0)),
            lang => lang.as_str(),
            publish_at => value(form.map(|f| &f.publish_at).filter(|p| !p.is_empty()), article.map(|a| a.publish_at.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M").to_string())),
            expires_at => value(form.and_then(|f| f.expires_at.as_ref()), article.and_then(|a| a.expires_at).map(|at| at.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M").to_string())),
            correction => form.and_then(|f| f.correction.clone()).unwrap_or_default(),
            status => article.map(|a| a.status.as_str()).unwrap_or("draft"),
            status_label => i18n::text(ui, &format!("admin_status_{}", article.map(|a| a.status.as_str()).unwrap_or("draft")), &[]),
            // The version the text in the form started from: a refused or brought-back form
            // keeps its own, so saving it still meets whatever was saved since.
            version => form.and_then(|f| f.version).or(article.map(|a| a.version)).unwrap_or(0),
            review, trashed, public_url,
        },
        is_new => article.is_none(),
        sections => sections.iter().map(|s| context! { id => s.id, name => s.name(lang) }).collect::<Vec<_>>(),
        can_publish => role.can(Permission::Publish),
        can_delete => role.can(Permission::DeleteArticle),
        can_upload => role.can(Permission::UploadMedia),
        pinned => match article.filter(|a| a.status == Status::Published) {
            Some(a) => state.store.pinned_article(&a.lang).await? == Some(a.id),
            None => false,
        },
        translations, error, conflict, notice, unsaved, notes, preview_link,
        preview_links => match article.filter(|_| role.can(Permission::Publish)) {
            Some(a) => state.store.preview_links(a.id, state.clock.now()).await?.iter().map(|l| {
                let until = at(l.expires_at);
                let when = dates::short_with_time(until, tz);
                let who = l.created_by.clone().unwrap_or_else(|| "—".into());
                context! { id => l.id, label => i18n::text(ui, "admin_preview_link_until", &[("when", &when), ("who", &who)]) }
            }).collect::<Vec<_>>(),
            None => Vec::new(),
        },
        accessibility, source,
        releasable => releasable.join(", "),
        translation_of => form.and_then(|f| f.translation_of),
        corrections => match article {
            Some(a) => state.store.corrections_of(a.id).await?.iter().map(|c| context! {
                when => dates::short_with_time(at(c.at), tz), note => &c.note,
            }).collect::<Vec<_>>(),
            None => Vec::new(),
        },
        autosave_url => format!("/admin/articles/{}/autosave", article.map(|a| a.id).unwrap_or(NEW_ARTICLE)),
        lead_image, media_choices, lead_preview, event,
        gallery_count => match article {
            Some(a) => Some(i18n::text(ui, "admin_gallery_count", &[("n", &state.store.gallery_ids(a.id).await?.len().to_string())])),
            None => None,
        },
        time_zone => &state.site.time_zone_name,
        ..chrome(state, Some(staff), ui, &title_text, if article.is_none() { "new" } else { "articles" })
    };
    Ok((status_code, render(state, "admin/edit.html", ctx)?).into_response())
}

/// The event panel's fields: as typed when a form was refused, else the stored event's (its
/// times in its own time zone), else empty with the site's time zone.
async fn event_panel(
    state: &AppState,
    article: &Article,
    typed: Option<&crate::newsroom::events::EventFields>,
) -> WebResult<Option<Value>> {
    let stored = state.store.event_of(article.id).await?;
    let version = stored.as_ref().map(|e| e.version).unwrap_or(0);
    let exists = stored.is_some();
    if let Some(f) = typed {
        // A date-and-time field can only hold a valid time: anything else comes back empty
        // (the message above the form names what was typed).
        let field = |v: &str| {
            v.trim()
                .replacen(' ', "T", 1)
                .parse::<jiff::civil::DateTime>()
                .map(|dt| dt.strftime("%Y-%m-%dT%H:%M").to_string())
                .unwrap_or_default()
        };
        return Ok(Some(context! {
            starts => field(&f.starts), ends => field(&f.ends), time_zone => &f.time_zone, place => &f.place,
            report => &f.report, version, exists,
        }));
    }
    let Some(e) = stored else {
        return Ok(Some(context! {
            starts => "", ends => "", time_zone => &state.site.time_zone_name, place => "", report => "",
            version, exists,
        }));
    };
    let zone = jiff::tz::TimeZone::get(&e.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let local = |s: i64| at(s).to_zoned(zone.clone()).strftime("%Y-%m-%dT%H:%M").to_string();
    let sections = state.listing.sections(state).await?;
    let report = match e.report_id {
        Some(id) => state.store.article_by_id(id).await?.map(|r| {
            let section = sections.iter().find(|s| s.id == r.section_id).map(|s| s.slug.as_str());
            crate::web::public::urls::article(&r.lang, section.unwrap_or("news"), &r.slug)
        }),
        None => None,
    };
    Ok(Some(context! {
        starts => local(e.starts_at),
        ends => if e.ends_at == e.starts_at { String::new() } else { local(e.ends_at) },
        time_zone => &e.time_zone, place => &e.place, report => report.unwrap_or_default(), version, exists,
    }))
}

/// The editor of article `id` with a preview link just made, shown once.
pub(super) async fn editor_with_link(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    extensions: &Extensions,
    id: i64,
    link: String,
) -> WebResult<Response> {
    let article = load_for(state, staff, extensions, id).await?;
    let lang = article.lang.clone();
    let shown = Shown { preview_link: Some(link), ..Shown::default() };
    editor_page(state, staff, headers, Some(&article), &lang, shown).await
}

/// The site language a form or link names, or the default one when it names none the site runs.
fn site_lang(state: &AppState, code: Option<&str>) -> Lang {
    code.and_then(|l| state.site.language(l)).unwrap_or(&state.site.default_language).clone()
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    lang: Option<String>,
    /// `1`: bring back the autosaved text of an article not yet created.
    recover: Option<String>,
    /// Start a translation of this article (its source shown beside the empty form).
    translation_of: Option<i64>,
}

/// `GET /admin/articles/new`.
pub async fn new(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Query(q): Query<NewQuery>,
) -> WebResult<Response> {
    staff.require(Permission::CreateArticle)?;
    let ui = ui_lang(&headers);
    if let Some(source_id) = q.translation_of {
        return new_translation(&state, &staff, &headers, &extensions, source_id, q.lang.as_deref()).await;
    }
    let recovered = unsaved_text(&state, &staff, &extensions, None, ui).await?;
    match (recovered, q.recover.is_some()) {
        (Some(Unsaved { form, .. }), true) => {
            let lang = site_lang(&state, form.lang.as_deref());
            let notice = Some(i18n::text(ui, "admin_unsaved_restored", &[]));
            editor_page(
                &state,
                &staff,
                &headers,
                None,
                &lang,
                Shown { form: Some(&form), notice, ..Shown::default() },
            )
            .await
        }
        (recovered, _) => {
            let lang = site_lang(&state, q.lang.as_deref());
            let unsaved = recovered.map(|r| r.when);
            editor_page(&state, &staff, &headers, None, &lang, Shown { unsaved, ..Shown::default() }).await
        }
    }
}

/// The editor of a translation not yet written: empty fields in `lang`, with the source's
/// section, lead photo and bylines, and the source beside it as reference. An existing
/// translation is opened instead.
async fn new_translation(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    extensions: &Extensions,
    source_id: i64,
    lang: Option<&str>,
) -> WebResult<Response> {
    let source = load_for(state, staff, extensions, source_id).await?;
    let lang = site_lang(state, lang);
    let versions = state.store.translation_versions(&source.translation_key).await?;
    if let Some(existing) = versions.iter().find(|v| v.lang == lang.as_str()) {
        return Ok(Redirect::to(&format!("/admin/articles/{}", existing.id)).into_response());
    }
    let lead_image = state.store.lead_image_id(source.id).await?;
    let form = ArticleForm {
        lang: Some(lang.to_string()),
        section: source.section_id.to_string(),
        lead_image: Some(lead_image.map(|id| id.to_string()).unwrap_or_default()),
        bylines: Some(source.bylines.join(", ")),
        translation_of: Some(source.id),
        ..ArticleForm::default()
    };
    editor_page(state, staff, headers, None, &lang, Shown { form: Some(&form), ..Shown::default() }).await
}

/// Text the person typed and did not save, as the editor offers it back.
struct Unsaved {
    form: ArticleForm,
    /// When it was kept, in the site's time zone.
    when: String,
}

/// The person's autosaved form of `article` (`None`: a new one), unless it holds nothing more
/// than the article does now (an autosave that arrived just after the save it preceded).
async fn unsaved_text(
    state: &AppState,
    staff: &Staff,
    extensions: &Extensions,
    article: Option<&Article>,
    ui: &str,
) -> WebResult<Option<Unsaved>> {
    let id = article.map(|a| a.id).unwrap_or(NEW_ARTICLE);
    let actor = actor(staff, extensions);
    let Some(kept) = state.newsroom.unsaved(&actor, id).await.map_err(|e| WebError::refused(e, ui))? else {
        return Ok(None);
    };
    let Ok(mut form) = serde_json::from_str::<ArticleForm>(&kept.form) else {
        // Written by a release whose form this one cannot read: of no use to anyone.
        state.newsroom.discard_unsaved(&actor, id).await.map_err(|e| WebError::refused(e, ui))?;
        return Ok(None);
    };
    if let Some(a) = article
        && form.title == a.title
        && form.lead == a.lead
        && crate::domain::markup::sanitize_html(&form.body) == a.body_html
    {
        state.newsroom.discard_unsaved(&actor, id).await.map_err(|e| WebError::refused(e, ui))?;
        return Ok(None);
    }
    form.version = Some(kept.base_version);
    form.action = String::new();
    let tz = &state.site.time_zone;
    let at = at(kept.saved_at);
    let when = dates::short_with_time(at, tz);
    Ok(Some(Unsaved { form, when }))
}

/// What an autosave answers the editor's script.
fn autosave_answer(status: StatusCode, ok: bool, message: String) -> Response {
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        axum::Json(serde_json::json!({ "ok": ok, "message": message })),
    )
        .into_response()
}

/// `POST /admin/articles/{id}/autosave` (id 0 for an article not yet created): keeps the form
/// as this person's unsaved text, without saving the article. Answers JSON for the editor's
/// script, which says in the page when the text was last kept or why it was not.
pub async fn autosave(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(mut f): Form<ArticleForm>,
) -> Response {
    let ui = ui_lang(&headers);
    f.action = String::new();
    let base_version = f.version.unwrap_or(0);
    let form = match serde_json::to_string(&f) {
        Ok(form) => form,
        Err(_) => {
            return autosave_answer(
                StatusCode::BAD_REQUEST,
                false,
                i18n::text(ui, "admin_autosave_failed", &[]),
            );
        }
    };
    match state.newsroom.autosave(&actor(&staff, &extensions), id, base_version, &form).await {
        Ok(now) => {
            let time = now.to_zoned(state.site.time_zone.clone()).strftime("%H:%M").to_string();
            autosave_answer(StatusCode::OK, true, i18n::text(ui, "admin_autosaved", &[("time", &time)]))
        }
        Err(e) => {
            let key = match &e {
                NewsroomError::Forbidden => "admin_autosave_forbidden",
                NewsroomError::NotFound => "admin_autosave_gone",
                _ => "admin_autosave_failed",
            };
            let status = WebError::refused(e, ui).status();
            autosave_answer(status, false, i18n::text(ui, key, &[]))
        }
    }
}

/// `POST /admin/articles/{id}/autosave/discard`: throws this person's unsaved text away.
pub async fn discard_autosave(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .discard_unsaved(&actor(&staff, &extensions), id)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    let back =
        if id == NEW_ARTICLE { "/admin/articles/new".to_string() } else { format!("/admin/articles/{id}") };
    Ok(Redirect::to(&back).into_response())
}

/// `POST /admin/articles`: creates an article from the editor.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<ArticleForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let action = form_action(&f)?;
    let lang = site_lang(&state, f.lang.as_deref());
    let refused = |status, message| Shown::refused(status, &f, message);
    let fields = match form_fields(&state, &f) {
        Ok(fields) => fields,
        Err(errors) => {
            let message = NewsroomError::Invalid(errors).message(ui).unwrap_or_default();
            let shown = refused(StatusCode::UNPROCESSABLE_ENTITY, message);
            return editor_page(&state, &staff, &headers, None, &lang, shown).await;
        }
    };
    let actor = actor(&staff, &extensions);
    let created = match f.translation_of {
        None => state.newsroom.create(&actor, lang.clone(), fields, action).await,
        Some(source) => {
            match state.newsroom.create_translation(&actor, source, lang.clone(), fields, action).await {
                Ok(Translation::Created(written)) => Ok(*written),
                // Someone else started it meanwhile: open theirs rather than write a second one.
                Ok(Translation::Existing(id)) => {
                    return Ok(Redirect::to(&format!("/admin/articles/{id}")).into_response());
                }
                Err(e) => Err(e),
            }
        }
    };
    match created {
        Ok(written) => {
            let id = written.article().map(|a| a.id).unwrap_or(0);
            Ok(Redirect::to(&format!("/admin/articles/{id}?saved={}", done_word(action))).into_response())
        }
        Err(e @ (NewsroomError::Invalid(_) | NewsroomError::Taken(_) | NewsroomError::Missing(_))) => {
            let status = if matches!(e, NewsroomError::Taken(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let shown = refused(status, e.message(ui).unwrap_or_default());
            editor_page(&state, &staff, &headers, None, &lang, shown).await
        }
        Err(e) => Err(WebError::refused(e, ui)),
    }
}

/// Loads an article the user may open, with its author.
pub(super) async fn load_with_author(
    state: &AppState,
    staff: &Staff,
    extensions: &Extensions,
    id: i64,
) -> WebResult<(Article, Option<i64>)> {
    state.newsroom.open(&actor(staff, extensions), id).await.map_err(|e| WebError::refused(e, "en"))
}

/// [`load_with_author`] without the author.
pub(super) async fn load_for(
    state: &AppState,
    staff: &Staff,
    extensions: &Extensions,
    id: i64,
) -> WebResult<Article> {
    Ok(load_with_author(state, staff, extensions, id).await?.0)
}

#[derive(Debug, Deserialize)]
pub struct EditQuery {
    saved: Option<String>,
    /// `1`: bring back this person's autosaved text into the form.
    recover: Option<String>,
}

/// The word a redirect after a workflow step carries, for the message that says what happened.
fn done_word(action: Action) -> &'static str {
    match action {
        Action::Save => "saved",
        Action::Submit => "submitted",
        Action::SendBack => "sent-back",
        Action::Publish => "published",
        Action::Schedule => "scheduled",
        Action::Unpublish => "unpublished",
    }
}

/// "Published", "Sent back to the author", "Scheduled for 12.05.2026 10:00 (Europe/Moscow)": what
/// the last step did, in the back office's language.
fn done_message(state: &AppState, ui: &str, done: &str, article: &crate::domain::Article) -> String {
    let tz = &state.site.time_zone;
    let key = match done {
        "submitted" => "admin_done_submitted",
        "sent-back" => "admin_done_sent_back",
        "published" => "admin_done_published",
        "scheduled" => "admin_done_scheduled",
        "unpublished" => "admin_done_unpublished",
        "restored" => "admin_done_restored",
        "pinned" => "admin_done_pinned",
        "noted" => "admin_done_noted",
        "corrected" => "admin_done_corrected",
        "event" => "admin_event_saved",
        "event-removed" => "admin_event_removed",
        _ => "admin_saved",
    };
    let zone = &state.site.time_zone_name;
    let when = format!("{} ({zone})", dates::short_with_time(article.publish_at, tz));
    let mut message = i18n::text(ui, key, &[("when", &when)]);
    if let Some(expiry) = article.expires_at.filter(|_| article.status != crate::domain::Status::Draft) {
        let until = format!("{} ({zone})", dates::short_with_time(expiry, tz));
        message.push(' ');
        message.push_str(&i18n::text(ui, "admin_done_expires", &[("when", &until)]));
    }
    message
}

/// `GET /admin/articles/{id}`.
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<EditQuery>,
    extensions: Extensions,
) -> WebResult<Response> {
    let article = load_for(&state, &staff, &extensions, id).await?;
    let ui = ui_lang(&headers);
    let lang = article.lang.clone();
    let recovered = unsaved_text(&state, &staff, &extensions, Some(&article), ui).await?;
    if let (Some(Unsaved { form, .. }), true) = (&recovered, q.recover.is_some()) {
        let notice = Some(i18n::text(ui, "admin_unsaved_restored", &[]));
        let shown = Shown { form: Some(form), notice, ..Shown::default() };
        return editor_page(&state, &staff, &headers, Some(&article), &lang, shown).await;
    }
    let notice = q.saved.as_deref().map(|done| done_message(&state, ui, done, &article));
    let unsaved = recovered.map(|r| r.when);
    editor_page(
        &state,
        &staff,
        &headers,
        Some(&article),
        &lang,
        Shown { notice, unsaved, ..Shown::default() },
    )
    .await
}

/// `POST /admin/articles/{id}`: saves with the chosen action.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<ArticleForm>,
) -> WebResult<Response> {
    let (article, _) = load_with_author(&state, &staff, &extensions, id).await?;
    let ui = ui_lang(&headers);
    let action = form_action(&f)?;
    let lang = article.lang.clone();
    let fields = match form_fields(&state, &f) {
        Ok(fields) => fields,
        Err(errors) => {
            let message = NewsroomError::Invalid(errors).message(ui).unwrap_or_default();
            let shown = Shown::refused(StatusCode::UNPROCESSABLE_ENTITY, &f, message);
            return editor_page(&state, &staff, &headers, Some(&article), &lang, shown).await;
        }
    };
    let corrected =
        action == Action::Save && fields.correction.as_deref().is_some_and(|n| !n.trim().is_empty());
    let together = f.with_translations.as_deref().is_some_and(|v| !v.is_empty());
    let saved = if together {
        state.newsroom.release_together(&actor(&staff, &extensions), id, f.version, fields, action).await
    } else {
        state.newsroom.save(&actor(&staff, &extensions), id, f.version, fields, action).await
    };
    match saved {
        Ok(_) => {
            let done = if corrected { "corrected" } else { done_word(action) };
            Ok(Redirect::to(&format!("/admin/articles/{id}?saved={done}")).into_response())
        }
        Err(NewsroomError::Conflict(conflict)) => {
            // Keep this person's text in the form, show what the other person changed, and let
            // the next save go through against the version they have now seen.
            let theirs = state.store.revision(id, None, Some(conflict.base_version)).await?;
            let diff = diff_view(
                theirs.as_ref().map(|r| (r.title.as_str(), r.lead.as_str(), r.body_html.as_str())),
                (&conflict.current.title, &conflict.current.lead, &conflict.current.body_html),
            );
            let mut kept = f.clone();
            kept.version = Some(conflict.current.version);
            let message =
                i18n::text(ui, "admin_conflict", &[("version", &conflict.current.version.to_string())]);
            let current = *conflict.current;
            editor_page(
                &state,
                &staff,
                &headers,
                Some(&current),
                &lang,
                Shown { conflict: Some(diff), ..Shown::refused(StatusCode::CONFLICT, &kept, message) },
            )
            .await
        }
        Err(
            e @ (NewsroomError::Invalid(_)
            | NewsroomError::Taken(_)
            | NewsroomError::Missing(_)
            | NewsroomError::VersionRequired),
        ) => {
            let status = if matches!(e, NewsroomError::Taken(_)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let shown = Shown::refused(status, &f, e.message(ui).unwrap_or_default());
            editor_page(&state, &staff, &headers, Some(&article), &lang, shown).await
        }
        Err(e) => Err(WebError::refused(e, ui)),
    }
}

/// `POST /admin/articles/{id}/preview` (id 0 for an unsaved article): the form's content in
/// the public article template, exactly as readers would see it; nothing is saved.
pub async fn preview(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
    extensions: Extensions,
    Form(f): Form<ArticleForm>,
) -> WebResult<Response> {
    let existing = if id == 0 { None } else { Some(load_for(&state, &staff, &extensions, id).await?) };
    let ui = ui_lang(&headers);
    let lang = match &existing {
        Some(a) => a.lang.clone(),
        None => site_lang(&state, f.lang.as_deref()),
    };
    let invalid = |errors| WebError::refused(NewsroomError::Invalid(errors), ui);
    let fields = form_fields(&state, &f).map_err(invalid)?;
    let lead_image_id = match existing.as_ref() {
        Some(a) => state.store.lead_image_id(a.id).await?,
        None => None,
    };
    let base = Base { article: existing.as_ref(), review_requested: false, lead_image_id };
    let edit = resolve(&fields, &base, &lang, &state.site.languages, Action::Save, state.clock.now())
        .map_err(invalid)?;
    let lead_image = match edit.lead_image_id {
        Some(id) => match state.store.media_by_id(id).await? {
            Some(m) => Some(state.store.media_in_language(m, lang.as_str()).await?),
            None => None,
        },
        None => None,
    };
    let ctx = PageCtx::new(&state, lang.as_str()).await?;
    let section = ctx
        .section_by_id(edit.section_id)
        .ok_or_else(|| {
            invalid(vec![FieldError::new("section", "error_no_section").with("id", edit.section_id)])
        })?
        .clone();
    let now = state.clock.now();
    let article = Article {
        id: existing.as_ref().map(|a| a.id).unwrap_or(0),
        external_id: String::new(),
        translation_key: existing.as_ref().map(|a| a.translation_key.clone()).unwrap_or_default(),
        lang,
        section_id: edit.section_id,
        slug: edit
            .slug
            .clone()
            .or(existing.as_ref().map(|a| a.slug.clone()))
            .unwrap_or_else(|| crate::domain::slug::slugify(&edit.title)),
        title: edit.title,
        lead: edit.lead,
        body_html: edit.body_html,
        status: Status::Draft,
        publish_at: edit.publish_at,
        created_at: now,
        updated_at: now,
        version: 0,
        tags: edit.tags,
        bylines: edit.bylines,
        expires_at: edit.expires_at,
    };
    let html =
        crate::web::public::article::render_article_with(&ctx, &article, &section, lead_image.as_ref())
            .await?
            .html;
    // Nobody mistakes a preview for the published page, and no search engine keeps it.
    let banner = i18n::text(ui, "admin_preview_banner", &[]);
    Ok(crate::web::public::preview::preview_response(crate::web::public::preview::mark_as_preview(
        html, &banner,
    )))
}

#[derive(Debug, Deserialize)]
pub struct TranslateForm {
    lang: String,
}

/// `POST /admin/articles/{id}/translate`: the editor of a new translation into another
/// language (created when first saved), or the existing translation if there is one.
pub async fn translate(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<TranslateForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    let Some(lang) = state.site.language(&f.lang).cloned() else {
        let error = FieldError::new("lang", "error_not_a_language")
            .with("lang", &f.lang)
            .with("known", state.site.languages.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", "));
        return Err(WebError::refused(NewsroomError::Invalid(vec![error]), ui));
    };
    let source = load_for(&state, &staff, &extensions, id).await?;
    let versions = state.store.translation_versions(&source.translation_key).await?;
    let to = match versions.iter().find(|v| v.lang == lang.as_str()) {
        Some(existing) => format!("/admin/articles/{}", existing.id),
        None => format!("/admin/articles/new?translation_of={id}&lang={lang}"),
    };
    Ok(Redirect::to(&to).into_response())
}

/// The version a trash or restore button was shown at.
#[derive(Debug, Deserialize)]
pub struct VersionForm {
    #[serde(default, deserialize_with = "super::version_field")]
    version: Option<i64>,
}

/// `POST /admin/articles/{id}/delete`: to the trash (and off the public site).
pub async fn trash(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<VersionForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .trash(&actor(&staff, &extensions), id, f.version)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    Ok(Redirect::to("/admin/trash").into_response())
}

/// What the lead-story button sends.
#[derive(Debug, Deserialize)]
pub struct PinForm {
    /// `1` to make the article its language's lead story, `0` to stop.
    pinned: String,
}

/// `POST /admin/articles/{id}/pin`: the lead story of its language's home page, or no longer.
pub async fn pin(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<PinForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .pin(&actor(&staff, &extensions), id, f.pinned == "1")
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    let done = if f.pinned == "1" { "pinned" } else { "saved" };
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved={done}")).into_response())
}

/// `POST /admin/articles/{id}/restore`: back from the trash, as a draft.
pub async fn restore(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<VersionForm>,
) -> WebResult<Response> {
    let ui = ui_lang(&headers);
    state
        .newsroom
        .restore(&actor(&staff, &extensions), id, f.version)
        .await
        .map_err(|e| WebError::refused(e, ui))?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?saved=restored")).into_response())
}
