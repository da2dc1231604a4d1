//! Administration: users and roles, sections, and the audit log. Admins only.

use super::session::Staff;
use super::{chrome, client_address, render, ui_lang};
use crate::accounts::{new_token, token_hash};
use crate::domain::user::{Permission, Role, normalize_email};
use crate::domain::{dates, slug};
use crate::i18n;
use crate::storage::editorial::at;
use crate::storage::{SectionInput, StoreError};
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use minijinja::context;
use serde::Deserialize;
use std::collections::BTreeMap;

/// How long a set-password link stays valid.
pub const LINK_HOURS: i64 = 72;

/// Creates a one-time set-password link for a user.
pub async fn password_link(state: &AppState, user_id: i64) -> WebResult<String> {
    let token = new_token();
    let expires = state.clock.now() + SignedDuration::from_hours(LINK_HOURS);
    state.store.create_password_token(&token_hash(&token), user_id, expires).await?;
    Ok(format!("{}/admin/set-password/{token}", state.site.base_url))
}

async fn users_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
    link: Option<String>,
    notice: Option<String>,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let awaiting = state.store.awaiting_invitation().await?;
    let with_two_factor = state.store.users_with_two_factor().await?;
    let two_factor_required = state.store.two_factor_required().await?;
    let accessibility = state.store.accessibility_strictness().await?;
    let users: Vec<_> = state
        .store
        .users()
        .await?
        .into_iter()
        // API tokens' accounts are managed on the tokens page, where revoking them is possible.
        .filter(|u| !u.email.ends_with(&format!("@{}", crate::storage::tokens::TOKEN_EMAIL_DOMAIN)))
        .map(|u| context! { id => u.id, email => u.email, name => u.name, role => u.role.as_str(), disabled => u.disabled, me => u.id == staff.user.id, awaiting => awaiting.contains(&u.id), two_factor => with_two_factor.contains(&u.id) })
        .collect();
    let ctx = context! { users, error, link, notice, two_factor_required, accessibility, roles => ["author", "editor", "admin"],
    ..chrome(state, Some(staff), ui, &i18n::text(ui, "admin_users", &[]), "users") };
    Ok((status, render(state, "admin/users.html", ctx)?).into_response())
}

/// `?done=` on the users page after a two-factor change.
#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    done: Option<String>,
}

/// `GET /admin/users`.
pub async fn users(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<UsersQuery>,
) -> WebResult<Response> {
    staff.require(Permission::ManageUsers)?;
    let ui = ui_lang(&headers);
    let notice = match q.done.as_deref() {
        Some("required") => Some(i18n::text(ui, "admin_two_factor_required_on", &[])),
        Some("optional") => Some(i18n::text(ui, "admin_two_factor_required_off", &[])),
        Some("reset") => Some(i18n::text(ui, "admin_two_factor_reset_done", &[])),
        Some("accessibility") => Some(i18n::text(ui, "admin_done_a11y", &[])),
        _ => None,
    };
    users_page(&state, &staff, &headers, StatusCode::OK, None, None, notice).await
}

#[derive(Debug, Deserialize)]
pub struct NewUser {
    email: String,
    #[serde(default)]
    name: String,
    role: String,
}

/// `POST /admin/users`: creates an account and shows its one-time set-password link.
pub async fn create_user(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<NewUser>,
) -> WebResult<Response> {
    staff.require(Permission::ManageUsers)?;
    let ui = ui_lang(&headers);
    let (Some(email), Some(role)) = (normalize_email(&f.email), Role::parse(&f.role)) else {
        let message = i18n::text(ui, "admin_bad_user", &[]);
        return users_page(
            &state,
            &staff,
            &headers,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
            None,
            None,
        )
        .await;
    };
    let name =
        if f.name.trim().is_empty() { email.clone() } else { f.name.trim().chars().take(100).collect() };
    let now = state.clock.now();
    let id = match state.store.create_user(&email, &name, role, None, now).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            let message = i18n::text(ui, "admin_user_exists", &[]);
            return users_page(&state, &staff, &headers, StatusCode::CONFLICT, Some(message), None, None)
                .await;
        }
        Err(e) => return Err(e.into()),
    };
    state
        .store
        .audit(Some(staff.user.id), "user.create", &email, role.as_str(), &client_address(&extensions), now)
        .await?;
    let link = password_link(&state, id).await?;
    users_page(&state, &staff, &headers, StatusCode::OK, None, Some(link), None).await
}

