//! Two-factor sign-in in the back office: the second step of signing in (a code from an
//! authenticator app, or a recovery code) and one's own set-up page (turn on with a QR code,
//! new recovery codes, turn off). The codes themselves are in
//! [`crate::accounts::two_factor`]; what is stored, in [`crate::storage::two_factor`].
//!
//! Between the password and the code, the browser holds only a random token (cookie
//! [`CHALLENGE_COOKIE`], five minutes) naming a waiting sign-in in the database, so any node
//! can finish it. Wrong codes count against the account's sign-in throttle as wrong passwords
//! do, and a waiting sign-in allows only a few tries.

use super::login::{ACCOUNT_LIMIT, WINDOW, busy, login_page, sign_in};
use super::session::{LOGIN_CSRF_COOKIE, Staff, cookie, set_cookie};
use super::{chrome, client_address, render, ui_lang};
use crate::accounts::two_factor as codes;
use crate::accounts::{new_token, token_hash, verify_password, with_hashing_slot};
use crate::domain::user::{Role, User};
use crate::i18n;
use crate::web::AppState;
use crate::web::error::WebResult;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use minijinja::context;
use serde::Deserialize;

/// The cookie that names a sign-in waiting for its code.
pub const CHALLENGE_COOKIE: &str = "newsdesk_2fa";
/// How long a sign-in waits for its code.
const CHALLENGE_MINUTES: i64 = 5;

/// After a right password, for someone with a second factor: opens a waiting sign-in and asks
/// for the code.
pub async fn ask_for_code(state: &AppState, user: &User, next: &str) -> WebResult<Response> {
    let token = new_token();
    let expires = state.clock.now() + SignedDuration::from_mins(CHALLENGE_MINUTES);
    state.store.create_challenge(&token_hash(&token), user.id, next, expires).await?;
    let mut response = Redirect::to("/admin/login/code").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(CHALLENGE_COOKIE, &token, CHALLENGE_MINUTES * 60, state.site.is_https()),
    );
    Ok(response)
}

fn code_page(
    state: &AppState,
    headers: &HeaderMap,
    status: StatusCode,
    error: Option<String>,
) -> WebResult<Response> {
    let lang = ui_lang(headers);
    let csrf = cookie(headers, LOGIN_CSRF_COOKIE).unwrap_or_else(new_token);
    let ctx = context! { login_csrf => &csrf, error,
    ..chrome(state, None, lang, &i18n::text(lang, "admin_code_title", &[]), "") };
    let mut response = (status, render(state, "admin/login_code.html", ctx)?).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600, state.site.is_https()));
    Ok(response)
}

/// The sign-in page again, saying the waiting sign-in is over (expired, or out of tries).
fn start_again(state: &AppState, headers: &HeaderMap) -> WebResult<Response> {
    let lang = ui_lang(headers);
    let message = i18n::text(lang, "admin_code_expired", &[]);
    let mut response = login_page(state, headers, StatusCode::UNAUTHORIZED, Some(message), None, "/admin")?;
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(CHALLENGE_COOKIE, "", 0, state.site.is_https()));
    Ok(response)
}

/// `GET /admin/login/code`: the second step of signing in.
pub async fn code_form(State(state): State<AppState>, headers: HeaderMap) -> WebResult<Response> {
    let waiting = match cookie(&headers, CHALLENGE_COOKIE) {
        Some(token) => state.store.challenge(&token_hash(&token), state.clock.now()).await?,
        None => None,
    };
    if waiting.is_none() {
        return Ok(Redirect::to("/admin/login").into_response());
    }
    code_page(&state, &headers, StatusCode::OK, None)
}

/// What the code forms send.
#[derive(Debug, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// How a code was accepted, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Accepted {
    App,
    RecoveryCode,
}

impl Accepted {
    fn as_str(self) -> &'static str {
        match self {
            Accepted::App => "authenticator app",
            Accepted::RecoveryCode => "recovery code",
        }
    }
}

/// Checks a code typed by `user_id` and uses it up: an app code's step can serve once, a
/// recovery code once. `None` when the code is wrong, replayed or the person has no second
/// factor.
async fn use_code(state: &AppState, user_id: i64, code: &str) -> WebResult<Option<Accepted>> {
    if codes::looks_like_recovery_code(code) {
        let used = state.store.use_recovery_code(user_id, &codes::recovery_code_hash(code)).await?;
        return Ok(used.then_some(Accepted::RecoveryCode));
    }
    let Some(secret) = state.store.totp_secret(user_id).await? else { return Ok(None) };
    let Some(step) = codes::matching_step(&secret, code, state.clock.now().as_second()) else {
        return Ok(None);
    };
    Ok(state.store.use_totp_step(user_id, step).await?.then_some(Accepted::App))
}

