//! The counters: what each one counts, how they are stored, and the only code that
//! writes or reads them. Submissions add to them (`submission::fold`); releases read
//! them (`disclosure`); nothing else touches them.
//!
//! A counter is addressed by indices into its survey version's definition, which never
//! changes once published. A version's counters are stored together as one value of
//! fixed size, a *block* (`counter_blocks`, migrations/*/2026-12-02-000000_releases):
//! little-endian 64-bit counts, in the order of [`Layout`]:
//!
//! ```text
//! [respondents] [answered q0, q1, …] [cells of q0] [cells of q1] … [table 0, row by row] …
//! [for each number question: how many gave a number, their sum, the sum of squares] …
//! ```
//!
//! A sum is stored as the two's complement of a 64-bit integer (numbers may be negative).
//!
//! The block is created, all zeros, when the version is published, and every batch
//! rewrites the block of every open survey whole, changed or not: no row's metadata
//! (PostgreSQL's transaction ids, SQLite's page and cell order) and no size says which
//! counts one batch changed.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;
use nansen_shared::{Cell, QuestionKind, Survey, SurveyStatus, Tally};

use crate::storage::Conn;
use crate::storage::schema::{counter_blocks, counters, survey_versions, surveys};

/// What one counter counts, in one survey version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Counter {
    /// Everyone counted.
    Respondents,
    /// How many answered question `.0` (by index).
    Answered(u16),
    /// How many chose an option (or scale point, bin, country).
    Cell(Cell),
    /// Cross-tabulation `table` of the definition: option `row` of its row dimension
    /// with option `column` of its column dimension (indices within each [`Dim`]).
    Cross { table: u16, row: u16, column: u16 },
    /// How many gave number question `.0` a number (not a range).
    Numbered(u16),
    /// The sum of those numbers (a signed value: read it with [`Counts::signed`]).
    Sum(u16),
    /// The sum of their squares.
    SumOfSquares(u16),
}

impl Counter {
    /// Whether one respondent moves this counter by at most one (a count), rather than
    /// by their number (a sum).
    pub fn is_count(self) -> bool {
        !matches!(self, Self::Sum(_) | Self::SumOfSquares(_))
    }
}

/// Bytes of one count in a block.
const COUNT_BYTES: usize = 8;

/// Where each counter of a survey version sits in its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Each question's first cell slot, and its cell count.
    questions: Vec<(usize, usize)>,
    /// Each cross-tabulation's first slot and its row and column dimensions.
    tables: Vec<(usize, Dim, Dim)>,
    /// Each number question's first slot of three (numbered, sum, sum of squares).
    numbers: Vec<(usize, u16)>,
    len: usize,
}

impl Layout {
    pub fn of(survey: &Survey) -> Self {
        let mut next = 1 + survey.questions.len();
        let questions: Vec<(usize, usize)> = survey
            .questions
            .iter()
            .map(|q| {
                let at = next;
                next += q.cell_count();
                (at, q.cell_count())
            })
            .collect();
        let tables = crosstab_dims(survey)
            .into_iter()
            .map(|(rows, columns)| {
                let at = next;
                next += usize::from(rows.len) * usize::from(columns.len);
                (at, rows, columns)
            })
            .collect();
        let numbers = survey
            .questions
            .iter()
            .enumerate()
            .filter(|(_, q)| matches!(q.kind, QuestionKind::Number { .. }))
            .map(|(q, _)| {
                let at = next;
                next += 3;
                (at, q as u16)
            })
            .collect();
        Self { questions, tables, numbers, len: next }
    }

    /// How many counters the version has.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The size of the version's block, in bytes.
    pub fn block_bytes(&self) -> usize {
        self.len * COUNT_BYTES
    }

    fn cells(&self, question: u16) -> Option<(usize, usize)> {
        self.questions.get(usize::from(question)).copied()
    }

    /// Where `counter` sits, if the version has it.
    pub fn slot(&self, counter: Counter) -> Option<usize> {
        match counter {
            Counter::Respondents => Some(0),
            Counter::Answered(q) => (usize::from(q) < self.questions.len()).then(|| 1 + usize::from(q)),
            Counter::Cell(cell) => {
                let (at, count) = self.cells(cell.question)?;
                (usize::from(cell.option) < count).then(|| at + usize::from(cell.option))
            }
            Counter::Cross { table, row, column } => {
                let &(at, rows, columns) = self.tables.get(usize::from(table))?;
                let (row_count, column_count) = (usize::from(rows.len), usize::from(columns.len));
                let (row, column) = (usize::from(row), usize::from(column));
                (row < row_count && column < column_count).then(|| at + row * column_count + column)
            }
            Counter::Numbered(q) => self.number(q),
            Counter::Sum(q) => self.number(q).map(|at| at + 1),
            Counter::SumOfSquares(q) => self.number(q).map(|at| at + 2),
        }
    }

