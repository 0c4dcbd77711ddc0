//! Crash consistency: clients keep submitting, the server is killed with SIGKILL at a
//! random moment, restarted on the same database, and what it kept is checked against
//! what the clients were told. On PostgreSQL two instances share the database and one
//! of them is killed while both take load.
//!
//! Each cycle checks that every acknowledged submission is counted exactly once and
//! nothing beyond what was in flight is; that the database passes its own integrity
//! check; that a client retrying with the same key is told "counted" or "already
//! counted" and never counted twice; that the nullifier ledger holds one nullifier per
//! respondent; and that the releases made before the crash are there, numbered without
//! gaps, each over no fewer respondents than the one before.
//!
//! The plan (when to kill, whom, how batches are cut, the answers) comes from a seeded
//! generator whose seed is printed: `NANSEN_CRASH_SEED=<seed>` replays it, as far as
//! thread scheduling allows, and `NANSEN_CRASH_CYCLES` runs more cycles.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use nansen_server::storage::schema::{nullifier_runs, releases, surveys};
use nansen_shared::{Answer, Answers, Survey};

use crate::helpers::{
    Reply, Rng, TestServer, connect, fresh_key, integrity_problems, postgres_admin, valid_answers,
};

const SLUG: &str = "diaspora";
/// Clients submitting at once.
const CLIENTS: u64 = 8;
/// Crash and restart cycles by default (about 3 s each on a busy two-core machine).
const CYCLES: usize = 10;
/// New respondents a release needs (the least a survey may ask).
const MIN_NEW: u32 = 5;
/// A nullifier's length as stored (`submission::admit`).
const NULLIFIER_BYTES: usize = 16;

/// A set of answers and the key it was sent with.
type Submission = (String, Answers);

#[test]
fn every_acknowledged_submission_survives_sigkill_exactly_once() {
    let seed = std::env::var("NANSEN_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
            % 1_000_000
    });
    let cycles = std::env::var("NANSEN_CRASH_CYCLES").ok().and_then(|s| s.parse().ok()).unwrap_or(CYCLES);
    // Two instances on one PostgreSQL database; SQLite is run as one.
    let count = if postgres_admin().is_some() { 2 } else { 1 };
    println!(
        "crash test: seed {seed} (replay with NANSEN_CRASH_SEED={seed}), {cycles} cycles, {count} instance(s)"
    );
    let mut rng = Rng::new(seed);
    let mut crash = Crash::start(count, &mut rng);
    for cycle in 0..cycles {
        let context = format!("seed {seed}, cycle {cycle}");
        crash.cycle(&mut rng, &context);
    }
    println!(
        "crash test: {cycles} cycles passed; {} submissions counted ({} acknowledged before a crash, {} in \
         flight at one, of which {} had been counted), {} releases",
        crash.counted.len(),
        crash.acknowledged,
        crash.in_flight,
        crash.in_flight_counted,
        crash.releases,
    );
}

/// The servers, and everything settled so far.
struct Crash {
    instances: Vec<TestServer>,
    survey: Survey,
    version: u32,
    /// An admin session (sessions live in the database: it outlives restarts).
    cookie: String,
    /// Every submission counted, each exactly once, as of the last cycle.
    counted: Vec<Submission>,
    /// Releases of the survey as of the last cycle.
    releases: usize,
    acknowledged: usize,
    in_flight: usize,
    /// Of those in flight, how many had been counted before the crash.
    in_flight_counted: usize,
}

/// What one cycle's clients were told.
#[derive(Default)]
struct Told {
    /// Answered 200: counted.
    acked: Vec<Submission>,
    /// No reply (the server died): counted or not, the client does not know. Also those
    /// refused for now (429, 503), which were not counted, but are retried alike.
    unsure: Vec<Submission>,
    /// Release numbers answered 201.
    releases: Vec<u32>,
    /// Releases asked for without a reply.
    unsure_releases: usize,
}

