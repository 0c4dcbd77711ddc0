//! Disclosure control: turning raw counters into results a researcher may see.
//!
//! A count from 1 to k-1 could single someone out, so it is suppressed (`null`, never
//! zero). Published counts are tied by sums — a question's option counts add up to how
//! many answered it — so one suppressed count in a sum could be recomputed by
//! subtraction; wherever that would be possible, a complementary count is suppressed
//! too. Only the tables declared in the definition exist, so there is nothing else to
//! difference.

use std::collections::HashMap;

use nansen_shared::{
    CrossCell, Crosstab, CrosstabResults, OptionCount, Question, QuestionId, QuestionKind, QuestionResults,
    Survey, SurveyResults,
};

/// Raw counters of one survey version, keyed as stored: `("", "")` is the respondent
/// total, `(question, "")` how many answered it, `(question, option)` a cell.
pub type RawCounts = HashMap<(String, String), u64>;

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

/// The results of `survey` (a published version) that may be shown.
pub fn disclose(survey: &Survey, raw: &RawCounts) -> SurveyResults {
    let get = |question: &str, option: &str| {
        raw.get(&(question.to_owned(), option.to_owned())).copied().unwrap_or(0)
    };
    let mut sheet = Sheet::default();
    let respondents = sheet.cell(get("", ""));
    let mut layout = Vec::new();
    for question in &survey.questions {
        let id = question.id.as_str();
        let answered = sheet.cell(get(id, ""));
        let options: Vec<(String, usize)> = (0..question.cell_count())
            .filter_map(|cell| question.cell_code(cell))
            .map(|code| (get(id, &code), code))
            // Every offered option is listed, zero or not; of all the world's
            // countries, only those someone chose.
            .filter(|(n, _)| *n > 0 || !matches!(question.kind, QuestionKind::Country { .. }))
            .map(|(n, code)| (code.into_owned(), sheet.cell(n)))
            .collect();
        // For a multiple choice the counts add up to more than the answered count, so
        // this sum is conservative there: it can only suppress more.
        sheet.sum(options.iter().map(|(_, cell)| *cell).collect(), Some(answered));
        layout.push((question, answered, options));
    }
    let tables = cross_tables(survey, raw, &layout, &mut sheet);
    sheet.protect(u64::from(survey.settings.min_cell));
    SurveyResults {
        slug: survey.slug.clone(),
        version: survey.version.unwrap_or(0),
        respondents: sheet.shown(respondents),
        min_cell: survey.settings.min_cell,
        questions: layout
            .into_iter()
            .map(|(question, answered, options)| QuestionResults {
                id: question.id.clone(),
                answered: sheet.shown(answered),
                counts: options
                    .into_iter()
                    .map(|(option, cell)| OptionCount { option, count: sheet.shown(cell) })
                    .collect(),
            })
            .collect(),
        crosstabs: tables
            .into_iter()
            .map(|(crosstab, cells)| CrosstabResults {
                rows: crosstab.rows.clone(),
                columns: crosstab.columns.clone(),
                cells: cells
                    .into_iter()
                    .map(|(row, column, cell)| CrossCell { row, column, count: sheet.shown(cell) })
                    .collect(),
            })
            .collect(),
    }
}

/// A cross-tabulation cell's row and column codes, and its place on the sheet.
type CrossCellAt = (String, String, usize);

/// One question's place on the sheet: its answered count and its listed options.
type Layout<'a> = (&'a Question, usize, Vec<(String, usize)>);

