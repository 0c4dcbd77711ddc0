//! The nullifier ledger: which credentials have been counted, so that a retry is
//! recognised, and nothing more.
//!
//! The ledger is a set of sorted *runs* (`nullifier_runs`): a batch's new nullifiers are
//! one row, and whenever four runs of a size class (powers of four) are there, they
//! become one. A nullifier is a random-looking hash, so in a B-tree each of a batch's
//! thousand lands on a page of its own, and a commit rewrote a thousand pages (about
//! 70 ms of SQLite's time per batch); a run is a few pages. The writer holds the runs in
//! memory too, sorted, for the lookups, and brings them level with the table at the
//! start of every batch, in the batch's transaction: other instances on the same
//! PostgreSQL (or another process on the same SQLite file) write runs too, and take
//! turns with this one — SQLite has one writer at a time anyway, PostgreSQL instances
//! hold an advisory lock for the transaction. What the runs reveal is in
//! docs/THREAT_MODEL.md.

use std::collections::{BTreeMap, HashMap, HashSet};

use diesel::prelude::*;

use crate::storage::Conn;
use crate::storage::schema::{nullifier_runs, nullifiers};
use crate::submission::admit::{NULLIFIER_BYTES, Nullifier};
use crate::submission::bloom::Filter;

/// The (survey, nullifier) pairs of a batch that had not been counted before.
pub type Fresh = HashSet<(i64, Nullifier)>;

/// Runs are merged this many at a time, and a run's size class is its power of this.
const FANOUT: usize = 4;

/// Runs of 4⁸ = 65,536 nullifiers (2 MiB) or more are not merged again: a merge is
/// written inside a batch's transaction, and must stay short.
const SEALED_TIER: u32 = 8;

/// What a batch changed, applied to the in-memory copy once its transaction committed.
#[derive(Debug, Default)]
pub struct Change {
    added: Vec<(i64, Run)>,
    removed: Vec<i64>,
}

/// One row of `nullifier_runs`: a survey's nullifiers, sorted.
#[derive(Debug)]
struct Run {
    survey_id: i64,
    hashes: Vec<Nullifier>,
}

impl Run {
    fn tier(&self) -> u32 {
        tier(self.hashes.len())
    }
}

/// A run's size class: ⌊log₄ len⌋.
fn tier(len: usize) -> u32 {
    (usize::BITS - 1 - len.max(1).leading_zeros()) / 2
}

#[derive(Debug)]
pub struct Ledger {
    /// Every run in the table, by id.
    runs: HashMap<i64, Run>,
    /// Every nullifier in `runs` (and some since deleted, which only costs a look at the
    /// runs). Most nullifiers a batch brings are new, and this says so in one memory
    /// access: binary searches through every run, each probe a cache miss, took a
    /// quarter of the server's time under load (measured).
    filter: Filter,
}

impl Ledger {
    /// Reads the runs (and makes runs of any rows an older version left in
    /// `nullifiers`).
    pub fn load(conn: &mut Conn) -> QueryResult<Self> {
        crate::storage::write(conn, |conn| {
            take_turn(conn)?;
            let mut ledger = Self { runs: HashMap::new(), filter: Filter::with_capacity(0) };
            ledger.adopt_rows(conn)?;
            ledger.sync(conn)?;
            Ok(ledger)
        })
    }

    /// Moves the rows of `nullifiers` (where versions before the runs kept them) into
    /// one run per survey.
    fn adopt_rows(&mut self, conn: &mut Conn) -> QueryResult<()> {
        let rows: Vec<(i64, Vec<u8>)> =
            nullifiers::table.select((nullifiers::survey_id, nullifiers::hash)).load(conn)?;
        let mut surveys: BTreeMap<i64, Vec<Nullifier>> = BTreeMap::new();
        for (survey, hash) in rows {
            // Those rows hold the whole HMAC; a nullifier is now its first 16 bytes.
            surveys.entry(survey).or_default().push(nullifier(hash.get(..NULLIFIER_BYTES).unwrap_or(&hash))?);
        }
        for (survey_id, mut hashes) in surveys {
            hashes.sort_unstable();
            hashes.dedup();
            self.insert(conn, &Run { survey_id, hashes })?;
        }
        diesel::delete(nullifiers::table).execute(conn)?;
        Ok(())
    }