impl Told {
    fn merge(&mut self, other: Told) {
        self.acked.extend(other.acked);
        self.unsure.extend(other.unsure);
        self.releases.extend(other.releases);
        self.unsure_releases += other.unsure_releases;
    }
}

impl Crash {
    fn start(count: usize, rng: &mut Rng) -> Self {
        let dir = Arc::new(tempfile::tempdir().unwrap());
        let mut instances = vec![TestServer::start_with(dir.clone(), &batching(rng))];
        // Exact releases: their counts say what the counters held when they were made.
        let version = instances[0].publish_exact(SLUG, MIN_NEW);
        while instances.len() < count {
            instances.push(TestServer::start_with(dir.clone(), &batching(rng)));
        }
        let survey = instances[0].survey(SLUG);
        let cookie = instances[0].login_admin();
        Self {
            instances,
            survey,
            version,
            cookie,
            counted: Vec::new(),
            releases: 0,
            acknowledged: 0,
            in_flight: 0,
            in_flight_counted: 0,
        }
    }

    /// Load, a kill, a restart, and the checks.
    fn cycle(&mut self, rng: &mut Rng, context: &str) {
        let victim = rng.below(self.instances.len());
        let told = self.load_and_kill(victim, rng);
        let url = self.instances[0].database_url();
        // The database as the crash left it (SQLite recovers its log on opening).
        let problems = integrity_problems(&url);
        assert!(problems.is_empty(), "{context}: the database is damaged: {problems:#?}");

        let dir = self.instances[victim].dir();
        let env = batching(rng);
        self.instances[victim] = TestServer::start_with(dir, &env);

        // Before any retry: everything acknowledged, and nothing beyond what was in flight.
        let (acked, unsure) = (self.counted.len() + told.acked.len(), told.unsure.len());
        let respondents = self.respondents();
        assert!(
            (acked..=acked + unsure).contains(&respondents),
            "{context}: {respondents} counted, but {acked} were acknowledged and {unsure} more in flight"
        );
        assert_eq!(self.nullifiers(&url), respondents, "{context}: one nullifier per respondent");
        self.check_releases(&url, &told, respondents, context);

        // Clients whose reply was lost send again with the same key: counted now or
        // already, never twice. Some acknowledged ones repeat themselves too.
        for (i, (key, answers)) in told.unsure.iter().enumerate() {
            let reply = resend(&self.instances[i % self.instances.len()], self.version, answers, key);
            assert!(
                reply.status == 200 || is_already_counted(&reply),
                "{context}: a retry was answered {}: {}",
                reply.status,
                reply.body
            );
        }
        for (key, answers) in told.acked.iter().take(8) {
            let reply = resend(&self.instances[0], self.version, answers, key);
            assert!(is_already_counted(&reply), "{context}: an acknowledged key sent again: {}", reply.body);
        }
        self.in_flight_counted += respondents - acked;
        self.acknowledged += told.acked.len();
        self.in_flight += told.unsure.len();
        self.counted.extend(told.acked);
        self.counted.extend(told.unsure);

        // Now every submission ever sent is counted once, with its answers.
        assert_eq!(self.respondents(), self.counted.len(), "{context}: after the retries");
        assert_eq!(self.nullifiers(&url), self.counted.len(), "{context}: the ledger after the retries");
        let totals = self.instances[0].counts(SLUG);
        for ((question, option), n) in single_choices(&self.counted) {
            assert_eq!(totals.chose(&question, &option), n, "{context}: {question}={option}");
        }
    }

