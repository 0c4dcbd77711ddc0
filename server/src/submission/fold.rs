//! Folding admitted submissions into the counters: the only write a submission causes.
//!
//! In one transaction, each submission's nullifier is recorded in the ledger (a retry
//! finds it there and is refused) and its cells are added to the counters. Increments are summed over
//! the batch first, so the database sees one update per cell, not per submission: a
//! copy of the database shows batch sums, never a single answer.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use diesel::prelude::*;
use nansen_shared::Tally;

use crate::storage::counters::{self, Counter};
use crate::storage::{self, Conn};
use crate::submission::admit::Nullifier;
use crate::submission::ledger::Ledger;
use crate::surveys::catalog::Published;

/// A valid submission, ready to be counted.
#[derive(Debug)]
pub struct Admitted {
    pub survey: Arc<Published>,
    pub nullifier: Nullifier,
    pub tally: Tally,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Counted,
    /// The nullifier was already there: this submission was counted before.
    AlreadyCounted,
}

/// Each survey version in a batch, by id, with the questions of its cross-tabulations.
type Versions<'a> = HashMap<i64, (&'a Published, Vec<(u16, u16)>)>;

/// Counts `batch` in one transaction and says, for each submission in order, whether it
/// was counted now or had been before. On error nothing at all is counted, and `ledger`
/// is as it was.
pub fn fold(conn: &mut Conn, ledger: &mut Ledger, batch: &[Admitted]) -> QueryResult<Vec<Outcome>> {
    let keys: Vec<(i64, Nullifier)> =
        batch.iter().map(|item| (item.survey.survey_id, item.nullifier)).collect();
    let (outcomes, change) = storage::write(conn, |conn| -> QueryResult<_> {
        let (mut fresh, change) = ledger.record(conn, &keys)?;
        let mut outcomes = Vec::with_capacity(batch.len());
        // Sorted, so that every instance updates rows in the same order: two
        // transactions on one PostgreSQL then wait for each other, never deadlock.
        let mut increments: BTreeMap<(i64, Counter), i64> = BTreeMap::new();
        let mut versions = Versions::new();
        for (item, key) in batch.iter().zip(&keys) {
            // The first of a batch's repeats counts; the ledger's and the rest don't.
            if !fresh.remove(key) {
                outcomes.push(Outcome::AlreadyCounted);
                continue;
            }
            let version = item.survey.version_id;
            let (_, crosstabs) = versions
                .entry(version)
                .or_insert_with(|| (&item.survey, counters::crosstab_questions(&item.survey.survey)));
            counters::touched_by(&item.tally, crosstabs, |counter| {
                *increments.entry((version, counter)).or_default() += 1;
            });
            outcomes.push(Outcome::Counted);
        }
        counters::add(conn, |version| versions.get(&version).map(|(p, _)| &p.survey), &increments)?;
        Ok((outcomes, change))
    })?;
    ledger.apply(change);
    Ok(outcomes)
}
