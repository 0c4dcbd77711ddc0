//! Surveys in the database, through their lifecycle: a draft is edited, publishing makes
//! it the next immutable version, closing stops answers. Answers are always counted
//! against the exact version the respondent saw, and versions are never mixed.

use diesel::prelude::*;
use nansen_shared::{Access, FieldError, Survey, SurveyStatus};

use crate::storage::schema::{survey_versions, surveys};
use crate::storage::{Conn, now};

/// A survey's status as stored (the names of [`SurveyStatus::as_str`]).
pub fn status_of(stored: &str) -> anyhow::Result<SurveyStatus> {
    SurveyStatus::parse(stored).ok_or_else(|| anyhow::anyhow!("unknown survey status {stored:?}"))
}

/// A published version of a survey, as stored.
#[derive(Debug, Clone, Queryable)]
pub struct VersionRow {
    pub survey_id: i64,
    pub status: String,
    pub version_id: i64,
    pub version: i32,
    pub definition: String,
}

/// A survey as admins manage it.
#[derive(Debug, Clone, Queryable)]
pub struct SurveyRow {
    pub id: i64,
    pub status: String,
    pub draft: Option<String>,
    pub current_version: Option<i32>,
    pub current_definition: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("there is no survey called {0:?}")]
    NotFound(String),
    #[error("a survey called {0:?} already exists")]
    Exists(String),
    #[error("the definition cannot be published yet")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub fn count(conn: &mut Conn) -> QueryResult<i64> {
    surveys::table.count().get_result(conn)
}

/// Surveys joined to their current version (`inner` for published ones only).
macro_rules! with_current_version {
    (inner) => {
        surveys::table.inner_join(
            survey_versions::table.on(surveys::current_version_id.eq(survey_versions::id.nullable())),
        )
    };
    (left) => {
        surveys::table.left_join(
            survey_versions::table.on(surveys::current_version_id.eq(survey_versions::id.nullable())),
        )
    };
}

#[allow(clippy::type_complexity)]
const VERSION_ROW: (
    surveys::id,
    surveys::status,
    survey_versions::id,
    survey_versions::version,
    survey_versions::definition,
) = (
    surveys::id,
    surveys::status,
    survey_versions::id,
    survey_versions::version,
    survey_versions::definition,
);

/// The columns of a [`SurveyRow`], from surveys left-joined to their current version.
macro_rules! survey_row {
    () => {
        (
            surveys::id,
            surveys::status,
            surveys::draft,
            survey_versions::version.nullable(),
            survey_versions::definition.nullable(),
        )
    };
}

/// The current version of `slug`, if it was ever published.
pub fn current(conn: &mut Conn, slug: &str) -> QueryResult<Option<VersionRow>> {
    with_current_version!(inner).filter(surveys::slug.eq(slug)).select(VERSION_ROW).first(conn).optional()
}

/// Version `version` of `slug`, current or not.
pub fn version(conn: &mut Conn, slug: &str, version: i32) -> QueryResult<Option<VersionRow>> {
    surveys::table
        .inner_join(survey_versions::table.on(survey_versions::survey_id.eq(surveys::id)))
        .filter(surveys::slug.eq(slug))
        .filter(survey_versions::version.eq(version))
        .select(VERSION_ROW)
        .first(conn)
        .optional()
}

/// The current versions of every survey open for answers, by slug.
pub fn open(conn: &mut Conn) -> QueryResult<Vec<VersionRow>> {
    with_current_version!(inner)
        .filter(surveys::status.eq(SurveyStatus::Open.as_str()))
        .order(surveys::slug)
        .select(VERSION_ROW)
        .load(conn)
}

pub fn all(conn: &mut Conn) -> QueryResult<Vec<SurveyRow>> {
    with_current_version!(left).order(surveys::slug).select(survey_row!()).load(conn)
}

pub fn find(conn: &mut Conn, slug: &str) -> QueryResult<Option<SurveyRow>> {
    with_current_version!(left).filter(surveys::slug.eq(slug)).select(survey_row!()).first(conn).optional()
}

/// Every published version number, by survey id, oldest first.
pub fn versions(conn: &mut Conn) -> QueryResult<Vec<(i64, i32)>> {
    survey_versions::table
        .order((survey_versions::survey_id, survey_versions::version))
        .select((survey_versions::survey_id, survey_versions::version))
        .load(conn)
}

