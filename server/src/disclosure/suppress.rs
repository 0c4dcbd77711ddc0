//! Disclosure control: turning exact counters into results a researcher may see, for
//! releases without noise.
//!
//! A count from 1 to k−1 could single someone out, so it is suppressed (`null`, never
//! zero). A reader knows more than the published numbers: every linear relation the
//! definition implies (options and answered counts, respondents, conditions,
//! cross-tabulations; see `audit`), and that a `null` is not zero. So complementary
//! counts are suppressed until a linear program over all of it, the audit, finds that
//! every suppressed count can be anything over a range at least k wide, and that no
//! count which is never published but follows from published ones (those who skipped a
//! question, a table's missing row) is narrowed to less than k wide, unless it is known
//! to be zero or at least k.
//!
//! 1. *Primary:* every count from 1 to k−1.
//! 2. *Lone gaps:* in every sum a reader checks by eye (a question's options against
//!    its answered count, a table's row or column against its one-way count), a lone
//!    suppressed member takes the smallest non-zero other member with it, else the
//!    total; repeated until no sum has a lone gap. Cheap, and most of what the audit
//!    would ask for.
//! 3. *Audit:* for each suppressed count and each derived count, two linear programs
//!    over its connected part of the model. While it is exposed, the published non-zero
//!    counts tied to it are tried as complements, nearest and smallest first (each with
//!    the lone-gap rule after it), and the first that protects it is kept — or, if none
//!    does, the one that widens its range most. Suppressing more only widens ranges, so
//!    a count once protected stays protected; the derived counts are looked at again
//!    until nothing changes. Suppressing every non-zero count protects everything, so
//!    this ends.
//!
//! A zero is never suppressed, as a primary or as a complement: a researcher reads a
//! published 0 as a true 0, and `null` as "not zero, not shown". Every offered option
//! is listed, zero or not — every allowed country too — so what is listed says nothing.

use nansen_shared::{
    CrossCell, CrosstabResults, OptionCount, Question, QuestionKind, QuestionResults, Survey, SurveyResults,
};

use super::audit::{Known, Model, Point, Range, Search, Var};
use crate::storage::counters::Counts;

/// How many complements are tried for one exposed count before the best is taken.
const TRIALS: usize = 12;

/// A sum a reader checks by eye: these counts add up to (for a multiple choice, or a
/// table whose other question may be skipped: at least, or at most) that total.
type Line = (Vec<Var>, Var);

/// The results of `survey` (a published version) that may be shown, from its exact
/// counts.
pub fn disclose(survey: &Survey, counts: &Counts) -> SurveyResults {
    let model = Model::of(survey);
    let values: Vec<u64> = model.shown().iter().map(|&counter| counts.get(counter)).collect();
    let lines = lines(survey, &model);
    let k = u64::from(survey.settings.min_cell);
    let suppressed = Protection::new(&model, &values, &lines, k).run();
    let shown = |slot: Var| (!suppressed[slot]).then_some(values[slot]);
    let code = |question: &Question, option: u16| {
        question.cell_code(usize::from(option)).map(|c| c.into_owned()).unwrap_or_default()
    };
    SurveyResults {
        slug: survey.slug.clone(),
        version: survey.version.unwrap_or(0),
        respondents: shown(model.respondents),
        min_cell: survey.settings.min_cell,
        questions: survey
            .questions
            .iter()
            .zip(&model.questions)
            .map(|(question, slots)| QuestionResults {
                id: question.id.clone(),
                answered: shown(slots.answered),
                counts: slots
                    .options
                    .iter()
                    .map(|&(option, slot)| OptionCount {
                        option: code(question, option),
                        count: shown(slot),
                        share: None,
                    })
                    .collect(),
                mean: None,
                parts: Vec::new(),
            })
            .collect(),
        crosstabs: model
            .tables
            .iter()
            .map(|table| {
                let crosstab = &survey.crosstabs[usize::from(table.table)];
                CrosstabResults {
                    rows: crosstab.rows.clone(),
                    columns: crosstab.columns.clone(),
                    rows_item: crosstab.rows_item.as_ref().map(|i| i.to_string()),
                    columns_item: crosstab.columns_item.as_ref().map(|i| i.to_string()),
                    cells: table
                        .cells
                        .iter()
                        .map(|&(row, column, slot)| CrossCell {
                            row: table.rows.code(survey, row),
                            column: table.columns.code(survey, column),
                            count: shown(slot),
                        })
                        .collect(),
                }
            })
            .collect(),
        release: None,
        weighted: None,
    }
}

/// The sums a reader checks by eye: each question's options against its answered
/// count (a required grid's each row; a ranking's first place), each row and column of
/// a table against its one-way count (when that count is published).
fn lines(survey: &Survey, model: &Model) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for (question, slots) in survey.questions.iter().zip(&model.questions) {
        let cells = |filter: &dyn Fn(usize) -> bool| -> Vec<Var> {
            slots.options.iter().filter(|(o, _)| filter(usize::from(*o))).map(|&(_, slot)| slot).collect()
        };
        match (&question.kind, question.parts()) {
            (QuestionKind::Grid { rows, .. }, _) if question.required => {
                for row in 0..rows.len() {
                    let block = question.part_cells(row);
                    lines.push((cells(&|o| block.contains(&o)), slots.answered));
                }
            }
            (QuestionKind::Ranking { .. }, Some((_, width))) => {
                lines.push((cells(&|o| o % width == 0), slots.answered));
            }
            (_, Some(_)) => {}
            (_, None) => lines.push((cells(&|_| true), slots.answered)),
        }
    }
    for table in &model.tables {
        for (dim, of_row) in [(table.rows, true), (table.columns, false)] {
            if dim.part.is_some() {
                continue; // the row's (item's) total is never published
            }
            for &(option, total) in &model.dim_slots(dim).options {
                let line = table.cells.iter().filter(|c| if of_row { c.0 == option } else { c.1 == option });
                lines.push((line.map(|c| c.2).collect(), total));
            }
        }
    }
    lines
}