    fn number(&self, question: u16) -> Option<usize> {
        self.numbers.iter().find(|(_, q)| *q == question).map(|(at, _)| *at)
    }

    /// The number questions (by index), in order.
    pub fn number_questions(&self) -> impl Iterator<Item = u16> + '_ {
        self.numbers.iter().map(|(_, q)| *q)
    }

    /// Every counter of the version, in slot order.
    pub fn counters(&self) -> impl Iterator<Item = Counter> + '_ {
        let answered = (0..self.questions.len()).map(|q| Counter::Answered(q as u16));
        let cells = self.questions.iter().enumerate().flat_map(|(q, &(_, count))| {
            (0..count).map(move |o| Counter::Cell(Cell { question: q as u16, option: o as u16 }))
        });
        let crosses = self.tables.iter().enumerate().flat_map(move |(t, &(_, rows, columns))| {
            let (rows, columns) = (usize::from(rows.len), usize::from(columns.len));
            (0..rows * columns).map(move |i| Counter::Cross {
                table: t as u16,
                row: (i / columns) as u16,
                column: (i % columns) as u16,
            })
        });
        let numbers = self
            .numbers
            .iter()
            .flat_map(|&(_, q)| [Counter::Numbered(q), Counter::Sum(q), Counter::SumOfSquares(q)]);
        std::iter::once(Counter::Respondents).chain(answered).chain(cells).chain(crosses).chain(numbers)
    }

    /// A block of zeros.
    pub fn empty_block(&self) -> Vec<u8> {
        vec![0; self.block_bytes()]
    }

    /// The counts a block holds; `None` if it is not this layout's size.
    pub fn read(&self, block: &[u8]) -> Option<Counts> {
        if block.len() != self.block_bytes() {
            return None;
        }
        let mut counts = Counts::default();
        for (counter, bytes) in self.counters().zip(block.chunks_exact(COUNT_BYTES)) {
            let n = u64::from_le_bytes(bytes.try_into().ok()?);
            if n > 0 {
                counts.add(counter, n);
            }
        }
        Some(counts)
    }

    /// Adds `increments` to the counts in `block`, in place.
    fn add_to(&self, block: &mut [u8], increments: &HashMap<Counter, u64>) {
        for (counter, n) in increments {
            let Some(slot) = self.slot(*counter) else { continue };
            let Some(bytes) = block.get_mut(slot * COUNT_BYTES..(slot + 1) * COUNT_BYTES) else { continue };
            let mut count = [0u8; COUNT_BYTES];
            count.copy_from_slice(bytes);
            // Wrapping: a sum's negative numbers are added as their two's complement.
            bytes.copy_from_slice(&u64::from_le_bytes(count).wrapping_add(*n).to_le_bytes());
        }
    }
}

/// One side of a declared cross-tabulation: a question's cells, or one grid row's or
/// ranking item's block of them. Its own indices run from 0 to `len`; a respondent
/// gives at most one answer in a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dim {
    /// The question (by index).
    pub question: u16,
    /// The grid row or ranking item (by index), when the side is one.
    pub part: Option<u16>,
    /// The question's first cell in the side.
    pub first: u16,
    pub len: u16,
}

impl Dim {
    /// A side a definition does not have (publication checks that none is left).
    const MISSING: Self = Self { question: u16::MAX, part: None, first: 0, len: 0 };

    /// The side's index of `cell`, if the cell is in it.
    pub fn local(&self, cell: Cell) -> Option<u16> {
        (cell.question == self.question
            && (self.first..self.first.saturating_add(self.len)).contains(&cell.option))
        .then(|| cell.option - self.first)
    }

    /// The question's cell at the side's index `local`.
    pub fn cell(&self, local: u16) -> Cell {
        Cell { question: self.question, option: self.first + local }
    }

    /// The side's offered cells, by its own indices.
    pub fn offered(&self, survey: &Survey) -> Vec<u16> {
        let Some(question) = survey.questions.get(usize::from(self.question)) else { return Vec::new() };
        (0..self.len).filter(|&local| question.offers_cell(usize::from(self.first + local))).collect()
    }

