//! `GET /api/v1/surveys/{slug}/results` and `…/releases`: what a survey's releases say.
//! Nobody reads the live counters: results are the latest release, or the one named
//! (`?release=N`), or the latest of a version (`?version=N`), as JSON or
//! (`?format=csv`) CSV.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::{ExportFormat, ProblemKind};
use serde::Deserialize;

use crate::disclosure::{export, releases};
use crate::http::problem::ApiError;
use crate::staff::audit;
use crate::staff::auth::Staff;
use crate::storage::{self, Pool};
use crate::surveys::catalog::{Catalog, Published};

#[derive(Debug, Deserialize)]
pub struct Query {
    #[serde(default = "json")]
    format: ExportFormat,
    version: Option<u32>,
    release: Option<u32>,
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
    let current = catalog.get(&slug).await?;
    let staff = reader(&req, &current).await?;
    let Query { format, version, release } = query.into_inner();
    let survey_id = current.survey_id;
    let results = storage::run(&pool, move |conn| {
        let results = releases::read(conn, survey_id, release, version).map_err(ApiError::internal)?;
        if let (true, Some(staff), Some(results)) = (format.is_csv(), &staff, &results) {
            let release = results.release.as_ref().map_or(0, |r| r.number);
            let target = format!("{} release {release} {}", results.slug, format.name());
            audit::record(conn, &staff.account.username, "results_export", &target)?;
        }
        Ok::<_, ApiError>(results)
    })
    .await?
    .ok_or_else(|| missing(&current, release, version))?;
    match format {
        ExportFormat::Json => {
            Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(results))
        }
        ExportFormat::Csv | ExportFormat::CsvExcel => {
            let definition = match results.version == current.version() {
                true => Arc::clone(&current),
                false => catalog.version(&slug, results.version).await?,
            };
            let body = export::csv(&definition.survey, &results).map_err(ApiError::internal)?;
            let number = results.release.as_ref().map_or(0, |r| r.number);
            let name = format!("{}-release-{number}", results.slug);
            Ok(export::csv_response(&name, format, body))
        }
    }
}

/// `GET /api/v1/surveys/{slug}/releases`: every release, oldest first.
pub async fn list(
    req: HttpRequest,
    slug: web::Path<String>,
    catalog: web::Data<Catalog>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let current = catalog.get(&slug).await?;
    reader(&req, &current).await?;
    let survey_id = current.survey_id;
    let list =
        storage::run(&pool, move |conn| releases::list(conn, survey_id).map_err(ApiError::internal)).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(list))
}

/// Who reads: anyone when the survey's results are public (its current setting, for
/// every version's releases), else staff.
async fn reader(req: &HttpRequest, current: &Published) -> Result<Option<Staff>, ApiError> {
    let staff = Staff::of(req).await?;
    if !current.survey.settings.public_results && staff.is_none() {
        return Err(ApiError::new(
            ProblemKind::Unauthenticated,
            "The results of this survey are for staff only. Log in, or send a researcher API token.",
        ));
    }
    Ok(staff)
}

fn missing(current: &Published, release: Option<u32>, version: Option<u32>) -> ApiError {
    match (release, version) {
        (Some(number), _) => {
            ApiError::new(ProblemKind::NotFound, format!("This survey has no release {number}."))
        }
        (None, Some(version)) => ApiError::new(
            ProblemKind::NoRelease,
            format!("Nothing of version {version} of this survey has been released."),
        ),
        (None, None) => ApiError::new(
            ProblemKind::NoRelease,
            format!(
                "No results have been released yet. Results are released on a schedule once at least {} people have answered, so that no one's answers can be picked out.",
                current.survey.settings.min_new_respondents()
            ),
        ),
    }
}
