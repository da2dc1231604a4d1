//! Editorial API: writing through the newsroom with a bearer token. Every change names the
//! version it starts from in `If-Match` (the `ETag` of the article), so nobody's work is
//! overwritten unseen; answers carry the new version as the `ETag`.

use super::auth::Caller;
use super::model::*;
use super::problem::{ApiError, ApiResult};
use super::{ApiJson, article_response, if_match, section_by_ref};
use crate::domain::dates;
use crate::domain::user::Permission;
use crate::newsroom::{Action, FieldError, Fields, LeadImage, NewsroomError};
use crate::storage::SectionInput;
use crate::web::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

fn parse_time(
    state: &AppState,
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<jiff::Timestamp>, FieldError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => dates::parse(v, &state.site.time_zone)
            .map(Some)
            .map_err(|_| FieldError::new(field, "error_date_format").with("value", v)),
    }
}

async fn section_id(
    state: &AppState,
    section: Option<&SectionRef>,
) -> ApiResult<Result<Option<i64>, FieldError>> {
    let Some(section) = section else { return Ok(Ok(None)) };
    Ok(match section_by_ref(state, section).await? {
        Some(s) => Ok(Some(s.id)),
        None => {
            let name = match section {
                SectionRef::Id(id) => id.to_string(),
                SectionRef::Slug(s) => s.clone(),
            };
            Err(FieldError::new("section", "error_no_section").with("id", name))
        }
    })
}

/// Create an article (a draft unless `status` says `published` or `scheduled`).
#[utoipa::path(post, path = "/api/v1/articles", tag = "editorial", request_body = ArticleCreate,
    responses((status = 201, body = ArticleOut, description = "Created; `Location` and `ETag` name it"),
              (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem, description = "The article to translate or the photo does not exist"),
              (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    ApiJson(body): ApiJson<ArticleCreate>,
) -> ApiResult<Response> {
    let mut errors = Vec::new();
    let lang = super::lang_param(&state, Some(&body.lang)).map_err(|e| errors.push(e)).ok();
    let section = section_id(&state, Some(&body.section)).await?.map_err(|e| errors.push(e)).ok().flatten();
    let publish_at = parse_time(&state, "publish_at", body.publish_at.as_deref())
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let expires_at = parse_time(&state, "expires_at", body.expires_at.as_deref())
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let action = match body.status.as_deref() {
        None | Some("draft") => Action::Save,
        Some("published") => Action::Publish,
        // A time already past (or none) publishes now, as a scheduled article whose time has
        // come would be.
        Some("scheduled") if publish_at.is_some_and(|at| at > state.clock.now()) => Action::Schedule,
        Some("scheduled") => Action::Publish,
        Some(_) => {
            errors.push(FieldError::new("status", "api_bad_status"));
            Action::Save
        }
    };
    let Some(lang) = lang.filter(|_| errors.is_empty()) else { return Err(ApiError::invalid(errors)) };
    let fields = Fields {
        title: Some(body.title),
        lead: body.lead,
        body_html: body.body_html,
        section_id: section,
        slug: body.slug,
        publish_at,
        lead_image: body.lead_image_id.map_or(LeadImage::Keep, LeadImage::Set),
        tags: body.tags,
        bylines: body.bylines,
        expires_at: expires_at.map(Some),
        correction: None,
    };
    let written = match body.translation_of {
        None => state.newsroom.create(&caller.actor, lang, fields, action).await?,
        // A translation starts from its source's section, lead photo and bylines (linked by
        // translation key), never its text, then takes the
        // fields given here.
        Some(source) => {
            match state
                .newsroom
                .create_translation(&caller.actor, source, lang.clone(), fields, action)
                .await?
            {
                crate::newsroom::Translation::Created(w) => *w,
                crate::newsroom::Translation::Existing(_) => {
                    return Err(ApiError::from(NewsroomError::Taken(
                        FieldError::new("translation_of", "api_translation_exists").with("lang", lang),
                    )));
                }
            }
        }
    };
    let article = written.article().ok_or_else(ApiError::not_found)?;
    let mut response = article_response(&state, &headers, article, StatusCode::CREATED).await?;
    if let Ok(location) = format!("/api/v1/articles/{}", article.id).parse() {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Change an article's fields; absent fields stay as they are.
#[utoipa::path(patch, path = "/api/v1/articles/{id}", tag = "editorial", request_body = ArticlePatch,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "The version the change starts from (the article's ETag)")),
    responses((status = 200, body = ArticleOut), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem)),
    security(("bearer" = [])))]
