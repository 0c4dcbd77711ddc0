//! Cell addressing: the things a question's answers are counted under, by index and by
//! code. Indices are what the validator and the counters use; codes are what the API,
//! the exports and a database copy show.
//!
//! A grid's cells are its rows × its options, row by row, each coded `row.option`
//! (`safety.likely`); a ranking's are its items × the places they can be ranked at,
//! item by item, each coded `item.place` with places from 1 (`jobs.1`). The row or
//! item is the cell's *part*; no code holds a `.`, so the two halves never blur.

use std::borrow::Cow;
use std::ops::Range;

use super::{Item, Question, QuestionKind, ShowIf};
use crate::countries;

/// What separates a part's code from its option or place in a cell code.
pub const PART_SEPARATOR: char = '.';

impl Question {
    /// A grid's rows or a ranking's items, and how many cells each has (the grid's
    /// options, the ranking's places); `None` for questions without parts.
    pub fn parts(&self) -> Option<(&[Item], usize)> {
        match &self.kind {
            QuestionKind::Grid { rows, options } => Some((rows, options.len())),
            QuestionKind::Ranking { items, .. } => Some((items, self.places())),
            _ => None,
        }
    }

    /// How many places a ranking has: `max_ranked`, at most its items (0 for other kinds).
    pub fn places(&self) -> usize {
        match &self.kind {
            QuestionKind::Ranking { items, max_ranked } => {
                max_ranked.map_or(items.len(), |m| (m as usize).min(items.len()))
            }
            _ => 0,
        }
    }

    /// The index of part `code` (a grid row, a ranking item).
    pub fn part_index(&self, code: &str) -> Option<usize> {
        self.parts()?.0.iter().position(|p| p.code.as_str() == code)
    }

    /// The cells of part `part`, a block of consecutive indices.
    pub fn part_cells(&self, part: usize) -> Range<usize> {
        let width = self.parts().map_or(0, |(_, width)| width);
        part * width..(part + 1) * width
    }

    /// The cells an answer must include for `show_if` (a condition on this question)
    /// to hold; `None` if it names a code, or a row, this question does not have.
    pub fn opening_cells(&self, show_if: &ShowIf) -> Option<Vec<usize>> {
        let mut cells = Vec::new();
        for code in &show_if.any_of {
            cells.extend(self.opened_by(show_if.row.as_ref().map(|r| r.as_str()), code)?);
        }
        Some(cells)
    }

    /// The cells answer `code` (of grid row `row`) stands for in a condition.
    pub fn opened_by(&self, row: Option<&str>, code: &str) -> Option<Range<usize>> {
        match (&self.kind, row) {
            (QuestionKind::Grid { options, .. }, Some(row)) => {
                let option = options.iter().position(|o| o.code.as_str() == code)?;
                let start = self.part_cells(self.part_index(row)?).start + option;
                Some(start..start + 1)
            }
            (QuestionKind::Grid { .. }, None) | (_, Some(_)) => None,
            (QuestionKind::Ranking { .. }, None) => Some(self.part_cells(self.part_index(code)?)),
            (_, None) => {
                let cell = self.cell_index(code).filter(|&cell| self.offers_cell(cell))?;
                Some(cell..cell + 1)
            }
        }
    }

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
            QuestionKind::Grid { .. } | QuestionKind::Ranking { .. } => {
                self.parts().map_or(0, |(parts, width)| parts.len().saturating_mul(width))
            }
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
            QuestionKind::Grid { rows, options } => {
                let (row, option) =
                    (rows.get(index / options.len().max(1))?, options.get(index % options.len())?);
                Some(Cow::Owned(format!("{}{PART_SEPARATOR}{}", row.code, option.code)))
            }
            QuestionKind::Ranking { items, .. } => {
                let places = self.places().max(1);
                let item = items.get(index / places)?;
                Some(Cow::Owned(format!("{}{PART_SEPARATOR}{}", item.code, index % places + 1)))
            }
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
            QuestionKind::Grid { options, .. } => {
                let (row, option) = code.split_once(PART_SEPARATOR)?;
                let option = options.iter().position(|o| o.code.as_str() == option)?;
                Some(self.part_cells(self.part_index(row)?).start + option)
            }
            QuestionKind::Ranking { .. } => {
                let (item, spelt) = code.split_once(PART_SEPARATOR)?;
                let place: usize = spelt.parse().ok()?;
                // Only the canonical spelling names a place ("1", not "01" or "+1").
                if place.to_string() != spelt || !(1..=self.places()).contains(&place) {
                    return None;
                }
                Some(self.part_cells(self.part_index(item)?).start + place - 1)
            }
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
