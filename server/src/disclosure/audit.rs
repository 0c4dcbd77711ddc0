//! The audit: what a reader of published results can work out about each suppressed
//! count, from everything published and every linear relation the definition implies.
//!
//! A reader knows more than the numbers on the page. From the definition alone:
//!
//! - *Options and answered.* A single choice, a scale, a number's bins and a country:
//!   the options add up to the answered count. A multiple choice: every option at most
//!   the answered count, their sum at least it (each chose one or more) and at most
//!   `max_choices` times it; an exclusive option ("none") is chosen alone, so each other
//!   option plus the exclusive ones is at most the answered count, and the other
//!   options add up to at most `max_choices` times those who chose no exclusive one.
//! - *Respondents and answered.* Nobody answers a question twice: answered ≤
//!   respondents, equal for a required question shown to everyone.
//! - *Conditions.* A conditional question is answered only by those it was shown to:
//!   those whose earlier answer included an opening option. For a single-like earlier
//!   question that is the sum of the opening options' counts; for a multiple choice it
//!   lies between the largest of them and their sum, bounded by `max_choices`, by
//!   the exclusive options and by those who chose only other options. A required
//!   conditional question is answered by exactly that many, an optional one by at most.
//! - *Cross-tabulations.* A cell counts respondents who gave both answers. Those who
//!   answered both questions, split by the row question's options, relate to each row
//!   of cells as a group of respondents relates to its options (the column question's
//!   kind says how); so do the columns. Those who answered the row question but not
//!   the column question fill the rest of the row question's one-way counts, and the
//!   same again for columns; respondents − both answered counts + those who answered
//!   both (who answered neither) is at least 0. A required column question shown to
//!   everyone (or to everyone who gave that row's answer) leaves no row respondent out
//!   of the table: the row adds up to (a multiple choice: at least) its one-way count.
//! - *The page itself.* Every offered option is listed, zero or not, and a suppressed
//!   count (`null`) is never a zero: it is at least 1.
//!
//! Some counts are never published but follow from published ones: those who did not
//! answer a question (respondents − answered), those shown a conditional question who
//! left it, and a cross-tabulation's missing row and column ("answered the row question,
//! not the column question"). They are people too, and are audited like counts
//! ([`Derived`]).
//!
//! For each suppressed count, two linear programs over those relations, with the
//! published counts fixed, the suppressed ones free (at least 1) and the unpublished
//! quantities free (at least 0), find the least and the most it can be. The count is
//! protected when the whole numbers in that range span at least k (max − min ≥ k once
//! both are rounded inwards). A derived count is safe when it is protected so, or known
//! to be 0, or known to be at least k. Only the relations tied to the count through
//! unknown quantities enter its programs, so they stay small.

use std::collections::{HashMap, VecDeque};

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable, microlp, variable,
};
use nansen_shared::{Cell, Question, QuestionKind, Survey, SurveyResults};

use crate::storage::counters::{Counter, Dim, crosstab_dims};

/// A quantity in the model, by index: first the published counters, then the
/// quantities nobody publishes but the relations speak of.
pub(super) type Var = usize;

/// A linear combination of quantities.
pub(super) type Terms = Vec<(Var, f64)>;

/// How the terms of a relation compare with zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// The terms add up to zero.
    Zero,
    /// The terms add up to zero or less.
    AtMostZero,
}

#[derive(Debug, Clone)]
struct Relation {
    terms: Terms,
    op: Op,
}

/// A count of respondents that is never published but follows from published counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Derived {
    /// Respondents who did not answer question `.0` (respondents − answered).
    Unanswered(u16),
    /// Respondents shown conditional question `.0` who left it unanswered.
    Left(u16),
    /// Those in cross-tabulation `table` who gave option `row` of the row question and
    /// did not answer the column question.
    RowOnly { table: u16, row: u16 },
    /// Those who gave option `column` of the column question and did not answer the
    /// row question.
    ColumnOnly { table: u16, column: u16 },
    /// Respondents who answered neither question of cross-tabulation `.0`.
    Neither(u16),
    /// Respondents who answered grid `question` but left row `part`, or answered
    /// ranking `question` without ranking item `part`.
    PartLeft { question: u16, part: u16 },
}

/// What a reader knows of one published counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Known {
    /// Shown: the value.
    Value(u64),
    /// Shown as `null`: not zero.
    Suppressed,
    /// Not listed at all: anything from zero up.
    #[cfg_attr(not(test), allow(dead_code, reason = "the reader's side: what the tests attack with"))]
    Unlisted,
}

