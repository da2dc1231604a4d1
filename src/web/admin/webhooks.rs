//! Webhooks in the back office: the subscriptions with how their deliveries go, a form to add
//! one (its secret shown once), re-enabling a failing one, deleting, and each one's delivery
//! log. Admins only: a subscription makes the server call out.

use super::session::Staff;
use super::{chrome, client_address, render, ui_lang};
use crate::domain::dates;
use crate::domain::user::Permission;
use crate::i18n;
use crate::storage::StoreError;
use crate::storage::editorial::at;
use crate::web::AppState;
use crate::web::error::{WebError, WebResult};
use crate::webhooks::{self, Event, WebhookError};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Extensions, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::{Value, context};

/// Deliveries shown in a subscription's log.
const LOG_ROWS: u32 = 200;

/// A time for people: the site's time zone, to the second.
fn when(state: &AppState, seconds: i64) -> String {
    let tz = &state.site.time_zone;
    format!("{} {}", dates::short(at(seconds), tz), at(seconds).to_zoned(tz.clone()).strftime("%H:%M:%S"))
}

/// The events as checkboxes: name, label, checked.
fn event_choices(ui: &str, checked: &[String]) -> Vec<Value> {
    Event::ALL
        .iter()
        .map(|e| {
            context! {
                name => e.as_str(),
                label => i18n::text(ui, e.label_key(), &[]),
                checked => checked.iter().any(|c| c == e.as_str()),
            }
        })
        .collect()
}

/// What the list page shows besides the subscriptions.
#[derive(Default)]
struct Notice {
    error: Option<String>,
    secret: Option<String>,
    url: String,
    events: Vec<String>,
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    headers: &HeaderMap,
    status: StatusCode,
    notice: Notice,
) -> WebResult<Response> {
    let ui = ui_lang(headers);
    let subscriptions: Vec<Value> = state
        .store
        .webhook_overview()
        .await?
        .into_iter()
        .map(|o| {
            let s = &o.subscription;
            let last = match (o.last_status, &o.last_error) {
                (Some(code), _) => code.to_string(),
                (None, Some(error)) => error.clone(),
                (None, None) => String::new(),
            };
            let events: Vec<String> = s
                .events
                .iter()
                .map(|e| {
                    Event::parse(e).map(|e| i18n::text(ui, e.label_key(), &[])).unwrap_or_else(|| e.clone())
                })
                .collect();
            context! {
                id => s.id, url => s.url, events, active => s.active, failing => s.failing,
                failing_since => o.failing_since.map(|t| when(state, t)),
                pending => o.pending,
                last, last_at => o.last_attempt_at.map(|t| when(state, t)),
            }
        })
        .collect();
    let checked = if notice.error.is_some() { notice.events.clone() } else { Vec::new() };
    let ctx = context! {
        subscriptions,
        error => notice.error,
        secret => notice.secret,
        form_url => if notice.error.is_some() { notice.url } else { String::new() },
        choices => event_choices(ui, &checked),
        ..chrome(state, Some(staff), ui, &i18n::text(ui, "webhooks_title", &[]), "webhooks")
    };
    Ok((status, render(state, "admin/webhooks.html", ctx)?).into_response())
}

/// `GET /admin/webhooks`.
pub async fn list(State(state): State<AppState>, staff: Staff, headers: HeaderMap) -> WebResult<Response> {
    staff.require(Permission::ManageWebhooks)?;
    list_page(&state, &staff, &headers, StatusCode::OK, Notice::default()).await
}

