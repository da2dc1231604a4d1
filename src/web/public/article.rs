//! `GET /{lang}/{section}/{slug}`: one article, with its translations in the language switcher,
//! the latest news beside it and the three links at its foot.

use super::{PageCtx, SwitchItem, urls};
use crate::domain::{Article, Status, dates};
use crate::i18n;
use crate::storage::ListFilter;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;

/// Cache-Control for article pages (lists use the cache's shorter default).
const ARTICLE_CACHE_CONTROL: &str = "public, max-age=300, stale-while-revalidate=86400";

/// How many items the "latest news" block beside an article shows.
const LATEST: u32 = 6;

pub async fn show(
    State(state): State<AppState>,
    Path((lang, section_slug, slug)): Path<(String, String, String)>,
) -> WebResult<Response> {
    let ctx = PageCtx::new(&state, &lang).await?;
    let article = match state.store.article_by_slug(&ctx.lang, &slug).await? {
        Some(a) if a.status == Status::Published => a,
        Some(_) => return Err(WebError::NotFound),
        None => {
            // A slug that changed keeps working: send the reader to the article's new address.
            return match state.store.article_by_old_slug(&ctx.lang, &slug).await? {
                Some(a) if a.status == Status::Published => Ok(redirect_to(&ctx, &a)),
                _ => Err(WebError::NotFound),
            };
        }
    };
    let section = ctx.section_by_id(article.section_id).ok_or(WebError::NotFound)?;
    if section.slug != section_slug {
        return Ok(redirect_to(&ctx, &article));
    }
    let page = render_article(&ctx, &article, section).await?;
    // Articles change rarely after publication: let browsers and CDNs keep them longer.
    let mut response =
        ([(axum::http::header::CACHE_CONTROL, ARTICLE_CACHE_CONTROL)], page.html).into_response();
    response.extensions_mut().insert(crate::web::cache::CacheTags { articles: page.shows });
    Ok(response)
}

/// A rendered article page and the articles whose changes make it stale.
pub struct ArticlePage {
    pub html: axum::response::Html<String>,
    /// The article, its translations (linked from the language switcher) and the report its
    /// event links; other publications reach its "latest news" within the cache's maximum age.
    pub shows: Vec<i64>,
}

/// Renders an article page exactly as readers see it; the back office's preview uses it too.
pub async fn render_article(
    ctx: &PageCtx<'_>,
    article: &Article,
    section: &crate::domain::Section,
) -> WebResult<ArticlePage> {
    let store = &ctx.state.store;
    let lead_image = match if article.id == 0 { None } else { store.lead_image(article.id).await? } {
        Some(m) => Some(store.media_in_language(m, article.lang.as_str()).await?),
        None => None,
    };
    render_article_with(ctx, article, section, lead_image.as_ref()).await
}