/// The counters of one question on the page: its answered count and each offered
/// option.
#[derive(Debug, Clone)]
pub(super) struct QuestionSlots {
    pub answered: Var,
    pub options: Vec<(u16, Var)>,
}

/// A declared cross-tabulation on the page: its index in the definition, its two
/// sides and a cell for each pair of offered options (by the sides' own indices), row
/// by row.
#[derive(Debug, Clone)]
pub(super) struct TableSlots {
    pub table: u16,
    pub rows: Dim,
    pub columns: Dim,
    pub cells: Vec<(u16, u16, Var)>,
}

/// Every published counter of a survey version and every relation among them that the
/// definition implies.
#[derive(Debug, Default)]
pub(super) struct Model {
    /// The published counters, in page order; a counter's index is its [`Var`].
    shown: Vec<Counter>,
    slots: HashMap<Counter, Var>,
    /// How many quantities there are, published and not.
    vars: usize,
    relations: Vec<Relation>,
    /// For each quantity, the relations it appears in.
    uses: Vec<Vec<usize>>,
    derived: Vec<(Derived, Terms)>,
    pub respondents: Var,
    pub questions: Vec<QuestionSlots>,
    /// For each grid (ranking), how many answered each row (ranked each item): never
    /// published as such, the sum of the part's cells.
    parts: Vec<Vec<Var>>,
    pub tables: Vec<TableSlots>,
}

/// The least and the most a quantity can be, given what is published. A failed or
/// contradictory program gives an empty range (`NaN`), which protects nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

/// Slack for the solver's floating point when rounding a bound to a whole number.
const EPSILON: f64 = 1e-6;

impl Range {
    fn exact(value: f64) -> Self {
        Self { min: value, max: value }
    }

    const FAILED: Self = Self { min: f64::NAN, max: f64::NAN };

    /// The least whole number in the range (counts are whole).
    pub fn least(&self) -> f64 {
        (self.min - EPSILON).ceil()
    }

    /// The greatest whole number in the range.
    pub fn most(&self) -> f64 {
        (self.max + EPSILON).floor()
    }

    /// How far apart the least and the greatest whole numbers in the range are:
    /// infinite when nothing bounds the count from above, 0 when it is known.
    pub fn width(&self) -> f64 {
        if self.min.is_nan() || self.max.is_nan() {
            return 0.0;
        }
        if self.max == f64::INFINITY {
            return f64::INFINITY;
        }
        (self.most() - self.least()).max(0.0)
    }

    /// Whether a suppressed count is protected: a reader cannot narrow it to fewer than
    /// `k` + 1 whole numbers.
    pub fn protects(&self, k: u64) -> bool {
        self.width() >= k as f64
    }

    /// Whether a count that was never published is safe to be worked out this far: it
    /// is protected, or known to be zero, or known to be at least `k`.
    pub fn protects_derived(&self, k: u64) -> bool {
        if self.min.is_nan() || self.max.is_nan() {
            return false;
        }
        self.protects(k) || self.most() < 1.0 || self.least() >= k as f64
    }
}

/// Values of unknown quantities that satisfy every relation: what the counts could be.
pub(super) type Point = Vec<(Var, f64)>;

/// A quantity's range, and the points on the way.
#[derive(Debug, Clone)]
pub(super) struct Search {
    pub range: Range,
    pub points: Vec<Point>,
}

/// What the audit found about one suppressed count, or one derived count.
#[cfg_attr(not(test), allow(dead_code, reason = "the reader's side: what the tests attack with"))]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exposure {
    pub target: Target,
    pub range: Range,
}

/// A count the audit looks at.
#[cfg_attr(not(test), allow(dead_code, reason = "the reader's side: what the tests attack with"))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A published counter shown as `null`.
    Suppressed(Counter),
    /// A count never published.
    Derived(Derived),
}

impl Exposure {
    /// Whether a reader cannot narrow the count down to fewer than k + 1 values (or, for
    /// a derived count, learns only that it is zero or at least k).
    #[cfg_attr(not(test), allow(dead_code, reason = "the reader's side: what the tests attack with"))]
    pub fn protected(&self, k: u64) -> bool {
        match self.target {
            Target::Suppressed(_) => self.range.protects(k),
            Target::Derived(_) => self.range.protects_derived(k),
        }
    }
}