    /// Brings the in-memory copy level with the table: cheap when nobody else writes
    /// (a list of a few dozen ids), and right when someone does.
    fn sync(&mut self, conn: &mut Conn) -> QueryResult<()> {
        let ids: HashSet<i64> =
            nullifier_runs::table.select(nullifier_runs::id).load::<i64>(conn)?.into_iter().collect();
        self.runs.retain(|id, _| ids.contains(id));
        let missing: Vec<i64> = ids.into_iter().filter(|id| !self.runs.contains_key(id)).collect();
        for chunk in missing.chunks(crate::storage::ROWS_PER_STATEMENT) {
            let rows: Vec<(i64, i64, Vec<u8>)> = nullifier_runs::table
                .filter(nullifier_runs::id.eq_any(chunk))
                .select((nullifier_runs::id, nullifier_runs::survey_id, nullifier_runs::hashes))
                .load(conn)?;
            for (id, survey_id, bytes) in rows {
                let hashes = bytes.chunks(NULLIFIER_BYTES).map(nullifier).collect::<QueryResult<_>>()?;
                self.add(id, Run { survey_id, hashes });
            }
        }
        Ok(())
    }

    fn contains(&self, survey_id: i64, hash: &Nullifier) -> bool {
        self.filter.may_contain(hash)
            && self
                .runs
                .values()
                .any(|run| run.survey_id == survey_id && run.hashes.binary_search(hash).is_ok())
    }

    fn add(&mut self, id: i64, run: Run) {
        for hash in &run.hashes {
            self.filter.insert(hash);
        }
        self.runs.insert(id, run);
        if self.filter.is_full() {
            self.rebuild_filter();
        }
    }

    /// A filter twice the size, for the nullifiers there are now.
    fn rebuild_filter(&mut self) {
        let len: usize = self.runs.values().map(|run| run.hashes.len()).sum();
        self.filter = Filter::with_capacity(2 * len);
        for hash in self.runs.values().flat_map(|run| &run.hashes) {
            self.filter.insert(hash);
        }
    }

    /// Records `keys` inside the batch's open transaction. Returns those not counted
    /// before (each once, however often it is in `keys`), and the change to [`apply`]
    /// if the transaction commits.
    ///
    /// [`apply`]: Ledger::apply
    pub fn record(&mut self, conn: &mut Conn, keys: &[(i64, Nullifier)]) -> QueryResult<(Fresh, Change)> {
        take_turn(conn)?;
        self.sync(conn)?;
        let mut fresh = Fresh::with_capacity(keys.len());
        let mut new: BTreeMap<i64, Vec<Nullifier>> = BTreeMap::new();
        for &(survey, hash) in keys {
            if !self.contains(survey, &hash) && fresh.insert((survey, hash)) {
                new.entry(survey).or_default().push(hash);
            }
        }
        let mut change = Change::default();
        for (survey_id, mut hashes) in new {
            hashes.sort_unstable();
            let (run, merged) = self.merge(Run { survey_id, hashes });
            if !merged.is_empty() {
                diesel::delete(nullifier_runs::table.filter(nullifier_runs::id.eq_any(&merged)))
                    .execute(conn)?;
            }
            change.added.push((self.insert(conn, &run)?, run));
            change.removed.extend(merged);
        }
        Ok((fresh, change))
    }

    /// Merges `run` with the survey's runs of its size class while there are
    /// [`FANOUT`] of them, then with the next class up, and so on. Returns the run to
    /// write and the ids of those it took in.
    fn merge(&self, mut run: Run) -> (Run, Vec<i64>) {
        let mut merged = Vec::new();
        while run.tier() < SEALED_TIER {
            let (survey_id, tier) = (run.survey_id, run.tier());
            let peers: Vec<(&i64, &Run)> = self
                .runs
                .iter()
                .filter(|(_, other)| other.survey_id == survey_id && other.tier() == tier)
                .collect();
            if peers.len() + 1 < FANOUT {
                break;
            }
            for (id, peer) in peers {
                run.hashes.extend_from_slice(&peer.hashes);
                merged.push(*id);
            }
            run.hashes.sort_unstable();
        }
        (run, merged)
    }

    /// Writes `run` under a fresh random id, which says nothing of when it was written.
    fn insert(&self, conn: &mut Conn, run: &Run) -> QueryResult<i64> {
        let id = loop {
            let id = rand::random::<i64>();
            if !self.runs.contains_key(&id) {
                break id;
            }
        };
        diesel::insert_into(nullifier_runs::table)
            .values((
                nullifier_runs::id.eq(id),
                nullifier_runs::survey_id.eq(run.survey_id),
                nullifier_runs::hashes.eq(run.hashes.as_flattened()),
            ))
            .execute(conn)?;
        Ok(id)
    }

