//! Questionnaires as XLSForm spreadsheets: `POST /api/v1/admin/surveys/import` makes a
//! draft from one, `GET /api/v1/admin/surveys/{slug}/xlsform` gives a survey as one. The
//! mapping itself is `surveys::xlsform`, shared with the command line.

use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use nansen_shared::ProblemKind;

use super::admin::load;
use super::doc;
use crate::http::attachment;
use crate::http::problem::{ApiError, blocking};
use crate::staff::audit;
use crate::staff::auth::Admin;
use crate::storage::{self, Pool};
use crate::surveys::lifecycle;
use crate::surveys::xlsform::{self, MAX_XLSFORM_BYTES, ReadError, XLSX_TYPE};

impl From<ReadError> for ApiError {
    fn from(error: ReadError) -> Self {
        let detail = error.describe();
        match error {
            ReadError::NotXlsx(_) => ApiError::new(ProblemKind::UnsupportedMediaType, detail),
            ReadError::Unreadable(_) => ApiError::new(ProblemKind::InvalidBody, detail),
            ReadError::TooLarge(_) => ApiError::new(ProblemKind::PayloadTooLarge, detail),
            ReadError::Refused(errors) => {
                ApiError::new(ProblemKind::InvalidDefinition, detail).with_errors(errors)
            }
        }
    }
}

/// `POST /api/v1/admin/surveys/import`: the body is an `.xlsx` XLSForm; 201 with the new
/// draft (as `GET …/surveys/{slug}` shows it) and its address in `Location`.
#[utoipa::path(
    post,
    path = "/api/v1/admin/surveys/import",
    tag = "admin",
    request_body(content((doc::File = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (doc::File = "application/octet-stream")), description = "An XLSForm, as an .xlsx file."),
    responses(
        (status = 201, description = "The new draft; its address in `Location`.", body = nansen_shared::AdminSurvey, headers(("Location" = String, description = "The draft's address in the admin API."))),
        doc::InvalidBody,
        doc::Unauthenticated,
        doc::Forbidden,
        doc::Conflict,
        doc::InvalidDefinition,
    ),
    security(("session" = [])),
)]
pub async fn import(
    Admin(admin): Admin,
    req: HttpRequest,
    body: web::Payload,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let content_type = req.content_type();
    if !matches!(content_type, "" | XLSX_TYPE | "application/octet-stream") {
        return Err(ApiError::new(
            ProblemKind::UnsupportedMediaType,
            format!(
                "Send the XLSForm itself as the body, an .xlsx file with Content-Type: {XLSX_TYPE} \
                 (not {content_type}). A survey in JSON goes to POST /api/v1/admin/surveys."
            ),
        ));
    }
    let bytes = match body.to_bytes_limited(MAX_XLSFORM_BYTES).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            return Err(ApiError::new(
                ProblemKind::InvalidBody,
                "The upload was cut off; send the file again.",
            ));
        }
        Err(_) => {
            return Err(ApiError::new(
                ProblemKind::PayloadTooLarge,
                format!("An XLSForm may be at most {} MiB.", MAX_XLSFORM_BYTES >> 20),
            ));
        }
    };
    let survey = blocking(move || xlsform::read(&bytes).map_err(ApiError::from)).await?;
    let slug = survey.slug.to_string();
    let target = slug.clone();
    storage::run(&pool, move |conn| {
        lifecycle::create(conn, &survey)?;
        audit::record(conn, &admin.username, "survey_import", &format!("{target} (XLSForm)"))?;
        Ok::<_, ApiError>(())
    })
    .await?;
    let view = load(&pool, slug.clone()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/admin/surveys/{slug}")))
        .json(view))
}

/// `GET /api/v1/admin/surveys/{slug}/xlsform`: the survey as the designer shows it (its
/// draft, else its current version) as an `.xlsx` XLSForm.
#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys/{slug}/xlsform",
    tag = "admin",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    responses(
        (status = 200, description = "The survey as an XLSForm.", body = doc::File, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
    ),
    security(("session" = [])),
)]
pub async fn export(
    _: Admin,
    slug: web::Path<String>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let survey = load(&pool, slug.into_inner()).await?.definition;
    let name = format!("{}.xlsx", survey.slug);
    let bytes = blocking(move || xlsform::write(&survey).map_err(ApiError::internal)).await?;
    Ok(attachment(XLSX_TYPE, &name, bytes))
}
