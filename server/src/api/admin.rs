//! `/api/v1/admin/...`: surveys through their lifecycle, staff accounts, API tokens and
//! the audit log. Every handler takes [`Admin`]: a session of an admin, from this
//! server's own pages.

use actix_web::{HttpResponse, web};
use nansen_shared::{
    Access, AdminSurvey, AdminSurveySummary, CreatedUser, ExportFormat, NewToken, NewUser, PasswordReset,
    ProblemKind, ReleaseStatus, Schedule, Survey, SurveyStatus,
};
use serde::Deserialize;

use super::doc;
use crate::disclosure::clock::Clock;
use crate::disclosure::closing;
use crate::disclosure::releases::{self, Trigger};
use crate::http::problem::ApiError;
use crate::http::throttle::Throttle;
use crate::staff::accounts::{self, UserError};
use crate::staff::audit;
use crate::staff::auth::Admin;
use crate::staff::sessions;
use crate::storage::{self, Pool};
use crate::surveys::catalog::Catalog;
use crate::surveys::invites;
use crate::surveys::lifecycle::{self, LifecycleError, SurveyRow};

impl From<LifecycleError> for ApiError {
    fn from(error: LifecycleError) -> Self {
        match error {
            LifecycleError::NotFound(slug) => {
                ApiError::new(ProblemKind::NotFound, format!("There is no survey called \"{slug}\"."))
            }
            LifecycleError::Exists(slug) => ApiError::new(
                ProblemKind::Conflict,
                format!("A survey called \"{slug}\" already exists; choose another slug or edit that one."),
            ),
            LifecycleError::Invalid(errors) => ApiError::new(
                ProblemKind::InvalidDefinition,
                format!(
                    "The survey cannot be published until {} problem(s) are fixed; see `errors`.",
                    errors.len()
                ),
            )
            .with_errors(errors),
            LifecycleError::Schedule(errors) => {
                let which = if errors.len() == 1 {
                    "a time given cannot be used"
                } else {
                    "neither time given can be used"
                };
                ApiError::new(
                    ProblemKind::InvalidSchedule,
                    format!("Nothing was changed: {which}; see `errors`."),
                )
                .with_errors(errors)
            }
            LifecycleError::Conflict(why) => ApiError::new(ProblemKind::Conflict, capitalised(why)),
            LifecycleError::Database(e) => ApiError::internal(e),
            LifecycleError::Json(e) => ApiError::internal(e),
            LifecycleError::Other(e) => ApiError::internal(e),
        }
    }
}

