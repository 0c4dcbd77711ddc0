//! `POST /api/v1/surveys/{slug}/invites/redeem`: an invite code exchanged, once, for a
//! blind signature. The server signs what it is shown and learns nothing it could later
//! match to the answers (see `nansen_shared::invite`).

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::invite::Redeem;
use nansen_shared::{Access, ProblemKind};

use super::doc;
use crate::http::problem::ApiError;
use crate::http::site::{Site, client_address};
use crate::http::throttle::Throttle;
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
pub async fn redeem(
    req: HttpRequest,
    slug: web::Path<String>,
    body: web::Payload,
    catalog: web::Data<Catalog>,
    pool: web::Data<Pool>,
    throttle: web::Data<Throttle>,
    site: web::Data<Site>,
) -> HttpResponse {
    let outcome: Result<HttpResponse, actix_web::Error> = async {
        let redeem: Redeem = super::responses::json_body(&req, body).await?;
        Ok(exchange(&req, &slug, redeem, &catalog, &pool, &throttle, &site).await?)
    }
    .await;
    super::responses::padded(outcome)
}

async fn exchange(
    req: &HttpRequest,
    slug: &str,
    redeem: Redeem,
    catalog: &Catalog,
    pool: &Pool,
    throttle: &Throttle,
    site: &Site,
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
    let gate = Gate { pool, throttle, client: client_address(req, site) };
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
