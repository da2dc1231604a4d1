//! The editor page: the article's form with its translations, the source beside a translation,
//! the lead-photo picker and the event panel, and what the last action left to say (a refusal
//! with the person's text kept, a conflict's diff, a notice, unsaved text offered back).

use super::{ArticleForm, load_for, translation_states};
use crate::domain::user::Permission;
use crate::domain::{Article, Lang, Status, dates};
use crate::i18n;
use crate::newsroom::autosave::NEW_ARTICLE;
use crate::storage::editorial::at;
use crate::web::AppState;
use crate::web::admin::session::Staff;
use crate::web::admin::{chrome, render, ui_lang};
use crate::web::error::WebResult;
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use minijinja::{Value, context};

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
    Ok(Some(crate::web::admin::translation::source_view(
        source.id,
        source.lang.as_str(),
        (&source.title, &source.lead, &source.body_html),
        then.as_ref().map(|r| (r.title.as_str(), r.lead.as_str(), r.body_html.as_str())),
    )))
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
pub(crate) struct Shown<'a> {
    pub(crate) status: StatusCode,
    pub(crate) form: Option<&'a ArticleForm>,
    pub(crate) error: Option<String>,
    /// A diff of what someone else saved meanwhile.
    pub(crate) conflict: Option<Value>,
    pub(crate) notice: Option<String>,
    /// Unsaved text autosaved earlier, offered back: when it was kept.
    pub(crate) unsaved: Option<String>,
    /// A preview link just made, shown once.
    pub(crate) preview_link: Option<String>,
    /// The event panel's refused form, shown back as typed.
    pub(crate) event: Option<&'a crate::newsroom::events::EventFields>,
}

impl<'a> Shown<'a> {
    /// The form comes back with the person's text and what was wrong with it.
    pub(super) fn refused(status: StatusCode, form: &'a ArticleForm, error: String) -> Self {
        Shown { status, form: Some(form), error: Some(error), ..Shown::default() }
    }
}

/// Everything the editor template needs.
pub(crate) async fn editor_page(
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
pub(crate) async fn editor_with_link(
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
