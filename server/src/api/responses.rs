//! `POST /api/v1/surveys/{slug}/responses`: answers from the browser client (or any
//! program), handed to the submission entrance.

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::answer::ReceiptStatus;
use nansen_shared::{FieldError, ProblemKind, Receipt, Submission};

use crate::http::problem::ApiError;
use crate::http::site::{Site, client_address};
use crate::submission::{Entrance, Mode, Outcome, Refusal, Sent};
use crate::surveys::catalog::Catalog;
use crate::surveys::invites;

pub async fn submit(
    req: HttpRequest,
    slug: web::Path<String>,
    submission: web::Json<Submission>,
    catalog: web::Data<Catalog>,
    entrance: web::Data<Entrance>,
    site: web::Data<Site>,
) -> Result<HttpResponse, ApiError> {
    let Submission { version, answers, key, token } = submission.into_inner();
    let published = catalog.get(&slug).await?;
    let sent = Sent { version: Some(version), key, token, code: None, answers, mode: Mode::Refuse };
    match entrance.count(&published, sent, &client_address(&req, &site)).await {
        Ok(Outcome::Counted) => Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(Receipt { status: ReceiptStatus::Counted })),
        Ok(Outcome::AlreadyCounted) => Err(ApiError::new(
            ProblemKind::AlreadyCounted,
            "These answers were already counted (this was a repeat of an earlier send). There is nothing more to do.",
        )),
        Err(refusal) => Err(problem(refusal)),
    }
}

/// Why nothing was counted, as a problem document.
fn problem(refusal: Refusal) -> ApiError {
    match refusal {
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
        Refusal::Failed(error) => error,
    }
}
