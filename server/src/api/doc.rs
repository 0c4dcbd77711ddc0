//! The OpenAPI 3.1 document of the API, generated from the handlers' annotations and
//! served at `GET /api/v1/openapi.json`. Problem documents (`application/problem+json`)
//! are described once here and named by each operation for the statuses it can answer;
//! the statuses any operation can answer (a body that is not JSON, an overloaded or
//! failing server) are added to every operation that can meet them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use actix_web::HttpResponse;
use actix_web::http::header;
use nansen_shared::{FieldError, Problem, ProblemKind};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    Components, ContentBuilder, OpenApi as Document, RefOr, Response, ResponseBuilder, Tag,
};
use utoipa::{Modify, OpenApi};

use crate::http::problem::PROBLEM_JSON;
use crate::staff::sessions::SESSION_COOKIE;

/// Where the document is served.
pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";

/// The security schemes' names, as the annotations' `security(...)` use them.
pub const SESSION: &str = "session";
pub const TOKEN: &str = "token";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Nansen",
        description = "The API of a Nansen server: published surveys and their questionnaires, \
            answers (counted, never stored as given), released aggregate results, and the staff's \
            surveys, accounts, API tokens and audit log. Errors are RFC 9457 problem documents \
            (`application/problem+json`).",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    components(schemas(Problem, FieldError, nansen_shared::ExportFormat)),
    modifiers(&Common),
    tags(
        (name = "respondents", description = "What a respondent's browser (or any program) reads and sends."),
        (name = "results", description = "Released aggregate results, for the public or for staff."),
        (name = "staff", description = "Staff sessions and researchers' reading."),
        (name = "admin", description = "Surveys, accounts, tokens and the audit log; admins only, from this server's pages."),
        (name = "service", description = "The server itself."),
    )
)]
struct Api;

/// The whole document.
pub fn document() -> Document {
    let mut document = Api::openapi();
    document.merge(super::Operations::openapi());
    Common::finish(&mut document);
    document
}

/// The document as served: written once.
fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| document().to_json().unwrap_or_else(|_| String::from("{}")))
}

/// `GET /api/v1/openapi.json`: this document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "service",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", body = Object, content_type = "application/json")),
)]
pub async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(document_json())
}

/// Security schemes, and what every operation has in common.
struct Common;

impl Modify for Common {
    fn modify(&self, document: &mut Document) {
        let components = document.components.get_or_insert_with(Components::new);
        components.add_security_scheme(
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "A staff session, from `POST /api/v1/session` (named `__Secure-nansen_session` \
                 when the server is reached over HTTPS). Changes also need the request to come \
                 from this server's own pages (`Origin`).",
            ))),
        );
        components.add_security_scheme(
            TOKEN,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A researcher's read-only API token, made by an admin."))
                    .build(),
            ),
        );
    }
}

impl Common {
    /// The statuses an operation can answer because of how it is called rather than what
    /// it does: added to each operation after the merge (modifiers run before it).
    fn finish(document: &mut Document) {
        for (path, item) in document.paths.paths.iter_mut() {
            let methods = [
                ("get", &mut item.get),
                ("put", &mut item.put),
                ("post", &mut item.post),
                ("delete", &mut item.delete),
            ];
            for (method, operation) in methods {
                if let Some(operation) = operation {
                    common_responses(operation);
                    operation.operation_id = Some(operation_id(method, path));
                }
            }
        }
        document.tags.get_or_insert_with(Vec::<Tag>::new);
    }
}

/// A name for the operation, unique as OpenAPI wants (the handlers' names are not):
/// `get_surveys_slug_results` for `GET /api/v1/surveys/{slug}/results`.
fn operation_id(method: &str, path: &str) -> String {
    let path = path.strip_prefix(super::PREFIX).unwrap_or(path);
    let words = path.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
    std::iter::once(method).chain(words).collect::<Vec<_>>().join("_")
}

