//! Signing in and out, changing one's password, one-time set-password links, and the back
//! office's language. Failed sign-ins are throttled per account and per address (in the
//! database, so every node counts them), and every answer to a failed attempt is the same, so
//! nobody learns which e-mails have accounts.

use super::session::{LOGIN_CSRF_COOKIE, SESSION_COOKIE, SESSION_HOURS, Staff, cookie, set_cookie};
use super::{chrome, client_address, render, ui_lang};
use crate::accounts::{hash_password, new_token, token_hash, verify_password, with_hashing_slot};
use crate::domain::user::{MIN_PASSWORD, normalize_email};
use crate::i18n;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use minijinja::context;
use serde::Deserialize;

/// Failures per account within [`WINDOW`] before the account is throttled.
pub const ACCOUNT_LIMIT: i64 = 5;
/// Failures per address within [`WINDOW`] before the address is throttled.
pub const ADDRESS_LIMIT: i64 = 20;
/// The throttling window.
pub const WINDOW: SignedDuration = SignedDuration::from_mins(15);

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    done: Option<String>,
}

/// Only back-office paths are valid places to return to after signing in.
fn safe_next(next: Option<&str>) -> String {
    next.and_then(crate::web::redirect::local_target)
        .filter(|n| n == "/admin" || n.starts_with("/admin/") || n.starts_with("/admin?"))
        .unwrap_or_else(|| "/admin".into())
}

pub(super) fn busy(_: crate::accounts::HashingBusy) -> WebError {
    WebError::TooManyRequests { retry_after: 5 }
}

pub(super) fn login_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
    notice: Option<String>,
    next: &str,
) -> WebResult<Response> {
    let lang = ui_lang(headers);
    let token = cookie(headers, LOGIN_CSRF_COOKIE).unwrap_or_else(new_token);
    let ctx = context! {
        login_csrf => &token, error, notice, next,
        ..chrome(state, None, lang, &i18n::text(lang, "admin_sign_in", &[]), "")
    };
    let mut response = (status, render(state, "admin/login.html", ctx)?).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, &token, 3600, state.site.is_https()));
    Ok(response)
}

/// `GET /admin/login`.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    let notice = q.done.map(|_| i18n::text(lang, "admin_password_set", &[]));
    login_page(&state, &headers, StatusCode::OK, None, notice, &safe_next(q.next.as_deref()))
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// `POST /admin/login`.
pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<LoginForm>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    let now = state.clock.now();
    let address = client_address(&extensions);
    let email = normalize_email(&f.email).unwrap_or_else(|| f.email.trim().to_lowercase());
    let next = safe_next(f.next.as_deref());
    let since = now - WINDOW;
    // Count this attempt before checking anything, atomically, per account and per address.
    let (by_account, start_a) = state.store.count_login_attempt("account", &email, now, since).await?;
    let (by_address, start_b) = state.store.count_login_attempt("address", &address, now, since).await?;
    let over_account = by_account > ACCOUNT_LIMIT;
    let over_address = by_address > ADDRESS_LIMIT;
    // Recorded at most once a window per key, so a flood does not flood the audit log too.
    if by_account == ACCOUNT_LIMIT + 1 || by_address == ADDRESS_LIMIT + 1 {
        state.store.audit(None, "login.throttled", &email, "", &address, now).await?;
    }
    let throttled = |start: i64| -> WebResult<Response> {
        let seconds = (start + WINDOW.as_secs() - now.as_second()).max(1);
        let message = i18n::text(lang, "admin_throttled", &[("minutes", &(seconds / 60 + 1).to_string())]);
        let mut response =
            login_page(&state, &headers, StatusCode::TOO_MANY_REQUESTS, Some(message), None, &next)?;
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        Ok(response)
    };
    // An account under attack waits, whoever asks. An address that failed too often is only
    // refused a wrong password: many people may share it (an office behind one gateway), and
    // a correct password is never what an attacker spraying guesses has.
    if over_account {
        return throttled(start_a);
    }
    let found = state.store.user_for_login(&email).await?;
    let hash = found.as_ref().and_then(|(_, h)| h.clone());
    let password = f.password.clone();
    // Argon2 is deliberately slow and large; a few at a time, off the async workers.
    let Ok(ok) = with_hashing_slot(move || verify_password(&password, hash.as_deref())).await else {
        return busy_login_page(&state, &headers, &next);
    };
    match found {
        Some((user, _)) if ok && !user.disabled => {
            // The password was right: this address is not guessing. The account's count stays
            // until the whole sign-in succeeds, so wrong codes after a right password count too.
            state.store.uncount_login_attempt("address", &address).await?;
            if state.store.totp_secret(user.id).await?.is_some() {
                return super::two_factor::ask_for_code(&state, &user, &next).await;
            }
            sign_in(&state, &headers, &user, &address, &next, "").await
        }
        _ if over_address => throttled(start_b),
        _ => {
            state.store.audit(None, "login.failed", &email, "", &address, now).await?;
            let message = i18n::text(lang, "admin_wrong_login", &[]);
            login_page(&state, &headers, StatusCode::UNAUTHORIZED, Some(message), None, &next)
        }
    }
}