    /// The code its cell `local` is reported under (the question's cell code).
    pub fn code(&self, survey: &Survey, local: u16) -> String {
        survey
            .questions
            .get(usize::from(self.question))
            .and_then(|q| q.cell_code(usize::from(self.first + local)))
            .map(|c| c.into_owned())
            .unwrap_or_default()
    }

    /// The side named by question `id` and, for a grid or a ranking, its row or item.
    fn of(survey: &Survey, id: &str, item: Option<&str>) -> Self {
        let Some((index, question)) = survey.question(id) else { return Self::MISSING };
        let Ok(index) = u16::try_from(index) else { return Self::MISSING };
        let block = match (question.parts(), item) {
            (None, None) => Some((None, 0..question.cell_count())),
            (Some(_), Some(item)) => question.part_index(item).map(|p| (Some(p), question.part_cells(p))),
            _ => None,
        };
        let Some((part, cells)) = block else { return Self::MISSING };
        match (part.map(u16::try_from).transpose(), u16::try_from(cells.start), u16::try_from(cells.len())) {
            (Ok(part), Ok(first), Ok(len)) => Self { question: index, part, first, len },
            _ => Self::MISSING,
        }
    }
}

/// The row and column sides of each declared cross-tabulation, in order. Publication
/// checks that both exist; a table that did not would have no counters.
pub fn crosstab_dims(survey: &Survey) -> Vec<(Dim, Dim)> {
    survey
        .crosstabs
        .iter()
        .map(|t| {
            (
                Dim::of(survey, t.rows.as_str(), t.rows_item.as_ref().map(|i| i.as_str())),
                Dim::of(survey, t.columns.as_str(), t.columns_item.as_ref().map(|i| i.as_str())),
            )
        })
        .collect()
}

/// Calls `add` with each counter one valid submission adds to, and by how much: one to
/// the respondent total, each answered question, each chosen cell and each cell of a
/// declared cross-tabulation (`crosstabs`, from [`crosstab_dims`]) whose two
/// answers it gave; and for each number given, one to how many gave one, the number to
/// the sum (as its two's complement) and its square to the sum of squares.
pub fn touched_by(tally: &Tally, crosstabs: &[(Dim, Dim)], mut add: impl FnMut(Counter, u64)) {
    add(Counter::Respondents, 1);
    for question in tally.answered() {
        add(Counter::Answered(question), 1);
    }
    let cells = tally.cells();
    for cell in cells {
        add(Counter::Cell(*cell), 1);
    }
    for (table, (rows, columns)) in crosstabs.iter().enumerate() {
        for row in cells.iter().filter_map(|c| rows.local(*c)) {
            for column in cells.iter().filter_map(|c| columns.local(*c)) {
                add(Counter::Cross { table: table as u16, row, column }, 1);
            }
        }
    }
    for &(question, n) in tally.numbers() {
        add(Counter::Numbered(question), 1);
        add(Counter::Sum(question), n as u64);
        let square = u64::try_from(i128::from(n) * i128::from(n)).unwrap_or(u64::MAX);
        add(Counter::SumOfSquares(question), square);
    }
}

/// A survey version's counts, as read. A counter never written is zero.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(HashMap<Counter, u64>);

impl Counts {
    pub fn get(&self, counter: Counter) -> u64 {
        self.0.get(&counter).copied().unwrap_or(0)
    }

    /// A sum's value, read as the signed number it is.
    pub fn signed(&self, counter: Counter) -> i64 {
        self.get(counter) as i64
    }

    /// Adds `n` to `counter` (wrapping, as a sum's negative numbers are added).
    pub fn add(&mut self, counter: Counter, n: u64) {
        let count = self.0.entry(counter).or_default();
        *count = count.wrapping_add(n);
    }
}

/// A batch's increments, by survey version id, with each version's definition.
pub type Increments<'a> = BTreeMap<i64, (&'a Survey, HashMap<Counter, u64>)>;