/// `POST /admin/webhooks` (fields `url` and `events`, the latter once per event checked):
/// subscribes and shows the signing secret, this once.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    extensions: Extensions,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    staff.require(Permission::ManageWebhooks)?;
    let ui = ui_lang(&headers);
    let url = fields.iter().find(|(k, _)| k == "url").map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let events: Vec<String> = fields.iter().filter(|(k, _)| k == "events").map(|(_, v)| v.clone()).collect();
    let now = state.clock.now();
    match webhooks::subscribe(&state.store, &state.site.webhooks, &url, &events, staff.user.id, now).await {
        Ok((subscription, secret)) => {
            let detail = subscription.events.join(" ");
            state
                .store
                .audit(
                    Some(staff.user.id),
                    "webhook.create",
                    &subscription.url,
                    &detail,
                    &client_address(&extensions),
                    now,
                )
                .await?;
            let notice = Notice { secret: Some(secret), ..Notice::default() };
            list_page(&state, &staff, &headers, StatusCode::CREATED, notice).await
        }
        Err(WebhookError::Invalid { message_key, .. }) => {
            let notice = Notice { error: Some(i18n::text(ui, message_key, &[])), url, events, secret: None };
            list_page(&state, &staff, &headers, StatusCode::UNPROCESSABLE_ENTITY, notice).await
        }
        Err(WebhookError::Store(e)) => Err(e.into()),
        Err(WebhookError::Random(e)) => {
            tracing::error!(error = %e, "cannot make a webhook secret");
            Err(WebError::Unavailable)
        }
    }
}

/// `POST /admin/webhooks/{id}/enable`: clears the failing state; deliveries resume from the
/// oldest not made.
pub async fn enable(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    staff.require(Permission::ManageWebhooks)?;
    let subscription = state.store.webhook_subscription(id).await?.ok_or(WebError::NotFound)?;
    let now = state.clock.now();
    state.store.reenable_webhook_subscription(id, now).await.map_err(not_found)?;
    state
        .store
        .audit(
            Some(staff.user.id),
            "webhook.enable",
            &subscription.url,
            "",
            &client_address(&extensions),
            now,
        )
        .await?;
    Ok(Redirect::to("/admin/webhooks").into_response())
}

/// `POST /admin/webhooks/{id}/delete`: removes the subscription and its delivery log.
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    extensions: Extensions,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    staff.require(Permission::ManageWebhooks)?;
    let subscription = state.store.webhook_subscription(id).await?.ok_or(WebError::NotFound)?;
    state.store.delete_webhook_subscription(id).await.map_err(not_found)?;
    let now = state.clock.now();
    state
        .store
        .audit(
            Some(staff.user.id),
            "webhook.delete",
            &subscription.url,
            "",
            &client_address(&extensions),
            now,
        )
        .await?;
    Ok(Redirect::to("/admin/webhooks").into_response())
}

fn not_found(e: StoreError) -> WebError {
    match e {
        StoreError::NotFound => WebError::NotFound,
        other => other.into(),
    }
}

/// `GET /admin/webhooks/{id}`: the subscription's deliveries, newest first.
pub async fn log(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> WebResult<Response> {
    staff.require(Permission::ManageWebhooks)?;
    let ui = ui_lang(&headers);
    let subscription = state.store.webhook_subscription(id).await?.ok_or(WebError::NotFound)?;
    let deliveries: Vec<Value> = state
        .store
        .webhook_deliveries(id, LOG_ROWS)
        .await?
        .into_iter()
        .map(|d| {
            let outcome = match (d.last_status, &d.last_error) {
                (Some(code), _) => code.to_string(),
                (None, Some(error)) => error.clone(),
                (None, None) => String::new(),
            };
            let waiting = d.delivered_at.is_none() && subscription.active;
            context! {
                event => d.event,
                webhook_id => webhooks::signing::message_id(id, d.change_id),
                created => when(&state, d.created_at),
                delivered => d.delivered_at.map(|t| when(&state, t)),
                outcome,
                duration_ms => d.last_duration_ms,
                attempts => d.attempts,
                next => waiting.then(|| when(&state, d.next_attempt_at)),
            }
        })
        .collect();
    let title = i18n::text(ui, "webhooks_log_title", &[]);
    let ctx = context! {
        subscription => context! { id => subscription.id, url => subscription.url, active => subscription.active, failing => subscription.failing },
        deliveries,
        ..chrome(&state, Some(&staff), ui, &title, "webhooks")
    };
    Ok(render(&state, "admin/webhook_log.html", ctx)?.into_response())
}