impl From<UserError> for ApiError {
    fn from(error: UserError) -> Self {
        let detail = capitalised(&format!("{error}."));
        match error {
            UserError::BadUsername => ApiError::new(ProblemKind::InvalidUsername, detail),
            UserError::WeakPassword(why) => ApiError::new(ProblemKind::WeakPassword, why),
            UserError::Exists(_) | UserError::LastAdmin(_) | UserError::RemoveOwn | UserError::ResetOwn => {
                ApiError::new(ProblemKind::Conflict, detail)
            }
            UserError::NotFound(_) => ApiError::new(ProblemKind::NotFound, detail),
            UserError::Other(e) => ApiError::internal(e),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A survey as the admin API shows it: the draft if there is one, else the current
/// version, with whatever would stop it from being published, and where its releases
/// stand.
fn admin_view(row: SurveyRow, releases: Option<ReleaseStatus>) -> Result<AdminSurvey, ApiError> {
    let status = row.status_at(storage::now()).map_err(ApiError::internal)?;
    let schedule = row.schedule();
    let is_draft = row.draft.is_some();
    let json = row
        .draft
        .or(row.current_definition)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("empty survey")))?;
    let definition: Survey = serde_json::from_str(&json).map_err(ApiError::internal)?;
    let problems = definition.check().err().unwrap_or_default();
    Ok(AdminSurvey {
        status,
        current_version: row.current_version.and_then(|v| u32::try_from(v).ok()),
        is_draft,
        definition,
        problems,
        releases,
        schedule,
    })
}

fn summary(row: SurveyRow) -> Result<AdminSurveySummary, ApiError> {
    let has_draft = row.draft.is_some();
    let view = admin_view(row, None)?;
    Ok(AdminSurveySummary {
        slug: view.definition.slug,
        status: view.status,
        current_version: view.current_version,
        has_draft,
        title: view.definition.title,
        languages: view.definition.languages,
        schedule: view.schedule,
    })
}

pub(super) async fn load(pool: &Pool, slug: String) -> Result<AdminSurvey, ApiError> {
    let found = storage::run(pool, move |conn| {
        let Some(row) = lifecycle::find(conn, &slug)? else { return Ok(Err(slug)) };
        let status = releases::status(conn, row.id).map_err(ApiError::internal)?;
        Ok::<_, ApiError>(Ok((row, status)))
    })
    .await?;
    match found {
        Ok((row, status)) => admin_view(row, status),
        Err(slug) => Err(LifecycleError::NotFound(slug).into()),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys",
    tag = "admin",
    responses(
        (status = 200, description = "Every survey.", body = Vec<nansen_shared::AdminSurveySummary>),
        doc::Unauthenticated,
        doc::Forbidden,
    ),
    security(("session" = [])),
)]
pub async fn list_surveys(_: Admin, pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    let rows = storage::run(&pool, lifecycle::all).await?;
    let list = rows.into_iter().map(summary).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/surveys",
    tag = "admin",
    request_body = nansen_shared::Survey,
    responses(
        (status = 201, description = "The new draft.", body = nansen_shared::AdminSurvey),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::Conflict,
    ),
    security(("session" = [])),
)]
pub async fn create_survey(
    Admin(admin): Admin,
    body: web::Json<Survey>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let survey = body.into_inner();
    let slug = survey.slug.to_string();
    let target = slug.clone();
    storage::run(&pool, move |conn| {
        lifecycle::create(conn, &survey)?;
        audit::record(conn, &admin.username, "survey_create", &target)?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::Created().json(load(&pool, slug).await?))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/surveys/{slug}",
    tag = "admin",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    responses(
        (status = 200, description = "The survey: its draft if it has one, else its current version.", body = nansen_shared::AdminSurvey),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
    ),
    security(("session" = [])),
)]
pub async fn get_survey(
    _: Admin,
    slug: web::Path<String>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(load(&pool, slug.into_inner()).await?))
}

