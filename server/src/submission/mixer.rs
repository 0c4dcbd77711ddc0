//! The mixer: the write path's single door. Admitted submissions wait in memory until
//! the next instant of a fixed clock grid (every `window`, counted from the Unix
//! epoch); then everything waiting is shuffled and folded, in transactions of at most
//! `max`, and only then does each submitter get an answer. An acknowledged submission
//! is durable, an unacknowledged one was never counted, and a copy of the database
//! shows batch sums, not single answers — as far as traffic fills the batches (see
//! docs/THREAT_MODEL.md). Commits happen only on the grid, so the database files'
//! modification times say no more than the grid does.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread;
use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use tokio::sync::oneshot;

use crate::http::problem::ApiError;
use crate::storage::Conn;
use crate::submission::fold::{Admitted, Outcome, fold};
use crate::submission::ledger::Ledger;

/// How many submissions may wait by default; beyond this the server asks clients to
/// retry (`NANSEN_MIXER_QUEUE`).
pub const QUEUE: usize = 16 * 1024;

/// How submissions are batched: `NANSEN_BATCH_MAX` and `NANSEN_BATCH_WINDOW_MS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batching {
    /// The most submissions in one transaction.
    pub max: usize,
    /// The clock grid: batches are committed at multiples of it (zero: at once).
    pub window: Duration,
}

impl Default for Batching {
    /// 200 ms is unnoticeable on the networks respondents use (a slow 3G round trip is
    /// 2 s) and gathers every submission of a busy moment; 1024 keeps a transaction
    /// short enough that a burst does not stall the ones behind it.
    fn default() -> Self {
        Self { max: 1024, window: Duration::from_millis(200) }
    }
}

struct Job {
    admitted: Admitted,
    reply: oneshot::Sender<Result<Outcome, ()>>,
    /// Its place in the queue, given up when the job is answered (or dropped).
    place: Place,
}

/// One of the mixer's places for waiting submissions, taken by [`Place::take`].
struct Place(Arc<AtomicUsize>);

impl Place {
    /// A place, if fewer than `bound` are taken.
    fn take(taken: &Arc<AtomicUsize>, bound: usize) -> Option<Self> {
        taken.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < bound).then_some(n + 1)).ok()?;
        Some(Self(Arc::clone(taken)))
    }
}

impl Drop for Place {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[derive(Debug, Clone)]
pub struct Mixer {
    queue: SyncSender<Job>,
    /// Submissions waiting, counted until answered (also those whose sender left).
    waiting: Arc<AtomicUsize>,
    bound: usize,
    /// Seconds a refused submitter is asked to wait: about a batch.
    retry_after: u64,
}

impl Mixer {
    /// Starts the mixing thread, which owns `conn` for as long as the server runs.
    #[cfg(test)]
    pub fn start(conn: Conn, batching: Batching) -> anyhow::Result<Self> {
        Self::start_bounded(conn, batching, QUEUE)
    }

    /// Starts the mixer with room for `bound` waiting submissions.
    pub fn start_bounded(mut conn: Conn, batching: Batching, bound: usize) -> anyhow::Result<Self> {
        let ledger =
            Ledger::load(&mut conn).map_err(|e| anyhow::anyhow!("could not read the nullifiers: {e}"))?;
        let (queue, jobs) = mpsc::sync_channel(bound);
        thread::Builder::new()
            .name("nansen-mixer".into())
            .spawn(move || run(conn, ledger, &jobs, batching))?;
        let retry_after = batching.window.as_secs().saturating_add(1);
        Ok(Self { queue, waiting: Arc::new(AtomicUsize::new(0)), bound, retry_after })
    }

