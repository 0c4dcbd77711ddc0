//! Staff log in and out: `POST`, `GET` and `DELETE /api/v1/session`.

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::{LoginRequest, ProblemKind, SessionInfo};

use super::doc;
use crate::http::bound::Bounds;
use crate::http::problem::ApiError;
use crate::http::site::{Site, client_address, same_origin};
use crate::http::throttle::Throttle;
use crate::staff::auth::{Staff, Via};
use crate::staff::sessions;
use crate::staff::{audit, login};
use crate::storage::{self, Pool};

#[utoipa::path(
    post,
    path = "/api/v1/session",
    tag = "staff",
    request_body = nansen_shared::LoginRequest,
    responses(
        (status = 200, description = "Logged in: the session cookie is set.", body = nansen_shared::SessionInfo),
        doc::InvalidCredentials,
        doc::Forbidden,
        doc::TooManyRequests,
    ),
)]
pub async fn login(
    req: HttpRequest,
    body: web::Json<LoginRequest>,
    pool: web::Data<Pool>,
    throttle: web::Data<Throttle>,
    site: web::Data<Site>,
    bounds: web::Data<Bounds>,
) -> Result<HttpResponse, ApiError> {
    same_origin(&req)?;
    let LoginRequest { username, password } = body.into_inner();
    let client = client_address(&req, &site);
    // Reserved before the password is checked: guesses sent at once count at once.
    let attempt = throttle.reserve_login(&username, &client).map_err(|wait| {
        let seconds = wait.as_secs().max(1);
        ApiError::new(
            ProblemKind::TooManyRequests,
            format!("Too many failed attempts. Wait {seconds} s before trying again."),
        )
        .retry_after(seconds)
    })?;
    // Each check holds 64 MiB for a third of a second: a few wait their turn, and a
    // flood is told to come back instead of exhausting memory.
    let _turn = match bounds.hashing.enter().await {
        Ok(turn) => turn,
        Err(busy) => {
            attempt.withdrawn();
            return Err(busy);
        }
    };
    let name = username.clone();
    let outcome = storage::run(&pool, move |conn| login::attempt(conn, &name, &password)).await?;
    let Some((session, info)) = outcome else {
        attempt.failed();
        return Err(ApiError::new(
            ProblemKind::InvalidCredentials,
            "The username or the password is wrong. Check both and try again.",
        ));
    };
    attempt.succeeded();
    Ok(HttpResponse::Ok()
        .cookie(sessions::cookie(&session, site.secure_cookies()))
        .insert_header(("Cache-Control", "no-store"))
        .json(info))
}

#[utoipa::path(
    get,
    path = "/api/v1/session",
    tag = "staff",
    responses(
        (status = 200, description = "Who is logged in.", body = nansen_shared::SessionInfo),
        doc::Unauthenticated,
    ),
    security(("session" = [])),
)]
pub async fn current(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    match Staff::of(&req).await? {
        Some(staff) if staff.via == Via::Session => Ok(HttpResponse::Ok()
            .insert_header(("Cache-Control", "no-store"))
            .json(SessionInfo { username: staff.account.username, role: staff.account.role })),
        _ => Err(ApiError::new(ProblemKind::Unauthenticated, "Not logged in.")),
    }
}

#[utoipa::path(
    delete,
    path = "/api/v1/session",
    tag = "staff",
    responses(
        (status = 204, description = "Logged out: the session cookie is removed."),
        doc::Forbidden,
    ),
)]
pub async fn logout(
    req: HttpRequest,
    pool: web::Data<Pool>,
    site: web::Data<Site>,
) -> Result<HttpResponse, ApiError> {
    same_origin(&req)?;
    if let Some(id) = sessions::session_id(&req) {
        let staff = Staff::of(&req).await?;
        storage::run(&pool, move |conn| {
            if let Some(staff) = staff {
                audit::record(conn, &staff.account.username, "logout", "")?;
            }
            sessions::end(conn, &id)
        })
        .await?;
    }
    Ok(HttpResponse::NoContent().cookie(sessions::removal_cookie(site.secure_cookies())).finish())
}