/// Opens a session for someone who proved who they are, and goes on to `next`. `how` is kept
/// in the audit log ("" for a password alone, or the second factor used).
pub async fn sign_in(
    state: &AppState,
    headers: &HeaderMap,
    user: &crate::domain::user::User,
    address: &str,
    next: &str,
    how: &str,
) -> WebResult<Response> {
    let now = state.clock.now();
    let token = new_token();
    let csrf = new_token();
    let expires = now + SignedDuration::from_hours(SESSION_HOURS);
    let agent = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    state.store.create_session(&token_hash(&token), user.id, &csrf, now, expires, (agent, address)).await?;
    state.store.clear_login_attempts("account", &user.email).await?;
    state.store.audit(Some(user.id), "login", &user.email, how, address, now).await?;
    let mut response = Redirect::to(next).into_response();
    let h = response.headers_mut();
    let https = state.site.is_https();
    h.append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &token, SESSION_HOURS * 3600, https));
    h.append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, "", 0, https));
    Ok(response)
}

/// The sign-in page with 429 and `Retry-After` when every hashing slot stayed busy.
fn busy_login_page(state: &AppState, headers: &HeaderMap, next: &str) -> WebResult<Response> {
    let lang = ui_lang(headers);
    let message = i18n::text(lang, "admin_busy", &[]);
    let mut response = login_page(state, headers, StatusCode::TOO_MANY_REQUESTS, Some(message), None, next)?;
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    Ok(response)
}

/// `POST /admin/logout`.
pub async fn logout(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
) -> WebResult<Response> {
    let now = state.clock.now();
    state.store.delete_session(&staff.token_hash).await?;
    state
        .store
        .audit(Some(staff.user.id), "logout", &staff.user.email, "", &client_address(&extensions), now)
        .await?;
    let mut response = Redirect::to("/admin/login").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, state.site.is_https()));
    Ok(response)
}

fn password_problem(lang: &str, new: &str, confirm: &str) -> Option<String> {
    if new.chars().count() < MIN_PASSWORD {
        Some(i18n::text(lang, "admin_password_short", &[("n", &MIN_PASSWORD.to_string())]))
    } else if new != confirm {
        Some(i18n::text(lang, "admin_password_mismatch", &[]))
    } else {
        None
    }
}

/// `GET /admin/password`.
pub async fn password_form(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<AccountQuery>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    let notice = q.ended.map(|_| i18n::text(lang, "admin_session_ended", &[]));
    super::account::account_page(&state, &staff, &headers, StatusCode::OK, None, notice).await
}