/// Audits published `results` of `survey` as a reader would: for every suppressed count
/// and every derived count, the range a linear program over the published counts and
/// the definition's relations allows it.
#[cfg_attr(not(test), allow(dead_code, reason = "the reader's side: what the tests attack with"))]
pub fn audit(survey: &Survey, results: &SurveyResults) -> Vec<Exposure> {
    let model = Model::of(survey);
    let known = model.read(survey, results);
    let mut exposures: Vec<Exposure> = model
        .shown
        .iter()
        .enumerate()
        .filter(|&(slot, _)| known[slot] == Known::Suppressed)
        .map(|(slot, &counter)| Exposure {
            target: Target::Suppressed(counter),
            range: model.range(&known, &[(slot, 1.0)]),
        })
        .collect();
    exposures.extend(model.derived.iter().map(|(derived, terms)| Exposure {
        target: Target::Derived(*derived),
        range: model.range(&known, terms),
    }));
    exposures
}

impl Model {
    /// The published counters of `survey` and the relations among them.
    pub(super) fn of(survey: &Survey) -> Self {
        let mut model = Model::default();
        model.respondents = model.show(Counter::Respondents);
        for (q, question) in survey.questions.iter().enumerate() {
            let q = q as u16;
            let answered = model.show(Counter::Answered(q));
            let options = (0..question.cell_count())
                .filter(|&option| question.offers_cell(option))
                .map(|option| {
                    let option = option as u16;
                    (option, model.show(Counter::Cell(Cell { question: q, option })))
                })
                .collect();
            model.questions.push(QuestionSlots { answered, options });
        }
        for (table, (rows, columns)) in crosstab_dims(survey).into_iter().enumerate() {
            if usize::from(rows.question) >= survey.questions.len()
                || usize::from(columns.question) >= survey.questions.len()
            {
                continue;
            }
            let pairs: Vec<(u16, u16)> = rows
                .offered(survey)
                .into_iter()
                .flat_map(|row| columns.offered(survey).into_iter().map(move |column| (row, column)))
                .collect();
            let table = table as u16;
            let cells = pairs
                .into_iter()
                .map(|(row, column)| (row, column, model.show(Counter::Cross { table, row, column })))
                .collect();
            model.tables.push(TableSlots { table, rows, columns, cells });
        }
        // Every published counter comes first: a counter's index is its place on the page.
        debug_assert_eq!(model.vars, model.shown.len());
        model.parts = survey
            .questions
            .iter()
            .map(|q| (0..q.parts().map_or(0, |(parts, _)| parts.len())).map(|_| model.hide()).collect())
            .collect();
        for (q, question) in survey.questions.iter().enumerate() {
            model.relate_question(survey, q, question);
        }
        for table in model.tables.clone() {
            model.relate_table(survey, &table);
        }
        model.uses = vec![Vec::new(); model.vars];
        for (index, relation) in model.relations.iter().enumerate() {
            for &(var, _) in &relation.terms {
                if model.uses[var].last() != Some(&index) {
                    model.uses[var].push(index);
                }
            }
        }
        model
    }

    /// The published counters, in page order.
    pub(super) fn shown(&self) -> &[Counter] {
        &self.shown
    }

    /// The counts that are never published but follow from published ones.
    pub(super) fn derived(&self) -> &[(Derived, Terms)] {
        &self.derived
    }

    fn show(&mut self, counter: Counter) -> Var {
        let var = self.hide();
        self.shown.push(counter);
        self.slots.insert(counter, var);
        var
    }

    /// A quantity nobody publishes. (Published counters all come first.)
    fn hide(&mut self) -> Var {
        self.vars += 1;
        self.vars - 1
    }

    fn relate(&mut self, terms: Terms, op: Op) {
        let mut merged: Terms = Vec::with_capacity(terms.len());
        for (var, coefficient) in terms {
            match merged.iter_mut().find(|(v, _)| *v == var) {
                Some((_, c)) => *c += coefficient,
                None => merged.push((var, coefficient)),
            }
        }
        merged.retain(|(_, c)| *c != 0.0);
        if !merged.is_empty() {
            self.relations.push(Relation { terms: merged, op });
        }
    }

    /// `small ≤ large`.
    fn at_most(&mut self, small: &[(Var, f64)], large: &[(Var, f64)]) {
        self.relate(minus(small, large), Op::AtMostZero);
    }

    fn equal(&mut self, a: &[(Var, f64)], b: &[(Var, f64)]) {
        self.relate(minus(a, b), Op::Zero);
    }

    /// `terms ≥ 0`, unless it is one quantity (every quantity is at least 0).
    fn count(&mut self, terms: &[(Var, f64)]) {
        if !matches!(terms, [(_, c)] if *c > 0.0) {
            self.at_most(&[], terms);
        }
    }

