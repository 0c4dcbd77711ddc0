//! Folding admitted submissions into the counters: the only write a submission causes.
//!
//! In one transaction, each submission's nullifier is recorded in the ledger (a retry
//! finds it there and is refused) and its cells are added to the counters. Increments
//! are summed over the batch first, and every open survey's block of counters is
//! rewritten whole: a copy of the database shows totals, never a single answer, nor
//! which counts one batch changed.

use std::collections::HashMap;
use std::sync::Arc;

use diesel::prelude::*;
use nansen_shared::Tally;

use crate::storage::counters::{self, Increments};
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

/// Counts `batch` in one transaction and says, for each submission in order, whether it
/// was counted now or had been before. On error nothing at all is counted, and `ledger`
/// is as it was.
pub fn fold(conn: &mut Conn, ledger: &mut Ledger, batch: &[Admitted]) -> QueryResult<Vec<Outcome>> {
    let keys: Vec<(i64, Nullifier)> =
        batch.iter().map(|item| (item.survey.survey_id, item.nullifier)).collect();
    let (outcomes, change) = storage::write(conn, |conn| -> QueryResult<_> {
        let (mut fresh, change) = ledger.record(conn, &keys)?;
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut increments = Increments::new();
        // The sides of each version's cross-tabulations, worked out once a batch.
        let mut crosstabs: HashMap<i64, Vec<(counters::Dim, counters::Dim)>> = HashMap::new();
        for (item, key) in batch.iter().zip(&keys) {
            // The first of a batch's repeats counts; the ledger's and the rest don't.
            if !fresh.remove(key) {
                outcomes.push(Outcome::AlreadyCounted);
                continue;
            }
            let survey = &item.survey.survey;
            let version = item.survey.version_id;
            let tables = crosstabs.entry(version).or_insert_with(|| counters::crosstab_dims(survey));
            let (_, added) = increments.entry(version).or_insert_with(|| (survey, HashMap::new()));
            counters::touched_by(&item.tally, tables, |counter, n| {
                let count = added.entry(counter).or_default();
                *count = count.wrapping_add(n);
            });
            outcomes.push(Outcome::Counted);
        }
        counters::add(conn, &increments)?;
        Ok((outcomes, change))
    })?;
    ledger.apply(change);
    Ok(outcomes)
}
