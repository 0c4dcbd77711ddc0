//! Folding admitted submissions into the counters: the only write a submission causes.
//!
//! In one transaction, each submission's nullifier is inserted (a retry finds it there
//! and is refused) and its cells are added to the counters. Increments are summed over
//! the batch first, so the database sees one update per cell, not per submission: a
//! copy of the database shows batch sums, never a single answer.

use std::collections::HashMap;
use std::sync::Arc;

use diesel::prelude::*;
use diesel::upsert::excluded;
use nansen_shared::{Cell, Tally};

use crate::admit::Nullifier;
use crate::catalog::Published;
use crate::db::Conn;
use crate::schema::{counters, nullifiers};

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

/// What one counter row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Counter {
    Respondents,
    Answered(u16),
    Cell(Cell),
}

/// Counts `batch` in one transaction and says, for each submission in order, whether it
/// was counted now or had been before. On error nothing at all is counted.
pub fn fold(conn: &mut Conn, batch: &[Admitted]) -> QueryResult<Vec<Outcome>> {
    conn.immediate_transaction(|conn| {
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut increments: HashMap<(i64, Counter), i64> = HashMap::new();
        let mut versions: HashMap<i64, &Published> = HashMap::new();
        for item in batch {
            let inserted = diesel::insert_into(nullifiers::table)
                .values((
                    nullifiers::survey_id.eq(item.survey.survey_id),
                    nullifiers::hash.eq(&item.nullifier[..]),
                ))
                .on_conflict_do_nothing()
                .execute(conn)?;
            if inserted == 0 {
                outcomes.push(Outcome::AlreadyCounted);
                continue;
            }
            let version = item.survey.version_id;
            versions.insert(version, &item.survey);
            *increments.entry((version, Counter::Respondents)).or_default() += 1;
            for question in item.tally.answered() {
                *increments.entry((version, Counter::Answered(question))).or_default() += 1;
            }
            for cell in item.tally.cells() {
                *increments.entry((version, Counter::Cell(*cell))).or_default() += 1;
            }
            outcomes.push(Outcome::Counted);
        }
        for ((version, counter), n) in increments {
            let Some(published) = versions.get(&version) else { continue };
            let (question, option) = names(published, counter);
            diesel::insert_into(counters::table)
                .values((
                    counters::version_id.eq(version),
                    counters::question.eq(question),
                    counters::option.eq(option),
                    counters::n.eq(n),
                ))
                .on_conflict((counters::version_id, counters::question, counters::option))
                .do_update()
                .set(counters::n.eq(counters::n + excluded(counters::n)))
                .execute(conn)?;
        }
        Ok(outcomes)
    })
}

/// The (question, option) a counter is stored under; see the `counters` migration.
fn names(published: &Published, counter: Counter) -> (&str, String) {
    let question = |index: u16| published.survey.questions.get(usize::from(index));
    match counter {
        Counter::Respondents => ("", String::new()),
        Counter::Answered(q) => (question(q).map_or("", |q| q.id.as_str()), String::new()),
        Counter::Cell(cell) => match question(cell.question) {
            Some(q) => {
                (q.id.as_str(), q.cell_code(usize::from(cell.option)).unwrap_or_default().into_owned())
            }
            None => ("", String::new()),
        },
    }
}