/// [`render_article`] with the lead photo given (the preview shows the one chosen in the form).
pub async fn render_article_with(
    ctx: &PageCtx<'_>,
    article: &Article,
    section: &crate::domain::Section,
    lead_image: Option<&crate::storage::media::Media>,
) -> WebResult<ArticlePage> {
    let state = ctx.state;
    let lead_image = lead_image.map(super::media::figure);
    let tz = &state.site.time_zone;
    let l = ctx.lang.as_str();
    let path = urls::article(&ctx.lang, &section.slug, &article.slug);

    let translations = state.store.translations(&article.translation_key).await?;
    let switcher: Vec<SwitchItem> = state
        .site
        .languages
        .iter()
        .map(|other| {
            let found = translations.iter().find(|t| t.lang == *other && t.status == Status::Published);
            let href = match found {
                Some(t) => {
                    let s = ctx.section_by_id(t.section_id).map(|s| s.slug.as_str()).unwrap_or("news");
                    urls::article(other, s, &t.slug)
                }
                None => urls::home(other),
            };
            SwitchItem {
                lang: other.to_string(),
                name: i18n::language_name(other.as_str()),
                href,
                current: *other == ctx.lang,
                missing: found.is_none(),
            }
        })
        .collect();

    let (_, latest) = state.listing.page(state, &ListFilter::all(ctx.lang.clone()), LATEST + 1, 0).await?;
    let related = if article.id == 0 { Vec::new() } else { related(ctx, article).await? };
    let latest: Vec<_> =
        latest.iter().filter(|a| a.id != article.id).take(LATEST as usize).map(|a| ctx.item(a)).collect();

    let published = dates::civil_date(article.publish_at, tz);
    let back_href = urls::archive_month(&ctx.lang, published.year(), published.month());
    let canonical = format!("{}{path}", state.site.base_url);
    let description = if article.lead.is_empty() { article.title.clone() } else { article.lead.clone() };
    let corrections =
        if article.id == 0 { Vec::new() } else { state.store.corrections_of(article.id).await? };
    let json_ld = json_ld(ctx, article, &canonical, &description, lead_image.as_ref(), &corrections);
    let gallery = if article.id == 0 { Vec::new() } else { state.store.gallery(article.id, l).await? };
    let total = gallery.len().to_string();
    let gallery: Vec<_> = gallery
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let view = super::media::ImageView {
                alt: m.alt.clone(),
                caption: m.caption.clone(),
                credit: m.credit.clone(),
                ..super::media::image_view(m.id, &m.file_key, m.width, m.height, 480)
            };
            let open = i18n::text(l, "gallery_open", &[("n", &(i + 1).to_string()), ("total", &total)]);
            context! { open, ..minijinja::Value::from_serialize(&view) }
        })
        .collect();
    let documents = if article.id == 0 {
        Vec::new()
    } else {
        let rows = state.store.documents_of_article(article.id, l).await?;
        super::documents::views(state, &rows, l).await?
    };
    let event = if article.id == 0 { None } else { state.store.event_of(article.id).await? };
    let mut shows = vec![article.id];
    shows.extend(translations.iter().map(|t| t.id));
    shows.extend(event.as_ref().and_then(|e| e.report_id));
    let event = match event {
        Some(e) => Some(event_view(ctx, article, &e, &canonical, &description, lead_image.as_ref()).await?),
        None => None,
    };
    let chrome = ctx.chrome(&section.slug, &article.title, &description, &path, switcher);
    let html = ctx.render(
        "public/article.html",
        context! {
            article => context! {
                title => &article.title,
                lead => &article.lead,
                body_html => super::video::placeholders(&super::media::responsive_body(state, &article.body_html, l).await, l),
                date => dates::short(article.publish_at, tz),
                date_long => dates::long(article.publish_at, tz, l),
                datetime => dates::rfc3339(article.publish_at, tz),
                modified => dates::rfc3339(article.updated_at, tz),
            },
            section => context! { name => section.name(&ctx.lang), href => urls::section(&ctx.lang, &section.slug) },
            share => urls::share_links(&canonical, &article.title).into_iter()
                .map(|(name, href)| context! { name, href }).collect::<Vec<_>>(),
            share_email => format!("mailto:?subject={}&body={}", urls::percent(&article.title), urls::percent(&canonical)),
            tags => article.tags.iter().map(|name| context! {
                name,
                href => urls::tag(&ctx.lang, &crate::domain::tag::slug_of(name)),
            }).collect::<Vec<_>>(),
            bylines => article.bylines.iter().map(|name| context! {
                name,
                href => urls::author(&ctx.lang, &crate::domain::tag::slug_of(name)),
            }).collect::<Vec<_>>(),
            back_href,
            all_news_href => urls::archive(&ctx.lang),
            latest,
            related,
            json_ld,
            event,
            gallery,
            documents,
            corrections => corrections.iter().map(|c| {
                let at = jiff::Timestamp::from_second(c.at).unwrap_or(article.updated_at);
                context! { id => c.id, note => &c.note, date => dates::short_with_time(at, tz), datetime => dates::rfc3339(at, tz) }
            }).collect::<Vec<_>>(),
            corrections_href => format!("/{}/corrections", ctx.lang),
            lead_image,
            og_image => lead_image.as_ref().map(|i| format!("{}{}", state.site.base_url, i.large)),
            og_type => "article",
            ..chrome
        },
    )?;
    Ok(ArticlePage { html, shows })
}

/// How many related articles an article page shows.
const RELATED: usize = 4;

/// "Related news": articles whose titles share this one's most telling words, recent ones and
/// those of the same section first (see [`crate::search::Search::similar`]). Which ones they are
/// is remembered for a while ([`crate::web::related`]); what is shown of them is read fresh.
async fn related(ctx: &PageCtx<'_>, article: &Article) -> WebResult<Vec<super::ItemView>> {
    let state = ctx.state;
    let ids = match state.related.get(article.id) {
        Some(ids) => ids,
        None => {
            let (id, lang, title) = (article.id, article.lang.to_string(), article.title.clone());
            let (section_id, publish_at) = (article.section_id, article.publish_at);
            let search = state.search.clone();
            let found = crate::search::run_query(move || {
                let like = crate::search::Like { id, lang: &lang, title: &title, section_id, publish_at };
                search.similar(&like, RELATED)
            })
            .await;
            let ids = match found {
                Ok(ids) => ids,
                // Related news is an extra: a page is still worth showing without it.
                Err(e) => {
                    tracing::warn!(error = %e, "related news skipped");
                    return Ok(Vec::new());
                }
            };
            // Nothing found is not remembered: the index may still be building.
            if !ids.is_empty() {
                state.related.put(article.id, ids.clone());
            }
            ids
        }
    };
    let rows = state.listing.published(state, &ids).await?;
    // Related items show the title and date only.
    Ok(rows
        .into_iter()
        .map(|r| {
            ctx.item(&crate::storage::ArticleSummary {
                lead: String::new(),
                lead_image: None,
                tags: Vec::new(),
                ..r
            })
        })
        .collect())
}

fn redirect_to(ctx: &PageCtx<'_>, article: &Article) -> Response {
    match ctx.section_by_id(article.section_id) {
        Some(s) => Redirect::permanent(&urls::article(&article.lang, &s.slug, &article.slug)).into_response(),
        None => WebError::NotFound.into_response(),
    }
}