#[utoipa::path(
    put,
    path = "/api/v1/admin/surveys/{slug}",
    tag = "admin",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    request_body = nansen_shared::Survey,
    responses(
        (status = 200, description = "The saved draft.", body = nansen_shared::AdminSurvey),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
        doc::Conflict,
    ),
    security(("session" = [])),
)]
pub async fn put_survey(
    Admin(admin): Admin,
    slug: web::Path<String>,
    body: web::Json<Survey>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let survey = body.into_inner();
    if survey.slug.as_str() != slug {
        return Err(ApiError::new(
            ProblemKind::Conflict,
            format!(
                "The definition's slug \"{}\" differs from the address's \"{slug}\"; a slug cannot change.",
                survey.slug
            ),
        ));
    }
    let target = slug.clone();
    storage::run(&pool, move |conn| {
        lifecycle::save_draft(conn, &target, &survey)?;
        audit::record(conn, &admin.username, "survey_edit", &target)?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::Ok().json(load(&pool, slug).await?))
}

/// `POST /api/v1/admin/surveys/{slug}/publish`, with an optional body
/// `{"opens_at": …, "closes_at": …}` (RFC 3339): the draft becomes the next version,
/// open at once or at those times. With a body, the schedule is the body's (a field left
/// out: no such time); without one, the survey keeps the schedule it has.
#[utoipa::path(
    post,
    path = "/api/v1/admin/surveys/{slug}/publish",
    tag = "admin",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    request_body(content = Option<nansen_shared::Schedule>, description = "Opening and closing times, each optional; no body: the schedule it has."),
    responses(
        (status = 200, description = "Published: the draft is the next version.", body = nansen_shared::AdminSurvey),
        doc::InvalidBody,
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
        doc::Conflict,
        (status = 422, description = "The definition or the schedule needs changes (see `errors`).", body = nansen_shared::Problem, content_type = "application/problem+json"),
    ),
    security(("session" = [])),
)]
pub async fn publish(
    Admin(admin): Admin,
    slug: web::Path<String>,
    body: web::Bytes,
    pool: web::Data<Pool>,
    catalog: web::Data<Catalog>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, ApiError> {
    let schedule = schedule_body(&body, true)?;
    let slug = slug.into_inner();
    let target = slug.clone();
    storage::run(&pool, move |conn| {
        let now = caught_up(conn)?;
        let (published, schedule) = lifecycle::publish(conn, &target, schedule, now)?;
        let version = published.version.unwrap_or(0);
        // Releases without noise are an admin's choice, and on the record.
        let noise =
            if published.settings.privacy.noise { "" } else { ", noise off: releases are exact counts" };
        let times = describe(&schedule);
        audit::record(
            conn,
            &admin.username,
            "survey_publish",
            &format!("{target} v{version}{noise}{times}"),
        )?;
        Ok::<_, ApiError>(())
    })
    .await?;
    changed(&catalog, &clock, &slug);
    Ok(HttpResponse::Ok().json(load(&pool, slug).await?))
}

/// `PUT /api/v1/admin/surveys/{slug}/schedule`: new opening and closing times for a
/// published survey that has not closed (`{}`: open now, until closed by hand).
#[utoipa::path(
    put,
    path = "/api/v1/admin/surveys/{slug}/schedule",
    tag = "admin",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    request_body(content = nansen_shared::Schedule, description = "Opening and closing times, each optional."),
    responses(
        (status = 200, description = "The new times are set.", body = nansen_shared::AdminSurvey),
        doc::InvalidBody,
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
        doc::Conflict,
        doc::InvalidSchedule,
    ),
    security(("session" = [])),
)]
pub async fn reschedule(
    Admin(admin): Admin,
    slug: web::Path<String>,
    body: web::Bytes,
    pool: web::Data<Pool>,
    catalog: web::Data<Catalog>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, ApiError> {
    let schedule = schedule_body(&body, false)?.unwrap_or_default();
    let slug = slug.into_inner();
    let target = slug.clone();
    storage::run(&pool, move |conn| {
        let now = caught_up(conn)?;
        lifecycle::reschedule(conn, &target, schedule, now)?;
        let times = describe(&schedule);
        let times = if times.is_empty() { ": open until closed by hand".to_owned() } else { times };
        audit::record(conn, &admin.username, "survey_schedule", &format!("{target}{times}"))?;
        Ok::<_, ApiError>(())
    })
    .await?;
    changed(&catalog, &clock, &slug);
    Ok(HttpResponse::Ok().json(load(&pool, slug).await?))
}

#[utoipa::path(
    post,
    path = "/api/v1/admin/surveys/{slug}/close",
    tag = "admin",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    responses(
        (status = 200, description = "Closed, with a final release.", body = nansen_shared::AdminSurvey),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
        doc::Conflict,
    ),
    security(("session" = [])),
)]
pub async fn close(
    Admin(admin): Admin,
    slug: web::Path<String>,
    pool: web::Data<Pool>,
    catalog: web::Data<Catalog>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let target = slug.clone();
    storage::run(&pool, move |conn| closing::by_hand(conn, &target, &admin.username)).await?;
    changed(&catalog, &clock, &slug);
    Ok(HttpResponse::Ok().json(load(&pool, slug).await?))
}

/// The schedule in a request body: `None` for an empty body (where `optional`).
fn schedule_body(body: &[u8], optional: bool) -> Result<Option<Schedule>, ApiError> {
    if optional && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    // serde would also read a struct from an array (`[null, null]`); the API takes objects.
    let object = serde_json::from_slice::<serde_json::Value>(body).and_then(|value| match value {
        serde_json::Value::Object(_) => serde_json::from_value(value),
        _ => Err(serde::de::Error::custom("not an object")),
    });
    object.map(Some).map_err(|error| {
        ApiError::new(
            ProblemKind::InvalidBody,
            format!(
                "Nothing was changed: the body must be {{\"opens_at\": …, \"closes_at\": …}}, each optional, each a time in RFC 3339 form such as 2027-03-01T12:00:00Z ({error})."
            ),
        )
    })
}

/// Closes the surveys whose closing time has passed (the clock may not have got there
/// yet), so that a change is judged against where they really stand; the time now.
fn caught_up(conn: &mut storage::Conn) -> Result<i64, ApiError> {
    let now = storage::now();
    closing::due(conn, now)?;
    Ok(now)
}