/// `?ended=1` after a session was signed out.
#[derive(Debug, Default, Deserialize)]
pub struct AccountQuery {
    ended: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// `POST /admin/password`: needs the current password; ends the user's other sessions.
pub async fn password_change(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<PasswordForm>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    let now = state.clock.now();
    let hash = state.store.user_for_login(&staff.user.email).await?.and_then(|(_, h)| h);
    let current = f.current.clone();
    let ok = with_hashing_slot(move || verify_password(&current, hash.as_deref())).await.map_err(busy)?;
    let error = if !ok {
        Some(i18n::text(lang, "admin_wrong_password", &[]))
    } else {
        password_problem(lang, &f.new, &f.confirm)
    };
    if let Some(error) = error {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return super::account::account_page(&state, &staff, &headers, status, Some(error), None).await;
    }
    let new = f.new.clone();
    let hashed = with_hashing_slot(move || hash_password(&new)).await.map_err(busy)?.map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        WebError::Unavailable
    })?;
    state.store.set_password(staff.user.id, &hashed, now).await?;
    state.store.delete_sessions_of(staff.user.id, Some(&staff.token_hash)).await?;
    state
        .store
        .audit(
            Some(staff.user.id),
            "password.change",
            &staff.user.email,
            "",
            &client_address(&extensions),
            now,
        )
        .await?;
    let notice = Some(i18n::text(lang, "admin_password_changed", &[]));
    super::account::account_page(&state, &staff, &headers, StatusCode::OK, None, notice).await
}

/// `GET /admin/set-password/{token}`: the page behind a one-time link.
pub async fn set_password_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> WebResult<Response> {
    set_password_page(&state, &headers, &token, StatusCode::OK, None)
}

fn set_password_page(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    status: StatusCode,
    error: Option<String>,
) -> WebResult<Response> {
    let lang = ui_lang(headers);
    let csrf = cookie(headers, LOGIN_CSRF_COOKIE).unwrap_or_else(new_token);
    let ctx = context! { login_csrf => &csrf, token, error,
    ..chrome(state, None, lang, &i18n::text(lang, "admin_set_password", &[]), "") };
    let mut response = (status, render(state, "admin/set_password.html", ctx)?).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600, state.site.is_https()));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct SetPasswordForm {
    new: String,
    confirm: String,
}

/// `POST /admin/set-password/{token}`: uses the link up.
pub async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    Path(token): Path<String>,
    Form(f): Form<SetPasswordForm>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    if let Some(problem) = password_problem(lang, &f.new, &f.confirm) {
        return set_password_page(&state, &headers, &token, StatusCode::UNPROCESSABLE_ENTITY, Some(problem));
    }
    let now = state.clock.now();
    let Some(user_id) = state.store.take_password_token(&token_hash(&token), now).await? else {
        let message = i18n::text(lang, "admin_link_expired", &[]);
        return set_password_page(&state, &headers, &token, StatusCode::GONE, Some(message));
    };
    let new = f.new.clone();
    let hashed = with_hashing_slot(move || hash_password(&new)).await.map_err(busy)?.map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        WebError::Unavailable
    })?;
    state.store.set_password(user_id, &hashed, now).await?;
    state.store.delete_sessions_of(user_id, None).await?;
    state.store.audit(Some(user_id), "password.set", "", "", &client_address(&extensions), now).await?;
    Ok(Redirect::to("/admin/login?done=1").into_response())
}

/// `GET /admin/lang/{code}`: switches the back office's language and goes back.
pub async fn ui_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Response {
    let code = if code == "ru" { "ru" } else { "en" };
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("/admin").map(|i| r[i..].to_string()))
        .map(|p| safe_next(Some(&p)))
        .unwrap_or_else(|| "/admin".into());
    let mut response = Redirect::to(&back).into_response();
    let secure = if state.site.is_https() { "; Secure" } else { "" };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "newsdesk_admin_lang={code}; Path=/admin; SameSite=Lax; Max-Age=31536000{secure}"
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_back_office_paths_are_returned_to() {
        assert_eq!(safe_next(Some("/admin/articles?x=1")), "/admin/articles?x=1");
        for bad in ["//evil.example", "https://evil.example/admin", "/en/", "/admin\\@evil"] {
            assert_eq!(safe_next(Some(bad)), "/admin", "{bad}");
        }
    }
}