/// Adds `increments` to their versions' blocks, and rewrites the block of every open
/// survey's current version whether it changed or not. Call inside the batch's
/// transaction; several instances take turns (the ledger's lock, `submission::ledger`).
pub fn add(conn: &mut Conn, increments: &Increments<'_>) -> QueryResult<()> {
    let open: Vec<i64> = surveys::table
        .filter(surveys::status.eq(SurveyStatus::Open.as_str()))
        .filter(surveys::current_version_id.is_not_null())
        .select(surveys::current_version_id.assume_not_null())
        .load(conn)?;
    let mut versions: Vec<i64> = open.into_iter().chain(increments.keys().copied()).collect();
    versions.sort_unstable();
    versions.dedup();
    let blocks: HashMap<i64, Vec<u8>> = counter_blocks::table
        .filter(counter_blocks::version_id.eq_any(&versions))
        .select((counter_blocks::version_id, counter_blocks::counts))
        .load(conn)?
        .into_iter()
        .collect();
    for version in versions {
        let mut block = blocks.get(&version).cloned();
        if let Some((survey, added)) = increments.get(&version) {
            let layout = Layout::of(survey);
            let mut counts =
                block.filter(|b| b.len() == layout.block_bytes()).unwrap_or_else(|| layout.empty_block());
            layout.add_to(&mut counts, added);
            block = Some(counts);
        }
        let Some(block) = block else { continue };
        crate::per_backend!(conn, |c| diesel::insert_into(counter_blocks::table)
            .values((counter_blocks::version_id.eq(version), counter_blocks::counts.eq(&block)))
            .on_conflict(counter_blocks::version_id)
            .do_update()
            .set(counter_blocks::counts.eq(&block))
            .execute(c))?;
    }
    Ok(())
}

/// Creates the block of a version just published, all zeros.
pub fn create(conn: &mut Conn, version_id: i64, survey: &Survey) -> QueryResult<()> {
    diesel::insert_into(counter_blocks::table)
        .values((
            counter_blocks::version_id.eq(version_id),
            counter_blocks::counts.eq(Layout::of(survey).empty_block()),
        ))
        .execute(conn)
        .map(drop)
}

/// Every counter of survey version `version_id`, whose definition is `survey`.
pub fn load(conn: &mut Conn, version_id: i64, survey: &Survey) -> QueryResult<Counts> {
    let block: Option<Vec<u8>> =
        counter_blocks::table.find(version_id).select(counter_blocks::counts).first(conn).optional()?;
    let layout = Layout::of(survey);
    match block {
        None => Ok(Counts::default()),
        Some(block) => layout.read(&block).ok_or_else(|| {
            diesel::result::Error::DeserializationError(
                format!("the counters of version {version_id} are not of its layout's size").into(),
            )
        }),
    }
}

/// Moves counters left as rows of `counters` (by versions before blocks) into blocks,
/// and gives every published version without a block one of zeros. Run at start, in
/// first-start setup.
pub fn adopt(conn: &mut Conn) -> anyhow::Result<()> {
    let versions: Vec<(i64, String)> = survey_versions::table
        .left_join(counter_blocks::table)
        .filter(counter_blocks::version_id.is_null())
        .select((survey_versions::id, survey_versions::definition))
        .load(conn)?;
    for (version_id, definition) in versions {
        let survey: Survey = serde_json::from_str(&definition)?;
        let rows: Vec<(String, String, i64)> = counters::table
            .filter(counters::version_id.eq(version_id))
            .select((counters::question, counters::option, counters::n))
            .load(conn)?;
        let layout = Layout::of(&survey);
        let mut block = layout.empty_block();
        let counted: HashMap<Counter, u64> = rows
            .iter()
            .filter_map(|(q, o, n)| Some((legacy_row(&survey, q, o)?, u64::try_from(*n).ok()?)))
            .collect();
        layout.add_to(&mut block, &counted);
        diesel::insert_into(counter_blocks::table)
            .values((counter_blocks::version_id.eq(version_id), counter_blocks::counts.eq(&block)))
            .execute(conn)?;
        diesel::delete(counters::table.filter(counters::version_id.eq(version_id))).execute(conn)?;
    }
    Ok(())
}

