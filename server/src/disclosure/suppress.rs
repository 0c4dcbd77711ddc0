//! Disclosure control: turning raw counters into results a researcher may see.
//!
//! A count from 1 to k-1 could single someone out, so it is suppressed (`null`, never
//! zero). Published counts are tied by sums — a question's option counts add up to how
//! many answered it — so one suppressed count in a sum could be recomputed by
//! subtraction; wherever that would be possible, a complementary count is suppressed
//! too. Only the tables declared in the definition exist, so there is nothing else to
//! difference.

use nansen_shared::{
    Cell, CrossCell, Crosstab, CrosstabResults, OptionCount, Question, QuestionKind, QuestionResults, Survey,
    SurveyResults,
};

use crate::storage::counters::{Counter, Counts, crosstab_questions};

/// Every count about to be published, and the sums that tie them together.
#[derive(Debug, Default)]
struct Sheet {
    values: Vec<u64>,
    suppressed: Vec<bool>,
    /// Each sum: these cells add up to that total (when the total is published, or
    /// could be known otherwise).
    sums: Vec<(Vec<usize>, Option<usize>)>,
}

impl Sheet {
    fn cell(&mut self, value: u64) -> usize {
        self.values.push(value);
        self.suppressed.push(false);
        self.values.len() - 1
    }

    fn sum(&mut self, cells: Vec<usize>, total: Option<usize>) {
        self.sums.push((cells, total));
    }

