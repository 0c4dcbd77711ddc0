//! The release schedule: a thread in every instance looks at the open surveys every
//! so often (`NANSEN_RELEASE_CHECK_SECONDS`) and makes each release that is due.
//! Instances sharing a database may look at the same moment: `releases::make` lets
//! exactly one of them make it.

use std::thread;
use std::time::Duration;

use crate::disclosure::releases::{self, NotMade, Trigger};
use crate::staff::audit;
use crate::storage::Pool;

/// Who the audit log names for releases the schedule makes.
pub const ACTOR: &str = "(schedule)";

/// Starts the thread; it runs as long as the server.
pub fn start(pool: Pool, every: Duration) -> anyhow::Result<()> {
    thread::Builder::new().name("nansen-releases".into()).spawn(move || {
        loop {
            thread::sleep(every);
            if let Err(error) = look(&pool) {
                tracing::warn!("the release schedule could not look at the surveys: {error:#}");
            }
        }
    })?;
    Ok(())
}

/// Makes every release that is due now.
fn look(pool: &Pool) -> anyhow::Result<()> {
    let mut conn = pool.get()?;
    for survey_id in releases::open_surveys(&mut conn)? {
        match releases::make(&mut conn, survey_id, Trigger::Schedule)? {
            Ok(number) => {
                audit::record(&mut conn, ACTOR, "release", &format!("survey #{survey_id}: release {number}"))?
            }
            Err(NotMade::NotDue | NotMade::TooFewNew { .. } | NotMade::Unavailable) => {}
            Err(why @ NotMade::BudgetSpent) => {
                tracing::debug!(survey_id, "no scheduled release: {}", why.describe())
            }
        }
    }
    Ok(())
}
