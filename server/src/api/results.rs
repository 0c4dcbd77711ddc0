//! `GET /api/v1/surveys/{slug}/results`: aggregates after disclosure control, as JSON
//! or (`?format=csv`) as CSV; `?version=N` for an earlier version.

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::{ExportFormat, ProblemKind};
use serde::Deserialize;

use crate::disclosure::{self, export};
use crate::http::problem::ApiError;
use crate::staff::audit;
use crate::staff::auth::Staff;
use crate::storage::{self, Pool};
use crate::surveys::catalog::Catalog;

#[derive(Debug, Deserialize)]
pub struct Query {
    #[serde(default = "json")]
    format: ExportFormat,
    version: Option<u32>,
}

fn json() -> ExportFormat {
    ExportFormat::Json
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
    let format = query.format;
    let survey = published.clone();
    let results = storage::run(&pool, move |conn| {
        if let (ExportFormat::Csv, Some(staff)) = (format, &staff) {
            let target = format!("{} v{} csv", survey.survey.slug, survey.version());
            audit::record(conn, &staff.account.username, "results_export", &target)?;
        }
        disclosure::results(conn, &survey)
    })
    .await?;
    match format {
        ExportFormat::Json => {
            Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(results))
        }
        ExportFormat::Csv => {
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
