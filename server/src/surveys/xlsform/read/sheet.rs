//! A sheet's cells as text, found by column name, and the places to report them at;
//! the columns no sheet may use.

use std::collections::BTreeMap;

use nansen_shared::Localized;

use super::Errors;
use super::languages::Languages;
use crate::surveys::xlsform::Place;
use crate::surveys::xlsform::columns::Header;
use crate::surveys::xlsform::workbook::Table;

/// A sheet with its headers taken apart.
pub(super) struct Sheet {
    pub name: &'static str,
    pub exists: bool,
    raw_headers: Vec<String>,
    pub headers: Vec<Header>,
    pub rows: BTreeMap<u32, Vec<String>>,
}

/// A row of a sheet: its number as Excel shows it, and its cells.
pub(super) struct RowRef<'a> {
    pub number: u32,
    pub cells: &'a [String],
}

impl Sheet {
    pub fn new(name: &'static str, table: Option<Table>) -> Self {
        let exists = table.is_some();
        let table = table.unwrap_or_default();
        let headers = table.headers.iter().map(|h| Header::parse(h)).collect();
        Self { name, exists, raw_headers: table.headers, headers, rows: table.rows }
    }

    /// The column `name` in no particular language.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.name == name && h.language.is_none())
    }

    pub fn header_place(&self) -> Place {
        Place { sheet: self.name, row: Some(1), column: None }
    }

    pub fn place_at(&self, row: u32, index: usize) -> Place {
        let header = self.raw_headers.get(index).cloned().unwrap_or_default();
        Place { sheet: self.name, row: Some(row), column: Some((header.trim().to_owned(), Some(index))) }
    }

    /// Row `row`, column `name` (which the sheet may not have yet).
    pub fn place(&self, row: u32, name: &str) -> Place {
        match self.column(name) {
            Some(index) => self.place_at(row, index),
            None => Place { sheet: self.name, row: Some(row), column: Some((name.to_owned(), None)) },
        }
    }

    /// The cell of `row` in column `name`, trimmed; empty when there is none.
    pub fn get<'a>(&self, row: &'a RowRef<'_>, name: &str) -> &'a str {
        self.column(name).and_then(|i| row.cells.get(i)).map_or("", |s| s.trim())
    }

    /// The text of `row` in every language column of `name` (`label`, `label::Russian (ru)`).
    pub fn text(
        &self,
        row: &RowRef<'_>,
        name: &str,
        languages: &Languages,
        errors: &mut Errors,
    ) -> Localized {
        let mut text = Localized::default();
        for (index, header) in self.headers.iter().enumerate() {
            let Some(cell) = row.cells.get(index).filter(|c| header.name == name && !c.trim().is_empty())
            else {
                continue;
            };
            let Some(language) = languages.of(header) else { continue };
            if let Some(start) = cell.find("${") {
                let reference: String =
                    cell[start..].chars().take_while(|c| *c != '}').chain(['}']).collect();
                errors.push(self.place_at(row.number, index).error(
                    "reference_in_text",
                    format!(
                        "The text refers to an answer ({reference}); Nansen shows every respondent the same words, \
                         and never repeats an answer back. Write the text without it."
                    ),
                ));
            }
            text.0.insert(language, cell.clone());
        }
        text
    }
}

/// Columns whose content cannot be carried, wherever they are, and why.
const REFUSED_COLUMNS: [(&str, &str); 10] = [
    (
        "image",
        "Nansen shows no pictures: every file a respondent loads comes from this server, and pictures are not kept",
    ),
    ("big-image", "Nansen shows no pictures"),
    ("audio", "Nansen plays no sounds"),
    ("video", "Nansen plays no videos"),
    ("choice_filter", "Nansen offers every respondent the same options; filtered choices are not carried"),
    ("calculation", "Nansen calculates nothing from answers: every stored count comes from an answer"),
    ("default", "Nansen fills in no answer in advance: a default would be counted as an answer nobody gave"),
    ("read_only", "Nansen has no read-only questions"),
    ("trigger", "Nansen recalculates nothing when answers change"),
    ("repeat_count", "Nansen has no repeated groups"),
];

/// Reports every non-empty cell of `row` in a refused column.
pub(super) fn refuse_columns(sheet: &Sheet, row: &RowRef<'_>, errors: &mut Errors) {
    for (index, header) in sheet.headers.iter().enumerate() {
        // `media::image::English (en)` is a picture too.
        let name = if header.name == "media" { "image" } else { header.name.as_str() };
        let Some((_, why)) = REFUSED_COLUMNS.iter().find(|(refused, _)| *refused == name) else { continue };
        if row.cells.get(index).is_some_and(|c| !c.trim().is_empty()) {
            errors.push(
                sheet
                    .place_at(row.number, index)
                    .error("unsupported_column", format!("{why}. Empty this cell.")),
            );
        }
    }
}

/// Whether a cell says yes (`yes`, `true`, `true()`, `1`), no (empty, `no`, `false`,
/// `false()`, `0`), or something else (`None`).
pub(super) fn yes_no(cell: &str) -> Option<bool> {
    match cell.to_lowercase().as_str() {
        "yes" | "true" | "true()" | "1" | "y" => Some(true),
        "" | "no" | "false" | "false()" | "0" | "n" => Some(false),
        _ => None,
    }
}
