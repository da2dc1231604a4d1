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

/// A text that must show something: at least one character that is not white space, markup,
/// a control character or an invisible format character (all of which are cleaned away).
const VISIBLE: &str =
    "[^\\s<>\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff]";

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
        SearchOut, ArticleCreate, ArticlePatch, SectionRef, StepIn, PhotoOut, PhotoUpload, Problem, FieldProblem,
        WebhookIn, WebhookOut)),
    modifiers(&Bearer, &Problems),
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

/// Problems are `application/problem+json`, and every operation may answer some of them
/// whatever it does: 400 (a parameter that cannot be read), 401 (a bad token, on operations
/// that read one), 429 and 503 (overload, with `Retry-After`).
struct Problems;

impl utoipa::Modify for Problems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.patch.as_mut(),
                item.put.as_mut(),
                item.delete.as_mut(),
            ];
            for op in operations.into_iter().flatten() {
                for (status, response) in op.responses.responses.iter_mut() {
                    if let utoipa::openapi::RefOr::T(response) = response
                        && let Some(content) = response.content.shift_remove("application/json")
                    {
                        let is_problem = serde_json::to_value(&content.schema)
                            .ok()
                            .and_then(|v| {
                                v.get("$ref").and_then(|r| r.as_str()).map(|r| r.ends_with("/Problem"))
                            })
                            .unwrap_or(false);
                        let kind = if is_problem || !status.starts_with('2') {
                            "application/problem+json"
                        } else {
                            "application/json"
                        };
                        response.content.insert(kind.to_string(), content);
                    }
                }
                let reads_token = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let has_body = op.request_body.is_some();
                let mut add = |status: &str, description: &str| {
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| problem(description).into());
                };
                add("400", "A parameter or the body cannot be read");
                if has_body {
                    add("413", "The body is too large");
                    add("415", "The body is not of the type this operation takes");
                }
                if reads_token {
                    add("401", "No valid bearer token");
                }
                add("429", "Too many requests; see Retry-After");
                add("503", "Busy; see Retry-After");
            }
        }
    }
}

/// The document as JSON, with this site's address as the server and the site's own values
/// (its languages and sections) and the newsroom's limits written into the schemas, so a
/// client generated from it, or a fuzzer, sends what the site accepts.
async fn document(state: &AppState) -> Json {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc.servers = Some(vec![utoipa::openapi::Server::new(state.site.base_url.clone())]);
    let mut doc = serde_json::to_value(&doc).unwrap_or(Json::Null);
    let languages: Vec<&str> = state.site.languages.iter().map(|l| l.as_str()).collect();
    let sections = state.listing.sections(state).await.map(|s| s.to_vec()).unwrap_or_default();
    constrain(&mut doc, &languages, &sections);
    doc
}

