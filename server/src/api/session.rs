//! Staff log in and out: `POST`, `GET` and `DELETE /api/v1/session`.

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::{LoginRequest, ProblemKind, SessionInfo};

use crate::auth::{self, SESSION_COOKIE, Staff};
use crate::db::{self, Pool};
use crate::problem::ApiError;

pub async fn login(body: web::Json<LoginRequest>, pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    let LoginRequest { username, password } = body.into_inner();
    let name = username.clone();
    let login =
        db::run(&pool, move |conn| auth::login(conn, &name, &password).map_err(ApiError::internal)).await?;
    let Some(login) = login else {
        return Err(ApiError::new(
            ProblemKind::InvalidCredentials,
            "The username or the password is wrong. Check both and try again.",
        ));
    };
    Ok(HttpResponse::Ok()
        .cookie(auth::session_cookie(&login.session_id))
        .insert_header(("Cache-Control", "no-store"))
        .json(SessionInfo { username, role: login.role.as_str().to_owned() }))
}

pub async fn current(staff: Staff) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(SessionInfo { username: staff.username, role: staff.role.as_str().to_owned() })
}

pub async fn logout(req: HttpRequest, pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    if let Some(cookie) = req.cookie(SESSION_COOKIE) {
        let id = cookie.value().to_owned();
        db::run(&pool, move |conn| auth::logout(conn, &id)).await?;
    }
    Ok(HttpResponse::NoContent().cookie(auth::expired_cookie()).finish())
}