/// `POST /admin/users/{id}/invite` and `…/reset`: a one-time set-password link, shown once, for
/// someone who has no password yet (an imported author, or a link that expired) or who forgot
/// theirs (using it sets the new password and ends their sessions).
pub async fn invite_user(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    staff.require(Permission::ManageUsers)?;
    let user = state.store.user_by_id(id).await?.ok_or(WebError::NotFound)?;
    let action =
        if state.store.awaiting_invitation().await?.contains(&id) { "user.invite" } else { "user.reset" };
    let link = password_link(&state, id).await?;
    let now = state.clock.now();
    state
        .store
        .audit(Some(staff.user.id), action, &user.email, "", &client_address(&extensions), now)
        .await?;
    users_page(&state, &staff, &headers, StatusCode::OK, None, Some(link), None).await
}

#[derive(Debug, Deserialize)]
pub struct UserChange {
    role: String,
    disabled: Option<String>,
}

/// `POST /admin/users/{id}`: changes a role or disables an account (ending its sessions).
pub async fn update_user(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Path(id): Path<i64>,
    Form(f): Form<UserChange>,
) -> WebResult<Response> {
    staff.require(Permission::ManageUsers)?;
    let role =
        Role::parse(&f.role).ok_or_else(|| WebError::BadRequest(format!("'{}' is not a role", f.role)))?;
    let user = state.store.user_by_id(id).await?.ok_or(WebError::NotFound)?;
    let disabled = f.disabled.is_some();
    if id == staff.user.id && (disabled || role != Role::Admin) {
        return Err(WebError::BadRequest("you cannot lock yourself out: ask another admin".into()));
    }
    let now = state.clock.now();
    state.store.update_user(id, role, disabled, now).await?;
    let detail = format!("{} -> {}{}", user.role, role, if disabled { ", disabled" } else { "" });
    state
        .store
        .audit(Some(staff.user.id), "user.update", &user.email, &detail, &client_address(&extensions), now)
        .await?;
    Ok(Redirect::to("/admin/users").into_response())
}

async fn sections_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let sections: Vec<_> = state
        .store
        .sections()
        .await?
        .into_iter()
        .map(|s| context! { slug => s.slug, position => s.position, names => s.names })
        .collect();
    let ctx = context! { sections, error, ..chrome(state, Some(staff), ui, &i18n::text(ui, "admin_sections", &[]), "sections") };
    Ok((status, render(state, "admin/sections.html", ctx)?).into_response())
}

/// `GET /admin/sections`.
pub async fn sections(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
) -> WebResult<Response> {
    staff.require(Permission::ManageSections)?;
    sections_page(&state, &staff, &headers, StatusCode::OK, None).await
}

/// `POST /admin/sections`: creates a section or renames one (fields `slug`, `position`,
/// `name_<lang>`).
pub async fn save_section(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<BTreeMap<String, String>>,
) -> WebResult<Response> {
    staff.require(Permission::ManageSections)?;
    let ui = ui_lang(&headers);
    let slug_value = f.get("slug").map(|s| s.trim().to_lowercase()).unwrap_or_default();
    let mut names = BTreeMap::new();
    for lang in &state.site.languages {
        if let Some(n) = f.get(&format!("name_{lang}")).map(|n| n.trim()).filter(|n| !n.is_empty()) {
            names.insert(lang.to_string(), n.chars().take(100).collect::<String>());
        }
    }
    let position = f.get("position").and_then(|p| p.trim().parse().ok()).unwrap_or(0);
    if !slug::is_valid(&slug_value) || slug::RESERVED.contains(&slug_value.as_str()) || names.is_empty() {
        let message = i18n::text(ui, "admin_bad_section", &[]);
        return sections_page(&state, &staff, &headers, StatusCode::UNPROCESSABLE_ENTITY, Some(message))
            .await;
    }
    let input = SectionInput { slug: slug_value.clone(), names, position };
    state.store.upsert_section(&input, state.clock.now()).await?;
    state
        .store
        .audit(
            Some(staff.user.id),
            "section.save",
            &slug_value,
            "",
            &client_address(&extensions),
            state.clock.now(),
        )
        .await?;
    state.content_changed();
    Ok(Redirect::to("/admin/sections").into_response())
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    action: Option<String>,
    user: Option<String>,
}

