//! Closing a survey: answers stop, its invitation data goes, and its final release is
//! made, in one transaction — when an admin closes it, and when its closing time comes
//! (the clock, `disclosure::clock`). Every instance's clock looks; the conditional update
//! of `lifecycle::close_on_time` lets only one of them close the survey, and only that
//! one makes the final release (which `releases::make` would refuse a second time
//! anyway).

use crate::disclosure::releases::{self, Trigger};
use crate::staff::audit;
use crate::storage::{self, Conn};
use crate::surveys::lifecycle::{self, LifecycleError};

/// Who the audit log names for what the clock does.
pub const ACTOR: &str = "(schedule)";

/// Closes `slug` now, as `admin` asked.
pub fn by_hand(conn: &mut Conn, slug: &str, admin: &str) -> Result<(), LifecycleError> {
    storage::write(conn, |conn| {
        let survey_id = lifecycle::close(conn, slug)?;
        audit::record(conn, admin, "survey_close", slug)?;
        final_release(conn, survey_id, slug, admin)
    })?;
    // The deleted invitation rows' old page images must not wait in SQLite's log.
    storage::empty_wal(conn);
    Ok(())
}

/// Closes every survey whose closing time has come by `now` (seconds since the epoch),
/// each with its final release; returns the slugs this instance closed.
pub fn due(conn: &mut Conn, now: i64) -> Result<Vec<String>, LifecycleError> {
    let mut closed = Vec::new();
    for (survey_id, slug) in lifecycle::due_to_close(conn, now)? {
        let won = storage::write(conn, |conn| {
            if !lifecycle::close_on_time(conn, survey_id, now)? {
                return Ok::<_, LifecycleError>(false); // another instance was first
            }
            audit::record(conn, ACTOR, "survey_close", &format!("{slug}: its closing time came"))?;
            final_release(conn, survey_id, &slug, ACTOR)?;
            Ok(true)
        })?;
        if won {
            tracing::info!(survey = slug, "closed at its closing time");
            closed.push(slug);
        }
    }
    if !closed.is_empty() {
        storage::empty_wal(conn);
    }
    Ok(closed)
}

/// The last release, if enough new answers came since the one before.
fn final_release(conn: &mut Conn, survey_id: i64, slug: &str, actor: &str) -> Result<(), LifecycleError> {
    if let Ok(number) = releases::make(conn, survey_id, Trigger::Closing)? {
        audit::record(conn, actor, "release", &format!("{slug}: closing release {number}"))?;
    }
    Ok(())
}
