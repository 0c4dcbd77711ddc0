//! `GET /api/v1/surveys/{slug}/results`: aggregates after disclosure control, as JSON
//! or (`?format=csv`) as CSV.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use nansen_shared::ProblemKind;
use serde::Deserialize;

use crate::auth::Staff;
use crate::catalog::Catalog;
use crate::db::{self, Pool};
use crate::disclose::{RawCounts, disclose};
use crate::export;
use crate::problem::ApiError;
use crate::schema::counters;

#[derive(Debug, Deserialize)]
pub struct Query {
    #[serde(default)]
    format: Format,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Format {
    #[default]
    Json,
    Csv,
}

pub async fn get(
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<Query>,
    catalog: web::Data<Catalog>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let published = catalog.get(&slug).await?;
    if !published.survey.settings.public_results && Staff::of(&req).await?.is_none() {
        return Err(ApiError::new(
            ProblemKind::Unauthenticated,
            "The results of this survey are for staff only. Log in with a staff account.",
        ));
    }
    let version_id = published.version_id;
    let raw = db::run(&pool, move |conn| load_counts(conn, version_id)).await?;
    let results = disclose(&published.survey, &raw);
    match query.format {
        Format::Json => Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(results)),
        Format::Csv => {
            let body = export::csv(&published.survey, &results).map_err(ApiError::internal)?;
            Ok(HttpResponse::Ok()
                .insert_header(("Content-Type", "text/csv; charset=utf-8"))
                .insert_header(("Cache-Control", "no-store"))
                .insert_header((
                    "Content-Disposition",
                    format!("attachment; filename=\"{}-v{}.csv\"", results.slug, results.version),
                ))
                .body(body))
        }
    }
}

fn load_counts(conn: &mut crate::db::Conn, version_id: i64) -> QueryResult<RawCounts> {
    let rows: Vec<(String, String, i64)> = counters::table
        .filter(counters::version_id.eq(version_id))
        .select((counters::question, counters::option, counters::n))
        .load(conn)?;
    Ok(rows.into_iter().map(|(q, o, n)| ((q, o), u64::try_from(n).unwrap_or(0))).collect())
}
