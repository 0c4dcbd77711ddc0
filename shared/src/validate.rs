//! Judging a set of answers against one survey version. The browser runs this to show
//! errors as the person types; the server runs it again and trusts nothing else.
//!
//! A valid answer set becomes a [`Tally`]: the cells it adds one to. That is all the
//! server ever keeps of it — numbers are reduced to their bin here, before anything is
//! stored.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::answer::{Answer, Answers};
use crate::problem::FieldError;
use crate::survey::{Question, QuestionKind, Survey};

/// One countable thing: option `option` of question `question`, both as indices into the
/// survey version's definition (see [`Question::cell_code`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    pub question: u16,
    pub option: u16,
}

/// What one valid submission adds to the counts: its cells, in canonical order
/// (question, then option), whatever order the person chose them in; and the numbers
/// given to number questions (by question index), which only ever go into sums.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    cells: Vec<Cell>,
    numbers: Vec<(u16, i64)>,
}

impl Tally {
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// Each number question answered with a number (not a bin), and the number.
    pub fn numbers(&self) -> &[(u16, i64)] {
        &self.numbers
    }

    /// The questions answered, each once, in order.
    pub fn answered(&self) -> impl Iterator<Item = u16> + '_ {
        let mut last = None;
        self.cells.iter().filter_map(move |cell| {
            let new = last != Some(cell.question);
            last = Some(cell.question);
            new.then_some(cell.question)
        })
    }
}

/// A problem with the answer to one question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerError {
    pub question: String,
    pub problem: AnswerProblem,
}

/// What is wrong with an answer. The `code` of each variant is part of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AnswerProblem {
    /// The survey has no question with this id.
    UnknownQuestion,
    /// The answer has the wrong shape for the question.
    WrongType { expected: Expected },
    /// The option (or country) is not one the question offers.
    NotOffered { option: String },
    /// The same option was chosen twice.
    DuplicateChoice { option: String },
    /// More options were chosen than the question allows.
    TooManyChoices { max: u32 },
    /// An option such as "none" was combined with others.
    ExclusiveCombined { option: String },
    /// A number outside the question's range.
    OutOfRange { min: i64, max: i64 },
    /// A required question was left unanswered.
    Required,
    /// The grid has no row with this code.
    UnknownRow { row: String },
    /// The option given to a grid's row is not one the grid offers.
    NotOfferedInRow { row: String, option: String },
    /// A required grid was answered without these rows.
    MissingRows { rows: Vec<String> },
    /// An item was ranked at two places.
    RankedTwice { item: String },
    /// The question's condition does not hold, so it must be left unanswered.
    Hidden,
}

/// The shape of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    Code,
    Codes,
    WholeNumber,
    /// A grid's options by row: `{"row": "option"}`.
    Rows,
}

impl AnswerProblem {
    /// The stable machine-readable name of the problem.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownQuestion => "unknown_question",
            Self::WrongType { .. } => "wrong_type",
            Self::NotOffered { .. } | Self::NotOfferedInRow { .. } => "not_offered",
            Self::UnknownRow { .. } => "unknown_row",
            Self::MissingRows { .. } => "missing_rows",
            Self::RankedTwice { .. } => "ranked_twice",
            Self::DuplicateChoice { .. } => "duplicate_choice",
            Self::TooManyChoices { .. } => "too_many_choices",
            Self::ExclusiveCombined { .. } => "exclusive_combined",
            Self::OutOfRange { .. } => "out_of_range",
            Self::Required => "required",
            Self::Hidden => "hidden",
        }
    }
}

