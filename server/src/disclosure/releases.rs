//! Releases: the only results anyone reads. Live counters would show one respondent's
//! answers as a +1 in every cell they touched to whoever polls them, and an attacker
//! can add answers of their own around a person's. So results are immutable snapshots,
//! made on the survey's release schedule (`settings.releases`) and when it closes, only once
//! enough new respondents have come since the previous one, each carrying fresh noise
//! within the survey's privacy budget (`disclosure::noise`), or, where an admin turned
//! noise off, exact counts under suppression (`disclosure::suppress`).
//!
//! A release is made in one write transaction that first locks the survey's row, then
//! checks again that it is due: several instances on one PostgreSQL may all try, and
//! exactly one makes it.

use diesel::prelude::*;
use nansen_shared::{
    NoiseInfo, ReleaseInfo, ReleaseStatus, ReleaseSummary, Survey, SurveyResults, SurveyStatus,
};

use crate::disclosure::{estimate, noise, publish, suppress};
use crate::storage::counters::{self, Counter, Layout};
use crate::storage::schema::{releases, survey_versions, surveys};
use crate::storage::{self, Conn};

/// A second's fraction of budget is lost to rounding in a sum of floats; this keeps
/// the last planned release possible.
const BUDGET_SLACK: f64 = 1e-9;

/// An hour, in seconds: release times are kept and shown to the hour.
const HOUR: i64 = 3600;

/// What asks for a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// The schedule: made only when the interval has passed since the last release.
    Schedule,
    /// An admin, now: the same minimum of new respondents, the same budget.
    Request,
    /// The survey has closed: its last release, with the share of the budget kept for it.
    Closing,
}

/// Why no release was made.
#[derive(Debug, Clone, PartialEq)]
pub enum NotMade {
    /// Not yet time on the schedule.
    NotDue,
    /// Fewer than `min_new` new respondents since the last release.
    TooFewNew { min_new: u32 },
    /// The privacy budget allows no more releases (the closing one excepted, for
    /// requests and the schedule).
    BudgetSpent,
    /// The survey was never published, is not open (for the schedule and requests),
    /// or already has its closing release.
    Unavailable,
}

impl NotMade {
    /// What an admin reads.
    pub fn describe(&self) -> String {
        match self {
            Self::NotDue => "The next scheduled release is not due yet.".to_owned(),
            Self::TooFewNew { min_new } => format!(
                "Fewer than {min_new} people have answered since the last release; a release needs at least that many, so that comparing two releases shows no one's answers."
            ),
            Self::BudgetSpent => "The survey's privacy budget is spent: no more releases can be made (but the one kept for when the survey closes).".to_owned(),
            Self::Unavailable => "This survey cannot be released now: it is not published and open, or its closing release was made.".to_owned(),
        }
    }
}

/// The survey's row, its current version and what the releases so far spent.
struct State {
    slug: String,
    status: SurveyStatus,
    /// Its closing time, if it has one and is still open.
    closes_at: Option<i64>,
    version_id: i64,
    survey: Survey,
    last: Option<Last>,
    rho_spent: f64,
    closed_already: bool,
}

/// The latest release.
struct Last {
    number: i32,
    version_id: i64,
    made_at: i64,
    respondents: i64,
}

/// Makes the next release of survey `survey_id` if `trigger` may make one now; returns
/// its number.
pub fn make(conn: &mut Conn, survey_id: i64, trigger: Trigger) -> anyhow::Result<Result<u32, NotMade>> {
    storage::write(conn, |conn| {
        lock(conn, survey_id)?;
        let Some(state) = state(conn, survey_id)? else { return Ok(Err(NotMade::Unavailable)) };
        let counts = counters::load(conn, state.version_id, &state.survey)?;
        if let Err(why) = may_make(&state, trigger, counts.get(Counter::Respondents), storage::now()) {
            return Ok(Err(why));
        }
        let number = state.last.as_ref().map_or(1, |l| l.number + 1);
        let made_at = storage::now() / HOUR * HOUR;
        let privacy = state.survey.settings.privacy;
        let (mut results, rho) = if privacy.noise {
            let noise = noise::calibrate(&state.survey, privacy.rho_per_release())?;
            let noisy = noise::add(&counts, &Layout::of(&state.survey), &noise)?;
            let mut results = publish::thresholded(&state.survey, &noisy);
            estimate::annotate(&mut results, &state.survey, &noisy, Some(&noise));
            results.release = Some(info(number, made_at, trigger, Some(noise_info(&noise, &state))));
            (results, noise.rho)
        } else {
            let mut results = suppress::disclose(&state.survey, &counts);
            estimate::annotate(&mut results, &state.survey, &counts, None);
            results.release = Some(info(number, made_at, trigger, None));
            (results, 0.0)
        };
        results.version = state.survey.version.unwrap_or(0);
        diesel::insert_into(releases::table)
            .values((
                releases::survey_id.eq(survey_id),
                releases::number.eq(number),
                releases::version_id.eq(state.version_id),
                releases::made_at.eq(made_at),
                releases::respondents.eq(i64::try_from(counts.get(Counter::Respondents)).unwrap_or(i64::MAX)),
                releases::rho.eq(rho),
                releases::closing.eq(trigger == Trigger::Closing),
                releases::results.eq(serde_json::to_string(&results)?),
            ))
            .execute(conn)?;
        tracing::info!(survey = state.slug, release = number, "made a release");
        Ok(Ok(u32::try_from(number).unwrap_or(0)))
    })
}