    /// Clients submit to every live instance and an admin asks for releases, until a
    /// random moment when `victim` is killed; the other instances take load a while
    /// longer.
    fn load_and_kill(&self, victim: usize, rng: &mut Rng) -> Told {
        let dead: Vec<AtomicBool> = self.instances.iter().map(|_| AtomicBool::new(false)).collect();
        let stop = AtomicBool::new(false);
        let told = Mutex::new(Told::default());
        let seeds: Vec<u64> = (0..=CLIENTS).map(|_| rng.below(1 << 30) as u64).collect();
        let before_kill = Duration::from_millis(150 + rng.below(1000) as u64);
        std::thread::scope(|scope| {
            let (dead, stop, told) = (&dead, &stop, &told);
            for &seed in &seeds[1..] {
                scope.spawn(move || {
                    let sent = self.client(dead, stop, seed);
                    told.lock().unwrap().merge(sent);
                });
            }
            scope.spawn(move || {
                let asked = self.releaser(dead, stop, seeds[0]);
                told.lock().unwrap().merge(asked);
            });
            std::thread::sleep(before_kill);
            dead[victim].store(true, Ordering::SeqCst);
            self.instances[victim].kill_now();
            if self.instances.len() > 1 {
                // The survivors keep serving while one instance is gone.
                std::thread::sleep(Duration::from_millis(300));
            }
            stop.store(true, Ordering::SeqCst);
        });
        told.into_inner().unwrap()
    }

    /// The live instance a client sends its `turn`th request to, if any is live.
    fn live<'a>(&'a self, dead: &[AtomicBool], turn: usize) -> Option<&'a TestServer> {
        let live: Vec<&TestServer> = self
            .instances
            .iter()
            .zip(dead)
            .filter(|(_, d)| !d.load(Ordering::SeqCst))
            .map(|(s, _)| s)
            .collect();
        (!live.is_empty()).then(|| live[turn % live.len()])
    }

    /// One client: fresh keys, one after another, spread over the live instances.
    fn client(&self, dead: &[AtomicBool], stop: &AtomicBool, seed: u64) -> Told {
        let mut rng = Rng::new(seed);
        let mut told = Told::default();
        for turn in seed as usize.. {
            let Some(server) = self.live(dead, turn).filter(|_| !stop.load(Ordering::SeqCst)) else { break };
            let sent = (fresh_key(), valid_answers(&self.survey, &mut rng));
            match server.try_submit(SLUG, self.version, &sent.1, &sent.0) {
                Ok(reply) if reply.status == 200 => told.acked.push(sent),
                // Not counted now: the client retries later.
                Ok(reply) if is_busy(&reply) => told.unsure.push(sent),
                Ok(reply) => panic!("a fresh key was answered {}: {}", reply.status, reply.body),
                Err(_) => told.unsure.push(sent),
            }
        }
        told
    }

    /// An admin asking for a release every 100 to 300 ms.
    fn releaser(&self, dead: &[AtomicBool], stop: &AtomicBool, seed: u64) -> Told {
        let mut rng = Rng::new(seed);
        let mut told = Told::default();
        let path = format!("/api/v1/admin/surveys/{SLUG}/releases");
        for turn in 0.. {
            std::thread::sleep(Duration::from_millis(100 + rng.below(200) as u64));
            let Some(server) = self.live(dead, turn).filter(|_| !stop.load(Ordering::SeqCst)) else { break };
            match server.try_post_empty(&path, &[("cookie", &self.cookie)]) {
                Ok(reply) if reply.status == 201 => {
                    told.releases.push(reply.json()["release"]["number"].as_u64().unwrap() as u32);
                }
                // Not enough new respondents since the last one.
                Ok(reply) if reply.status == 409 && reply.body.contains("release-not-allowed") => {}
                Ok(reply) => panic!("a release was answered {}: {}", reply.status, reply.body),
                Err(_) => told.unsure_releases += 1,
            }
        }
        told
    }

    fn respondents(&self) -> usize {
        self.instances[0].counts(SLUG).respondents() as usize
    }

    /// The survey's nullifiers in the ledger, which must all differ.
    fn nullifiers(&self, url: &str) -> usize {
        let mut conn = connect(url);
        let survey: i64 =
            surveys::table.filter(surveys::slug.eq(SLUG)).select(surveys::id).first(&mut conn).unwrap();
        let runs: Vec<Vec<u8>> = nullifier_runs::table
            .filter(nullifier_runs::survey_id.eq(survey))
            .select(nullifier_runs::hashes)
            .load(&mut conn)
            .unwrap();
        let all: Vec<&[u8]> = runs.iter().flat_map(|run| run.chunks(NULLIFIER_BYTES)).collect();
        let distinct: HashSet<&[u8]> = all.iter().copied().collect();
        assert_eq!(distinct.len(), all.len(), "a nullifier is in the ledger twice");
        all.len()
    }

    /// Releases are numbered 1, 2, 3, … with no gap; every one acknowledged is there, and
    /// no more were made than were asked for; each counts more respondents than the
    /// one before by at least [`MIN_NEW`], and none more than are counted.
    fn check_releases(&mut self, url: &str, told: &Told, respondents: usize, context: &str) {
        let mut conn = connect(url);
        let survey: i64 =
            surveys::table.filter(surveys::slug.eq(SLUG)).select(surveys::id).first(&mut conn).unwrap();
        let made: Vec<(i32, i64)> = releases::table
            .filter(releases::survey_id.eq(survey))
            .select((releases::number, releases::respondents))
            .order(releases::number)
            .load(&mut conn)
            .unwrap();
        let numbers: Vec<u32> = made.iter().map(|&(n, _)| n as u32).collect();
        assert_eq!(numbers, (1..=made.len() as u32).collect::<Vec<_>>(), "{context}: release numbers");
        for number in &told.releases {
            assert!(numbers.contains(number), "{context}: acknowledged release {number} is gone");
        }
        let asked = self.releases + told.releases.len() + told.unsure_releases;
        assert!(
            (self.releases + told.releases.len()..=asked).contains(&made.len()),
            "{context}: {} releases, {} before and {} acknowledged, {} in flight",
            made.len(),
            self.releases,
            told.releases.len(),
            told.unsure_releases
        );
        for pair in made.windows(2) {
            assert!(pair[0].1 + i64::from(MIN_NEW) <= pair[1].1, "{context}: releases over {made:?}");
        }
        if let Some(&(_, last)) = made.last() {
            assert!(last as usize <= respondents, "{context}: a release over {last}, {respondents} counted");
        }
        self.releases = made.len();
    }
}