/// The event an article announces, as its page shows it, with its schema.org `Event` (for
/// search engines' event listings) ready to embed.
async fn event_view(
    ctx: &PageCtx<'_>,
    article: &Article,
    event: &crate::storage::events::Event,
    canonical: &str,
    description: &str,
    image: Option<&super::media::ImageView>,
) -> WebResult<minijinja::Value> {
    let state = ctx.state;
    let l = ctx.lang.as_str();
    let zone = jiff::tz::TimeZone::get(&event.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let at = |s: i64| jiff::Timestamp::from_second(s).unwrap_or(article.publish_at);
    let (start, end) = (dates::rfc3339(at(event.starts_at), &zone), dates::rfc3339(at(event.ends_at), &zone));
    let report = match event.report_id {
        Some(id) => state.listing.published(state, &[id]).await?.into_iter().next().map(|r| {
            let section = ctx.section_by_id(r.section_id).map(|s| s.slug.as_str()).unwrap_or("news");
            context! { title => r.title, href => urls::article(&r.lang, section, &r.slug) }
        }),
        None => None,
    };
    let site = &state.site;
    let image = match image {
        Some(i) => format!("{}{}", site.base_url, i.large),
        None => format!("{}{}", site.base_url, crate::web::assets::url("share")),
    };
    let json = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": article.title,
        "description": description,
        "startDate": start,
        "endDate": end,
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": { "@type": "Place", "name": event.place, "address": event.place },
        "image": [image],
        "url": canonical,
        "inLanguage": l,
        "organizer": { "@type": "Organization", "name": site.name(&ctx.lang), "url": format!("{}/", site.base_url) },
    });
    Ok(context! {
        when => super::events::when(event, l),
        start,
        end,
        place => &event.place,
        report,
        ics_href => format!("/{l}/{}.ics", super::events::SLUG),
        calendar_href => format!("/{l}/{}", super::events::SLUG),
        json_ld => crate::web::templates::script_json(&json),
    })
}

/// Schema.org `NewsArticle` for search engines and aggregators, safe to embed in `<script>`.
fn json_ld(
    ctx: &PageCtx<'_>,
    article: &Article,
    canonical: &str,
    description: &str,
    image: Option<&super::media::ImageView>,
    corrections: &[crate::storage::corrections::Correction],
) -> String {
    let site = &ctx.state.site;
    let tz = &site.time_zone;
    let publisher = serde_json::json!({
        "@type": "Organization",
        "name": site.name(&ctx.lang),
        "url": format!("{}/", site.base_url),
        "logo": {
            "@type": "ImageObject",
            "url": format!("{}{}", site.base_url, crate::web::assets::url("logo")),
            "width": crate::web::emblem::LOGO,
            "height": crate::web::emblem::LOGO,
        },
    });
    let mut value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "datePublished": dates::rfc3339(article.publish_at, tz),
        "dateModified": dates::rfc3339(article.updated_at.max(article.publish_at), tz),
        "inLanguage": article.lang.as_str(),
        "mainEntityOfPage": { "@type": "WebPage", "@id": canonical },
        "url": canonical,
        "author": publisher.clone(),
        "publisher": publisher,
    });
    // Credited people are its authors; without a byline, the organization is.
    if !article.bylines.is_empty() {
        let people: Vec<serde_json::Value> = article
            .bylines
            .iter()
            .map(|name| {
                serde_json::json!({
                    "@type": "Person",
                    "name": name,
                    "url": format!("{}{}", site.base_url, urls::author(&ctx.lang, &crate::domain::tag::slug_of(name))),
                })
            })
            .collect();
        value["author"] = people.into();
    }
    if !article.tags.is_empty() {
        value["keywords"] = article.tags.join(", ").into();
    }
    if !corrections.is_empty() {
        let notes: Vec<serde_json::Value> = corrections
            .iter()
            .map(|c| {
                let at = jiff::Timestamp::from_second(c.at).unwrap_or(article.updated_at);
                serde_json::json!({
                    "@type": "CorrectionComment",
                    "text": c.note,
                    "datePublished": dates::rfc3339(at, tz),
                    "url": format!("{canonical}#correction-{}", c.id),
                })
            })
            .collect();
        value["correction"] = notes.into();
    }
    if let Some(image) = image {
        let mut object = serde_json::json!({
            "@type": "ImageObject",
            "url": format!("{}{}", site.base_url, image.large),
            "width": image.large_width,
            "height": image.large_height,
        });
        if !image.caption.is_empty() {
            object["caption"] = image.caption.clone().into();
        }
        if !image.credit.is_empty() {
            object["creditText"] = image.credit.clone().into();
        }
        value["image"] = serde_json::json!([object]);
    } else {
        // Without a photo of its own, the site's card: an article is never without a picture
        // where search engines and link previews expect one.
        let (width, height) = crate::web::emblem::CARD;
        value["image"] = serde_json::json!([{
            "@type": "ImageObject",
            "url": format!("{}{}", site.base_url, crate::web::assets::url("share")),
            "width": width,
            "height": height,
        }]);
    }
    crate::web::templates::script_json(&value)
}
