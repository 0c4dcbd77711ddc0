//! `POST /api/v1/surveys/{slug}/responses`: the front of the submission pipeline.
//! validate (shared) → admit (nullifier) → mix (batch) → fold (counters) → reply.

use actix_web::{HttpResponse, web};
use nansen_shared::answer::ReceiptStatus;
use nansen_shared::invite::Token;
use nansen_shared::{
    Access, FieldError, ProblemKind, Receipt, Submission, SubmissionKey, SurveyStatus, validate,
};

use crate::admit::{Credential, Intake};
use crate::catalog::{Catalog, Published};
use crate::fold::Outcome;
use crate::problem::ApiError;

pub async fn submit(
    slug: web::Path<String>,
    submission: web::Json<Submission>,
    catalog: web::Data<Catalog>,
    intake: web::Data<Intake>,
) -> Result<HttpResponse, ApiError> {
    let submission = submission.into_inner();
    let published = catalog.get(&slug).await?;
    if published.status != SurveyStatus::Open {
        return Err(super::surveys::closed());
    }
    if submission.version != published.version() {
        return Err(ApiError::new(
            ProblemKind::VersionMismatch,
            format!(
                "These answers were given to version {} of the survey, but it is now at version {}. Reload the survey, check your answers and send them again.",
                submission.version,
                published.version()
            ),
        ));
    }
    let credential = credential(&published, submission.key.as_deref(), submission.token.as_ref())?;
    let tally = validate(&published.survey, &submission.answers).map_err(|errors| {
        let detail = match errors.len() {
            1 => "1 answer needs attention; nothing was counted.".to_owned(),
            n => format!("{n} answers need attention; nothing was counted."),
        };
        ApiError::new(ProblemKind::InvalidAnswers, detail)
            .with_errors(errors.iter().map(FieldError::from).collect())
    })?;
    // The answers as sent are done with: only their tally waits for the batch.
    drop(submission);
    match intake.count(published, &credential, tally).await? {
        Outcome::Counted => Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(Receipt { status: ReceiptStatus::Counted })),
        Outcome::AlreadyCounted => Err(ApiError::new(
            ProblemKind::AlreadyCounted,
            "These answers were already counted (this was a repeat of an earlier send). There is nothing more to do.",
        )),
    }
}

/// What makes this submission countable once: a random key for an open survey, a valid
/// invitation token for an invite-only one.
fn credential(
    published: &Published,
    key: Option<&str>,
    token: Option<&Token>,
) -> Result<Credential, ApiError> {
    match (published.survey.settings.access, key, token, &published.invite_key) {
        (Access::Open, Some(key), None, _) => SubmissionKey::parse(key)
            .map(Credential::Key)
            .map_err(|e| ApiError::new(ProblemKind::InvalidKey, format!("Nothing was counted: {e}."))),
        (Access::Open, _, _, _) => Err(ApiError::new(
            ProblemKind::InvalidKey,
            "Nothing was counted: this survey takes a random `key` (22 to 64 base64url characters), and no invitation token.",
        )),
        (Access::Invite, None, Some(token), Some(public)) => token
            .verify(public)
            .map(Credential::Token)
            .map_err(|e| ApiError::new(ProblemKind::InvalidToken, crate::invites::describe(&e))),
        (Access::Invite, _, _, Some(_)) => Err(ApiError::new(
            ProblemKind::Forbidden,
            "This survey takes answers by invitation only: exchange your invite code for a token and send it as `token`.",
        )),
        (Access::Invite, _, _, None) => {
            Err(ApiError::internal(anyhow::anyhow!("an invite-only survey without a key")))
        }
    }
}
