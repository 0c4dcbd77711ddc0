//! The counters: what each one counts, how it is stored, and the only code that writes
//! or reads them. Submissions add to them (`submission::fold`); disclosure reads them
//! (`disclosure`); nothing else touches the table.
//!
//! A counter is addressed by indices into its survey version's definition, which never
//! changes once published. It is stored as one row of `counters`
//! (`migrations/*/2026-11-27-000000_init/up.sql`) per survey version and counter, under
//! text that stays readable in a database copy:
//!
//! | counter                                   | `question`        | `option`       |
//! | ----------------------------------------- | ----------------- | -------------- |
//! | respondents                               | `""`              | `""`           |
//! | answered question Q                       | Q's id            | `""`           |
//! | cell: option O of question Q              | Q's id            | O's code       |
//! | cross-tabulation of R × C: options r, c   | `"R/C"` (the ids) | `"r/c"` (codes)|
//!
//! `/` is in no question id or option code, so the spelling is unambiguous; a row the
//! definition does not explain is never read.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use diesel::upsert::excluded;
use nansen_shared::{Cell, Survey, Tally};

use crate::storage::schema::counters;
use crate::storage::{self, Conn};

/// What one counter counts, in one survey version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Counter {
    /// Everyone counted.
    Respondents,
    /// How many answered question `.0` (by index).
    Answered(u16),
    /// How many chose an option (or scale point, bin, country).
    Cell(Cell),
    /// Cross-tabulation `table` of the definition: option `row` of its row question
    /// with option `column` of its column question.
    Cross { table: u16, row: u16, column: u16 },
}

/// The separator of a cross-tabulation's two ids, and of its two codes.
const PAIR: char = '/';

impl Counter {
    /// The `(question, option)` this counter is stored under; `None` if `survey` has no
    /// such counter.
    pub fn encode(self, survey: &Survey) -> Option<(String, String)> {
        let code = |question: u16, option: u16| {
            let question = survey.questions.get(usize::from(question))?;
            Some((question.id.as_str(), question.cell_code(usize::from(option))?))
        };
        match self {
            Self::Respondents => Some((String::new(), String::new())),
            Self::Answered(q) => {
                survey.questions.get(usize::from(q)).map(|q| (q.id.to_string(), String::new()))
            }
            Self::Cell(cell) => code(cell.question, cell.option).map(|(q, o)| (q.to_owned(), o.into_owned())),
            Self::Cross { table, row, column } => {
                let (rows, columns) = crosstab(survey, usize::from(table))?;
                let (r, row) = code(rows, row)?;
                let (c, column) = code(columns, column)?;
                Some((format!("{r}{PAIR}{c}"), format!("{row}{PAIR}{column}")))
            }
        }
    }

    /// The counter stored under `(question, option)` in `survey`, if there is one.
    pub fn decode(survey: &Survey, question: &str, option: &str) -> Option<Self> {
        let index = |id: &str| survey.question(id).map(|(i, q)| (u16::try_from(i).ok(), q));
        match (question, option) {
            ("", "") => Some(Self::Respondents),
            (id, "") => Some(Self::Answered(index(id)?.0?)),
            (pair, codes) if pair.contains(PAIR) => {
                let (r, c) = pair.split_once(PAIR)?;
                let (row, column) = codes.split_once(PAIR)?;
                let (rows, row_question) = index(r)?;
                let (columns, column_question) = index(c)?;
                let table = crosstab_questions(survey)
                    .iter()
                    .position(|&t| (Some(t.0), Some(t.1)) == (rows, columns))?;
                Some(Self::Cross {
                    table: u16::try_from(table).ok()?,
                    row: u16::try_from(row_question.cell_index(row)?).ok()?,
                    column: u16::try_from(column_question.cell_index(column)?).ok()?,
                })
            }
            (id, code) => {
                let (question, q) = index(id)?;
                Some(Self::Cell(Cell {
                    question: question?,
                    option: u16::try_from(q.cell_index(code)?).ok()?,
                }))
            }
        }
    }
}

/// The row and column questions (indices) of each declared cross-tabulation, in order.
/// Publication checks that both exist; a table that did not would have no counters.
pub fn crosstab_questions(survey: &Survey) -> Vec<(u16, u16)> {
    (0..survey.crosstabs.len()).map(|t| crosstab(survey, t).unwrap_or((u16::MAX, u16::MAX))).collect()
}

fn crosstab(survey: &Survey, table: usize) -> Option<(u16, u16)> {
    let table = survey.crosstabs.get(table)?;
    let index = |id: &str| survey.question(id).and_then(|(i, _)| u16::try_from(i).ok());
    Some((index(table.rows.as_str())?, index(table.columns.as_str())?))
}