    /// A side of a cross-tabulation as a question of its own: a whole question's
    /// slots, or a grid row's (ranking item's) block of cells, by the side's indices,
    /// with how many answered the row (ranked the item).
    pub(super) fn dim_slots(&self, dim: Dim) -> QuestionSlots {
        let slots = &self.questions[usize::from(dim.question)];
        let Some(part) = dim.part else { return slots.clone() };
        QuestionSlots {
            answered: self.parts[usize::from(dim.question)][usize::from(part)],
            options: slots
                .options
                .iter()
                .filter_map(|&(option, var)| Some((dim.local(Cell { question: dim.question, option })?, var)))
                .collect(),
        }
    }

    fn relate_question(&mut self, survey: &Survey, q: usize, question: &Question) {
        let QuestionSlots { answered, options } = self.questions[q].clone();
        if question.parts().is_some() {
            self.relate_parts(q, question);
        } else {
            let members = options.iter().map(|&(option, var)| (option, one(var))).collect::<Vec<_>>();
            self.choices(question, &one(answered), &members);
        }
        let respondents = self.respondents;
        self.at_most(&one(answered), &one(respondents));
        let unanswered = minus(&one(respondents), &one(answered));
        let Some(show_if) = &question.show_if else {
            if question.required {
                self.equal(&one(answered), &one(respondents));
            } else {
                self.derive(Derived::Unanswered(q as u16), unanswered);
            }
            return;
        };
        self.derive(Derived::Unanswered(q as u16), unanswered);
        // The definition check guarantees the condition names an earlier question.
        let Some((p, parent)) = survey.question(show_if.question.as_str()) else {
            return;
        };
        let opening: Vec<u16> =
            parent.opening_cells(show_if).unwrap_or_default().into_iter().map(|cell| cell as u16).collect();
        let seen = self.hide();
        self.seen(parent, &self.questions[p].clone(), &opening, seen);
        if question.required {
            self.equal(&one(answered), &one(seen));
        } else {
            self.at_most(&one(answered), &one(seen));
            self.derive(Derived::Left(q as u16), minus(&one(seen), &one(answered)));
        }
    }

    /// How a group of respondents who all answered `question` (`group` of them) relates
    /// to how many of them chose each option (`members`, by option index).
    fn choices(&mut self, question: &Question, group: &[(Var, f64)], members: &[(u16, Terms)]) {
        self.count(group);
        for (_, member) in members {
            self.count(member);
        }
        let all: Terms = members.iter().flat_map(|(_, m)| m.iter().copied()).collect();
        let QuestionKind::Multi { options, max_choices } = &question.kind else {
            // One option each.
            self.equal(&all, group);
            return;
        };
        let exclusive = |option: u16| options.get(usize::from(option)).is_some_and(|o| o.exclusive);
        let alone: Terms =
            members.iter().filter(|(o, _)| exclusive(*o)).flat_map(|(_, m)| m.clone()).collect();
        let others: Vec<&Terms> = members.iter().filter(|(o, _)| !exclusive(*o)).map(|(_, m)| m).collect();
        // At least one option each.
        self.at_most(group, &all);
        // An exclusive option is chosen alone: whoever chose another option chose none.
        if others.is_empty() {
            self.at_most(&alone, group);
        }
        for member in &others {
            self.at_most(&plus(member, &alone), group);
        }
        // Everyone else chose at most `most` of the other options.
        let most = max_choices.map_or(others.len(), |max| (max as usize).min(others.len()));
        if most > 0 && most < others.len() {
            let chosen: Terms = others.iter().flat_map(|m| m.iter().copied()).collect();
            let most = most as f64;
            self.at_most(&plus(&chosen, &scale(&alone, most)), &scale(group, most));
        }
    }