/// The schedule for the audit log: ", opens … , closes …".
fn describe(schedule: &Schedule) -> String {
    let mut text = String::new();
    if let Some(at) = schedule.opens_at {
        text += &format!(", opens {at}");
    }
    if let Some(at) = schedule.closes_at {
        text += &format!(", closes {at}");
    }
    text
}

/// After this instance changed `slug`: its cached definition goes, and the clock reads
/// the closing times again.
fn changed(catalog: &Catalog, clock: &Clock, slug: &str) {
    catalog.forget(slug);
    clock.rearm();
}

/// `POST /api/v1/admin/surveys/{slug}/releases`: a release now, if the survey's rules
/// allow one (enough new respondents, budget left); 201 with its results.
#[utoipa::path(
    post,
    path = "/api/v1/admin/surveys/{slug}/releases",
    tag = "admin",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
    ),
    responses(
        (status = 201, description = "A release, made now: its results.", body = nansen_shared::SurveyResults),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
        doc::ReleaseNotAllowed,
    ),
    security(("session" = [])),
)]
pub async fn release(
    Admin(admin): Admin,
    slug: web::Path<String>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let results = storage::run(&pool, move |conn| {
        let row = lifecycle::find(conn, &slug)?.ok_or_else(|| LifecycleError::NotFound(slug.clone()))?;
        let number = releases::make(conn, row.id, Trigger::Request)
            .map_err(ApiError::internal)?
            .map_err(|why| ApiError::new(ProblemKind::ReleaseNotAllowed, why.describe()))?;
        audit::record(conn, &admin.username, "release", &format!("{slug}: release {number}"))?;
        releases::read(conn, row.id, Some(number), None).map_err(ApiError::internal)
    })
    .await?;
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(results))
}

/// `POST /api/v1/admin/users`: 201 with the account, and its generated password (shown
/// this once) when none was sent.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users",
    tag = "admin",
    request_body = nansen_shared::NewUser,
    responses(
        (status = 201, description = "The account, and its generated password (shown this once) when none was sent.", body = nansen_shared::CreatedUser),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::Conflict,
        doc::InvalidAccount,
    ),
    security(("session" = [])),
)]
pub async fn create_user(
    Admin(admin): Admin,
    body: web::Json<NewUser>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let NewUser { username, password, role } = body.into_inner();
    let created = storage::run(&pool, move |conn| {
        let generated = accounts::create(conn, &username, password.as_deref(), role)?;
        audit::record(conn, &admin.username, "user_create", &format!("{username} ({})", role.as_str()))?;
        let user = accounts::info(conn, &username)?.ok_or_else(|| UserError::NotFound(username.clone()))?;
        Ok::<_, ApiError>(CreatedUser { user, password: generated })
    })
    .await?;
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(created))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/users",
    tag = "admin",
    responses(
        (status = 200, description = "Every staff account.", body = Vec<nansen_shared::UserInfo>),
        doc::Unauthenticated,
        doc::Forbidden,
    ),
    security(("session" = [])),
)]
pub async fn list_users(_: Admin, pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(storage::run(&pool, accounts::list).await?))
}