/// Choosing what to suppress in one survey version's counts.
struct Protection<'a> {
    model: &'a Model,
    /// The exact value of each published counter.
    values: &'a [u64],
    lines: &'a [Line],
    k: u64,
    /// For each published counter, the least and the most it was found to be at points a
    /// reader cannot rule out. Suppressing more keeps every such point possible, so a
    /// counter seen k apart is protected without a program of its own.
    seen: Vec<(f64, f64)>,
}

/// What the audit must find of a count: a suppressed one spans k values; a derived
/// one is that, or known to be zero, or known to be at least k.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Goal {
    Suppressed,
    Derived,
}

impl<'a> Protection<'a> {
    fn new(model: &'a Model, values: &'a [u64], lines: &'a [Line], k: u64) -> Self {
        // The truth is one point a reader cannot rule out.
        let seen = values.iter().map(|&v| (v as f64, v as f64)).collect();
        Self { model, values, lines, k, seen }
    }

    /// Which counters to suppress.
    fn run(mut self) -> Vec<bool> {
        let mut hidden: Vec<bool> = self.values.iter().map(|v| (1..self.k).contains(v)).collect();
        self.close(&mut hidden);
        let mut audited = vec![false; hidden.len()];
        loop {
            let mut changed = false;
            while let Some(slot) = (0..hidden.len()).find(|&s| hidden[s] && !audited[s]) {
                changed |= self.protect(&mut hidden, &[(slot, 1.0)], Goal::Suppressed);
                audited[slot] = true;
            }
            for (_, terms) in self.model.derived() {
                changed |= self.protect(&mut hidden, terms, Goal::Derived);
            }
            if !changed {
                return hidden;
            }
        }
    }

    fn known(&self, hidden: &[bool]) -> Vec<Known> {
        self.values
            .iter()
            .zip(hidden)
            .map(|(&value, &hidden)| if hidden { Known::Suppressed } else { Known::Value(value) })
            .collect()
    }

    fn search(&self, hidden: &[bool], target: &[(Var, f64)], goal: Goal) -> Search {
        let needed = (goal == Goal::Suppressed).then_some(self.k as f64);
        self.model.search(&self.known(hidden), target, needed)
    }

    fn safe(&self, range: Range, goal: Goal) -> bool {
        match goal {
            Goal::Suppressed => range.protects(self.k),
            Goal::Derived => range.protects_derived(self.k),
        }
    }

    /// Whether points already found show a suppressed counter protected.
    fn seen_safe(&self, target: &[(Var, f64)], goal: Goal) -> bool {
        match (goal, target) {
            (Goal::Suppressed, &[(slot, _)]) => {
                let (min, max) = self.seen[slot];
                Range { min, max }.protects(self.k)
            }
            _ => false,
        }
    }

    fn record(&mut self, points: &[Point]) {
        for &(var, value) in points.iter().flatten() {
            if let Some((min, max)) = self.seen.get_mut(var) {
                *min = min.min(value);
                *max = max.max(value);
            }
        }
    }

    /// Suppresses more until the audit finds `target` safe. Returns whether anything
    /// more was suppressed.
    fn protect(&mut self, hidden: &mut Vec<bool>, target: &[(Var, f64)], goal: Goal) -> bool {
        let mut changed = false;
        loop {
            if self.seen_safe(target, goal) {
                return changed;
            }
            let search = self.search(hidden, target, goal);
            self.record(&search.points);
            if self.safe(search.range, goal) {
                return changed;
            }
            let Some((more, points)) = self.complement(hidden, target, goal) else {
                // Cannot happen for counts that came from answers (suppressing every
                // non-zero count protects everything); said rather than looped over.
                tracing::error!("a count stays exposed with nothing left to suppress");
                return changed;
            };
            self.record(&points);
            *hidden = more;
            changed = true;
        }
    }

    /// The suppression after one more complement for `target`, and the points found
    /// under it: the first of the published non-zero counts tied to it (nearest, then
    /// smallest first) that makes it safe, else the one that widens its range most
    /// (then the cheapest).
    fn complement(
        &self,
        hidden: &[bool],
        target: &[(Var, f64)],
        goal: Goal,
    ) -> Option<(Vec<bool>, Vec<Point>)> {
        let known = self.known(hidden);
        let mut candidates: Vec<(Var, u32)> = self
            .model
            .neighbours(&known, target)
            .into_iter()
            .filter(|&(slot, _)| self.values[slot] > 0)
            .collect();
        candidates.sort_by_key(|&(slot, distance)| (distance, self.values[slot]));
        let mut best: Option<(f64, u64, Vec<bool>, Vec<Point>)> = None;
        for &(candidate, _) in candidates.iter().take(TRIALS) {
            let mut trial = hidden.to_vec();
            trial[candidate] = true;
            self.close(&mut trial);
            let search = self.search(&trial, target, goal);
            if self.safe(search.range, goal) {
                return Some((trial, search.points));
            }
            let cost: u64 =
                (0..trial.len()).filter(|&s| trial[s] && !hidden[s]).map(|s| self.values[s]).sum();
            let width = search.range.width();
            if best.as_ref().is_none_or(|&(w, c, _, _)| width > w || (width == w && cost < c)) {
                best = Some((width, cost, trial, search.points));
            }
        }
        best.map(|(_, _, trial, points)| (trial, points))
    }