    /// A grid's or a ranking's relations. Grid: each row's cells add up to how many
    /// answered the row, which is at most the answered count (all of it for a required
    /// grid), and everyone who answered answered a row. Ranking: each item's cells add up
    /// to how many ranked it, at most the answered count; everyone who answered ranked
    /// something first, so the first place's cells add up to the answered count, and
    /// each place is filled at most as often as the one before it.
    fn relate_parts(&mut self, q: usize, question: &Question) {
        let QuestionSlots { answered, options } = self.questions[q].clone();
        let Some((_, width)) = question.parts() else { return };
        let parts = self.parts[q].clone();
        let cells = |filter: &dyn Fn(usize) -> bool| -> Terms {
            options.iter().filter(|(o, _)| filter(usize::from(*o))).map(|&(_, v)| (v, 1.0)).collect()
        };
        for (part, &total) in parts.iter().enumerate() {
            let block = question.part_cells(part);
            self.equal(&cells(&|o| block.contains(&o)), &one(total));
            self.at_most(&one(total), &one(answered));
            let every_row = question.required && matches!(question.kind, QuestionKind::Grid { .. });
            if every_row {
                self.equal(&one(total), &one(answered));
            } else {
                self.derive(
                    Derived::PartLeft { question: q as u16, part: part as u16 },
                    minus(&one(answered), &one(total)),
                );
            }
        }
        match question.kind {
            QuestionKind::Ranking { .. } => {
                let place = |p: usize| cells(&|o| o % width == p);
                self.equal(&place(0), &one(answered));
                for p in 1..width {
                    self.at_most(&place(p), &place(p - 1));
                }
            }
            _ => {
                let all: Terms = parts.iter().map(|&v| (v, 1.0)).collect();
                self.at_most(&one(answered), &all);
            }
        }
    }

    /// `seen`: how many respondents gave `parent` an answer that includes one of the
    /// `opening` options (indices).
    fn seen(&mut self, parent: &Question, slots: &QuestionSlots, opening: &[u16], seen: Var) {
        let opens = |option: u16| opening.contains(&option);
        if let QuestionKind::Ranking { .. } = parent.kind {
            // Those who ranked any opening item: at least each one's rankers, at most
            // all of them together, and at most those who answered.
            let opened: Terms =
                slots.options.iter().filter(|(o, _)| opens(*o)).map(|&(_, v)| (v, 1.0)).collect();
            for item in 0..parent.parts().map_or(0, |(items, _)| items.len()) {
                let block = parent.part_cells(item);
                let ranked: Terms = slots
                    .options
                    .iter()
                    .filter(|(o, _)| opens(*o) && block.contains(&usize::from(*o)))
                    .map(|&(_, v)| (v, 1.0))
                    .collect();
                if !ranked.is_empty() {
                    self.at_most(&ranked, &one(seen));
                }
            }
            self.at_most(&one(seen), &opened);
            self.at_most(&one(seen), &one(slots.answered));
            return;
        }
        let QuestionKind::Multi { options, max_choices } = &parent.kind else {
            let opened: Terms =
                slots.options.iter().filter(|(o, _)| opens(*o)).map(|&(_, v)| (v, 1.0)).collect();
            self.equal(&one(seen), &opened);
            return;
        };
        let exclusive = |option: u16| options.get(usize::from(option)).is_some_and(|o| o.exclusive);
        let pick = |f: &dyn Fn(u16) -> bool| -> Terms {
            slots.options.iter().filter(|(o, _)| f(*o)).map(|&(_, v)| (v, 1.0)).collect()
        };
        let alone_opening = pick(&|o| exclusive(o) && opens(o));
        let alone_all = pick(&|o| exclusive(o));
        let others_opening = pick(&|o| !exclusive(o) && opens(o));
        let others_closed = pick(&|o| !exclusive(o) && !opens(o));
        // Those who saw it through another option: seen − exclusive openers.
        let through_others = minus(&one(seen), &alone_opening);
        // Who chose only other options: answered − exclusive choosers.
        let chose_others = minus(&one(slots.answered), &alone_all);
        self.count(&through_others);
        for &(var, _) in &others_opening {
            self.at_most(&one(var), &through_others);
        }
        self.at_most(&through_others, &others_opening);
        self.at_most(&through_others, &chose_others);
        // Those who did not see it chose only closed options.
        self.at_most(&minus(&chose_others, &through_others), &others_closed);
        let most = max_choices.map_or(others_opening.len(), |max| (max as usize).min(others_opening.len()));
        if most > 0 && most < others_opening.len() {
            self.at_most(&others_opening, &scale(&through_others, most as f64));
        }
    }

