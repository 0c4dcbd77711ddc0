//! `POST /api/v1/surveys/{slug}/responses`: answers from the browser client (or any
//! program), handed to the submission entrance.
//!
//! What a network observer sees of it is its size: the client pads the body to a size
//! fixed by the survey version (`nansen_shared::pad`), and every reply, counted or
//! refused, is padded here to one size too.

use actix_web::error::{JsonPayloadError, PayloadError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use nansen_shared::answer::ReceiptStatus;
use nansen_shared::{FieldError, ProblemKind, Receipt, Submission, pad};
use serde::de::DeserializeOwned;

use super::doc;
use crate::http::compress;
use crate::http::problem::{self, ApiError};
use crate::http::site::{Site, client_address};
use crate::submission::{Entrance, Mode, Outcome, Refusal, Sent};
use crate::surveys::catalog::Catalog;
use crate::surveys::invites;
use crate::web::pages::CLEAR_SITE_DATA;

#[utoipa::path(
    post,
    path = "/api/v1/surveys/{slug}/responses",
    tag = "respondents",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    request_body = nansen_shared::Submission,
    responses(
        (status = 200, description = "Counted. The reply is padded to a fixed size.", body = nansen_shared::Receipt),
        doc::Forbidden,
        doc::NotFound,
        (status = 409, description = "Already counted (a repeat of an earlier send), given to an older version, or the survey is not open yet.", body = nansen_shared::Problem, content_type = "application/problem+json"),
        doc::SurveyClosed,
        doc::InvalidAnswers,
        doc::TooManyRequests,
    ),
)]
pub async fn submit(
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Payload,
    catalog: web::Data<Catalog>,
    entrance: web::Data<Entrance>,
    site: web::Data<Site>,
) -> HttpResponse {
    let outcome: Result<HttpResponse, actix_web::Error> = async {
        let submission: Submission = json_body(&req, body).await?;
        Ok(count(&req, &slug, submission, &catalog, &entrance, &site).await?)
    }
    .await;
    padded(outcome)
}

async fn count(
    req: &HttpRequest,
    slug: &str,
    submission: Submission,
    catalog: &Catalog,
    entrance: &Entrance,
    site: &Site,
) -> Result<HttpResponse, ApiError> {
    let Submission { version, answers, key, token, pad } = submission;
    if !pad::is_padding(&pad) {
        return Err(ApiError::new(
            ProblemKind::InvalidBody,
            "Nothing was counted: `pad` may hold only spaces (it fills the submission to a fixed size, and is otherwise ignored).",
        ));
    }
    let published = catalog.get(slug).await?;
    let sent = Sent { version: Some(version), key, token, code: None, answers, mode: Mode::Refuse };
    match entrance.count(&published, sent, &client_address(req, site)).await {
        Ok(Outcome::Counted) => Ok(HttpResponse::Ok()
            .insert_header(("Clear-Site-Data", CLEAR_SITE_DATA))
            .json(Receipt { status: ReceiptStatus::Counted })),
        // Counted before (the reply to that send was lost): the device is cleared now.
        Ok(Outcome::AlreadyCounted) => {
            let mut response = ApiError::new(
                ProblemKind::AlreadyCounted,
                "These answers were already counted (this was a repeat of an earlier send). There is nothing more to do.",
            )
            .error_response();
            let clear = HeaderValue::from_static(CLEAR_SITE_DATA);
            response.headers_mut().insert(header::HeaderName::from_static("clear-site-data"), clear);
            Ok(response)
        }
        Err(refusal) => Err(problem(refusal)),
    }
}

/// A respondent's JSON body, read here rather than by actix's extractor, whose refusals
/// (not JSON, too large, the wrong shape) would be sent before any handler could pad
/// them; they are the same problem documents, padded like every other reply.
pub(super) async fn json_body<T: DeserializeOwned>(
    req: &HttpRequest,
    body: web::Payload,
) -> Result<T, actix_web::Error> {
    let content_type = req.content_type();
    if content_type != "application/json" && !content_type.ends_with("+json") {
        return Err(problem::json_error(JsonPayloadError::ContentType, req));
    }
    let bytes = match body.to_bytes_limited(pad::MAX_SUBMISSION).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            return Err(problem::json_error(JsonPayloadError::Payload(PayloadError::Incomplete(None)), req));
        }
        Err(_) => {
            return Err(problem::json_error(JsonPayloadError::Overflow { limit: pad::MAX_SUBMISSION }, req));
        }
    };
    serde_json::from_slice(&bytes).map_err(|e| problem::json_error(JsonPayloadError::Deserialize(e), req))
}

/// The reply to a respondent's request, whatever it is, padded to [`pad::REPLY_SIZE`]
/// (a longer problem document to a multiple of it) and never compressed: its length
/// says nothing of the answers, nor whether they were counted.
pub(super) fn padded(outcome: Result<HttpResponse, actix_web::Error>) -> HttpResponse {
    let mut response = match outcome {
        Ok(response) => response,
        Err(error) => error.error_response(),
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store, no-transform"));
    compress::padded(response, pad::reply_size)
}

/// Why nothing was counted, as a problem document.
fn problem(refusal: Refusal) -> ApiError {
    match refusal {
        Refusal::NotYetOpen(opens_at) => super::surveys::not_yet_open(opens_at),
        Refusal::Closed => super::surveys::closed(),
        Refusal::Stale { sent, current } => ApiError::new(
            ProblemKind::VersionMismatch,
            format!(
                "These answers were given to version {} of the survey, but it is now at version {current}. Reload the survey, check your answers and send them again.",
                sent.unwrap_or(0)
            ),
        ),
        Refusal::BadKey => ApiError::new(
            ProblemKind::InvalidKey,
            format!("Nothing was counted: {}.", nansen_shared::answer::InvalidKey),
        ),
        Refusal::KeyExpected => ApiError::new(
            ProblemKind::InvalidKey,
            "Nothing was counted: this survey takes a random `key` (22 to 64 base64url characters), and no invitation token.",
        ),
        Refusal::InviteOnly => ApiError::new(
            ProblemKind::Forbidden,
            "This survey takes answers by invitation only: exchange your invite code for a token and send it as `token`.",
        ),
        Refusal::BadToken(error) => ApiError::new(ProblemKind::InvalidToken, invites::describe(&error)),
        Refusal::InvalidAnswers(errors) => {
            let detail = match errors.len() {
                1 => "1 answer needs attention; nothing was counted.".to_owned(),
                n => format!("{n} answers need attention; nothing was counted."),
            };
            ApiError::new(ProblemKind::InvalidAnswers, detail)
                .with_errors(errors.iter().map(FieldError::from).collect())
        }
        // The API takes no invite codes: they are exchanged for tokens first.
        Refusal::Code(error) => {
            ApiError::internal(anyhow::anyhow!("an invite code reached the API: {error}"))
        }
        Refusal::Throttled(seconds) => ApiError::new(
            ProblemKind::TooManyRequests,
            format!("Nothing was counted: too many answers came from this network in the last minute. Send again in {seconds} s, with the same key."),
        )
        .retry_after(seconds),
        Refusal::Failed(error) => error,
    }
}