    /// Queues `admitted` and waits until its batch is committed (or failed). When
    /// `bound` submissions are waiting already, refuses at once (503, `Retry-After`)
    /// rather than hold more in memory.
    pub async fn submit(&self, admitted: Admitted) -> Result<Outcome, ApiError> {
        let (reply, outcome) = oneshot::channel();
        let full = || {
            ApiError::unavailable(anyhow::anyhow!("the submission queue is full"))
                .retry_after(self.retry_after)
        };
        let place = Place::take(&self.waiting, self.bound).ok_or_else(full)?;
        self.queue.try_send(Job { admitted, reply, place }).map_err(|e| match e {
            TrySendError::Full(_) => full(),
            TrySendError::Disconnected(_) => ApiError::unavailable(anyhow::anyhow!("the mixer has stopped")),
        })?;
        match outcome.await {
            Ok(Ok(outcome)) => Ok(outcome),
            Ok(Err(())) => Err(ApiError::internal(anyhow::anyhow!("the batch could not be committed"))),
            Err(_) => Err(ApiError::unavailable(anyhow::anyhow!("the mixer stopped before answering"))),
        }
    }
}

fn run(mut conn: Conn, mut ledger: Ledger, jobs: &Receiver<Job>, batching: Batching) {
    let mut rng = rand::rng();
    while let Some(mut waiting) = gather(jobs, batching.window, now) {
        // Arrival order is the one thing that could tie a row to a moment; it is gone
        // before anything is written.
        waiting.shuffle(&mut rng);
        while !waiting.is_empty() {
            let rest = waiting.split_off(waiting.len().min(batching.max));
            commit(&mut conn, &mut ledger, waiting);
            waiting = rest;
        }
    }
}

/// Folds one batch in one transaction and answers each of its submitters.
fn commit(conn: &mut Conn, ledger: &mut Ledger, batch: Vec<Job>) {
    let (admitted, replies): (Vec<Admitted>, Vec<_>) =
        batch.into_iter().map(|j| (j.admitted, (j.reply, j.place))).unzip();
    let start = Instant::now();
    match fold(conn, ledger, &admitted) {
        Ok(outcomes) => {
            // Before anyone is told: once counted, a batch is no longer a difference
            // between two page versions in the log (see `empty_wal`).
            crate::storage::empty_wal(conn);
            let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
            tracing::debug!(batch = admitted.len(), micros, "folded a batch");
            for ((reply, _place), outcome) in replies.into_iter().zip(outcomes) {
                // The submitter may have gone away; its answer is counted regardless.
                let _ = reply.send(Ok(outcome));
            }
        }
        Err(error) => {
            tracing::error!(
                batch = admitted.len(),
                "could not commit a batch, nothing in it was counted: {error}"
            );
            for (reply, _place) in replies {
                let _ = reply.send(Err(()));
            }
        }
    }
}

/// How often a gathering batch looks for newcomers. Waiting in `recv` instead would
/// have every submission wake this thread (a futex call and a context switch each,
/// about 8 % of the server's time under load); this costs a batch at most a tick more.
const TICK: Duration = Duration::from_millis(2);

/// The time since the Unix epoch, on the wall clock the grid is laid on.
fn now() -> Duration {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default()
}

/// The first instant of the grid at or after `now`: a multiple of `window` since the
/// epoch (`now` itself when there is no grid).
fn next_instant(now: Duration, window: Duration) -> Duration {
    let (now_ns, window_ns) = (now.as_nanos(), window.as_nanos());
    if window_ns == 0 {
        return now;
    }
    let instant = now_ns.div_ceil(window_ns) * window_ns;
    Duration::from_nanos(u64::try_from(instant).unwrap_or(u64::MAX))
}

/// Waits for a first submission, then until the next instant of the grid, gathering
/// whatever arrives (at most a queue's worth: the rest waits for the next instant).
/// `None` when the server is shutting down.
fn gather(jobs: &Receiver<Job>, window: Duration, clock: impl Fn() -> Duration) -> Option<Vec<Job>> {
    let first = jobs.recv().ok()?;
    let at = next_instant(clock(), window);
    let mut waiting = vec![first];
    loop {
        // Whatever is already queued joins, even when there is no grid.
        waiting.extend(jobs.try_iter().take(QUEUE - waiting.len()));
        let left = at.saturating_sub(clock());
        if left.is_zero() || waiting.len() >= QUEUE {
            return Some(waiting);
        }
        thread::sleep(left.min(TICK));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use diesel::prelude::*;
    use futures_util::future::join_all;
    use nansen_shared::{Answers, SurveyStatus, validate};

    use super::*;
    use crate::storage::DatabaseUrl;
    use crate::storage::counters::{self, Counter};
    use crate::storage::schema::nullifier_runs;
    use crate::storage::{connect_writer, scratch};
    use crate::submission::admit::NULLIFIER_BYTES;
    use crate::surveys::catalog::Published;

    /// The default survey, published, as the catalog would hand it out; with
    /// `version_id` overridden to make a submission the database must refuse.
    fn published(conn: &mut Conn, version_id: Option<i64>) -> Arc<Published> {
        let survey = crate::surveys::seed::default_survey().unwrap();
        if crate::surveys::lifecycle::current(conn, "diaspora").unwrap().is_none() {
            crate::surveys::lifecycle::create(conn, &survey).unwrap();
            crate::surveys::lifecycle::publish(conn, "diaspora", None, 0).unwrap();
        }
        let row = crate::surveys::lifecycle::current(conn, "diaspora").unwrap().unwrap();
        let mut survey = survey;
        survey.version = Some(1);
        Arc::new(Published {
            survey_id: row.survey_id,
            version_id: version_id.unwrap_or(row.version_id),
            stored_status: SurveyStatus::Open,
            schedule: nansen_shared::Schedule::default(),
            survey,
            invite_key: None,
        })
    }

    fn admitted(published: &Arc<Published>, nullifier: u8) -> Admitted {
        let answers: Answers = serde_json::from_value(serde_json::json!({
            "citizenship": ["russia"], "country": "GE", "left_when": "from_2023", "reasons": ["economy"],
            "return_intention": "no"
        }))
        .unwrap();
        let tally = validate(&published.survey, &answers).unwrap();
        Admitted { survey: Arc::clone(published), nullifier: [nullifier; NULLIFIER_BYTES], tally }
    }

    fn counted(conn: &mut Conn) -> (i64, i64) {
        let survey = published(conn, None);
        let counts = counters::load(conn, survey.version_id, &survey.survey).unwrap();
        let respondents = counts.get(Counter::Respondents) as i64;
        let runs: Vec<Vec<u8>> = nullifier_runs::table.select(nullifier_runs::hashes).load(conn).unwrap();
        let nullifiers = runs.iter().map(|run| (run.len() / NULLIFIER_BYTES) as i64).sum();
        (respondents, nullifiers)
    }

    fn mixer(window_ms: u64) -> (tempfile::TempDir, Mixer, Conn) {
        let (dir, mut conn) = scratch();
        published(&mut conn, None);
        let path = DatabaseUrl::Sqlite(dir.path().join("test.db"));
        let mixer = Mixer::start(
            connect_writer(&path).unwrap(),
            Batching { max: 64, window: Duration::from_millis(window_ms) },
        )
        .unwrap();
        (dir, mixer, conn)
    }

    #[tokio::test]
    async fn a_failed_commit_fails_every_submission_in_the_batch_and_counts_none() {
        let (_dir, mixer, mut conn) = mixer(1000);
        let good = published(&mut conn, None);
        let broken = published(&mut conn, Some(9999)); // no such version: the database refuses
        let batch = [admitted(&good, 1), admitted(&good, 2), admitted(&broken, 3), admitted(&good, 4)];
        let outcomes = join_all(batch.into_iter().map(|a| mixer.submit(a))).await;
        assert!(outcomes.iter().all(Result::is_err), "{outcomes:?}");
        assert_eq!(counted(&mut conn), (0, 0), "neither counters nor nullifiers were written");

        // The same good submissions go through on their own.
        let outcomes = join_all([1, 2, 4].map(|n| mixer.submit(admitted(&good, n)))).await;
        assert!(outcomes.iter().all(|o| matches!(o, Ok(Outcome::Counted))), "{outcomes:?}");
        assert_eq!(counted(&mut conn), (3, 3));
    }

    #[tokio::test]
    async fn a_key_repeated_within_one_batch_counts_once() {
        let (_dir, mixer, mut conn) = mixer(1000);
        let good = published(&mut conn, None);
        let outcomes = join_all([7, 7, 8].map(|n| mixer.submit(admitted(&good, n)))).await;
        let outcomes: Vec<Outcome> = outcomes.into_iter().map(Result::unwrap).collect();
        assert_eq!(outcomes.iter().filter(|o| **o == Outcome::Counted).count(), 2);
        assert_eq!(outcomes.iter().filter(|o| **o == Outcome::AlreadyCounted).count(), 1);
        assert_eq!(counted(&mut conn), (2, 2));
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn batches_close_on_the_clock_grid_whenever_their_first_submission_came() {
        assert_eq!(next_instant(ms(1_234), ms(200)), ms(1_400));
        assert_eq!(next_instant(ms(1_400), ms(200)), ms(1_400), "an instant of the grid is on it");
        assert_eq!(next_instant(ms(1_401), ms(200)), ms(1_600));
        assert_eq!(next_instant(ms(1_234), Duration::ZERO), ms(1_234), "no grid: at once");
    }

    #[test]
    fn a_batch_gathers_everything_that_arrives_before_the_next_instant() {
        let (queue, jobs) = mpsc::sync_channel(16);
        let (_dir, mut conn) = scratch();
        let survey = published(&mut conn, None);
        let mut replies = Vec::new();
        let mut send = |n: u8| {
            let (reply, outcome) = oneshot::channel();
            let place = Place(Arc::new(AtomicUsize::new(1)));
            queue.send(Job { admitted: admitted(&survey, n), reply, place }).unwrap();
            replies.push(outcome);
        };
        for n in 0..3 {
            send(n);
        }
        // A clock that moves 30 ms each time it is read, and a fourth submission that
        // arrives while the batch waits for its instant (1.4 s).
        let time = std::cell::Cell::new(ms(1_234));
        let gathered = {
            let later = std::cell::RefCell::new(Some(send));
            let clock = || {
                let t = time.get();
                time.set(t + ms(30));
                if t >= ms(1_300)
                    && let Some(mut send) = later.borrow_mut().take()
                {
                    send(3);
                }
                t
            };
            gather(&jobs, ms(200), clock).unwrap()
        };
        assert_eq!(gathered.len(), 4, "everything that came before the instant");
        assert!((ms(1_400)..ms(1_460)).contains(&time.get()), "closed at the instant: {:?}", time.get());
        drop(queue);
        assert!(gather(&jobs, ms(200), now).is_none(), "no batch once the queue is closed");
    }
}
