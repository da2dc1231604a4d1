//! The API's description: an OpenAPI 3.1 document generated from the handlers and types (so it
//! cannot drift from the code), and a reference page rendered from it on the server (no
//! scripts, no third-party requests).

use super::model::*;
use crate::web::AppState;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Value, context};
use serde_json::Value as Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// The document's root.
#[derive(OpenApi)]
#[openapi(
    info(title = "Newsdesk API", description = "News of the site: public reads without a key; editorial writes with a bearer token, through the same newsroom as the back office."),
    paths(
        super::public::list, super::public::get, super::public::by_slug, super::public::translations,
        super::public::sections, super::public::search,
        super::editorial::create, super::editorial::patch, super::editorial::act,
        super::editorial::upload_photo, super::editorial::save_section, super::editorial::subscribe,
    ),
    components(schemas(ArticleOut, ArticleItem, ArticlePage, SectionOut, SectionIn, TranslationOut, SearchHit,
        SearchOut, ArticleCreate, ArticlePatch, SectionRef, ScheduleIn, PhotoOut, Problem, FieldProblem,
        WebhookIn, WebhookOut)),
    modifiers(&Bearer),
    tags((name = "articles", description = "Published news, for everyone"),
         (name = "sections", description = "The site's sections"),
         (name = "editorial", description = "Writing, with a bearer token"))
)]
pub struct ApiDoc;

struct Bearer;

impl utoipa::Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("nd_…").build(),
            ),
        );
    }
}

/// The document as JSON, with this site's address as the server.
fn document(state: &AppState) -> Json {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc.servers = Some(vec![utoipa::openapi::Server::new(state.site.base_url.clone())]);
    serde_json::to_value(&doc).unwrap_or(Json::Null)
}

/// `GET /api/openapi.json`.
pub async fn openapi(State(state): State<AppState>) -> Response {
    let mut response = axum::Json(document(&state)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    response
}

fn schema_name(schema: &Json) -> Option<String> {
    let reference = schema.get("$ref").or_else(|| schema.pointer("/items/$ref"))?.as_str()?;
    reference.rsplit('/').next().map(str::to_string)
}

fn kind(schema: &Json) -> String {
    if let Some(name) = schema_name(schema) {
        return name;
    }
    match schema.get("type") {
        Some(Json::String(t)) => t.clone(),
        Some(Json::Array(ts)) => ts.iter().filter_map(|t| t.as_str()).collect::<Vec<_>>().join(" or "),
        _ if schema.get("oneOf").is_some() => "one of several".into(),
        _ => "any".into(),
    }
}

/// `GET /api/docs`: the reference, readable by people.
pub async fn page(State(state): State<AppState>) -> crate::web::error::WebResult<Response> {
    let doc = document(&state);
    let mut operations = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Json::as_object) {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                let params: Vec<Value> = op
                    .get("parameters")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        context! {
                            name => p.get("name").and_then(Json::as_str),
                            location => p.get("in").and_then(Json::as_str),
                            required => p.get("required").and_then(Json::as_bool).unwrap_or(false),
                            description => p.get("description").and_then(Json::as_str).unwrap_or(""),
                            kind => p.get("schema").map(kind).unwrap_or_default(),
                        }
                    })
                    .collect();
                let body = op
                    .pointer("/requestBody/content")
                    .and_then(Json::as_object)
                    .and_then(|c| c.iter().next())
                    .map(|(media, c)| format!("{media}: {}", c.get("schema").map(kind).unwrap_or_default()));
                let responses: Vec<Value> = op
                    .get("responses")
                    .and_then(Json::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(status, r)| {
                        let schema =
                            r.pointer("/content").and_then(Json::as_object).and_then(|c| c.values().next());
                        context! {
                            status, description => r.get("description").and_then(Json::as_str).unwrap_or(""),
                            schema => schema.and_then(|c| c.get("schema")).and_then(schema_name),
                        }
                    })
                    .collect();
                let description = op.get("description").and_then(Json::as_str).unwrap_or("");
                let summary = op.get("summary").and_then(Json::as_str).unwrap_or(description);
                let auth = op.get("security").and_then(Json::as_array).is_some_and(|s| {
                    !s.is_empty() && s.iter().all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
                });
                let anchor = format!("{method}-{}", path.replace(['/', '{', '}'], "-"));
                operations.push(context! {
                    method => method.to_uppercase(), path, summary, description, params, body, responses, auth, anchor,
                });
            }
        }
    }
    let mut schemas = Vec::new();
    if let Some(all) = doc.pointer("/components/schemas").and_then(Json::as_object) {
        for (name, schema) in all {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
                .filter_map(Json::as_str)
                .collect();
            let fields: Vec<Value> = schema
                .get("properties")
                .and_then(Json::as_object)
                .into_iter()
                .flatten()
                .map(|(field, s)| {
                    context! {
                        name => field, kind => kind(s), required => required.contains(&field.as_str()),
                        description => s.get("description").and_then(Json::as_str).unwrap_or(""),
                    }
                })
                .collect();
            schemas.push(context! { name, fields, description => schema.get("description").and_then(Json::as_str).unwrap_or("") });
        }
    }
    let html = state.templates.render(
        "api/docs.html",
        context! {
            title => doc.pointer("/info/title").and_then(Json::as_str).unwrap_or("API"),
            version => doc.pointer("/info/version").and_then(Json::as_str).unwrap_or(""),
            description => doc.pointer("/info/description").and_then(Json::as_str).unwrap_or(""),
            openapi => doc.get("openapi").and_then(Json::as_str).unwrap_or(""),
            css => crate::web::assets::url("admin"),
            operations, schemas,
        },
    )?;
    Ok(Html(html).into_response())
}
