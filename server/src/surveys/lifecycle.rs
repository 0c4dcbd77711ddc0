//! Surveys in the database, through their lifecycle: a draft is edited, publishing makes
//! it the next immutable version, closing stops answers. Answers are always counted
//! against the exact version the respondent saw, and versions are never mixed.
//!
//! A published survey may have a schedule: before its opening time it is stored as open
//! but refuses answers (`Schedule::status_at` calls it scheduled; opening needs nobody
//! to act), and at its closing time it is closed by `disclosure::closing`. Closing, by
//! hand or on time, clears the schedule.

use diesel::prelude::*;
use nansen_shared::{Access, FieldError, Schedule, Survey, SurveyStatus, Timestamp};

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
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
}

/// A survey as admins manage it.
#[derive(Debug, Clone, Queryable)]
pub struct SurveyRow {
    pub id: i64,
    pub status: String,
    pub draft: Option<String>,
    pub current_version: Option<i32>,
    pub current_definition: Option<String>,
    pub opens_at: Option<i64>,
    pub closes_at: Option<i64>,
}

impl VersionRow {
    pub fn schedule(&self) -> Schedule {
        schedule_of(self.opens_at, self.closes_at)
    }
}

impl SurveyRow {
    pub fn schedule(&self) -> Schedule {
        schedule_of(self.opens_at, self.closes_at)
    }

    /// Where the survey stands at `now`: see [`Schedule::status_at`].
    pub fn status_at(&self, now: i64) -> anyhow::Result<SurveyStatus> {
        Ok(self.schedule().status_at(status_of(&self.status)?, now))
    }
}

/// The schedule as stored: seconds since the epoch.
fn schedule_of(opens_at: Option<i64>, closes_at: Option<i64>) -> Schedule {
    Schedule {
        opens_at: opens_at.and_then(Timestamp::from_unix),
        closes_at: closes_at.and_then(Timestamp::from_unix),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("there is no survey called {0:?}")]
    NotFound(String),
    #[error("a survey called {0:?} already exists")]
    Exists(String),
    #[error("the definition cannot be published yet")]
    Invalid(Vec<FieldError>),
    #[error("the schedule cannot be given")]
    Schedule(Vec<FieldError>),
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
    surveys::opens_at,
    surveys::closes_at,
) = (
    surveys::id,
    surveys::status,
    survey_versions::id,
    survey_versions::version,
    survey_versions::definition,
    surveys::opens_at,
    surveys::closes_at,
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
            surveys::opens_at,
            surveys::closes_at,
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

/// The current versions of every survey open for answers or scheduled to open at
/// `now`, by slug.
pub fn open(conn: &mut Conn, now: i64) -> QueryResult<Vec<VersionRow>> {
    with_current_version!(inner)
        .filter(surveys::status.eq(SurveyStatus::Open.as_str()))
        .filter(surveys::closes_at.is_null().or(surveys::closes_at.gt(now)))
        .order(surveys::slug)
        .select(VERSION_ROW)
        .load(conn)
}

/// The surveys still open whose closing time has come by `now`: `(id, slug)`.
pub fn due_to_close(conn: &mut Conn, now: i64) -> QueryResult<Vec<(i64, String)>> {
    surveys::table
        .filter(surveys::status.eq(SurveyStatus::Open.as_str()))
        .filter(surveys::closes_at.le(now))
        .order(surveys::closes_at)
        .select((surveys::id, surveys::slug))
        .load(conn)
}

/// The next closing time of an open survey, if any has one.
pub fn next_closing(conn: &mut Conn) -> QueryResult<Option<i64>> {
    surveys::table
        .filter(surveys::status.eq(SurveyStatus::Open.as_str()))
        .select(diesel::dsl::min(surveys::closes_at))
        .first(conn)
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

/// Publishes the draft of `slug` as its next version and opens the survey for answers,
/// at once or at the times `schedule` gives (`None`: the survey keeps the schedule it
/// has, if any). Returns the definition as published (with its version) and the
/// schedule it has now.
pub fn publish(
    conn: &mut Conn,
    slug: &str,
    schedule: Option<Schedule>,
    now: i64,
) -> Result<(Survey, Schedule), LifecycleError> {
    crate::storage::write(conn, |conn| {
        let row = find(conn, slug)?.ok_or_else(|| LifecycleError::NotFound(slug.to_owned()))?;
        let schedule = match schedule {
            Some(schedule) => {
                schedule
                    .check(now, row.status_at(now)? == SurveyStatus::Open)
                    .map_err(LifecycleError::Schedule)?;
                schedule
            }
            None => row.schedule(),
        };
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
                survey_versions::published_at.eq(now),
            ))
            .returning(survey_versions::id)
            .get_result(conn)?;
        crate::storage::counters::create(conn, version_id, &survey)?;
        diesel::update(surveys::table.find(row.id))
            .set((
                surveys::current_version_id.eq(version_id),
                surveys::draft.eq(None::<String>),
                surveys::status.eq(SurveyStatus::Open.as_str()),
                surveys::opens_at.eq(schedule.opens_at.map(Timestamp::unix)),
                surveys::closes_at.eq(schedule.closes_at.map(Timestamp::unix)),
            ))
            .execute(conn)?;
        Ok((survey, schedule))
    })
}

