//! The clock: a thread in every instance that acts when something is due. It closes each
//! survey at its closing time, with its final release (`disclosure::closing`), and every
//! so often (`NANSEN_RELEASE_CHECK_SECONDS`) makes the scheduled releases that are due.
//!
//! It sleeps until the next closing time or the next look at the releases, whichever
//! comes first, and reads the closing times again each time it wakes: a change made on
//! this instance wakes it at once ([`Clock::rearm`]), one made on another instance is
//! seen at its next look. Closing times that passed while the server was down are acted
//! on as it starts. Instances sharing a database may act at the same moment: closing and
//! releases are each made by exactly one of them.

use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::disclosure::closing::{self, ACTOR};
use crate::disclosure::releases::{self, NotMade, Trigger};
use crate::staff::audit;
use crate::storage::{self, Pool};
use crate::surveys::lifecycle;

/// The shortest sleep: after a failure to read the database, the clock does not spin.
const AT_LEAST: Duration = Duration::from_secs(1);

/// A handle on the clock thread, to wake it when a closing time changed.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// How many changes were announced, and the condition the thread sleeps on.
    changes: Arc<(Mutex<u64>, Condvar)>,
}

impl Clock {
    /// Starts the thread; it runs as long as the server.
    pub fn start(pool: Pool, every: Duration) -> anyhow::Result<Self> {
        let clock = Self::default();
        let handle = clock.clone();
        thread::Builder::new().name("nansen-clock".into()).spawn(move || handle.run(&pool, every))?;
        Ok(clock)
    }

    /// Wakes the thread to read the closing times again: one changed on this instance.
    pub fn rearm(&self) {
        let (changes, woken) = &*self.changes;
        if let Ok(mut changes) = changes.lock() {
            *changes += 1;
        }
        woken.notify_all();
    }

    fn run(&self, pool: &Pool, every: Duration) {
        let mut next_releases = Instant::now() + every;
        loop {
            let seen = self.changes();
            let next_closing = close_due(pool);
            if Instant::now() >= next_releases {
                if let Err(error) = make_releases(pool) {
                    tracing::warn!("the release schedule could not look at the surveys: {error:#}");
                }
                next_releases = Instant::now() + every;
            }
            let mut sleep = next_releases.saturating_duration_since(Instant::now());
            if let Some(at) = next_closing {
                // Whole seconds from a whole-second now: it wakes at or after `at`.
                let until = u64::try_from(at - storage::now()).unwrap_or(0);
                sleep = sleep.min(Duration::from_secs(until));
            }
            self.sleep(seen, sleep.max(AT_LEAST));
        }
    }

    fn changes(&self) -> u64 {
        self.changes.0.lock().map_or(0, |changes| *changes)
    }

    /// Sleeps for `duration`, or until a change after the `seen`th is announced.
    fn sleep(&self, seen: u64, duration: Duration) {
        let (changes, woken) = &*self.changes;
        if let Ok(changes) = changes.lock() {
            let _ = woken.wait_timeout_while(changes, duration, |changes| *changes == seen);
        }
    }
}

/// Closes the surveys whose closing time has come; the next closing time, if any.
fn close_due(pool: &Pool) -> Option<i64> {
    let looked = pool.get().map_err(anyhow::Error::from).and_then(|mut conn| {
        closing::due(&mut conn, storage::now())?;
        Ok(lifecycle::next_closing(&mut conn)?)
    });
    looked.unwrap_or_else(|error| {
        tracing::warn!("the clock could not close the surveys due to close: {error:#}");
        None
    })
}

/// Makes every scheduled release that is due now.
fn make_releases(pool: &Pool) -> anyhow::Result<()> {
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
