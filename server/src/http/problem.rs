//! The API's one error type. A client sees an `application/problem+json` body with a
//! stable `type` and a `detail` it can act on; an internal cause is logged, never sent.

use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use nansen_shared::{FieldError, Problem, ProblemKind};

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug)]
pub struct ApiError {
    kind: ProblemKind,
    detail: String,
    errors: Vec<FieldError>,
    retry_after: Option<u64>,
    /// What really went wrong, for the log. Never contains respondent data: causes
    /// come from the database driver and the runtime, not from request bodies.
    cause: Option<anyhow::Error>,
}

impl ApiError {
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Self { kind, detail: detail.into(), errors: Vec::new(), retry_after: None, cause: None }
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// A failure that is the server's fault. The person is told their request had no
    /// effect, which the pipeline guarantees: nothing is counted unless acknowledged.
    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let mut error = Self::new(
            ProblemKind::Internal,
            "The server could not complete the request, and nothing was changed. Please try again in a moment.",
        );
        error.cause = Some(cause.into());
        error
    }

    pub fn unavailable(cause: impl Into<anyhow::Error>) -> Self {
        let mut error = Self::new(
            ProblemKind::Unavailable,
            "The server is too busy or is shutting down, and nothing was changed. Please try again in a moment.",
        )
        .retry_after(5);
        error.cause = Some(cause.into());
        error
    }

    pub fn kind(&self) -> ProblemKind {
        self.kind
    }

    /// The seconds the client is asked to wait before trying again, if any.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        self.retry_after
    }

    pub fn problem(&self) -> Problem {
        Problem::new(self.kind, self.detail.clone()).with_errors(self.errors.clone())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.detail)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.kind.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if let Some(cause) = &self.cause {
            tracing::error!(problem = self.kind.name(), "{cause:#}");
        }
        problem_response(&self.problem(), self.retry_after)
    }
}

/// Renders a problem as the HTTP response every error shares.
pub fn problem_response(problem: &Problem, retry_after: Option<u64>) -> HttpResponse {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
    response.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    if let Some(seconds) = retry_after {
        response.insert_header((header::RETRY_AFTER, seconds.to_string()));
    }
    // Serialising these plain structs cannot fail; fall back to a fixed body anyway.
    let body = serde_json::to_string(problem).unwrap_or_else(|_| String::from("{}"));
    response.body(body)
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        Self::internal(error)
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        Self::unavailable(error)
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(error: actix_web::error::BlockingError) -> Self {
        Self::unavailable(error)
    }
}

/// Runs blocking database work off the async workers (diesel is synchronous).
pub async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    actix_web::web::block(work).await?
}

/// Maps the JSON extractor's failures to problems: a body that is not JSON, one that
/// lacks fields, one too large, one of the wrong type.
pub fn json_error(error: actix_web::error::JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match &error {
        E::OverflowKnownLength { limit, .. } | E::Overflow { limit } => ApiError::new(
            ProblemKind::PayloadTooLarge,
            format!("The body may be at most {} KiB.", limit / 1024),
        ),
        E::ContentType => ApiError::new(
            ProblemKind::UnsupportedMediaType,
            "Send the body as JSON, with Content-Type: application/json.",
        ),
        E::Deserialize(e) if e.is_data() => ApiError::new(
            ProblemKind::InvalidBody,
            format!("The JSON does not have the expected shape: {e}."),
        ),
        E::Deserialize(e) => {
            ApiError::new(ProblemKind::MalformedJson, format!("The body is not valid JSON: {e}."))
        }
        _ => ApiError::new(ProblemKind::MalformedJson, "The body could not be read as JSON."),
    };
    api.into()
}

/// Maps query-string failures (`?version=abc`) to problems.
pub fn query_error(error: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::new(ProblemKind::InvalidQuery, format!("The query string is not valid: {error}.")).into()
}

/// Maps path failures to problems.
pub fn path_error(error: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::new(ProblemKind::NotFound, format!("There is nothing at this address: {error}.")).into()
}