    /// The relations of declared cross-tabulation `table` of question `r` (rows) by
    /// question `c` (columns).
    fn relate_table(&mut self, survey: &Survey, slots: &TableSlots) {
        let TableSlots { table, rows: r, columns: c, ref cells } = *slots;
        let (rows, columns) =
            (&survey.questions[usize::from(r.question)], &survey.questions[usize::from(c.question)]);
        let (row_slots, column_slots) = (self.dim_slots(r), self.dim_slots(c));
        // Those who answered both, and of them how many gave each row, each column.
        let both = self.hide();
        let by_row: Vec<(u16, Var)> = row_slots.options.iter().map(|&(row, _)| (row, self.hide())).collect();
        let by_column: Vec<(u16, Var)> =
            column_slots.options.iter().map(|&(column, _)| (column, self.hide())).collect();
        for &(row, var) in &by_row {
            let line: Vec<(u16, Terms)> = cells
                .iter()
                .filter(|(r, _, _)| *r == row)
                .map(|&(_, column, cell)| (column, one(cell)))
                .collect();
            self.choices(columns, &one(var), &line);
        }
        for &(column, var) in &by_column {
            let line: Vec<(u16, Terms)> = cells
                .iter()
                .filter(|(_, c, _)| *c == column)
                .map(|&(row, _, cell)| (row, one(cell)))
                .collect();
            self.choices(rows, &one(var), &line);
        }
        let as_members = |of: &[(u16, Var)]| of.iter().map(|&(o, v)| (o, one(v))).collect::<Vec<_>>();
        self.choices(rows, &one(both), &as_members(&by_row));
        self.choices(columns, &one(both), &as_members(&by_column));
        // Those who answered one of the two questions only.
        for (is_rows, question, slots, by, (other, other_dim), dim) in [
            (true, rows, &row_slots, &by_row, (columns, c), r),
            (false, columns, &column_slots, &by_column, (rows, r), c),
        ] {
            let only = minus(&one(slots.answered), &one(both));
            let members: Vec<(u16, Terms)> = slots
                .options
                .iter()
                .zip(by.iter())
                .map(|(&(option, total), &(_, within))| (option, minus(&one(total), &one(within))))
                .collect();
            self.choices(question, &only, &members);
            for (option, outside) in &members {
                let cell = usize::from(dim.first + *option);
                if always_answered(other, other_dim, question, cell) {
                    self.equal(outside, &[]);
                } else {
                    let derived = if is_rows {
                        Derived::RowOnly { table, row: *option }
                    } else {
                        Derived::ColumnOnly { table, column: *option }
                    };
                    self.derive(derived, outside.clone());
                }
            }
        }
        // Those who answered neither.
        let neither =
            [(self.respondents, 1.0), (row_slots.answered, -1.0), (column_slots.answered, -1.0), (both, 1.0)];
        self.count(&neither);
        let everyone = |q: &Question, dim: Dim| {
            q.required
                && q.show_if.is_none()
                && (dim.part.is_none() || matches!(q.kind, QuestionKind::Grid { .. }))
        };
        if !everyone(rows, r) && !everyone(columns, c) {
            self.derive(Derived::Neither(table), neither.to_vec());
        }
    }

    fn derive(&mut self, derived: Derived, terms: Terms) {
        self.derived.push((derived, terms));
    }

    /// The index of a published counter.
    #[cfg_attr(not(test), allow(dead_code, reason = "the reader's side: what the tests attack with"))]
    pub(super) fn slot(&self, counter: Counter) -> Option<Var> {
        self.slots.get(&counter).copied()
    }

    /// What published `results` tell a reader about each counter.
    #[cfg_attr(not(test), allow(dead_code, reason = "the reader's side: what the tests attack with"))]
    pub(super) fn read(&self, survey: &Survey, results: &SurveyResults) -> Vec<Known> {
        let mut known = vec![Known::Unlisted; self.shown.len()];
        let mut set = |counter: Counter, value: Option<u64>| {
            if let Some(slot) = self.slot(counter) {
                known[slot] = value.map_or(Known::Suppressed, Known::Value);
            }
        };
        set(Counter::Respondents, results.respondents);
        for published in &results.questions {
            let Some((q, question)) = survey.question(published.id.as_str()) else { continue };
            let q = q as u16;
            set(Counter::Answered(q), published.answered);
            for count in &published.counts {
                if let Some(option) = question.cell_index(&count.option) {
                    set(Counter::Cell(Cell { question: q, option: option as u16 }), count.count);
                }
            }
        }
        // Tables are published in the definition's order, each naming its sides.
        for (table, (published, (rows, columns))) in
            results.crosstabs.iter().zip(crosstab_dims(survey)).enumerate()
        {
            let named =
                |dim: Dim, id: &str| survey.question(id).is_some_and(|(i, _)| i == usize::from(dim.question));
            if !named(rows, published.rows.as_str()) || !named(columns, published.columns.as_str()) {
                continue;
            }
            let (row_question, column_question) = (
                &survey.questions[usize::from(rows.question)],
                &survey.questions[usize::from(columns.question)],
            );
            let local = |dim: Dim, question: &Question, code: &str| {
                let cell =
                    Cell { question: dim.question, option: u16::try_from(question.cell_index(code)?).ok()? };
                dim.local(cell)
            };
            for cell in &published.cells {
                if let (Some(row), Some(column)) =
                    (local(rows, row_question, &cell.row), local(columns, column_question, &cell.column))
                {
                    set(Counter::Cross { table: table as u16, row, column }, cell.count);
                }
            }
        }
        known
    }

