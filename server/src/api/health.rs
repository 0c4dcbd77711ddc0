//! `GET /healthz`: 200 when the database answers, 503 when it does not.

use actix_web::{HttpResponse, web};
use diesel::connection::SimpleConnection;

use crate::db::{self, Pool};
use crate::problem::ApiError;

pub async fn check(pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    db::run(&pool, |conn| conn.batch_execute("SELECT 1").map_err(ApiError::unavailable)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(serde_json::json!({"status": "ok"})))
}