fn info(number: i32, made_at: i64, trigger: Trigger, noise: Option<NoiseInfo>) -> ReleaseInfo {
    ReleaseInfo {
        number: u32::try_from(number).unwrap_or(0),
        made_at,
        closing: trigger == Trigger::Closing,
        noise,
    }
}

fn noise_info(noise: &noise::Noise, state: &State) -> NoiseInfo {
    NoiseInfo {
        mechanism: "discrete_gaussian".to_owned(),
        sd: noise.sd,
        error95: noise.error95,
        rho: noise.rho,
        rho_spent: state.rho_spent + noise.rho,
        rho_budget: state.survey.settings.privacy.rho,
    }
}

/// Whether `trigger` may make a release of `state` now, with `respondents` counted so
/// far in its current version.
fn may_make(state: &State, trigger: Trigger, respondents: u64, now: i64) -> Result<(), NotMade> {
    let settings = &state.survey.settings;
    // From its closing time a survey takes no answers, even before the clock closes it.
    let open = state.status == SurveyStatus::Open && state.closes_at.is_none_or(|at| now < at);
    match trigger {
        Trigger::Closing if state.closed_already || open => return Err(NotMade::Unavailable),
        Trigger::Schedule | Trigger::Request if !open => return Err(NotMade::Unavailable),
        _ => {}
    }
    if trigger == Trigger::Schedule
        && let Some(last) = &state.last
        && now < last.made_at + i64::from(settings.releases.every_hours) * HOUR
    {
        return Err(NotMade::NotDue);
    }
    let min_new = settings.min_new_respondents();
    if new_respondents(state, respondents) < u64::from(min_new) {
        return Err(NotMade::TooFewNew { min_new });
    }
    if settings.privacy.noise {
        let share = settings.privacy.rho_per_release();
        // Scheduled and requested releases leave one share for the closing release.
        let kept = if trigger == Trigger::Closing { 0.0 } else { share };
        if state.rho_spent + share + kept > settings.privacy.rho + BUDGET_SLACK {
            return Err(NotMade::BudgetSpent);
        }
    }
    Ok(())
}

/// Respondents counted since the last release of the current version (all of them if
/// there was none): a release of another version says nothing about this one's counts.
fn new_respondents(state: &State, respondents: u64) -> u64 {
    let before =
        state.last.as_ref().filter(|l| l.version_id == state.version_id).map_or(0, |l| l.respondents);
    respondents.saturating_sub(u64::try_from(before).unwrap_or(0))
}

/// Holds the survey's row for this transaction (PostgreSQL; SQLite's write lock is the
/// whole database already), so that instances making the same release take turns.
fn lock(conn: &mut Conn, survey_id: i64) -> QueryResult<()> {
    if let Conn::Pg(pg) = conn {
        surveys::table.find(survey_id).select(surveys::id).for_update().first::<i64>(pg).optional()?;
    }
    Ok(())
}