    /// The relations that `known` values break, in words (for the tests: with every
    /// count published, none may be broken, or the audit would see what is not there).
    #[cfg(test)]
    pub(super) fn broken(&self, known: &[Known]) -> Vec<String> {
        let mut broken = Vec::new();
        for relation in &self.relations {
            if relation.terms.iter().any(|&(var, _)| self.free(known, var)) {
                continue;
            }
            let range = self.range(known, &relation.terms);
            let holds = match relation.op {
                Op::Zero => range.min.abs() < EPSILON,
                Op::AtMostZero => range.min < EPSILON,
            };
            if !holds {
                broken.push(format!("{relation:?} is {}", range.min));
            }
        }
        for var in self.shown.len()..self.vars {
            let range = self.range(known, &[(var, 1.0)]);
            if range.min.is_nan() || range.max.is_nan() {
                broken.push(format!("no value of quantity {var} fits"));
            }
        }
        broken
    }

    /// Whether a quantity is unknown to the reader.
    fn free(&self, known: &[Known], var: Var) -> bool {
        known.get(var).is_none_or(|k| !matches!(k, Known::Value(_)))
    }

    /// The range of `target` given what is `known` of each published counter.
    pub(super) fn range(&self, known: &[Known], target: &[(Var, f64)]) -> Range {
        self.search(known, target, None).range
    }

    /// The range of `target` given what is `known`, and the points the reader cannot
    /// rule out that the search came across (each value of a point lies in that
    /// quantity's own range). With `needed`, a lone unknown count whose maximum leaves
    /// it less than `needed` wide above its floor is not minimised: its range is then
    /// given from the floor (wider than the truth, and still too narrow).
    pub(super) fn search(&self, known: &[Known], target: &[(Var, f64)], needed: Option<f64>) -> Search {
        let constant: f64 = target
            .iter()
            .filter_map(|&(var, c)| match known.get(var) {
                Some(Known::Value(v)) => Some(c * *v as f64),
                _ => None,
            })
            .sum();
        let objective: Terms = target.iter().copied().filter(|&(var, _)| self.free(known, var)).collect();
        if objective.is_empty() {
            return Search { range: Range::exact(constant), points: Vec::new() };
        }
        // Only the relations tied to the target through unknown quantities matter.
        let (vars, relations) = self.component(known, &objective);
        let floor = |var: Var| if known.get(var) == Some(&Known::Suppressed) { 1.0 } else { 0.0 };
        // Each relation as a row over the component's unknowns (by their place in
        // `vars`), its known part summed.
        let mut place = vec![usize::MAX; self.vars];
        for (i, &var) in vars.iter().enumerate() {
            place[var] = i;
        }
        let row = |terms: &[(Var, f64)]| {
            let mut constant = 0.0;
            let mut row = Vec::with_capacity(terms.len());
            for &(var, c) in terms {
                match known.get(var) {
                    _ if place[var] != usize::MAX => row.push((place[var], c)),
                    Some(Known::Value(value)) => constant += c * *value as f64,
                    _ => {}
                }
            }
            (row, constant)
        };
        let rows: Vec<_> = relations
            .iter()
            .map(|&index| (row(&self.relations[index].terms), self.relations[index].op))
            .collect();
        let (goal, _) = row(&objective);
        let solve = |maximise: bool| -> Result<(f64, Point), ResolutionError> {
            let mut problem = ProblemVariables::new();
            let lp: Vec<Variable> = vars.iter().map(|&var| problem.add(variable().min(floor(var)))).collect();
            let expression = |terms: &[(usize, f64)], constant: f64| {
                let mut e = Expression::with_capacity(terms.len());
                for &(i, c) in terms {
                    e.add_mul(c, lp[i]);
                }
                e += constant;
                e
            };
            let goal = expression(&goal, 0.0);
            let mut model =
                if maximise { problem.maximise(goal.clone()) } else { problem.minimise(goal.clone()) }
                    .using(microlp);
            for ((terms, constant), op) in &rows {
                let e = expression(terms, *constant);
                model = model.with(match op {
                    Op::Zero => e.eq(0.0),
                    Op::AtMostZero => e.leq(0.0),
                });
            }
            let solution = model.solve()?;
            let point = vars.iter().zip(&lp).map(|(&var, &v)| (var, solution.value(v))).collect();
            Ok((goal.eval_with(&solution), point))
        };
        let mut points = Vec::new();
        let mut bound = |maximise: bool, unbounded: f64| match solve(maximise) {
            Ok((value, point)) => {
                points.push(point);
                value
            }
            Err(ResolutionError::Unbounded) => unbounded,
            Err(_) => f64::NAN,
        };
        let max = bound(true, f64::INFINITY);
        if max.is_nan() {
            return Search { range: Range::FAILED, points };
        }
        if let (Some(needed), [(var, c)]) = (needed, objective.as_slice())
            && *c == 1.0
            && (Range { min: floor(*var), max }).width() < needed
        {
            return Search { range: Range { min: constant + floor(*var), max: constant + max }, points };
        }
        let min = bound(false, f64::NEG_INFINITY);
        Search { range: Range { min: constant + min, max: constant + max }, points }
    }