impl fmt::Display for AnswerProblem {
    /// An English sentence a person (or a developer reading a 422) can act on.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownQuestion => f.write_str("This survey has no such question; leave it out."),
            Self::WrongType { expected: Expected::Code } => f.write_str("Choose one option."),
            Self::WrongType { expected: Expected::Codes } => {
                f.write_str("Send the chosen options as a list.")
            }
            Self::WrongType { expected: Expected::WholeNumber } => f.write_str("Enter a whole number."),
            Self::WrongType { expected: Expected::Rows } => {
                f.write_str("Send one option for each row answered, as {\"row\": \"option\"}.")
            }
            Self::UnknownRow { row } => write!(f, "This grid has no row \"{row}\"; leave it out."),
            Self::NotOfferedInRow { row, option } => {
                write!(f, "\"{option}\" (row \"{row}\") is not one of the options of this grid.")
            }
            Self::MissingRows { rows } => {
                let rows: Vec<String> = rows.iter().map(|r| format!("\"{r}\"")).collect();
                write!(f, "Answer every row; missing: {}.", rows.join(", "))
            }
            Self::RankedTwice { item } => {
                write!(f, "\"{item}\" is ranked twice; give each place a different item.")
            }
            Self::NotOffered { option } => {
                write!(f, "\"{option}\" is not one of the options of this question.")
            }
            Self::DuplicateChoice { option } => write!(f, "\"{option}\" was chosen twice."),
            Self::TooManyChoices { max } => write!(f, "Choose at most {max}."),
            Self::ExclusiveCombined { option } => {
                write!(f, "\"{option}\" cannot be combined with other options.")
            }
            Self::OutOfRange { min, max } => write!(f, "Enter a whole number from {min} to {max}."),
            Self::Required => f.write_str("This question needs an answer."),
            Self::Hidden => {
                f.write_str("This question does not apply given the earlier answers; leave it out.")
            }
        }
    }
}

impl AnswerProblem {
    /// The grid row the problem is in, if it is in one row.
    pub fn row(&self) -> Option<&str> {
        match self {
            Self::UnknownRow { row } | Self::NotOfferedInRow { row, .. } => Some(row),
            _ => None,
        }
    }
}

impl From<&AnswerError> for FieldError {
    fn from(error: &AnswerError) -> Self {
        let row = error.problem.row().map_or(String::new(), |row| format!("/{row}"));
        FieldError {
            pointer: format!("#/answers/{}{row}", error.question),
            code: error.problem.code().to_owned(),
            detail: error.problem.to_string(),
        }
    }
}

/// Checks `answers` against `survey` and returns what they add to the counts, or every
/// problem found (in question order, then unknown questions).
pub fn validate(survey: &Survey, answers: &Answers) -> Result<Tally, Vec<AnswerError>> {
    let walk = Walk::run(survey, answers);
    if walk.errors.is_empty() {
        let cells = walk
            .states
            .iter()
            .enumerate()
            .filter_map(|(q, state)| match state {
                State::Answered(options) => Some((q, options)),
                _ => None,
            })
            .flat_map(|(q, options)| {
                options.iter().map(move |&o| Cell { question: q as u16, option: o as u16 })
            })
            .collect();
        let numbers = survey
            .questions
            .iter()
            .enumerate()
            .filter(|(q, question)| {
                matches!(question.kind, QuestionKind::Number { .. })
                    && matches!(walk.states.get(*q), Some(State::Answered(_)))
            })
            .filter_map(|(q, question)| match answers.get(question.id.as_str()) {
                Some(Answer::Number(n)) => Some((q as u16, *n)),
                _ => None,
            })
            .collect();
        Ok(Tally { cells, numbers })
    } else {
        Err(walk.errors)
    }
}

/// Whether each question currently applies, given the answers so far: what a form shows.
/// A question whose condition depends on an invalid answer is shown, so the person can
/// see it once they fix the earlier one.
pub fn visible(survey: &Survey, answers: &Answers) -> Vec<bool> {
    Walk::run(survey, answers).visible.into_iter().map(|v| v != Some(false)).collect()
}

/// Where each question stands after its answer was judged.
#[derive(Debug)]
enum State {
    /// No answer, or an answer to a question that does not apply.
    Unanswered,
    /// A valid answer: the chosen cells, sorted.
    Answered(Vec<usize>),
    /// An invalid answer: nothing is known about which conditions it satisfies.
    Invalid,
}