/// `POST /admin/login/code`: finishes signing in with a code.
pub async fn code_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    let now = state.clock.now();
    let address = client_address(&extensions);
    let Some(token) = cookie(&headers, CHALLENGE_COOKIE) else { return start_again(&state, &headers) };
    let Some(waiting) = state.store.try_challenge(&token_hash(&token), now).await? else {
        return start_again(&state, &headers);
    };
    let Some(user) = state.store.user_by_id(waiting.user_id).await?.filter(|u| !u.disabled) else {
        return start_again(&state, &headers);
    };
    let (count, window_start) =
        state.store.count_login_attempt("account", &user.email, now, now - WINDOW).await?;
    if count > ACCOUNT_LIMIT {
        state.store.delete_challenge(&token_hash(&token)).await?;
        let seconds = (window_start + WINDOW.as_secs() - now.as_second()).max(1);
        let minutes = (seconds / 60 + 1).to_string();
        let message = i18n::text(lang, "admin_throttled", &[("minutes", &minutes)]);
        let mut response =
            login_page(&state, &headers, StatusCode::TOO_MANY_REQUESTS, Some(message), None, "/admin")?;
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return Ok(response);
    }
    let Some(how) = use_code(&state, user.id, &f.code).await? else {
        state.store.audit(Some(user.id), "login.code_failed", &user.email, "", &address, now).await?;
        let message = i18n::text(lang, "admin_code_wrong", &[]);
        return code_page(&state, &headers, StatusCode::UNAUTHORIZED, Some(message));
    };
    state.store.delete_challenge(&token_hash(&token)).await?;
    // After a recovery code, say how many are left and how to get a phone back in.
    let next = if how == Accepted::RecoveryCode { "/admin/two-factor?recovered=1" } else { &waiting.next };
    let mut response = sign_in(&state, &headers, &user, &address, next, how.as_str()).await?;
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(CHALLENGE_COOKIE, "", 0, state.site.is_https()));
    Ok(response)
}

/// What the set-up page shows besides its forms.
#[derive(Debug, Default)]
struct Shown {
    error: Option<String>,
    notice: Option<String>,
    /// Recovery codes, only right after they were made.
    recovery: Vec<String>,
    /// The secret being set up (kept across a mistyped code).
    secret: Option<String>,
}

async fn setup_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    status: StatusCode,
    shown: Shown,
) -> WebResult<Response> {
    let lang = ui_lang(headers);
    let enabled = state.store.totp_secret(staff.user.id).await?.is_some();
    let required = state.store.two_factor_required().await? && staff.user.role >= Role::Editor;
    let left = if enabled { state.store.recovery_codes_left(staff.user.id).await? } else { 0 };
    let setup = (!enabled).then(|| {
        let secret =
            shown.secret.clone().filter(|s| codes::is_valid_secret(s)).unwrap_or_else(codes::new_secret);
        let issuer = state.site.name(&state.site.default_language);
        let uri = codes::otpauth_uri(&secret, issuer, &staff.user.email);
        context! { grouped => codes::grouped(&secret), qr => codes::qr_data_uri(&uri), secret }
    });
    let title = i18n::text(lang, "admin_two_factor", &[]);
    let ctx = context! {
        enabled, required, setup, must_enrol => required && !enabled,
        left => i18n::text(lang, "admin_recovery_left", &[("n", &left.to_string())]),
        error => shown.error, notice => shown.notice, recovery => shown.recovery,
        ..chrome(state, Some(staff), lang, &title, "")
    };
    Ok((status, render(state, "admin/two_factor.html", ctx)?).into_response())
}

/// `?recovered=1` after signing in with a recovery code.
#[derive(Debug, Default, Deserialize)]
pub struct SetupQuery {
    recovered: Option<String>,
}

/// `GET /admin/two-factor`: one's second factor.
pub async fn setup(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<SetupQuery>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    let notice = match q.recovered {
        Some(_) => {
            let left = state.store.recovery_codes_left(staff.user.id).await?.to_string();
            Some(i18n::text(lang, "admin_recovery_used", &[("n", &left)]))
        }
        None => None,
    };
    setup_page(&state, &staff, &headers, StatusCode::OK, Shown { notice, ..Shown::default() }).await
}

/// What the turn-on form sends: the secret shown and the code the app computed from it.
#[derive(Debug, Deserialize)]
pub struct EnableForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

