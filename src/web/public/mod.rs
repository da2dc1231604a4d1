//! The public site: one file per page, plus the pieces every page shares (the language from the
//! path, the header's navigation and language switcher, list items, pagination).

pub mod archive;
pub mod article;
pub mod clippings;
pub mod corrections;
pub mod documents;
pub mod error_page;
pub mod events;
pub mod feeds;
pub mod home;
pub mod lists;
pub mod low_vision;
pub mod media;
pub mod old_addresses;
pub mod page;
pub mod preview;
pub mod root;
pub mod search;
pub mod sitemap;
pub mod urls;
pub mod video;

use super::AppState;
use super::error::{WebError, WebResult};
use crate::domain::{Lang, Section, dates};
use crate::i18n;
use crate::storage::ArticleSummary;
use axum::response::Html;
use minijinja::{Value, context};
use serde::Serialize;

/// A link in the header navigation.
#[derive(Debug, Serialize)]
pub struct NavItem {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// One entry of the language switcher.
#[derive(Debug, Serialize)]
pub struct SwitchItem {
    pub lang: String,
    pub name: String,
    pub href: String,
    pub current: bool,
    /// The page has no version in this language; the link leads to that language's home.
    pub missing: bool,
}

/// An article in a list.
#[derive(Debug, Serialize)]
pub struct ItemView {
    pub title: String,
    pub href: String,
    pub date: String,
    pub datetime: String,
    pub lead: String,
    pub section: String,
    pub section_href: String,
    /// The lead photo's thumbnail, when the article has one.
    pub thumb: Option<media::ImageView>,
}

/// What every page is built from: the state, the page's language and the sections.
pub struct PageCtx<'a> {
    pub state: &'a AppState,
    pub lang: Lang,
    pub sections: std::sync::Arc<Vec<Section>>,
    /// The language's published static pages, `(title, path)`, linked from every footer.
    pub static_pages: Vec<(String, String)>,
}

impl<'a> PageCtx<'a> {
    /// Resolves the language path segment (404 for a language the site does not run in) and
    /// loads the sections.
    pub async fn new(state: &'a AppState, code: &str) -> WebResult<PageCtx<'a>> {
        let lang = state.site.language(code).ok_or(WebError::NotFound)?.clone();
        let sections = state.listing.sections(state).await?;
        let pages = state.store.published_pages(lang.as_str()).await?;
        let static_pages = pages.into_iter().map(|p| (p.title, format!("/{}/{}", p.lang, p.slug))).collect();
        Ok(PageCtx { state, lang, sections, static_pages })
    }

    pub fn section_by_slug(&self, slug: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.slug == slug)
    }

    pub fn section_by_id(&self, id: i64) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// A list item view for an article summary.
    pub fn item(&self, a: &ArticleSummary) -> ItemView {
        let tz = &self.state.site.time_zone;
        let section = self.section_by_id(a.section_id);
        let section_slug = section.map(|s| s.slug.as_str()).unwrap_or("news");
        ItemView {
            title: a.title.clone(),
            href: urls::article(&a.lang, section_slug, &a.slug),
            date: dates::short(a.publish_at, tz),
            datetime: dates::rfc3339(a.publish_at, tz),
            lead: a.lead.clone(),
            section: section.map(|s| s.name(&self.lang).to_string()).unwrap_or_default(),
            section_href: urls::section(&a.lang, section_slug),
            thumb: a.lead_image.as_ref().map(media::thumb),
        }
    }

    /// The week's most read articles in this language (views counted by [`crate::web::views`]).
    pub async fn most_read(&self) -> WebResult<Vec<ItemView>> {
        let ids = self.state.views.most_read(self.state, &self.lang).await?;
        let rows = self.state.listing.published(self.state, &ids).await?;
        Ok(rows.iter().map(|a| self.item(a)).collect())
    }

    /// The language switcher for a page that exists in every language at the same path
    /// (lists, sections, the archive): `rest` is the path after the language segment.
    pub fn switcher_same_path(&self, rest: &str) -> Vec<SwitchItem> {
        self.state
            .site
            .languages
            .iter()
            .map(|l| SwitchItem {
                lang: l.to_string(),
                name: i18n::language_name(l.as_str()),
                href: format!("/{l}{rest}"),
                current: *l == self.lang,
                missing: false,
            })
            .collect()
    }

