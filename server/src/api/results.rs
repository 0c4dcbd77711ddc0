//! `GET /api/v1/surveys/{slug}/results`: aggregates after disclosure control, as JSON
//! or (`?format=csv`) as CSV; `?version=N` for an earlier version.

use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use nansen_shared::ProblemKind;
use serde::Deserialize;

use crate::audit;
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
    version: Option<u32>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
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
    let published = match query.version {
        Some(version) => catalog.version(&slug, version).await?,
        None => catalog.get(&slug).await?,
    };
    let staff = Staff::of(&req).await?;
    if !published.survey.settings.public_results && staff.is_none() {
        return Err(ApiError::new(
            ProblemKind::Unauthenticated,
            "The results of this survey are for staff only. Log in, or send a researcher API token.",
        ));
    }
    let version_id = published.version_id;
    let (format, slug, version) = (query.format, slug.into_inner(), published.version());
    let raw = db::run(&pool, move |conn| {
        if let (Format::Csv, Some(staff)) = (format, &staff) {
            audit::record(
                conn,
                &staff.account.username,
                "results_export",
                &format!("{slug} v{version} csv"),
            )?;
        }
        load_counts(conn, version_id)
    })
    .await?;
    let results = disclose(&published.survey, &raw);
    match format {
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

fn load_counts(conn: &mut db::Conn, version_id: i64) -> QueryResult<RawCounts> {
    let rows: Vec<(String, String, i64)> = counters::table
        .filter(counters::version_id.eq(version_id))
        .select((counters::question, counters::option, counters::n))
        .load(conn)?;
    Ok(rows.into_iter().map(|(q, o, n)| ((q, o), u64::try_from(n).unwrap_or(0))).collect())
}