/// Gives the published, not closed, survey `slug` the times `schedule` says, in place
/// of those it had (an empty schedule: open now, until closed by hand).
pub fn reschedule(conn: &mut Conn, slug: &str, schedule: Schedule, now: i64) -> Result<(), LifecycleError> {
    crate::storage::write(conn, |conn| {
        let row = find(conn, slug)?.ok_or_else(|| LifecycleError::NotFound(slug.to_owned()))?;
        let status = row.status_at(now)?;
        match status {
            SurveyStatus::Draft => {
                return Err(LifecycleError::Conflict(
                    "this survey was never published: give its opening and closing times when you publish it",
                ));
            }
            SurveyStatus::Closed => {
                return Err(LifecycleError::Conflict(
                    "this survey is closed: publish it again, with a schedule if you like, to reopen it",
                ));
            }
            SurveyStatus::Scheduled | SurveyStatus::Open => {}
        }
        schedule.check(now, status == SurveyStatus::Open).map_err(LifecycleError::Schedule)?;
        diesel::update(surveys::table.find(row.id))
            .set((
                surveys::opens_at.eq(schedule.opens_at.map(Timestamp::unix)),
                surveys::closes_at.eq(schedule.closes_at.map(Timestamp::unix)),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// Stops answers to `slug` now; its results stay, its schedule goes. Returns its id.
/// Its invitation data goes in the same transaction: the codes, the record of which
/// were used, and the signing key (no code can be used nor token signed any more;
/// reopening it would make a new key). The caller empties SQLite's write-ahead log
/// once its transaction commits (`storage::empty_wal`).
pub fn close(conn: &mut Conn, slug: &str) -> Result<i64, LifecycleError> {
    crate::storage::write(conn, |conn| {
        let row = find(conn, slug)?.ok_or_else(|| LifecycleError::NotFound(slug.to_owned()))?;
        if row.current_version.is_none() {
            return Err(LifecycleError::Conflict("a survey that was never published cannot be closed"));
        }
        mark_closed(conn, row.id, None)?;
        crate::surveys::invites::forget(conn, row.id)?;
        Ok(row.id)
    })
}

/// Closes survey `id` if it is open and its closing time has come by `now`; whether it
/// did. Instances racing to close the same survey all run this update: the row lock
/// makes them take turns, and only the first finds the survey still open.
pub fn close_on_time(conn: &mut Conn, id: i64, now: i64) -> Result<bool, LifecycleError> {
    crate::storage::write(conn, |conn| {
        if mark_closed(conn, id, Some(now))? == 0 {
            return Ok(false);
        }
        crate::surveys::invites::forget(conn, id)?;
        Ok(true)
    })
}

/// Sets survey `id` closed, without a schedule (only if it is open and due to close by
/// `due_by`, when given); whether it was. First the survey's row: on PostgreSQL this
/// waits for anyone making or using a code of it (they hold a share lock on the row),
/// and keeps new ones out.
fn mark_closed(conn: &mut Conn, id: i64, due_by: Option<i64>) -> QueryResult<usize> {
    let closed = (
        surveys::status.eq(SurveyStatus::Closed.as_str()),
        surveys::opens_at.eq(None::<i64>),
        surveys::closes_at.eq(None::<i64>),
    );
    match due_by {
        None => diesel::update(surveys::table.find(id)).set(closed).execute(conn),
        Some(now) => diesel::update(
            surveys::table
                .find(id)
                .filter(surveys::status.eq(SurveyStatus::Open.as_str()))
                .filter(surveys::closes_at.le(now)),
        )
        .set(closed)
        .execute(conn),
    }
}