    /// The context every template gets: language, strings, site name, navigation, switcher,
    /// canonical URL and asset links.
    pub fn chrome(
        &self,
        nav_current: &str,
        title: &str,
        description: &str,
        path: &str,
        switcher: Vec<SwitchItem>,
    ) -> Value {
        let lang = self.lang.as_str();
        let t = i18n::strings(lang);
        let site = &self.state.site;
        let mut nav = vec![NavItem {
            href: urls::archive(&self.lang),
            label: t["all_news"].clone(),
            current: nav_current == "archive",
        }];
        nav.extend(self.sections.iter().map(|s| NavItem {
            href: urls::section(&self.lang, &s.slug),
            label: s.name(&self.lang).to_string(),
            current: nav_current == s.slug,
        }));
        nav.push(NavItem {
            href: format!("/{}/{}", self.lang, documents::SLUG),
            label: t["documents_title"].clone(),
            current: nav_current == documents::SLUG,
        });
        nav.push(NavItem {
            href: format!("/{}/{}", self.lang, events::SLUG),
            label: t["events_title"].clone(),
            current: nav_current == events::SLUG,
        });
        // Feed autodiscovery: the language's feeds, plus the section's on a section page.
        let mut feeds = self.feed_links(&format!("/{}", self.lang), site.name(&self.lang));
        if let Some(section) = self.section_by_slug(nav_current) {
            feeds.extend(self.feed_links(
                &urls::section(&self.lang, &section.slug),
                &format!("{} — {}", site.name(&self.lang), section.name(&self.lang)),
            ));
        }
        let alternates: Vec<Value> = switcher
            .iter()
            .filter(|s| !s.missing)
            .map(|s| context! { lang => s.lang, href => format!("{}{}", site.base_url, s.href) })
            .collect();
        context! {
            lang,
            t,
            site_name => site.name(&self.lang),
            home_href => urls::home(&self.lang),
            nav,
            switcher,
            alternates,
            feeds,
            static_pages => self.static_pages.iter().map(|(title, href)| context! { title, href }).collect::<Vec<_>>(),
            title,
            description,
            canonical => format!("{}{}", site.base_url, path),
            css => super::assets::url("style"),
            js => super::assets::url("app"),
            icon => super::assets::url("icon"),
            share_image => format!("{}{}", site.base_url, super::assets::url("share")),
            year => dates::civil_date(self.state.clock.now(), &site.time_zone).year(),
            lv => low_vision::current().map(|lv| context! { classes => lv.classes(), size => lv.size, scheme => lv.scheme, images => lv.images, wide => lv.wide }),
            lv_next => urls::percent(path),
        }
    }

    /// The three feeds (RSS, Atom, JSON Feed) under a path prefix, for `<link rel="alternate">`.
    pub fn feed_links(&self, prefix: &str, label: &str) -> Vec<Value> {
        [
            ("feed.xml", "application/rss+xml", "RSS"),
            ("atom.xml", "application/atom+xml", "Atom"),
            ("feed.json", "application/feed+json", "JSON Feed"),
        ]
        .into_iter()
        .map(|(file, kind, name)| context! { href => format!("{prefix}/{file}"), kind, title => format!("{label} ({name})") })
        .collect()
    }

    /// Renders a template into an HTML response.
    pub fn render(&self, template: &str, ctx: Value) -> WebResult<Html<String>> {
        Ok(Html(self.state.templates.render(template, ctx)?))
    }
}

/// Page numbers and links for a paginated list.
#[derive(Debug, Serialize)]
pub struct Pager {
    pub current: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

/// One numbered link in a pager; `href` is `None` for the gap marker.
#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: u64,
    pub href: Option<String>,
    pub current: bool,
}

impl Pager {
    /// `base` is the list's path with any filter query; `?page=N` or `&page=N` is appended.
    pub fn new(current: u64, total_items: u64, page_size: u32, base: &str) -> Pager {
        let total = total_items.div_ceil(u64::from(page_size)).max(1);
        let href = |n: u64| {
            if n == 1 {
                base.to_string()
            } else if base.contains('?') {
                format!("{base}&page={n}")
            } else {
                format!("{base}?page={n}")
            }
        };
        let mut pages = Vec::new();
        let mut last = 0;
        for n in 1..=total {
            let near = n.abs_diff(current) <= 2;
            if n == 1 || n == total || near {
                if last != 0 && n > last + 1 {
                    pages.push(PageLink { number: 0, href: None, current: false });
                }
                pages.push(PageLink { number: n, href: Some(href(n)), current: n == current });
                last = n;
            }
        }
        Pager {
            current,
            total,
            prev: (current > 1).then(|| href(current - 1)),
            next: (current < total).then(|| href(current + 1)),
            pages,
        }
    }
}

/// Parses `?page=`: absent means 1; anything but a positive number is a bad request.
pub fn page_number(raw: Option<&str>) -> WebResult<u64> {
    match raw {
        None | Some("") => Ok(1),
        Some(s) => match s.parse::<u64>() {
            Ok(n) if (1..=1_000_000).contains(&n) => Ok(n),
            _ => Err(WebError::BadRequest(format!("'{s}' is not a page number"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_windows_and_gaps() {
        let p = Pager::new(10, 400, 20, "/en/archive");
        assert_eq!(p.total, 20);
        let numbers: Vec<u64> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(numbers, vec![1, 0, 8, 9, 10, 11, 12, 0, 20]);
        assert_eq!(p.prev.as_deref(), Some("/en/archive?page=9"));
        assert_eq!(p.next.as_deref(), Some("/en/archive?page=11"));
        let first = Pager::new(1, 5, 20, "/en/archive?from=2025-01-01");
        assert_eq!(first.total, 1);
        assert!(first.prev.is_none() && first.next.is_none());
        assert_eq!(Pager::new(2, 40, 20, "/x?from=a").prev.as_deref(), Some("/x?from=a"));
    }

    #[test]
    fn page_numbers() {
        assert_eq!(page_number(None).unwrap(), 1);
        assert_eq!(page_number(Some("3")).unwrap(), 3);
        for bad in ["0", "-1", "x", "99999999999"] {
            assert!(page_number(Some(bad)).is_err());
        }
    }
}