fn state(conn: &mut Conn, survey_id: i64) -> anyhow::Result<Option<State>> {
    let row: Option<(String, String, Option<i64>, i64, i32, String)> = surveys::table
        .inner_join(survey_versions::table.on(surveys::current_version_id.eq(survey_versions::id.nullable())))
        .filter(surveys::id.eq(survey_id))
        .select((
            surveys::slug,
            surveys::status,
            surveys::closes_at,
            survey_versions::id,
            survey_versions::version,
            survey_versions::definition,
        ))
        .first(conn)
        .optional()?;
    let Some((slug, status, closes_at, version_id, version, definition)) = row else { return Ok(None) };
    let mut survey: Survey = serde_json::from_str(&definition)?;
    survey.version = u32::try_from(version).ok();
    let made: Vec<(i32, i64, i64, i64, f64, bool)> = releases::table
        .filter(releases::survey_id.eq(survey_id))
        .order(releases::number.desc())
        .select((
            releases::number,
            releases::version_id,
            releases::made_at,
            releases::respondents,
            releases::rho,
            releases::closing,
        ))
        .load(conn)?;
    let last = made.first().map(|&(number, version_id, made_at, respondents, _, _)| Last {
        number,
        version_id,
        made_at,
        respondents,
    });
    Ok(Some(State {
        slug,
        status: crate::surveys::lifecycle::status_of(&status)?,
        closes_at,
        version_id,
        survey,
        last,
        rho_spent: made.iter().map(|r| r.4).sum(),
        closed_already: made.iter().any(|r| r.5),
    }))
}

/// Where the releases of survey `survey_id` stand, for its admins. Reads the live
/// respondent count, and says only whether it is enough for another release.
pub fn status(conn: &mut Conn, survey_id: i64) -> anyhow::Result<Option<ReleaseStatus>> {
    let Some(state) = state(conn, survey_id)? else { return Ok(None) };
    let respondents = counters::load(conn, state.version_id, &state.survey)?.get(Counter::Respondents);
    let settings = &state.survey.settings;
    let enough_new = new_respondents(&state, respondents) >= u64::from(settings.min_new_respondents());
    let share = settings.privacy.rho_per_release();
    let left = ((settings.privacy.rho - state.rho_spent + BUDGET_SLACK) / share).floor().max(0.0);
    Ok(Some(ReleaseStatus {
        made: state.last.as_ref().map_or(0, |l| u32::try_from(l.number).unwrap_or(0)),
        last_made_at: state.last.as_ref().map(|l| l.made_at),
        min_new: settings.min_new_respondents(),
        enough_new,
        next_scheduled_at: (state.status == SurveyStatus::Open).then(|| {
            state.last.as_ref().map_or(0, |l| l.made_at + i64::from(settings.releases.every_hours) * HOUR)
        }),
        rho_spent: state.rho_spent,
        rho_budget: settings.privacy.rho,
        releases_left: settings.privacy.noise.then_some(left as u32),
        noise: settings.privacy.noise,
    }))
}

/// A release of survey `survey_id`: number `number`, or the latest of version
/// `version`, or the latest of all.
pub fn read(
    conn: &mut Conn,
    survey_id: i64,
    number: Option<u32>,
    version: Option<u32>,
) -> anyhow::Result<Option<SurveyResults>> {
    let mut query = releases::table
        .inner_join(survey_versions::table)
        .filter(releases::survey_id.eq(survey_id))
        .order(releases::number.desc())
        .select(releases::results)
        .into_boxed();
    if let Some(number) = number {
        query = query.filter(releases::number.eq(i32::try_from(number).unwrap_or(i32::MAX)));
    }
    if let Some(version) = version {
        query = query.filter(survey_versions::version.eq(i32::try_from(version).unwrap_or(i32::MAX)));
    }
    let Some(json) = query.first::<String>(conn).optional()? else { return Ok(None) };
    Ok(Some(serde_json::from_str(&json)?))
}

