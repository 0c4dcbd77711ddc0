//! `POST /api/v1/surveys/{slug}/invites/redeem`: an invite code exchanged, once, for a
//! blind signature. The server signs what it is shown and learns nothing it could later
//! match to the answers (see `nansen_shared::invite`).

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::invite::Redeem;
use nansen_shared::{Access, ProblemKind};

use super::doc;
use crate::http::bound::Bounds;
use crate::http::problem::ApiError;
use crate::http::site::{Site, client_address};
use crate::http::throttle::{Rate, Throttle};
use crate::storage::Pool;
use crate::surveys::catalog::Catalog;
use crate::surveys::invites::{self, Gate, RedeemError};

#[utoipa::path(
    post,
    path = "/api/v1/surveys/{slug}/invites/redeem",
    tag = "respondents",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    request_body = nansen_shared::invite::Redeem,
    responses(
        (status = 200, description = "The blinded message, signed.", body = nansen_shared::invite::Signed),
        doc::InviteRefused,
        doc::NotFound,
        (status = 409, description = "The code was already used, the survey takes no invite codes, or it is not open yet.", body = nansen_shared::Problem, content_type = "application/problem+json"),
        doc::SurveyClosed,
        doc::TooManyRequests,
    ),
)]
#[expect(clippy::too_many_arguments, reason = "actix extractors: the request and each service it uses")]
pub async fn redeem(
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Payload,
    catalog: web::Data<Catalog>,
    pool: web::Data<Pool>,
    throttle: web::Data<Throttle>,
    site: web::Data<Site>,
    bounds: web::Data<Bounds>,
) -> HttpResponse {
    let outcome: Result<HttpResponse, actix_web::Error> = async {
        let redeem: Redeem = super::responses::json_body(&req, body).await?;
        let client = client_address(&req, &site);
        if let Err(wait) = throttle.take(Rate::Invites, &client) {
            let seconds = wait.as_secs().max(1);
            return Err(ApiError::new(
                ProblemKind::TooManyRequests,
                format!("Too many invite codes came from this network in the last minute. Wait {seconds} s and try again."),
            )
            .retry_after(seconds)
            .into());
        }
        // Each exchange is an RSA signature: a few wait their turn, a flood is turned away.
        let _turn = bounds.invites.enter().await?;
        Ok(exchange(&slug, redeem, &catalog, Gate { pool: &pool, throttle: &throttle, client }).await?)
    }
    .await;
    super::responses::padded(outcome)
}

async fn exchange(
    slug: &str,
    redeem: Redeem,
    catalog: &Catalog,
    gate: Gate<'_>,
) -> Result<HttpResponse, ApiError> {
    let published = catalog.get(slug).await?;
    super::surveys::taking_answers(&published)?;
    if published.survey.settings.access != Access::Invite {
        return Err(ApiError::new(
            ProblemKind::Conflict,
            "This survey is open to anyone with the link; it takes no invite codes.",
        ));
    }
    let Redeem { code, blinded } = redeem;
    let survey_id = published.survey_id;
    let outcome = gate.run(move |conn| invites::redeem(conn, survey_id, &code, &blinded)).await?;
    match outcome {
        Ok(signed) => Ok(HttpResponse::Ok().json(signed)),
        Err(RedeemError::Throttled(seconds)) => Err(ApiError::new(
            ProblemKind::TooManyRequests,
            format!("Too many wrong codes. Wait {seconds} s before trying again."),
        )
        .retry_after(seconds)),
        Err(RedeemError::Used) => Err(ApiError::new(
            ProblemKind::InviteUsed,
            "This invite code was already used: each code counts one set of answers.",
        )),
        Err(RedeemError::Malformed) => Err(ApiError::new(
            ProblemKind::InvalidBody,
            "The blinded message is not valid for this survey's key.",
        )),
        Err(_) => Err(ApiError::new(
            ProblemKind::InvalidInvite,
            "This invite code is not valid for this survey. Check it and try again.",
        )),
    }
}