struct Walk {
    states: Vec<State>,
    /// `Some(true)` applies, `Some(false)` does not, `None` unknown (depends on an
    /// invalid answer).
    visible: Vec<Option<bool>>,
    errors: Vec<AnswerError>,
}

impl Walk {
    fn run(survey: &Survey, answers: &Answers) -> Self {
        let mut walk = Walk { states: Vec::new(), visible: Vec::new(), errors: Vec::new() };
        for question in &survey.questions {
            let visible = walk.applies(survey, question);
            let answer = answers.get(question.id.as_str()).filter(|a| !is_empty(a));
            let state = match (answer, visible) {
                (None, Some(true)) if question.required => {
                    walk.error(question, AnswerProblem::Required);
                    State::Unanswered
                }
                (None, _) => State::Unanswered,
                (Some(_), Some(false)) => {
                    walk.error(question, AnswerProblem::Hidden);
                    State::Unanswered
                }
                (Some(answer), _) => match cells(question, answer) {
                    Ok(cells) => State::Answered(cells),
                    Err(problem) => {
                        walk.error(question, problem);
                        State::Invalid
                    }
                },
            };
            walk.states.push(state);
            walk.visible.push(visible);
        }
        for id in answers.keys() {
            if survey.question(id).is_none() {
                walk.errors
                    .push(AnswerError { question: id.clone(), problem: AnswerProblem::UnknownQuestion });
            }
        }
        walk
    }

    fn error(&mut self, question: &Question, problem: AnswerProblem) {
        self.errors.push(AnswerError { question: question.id.to_string(), problem });
    }

    /// Whether `question`'s condition holds, judged from the earlier answers.
    fn applies(&self, survey: &Survey, question: &Question) -> Option<bool> {
        let Some(show_if) = &question.show_if else {
            return Some(true);
        };
        // The definition check guarantees the condition names an earlier question.
        let (index, earlier) = survey.question(show_if.question.as_str())?;
        match self.states.get(index)? {
            State::Unanswered => Some(false),
            State::Invalid => None,
            State::Answered(chosen) => Some(
                earlier.opening_cells(show_if).unwrap_or_default().iter().any(|cell| chosen.contains(cell)),
            ),
        }
    }
}

/// An empty list of choices (or of rows) is the same as no answer.
fn is_empty(answer: &Answer) -> bool {
    match answer {
        Answer::Codes(codes) => codes.is_empty(),
        Answer::Rows(rows) => rows.is_empty(),
        _ => false,
    }
}