    /// Suppresses every count from 1 to k-1, then, until nothing changes, a second
    /// count in every sum that has exactly one suppressed member.
    fn protect(&mut self, k: u64) {
        for (value, suppressed) in self.values.iter().zip(&mut self.suppressed) {
            *suppressed = (1..k).contains(value);
        }
        loop {
            let mut changed = false;
            for (cells, total) in &self.sums {
                let members = cells.iter().chain(total.iter());
                if members.filter(|&&i| self.suppressed[i]).count() == 1
                    && let Some(complement) = self.complement(cells, *total)
                {
                    self.suppressed[complement] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// The count to suppress alongside a lone suppressed one: the smallest non-zero
    /// cell (losing the least information), else a zero cell, else the total.
    fn complement(&self, cells: &[usize], total: Option<usize>) -> Option<usize> {
        let open = || cells.iter().copied().filter(|&i| !self.suppressed[i]);
        open()
            .filter(|&i| self.values[i] > 0)
            .min_by_key(|&i| self.values[i])
            .or_else(|| open().next())
            .or(total.filter(|&t| !self.suppressed[t]))
    }

    fn shown(&self, cell: usize) -> Option<u64> {
        (!self.suppressed[cell]).then_some(self.values[cell])
    }
}

/// The results of `survey` (a published version) that may be shown, from its counts.
pub fn disclose(survey: &Survey, counts: &Counts) -> SurveyResults {
    let mut sheet = Sheet::default();
    let respondents = sheet.cell(counts.get(Counter::Respondents));
    let mut layout = Vec::new();
    for (index, question) in survey.questions.iter().enumerate() {
        let index = index as u16;
        let answered = sheet.cell(counts.get(Counter::Answered(index)));
        let options: Vec<Listed> = (0..question.cell_count() as u16)
            .map(|option| (option, counts.get(Counter::Cell(Cell { question: index, option }))))
            // Every offered option is listed, zero or not; of all the world's
            // countries, only those someone chose.
            .filter(|(_, n)| *n > 0 || !matches!(question.kind, QuestionKind::Country { .. }))
            .map(|(option, n)| (option, sheet.cell(n)))
            .collect();
        // For a multiple choice the counts add up to more than the answered count, so
        // this sum is conservative there: it can only suppress more.
        sheet.sum(options.iter().map(|(_, cell)| *cell).collect(), Some(answered));
        layout.push((question, answered, options));
    }
    let tables = cross_tables(survey, counts, &layout, &mut sheet);
    sheet.protect(u64::from(survey.settings.min_cell));
    let code = |question: &Question, option: u16| {
        question.cell_code(usize::from(option)).map(|c| c.into_owned()).unwrap_or_default()
    };
    SurveyResults {
        slug: survey.slug.clone(),
        version: survey.version.unwrap_or(0),
        respondents: sheet.shown(respondents),
        min_cell: survey.settings.min_cell,
        questions: layout
            .iter()
            .map(|(question, answered, options)| QuestionResults {
                id: question.id.clone(),
                answered: sheet.shown(*answered),
                counts: options
                    .iter()
                    .map(|&(option, cell)| OptionCount {
                        option: code(question, option),
                        count: sheet.shown(cell),
                    })
                    .collect(),
            })
            .collect(),
        crosstabs: tables
            .into_iter()
            .map(|(crosstab, (rows, columns), cells)| CrosstabResults {
                rows: crosstab.rows.clone(),
                columns: crosstab.columns.clone(),
                cells: cells
                    .into_iter()
                    .map(|(row, column, cell)| CrossCell {
                        row: code(rows, row),
                        column: code(columns, column),
                        count: sheet.shown(cell),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A listed option: its index in the question, and its place on the sheet.
type Listed = (u16, usize);

/// One question's place on the sheet: its answered count and its listed options.
type Layout<'a> = (&'a Question, usize, Vec<Listed>);

/// A cross-tabulation on the sheet: its declaration, its two questions, and for each
/// pair of listed options (row, column) the cell's place on the sheet.
type Table<'a> = (&'a Crosstab, (&'a Question, &'a Question), Vec<(u16, u16, usize)>);

/// Puts each declared cross-tabulation on the sheet: a cell per pair of listed options,
/// each row adding up (at most) to its option's one-way count, and each column too, so
/// that suppression covers the tables together.
fn cross_tables<'a>(
    survey: &'a Survey,
    counts: &Counts,
    layout: &[Layout<'a>],
    sheet: &mut Sheet,
) -> Vec<Table<'a>> {
    let mut tables = Vec::new();
    for (table, (crosstab, (r, c))) in survey.crosstabs.iter().zip(crosstab_questions(survey)).enumerate() {
        let (Some((rows, _, row_options)), Some((columns, _, column_options))) =
            (layout.get(usize::from(r)), layout.get(usize::from(c)))
        else {
            continue;
        };
        let table = table as u16;
        let mut cells = Vec::new();
        for &(row, _) in row_options {
            for &(column, _) in column_options {
                let n = counts.get(Counter::Cross { table, row, column });
                cells.push((row, column, sheet.cell(n)));
            }
        }
        for &(row, total) in row_options {
            sheet.sum(
                cells.iter().filter(|(r, _, _)| *r == row).map(|(_, _, cell)| *cell).collect(),
                Some(total),
            );
        }
        for &(column, total) in column_options {
            sheet.sum(
                cells.iter().filter(|(_, c, _)| *c == column).map(|(_, _, cell)| *cell).collect(),
                Some(total),
            );
        }
        tables.push((crosstab, (*rows, *columns), cells));
    }
    tables
}

#[cfg(test)]
mod tests {
    use nansen_shared::{Answer, Answers, QuestionId, validate};
    use proptest::prelude::*;

    use super::*;
    use crate::storage::counters::touched_by;

    fn sheet(values: &[u64], sums: &[(&[usize], Option<usize>)]) -> Sheet {
        let mut sheet = Sheet::default();
        for v in values {
            sheet.cell(*v);
        }
        for (cells, total) in sums {
            sheet.sum(cells.to_vec(), *total);
        }
        sheet
    }

    #[test]
    fn a_lone_suppressed_count_takes_the_smallest_other_with_it() {
        // answered 30 = 2 + 9 + 19: the 2 alone could be recomputed as 30 - 9 - 19.
        let mut s = sheet(&[30, 2, 9, 19], &[(&[1, 2, 3], Some(0))]);
        s.protect(5);
        assert_eq!((0..4).map(|i| s.shown(i)).collect::<Vec<_>>(), [Some(30), None, None, Some(19)]);
    }

    #[test]
    fn zeros_serve_when_nothing_else_can() {
        let mut s = sheet(&[3, 3, 0, 0], &[(&[1, 2, 3], Some(0))]);
        s.protect(5);
        // The total and its one non-zero cell are both small; nothing else needed.
        assert_eq!((0..4).map(|i| s.shown(i)).collect::<Vec<_>>(), [None, None, Some(0), Some(0)]);
        let mut s = sheet(&[12, 3, 9, 0], &[(&[1, 2, 3], Some(0))]);
        s.protect(10);
        assert_eq!(s.shown(0), Some(12));
        assert_eq!(s.shown(1), None);
        assert_eq!(s.shown(2), None, "9 < 10 is suppressed anyway");
    }

    #[test]
    fn suppression_spreads_until_no_sum_has_a_lone_gap() {
        // Two sums sharing a cell: suppressing a complement in one can open the other.
        let mut s = sheet(&[40, 2, 18, 20, 40, 18, 22], &[(&[1, 2, 3], Some(0)), (&[2, 5, 6], Some(4))]);
        s.protect(5);
        for (cells, total) in &s.sums {
            let hidden = cells.iter().chain(total.iter()).filter(|&&i| s.suppressed[i]).count();
            assert_ne!(hidden, 1);
        }
    }

    /// Random respondents of `survey`, each a valid answer set chosen by `picks`, counted
    /// as the server counts them: validated, then one for every counter the tally touches.
    fn counts(respondents: &[Vec<u32>], survey: &Survey) -> Counts {
        let crosstabs = crosstab_questions(survey);
        let mut counts = Counts::default();
        for picks in respondents {
            let tally = validate(survey, &answers(survey, picks)).expect("a valid answer set");
            touched_by(&tally, &crosstabs, |counter| counts.add(counter, 1));
        }
        counts
    }

    /// A valid answer set: conditions followed, optional questions skipped one time in
    /// four, a few popular countries (as in real data), exclusive options alone.
    fn answers(survey: &Survey, picks: &[u32]) -> Answers {
        let mut answers = Answers::new();
        for (question, &pick) in survey.questions.iter().zip(picks.iter().cycle()) {
            let applies = question.show_if.as_ref().is_none_or(|condition| {
                match answers.get(condition.question.as_str()) {
                    Some(Answer::Code(code)) => condition.any_of.contains(code),
                    Some(Answer::Codes(codes)) => codes.iter().any(|c| condition.any_of.contains(c)),
                    _ => false,
                }
            });
            if !applies || (!question.required && pick.is_multiple_of(4)) {
                continue;
            }
            let pick = pick as usize;
            let answer = match &question.kind {
                QuestionKind::Country { .. } => Answer::Code(["GE", "AM", "DE", "RS"][pick % 4].to_owned()),
                QuestionKind::Single { options } => {
                    Answer::Code(options[pick % options.len()].code.to_string())
                }
                QuestionKind::Multi { options, .. } => {
                    let first = &options[pick % options.len()];
                    let second = &options[(pick + 1) % options.len()];
                    let mut codes = vec![first.code.to_string()];
                    if pick.is_multiple_of(3) && !first.exclusive && !second.exclusive {
                        codes.push(second.code.to_string());
                    }
                    Answer::Codes(codes)
                }
                QuestionKind::Scale { min, max, .. } | QuestionKind::Number { min, max, .. } => {
                    Answer::Number(min + (pick as i64) % (max - min + 1))
                }
            };
            answers.insert(question.id.to_string(), answer);
        }
        answers
    }

    /// The true count behind a published one.
    fn truth(survey: &Survey, counts: &Counts, question: &str, option: Option<&str>) -> u64 {
        let (index, q) = survey.question(question).unwrap();
        let index = index as u16;
        counts.get(match option {
            None => Counter::Answered(index),
            Some(code) => Counter::Cell(Cell { question: index, option: q.cell_index(code).unwrap() as u16 }),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn nothing_small_is_shown_and_nothing_suppressed_can_be_subtracted_back(
            respondents in prop::collection::vec(prop::collection::vec(0u32..50, 11), 0..60),
            k in prop::sample::select(vec![3u32, 5, 10]),
        ) {
            let mut survey = crate::surveys::seed::default_survey().unwrap();
            survey.version = Some(1);
            survey.settings.min_cell = k;
            let counts = counts(&respondents, &survey);
            let results = disclose(&survey, &counts);
            let k = u64::from(k);
            let small = |n: Option<u64>| n.is_some_and(|n| (1..k).contains(&n));
            prop_assert!(!small(results.respondents));
            for question in &results.questions {
                let id = question.id.as_str();
                prop_assert!(!small(question.answered));
                prop_assert!(question.counts.iter().all(|c| !small(c.count)));
                // Shown counts are the true counts.
                if let Some(n) = question.answered {
                    prop_assert_eq!(n, truth(&survey, &counts, id, None));
                }
                for c in &question.counts {
                    if let Some(n) = c.count {
                        prop_assert_eq!(n, truth(&survey, &counts, id, Some(&c.option)));
                    }
                }
                // No sum with exactly one unknown: subtraction recovers nothing.
                let hidden = question.counts.iter().filter(|c| c.count.is_none()).count()
                    + usize::from(question.answered.is_none());
                prop_assert_ne!(hidden, 1, "{} leaves one gap: {:?}", id, question);
            }
            // The cross-tabulations: nothing small, and no row or column (with its
            // one-way total) leaves exactly one unknown.
            prop_assert_eq!(results.crosstabs.len(), 2);
            for (index, table) in results.crosstabs.iter().enumerate() {
                prop_assert!(table.cells.iter().all(|c| !small(c.count)));
                let cell = |question: &QuestionId, code: &str| {
                    survey.question(question.as_str()).unwrap().1.cell_index(code).unwrap() as u16
                };
                for c in table.cells.iter().filter(|c| c.count.is_some()) {
                    let counter = Counter::Cross {
                        table: index as u16,
                        row: cell(&table.rows, &c.row),
                        column: cell(&table.columns, &c.column),
                    };
                    prop_assert_eq!(c.count, Some(counts.get(counter)));
                }
                let total = |q: &QuestionId, option: &str| {
                    results.question(q.as_str()).and_then(|r| r.count(option)).flatten()
                };
                let lines = table.cells.iter().map(|c| (true, c.row.clone())).chain(table.cells.iter().map(|c| (false, c.column.clone())));
                for (is_row, key) in lines {
                    let line: Vec<_> = table.cells.iter().filter(|c| if is_row { c.row == key } else { c.column == key }).collect();
                    let total = if is_row { total(&table.rows, &key) } else { total(&table.columns, &key) };
                    let hidden = line.iter().filter(|c| c.count.is_none()).count() + usize::from(total.is_none());
                    prop_assert_ne!(hidden, 1, "{}/{} {} {} leaves one gap", table.rows, table.columns, if is_row { "row" } else { "column" }, key);
                }
            }
        }
    }
}