/// A definition as a draft: no version, and no invitation key (the server sets both
/// when it publishes).
fn as_draft(survey: &Survey) -> Survey {
    Survey { version: None, invite_key: None, ..survey.clone() }
}

/// Creates a survey whose only content is the draft `survey`.
pub fn create(conn: &mut Conn, survey: &Survey) -> Result<(), LifecycleError> {
    let draft = as_draft(survey);
    let inserted = crate::per_backend!(conn, |c| diesel::insert_into(surveys::table)
        .values((
            surveys::slug.eq(survey.slug.as_str()),
            surveys::status.eq(SurveyStatus::Draft.as_str()),
            surveys::draft.eq(serde_json::to_string(&draft)?),
            surveys::created_at.eq(now()),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    if inserted == 0 {
        return Err(LifecycleError::Exists(survey.slug.to_string()));
    }
    Ok(())
}

/// Replaces the draft of `slug` (starting one if the survey is published).
pub fn save_draft(conn: &mut Conn, slug: &str, survey: &Survey) -> Result<(), LifecycleError> {
    let draft = as_draft(survey);
    let updated = diesel::update(surveys::table.filter(surveys::slug.eq(slug)))
        .set(surveys::draft.eq(serde_json::to_string(&draft)?))
        .execute(conn)?;
    if updated == 0 {
        return Err(LifecycleError::NotFound(slug.to_owned()));
    }
    Ok(())
}

/// Publishes the draft of `slug` as its next version and opens the survey for answers.
/// Returns the definition as published (with its version).
pub fn publish(conn: &mut Conn, slug: &str) -> Result<Survey, LifecycleError> {
    crate::storage::write(conn, |conn| {
        let row = find(conn, slug)?.ok_or_else(|| LifecycleError::NotFound(slug.to_owned()))?;
        let draft = row.draft.ok_or(LifecycleError::Conflict(
            "there are no unpublished changes: edit the survey first, then publish",
        ))?;
        let mut survey: Survey = serde_json::from_str(&draft)?;
        survey.check().map_err(LifecycleError::Invalid)?;
        let number = row.current_version.unwrap_or(0) + 1;
        survey.version = u32::try_from(number).ok();
        // One key per survey, the same in every version, so that respondents and
        // observers can check that everyone is given the same one.
        survey.invite_key = match survey.settings.access {
            Access::Invite => Some(crate::surveys::invites::public_key(conn, row.id)?),
            Access::Open => None,
        };
        let version_id: i64 = diesel::insert_into(survey_versions::table)
            .values((
                survey_versions::survey_id.eq(row.id),
                survey_versions::version.eq(number),
                survey_versions::definition.eq(serde_json::to_string(&survey)?),
                survey_versions::published_at.eq(now()),
            ))
            .returning(survey_versions::id)
            .get_result(conn)?;
        crate::storage::counters::create(conn, version_id, &survey)?;
        diesel::update(surveys::table.find(row.id))
            .set((
                surveys::current_version_id.eq(version_id),
                surveys::draft.eq(None::<String>),
                surveys::status.eq(SurveyStatus::Open.as_str()),
            ))
            .execute(conn)?;
        Ok(survey)
    })
}

/// Stops answers to `slug`; its results stay. Its invitation data goes in the same
/// transaction: the codes, the record of which were used, and the signing key (no code
/// can be used nor token signed any more; reopening it would make a new key).
pub fn close(conn: &mut Conn, slug: &str) -> Result<(), LifecycleError> {
    crate::storage::write(conn, |conn| {
        let row = find(conn, slug)?.ok_or_else(|| LifecycleError::NotFound(slug.to_owned()))?;
        if row.current_version.is_none() {
            return Err(LifecycleError::Conflict("a survey that was never published cannot be closed"));
        }
        // First the survey's row: on PostgreSQL this waits for anyone making or using a
        // code of it (they hold a share lock on the row), and keeps new ones out.
        diesel::update(surveys::table.find(row.id))
            .set(surveys::status.eq(SurveyStatus::Closed.as_str()))
            .execute(conn)?;
        crate::surveys::invites::forget(conn, row.id)?;
        Ok(())
    })?;
    // The deleted rows' old page images must not wait in SQLite's write-ahead log.
    crate::storage::empty_wal(conn);
    Ok(())
}