/// `GET /admin/audit?action=PREFIX&user=EMAIL`.
pub async fn audit(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> WebResult<Response> {
    staff.require(Permission::ViewAuditLog)?;
    let ui = ui_lang(&headers);
    let tz = &state.site.time_zone;
    let action = q.action.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let user = q.user.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let entries: Vec<_> = state
        .store
        .audit_log(action, user, 500)
        .await?
        .into_iter()
        .map(|e| {
            context! {
                at => format!("{} {}", dates::short(at(e.at), tz), at(e.at).to_zoned(tz.clone()).strftime("%H:%M:%S")),
                user => e.user, action => e.action, target => e.target, detail => e.detail, address => e.address,
            }
        })
        .collect();
    let ctx = context! { entries, action, user_filter => user, ..chrome(&state, Some(&staff), ui, &i18n::text(ui, "admin_audit", &[]), "audit") };
    Ok(render(&state, "admin/audit.html", ctx)?.into_response())
}

/// What the "require two-factor sign-in" form sends: the box, ticked or not.
#[derive(Debug, Deserialize)]
pub struct RequireForm {
    required: Option<String>,
}

/// `POST /admin/users/two-factor`: makes a second factor compulsory for editors and admins (each
/// of them is then shown only the set-up page until they have one), or optional again.
pub async fn require_two_factor(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Form(f): Form<RequireForm>,
) -> WebResult<Response> {
    staff.require(Permission::ManageUsers)?;
    let required = f.required.is_some_and(|v| !v.is_empty());
    state.store.set_two_factor_required(required).await?;
    let detail = if required { "required for editors and admins" } else { "optional" };
    let now = state.clock.now();
    state
        .store
        .audit(Some(staff.user.id), "settings.two_factor", "", detail, &client_address(&extensions), now)
        .await?;
    Ok(Redirect::to(if required { "/admin/users?done=required" } else { "/admin/users?done=optional" })
        .into_response())
}

/// The accessibility rule as the form sends it.
#[derive(Debug, Deserialize)]
pub struct AccessibilityForm {
    rule: String,
}

/// `POST /admin/users/accessibility`: whether every finding of the accessibility check stops a
/// publication, or only pictures without a text alternative do.
pub async fn accessibility_rule(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Form(f): Form<AccessibilityForm>,
) -> WebResult<Response> {
    use crate::newsroom::accessibility::Strictness;
    staff.require(Permission::ManageUsers)?;
    let rule = Strictness::parse(f.rule.trim()).as_str();
    state.store.set_accessibility_strictness(rule).await?;
    let now = state.clock.now();
    let address = client_address(&extensions);
    state.store.audit(Some(staff.user.id), "settings.accessibility", "", rule, &address, now).await?;
    Ok(Redirect::to("/admin/users?done=accessibility").into_response())
}

/// `POST /admin/users/{id}/two-factor/reset`: removes someone's second factor (a lost phone and
/// no recovery codes) and signs them out everywhere; they set it up again at their next sign-in
/// where the site requires it.
pub async fn reset_two_factor(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    staff.require(Permission::ManageUsers)?;
    let user = state.store.user_by_id(id).await?.ok_or(WebError::NotFound)?;
    let now = state.clock.now();
    state.store.disable_two_factor(id, now).await?;
    state.store.delete_sessions_of(id, None).await?;
    state
        .store
        .audit(
            Some(staff.user.id),
            "user.two_factor_reset",
            &user.email,
            "",
            &client_address(&extensions),
            now,
        )
        .await?;
    Ok(Redirect::to("/admin/users?done=reset").into_response())
}