/// The counter a row of the old `counters` table counted: `("", "")` the respondents,
/// `(question, "")` answered, `(question, option)` a cell, `("rows/columns",
/// "row/column")` a cross-tabulation cell (`/` is in no id or code).
fn legacy_row(survey: &Survey, question: &str, option: &str) -> Option<Counter> {
    let index = |id: &str| survey.question(id).map(|(i, q)| (u16::try_from(i).ok(), q));
    match (question, option) {
        ("", "") => Some(Counter::Respondents),
        (id, "") => Some(Counter::Answered(index(id)?.0?)),
        (pair, codes) if pair.contains('/') => {
            let (r, c) = pair.split_once('/')?;
            let (row, column) = codes.split_once('/')?;
            let (rows, row_question) = index(r)?;
            let (columns, column_question) = index(c)?;
            // Old rows predate grids: every table then was of two whole questions.
            let table = crosstab_dims(survey)
                .iter()
                .position(|t| (Some(t.0.question), Some(t.1.question)) == (rows, columns))?;
            Some(Counter::Cross {
                table: u16::try_from(table).ok()?,
                row: u16::try_from(row_question.cell_index(row)?).ok()?,
                column: u16::try_from(column_question.cell_index(column)?).ok()?,
            })
        }
        (id, code) => {
            let (question, q) = index(id)?;
            Some(Counter::Cell(Cell {
                question: question?,
                option: u16::try_from(q.cell_index(code)?).ok()?,
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn survey() -> Survey {
        crate::surveys::seed::default_survey().unwrap()
    }

    #[test]
    fn every_counter_has_a_slot_of_its_own_and_the_slots_fill_the_block() {
        let survey = survey();
        let layout = Layout::of(&survey);
        let slots: Vec<usize> = layout.counters().map(|c| layout.slot(c).unwrap()).collect();
        assert_eq!(slots, (0..layout.len()).collect::<Vec<_>>(), "in slot order, once each");
        assert!(layout.len() > 300, "the default survey has countries: {}", layout.len());
        let (country, _) = survey.question("country").unwrap();
        assert_eq!(layout.slot(Counter::Answered(99)), None);
        assert_eq!(layout.slot(Counter::Cell(Cell { question: country as u16, option: 9999 })), None);
        assert_eq!(layout.slot(Counter::Cross { table: 7, row: 0, column: 0 }), None);
    }

    #[test]
    fn a_block_reads_back_what_was_added_and_keeps_its_size() {
        let survey = survey();
        let layout = Layout::of(&survey);
        let mut block = layout.empty_block();
        let cross = Counter::Cross { table: 1, row: 2, column: 3 };
        let added: HashMap<Counter, u64> =
            [(Counter::Respondents, 7), (Counter::Answered(3), 5), (cross, 2)].into();
        layout.add_to(&mut block, &added);
        layout.add_to(&mut block, &added);
        assert_eq!(block.len(), layout.block_bytes());
        let counts = layout.read(&block).unwrap();
        assert_eq!(
            (counts.get(Counter::Respondents), counts.get(Counter::Answered(3)), counts.get(cross)),
            (14, 10, 4)
        );
        assert_eq!(counts.get(Counter::Answered(4)), 0);
        assert!(layout.read(&block[8..]).is_none(), "a block of another size is refused");
    }

    #[test]
    fn old_rows_are_read_as_their_counters() {
        let survey = survey();
        let (country, q) = survey.question("country").unwrap();
        let ge = q.cell_index("GE").unwrap();
        assert_eq!(legacy_row(&survey, "", ""), Some(Counter::Respondents));
        assert_eq!(legacy_row(&survey, "country", ""), Some(Counter::Answered(country as u16)));
        assert_eq!(
            legacy_row(&survey, "country", "GE"),
            Some(Counter::Cell(Cell { question: country as u16, option: ge as u16 }))
        );
        let table = &survey.crosstabs[0];
        let row = survey.question(table.rows.as_str()).unwrap().1.cell_code(1).unwrap();
        let column = survey.question(table.columns.as_str()).unwrap().1.cell_code(2).unwrap();
        assert_eq!(
            legacy_row(&survey, &format!("{}/{}", table.rows, table.columns), &format!("{row}/{column}")),
            Some(Counter::Cross { table: 0, row: 1, column: 2 })
        );
        assert_eq!(legacy_row(&survey, "country", "XX"), None);
        assert_eq!(legacy_row(&survey, "nope", ""), None);
    }

    proptest! {
        #[test]
        fn any_increments_read_back_exactly(adds in prop::collection::vec((0usize..400, 1u64..1000), 0..50)) {
            let survey = survey();
            let layout = Layout::of(&survey);
            let all: Vec<Counter> = layout.counters().collect();
            let mut block = layout.empty_block();
            let mut expected = Counts::default();
            for (at, n) in adds {
                let counter = all[at % all.len()];
                layout.add_to(&mut block, &[(counter, n)].into());
                expected.add(counter, n);
            }
            prop_assert_eq!(layout.read(&block).unwrap(), expected);
        }
    }
}