    /// The lone-gap rule: until no line has exactly one suppressed member, suppresses
    /// another in each that has — the smallest non-zero cell, else the total. A line
    /// whose other members are all zero and whose total is the gap is left to the audit.
    fn close(&self, hidden: &mut [bool]) {
        loop {
            let mut changed = false;
            for (cells, total) in self.lines {
                let gaps = cells.iter().chain([total]).filter(|&&slot| hidden[slot]).count();
                if gaps != 1 {
                    continue;
                }
                let open = |slot: &&Var| !hidden[**slot] && self.values[**slot] > 0;
                let complement = cells
                    .iter()
                    .filter(open)
                    .min_by_key(|&&slot| self.values[slot])
                    .or(Some(total).filter(open));
                if let Some(&slot) = complement {
                    hidden[slot] = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use nansen_shared::{Answer, Answers, Cell, QuestionId, QuestionKind, validate};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;
    use crate::disclosure::audit::{Derived, Target, audit};
    use crate::storage::counters::{Counter, crosstab_dims, touched_by};

    /// What the lone-gap rule alone makes of `values` tied by `lines`.
    fn close(values: &[u64], lines: &[(&[usize], usize)], k: u64) -> Vec<Option<u64>> {
        let model = Model::default();
        let lines: Vec<Line> = lines.iter().map(|(cells, total)| (cells.to_vec(), *total)).collect();
        let protection = Protection::new(&model, values, &lines, k);
        let mut hidden: Vec<bool> = values.iter().map(|v| (1..k).contains(v)).collect();
        protection.close(&mut hidden);
        values.iter().zip(hidden).map(|(&v, h)| (!h).then_some(v)).collect()
    }

    #[test]
    fn a_lone_suppressed_count_takes_the_smallest_other_with_it() {
        // answered 30 = 2 + 9 + 19: the 2 alone could be recomputed as 30 - 9 - 19.
        assert_eq!(close(&[30, 2, 9, 19], &[(&[1, 2, 3], 0)], 5), [Some(30), None, None, Some(19)]);
    }

    #[test]
    fn suppression_spreads_until_no_sum_has_a_lone_gap() {
        // Two sums sharing a cell: suppressing a complement in one can open the other.
        let lines: [(&[usize], usize); 2] = [(&[1, 2, 3], 0), (&[2, 5, 6], 4)];
        let shown = close(&[40, 2, 18, 20, 40, 18, 22], &lines, 5);
        for (cells, total) in lines {
            let hidden = cells.iter().chain([&total]).filter(|&&i| shown[i].is_none()).count();
            assert_ne!(hidden, 1, "{shown:?}");
        }
    }

    #[test]
    fn the_lone_gap_rule_takes_the_total_rather_than_a_zero() {
        // A table row of 3, 0, 0 whose one-way count is 12 (9 skipped the other
        // question): the zeros stay zeros, the total goes.
        assert_eq!(close(&[12, 3, 0, 0], &[(&[1, 2, 3], 0)], 5), [None, None, Some(0), Some(0)]);
    }

    // --- Surveys and counts ---

    fn survey(json: Value, k: u32) -> Survey {
        let mut survey: Survey = serde_json::from_value(json).unwrap();
        survey.version = Some(1);
        survey.settings.min_cell = k;
        assert_eq!(survey.check(), Ok(()));
        survey
    }

    /// A question; an option code ending in `!` is exclusive.
    fn question(id: &str, kind: &str, required: bool, codes: &[&str]) -> Value {
        let options: Vec<Value> = codes
            .iter()
            .map(|code| {
                let (code, exclusive) = (code.trim_end_matches('!'), code.ends_with('!'));
                json!({"code": code, "label": {"en": code}, "exclusive": exclusive})
            })
            .collect();
        json!({"id": id, "kind": kind, "required": required, "prompt": {"en": id}, "options": options})
    }

    fn shown_if(mut question: Value, parent: &str, any_of: &[&str]) -> Value {
        question["show_if"] = json!({"question": parent, "any_of": any_of});
        question
    }

    fn definition(questions: Vec<Value>, crosstabs: Value) -> Value {
        json!({"slug": "small", "languages": ["en"], "title": {"en": "Small"},
            "questions": questions, "crosstabs": crosstabs})
    }

    /// A conditional required question (`why`, a multiple choice, shown after `move` or
    /// `return`), an optional multiple choice opening an optional question, an allowed
    /// list of countries, and two tables: two single questions (one optional), and a
    /// multiple by a single choice.
    fn small_survey(k: u32) -> Survey {
        let mut why = shown_if(
            question("why", "multi", true, &["war", "work", "family", "none!"]),
            "plan",
            &["move", "return"],
        );
        why["max_choices"] = json!(2);
        let follow =
            shown_if(question("follow", "single", false, &["yes", "no"]), "help", &["money", "none"]);
        let mut country = json!({"id": "where", "kind": "country", "prompt": {"en": "where"}});
        country["allowed"] = json!(["GE", "AM", "DE", "RS", "LT"]);
        survey(
            definition(
                vec![
                    question("plan", "single", true, &["stay", "move", "return"]),
                    why,
                    question("work", "single", false, &["it", "media", "other"]),
                    question("help", "multi", false, &["money", "time", "none!"]),
                    follow,
                    country,
                ],
                json!([{"rows": "plan", "columns": "work"}, {"rows": "help", "columns": "plan"}]),
            ),
            k,
        )
    }

    fn default_survey(k: u32) -> Survey {
        let mut survey = crate::surveys::seed::default_survey().unwrap();
        survey.version = Some(1);
        survey.settings.min_cell = k;
        survey
    }

    /// Random respondents of `survey`, each a valid answer set chosen by `picks`, counted
    /// as the server counts them: validated, then one for every counter the tally touches.
    fn counts(respondents: &[Vec<u32>], survey: &Survey) -> Counts {
        let crosstabs = crosstab_dims(survey);
        let mut counts = Counts::default();
        for picks in respondents {
            let tally = validate(survey, &answers(survey, picks)).expect("a valid answer set");
            touched_by(&tally, &crosstabs, |counter, n| counts.add(counter, n));
        }
        counts
    }

    /// A valid answer set: conditions followed, optional questions skipped one time in
    /// four, a few popular countries (as in real data; a pick from 50 up is any
    /// country) or an allowed one, exclusive options alone.
    fn answers(survey: &Survey, picks: &[u32]) -> Answers {
        let mut answers = Answers::new();
        for (question, &pick) in survey.questions.iter().zip(picks.iter().cycle()) {
            let applies = question.show_if.as_ref().is_none_or(|condition| {
                match answers.get(condition.question.as_str()) {
                    Some(Answer::Code(code)) => condition.any_of.contains(code),
                    Some(Answer::Codes(codes)) => codes.iter().any(|c| condition.any_of.contains(c)),
                    Some(Answer::Rows(rows)) => condition
                        .row
                        .as_ref()
                        .and_then(|row| rows.get(row.as_str()))
                        .is_some_and(|c| condition.any_of.contains(c)),
                    _ => false,
                }
            });
            if !applies || (!question.required && pick.is_multiple_of(4)) {
                continue;
            }
            let pick = pick as usize;
            let answer = match &question.kind {
                QuestionKind::Country { allowed: Some(allowed) } => {
                    Answer::Code(allowed[pick % allowed.len()].as_str().to_owned())
                }
                QuestionKind::Country { .. } if pick >= 50 => {
                    Answer::Code(nansen_shared::countries::CODES[pick % 249].to_owned())
                }
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
                // Every row when required, else those the pick's bits name (one at least).
                QuestionKind::Grid { rows, options } => Answer::Rows(
                    rows.iter()
                        .enumerate()
                        .filter(|&(i, _)| {
                            question.required || i == pick % rows.len() || (pick >> (i + 3)) % 2 == 1
                        })
                        .map(|(i, row)| {
                            (row.code.to_string(), options[(pick / 5 + i) % options.len()].code.to_string())
                        })
                        .collect(),
                ),
                QuestionKind::Ranking { items, .. } => {
                    let count = 1 + pick % question.places();
                    Answer::Codes(
                        (0..count).map(|i| items[(pick / 3 + i) % items.len()].code.to_string()).collect(),
                    )
                }
            };
            answers.insert(question.id.to_string(), answer);
        }
        answers
    }

    /// Counts of respondents given by hand: `n` times each answer set.
    fn people(survey: &Survey, groups: &[(u64, Value)]) -> Counts {
        let crosstabs = crosstab_dims(survey);
        let mut counts = Counts::default();
        for (n, answers) in groups {
            let answers: Answers = serde_json::from_value(answers.clone()).unwrap();
            let tally = validate(survey, &answers).expect("a valid answer set");
            touched_by(&tally, &crosstabs, |counter, by| counts.add(counter, by * *n));
        }
        counts
    }

    /// The counter behind a question's option, or its answered count.
    fn counter(survey: &Survey, question: &str, option: Option<&str>) -> Counter {
        let (index, q) = survey.question(question).unwrap();
        let index = index as u16;
        match option {
            None => Counter::Answered(index),
            Some(code) => Counter::Cell(Cell { question: index, option: q.cell_index(code).unwrap() as u16 }),
        }
    }

    /// The true count behind a published one.
    fn truth(survey: &Survey, counts: &Counts, question: &str, option: Option<&str>) -> u64 {
        counts.get(counter(survey, question, option))
    }

    /// The range the audit finds for a suppressed counter (or `None` if it is shown).
    fn exposure(
        survey: &Survey,
        results: &SurveyResults,
        target: Target,
    ) -> Option<crate::disclosure::audit::Range> {
        audit(survey, results).into_iter().find(|e| e.target == target).map(|e| e.range)
    }

    /// Every suppressed and every derived count is protected, as the reader's linear
    /// programs find them; every `null` hides a non-zero count.
    fn assert_protected(survey: &Survey, counts: &Counts, results: &SurveyResults) {
        let k = u64::from(survey.settings.min_cell);
        for exposure in audit(survey, results) {
            assert!(exposure.protected(k), "k = {k}: {exposure:?}\n{results:?}");
            if let Target::Suppressed(counter) = exposure.target {
                assert!(counts.get(counter) > 0, "a zero is suppressed: {counter:?}");
            }
        }
    }

    // --- The attacks that worked, one each ---

    /// Respondents of two required single questions `a` and `b` of three options each:
    /// `cells[r][c]` of them gave the r-th and the c-th.
    fn table(survey: &Survey, cells: [[u64; 3]; 3]) -> Counts {
        let mut groups = Vec::new();
        for (r, line) in cells.iter().enumerate() {
            for (c, &n) in line.iter().enumerate() {
                groups.push((n, json!({"a": format!("a{}", r + 1), "b": format!("b{}", c + 1)})));
            }
        }
        people(survey, &groups)
    }

    #[test]
    fn a_suppressed_one_in_a_two_way_table_without_a_lone_gap_stays_hidden() {
        // Suppressed one line at a time, every row and column (with its one-way count)
        // had two gaps or more, and yet: b1 + b3 = answered − b2 = 9, row a1 gives
        // x11 + x13 = a1 − x12 = 8, so x21 = 9 − 8 = 1.
        //         b1   b2   b3 | a
        //   a1     2   10    6 | 18
        //   a2     1    3    0 |  4
        //   a3     0   15    0 | 15
        let survey = survey(
            definition(
                vec![
                    question("a", "single", true, &["a1", "a2", "a3"]),
                    question("b", "single", true, &["b1", "b2", "b3"]),
                ],
                json!([{"rows": "a", "columns": "b"}]),
            ),
            5,
        );
        let counts = table(&survey, [[2, 10, 6], [1, 3, 0], [0, 15, 0]]);
        let results = disclose(&survey, &counts);
        let one = Target::Suppressed(Counter::Cross { table: 0, row: 1, column: 0 });
        let range = exposure(&survey, &results, one).expect("the 1 is suppressed");
        assert!(range.protects(5), "{range:?}: {results:?}");
        // The subtraction itself no longer works: one of its terms is suppressed.
        let a = results.question("a").unwrap();
        let b = results.question("b").unwrap();
        let x12 = results.crosstabs[0].cells[1].count;
        assert!([b.answered, b.count("b2").flatten(), a.count("a1").flatten(), x12].contains(&None));
        assert_protected(&survey, &counts, &results);
    }

    #[test]
    fn a_conditional_questions_answered_count_does_not_give_away_its_opening_options() {
        // `why` is required after `move` or `return`: its answered count is move +
        // return. With `return` shown, a suppressed `move` was answered(why) − return.
        let survey = small_survey(5);
        let counts = people(
            &survey,
            &[
                (10, json!({"plan": "stay"})),
                (3, json!({"plan": "move", "why": ["war", "work"]})),
                (2, json!({"plan": "return", "why": ["none"]})),
                (6, json!({"plan": "return", "why": ["war", "family"]})),
                (6, json!({"plan": "return", "why": ["war", "work"]})),
                (6, json!({"plan": "return", "why": ["work"]})),
            ],
        );
        let results = disclose(&survey, &counts);
        let plan = results.question("plan").unwrap();
        assert_eq!(plan.count("move"), Some(None));
        let why = results.question("why").unwrap();
        assert!(why.answered.is_none() || plan.count("return").flatten().is_none(), "{results:?}");
        let range = exposure(&survey, &results, Target::Suppressed(counter(&survey, "plan", Some("move"))));
        assert!(range.is_some_and(|r| r.protects(5)), "{range:?}");
        assert_protected(&survey, &counts, &results);
    }

    #[test]
    fn respondents_minus_answered_does_not_show_a_few_who_skipped() {
        // 40 respondents, 38 answered `work`: nothing small is published, but the two
        // who skipped it are as identifiable as a count of 2.
        let survey = small_survey(5);
        let counts = people(
            &survey,
            &[
                (10, json!({"plan": "stay", "work": "it"})),
                (5, json!({"plan": "stay", "work": "media"})),
                (5, json!({"plan": "stay", "work": "other"})),
                (5, json!({"plan": "move", "why": ["war"], "work": "it"})),
                (5, json!({"plan": "move", "why": ["work"], "work": "media"})),
                (8, json!({"plan": "return", "why": ["war", "work"], "work": "other"})),
                (2, json!({"plan": "return", "why": ["family"]})),
            ],
        );
        let results = disclose(&survey, &counts);
        let work = results.question("work").unwrap();
        assert!(results.respondents.is_none() || work.answered.is_none(), "{results:?}");
        let skipped = Target::Derived(Derived::Unanswered(2));
        let range = exposure(&survey, &results, skipped).unwrap();
        assert!(range.protects(5), "{range:?}");
        assert_protected(&survey, &counts, &results);
    }

    #[test]
    fn every_allowed_country_is_listed_chosen_or_not() {
        // Listing only the countries someone chose said that someone from each had
        // answered. Now the list is the question's, whatever the answers.
        let survey = small_survey(5);
        let listed = |counts: &Counts| -> Vec<(String, Option<u64>)> {
            let results = disclose(&survey, counts);
            results.question("where").unwrap().counts.iter().map(|c| (c.option.clone(), c.count)).collect()
        };
        let with = |am: u64| {
            people(
                &survey,
                &[
                    (12, json!({"plan": "stay", "where": "GE"})),
                    (9, json!({"plan": "stay", "where": "DE"})),
                    (am, json!({"plan": "stay", "where": "AM"})),
                    (19, json!({"plan": "stay"})),
                ],
            )
        };
        let (one, none) = (listed(&with(1)), listed(&with(0)));
        let codes = |l: &[(String, Option<u64>)]| l.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>();
        assert_eq!(codes(&one), ["AM", "DE", "GE", "LT", "RS"]);
        assert_eq!(codes(&one), codes(&none));
        assert!(one.contains(&("LT".to_owned(), Some(0))) && one.contains(&("RS".to_owned(), Some(0))));
        assert!(one.contains(&("AM".to_owned(), None)));
        assert!(none.contains(&("AM".to_owned(), Some(0))));
        // Without an allowed list, every country of the world.
        let results = disclose(&default_survey(5), &Counts::default());
        let country = results.question("country").unwrap();
        assert_eq!(country.counts.len(), nansen_shared::countries::CODES.len());
        assert!(country.counts.iter().all(|c| c.count == Some(0)));
    }

    #[test]
    fn a_published_zero_is_never_a_complementary_suppression() {
        // Row a1 of plan × work: 3 chose `it`, none the others, and 9 skipped `work`.
        // The 3's only siblings are zeros; they stay zeros and something else goes.
        let survey = small_survey(5);
        let counts = people(
            &survey,
            &[
                (3, json!({"plan": "stay", "work": "it"})),
                (9, json!({"plan": "stay"})),
                (5, json!({"plan": "move", "why": ["war"], "work": "it"})),
                (5, json!({"plan": "move", "why": ["war"], "work": "media"})),
                (5, json!({"plan": "move", "why": ["family"], "work": "other"})),
                (5, json!({"plan": "return", "why": ["war"], "work": "it"})),
                (5, json!({"plan": "return", "why": ["war"], "work": "media"})),
                (5, json!({"plan": "return", "why": ["family"], "work": "other"})),
            ],
        );
        let results = disclose(&survey, &counts);
        let cells: Vec<Option<u64>> = results.crosstabs[0].cells.iter().map(|c| c.count).collect();
        assert_eq!(cells[..3], [None, Some(0), Some(0)], "{results:?}");
        assert_protected(&survey, &counts, &results);
    }

    // --- Grids and rankings ---

    fn items(codes: &[&str]) -> Value {
        Value::Array(codes.iter().map(|c| json!({"code": c, "label": {"en": c}})).collect())
    }

    /// A grid `g` (rows r1, r2; options o1–o3), a ranking `rank` of a, b, c (two
    /// places), a question shown after row r1's `o1`, and row r1 by `plan` as a table.
    fn kinds_survey(k: u32, required_grid: bool) -> Survey {
        let mut grid = question("g", "grid", required_grid, &["o1", "o2", "o3"]);
        grid["rows"] = items(&["r1", "r2"]);
        let ranking = json!({"id": "rank", "kind": "ranking", "required": true, "prompt": {"en": "rank"},
            "items": items(&["a", "b", "c"]), "max_ranked": 2});
        let mut after = question("after", "single", true, &["yes", "no"]);
        after["show_if"] = json!({"question": "g", "row": "r1", "any_of": ["o1"]});
        survey(
            definition(
                vec![question("plan", "single", true, &["stay", "move"]), grid, ranking, after],
                json!([{"rows": "g", "rows_item": "r1", "columns": "plan"},
                       {"rows": "rank", "rows_item": "a", "columns": "plan"}]),
            ),
            k,
        )
    }

    #[test]
    fn a_required_grids_row_does_not_give_away_its_withheld_cell() {
        // Row r1 adds up to the answered count: o1 = answered − o2 − o3 = 2 unless
        // something else goes too.
        let survey = kinds_survey(5, true);
        let counts = people(
            &survey,
            &[
                (2, json!({"plan": "stay", "g": {"r1": "o1", "r2": "o2"}, "rank": ["a"], "after": "yes"})),
                (10, json!({"plan": "stay", "g": {"r1": "o2", "r2": "o2"}, "rank": ["b", "a"]})),
                (8, json!({"plan": "move", "g": {"r1": "o3", "r2": "o3"}, "rank": ["c", "b"]})),
            ],
        );
        let results = disclose(&survey, &counts);
        let g = results.question("g").unwrap();
        assert_eq!(g.count("r1.o1"), Some(None), "{g:?}");
        assert!(
            g.answered.is_none()
                || g.count("r1.o2").flatten().is_none()
                || g.count("r1.o3").flatten().is_none()
        );
        let o1 = Target::Suppressed(counter(&survey, "g", Some("r1.o1")));
        assert!(exposure(&survey, &results, o1).is_some_and(|r| r.protects(5)));
        assert_protected(&survey, &counts, &results);
    }

    #[test]
    fn a_rankings_first_place_and_its_items_do_not_give_away_a_withheld_place() {
        // Everyone who ranked put something first: a.1 + b.1 + c.1 = answered, so a
        // withheld c.1 would be answered − a.1 − b.1; and each item's places are
        // linked to the others' (who ranked two items touched two cells).
        let survey = kinds_survey(5, false);
        let counts = people(
            &survey,
            &[
                (9, json!({"plan": "stay", "rank": ["a", "b"]})),
                (7, json!({"plan": "move", "rank": ["b", "a"]})),
                (3, json!({"plan": "move", "rank": ["c", "a"]})),
                (6, json!({"plan": "stay", "rank": ["a"]})),
            ],
        );
        let results = disclose(&survey, &counts);
        let rank = results.question("rank").unwrap();
        assert_eq!(rank.count("c.1"), Some(None), "{rank:?}");
        let first = [rank.answered, rank.count("a.1").flatten(), rank.count("b.1").flatten()];
        assert!(first.contains(&None), "the first place's line has a second gap: {rank:?}");
        let c1 = Target::Suppressed(counter(&survey, "rank", Some("c.1")));
        assert!(exposure(&survey, &results, c1).is_some_and(|r| r.protects(5)));
        assert_protected(&survey, &counts, &results);
    }

    #[test]
    fn a_condition_on_a_grid_row_and_a_table_of_the_row_do_not_give_away_a_cell() {
        // `after` is required after r1 = o1, so its answered count is r1.o1; the table
        // of row r1 by plan adds up, column by column, to plan's counts.
        let survey = kinds_survey(5, false);
        let counts = people(
            &survey,
            &[
                (3, json!({"plan": "stay", "g": {"r1": "o1"}, "rank": ["a"], "after": "no"})),
                (12, json!({"plan": "stay", "g": {"r1": "o2", "r2": "o1"}, "rank": ["b"]})),
                (12, json!({"plan": "move", "g": {"r1": "o3"}, "rank": ["c", "b"]})),
                (7, json!({"plan": "move", "g": {"r2": "o3"}, "rank": ["b", "c"]})),
            ],
        );
        let results = disclose(&survey, &counts);
        let after = results.question("after").unwrap();
        assert!(after.answered.is_none() && after.count("no") == Some(None), "{after:?}");
        let table = &results.crosstabs[0];
        assert_eq!((table.rows_item.as_deref(), table.cells[0].row.as_str()), (Some("r1"), "r1.o1"));
        assert_eq!(table.cells[0].count, None, "r1.o1 × stay is 3");
        assert_protected(&survey, &counts, &results);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// The same attack on grids, rankings, a condition on a grid row and tables of
        /// a grid row and a ranking item.
        #[test]
        fn linear_programs_pin_down_no_count_of_a_grid_or_a_ranking(
            respondents in prop::collection::vec(prop::collection::vec(0u32..50, 4), 0..60),
            k in prop::sample::select(vec![3u32, 5]),
            required_grid in any::<bool>(),
        ) {
            let survey = kinds_survey(k, required_grid);
            let counts = counts(&respondents, &survey);
            let results = disclose(&survey, &counts);
            let k = u64::from(k);
            for exposure in audit(&survey, &results) {
                prop_assert!(exposure.protected(k), "k = {}: {:?}\n{:?}", k, exposure, results);
            }
            for question in &results.questions {
                for c in question.counts.iter().filter(|c| c.count.is_some()) {
                    prop_assert_eq!(c.count, Some(truth(&survey, &counts, question.id.as_str(), Some(&c.option))));
                    prop_assert!(c.count.is_some_and(|n| n == 0 || n >= k));
                }
            }
        }
    }

    // --- Properties ---

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn nothing_small_is_shown_and_nothing_suppressed_can_be_subtracted_back(
            respondents in prop::collection::vec(prop::collection::vec(0u32..50, 11), 0..60),
            k in prop::sample::select(vec![3u32, 5, 10]),
        ) {
            let survey = default_survey(k);
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
                // No sum with exactly one unknown: subtraction recovers nothing. (A grid's
                // or a ranking's counts do not add up to its answered count; the audit
                // below looks at their own relations.)
                let hidden = question.counts.iter().filter(|c| c.count.is_none()).count()
                    + usize::from(question.answered.is_none());
                if survey.question(id).unwrap().1.parts().is_none() {
                    prop_assert_ne!(hidden, 1, "{} leaves one gap: {:?}", id, question);
                }
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

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The attack: a reader who writes down every relation the definition implies
        /// and solves linear programs over the published results narrows no suppressed
        /// count to a range less than k wide, and pins no derived count (who skipped a
        /// question, a table's missing row) between 1 and k − 1.
        #[test]
        fn linear_programs_over_the_results_pin_down_no_suppressed_count(
            respondents in prop::collection::vec(prop::collection::vec(0u32..50, 11), 0..80),
            k in prop::sample::select(vec![3u32, 5, 10]),
            small in any::<bool>(),
        ) {
            let survey = if small { small_survey(k) } else { default_survey(k) };
            let counts = counts(&respondents, &survey);
            let results = disclose(&survey, &counts);
            let k = u64::from(k);
            for exposure in audit(&survey, &results) {
                prop_assert!(exposure.protected(k), "k = {}: {:?}", k, exposure);
                // A `null` is never a zero.
                if let Target::Suppressed(counter) = exposure.target {
                    prop_assert!(counts.get(counter) > 0, "zero suppressed: {:?}", counter);
                }
            }
        }
    }

    #[test]
    fn the_relations_hold_for_answers_people_gave() {
        // With every count published nothing may contradict the model: a relation that
        // real answers could break would make the audit see what is not there.
        let mut seed = 7u64;
        for survey in [default_survey(5), small_survey(5), kinds_survey(5, true), kinds_survey(5, false)] {
            for n in [1, 7, 40, 300] {
                let respondents: Vec<Vec<u32>> =
                    (0..n).map(|_| (0..11).map(|_| random(&mut seed, 80) as u32).collect()).collect();
                let counts = counts(&respondents, &survey);
                let model = Model::of(&survey);
                let known: Vec<Known> = model.shown().iter().map(|&c| Known::Value(counts.get(c))).collect();
                assert_eq!(model.broken(&known), Vec::<String>::new(), "{} with {n}", survey.slug);
            }
        }
    }

    /// Results as published with exactly `hidden` suppressed.
    fn published(survey: &Survey, counts: &Counts, hidden: &[Counter]) -> SurveyResults {
        let model = Model::of(survey);
        let values: Vec<u64> = model.shown().iter().map(|&c| counts.get(c)).collect();
        let suppressed: Vec<bool> = model.shown().iter().map(|c| hidden.contains(c)).collect();
        let mut exact = survey.clone();
        exact.settings.min_cell = 1;
        let mut results = disclose(&exact, counts);
        let mut slot = 0..;
        let mut next = |count: &mut Option<u64>| {
            let s = slot.next().unwrap();
            *count = (!suppressed[s]).then_some(values[s]);
        };
        next(&mut results.respondents);
        for question in &mut results.questions {
            next(&mut question.answered);
            question.counts.iter_mut().for_each(|c| next(&mut c.count));
        }
        for table in &mut results.crosstabs {
            table.cells.iter_mut().for_each(|c| next(&mut c.count));
        }
        results
    }

    #[test]
    fn the_audit_sees_through_suppression_one_line_at_a_time() {
        // What the line-by-line suppression published for the three attacks above: the
        // audit pins each count the attacker recovered.
        let two_way = survey(
            definition(
                vec![
                    question("a", "single", true, &["a1", "a2", "a3"]),
                    question("b", "single", true, &["b1", "b2", "b3"]),
                ],
                json!([{"rows": "a", "columns": "b"}]),
            ),
            5,
        );
        let counts = table(&two_way, [[2, 10, 6], [1, 3, 0], [0, 15, 0]]);
        let cross = |row, column| Counter::Cross { table: 0, row, column };
        let mut hidden = vec![cross(0, 0), cross(0, 2), cross(1, 0), cross(1, 1), cross(2, 1)];
        hidden.extend(["a2", "a3"].map(|o| counter(&two_way, "a", Some(o))));
        hidden.extend(["b1", "b3"].map(|o| counter(&two_way, "b", Some(o))));
        let results = published(&two_way, &counts, &hidden);
        let range = exposure(&two_way, &results, Target::Suppressed(cross(1, 0))).unwrap();
        assert_eq!((range.least(), range.most()), (1.0, 1.0));

        let small = small_survey(5);
        let counts = people(
            &small,
            &[
                (10, json!({"plan": "stay"})),
                (3, json!({"plan": "move", "why": ["war", "work"]})),
                (20, json!({"plan": "return", "why": ["war"]})),
            ],
        );
        let hidden = ["stay", "move"].map(|o| counter(&small, "plan", Some(o)));
        let results = published(&small, &counts, &hidden);
        let range = exposure(&small, &results, Target::Suppressed(hidden[1])).unwrap();
        assert_eq!((range.least(), range.most()), (3.0, 3.0));

        let counts =
            people(&small, &[(20, json!({"plan": "stay", "work": "it"})), (2, json!({"plan": "stay"}))]);
        let results = published(&small, &counts, &[]);
        let range = exposure(&small, &results, Target::Derived(Derived::Unanswered(2))).unwrap();
        assert_eq!((range.least(), range.most()), (2.0, 2.0));
        assert!(!range.protects_derived(5));
    }

    fn random(seed: &mut u64, below: u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed % below
    }

    /// How long `disclose` takes on the default survey: `cargo test --release -p
    /// nansen-server --lib disclose_timing -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a test"]
    fn disclose_timing() {
        let survey = default_survey(5);
        let mut seed = 42u64;
        // Countries as emigrants spread: the i-th most common one chosen ∝ 1/i², so a
        // long tail of countries with a respondent or two at every size.
        let weights: Vec<f64> = (1..=249).map(|i| 1.0 / f64::from(i * i)).collect();
        let total: f64 = weights.iter().sum();
        let cumulative: Vec<f64> = weights
            .iter()
            .scan(0.0, |sum, w| {
                *sum += w / total;
                Some(*sum)
            })
            .collect();
        for n in [1, 3, 10, 30, 60, 150, 500, 5_000, 50_000] {
            let respondents: Vec<Vec<u32>> = (0..n)
                .map(|_| {
                    (0..11)
                        .map(|q| {
                            if q == 1 {
                                let u = random(&mut seed, 1 << 30) as f64 / f64::from(1 << 30);
                                50 + cumulative.partition_point(|&c| c < u).min(248) as u32
                            } else {
                                random(&mut seed, 50) as u32
                            }
                        })
                        .collect()
                })
                .collect();
            let counts = counts(&respondents, &survey);
            let start = Instant::now();
            let results = disclose(&survey, &counts);
            let took = start.elapsed();
            let hidden = results
                .questions
                .iter()
                .flat_map(|q| q.counts.iter().map(|c| c.count))
                .filter(Option::is_none)
                .count();
            println!("{n} respondents: disclose took {took:?}, {hidden} option counts suppressed");
            assert_protected(&survey, &counts, &results);
        }
    }
}
