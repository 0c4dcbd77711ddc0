//! What researchers can read results of: the published surveys, open or closed, with
//! their versions, and each version's definition.

use actix_web::{HttpResponse, web};
use nansen_shared::{ResearchSurvey, Survey};

use super::doc;
use crate::http::problem::ApiError;
use crate::staff::auth::Staff;
use crate::storage::{self, Pool};
use crate::surveys::catalog::Catalog;
use crate::surveys::lifecycle;

#[utoipa::path(
    get,
    path = "/api/v1/research/surveys",
    tag = "staff",
    responses(
        (status = 200, description = "The published surveys, open or closed, with their versions.", body = Vec<nansen_shared::ResearchSurvey>),
        doc::Unauthenticated,
    ),
    security(("session" = []), ("token" = [])),
)]
pub async fn surveys(_: Staff, pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    let (rows, versions) =
        storage::run(&pool, |conn| Ok::<_, ApiError>((lifecycle::all(conn)?, lifecycle::versions(conn)?)))
            .await?;
    let mut list = Vec::new();
    for row in rows {
        let (Some(current), Some(definition)) = (row.current_version, row.current_definition) else {
            continue; // never published
        };
        let survey: Survey = serde_json::from_str(&definition).map_err(ApiError::internal)?;
        let status = lifecycle::status_of(&row.status).map_err(ApiError::internal)?;
        list.push(ResearchSurvey {
            slug: survey.slug,
            title: survey.title,
            languages: survey.languages,
            status,
            current_version: u32::try_from(current).unwrap_or(0),
            versions: versions
                .iter()
                .filter(|(id, _)| *id == row.id)
                .filter_map(|(_, v)| u32::try_from(*v).ok())
                .collect(),
        });
    }
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(list))
}

/// `GET /api/v1/research/surveys/{slug}/versions/{version}`: a published version's
/// definition, open or closed, to label its results.
#[utoipa::path(
    get,
    path = "/api/v1/research/surveys/{slug}/versions/{version}",
    tag = "staff",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
        ("version" = u32, Path, description = "A published version."),
    ),
    responses(
        (status = 200, description = "The version's definition.", body = nansen_shared::Survey),
        doc::Unauthenticated,
        doc::NotFound,
    ),
    security(("session" = []), ("token" = [])),
)]
pub async fn version(
    _: Staff,
    path: web::Path<(String, u32)>,
    catalog: web::Data<Catalog>,
) -> Result<HttpResponse, ApiError> {
    let (slug, version) = path.into_inner();
    let published = catalog.version(&slug, version).await?;
    Ok(HttpResponse::Ok().insert_header(("Cache-Control", "no-store")).json(&published.survey))
}