/// Writes constraints into the generated document.
fn constrain(doc: &mut Json, languages: &[&str], sections: &[crate::domain::Section]) {
    use crate::domain::article::{MAX_BODY, MAX_LEAD, MAX_TITLE};
    use serde_json::json;
    let lang = json!({"type": "string", "enum": languages});
    let slugs: Vec<&str> = sections.iter().map(|s| s.slug.as_str()).collect();
    let ids: Vec<i64> = sections.iter().map(|s| s.id).collect();
    let section_ref = json!({"description": "A section's slug or id.", "oneOf": [
        {"type": "integer", "enum": ids}, {"type": "string", "enum": slugs}]});
    let title = json!({"type": "string", "minLength": 1, "maxLength": MAX_TITLE, "pattern": VISIBLE});
    let time = json!({"type": ["string", "null"], "format": "date-time"});
    let slug = json!({"type": ["string", "null"], "maxLength": 100, "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"});
    let mut set = |pointer: &str, value: Json| {
        if let Some(target) = doc.pointer_mut(pointer) {
            let description = target.get("description").cloned();
            *target = value;
            if let (Some(d), Some(obj)) = (description, target.as_object_mut()) {
                obj.entry("description").or_insert(d);
            }
        }
    };
    for schema in ["ArticleCreate", "ArticlePatch"] {
        let base = format!("/components/schemas/{schema}/properties");
        set(&format!("{base}/section"), section_ref.clone());
        set(&format!("{base}/publish_at"), time.clone());
        set(&format!("{base}/expires_at"), time.clone());
        set(&format!("{base}/slug"), slug.clone());
        set(&format!("{base}/lead"), json!({"type": ["string", "null"], "maxLength": MAX_LEAD}));
        set(&format!("{base}/body_html"), json!({"type": ["string", "null"], "maxLength": MAX_BODY}));
    }
    set("/components/schemas/ArticleCreate/properties/lang", lang.clone());
    set("/components/schemas/ArticleCreate/properties/title", title.clone());
    set(
        "/components/schemas/ArticleCreate/properties/status",
        json!({"type": ["string", "null"], "enum": ["draft", "published", "scheduled", null]}),
    );
    let mut nullable_title = title.clone();
    nullable_title["type"] = json!(["string", "null"]);
    set("/components/schemas/ArticlePatch/properties/title", nullable_title);
    set("/components/schemas/StepIn/properties/publish_at", time);
    let names: serde_json::Map<String, Json> = languages
        .iter()
        .map(|l| {
            (l.to_string(), json!({"type": "string", "minLength": 1, "maxLength": 100, "pattern": VISIBLE}))
        })
        .collect();
    set(
        "/components/schemas/SectionIn/properties/names",
        json!({"type": "object", "properties": names, "additionalProperties": false, "minProperties": 1}),
    );
    set(
        "/components/schemas/SectionIn/properties/slug",
        json!({"type": "string", "maxLength": 100, "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}),
    );
    set(
        "/components/schemas/SectionIn/properties/position",
        json!({"type": "integer", "minimum": -1_000_000, "maximum": 1_000_000}),
    );
    set(
        "/components/schemas/WebhookIn/properties/url",
        json!({"type": "string", "format": "uri", "maxLength": 2000}),
    );
    set(
        "/components/schemas/WebhookIn/properties/events",
        json!({"type": "array", "minItems": 1, "uniqueItems": true,
        "items": {"type": "string", "enum": ["article.published", "article.updated", "article.unpublished", "article.deleted", "section.changed"]}}),
    );
    // Parameters, by name.
    let Some(paths) = doc.get_mut("paths").and_then(Json::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        for op in item.as_object_mut().into_iter().flat_map(|o| o.values_mut()) {
            for param in op.get_mut("parameters").and_then(Json::as_array_mut).into_iter().flatten() {
                let name = param.get("name").and_then(Json::as_str).unwrap_or("").to_string();
                let schema = match (path.as_str(), name.as_str()) {
                    (_, "lang") => lang.clone(),
                    (_, "section") => json!({"type": "string", "enum": slugs}),
                    ("/api/v1/search", "limit") => json!({"type": "integer", "minimum": 1, "maximum": 50}),
                    (_, "limit") => json!({"type": "integer", "minimum": 1, "maximum": 100}),
                    (_, "offset") => json!({"type": "integer", "minimum": 0, "maximum": 10_000}),
                    (_, "sort") => json!({"type": "string", "enum": ["relevance", "date"]}),
                    (_, "from") | (_, "to") => json!({"type": "string", "format": "date"}),
                    (_, "cursor") => {
                        json!({"type": "string", "pattern": "^(-?[0-9]{1,12}\\.[0-9]{1,15}|o[0-9]{1,5})$"})
                    }
                    (_, "If-Match") => json!({"type": "string", "pattern": "^(W/)?\"?[0-9]{1,15}\"?$"}),
                    (_, "action") => {
                        json!({"type": "string", "enum": ["submit", "send-back", "publish", "schedule", "unpublish", "trash", "restore"]})
                    }
                    _ => continue,
                };
                param["schema"] = schema;
            }
        }
    }
}

/// `GET /api/openapi.json`.
pub async fn openapi(State(state): State<AppState>) -> Response {
    let body = super::json_bytes(&document(&state).await);
    let mut response = ([(header::CONTENT_TYPE, "application/json")], body).into_response();
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
    let doc = document(&state).await;
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