/// Batching for an instance's start: commits on a grid of 0 to 200 ms, in transactions
/// of 1 to 1024, so that crashes land between and inside many kinds of batches.
fn batching(rng: &mut Rng) -> Vec<(&'static str, &'static str)> {
    let window = ["0", "5", "50", "200"][rng.below(4)];
    let max = ["1", "3", "16", "1024"][rng.below(4)];
    vec![("NANSEN_BATCH_WINDOW_MS", window), ("NANSEN_BATCH_MAX", max)]
}

/// Asked to come back later: too many requests, or the server's queues are full.
fn is_busy(reply: &Reply) -> bool {
    matches!(reply.status, 429 | 503)
}

/// Sends a submission again, as the client does: after a refusal for now, again after
/// the `Retry-After` it was given.
fn resend(server: &TestServer, version: u32, answers: &Answers, key: &str) -> Reply {
    for _ in 0..20 {
        let reply = server.submit(SLUG, version, answers, key);
        if !is_busy(&reply) {
            return reply;
        }
        let after = reply.header("retry-after").and_then(|s| s.parse().ok()).unwrap_or(1u64);
        std::thread::sleep(Duration::from_secs(after.min(5)));
    }
    panic!("the server stayed busy for a retry");
}

fn is_already_counted(reply: &Reply) -> bool {
    reply.status == 409 && reply.body.contains("/problems/already-counted")
}

/// How many chose each option of each single-choice question.
fn single_choices(counted: &[Submission]) -> BTreeMap<(String, String), u64> {
    let mut counts = BTreeMap::new();
    for (_, answers) in counted {
        for (question, answer) in answers {
            if let Answer::Code(code) = answer {
                *counts.entry((question.clone(), code.clone())).or_default() += 1;
            }
        }
    }
    counts
}
