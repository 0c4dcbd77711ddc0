//! Folding admitted submissions into the counters: the only write a submission causes.
//!
//! In one transaction, each submission's nullifier is recorded in the ledger (a retry
//! finds it there and is refused) and its cells are added to the counters. Increments are summed over
//! the batch first, so the database sees one update per cell, not per submission: a
//! copy of the database shows batch sums, never a single answer.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use diesel::prelude::*;
use diesel::upsert::excluded;
use nansen_shared::{Cell, Tally};

use crate::admit::Nullifier;
use crate::catalog::Published;
use crate::db::{self, Conn};
use crate::ledger::Ledger;
use crate::schema::counters;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Counter {
    Respondents,
    Answered(u16),
    Cell(Cell),
    /// Cross-tabulation `table` of the definition: option `row` of its row question
    /// with option `column` of its column question.
    Cross {
        table: u16,
        row: u16,
        column: u16,
    },
}

/// Counts `batch` in one transaction and says, for each submission in order, whether it
/// was counted now or had been before. On error nothing at all is counted, and `ledger`
/// is as it was.
pub fn fold(conn: &mut Conn, ledger: &mut Ledger, batch: &[Admitted]) -> QueryResult<Vec<Outcome>> {
    let keys: Vec<(i64, Nullifier)> =
        batch.iter().map(|item| (item.survey.survey_id, item.nullifier)).collect();
    let (outcomes, change) = db::write(conn, |conn| -> QueryResult<_> {
        let (mut fresh, change) = ledger.record(conn, &keys)?;
        let mut outcomes = Vec::with_capacity(batch.len());
        // Sorted, so that every instance updates rows in the same order: two
        // transactions on one PostgreSQL then wait for each other, never deadlock.
        let mut increments: BTreeMap<(i64, Counter), i64> = BTreeMap::new();
        // Each survey version in the batch, with the questions of its cross-tabulations.
        let mut versions: HashMap<i64, (&Published, CrossQuestions)> = HashMap::new();
        for (item, key) in batch.iter().zip(&keys) {
            // The first of a batch's repeats counts; the ledger's and the rest don't.
            if !fresh.remove(key) {
                outcomes.push(Outcome::AlreadyCounted);
                continue;
            }
            let version = item.survey.version_id;
            let (_, crosstabs) =
                versions.entry(version).or_insert_with(|| (&item.survey, crosstab_questions(&item.survey)));
            tally(&item.tally, crosstabs, |counter| *increments.entry((version, counter)).or_default() += 1);
            outcomes.push(Outcome::Counted);
        }
        add_to_counters(conn, &versions, &increments)?;
        Ok((outcomes, change))
    })?;
    ledger.apply(change);
    Ok(outcomes)
}

/// Calls `count` for each counter one submission adds to: the respondent total, each
/// answered question, each chosen cell, each declared cross-tabulation cell.
fn tally(tally: &Tally, crosstabs: &CrossQuestions, mut count: impl FnMut(Counter)) {
    count(Counter::Respondents);
    for question in tally.answered() {
        count(Counter::Answered(question));
    }
    let cells = tally.cells();
    for cell in cells {
        count(Counter::Cell(*cell));
    }
    for (table, &(rows, columns)) in crosstabs.iter().enumerate() {
        for row in cells.iter().filter(|c| c.question == rows) {
            for column in cells.iter().filter(|c| c.question == columns) {
                count(Counter::Cross { table: table as u16, row: row.option, column: column.option });
            }
        }
    }
}

/// Adds the summed increments to the counters, creating the rows that are new.
fn add_to_counters(
    conn: &mut Conn,
    versions: &HashMap<i64, (&Published, CrossQuestions)>,
    increments: &BTreeMap<(i64, Counter), i64>,
) -> QueryResult<()> {
    let rows: Vec<_> = increments
        .iter()
        .filter_map(|(&(version, counter), &n)| {
            let (published, _) = versions.get(&version)?;
            let (question, option) = names(published, counter);
            Some((
                counters::version_id.eq(version),
                counters::question.eq(question),
                counters::option.eq(option),
                counters::n.eq(n),
            ))
        })
        .collect();
    for chunk in rows.chunks(db::ROWS_PER_STATEMENT) {
        crate::per_backend!(conn, |c| diesel::insert_into(counters::table)
            .values(chunk)
            .on_conflict((counters::version_id, counters::question, counters::option))
            .do_update()
            .set(counters::n.eq(counters::n + excluded(counters::n)))
            .execute(c))?;
    }
    Ok(())
}

/// The row and column question of each declared cross-tabulation, by index.
type CrossQuestions = Vec<(u16, u16)>;

/// The question indices of each declared cross-tabulation (checked at publication).
fn crosstab_questions(published: &Published) -> CrossQuestions {
    let survey = &published.survey;
    let index = |id: &str| survey.question(id).map(|(i, _)| i as u16);
    survey
        .crosstabs
        .iter()
        .filter_map(|t| Some((index(t.rows.as_str())?, index(t.columns.as_str())?)))
        .collect()
}

/// The (question, option) a counter is stored under; see the `counters` migration. A
/// cross-tabulation cell is `("rows/columns", "row/column")`: `/` is in no id or code.
fn names(published: &Published, counter: Counter) -> (String, String) {
    let survey = &published.survey;
    let code = |question: u16, option: u16| {
        let question = survey.questions.get(usize::from(question))?;
        Some((question.id.as_str(), question.cell_code(usize::from(option))?.into_owned()))
    };
    let found = match counter {
        Counter::Respondents => Some((String::new(), String::new())),
        Counter::Answered(q) => {
            survey.questions.get(usize::from(q)).map(|q| (q.id.to_string(), String::new()))
        }
        Counter::Cell(cell) => code(cell.question, cell.option).map(|(q, o)| (q.to_owned(), o)),
        Counter::Cross { table, row, column } => (|| {
            let table = survey.crosstabs.get(usize::from(table))?;
            let rows = survey.question(table.rows.as_str())?.0 as u16;
            let columns = survey.question(table.columns.as_str())?.0 as u16;
            let (r, row) = code(rows, row)?;
            let (c, column) = code(columns, column)?;
            Some((format!("{r}/{c}"), format!("{row}/{column}")))
        })(),
    };
    found.unwrap_or_default()
}