pub async fn patch(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ArticlePatch>,
) -> ApiResult<Response> {
    let version = if_match(&headers)?;
    let mut errors = Vec::new();
    let section = section_id(&state, body.section.as_ref()).await?.map_err(|e| errors.push(e)).ok().flatten();
    let publish_at = parse_time(&state, "publish_at", body.publish_at.as_deref())
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let expires_at = match &body.expires_at {
        None => None,
        Some(None) => Some(None),
        Some(Some(at)) => match parse_time(&state, "expires_at", Some(at)) {
            Ok(at) => Some(at),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let fields = Fields {
        title: body.title,
        lead: body.lead,
        body_html: body.body_html,
        section_id: section,
        slug: body.slug,
        publish_at,
        lead_image: match body.lead_image_id {
            None => LeadImage::Keep,
            Some(None) => LeadImage::Remove,
            Some(Some(id)) => LeadImage::Set(id),
        },
        tags: body.tags,
        bylines: body.bylines,
        expires_at,
        correction: body.correction,
    };
    let written = state.newsroom.save(&caller.actor, id, version, fields, Action::Save).await?;
    let article = written.article().ok_or_else(ApiError::not_found)?;
    article_response(&state, &headers, article, StatusCode::OK).await
}

/// A workflow step: `submit`, `send-back`, `publish`, `schedule` (body: `publish_at`),
/// `unpublish`, `trash` or `restore`.
#[utoipa::path(post, path = "/api/v1/articles/{id}/{action}", tag = "editorial",
    request_body(content = StepIn, description = "`{}`, or for `schedule` the time to publish"),
    params(("id" = i64, Path),
           ("action" = String, Path, description = "submit, send-back, publish, schedule, unpublish, trash or restore"),
           ("If-Match" = String, Header, description = "The version the step starts from (the article's ETag)")),
    responses((status = 200, body = ArticleOut), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem),
              (status = 429, body = Problem)),
    security(("bearer" = [])))]
pub async fn act(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    Path((id, action)): Path<(i64, String)>,
    body: axum::body::Bytes,
) -> ApiResult<Response> {
    let version = if_match(&headers)?;
    // A body is only read for `schedule` and `send-back`; an empty one is fine for every step.
    let body: Option<StepIn> = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<Option<StepIn>>(&body).map_err(|e| {
            let reason: String = e.to_string().chars().take(300).collect();
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "api_bad_body").with("reason", reason)
        })?
    };
    let written = match action.as_str() {
        "trash" => state.newsroom.trash(&caller.actor, id, version).await?,
        "restore" => state.newsroom.restore(&caller.actor, id, version).await?,
        other => {
            let step = match other {
                "submit" => Action::Submit,
                "send-back" => Action::SendBack,
                "publish" => Action::Publish,
                "schedule" => Action::Schedule,
                "unpublish" => Action::Unpublish,
                _ => return Err(ApiError::not_found()),
            };
            let body = body.unwrap_or_default();
            if step == Action::SendBack
                && let Some(comment) = body.comment.as_deref()
            {
                let written = state.newsroom.send_back(&caller.actor, id, version, comment).await?;
                return match written.after.as_ref() {
                    Some(article) => article_response(&state, &headers, article, StatusCode::OK).await,
                    None => Ok(StatusCode::NO_CONTENT.into_response()),
                };
            }
            let at = body.publish_at;
            let publish_at =
                parse_time(&state, "publish_at", at.as_deref()).map_err(|e| ApiError::invalid(vec![e]))?;
            // Scheduling without a time keeps the article's date; a time that has come
            // already publishes now, as the scheduler would.
            let when = match publish_at {
                Some(at) => Some(at),
                None if step == Action::Schedule => {
                    state.store.article_by_id(id).await?.map(|a| a.publish_at)
                }
                None => None,
            };
            let step = match (step, when) {
                (Action::Schedule, Some(at)) if at <= state.clock.now() => Action::Publish,
                (step, _) => step,
            };
            let fields = Fields { publish_at, ..Fields::default() };
            if body.with_translations {
                state.newsroom.release_together(&caller.actor, id, version, fields, step).await?
            } else {
                state.newsroom.save(&caller.actor, id, version, fields, step).await?
            }
        }
    };
    match written.after.as_ref() {
        Some(article) => article_response(&state, &headers, article, StatusCode::OK).await,
        // In the trash: say so without a body to show.
        None => Ok(StatusCode::NO_CONTENT.into_response()),
    }
}

/// Upload a photo to the library (multipart: `file`, and optionally `alt`, `caption`, `credit`
/// and `lang`, the language those texts are in when it is not the site's default).
#[utoipa::path(post, path = "/api/v1/photos", tag = "editorial",
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = PhotoOut), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 413, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem),
              (status = 503, body = Problem)),
    security(("bearer" = [])))]