/// `POST /admin/two-factor/enable`: turns the second factor on once the app's code proves the
/// secret reached it, and shows the recovery codes once.
pub async fn enable(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<EnableForm>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    let now = state.clock.now();
    if state.store.totp_secret(staff.user.id).await?.is_some() {
        let error = Some(i18n::text(lang, "admin_two_factor_already", &[]));
        return setup_page(
            &state,
            &staff,
            &headers,
            StatusCode::CONFLICT,
            Shown { error, ..Shown::default() },
        )
        .await;
    }
    let step = codes::is_valid_secret(&f.secret)
        .then(|| codes::matching_step(&f.secret, &f.code, now.as_second()))
        .flatten();
    let Some(step) = step else {
        let shown = Shown {
            error: Some(i18n::text(lang, "admin_code_wrong_setup", &[])),
            secret: Some(f.secret),
            ..Shown::default()
        };
        return setup_page(&state, &staff, &headers, StatusCode::UNPROCESSABLE_ENTITY, shown).await;
    };
    let recovery = codes::new_recovery_codes();
    let hashes: Vec<String> = recovery.iter().map(|c| codes::recovery_code_hash(c)).collect();
    state.store.enable_two_factor(staff.user.id, f.secret.trim(), step, &hashes, now).await?;
    // Other sessions were opened with the password alone; they end.
    state.store.delete_sessions_of(staff.user.id, Some(&staff.token_hash)).await?;
    let address = client_address(&extensions);
    state.store.audit(Some(staff.user.id), "two_factor.on", &staff.user.email, "", &address, now).await?;
    let staff = Staff { two_factor: true, must_enrol: false, ..staff };
    let notice = Some(i18n::text(lang, "admin_two_factor_enabled", &[]));
    setup_page(&state, &staff, &headers, StatusCode::OK, Shown { notice, recovery, ..Shown::default() }).await
}

/// `POST /admin/two-factor/recovery`: new recovery codes (the old ones stop working); needs a
/// current code.
pub async fn new_recovery_codes(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<CodeForm>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    if use_code(&state, staff.user.id, &f.code).await?.is_none() {
        let error = Some(i18n::text(lang, "admin_code_wrong", &[]));
        return setup_page(
            &state,
            &staff,
            &headers,
            StatusCode::UNPROCESSABLE_ENTITY,
            Shown { error, ..Shown::default() },
        )
        .await;
    }
    let recovery = codes::new_recovery_codes();
    let hashes: Vec<String> = recovery.iter().map(|c| codes::recovery_code_hash(c)).collect();
    state.store.replace_recovery_codes(staff.user.id, &hashes).await?;
    let now = state.clock.now();
    let address = client_address(&extensions);
    state
        .store
        .audit(Some(staff.user.id), "two_factor.recovery_codes", &staff.user.email, "", &address, now)
        .await?;
    let notice = Some(i18n::text(lang, "admin_recovery_new_done", &[]));
    setup_page(&state, &staff, &headers, StatusCode::OK, Shown { notice, recovery, ..Shown::default() }).await
}

/// What the turn-off form sends: a current code and the password.
#[derive(Debug, Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/two-factor/disable`: turns the second factor off; needs the password and a
/// current code. Where the site requires a second factor of the person's role, the back office
/// then shows them only the set-up page: that is how a second factor moves to a new phone.
pub async fn disable(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(f): Form<DisableForm>,
) -> WebResult<Response> {
    let lang = ui_lang(&headers);
    let unprocessable = |key: &str| Shown { error: Some(i18n::text(lang, key, &[])), ..Shown::default() };
    let hash = state.store.user_for_login(&staff.user.email).await?.and_then(|(_, h)| h);
    let password = f.password.clone();
    let right = with_hashing_slot(move || verify_password(&password, hash.as_deref())).await.map_err(busy)?;
    if !right {
        let shown = unprocessable("admin_wrong_password");
        return setup_page(&state, &staff, &headers, StatusCode::UNPROCESSABLE_ENTITY, shown).await;
    }
    if use_code(&state, staff.user.id, &f.code).await?.is_none() {
        let shown = unprocessable("admin_code_wrong");
        return setup_page(&state, &staff, &headers, StatusCode::UNPROCESSABLE_ENTITY, shown).await;
    }
    let now = state.clock.now();
    state.store.disable_two_factor(staff.user.id, now).await?;
    let address = client_address(&extensions);
    state.store.audit(Some(staff.user.id), "two_factor.off", &staff.user.email, "", &address, now).await?;
    let required = state.store.two_factor_required().await? && staff.user.role >= Role::Editor;
    let staff = Staff { two_factor: false, must_enrol: required, ..staff };
    let notice = (!required).then(|| i18n::text(lang, "admin_two_factor_turned_off", &[]));
    setup_page(&state, &staff, &headers, StatusCode::OK, Shown { notice, ..Shown::default() }).await
}
