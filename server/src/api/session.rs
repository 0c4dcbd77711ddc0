//! Staff log in and out: `POST`, `GET` and `DELETE /api/v1/session`.

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::{LoginRequest, ProblemKind, SessionInfo};
use tokio::sync::Semaphore;

use super::doc;
use crate::http::problem::ApiError;
use crate::http::site::{Site, client_address, same_origin};
use crate::http::throttle::Throttle;
use crate::staff::auth::{Staff, Via};
use crate::staff::sessions;
use crate::staff::{audit, login};
use crate::storage::{self, Pool};

/// Password checks running at once, at most.
static HASHING: Semaphore = Semaphore::const_new(4);

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
) -> Result<HttpResponse, ApiError> {
    same_origin(&req)?;
    let LoginRequest { username, password } = body.into_inner();
    let client = client_address(&req, &site);
    if let Err(wait) = throttle.check(&username, &client) {
        let seconds = wait.as_secs().max(1);
        return Err(ApiError::new(
            ProblemKind::TooManyRequests,
            format!("Too many failed attempts. Wait {seconds} s before trying again."),
        )
        .retry_after(seconds));
    }
    let name = username.clone();
    // Each check holds 64 MiB for a third of a second: a flood of logins waits here
    // instead of exhausting memory.
    let _permit = HASHING.acquire().await.map_err(ApiError::unavailable)?;
    let outcome = storage::run(&pool, move |conn| login::attempt(conn, &name, &password)).await?;
    let Some((session, info)) = outcome else {
        throttle.failed(&username, &client);
        return Err(ApiError::new(
            ProblemKind::InvalidCredentials,
            "The username or the password is wrong. Check both and try again.",
        ));
    };
    throttle.succeeded(&username);
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
