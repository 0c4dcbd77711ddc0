//! `GET /api/v1/surveys/{slug}/results` and `…/releases`: what a survey's releases say.
//! Nobody reads the live counters: results are the latest release, or the one named
//! (`?release=N`), or the latest of a version (`?version=N`), as JSON or
//! (`?format=csv`) CSV.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use nansen_shared::{ExportFormat, ProblemKind, SurveyResults};
use serde::Deserialize;

use nansen_shared::estimates::post_stratify;

use super::doc;
use crate::disclosure::tables::Tables;
use crate::disclosure::{files, releases};
use crate::http::attachment;
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
    /// The language of a file's labels (the survey's first by default).
    lang: Option<String>,
    /// Post-stratification: the question weighted by, and the target population's
    /// shares of its answers, `code:share,code:share`.
    weight_by: Option<String>,
    weights: Option<String>,
}

fn json() -> ExportFormat {
    ExportFormat::Json
}

#[utoipa::path(
    get,
    path = "/api/v1/surveys/{slug}/results",
    tag = "results",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
        ("format" = Option<nansen_shared::ExportFormat>, Query, description = "The format: json (the default) or a file."),
        ("release" = Option<u32>, Query, description = "A release by number (the latest by default)."),
        ("version" = Option<u32>, Query, description = "The latest release of this version."),
        ("lang" = Option<String>, Query, description = "The language of a file's labels."),
        ("weight_by" = Option<String>, Query, description = "Post-stratify by this question's answers."),
        ("weights" = Option<String>, Query, description = "The population's shares of `weight_by`'s answers, `code:share,code:share`."),
    ),
    responses(
        (status = 200, description = "The release's results (with `?format=`, a file of them).", content((nansen_shared::SurveyResults = "application/json"), (doc::File = "text/csv"), (doc::File = "application/x-stata-dta"), (doc::File = "application/x-spss-sav"), (doc::File = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (doc::File = "application/zip"))),
        doc::Unauthenticated,
        doc::NoRelease,
    ),
    security((), ("session" = []), ("token" = [])),
)]
pub async fn get(
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<Query>,
    catalog: web::Data<Catalog>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let Query { format, version, release, lang, weight_by, weights } = query.into_inner();
    // JSON is what the dashboard reads; files are downloads, and a staff download is audited.
    let download = (format != ExportFormat::Json).then(|| format.name());
    let (definition, mut results) =
        read_release(&req, &slug, (release, version), download, &catalog, &pool).await?;
    if let Some(by) = weight_by {
        let shares = parse_weights(weights.as_deref().unwrap_or_default())?;
        let weighted = post_stratify(&definition.survey, &results, &by, &shares).map_err(|e| {
            ApiError::new(ProblemKind::InvalidQuery, format!("These weights cannot be used: {e}."))
        })?;
        results.weighted = Some(weighted);
    }
    if format == ExportFormat::Json {
        return Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(results));
    }
    let tables = Tables::new(&definition.survey, &results, lang.as_deref());
    let file = files::render(format, &tables).map_err(ApiError::internal)?;
    let name = format!("{}-release-{}{}", results.slug, tables.release(), file.ending);
    Ok(attachment(file.content_type, &name, file.bytes))
}

/// `code:share,code:share` as pairs; a clear error for anything else.
fn parse_weights(text: &str) -> Result<Vec<(String, f64)>, ApiError> {
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            let (code, share) = part.split_once(':').unwrap_or((part, ""));
            let share: f64 = share.trim().parse().map_err(|_| {
                ApiError::new(
                    ProblemKind::InvalidQuery,
                    format!(
                        "`weights` is `code:share,…` with shares from 0 to 1 adding up to 1, not \"{part}\"."
                    ),
                )
            })?;
            Ok((code.trim().to_owned(), share))
        })
        .collect()
}

/// `GET /api/v1/surveys/{slug}/releases`: every release, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{slug}/releases",
    tag = "results",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    responses(
        (status = 200, description = "Every release, oldest first.", body = Vec<nansen_shared::ReleaseSummary>),
        doc::Unauthenticated,
        doc::NotFound,
    ),
    security((), ("session" = []), ("token" = [])),
)]
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

/// The release asked for (by number, or the latest of a version, or the latest), with
/// the definition of the version it counts, for whoever may read it. A staff member's
/// `download` (the file's format) is written to the audit log in the same transaction.
async fn read_release(
    req: &HttpRequest,
    slug: &str,
    (release, version): (Option<u32>, Option<u32>),
    download: Option<&'static str>,
    catalog: &Catalog,
    pool: &Pool,
) -> Result<(Arc<Published>, SurveyResults), ApiError> {
    let current = catalog.get(slug).await?;
    let staff = reader(req, &current).await?;
    let survey_id = current.survey_id;
    let results = storage::run(pool, move |conn| {
        let results = releases::read(conn, survey_id, release, version).map_err(ApiError::internal)?;
        if let (Some(format), Some(staff), Some(results)) = (download, &staff, &results) {
            let number = results.release.as_ref().map_or(0, |r| r.number);
            let target = format!("{} release {number} {format}", results.slug);
            audit::record(conn, &staff.account.username, "results_export", &target)?;
        }
        Ok::<_, ApiError>(results)
    })
    .await?
    .ok_or_else(|| missing(&current, release, version))?;
    let definition = match results.version == current.version() {
        true => current,
        false => catalog.version(slug, results.version).await?,
    };
    Ok((definition, results))
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

#[derive(Debug, Deserialize)]
pub struct CodebookQuery {
    version: Option<u32>,
    release: Option<u32>,
    /// The language of the codebook's texts (the survey's first by default).
    lang: Option<String>,
}

/// `GET /api/v1/surveys/{slug}/codebook.xml`: a release's DDI-Codebook 2.5 document, for
/// the same readers as its results.
#[utoipa::path(
    get,
    path = "/api/v1/surveys/{slug}/codebook.xml",
    tag = "results",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
        ("release" = Option<u32>, Query, description = "A release by number (the latest by default)."),
        ("version" = Option<u32>, Query, description = "The latest release of this version."),
        ("lang" = Option<String>, Query, description = "The language of the codebook's texts."),
    ),
    responses(
        (status = 200, description = "The release's DDI-Codebook 2.5 document.", body = doc::File, content_type = "application/xml"),
        doc::Unauthenticated,
        doc::NoRelease,
    ),
    security((), ("session" = []), ("token" = [])),
)]
pub async fn codebook(
    req: HttpRequest,
    slug: web::Path<String>,
    query: web::Query<CodebookQuery>,
    catalog: web::Data<Catalog>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let CodebookQuery { version, release, lang } = query.into_inner();
    let (definition, results) =
        read_release(&req, &slug, (release, version), Some("ddi-codebook"), &catalog, &pool).await?;
    let tables = Tables::new(&definition.survey, &results, lang.as_deref());
    let xml = files::ddi::codebook(&tables).map_err(ApiError::internal)?;
    let name = format!("{}-release-{}-codebook.xml", results.slug, tables.release());
    Ok(attachment("application/xml; charset=utf-8", &name, xml))
}