/// Every release of survey `survey_id`, oldest first.
pub fn list(conn: &mut Conn, survey_id: i64) -> anyhow::Result<Vec<ReleaseSummary>> {
    let rows: Vec<(i32, i32, i64, bool, f64, String)> = releases::table
        .inner_join(survey_versions::table)
        .filter(releases::survey_id.eq(survey_id))
        .order(releases::number.asc())
        .select((
            releases::number,
            survey_versions::version,
            releases::made_at,
            releases::closing,
            releases::rho,
            releases::results,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(number, version, made_at, closing, rho, results)| {
            let results: SurveyResults = serde_json::from_str(&results)?;
            Ok(ReleaseSummary {
                number: u32::try_from(number).unwrap_or(0),
                version: u32::try_from(version).unwrap_or(0),
                made_at,
                respondents: results.respondents,
                closing,
                noise: rho > 0.0,
            })
        })
        .collect()
}

/// The surveys the schedule looks at: every open one.
pub fn open_surveys(conn: &mut Conn) -> QueryResult<Vec<i64>> {
    surveys::table.filter(surveys::status.eq(SurveyStatus::Open.as_str())).select(surveys::id).load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(last: Option<(i64, i64)>, rho_spent: f64) -> State {
        let mut survey = crate::surveys::seed::default_survey().unwrap();
        survey.version = Some(1);
        State {
            slug: "diaspora".into(),
            status: SurveyStatus::Open,
            closes_at: None,
            version_id: 10,
            survey,
            last: last.map(|(made_at, respondents)| Last { number: 1, version_id: 10, made_at, respondents }),
            rho_spent,
            closed_already: false,
        }
    }

    const DAY: i64 = 24 * HOUR;

    #[test]
    fn the_schedule_waits_for_its_interval_and_for_enough_new_respondents() {
        let first = state(None, 0.0);
        assert_eq!(may_make(&first, Trigger::Schedule, 49, 0), Err(NotMade::TooFewNew { min_new: 50 }));
        assert_eq!(may_make(&first, Trigger::Schedule, 50, 0), Ok(()));
        let later = state(Some((DAY, 50)), 0.1);
        assert_eq!(may_make(&later, Trigger::Schedule, 500, 2 * DAY - 1), Err(NotMade::NotDue));
        assert_eq!(may_make(&later, Trigger::Schedule, 99, 2 * DAY), Err(NotMade::TooFewNew { min_new: 50 }));
        assert_eq!(may_make(&later, Trigger::Schedule, 100, 2 * DAY), Ok(()));
        // A request need not wait for the schedule, only for respondents.
        assert_eq!(may_make(&later, Trigger::Request, 100, DAY + 1), Ok(()));
    }

    #[test]
    fn the_budget_keeps_one_share_for_the_closing_release_and_never_overspends() {
        // Ten planned releases of ρ = 0.1 each: nine before closing, the tenth at it.
        let nine = state(Some((0, 0)), 0.9);
        assert_eq!(may_make(&nine, Trigger::Request, 1_000, DAY), Err(NotMade::BudgetSpent));
        let mut closed = state(Some((0, 0)), 0.9);
        closed.status = SurveyStatus::Closed;
        assert_eq!(may_make(&closed, Trigger::Closing, 1_000, DAY), Ok(()));
        let mut all = state(Some((0, 0)), 1.0);
        all.status = SurveyStatus::Closed;
        assert_eq!(may_make(&all, Trigger::Closing, 1_000, DAY), Err(NotMade::BudgetSpent));
        // Rounding in a sum of ten tenths does not cost the last one.
        let eight: f64 = (0..8).map(|_| 0.1).sum();
        assert_eq!(may_make(&state(Some((0, 0)), eight), Trigger::Request, 1_000, DAY), Ok(()));
    }

    #[test]
    fn a_closed_survey_is_released_once_more_and_only_once() {
        let mut closed = state(Some((0, 0)), 0.2);
        closed.status = SurveyStatus::Closed;
        assert_eq!(may_make(&closed, Trigger::Schedule, 1_000, DAY), Err(NotMade::Unavailable));
        assert_eq!(may_make(&closed, Trigger::Request, 1_000, DAY), Err(NotMade::Unavailable));
        closed.closed_already = true;
        assert_eq!(may_make(&closed, Trigger::Closing, 1_000, DAY), Err(NotMade::Unavailable));
        assert_eq!(may_make(&state(None, 0.0), Trigger::Closing, 1_000, DAY), Err(NotMade::Unavailable));
    }

    #[test]
    fn from_its_closing_time_a_survey_waits_for_its_closing_release() {
        let mut ending = state(Some((0, 0)), 0.2);
        ending.closes_at = Some(DAY);
        assert_eq!(may_make(&ending, Trigger::Request, 1_000, DAY - 1), Ok(()));
        // The clock has not closed it yet: no scheduled or requested release takes the
        // new answers the closing release is for.
        assert_eq!(may_make(&ending, Trigger::Schedule, 1_000, 2 * DAY), Err(NotMade::Unavailable));
        assert_eq!(may_make(&ending, Trigger::Request, 1_000, DAY), Err(NotMade::Unavailable));
    }
}