fn common_responses(operation: &mut Operation) {
    let has = |place: ParameterIn| {
        operation
            .parameters
            .iter()
            .flatten()
            .any(|p| std::mem::discriminant(&p.parameter_in) == std::mem::discriminant(&place))
    };
    let mut add = Vec::new();
    if operation.request_body.is_some() {
        add.push((
            ProblemKind::MalformedJson,
            "The body is not what this operation takes (not JSON, or without the fields it needs).",
        ));
        add.push((ProblemKind::PayloadTooLarge, "The body is larger than this operation takes."));
        add.push((
            ProblemKind::UnsupportedMediaType,
            "The body's `Content-Type` is not one this operation takes.",
        ));
    }
    if has(ParameterIn::Query) {
        add.push((ProblemKind::InvalidQuery, "The query string is not valid."));
    }
    if has(ParameterIn::Path) {
        add.push((ProblemKind::NotFound, "Nothing is at this address."));
    }
    add.push((ProblemKind::Internal, "The server failed; nothing was changed."));
    add.push((
        ProblemKind::Unavailable,
        "The server cannot serve this now (its database is busy or down); try again later.",
    ));
    for (kind, description) in add {
        operation
            .responses
            .responses
            .entry(kind.status().to_string())
            .or_insert_with(|| problem(kind, description));
    }
}

/// A problem response: the document's schema, and an example of `kind`.
pub fn problem(kind: ProblemKind, description: &str) -> RefOr<Response> {
    let example = Problem::new(kind, description);
    let content = ContentBuilder::new()
        .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name("Problem"))))
        .example(serde_json::to_value(&example).ok())
        .build();
    let mut builder = ResponseBuilder::new().description(description).content(PROBLEM_JSON, content);
    if kind.status() == 429 || kind.status() == 503 {
        builder = builder.header(
            "Retry-After",
            utoipa::openapi::HeaderBuilder::new()
                .schema(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::Type::Integer))
                .description(Some("Seconds to wait before trying again."))
                .build(),
        );
    }
    builder.build().into()
}

/// Defines a type per kind of problem, to name in an annotation's `responses(...)`:
/// `responses((status = 200, …), NotFound, Conflict)`.
macro_rules! problems {
    ($($name:ident => $kind:ident, $description:literal;)*) => {$(
        #[doc = $description]
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                let kind = ProblemKind::$kind;
                BTreeMap::from([(kind.status().to_string(), problem(kind, $description))])
            }
        }
    )*};
}

problems! {
    InvalidBody => InvalidBody, "The body's fields are not what this operation takes.";
    Unauthenticated => Unauthenticated, "Not logged in (or the API token is wrong or revoked).";
    Forbidden => Forbidden, "Not allowed: an admin's session, from this server's own pages, is needed.";
    NotFound => NotFound, "There is no such survey (or account, token, release).";
    NoRelease => NoRelease, "Nothing has been released yet (or nothing of the version asked for).";
    Conflict => Conflict, "The request conflicts with where things stand (see `detail`).";
    NotYetOpen => NotYetOpen, "The survey is not open yet: it takes no answers before its opening time.";
    SurveyClosed => SurveyClosed, "The survey has closed and takes no more answers.";
    InvalidAnswers => InvalidAnswers, "Nothing was counted: the answers, key or token need attention (see `errors`).";
    InvalidDefinition => InvalidDefinition, "The survey definition needs changes (see `errors`).";
    InvalidSchedule => InvalidSchedule, "The opening or closing time cannot be used (see `errors`).";
    InvalidAccount => InvalidUsername, "The username is not valid, or the password too weak.";
    InvalidCredentials => InvalidCredentials, "The username or the password is wrong.";
    InviteRefused => InvalidInvite, "The invite code is not valid for this survey.";
    TooManyRequests => TooManyRequests, "Too many attempts: wait as long as `Retry-After` says.";
    ReleaseNotAllowed => ReleaseNotAllowed, "No release can be made now (too few new respondents, or no budget left).";
}

/// A file as the body: bytes, not JSON.
pub struct File;

impl utoipa::PartialSchema for File {
    fn schema() -> RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Binary)))
            .description(Some("The file's bytes."))
            .into()
    }
}

impl utoipa::ToSchema for File {}

/// `{"status": "ok"}`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // only described: the handler writes it with `json!`
pub struct Health {
    #[schema(example = "ok")]
    status: String,
}

/// New invite codes, shown this once.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // only described: the handler writes it with `json!`
pub struct InviteCodes {
    count: usize,
    codes: Vec<String>,
}
