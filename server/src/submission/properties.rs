//! Property tests of the write path as a whole: the mixer, the ledger and the counters
//! on a real SQLite file, with two mixers on it as two server processes would have.
//! Whatever the interleaving of submissions, repeated keys (to one mixer or both),
//! commits the database refuses and restarts, the counters end equal to the accepted
//! submissions, and the ledger holds one nullifier for each.
//!
//! Failed commits are the database's own refusal: the test adds a table and two
//! triggers to its scratch database (nothing in the server changes), which abort any
//! write to `nullifier_runs` or to `counter_blocks` while the table holds a row. The
//! first fails a batch as the ledger records it, the second after the ledger has
//! written its runs and merged older ones away, the last write before the commit.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use futures_util::future::join_all;
use nansen_shared::{Answers, SurveyStatus, Tally, validate};
use proptest::prelude::*;

use crate::storage::counters::{self, Counter};
use crate::storage::schema::nullifier_runs;
use crate::storage::{Conn, DatabaseUrl, connect_writer, scratch};
use crate::submission::admit::{NULLIFIER_BYTES, Nullifier};
use crate::submission::fold::{Admitted, Outcome};
use crate::submission::mixer::{Batching, Mixer};
use crate::surveys::catalog::Published;

/// Keys are drawn from this few, so that repeats are common.
const KEYS: u8 = 16;
/// Mixers writing to the one database, each with its own connection and ledger.
const MIXERS: usize = 2;

/// Submissions sent at once: each a key and the mixer it is sent to.
type Sends = Vec<(u8, usize)>;

/// Where the database refuses a batch's writes.
#[derive(Debug, Clone, Copy)]
enum Fault {
    Ledger,
    Counters,
}

#[derive(Debug, Clone)]
enum Step {
    /// Submissions sent at once; they may share batches, and repeat keys.
    Send(Sends),
    /// The same, while the database refuses writes at `Fault`.
    Refused(Fault, Sends),
    /// A mixer stops and a new one starts on a new connection, reading the ledger
    /// afresh, with other batching.
    Restart(usize, Batching),
}

fn batching() -> impl Strategy<Value = Batching> {
    (1usize..6, prop::sample::select(vec![0u64, 2]))
        .prop_map(|(max, window)| Batching { max, window: Duration::from_millis(window) })
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let keys = || prop::collection::vec((0..KEYS, 0..MIXERS), 1..10);
    let fault = prop_oneof![Just(Fault::Ledger), Just(Fault::Counters)];
    let step = prop_oneof![
        5 => keys().prop_map(Step::Send),
        2 => (fault, keys()).prop_map(|(f, k)| Step::Refused(f, k)),
        1 => (0..MIXERS, batching()).prop_map(|(m, b)| Step::Restart(m, b)),
    ];
    prop::collection::vec(step, 1..16)
}

/// A scratch database with the default survey published and the refusing triggers.
fn database() -> (tempfile::TempDir, Conn, Arc<Published>) {
    let (dir, mut conn) = scratch();
    let survey = crate::surveys::seed::default_survey().unwrap();
    crate::surveys::lifecycle::create(&mut conn, &survey).unwrap();
    crate::surveys::lifecycle::publish(&mut conn, "diaspora", None, 0).unwrap();
    let row = crate::surveys::lifecycle::current(&mut conn, "diaspora").unwrap().unwrap();
    conn.batch_execute(
        "CREATE TABLE test_faults (at TEXT NOT NULL);
         CREATE TRIGGER test_refuse_runs BEFORE INSERT ON nullifier_runs
           WHEN EXISTS (SELECT 1 FROM test_faults WHERE at = 'ledger')
           BEGIN SELECT RAISE(ABORT, 'injected: the ledger write is refused'); END;
         CREATE TRIGGER test_refuse_counts BEFORE UPDATE ON counter_blocks
           WHEN EXISTS (SELECT 1 FROM test_faults WHERE at = 'counters')
           BEGIN SELECT RAISE(ABORT, 'injected: the counters write is refused'); END;",
    )
    .unwrap();
    let mut survey = survey;
    survey.version = Some(1);
    let published = Arc::new(Published {
        survey_id: row.survey_id,
        version_id: row.version_id,
        stored_status: SurveyStatus::Open,
        schedule: nansen_shared::Schedule::default(),
        survey,
        invite_key: None,
    });
    (dir, conn, published)
}

/// Key `k`'s answers: one of twelve sets, so that several cells move.
fn tally(published: &Published, key: u8) -> Tally {
    let k = usize::from(key);
    let (country, left, intention) =
        (["GE", "AM", "DE"][k % 3], ["from_2023", "before_2022"][k / 3 % 2], ["no", "soon"][k / 6 % 2]);
    let answers: Answers = serde_json::from_value(serde_json::json!({
        "citizenship": ["russia"], "country": country, "left_when": left, "reasons": ["economy"],
        "return_intention": intention
    }))
    .unwrap();
    validate(&published.survey, &answers).unwrap()
}

