//! The back office at `/admin`: sign-in, the dashboard, articles (writing, translating,
//! scheduling, history), users, sections, the audit log and webhooks. One file per screen. Every handler
//! takes [`Staff`] (signed in or sent to sign in) and checks the permission it needs on the
//! server; the CSRF guard in [`session`] stands in front of every state-changing request.

mod account;
mod articles;
mod clippings;
mod dashboard;
mod documents;
mod events;
mod galleries;
mod history;
pub mod login;
pub(crate) mod media;
mod pages;
mod people;
mod redirects;
mod review;
pub mod session;
mod sharing;
mod tokens;
mod translation;
pub mod two_factor;
mod webhooks;

use super::AppState;
use super::error::WebResult;
use crate::domain::user::Permission;
use crate::i18n;
use axum::Router;
use axum::http::{HeaderMap, header};
use axum::response::Html;
use axum::routing::{get, post};
use minijinja::{Value, context};
pub use session::Staff;

/// The largest article form accepted: long texts with tables fit, and pasted images arrive as
/// uploads, not inside the text. Other forms keep axum's 2 MB default.
pub const ARTICLE_FORM_LIMIT: usize = 8 * 1024 * 1024;

/// The back office's routes, nested under `/admin` by the main route table.
pub fn router(state: AppState) -> Router<AppState> {
    let article_form = || axum::extract::DefaultBodyLimit::max(ARTICLE_FORM_LIMIT);
    Router::new()
        .route("/", get(dashboard::show))
        .route("/login", get(login::form).post(login::submit))
        .route("/login/code", get(two_factor::code_form).post(two_factor::code_submit))
        .route("/two-factor", get(two_factor::setup))
        .route("/two-factor/enable", post(two_factor::enable))
        .route("/two-factor/recovery", post(two_factor::new_recovery_codes))
        .route("/two-factor/disable", post(two_factor::disable))
        .route("/logout", post(login::logout))
        .route("/password", get(login::password_form).post(login::password_change))
        .route("/sessions/end", post(account::end_session))
        .route("/set-password/{token}", get(login::set_password_form).post(login::set_password))
        .route("/lang/{code}", get(login::ui_language))
        .route("/articles", get(articles::list).post(articles::create).layer(article_form()))
        .route("/articles/new", get(articles::new))
        .route("/articles/{id}", get(articles::edit).post(articles::save).layer(article_form()))
        .route("/articles/{id}/preview", post(articles::preview).layer(article_form()))
        .route("/articles/{id}/autosave", post(articles::autosave).layer(article_form()))
        .route("/articles/{id}/autosave/discard", post(articles::discard_autosave))
        .route("/articles/{id}/translate", post(articles::translate))
        .route("/articles/{id}/delete", post(articles::trash))
        .route("/articles/{id}/restore", post(articles::restore))
        .route("/articles/{id}/pin", post(articles::pin))
        .route("/articles/{id}/event", post(events::save))
        .route("/articles/{id}/gallery", get(galleries::show).post(galleries::save))
        .route("/articles/{id}/notes", post(review::add))
        .route("/articles/{id}/send-back", post(review::send_back))
        .route("/articles/{id}/preview-links", post(sharing::make))
        .route("/articles/{id}/preview-links/{link}/withdraw", post(sharing::withdraw))
        .route("/articles/{id}/revisions", get(history::list))
        .route("/articles/{id}/diff", get(history::diff))
        .route("/articles/{id}/revisions/{rev}/restore", post(history::restore))
        .route("/trash", get(articles::trash_list))
        .route(
            "/media",
            get(media::library).post(media::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/media/{id}", post(media::update))
        .route("/users", get(people::users).post(people::create_user))
        .route("/users/{id}", post(people::update_user))
        .route("/users/{id}/invite", post(people::invite_user))
        .route("/users/{id}/reset", post(people::invite_user))
        .route("/users/{id}/two-factor/reset", post(people::reset_two_factor))
        .route("/users/two-factor", post(people::require_two_factor))
        .route("/users/accessibility", post(people::accessibility_rule))
        .route("/sections", get(people::sections).post(people::save_section))
        .route("/audit", get(people::audit))
        .route("/pages", get(pages::list).post(pages::create))
        .route("/pages/new", get(pages::new))
        .route("/pages/{id}", get(pages::edit).post(pages::update))
        .route("/clippings", get(clippings::list).post(clippings::add))
        .route("/clippings/{id}", get(clippings::edit).post(clippings::update))
        .route("/clippings/{id}/delete", post(clippings::delete))
        // Files up to the back office's request limit (the default 2 MB would refuse most PDFs).
        .route(
            "/documents",
            get(documents::list).post(documents::add).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/documents/{id}",
            get(documents::edit).post(documents::update).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/documents/{id}/delete", post(documents::delete))
        .route("/redirects", get(redirects::list).post(redirects::add))
        .route("/redirects/delete", post(redirects::delete))
        .route("/tokens", get(tokens::list).post(tokens::create))
        .route("/tokens/{id}/revoke", post(tokens::revoke))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route("/webhooks/{id}", get(webhooks::log))
        .route("/webhooks/{id}/enable", post(webhooks::enable))
        .route("/webhooks/{id}/delete", post(webhooks::delete))
        .layer(axum::middleware::from_fn_with_state(state, session::guard))
}

/// The back office's language: the `newsdesk_admin_lang` cookie, else the browser's
/// preference among the UI languages, else English.
pub fn ui_lang(headers: &HeaderMap) -> &'static str {
    if let Some(l) = session::cookie(headers, "newsdesk_admin_lang") {
        if l == "ru" {
            return "ru";
        }
        if l == "en" {
            return "en";
        }
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    match crate::web::public::root::negotiate(accept, &["en", "ru"]) {
        Some("ru") => "ru",
        _ => "en",
    }
}

/// The context every back-office page gets: strings, the user, navigation by permission and
/// the CSRF token for forms.
pub fn chrome(state: &AppState, staff: Option<&Staff>, lang: &str, title: &str, current: &str) -> Value {
    let t = i18n::strings(lang);
    let nav: Vec<Value> = match staff {
        Some(s) => {
            let mut items = vec![
                ("dashboard", "/admin", "admin_dashboard"),
                ("articles", "/admin/articles", "admin_articles"),
                ("new", "/admin/articles/new", "admin_new_article"),
            ];
            if s.user.role.can(Permission::UploadMedia) {
                items.push(("media", "/admin/media", "admin_media"));
            }
            if s.user.role.can(Permission::EditAnyArticle) {
                items.push(("pages", "/admin/pages", "admin_pages"));
            }
            if s.user.role.can(Permission::Publish) {
                items.push(("clippings", "/admin/clippings", "admin_clippings"));
                items.push(("documents", "/admin/documents", "admin_documents"));
            }
            if s.user.role.can(Permission::DeleteArticle) {
                items.push(("trash", "/admin/trash", "admin_trash"));
            }
            if s.user.role.can(Permission::ManageSections) {
                items.push(("sections", "/admin/sections", "admin_sections"));
                items.push(("redirects", "/admin/redirects", "admin_redirects"));
            }
            if s.user.role.can(Permission::ManageUsers) {
                items.push(("users", "/admin/users", "admin_users"));
                items.push(("tokens", "/admin/tokens", "admin_tokens"));
            }
            if s.user.role.can(Permission::ViewAuditLog) {
                items.push(("audit", "/admin/audit", "admin_audit"));
            }
            if s.user.role.can(Permission::ManageWebhooks) {
                items.push(("webhooks", "/admin/webhooks", "webhooks_title"));
            }
            items
                .into_iter()
                .map(|(id, href, key)| context! { href, label => t.get(key).cloned().unwrap_or_default(), current => id == current })
                .collect()
        }
        None => Vec::new(),
    };
    context! {
        lang,
        t,
        title,
        nav,
        site_name => state.site.name(&state.site.default_language),
        site_href => format!("/{}/", state.site.default_language),
        user => staff.map(|s| context! { name => s.user.name, email => s.user.email, role => s.user.role.as_str() }),
        csrf => staff.map(|s| s.csrf.clone()).unwrap_or_default(),
        css => super::assets::url("admin"),
        js => super::assets::url("admin-editor"),
        quill_js => super::assets::url("quill"),
        quill_css => super::assets::url("quill-snow"),
        languages => state.site.languages.iter().map(|l| context! { code => l.as_str(), name => i18n::language_name(l.as_str()) }).collect::<Vec<_>>(),
    }
}

/// A back-office page: HTML that browsers and proxies must not store.
pub type Page = ([(header::HeaderName, &'static str); 1], Html<String>);

/// Renders a back-office template; such pages are never cached by browsers or proxies.
pub fn render(state: &AppState, template: &str, ctx: Value) -> WebResult<Page> {
    Ok(([(header::CACHE_CONTROL, "no-store")], Html(state.templates.render(template, ctx)?)))
}

/// The client's address as seen by this node (see [`super::ClientAddr`]), for the audit log and
/// sign-in throttling.
pub fn client_address(parts: &axum::http::Extensions) -> String {
    parts.get::<super::ClientAddr>().map(|a| a.0.to_string()).unwrap_or_else(|| "unknown".into())
}

/// The `version` a form carries, read leniently: an empty or garbled value is no version, which
/// the editorial core refuses in words ("reload the page…") instead of the form parser
/// answering with a bare 422 that names a Rust type. A number is read too: the editor's
/// autosaved copy of a form is kept as JSON.
pub(crate) fn version_field<'de, D>(d: D) -> Result<Option<i64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Number(i64),
        Text(String),
    }
    let raw: Option<Raw> = serde::Deserialize::deserialize(d)?;
    Ok(match raw {
        Some(Raw::Number(n)) => Some(n),
        Some(Raw::Text(t)) => t.trim().parse().ok(),
        None => None,
    })
}