pub async fn upload_photo(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    if !caller.token.user.role.can(Permission::UploadMedia) {
        return Err(ApiError::forbidden());
    }
    let lang = super::problem::lang_of(&headers);
    let mut multipart = multipart.map_err(|_| ApiError::field("file", "media_no_file"))?;
    let limit = crate::web::public::media::settings(&state).max_upload_bytes;
    let upload = crate::web::admin::media::read_upload(&mut multipart, limit).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large_text")
        } else {
            ApiError::bad_request("api_bad_multipart")
        }
    })?;
    if upload.too_large {
        return Err(
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "media_too_large").with("mb", limit / (1024 * 1024))
        );
    }
    let texts = upload.texts.clean(lang).map_err(|_| ApiError::field("alt", "api_photo_text"))?;
    let texts_lang = crate::web::admin::media::texts_language(&state, &texts.lang, lang)
        .map_err(|_| ApiError::field("lang", "media_unknown_language"))?;
    let Some((name, bytes)) = upload.file else { return Err(ApiError::field("file", "media_no_file")) };
    let address = caller.actor.address.clone();
    let user = caller.token.user.id;
    let stored = crate::web::admin::media::store_photo(
        &state,
        name,
        bytes,
        &texts,
        texts_lang.as_ref(),
        user,
        &address,
    )
    .await?;
    let (id, key, width, height) = match stored {
        Ok(s) => s,
        Err(refusal) => {
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            let mut error = ApiError::new(status, refusal.message_key());
            for (k, v) in refusal.message_args() {
                error = error.with(k, v);
            }
            return Err(error);
        }
    };
    let view = crate::web::public::media::image_view(id, &key, i64::from(width), i64::from(height), 960);
    let out = PhotoOut {
        id,
        width: i64::from(width),
        height: i64::from(height),
        alt: texts.alt,
        caption: texts.caption,
        credit: texts.credit,
        url: format!("{}{}", state.site.base_url, view.src),
    };
    Ok(super::created(&out))
}

/// Create a section or rename one (matched by slug); admins only.
#[utoipa::path(post, path = "/api/v1/sections", tag = "editorial", request_body = SectionIn,
    responses((status = 201, body = SectionOut), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn save_section(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<SectionIn>,
) -> ApiResult<Response> {
    if !caller.token.user.role.can(Permission::ManageSections) {
        return Err(ApiError::forbidden());
    }
    let mut errors = Vec::new();
    if !crate::domain::slug::is_valid(&body.slug) || body.slug.len() > 100 {
        errors.push(FieldError::new("slug", "error_slug_format"));
    }
    let names: std::collections::BTreeMap<String, String> =
        body.names.iter().map(|(k, v)| (k.clone(), crate::domain::markup::plain_title(v))).collect();
    if names.keys().any(|k| state.site.language(k).is_none()) {
        let known: Vec<&str> = state.site.languages.iter().map(|l| l.as_str()).collect();
        errors.push(
            FieldError::new("names", "error_not_a_language")
                .with("lang", names.keys().cloned().collect::<Vec<_>>().join(", "))
                .with("known", known.join(", ")),
        );
    }
    if body.position.fract() != 0.0 || !(-1_000_000.0..=1_000_000.0).contains(&body.position) {
        errors.push(FieldError::new("position", "api_bad_position"));
    }
    if names.values().any(|v| v.is_empty() || v.chars().count() > 100) || names.is_empty() {
        errors.push(FieldError::new("names", "api_section_names"));
    }
    if !errors.is_empty() {
        return Err(ApiError::invalid(errors));
    }
    let input = SectionInput { slug: body.slug.clone(), names, position: body.position as i64 };
    state.store.upsert_section(&input, state.clock.now()).await.map_err(NewsroomError::from)?;
    state.content_changed();
    let sections = state.store.sections().await?;
    let section = sections.iter().find(|s| s.slug == body.slug).ok_or_else(ApiError::not_found)?;
    Ok(super::created(&SectionOut::from(section)))
}

/// Subscribe a URL to events; deliveries are signed per Standard Webhooks with the secret
/// returned here (once). Admins only.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "editorial", request_body = WebhookIn,
    responses((status = 201, body = WebhookOut), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn subscribe(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<WebhookIn>,
) -> ApiResult<Response> {
    use crate::webhooks::WebhookError;
    if !caller.token.user.role.can(Permission::ManageWebhooks) {
        return Err(ApiError::forbidden());
    }
    let now = state.clock.now();
    let created = crate::webhooks::subscribe(
        &state.store,
        &state.site.webhooks,
        &body.url,
        &body.events,
        caller.token.user.id,
        now,
    )
    .await;
    let (subscription, secret) = match created {
        Ok(created) => created,
        Err(WebhookError::Invalid { field, message_key, .. }) => {
            return Err(ApiError::invalid(vec![FieldError::new(field, message_key)]));
        }
        Err(WebhookError::Store(e)) => return Err(e.into()),
        Err(WebhookError::Random(e)) => {
            tracing::error!(error = %e, "cannot make a webhook secret");
            return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable_text"));
        }
    };
    let address = caller.actor.address.clone();
    let target = format!("webhook {}", subscription.id);
    state
        .store
        .audit(Some(caller.token.user.id), "webhook.create", &target, &subscription.url, &address, now)
        .await?;
    let out = WebhookOut {
        id: subscription.id,
        url: subscription.url,
        events: subscription.events,
        active: subscription.active,
        failing: subscription.failing,
        created_at: jiff::Timestamp::from_second(subscription.created_at)
            .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default(),
        secret,
    };
    Ok(super::created(&out))
}