/// `DELETE /api/v1/admin/users/{name}`: never the last admin, nor the admin asking.
#[utoipa::path(
    delete,
    path = "/api/v1/admin/users/{name}",
    tag = "admin",
    params(
        ("name" = String, Path, description = "A staff account's username."),
    ),
    responses(
        (status = 204, description = "Removed."),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
        doc::Conflict,
    ),
    security(("session" = [])),
)]
pub async fn delete_user(
    Admin(admin): Admin,
    name: web::Path<String>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let name = name.into_inner();
    if name == admin.username {
        return Err(UserError::RemoveOwn.into());
    }
    storage::run(&pool, move |conn| {
        accounts::delete(conn, &name)?;
        audit::record(conn, &admin.username, "user_delete", &name)?;
        Ok::<_, ApiError>(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/admin/users/{name}/password`: a new generated password for the
/// account, shown this once; its sessions end, and the reset is audited. An admin's own
/// password is not reset here (it would end the session asking).
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{name}/password",
    tag = "admin",
    params(
        ("name" = String, Path, description = "A staff account's username."),
    ),
    responses(
        (status = 200, description = "A new generated password, shown this once.", body = nansen_shared::PasswordReset),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
        doc::Conflict,
    ),
    security(("session" = [])),
)]
pub async fn reset_password(
    Admin(admin): Admin,
    name: web::Path<String>,
    pool: web::Data<Pool>,
    throttle: web::Data<Throttle>,
) -> Result<HttpResponse, ApiError> {
    let username = name.into_inner();
    if username == admin.username {
        return Err(UserError::ResetOwn.into());
    }
    let target = username.clone();
    let password =
        storage::run(&pool, move |conn| accounts::reset_password(conn, &admin.username, &target)).await?;
    // Waits earned by failed logins with the old password are not for the new one.
    throttle.forgive(&username);
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(PasswordReset { username, password }))
}

/// `POST /api/v1/admin/tokens`: a read-only API token for an account, shown once.
#[utoipa::path(
    post,
    path = "/api/v1/admin/tokens",
    tag = "admin",
    request_body = nansen_shared::NewToken,
    responses(
        (status = 201, description = "The token, shown this once.", body = nansen_shared::CreatedToken),
        doc::InvalidBody,
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
    ),
    security(("session" = [])),
)]
pub async fn create_token(
    Admin(admin): Admin,
    body: web::Json<NewToken>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let NewToken { username, label } = body.into_inner();
    let label = nansen_shared::token_label(&label)
        .map_err(|e| ApiError::new(ProblemKind::InvalidBody, e.to_string()))?
        .to_owned();
    let created = storage::run(&pool, move |conn| {
        let created = sessions::create_token(conn, &username, &label).map_err(ApiError::internal)?;
        let Some(created) = created else {
            return Err(ApiError::from(UserError::NotFound(username)));
        };
        audit::record(conn, &admin.username, "token_create", &sessions::describe(&created.info))?;
        Ok(created)
    })
    .await?;
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(created))
}

#[utoipa::path(
    get,
    path = "/api/v1/admin/tokens",
    tag = "admin",
    responses(
        (status = 200, description = "Every API token (never the token itself).", body = Vec<nansen_shared::TokenInfo>),
        doc::Unauthenticated,
        doc::Forbidden,
    ),
    security(("session" = [])),
)]
pub async fn list_tokens(_: Admin, pool: web::Data<Pool>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(storage::run(&pool, sessions::list_tokens).await?))
}

#[utoipa::path(
    delete,
    path = "/api/v1/admin/tokens/{id}",
    tag = "admin",
    params(
        ("id" = i64, Path, description = "The token's id."),
    ),
    responses(
        (status = 204, description = "Revoked."),
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
    ),
    security(("session" = [])),
)]
pub async fn revoke_token(
    Admin(admin): Admin,
    id: web::Path<i64>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    storage::run(&pool, move |conn| {
        let Some(revoked) = sessions::revoke_token(conn, id)? else {
            return Err(ApiError::new(ProblemKind::NotFound, format!("There is no API token #{id}.")));
        };
        audit::record(conn, &admin.username, "token_revoke", &sessions::describe(&revoked))?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewInvites {
    /// How many codes, 1 to the most a request may make.
    count: usize,
}

#[derive(Debug, Deserialize)]
pub struct InvitesQuery {
    format: Option<ExportFormat>,
}

/// `POST /api/v1/admin/surveys/{slug}/invites`: `count` new invite codes, shown this
/// once (as JSON, or `?format=csv` for printing and mail merges).
#[utoipa::path(
    post,
    path = "/api/v1/admin/surveys/{slug}/invites",
    tag = "admin",
    params(
        ("slug" = String, Path, description = "The survey's slug.", example = "diaspora"),
        ("format" = Option<nansen_shared::ExportFormat>, Query, description = "json (the default), csv or csv-excel."),
    ),
    request_body = NewInvites,
    responses(
        (status = 201, description = "The new codes, shown this once.", content((doc::InviteCodes = "application/json"), (doc::File = "text/csv"))),
        doc::InvalidBody,
        doc::Unauthenticated,
        doc::Forbidden,
        doc::NotFound,
        doc::Conflict,
    ),
    security(("session" = [])),
)]
pub async fn create_invites(
    Admin(admin): Admin,
    slug: web::Path<String>,
    body: web::Json<NewInvites>,
    query: web::Query<InvitesQuery>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let count = body.count;
    if !(1..=invites::MAX_CODES).contains(&count) {
        return Err(ApiError::new(
            ProblemKind::InvalidBody,
            format!("Ask for 1 to {} codes at a time.", invites::MAX_CODES),
        ));
    }
    let format = query.format.unwrap_or(ExportFormat::Json);
    if format != ExportFormat::Json && !format.is_csv() {
        return Err(ApiError::new(ProblemKind::InvalidQuery, "Invite codes come as json, csv or csv-excel."));
    }
    let target = slug.into_inner();
    let codes = storage::run(&pool, move |conn| {
        let row = lifecycle::find(conn, &target)?.ok_or_else(|| LifecycleError::NotFound(target.clone()))?;
        let status = row.status_at(storage::now()).map_err(ApiError::internal)?;
        let definition = row.draft.or(row.current_definition).unwrap_or_default();
        let survey: Survey = serde_json::from_str(&definition).map_err(ApiError::internal)?;
        if survey.settings.access != Access::Invite {
            return Err(ApiError::new(
                ProblemKind::Conflict,
                "This survey is open to anyone with the link; set its access to \"invite\" before making invite codes.",
            ));
        }
        // Closing deleted the survey's invitation data; codes made now would outlive it.
        if status == SurveyStatus::Closed {
            return Err(ApiError::new(
                ProblemKind::Conflict,
                "This survey is closed: it takes no answers, so it needs no invite codes.",
            ));
        }
        let codes = invites::create(conn, row.id, count).map_err(ApiError::internal)?;
        audit::record(conn, &admin.username, "invites_create", &format!("{target}: {count} codes"))?;
        Ok(codes)
    })
    .await?;
    if format.is_csv() {
        let body = std::iter::once("code".to_owned()).chain(codes).collect::<Vec<_>>().join("\n") + "\n";
        let mut response = crate::disclosure::export::csv_response("invite-codes", format, body);
        *response.status_mut() = actix_web::http::StatusCode::CREATED;
        return Ok(response);
    }
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(serde_json::json!({"count": codes.len(), "codes": codes})))
}

#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    #[serde(default = "default_limit")]
    limit: u16,
    /// The `next_before` of the page before.
    before: Option<i64>,
    /// Only this actor's entries (a username, or `(command line)`).
    actor: Option<String>,
    /// Only entries of this action (`login`, `user_password_reset`, …).
    action: Option<String>,
}

fn default_limit() -> u16 {
    200
}

/// `GET /api/v1/admin/audit`: a page of the log, newest first (`?limit=`, 1 to 1000,
/// default 200), older than `?before=`, for one `?actor=` or `?action=` if given.
#[utoipa::path(
    get,
    path = "/api/v1/admin/audit",
    tag = "admin",
    params(
        ("limit" = Option<u16>, Query, minimum = 0, maximum = 65535, description = "Entries a page, 1 to 1000 (200 by default; fewer read as 1, more as 1000)."),
        ("before" = Option<i64>, Query, description = "The `next_before` of the page before."),
        ("actor" = Option<String>, Query, description = "Only this actor's entries."),
        ("action" = Option<String>, Query, description = "Only entries of this action."),
    ),
    responses(
        (status = 200, description = "A page of the log, newest first.", body = nansen_shared::AuditPage),
        doc::Unauthenticated,
        doc::Forbidden,
    ),
    security(("session" = [])),
)]
pub async fn audit_log(
    _: Admin,
    query: web::Query<AuditQuery>,
    pool: web::Data<Pool>,
) -> Result<HttpResponse, ApiError> {
    let AuditQuery { limit, before, actor, action } = query.into_inner();
    let given = |value: Option<String>| value.filter(|v| !v.is_empty());
    let query = audit::Query {
        before,
        actor: given(actor),
        action: given(action),
        limit: i64::from(limit.clamp(1, 1000)),
    };
    Ok(HttpResponse::Ok().json(storage::run(&pool, move |conn| audit::page(conn, &query)).await?))
}
