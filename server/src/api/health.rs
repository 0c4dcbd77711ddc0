//! `GET /healthz`: 200 when the database answers, 503 when it does not.

use actix_web::{HttpResponse, web};

use super::doc;
use crate::http::problem::ApiError;
use crate::storage::{self, Pool};

#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    responses(
        (status = 200, description = "The server and its database answer.", body = doc::Health),
    ),
)]
pub async fn check(pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    storage::run(&pool, |conn| storage::ping(conn).map_err(ApiError::unavailable)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(serde_json::json!({"status": "ok"})))
}