/// Puts each declared cross-tabulation on the sheet: a cell per pair of listed options,
/// each row adding up (at most) to its option's one-way count, and each column too, so
/// that suppression covers the tables together.
fn cross_tables<'a>(
    survey: &'a Survey,
    raw: &RawCounts,
    layout: &[Layout<'_>],
    sheet: &mut Sheet,
) -> Vec<(&'a Crosstab, Vec<CrossCellAt>)> {
    let listed =
        |id: &QuestionId| layout.iter().find(|(q, _, _)| q.id == *id).map(|(_, _, options)| options.clone());
    let mut tables = Vec::new();
    for crosstab in &survey.crosstabs {
        let (Some(rows), Some(columns)) = (listed(&crosstab.rows), listed(&crosstab.columns)) else {
            continue;
        };
        let table = format!("{}/{}", crosstab.rows, crosstab.columns);
        let mut cells = Vec::new();
        for (row, _) in &rows {
            for (column, _) in &columns {
                let n = raw.get(&(table.clone(), format!("{row}/{column}"))).copied().unwrap_or(0);
                cells.push((row.clone(), column.clone(), sheet.cell(n)));
            }
        }
        for (row, total) in &rows {
            sheet.sum(
                cells.iter().filter(|(r, _, _)| r == row).map(|(_, _, cell)| *cell).collect(),
                Some(*total),
            );
        }
        for (column, total) in &columns {
            sheet.sum(
                cells.iter().filter(|(_, c, _)| c == column).map(|(_, _, cell)| *cell).collect(),
                Some(*total),
            );
        }
        tables.push((crosstab, cells));
    }
    tables
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

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

    /// Random respondents of the default survey, folded the way the server folds them.
    fn counts(respondents: &[Vec<u32>], survey: &Survey) -> RawCounts {
        let mut raw = RawCounts::new();
        let mut add = |q: &str, o: &str| *raw.entry((q.to_owned(), o.to_owned())).or_default() += 1;
        for picks in respondents {
            let mut given: Vec<(String, String)> = Vec::new();
            add("", "");
            for (question, pick) in survey.questions.iter().zip(picks.iter().cycle()) {
                if pick % 4 == 0 {
                    continue; // skipped
                }
                let id = question.id.as_str();
                add(id, "");
                let cells = question.cell_count();
                let chosen = match question.kind {
                    // A few popular countries, as in real data.
                    QuestionKind::Country { .. } => {
                        vec![["GE", "AM", "DE", "RS"][*pick as usize % 4].to_owned()]
                    }
                    QuestionKind::Multi { .. } => {
                        let first = *pick as usize % cells;
                        let mut codes = vec![question.cell_code(first).unwrap().into_owned()];
                        if pick % 3 == 0 {
                            codes.push(question.cell_code((first + 1) % cells).unwrap().into_owned());
                        }
                        codes
                    }
                    _ => vec![question.cell_code(*pick as usize % cells).unwrap().into_owned()],
                };
                for code in chosen {
                    add(id, &code);
                    given.push((id.to_owned(), code));
                }
            }
            for crosstab in &survey.crosstabs {
                let of = |q: &QuestionId| {
                    given
                        .iter()
                        .filter(|(id, _)| id == q.as_str())
                        .map(|(_, c)| c.clone())
                        .collect::<Vec<_>>()
                };
                for row in of(&crosstab.rows) {
                    for column in of(&crosstab.columns) {
                        add(&format!("{}/{}", crosstab.rows, crosstab.columns), &format!("{row}/{column}"));
                    }
                }
            }
        }
        raw
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn nothing_small_is_shown_and_nothing_suppressed_can_be_subtracted_back(
            respondents in prop::collection::vec(prop::collection::vec(0u32..50, 11), 0..60),
            k in prop::sample::select(vec![3u32, 5, 10]),
        ) {
            let mut survey = crate::seed::default_survey().unwrap();
            survey.version = Some(1);
            survey.settings.min_cell = k;
            let raw = counts(&respondents, &survey);
            let results = disclose(&survey, &raw);
            let k = u64::from(k);
            let small = |n: Option<u64>| n.is_some_and(|n| (1..k).contains(&n));
            prop_assert!(!small(results.respondents));
            for question in &results.questions {
                let id = question.id.as_str();
                prop_assert!(!small(question.answered));
                prop_assert!(question.counts.iter().all(|c| !small(c.count)));
                // Shown counts are the true counts.
                if let Some(n) = question.answered {
                    prop_assert_eq!(n, raw.get(&(id.to_owned(), String::new())).copied().unwrap_or(0));
                }
                for c in &question.counts {
                    if let Some(n) = c.count {
                        prop_assert_eq!(n, raw.get(&(id.to_owned(), c.option.clone())).copied().unwrap_or(0));
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
            for table in &results.crosstabs {
                prop_assert!(table.cells.iter().all(|c| !small(c.count)));
                for c in table.cells.iter().filter(|c| c.count.is_some()) {
                    let key = (format!("{}/{}", table.rows, table.columns), format!("{}/{}", c.row, c.column));
                    prop_assert_eq!(c.count, Some(raw.get(&key).copied().unwrap_or(0)));
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