/// Calls `count` for each counter one valid submission adds one to: the respondent
/// total, each answered question, each chosen cell, and each cell of a declared
/// cross-tabulation (`crosstabs`, from [`crosstab_questions`]) whose two answers it gave.
pub fn touched_by(tally: &Tally, crosstabs: &[(u16, u16)], mut count: impl FnMut(Counter)) {
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

/// A survey version's counts, as read. A counter never written is zero.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(HashMap<Counter, u64>);

impl Counts {
    pub fn get(&self, counter: Counter) -> u64 {
        self.0.get(&counter).copied().unwrap_or(0)
    }

    /// Adds `n` to `counter` (for tests and models of the fold).
    pub fn add(&mut self, counter: Counter, n: u64) {
        *self.0.entry(counter).or_default() += n;
    }
}

/// Adds each increment to its counter, creating the rows that are new. `increments` is
/// keyed by survey version id; `surveys` gives each version's definition.
///
/// Rows are written in the map's order, the same in every instance, so that two
/// transactions on one PostgreSQL wait for each other instead of deadlocking.
pub fn add<'a>(
    conn: &mut Conn,
    surveys: impl Fn(i64) -> Option<&'a Survey>,
    increments: &BTreeMap<(i64, Counter), i64>,
) -> QueryResult<()> {
    let rows: Vec<_> = increments
        .iter()
        .filter_map(|(&(version, counter), &n)| {
            let (question, option) = counter.encode(surveys(version)?)?;
            Some((
                counters::version_id.eq(version),
                counters::question.eq(question),
                counters::option.eq(option),
                counters::n.eq(n),
            ))
        })
        .collect();
    for chunk in rows.chunks(storage::ROWS_PER_STATEMENT) {
        crate::per_backend!(conn, |c| diesel::insert_into(counters::table)
            .values(chunk)
            .on_conflict((counters::version_id, counters::question, counters::option))
            .do_update()
            .set(counters::n.eq(counters::n + excluded(counters::n)))
            .execute(c))?;
    }
    Ok(())
}

/// Every counter of survey version `version_id`, whose definition is `survey`.
pub fn load(conn: &mut Conn, version_id: i64, survey: &Survey) -> QueryResult<Counts> {
    let rows: Vec<(String, String, i64)> = counters::table
        .filter(counters::version_id.eq(version_id))
        .select((counters::question, counters::option, counters::n))
        .load(conn)?;
    let mut counts = Counts::default();
    for (question, option, n) in rows {
        if let Some(counter) = Counter::decode(survey, &question, &option) {
            counts.add(counter, u64::try_from(n).unwrap_or(0));
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn survey() -> Survey {
        crate::surveys::seed::default_survey().unwrap()
    }

    /// Every counter the default survey has.
    fn all(survey: &Survey) -> Vec<Counter> {
        let mut all = vec![Counter::Respondents];
        for (q, question) in survey.questions.iter().enumerate() {
            all.push(Counter::Answered(q as u16));
            for o in 0..question.cell_count() {
                all.push(Counter::Cell(Cell { question: q as u16, option: o as u16 }));
            }
        }
        for (table, (rows, columns)) in crosstab_questions(survey).into_iter().enumerate() {
            for row in 0..survey.questions[usize::from(rows)].cell_count() {
                for column in 0..survey.questions[usize::from(columns)].cell_count() {
                    all.push(Counter::Cross { table: table as u16, row: row as u16, column: column as u16 });
                }
            }
        }
        all
    }

    #[test]
    fn every_counter_reads_back_as_itself_and_under_a_name_of_its_own() {
        let survey = survey();
        let all = all(&survey);
        let mut seen = std::collections::HashSet::new();
        for counter in &all {
            let (question, option) = counter.encode(&survey).unwrap();
            assert_eq!(
                Counter::decode(&survey, &question, &option),
                Some(*counter),
                "{question:?} {option:?}"
            );
            assert!(seen.insert((question, option)), "two counters share a name");
        }
        assert!(all.len() > 300, "the default survey has countries: {}", all.len());
    }

    #[test]
    fn the_stored_form_is_the_documented_one() {
        let survey = survey();
        let (country, _) = survey.question("country").unwrap();
        let ge = survey.questions[country].cell_index("GE").unwrap();
        let cell = Counter::Cell(Cell { question: country as u16, option: ge as u16 });
        assert_eq!(cell.encode(&survey), Some(("country".into(), "GE".into())));
        assert_eq!(Counter::Respondents.encode(&survey), Some((String::new(), String::new())));
        assert_eq!(
            Counter::Answered(country as u16).encode(&survey),
            Some(("country".into(), String::new()))
        );
        let (rows, columns) = (&survey.crosstabs[0].rows, &survey.crosstabs[0].columns);
        let cross = Counter::Cross { table: 0, row: 0, column: 1 };
        let (question, option) = cross.encode(&survey).unwrap();
        assert_eq!(question, format!("{rows}/{columns}"));
        assert_eq!(option.split('/').count(), 2);
    }

    proptest! {
        #[test]
        fn names_that_no_counter_has_read_as_nothing(question in "[a-z_/]{0,12}", option in "[a-zA-Z0-9_/]{0,8}") {
            let survey = survey();
            if let Some(counter) = Counter::decode(&survey, &question, &option) {
                prop_assert_eq!(counter.encode(&survey), Some((question, option)));
            }
        }
    }
}