    /// The unknown quantities tied to `objective`'s through relations, and those
    /// relations.
    fn component(&self, known: &[Known], objective: &[(Var, f64)]) -> (Vec<Var>, Vec<usize>) {
        let mut in_component = vec![false; self.vars];
        let mut in_relations = vec![false; self.relations.len()];
        let mut queue: VecDeque<Var> = VecDeque::new();
        for &(var, _) in objective {
            if !in_component[var] {
                in_component[var] = true;
                queue.push_back(var);
            }
        }
        let mut vars = Vec::new();
        let mut relations = Vec::new();
        while let Some(var) = queue.pop_front() {
            vars.push(var);
            for &index in &self.uses[var] {
                if in_relations[index] {
                    continue;
                }
                in_relations[index] = true;
                relations.push(index);
                for &(other, _) in &self.relations[index].terms {
                    if !in_component[other] && self.free(known, other) {
                        in_component[other] = true;
                        queue.push_back(other);
                    }
                }
            }
        }
        (vars, relations)
    }

    /// The published counters whose suppression could widen `target`'s range: those in
    /// a relation with it, or with an unknown quantity tied to it, with how many
    /// unknown quantities lie between (0: in the target or a relation of its own).
    pub(super) fn neighbours(&self, known: &[Known], target: &[(Var, f64)]) -> Vec<(Var, u32)> {
        let mut distance: Vec<Option<u32>> = vec![None; self.vars];
        let mut in_relations = vec![false; self.relations.len()];
        let mut found = Vec::new();
        let mut queue = VecDeque::new();
        for &(var, _) in target {
            if distance[var].is_none() {
                distance[var] = Some(0);
                if self.free(known, var) {
                    queue.push_back(var);
                } else {
                    found.push((var, 0));
                }
            }
        }
        while let Some(var) = queue.pop_front() {
            let d = distance[var].unwrap_or(0);
            for &index in &self.uses[var] {
                if std::mem::replace(&mut in_relations[index], true) {
                    continue;
                }
                for &(other, _) in &self.relations[index].terms {
                    if distance[other].is_some() {
                        continue;
                    }
                    if self.free(known, other) {
                        distance[other] = Some(d + 1);
                        queue.push_back(other);
                    } else {
                        distance[other] = Some(d);
                        found.push((other, d));
                    }
                }
            }
        }
        found
    }
}

/// Whether everyone who gave `code` to `given` must have answered `question`: it is
/// required, and shown to everyone or to everyone who gave that answer.
fn always_answered(question: &Question, side: Dim, given: &Question, cell: usize) -> bool {
    // A ranking's item may be left unranked; a required grid's every row is answered.
    let whole = side.part.is_none() || matches!(question.kind, QuestionKind::Grid { .. });
    whole
        && question.required
        && question.show_if.as_ref().is_none_or(|show_if| {
            show_if.question == given.id
                && given.opening_cells(show_if).is_some_and(|cells| cells.contains(&cell))
        })
}

fn one(var: Var) -> Terms {
    vec![(var, 1.0)]
}

fn plus(a: &[(Var, f64)], b: &[(Var, f64)]) -> Terms {
    a.iter().chain(b).copied().collect()
}

fn minus(a: &[(Var, f64)], b: &[(Var, f64)]) -> Terms {
    a.iter().copied().chain(b.iter().map(|&(v, c)| (v, -c))).collect()
}

fn scale(a: &[(Var, f64)], by: f64) -> Terms {
    a.iter().map(|&(v, c)| (v, c * by)).collect()
}
