//! Cell addressing: the things a question's answers are counted under, by index and by
//! code. Indices are what the validator and the counters use; codes are what the API,
//! the exports and a database copy show.

use std::borrow::Cow;

use super::{Question, QuestionKind};
use crate::countries;

impl Question {
    /// How many distinct things can be counted for this question.
    pub fn cell_count(&self) -> usize {
        match &self.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => options.len(),
            QuestionKind::Scale { min, max, .. } => {
                // Checked: a definition arrives from outside before it is checked.
                max.checked_sub(*min)
                    .and_then(|d| d.checked_add(1))
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0)
            }
            QuestionKind::Number { bins, .. } => bins.len(),
            QuestionKind::Country { .. } => countries::CODES.len(),
        }
    }

    /// The code under which cell `index` is counted and reported.
    pub fn cell_code(&self, index: usize) -> Option<Cow<'_, str>> {
        match &self.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
                options.get(index).map(|o| Cow::Borrowed(o.code.as_str()))
            }
            QuestionKind::Scale { min, max, .. } => {
                let value = min.checked_add(i64::try_from(index).ok()?)?;
                (value <= *max).then(|| Cow::Owned(value.to_string()))
            }
            QuestionKind::Number { bins, .. } => bins.get(index).map(|b| Cow::Borrowed(b.code.as_str())),
            QuestionKind::Country { .. } => countries::CODES.get(index).map(|c| Cow::Borrowed(*c)),
        }
    }

    /// The cell counted under `code`, if the question has one.
    pub fn cell_index(&self, code: &str) -> Option<usize> {
        match &self.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
                options.iter().position(|o| o.code.as_str() == code)
            }
            QuestionKind::Scale { min, max, .. } => {
                let value: i64 = code.parse().ok()?;
                // Only the canonical spelling ("4", not "04" or "+4") names a cell.
                if value.to_string() != code || value < *min || value > *max {
                    return None;
                }
                usize::try_from(value.checked_sub(*min)?).ok()
            }
            QuestionKind::Number { bins, .. } => bins.iter().position(|b| b.code.as_str() == code),
            QuestionKind::Country { .. } => countries::index_of(code),
        }
    }

    /// Whether the cell is one a respondent may choose (a country may be restricted).
    pub fn offers_cell(&self, index: usize) -> bool {
        match &self.kind {
            QuestionKind::Country { allowed: Some(allowed) } => {
                countries::CODES.get(index).is_some_and(|code| allowed.iter().any(|a| a.as_str() == *code))
            }
            _ => index < self.cell_count(),
        }
    }
}