fn nullifier(key: u8) -> Nullifier {
    [key; NULLIFIER_BYTES]
}

/// What the counters must hold when `accepted` were counted, each once.
fn expected(published: &Published, accepted: &HashSet<u8>) -> HashMap<Counter, u64> {
    let tables = counters::crosstab_dims(&published.survey);
    let mut expected = HashMap::new();
    for &key in accepted {
        counters::touched_by(&tally(published, key), &tables, |counter, n| {
            *expected.entry(counter).or_default() += n;
        });
    }
    expected
}

/// The stored counters and the ledger, read afresh, against the model.
fn check(conn: &mut Conn, published: &Published, accepted: &HashSet<u8>) -> Result<(), TestCaseError> {
    let counts = counters::load(conn, published.version_id, &published.survey).unwrap();
    prop_assert_eq!(counts.get(Counter::Respondents), accepted.len() as u64, "respondents");
    let expected = expected(published, accepted);
    for counter in counters::Layout::of(&published.survey).counters() {
        let want = expected.get(&counter).copied().unwrap_or(0);
        prop_assert_eq!(counts.get(counter), want, "{:?}", counter);
    }
    let runs: Vec<Vec<u8>> = nullifier_runs::table.select(nullifier_runs::hashes).load(conn).unwrap();
    let mut stored: Vec<&[u8]> = runs.iter().flat_map(|run| run.chunks(NULLIFIER_BYTES)).collect();
    stored.sort_unstable();
    let mut want: Vec<Nullifier> = accepted.iter().map(|&k| nullifier(k)).collect();
    want.sort_unstable();
    prop_assert_eq!(stored, want.iter().map(|n| &n[..]).collect::<Vec<_>>(), "the ledger");
    Ok(())
}

/// Sends `sends` at once, each to its mixer, and returns each one's outcome, in order.
fn send(
    runtime: &tokio::runtime::Runtime,
    mixers: &[Mixer],
    published: &Arc<Published>,
    sends: &[(u8, usize)],
) -> Vec<Option<Outcome>> {
    let submissions = sends.iter().map(|&(key, mixer)| {
        mixers[mixer].submit(Admitted {
            survey: Arc::clone(published),
            nullifier: nullifier(key),
            tally: tally(published, key),
        })
    });
    runtime.block_on(join_all(submissions)).into_iter().map(Result::ok).collect()
}

fn start(url: &DatabaseUrl, batching: Batching) -> Mixer {
    Mixer::start(connect_writer(url).unwrap(), batching).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Accepted: a key some committed batch held. Each is counted once, by exactly one
    /// of its sends in the step that first committed it; every other send of it is
    /// "already counted"; a refused batch counts nothing and answers no one "counted".
    #[test]
    fn counts_equal_the_accepted_submissions_whatever_the_interleaving(
        first in batching(),
        steps in steps(),
    ) {
        let (dir, mut conn, published) = database();
        let url = DatabaseUrl::Sqlite(dir.path().join("test.db"));
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let mut mixers: Vec<Mixer> = (0..MIXERS).map(|_| start(&url, first)).collect();
        let mut accepted: HashSet<u8> = HashSet::new();
        for step in steps {
            match step {
                Step::Send(sends) => {
                    let outcomes = send(&runtime, &mixers, &published, &sends);
                    prop_assert!(outcomes.iter().all(Option::is_some), "{:?}", outcomes);
                    for key in sends.iter().map(|&(key, _)| key).collect::<HashSet<u8>>() {
                        let counted = sends
                            .iter()
                            .zip(&outcomes)
                            .filter(|&((k, _), outcome)| *k == key && *outcome == Some(Outcome::Counted))
                            .count();
                        prop_assert_eq!(counted, usize::from(!accepted.contains(&key)), "key {}", key);
                        accepted.insert(key);
                    }
                }
                Step::Refused(fault, sends) => {
                    let at = match fault { Fault::Ledger => "ledger", Fault::Counters => "counters" };
                    conn.batch_execute(&format!("INSERT INTO test_faults VALUES ('{at}')")).unwrap();
                    let outcomes = send(&runtime, &mixers, &published, &sends);
                    conn.batch_execute("DELETE FROM test_faults").unwrap();
                    // A batch holding only keys counted before writes no run: it
                    // commits, and rightly says "already counted".
                    for ((key, _), outcome) in sends.iter().zip(&outcomes) {
                        let allowed = if accepted.contains(key) {
                            outcome.is_none() || *outcome == Some(Outcome::AlreadyCounted)
                        } else {
                            outcome.is_none()
                        };
                        prop_assert!(allowed, "key {} answered {:?} while refused", key, outcome);
                    }
                }
                Step::Restart(which, batching) => {
                    // The old one's thread ends once its queue is dropped; it is idle.
                    mixers[which] = start(&url, batching);
                }
            }
            check(&mut conn, &published, &accepted)?;
        }
    }
}