/// The cells an answer to `question` adds to, or what is wrong with it.
fn cells(question: &Question, answer: &Answer) -> Result<Vec<usize>, AnswerProblem> {
    match (&question.kind, answer) {
        (QuestionKind::Single { .. } | QuestionKind::Country { .. }, Answer::Code(code)) => {
            offered(question, code).map(|cell| vec![cell])
        }
        (QuestionKind::Single { .. } | QuestionKind::Country { .. }, _) => {
            Err(AnswerProblem::WrongType { expected: Expected::Code })
        }
        (QuestionKind::Multi { options, max_choices }, Answer::Codes(codes)) => {
            let mut chosen = Vec::with_capacity(codes.len());
            for code in codes {
                let cell = offered(question, code)?;
                if chosen.contains(&cell) {
                    return Err(AnswerProblem::DuplicateChoice { option: code.clone() });
                }
                chosen.push(cell);
            }
            if let Some(max) = max_choices.filter(|&max| chosen.len() > max as usize) {
                return Err(AnswerProblem::TooManyChoices { max });
            }
            if chosen.len() > 1
                && let Some(exclusive) = chosen.iter().find(|&&cell| options[cell].exclusive)
            {
                return Err(AnswerProblem::ExclusiveCombined {
                    option: options[*exclusive].code.to_string(),
                });
            }
            chosen.sort_unstable();
            Ok(chosen)
        }
        (QuestionKind::Multi { .. }, _) => Err(AnswerProblem::WrongType { expected: Expected::Codes }),
        (QuestionKind::Scale { min, max, .. }, Answer::Number(n)) => {
            in_range(*n, *min, *max)?;
            // The cell is the point's place on the scale (checked: only a published,
            // checked definition guarantees the scale is short).
            question
                .cell_index(&n.to_string())
                .map(|cell| vec![cell])
                .ok_or(AnswerProblem::OutOfRange { min: *min, max: *max })
        }
        (QuestionKind::Number { min, max, bins, .. }, Answer::Number(n)) => {
            in_range(*n, *min, *max)?;
            // The definition check guarantees the bins cover the range exactly.
            bins.iter()
                .position(|bin| (bin.min..=bin.max).contains(n))
                .map(|bin| vec![bin])
                .ok_or(AnswerProblem::OutOfRange { min: *min, max: *max })
        }
        // A range chosen instead of a number (the plain form, for wide ranges).
        (QuestionKind::Number { bins, .. }, Answer::Code(code))
            if let Some(bin) = bins.iter().position(|bin| bin.code.as_str() == code) =>
        {
            Ok(vec![bin])
        }
        (QuestionKind::Scale { .. } | QuestionKind::Number { .. }, _) => {
            Err(AnswerProblem::WrongType { expected: Expected::WholeNumber })
        }
        (QuestionKind::Grid { rows, options }, Answer::Rows(chosen)) => {
            let mut cells = Vec::with_capacity(chosen.len());
            for (row, option) in chosen {
                let part =
                    question.part_index(row).ok_or_else(|| AnswerProblem::UnknownRow { row: row.clone() })?;
                let option = options.iter().position(|o| o.code.as_str() == option).ok_or_else(|| {
                    AnswerProblem::NotOfferedInRow { row: row.clone(), option: option.clone() }
                })?;
                cells.push(question.part_cells(part).start + option);
            }
            let missing: Vec<String> = rows
                .iter()
                .filter(|r| !chosen.contains_key(r.code.as_str()))
                .map(|r| r.code.to_string())
                .collect();
            if question.required && !missing.is_empty() {
                return Err(AnswerProblem::MissingRows { rows: missing });
            }
            cells.sort_unstable();
            Ok(cells)
        }
        (QuestionKind::Grid { .. }, _) => Err(AnswerProblem::WrongType { expected: Expected::Rows }),
        (QuestionKind::Ranking { .. }, Answer::Codes(ranked)) => {
            let places = question.places();
            if ranked.len() > places {
                return Err(AnswerProblem::TooManyChoices { max: places as u32 });
            }
            let mut cells = Vec::with_capacity(ranked.len());
            for (place, item) in ranked.iter().enumerate() {
                let part = question
                    .part_index(item)
                    .ok_or_else(|| AnswerProblem::NotOffered { option: item.clone() })?;
                if ranked[..place].contains(item) {
                    return Err(AnswerProblem::RankedTwice { item: item.clone() });
                }
                cells.push(question.part_cells(part).start + place);
            }
            cells.sort_unstable();
            Ok(cells)
        }
        (QuestionKind::Ranking { .. }, _) => Err(AnswerProblem::WrongType { expected: Expected::Codes }),
    }
}

fn offered(question: &Question, code: &str) -> Result<usize, AnswerProblem> {
    question
        .cell_index(code)
        .filter(|&cell| question.offers_cell(cell))
        .ok_or_else(|| AnswerProblem::NotOffered { option: code.to_owned() })
}

fn in_range(n: i64, min: i64, max: i64) -> Result<(), AnswerProblem> {
    if (min..=max).contains(&n) { Ok(()) } else { Err(AnswerProblem::OutOfRange { min, max }) }
}

#[cfg(test)]
mod tests;