    pub fn apply(&mut self, change: Change) {
        for id in change.removed {
            self.runs.remove(&id);
        }
        for (id, run) in change.added {
            self.add(id, run);
        }
    }
}

/// Waits, on PostgreSQL, until no other instance is recording nullifiers; the lock ends
/// with the transaction. (SQLite's `BEGIN IMMEDIATE` has already made this the only
/// writer.)
fn take_turn(conn: &mut Conn) -> QueryResult<()> {
    if let Conn::Pg(c) = conn {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({})", crate::storage::LEDGER_LOCK))
            .execute(c)?;
    }
    Ok(())
}

fn nullifier(bytes: &[u8]) -> QueryResult<Nullifier> {
    bytes.try_into().map_err(|_| {
        diesel::result::Error::DeserializationError(
            format!("a stored nullifier has {} bytes instead of {NULLIFIER_BYTES}", bytes.len()).into(),
        )
    })
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use proptest::prelude::*;

    use super::*;
    use crate::storage::DatabaseUrl;
    use crate::storage::{connect_writer, scratch};

    /// A scratch database whose ledger tests need no surveys to point at.
    fn database() -> (tempfile::TempDir, Conn) {
        let (dir, mut conn) = scratch();
        conn.batch_execute("PRAGMA foreign_keys = OFF;").unwrap();
        (dir, conn)
    }

    /// Records one batch in its own transaction, as the mixer does, and applies it.
    fn batch(conn: &mut Conn, ledger: &mut Ledger, keys: &[(i64, Nullifier)]) -> Fresh {
        let (fresh, change) = crate::storage::write(conn, |conn| ledger.record(conn, keys)).unwrap();
        ledger.apply(change);
        fresh
    }

    fn runs(ledger: &Ledger) -> &HashMap<i64, Run> {
        &ledger.runs
    }

    /// Every (survey, nullifier) the ledger holds, in memory and, read afresh, in the table.
    fn contents(ledger: &Ledger) -> HashSet<(i64, Nullifier)> {
        runs(ledger).values().flat_map(|run| run.hashes.iter().map(|h| (run.survey_id, *h))).collect()
    }

    fn hash(n: u16) -> Nullifier {
        // Spread over the whole space, as HMAC outputs are.
        let mut hash = Nullifier::default();
        hash[..2].copy_from_slice(&n.wrapping_mul(40503).to_be_bytes());
        hash[2..4].copy_from_slice(&n.to_be_bytes());
        hash
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Against a plain set: whatever the batches, a key is fresh exactly once, the
        /// runs stay few and sorted, and the table read afresh holds the same set.
        #[test]
        fn the_ledger_counts_each_key_once_and_its_runs_stay_few(
            batches in prop::collection::vec(prop::collection::vec((1i64..=2, 0u16..3000), 0..300), 1..40)
        ) {
            let (_dir, mut conn) = database();
            let mut ledger = Ledger::load(&mut conn).unwrap();
            let mut model: HashSet<(i64, Nullifier)> = HashSet::new();
            for keys in &batches {
                let keys: Vec<_> = keys.iter().map(|&(survey, n)| (survey, hash(n))).collect();
                let expected: Fresh = keys.iter().filter(|k| !model.contains(*k)).copied().collect();
                prop_assert_eq!(batch(&mut conn, &mut ledger, &keys), expected.clone());
                model.extend(expected);
            }
            prop_assert_eq!(contents(&ledger), model.clone());
            for survey in 1..=2 {
                let mut tiers: HashMap<u32, usize> = HashMap::new();
                for run in runs(&ledger).values().filter(|r| r.survey_id == survey) {
                    prop_assert!(run.hashes.windows(2).all(|w| w[0] < w[1]), "a run is sorted, without repeats");
                    *tiers.entry(run.tier()).or_default() += 1;
                }
                prop_assert!(tiers.values().all(|&n| n < FANOUT), "at most three runs of a size: {:?}", tiers);
            }
            prop_assert_eq!(contents(&Ledger::load(&mut conn).unwrap()), model);
        }
    }

    #[test]
    fn runs_of_a_size_are_merged_four_at_a_time() {
        let (_dir, mut conn) = database();
        let mut ledger = Ledger::load(&mut conn).unwrap();
        for n in 0..3 {
            batch(&mut conn, &mut ledger, &[(1, hash(n))]);
        }
        assert_eq!(runs(&ledger).len(), 3);
        batch(&mut conn, &mut ledger, &[(1, hash(3))]);
        assert_eq!(runs(&ledger).len(), 1, "four runs of one became one of four");
        // 4 × 4 single ones cascade into one of 16.
        for n in 4..16 {
            batch(&mut conn, &mut ledger, &[(1, hash(n))]);
        }
        let sizes: Vec<usize> = runs(&ledger).values().map(|r| r.hashes.len()).collect();
        assert_eq!(sizes, [16]);
        // Another survey's runs are its own.
        batch(&mut conn, &mut ledger, &[(2, hash(0))]);
        assert_eq!(runs(&ledger).len(), 2);
        let rows: i64 = nullifier_runs::table.count().get_result(&mut conn).unwrap();
        assert_eq!(rows, 2, "merged runs are deleted from the table");
    }

    #[test]
    fn a_second_writer_on_the_same_file_sees_the_first_ones_runs() {
        let (dir, mut first) = database();
        let mut second = connect_writer(&DatabaseUrl::Sqlite(dir.path().join("test.db"))).unwrap();
        second.batch_execute("PRAGMA foreign_keys = OFF;").unwrap();
        let mut one = Ledger::load(&mut first).unwrap();
        let mut two = Ledger::load(&mut second).unwrap();
        assert_eq!(batch(&mut first, &mut one, &[(1, hash(1)), (1, hash(2))]).len(), 2);
        let fresh = batch(&mut second, &mut two, &[(1, hash(2)), (1, hash(3))]);
        assert_eq!(fresh, HashSet::from([(1, hash(3))]), "hash(2) was counted by the other");
        // Merges by one are seen by the other, removals included.
        for n in 4..20 {
            batch(&mut first, &mut one, &[(1, hash(n))]);
        }
        assert!(batch(&mut second, &mut two, &[(1, hash(19)), (1, hash(20))]).len() == 1);
        assert_eq!(contents(&one).len() + 1, contents(&two).len());
    }

    #[test]
    fn a_rolled_back_batch_leaves_the_ledger_as_it_was() {
        let (_dir, mut conn) = database();
        let mut ledger = Ledger::load(&mut conn).unwrap();
        batch(&mut conn, &mut ledger, &[(1, hash(1)), (1, hash(2)), (1, hash(3))]);
        let failed: QueryResult<()> = crate::storage::write(&mut conn, |conn| {
            // The fourth run merges the first three away, then the transaction fails.
            let (_, _change) = ledger.record(conn, &[(1, hash(4))])?;
            Err(diesel::result::Error::RollbackTransaction)
        });
        assert!(failed.is_err());
        assert_eq!(contents(&ledger).len(), 3);
        let fresh = batch(&mut conn, &mut ledger, &[(1, hash(4)), (1, hash(1))]);
        assert_eq!(fresh, HashSet::from([(1, hash(4))]));
    }

    #[test]
    fn rows_an_older_version_left_in_nullifiers_become_runs() {
        let (_dir, mut conn) = database();
        for (survey, n) in [(1, 1), (1, 2), (2, 1)] {
            // The whole 32-byte HMAC, as those versions kept it.
            let whole = [hash(n), [0xee; 16]].concat();
            diesel::insert_into(nullifiers::table)
                .values((nullifiers::survey_id.eq(survey), nullifiers::hash.eq(whole)))
                .execute(&mut conn)
                .unwrap();
        }
        let mut ledger = Ledger::load(&mut conn).unwrap();
        assert_eq!(contents(&ledger), HashSet::from([(1, hash(1)), (1, hash(2)), (2, hash(1))]));
        let left: i64 = nullifiers::table.count().get_result(&mut conn).unwrap();
        assert_eq!(left, 0);
        assert!(batch(&mut conn, &mut ledger, &[(1, hash(2)), (2, hash(1))]).is_empty());
    }

    #[test]
    fn nullifiers_the_filter_cannot_tell_apart_are_still_told_apart() {
        let (_dir, mut conn) = database();
        let mut ledger = Ledger::load(&mut conn).unwrap();
        let (mut a, mut b) = (hash(7), hash(7));
        a[15] = 1;
        b[15] = 2;
        assert_eq!(batch(&mut conn, &mut ledger, &[(1, a)]).len(), 1);
        assert_eq!(batch(&mut conn, &mut ledger, &[(1, b), (1, a)]), HashSet::from([(1, b)]));
        assert_eq!(batch(&mut conn, &mut ledger, &[(2, a)]).len(), 1, "another survey's");
    }

    #[test]
    fn size_classes_are_powers_of_four() {
        assert_eq!([0, 1, 3, 4, 15, 16, 1023, 1024, 65535, 65536].map(tier), [0, 0, 0, 1, 1, 2, 4, 5, 7, 8]);
    }
}
