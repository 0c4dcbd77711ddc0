//! Surveys in the database: publishing versions and reading the current one.
//! Published versions are immutable; answers are always counted against the exact
//! definition the respondent saw.

use diesel::prelude::*;
use nansen_shared::Survey;

use crate::db::{Conn, now};
use crate::schema::{survey_versions, surveys};

/// Where a survey stands. Only `Open` surveys accept answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Open,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// The current published version of a survey, as stored.
#[derive(Debug, Clone, Queryable)]
pub struct VersionRow {
    pub survey_id: i64,
    pub status: String,
    pub version_id: i64,
    pub version: i32,
    pub definition: String,
}

pub fn count(conn: &mut Conn) -> QueryResult<i64> {
    surveys::table.count().get_result(conn)
}

/// Creates a survey and publishes `survey` as its version 1, open for answers.
/// The definition must already have passed [`Survey::check`].
pub fn create_published(conn: &mut Conn, survey: &Survey) -> anyhow::Result<()> {
    conn.transaction(|conn| {
        let survey_id: i64 = diesel::insert_into(surveys::table)
            .values((
                surveys::slug.eq(survey.slug.as_str()),
                surveys::status.eq(Status::Open.as_str()),
                surveys::created_at.eq(now()),
            ))
            .returning(surveys::id)
            .get_result(conn)?;
        let mut published = survey.clone();
        published.version = Some(1);
        let version_id: i64 = diesel::insert_into(survey_versions::table)
            .values((
                survey_versions::survey_id.eq(survey_id),
                survey_versions::version.eq(1),
                survey_versions::definition.eq(serde_json::to_string(&published)?),
                survey_versions::published_at.eq(now()),
            ))
            .returning(survey_versions::id)
            .get_result(conn)?;
        diesel::update(surveys::table.find(survey_id))
            .set(surveys::current_version_id.eq(version_id))
            .execute(conn)?;
        Ok(())
    })
}

/// Surveys joined to their current version: only published ones appear.
macro_rules! with_current_version {
    () => {
        surveys::table.inner_join(
            survey_versions::table.on(surveys::current_version_id.eq(survey_versions::id.nullable())),
        )
    };
}

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

/// The current version of `slug`, if it was ever published.
pub fn current(conn: &mut Conn, slug: &str) -> QueryResult<Option<VersionRow>> {
    with_current_version!().filter(surveys::slug.eq(slug)).select(VERSION_ROW).first(conn).optional()
}

/// The current versions of every survey open for answers, by slug.
pub fn open(conn: &mut Conn) -> QueryResult<Vec<VersionRow>> {
    with_current_version!()
        .filter(surveys::status.eq(Status::Open.as_str()))
        .order(surveys::slug)
        .select(VERSION_ROW)
        .load(conn)
}
